"""Crash safety: `dyad code` killed with SIGKILL at several points, then restarted, ends with
exactly the store of an uninterrupted run: the same documents and events, none twice."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import SHARED

CORPUS = SHARED / "corpus" / "wikinews-2019-2020" / "articles.jsonl"
# Kill once the output shows events of this many documents (each is in the store by then:
# the CLI writes a document's transaction before it outputs the document's events).
KILL_POINTS = (2, 14, 27)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "forty.jsonl"
    with CORPUS.open(encoding="utf-8") as f:
        path.write_text("".join(itertools.islice(f, 40)), encoding="utf-8")
    return path


def dyad_code(corpus: Path, db: Path) -> subprocess.Popen:
    # -u: unbuffered, so each event line reaches us as soon as its document is stored.
    args = [sys.executable, "-u", "-m", "dyad.cli", "code", str(corpus), "--db", str(db)]
    return subprocess.Popen(
        [*args, "--date", "2020-01-01", "--workers", "2", "--out", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its workers too can be found and cleaned up afterwards
    )


def run_to_end(corpus: Path, db: Path) -> set[str]:
    proc = dyad_code(corpus, db)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0
    return {json.loads(line)["event_id"] for line in out.splitlines()}


def run_and_kill(corpus: Path, db: Path, documents: int) -> int:
    """Start a run and SIGKILL it once `documents` documents show in its output."""
    proc = dyad_code(corpus, db)
    seen: set[str] = set()
    try:
        for line in proc.stdout:
            seen.add(json.loads(line)["doc_id"])
            if len(seen) >= documents:
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=300)
    finally:
        proc.stdout.close()
        try:  # orphaned workers exit by themselves when they find the pipe closed
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return proc.returncode


def stored(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:

        def one(sql: str):
            return con.execute(sql).fetchone()[0]

        return {
            "documents": one("SELECT count(*) FROM documents"),
            "sentences": one("SELECT count(*) FROM sentences"),
            "events": one("SELECT count(*) FROM events"),
            "distinct events": one("SELECT count(DISTINCT event_id) FROM events"),
            "event rows": set(
                con.execute(
                    "SELECT event_id, doc_id, sentence_index, source_code, target_code, cameo,"
                    " date, location_name, rule FROM events"
                ).fetchall()
            ),
        }


def test_killed_runs_resume_to_the_uninterrupted_result(corpus, tmp_path):
    baseline_out = run_to_end(corpus, tmp_path / "baseline.duckdb")
    baseline = stored(tmp_path / "baseline.duckdb")
    assert baseline["documents"] == 40 and baseline["events"] > 50

    db = tmp_path / "killed.duckdb"
    for documents in KILL_POINTS:
        assert run_and_kill(corpus, db, documents) == -signal.SIGKILL
    resumed_out = run_to_end(corpus, db)

    assert stored(db) == baseline
    assert baseline["events"] == baseline["distinct events"]
    assert resumed_out == baseline_out  # stored events are output again, nothing lost
