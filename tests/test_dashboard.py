"""The dashboard in a real browser: a store coded from the sample corpus and the seed, the
real API served by uvicorn on an ephemeral port, and Chromium driven by Playwright.

Needs Playwright's Python package and a Chromium binary (Debian's `chromium` package at
/usr/bin/chromium, or the path in DYAD_CHROMIUM); without them the tests fail and say so.
Screenshots go to DYAD_TEST_ARTIFACTS/dashboard when that is set, else to a pytest temporary
folder; the path is printed (`pytest -s`) and shown with any failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import urlopen

import pytest
from typer.testing import CliRunner

from dyad.cli import app as cli

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("DYAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def store(tmp_path_factory, shared) -> Path:
    db = tmp_path_factory.mktemp("dashboard-store") / "dyad.duckdb"
    runner = CliRunner()
    for args in (
        [str(ROOT / "sample"), "--date", "2024-10-14"],
        [str(shared / "seed" / "moscow-times-venezuela.txt"), "--date", "2019-02-26"],
    ):
        result = runner.invoke(cli, ["code", *args, "--db", str(db)])
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def server(store):
    """The real app (dyad.server.app.create_app) on 127.0.0.1 and a port the OS picks."""
    import uvicorn

    from dyad.server.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the dashboard tests need Playwright: pip install playwright")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(
            f"the dashboard tests need Chromium at {CHROMIUM}: apt-get install chromium "
            "(or set DYAD_CHROMIUM to a Chromium binary)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    base = os.environ.get("DYAD_TEST_ARTIFACTS")
    folder = Path(base) / "dashboard" if base else tmp_path_factory.mktemp("dashboard-shots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\ndashboard screenshots: {folder}")
    return folder


@pytest.fixture
def page(browser, server):
    """A page that may only talk to the test server (the dashboard works offline), and that
    records every script error and failed request."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))

    def only_local(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            problems.append(f"outside request: {route.request.url}")
            route.abort()

    page.route("**/*", only_local)
    page.problems = problems
    yield page
    context.close()


def _get(server: str, path: str, **params) -> dict:
    with urlopen(f"{server}/api/{path}?{urlencode(params)}", timeout=10) as response:
        return json.load(response)


def _wait_loaded(page):
    page.wait_for_function(
        "!document.body.hasAttribute('aria-busy') && /match/.test("
        "document.getElementById('status').textContent)"
    )


def _rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#event-table tbody tr[data-event-id]",
        """rows => rows.map(r => ({
            id: r.dataset.eventId,
            source: r.querySelector('td.source code')?.textContent ?? null,
            target: r.querySelector('td.target code')?.textContent ?? null,
            cameo: r.querySelector('td.cameo code').textContent,
        }))""",
    )


