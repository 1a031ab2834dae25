"""The DuckDB store: documents, their sentences and events, errors and runs.

A document is written with its sentences and events in one transaction, keyed by its id and
a hash of its input: the same input again changes nothing, new input replaces what was
coded before. So a rerun, or a run resumed after a kill, neither loses nor duplicates.
DuckDB allows one writing process per file: engines must write from a single process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from dyad.errors import DyadError
from dyad.export.formats import COLUMN_NAMES, EVENT_COLUMNS, flatten, unflatten
from dyad.model import Document, Sentence

SCHEMA = resources.files("dyad.store").joinpath("schema.sql").read_text(encoding="utf-8")
TABLES = ("documents", "sentences", "events", "errors", "runs")

_EVENTS_ARROW = pa.schema(
    [(name, arrow) for name, _, arrow in EVENT_COLUMNS] + [("run_id", pa.string())]
)
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


class Store:
    def __init__(self, path: str | Path):
        self.path = str(path)
        self.con = duckdb.connect(self.path)
        self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def has_document(self, doc_id: str, content_hash: str) -> bool:
        row = self.con.execute(
            "SELECT 1 FROM documents WHERE id = ? AND content_hash = ?", [doc_id, content_hash]
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
                ):
                    con.execute(f"DELETE FROM {table} WHERE {key} = ?", [doc.id])
            con.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc.id, doc.url, doc.title, doc.source, doc.date, doc.text, doc.body,
                 digest, _now(), run_id],
            )  # fmt: skip
            con.register("new_sentences", new_sentences)
            con.register("new_events", new_events)
            con.execute("INSERT INTO sentences SELECT * FROM new_sentences")
            con.execute("INSERT INTO events SELECT * FROM new_events")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("new_sentences")
            con.unregister("new_events")
        return True

    def record_error(self, run_id: str | None, where: str, code: str, reason: str) -> None:
        self.con.execute(
            "INSERT INTO errors VALUES (?, ?, ?, ?, ?)", [run_id, where, code, reason, _now()]
        )

    def start_run(self, args: dict) -> str:
        run_id = f"{_now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
        self.con.execute(
            "INSERT INTO runs (run_id, started, args) VALUES (?, ?, ?)",
            [run_id, _now(), json.dumps(args, default=str)],
        )
        return run_id

    def finish_run(self, run_id: str, stats: dict) -> None:
        self.con.execute(
            "UPDATE runs SET finished = ?, documents = ?, sentences = ?, events = ?, errors = ?"
            " WHERE run_id = ?",
            [_now(), *(stats.get(k) for k in ("documents", "sentences", "events", "errors")),
             run_id],
        )  # fmt: skip

    def events(
        self,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        doc_id: str | None = None,
    ) -> Iterator[dict]:
        """Records in the `Event.to_dict()` shape, by date (undated last), doc, sentence, id.

        `since` and `until` are inclusive and leave out undated events.
        """
        where, params = [], []
        if doc_id is not None:
            where.append("doc_id = ?")
            params.append(doc_id)
        if since is not None:
            where.append("date >= ?")
            params.append(_day(since))
        if until is not None:
            where.append("date <= ?")
            params.append(_day(until))
        sql = f"SELECT {', '.join(COLUMN_NAMES)} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date, doc_id, sentence_index, event_id"
        # A cursor of its own, so the caller may use the store while iterating.
        cur = self.con.cursor()
        try:
            cur.execute(sql, params)
            while batch := cur.fetchmany(2048):
                for row in batch:
                    yield unflatten(dict(zip(COLUMN_NAMES, row, strict=True)))
        finally:
            cur.close()

    def urls(self) -> dict[str, str]:
        """doc_id -> url, for GDELT's SOURCEURL."""
        rows = self.con.execute("SELECT id, url FROM documents WHERE url IS NOT NULL").fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        return {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
