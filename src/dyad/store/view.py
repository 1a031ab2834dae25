"""The store as other processes read it: a view file the writer publishes beside it.

DuckDB lets one process at a time open a database file to write, and while it has it open
no other process may open it at all, not even read-only; a read-only reader in turn keeps
a writer out (both fail with "Could not set lock on file", DuckDB 2.0). So `dyad serve`
reading the store itself would stop `dyad code` from starting, or fail while it runs.

Instead the writer publishes `<store>.view`: after a CHECKPOINT the database file holds
every commit, and a copy of it renamed over the view replaces the old one at once (a
reader's open file keeps the old one alive). Readers open the view read-only and open it
again when it changes; neither side ever waits for the other. A writer killed with -9
leaves the last view whole (copies go to a temporary name first); its commits since then
are in the store's WAL, replayed by the next writer, which publishes on opening, or by a
reader once no writer holds the store (a read-only open replays a WAL in memory).

Measured on this machine at 100,000 events (a 20 MB store): CHECKPOINT + copy 17-22 ms, so
publishing at most once a second, or less often on bigger stores (PUBLISH_SHARE), costs
the writer about 2%, under 5% at any size. The alternative, a writer closing the store
after each commit so that readers may open it in between, costs 70 ms a commit instead of
4, the reader 15 ms an open plus cold caches, and a busy reader still keeps the writer out.
COPY FROM DATABASE makes a clean copy without a writer's CHECKPOINT but takes 650 ms: only
readers use it, when there is no view or its writer died (see `View`). The price: the
view doubles the disk the store takes, and it lags the store by up to a second.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from pathlib import Path

import duckdb

from dyad.errors import DyadError

MIN_INTERVAL = 1.0  # seconds between two views a writer publishes
PUBLISH_SHARE = 0.05  # of the writer's time, at most, spent publishing on big stores
LOCK_WAIT = 30.0  # seconds to wait for a store another process has open


def view_path(db: str | Path) -> Path:
    return Path(f"{db}.view")


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def is_stale(db: str | Path) -> bool:
    """Has the store changed since its view was published? True without a view, with a
    WAL left by a killed writer (or a running one), or with a newer database file.

    Equal times count as newer for the WAL: file times may be a few ms coarse, and a
    commit just after a copy must not be missed; a database file is only ever written
    by the CHECKPOINT before a copy, so for it equal means published."""
    db = Path(db)
    view = _mtime(view_path(db))
    wal = _mtime(Path(f"{db}.wal"))
    return view == 0 or (wal != 0 and wal >= view) or _mtime(db) > view


def _temporary(db: str | Path) -> Path:
    # Named by process and thread: two readers may make a first view at the same time.
    return Path(f"{db}.view.{os.getpid()}.{threading.get_ident()}.tmp")


def publish(con: duckdb.DuckDBPyConnection, db: str | Path) -> None:
    """By the writer, holding the store: its state now becomes the view."""
    con.execute("CHECKPOINT")  # every commit into the database file, the WAL emptied
    tmp = _temporary(db)
    shutil.copyfile(db, tmp)
    os.replace(tmp, view_path(db))


def remove_leftovers(db: str | Path) -> None:
    """Temporary copies of killed processes. Only the writer calls this, holding the store:
    no reader can be copying then, they copy only while they hold it read-only."""
    db = Path(db)
    for tmp in db.parent.glob(f"{db.name}.view.*.tmp"):
        tmp.unlink(missing_ok=True)


def is_lock_conflict(exc: Exception) -> bool:
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def _reason(exc: Exception) -> str:
    return str(exc).split(". See also")[0]  # without the link to DuckDB's docs


def connect(db: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store, waiting (up to LOCK_WAIT) while another process has it open."""
    delay, deadline = 0.02, time.monotonic() + LOCK_WAIT
    while True:
        try:
            return duckdb.connect(str(db), read_only=read_only)
        except duckdb.IOException as exc:
            if not is_lock_conflict(exc) or time.monotonic() > deadline:
                raise DyadError("E403", path=str(db), detail=_reason(exc)) from None
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class View:
    """Read-only cursors on the latest view of a store, for readers in other processes
    than the writer (`dyad serve`, `dyad plot`).

    Each cursor reads one view from start to end, so a request never mixes two; a view
    changed on disk is opened for the next cursors, and the old one is closed once its
    last cursor is gone. A store without a view (written before views existed) gets one
    from its file; so does a store whose writer was killed and not restarted, from its
    file and WAL, as soon as no writer holds it.
    """

    def __init__(self, db: str | Path):
        self.db = Path(db)
        self.path = view_path(db)
        if not self.db.is_file() and not self.path.is_file():
            raise DyadError("E601", path=str(db))
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._tried = 0.0  # when a view was last made here

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            self._refresh()
            con = self._current()
            cur = con.cursor()
        cur.execute("USE store")  # a cursor starts in the in-memory database
        return cur

    def close(self) -> None:
        with self._lock:
            self._con, self._stamp = None, None

    def _current(self) -> duckdb.DuckDBPyConnection:
        try:
            st = self.path.stat()
            stamp = (st.st_ino, st.st_mtime_ns)
        except FileNotFoundError:
            stamp = None
        if self._con is None or stamp != self._stamp:
            # A database of its own for each view: DuckDB hands out one instance per path
            # per process, so connecting to the view's path again would give the old view.
            con = duckdb.connect(":memory:")
            try:
                con.execute(f"ATTACH {_quote(self.path)} AS store (READ_ONLY)")
            except duckdb.Error:
                if self._con is None:
                    raise
                return self._con  # the view read so far serves on; the next cursor retries
            self._con, self._stamp = con, stamp
        return self._con

    def _refresh(self) -> None:
        """Make the view from the store itself when there is none, or when the store has
        changed since (a writer killed, not restarted): tried at most once a second, and
        it fails at once while a writer holds the store, which then publishes itself."""
        if self.path == self.db:
            return
        if not self.path.is_file():
            self._first_view()
        elif is_stale(self.db) and time.monotonic() - self._tried >= MIN_INTERVAL:
            self._tried = time.monotonic()
            # Mostly a writer holds the store (and publishes itself); whatever else stops
            # the copy, the view there is stays whole and serves on: no request fails here.
            with contextlib.suppress(duckdb.Error):
                self._copy_store()

    def _first_view(self) -> None:
        delay, deadline = 0.02, time.monotonic() + LOCK_WAIT
        while not self.path.is_file():  # a writer holding the store publishes on opening
            try:
                return self._copy_store()
            except (duckdb.IOException, OSError) as exc:
                if not is_lock_conflict(exc):
                    # No file can be written beside the store (a read-only folder): read
                    # the store itself, as before views; a writer then waits for readers.
                    self.path = self.db
                    return
                if time.monotonic() > deadline:
                    raise DyadError("E403", path=str(self.db), detail=_reason(exc)) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)

    def _copy_store(self) -> None:
        tmp = _temporary(self.db)
        tmp.unlink(missing_ok=True)
        with contextlib.closing(duckdb.connect(":memory:")) as con:
            # Read-only: the store's own file is never changed here (a leftover WAL is
            # replayed in memory), and holding it keeps a writer out until the view is in
            # place, so an older copy can never replace a newer writer's view.
            con.execute(f"ATTACH {_quote(self.db)} AS src (READ_ONLY)")
            con.execute(f"ATTACH {_quote(tmp)} AS dst")
            con.execute("COPY FROM DATABASE src TO dst")
            con.execute("DETACH dst")
            os.replace(tmp, self.path)
