"""Near-duplicate documents: MinHash signatures of word 5-grams, looked up in an LSH index.

A copy of a story (a reprint on another site, a re-crawl under a new headline, with an appeal
added or a sentence cut) is not coded again: the store records it as one more article
mentioning the original's events (`Store.write_duplicate`). Signatures are kept in the store
and the index is rebuilt from them when a `Deduplicator` starts, so a copy is recognised
however many runs after its original. `benchmarks/duplicates.py` measured the threshold.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from dyad.clean.boilerplate import strip_boilerplate
from dyad.model import Document

NUM_PERM = 128
SEED = 1
# Stored signatures compare only with ones made the same way: datasketch 2's default scheme
# (32-bit values; datasketch 1 made other values), this seed and NUM_PERM.
SCHEME = "affine32"
SHINGLE = 5  # words
# Estimated Jaccard similarity of the shingle sets from which a document is a copy. In the
# benchmark (three seeds) planted copies scored 0.47-1.0, median 0.88-0.92, and related
# articles up to 0.56 (a developing story's update; a hospital release and, later, the
# death). A false copy loses the events only it reports, so the threshold keeps a
# margin above those: 0.7 found 93-97% of the copies and no false one; 0.8 found 79-84%.
THRESHOLD = 0.7
# The index is asked at a lower similarity than THRESHOLD: banded LSH misses a share of the
# pairs just above its own threshold, and the candidates are checked against THRESHOLD anyway.
INDEX_MARGIN = 0.2
# Fewer shingles than this (a text under ~25 words) are not judged: a couple of shared
# phrases would decide, and gold sets repeat short sentences on purpose.
MIN_SHINGLES = 20

WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    """Lower-cased word 5-grams: punctuation and spacing do not count."""
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> MinHash | None:
    """The MinHash of a text's shingles; None for a text too short to judge."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(grams))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> MinHash:
    # Lean: no permutations to generate, which would make rebuilding the index 5 times slower.
    values = np.frombuffer(data, dtype="<u4")
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


class Deduplicator:
    """Finds the stored original of a near-copy.

    Use: `original = dedup.find(doc)`; if it is None, code the document, store it, then
    `dedup.add(doc.id)` (or `dedup.forget(doc.id)` when coding failed). Otherwise
    `store.write_duplicate(doc, original, run_id)` and do not code it.
    """

    def __init__(self, store, threshold: float = THRESHOLD):
        self.store = store
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold - INDEX_MARGIN, num_perm=NUM_PERM)
        # Documents `find` saw as new this session: copies later in the same batch must match
        # them before they are stored; `add` stores their signature.
        self.pending: dict[str, MinHash] = {}
        for doc_id, data in store.minhashes():
            self.lsh.insert(doc_id, from_bytes(data), check_duplication=False)
        # Documents coded before this feature, or stored by a run killed before `add`.
        backfill = [(doc_id, signature(content)) for doc_id, content in store.unsigned_documents()]
        if backfill:
            store.write_minhashes((d, None if m is None else to_bytes(m)) for d, m in backfill)
            for doc_id, minhash in backfill:
                if minhash is not None:
                    self._replace(doc_id, minhash)

    def find(self, doc: Document) -> str | None:
        """The id of the stored (or pending) document this one is a near-copy of, or None.

        Cleans the document first when it has no body yet (the pipeline then keeps that
        body). A document found new is remembered until `add`.
        """
        if doc.sentence_mode:
            return None
        if doc.body is None:
            doc.body, doc.boilerplate = strip_boilerplate(doc.text)
        minhash = signature(doc.content)
        if minhash is None:
            return None
        candidates = [c for c in self.lsh.query(minhash) if c != doc.id]
        best, best_score = None, self.threshold
        for doc_id, other in self._signatures(candidates):
            score = float(np.mean(minhash.hashvalues == other.hashvalues))
            if score >= best_score:
                best, best_score = doc_id, score
        if best is None:
            self._replace(doc.id, minhash)
            self.pending[doc.id] = minhash
        return best

    def add(self, doc_id: str, minhash: MinHash | None = None) -> None:
        """Store a coded document's signature: by default the one `find` computed (none for
        a short text, recorded as such so that it is not computed again at start)."""
        pending = self.pending.pop(doc_id, None)
        minhash = pending if minhash is None else minhash
        self.store.write_minhashes([(doc_id, None if minhash is None else to_bytes(minhash))])
        if minhash is not None and minhash is not pending:  # find already indexed that one
            self._replace(doc_id, minhash)

    def forget(self, doc_id: str) -> None:
        """Drop a document `find` saw as new but that was not stored (its coding failed), so
        that later copies of it are coded rather than counted for it."""
        if self.pending.pop(doc_id, None) is not None:
            self.lsh.remove(doc_id)

    def _replace(self, doc_id: str, minhash: MinHash) -> None:
        # A document coded again with new content gets a new signature under the same id.
        if doc_id in self.lsh:
            self.lsh.remove(doc_id)
        self.lsh.insert(doc_id, minhash, check_duplication=False)

    def _signatures(self, doc_ids: list[str]) -> list[tuple[str, MinHash]]:
        pending = [(d, self.pending[d]) for d in doc_ids if d in self.pending]
        stored = [d for d in doc_ids if d not in self.pending]
        return pending + [(d, from_bytes(b)) for d, b in self.store.minhashes(stored)]
