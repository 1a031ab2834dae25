"""PETRARCH/TABARI user dictionaries: actors, agents and discards, loaded as a user option.

These files are the user's knowledge, never dyad's own. The formats follow PETRARCH2's
readers (PETRreader.py) and the TABARI manual:

- actors: `NAME [CODE]`, words joined by `_` or spaces, `+SYNONYM` lines for the entry
  above, code lines `[CODE <YYMMDD]`, `[CODE >YYMMDD]`, `[CODE YYMMDD-YYMMDD]` (bounds
  inclusive, the first restriction that holds wins, else the undated code), `[---]` null
  codes and `[A/B]` for an actor that stands for several codes. TABARI's stem rule: a name
  ending in `_` matches whole words only; otherwise its last word matches as a word prefix
  ("ARGENTIN" matches "Argentina") when it has at least four letters.
- agents: `PHRASE {PLURAL} [~GOV]` (suffix) or `[NGO~]` (prefix), regular plurals made
  unless `{}` or a final `_`, and `!SET! = A, B` substitution sets used as `CONGRESS!SET!`.
- discards: one phrase a line, `+` marks a story-level discard; case-insensitive, the
  phrase starts at a word boundary and is a stem unless it ends in `_`.

Comments: `#` or `;` to the end of the line, `<!-- -->` (also over several lines) and
lines starting with `<!`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from dyad.errors import DyadError

NULL_CODE = "---"
MIN_STEM = 4  # letters: a shorter name without a final "_" is an abbreviation
_BRACKET = re.compile(r"\[([^\]]*)\]")
_VERB_BLOCK = re.compile(r"^---\s+\S.*---\s*$")


@dataclass(frozen=True)
class DictMatch:
    start: int  # token indices in the Doc or Span given
    end: int
    code: str
    position: str = ""  # agents: "suffix" for ~GOV, "prefix" for NGO~


@dataclass(frozen=True)
class Restriction:
    code: str  # "" for the null code
    after: dt.date | None = None  # inclusive bounds; both None = the undated code
    before: dt.date | None = None

    @property
    def dated(self) -> bool:
        return self.after is not None or self.before is not None

    def holds(self, day: dt.date) -> bool:
        return (self.after is None or day >= self.after) and (
            self.before is None or day <= self.before
        )


@dataclass
class ActorEntry:
    names: list[str]
    where: str  # file:line of the entry's first line
    restrictions: list[Restriction] = field(default_factory=list)

    def codes_on(self, day: dt.date | None) -> list[str]:
        """The codes for an article dated `day`; [] for a null code or no code that applies."""
        if isinstance(day, dt.datetime):
            day = day.date()  # a datetime does not compare with the restriction dates
        chosen = None
        if day is not None:
            chosen = next((r for r in self.restrictions if r.dated and r.holds(day)), None)
        if chosen is None:
            chosen = next((r for r in self.restrictions if not r.dated), None)
        if chosen is None and day is None:
            # Without a date the open-ended restriction is the current one.
            chosen = next((r for r in self.restrictions if r.after and not r.before), None)
        return [] if chosen is None or not chosen.code else chosen.code.split("/")


@dataclass(frozen=True)
class Agent:
    code: str
    position: str  # "suffix" or "prefix"
    where: str


def clean_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) with comments removed and blank lines skipped."""
    in_block = False
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:  # a binary or Latin-1 file: say so, not a traceback
        raise DyadError("E104", str(path), offset=e.start) from None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw
        if in_block:
            if "-->" not in line:
                continue
            line = line.split("-->", 1)[1]
            in_block = False
        while "<!--" in line:
            head, _, tail = line.partition("<!--")
            if "-->" in tail:
                line = head + tail.split("-->", 1)[1]
            else:
                line, in_block = head, True
        if line.lstrip().startswith("<!"):
            continue
        line = re.split(r"[#;]", line, maxsplit=1)[0]
        if line.strip():
            yield number, line


def detect_kind(path: Path) -> str:
    """'actors', 'agents', 'discards', 'verbs' or 'issues', from the file's content."""
    tilde = plain = 0
    for _, line in clean_lines(path):
        text = line.strip()
        if _VERB_BLOCK.match(text):
            return "verbs"
        if text.upper().startswith("<ISSUE"):
            return "issues"
        for code in _BRACKET.findall(text):
            if "~" in code:
                tilde += 1
            else:
                plain += 1
    if tilde or plain:
        return "agents" if tilde > plain else "actors"
    return "discards"


