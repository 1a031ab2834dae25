"""What the fast path costs: events found with and without the pre-filter on real news.

The gold sets score the same either way (see `DYAD_PREFILTER=0 dyad eval`); this measures
the events the pre-filter loses on whole articles, where most sentences are not events.
Usage: python benchmarks/prefilter.py [../shared] [N]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dyad.model import Document
from dyad.pipeline import Pipeline


def run(pipeline: Pipeline, texts: list[tuple[str, str, str]]) -> tuple[set, float, int]:
    docs = [Document(id=i, text=t, date=None if not d else _day(d)) for i, t, d in texts]
    started = time.perf_counter()
    keys, sentences = set(), 0
    for _, sents, events in pipeline.code_documents(docs):
        sentences += len(sents)
        keys |= {(e.doc_id, e.source.code, e.target and e.target.code, e.cameo) for e in events}
    return keys, time.perf_counter() - started, sentences


def _day(value: str):
    import datetime as dt

    return dt.date.fromisoformat(value[:10])


def main(shared: Path, n: int) -> None:
    path = shared / "corpus" / "wikinews-2019-2020" / "articles.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()][:n]
    texts = [(r["id"], r["text"], r.get("date")) for r in records]
    full, t_full, sentences = run(Pipeline(prefilter=False), texts)
    fast, t_fast, _ = run(Pipeline(prefilter=True), texts)
    lost, extra = full - fast, fast - full
    print(f"{len(texts)} articles, {sentences} sentences")
    print(f"events without pre-filter: {len(full)}, with: {len(fast)}")
    print(f"lost: {len(lost)} ({len(lost) / max(len(full), 1):.1%}), new: {len(extra)}")
    print(f"seconds without: {t_full:.1f}, with: {t_fast:.1f} ({t_full / t_fast:.2f}x)")


if __name__ == "__main__":
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared")
    main(shared, int(sys.argv[2]) if len(sys.argv) > 2 else 197)
