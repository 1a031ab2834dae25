"""Near-duplicate detection on real news with planted copies: precision and recall.

300 originals (the 197 Wikinews 2019-2020 articles, topped up with 103 from 2004-2009: the
2019-2020 set has fewer than 300), stored and signed in a DuckDB store that is then closed
and reopened, as a later run would. Then 150 test documents go through `Deduplicator.find`:

- 100 copies of originals with the edits reprints and re-crawls make: a new headline (in the
  title and often as a first line), a boilerplate paragraph added, one or two sentences
  dropped, spacing and punctuation changed; a copy must be found, with its own original.
- 50 different but related articles, which must not be: 25 real Wikinews articles from the
  2004-2009 set closest to an original in shingle overlap (other reports of the same story),
  and 25 follow-ups that repeat an original's lead, or its first half, then go on with as
  much new text (a developing story's update: its new events must be coded).

Prints precision and recall at `dedup.THRESHOLD` and, to show the margin, the similarity
ranges of each kind and a sweep over thresholds. Run: python benchmarks/duplicates.py [seed]
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from datasketch import MinHashLSH

from dyad.clean import dedup
from dyad.clean.dedup import Deduplicator, from_bytes, shingles, signature
from dyad.model import Document
from dyad.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
RECENT = SHARED / "wikinews-2019-2020" / "articles.jsonl"
OLDER = SHARED / "wikinews-2004-2009" / "articles.jsonl"
OLDER_META = SHARED / "wikinews-2004-2009" / "meta.jsonl"
ORIGINALS, COPIES, NEIGHBOURS, FOLLOW_UPS = 300, 100, 25, 25

BOILERPLATE = [
    "This story was first published by our partner site and is republished here under a "
    "Creative Commons licence. Read the original article for more details and photos.",
    "Sign up for our free daily newsletter to get the most important stories of the day "
    "delivered straight to your inbox every morning.",
    "Copyright 2020 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed without permission.",
    "Have a news tip? Contact our newsroom by email or follow us on Twitter and Facebook for "
    "the latest updates on this developing story.",
    "Independent journalism needs your support. Please consider a donation today so we can "
    "keep reporting from the places others ignore.",
    "Related coverage: Government faces questions over budget; Opposition calls for inquiry; "
    "Markets react to the latest figures from the central bank.",
]
HEADLINE_PREFIXES = ["UPDATE:", "BREAKING:", "Analysis:", "Live:", "Report:"]


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def document(record: dict, doc_id: str | None = None, **changes) -> Document:
    fields = {
        "id": doc_id or record["id"],
        "text": record["text"],
        "title": record["title"],
        "url": record["url"],
        "source": "wikinews",
    }
    return Document(**(fields | changes))


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?\"])\s+(?=[A-Z\"])", text)


def edit(record: dict, rng: random.Random, heavy: bool) -> tuple[str, str]:
    """A copy's (title, text) after the edits a reprint or re-crawl makes."""
    title = f"{rng.choice(HEADLINE_PREFIXES)} {record['title']}"
    paragraphs = record["text"].split("\n\n")
    kinds = ["headline", "boilerplate", "drop", "punctuation"]
    chosen = set(kinds if heavy else rng.sample(kinds, rng.randint(1, 3)))
    if "drop" in chosen:
        for _ in range(2 if heavy else 1):
            i = rng.randrange(len(paragraphs))
            parts = sentences(paragraphs[i])
            if len(parts) > 1:
                del parts[rng.randrange(1, len(parts))]
                paragraphs[i] = " ".join(parts)
            elif len(paragraphs) > 1:
                del paragraphs[i]
    if "boilerplate" in chosen:
        for text in rng.sample(BOILERPLATE, 2 if heavy else 1):
            paragraphs.insert(rng.choice([len(paragraphs), len(paragraphs), 1]), text)
    if "headline" in chosen:
        paragraphs.insert(0, title)
    text = "\n\n".join(paragraphs)
    if "punctuation" in chosen:
        text = text.replace('"', "\u201c").replace(" - ", " \u2014 ").replace(", ", " , ", 3)
        text = re.sub(r"\. ", ".  ", text).replace("\n\n", "\n \n")
    return title, text


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / max(1, len(x | y))