def _parse_date(text: str, where: str) -> dt.date:
    # TABARI reads YYMMDD with 00-30 as 20YY, otherwise 19YY; like PETRARCH, a 7-digit
    # typo (Phoenix has "9008223") is read as YYMMDD plus a stray digit.
    if not text.isdigit() or not 6 <= len(text) <= 8:
        raise DyadError("E201", where, detail=f"bad date '{text}' (expected YYMMDD or YYYYMMDD)")
    if len(text) < 8:
        year = int(text[:2])
        text = f"{2000 + year if year <= 30 else 1900 + year}{text[2:6]}"
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise DyadError("E201", where, detail=f"bad date '{text}'") from None


def _parse_restriction(content: str, where: str) -> Restriction:
    parts = content.split(None, 1)
    if not parts:
        raise DyadError("E201", where, detail="empty code '[]'")
    code = parts[0].upper()
    code = "" if code == NULL_CODE else code
    rule = parts[1].replace(" ", "") if len(parts) > 1 else ""
    if not rule:
        return Restriction(code)
    if rule[0] == "<":
        return Restriction(code, before=_parse_date(rule[1:], where))
    if rule[0] == ">":
        return Restriction(code, after=_parse_date(rule[1:], where))
    if "-" in rule:
        low, high = rule.split("-", 1)
        return Restriction(code, _parse_date(low, where), _parse_date(high, where))
    raise DyadError("E201", where, detail=f"date restriction not understood: '[{content}]'")


def _codes_in(text: str, where: str) -> tuple[str, list[str]]:
    """Split `NAME [A] [B]` into the name and the bracket contents."""
    if text.count("[") != text.count("]"):
        raise DyadError("E201", where, detail=f"unbalanced brackets: '{text.strip()}'")
    name = text.split("[", 1)[0].strip()
    return name, _BRACKET.findall(text)


def read_actors(path: Path, problems: list[DyadError] | None = None) -> list[ActorEntry]:
    """Actor entries; with `problems` given, malformed lines are kept there and skipped."""
    entries: list[ActorEntry] = []
    for number, line in clean_lines(path):
        try:
            _actor_line(entries, line.strip(), f"{path}:{number}")
        except DyadError as error:
            if problems is None:
                raise
            problems.append(error)
    return entries


def _actor_line(entries: list[ActorEntry], text: str, where: str) -> None:
    name, codes = _codes_in(text.lstrip("+"), where)
    restrictions = [_parse_restriction(c, where) for c in codes]
    if text.startswith("[") or text.startswith("+"):
        if not entries:
            raise DyadError("E201", where, detail=f"'{text}' before any actor entry")
        if text.startswith("+"):
            if not name:
                raise DyadError("E201", where, detail="empty synonym")
            entries[-1].names.append(name)
    else:
        if not name:
            raise DyadError("E201", where, detail=f"no actor name in '{text}'")
        entries.append(ActorEntry([name], where))
    entries[-1].restrictions += restrictions


def _plural(phrase: str) -> str:
    # PETRARCH's regular plural of the last word.
    if phrase.endswith("Y"):
        return phrase[:-1] + "IES"
    if phrase.endswith("S"):
        return phrase + "ES"
    return phrase + "S"


def read_agents(path: Path, problems: list[DyadError] | None = None) -> list[tuple[str, Agent]]:
    """(phrase, agent) pairs, plurals and substitutions expanded."""
    sets: dict[str, list[str]] = {}
    out: list[tuple[str, Agent]] = []
    for number, line in clean_lines(path):
        try:
            _agent_line(out, sets, line.strip().upper(), f"{path}:{number}")
        except DyadError as error:
            if problems is None:
                raise
            problems.append(error)
    return out


