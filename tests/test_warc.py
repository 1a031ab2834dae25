import datetime as dt
import io
from collections import Counter

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyad.errors import DyadError
from dyad.ingest import read_inputs
from dyad.ingest.warc import read_warc, url_id
from dyad.model import Document

TALKS = "The foreign minister of Chile met the Peruvian ambassador in Lima on Tuesday. " * 6
AID = "The World Food Programme delivered food aid to displaced families in Darfur. " * 6


def page(title: str, text: str, published: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    return (
        f"<html><head><title>{title}</title>{meta}</head><body><nav>Home | World</nav>"
        f"<article><h1>{title}</h1><p>{text}</p></article></body></html>"
    ).encode()


PAGES = [
    # (url, status, content type, body)
    ("https://news.example/chile-peru", "200 OK", "text/html; charset=utf-8",
     page("Chile and Peru hold talks", TALKS, "2024-10-01")),
    ("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("https://news.example/darfur-aid", "200 OK", "text/html", page("Aid reaches Darfur", AID)),
    ("https://news.example/gone", "404 Not Found", "text/html", page("Not found", TALKS)),
]  # fmt: skip
CAPTURED = "2024-10-14T08:30:00Z"


def write_warc(path, pages=PAGES, gz=True, date=CAPTURED) -> list[tuple[int, int]]:
    """A WARC with a warcinfo record, then a request and a response per page; returns where
    each response record starts and ends."""
    spans = []
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, status, content_type, body in pages:
            headers = {"WARC-Date": date}
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")])
            writer.write_record(
                writer.create_warc_record(
                    url, "request", http_headers=request, warc_headers_dict=headers
                )
            )
            start = f.tell()
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http,
                warc_headers_dict=headers,
            )  # fmt: skip
            writer.write_record(record)
            spans.append((start, f.tell()))
    return spans


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_html_pages_become_documents(tmp_path, name):
    path = tmp_path / name
    write_warc(path, gz=name.endswith(".gz"))
    counts = Counter()
    items = list(read_warc(path, counts=counts))
    assert all(isinstance(i, Document) for i in items), items
    chile, darfur = items
    assert chile.url == "https://news.example/chile-peru"
    assert chile.id == url_id(chile.url)
    assert chile.title == "Chile and Peru hold talks"
    assert "Peruvian ambassador" in chile.text and "Home | World" not in chile.text
    assert chile.source == "news.example"
    # The page's publication date wins; without one, the capture date stands.
    assert chile.date == dt.date(2024, 10, 1)
    assert darfur.date == dt.date(2024, 10, 14)
    assert counts["document"] == 2 and counts["page"] == 2
    assert counts["not-html"] == 1 and counts["not-200"] == 1
    assert counts["request"] == 4 and counts["warcinfo"] == 1


def test_same_page_in_two_crawls_is_one_document(tmp_path):
    write_warc(tmp_path / "a.warc.gz", PAGES[:1], date="2024-10-14T08:30:00Z")
    write_warc(tmp_path / "b.warc.gz", PAGES[:1], date="2025-01-02T00:00:00Z")
    [a] = read_warc(tmp_path / "a.warc.gz")
    [b] = read_warc(tmp_path / "b.warc.gz")
    assert a.id == b.id
    other = [("https://news.example/chile-peru-2", *PAGES[0][1:])]
    write_warc(tmp_path / "c.warc.gz", other)
    [c] = read_warc(tmp_path / "c.warc.gz")
    assert c.id != a.id


def test_declared_charset_is_honoured(tmp_path):
    text = "Le ministre français a rencontré l'ambassadeur à Genève mardi dernier. " * 6
    body = page("Réunion à Genève", text).replace(b"utf-8", b"").decode().encode("iso-8859-1")
    pages = [("https://news.example/geneve", "200 OK", "text/html; charset=ISO-8859-1", body)]
    write_warc(tmp_path / "fr.warc.gz", pages)
    [doc] = read_warc(tmp_path / "fr.warc.gz")
    assert "rencontré l'ambassadeur à Genève" in doc.text


@pytest.mark.parametrize("gz", [True, False])
def test_cut_short_keeps_what_was_read(tmp_path, gz):
    path = tmp_path / "cut.warc"
    start, end = write_warc(path, gz=gz)[2]
    data = path.read_bytes()
    # Cut in the middle of the third page's response (the Darfur article).
    path.write_bytes(data[: (start + end) // 2])
    items = list(read_warc(path))
    [chile, error] = items
    assert isinstance(chile, Document) and chile.url.endswith("chile-peru")
    assert isinstance(error, DyadError) and error.code == "E130"
    assert error.details["offset"] == start
    assert str(path) in str(error) and str(start) in str(error)


@pytest.mark.parametrize("gz", [True, False])
def test_garbage_between_records(tmp_path, gz):
    path = tmp_path / "bad.warc"
    start = write_warc(path, gz=gz)[1][0]
    data = path.read_bytes()
    path.write_bytes(data[:start] + b"this is not a WARC record\r\n\r\n" + data[start:])
    *docs, error = read_warc(path)
    assert [d.url for d in docs] == ["https://news.example/chile-peru"]
    assert error.code == "E130" and error.details["offset"] == start


def test_not_a_warc_at_all(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_text("just some notes\n")
    [error] = read_warc(path)
    assert error.code == "E130" and error.details["offset"] == 0


@pytest.mark.parametrize("gz", [True, False])
def test_every_cut_inside_a_record_gives_one_error(tmp_path, gz):
    # Non-HTML records only, so nothing is extracted and every cut point can be tried.
    pages = [(f"https://news.example/{i}.json", "200 OK", "application/json", b"{}" * 50)
             for i in range(3)]  # fmt: skip
    path = tmp_path / "whole.warc"
    offsets = [start for start, _ in write_warc(path, pages, gz=gz)]
    data = path.read_bytes()
    cut_path = tmp_path / "cut.warc"
    for cut in range(1, len(data)):
        cut_path.write_bytes(data[:cut])
        counts = Counter()
        errors = [e for e in read_warc(cut_path, counts=counts) if isinstance(e, DyadError)]
        assert len(errors) <= 1, (cut, errors)
        # A cut well inside a response record (not in the blank lines or gzip trailer
        # after its payload) loses that record and must say so.
        inside = [o for o in offsets if o < cut < o + 150]
        if inside:
            assert [e.details["offset"] for e in errors] == inside, cut
            assert counts["not-html"] == offsets.index(inside[0])


def test_read_inputs_walks_warc_files(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz")
    (tmp_path / "note.txt").write_text("Chile and Peru met in Lima.\n")
    items = list(read_inputs([str(tmp_path)]))
    assert [type(i) for i in items] == [Document, Document, Document]
    assert {i.url for i in items} >= {"https://news.example/darfur-aid"}
    single = list(read_inputs([str(tmp_path / "crawl.warc.gz")], default_date=dt.date(2020, 1, 1)))
    assert [d.url for d in single] == [d.url for d in items[:2]]
