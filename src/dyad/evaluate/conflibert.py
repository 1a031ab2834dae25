"""ConfliBERT's CAMEO sets (../shared/eval/conflibert-cameo).

`cameo_class`: one sentence and its PentaClass label in the Phoenix convention (0 neutral
[01 statements, 02 appeals], 1 verbal cooperation [03-05], 2 material cooperation [06-08],
3 verbal conflict [09-13 and 16 reduce relations], 4 material conflict [14-15, 17-20]); a
sentence's predicted class is the root of its main (most confident) event. Phoenix counts
appeals as neutral and cutting ties or aid as verbal conflict; the labels agree (of the
sentences dyad codes 02, four in five are labelled 0; of those it codes 16, nine in ten 3).
`cameo_ner`: CoNLL tokens with BIO tags S (source), T (target), R (reciprocal, both).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dyad.evaluate import gold_path, macro_scores, main_event, prf

CLASSES = (0, 1, 2, 3, 4)
ROOT_CLASSES = {
    **dict.fromkeys(("01", "02"), 0),
    **dict.fromkeys(("03", "04", "05"), 1),
    **dict.fromkeys(("06", "07", "08"), 2),
    **dict.fromkeys(("09", "10", "11", "12", "13", "16"), 3),
    **dict.fromkeys(("14", "15", "17", "18", "19", "20"), 4),
}


def read_class(shared: Path) -> list[tuple[str, int]]:
    path = gold_path(shared, "eval", "conflibert-cameo", "cameo_class", "train.tsv")
    rows = []
    # The file has CRLF line ends and no header.
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text, label = line.rsplit("\t", 1)
            rows.append((text, int(label)))
    return rows


# The mapping ../shared/eval/README.md gives (inferred there, not stated by ConfliBERT):
# 01 alone neutral, 02-05 verbal cooperation, 16 material conflict. Scored as well, so
# that the choice of mapping is visible in the figures.
SHARED_README_CLASSES = {
    **dict.fromkeys(("01",), 0),
    **dict.fromkeys(("02", "03", "04", "05"), 1),
    **dict.fromkeys(("06", "07", "08"), 2),
    **dict.fromkeys(("09", "10", "11", "12", "13"), 3),
    **dict.fromkeys(("14", "15", "16", "17", "18", "19", "20"), 4),
}


def penta_class(root: str, classes: dict[str, int] = ROOT_CLASSES) -> int | None:
    """PentaClass of a 2-digit CAMEO root."""
    return classes.get(root[:2])


def score_class(labels: list[int], predictions: list[list[dict]]) -> dict:
    """Macro-F1 over the five classes; a sentence without events is a miss."""
    mains = [main_event(events) for events in predictions]
    roots = [(m.get("root") or m.get("cameo", "")[:2]) if m else None for m in mains]
    predicted = [penta_class(r) if r else None for r in roots]
    scores = macro_scores(labels, predicted, list(CLASSES))
    other = [penta_class(r, SHARED_README_CLASSES) if r else None for r in roots]
    readme = macro_scores(labels, other, list(CLASSES))
    return {
        "f1_shared_readme_mapping": readme["f1"],
        "accuracy_shared_readme_mapping": readme["accuracy"],
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
