"""Who held office when: heads of state and government, foreign ministers, from `leaders.tsv`.

One row per person, office and term: `name aliases code role start end note`. `end` is
empty while the person is in office. Dates are inclusive; on a hand-over day both the
outgoing and the incoming holder are in office. A person holding two offices at once
keeps one row, for the senior office (the note names the other), so that a name at a date
gives one row.

Names match as a whole name or alias, ignoring case and accents. Surnames: the one-word
aliases, plus the last word of the name unless the name is written family name first (its
first word is a one-word alias: "Xi Jinping|Xi"), the name starts with a title ("Sheikh
..."), or its last word is a regnal number ("Charles III") or a father's name ("Mohammed bin
Salman").
A surname answers only when it is written capitalised, as surnames are in running text, so
that "may" or "major" never find Theresa May or John Major.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dyad.actors.knowledge import DATA, _rows, _split
from dyad.errors import DyadError

COLUMNS = ("name", "aliases", "code", "role", "start", "end", "note")
ROLES = ("head_of_state", "head_of_government", "foreign_minister", "vice_president")
CODE = re.compile(r"[A-Z]{3}GOV|IGO(?:[A-Z]{3}){1,4}")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
REGNAL = re.compile(r"[IVX]+")
PATRONYMIC = {"bin", "bint", "ibn", "ibni", "ben"}
TITLES = {"King", "Queen", "Emir", "Sheikh", "Sultan", "Prince", "Emperor"}


@dataclass(frozen=True)
class Leader:
    name: str
    aliases: tuple[str, ...]
    code: str
    role: str
    start: dt.date
    end: dt.date | None  # None: in office

    def holds(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


# Letters that NFKD does not split into a base letter and a mark.
_PLAIN = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "’": "'"})


def _key(name: str) -> str:
    """Case, spacing and accents folded: news writes "Erdogan" as often as "Erdoğan"."""
    if name.isascii():  # most names: skip the slow Unicode path
        return " ".join(name.split()).lower()
    decomposed = unicodedata.normalize("NFKD", name.translate(_PLAIN))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split()).casefold()


def _day(text: str, where: str) -> dt.date:
    try:
        if DAY.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise DyadError("E201", where, detail=f"bad date '{text}' (expected YYYY-MM-DD)")


def parse_leaders(path: Path) -> tuple[Leader, ...]:
    out, terms = [], {}
    for where, (name, aliases, code, role, start, end, _note) in _rows(path, COLUMNS):
        if not name.strip() or name != name.strip():
            raise DyadError("E201", where, detail=f"bad name '{name}'")
        if not CODE.fullmatch(code):
            raise DyadError("E201", where, detail=f"bad leader code '{code}'")
        if role not in ROLES:
            raise DyadError("E201", where, detail=f"unknown role '{role}'")
        leader = Leader(
            name, _split(aliases, where), code, role, _day(start, where),
            _day(end, where) if end else None,
        )  # fmt: skip
        if leader.end is not None and leader.end < leader.start:
            raise DyadError("E201", where, detail=f"{name} ends {end}, before {start}")
        # Two overlapping terms of one person under one code would make a lookup ambiguous.
        person = (_key(name), code)
        for other, at in terms.get(person, ()):
            if other.start <= (leader.end or dt.date.max) and leader.start <= (
                other.end or dt.date.max
            ):
                raise DyadError("E201", where, detail=f"{name} {code} overlaps the term at {at}")
        terms.setdefault(person, []).append((leader, where))
        out.append(leader)
    return tuple(out)


def surnames(leader: Leader) -> set[str]:
    """The one-word forms a leader is called by alone in news ("Lavrov", "Xi", "Lula")."""
    words = leader.name.split()
    single = {a for a in leader.aliases if " " not in a}
    family_first = len(words) > 1 and words[0] in single
    patronymic = any(w.lower() in PATRONYMIC for w in words[1:-1])  # "Mohammed bin Salman"
    titled = words[0] in TITLES  # "Sheikh Sabah al-Ahmad al-Sabah": no family name in use
    if family_first or patronymic or titled or REGNAL.fullmatch(words[-1]):
        return single
    return single | {words[-1]}


@cache
def leaders() -> tuple[Leader, ...]:
    return parse_leaders(DATA / "leaders.tsv")


@cache
def _indexes(path: Path | None) -> tuple[dict[str, list[Leader]], dict[str, list[Leader]]]:
    names: dict[str, list[Leader]] = {}
    family: dict[str, list[Leader]] = {}
    # `path`: another table (tests, user tables); None: the built-in one.
    for leader in leaders() if path is None else parse_leaders(path):
        for form in {_key(f) for f in (leader.name, *leader.aliases)}:
            names.setdefault(form, []).append(leader)
        for form in {_key(s) for s in surnames(leader)}:
            family.setdefault(form, []).append(leader)
    return names, family


def _pick(candidates: list[Leader], day: dt.date | None) -> Leader | None:
    """The one row in office on `day`; without a day, the latest term of one person."""
    if isinstance(day, dt.datetime):
        day = day.date()  # a datetime does not compare with a date
    if day is None:
        # Undated text: one person, or several who all held the same office ("President
        # Bush"), still say who acted; the latest term stands for them.
        agreed = (
            len({_key(c.name) for c in candidates}) == 1 or len({c.code for c in candidates}) == 1
        )
        return max(candidates, key=lambda c: c.start) if candidates and agreed else None
    found = [c for c in candidates if c.holds(day)]
    return found[0] if len(found) == 1 else None


def lookup(name: str, day: dt.date | None, path: Path | None = None) -> Leader | None:
    """The leader called `name` (full name or alias) in office on `day`.

    None when nobody of that name held one of these offices then, or when two did.
    Without a day, the latest term of the one person of that name.
    """
    return _pick(_indexes(path)[0].get(_key(name), []), day)


def lookup_surname(surname: str, day: dt.date | None, path: Path | None = None) -> Leader | None:
    """The one leader with this surname in office on `day` (see `_pick` when undated); None
    when there are none or several, or when `surname` is not capitalised."""
    if not surname[:1].isupper():
        return None
    return _pick(_indexes(path)[1].get(_key(surname), []), day)
