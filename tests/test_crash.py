"""Crash safety while the server reads: `dyad code` killed with SIGKILL at twenty random
points and restarted after each kill ends with exactly the store of an uninterrupted run
(every table compared by content), while `dyad serve` in another process answers every
request all along, from the view the writer publishes, and never shows fewer events than
it showed before.

The corpus: the 50 shortest Wikinews 2019-2020 articles, a near-copy of one (stored as a
duplicate) and a record without text (stored as an error). One worker, so that the
restarts cost a model load each (about 3 s) and little else; about 2-3 minutes in all.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import duckdb
import httpx
import pytest
from conftest import SHARED

from dyad.store import Store

CORPUS = SHARED / "corpus" / "wikinews-2019-2020" / "articles.jsonl"
KILLS = 20
TIMEOUT = 300  # seconds for any one run: a safety limit, not a speed check
# When and by which run, not what: these differ between any two runs of the same input.
VOLATILE = {"run_id", "coded_at", "added", "at", "seq"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    with CORPUS.open(encoding="utf-8") as f:
        records = sorted((json.loads(line) for line in f), key=lambda r: len(r["text"]))[:50]
    copy = records[5] | {"id": "copy-of-" + records[5]["id"], "url": "https://example.org/c"}
    copy["text"] = copy["text"].replace(". ", ".  ", 1)  # a republished wire story
    records.insert(20, copy)
    records.insert(30, {"id": "no-text", "text": "", "date": "2020-01-01"})
    path = tmp_path_factory.mktemp("crash") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def dyad_code(corpus: Path, db: Path, workers: int = 1) -> subprocess.Popen:
    # -u: unbuffered, so each event line reaches us as soon as its document is stored.
    args = [sys.executable, "-u", "-m", "dyad.cli", "code", str(corpus), "--db", str(db)]
    return subprocess.Popen(
        [*args, "--date", "2020-01-01", "--workers", str(workers), "--out", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its workers too can be found and cleaned up afterwards
    )


def run_to_end(corpus: Path, db: Path, workers: int = 1) -> list[dict]:
    proc = dyad_code(corpus, db, workers)
    out, _ = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0
    return [json.loads(line) for line in out.splitlines()]


def run_and_kill(
    corpus: Path, db: Path, documents: int | None = None, seconds: float = 0.0, workers: int = 1
) -> int:
    """Start a run and SIGKILL it: once `documents` documents show in its output (each is
    in the store by then: a document's transaction is written before its events are output),
    `seconds` after that (or after the start, without `documents`)."""
    proc = dyad_code(corpus, db, workers)
    seen: set[str] = set()
    try:
        if documents is not None:
            for line in proc.stdout:
                seen.add(json.loads(line)["doc_id"])
                if len(seen) >= documents:
                    break
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=seconds)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=TIMEOUT)
    finally:
        proc.stdout.close()
        try:  # orphaned workers exit by themselves when they find the pipe closed
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return proc.returncode


def contents(db: Path) -> dict[str, list]:
    """Every table but `runs` (one row per run), as sorted rows without the columns that
    say when or by which run: two stores with the same contents are equal, and a row
    stored twice shows. Errors are a log per run, so each counts once."""
    found = {}
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_type = 'BASE TABLE' AND table_name != 'runs' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            kept = [f'"{c}"' for c, kind in columns if c not in VOLATILE and "TIME" not in kind]
            distinct = "DISTINCT " if table == "errors" else ""
            rows = con.execute(f'SELECT {distinct}{", ".join(kept)} FROM "{table}"').fetchall()
            found[table] = sorted(rows, key=repr)
    return found


def kill_points(rng: random.Random, documents: int) -> list[tuple[int | None, float]]:
    """(documents shown, then seconds) for each kill: a third at a random moment of the
    start (loading the model, replaying the WAL, publishing), the rest spread over the
    coding, each a little after a document, at a random point of the next one's work."""
    at_start = KILLS // 3
    targets = sorted(rng.sample(range(1, documents - 2), KILLS - at_start))
    points = [(n, rng.uniform(0, 0.3)) for n in targets]
    for _ in range(at_start):
        points.insert(rng.randrange(len(points)), (None, rng.uniform(0.1, 3.0)))
    return points


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(db: Path, log: Path):
    """`dyad serve` on a free 127.0.0.1 port, as a client of it; its messages go to `log`."""
    port = free_port()
    with log.open("wb") as messages:
        server = subprocess.Popen(
            [sys.executable, "-m", "dyad.cli", "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=messages,
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, log.read_text()[-2000:]
                try:
                    client.get("/api/events", params={"limit": 1})
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "dyad serve did not start"
                    time.sleep(0.2)
            yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


class Poller(threading.Thread):
    """Reads the API without a pause until stopped: what every response was, and the event
    totals in the order seen."""

    def __init__(self, client: httpx.Client):
        super().__init__(daemon=True)
        self.client, self.stop = client, threading.Event()
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []
        self.totals: list[int] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                page = self._get("/api/events", limit=5, order="desc")
                self.totals.append(page["total"])
                for event in page["events"][:1]:  # an event's document is there too
                    self._get(f"/api/documents/{quote(event['doc_id'], safe='')}")
                self._get("/api/series", period="month")
                self._get("/api/actors", limit=10)
                self._get("/api/network", level="country")
            except httpx.HTTPError as exc:  # refused, reset, timed out: never acceptable
                self.failures.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.02)

    def _get(self, path: str, **params) -> dict:
        response = self.client.get(path, params=params)
        self.statuses[response.status_code] += 1
        if response.status_code != 200:
            self.failures.append(f"{path} {response.status_code} {response.text[:200]}")
            return {"total": self.totals[-1] if self.totals else 0, "events": []}
        return response.json()


def test_twenty_kills_under_a_reading_server_end_with_the_uninterrupted_store(corpus, tmp_path):
    baseline_db = tmp_path / "baseline.duckdb"
    baseline_out = run_to_end(corpus, baseline_db)
    baseline = contents(baseline_db)
    with_events = len({e["doc_id"] for e in baseline_out})
    assert len(baseline["documents"]) == 50 and len(baseline["duplicates"]) == 1
    assert len(baseline["errors"]) == 1 and len(baseline["events"]) > 50

    db = tmp_path / "killed.duckdb"
    Store(db).close()  # the empty store and its view, so that the server can start first
    started = time.monotonic()
    with serving(db, tmp_path / "serve.log") as client:
        poller = Poller(client)
        poller.start()
        codes = [
            run_and_kill(corpus, db, n, seconds)
            for n, seconds in kill_points(random.Random(9), with_events)
        ]
        resumed_out = run_to_end(corpus, db)
        final = client.get("/api/events", params={"limit": 1}).json()["total"]
        poller.stop.set()
        poller.join(timeout=60)
    print(f"{KILLS} kills, {KILLS + 1} runs, {time.monotonic() - started:.0f} s,"
          f" {poller.statuses.total()} requests")  # fmt: skip

    assert codes == [-signal.SIGKILL] * KILLS
    assert contents(db) == baseline
    assert sorted(e["event_id"] for e in resumed_out) == sorted(
        e["event_id"] for e in baseline_out
    )  # stored events are output again, each once
    assert poller.failures == [], (tmp_path / "serve.log").read_text()[-3000:]
    assert set(poller.statuses) == {200}
    assert poller.statuses.total() > 10 * KILLS  # it did read during the kills
    assert poller.totals == sorted(poller.totals)  # never fewer events than before
    assert final == len(baseline["events"])  # the closing writer's view is complete


WRITER = """
import os, signal, sys
from dyad.store import Store
store = Store(sys.argv[1])  # a new store: its empty view is published on opening
store.interval = 3600  # no view after this: the commits below stay in the WAL
for n in range(int(sys.argv[2])):
    store.record_error(None, f"doc{n}", "E107", "record has no text")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_writer_killed_and_not_restarted_leaves_its_commits_to_readers(tmp_path):
    from dyad.store.view import View, view_path

    db = tmp_path / "s.duckdb"
    killed = subprocess.run([sys.executable, "-c", WRITER, str(db), "7"], timeout=TIMEOUT)
    assert killed.returncode == -signal.SIGKILL
    with duckdb.connect(str(view_path(db)), read_only=True) as published:
        assert published.execute("SELECT count(*) FROM errors").fetchone() == (0,)
    # No writer holds the store now: the reader copies it, WAL included, as the view.
    with View(db).cursor() as cur:
        assert cur.execute("SELECT count(*) FROM errors").fetchone() == (7,)
    assert contents(view_path(db))["errors"] == contents(db)["errors"]


HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_writer_waits_for_a_reader_of_the_store_itself(tmp_path):
    """A reader of the store's file (another tool, or a server making a first view) keeps
    a writer out for a while: the writer waits instead of failing."""
    db = tmp_path / "s.duckdb"
    Store(db).close()
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "1.5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline() == "holding\n"
        with Store(db) as store:  # opens once the reader is done
            store.record_error(None, "doc", "E107", "record has no text")
        assert reader.wait(timeout=60) == 0
    finally:
        reader.kill()
        reader.wait()


PUBLISHER = """
import sys
from dyad.store import Store
store = Store(sys.argv[1])
print("open", flush=True)
n = 0
while True:  # commits and views back to back: most of the time is spent publishing
    store.record_error(None, f"doc{n}", "E107", "record has no text")
    store.publish()
    n += 1
"""


def test_writers_killed_while_publishing_leave_a_whole_view(tmp_path):
    from dyad.store.view import View

    db, rng, seen = tmp_path / "s.duckdb", random.Random(3), []
    for _ in range(6):
        writer = subprocess.Popen(
            [sys.executable, "-c", PUBLISHER, str(db)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout.readline() == "open\n"
        time.sleep(rng.uniform(0.05, 0.5))
        writer.kill()
        writer.wait()
        writer.stdout.close()
        view = View(db)  # a new reader each time: no cached view to fall back on
        with view.cursor() as cur:
            seen.append(cur.execute("SELECT count(*) FROM errors").fetchone()[0])
        view.close()
    assert seen == sorted(seen) and seen[-1] > 0
    with Store(db):  # reopened: the WAL replayed, the view published again
        pass
    assert contents(db) == contents(db.parent / "s.duckdb.view")
    assert list(tmp_path.glob("*.tmp")) == []  # the killed copies' leftovers removed
