"""When an event happened: date words attached to its trigger, resolved against the
publication date.

The tense decides the direction of an expression that does not say it: "on Friday" in a past
sentence is the Friday before publication, in a future one the Friday after, in a present one
the nearer of the two. A weekday equal to the publication's weekday is the publication day, as
in wire copy ("said on Tuesday" in a Tuesday story). Precision follows the expression: day,
week (the date is that week's Monday), month (the 1st) or year (1 January).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterator
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.tokens import Span, Token

WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Leading words that set no date of their own ("on Friday", "over the weekend").
LEADING = re.compile(
    r"^(?:on|in|at|during|over|since|from|for|throughout|as of|the|early|late|earlier|later)\s+"
)
TIME_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night|overnight)$")
DAY_OFFSETS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier today": 0, "later today": 0, "yesterday": -1, "last night": -1, "tomorrow": 1,
}  # fmt: skip
RELATIVE = {  # the relative word -> direction of the unit from the publication date's unit
    "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0,
    "earlier this": 0, "later this": 0, "early this": 0, "late this": 0,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_REL = "|".join(sorted(RELATIVE, key=len, reverse=True))
_NUM = r"\d+|" + "|".join(NUMBERS)
_ORD = r"(?:st|nd|rd|th)?"


def _direction(tense: str) -> int:
    return {"past": -1, "future": 1}.get(tense, 0)  # 0: present, take the nearer


def _pick(candidates: list[dt.date], pub: dt.date, direction: int) -> dt.date | None:
    """The candidate on the tense's side of pub (pub itself counts), else the nearest."""
    if direction < 0:
        before = [d for d in candidates if d <= pub]
        return max(before) if before else None
    if direction > 0:
        after = [d for d in candidates if d >= pub]
        return min(after) if after else None
    return min(candidates, key=lambda d: (abs((d - pub).days), d < pub), default=None)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _weekday(m: re.Match, pub: dt.date, tense: str):
    rel, target = m["rel"], WEEKDAYS[m["weekday"]]
    days = [pub + dt.timedelta(days=k) for k in range(-7, 8)]
    days = [d for d in days if d.weekday() == target]
    if rel in ("last", "past", "previous"):
        return _pick([d for d in days if d < pub], pub, -1), "day"
    if rel in ("next", "coming"):
        return _pick([d for d in days if d > pub], pub, 1), "day"
    return _pick(days, pub, _direction(tense)), "day"  # "this Sunday" can be past or future


def _weekend(m: re.Match, pub: dt.date, tense: str):
    # A weekend is a week's Saturday and Sunday: answer with that week, precision week.
    if pub.weekday() == 6:
        return _monday(pub), "week"
    rel = m["rel"]
    direction = RELATIVE.get(rel, 0) if rel and rel != "this" else _direction(tense)
    saturdays = [pub + dt.timedelta(days=k) for k in range(-7, 8)]
    saturday = _pick([d for d in saturdays if d.weekday() == 5], pub, direction)
    return _monday(saturday), "week"


def _unit(m: re.Match, pub: dt.date, tense: str):
    step, unit = RELATIVE[m["rel"]], m["unit"]
    if unit == "week":
        return _monday(pub) + dt.timedelta(weeks=step), "week"
    if unit == "month":
        return _add_months(pub.replace(day=1), step), "month"
    return dt.date(pub.year + step, 1, 1), "year"


def _day_offset(m: re.Match, pub: dt.date, tense: str):
    return pub + dt.timedelta(days=DAY_OFFSETS[m[0]]), "day"


def _month(m: re.Match, pub: dt.date, tense: str):
    month = MONTHS[m["month"]]
    if m["year"]:
        return dt.date(int(m["year"]), month, 1), "month"
    this = pub.replace(day=1)
    firsts = [dt.date(pub.year + k, month, 1) for k in (-1, 0, 1)]
    rel = m["rel"]
    if rel in ("last", "past", "previous"):
        return _pick([d for d in firsts if d < this], this, -1), "month"
    if rel in ("next", "coming"):
        return _pick([d for d in firsts if d > this], this, 1), "month"
    return _pick(firsts, this, _direction(tense)), "month"


