"""RSS and Atom feeds (feedparser): each entry becomes a Document.

An entry that carries its article (`content:encoded`, a full Atom `content`, a long summary)
is read from the feed; one that carries only a teaser is fetched from its link and the page
goes through `extract_html`. A Document's id is the hash of its link, the same as a WARC
capture of that page (`url_id`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import re
import time
import urllib.request
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import feedparser

from dyad import __version__
from dyad.clean.html import extract_html
from dyad.errors import DyadError
from dyad.ingest.limits import bounded, checked_text
from dyad.ingest.warc import is_html, page_text, url_id
from dyad.model import Document, stable_id

USER_AGENT = f"dyad/{__version__} (+https://example.org/dyad)"
TIMEOUT = 20.0  # seconds for one HTTP request
# Teasers are one to three sentences; below this many words the feed text is not the article.
MIN_WORDS = 100
# The root element of RSS 2.0, Atom and RSS 1.0 (RDF), near the start of the file.
FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
SNIFF = 4096

Item = Document | DyadError


@dataclass
class Entry:
    key: str  # what a poller remembers as seen: the guid, else the link, else the title
    link: str | None
    title: str | None
    date: dt.date | None
    text: str  # the article as the feed carries it, "" when it has only a teaser
    summary: str
    source: str  # the feed's URL or path


def http_get(url: str, headers: dict | None = None, timeout: float = TIMEOUT):
    """The body and headers of a GET; HTTP errors (a 304 too) raise urllib's HTTPError, a
    body over `max_input_bytes` ValueError."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        try:
            return bounded(response, url), response.headers
        except DyadError as e:
            raise ValueError(e.reason) from None


def looks_like_feed(data: bytes) -> bool:
    return FEED_ROOT.search(data[:SNIFF]) is not None


def is_feed_file(path: Path) -> bool:
    """Whether a file (.xml, say) is an RSS or Atom feed, from its first bytes."""
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as f:
            return looks_like_feed(f.read(SNIFF))
    except (OSError, EOFError):
        return False


def _html_to_text(value: str) -> str:
    text, _ = extract_html(f"<html><body><article>{value}</article></body></html>")
    return text


def _entry_date(entry) -> dt.date | None:
    """The publisher's own calendar date: the raw string keeps its time zone, which
    feedparser's parsed value has already turned into UTC."""
    for raw, parsed in (("published", "published_parsed"), ("updated", "updated_parsed")):
        value = entry.get(raw)
        if not value:
            continue
        try:
            return email.utils.parsedate_to_datetime(value).date()  # RSS: RFC 822
        except (TypeError, ValueError):
            pass
        try:
            return dt.datetime.fromisoformat(value).date()  # Atom: RFC 3339
        except ValueError:
            pass
        if entry.get(parsed):
            return dt.date(*entry[parsed][:3])
    return None


def _entry_text(entry) -> tuple[str, str]:
    """(the article text when the entry carries it, else "", and the summary as text)."""
    texts = []
    for part in [*entry.get("content", []), entry.get("summary_detail") or {}]:
        value = part.get("value") or ""
        texts.append(_html_to_text(value) if value and "html" in part["type"] else value.strip())
    article = max(texts, key=len)
    return (article if len(article.split()) >= MIN_WORDS else ""), texts[-1]


def parse_feed(data: bytes, where: str) -> list[Entry]:
    """The entries of a feed, or DyadError E131 when the data is not one."""
    parsed = feedparser.parse(data)
    # .get: on some input (no bytes at all) feedparser leaves `version` out
    if not parsed.get("version") and not parsed.get("entries"):
        detail = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise DyadError("E131", where, detail=detail)
    entries = []
    for entry in parsed.entries:
        text, summary = _entry_text(entry)
        link, title = entry.get("link") or None, entry.get("title") or None
        # feedparser takes a bare RSS guid ("2") for a link; only a web address is one.
        if link and urlparse(link).scheme not in ("http", "https"):
            link = None
        key = entry.get("id") or link or title or stable_id(summary)
        entries.append(Entry(key, link, title, _entry_date(entry), text, summary, where))
    return entries


def _fetch(entry: Entry, default_date: dt.date | None, timeout: float) -> Item:
    try:
        body, headers = http_get(entry.link, timeout=timeout)
    except (OSError, ValueError) as e:  # URLError, HTTPError and timeouts are OSErrors
        return DyadError("E132", entry.link, detail=e)
    content_type = headers.get("Content-Type")
    if not is_html(content_type):
        return DyadError("E132", entry.link, detail=f"not an HTML page ({content_type})")
    text, meta = extract_html(page_text(body, content_type), entry.link)
    if not text:
        return DyadError("E110", entry.link)
    # The feed's date wins: the publisher states it in a field, the page's is a guess.
    return _document(entry, text, entry.date or meta["date"] or default_date, meta["title"])


def _document(entry: Entry, text: str, date: dt.date | None, title: str | None = None) -> Item:
    where = entry.link or entry.source
    try:
        checked_text(text, where)
    except DyadError as e:
        return e
    return Document(
        id=url_id(entry.link) if entry.link else stable_id(entry.source, entry.key),
        text=text,
        date=date,
        url=entry.link,
        title=entry.title or title,
        source=(urlparse(entry.link).hostname if entry.link else None) or entry.source,
    )


def fetch_articles(
    entries: Iterable[Entry],
    default_date: dt.date | None = None,
    timeout: float = TIMEOUT,
    delay: float = 0.0,
) -> Iterator[Item]:
    """One Document or DyadError per entry, in order: the feed's text when it carries the
    article, else the page at the entry's link (waiting `delay` seconds before each fetch,
    to be gentle with the site), else the summary when there is no link."""
    for entry in entries:
        date = entry.date or default_date
        if entry.text:
            yield _document(entry, entry.text, date)
        elif entry.link:
            time.sleep(delay)
            yield _fetch(entry, default_date, timeout)
        elif entry.summary:
            yield _document(entry, entry.summary, date)
        else:
            yield DyadError("E107", entry.source)


def _load(source: str, timeout: float) -> bytes:
    """The bytes of a feed file (gzipped or not) or URL, or the DyadError saying why not."""
    if urlparse(source).scheme in ("http", "https"):
        accept = {"Accept": "application/rss+xml, application/atom+xml, */*"}
        try:
            return http_get(source, accept, timeout)[0]
        except (OSError, ValueError) as e:
            raise DyadError("E132", source, detail=e) from e
    path = Path(source)
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    try:
        with opener(path, "rb") as f:
            return bounded(f, source)
    except (OSError, EOFError, zlib.error) as e:
        raise DyadError("E113", source, detail=e) from e


def read_feed(
    source: str, default_date: dt.date | None = None, timeout: float = TIMEOUT
) -> Iterator[Item]:
    """Documents of the entries of an RSS or Atom feed, from a file or an http(s) URL.

    Dates are the entry's published (else updated) date, else the page's, else
    `default_date`. Entries with only a teaser are fetched from their links.
    """
    try:
        entries = parse_feed(_load(source, timeout), source)
    except DyadError as e:
        yield e
        return
    if not entries:
        yield DyadError("E102", source)
    yield from fetch_articles(entries, default_date, timeout)
