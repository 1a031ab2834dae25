"""The views behind `dyad serve` and `dyad plot`: parameterised SQL over a read-only store.

Plain functions of a DuckDB connection (or cursor) and a `Filters`, returning plain data;
no web code, so the API, the plots and a notebook read the same numbers. User input only
ever reaches SQL as a bound parameter: the few names put into SQL text (sort direction,
period, network level) come from the fixed tables below, chosen by key.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb

from dyad.errors import DyadError
from dyad.export.formats import COLUMN_NAMES, unflatten
from dyad.model import MODALITIES
from dyad.store.view import View

MAX_PAGE = 500
ORDERS = {"asc": "ASC", "desc": "DESC"}
PERIODS = {"day": "day", "week": "week", "month": "month"}
LEVELS = {
    "actor": ("source_code", "target_code"),
    "country": ("source_code[:3]", "target_code[:3]"),
}
QUAD_CLASSES = (1, 2, 3, 4)  # verbal and material cooperation, verbal and material conflict

# What each text filter accepts: the codes dyad and PETRARCH dictionaries write.
PATTERNS = {
    "actor": (r"[A-Z0-9_~-]{1,40}", "an actor code or its prefix, e.g. RUS or VENGOV"),
    "source": (r"[A-Z0-9_~-]{1,40}", "an actor code or its prefix"),
    "target": (r"[A-Z0-9_~-]{1,40}", "an actor code or its prefix"),
    "country": (r"[A-Z]{3}", "an ISO 3166 alpha-3 code, e.g. VEN"),
    "cameo": (r"\d{2,4}", "a CAMEO code or root, e.g. 04 or 042"),
    "plover": (r"[A-Z_-]{1,40}", "a PLOVER event type, e.g. CONSULT"),
}
MAX_Q = 200


def _columns(con: duckdb.DuckDBPyConnection) -> str:
    """The record's columns; NULL for those a store made by an older dyad lacks until a
    writer opens it and adds them (`issues`, `source_how`, `target_how`)."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns()"
            " WHERE table_name = 'events' AND database_name = current_database()"
        ).fetchall()
    }
    return ", ".join(f'"{c}"' if c in have else f'NULL AS "{c}"' for c in COLUMN_NAMES)


