"""dyad's verb-pattern lexicon: which trigger words, in which frame, signal which CAMEO code.

`data/verbs.tsv` has one pattern a line (code, kind, lemma, prep, object, example):
- kind `verb`: the trigger is a verb; a two-word lemma is a phrasal verb whose second word is
  the particle (spaCy dep `prt`): `call off`, `crack down`.
- kind `noun`: the trigger is an event noun; in a multi-word lemma the last word is the head
  and the words before it are modifiers (compound/amod): `hunger strike`, `car bomb`.
- prep: `-` or the preposition that must hang off the trigger (`meet with`, `attack on`).
- object: `-`, or `|`-separated lemma phrases and `@CLASS` names from `data/object_classes.tsv`.
  A phrase matches when its lemmas end the object phrase, so `aid` matches "humanitarian
  aid" and `military aid` is the more specific of two matching phrases.
- code `---` (NO_EVENT): the frame is no political event ("fight the pandemic"); it wins
  over the verb's bare pattern like any more specific one, and nothing is coded.
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from dyad.errors import DyadError
from dyad.events import ontology

DATA = Path(__file__).parent / "data"
VERBS = DATA / "verbs.tsv"
CLASSES = DATA / "object_classes.tsv"
KINDS = ("verb", "noun")
NO_EVENT = "---"


@dataclass(frozen=True)
class Pattern:
    code: str
    kind: str
    lemma: str  # head lemma
    particle: str | None
    prep: str | None
    objects: tuple[tuple[str, ...], ...] | None  # lemma phrases, classes expanded
    example: str
    line: int
    modifiers: tuple[str, ...] = ()  # words before a noun head: ("hunger",) in hunger strike

    @property
    def specificity(self) -> int:
        # A pattern that asks more of the sentence wins over a looser one on the same word.
        # Objects count by their shortest phrase: a list whose every phrase is long is
        # narrower; between two matching patterns, `object_match` says which fits better.
        score = 2 * bool(self.particle) + 2 * len(self.modifiers) + 2 * bool(self.prep)
        if self.objects:
            score += 3 + min(len(phrase) for phrase in self.objects) - 1
        return score

    @property
    def key(self) -> tuple[str, str, str | None, tuple | None]:
        return (self.kind, self.phrase, self.prep, self.objects)

    @property
    def phrase(self) -> str:
        """The trigger as written in the file: `call off`, `hunger strike`."""
        if self.particle:
            return f"{self.lemma} {self.particle}"
        return " ".join((*self.modifiers, self.lemma))


def object_match(pattern: Pattern, lemmas: list[str] | tuple[str, ...]) -> int:
    """How many lemmas of the longest object phrase that ends `lemmas` (0: no match).

    A pattern without an object constraint matches anything with length 0 but is still
    a match; callers check `pattern.objects is None` for that case.
    """
    best = 0
    for phrase in pattern.objects or ():
        n = len(phrase)
        if n > best and tuple(lemmas[-n:]) == phrase:
            best = n
    return best


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("|") if p.strip())


@functools.cache
def load_classes(path: Path = CLASSES) -> dict[str, tuple[tuple[str, ...], ...]]:
    classes: dict[str, tuple[tuple[str, ...], ...]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
            name, phrases = row.get("class"), row.get("phrases")
            if not name or not phrases:
                raise DyadError("E201", f"{path}:{n}", detail="expected class<TAB>phrases")
            if name in classes:
                raise DyadError("E203", f"{path}:{n}", detail=f"class {name} defined twice")
            classes[name] = tuple(tuple(p.split()) for p in _phrases(phrases))
    return classes


def _objects(text: str, classes: dict, where: str) -> tuple[tuple[str, ...], ...] | None:
    if text == "-":
        return None
    phrases: list[tuple[str, ...]] = []
    for item in _phrases(text):
        if item.startswith("@"):
            if item[1:] not in classes:
                raise DyadError("E201", where, detail=f"unknown object class {item}")
            phrases.extend(classes[item[1:]])
        else:
            phrases.append(tuple(item.lower().split()))
    # sorted and deduplicated so that the same constraint written two ways is one key
    return tuple(sorted(set(phrases)))


def _pattern(row: dict[str, str], classes: dict, where: str, line: int) -> Pattern:
    code, kind, lemma = row["code"], row["kind"], row["lemma"].strip().lower()
    if code != NO_EVENT and not ontology.is_code(code):
        raise DyadError("E202", where, value=code)
    if kind not in KINDS:
        raise DyadError("E201", where, detail=f"kind '{kind}' is not verb or noun")
    words = lemma.split()
    if not words or (kind == "verb" and len(words) > 2):
        raise DyadError("E201", where, detail=f"lemma '{lemma}' is not a word or phrasal verb")
    particle, modifiers = None, ()
    if kind == "verb":
        head = words[0]
        particle = words[1] if len(words) == 2 else None
    else:
        head, modifiers = words[-1], tuple(words[:-1])
    prep = row["prep"].strip().lower()
    return Pattern(
        code=code,
        kind=kind,
        lemma=head,
        particle=particle,
        prep=None if prep == "-" else prep,
        objects=_objects(row["object"].strip(), classes, where),
        example=row["example"],
        line=line,
        modifiers=modifiers,
    )


def _load(path: Path, classes_path: Path) -> tuple[Pattern, ...]:
    classes = load_classes(classes_path)
    patterns: list[Pattern] = []
    seen: dict[tuple, int] = {}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for line, row in enumerate(reader, start=2):
            where = f"{path}:{line}"
            if None in row or None in row.values():
                raise DyadError("E201", where, detail="expected 6 tab-separated fields")
            pattern = _pattern(row, classes, where, line)
            if pattern.key in seen:
                detail = f"{pattern.kind} '{pattern.phrase}' in {path} line {line}"
                detail += f" repeats line {seen[pattern.key]}"
                raise DyadError("E203", where, detail=detail)
            seen[pattern.key] = line
            patterns.append(pattern)
    return tuple(patterns)


@functools.cache
def _default() -> tuple[Pattern, ...]:
    return _load(VERBS, CLASSES)


def load_lexicon(path: Path | str | None = None, classes: Path | str | None = None):
    """All patterns of a lexicon file; the packaged lexicon is read once and cached."""
    if path is None and classes is None:
        return _default()
    return _load(Path(path or VERBS), Path(classes or CLASSES))


def index_by_lemma(patterns) -> dict[tuple[str, str], list[Pattern]]:
    """(kind, head lemma) -> patterns, most specific first."""
    index: dict[tuple[str, str], list[Pattern]] = defaultdict(list)
    for pattern in patterns:
        index[(pattern.kind, pattern.lemma)].append(pattern)
    for group in index.values():
        group.sort(key=lambda p: (-p.specificity, p.line))
    return dict(index)


def coverage_by_root(patterns) -> list[tuple[str, str, int, int, int]]:
    """Per root: (root, name, codes in root, codes with a pattern, patterns)."""
    counts: dict[str, int] = defaultdict(int)
    for pattern in patterns:
        counts[pattern.code] += 1
    rows = []
    table = ontology.codes()
    for root in sorted(c for c in table if len(c) == 2):
        members = [c for c in table if len(c) > 2 and c[:2] == root]
        covered = sum(1 for c in members if counts[c])
        n = sum(counts[c] for c in members) + counts[root]
        rows.append((root, table[root].name, len(members), covered, n))
    return rows
