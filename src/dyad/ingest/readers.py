"""Read files, directories and standard input into Documents.

`read_inputs` yields a `Document` for each article and a `DyadError` value (not raised) for
each bad input, so that the caller reports it and goes on with the rest.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import itertools
import json
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from dyad.clean.html import extract_html
from dyad.config import SETTINGS
from dyad.errors import DyadError
from dyad.ingest.feeds import is_feed_file, read_feed
from dyad.ingest.limits import bounded, checked_text, over
from dyad.ingest.warc import read_warc
from dyad.model import Document, stable_id

KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".warc": "warc"}
KINDS |= {".rss": "feed", ".atom": "feed", ".xml": "feed"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ].*)?")
# Enough of a file to tell text from binary, as git does.
SNIFF = 8192

Item = Document | DyadError


def kind_of(path: Path) -> str | None:
    """text, html, jsonl, warc or feed from the extension (a .gz after it is allowed)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return KINDS.get(suffixes[-1]) if suffixes else None


def _ext(path: Path) -> str:
    return "".join(path.suffixes[-2:]) if path.suffix == ".gz" else path.suffix


def _read_error(e: Exception, where: str) -> DyadError:
    """E112 for a broken gzip stream, E113 for a file the system would not read."""
    if isinstance(e, gzip.BadGzipFile | EOFError | zlib.error):
        return DyadError("E112", where, detail=e)
    return DyadError("E113", where, detail=e)


def _open(path: Path):
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def _raw(path: Path, read) -> bytes:
    """`read(f)` of the (gunzipped) file: never the whole of a file over its limit."""
    try:
        with _open(path) as f:
            return read(f)
    except (OSError, EOFError, zlib.error) as e:
        raise _read_error(e, str(path)) from e


def _text_file(path: Path, where: str) -> str:
    """A text file, refused once it is surely over `max_doc_chars` before the rest is read."""
    data = _raw(path, lambda f: f.read(_text_cap()))
    return _text_of(data, where, over_cap=len(data) >= _text_cap())


def _text_cap() -> int:
    """Bytes a text may take: a UTF-8 character takes at most four."""
    return 4 * (SETTINGS.max_doc_chars + 1)


def _text_of(data: bytes, where: str, over_cap: bool) -> str:
    """Bytes read up to `_text_cap()` as text, or why they are none: binary (which says
    more than the size), or surely over `max_doc_chars` when the input reached the cap."""
    if not over_cap:
        return _decode(data, where)
    if b"\x00" in data[:SNIFF]:
        raise DyadError("E103", where)
    limit = SETTINGS.max_doc_chars
    raise DyadError("E111", where, size=over(limit), limit=limit)


def _decode(data: bytes, where: str, offset: int = 0) -> str:
    """Bytes to text, or the error that says why they are not text."""
    if b"\x00" in data[:SNIFF]:
        raise DyadError("E103", where)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DyadError("E104", where, offset=offset + e.start) from e
    return text.removeprefix("\ufeff")


def _checked(doc: Document, where: str) -> Document:
    checked_text(doc.text, where)
    return doc


def _date(value, default: dt.date | None, where: str) -> dt.date | None:
    """YYYY-MM-DD, optionally followed by a time (which is ignored); missing means default."""
    if value is None or value == "":
        return default
    if not isinstance(value, str) or not DATE.fullmatch(value):
        raise DyadError("E109", where, value=value)
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as e:
        raise DyadError("E109", where, value=value) from e


def _text_doc(text: str, doc_id: str, where: str, default_date, sentence_mode) -> Document:
    if not text.strip():
        raise DyadError("E102", where)
    doc = Document(
        id=doc_id, text=text, date=default_date, source=where, sentence_mode=sentence_mode
    )
    return _checked(doc, where)


def _html_doc(html: str, doc_id: str, where: str, default_date, sentence_mode) -> Document:
    if not html.strip():
        raise DyadError("E102", where)
    text, meta = extract_html(html)
    if not text:
        raise DyadError("E110", where)
    url = meta["url"]
    doc = Document(
        id=doc_id,
        text=text,
        date=meta["date"] or default_date,
        url=url,
        title=meta["title"],
        source=(urlparse(url).hostname if url else None) or where,
        sentence_mode=sentence_mode,
    )
    return _checked(doc, where)


def _record(line: str, number: int, where: str, default_date, sentence_mode) -> Document:
    """One JSONL line to a Document; `where` names the file, errors name file:line."""
    here = f"{where}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise DyadError("E106", here, detail=e.msg) from e
    if not isinstance(record, dict):
        raise DyadError("E108", here)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DyadError("E107", here)
    doc_id = record.get("id")
    doc = Document(
        id=str(doc_id) if doc_id not in (None, "") else stable_id(where, str(number)),
        text=text,
        date=_date(record.get("date"), default_date, here),
        url=record.get("url") or None,
        title=record.get("title") or None,
        source=record.get("source") or where,
        sentence_mode=sentence_mode,
    )
    return _checked(doc, here)


