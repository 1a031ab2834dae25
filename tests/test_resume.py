"""Crash safety with worker processes: `dyad code --workers 2` killed with SIGKILL at three
points, then restarted, ends with exactly the store of an uninterrupted run: the same
documents and events, none twice. (test_crash.py kills one worker's run twenty times while
a server reads; the helpers are its.)"""

from __future__ import annotations

import itertools
import signal
from pathlib import Path

import pytest
from conftest import SHARED
from test_crash import contents, run_and_kill, run_to_end

CORPUS = SHARED / "corpus" / "wikinews-2019-2020" / "articles.jsonl"
# Kill once the output shows events of this many documents.
KILL_POINTS = (2, 14, 27)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "forty.jsonl"
    with CORPUS.open(encoding="utf-8") as f:
        path.write_text("".join(itertools.islice(f, 40)), encoding="utf-8")
    return path


def test_killed_runs_resume_to_the_uninterrupted_result(corpus, tmp_path):
    baseline_out = run_to_end(corpus, tmp_path / "baseline.duckdb", workers=2)
    baseline = contents(tmp_path / "baseline.duckdb")
    assert len(baseline["documents"]) == 40 and len(baseline["events"]) > 50

    db = tmp_path / "killed.duckdb"
    for documents in KILL_POINTS:
        assert run_and_kill(corpus, db, documents, workers=2) == -signal.SIGKILL
    resumed_out = run_to_end(corpus, db, workers=2)

    assert contents(db) == baseline
    assert len({e["event_id"] for e in baseline_out}) == len(baseline_out)
    # Stored events are output again, each once: nothing lost.
    assert sorted(e["event_id"] for e in resumed_out) == sorted(e["event_id"] for e in baseline_out)
