"""Readers and scorers for the gold sets in ../shared/eval and the seed article.

Each module reads one set and scores predictions handed to it; none of them codes text.
`runner.run_all` wires them to a coder. See README.md for the matching rules.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from dyad.errors import DyadError


def gold_path(shared: Path, *parts: str) -> Path:
    """A file or folder under `shared`, or E304 when it is missing."""
    path = Path(shared).joinpath(*parts)
    if not path.exists():
        raise DyadError("E304", "evaluate", path=str(path))
    return path


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main_event(events: list[dict]) -> dict | None:
    """The most confident event; the first one on a tie."""
    best = None
    for event in events:
        if best is None or event.get("confidence", 0.0) > best.get("confidence", 0.0):
            best = event
    return best


def macro_scores(gold: list, predicted: list, labels: list | None = None) -> dict:
    """Macro precision/recall/F1 over `labels` (default: every label seen in gold or
    predictions). A None prediction is a miss: a false negative and no false positive."""
    labels = labels or sorted({g for g in gold} | {p for p in predicted if p is not None})
    tp = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    n_gold = Counter(gold)
    n_pred = Counter(p for p in predicted if p is not None)
    per_label = {}
    for label in labels:
        p, r, f = prf(tp[label], n_pred[label], n_gold[label])
        per_label[label] = {"precision": p, "recall": r, "f1": f, "support": n_gold[label]}
    count = len(labels) or 1
    return {
        "precision": sum(v["precision"] for v in per_label.values()) / count,
        "recall": sum(v["recall"] for v in per_label.values()) / count,
        "f1": sum(v["f1"] for v in per_label.values()) / count,
        "accuracy": sum(tp.values()) / len(gold) if gold else 0.0,
        "per_label": per_label,
    }
