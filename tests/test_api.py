"""The web API over a real store: the sample corpus and the seed article coded by the CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dyad.cli import app as cli
from dyad.errors import DyadError
from dyad.server.app import MAX_BODY, create_app

SAMPLE = Path(__file__).resolve().parents[1] / "sample"
SEED_ID = "moscow-times-venezuela.txt"
TOKEN = "test-token-123"
INJECTIONS = [
    "'; DROP TABLE events; --",
    "RUS' OR '1'='1",
    "RUS%' --",
    "1) UNION SELECT * FROM documents --",
    '" OR 1=1 --',
]


@pytest.fixture(scope="session")
def store(tmp_path_factory, shared):
    db = tmp_path_factory.mktemp("api") / "dyad.duckdb"
    runner = CliRunner()
    for path, date in (
        (SAMPLE, "2024-10-14"),
        (shared / "seed" / SEED_ID, "2019-02-26"),
    ):
        args = ["code", str(path), "--date", date, "--db", str(db), "--workers", "1"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="session")
def client(store):
    with TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def every(client) -> list[dict]:
    """All stored events (the sample and the seed make fewer than one page)."""
    body = client.get("/api/events", params={"limit": 500}).json()
    assert body["total"] == len(body["events"]) > 20
    return body["events"]


def _table_counts(db) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "sentences", "events", "errors", "runs")
        }


def _code(actor: dict | None) -> str:
    return "" if actor is None else actor["code"]


def _involves(event: dict, country: str) -> bool:
    return country in (_code(event["source"])[:3], _code(event["target"])[:3])


def test_the_dyad_venezuela_russia_is_the_seeds(client, every):
    body = client.get("/api/events", params={"source": "VEN", "target": "RUS"}).json()
    assert body["total"] >= 1
    for e in body["events"]:
        assert e["doc_id"] == SEED_ID
        assert e["source"]["code"].startswith("VEN") and e["target"]["code"].startswith("RUS")
    expected = [
        e for e in every if _code(e["source"])[:3] == "VEN" and _code(e["target"])[:3] == "RUS"
    ]
    assert body["total"] == len(expected)


FILTERS = [
    ("cameo", "04", lambda e: e["cameo"].startswith("04")),
    ("cameo", "042", lambda e: e["cameo"] == "042"),
    ("since", "2024-01-01", lambda e: e["date"] is not None and e["date"] >= "2024-01-01"),
    ("until", "2019-12-31", lambda e: e["date"] is not None and e["date"] <= "2019-12-31"),
    ("actor", "RUS", lambda e: _involves(e, "RUS")),
    ("source", "RUS", lambda e: _code(e["source"]).startswith("RUS")),
    ("target", "VEN", lambda e: _code(e["target"]).startswith("VEN")),
    ("country", "VEN", lambda e: _involves(e, "VEN")),
    ("quad_class", "4", lambda e: e["quad_class"] == 4),
    ("plover", "AID", lambda e: e["plover"] == "AID"),
    ("modality", "future", lambda e: e["modality"] == "future"),
    ("q", "MOSCOW", lambda e: "moscow" in e["sentence"].lower()),
]


@pytest.mark.parametrize(("name", "value", "keep"), FILTERS)
def test_each_filter_narrows_to_exactly_its_events(client, every, name, value, keep):
    body = client.get("/api/events", params={name: value, "limit": 500}).json()
    expected = [e["event_id"] for e in every if keep(e)]
    assert 0 < body["total"] < len(every)
    assert sorted(e["event_id"] for e in body["events"]) == sorted(expected)


def test_empty_filters_filter_nothing(client, every):
    params = {name: "" for name in ("actor", "country", "cameo", "plover", "q")}
    assert client.get("/api/events", params=params).json()["total"] == len(every)


def test_a_date_range_and_a_root_together(client, every):
    params = {"since": "2019-02-01", "until": "2019-02-28", "cameo": "04", "limit": 500}
    body = client.get("/api/events", params=params).json()
    expected = [
        e
        for e in every
        if e["date"] and "2019-02-01" <= e["date"] <= "2019-02-28" and e["root"] == "04"
    ]
    assert body["total"] == len(expected) >= 1


def test_pages_add_up_to_the_total(client, every):
    seen = []
    for offset in range(0, len(every) + 7, 7):
        body = client.get("/api/events", params={"limit": 7, "offset": offset}).json()
        assert body["total"] == len(every)
        seen += [e["event_id"] for e in body["events"]]
    assert seen == [e["event_id"] for e in every]
    newest = client.get("/api/events", params={"order": "desc", "limit": 1}).json()["events"]
    assert newest[0]["date"] == max(e["date"] for e in every if e["date"])


def test_actors_count_both_sides(client, every):
    body = client.get("/api/actors", params={"limit": 500}).json()
    rows = {r["code"]: r for r in body["actors"]}
    assert body["total"] == len(rows)
    assert sum(r["as_source"] for r in rows.values()) == len(every)
    assert sum(r["as_target"] for r in rows.values()) == sum(1 for e in every if e["target"])
    ven = client.get("/api/actors", params={"prefix": "ven"}).json()["actors"]
    assert ven and all(r["code"].startswith("VEN") for r in ven)


def test_series_sums_to_the_dated_events(client, every):
    for period in ("day", "week", "month"):
        body = client.get("/api/series", params={"period": period, "country": "VEN"}).json()
        dated = [e for e in every if e["date"] and _involves(e, "VEN")]
        assert sum(r["events"] for r in body["series"]) == len(dated)
        assert sum(r["goldstein"] for r in body["series"]) == pytest.approx(
            sum(e["goldstein"] for e in dated), abs=0.05
        )
    assert client.get("/api/series", params={"period": "year'"}).status_code == 422


def test_network_edges_and_min_count(client, every):
    edges = client.get("/api/network", params={"level": "country"}).json()["edges"]
    assert sum(e["events"] for e in edges) == sum(1 for e in every if e["target"])
    rus_ven = next(e for e in edges if (e["source"], e["target"]) == ("RUS", "VEN"))
    assert rus_ven["events"] >= 2
    heavy = client.get("/api/network", params={"level": "country", "min_count": 2}).json()
    assert heavy["edges"] and all(e["events"] >= 2 for e in heavy["edges"])


def test_locations_have_coordinates(client):
    places = client.get("/api/locations").json()["locations"]
    assert any(p["name"] == "Moscow" for p in places)
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in places)


def test_document_offsets_point_into_its_text(client, every):
    doc = client.get(f"/api/documents/{SEED_ID}").json()
    text = doc["text"]
    assert doc["id"] == SEED_ID and doc["date"] == "2019-02-26"
    events = [e for s in doc["sentences"] for e in s["events"]]
    assert sorted(e["event_id"] for e in events) == sorted(
        e["event_id"] for e in every if e["doc_id"] == SEED_ID
    )
    for s in doc["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
        for e in s["events"]:
            assert e["sentence_index"] == s["index"]
            for actor in (e["source"], e["target"]):
                if actor is not None:
                    assert text[actor["start"] : actor["end"]] == actor["text"]
            assert text[e["verb"]["start"] : e["verb"]["end"]] == e["verb"]["text"]


def test_downloads_stream_the_filtered_view(client):
    params = {"cameo": "04"}
    page = client.get("/api/events", params=params | {"limit": 500}).json()
    response = client.get("/api/events.csv", params=params)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["event_id"] for r in rows] == [e["event_id"] for e in page["events"]]
    lines = client.get("/api/events.jsonl", params=params).text.splitlines()
    assert [json.loads(line) for line in lines] == page["events"]


FILTERS = ["since", "until", "actor", "source", "target", "country", "cameo", "quad_class",
           "plover", "modality", "q"]  # fmt: skip
FILTERED = ["/api/events", "/api/events.csv", "/api/events.jsonl", "/api/actors",
            "/api/series", "/api/network", "/api/locations"]  # fmt: skip


def _finds_nothing(response) -> bool:
    if response.headers["content-type"].startswith("application/json"):
        body = response.json()
        return body.get("total", 0) == 0 and not any(
            body.get(k) for k in ("series", "edges", "locations", "events", "actors")
        )
    return len(response.text.splitlines()) <= 1  # a download: at most the CSV header


@pytest.mark.parametrize("payload", INJECTIONS)
def test_sql_injection_in_any_filter_of_any_view_is_refused_or_finds_nothing(
    client, store, payload
):
    before = _table_counts(store)
    for path in FILTERED:
        for name in FILTERS:
            response = client.get(path, params={name: payload})
            refused = response.status_code in (400, 422)
            assert refused or (response.status_code == 200 and _finds_nothing(response)), (
                path,
                name,
            )
    for path, name in [
        ("/api/actors", "prefix"),
        ("/api/actors", "limit"),
        ("/api/actors", "offset"),
        ("/api/series", "period"),
        ("/api/network", "level"),
        ("/api/network", "min_count"),
        ("/api/network", "limit"),
        ("/api/locations", "limit"),
        ("/api/events", "order"),
        ("/api/events", "limit"),
        ("/api/events", "offset"),
    ]:
        assert client.get(path, params={name: payload}).status_code in (400, 422), (path, name)
    assert client.get(f"/api/documents/{payload}").status_code == 404
    assert _table_counts(store) == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/documents/../../etc/passwd",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/api/documents/%252e%252e%252fetc%252fpasswd",
        "/api/documents/....//....//etc/passwd",
        "/..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_path_traversal_finds_no_file(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text


@pytest.mark.parametrize("mount", ["/", "/docs-assets/"])
@pytest.mark.parametrize(
    "escape", ["../", "..%2F", "%2e%2e%2f", "%2e%2e/", "..%5c", "....//", "%252e%252e%252f"]
)
def test_static_files_do_not_leave_their_folder(client, mount, escape):
    """The dashboard's folder sits beside the server's code, so a way out would show it."""
    for target in ("app.py", "../server/app.py", "etc/passwd"):
        path = mount + escape * 6 + target
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert "create_app" not in response.text and "root:" not in response.text, path


@pytest.mark.parametrize("path", ["/api/events", "/api/actors", "/api/network", "/api/locations"])
def test_page_sizes_are_bounded(client, path):
    for params in ({"limit": 10**9}, {"limit": 10**30}, {"limit": 0}, {"limit": -1}):
        response = client.get(path, params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"] == ["query", "limit"]  # says which
    assert client.get("/api/events", params={"limit": 501}).status_code == 422
    if path in ("/api/events", "/api/actors"):
        assert client.get(path, params={"offset": -1}).status_code == 422
        assert client.get(path, params={"offset": 10**10}).status_code == 422


def test_oversized_filters_are_refused(client):
    for name, size in [("q", 201), ("actor", 41), ("country", 4), ("cameo", 5), ("plover", 41)]:
        response = client.get("/api/events", params={name: "A" * size})
        assert response.status_code == 422, name


def test_bodies_over_the_limit_are_refused(client):
    big = b"x" * (MAX_BODY + 1)
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    refused = client.post("/api/code", content=big, headers=headers)
    assert refused.status_code == 413 and refused.headers["x-content-type-options"] == "nosniff"
    chunks = (b"x" * 65536 for _ in range(MAX_BODY // 65536 + 2))  # no Content-Length
    response = client.post("/api/code", content=chunks, headers=headers)
    assert response.status_code == 413
    assert response.json()["detail"].startswith("request body over")
    bad_length = client.post("/api/code", content=b"{}", headers=headers | {"Content-Length": "x"})
    assert bad_length.status_code == 400
    to_a_view = client.request("GET", "/api/events", content=big)  # a body where none is read
    assert to_a_view.status_code == 413


def test_coding_needs_the_token(client, store):
    body = {
        "id": "t1",
        "text": "Russia accused the United States of meddling.",
        "date": "2024-01-02",
    }
    assert client.post("/api/code", json=body).status_code == 401
    wrong = client.post("/api/code", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    for headers, params in [
        ({"Authorization": f"Basic {TOKEN}"}, {}),  # another scheme
        ({"Authorization": TOKEN}, {}),  # no scheme
        ({"Authorization": f"Bearer {TOKEN}x"}, {}),  # the token and more
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, {}),  # a prefix of it
        ({}, {"token": TOKEN}),  # in the URL, where logs would keep it
        ({"X-Token": TOKEN}, {}),
    ]:
        response = client.post("/api/code", json=body, headers=headers, params=params)
        assert response.status_code == 401, (headers, params)
    before = _table_counts(store)
    ok = client.post("/api/code", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    result = ok.json()
    assert result["stored"] is False
    assert [(e["source"]["code"], e["target"]["code"]) for e in result["events"]] == [
        ("RUS", "USA")
    ]
    assert _table_counts(store) == before  # the server never writes


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_the_views_cannot_be_written(client, store, method):
    before = _table_counts(store)
    for path in ["/api/events", "/api/documents/x", "/api/code", "/api/actors"]:
        assert client.request(method, path, json={}).status_code == 405, path
    assert _table_counts(store) == before


def test_coding_is_off_without_a_token(store):
    with TestClient(create_app(store)) as client:
        body = {"text": "Russia accused the United States."}
        assert client.post("/api/code", json=body).status_code == 403
        with_token = client.post("/api/code", json=body, headers={"Authorization": "Bearer x"})
        assert with_token.status_code == 403


def test_no_cors_unless_asked(client, store):
    origin = {"Origin": "https://evil.example"}
    assert "access-control-allow-origin" not in client.get("/api/events", headers=origin).headers
    preflight = client.options(
        "/api/events", headers=origin | {"Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in preflight.headers
    with TestClient(create_app(store, cors_origins=["https://lab.example"])) as open_client:
        allowed = open_client.get("/api/events", headers={"Origin": "https://lab.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://lab.example"
        other = open_client.get("/api/events", headers=origin)
        assert "access-control-allow-origin" not in other.headers


def test_errors_are_json_without_tracebacks(client, tmp_path):
    responses = [
        client.get("/api/nothing-here"),
        client.get("/api/documents/no-such-doc"),
        client.post("/api/events"),
        client.get("/api/events", params={"since": "yesterday"}),
        client.get("/api/events", params={"actor": "R U S"}),
    ]
    broken = tmp_path / "empty.duckdb"
    duckdb.connect(str(broken)).close()  # a database without dyad's tables
    with TestClient(create_app(broken), raise_server_exceptions=False) as c:
        responses.append(c.get("/api/events"))
    assert [r.status_code for r in responses] == [404, 404, 405, 422, 400, 500]
    for r in responses:
        assert r.headers["content-type"] == "application/json"
        assert "detail" in r.json()
        assert "Traceback" not in r.text and "duckdb" not in r.text.lower()


def test_security_headers_and_docs(client):
    response = client.get("/api/actors")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert client.get("/openapi.json").json()["info"]["title"] == "dyad"
    page = client.get("/docs")
    assert page.status_code == 200
    assert "http" not in page.text.split("openapi.json")[0].lower()  # no CDN: works offline
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_the_store_must_exist(tmp_path):
    with pytest.raises(DyadError, match="E601"):
        create_app(tmp_path / "missing.duckdb")


def test_the_server_answers_concurrent_clients_without_an_error(store):
    """benchmarks/server_load.py, short: `dyad serve` in its own process, four clients at
    once for three seconds over every view; the figures are the benchmark's business."""
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "server_load.py"
    args = ["--db", str(store), "--clients", "4", "--seconds", "3", "--json"]
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["overall"]["errors"] == 0, report["error_samples"]
    assert set(report["endpoints"]) == {
        "actors", "document", "events filtered", "events page", "events search", "locations",
        "network", "series",
    }  # fmt: skip
    assert all(r["requests"] > 0 for r in report["endpoints"].values())


def test_a_store_from_an_older_dyad_is_served_before_any_writer_migrates_it(tmp_path):
    import duckdb

    from dyad.export.formats import EVENT_COLUMNS
    from dyad.server import queries

    path = tmp_path / "old.duckdb"
    later = ("issues", "source_how", "target_how")
    old = [(n, t) for n, t, _ in EVENT_COLUMNS if n not in later]
    with duckdb.connect(str(path)) as con:  # the events table as an older release wrote it
        con.execute(f"CREATE TABLE events ({', '.join(f'{n} {t}' for n, t in old)})")
        con.execute("INSERT INTO events (event_id, doc_id, source_code, cameo) "
                    "VALUES ('e1', 'd1', 'RUS', '042')")  # fmt: skip
    got = queries.events(queries.connect(path), queries.Filters())
    (record,) = got["events"]
    assert record["source"]["code"] == "RUS" and record["source"]["how"] is None
    assert record["issues"] == []
