import datetime as dt
import json
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dyad.errors import DyadError
from dyad.ingest import read_inputs
from dyad.ingest import watch as watch_module
from dyad.ingest.feeds import USER_AGENT, read_feed
from dyad.ingest.warc import url_id
from dyad.ingest.watch import MAX_ATTEMPTS, parse_every, poll_feeds, watch
from dyad.model import Document

STORY = {
    "talks": "The foreign minister of Chile met the Peruvian ambassador in Lima on Tuesday.",
    "aid": "The World Food Programme delivered food aid to displaced families in Darfur.",
    "strike": "Dock workers in Antwerp went on strike on Friday over pension reforms.",
    "vote": "The parliament of Kenya approved the new budget after a long debate.",
    "visit": "The Japanese prime minister visited Seoul to discuss trade and security.",
    "truce": "Armed groups in eastern Congo agreed to a ceasefire brokered by Angola.",
}


def article(name: str) -> bytes:
    text = " ".join([STORY[name]] * 5)
    return (
        f"<html><head><title>{name} page title</title></head><body><nav>Home | World</nav>"
        f"<article><h1>{name}</h1><p>{text}</p><p>{STORY[name]}</p></article></body></html>"
    ).encode()


def rss(items: list[dict]) -> bytes:
    """RSS 2.0; an item is a dict of guid, link, title, date, summary, content."""
    parts = []
    for item in items:
        fields = [f"<title>{item['title']}</title>"] if "title" in item else []
        for key, tag in (("guid", "guid"), ("link", "link"), ("date", "pubDate")):
            if key in item:
                fields.append(f"<{tag}>{item[key]}</{tag}>")
        fields.append(f"<description>{item.get('summary', '')}</description>")
        if "content" in item:
            fields.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("<item>" + "".join(fields) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Example news</title><link>https://news.example/</link>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode()


def long_html(name: str) -> str:
    """An article long enough to count as the full text (trafilatura drops repeated
    paragraphs, so each one differs)."""
    return "".join(
        f"<p>{STORY[name]} Officials said on day {i} that more would follow soon.</p>"
        for i in range(8)
    )


class Site:
    """Routes of a local web site, and the log of what it was asked and answered."""

    def __init__(self):
        self.routes = {}  # path -> (status, content type, body, etag, last modified)
        self.log = []  # (path, request headers, status)

    def add(self, path, body, content_type="text/html; charset=utf-8", status=200):
        self.routes[path] = (status, content_type, body, None, None)

    def feed(self, items, version: int):
        """The feed at /feed.xml, with validators that change with its version."""
        modified = formatdate(1_700_000_000 + 60 * version, usegmt=True)
        body = rss(items)
        self.routes["/feed.xml"] = (200, "application/rss+xml", body, f'"v{version}"', modified)

    def asked(self, path=None) -> list:
        return [(p, h, s) for p, h, s in self.log if path is None or p == path]

    def articles_asked(self) -> list[str]:
        return [p for p, _, _ in self.log if p != "/feed.xml"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        site = self.server.site
        missing = (404, "text/plain", b"", None, None)
        status, content_type, body, etag, modified = site.routes.get(self.path, missing)
        # As HTTP has it: If-None-Match decides when sent, else If-Modified-Since.
        match = self.headers.get("If-None-Match")
        since = self.headers.get("If-Modified-Since")
        if etag and (match == etag if match else since == modified):
            status, body = 304, b""
        site.log.append((self.path, dict(self.headers), status))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.site = Site()
    server.site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.site
    server.shutdown()
    server.server_close()


def entry(site, name):
    site.add(f"/{name}", article(name))
    date = "Mon, 14 Oct 2024 09:00:00 +0000"
    link, title, summary = f"{site.base}/{name}", name.title(), f"{name} teaser"
    return {"guid": f"id-{name}", "link": link, "title": title, "date": date, "summary": summary}


# Reading feeds


def test_entries_with_full_text_are_read_from_the_feed(tmp_path):
    # The links point at a closed port: fetching any of them would fail the test.
    items = [
        {"guid": "1", "link": "http://127.0.0.1:9/talks", "title": "Talks in Lima",
         "date": "Mon, 14 Oct 2024 23:30:00 -0500", "summary": "Teaser.",
         "content": long_html("talks")},
        # A bare guid, which feedparser takes for a link: not a web address, not fetched.
        {"guid": "2", "title": "Aid for Darfur", "summary": STORY["aid"]},
    ]  # fmt: skip
    path = tmp_path / "news.rss"
    path.write_bytes(rss(items))
    talks, aid = read_feed(str(path), default_date=dt.date(2024, 1, 1))
    assert talks.id == url_id("http://127.0.0.1:9/talks") and talks.url.endswith("/talks")
    assert talks.title == "Talks in Lima" and "Peruvian ambassador" in talks.text
    # The publisher's calendar day, not the next day that UTC would make it.
    assert talks.date == dt.date(2024, 10, 14)
    # No link to fetch: the summary is the text, and the default date stands in.
    assert aid.url is None and aid.text == STORY["aid"] and aid.date == dt.date(2024, 1, 1)


def test_atom_feed(tmp_path):
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title><id>urn:x</id>
<updated>2024-10-15T10:00:00+02:00</updated>
<entry><id>urn:strike</id><title>Antwerp strike</title>
<link href="http://127.0.0.1:9/strike"/><updated>2024-10-15T01:00:00+02:00</updated>
<content type="html"><![CDATA[{long_html("strike")}]]></content></entry></feed>"""
    path = tmp_path / "news.atom"
    path.write_text(atom)
    [doc] = read_feed(str(path))
    assert doc.title == "Antwerp strike" and "Dock workers in Antwerp" in doc.text
    assert doc.date == dt.date(2024, 10, 15) and doc.url == "http://127.0.0.1:9/strike"


def test_summary_only_entries_are_fetched(site):
    items = [entry(site, "talks"), entry(site, "aid"), entry(site, "strike")]
    del site.routes["/strike"]  # a dead link
    site.feed(items, 1)
    talks, aid, gone = read_feed(f"{site.base}/feed.xml")
    assert "Peruvian ambassador" in talks.text and "Home | World" not in talks.text
    assert talks.title == "Talks" and talks.date == dt.date(2024, 10, 14)
    assert talks.url == f"{site.base}/talks" and talks.source == "127.0.0.1"
    assert "Darfur" in aid.text
    assert isinstance(gone, DyadError) and gone.code == "E132" and gone.where.endswith("/strike")
    assert all(h["User-Agent"] == USER_AGENT for _, h, _ in site.asked())


def test_read_inputs_reads_a_feed_url(site):
    site.feed([entry(site, "vote"), entry(site, "truce")], 1)
    docs = list(read_inputs([f"{site.base}/feed.xml"]))
    assert [d.url for d in docs] == [f"{site.base}/vote", f"{site.base}/truce"]
    assert "Kenya" in docs[0].text


def test_read_inputs_finds_feeds_by_extension_and_content(tmp_path):
    (tmp_path / "a.rss").write_bytes(rss([{"guid": "1", "summary": STORY["vote"]}]))
    (tmp_path / "b.xml").write_bytes(rss([{"guid": "2", "summary": STORY["visit"]}]))
    sitemap = '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>'
    (tmp_path / "sitemap.xml").write_text(sitemap)
    texts = [d.text for d in read_inputs([str(tmp_path)])]
    assert texts == [STORY["vote"], STORY["visit"]]
    [error] = read_inputs([str(tmp_path / "sitemap.xml")])
    assert error.code == "E131" and error.where.endswith("sitemap.xml")


# Polling


def test_polls_are_polite_and_fetch_only_what_is_new(site, tmp_path):
    state, feed = tmp_path / "watch.json", f"{site.base}/feed.xml"
    batches, errors = [], []

    def poll():
        poll_feeds([feed], batches.append, state, errors.append, delay=0)

    items = [entry(site, "talks"), entry(site, "aid"), entry(site, "strike")]
    site.feed(items, 1)
    poll()
    assert [[d.title for d in b] for b in batches] == [["Talks", "Aid", "Strike"]]
    assert json.loads(state.read_text())[feed]["etag"] == '"v1"'

    # Unchanged: a conditional request, a 304, nothing fetched or handed on.
    site.log.clear()
    poll()
    [(_, headers, status)] = site.asked()
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == formatdate(1_700_000_060, usegmt=True)
    assert status == 304 and len(batches) == 1

    # One new entry: only its page is fetched.
    site.log.clear()
    site.feed([entry(site, "vote"), *items], 2)
    poll()
    assert site.articles_asked() == ["/vote"]
    assert [d.title for d in batches[-1]] == ["Vote"]

    # A page that fails: an error for it, the other new entry still comes.
    site.log.clear()
    items = [entry(site, "visit"), entry(site, "truce"), *items]
    site.add("/visit", b"oops", status=500)
    site.feed(items, 3)
    poll()
    assert sorted(site.articles_asked()) == ["/truce", "/visit"]
    assert [d.title for d in batches[-1]] == ["Truce"]
    [error] = errors
    assert error.code == "E132" and error.where == f"{site.base}/visit" and "500" in str(error)

    # The failed entry is retried: the feed is asked for without validators this time.
    site.log.clear()
    site.add("/visit", article("visit"))
    poll()
    assert "If-None-Match" not in site.asked("/feed.xml")[0][1]
    assert site.articles_asked() == ["/visit"]
    assert [d.title for d in batches[-1]] == ["Visit"]
    assert len({d.id for b in batches for d in b}) == 6

    # All done: conditional again, from the state file as a restarted watcher would read it.
    site.log.clear()
    poll()
    assert [s for _, _, s in site.asked()] == [304] and len(batches) == 4


def test_an_article_that_keeps_failing_is_given_up(site, tmp_path):
    state, feed = tmp_path / "watch.json", f"{site.base}/feed.xml"
    site.feed([entry(site, "visit"), entry(site, "talks")], 1)
    site.add("/visit", b"oops", status=500)
    batches, errors = [], []
    for _ in range(MAX_ATTEMPTS + 1):
        poll_feeds([feed], batches.append, state, errors.append, delay=0)
    assert len(errors) == MAX_ATTEMPTS and [d.title for b in batches for d in b] == ["Talks"]
    assert site.asked("/feed.xml")[-1][2] == 304  # polite again once it gave up
    assert json.loads(state.read_text())[feed]["failures"] == {}


def test_seen_entries_are_bounded(site, tmp_path, monkeypatch):
    monkeypatch.setattr(watch_module, "MAX_SEEN", 2)
    state, feed = tmp_path / "watch.json", f"{site.base}/feed.xml"
    site.feed([entry(site, "talks"), entry(site, "aid"), entry(site, "vote")], 1)
    poll_feeds([feed], lambda docs: None, state, delay=0)
    assert json.loads(state.read_text())[feed]["seen"] == ["id-aid", "id-vote"]


def test_a_failing_feed_or_handler_does_not_stop_the_others(site, tmp_path):
    state = tmp_path / "watch.json"
    site.feed([entry(site, "talks")], 1)
    feeds = [f"{site.base}/missing.xml", f"{site.base}/feed.xml"]
    batches, errors = [], []
    poll_feeds(feeds, batches.append, state, errors.append, delay=0)
    assert [e.where for e in errors] == [feeds[0]] and errors[0].code == "E132"
    assert [d.title for b in batches for d in b] == ["Talks"]

    # A handler that fails has not taken the batch: the next poll offers it again.
    site.feed([entry(site, "aid"), entry(site, "talks")], 2)

    def broken(docs):
        raise RuntimeError("store is locked")

    poll_feeds(feeds[1:], broken, state, errors.append, delay=0)
    poll_feeds(feeds[1:], batches.append, state, errors.append, delay=0)
    assert [d.title for d in batches[-1]] == ["Aid"]


def test_watch_returns_when_stopped(site, tmp_path):
    site.feed([entry(site, "talks")], 1)
    stop, handed = threading.Event(), threading.Event()
    batches = []

    def handle(docs: list[Document]):
        batches.append(docs)
        handed.set()

    args = ([f"{site.base}/feed.xml"], 3600.0, handle, stop, tmp_path / "watch.json")
    thread = threading.Thread(target=watch, args=args, kwargs={"delay": 0}, daemon=True)
    thread.start()
    assert handed.wait(30)
    stop.set()  # the watcher is now waiting out its hour
    thread.join(30)
    assert not thread.is_alive()
    assert [[d.title for d in b] for b in batches] == [["Talks"]]


@pytest.mark.parametrize(
    "value, seconds", [("15m", 900), ("30s", 30), ("2h", 7200), ("1.5h", 5400), ("45", 45)]
)
def test_parse_every(value, seconds):
    assert parse_every(value) == seconds


@pytest.mark.parametrize("value", ["", "15x", "0m", "-5m", "m", "15 minutes"])
def test_parse_every_rejects(value):
    with pytest.raises(DyadError) as e:
        parse_every(value)
    assert e.value.code == "E133"


# The command


def test_dyad_watch_codes_new_articles_until_stopped(site, tmp_path):
    import signal
    import subprocess
    import sys

    import duckdb

    site.feed([entry(site, "visit"), entry(site, "truce")], version=1)
    db = tmp_path / "watch.duckdb"
    cmd = [sys.executable, "-u", "-m", "dyad.cli", "watch", f"{site.base}/feed.xml",
           "--every", "1s", "--db", str(db), "--state", str(tmp_path / "state.json")]  # fmt: skip
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in proc.stderr:  # bounded: the poll answers within the test's own server
            seen.append(line)
            if "new articles" in line:
                break
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert any("2 new articles" in line for line in seen), seen
    assert proc.returncode == 0, rest
    with duckdb.connect(str(db), read_only=True) as con:
        urls = {u for (u,) in con.execute("SELECT url FROM documents").fetchall()}
        events = con.execute("SELECT source_code, target_code, root FROM events").fetchall()
    assert urls == {f"{site.base}/visit", f"{site.base}/truce"}
    assert ("JPNGOV", "KOR", "04") in events
