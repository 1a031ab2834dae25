import datetime as dt
import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from dyad.config import SETTINGS
from dyad.errors import DyadError
from dyad.ingest import read_inputs
from dyad.model import Document

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
DAY = dt.date(2024, 10, 14)
NEWS = "Serbian police used tear gas on Monday to disperse protesters in Belgrade.\n"


def read(*paths, **kw):
    return list(read_inputs([str(p) for p in paths], **kw))


def docs(items):
    return [i for i in items if isinstance(i, Document)]


def errors(items):
    return [i for i in items if isinstance(i, DyadError)]


def one_error(items, code):
    assert len(items) == 1 and isinstance(items[0], DyadError), items
    assert items[0].code == code, items[0]
    return items[0]


def test_txt_file(tmp_path):
    path = tmp_path / "belgrade.txt"
    path.write_text(NEWS, encoding="utf-8")
    [doc] = read(path, default_date=DAY, sentence_mode=True)
    assert doc.id == "belgrade.txt"
    assert doc.text == NEWS
    assert doc.date == DAY
    assert doc.source == str(path)
    assert doc.sentence_mode is True


def test_bom_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + NEWS.encode())
    [doc] = read(path)
    assert doc.text == NEWS


def test_html_file_takes_metadata():
    [doc] = read(SAMPLE / "wfp-sudan-aid.html", default_date=DAY)
    assert doc.id == "wfp-sudan-aid.html"
    assert doc.title == "UN agency delivers food aid to Darfur"
    assert doc.date == dt.date(2025, 4, 8)
    assert doc.url == "https://example.org/2025/04/08/wfp-darfur-aid"
    assert doc.source == "example.org"
    assert "Forty trucks carrying sorghum" in doc.text
    assert "cookies" not in doc.text
    assert "monthly contribution" not in doc.text


def test_html_without_metadata_uses_default_date(tmp_path):
    path = tmp_path / "page.htm"
    paragraph = (
        "<p>Kenyan Foreign Minister Daniel Mwangi will visit Tokyo on Thursday for talks.</p>"
    )
    path.write_text(f"<html><body><article>{paragraph * 3}</article></body></html>")
    [doc] = read(path, default_date=DAY)
    assert doc.date == DAY
    assert doc.url is None
    assert doc.source == str(path)
    assert "Daniel Mwangi" in doc.text


def test_html_without_article_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><nav></nav></body></html>")
    one_error(read(path), "E110")


def test_jsonl_sample():
    items = read(SAMPLE / "articles.jsonl", sentence_mode=False)
    assert not errors(items)
    assert len(items) >= 7
    first = json.loads((SAMPLE / "articles.jsonl").read_text().splitlines()[0])
    assert items[0].id == first["id"]
    assert items[0].date == dt.date.fromisoformat(first["date"])
    assert items[0].url == first["url"] and items[0].title == first["title"]
    assert all(d.source == "dyad-sample (illustrative)" for d in items)


def test_jsonl_defaults_and_stable_ids(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [{"text": NEWS}, {"text": NEWS, "date": "2025-01-02T10:00:00Z"}]
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    first, second = read(path, default_date=DAY)
    assert first.date == DAY and second.date == dt.date(2025, 1, 2)
    assert first.id != second.id
    assert [d.id for d in read(path)] == [first.id, second.id]
    assert first.source == str(path)


def test_jsonl_bad_lines_are_errors_and_the_rest_goes_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "good-1", "text": NEWS}),
                '{"id": "broken", "text": ',
                json.dumps(["not", "an", "object"]),
                json.dumps({"id": "no-text", "title": "Headline only"}),
                json.dumps({"id": "bad-date", "text": NEWS, "date": "14/10/2024"}),
                json.dumps({"id": "bad-day", "text": NEWS, "date": "2024-02-30"}),
                "",
                json.dumps({"id": "good-2", "text": NEWS}),
            ]
        )
    )
    items = read(path)
    assert [d.id for d in docs(items)] == ["good-1", "good-2"]
    found = [(e.code, e.where) for e in errors(items)]
    assert found == [
        ("E106", f"{path}:2"),
        ("E108", f"{path}:3"),
        ("E107", f"{path}:4"),
        ("E109", f"{path}:5"),
        ("E109", f"{path}:6"),
    ]


def test_missing_file():
    error = one_error(read("/no/such/file.txt"), "E101")
    assert error.where == "/no/such/file.txt"


