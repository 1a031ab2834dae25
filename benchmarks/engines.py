"""Engines compared on the same 200 news articles: documents/s of the local engine with one
worker (in this process) and with two worker processes, and of a Dask LocalCluster with two
workers. The 197 Wikinews 2019-2020 articles are topped up with 2004-2009 ones.

Times are end to end, as a user waits for them: loading spaCy in each worker, starting the
processes or the cluster, coding, and receiving every result here. The startup column is the
time to the first result. CPU seconds count this process and its workers: on a machine
shared with other jobs, wall time moves with their load, CPU time much less.

Run: python benchmarks/engines.py [documents]
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import sys
import time
from pathlib import Path

from dyad.engine.dask import code_stream_dask
from dyad.engine.local import code_stream
from dyad.model import Document

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FILES = ("wikinews-2019-2020", "wikinews-2004-2009")


def documents(n: int) -> list[Document]:
    out = []
    for name in FILES:
        with (CORPUS / name / "articles.jsonl").open(encoding="utf-8") as f:
            for line in itertools.islice(f, n - len(out)):
                r = json.loads(line)
                out.append(Document(id=r["id"], text=r["text"], url=r.get("url")))
    return out


def cpu_seconds() -> float:
    """User and system time of this process and of its children that have ended."""
    return sum(
        u.ru_utime + u.ru_stime
        for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def measure(name: str, stream) -> dict:
    cpu, start = cpu_seconds(), time.perf_counter()
    first, docs, events = None, 0, set()
    for _, _, evs in stream:
        first = first or time.perf_counter() - start
        docs += 1
        events.update(e.event_id for e in evs)
    seconds = time.perf_counter() - start
    return {
        "engine": name,
        "documents": docs,
        "events": len(events),
        "seconds": seconds,
        "startup": first,
        "docs_per_s": docs / seconds,
        # Dask's workers are the nanny's children, not ours: their CPU is not counted.
        "cpu_seconds": cpu_seconds() - cpu if "dask" not in name else None,
        "event_ids": events,
    }


def main(n: int = 200) -> None:
    docs = documents(n)
    print(f"{len(docs)} documents, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()}")
    runs = [
        measure("local, 1 worker", code_stream(docs, workers=1)),
        measure("local, 2 workers", code_stream(docs, workers=2)),
        measure("dask LocalCluster, 2 workers", code_stream_dask(docs, workers=2)),
    ]
    print(
        f"{'engine':30} {'docs/s':>7} {'seconds':>8} {'startup':>8} {'CPU s':>6}"
        f" {'cores busy':>10} {'events':>7}"
    )
    for r in runs:
        cpu, busy = "-", "-"
        if r["cpu_seconds"] is not None:
            cpu, busy = f"{r['cpu_seconds']:.0f}", f"{r['cpu_seconds'] / r['seconds']:.2f}"
        print(
            f"{r['engine']:30} {r['docs_per_s']:7.1f} {r['seconds']:8.1f} {r['startup']:8.1f}"
            f" {cpu:>6} {busy:>10} {r['events']:7}"
        )
    one, two, dask = runs
    print(f"local 2 workers / 1 worker: {two['docs_per_s'] / one['docs_per_s']:.2f}x")
    print(f"dask / local, 2 workers each: {dask['docs_per_s'] / two['docs_per_s']:.2f}x")
    same = one["event_ids"] == two["event_ids"] == dask["event_ids"]
    print(f"same events from every engine: {same}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