def _calendar_day(m: re.Match, pub: dt.date, tense: str):
    month, day = MONTHS[m["month"] or m["month2"]], int(m["day"] or m["day2"])
    if m["year"]:
        return _safe_date(int(m["year"]), month, day), "day"
    days = [d for k in (-1, 0, 1) if (d := _safe_date(pub.year + k, month, day))]
    return _pick(days, pub, _direction(tense)), "day"


def _ordinal_day(m: re.Match, pub: dt.date, tense: str):
    day = int(m["day"])
    days = []
    for k in (-1, 0, 1):
        first = _add_months(pub.replace(day=1), k)
        if d := _safe_date(first.year, first.month, day):
            days.append(d)
    return _pick(days, pub, _direction(tense)), "day"


def _iso(m: re.Match, pub: dt.date, tense: str):
    return _safe_date(int(m["year"]), int(m["month"]), int(m["day"])), "day"


def _year(m: re.Match, pub: dt.date, tense: str):
    return dt.date(int(m["year"]), 1, 1), "year"


def _count(m: re.Match, pub: dt.date, tense: str):
    n = int(m["n"]) if m["n"].isdigit() else NUMBERS[m["n"]]
    n = -n if m[0].endswith(" ago") else n
    unit = m["unit"]
    if unit == "day":
        return pub + dt.timedelta(days=n), "day"
    if unit == "week":
        return _monday(pub + dt.timedelta(weeks=n)), "week"
    if unit == "month":
        return _add_months(pub.replace(day=1), n), "month"
    return dt.date(pub.year + n, 1, 1), "year"


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# Tried in order on the normalised expression; each handler returns (date, precision).
TABLE = [
    (re.compile(r"in (?P<n>" + _NUM + r") (?P<unit>day|week|month|year)s?(?:' time)?"), _count),
    (re.compile(r"(?P<n>" + _NUM + r") (?P<unit>day|week|month|year)s? ago"), _count),
    (re.compile("|".join(re.escape(k) for k in DAY_OFFSETS)), _day_offset),
    (re.compile(r"(?:(?P<rel>" + _REL + r") )?(?P<weekday>" + _WEEKDAY + ")"), _weekday),
    (re.compile(r"(?:(?P<rel>" + _REL + r") )?weekend"), _weekend),
    (re.compile(r"(?P<rel>" + _REL + r") (?P<unit>week|month|year)"), _unit),
    (
        re.compile(
            r"(?:(?:(?P<rel>" + _REL + r")|early|mid|late|end of|the end of)[ -])?"
            r"(?P<month>" + _MONTH + r")(?: (?P<year>\d{4}))?"
        ),
        _month,
    ),
    (
        re.compile(
            r"(?:(?P<day>\d{1,2})" + _ORD + r"(?: of)? (?P<month>" + _MONTH + r")"
            r"|(?P<month2>" + _MONTH + r") (?P<day2>\d{1,2})" + _ORD + r")"
            r"(?:,? (?P<year>\d{4}))?"
        ),
        _calendar_day,
    ),
    (re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)"), _ordinal_day),
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"), _iso),
    (re.compile(r"(?P<year>(?:19|20)\d\d)"), _year),
]

# dateparser's own period names -> ours; "time" is a day with an hour.
PERIODS = {"time": "day", "day": "day", "week": "week", "month": "month", "year": "year"}


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").strip().strip(string.punctuation + " ")
    text = re.sub(r"(?<=[a-z])\.", "", text)  # "feb." -> "feb"
    text = re.sub(r"'s$", "", text)  # "last week's"
    text = re.sub(r"\s+", " ", text)
    # "tuesday, march 3" -> "march 3": the calendar date says more than the weekday
    text = re.sub(r"^(?:" + _WEEKDAY + r"),? (?=.*\d)", "", text)
    return text


def resolve_expression(text: str, pub: dt.date, tense: str) -> tuple[dt.date, str] | None:
    """A date expression resolved against the publication date, as (date, precision)."""
    text = normalise(text)
    for attempt in _variants(text):
        for pattern, handler in TABLE:
            if m := pattern.fullmatch(attempt):
                day, precision = handler(m, pub, tense)
                return None if day is None else (day, precision)
    return _dateparser(text, pub, tense)