@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.html"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("  \n\n")
    one_error(read(path), "E102")


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    one_error(read(path), "E103")


def test_not_utf8_names_the_offset(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Bogotá police".encode("latin-1"))
    error = one_error(read(path), "E104")
    assert error.details["offset"] == 5


def test_not_utf8_jsonl_line_offset_in_file(tmp_path):
    path = tmp_path / "latin1.jsonl"
    good = (json.dumps({"id": "a", "text": NEWS}) + "\n").encode()
    bad = '{"id": "b", "text": "Bogotá"}\n'.encode("latin-1")
    path.write_bytes(good + bad)
    items = read(path)
    assert [d.id for d in docs(items)] == ["a"]
    [error] = errors(items)
    assert error.code == "E104" and error.where == f"{path}:2"
    assert error.details["offset"] == len(good) + bad.index(b"\xe1")


def test_unknown_extension_named_is_an_error(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text(NEWS)
    error = one_error(read(path), "E105")
    assert error.details["ext"] == ".pdf"


def test_oversize_document(tmp_path, monkeypatch):
    monkeypatch.setattr(SETTINGS, "max_doc_chars", 20)
    path = tmp_path / "long.txt"
    path.write_text(NEWS)
    error = one_error(read(path), "E111")
    assert error.details["size"] == len(NEWS)


def test_gz_forms(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(NEWS.encode()))
    record = json.dumps({"id": "rec", "text": NEWS}) + "\n"
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(record.encode()))
    (tmp_path / "c.html.gz").write_bytes(
        gzip.compress((SAMPLE / "wfp-sudan-aid.html").read_bytes())
    )
    items = read(tmp_path / "a.txt.gz", tmp_path / "b.jsonl.gz", tmp_path / "c.html.gz")
    assert [d.id for d in items] == ["a.txt.gz", "rec", "c.html.gz"]
    assert items[0].text == NEWS
    assert items[2].title == "UN agency delivers food aid to Darfur"


@pytest.mark.parametrize("name", ["a.txt.gz", "a.jsonl.gz"])
def test_corrupt_gz(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x1f\x8b not really gzip")
    one_error(read(path), "E112")


def test_truncated_jsonl_gz_keeps_records_before_the_break(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    records = "".join(json.dumps({"id": f"r{i}", "text": NEWS}) + "\n" for i in range(400))
    data = gzip.compress(records.encode())
    path.write_bytes(data[: len(data) // 2])
    items = read(path)
    assert docs(items) and docs(items)[0].id == "r0"
    assert errors(items)[-1].code == "E112"


def test_directory_walk(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(NEWS)
    (tmp_path / "a.txt").write_text(NEWS)
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "rec-c", "text": NEWS}) + "\n")
    (tmp_path / "notes.pdf").write_text("skipped")
    (tmp_path / "README").write_text("skipped too")
    items = read(tmp_path, default_date=DAY)
    assert [d.id for d in items] == ["a.txt", "rec-c", "sub/b.txt"]
    assert all(d.date == DAY for d in items)


def test_sample_directory_reads_without_errors():
    items = read(SAMPLE)
    assert not errors(items)
    assert len(items) >= 9


def test_stdin_plain_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(NEWS.encode())))
    [doc] = read("-", default_date=DAY)
    assert doc.text == NEWS and doc.date == DAY


def test_stdin_jsonl(monkeypatch):
    lines = [json.dumps({"id": f"r{i}", "text": NEWS}) for i in range(3)]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert [d.id for d in read("-")] == ["r0", "r1", "r2"]


def test_stdin_text_that_only_starts_with_json_is_text(monkeypatch):
    text = json.dumps({"id": "x", "text": NEWS}) + "\nThen a line of plain text.\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    [doc] = read("-")
    assert doc.text == text


def test_stdin_empty(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    one_error(read("-"), "E102")


def test_stdin_longer_than_a_text_may_be(monkeypatch):
    monkeypatch.setattr(SETTINGS, "max_doc_chars", 500)  # so 2,004 bytes is "long"
    lines = [json.dumps({"id": f"r{i}", "text": NEWS}) for i in range(40)]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    assert [d.id for d in read("-")] == [f"r{i}" for i in range(40)]  # streamed as JSONL
    raw = io.BytesIO(((NEWS + "\n") * 10_000).encode())  # plain text, far over the limit
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw))
    one_error(read("-"), "E111")
    assert raw.tell() < 10_000  # refused after reading what a text may take, not all of it