def test_a_dyad_filtered_shared_and_read_back(page, server, artifacts):
    api = _get(server, "events", source="VEN", target="RUS")
    expected = {e["event_id"]: e for e in api["events"]}
    talks = [
        e
        for e in api["events"]
        if (e["source"]["code"], e["target"]["code"], e["cameo"]) == ("VENGOV", "RUSGOV", "036")
    ]
    assert talks, "the seed's VENGOV -> RUSGOV 036 (Rodriguez to hold talks with Lavrov)"
    talk = talks[0]

    # The whole store first, then the dyad chosen in the form.
    page.goto(server + "/")
    _wait_loaded(page)
    assert page.locator("#event-table tbody tr[data-event-id]").count() > len(expected)
    page.get_by_label("Source", exact=True).fill("ven")
    page.get_by_label("Target", exact=True).fill("RUS")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_function("document.getElementById('status').textContent.includes('VEN → RUS')")
    _wait_loaded(page)
    page.screenshot(path=artifacts / "1-dyad.png", full_page=True)

    # The URL carries the filters.
    query = parse_qs(urlsplit(page.url).query)
    assert query["source"] == ["VEN"] and query["target"] == ["RUS"]

    # The table holds exactly the API's events, the talks among them.
    rows = _rows(page)
    assert {r["id"] for r in rows} == set(expected)
    assert {"source": "VENGOV", "target": "RUSGOV", "cameo": "036", "id": talk["event_id"]} in rows
    assert all(r["source"].startswith("VEN") and r["target"].startswith("RUS") for r in rows)

    # The timeline has a cooperation bar for each week the series has.
    series = _get(server, "series", source="VEN", target="RUS", period="week")["series"]
    titles = page.eval_on_selector_all(
        "#timeline svg rect title", "ts => ts.map(t => t.textContent)"
    )
    for point in series:
        assert any(point["period"] in t and "cooperation" in t for t in titles), point
    assert all(p["quad_class"] in (1, 2) for p in series)
    assert page.locator("#timeline svg rect.q3, #timeline svg rect.q4").count() == 0

    # The network links the dyad's actors; the map marks Moscow.
    nodes = page.eval_on_selector_all("#network .node text", "ts => ts.map(t => t.textContent)")
    assert {"VENGOV", "RUSGOV"} <= set(nodes)
    assert page.locator("#map circle.place title").first.text_content().startswith("Moscow")

    # A row opens its article with the event's sentence and actors marked.
    page.locator(f"#event-table tr[data-event-id='{talk['event_id']}']").click()
    _check_article(page, talk)
    page.screenshot(path=artifacts / "2-article.png")
    query = parse_qs(urlsplit(page.url).query)
    assert query["event"] == [talk["event_id"]] and query["doc"] == [talk["doc_id"]]

    # Reloading the shared URL restores the filters, the table and the open article.
    page.reload()
    _wait_loaded(page)
    assert page.get_by_label("Source", exact=True).input_value() == "VEN"
    assert page.get_by_label("Target", exact=True).input_value() == "RUS"
    assert {r["id"] for r in _rows(page)} == set(expected)
    _check_article(page, talk)
    page.screenshot(path=artifacts / "3-reloaded.png", full_page=True)

    # Closing the article leaves the filters in the URL.
    page.get_by_role("button", name="Close the article").click()
    assert not page.locator("#article").is_visible()
    page.wait_for_function("!new URLSearchParams(location.search).has('event')")
    query = parse_qs(urlsplit(page.url).query)
    assert "event" not in query and query["source"] == ["VEN"]
    assert page.problems == []


def _check_article(page, event):
    highlight = page.locator("#article #highlight")
    highlight.wait_for()
    assert page.locator("#article").is_visible()
    assert highlight.text_content() == event["sentence"]
    assert highlight.locator("mark.actor.source").text_content() == event["source"]["text"]
    assert highlight.locator("mark.actor.target").text_content() == event["target"]["text"]
    assert highlight.locator(".verb").text_content() == event["verb"]["text"]
    assert page.locator("#article .hl").count() == 2  # the sentence and the legend's sample


def test_the_network_and_other_filters_narrow_the_view(page, server, artifacts):
    page.goto(server + "/?cameo=04&quad_class=1&metric=goldstein&interval=month")
    _wait_loaded(page)
    assert page.locator("select[name=cameo]").input_value() == "04"
    assert page.locator("select[name=quad_class]").input_value() == "1"
    assert page.locator("#metric").input_value() == "goldstein"
    rows = _rows(page)
    assert rows and all(r["cameo"].startswith("04") for r in rows)

    # Choosing an actor in the network filters by it, either side.
    page.locator("#network .node", has_text="RUS").first.click()
    page.wait_for_function("new URLSearchParams(location.search).get('actor') !== null")
    _wait_loaded(page)
    actor = parse_qs(urlsplit(page.url).query)["actor"][0]
    assert page.get_by_label("Actor, either side").input_value() == actor
    rows = _rows(page)
    assert rows and all(_prefix(r, actor) for r in rows)
    page.screenshot(path=artifacts / "4-actor.png", full_page=True)

    # Back goes to the view before, its filters back in the form.
    page.go_back()
    _wait_loaded(page)
    assert "actor" not in parse_qs(urlsplit(page.url).query)
    assert page.get_by_label("Actor, either side").input_value() == ""
    assert page.problems == []


def _prefix(row: dict, actor: str) -> bool:
    return any((row[side] or "").startswith(actor) for side in ("source", "target"))
