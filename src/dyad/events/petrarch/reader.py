"""Reading PETRARCH/TABARI verb dictionaries: synonym sets, verb blocks, verb forms, patterns.

The format follows PETRARCH's read_verb_dictionary (both PETRARCH 1, whose validation file
is TABARI-style, and PETRARCH 2, whose CAMEO.2.0.txt adds `(PREP ...)` and `{NOUN PHRASE}`
groups):

- `&NAME` starts a synonym set; the `+PHRASE` lines under it are its members (words joined
  by `_` or spaces, `+&OTHER` includes another set). Each member also matches its plural
  unless the set's name or the member ends in `_`.
- `--- NAME [CODE] ---` starts a verb block; CODE (default `---`, no event) is the code of
  the bare verb.
- verb lines: `VERB {IRREGULAR FORMS} [CODE]`; a multi-word verb joins its words with `_`
  and marks the verb with `+` (`WIRE_+TAP`, `+CORDON_OFF`); `{}` means no other forms.
- patterns: `- WORDS * WORDS [CODE]`, `*` the verb. Words joined by `_` must be adjacent,
  words separated by spaces may have others between them. `$` the source, `+` the target,
  `%` a compound actor whose members act on each other, `^` skips a noun phrase, `&NAME` any
  member of a set. `(...)` and `{...}` only group words here. `[A:B]` codes A from source to
  target and B back from target to source; `[:B]` only the latter; `[---]` blocks coding.
- `~ ...` lines are PETRARCH 2's verb transformations (kept as text; not applied).
- comments: `#` or `;` to the end of the line, `<!-- -->`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dyad.actors.dictionary import clean_lines
from dyad.errors import DyadError

NULL = "---"
MARKERS = {"*": "verb", "$": "source", "+": "target", "%": "compound", "^": "skip"}
# PETRARCH takes the first [code] of a header and ignores the rest ("[120]---  ---").
_BLOCK = re.compile(r"^---\s*(?P<name>[^\[\]]*?)\s*(\[(?P<code>[^\]]*)\].*|-*\s*)$")
_VERB = re.compile(r"^(?P<verb>[^{}\[\]]+?)\s*(\{(?P<forms>[^}]*)\})?\s*(\[(?P<code>[^\]]*)\])?$")
# Codes are letters, digits and "-"; PETRARCH skips a pattern coded "[+++]".
_CODE = re.compile(r"^[\w-]*(:[\w-]*)?$")


@dataclass(frozen=True)
class Element:
    kind: str  # word, synset, verb, source, target, compound, skip
    text: str = ""  # the lower-case word or the set's name
    joined: bool = False  # joined by "_" to the element before: adjacent in the text


@dataclass(frozen=True)
class Pattern:
    before: tuple[Element, ...]  # in text order, up to the verb
    after: tuple[Element, ...]  # in text order, after the verb (the first may be joined)
    verb_joined: bool  # the element before the verb is joined to it
    code: str  # "" when only the reverse code applies, "---" to block coding
    reverse: str  # the code from target back to source, or ""
    where: str  # file:line
    text: str


@dataclass(frozen=True)
class VerbForm:
    words: tuple[str, ...]  # lower case; more than one for a multi-word verb
    head: int  # the verb's index in words
    code: str


@dataclass
class Block:
    name: str
    code: str
    where: str
    forms: list[VerbForm] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass
class VerbDictionary:
    path: Path
    blocks: list[Block] = field(default_factory=list)
    synsets: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    transformations: list[tuple[str, str]] = field(default_factory=list)  # (where, text)

    @property
    def patterns(self) -> int:
        return sum(len(b.patterns) for b in self.blocks)


def plural(word: str) -> str:
    """PETRARCH's regular plural of a set member's last word."""
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def verb_forms(base: str) -> list[str]:
    """Regular inflections: 'delay' gives delays, delayed, delaying."""
    third = base + "es" if base.endswith(("s", "x", "z", "ch", "sh")) else base + "s"
    if base.endswith("y") and base[-2:-1] not in ("a", "e", "o", "u"):
        third, past = base[:-1] + "ies", base[:-1] + "ied"
    else:
        past = base + "d" if base.endswith("e") else base + "ed"
    ing = base[:-1] + "ing" if base.endswith("e") and not base.endswith("ee") else base + "ing"
    return [base, third, past, ing]


def read_verbs(path: Path, problems: list[DyadError] | None = None) -> VerbDictionary:
    """Every block, form, pattern and set of a verb file. A malformed line raises E201
    (E205 for an undefined set) naming file:line; with `problems` given it is skipped and
    recorded there instead."""
    out = VerbDictionary(path)
    raw_sets: dict[str, list[tuple[str, str]]] = {}  # name -> [(member, where)]
    current_set: str | None = None
    block: Block | None = None

    def problem(error: DyadError) -> None:
        if problems is None:
            raise error
        problems.append(error)

    for number, line in clean_lines(path):
        text = line.strip()
        where = f"{path}:{number}"
        try:
            if text.startswith("+") and current_set is not None:
                raw_sets[current_set].append((text[1:].strip(), where))
                continue
            current_set = None
            if text.startswith("&"):
                current_set = text.split()[0]
                raw_sets.setdefault(current_set, [])
            elif text.startswith("---"):
                block = _block(text, where)
                out.blocks.append(block)
            elif text.startswith("~"):
                out.transformations.append((where, text[1:].strip()))
            elif block is None:
                raise DyadError("E201", where, detail=f"'{text}' outside a verb block")
            elif text.startswith("-"):
                block.patterns.append(_pattern(text[1:], where))
            else:
                block.forms += _forms(text, block.code, where)
        except DyadError as error:
            problem(error)
    out.synsets = _resolve_sets(raw_sets, problem)
    for b in out.blocks:
        kept = []
        for p in b.patterns:
            missing = [e.text for e in (*p.before, *p.after) if e.kind == "synset"]
            missing = [name for name in missing if name not in out.synsets]
            if missing:
                problem(DyadError("E205", p.where, name=missing[0]))
            else:
                kept.append(p)
        b.patterns = kept
    return out


def _block(text: str, where: str) -> Block:
    match = _BLOCK.match(text)
    if match is None or not match["name"]:
        raise DyadError("E201", where, detail=f"bad verb block header '{text}'")
    return Block(match["name"], (match["code"] or NULL).strip() or NULL, where)


def _forms(text: str, block_code: str, where: str) -> list[VerbForm]:
    match = _VERB.match(text)
    if match is None:
        raise DyadError("E201", where, detail=f"bad verb line '{text}'")
    code = (match["code"] or "").strip() or block_code
    # "LASH OUT" is read as the multi-word verb "+LASH_OUT"
    base = match["verb"].lower()
    if " " in base:
        base = "_".join(base.split())
        base = base if "+" in base else "+" + base
    if match["forms"] is not None:  # given forms are all the forms there are
        spelled = [base, *match["forms"].lower().split()]
    elif "+" in base:
        head = next(w for w in base.split("_") if w.startswith("+"))
        spelled = [base.replace(head, "+" + f, 1) for f in verb_forms(head[1:])]
    else:
        spelled = verb_forms(base)
    out = []
    for form in spelled:
        words = [w for w in form.split("_") if w]
        heads = [i for i, w in enumerate(words) if w.startswith("+")]
        if len(words) > 1 and len(heads) != 1:
            raise DyadError("E201", where, detail=f"multi-word verb '{form}' needs one '+'")
        head = heads[0] if heads else 0
        words[head] = words[head].lstrip("+")
        out.append(VerbForm(tuple(words), head, code))
    return out


def _pattern(body: str, where: str) -> Pattern:
    if "[" not in body or "]" not in body:
        raise DyadError("E201", where, detail=f"pattern without a code: '-{body.strip()}'")
    words, _, rest = body.partition("[")
    code_text = rest.split("]", 1)[0].strip()
    if not _CODE.match(code_text):
        raise DyadError("E201", where, detail=f"bad code '[{code_text}]'")
    code, _, reverse = code_text.partition(":")
    # TABARI legacy: "WORD_ " is an open connection, as PETRARCH reads it.
    words = re.sub(r"_+(\s|$)", r"\1", words)
    words = re.sub(r"[(){}]", " ", words)
    words = re.sub(r"(?<=[A-Za-z])\*|\*(?=[A-Za-z])", " * ", words)  # "-*SCEPTICAL"
    elements: list[Element] = []
    for chunk in words.split():
        for i, part in enumerate(p for p in chunk.split("_") if p):
            kind = MARKERS.get(part, "synset" if part.startswith("&") else "word")
            text = part.lower() if kind == "word" else part if kind == "synset" else ""
            elements.append(Element(kind, text, joined=i > 0))
    verbs = [i for i, e in enumerate(elements) if e.kind == "verb"]
    if len(verbs) != 1:
        raise DyadError("E201", where, detail=f"pattern needs one '*': '-{body.strip()}'")
    v = verbs[0]
    after = elements[v + 1 :]
    return Pattern(
        before=tuple(elements[:v]),
        after=tuple(after),
        verb_joined=elements[v].joined,
        code=code.strip(),
        reverse=reverse.strip(),
        where=where,
        text="-" + body.rstrip(),
    )


def _resolve_sets(raw: dict[str, list[tuple[str, str]]], problem) -> dict[str, list[tuple]]:
    """Each set's member phrases (lower-case word tuples) with plurals and included sets."""
    out: dict[str, list[tuple[str, ...]]] = {}

    def members(name: str, seen: tuple[str, ...]) -> list[tuple[str, ...]]:
        if name in out:
            return out[name]
        phrases: list[tuple[str, ...]] = []
        for member, where in raw[name]:
            if member.startswith("&"):
                inner = member.split()[0]
                if inner not in raw or inner in seen:
                    problem(DyadError("E205", where, name=inner))
                    continue
                phrases += members(inner, (*seen, inner))
                continue
            words = tuple(member.replace("_", " ").lower().split())
            if not words:
                continue
            phrases.append(words)
            if not name.endswith("_") and not member.endswith("_"):
                phrases.append((*words[:-1], plural(words[-1])))
        out[name] = list(dict.fromkeys(phrases))
        return out[name]

    for name in raw:
        members(name, (name,))
    # a set named "&X_" is used as "&X"
    for name in list(out):
        if name.endswith("_"):
            out.setdefault(name[:-1], out[name])
    return out
