"""Exports of event records: JSONL, GDELT 2.0 event table, PLOVER JSONL, Parquet."""

from dyad.export.formats import FORMATS, write_events

__all__ = ["FORMATS", "write_events"]
