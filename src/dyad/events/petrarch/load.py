"""Verb and issue files read once per process: a Pipeline per worker, the CLI's problem
report and the evaluators all ask for the same files."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from dyad.errors import DyadError
from dyad.events.petrarch.issues import IssueDictionary, read_issues
from dyad.events.petrarch.reader import VerbDictionary, read_verbs


def verbs(path: Path, problems: list[DyadError] | None = None) -> VerbDictionary:
    return _cached(read_verbs, path, problems)


def issues(path: Path, problems: list[DyadError] | None = None) -> IssueDictionary:
    return _cached(read_issues, path, problems)


def _cached(read, path: Path, problems: list[DyadError] | None):
    stat = path.stat()
    if problems is None:  # strict: the first malformed line raises
        return _read(read, path.resolve(), stat.st_mtime_ns, stat.st_size, True)[0]
    result, found = _read(read, path.resolve(), stat.st_mtime_ns, stat.st_size, False)
    problems += found
    return result


@cache
def _read(read, path: Path, mtime: int, size: int, strict: bool):
    found: list[DyadError] = []
    return read(path, None if strict else found), found