def _agent_line(
    out: list[tuple[str, Agent]], sets: dict[str, list[str]], text: str, where: str
) -> None:
    if "=" in text and text.startswith("!"):
        marker, _, items = text.partition("=")
        marker = marker.strip()
        if len(marker) < 3 or not marker.endswith("!"):
            raise DyadError("E201", where, detail=f"bad substitution set '{marker}'")
        sets[marker] = [i.strip() for i in items.split(",") if i.strip()]
        return
    phrase, codes = _codes_in(text, where)
    if len(codes) != 1:
        raise DyadError("E201", where, detail=f"an agent needs one [~CODE]: '{text}'")
    code = codes[0].replace(" ", "")
    if code.startswith("~") and len(code) > 1:
        agent = Agent(code[1:], "suffix", where)
    elif code.endswith("~") and len(code) > 1:
        agent = Agent(code[:-1], "prefix", where)
    else:
        raise DyadError("E201", where, detail=f"agent code without '~': '[{codes[0]}]'")
    if "!" in phrase:
        marker = re.search(r"![^!\s]+!", phrase)
        if marker is None or marker.group() not in sets:
            raise DyadError("E201", where, detail=f"undefined substitution in '{phrase}'")
        out.extend((phrase.replace(marker.group(), s), agent) for s in sets[marker.group()])
        return
    if "{" in phrase:
        if "}" not in phrase:
            raise DyadError("E201", where, detail=f"missing '}}' in '{phrase}'")
        base, _, rest = phrase.partition("{")
        forms = [base.strip(), rest.split("}", 1)[0].strip()]
    elif phrase.endswith("_"):
        forms = [phrase]
    else:
        forms = [phrase, _plural(phrase)]
    out.extend((form, agent) for form in forms if form)


def read_discards(path: Path) -> tuple[list[str], list[str]]:
    """(story-level, sentence-level) phrases."""
    story: list[str] = []
    sentence: list[str] = []
    for _, line in clean_lines(path):
        text = line.strip()
        if text.startswith("+"):
            story.append(text[1:].strip())
        else:
            sentence.append(text)
    return [s for s in story if s], sentence


def _discard_regex(phrases: list[str]) -> re.Pattern | None:
    if not phrases:
        return None
    parts = []
    for phrase in phrases:
        whole = phrase.endswith("_")
        words = phrase.replace("_", " ").split()
        parts.append(r"\s+".join(map(re.escape, words)) + (r"(?!\w)" if whole else ""))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


