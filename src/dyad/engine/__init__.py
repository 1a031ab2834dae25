"""Engines: where the pipeline runs. Each takes a stream of Documents (and DyadError values)
and yields `(Document | DyadError, sentences, events)` like `Pipeline.code_documents`, in
any order; the caller, in the main process, writes the store (DuckDB has one writer).

    local  worker processes on this machine (`engine.local.code_stream`)
    dask   a Dask cluster, local or remote (`engine.dask.code_stream_dask`)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

from dyad.errors import DyadError
from dyad.model import Document, Event, Sentence

Item = Document | DyadError
Result = tuple[Document | DyadError, list[Sentence], list[Event]]
Stream = Callable[[Iterable[Item]], Iterator[Result]]
ENGINES = ("local", "dask")


def default_workers() -> int:
    """The cores this process may use (a SLURM or container limit, not the machine's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def engine_stream(
    name: str,
    workers: int,
    scheduler: str | None = None,
    dictionaries: Sequence[str | Path] = (),
    model: str | None = None,
) -> Stream:
    """The stream function of engine `name`, whose workers build their own pipelines."""
    dictionaries = tuple(str(p) for p in dictionaries)
    if name == "local":
        from dyad.engine.local import code_stream

        return partial(code_stream, workers=workers, dictionaries=dictionaries, model=model)
    if name == "dask":
        from dyad.engine.dask import code_stream_dask

        return partial(
            code_stream_dask,
            scheduler=scheduler,
            workers=workers,
            dictionaries=dictionaries,
            model=model,
        )
    raise ValueError(f"unknown engine '{name}' (expected {' or '.join(ENGINES)})")


def dictionary_problems(paths: Sequence[str | Path]) -> list[DyadError]:
    """Malformed lines of user dictionaries, found in the main process (a missing or unknown
    file raises), so they are reported once and before any worker starts."""
    if not paths:
        return []
    from dyad.actors.dictionary import UserDictionary

    user = UserDictionary(None, strict=False)  # a blank tokenizer: no spaCy model needed
    for path in paths:
        user.add_file(path)
    return user.problems


def pack(result: Result) -> Result | tuple[tuple, list, list]:
    """A result that pickles: DyadError does not (its args are the formatted message), so
    it travels as (code, where, details)."""
    item, sentences, events = result
    if isinstance(item, DyadError):
        details = {k: str(v) for k, v in item.details.items()}
        return (item.code, item.where, details), [], []
    return result


def unpack(result) -> Result:
    item, sentences, events = result
    if isinstance(item, tuple):
        code, where, details = item
        return DyadError(code, where, **details), [], []
    return result
