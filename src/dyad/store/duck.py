"""The DuckDB store: documents, their sentences and events, errors and runs.

A document is written with its sentences and events in one transaction, keyed by its id and
a hash of its input: the same input again changes nothing, new input replaces what was
coded before. So a rerun, or a run resumed after a kill, neither loses nor duplicates.
A near-copy of a coded document is written as a duplicate instead: not coded, it counts as
one more article mentioning the original's events (the `mentions`, `event_counts` and
`daily_events` views in schema.sql).
DuckDB allows one writing process per file: engines must write from a single process, and
readers in other processes read the view the store publishes (view.py), at most a second
behind: after a commit once that second is over, and on closing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import pyarrow as pa

from dyad.errors import DyadError
from dyad.export.formats import COLUMN_NAMES, EVENT_COLUMNS, flatten, unflatten
from dyad.model import Document, Sentence
from dyad.store import view

SCHEMA = resources.files("dyad.store").joinpath("schema.sql").read_text(encoding="utf-8")
TABLES = ("documents", "sentences", "events", "errors", "runs")

_EVENTS_ARROW = pa.schema(
    [(name, arrow) for name, _, arrow in EVENT_COLUMNS] + [("run_id", pa.string())]
)
_MINHASHES_ARROW = pa.schema([("doc_id", pa.string()), ("hashvalues", pa.binary())])
COUNT_KEYS = ("num_mentions", "num_sources", "num_articles")
MENTION_COLUMNS = (
    "event_id", "event_date", "original_id", "doc_id", "url", "title", "site", "event_added",
    "mention_added", "in_raw_text", "sentence_index", "sentence_start", "source_start",
    "target_start", "verb_start", "confidence", "doc_len",
)  # fmt: skip
_SENTENCES_ARROW = pa.schema(
    [
        ("doc_id", pa.string()),
        ("idx", pa.int32()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)


def content_hash(doc: Document) -> str:
    """A hash of what a document's coding depends on, before cleaning.

    The body is left out on purpose: it is derived from the text, and callers ask
    `has_document` before cleaning, when there is no body yet.
    """
    parts = (
        doc.text,
        "" if doc.date is None else doc.date.isoformat(),
        doc.url or "",
        doc.title or "",
        doc.source or "",
        str(doc.sentence_mode),
    )
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _day(value: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _date_filter(since, until, column: str) -> tuple[list[str], list]:
    """Inclusive bounds on a date column (which leave out undated rows)."""
    where, params = [], []
    if since is not None:
        where.append(f"{column} >= ?")
        params.append(_day(since))
    if until is not None:
        where.append(f"{column} <= ?")
        params.append(_day(until))
    return where, params


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self.shared = self.path != ":memory:"  # a file: other processes read its view
        stale = self.shared and view.is_stale(self.path)  # before opening makes a WAL
        self.con = view.connect(self.path)
        self.con.execute(SCHEMA)
        self.changed, self.published, self.interval = False, 0.0, view.MIN_INTERVAL
        if self.shared:  # a copy a killed writer left, even if a reader has since
            view.remove_leftovers(self.path)  # published a fresh view in its place
        if stale:  # a first view, or a killed writer's last commits, recovered from the WAL
            self.publish()

    def close(self) -> None:
        if self.changed:
            self.publish()
        self.con.close()

    def publish(self) -> None:
        """Make what is committed the view readers see (view.py)."""
        if not self.shared:
            return
        started = time.monotonic()
        view.publish(self.con, self.path)
        self.published = time.monotonic()
        self.changed = False
        # Bigger stores take longer to copy: publish less often, so that copying stays a
        # small share of the writer's time.
        self.interval = max(view.MIN_INTERVAL, (self.published - started) / view.PUBLISH_SHARE)

    def _committed(self) -> None:
        self.changed = True
        if time.monotonic() - self.published >= self.interval:
            self.publish()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has_document(self, doc_id: str, content_hash: str) -> bool:
        """Is this input stored unchanged, coded or as a duplicate?"""
        row = self.con.execute(
            "SELECT 1 FROM documents WHERE id = ? AND content_hash = ?"
            " UNION ALL SELECT 1 FROM duplicates WHERE doc_id = ? AND content_hash = ?",
            [doc_id, content_hash, doc_id, content_hash],
        ).fetchone()
        return row is not None

    def write_document(
        self,
        doc: Document,
        sentences: list[Sentence],
        events: list[dict],
        run_id: str | None = None,
    ) -> bool:
        """Write a document with its sentences and events; False when it was already stored."""
        digest = content_hash(doc)
        rows = {}
        for event in events:
            if event["doc_id"] != doc.id:
                raise DyadError(
                    "E401", doc.id, event_id=event["event_id"], other=event["doc_id"], doc_id=doc.id
                )
            # A coder may emit the same record twice for one sentence; keep the first.
            rows.setdefault(event["event_id"], flatten(event) | {"run_id": run_id})
        new_events = pa.Table.from_pylist(list(rows.values()), schema=_EVENTS_ARROW)
        new_sentences = pa.Table.from_pylist(
            [
                {"doc_id": doc.id, "idx": s.index, "text": s.text, "start": s.start, "end": s.end}
                for s in sentences
            ],
            schema=_SENTENCES_ARROW,
        )
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            old = con.execute(
                "SELECT content_hash FROM documents WHERE id = ?", [doc.id]
            ).fetchone()
            if old == (digest,):
                con.execute("ROLLBACK")
                return False
            if old:  # deleting is a scan: skip it for documents seen the first time
                for table, key in (
                    ("events", "doc_id"),
                    ("sentences", "doc_id"),
                    ("documents", "id"),
                    ("minhashes", "doc_id"),  # the old text's signature
                ):
                    con.execute(f"DELETE FROM {table} WHERE {key} = ?", [doc.id])
            elif self._is_duplicate(doc.id):  # was a copy, now different enough to code
                con.execute("DELETE FROM duplicates WHERE doc_id = ?", [doc.id])
            con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc.id, doc.url, doc.title, doc.source, doc.date, doc.text, doc.body,
                 digest, _now(), run_id],
            )  # fmt: skip
            con.register("new_sentences", new_sentences)
            con.register("new_events", new_events)
            con.execute("INSERT INTO sentences SELECT * FROM new_sentences")
            con.execute("INSERT INTO events BY NAME SELECT * FROM new_events")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("new_sentences")
            con.unregister("new_events")
        self._committed()
        return True

    def write_duplicate(self, doc: Document, original_id: str, run_id: str | None = None) -> bool:
        """Store a near-copy of `original_id` as a mention of its events, not coded.

        False when this input was already stored. The original may still be on its way to
        the store (same batch): the counts and mentions follow once its events are written.
        A coding stored before under the same id is replaced, as `write_document` does.
        """
        if original_id == doc.id:
            raise DyadError("E141", doc.id)
        digest = content_hash(doc)
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            old = con.execute(
                "SELECT content_hash FROM duplicates WHERE doc_id = ?", [doc.id]
            ).fetchone()
            if old == (digest,):
                con.execute("ROLLBACK")
                return False
            if old:
                con.execute("DELETE FROM duplicates WHERE doc_id = ?", [doc.id])
            elif con.execute("SELECT 1 FROM documents WHERE id = ?", [doc.id]).fetchone():
                for table, key in (
                    ("events", "doc_id"),
                    ("sentences", "doc_id"),
                    ("documents", "id"),
                    ("minhashes", "doc_id"),
                ):
                    con.execute(f"DELETE FROM {table} WHERE {key} = ?", [doc.id])
            con.execute(
                "INSERT INTO duplicates VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc.id, original_id, doc.url, doc.title, doc.source, doc.date, doc.content,
                 digest, _now(), run_id],
            )  # fmt: skip
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        self._committed()
        return True

    def _is_duplicate(self, doc_id: str) -> bool:
        row = self.con.execute("SELECT 1 FROM duplicates WHERE doc_id = ?", [doc_id]).fetchone()
        return row is not None

    def write_minhashes(self, rows: Iterable[tuple[str, bytes | None]]) -> None:
        """Store (doc_id, signature bytes) pairs, replacing a document's earlier signature."""
        table = pa.Table.from_pylist(
            [{"doc_id": d, "hashvalues": h} for d, h in rows], schema=_MINHASHES_ARROW
        )
        self.con.register("new_minhashes", table)
        try:
            self.con.execute("INSERT OR REPLACE INTO minhashes SELECT * FROM new_minhashes")
        finally:
            self.con.unregister("new_minhashes")
        self._committed()

    def minhashes(self, doc_ids: list[str] | None = None) -> Iterator[tuple[str, bytes]]:
        """(doc_id, signature bytes) of all signed documents, or of these ids."""
        sql = "SELECT doc_id, hashvalues FROM minhashes WHERE hashvalues IS NOT NULL"
        params: list = []
        if doc_ids is not None:
            if not doc_ids:
                return
            sql += " AND doc_id IN (SELECT unnest(?))"
            params.append(doc_ids)
        yield from self._rows(sql, params)

    def unsigned_documents(self) -> list[tuple[str, str]]:
        """(id, body or text) of coded documents that have no signature row yet."""
        return self.con.execute(
            "SELECT id, coalesce(body, text) FROM documents"
            " WHERE id NOT IN (SELECT doc_id FROM minhashes) ORDER BY id"
        ).fetchall()

    def record_error(self, run_id: str | None, where: str, code: str, reason: str) -> None:
        self.con.execute(
            "INSERT INTO errors VALUES (?, ?, ?, ?, ?)", [run_id, where, code, reason, _now()]
        )
        self._committed()

    def start_run(self, args: dict) -> str:
        run_id = f"{_now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.con.execute(
            "INSERT INTO runs (run_id, started, args) VALUES (?, ?, ?)",
            [run_id, _now(), json.dumps(args, default=str)],
        )
        self._committed()
        return run_id

    def finish_run(self, run_id: str, stats: dict) -> None:
        self.con.execute(
            "UPDATE runs SET finished = ?, documents = ?, sentences = ?, events = ?, errors = ?"
            " WHERE run_id = ?",
            [_now(), *(stats.get(k) for k in ("documents", "sentences", "events", "errors")),
             run_id],
        )  # fmt: skip
        self._committed()

    def events(
        self,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        doc_id: str | None = None,
        counts: bool = False,
    ) -> Iterator[dict]:
        """Records in the `Event.to_dict()` shape, by date (undated last), doc, sentence, id.

        `since` and `until` are inclusive and leave out undated events. With `counts`, each
        record also has GDELT's counts over the articles that report it (duplicates
        included): `num_mentions`, `num_sources` (distinct sites), `num_articles`.
        """
        where, params = _date_filter(since, until, "e.date")
        if doc_id is not None:
            where.append("e.doc_id = ?")
            params.append(doc_id)
        columns = [f"e.{c}" for c in COLUMN_NAMES]
        sql = f"SELECT {', '.join(columns)} FROM events e"
        if counts:
            sql = (
                f"SELECT {', '.join(columns)}, {', '.join(f'c.{k}' for k in COUNT_KEYS)}"
                " FROM events e JOIN event_counts c ON c.event_id = e.event_id"
            )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.date, e.doc_id, e.sentence_index, e.event_id"
        n = len(COLUMN_NAMES)
        for row in self._rows(sql, params):
            record = unflatten(dict(zip(COLUMN_NAMES, row[:n], strict=True)))
            if counts:
                record.update(zip(COUNT_KEYS, row[n:], strict=True))
            yield record

    def mentions(
        self, since: dt.date | str | None = None, until: dt.date | str | None = None
    ) -> Iterator[dict]:
        """GDELT-style mentions: one dict (keys `MENTION_COLUMNS`) per event and article
        reporting it, the coding article first; `since`/`until` select by event date."""
        where, params = _date_filter(since, until, "event_date")
        sql = f"SELECT {', '.join(MENTION_COLUMNS)} FROM mentions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY event_date, original_id, event_id, mention_added, doc_id"
        for row in self._rows(sql, params):
            yield dict(zip(MENTION_COLUMNS, row, strict=True))

    def daily_events(
        self, since: dt.date | str | None = None, until: dt.date | str | None = None
    ) -> list[dict]:
        """One row per (date, source_code, target_code, cameo), as the Phoenix pipeline keeps
        one event per dyad, code and day, with how many events, mentions, sources and
        articles it stands for."""
        where, params = _date_filter(since, until, "date")
        sql = "SELECT * FROM daily_events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date, source_code, target_code NULLS FIRST, cameo"
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _rows(self, sql: str, params: list) -> Iterator[tuple]:
        # A cursor of its own, so the caller may use the store while iterating.
        cur = self.con.cursor()
        try:
            cur.execute(sql, params)
            while batch := cur.fetchmany(2048):
                yield from batch
        finally:
            cur.close()

    def urls(self) -> dict[str, str]:
        """doc_id -> url, for GDELT's SOURCEURL."""
        rows = self.con.execute("SELECT id, url FROM documents WHERE url IS NOT NULL").fetchall()
        return dict(rows)

    def sources(self) -> dict[str, str]:
        """doc_id -> source, for PETRARCH's story source column."""
        rows = self.con.execute(
            "SELECT id, source FROM documents WHERE source IS NOT NULL"
        ).fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
