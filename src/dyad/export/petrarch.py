"""Event records as PETRARCH2's event file (`PETRwriter.write_events`): tab-separated,
no header.

    date  source  target  code  issues  ids  url  story-source

PETRARCH keeps one event per (date, source, target, code) in a story (`story_filter`) and
joins the sentence ids that coded it with ";". dyad does the same per document, so a
document's records of one date must come together: the coding stream gives a document's
records together, `Store.events()` orders them by date, then document. See
docs/gdelt-mapping.md for the column choices.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

COLUMNS = ("date", "source", "target", "code", "issues", "ids", "url", "story_source")
NO_ACTOR = "---"  # PETRARCH's code for an actor it could not identify


def rows(
    events: Iterable[dict], doc_urls: dict[str, str] | None = None, doc_sources=None
) -> Iterator[list[str]]:
    """One row of 8 fields per document and (date, source, target, code)."""
    doc_urls, doc_sources = doc_urls or {}, doc_sources or {}
    seen: dict[tuple, list[str]] = {}
    current = None
    for event in events:
        if event["doc_id"] != current:
            yield from _story(seen, current, doc_urls, doc_sources)
            seen, current = {}, event["doc_id"]
        day = (event.get("date") or "").replace("-", "")
        key = (day, *actor_codes(event), event["cameo"])
        sentence_id = f"{event['doc_id']}_{event['sentence_index']}"
        ids, issues = seen.setdefault(key, ([], []))
        if sentence_id not in ids:
            ids.append(sentence_id)
        issues += [i for i in event.get("issues") or () if i not in issues]
    yield from _story(seen, current, doc_urls, doc_sources)


def actor_codes(event: dict) -> tuple[str, str]:
    """PETRARCH's source and target codes of a record: '---' for a missing actor, and for
    an implied one, which PETRARCH has no notion of (dyad.events.coder.implied_target)."""

    def code(actor: dict | None) -> str:
        actor = actor or {}
        return NO_ACTOR if actor.get("how") == "implied" else actor.get("code") or NO_ACTOR

    return code(event.get("source")), code(event.get("target"))


def _story(seen: dict, doc_id, doc_urls: dict, doc_sources: dict) -> Iterator[list[str]]:
    for (day, source, target, code), (ids, issues) in seen.items():
        values = [day, source, target, code, ";".join(issues), ";".join(ids),
                  doc_urls.get(doc_id, ""), doc_sources.get(doc_id) or "NULL"]  # fmt: skip
        yield [" ".join(str(v).split()) for v in values]
