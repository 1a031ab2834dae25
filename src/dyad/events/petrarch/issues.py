"""PETRARCH issue dictionaries (Phoenix.IssueCoding.txt): phrases that tag a sentence with
issue codes, as PETRARCH's read_issue_list and check_issues do.

    <ISSUE CATEGORY="EDUCATION" TYPE="ALL">
    n:teacher [TEACHERS]          n: the word and its plural
    ethnic v:purge [ID_ATROCITY]  v: the word's -s, -ed and -ing forms
    pre+k [EARLY_CHILDHOOD]       +: written with a space or a hyphen
    ~a head start                 ~: not coded in a sentence holding it; ~~ in a story
    </ISSUE>

Matching is case-insensitive on whole words; a sentence holding any exclusion phrase of a
category gets no issue of that category.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dyad.actors.dictionary import clean_lines
from dyad.errors import DyadError
from dyad.events.petrarch.reader import plural, verb_forms

_LINE = re.compile(r"^(?P<phrase>[^\[\]]+?)\s*\[(?P<code>[^\]\s]+)\]$")
_CATEGORY = re.compile(r'CATEGORY\s*=\s*"([^"]*)"', re.IGNORECASE)


@dataclass
class IssueDictionary:
    path: Path
    phrases: list[tuple[str, str, str]] = field(default_factory=list)  # (words, code, category)
    exclusions: list[tuple[str, str, bool]] = field(default_factory=list)  # (.., story?)
    _regex: re.Pattern | None = None

    def find(self, sentence: str, story: str = "") -> Counter[str]:
        """Issue codes of `sentence` and how many phrases gave each."""
        if not self.phrases:  # a file of exclusions only, or whose lines were all skipped
            return Counter()
        if self._regex is None:
            self._regex = _alternation([w for w, _, _ in self.phrases])
        blocked = {
            category
            for words, category, whole_story in self.exclusions
            if _contains(story if whole_story else sentence, words)
        }
        codes = {w: (c, cat) for w, c, cat in self.phrases}
        found: Counter[str] = Counter()
        for m in self._regex.finditer(sentence):
            code, category = codes[" ".join(m.group(0).lower().split())]
            if category not in blocked:
                found[code] += 1
        return found


def read_issues(path: Path, problems: list[DyadError] | None = None) -> IssueDictionary:
    out = IssueDictionary(path)
    category = ""
    for number, line in clean_lines(path):
        text = line.strip()
        where = f"{path}:{number}"
        if text.upper().startswith("<ISSUE"):
            found = _CATEGORY.search(text)
            category = found.group(1) if found else ""
        elif text.upper().startswith("</ISSUE"):
            category = ""
        elif text.startswith("~"):
            story = text.startswith("~~")
            out.exclusions += [(f, category, story) for f in expand(text.lstrip("~"))]
        else:
            match = _LINE.match(text)
            if match is None:
                error = DyadError("E201", where, detail=f"bad issue line '{text}'")
                if problems is None:
                    raise error
                problems.append(error)
                continue
            out.phrases += [(f, match["code"], category) for f in expand(match["phrase"])]
    return out


def expand(phrase: str) -> list[str]:
    """Every written form of an issue phrase, lower case, as PETRARCH expands it: each
    "+" once as a space and once as a hyphen, then each n:/v: word in all its forms."""
    forms = [phrase.lower().strip()]
    while any("+" in f for f in forms):
        forms = [v for f in forms for v in ([f] if "+" not in f else _joined(f))]
    for marker, inflect in (("n:", lambda w: [w, plural(w)]), ("v:", verb_forms)):
        while any(marker in f for f in forms):
            out = []
            for f in forms:
                if marker not in f:
                    out.append(f)
                    continue
                head, _, rest = f.partition(marker)
                word, space, tail = rest.partition(" ")
                out += [f"{head}{w}{space}{tail}" for w in inflect(word)]
            forms = out
    return list(dict.fromkeys(" ".join(f.split()) for f in forms))


def _joined(form: str) -> list[str]:
    """'pre+k' is written 'pre k' or 'pre-k'."""
    return [form.replace("+", " ", 1), form.replace("+", "-", 1)]


def _alternation(phrases: list[str]) -> re.Pattern:
    parts = sorted({r"\s+".join(map(re.escape, p.split())) for p in phrases}, key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(reversed(parts)) + r")(?!\w)", re.IGNORECASE)


def _contains(text: str, words: str) -> bool:
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, words.split())) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None
