"""WARC ingestion throughput: documents per second of `read_warc` on a generated crawl.

The crawl is built in a temporary folder from the 181 real news pages of
../shared/eval/article-extraction (read in place, never copied into the repository), each
page repeated under a new URL until there are N, with a request record before each
response as crawlers write them, gzipped per record as Common Crawl does. Three timings on
the same pages: warcio alone reading every record's payload, `extract_html` alone on the
same HTML, and `read_warc` (both, plus Document building). The ratios show where the time
goes. Run: python benchmarks/warc_ingest.py [N]
"""

from __future__ import annotations

import gzip
import io
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dyad.clean.html import extract_html
from dyad.ingest.warc import read_warc

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "article-extraction"


def pages(n: int) -> list[tuple[str, bytes]]:
    """n (url, html) pairs: the benchmark's pages in turn, each round under new URLs."""
    truth = json.loads((SHARED / "ground-truth.json").read_text(encoding="utf-8"))
    files = sorted((SHARED / "html").glob("*.html.gz"))
    out = []
    for i in range(n):
        path = files[i % len(files)]
        url = truth[path.name.removesuffix(".html.gz")]["url"]
        round_ = i // len(files)
        out.append((f"{url}#copy{round_}" if round_ else url, gzip.decompress(path.read_bytes())))
    return out


def write_crawl(path: Path, crawl: list[tuple[str, bytes]]) -> None:
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for url, html in crawl:
            request = StatusAndHeaders("GET / HTTP/1.1", [("User-Agent", "bench")])
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html), http_headers=http
            )
            writer.write_record(record)


def timed(fn):
    """The result, and the CPU seconds it took: on a shared machine, wall time says as much
    about the neighbours as about the code (the wall time is printed too)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def warcio_only(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(len(r.content_stream().read()) for r in ArchiveIterator(f))


def main(n: int = 500) -> None:
    crawl = pages(n)
    with tempfile.TemporaryDirectory(prefix="dyad-warc-") as tmp:
        path = Path(tmp) / "crawl.warc.gz"
        write_crawl(path, crawl)
        size = path.stat().st_size
        counts = Counter()
        items, t_read, wall = timed(lambda: list(read_warc(path, counts=counts)))
        read_bytes, t_warcio, _ = timed(lambda: warcio_only(path))
        _, t_extract, _ = timed(lambda: [extract_html(h.decode(), u) for u, h in crawl])
    docs = sum(1 for i in items if not isinstance(i, Exception))
    print(f"crawl: {n} pages, {2 * n} records, {size / 1e6:.1f} MB gzipped")
    print(f"records read: {dict(counts)}")
    print(f"read_warc:             {docs / t_read:7.1f} documents/s of CPU", end="")
    print(f" ({docs} documents, {t_read:.1f} s CPU, {wall:.1f} s wall)")
    print(f"warcio alone:          {n / t_warcio:7.0f} pages/s ({read_bytes / 1e6:.0f} MB of HTML)")
    print(f"extract_html alone:    {n / t_extract:7.1f} pages/s")
    print(f"read_warc / extract:   {t_read / t_extract:7.2f} (CPU time)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS:              {peak:7.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
