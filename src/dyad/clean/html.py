"""Article text and metadata out of an HTML page, with trafilatura.

Options were chosen on the whole Zyte article-extraction benchmark (see
`dyad.evaluate.article_extraction`): comments off, and precision favoured, since text that
is not the article is worse for event coding than a sentence missed.
"""

from __future__ import annotations

import datetime as dt

import trafilatura

from dyad.clean.boilerplate import strip_boilerplate

OPTIONS = {"include_comments": False, "favor_precision": True}


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def drop_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` without the spans; a span that is a whole line takes its newline with it."""
    kept, start = [], 0
    for s, e in spans:
        if (s == 0 or text[s - 1] == "\n") and text[e : e + 1] == "\n":
            e += 1
        kept.append(text[start:s])
        start = e
    kept.append(text[start:])
    return "".join(kept).strip()


def extract_html(html: str, url: str | None = None) -> tuple[str, dict]:
    """The article text of a page (after the plain-text boilerplate rules) and its metadata.

    Metadata: `title`, `date` (a `datetime.date` or None) and `url` (the canonical link when
    the page has one, else the url given). The text is "" when no article was found.
    """
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, **OPTIONS)
    if doc is None:
        return "", {"title": None, "date": None, "url": url}
    text = doc.text or ""
    _, spans = strip_boilerplate(text)
    meta = {"title": doc.title or None, "date": _date(doc.date), "url": doc.url or url}
    return drop_spans(text, spans), meta
