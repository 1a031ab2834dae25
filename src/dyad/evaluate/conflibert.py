"""ConfliBERT's CAMEO sets (../shared/eval/conflibert-cameo).

`cameo_class`: one sentence and its PentaClass label (0 statement [01], 1 verbal cooperation
[02-05], 2 material cooperation [06-08], 3 verbal conflict [09-13], 4 material conflict
[14-20]); a sentence's predicted class is the root of its main (most confident) event.
`cameo_ner`: CoNLL tokens with BIO tags S (source), T (target), R (reciprocal, both).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dyad.evaluate import gold_path, macro_scores, main_event, prf

CLASSES = (0, 1, 2, 3, 4)


def read_class(shared: Path) -> list[tuple[str, int]]:
    path = gold_path(shared, "eval", "conflibert-cameo", "cameo_class", "train.tsv")
    rows = []
    # The file has CRLF line ends and no header.
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text, label = line.rsplit("\t", 1)
            rows.append((text, int(label)))
    return rows


def penta_class(root: str) -> int | None:
    """PentaClass of a 2-digit CAMEO root."""
    if not root[:2].isdigit():
        return None
    number = int(root[:2])
    for cls, last in zip(CLASSES, (1, 5, 8, 13, 20), strict=True):
        if 1 <= number <= last:
            return cls
    return None


def score_class(labels: list[int], predictions: list[list[dict]]) -> dict:
    """Macro-F1 over the five classes; a sentence without events is a miss."""
    mains = [main_event(events) for events in predictions]
    predicted = [penta_class(m.get("root") or m.get("cameo", "")[:2]) if m else None for m in mains]
    scores = macro_scores(labels, predicted, list(CLASSES))
    return {
        "records": len(labels),
        "precision": scores["precision"],
        "recall": scores["recall"],
        "f1": scores["f1"],
        "accuracy": scores["accuracy"],
        "no_event": sum(m is None for m in mains),
        "per_class": scores["per_label"],
    }


@dataclass
class NerSentence:
    tokens: list[str]
    tags: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def offsets(self) -> list[tuple[int, int]]:
        """Character span of each token in `text`."""
        spans, at = [], 0
        for token in self.tokens:
            spans.append((at, at + len(token)))
            at += len(token) + 1
        return spans

    def spans(self, role: str) -> list[tuple[int, int]]:
        """Gold token spans [start, end) for 'source' (S and R) or 'target' (T and R)."""
        wanted = {"source": ("S", "R"), "target": ("T", "R")}[role]
        out: list[tuple[int, int]] = []
        start, current = None, ""
        for i, tag in enumerate([*self.tags, "O"]):
            kind = tag[2:] if tag[:2] in ("B-", "I-") else ""
            if start is not None and not (tag.startswith("I-") and kind == current):
                out.append((start, i))
                start = None
            # A stray I- without its B- still opens a span.
            if kind in wanted and start is None:
                start, current = i, kind
        return out


def read_ner(shared: Path) -> list[NerSentence]:
    path = gold_path(shared, "eval", "conflibert-cameo", "cameo_ner", "train.txt")
    sentences, tokens, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                sentences.append(NerSentence(tokens, tags))
            tokens, tags = [], []
            continue
        token, tag = line.rsplit(None, 1)
        tokens.append(token)
        tags.append(tag)
    if tokens:
        sentences.append(NerSentence(tokens, tags))
    return sentences


def _token_span(offsets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Tokens overlapping the character span [start, end)."""
    inside = [i for i, (s, e) in enumerate(offsets) if s < end and start < e]
    return (inside[0], inside[-1] + 1) if inside else None


def _matched(predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    """One-to-one matches between spans sharing at least one token, in order."""
    free = list(gold)
    hits = 0
    for ps, pe in predicted:
        for g in free:
            if ps < g[1] and g[0] < pe:
                free.remove(g)
                hits += 1
                break
    return hits


def score_ner(sentences: list[NerSentence], predictions: list[list[dict]]) -> dict:
    """Source and target span precision/recall/F1 (micro over sentences).

    Predicted spans are the distinct source/target actor spans of a sentence's events
    (character offsets in `sentence.text`), turned into the tokens they overlap.
    """
    counts = {role: [0, 0, 0] for role in ("source", "target")}  # tp, predicted, gold
    for sentence, events in zip(sentences, predictions, strict=True):
        offsets = sentence.offsets()
        for role, tally in counts.items():
            found = set()
            for event in events:
                actor = event.get(role)
                if actor and actor.get("start") is not None:
                    span = _token_span(offsets, actor["start"], actor["end"])
                    if span:
                        found.add(span)
            gold = sentence.spans(role)
            tally[0] += _matched(sorted(found), gold)
            tally[1] += len(found)
            tally[2] += len(gold)
    out: dict = {"records": len(sentences)}
    for role, (tp, n_pred, n_gold) in counts.items():
        p, r, f = prf(tp, n_pred, n_gold)
        out[role] = {"precision": p, "recall": r, "f1": f, "predicted": n_pred, "gold": n_gold}
    tp, n_pred, n_gold = (sum(c[i] for c in counts.values()) for i in range(3))
    out["precision"], out["recall"], out["f1"] = prf(tp, n_pred, n_gold)
    return out
