"""The DuckDB store of documents, sentences, events, errors and runs."""

from dyad.store.duck import Store, content_hash

__all__ = ["Store", "content_hash"]
