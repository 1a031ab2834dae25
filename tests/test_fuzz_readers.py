"""Fuzzing every reader: whatever the bytes, an input gives Documents or DyadError values,
never another exception and never a hang.

The example counts are small so that the suite stays quick; DYAD_FUZZ_EXAMPLES=5000 (or
`--hypothesis-profile fuzz-long`) runs a long session.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tempfile
import tracemalloc
import zlib
from pathlib import Path

import pytest
import spacy
from conftest import no_hang
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyad.actors.dictionary import load_dictionaries
from dyad.config import SETTINGS
from dyad.errors import DyadError
from dyad.ingest import read_inputs
from dyad.model import Document

EXAMPLES = int(os.environ.get("DYAD_FUZZ_EXAMPLES", "40"))
settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES,
    database=None,  # no .hypothesis folder in the tree; a failure prints its input
    deadline=None,  # a hang is caught by no_hang(SAFETY), not by a per-example deadline
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("fuzz-long", settings.get_profile("fuzz"), max_examples=5000)
FUZZ = settings.get_profile(os.environ.get("DYAD_FUZZ_PROFILE", "fuzz"))
SAFETY = 60.0  # seconds: far beyond what any input here takes, so only a hang trips it
FOLDER = tempfile.TemporaryDirectory(prefix="dyad-fuzz-")

# Text that readers meet in hostile input: direction marks, zero-width characters, lone
# surrogates, NUL and other control characters, beside ordinary news words.
HOSTILE = [
    "\u202e", "\u202d", "\u200f", "\u200e", "\u200b", "\u200c", "\u200d", "\ufeff",
    "\ud800", "\udfff", "\x00", "\x1b", "\x7f", "\r", "\u2028", "\ufffd", "\U0001f600",
]  # fmt: skip
WORDS = ["Russia", "condemned", "Ukraine", "police", "met", "the", "in", ".", ",", "\n"]
hostile_text = st.lists(st.sampled_from(HOSTILE + WORDS) | st.text(max_size=8), max_size=40).map(
    " ".join
)


def items_of(path: Path, silent_ok: bool = False) -> list:
    """What a reader makes of a file, checked; `silent_ok`: a WARC whose pages hold no
    article gives nothing, by design (such records are counted, not reported)."""
    with no_hang(SAFETY):  # an input must never hang a reader
        items = list(read_inputs([str(path)]))
    assert items or silent_ok, "every input gives at least a document or an error"
    for item in items:
        assert isinstance(item, Document | DyadError), repr(item)
        if isinstance(item, Document):
            # what the pipeline and the store will need of any document
            assert item.text.strip()
            assert len(item.text) <= SETTINGS.max_doc_chars
            item.text.encode("utf-8")  # no lone surrogate
        else:
            assert item.code in str(item) and item.reason
    return items


def written(name: str, data: bytes) -> Path:
    path = Path(FOLDER.name) / name
    path.write_bytes(data)
    return path


def cut(data: bytes, where: float) -> bytes:
    return data[: int(len(data) * where)]


# -- plain text, HTML and their gzip forms ------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.txt", "a.html", "a.htm"]))
def test_random_bytes_as_text_or_html(data, name):
    items_of(written(name, data))


@FUZZ
@given(text=hostile_text, name=st.sampled_from(["a.txt", "a.html"]))
def test_hostile_characters_as_text_or_html(text, name):
    items_of(written(name, text.encode("utf-8", "surrogatepass")))


@FUZZ
@given(
    data=st.binary(max_size=2048),
    name=st.sampled_from(["a.txt.gz", "a.html.gz", "a.jsonl.gz", "a.warc.gz", "a.rss.gz"]),
    where=st.floats(0, 1),
    garbage=st.booleans(),
)
def test_truncated_or_garbage_gzip(data, name, where, garbage):
    body = data if garbage else cut(gzip.compress(data), where)
    items_of(written(name, body))


tags = st.sampled_from(["div", "p", "article", "span", "b", "table", "script", "style", "a"])


@st.composite
def html_pages(draw):
    """Nested tags, some never closed, around hostile text; sometimes cut short."""
    depth = draw(st.integers(0, 300))
    opened = [draw(tags) for _ in range(depth)]
    inner = draw(hostile_text)
    closing = "".join(f"</{t}>" for t in reversed(opened) if draw(st.booleans()))
    page = "<html><body>" + "".join(f"<{t}>" for t in opened) + inner + closing
    page += draw(st.sampled_from(["", "</body></html>", "<!--", "<![CDATA[", "&#xD800;"]))
    return page.encode("utf-8", "surrogatepass")


@FUZZ
@given(page=html_pages(), where=st.floats(0.5, 1))
def test_broken_html(page, where):
    items_of(written("a.html", cut(page, where)))


def test_deeply_nested_html():
    page = "<html><body>" + "<div>" * 10_000 + "Russia condemned Ukraine. " * 20 + "</div>" * 10_000
    items_of(written("deep.html", page.encode()))


# -- JSONL and standard input ---------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)
records = st.fixed_dictionaries(
    {"text": hostile_text | json_values},
    optional={"id": json_values, "date": hostile_text | json_values, "title": json_values},
)


def jsonl(lines: list, where: float) -> bytes:
    text = "\n".join(
        json.dumps(r) if not isinstance(r, bytes) else r.decode("latin-1") for r in lines
    )
    return cut(text.encode("utf-8", "surrogatepass"), where)


@FUZZ
@given(
    lines=st.lists(records | json_values | st.binary(max_size=40), max_size=6),
    where=st.floats(0.7, 1),
)
def test_jsonl_records(lines, where):
    items_of(written("a.jsonl", jsonl(lines, where)))


@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes_as_jsonl(data):
    items_of(written("a.jsonl", data))


@FUZZ
@given(data=st.binary(max_size=1024) | st.lists(records, max_size=4).map(lambda r: jsonl(r, 1)))
def test_standard_input(data, monkeypatch_stdin):
    monkeypatch_stdin(data)
    items = list(read_inputs(["-"]))
    assert items and all(isinstance(i, Document | DyadError) for i in items)
    for doc in (i for i in items if isinstance(i, Document)):
        doc.text.encode("utf-8")


@pytest.fixture(scope="module")
def monkeypatch_stdin():
    original = sys.stdin

    def feed(data: bytes):
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")

    yield feed
    sys.stdin = original


# -- WARC -----------------------------------------------------------------------------------


def warc(pages: list[tuple[str, bytes]], gz: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for content_type, body in pages:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://news.example/a", "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(record)
    return out.getvalue()


content_types = st.sampled_from(
    ["text/html", "text/html; charset=utf-8", "text/html; charset=nonsense", "text/plain", ""]
)


@FUZZ
@given(
    pages=st.lists(st.tuples(content_types, html_pages() | st.binary(max_size=300)), max_size=3),
    gz=st.booleans(),
    where=st.floats(0, 1),
    noise=st.binary(max_size=64),
)
def test_broken_warc(pages, gz, where, noise):
    data = warc(pages, gz)
    items_of(written("a.warc.gz" if gz else "a.warc", cut(data, where) + noise), silent_ok=True)


@FUZZ
@given(data=st.binary(max_size=2048), name=st.sampled_from(["a.warc", "a.warc.gz"]))
def test_random_bytes_as_warc(data, name):
    items_of(written(name, data))


# -- RSS and Atom -----------------------------------------------------------------------------


@st.composite
def feeds(draw):
    entries = []
    for _ in range(draw(st.integers(0, 3))):
        text = draw(hostile_text).replace("]]>", "")
        link = draw(st.sampled_from(["", "<link>not a url</link>", "<link>ftp://x/y</link>"]))
        date = draw(st.sampled_from(["", "Mon, 99 Foo 2024", "2024-13-45T99:00:00Z"]))
        entries.append(
            f"<item><title>{text[:20]}</title>{link}<pubDate>{date}</pubDate>"
            f"<description><![CDATA[{text}]]></description>"
            f"<content:encoded><![CDATA[<p>{text * 30}</p>]]></content:encoded></item>"
        )
    root = draw(st.sampled_from(["rss", "feed", "rdf:RDF"]))
    feed = (
        f'<?xml version="1.0"?><{root} xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel>{''.join(entries)}</channel></{root}>"
    )
    return feed.encode("utf-8", "surrogatepass")


@FUZZ
@given(feed=feeds(), where=st.floats(0.3, 1), name=st.sampled_from(["a.rss", "a.atom", "a.xml"]))
def test_broken_feeds(feed, where, name):
    items_of(written(name, cut(feed, where)))


@FUZZ
@given(data=st.binary(max_size=2048), name=st.sampled_from(["a.rss", "a.atom"]))
def test_random_bytes_as_feed(data, name):
    items_of(written(name, b"<rss>" + data))


# -- PETRARCH dictionaries --------------------------------------------------------------------

BLANK = spacy.blank("en")  # a tokenizer is all a dictionary needs; one, not one per example

dictionary_lines = st.lists(
    st.sampled_from(
        [
            "RUSSIA_ [RUS]",
            "+MOSCOW",
            "=[RUS 000101-101231]",
            "PUTIN [RUSGOV >120101]",
            "~POLICE [~COP]",
            "{ A | B }",
            "<!-- comment",
            "-->",
            "# note",
            "[",
            "]",
            "[]",
            "+",
            "=",
            "~",
            "_",
            "<ISSUE",
            "VERB",
            "---- XXXX [---]",
            "\x00",
            "\ud800",
        ]  # fmt: skip
    )
    | hostile_text,
    max_size=12,
).map("\n".join)


@FUZZ
@given(
    text=dictionary_lines | st.binary(max_size=512).map(lambda b: b.decode("latin-1")),
    strict=st.booleans(),
)
def test_dictionary_files(text, strict):
    path = written("user.txt", text.encode("utf-8", "surrogatepass"))
    try:
        user = load_dictionaries([path], nlp=BLANK, strict=strict)
    except DyadError as error:
        assert error.code.startswith("E") and str(path) in error.where
        return
    assert all(isinstance(p, DyadError) for p in user.problems)
    assert user.discard("Russia condemned Ukraine") in (None, "story", "sentence")


@FUZZ
@given(data=st.binary(max_size=1024))
def test_random_bytes_as_dictionary(data):
    path = written("user.txt", data)
    try:
        load_dictionaries([path], nlp=BLANK, strict=False)
    except DyadError as error:
        assert str(path) in error.where


# -- a whole run ------------------------------------------------------------------------------

GOOD = "Russian troops attacked Ukrainian positions near Kharkiv on Monday, officials said.\n"


def hostile_folder(folder: Path) -> dict[str, str]:
    """Good documents beside bad ones; returns where each bad one is reported -> its code."""
    (folder / "good.txt").write_text(GOOD * 3)
    (folder / "marks.txt").write_text("\u202e\u200b " + GOOD + " \u200d\ufeff")
    (folder / "records.jsonl").write_text(
        json.dumps({"id": "rec-good", "text": "Police arrested protesters in Minsk on Sunday."})
        + '\n{"id": "rec-bad", "text": "Putin \\ud800 met Obama."}\n{"text": \n'
    )
    bad = {
        "binary.txt": (b"\x00\xff\xfe\x01garbage", "E103"),
        "latin.txt": ("café Russia".encode("latin-1"), "E104"),
        "cut.txt.gz": (gzip.compress(GOOD.encode() * 50)[:40], "E112"),
        "huge.txt": (GOOD.encode() * 600_000, "E111"),  # 50 MB
        "sentence.txt": (
            b"troops attacked the city and Russia condemned Ukraine " * 18_000,
            "E307",
        ),
        "deep.html": (
            ("<html><body>" + "<div>" * 10_000 + GOOD * 5 + "</div>" * 10_000).encode(),
            "E110",
        ),
        "empty.warc": (b"", "E102"),
        "garbage.warc.gz": (bytes(range(256)) * 4, "E130"),
        "page.atom": (b"<html><body>not a feed</body></html>", "E131"),
    }
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    expected = {name: code for name, (_, code) in bad.items()}
    return expected | {"records.jsonl:2": "E115", "records.jsonl:3": "E106"}


def test_run_codes_the_good_and_names_each_bad_document(tmp_path):
    import duckdb
    from typer.testing import CliRunner

    from dyad.cli import app

    folder, db = tmp_path / "in", tmp_path / "d.duckdb"
    folder.mkdir()
    expected = hostile_folder(folder)
    (folder / "wfp.html").write_bytes(
        (Path(__file__).parents[1] / "sample" / "wfp-sudan-aid.html").read_bytes()
    )
    result = CliRunner().invoke(
        app,
        [
            "code",
            str(folder),
            "--workers",
            "1",
            "--db",
            str(db),
            "--out",
            str(tmp_path / "e.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(db), read_only=True) as con:
        errors = con.execute('SELECT "where", code, reason FROM errors').fetchall()
        stored = {row[0] for row in con.execute("SELECT id FROM documents").fetchall()}
    found = {where.removeprefix(f"{folder}/"): code for where, code, _ in errors}
    assert len(errors) == len(expected) and found == expected
    assert all(reason for _, _, reason in errors)
    assert stored == {"good.txt", "marks.txt", "rec-good", "wfp.html"}
    for code in set(expected.values()):
        assert code in result.output
    assert "max_doc_chars" in result.output and "max_sentence_tokens" in result.output


# -- memory ---------------------------------------------------------------------------------


def peak_bytes(path: Path) -> tuple[list, int]:
    """What a reader makes of a file, and the most memory Python held while it read."""
    tracemalloc.start()
    try:
        items = list(read_inputs([str(path)]))
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_fifty_megabyte_file_is_refused_having_read_a_few(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(GOOD.encode() * 600_000)  # 51 MB
    [error], peak = peak_bytes(path)
    assert error.code == "E111" and "max_doc_chars" in str(error)
    assert peak < 6 * SETTINGS.max_doc_chars  # four bytes a character read, at most, and change


def test_gzip_bomb_is_refused_having_read_a_few(tmp_path):
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip format
    chunk = b" " * 1_000_000
    body = b"".join(packer.compress(chunk) for _ in range(200)) + packer.flush()
    for name in ("bomb.txt.gz", "bomb.html.gz", "bomb.jsonl.gz", "bomb.rss.gz"):
        path = tmp_path / name
        path.write_bytes(body)  # 200 MB of spaces in 200 kB
        [error], peak = peak_bytes(path)
        assert error.code in ("E111", "E114"), error
        assert peak < 3 * SETTINGS.max_input_bytes, name


def test_jsonl_line_over_the_limit_is_one_error_and_the_rest_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(SETTINGS, "max_input_bytes", 200)
    path = tmp_path / "a.jsonl"
    long = json.dumps({"id": "long", "text": "Russia " * 5000})
    good = json.dumps({"id": "good", "text": GOOD})
    path.write_bytes(f"{long}\n{good}\n".encode() + b"\xff\n")
    error, doc, bad = read_inputs([str(path)])
    assert error.code == "E114" and error.where == f"{path}:1"
    assert error.details["size"] == len(long) + 1 and "max_input_bytes = 200" in str(error)
    assert doc.id == "good"
    assert bad.code == "E104" and bad.details["offset"] == len(long) + len(good) + 2
