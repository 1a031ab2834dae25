"""The person registry: people met in coded articles, kept in the store file across runs.

A titled introduction ("Russian Foreign Minister Sergei Lavrov") teaches the registry that
Sergei Lavrov is RUSGOV, so that a bare "Lavrov" in a later article resolves too. People
change office, so a name has periods: `people` holds one row per run of sightings with the
same code, ordered by date. A row is valid from its first sighting (the earliest row: from
any time before) to its last sighting when a later row follows (the latest row: open).

Sightings are keyed by (name, document): coding an article again adds nothing, and
articles may be coded in any date order, because a name's periods are rebuilt from all
its sightings whenever one is added. Undated sightings and one-word names are not
recorded: an undated sighting cannot be placed in time, and a surname alone does not say
who was meant.

A run codes with the registry as it stood when the run began (`PeopleBook.load`), and its
own sightings count from the next run on (`settle`, when it finishes). So a document's
events never depend on which worker coded which article first, and a run killed and
started again codes exactly as the uninterrupted run would have: a killed run's sightings
stay unsettled until the next run that finishes settles every sighting recorded so far.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

SCHEMA = """
CREATE TABLE IF NOT EXISTS people_sightings (
    key      VARCHAR NOT NULL,  -- the name case-folded, spaces collapsed
    doc_id   VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,  -- as written
    code     VARCHAR NOT NULL,
    date     DATE NOT NULL,
    sentence VARCHAR,
    seq      BIGINT NOT NULL,   -- recording order: the tie-break among same-day sightings
    settled  BOOLEAN NOT NULL DEFAULT false,  -- its run finished: later runs may use it
    PRIMARY KEY (key, doc_id)
);
CREATE SEQUENCE IF NOT EXISTS people_seq;
CREATE TABLE IF NOT EXISTS people (
    key             VARCHAR NOT NULL,
    surname         VARCHAR NOT NULL,  -- the last word of key
    name            VARCHAR NOT NULL,
    code            VARCHAR NOT NULL,
    valid_from      DATE,              -- NULL: since before the first sighting
    valid_to        DATE,              -- NULL: still
    first_seen      DATE NOT NULL,
    last_seen       DATE NOT NULL,
    sightings       INTEGER NOT NULL,  -- distinct documents
    sample_sentence VARCHAR,
    doc_id          VARCHAR NOT NULL   -- the first sighting's document
);
"""


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _day(day: dt.date | None) -> dt.date | None:
    return day.date() if isinstance(day, dt.datetime) else day


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)


def record(
    con: duckdb.DuckDBPyConnection,
    name: str,
    code: str,
    date: dt.date | None,
    sentence: str | None,
    doc_id: str,
) -> bool:
    """Note that `name` was seen as `code` in document `doc_id` dated `date`.

    False when nothing was added: the name was already seen in that document, the name is
    one word, or the document is undated.
    """
    key, date = _key(name), _day(date)
    if date is None or " " not in key:
        return False
    # A cursor is a connection of its own: its transaction does not meet the caller's.
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        added = cur.execute(
            "INSERT INTO people_sightings"
            " VALUES (?, ?, ?, ?, ?, ?, nextval('people_seq'), false) ON CONFLICT DO NOTHING"
            " RETURNING 1",
            [key, doc_id, " ".join(name.split()), code, date, sentence],
        ).fetchone()
        if added:
            _rebuild(cur, key)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    finally:
        cur.close()
    return added is not None


def settle(con: duckdb.DuckDBPyConnection) -> int:
    """Let later runs use every sighting recorded so far; the number newly settled."""
    (n,) = con.execute("UPDATE people_sightings SET settled = true WHERE NOT settled").fetchone()
    return n


def periods(rows: list[tuple]) -> list[tuple[list[tuple], str, dt.date | None, dt.date | None]]:
    """One name's sightings (name, code, date, ...), in date and recording order, cut into
    runs of the same code, each with its code and validity: from its first sighting (the
    earliest run: from any time before) to its last when a later run follows (the latest:
    open).

    Two kinds of sighting do not cut a run. A bare state code within a run of that state's
    ('US Condoleezza Rice' among 'U.S. Secretary of State Condoleezza Rice') says less, not
    something else. And one sighting whose code neither run around it shares (Rice coded
    Iraqi once, in a story on her visit to Baghdad) is more likely a misreading than two
    changes of job; it stays among the sightings."""
    runs = _joined([([row], row[1]) for row in rows])
    runs = [
        run
        for i, run in enumerate(runs)
        if not (0 < i < len(runs) - 1 and len(run[0]) == 1 and runs[i - 1][1] == runs[i + 1][1])
    ]
    runs = _joined(runs)
    last = len(runs) - 1
    return [
        (run, code, run[0][2] if i > 0 else None, run[-1][2] if i < last else None)
        for i, (run, code) in enumerate(runs)
    ]


def _joined(runs: list[tuple[list[tuple], str]]) -> list[tuple[list[tuple], str]]:
    """Adjacent runs of one role as one, with the more specific code ('USAGOV' over 'USA')."""
    out: list[tuple[list[tuple], str]] = []
    for rows, code in runs:
        if out and _same_role(out[-1][1], code):
            out[-1][0].extend(rows)
            out[-1] = (out[-1][0], max(out[-1][1], code, key=len))
        else:
            out.append((list(rows), code))
    return out


def _same_role(a: str, b: str) -> bool:
    return a == b or (a[:3] == b[:3] and min(len(a), len(b)) == 3)


def _rebuild(cur: duckdb.DuckDBPyConnection, key: str) -> None:
    """Rewrite the periods of one name from its sightings."""
    rows = cur.execute(
        "SELECT name, code, date, sentence, doc_id FROM people_sightings"
        " WHERE key = ? ORDER BY date, seq",
        [key],
    ).fetchall()
    cur.execute("DELETE FROM people WHERE key = ?", [key])
    for run, code, valid_from, valid_to in periods(rows):
        name, _, first, sentence, doc_id = run[0]
        last = run[-1][2]
        cur.execute(
            "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [key, key.split()[-1], name, code, valid_from, valid_to, first, last,
             len({r[4] for r in run}), sentence, doc_id],
        )  # fmt: skip


@dataclass(frozen=True)
class Period:
    code: str
    name: str
    valid_from: dt.date | None  # None: since before the first sighting
    valid_to: dt.date | None  # None: still


class PeopleBook:
    """The registry in memory, as a run sees it: plain data, so it travels to workers."""

    def __init__(self, rows: list[tuple] = ()):
        """`rows` are sightings (key, name, code, date) in date and recording order."""
        by_key: dict[str, list[tuple]] = {}
        for key, name, code, date in rows:
            by_key.setdefault(key, []).append((name, code, date))
        self.periods: dict[str, list[Period]] = {}
        self.surnames: dict[str, list[str]] = {}
        for key, sightings in by_key.items():
            self.periods[key] = [
                Period(code, run[0][0], valid_from, valid_to)
                for run, code, valid_from, valid_to in periods(sightings)
            ]
            self.surnames.setdefault(key.split()[-1], []).append(key)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> PeopleBook:
        """The settled sightings of the store: what every earlier finished run learned."""
        ensure_schema(con)
        rows = con.execute(
            "SELECT key, name, code, date FROM people_sightings WHERE settled"
            " ORDER BY key, date, seq"
        ).fetchall()
        return cls(rows)

    def lookup(self, name_or_surname: str, date: dt.date | None) -> tuple[str, str] | None:
        """(code, name) of the person called `name_or_surname` as of `date` (latest if
        undated). A one-word query is a surname: it answers only when exactly one known
        person with that surname has a period valid at the date."""
        key, date = _key(name_or_surname), _day(date)
        if not key:
            return None
        keys = self.surnames.get(key, []) if " " not in key else [key]
        found = [(k, p) for k in keys for p in self.periods.get(k, ()) if _valid(p, date)]
        if len({k for k, _ in found}) != 1:
            return None
        # Two periods of one name hold on the day one closes and the next opens: the later
        # one wins.
        period = found[-1][1]
        return period.code, period.name


def _valid(period: Period, date: dt.date | None) -> bool:
    if date is None:
        return period.valid_to is None
    return (period.valid_from or date) <= date <= (period.valid_to or date)


def snapshot(con: duckdb.DuckDBPyConnection) -> dict:
    """name -> its periods in date order, each a dict of the row's columns (for tests)."""
    cur = con.execute(
        "SELECT name, code, valid_from, valid_to, first_seen, last_seen, sightings,"
        " sample_sentence, doc_id FROM people ORDER BY key, first_seen"
    )
    columns = [d[0] for d in cur.description]
    out: dict[str, list[dict]] = {}
    for row in cur.fetchall():
        period = dict(zip(columns, row, strict=True))
        out.setdefault(period.pop("name"), []).append(period)
    return out
