"""Score article extraction on the Zyte article-extraction benchmark (181 news pages).

The metric is the benchmark's own (scrapinghub/article-extraction-benchmark, evaluate.py),
written again here: texts are cut into `\\w+` tokens, a page's true and predicted texts into
multisets of 4-token shingles; per page TP/FP/FN are normalised to sum to 1, then precision
and recall are averaged over pages and F1 is their harmonic mean.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from dyad.clean.html import extract_html
from dyad.errors import DyadError

FOLDER = Path("eval") / "article-extraction"
TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str, n: int = SHINGLE) -> Counter:
    """The multiset of n-token shingles; a text shorter than n tokens is one short shingle."""
    tokens = TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def match(true: str, pred: str) -> tuple[float, float, float]:
    """TP, FP, FN over shingles, normalised to sum to 1 so that long pages weigh no more."""
    t, p = shingles(true), shingles(pred)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def metrics(rows: list[tuple[float, float, float]]) -> dict:
    """Precision averaged over pages with a prediction, recall over pages with a truth."""
    precision = statistics.mean(_precision(*r) for r in rows if r[0] + r[1] > 0)
    recall = statistics.mean(_recall(*r) for r in rows if r[0] + r[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _truth(shared: Path) -> dict:
    path = Path(shared) / FOLDER / "ground-truth.json"
    if not path.is_file():
        raise DyadError("E304", "article-extraction", path=path)
    return json.loads(path.read_text(encoding="utf-8"))


def _bodies(shared: Path, truth: dict, limit: int | None):
    for page_id in sorted(truth)[:limit]:
        page = Path(shared) / FOLDER / "html" / f"{page_id}.html.gz"
        html = gzip.decompress(page.read_bytes()).decode("utf-8")
        yield page_id, extract_html(html, url=truth[page_id].get("url"))[0]


def article_bodies(shared: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(page id, extracted body) for each benchmark page, in id order."""
    return list(_bodies(shared, _truth(shared), limit))


def score(shared: Path, limit: int | None = None) -> dict:
    """Extract every page (or the first `limit` by id) and score against the ground truth."""
    truth = _truth(shared)
    start = time.perf_counter()
    rows = [match(truth[i]["articleBody"], body) for i, body in _bodies(shared, truth, limit)]
    return {"records": len(rows), **metrics(rows), "seconds": time.perf_counter() - start}
