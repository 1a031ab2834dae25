"""False events per 1,000 sentences on article bodies that are not about politics.

The pages of ../shared/eval/article-extraction are mostly technology, business, sport and
lifestyle news. Pages are taken as non-political when their body names no state actor of
dyad's own knowledge in a government, military or diplomatic role (no GOV/MIL/IGO cue) and
none of a short list of political words: a conservative filter, so what dyad codes on the
rest is counted as noise. Usage: python benchmarks/noise.py [../shared]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from dyad.evaluate.article_extraction import article_bodies
from dyad.model import Document
from dyad.pipeline import Pipeline

POLITICAL = re.compile(
    r"\b(government|minister|president|parliament|election|military|army|troops|police|"
    r"sanctions?|war|rebels?|protest\w*|embassy|diplomat\w*|treaty|ceasefire|attack\w*|"
    r"senator|congress|prime minister|united nations|nato|court)\b",
    re.I,
)


def main(shared: Path) -> None:
    pipeline = Pipeline()
    pages = [(i, t) for i, t in article_bodies(shared) if not POLITICAL.search(t)]
    docs = [Document(id=i, text=t) for i, t in pages]
    sentences = events = 0
    codes: Counter[str] = Counter()
    for _, sents, evs in pipeline.code_documents(docs):
        sentences += len(sents)
        events += len(evs)
        codes.update(e.cameo for e in evs)
    print(f"non-political pages: {len(pages)}, sentences: {sentences}, events: {events}")
    print(f"events per 1,000 sentences: {1000 * events / max(sentences, 1):.1f}")
    print("most frequent codes:", codes.most_common(8))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))
