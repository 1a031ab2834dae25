"""Web archives: the HTML pages captured in a WARC (or WARC.gz) file, as Documents.

Only `response` records of HTML pages served with HTTP 200 are articles; every other record
(requests, metadata, revisits, images, redirects, 404s) is skipped and counted, not reported,
since a crawl is mostly such records. A file that breaks off or holds garbage gives one
error naming the record offset; the documents read before it stay.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from urllib.parse import urldefrag, urlparse

from trafilatura.utils import decode_file
from warcio.archiveiterator import ArchiveIterator

from dyad.clean.html import extract_html
from dyad.errors import DyadError
from dyad.ingest.limits import bounded, checked_text
from dyad.model import Document, stable_id

HTML_TYPES = ("text/html", "application/xhtml+xml")

Item = Document | DyadError


def url_id(url: str) -> str:
    """The document id of a web page: the same page in two crawls or feeds is one document."""
    return stable_id(urldefrag(url).url)


def page_text(body: bytes, content_type: str | None) -> str:
    """An HTML body as text: the charset the server declared, else a guess from the bytes."""
    header = Message()
    header["content-type"] = content_type or ""
    charset = header.get_content_charset()
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:  # a charset name Python does not know
            pass
    return decode_file(body)


def is_html(content_type: str | None) -> bool:
    header = Message()
    header["content-type"] = content_type or ""
    return header.get_content_type() in HTML_TYPES


def _capture_date(value: str | None, default: dt.date | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else default
    except ValueError:
        return default


def _document(
    record, body: bytes | DyadError, where: str, default_date: dt.date | None
) -> Item | None:
    """The article of one HTML page record, None when the page holds no article."""
    if isinstance(body, DyadError):  # a page over the size limit
        return body
    url = record.rec_headers.get_header("WARC-Target-URI")
    html = page_text(body, record.http_headers.get_header("Content-Type"))
    text, meta = extract_html(html, url)
    if not text:
        return None
    try:
        checked_text(text, where)
    except DyadError as e:
        return e
    # The page's own publication date wins over the capture date: a crawler may fetch an
    # article months after it appeared, and event dates are resolved against publication.
    captured = _capture_date(record.rec_headers.get_header("WARC-Date"), default_date)
    return Document(
        id=url_id(url),
        text=text,
        date=meta["date"] or captured,
        url=url,
        title=meta["title"],
        source=urlparse(url).hostname or where,
    )


def _body(record, where: str) -> bytes | DyadError:
    """A page's bytes, or E114 when it is over the limit (`read_to_end` reads past the rest)."""
    try:
        return bounded(record.content_stream(), where)
    except DyadError as e:
        return e


def _kind(record) -> str:
    """What a record is, for the counts: page, or the reason it is skipped."""
    if record.rec_type != "response" or record.http_headers is None:
        return record.rec_type
    if not record.rec_headers.get_header("WARC-Target-URI"):
        return "no-url"
    if record.http_headers.get_statuscode() != "200":
        return "not-200"
    if not is_html(record.http_headers.get_header("Content-Type")):
        return "not-html"
    return "page"


def _cut_short(record) -> bool:
    """The file ended inside the record's header block or before its Content-Length bytes."""
    length = record.rec_headers.get_header("Content-Length") or ""
    return not length.strip().isdigit() or getattr(record.raw_stream, "limit", 0) > 0


def read_warc(
    path: Path, default_date: dt.date | None = None, counts: Counter | None = None
) -> Iterator[Item]:
    """Documents of the HTML pages in a .warc or .warc.gz file.

    A document's id is a hash of its URL, its url the record's target URL, its date the
    page's publication date, else the capture date (WARC-Date), else `default_date`.
    `counts`, when given, is filled with records by kind: `page` (then `document`,
    `no-text` or `error`), `not-html`, `not-200`, `no-url`, and the WARC types skipped (`request`,
    `warcinfo`, `revisit` ...).
    """
    counts = Counter() if counts is None else counts
    where = str(path)
    try:
        f = open(path, "rb")
    except OSError as e:
        yield DyadError("E113", where, detail=e)
        return
    with f:
        if not f.peek(1):
            yield DyadError("E102", where)
            return
        records = ArchiveIterator(f)
        while True:
            offset = records.offset  # where the next record starts: the last one is read out
            try:
                record = next(records, None)
                if record is None:
                    break
                kind = _kind(record)
                body = _body(record, f"{where}@{offset}") if kind == "page" else b""
                # Read what is left of the record to know whether the file ended inside it.
                records.read_to_end()
            except Exception as e:  # warcio reports broken input with many exception types
                yield DyadError("E130", where, offset=offset, detail=f"{type(e).__name__}: {e}")
                return
            if _cut_short(record):
                yield DyadError("E130", where, offset=offset, detail="record cut short")
                return
            counts[kind] += 1
            if kind == "page":
                item = _document(record, body, f"{where}@{offset}", default_date)
                if item is None:
                    counts["no-text"] += 1
                    continue
                counts["document" if isinstance(item, Document) else "error"] += 1
                yield item
        # A gzip member cut short ends the iteration quietly, before the end of the file.
        if records.offset < path.stat().st_size:
            yield DyadError("E130", where, offset=records.offset, detail="unreadable data")
