"""Run a coder over every gold set and return one row of scores per set.

The coder comes in as two callables (the integrator passes dyad.pipeline's):

    code_sentences(texts, dates, dictionaries, verbs=None) -> one list of Event.to_dict() per text
    code_document(text, date) -> a list of Event.to_dict()

and, optionally, `actors_in(text, date)` -> every actor mention as Actor.to_dict(), for the
seed's list of actors.

A set whose gold data is missing or whose run fails gives a row with `error` set; the
other sets still run.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from dyad.errors import DyadError
from dyad.evaluate import conflibert, petrarch, plover, seed

SETS = (
    "seed",
    "petrarch-unit",
    "plover-gsr",
    "conflibert-cameo",
    "conflibert-ner",
    "article-extraction",
)

CodeSentences = Callable[[list[str], list[dt.date | None], list[Path]], list[list[dict]]]
CodeDocument = Callable[[str, dt.date | None], list[dict]]


def _row(name: str, result: dict, seconds: float, error: str | None = None) -> dict:
    keys = ("records", "precision", "recall", "f1", "accuracy")
    row = {"set": name, **{k: result.get(k) for k in keys}}
    row["records"] = row["records"] or 0
    details = {k: v for k, v in result.items() if k not in keys}
    return {**row, "seconds": round(seconds, 3), "details": details, "error": error}


def _seed(code_sentences, code_document, shared, limit, actors_in=None):
    expected, raw = seed.read(shared)
    day = seed.publication_date(expected)
    result = seed.score(code_document(raw, day), expected, raw)
    if actors_in is not None:
        result["actors"] = seed.score_actors(expected, actors_in(raw, day))
    return result


def _petrarch(code_sentences, code_document, shared, limit):
    """With the suite's verb file (the default --verbs both), and, for comparison, with
    dyad's own lexicon for the verbs (the actor files alone)."""
    records = petrarch.read(shared)[:limit]
    texts = [petrarch.text_for(r) for r in records]
    dates = [r["date"] for r in records]

    def scored(dictionaries, **verbs):
        predictions = code_sentences(texts, dates, dictionaries, **verbs)
        honoured = [petrarch.honour(r, p) for r, p in zip(records, predictions, strict=True)]
        return petrarch.score(records, honoured)

    result = scored(petrarch.dictionaries(shared))
    alone = scored(petrarch.dictionaries(shared), verbs="dictionary")
    own = scored(petrarch.dictionaries(shared, petrarch.ACTOR_DICTIONARIES))
    result["verb_dictionary_only"] = alone
    result["own_lexicon"] = own
    return result


def _plover(code_sentences, code_document, shared, limit):
    records = plover.read(shared)[:limit]
    # Every record is dated 2000-01-01, a placeholder: the sentences run from the 1980s to
    # the 2010s ("President Obama", "President Reagan"). Coding them as of that day would
    # make date-aware actor resolution wrong on purpose, so they are coded undated.
    dates = [None] * len(records)
    predictions = code_sentences([r["text"] for r in records], dates, [])
    return plover.score(records, predictions)


def _conflibert_class(code_sentences, code_document, shared, limit):
    rows = conflibert.read_class(shared)[:limit]
    predictions = code_sentences([t for t, _ in rows], [None] * len(rows), [])
    return conflibert.score_class([label for _, label in rows], predictions)


def _conflibert_ner(code_sentences, code_document, shared, limit):
    sentences = conflibert.read_ner(shared)[:limit]
    predictions = code_sentences([s.text for s in sentences], [None] * len(sentences), [])
    return conflibert.score_ner(sentences, predictions)


def _article_extraction(code_sentences, code_document, shared, limit):
    try:
        from dyad.evaluate import article_extraction
    except ImportError as error:
        raise DyadError("E230", "article-extraction", detail=str(error)) from None
    return article_extraction.score(shared, limit)


RUNNERS = {
    "seed": _seed,
    "petrarch-unit": _petrarch,
    "plover-gsr": _plover,
    "conflibert-cameo": _conflibert_class,
    "conflibert-ner": _conflibert_ner,
    "article-extraction": _article_extraction,
}


def run_all(
    code_sentences: CodeSentences,
    code_document: CodeDocument,
    shared: Path,
    sets: list[str] | None = None,
    limit: int | None = None,
    actors_in=None,
) -> list[dict]:
    """One row per set: set, records, precision, recall, f1, accuracy, seconds, details,
    error. `limit` keeps the first records of each set for a quick run."""
    rows = []
    for name in sets or SETS:
        started = time.perf_counter()
        if name not in RUNNERS:
            error = DyadError("E231", "evaluate", name=name, known=", ".join(SETS))
            rows.append(_row(name, {}, 0.0, str(error)))
            continue
        try:
            args = (code_sentences, code_document, Path(shared), limit)
            extra = {"actors_in": actors_in} if name == "seed" and actors_in else {}
            result = RUNNERS[name](*args, **extra)
        except Exception as error:  # one failing set must not stop the others
            rows.append(_row(name, {}, time.perf_counter() - started, str(error)))
            continue
        rows.append(_row(name, result, time.perf_counter() - started))
    return rows