def _bounded_lines(f) -> Iterator[tuple[int, bytes, int]]:
    """(number, bytes, size) lines of a binary stream; a line over `max_input_bytes` comes
    as its first `max_input_bytes + 1` bytes, the rest of it read past, never held."""
    limit = SETTINGS.max_input_bytes
    for number in itertools.count(1):
        line = f.readline(limit + 1)
        if not line:
            return
        size, rest = len(line), line
        while len(line) > limit and rest and not rest.endswith(b"\n"):
            rest = f.readline(SNIFF)  # in small pieces: the line is over the limit
            size += len(rest)
        yield number, line, size


def _jsonl_lines(lines, where: str, default_date, sentence_mode) -> Iterator[Item]:
    """Records of (number, bytes, size) lines; one bad line is one error, the rest go on."""
    offset, seen = 0, False
    limit = SETTINGS.max_input_bytes
    for number, data, size in lines:
        try:
            if size > limit:
                seen = True
                raise DyadError("E114", f"{where}:{number}", size=size, limit=limit)
            line = _decode(data, f"{where}:{number}", offset)
            if line.strip():
                seen = True
                yield _record(line, number, where, default_date, sentence_mode)
        except DyadError as e:
            yield e
        offset += size
    if not seen:
        yield DyadError("E102", where)


def _read_jsonl(path: Path, where: str, default_date, sentence_mode) -> Iterator[Item]:
    # Streamed line by line: a JSONL file may hold far more than memory.
    try:
        with _open(path) as f:
            if b"\x00" in f.peek(SNIFF)[:SNIFF]:
                yield DyadError("E103", where)
                return
            yield from _jsonl_lines(_bounded_lines(f), where, default_date, sentence_mode)
    except (OSError, EOFError, zlib.error) as e:
        yield _read_error(e, where)


def _read_file(path: Path, doc_id: str, default_date, sentence_mode) -> Iterator[Item]:
    where = str(path)
    kind = kind_of(path)
    if kind is None:
        yield DyadError("E105", where, ext=_ext(path) or "(none)")
        return
    if kind == "jsonl":
        yield from _read_jsonl(path, where, default_date, sentence_mode)
        return
    if kind == "warc":
        yield from read_warc(path, default_date)
        return
    if kind == "feed":
        yield from read_feed(where, default_date)
        return
    try:
        if kind == "text":
            yield _text_doc(_text_file(path, where), doc_id, where, default_date, sentence_mode)
        else:
            html = _decode(_raw(path, lambda f: bounded(f, where)), where)
            yield _html_doc(html, doc_id, where, default_date, sentence_mode)
    except DyadError as e:
        yield e


def _read_stdin(default_date, sentence_mode) -> Iterator[Item]:
    """Plain text, or JSONL when every non-empty line is a JSON object. No more is held
    than a text may take (4 bytes a character of `max_doc_chars`): longer input is JSONL
    streamed line by line when all of that much is JSON objects, else a text over the
    limit."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes under it (tests, embedding)
        stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
    where, cap = "<stdin>", _text_cap()
    lines = _bounded_lines(stream)
    head, size = [], 0
    for item in lines:
        head.append(item)
        size += item[2]
        if size >= cap:
            break
    data = b"".join(line for _, line, _ in head)
    objects = [_is_object(line) for _, line, _ in head if line.strip()]
    if objects and all(objects):
        yield from _jsonl_lines(itertools.chain(head, lines), where, default_date, sentence_mode)
        return
    try:
        text = _text_of(data, where, over_cap=size >= cap)
        yield _text_doc(text, "stdin", where, default_date, sentence_mode)
    except DyadError as e:
        yield e


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False


def _walk(root: Path) -> Iterator[Path]:
    """Files under root that a reader knows, in sorted order, hidden ones left out."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if path.is_file() and kind_of(path) and not any(p.startswith(".") for p in relative):
            if not _other_xml(path):
                yield path


def _other_xml(path: Path) -> bool:
    """An .xml file that is not a feed (a sitemap, a setting): a walk leaves it out."""
    return path.name.lower().removesuffix(".gz").endswith(".xml") and not is_feed_file(path)


def read_inputs(
    paths: list[str], default_date: dt.date | None = None, sentence_mode: bool = False
) -> Iterator[Document | DyadError]:
    """Documents from files (.txt, .html, .htm, .jsonl, .warc, .rss, .atom, RSS/Atom .xml and
    their .gz), directories, `-`, and RSS/Atom feed URLs (http or https).

    A single file's document id is its name, a walked file's its path relative to the
    directory; JSONL records carry their own ids (else a hash of file and line); pages from
    a WARC or a feed a hash of their URL. Dates come from the record, the feed entry or the
    page's metadata, else `default_date`.
    """
    for name in paths:
        if name == "-":
            yield from _read_stdin(default_date, sentence_mode)
            continue
        if name.startswith(("http://", "https://")):
            from dyad.ingest.feeds import read_feed

            yield from read_feed(name, default_date)
            continue
        path = Path(name)
        if path.is_dir():
            for file in _walk(path):
                doc_id = file.relative_to(path).as_posix()
                yield from _read_file(file, doc_id, default_date, sentence_mode)
        elif path.is_file():
            yield from _read_file(path, path.name, default_date, sentence_mode)
        else:
            yield DyadError("E101", name)
