"""Cut site chrome and reader appeals out of plain article text.

The rules are general (no site is named): phrases live in `data/boilerplate.tsv`, one regex a
row with its kind. Work is line by line, because chrome comes as whole lines (buttons,
credits, cookie notices, link lists) and appeals as a run of lines opened by a header.

Offsets: the body keeps every kept character at its original offset. A removed line inside
the text becomes spaces (its newlines stay, so paragraphs stay apart); removed text at the
end is dropped, so the body is `text[:cut]` plus masked lines. Anything found on the
original text with offsets in the body is therefore also right for the original text.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "boilerplate.tsv"
KINDS = ("header", "appeal", "line", "list", "inline")
# An appeal run ends after this many lines of other text with no appeal words in them.
APPEAL_GAP = 2
# An appeal is only cut when this many of its lines hold appeal words: a header alone is
# not enough, so a news line that happens to start like one stays.
APPEAL_MIN_LINES = 2
# Items of a link list are short lines that do not end like a sentence.
LIST_ITEM_MAX = 150
SENTENCE_END = (".", "!", "?", '"', "\u201d", ":")


@lru_cache(maxsize=1)
def load_rules(path: Path = DATA) -> dict[str, list[re.Pattern]]:
    """The patterns of each kind, compiled case-insensitively."""
    rules: dict[str, list[re.Pattern]] = {kind: [] for kind in KINDS}
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(
            (line for line in f if not line.startswith("#")),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
        next(rows)  # the column names
        for row in rows:
            if not row:
                continue
            kind, pattern = row[0], row[1]
            if kind not in rules:
                raise ValueError(f"{path.name}: unknown kind {kind!r}")
            rules[kind].append(re.compile(pattern, re.IGNORECASE))
    return rules


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its newline."""
    spans, start = [], 0
    for line in text.splitlines(keepends=True):
        end = start + len(line.rstrip("\r\n"))
        spans.append((start, end))
        start += len(line)
    return spans


def _whole(patterns: list[re.Pattern], line: str) -> bool:
    return any(p.fullmatch(line) for p in patterns)


def _appeal_end(rules, lines: list[str], i: int) -> int | None:
    """Index of the last line of the appeal opened at line i, or None when it is no appeal."""
    last, hits, gap = i, 0, 0
    for j in range(i, len(lines)):
        line = lines[j].strip()
        if not line:
            continue
        if any(p.search(line) for p in rules["appeal"]):
            hits, last, gap = hits + 1, j, 0
        elif j == i or _whole(rules["line"], line) or _whole(rules["header"], line):
            last = j
        else:
            gap += 1
            if gap > APPEAL_GAP:
                break
    return last if hits >= APPEAL_MIN_LINES else None


def _list_end(lines: list[str], i: int) -> int:
    """Index of the last item of the link list headed by line i."""
    last = i
    for j in range(i + 1, len(lines)):
        line = lines[j].strip()
        if not line or len(line) > LIST_ITEM_MAX or line.endswith(SENTENCE_END):
            break
        last = j
    return last


def _cut_lines(text: str, rules) -> list[tuple[int, int]]:
    """The spans of whole lines to remove."""
    offsets = _lines(text)
    lines = [text[s:e] for s, e in offsets]
    cut: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        end = None
        if line and _whole(rules["header"], line):
            end = _appeal_end(rules, lines, i)
        if end is None and line and _whole(rules["list"], line):
            end = _list_end(lines, i)
        if end is None and line and _whole(rules["line"], line):
            end = i
        if end is not None:
            cut.append((offsets[i][0], offsets[end][1]))
            i = end
        i += 1
    return cut


def _cut_inline(text: str, rules) -> list[tuple[int, int]]:
    return [m.span() for p in rules["inline"] for m in p.finditer(text)]


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans, joined where they overlap or only blanks lie between them."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def strip_boilerplate(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The body and the character spans of `text` that were cut (see the module docstring).

    Removed lines inside the text become spaces; removed text at the end and the blanks
    before it are dropped, and the last span then runs to the end of the text.
    """
    rules = load_rules()
    spans = _merge(text, _cut_lines(text, rules) + _cut_inline(text, rules))
    if not spans:
        return text, []
    chars = list(text)
    for start, end in spans:
        for k in range(start, end):
            if chars[k] not in "\r\n":
                chars[k] = " "
    body = "".join(chars).rstrip()
    if text[len(body) :].strip():
        # Text was cut from the end: the body stops at the last kept character, and the cut
        # spans there become one span running to the end of the text.
        kept = [s for s in spans if s[0] < len(body)]
        tail = min(s[0] for s in spans if s[0] >= len(body))
        spans = kept + [(tail, len(text))]
    return body, spans
