"""A coverage-guided fuzz session over the readers and the coder, with atheris (libFuzzer).

A manual tool, not a test dependency:

    pip install atheris
    python benchmarks/fuzz_atheris.py -max_total_time=300 -timeout=60 [corpus folder]

The first byte of each input picks a target: a reader (text, HTML, JSONL, WARC, feed, each
plain or gzipped), the PETRARCH dictionary loader, or the coder; the rest is the input.
Every input must give Documents or DyadError values (the coder: events, or a DyadError of a
limit); anything else is a crash, which libFuzzer reports with the input that caused it.
Every 10,000 executions the count per target is printed.
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from collections import Counter
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["dyad"]):
    from dyad.actors.dictionary import load_dictionaries
    from dyad.errors import DyadError
    from dyad.ingest import read_inputs
    from dyad.model import Document
    from dyad.pipeline import Pipeline

READERS = ["a.txt", "a.html", "a.jsonl", "a.warc", "a.rss", "a.atom"]
TARGETS = READERS + [f"{name}.gz" for name in READERS] + ["dictionary", "coder"]
LIMITS = {"E111", "E115", "E307", "E308"}  # what the coder may refuse a text with
FOLDER = Path(tempfile.mkdtemp(prefix="dyad-atheris-"))
TRIED: Counter[str] = Counter()


def read(name: str, data: bytes) -> None:
    path = FOLDER / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    for item in read_inputs([str(path)]):
        if not isinstance(item, Document | DyadError):
            raise TypeError(f"a reader gave {item!r}")
        if isinstance(item, Document):
            item.text.encode("utf-8")  # a lone surrogate would fail the parse and the store


def dictionary(data: bytes, nlp) -> None:
    path = FOLDER / "user.txt"
    path.write_bytes(data)
    try:
        load_dictionaries([path], nlp=nlp, strict=False)
    except DyadError:
        pass


def code(text: str, pipeline: Pipeline) -> None:
    try:
        pipeline.code_document(Document(id="fuzz", text=text))
    except DyadError as error:
        if error.code not in LIMITS:
            raise


def main() -> None:
    pipeline = Pipeline()

    def one_input(data: bytes) -> None:
        if not data:
            return
        fdp = atheris.FuzzedDataProvider(data)
        target = TARGETS[fdp.ConsumeIntInRange(0, len(TARGETS) - 1)]
        TRIED[target] += 1
        if TRIED.total() % 10_000 == 0:  # libFuzzer ends the process with no exit hooks
            print(f"executions per target: {dict(TRIED)}", file=sys.stderr, flush=True)
        if target == "coder":
            code(fdp.ConsumeUnicode(len(data)), pipeline)
        elif target == "dictionary":
            dictionary(fdp.ConsumeBytes(len(data)), pipeline.nlp)
        else:
            read(target, fdp.ConsumeBytes(len(data)))

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
