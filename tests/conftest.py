"""Fixtures shared by the test modules: the shared data folder and one pipeline per session."""

from __future__ import annotations

import contextlib
import faulthandler
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@contextlib.contextmanager
def no_hang(seconds: float):
    """A hang inside ends the test run with every thread's traceback, instead of leaving
    CI waiting: an assertion on elapsed time after the fact never runs when it hangs."""
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="session")
def shared() -> Path:
    assert SHARED.is_dir(), f"the shared data must be beside the repo at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def pipeline():
    from dyad.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp():
    from dyad.nlp import load_nlp

    return load_nlp()
