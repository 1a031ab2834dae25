"""Writing event records (the `Event.to_dict()` shape) as JSONL, GDELT, PLOVER, PETRARCH or
Parquet, and mention records (`Store.mentions()`) as GDELT's Mentions table.

The flat form of a record (`flatten`/`unflatten`, `EVENT_COLUMNS`) is shared with the store,
whose events table has exactly these columns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import pyarrow as pa

from dyad.errors import DyadError
from dyad.export import gdelt, petrarch
from dyad.export import mentions as gdelt_mentions

FORMATS = ("jsonl", "gdelt", "plover", "parquet", "mentions", "petrarch")

# (column, DuckDB type, Arrow type); schema.sql's events table has the same columns.
EVENT_COLUMNS = [
    ("event_id", "VARCHAR", pa.string()),
    ("doc_id", "VARCHAR", pa.string()),
    ("sentence_index", "INTEGER", pa.int32()),
    ("sentence", "VARCHAR", pa.string()),
    ("sentence_start", "INTEGER", pa.int32()),
    ("sentence_end", "INTEGER", pa.int32()),
    *(
        (f"{role}_{field}", sql, arrow)
        for role in ("source", "target")
        for field, sql, arrow in (
            ("code", "VARCHAR", pa.string()),
            ("name", "VARCHAR", pa.string()),
            ("text", "VARCHAR", pa.string()),
            ("start", "INTEGER", pa.int32()),
            ("end", "INTEGER", pa.int32()),
            ("how", "VARCHAR", pa.string()),
        )
    ),
    ("cameo", "VARCHAR", pa.string()),
    ("root", "VARCHAR", pa.string()),
    ("quad_class", "INTEGER", pa.int32()),
    ("goldstein", "DOUBLE", pa.float64()),
    ("plover", "VARCHAR", pa.string()),
    ("plover_mode", "VARCHAR", pa.string()),
    ("modality", "VARCHAR", pa.string()),
    ("date", "DATE", pa.date32()),
    ("date_precision", "VARCHAR", pa.string()),
    ("location_name", "VARCHAR", pa.string()),
    ("location_country", "VARCHAR", pa.string()),
    ("location_admin1", "VARCHAR", pa.string()),
    ("location_lat", "DOUBLE", pa.float64()),
    ("location_lon", "DOUBLE", pa.float64()),
    ("location_geonames_id", "BIGINT", pa.int64()),
    ("verb_text", "VARCHAR", pa.string()),
    ("verb_start", "INTEGER", pa.int32()),
    ("verb_end", "INTEGER", pa.int32()),
    ("rule", "VARCHAR", pa.string()),
    ("confidence", "DOUBLE", pa.float64()),
    ("issues", "VARCHAR[]", pa.list_(pa.string())),
]
COLUMN_NAMES = [c[0] for c in EVENT_COLUMNS]
NESTED = ("source", "target", "location", "verb")


def flatten(event: dict) -> dict:
    """The record as one flat row: nested objects become prefixed columns, date a date."""
    flat = {k: v for k, v in event.items() if k not in NESTED}
    for prefix in NESTED:
        for key, value in (event.get(prefix) or {}).items():
            flat[f"{prefix}_{key}"] = value
    if flat.get("date"):
        flat["date"] = dt.date.fromisoformat(flat["date"])
    return {name: flat.get(name) for name in COLUMN_NAMES}


def unflatten(row: dict) -> dict:
    """The inverse of `flatten`: exactly the `Event.to_dict()` shape and key order."""

    def actor(role: str) -> dict | None:
        if row[f"{role}_code"] is None:
            return None
        keys = ("code", "name", "text", "start", "end", "how")
        return {k: row[f"{role}_{k}"] for k in keys}

    location = None
    if row["location_name"] is not None:
        keys = ("name", "country", "admin1", "lat", "lon", "geonames_id")
        location = {k: row[f"location_{k}"] for k in keys}
    day = row["date"]
    return {
        "event_id": row["event_id"],
        "doc_id": row["doc_id"],
        "sentence_index": row["sentence_index"],
        "sentence": row["sentence"],
        "sentence_start": row["sentence_start"],
        "sentence_end": row["sentence_end"],
        "source": actor("source"),
        "target": actor("target"),
        "cameo": row["cameo"],
        "root": row["root"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "plover": row["plover"],
        "plover_mode": row["plover_mode"],
        "modality": row["modality"],
        "date": None if day is None else day.isoformat(),
        "date_precision": row["date_precision"],
        "location": location,
        "verb": {"text": row["verb_text"], "start": row["verb_start"], "end": row["verb_end"]},
        "rule": row["rule"],
        "confidence": row["confidence"],
        "issues": list(row["issues"] or []),
    }


def plover_record(event: dict) -> dict:
    """A PLOVER-style record, named as in PLOVER's gold standard records (GSR)."""

    def actor(a: dict | None) -> list[dict]:
        if not a:
            return []
        parts = gdelt.split_actor_code(a["code"])
        return [
            {
                "actorText": a["text"],
                "name": a["name"],
                "code": a["code"],
                "country": parts["country"],
                "sector": "".join(parts["types"]),
            }
        ]

    return {
        "id": event["event_id"],
        "date": event["date"],
        "source": actor(event["source"]),
        "target": actor(event.get("target")),
        "event": event["plover"],
        "mode": event["plover_mode"],
        "eventText": event["verb"]["text"],
        "text": event["sentence"],
        "modality": event["modality"],
        "provenance": {
            "doc_id": event["doc_id"],
            "sentence_index": event["sentence_index"],
            "rule": event["rule"],
            "cameo": event["cameo"],
            "confidence": event["confidence"],
        },
    }


