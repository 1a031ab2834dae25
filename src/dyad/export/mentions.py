"""Mention records (`Store.mentions()`) as rows of GDELT 2.0's Mentions table.

16 tab-separated columns, as in GDELT's `*.mentions.CSV` files; the mapping is in
docs/gdelt-mapping.md. GlobalEventID is the one the event table export writes, so the two
files join on it.
"""

from __future__ import annotations

import datetime as dt

from dyad.export.gdelt import global_event_id

COLUMNS = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
)  # fmt: skip
WEB, CITATION_ONLY = 1, 2  # GDELT's MentionType values for a url and for a citation


def _stamp(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime("%Y%m%d%H%M%S")


def _offset(value: int | None) -> int:
    # The codebook does not say how an absent actor or an unknown place is written: -1 keeps
    # the column an integer.
    return -1 if value is None else value


def row(mention: dict) -> list[str]:
    """The 16 fields of one mention record (keys `store.duck.MENTION_COLUMNS`), as strings."""
    url = mention.get("url") or ""
    index = mention.get("sentence_index")
    values = [
        global_event_id(mention["event_id"]),
        _stamp(mention.get("event_added")),
        _stamp(mention.get("mention_added")),
        WEB if url else CITATION_ONLY,
        mention.get("site") or "",
        url or mention["doc_id"],
        "" if index is None else index + 1,  # GDELT counts sentences from 1
        _offset(mention.get("source_start")),
        _offset(mention.get("target_start")),
        _offset(mention.get("verb_start")),
        1 if mention.get("in_raw_text") else 0,
        round(100 * float(mention.get("confidence") or 0)),
        mention.get("doc_len") or 0,
        "",
        "",
        "",
    ]
    # No quoting in GDELT's files: a tab or newline inside a field would shift the columns.
    return [" ".join(v.split()) if isinstance(v, str) else str(v) for v in values]
