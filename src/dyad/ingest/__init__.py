"""Readers: files, directories and standard input to Documents."""

from dyad.ingest.readers import read_inputs

__all__ = ["read_inputs"]
