"""Load test of `dyad serve`: concurrent clients for a fixed time, errors and latency.

The server runs as `dyad serve` in a process of its own on 127.0.0.1, over the store that
api_latency.py synthesises (100,000 events by default) or an existing one (--db). Each
client is a thread with its own keep-alive connection sending requests back to back for
the given time, each to an endpoint drawn at random from the mix below (the dashboard's
views and a reader's lookups). Any status but 200 and any connection failure is an error.
Printed: requests, errors, throughput, p50/p95/p99 per endpoint and over all.

Run: python benchmarks/server_load.py [--clients 8] [--seconds 30] [--events N | --db PATH]
     [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import httpx
from api_latency import COUNTRIES, build_store, serving

from dyad.server.queries import connect

MAX_SECONDS = 600
WORDS = ("talks", "minister", "attack", "police", "agreement", "election")


def mix(doc_ids: list[str], events: int, rng: random.Random) -> dict:
    """Endpoint name -> a function giving the next request (path, params)."""
    return {
        "events filtered": lambda: (
            "/api/events",
            {"actor": rng.choice(COUNTRIES), "cameo": rng.choice(["01", "04", "05", "19"])},
        ),
        "events page": lambda: (
            "/api/events",
            {"limit": 100, "offset": rng.randrange(max(events - 100, 1)), "order": "desc"},
        ),
        "events search": lambda: ("/api/events", {"q": rng.choice(WORDS), "limit": 50}),
        "series": lambda: (
            "/api/series",
            {"country": rng.choice(COUNTRIES), "period": rng.choice(["day", "week", "month"])},
        ),
        "network": lambda: ("/api/network", {"level": rng.choice(["actor", "country"])}),
        "actors": lambda: ("/api/actors", {"prefix": rng.choice(COUNTRIES)[:2], "limit": 50}),
        "locations": lambda: ("/api/locations", {"country": rng.choice(COUNTRIES)}),
        "document": lambda: (f"/api/documents/{quote(rng.choice(doc_ids), safe='')}", {}),
    }


def client(base_url: str, shared: dict, stop: threading.Event, seed: int) -> None:
    """Send requests back to back until `stop`; record each one's latency or error."""
    rng = random.Random(seed)
    endpoints = mix(shared["doc_ids"], shared["events"], rng)
    names = sorted(endpoints)
    with httpx.Client(base_url=base_url, timeout=30) as http:
        while not stop.is_set():
            name = rng.choice(names)
            path, params = endpoints[name]()
            t0 = time.perf_counter()
            try:
                response = http.get(path, params=params)
                response.read()
                error = None if response.status_code == 200 else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            ms = (time.perf_counter() - t0) * 1000
            with shared["lock"]:
                if error is None:
                    shared["times"][name].append(ms)
                else:
                    shared["errors"][name].append(error)


def load(db: Path, clients: int, seconds: float) -> dict:
    """Run the clients against `dyad serve` on `db`; the figures per endpoint and overall."""
    with connect(db) as con:
        doc_ids = [r[0] for r in con.execute("SELECT id FROM documents").fetchall()]
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    shared = {
        "doc_ids": doc_ids,
        "events": events,
        "lock": threading.Lock(),
        "times": defaultdict(list),
        "errors": defaultdict(list),
    }
    stop = threading.Event()
    with serving(db) as base_url:
        threads = [
            threading.Thread(target=client, args=(base_url, shared, stop, seed))
            for seed in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(min(seconds, MAX_SECONDS))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.perf_counter() - started
    names = sorted(set(shared["times"]) | set(shared["errors"]))
    rows = {name: _figures(shared["times"][name], shared["errors"][name]) for name in names}
    every = [t for name in names for t in shared["times"][name]]
    overall = _figures(every, [e for name in names for e in shared["errors"][name]])
    overall["per_second"] = round(overall["requests"] / elapsed, 1)
    samples = sorted({e for name in names for e in shared["errors"][name]})[:5]
    return {
        "events": events,
        "documents": len(doc_ids),
        "clients": clients,
        "seconds": round(elapsed, 1),
        "overall": overall,
        "endpoints": rows,
        "error_samples": samples,
    }


def _figures(times: list[float], errors: list[str]) -> dict:
    figures = {"requests": len(times) + len(errors), "errors": len(errors)}
    if len(times) >= 2:
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        figures |= {f"p{p}_ms": round(cuts[p - 1], 1) for p in (50, 95, 99)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30, help=f"at most {MAX_SECONDS}")
    parser.add_argument("--events", type=int, default=100_000, help="of the synthesised store")
    parser.add_argument("--db", type=Path, help="an existing store instead (read only)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.duckdb"
            build_store(db, args.events, Path(tmp))
        report = load(db, args.clients, args.seconds)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    o = report["overall"]
    print(
        f"store: {report['events']} events, {report['documents']} documents;"
        f" {report['clients']} clients for {report['seconds']} s:"
        f" {o['requests']} requests, {o['errors']} errors, {o['per_second']} requests/s"
    )
    print(f"{'endpoint':<20}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, r in [*report["endpoints"].items(), ("overall", o)]:
        cells = "".join(f"{r.get(k, float('nan')):>9.1f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
        print(f"{name:<20}{r['requests']:>9}{r['errors']:>8}{cells}")
    for sample in report["error_samples"]:
        print("error:", sample)


if __name__ == "__main__":
    main()