def _variants(text: str) -> Iterator[str]:
    """The text as written, then without a leading preposition, then without a time of day
    ("in two weeks" must be seen before "in" is dropped; "on tuesday night" -> "tuesday")."""
    yield text
    while (bare := LEADING.sub("", text, count=1)) != text:
        text = bare
        yield text
    if (bare := TIME_OF_DAY.sub("", text)) != text and bare not in ("this", "last"):
        yield bare


def _dateparser(text: str, pub: dt.date, tense: str) -> tuple[dt.date, str] | None:
    # Only for written-out dates our table misses ("03/04/2018", "2018.03.03"): without a
    # digit, dateparser turns phrases like "a year" or "the day" into dates.
    if not re.search(r"\d", text):
        return None
    data = _parser(pub, "past" if tense == "past" else "future").get_date_data(text)
    if data.date_obj is None or data.period not in PERIODS:
        return None
    day, precision = data.date_obj.date(), PERIODS[data.period]
    if precision == "week":
        day = _monday(day)
    elif precision == "month":
        day = day.replace(day=1)
    elif precision == "year":
        day = day.replace(month=1, day=1)
    return day, precision


@lru_cache(maxsize=64)
def _parser(pub: dt.date, prefer: str) -> DateDataParser:
    # Building a parser costs about a millisecond; a document's dates share one.
    settings = {"RELATIVE_BASE": dt.datetime.combine(pub, dt.time()), "PREFER_DATES_FROM": prefer}
    return DateDataParser(languages=["en"], settings=settings)


# --- finding the date words attached to a trigger ------------------------------------------

# Children that open another clause: their words belong to another event.
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis"}
# How a noun trigger hangs from the verb that carries its date: "were in Moscow for talks".
NOMINAL_DEPS = {
    "pobj", "prep", "dobj", "nsubj", "nsubjpass", "attr", "appos", "conj", "compound",
    "npadvmod", "oprd", "dative", "agent", "pcomp",
}  # fmt: skip
# "before Friday", "by Friday" and "until Friday" bound an event; they do not date it.
TEMPORAL_PREPS = {
    "on",
    "in",
    "at",
    "during",
    "over",
    "since",
    "for",
    "from",
    "throughout",
    "within",
}
TEMPORAL_WORDS = set(WEEKDAYS) | set(MONTHS) | {
    "yesterday", "today", "tomorrow", "tonight", "week", "weekend", "month", "year",
    "morning", "afternoon", "evening", "night", "ago",
}  # fmt: skip
VERBS = {"VERB", "AUX"}


def event_heads(trigger: Token) -> list[Token]:
    """The trigger, then for a noun the verb that governs it, then the heads of the xcomp
    chain above ("is expected to sign" -> "expected"): the words an event's date and place
    may hang from."""
    heads = [trigger]
    top = trigger
    if trigger.pos_ not in VERBS:
        node = trigger
        while node.dep_ in NOMINAL_DEPS and node.head != node:
            node = node.head
            if node.pos_ in VERBS:
                heads.append(node)
                top = node
                break
    while top.dep_ == "xcomp" and top.head != top:
        top = top.head
        heads.append(top)
    return heads


def clause_tokens(head: Token) -> Iterator[tuple[Token, int]]:
    """The head's clause breadth first, with depth, not entering embedded clauses or verbs
    joined by a conjunction (they are events of their own)."""
    queue = [(head, 0)]
    while queue:
        token, depth = queue.pop(0)
        yield token, depth
        for child in token.children:
            if child.dep_ in CLAUSE_DEPS or (child.dep_ == "conj" and child.pos_ in VERBS):
                continue
            queue.append((child, depth + 1))


def _is_temporal(token: Token) -> bool:
    return token.ent_type_ in ("DATE", "TIME") or token.lower_ in TEMPORAL_WORDS