def build(rng: random.Random):
    recent = load(RECENT)
    meta = {m["id"]: m for m in load(OLDER_META)}
    older = [
        r for r in load(OLDER) if meta[r["id"]]["gap_flags"] == 0 and meta[r["id"]]["words"] >= 150
    ]
    rng.shuffle(older)
    originals = recent + older[: ORIGINALS - len(recent)]
    pool = older[ORIGINALS - len(recent) :]

    copies = []
    for i, k in enumerate(rng.sample(range(len(originals)), COPIES)):
        title, text = edit(originals[k], rng, heavy=i % 5 == 0)
        doc = document(
            originals[k],
            f"copy-{i}",
            title=title,
            text=text,
            url=None,
            source=f"reprint-{i % 7}.example",
        )
        copies.append((doc, originals[k]["id"]))

    # Other reports of the same stories: for each candidate in the pool, its best overlap with
    # an original, through a MinHash index at a low threshold; the closest 25 are kept.
    index = MinHashLSH(threshold=0.1, num_perm=dedup.NUM_PERM)
    signed = {r["id"]: signature(r["text"]) for r in originals}
    for doc_id, m in signed.items():
        if m is not None:
            index.insert(doc_id, m)
    by_id = {r["id"]: r for r in originals}
    scored = []
    for r in pool:
        m = signature(r["text"])
        if m is None:
            continue
        best = max((jaccard(r["text"], by_id[c]["text"]) for c in index.query(m)), default=0.0)
        scored.append((best, r))
    scored.sort(key=lambda x: -x[0])
    neighbours = [document(r) for _, r in scored[:NEIGHBOURS]]

    # Follow-ups: an original's lead (or its first half, as a developing story's update
    # does) and as much new text. Their new half has new events: they must be coded.
    follow_ups = []
    for i, k in enumerate(rng.sample(range(len(recent)), FOLLOW_UPS)):
        paragraphs = recent[k]["text"].split("\n\n")
        kept = paragraphs[:1] if i % 2 else paragraphs[: max(1, len(paragraphs) // 2)]
        new = pool[1000 + i]["text"].split()[: len(" ".join(kept).split())]
        text = "\n\n".join(kept + [" ".join(new)])
        follow_ups.append(
            document(
                recent[k],
                f"follow-up-{i}",
                text=text,
                title=f"Follow-up: {recent[k]['title']}",
                url=None,
            )
        )
    return originals, copies, neighbours + follow_ups


def best_similarity(doc: Document, stored: np.ndarray) -> float:
    """The highest estimated similarity to any stored original (for the sweep)."""
    return float((stored == signature(doc.content).hashvalues).mean(axis=1).max())


def main() -> int:
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 20240506)
    originals, copies, related = build(rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dyad.duckdb"
        with Store(path) as store:
            dd = Deduplicator(store)
            started = time.perf_counter()
            for r in originals:
                doc = document(r)
                assert dd.find(doc) is None, doc.id
                store.write_document(doc, [], [])
                dd.add(doc.id)
            sign_ms = (time.perf_counter() - started) / len(originals) * 1000
        with Store(path) as store:  # a later run
            started = time.perf_counter()
            dd = Deduplicator(store)
            rebuild_ms = (time.perf_counter() - started) * 1000
            stored = np.stack([from_bytes(b).hashvalues for _, b in store.minhashes()])
            started = time.perf_counter()
            found_copies = [(dd.find(doc), want) for doc, want in copies]
            found_related = [dd.find(doc) for doc in related]
            find_ms = (time.perf_counter() - started) / (len(copies) + len(related)) * 1000
        sims_copies = [best_similarity(doc, stored) for doc, _ in copies]
        sims_related = [best_similarity(doc, stored) for doc in related]

    tp = sum(got == want for got, want in found_copies)
    wrong = sum(got is not None and got != want for got, want in found_copies)
    fp = sum(got is not None for got in found_related) + wrong
    print(f"originals {len(originals)}, copies {len(copies)}, related {len(related)}")
    print(
        f"threshold {dedup.THRESHOLD}: precision {tp / max(1, tp + fp):.3f}, "
        f"recall {tp / len(copies):.3f} (tp {tp}, fp {fp}, copy matched to another {wrong})"
    )
    print(
        f"estimated similarity, copies: min {min(sims_copies):.2f} "
        f"median {np.median(sims_copies):.2f}; related: max {max(sims_related):.2f} "
        f"median {np.median(sims_related):.2f} (neighbours max "
        f"{max(sims_related[:NEIGHBOURS]):.2f}, follow-ups max "
        f"{max(sims_related[NEIGHBOURS:]):.2f})"
    )
    print("sweep (by estimated similarity to the best original):")
    for t in (0.5, 0.6, 0.7, 0.8, 0.9):
        hits = sum(s >= t for s in sims_copies)
        false = sum(s >= t for s in sims_related)
        print(f"  {t:.1f}: precision {hits / max(1, hits + false):.3f} recall {hits / COPIES:.3f}")
    print(
        f"per document: sign+store {sign_ms:.2f} ms, find {find_ms:.2f} ms; "
        f"index rebuilt from {len(originals)} signatures in {rebuild_ms:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
