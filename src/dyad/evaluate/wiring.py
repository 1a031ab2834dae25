"""The pipeline as the evaluators call it: plain functions over texts, returning records."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from dyad.model import Document
from dyad.pipeline import Pipeline


@cache
def _pipeline(dictionaries: tuple[Path, ...], verbs: str | None = None) -> Pipeline:
    return Pipeline(dictionaries=dictionaries, verbs=verbs)


def code_sentences(
    texts: list[str], dates: list[dt.date | None], dictionaries=(), verbs: str | None = None
) -> list[list]:
    """`verbs` chooses, when a verb dictionary is among `dictionaries`, between it alone
    ("dictionary"), dyad's lexicon where it codes nothing ("both", the default) and dyad's
    lexicon alone ("own")."""
    pipeline = _pipeline(tuple(Path(p) for p in dictionaries), verbs)
    docs = [
        Document(id=str(i), text=t, date=d, sentence_mode=True)
        for i, (t, d) in enumerate(zip(texts, dates, strict=True))
    ]
    out: dict[str, list] = {d.id: [] for d in docs}
    for doc, _, events in pipeline.code_documents(docs):
        if isinstance(doc, Document):
            out[doc.id] = [e.to_dict() for e in events]
    return [out[d.id] for d in docs]


def code_document(text: str, date: dt.date | None) -> list[dict]:
    return [e.to_dict() for e in _pipeline(()).code_text(text, date)]


def actors_in(text: str, date: dt.date | None) -> list[dict]:
    return [a.to_dict() for a in _pipeline(()).actors_in(text, date)]