class UserDictionary:
    """Actors, agents and discards from user files, matched on spaCy Docs by token LOWER."""

    def __init__(self, nlp=None, strict: bool = True):
        if nlp is None:
            import spacy

            nlp = spacy.blank("en")
        self.tokenizer = nlp.tokenizer
        self.vocab = nlp.vocab
        self.entries: list[ActorEntry] = []
        self.agents: dict[tuple[str, ...], Agent] = {}
        self.story_discards: list[str] = []
        self.sentence_discards: list[str] = []
        self.files: list[tuple[Path, str]] = []
        # Verb and issue files are the event coder's (dyad.events.petrarch), read here so
        # that their malformed lines are reported with the others.
        self.verbs: list = []
        self.issues: list = []
        # Not strict: malformed lines are skipped and kept here (real files have typos).
        self.strict = strict
        self.problems: list[DyadError] = []
        # phrase (lowercase tokens) -> entry index; names ending in "_" match whole words
        self._whole: dict[tuple[str, ...], int] = {}
        # last-token stem -> [(preceding tokens, entry index)] for TABARI stem names
        self._stems: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self._built = False
        self._actor_matcher: PhraseMatcher | None = None
        self._agent_matcher: PhraseMatcher | None = None
        self._story_re: re.Pattern | None = None
        self._sentence_re: re.Pattern | None = None

    def _tokens(self, phrases: list[str]) -> list[tuple[str, ...]]:
        # Tokenise names as the text will be, so "AL-QAEDA" and "al-Qaeda" line up.
        texts = [p.replace("_", " ").strip() for p in phrases]
        return [tuple(t.lower_ for t in doc) for doc in self.tokenizer.pipe(texts)]

    def add_file(self, path: str | Path) -> str:
        path = Path(path)
        if not path.is_file():
            raise DyadError("E101", str(path))
        kind = detect_kind(path)
        if kind == "actors":
            start = len(self.entries)
            self.entries += read_actors(path, None if self.strict else self.problems)
            names = [(n, i) for i in range(start, len(self.entries)) for n in self.entries[i].names]
            for (name, index), words in zip(
                names, self._tokens([n for n, _ in names]), strict=True
            ):
                if not words:
                    continue
                # Later entries win, as in PETRARCH's dictionary tree. A stem shorter than
                # four letters is an abbreviation, not a stem: "THE_KU" (Kansas University)
                # must not match "the Kuwait", nor "US" "usual".
                if name.endswith("_") or len(words[-1]) < MIN_STEM:
                    self._whole[words] = index
                else:
                    self._stems.setdefault(words[-1], []).append((words[:-1], index))
        elif kind == "agents":
            pairs = read_agents(path, None if self.strict else self.problems)
            for (_, agent), words in zip(pairs, self._tokens([p for p, _ in pairs]), strict=True):
                if words:
                    self.agents[words] = agent
        elif kind in ("verbs", "issues"):
            from dyad.events.petrarch import load

            read = load.verbs if kind == "verbs" else load.issues
            getattr(self, kind).append(read(path, None if self.strict else self.problems))
        else:
            story, sentence = read_discards(path)
            self.story_discards += story
            self.sentence_discards += sentence
        self.files.append((path, kind))
        self._built = False
        return kind

    def build(self) -> UserDictionary:
        """Compile the matchers once every file is added."""
        self._actor_matcher = self._phrase_matcher(self._whole)
        self._agent_matcher = self._phrase_matcher(self.agents)
        self._story_re = _discard_regex(self.story_discards)
        self._sentence_re = _discard_regex(self.sentence_discards)
        self._built = True
        return self

    def _phrase_matcher(self, phrases: Iterable[tuple[str, ...]]) -> PhraseMatcher:
        matcher = PhraseMatcher(self.vocab, attr="LOWER")
        docs = [Doc(self.vocab, words=list(words)) for words in phrases]
        if docs:
            matcher.add("PHRASE", docs)
        return matcher

    def _candidates(self, doc: Doc) -> dict[tuple[int, int], int]:
        """(start, end) -> entry index of every actor name in `doc`; the later entry when
        two names cover the same words."""
        lowers = [t.lower_ for t in doc]
        found = {(s, e): self._whole[tuple(lowers[s:e])] for _, s, e in self._actor_matcher(doc)}
        # Stem names: spaCy's Matcher would test every REGEX pattern at every token (1,600
        # with Phoenix), so look each token's prefixes up in a dict instead.
        for i, lower in enumerate(lowers):
            for size in range(1, len(lower) + 1):
                for before, index in self._stems.get(lower[:size], ()):
                    start = i - len(before)
                    if start >= 0 and tuple(lowers[start:i]) == before:
                        found[(start, i + 1)] = max(index, found.get((start, i + 1), -1))
        return found

    def find_actors(self, doc: Doc | Span, date: dt.date | None = None) -> list[DictMatch]:
        """Actor names in `doc`, longest first; null codes consume their words."""
        if not self._built:
            self.build()
        # PhraseMatcher answers a Span in Doc offsets; a copy keeps every index span-relative.
        doc = doc.as_doc() if isinstance(doc, Span) else doc
        found = self._candidates(doc)
        matches = []
        for span in filter_spans([doc[s:e] for s, e in found]):
            entry = self.entries[found[(span.start, span.end)]]
            matches += [DictMatch(span.start, span.end, c) for c in entry.codes_on(date)]
        return matches

    def find_agents(self, doc: Doc | Span) -> list[DictMatch]:
        if not self._built:
            self.build()
        doc = doc.as_doc() if isinstance(doc, Span) else doc
        lowers = [t.lower_ for t in doc]
        spans = filter_spans([doc[s:e] for _, s, e in self._agent_matcher(doc)])
        out = []
        for span in spans:
            agent = self.agents[tuple(lowers[span.start : span.end])]
            out.append(DictMatch(span.start, span.end, agent.code, agent.position))
        return out

    def discard(self, text: str) -> str | None:
        """'story' or 'sentence' when a discard phrase occurs in `text`, else None."""
        if not self._built:
            self.build()
        if self._story_re is not None and self._story_re.search(text):
            return "story"
        if self._sentence_re is not None and self._sentence_re.search(text):
            return "sentence"
        return None


def load_dictionaries(paths: Iterable[str | Path], nlp=None, strict: bool = True) -> UserDictionary:
    """Read actor, agent and discard files (kind taken from each file's content).

    Pass the pipeline as `nlp` so names are tokenised exactly as the coded text is. A
    malformed line raises E201 naming `file:line`; with `strict=False` it is skipped and
    kept in `.problems` instead (the Phoenix files have a few such typos).
    """
    user = UserDictionary(nlp, strict)
    for path in paths:
        user.add_file(path)
    return user.build()