def connect(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only cursor on the store's latest view: nothing plotted can change the store,
    and a `dyad code` writing it meanwhile is no obstacle (store/view.py)."""
    return View(path).cursor()


@dataclasses.dataclass(frozen=True)
class Filters:
    """Which events a view covers. Codes are prefixes (RUS matches RUS and RUSGOV); actor
    and country match either side of the dyad; q is a case-insensitive substring of the
    sentence; since and until are inclusive and leave out undated events."""

    since: dt.date | None = None
    until: dt.date | None = None
    actor: str | None = None
    source: str | None = None
    target: str | None = None
    country: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    plover: str | None = None
    modality: str | None = None
    q: str | None = None

    def __post_init__(self):
        for name in (*PATTERNS, "modality", "q"):  # an empty form field filters nothing
            if getattr(self, name) == "":
                object.__setattr__(self, name, None)
        for name, (pattern, expected) in PATTERNS.items():
            value = getattr(self, name)
            if value is None:
                continue
            value = value.strip().upper()
            if not re.fullmatch(pattern, value):
                raise DyadError("E602", name=name, value=value[:50], expected=expected)
            object.__setattr__(self, name, value)
        if self.quad_class is not None and self.quad_class not in QUAD_CLASSES:
            raise DyadError("E602", name="quad_class", value=self.quad_class, expected="1 to 4")
        if self.modality is not None and self.modality not in MODALITIES:
            expected = ", ".join(MODALITIES)
            raise DyadError("E602", name="modality", value=self.modality[:50], expected=expected)
        if self.q is not None and len(self.q) > MAX_Q:
            raise DyadError("E602", name="q", value=self.q[:50], expected=f"1 to {MAX_Q} chars")

    def where(self, *extra: str) -> tuple[str, list]:
        """A WHERE clause over the events table and its parameters."""
        clauses, params = list(extra), []

        def add(sql: str, *values) -> None:
            clauses.append(sql)
            params.extend(values)

        if self.since is not None:
            add("date >= ?", self.since)
        if self.until is not None:
            add("date <= ?", self.until)
        if self.actor is not None:
            add("(starts_with(source_code, ?) OR starts_with(target_code, ?))", *[self.actor] * 2)
        if self.source is not None:
            add("starts_with(source_code, ?)", self.source)
        if self.target is not None:
            add("starts_with(target_code, ?)", self.target)
        if self.country is not None:
            add("(source_code[:3] = ? OR target_code[:3] = ?)", *[self.country] * 2)
        if self.cameo is not None:
            add("starts_with(cameo, ?)", self.cameo)
        if self.quad_class is not None:
            add("quad_class = ?", self.quad_class)
        if self.plover is not None:
            add("plover = ?", self.plover)
        if self.modality is not None:
            add("modality = ?", self.modality)
        if self.q is not None:
            add("contains(lower(sentence), ?)", self.q.lower())
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _pick(table: dict, key: str, name: str):
    if key not in table:
        raise DyadError("E602", name=name, value=str(key)[:50], expected=" or ".join(table))
    return table[key]


def _dicts(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def events(con, filters: Filters, limit: int = 50, offset: int = 0, order: str = "asc") -> dict:
    """One page of event records (the `Event.to_dict()` shape) and how many match in all."""
    if not 1 <= limit <= MAX_PAGE:
        raise DyadError("E602", name="limit", value=limit, expected=f"1 to {MAX_PAGE}")
    if offset < 0:
        raise DyadError("E602", name="offset", value=offset, expected="0 or more")
    where, params = filters.where()
    direction = _pick(ORDERS, order, "order")
    total = con.execute(f"SELECT count(*) FROM events{where}", params).fetchone()[0]
    order_by = f"ORDER BY date {direction} NULLS LAST, doc_id, sentence_index, event_id"
    # Sort the keys alone, then read the page's rows: a deep offset costs a sort of four
    # columns, not of every column of every row before it (4x faster at 100,000 events).
    cur = con.execute(
        f"SELECT {_columns(con)} FROM events WHERE rowid IN"
        f" (SELECT rowid FROM events{where} {order_by} LIMIT ? OFFSET ?) {order_by}",
        [*params, limit, offset],
    )
    return {"total": total, "limit": limit, "offset": offset, "events": _records(cur.fetchall())}


def _records(rows) -> list[dict]:
    return [unflatten(dict(zip(COLUMN_NAMES, row, strict=True))) for row in rows]


def event_rows(con, filters: Filters) -> Iterator[tuple]:
    """Every matching event as a flat row (columns `COLUMN_NAMES`), fetched in batches so a
    download of the whole store streams in flat memory."""
    where, params = filters.where()
    cur = con.cursor()  # its own cursor: the caller's may be closed before the stream ends
    try:
        cur.execute(
            f"SELECT {_columns(cur)} FROM events{where}"
            " ORDER BY date, doc_id, sentence_index, event_id",
            params,
        )
        while batch := cur.fetchmany(2048):
            yield from batch
    finally:
        cur.close()


def actors(
    con, filters: Filters, prefix: str | None = None, limit: int = 100, offset: int = 0
) -> dict:
    """Actor codes in the matching events, with how often each is source and target, most
    frequent first; `prefix` keeps the codes that start with it (the events filters pick
    events, so `actor=RUS` also lists Russia's counterparts)."""
    if prefix is not None:
        prefix = Filters(actor=prefix).actor
    where, params = filters.where()
    code_filter = "" if prefix is None else " WHERE starts_with(code, ?)"
    cur = con.execute(
        f"WITH f AS (SELECT source_code, target_code FROM events{where})"
        " SELECT code, sum(s)::BIGINT AS as_source, sum(t)::BIGINT AS as_target,"
        " count(*) OVER () AS total FROM ("
        "  SELECT source_code AS code, 1 AS s, 0 AS t FROM f"
        "  UNION ALL SELECT target_code, 0, 1 FROM f WHERE target_code IS NOT NULL"
        f"){code_filter} GROUP BY code"
        " ORDER BY as_source + as_target DESC, code LIMIT ? OFFSET ?",
        [*params, *([] if prefix is None else [prefix]), limit, offset],
    )
    rows = _dicts(cur)
    total = rows[0].pop("total") if rows else 0
    for row in rows[1:]:
        del row["total"]
    return {"total": total, "actors": rows}


def series(con, filters: Filters, period: str = "month") -> list[dict]:
    """Events and summed Goldstein per period and QuadClass, dated events only: a dyad's
    series with source and target, a country's with country."""
    unit = _pick(PERIODS, period, "period")
    where, params = filters.where("date IS NOT NULL")
    cur = con.execute(
        f"SELECT date_trunc('{unit}', date)::DATE AS period, quad_class,"
        " count(*) AS events, round(sum(goldstein), 2) AS goldstein"
        f" FROM events{where} GROUP BY ALL ORDER BY period, quad_class",
        params,
    )
    return _dicts(cur)


def network(
    con, filters: Filters, level: str = "actor", min_count: int = 1, limit: int = 200
) -> list[dict]:
    """Directed edges source -> target with their event count and mean Goldstein, heaviest
    first; at the country level actor codes are cut to their first three letters."""
    source, target = _pick(LEVELS, level, "level")
    where, params = filters.where("target_code IS NOT NULL")
    cur = con.execute(
        f"SELECT {source} AS source, {target} AS target, count(*) AS events,"
        f" round(avg(goldstein), 2) AS goldstein FROM events{where} GROUP BY ALL"
        " HAVING count(*) >= ? ORDER BY events DESC, source, target LIMIT ?",
        [*params, min_count, limit],
    )
    return _dicts(cur)


def locations(con, filters: Filters, limit: int = 500) -> list[dict]:
    """Places events happened at, with their event count and mean Goldstein."""
    where, params = filters.where("location_lat IS NOT NULL")
    cur = con.execute(
        "SELECT location_name AS name, location_country AS country, location_lat AS lat,"
        " location_lon AS lon, count(*) AS events, round(avg(goldstein), 2) AS goldstein"
        f" FROM events{where} GROUP BY ALL ORDER BY events DESC, name LIMIT ?",
        [*params, limit],
    )
    return _dicts(cur)


def document(con, doc_id: str) -> dict | None:
    """A coded document: its text (the body every offset points into), its sentences in
    order, and each sentence's events with the offsets of their actors and verb."""
    cur = con.execute(
        "SELECT id, url, title, source, date, coalesce(body, text) AS text"
        " FROM documents WHERE id = ?",
        [doc_id],
    )
    found = _dicts(cur)
    if not found:
        return None
    doc = found[0]
    sentences = _dicts(
        con.execute(
            'SELECT idx AS "index", text, start, "end" FROM sentences WHERE doc_id = ?'
            " ORDER BY idx",
            [doc_id],
        )
    )
    rows = con.execute(
        f"SELECT {_columns(con)} FROM events WHERE doc_id = ?"
        " ORDER BY sentence_index, source_start, event_id",
        [doc_id],
    ).fetchall()
    by_sentence: dict[int, list[dict]] = {}
    for record in _records(rows):
        by_sentence.setdefault(record["sentence_index"], []).append(record)
    for sentence in sentences:
        sentence["events"] = by_sentence.get(sentence["index"], [])
    return doc | {"sentences": sentences}
