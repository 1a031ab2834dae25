"""Latency of `dyad serve` on a store of 100,000 events: p50 and p99 per endpoint.

The store is synthesised from real coding: the sample corpus and the seed article are coded
by `dyad code`, then copied in bulk SQL until there are 100,000 events, each copy of a
document with its dates shifted (over ten years) and the country part of its actor codes
swapped for another country's (consistently within the copy, so dyads stay dyads). The
server runs as `dyad serve` in a subprocess on 127.0.0.1 and this process sends a bounded
number of requests to each endpoint, one at a time, over one keep-alive connection; then
the four requests the dashboard sends together when a filter changes, timed as one.

Run: python benchmarks/api_latency.py [--events N] [--requests N] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

from dyad.export.formats import COLUMN_NAMES
from dyad.store import Store

ROOT = Path(__file__).resolve().parents[1]
INPUTS = [
    (ROOT / "sample", "2024-10-14"),
    (ROOT.parent / "shared" / "seed" / "moscow-times-venezuela.txt", "2019-02-26"),
]
COUNTRIES = (
    "USA RUS CHN VEN UKR IND BRA FRA DEU GBR IRN ISR PSE SYR TUR EGY NGA KEN ETH SDN "
    "MLI JPN KOR PRK PAK AFG IRQ SAU MEX COL ARG CHL BOL SRB BLR POL ARM AZE ZAF IDN"
).split()
MAX_SECONDS_PER_ENDPOINT = 60


def build_store(db: Path, events: int, work: Path) -> int:
    base = work / "base.duckdb"
    for path, date in INPUTS:
        cmd = [sys.executable, "-m", "dyad.cli", "code", str(path), "--date", date]
        subprocess.run([*cmd, "--db", str(base), "--workers", "1"], check=True, capture_output=True)
    with Store(db) as store:  # creates dyad's schema
        con = store.con
        con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")  # a path we made, not user input
        per_copy = con.execute("SELECT count(*) FROM base.events").fetchone()[0]
        con.execute("CREATE TEMP TABLE copies AS SELECT range AS k FROM range(?)",
                    [math.ceil(events / per_copy)])  # fmt: skip
        # Copy k of a document moves by a fixed number of days and maps each country code
        # to another one: its events keep their shape, the store gets dates and dyads.
        shift = "((k * 397) % 3650 - 1825)::INTEGER"
        countries = "[" + ", ".join(f"'{c}'" for c in COUNTRIES) + "]"
        swap = (
            f"list_extract({countries}, (hash(k, {{c}}[:3]) % {len(COUNTRIES)} + 1)::INTEGER)"
            " || {c}[4:]"
        )
        con.execute(
            "INSERT INTO documents SELECT 'syn' || k || '-' || id, url, title, source,"
            f" date + {shift}, text, body, content_hash || k, coded_at, run_id"
            " FROM base.documents, copies"
        )
        con.execute(
            "INSERT INTO sentences SELECT 'syn' || k || '-' || doc_id, idx, text, start, \"end\""
            " FROM base.sentences, copies"
        )
        overrides = {
            "event_id": "left(md5(k || '-' || event_id), 16)",
            "doc_id": "'syn' || k || '-' || doc_id",
            "source_code": swap.format(c="source_code"),
            "target_code": swap.format(c="target_code"),
            "date": f"date + {shift}",
        }
        columns = ", ".join(overrides.get(c, f'"{c}"') for c in COLUMN_NAMES)
        con.execute(
            f"INSERT INTO events SELECT {columns}, run_id FROM base.events, copies"
            " ORDER BY k, event_id LIMIT ?",
            [events],
        )
        return con.execute("SELECT count(*) FROM events").fetchone()[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(client: httpx.Client, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"dyad serve exited: {server.stderr.read().decode()[-2000:]}")
        try:
            client.get("/api/actors", params={"limit": 1}).raise_for_status()
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("dyad serve did not answer within 60 s")


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """`dyad serve` on the store in a process of its own on 127.0.0.1: its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dyad.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            wait_until_up(client, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


def endpoints(doc_ids: list[str], events: int, rng: random.Random) -> dict:
    """Name -> a function giving the next request (path, params)."""
    return {
        "events page (50, random offset)": lambda: (
            "/api/events",
            {"limit": 50, "offset": rng.randrange(max(events - 50, 1))},
        ),
        "events filtered (actor+cameo root)": lambda: (
            "/api/events",
            {"actor": rng.choice(COUNTRIES), "cameo": "04", "limit": 50},
        ),
        "events text search (q)": lambda: ("/api/events", {"q": "talks", "limit": 50}),
        "events page of 500": lambda: (
            "/api/events",
            {"limit": 500, "offset": rng.randrange(max(events - 500, 1))},
        ),
        "series (month, all)": lambda: ("/api/series", {"period": "month"}),
        "series (dyad, week)": lambda: (
            "/api/series",
            {"source": rng.choice(COUNTRIES), "target": rng.choice(COUNTRIES), "period": "week"},
        ),
        "network (country)": lambda: ("/api/network", {"level": "country"}),
        "network (actor)": lambda: ("/api/network", {"level": "actor", "limit": 500}),
        "actors": lambda: ("/api/actors", {}),
        "document": lambda: (f"/api/documents/{quote(rng.choice(doc_ids), safe='')}", {}),
        "events.csv (one country)": lambda: ("/api/events.csv", {"country": "VEN"}),
    }


def get(client: httpx.Client, path: str, params: dict) -> int:
    response = client.get(path, params=params)
    response.raise_for_status()
    return len(response.content)


def dashboard_view(client: httpx.Client, pool: ThreadPoolExecutor, rng: random.Random):
    """What the dashboard asks for when a filter changes: four views at once."""
    country = rng.choice(COUNTRIES)
    views = [
        ("/api/events", {"country": country, "limit": 50, "order": "desc"}),
        ("/api/series", {"country": country, "period": "month"}),
        ("/api/network", {"country": country, "level": "country"}),
        ("/api/locations", {"country": country, "limit": 300}),
    ]
    return lambda: sum(pool.map(lambda view: get(client, *view), views))


def measure(send, requests: int) -> dict:
    """Latency of `send()` (one request, or one set sent at once) and the bytes it got."""
    for _ in range(5):  # warm-up: DuckDB's caches, the first call of each route
        send()
    times, sizes, started = [], [], time.monotonic()
    for _ in range(requests):
        t0 = time.perf_counter()
        sizes.append(send())
        times.append((time.perf_counter() - t0) * 1000)
        if time.monotonic() - started > MAX_SECONDS_PER_ENDPOINT:
            break
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "requests": len(times),
        "p50_ms": round(cuts[49], 2),
        "p99_ms": round(cuts[98], 2),
        "mean_ms": round(statistics.fmean(times), 2),
        "kb": round(statistics.fmean(sizes) / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per endpoint, at most 2000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    requests = min(args.requests, 2000)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        events = build_store(db, args.events, Path(tmp))
        built = time.perf_counter() - t0
        with Store(db) as store:
            doc_ids = [r[0] for r in store.con.execute("SELECT id FROM documents").fetchall()]
        with serving(db) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
            rng = random.Random(8)
            results = {
                name: measure(lambda nr=next_request: get(client, *nr()), requests)
                for name, next_request in endpoints(doc_ids, events, rng).items()
            }
            with ThreadPoolExecutor(4) as pool:
                view = dashboard_view(client, pool, rng)
                results["dashboard: 4 views at once"] = measure(view, requests // 2)
    report = {"events": events, "documents": len(doc_ids), "build_s": round(built, 1)}
    if args.json:
        print(json.dumps(report | {"endpoints": results}, indent=2))
        return
    print(f"store: {events} events, {len(doc_ids)} documents (built in {built:.1f} s)")
    print(f"{'endpoint':<38}{'requests':>9}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'KB':>9}")
    for name, r in results.items():
        print(
            f"{name:<38}{r['requests']:>9}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
            f"{r['mean_ms']:>9.1f}{r['kb']:>9.1f}"
        )


if __name__ == "__main__":
    main()