@contextlib.contextmanager
def _text_out(out: str | Path | TextIO) -> Iterator[TextIO]:
    if out == "-":
        yield sys.stdout
    elif isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="\n") as f:
            yield f
    else:
        yield out


def write_events(
    events: Iterable[dict],
    fmt: str,
    out: str | Path | TextIO,
    doc_urls: dict[str, str] | None = None,
    added: dt.datetime | None = None,
    mentions: Iterable[dict] | None = None,
    doc_sources: dict[str, str] | None = None,
) -> int:
    """Write records in `fmt` to a path, a text stream or "-" (stdout); returns the count.

    `doc_urls` maps doc_id to url for GDELT's SOURCEURL and PETRARCH's url column;
    `doc_sources` doc_id to source for PETRARCH's story source; `added` is GDELT's
    DATEADDED (default: now, UTC). Parquet needs a directory path. The `mentions` format
    writes the `mentions` records (`Store.mentions()`), one line each, and does not read
    `events`; `petrarch` writes one line per document and (date, source, target, code).
    """
    if fmt not in FORMATS:
        raise DyadError("E303", "export", value=fmt)
    if fmt == "parquet":
        return _write_parquet(events, out)
    if fmt == "mentions":
        if mentions is None:
            raise DyadError("E142", "export")
        return _write_lines((gdelt_mentions.row(m) for m in mentions), out)
    if fmt == "petrarch":
        return _write_lines(petrarch.rows(events, doc_urls, doc_sources), out)
    added = added or dt.datetime.now(dt.UTC)
    n = 0
    with _text_out(out) as f:
        for event in events:
            if fmt == "jsonl":
                line = json.dumps(event, ensure_ascii=False)
            elif fmt == "plover":
                line = json.dumps(plover_record(event), ensure_ascii=False)
            else:
                url = (doc_urls or {}).get(event["doc_id"], "")
                line = "\t".join(gdelt.row(event, url, added))
            f.write(line + "\n")
            n += 1
    return n


def _write_lines(rows: Iterable[list[str]], out: str | Path | TextIO) -> int:
    n = 0
    with _text_out(out) as f:
        for fields in rows:
            f.write("\t".join(fields) + "\n")
            n += 1
    return n


PARQUET_SCHEMA = pa.schema(
    [(name, arrow) for name, _, arrow in EVENT_COLUMNS]
    + [("year", pa.int32()), ("month", pa.int32())]
)


def _batches(events: Iterable[dict], size: int = 10_000) -> Iterator[pa.RecordBatch]:
    it = iter(events)
    while chunk := list(itertools.islice(it, size)):
        rows = [flatten(e) for e in chunk]
        for r in rows:
            r["year"] = r["date"].year if r["date"] else None
            r["month"] = r["date"].month if r["date"] else None
        yield pa.RecordBatch.from_pylist(rows, schema=PARQUET_SCHEMA)


def _write_parquet(events: Iterable[dict], out: str | Path | TextIO) -> int:
    import pyarrow.dataset as ds

    if not isinstance(out, str | Path) or out == "-":
        raise DyadError("E402", "export", value=out)
    count = 0

    def counted() -> Iterator[pa.RecordBatch]:
        nonlocal count
        for batch in _batches(events):
            count += batch.num_rows
            yield batch

    ds.write_dataset(
        counted(),
        str(out),
        schema=PARQUET_SCHEMA,
        format="parquet",
        partitioning=ds.partitioning(
            pa.schema([("year", pa.int32()), ("month", pa.int32())]), flavor="hive"
        ),
        # Re-exporting into the same directory replaces the partitions it writes.
        existing_data_behavior="delete_matching",
        basename_template="part-{i}.parquet",
    )
    return count