def _is_date_root(token: Token, trigger: Token) -> bool:
    """A temporal word heading a phrase that modifies its head as a time: "on [Friday]",
    "[week]" in "last week", "[ago]"; a noun trigger's own modifier ("[Friday]'s talks")."""
    if not _is_temporal(token):
        return False
    dep = token.dep_
    if dep == "pobj":
        return token.head.lower_ in TEMPORAL_PREPS
    if dep in ("npadvmod", "advmod", "tmod", "obl:tmod"):
        return True
    return token.head == trigger and dep in ("compound", "poss", "nmod", "amod", "nummod")


def _phrase(root: Token) -> Span:
    """The root's subtree without embedded clauses, and when root is in a date entity only
    the date entities in it ("Saturday" + "morning"); with its preposition ("in two weeks")."""
    doc = root.doc
    keep = {t.i for t, _ in clause_tokens(root)}
    if root.ent_type_ in ("DATE", "TIME"):
        # not the whole subtree: "on Saturday, April 27: the Holy Headdress of Christ"
        keep = {i for i in keep if doc[i].ent_type_ in ("DATE", "TIME")}
    start = end = root.i
    while start - 1 in keep:
        start -= 1
    while end + 1 in keep:
        end += 1
    if root.dep_ == "pobj" and root.head.i == start - 1:
        start -= 1
    while start < end and doc[start].is_punct:
        start += 1
    return doc[start : end + 1]


def date_expressions(trigger: Token) -> list[Span]:
    """The date phrases of the trigger's clause, nearest first: the trigger's own, then
    those of the verbs it hangs from."""
    spans, seen = [], set()
    for head in event_heads(trigger):
        found = [(d, t.i, t) for t, d in clause_tokens(head) if _is_date_root(t, trigger)]
        for _, _, root in sorted(found):
            span = _phrase(root)
            if (span.start, span.end) not in seen:
                seen.add((span.start, span.end))
                spans.append(span)
    return spans


def event_date(trigger: Token, pub: dt.date | None, tense: str) -> tuple[dt.date | None, str]:
    """The first resolvable date attached to the trigger, else the publication date."""
    for span in date_expressions(trigger):
        found = resolve_expression(span.text, pub, tense) if pub else _absolute(span.text)
        if found:
            return found
    return pub, "publication"


ANY_DAY = dt.date(2000, 1, 1)  # a stand-in publication date where only the form matters


def _absolute(text: str) -> tuple[dt.date, str] | None:
    """A date that needs no publication date: one that carries its year."""
    if not re.search(r"\b(?:19|20)\d\d\b", text):
        return None
    return resolve_expression(text, ANY_DAY, "past")


# --- datelines ----------------------------------------------------------------------------

DATELINE = re.compile(
    r"""^\s*
    (?P<place>[A-Z][\w.'\- ]{1,40}?)               # MOSCOW, New York, ST. PETERSBURG
    (?:/[A-Z][\w.'\- ]*?)?                         # BEIRUT/MOSCOW: the first is the place
    (?:,\s*(?P<region>[A-Z][\w.]*(?:\ [A-Z][\w.]*)?))?   # , Ukraine / , D.C.
    (?:,\s*(?P<date>[\w.,' ]{3,30}?))?              # , Feb 26 / , 26 February 2019
    \s*(?:\((?P<agency>[^()\n]{2,30})\))?           # (Reuters)
    \s*(?P<mark>[-–—:]|--)\s""",
    re.VERBOSE,
)


def dateline(text: str, pub: dt.date | None = None) -> tuple[str | None, dt.date | None]:
    """The place and date of a wire dateline opening a story ("MOSCOW, Feb 26 (Reuters) -").
    A date without its year needs `pub` to place it (the dateline is never after it)."""
    m = DATELINE.match(text)
    if not m:
        return None, None
    place, raw_date = m["place"].strip(), m["date"]
    day = None
    if raw_date:
        if resolve_expression(raw_date, ANY_DAY, "past") is None:
            return None, None  # "Yesterday, police said: ..." is a sentence, not a dateline
        found = resolve_expression(raw_date, pub, "past") if pub else _absolute(raw_date)
        day = found[0] if found else None
    if not (m["agency"] or raw_date or place.isupper()):
        return None, None
    if m["mark"] == ":" and not raw_date:
        return None, None  # "UPDATE: ..." is a heading
    if place.isupper():
        place = string.capwords(place.lower())
    return place, day
