"""Running PETRARCH verb dictionaries on dyad's dependency parse.

Why a matcher of our own and not spaCy's Matcher: a PETRARCH pattern is an ordered sequence
anchored on the verb, read outward in both directions, whose elements are words, synonym
phrases, skipped noun phrases and actor slots (`$`, `+`, `%`) that must line up with the
actor phrases dyad's resolver found. spaCy's Matcher knows neither the anchor nor those
phrases, and would need one rule per pattern and per synonym (CAMEO.2.0.txt expands to
hundreds of thousands); a small backtracking walk over the sentence's tokens, with the
actor phrases and noun chunks indexed by position, is exact and fast.

A verb is found by its form or lemma; its block's patterns are tried, the most specific
one that matches gives the code, else the verb's own code. Source and target come from the
`$`/`+`/`%` slots where the pattern has them, otherwise from the parse as dyad's own coder
reads them (subject, object, prepositional object).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Span, Token

from dyad.actors.resolver import DocActors
from dyad.errors import DyadError
from dyad.events import clauses, ontology
from dyad.events.coder import Draft, EventCoder, actors_of, left_neighbour, targets_of
from dyad.events.petrarch.reader import NULL, Pattern, VerbDictionary, VerbForm
from dyad.model import Actor


@dataclass(frozen=True)
class Step:
    kind: str  # words, source, target, compound, skip
    phrases: tuple[tuple[str, ...], ...] = ()  # alternatives, each read in scan order
    adjacent: bool = False  # must start where the previous step ended


@dataclass(frozen=True)
class Compiled:
    before: tuple[Step, ...]  # read from the verb backwards
    after: tuple[Step, ...]  # read from the verb forwards
    code: str
    reverse: str
    rule: str
    weight: int  # literal words and slots: the more, the more specific


@dataclass
class Entry:
    form: VerbForm
    rule: str
    patterns: list[Compiled] = field(default_factory=list)


class VerbCoder:
    """Codes sentences with PETRARCH verb dictionaries; `fallback` (dyad's own coder) codes
    the verbs the dictionaries code nothing for."""

    def __init__(self, dictionaries: list[VerbDictionary], fallback: EventCoder | None = None):
        self.fallback = fallback
        self.index: dict[str, list[Entry]] = {}
        for d in dictionaries:
            for block in d.blocks:
                patterns = [_compile(p, d.synsets) for p in block.patterns]
                for form in block.forms:
                    entry = Entry(form, f"dictionary:{d.path.name}:{_line(block.where)}")
                    entry.patterns = patterns
                    # later files win, as later entries do in PETRARCH's dictionary tree
                    self.index.setdefault(form.words[form.head], []).insert(0, entry)

    def forms(self) -> frozenset[str]:
        """Every word a verb of the dictionaries is written with (for the prefilter)."""
        return frozenset(self.index)

    def code_sentence(self, sent: Span, actors: DocActors) -> list[Draft]:
        view = _View(sent, actors)
        drafts: list[Draft] = []
        blocked: set[int] = set()  # verbs a [---] entry or pattern keeps from being coded
        for token in sent:
            if token.pos_ in ("VERB", "AUX"):
                found = self._verb(token, view, actors)
                if found is None:
                    blocked.add(token.i)
                drafts += found or []
        if self.fallback is not None:
            done = blocked | {d.trigger.i for d in drafts}
            drafts += [
                d for d in self.fallback.code_sentence(sent, actors) if d.trigger.i not in done
            ]
        # A negated verb is coded as PETRARCH codes it (its dictionaries write negation into
        # their patterns, or ignore it), with modality "negated" on the record to filter on.
        return _unique(drafts)

    def _verb(self, verb: Token, view: _View, actors: DocActors) -> list[Draft] | None:
        """The verb's drafts; None when the dictionary says not to code it."""
        found = self._entry(verb, view)
        if found is None:
            return []
        entry, start, end = found
        best = None
        for p in entry.patterns:
            if best is not None and p.weight <= best[0].weight:
                continue
            binding = view.match(p, start - view.start, end - view.start)
            if binding is not None:
                best = (p, binding)
        if best is None:
            code, _, reverse = entry.form.code.partition(":")
            rule, binding = entry.rule, {}
        else:
            p, binding = best
            code, reverse, rule = p.code, p.reverse, p.rule
        if code == NULL:
            return None
        if not code and not reverse:
            return []
        binding.setdefault("mentions", view.mentions)
        return _drafts(verb, code, reverse, rule, binding, actors, 0.85 if best else 0.7)

    def _entry(self, verb: Token, view: _View) -> tuple[Entry, int, int] | None:
        """The verb's entry, a multi-word form over a single word, with its token span."""
        keys = dict.fromkeys((verb.lower_, verb.lemma_.lower()))
        best = None
        for key in keys:
            for entry in self.index.get(key, ()):
                words, head = entry.form.words, entry.form.head
                start = verb.i - head
                if start < view.start or start + len(words) > view.end:
                    continue
                doc = verb.doc
                if all(doc[start + k].lower_ == w for k, w in enumerate(words) if k != head):
                    if best is None or len(words) > len(best[0].form.words):
                        best = (entry, start, start + len(words))
        return best


def _line(where: str) -> str:
    return where.rsplit(":", 1)[1]


def _compile(p: Pattern, synsets: dict[str, list[tuple[str, ...]]]) -> Compiled:
    def step(e, adjacent: bool, backward: bool) -> Step:
        if e.kind == "word":
            phrases = (_tokens(e.text),)
        elif e.kind == "synset":
            phrases = tuple(w for ph in synsets[e.text] for w in [_tokens(" ".join(ph))])
        else:
            return Step(e.kind, (), adjacent)
        if backward:
            phrases = tuple(ph[::-1] for ph in phrases)
        return Step("words", phrases, adjacent)

    after = tuple(step(e, e.joined, False) for e in p.after)
    before = []
    for i in range(len(p.before) - 1, -1, -1):
        adjacent = p.before[i + 1].joined if i + 1 < len(p.before) else p.verb_joined
        before.append(step(p.before[i], adjacent, True))
    weight = sum(len(s.phrases[0]) if s.phrases else 1 for s in (*before, *after))
    rule = f"dictionary:{p.where.rsplit('/', 1)[-1]}"
    return Compiled(tuple(before), after, p.code, p.reverse, rule, weight)


@cache
def _tokens(text: str) -> tuple[str, ...]:
    """A pattern's words split as spaCy splits text: 'sit-in' is sit, -, in. English's
    tokenizer rules are the language's, not a trained pipeline's: no model is loaded."""
    return tuple(t.lower_ for t in _tokenizer()(text))


@cache
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


class _View:
    """One sentence as the matcher reads it: words, lemmas, and the actor phrases and noun
    chunks that start or end at each position (sentence-relative token indices)."""

    def __init__(self, sent: Span, actors: DocActors):
        self.start, self.end = sent.start, sent.end
        self.lowers = [t.lower_ for t in sent]
        self.lemmas = [t.lemma_.lower() for t in sent]
        self.mentions: list[tuple[int, int, list[Actor]]] = _mentions(sent, actors)
        self.chunks = [(c.start - sent.start, c.end - sent.start) for c in sent.noun_chunks]

    def match(self, p: Compiled, start: int, end: int) -> dict[str, list[Actor]] | None:
        found = self._walk(p.after, 0, end, 1, {})
        if found is None:
            return None
        return self._walk(p.before, 0, start - 1, -1, found)

    def _walk(self, steps, k: int, pos: int, d: int, found: dict) -> dict | None:
        if k == len(steps):
            return found
        step = steps[k]
        limit = len(self.lowers) if d > 0 else -1
        for p in [pos] if step.adjacent else range(pos, limit, d):
            for nxt, binding in self._at(step, p, d):
                got = self._walk(steps, k + 1, nxt, d, {**found, **binding})
                if got is not None:
                    return got
        return None

    def _at(self, step: Step, p: int, d: int):
        """(next position, slot binding) for each way `step` matches at position `p`."""
        if not 0 <= p < len(self.lowers):
            return
        if step.kind == "words":
            for ph in step.phrases:
                q = p + d * len(ph)
                span = range(p, q, d)
                if not -1 <= q <= len(self.lowers):
                    continue
                if all(self.lowers[i] == w for i, w in zip(span, ph, strict=True)) or (
                    len(ph) == 1 and self.lemmas[p] == ph[0]
                ):
                    yield q, {}
            return
        if step.kind == "skip":
            spans = self.chunks + [(a, b) for a, b, _ in self.mentions]
            for a, b in spans:
                if (a if d > 0 else b - 1) == p:
                    yield (b if d > 0 else a - 1), {}
            return
        for a, b, group in sorted(self.mentions, key=lambda m: m[0] - m[1]):
            if (a if d > 0 else b - 1) != p:
                continue
            if step.kind == "compound" and len({x.code for x in group}) < 2:
                continue
            yield (b if d > 0 else a - 1), {step.kind: group}


def _mentions(sent: Span, actors: DocActors) -> list[tuple[int, int, list[Actor]]]:
    """Actor phrases as (start, end, actors): each actor-naming head, and a coordination
    ("Gondor and Osgiliath") as one phrase with all its members."""
    out = []
    for t in sent:
        if t.pos_ not in ("NOUN", "PROPN", "PRON", "ADJ", "NUM", "X"):
            continue
        if t.dep_ in ("compound", "amod"):  # "two artillery shells": the phrase, not the word
            continue
        own = actors.actors_at(t) or _place(t, actors)
        if own:
            out.append((*_extent(sent, [t], own), own))
        if t.dep_ != "conj" and t.conjuncts:
            group = actors.group(t)
            if len(group) > len(own):
                out.append((*_extent(sent, [t, *t.conjuncts], group), group))
    return out


def _place(token: Token, actors: DocActors) -> list[Actor]:
    """A state named in a place phrase ("shot dead in Osgiliath"): dyad's resolver reads it
    as a place, PETRARCH as an actor like any other."""
    cue = actors.cues.get(token.i)
    if cue is None or cue.kind not in ("capital", "country", "user_actor"):
        return []
    if token.dep_ == "compound" or not (cue.start <= token.i < cue.end):
        return []
    span = token.doc[cue.start : cue.end]
    return [Actor(cue.code, span.text, span.start_char, span.end_char, span.text, "place")]


def _extent(sent: Span, heads: list[Token], group: list[Actor]) -> tuple[int, int]:
    starts = [h.i for h in heads]
    ends = [h.i + 1 for h in heads]
    for a in group:
        span = sent.doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is not None and span.start >= sent.start and span.end <= sent.end:
            starts.append(span.start)
            ends.append(span.end)
    return min(starts) - sent.start, max(ends) - sent.start


def _drafts(verb, code, reverse, rule, binding, actors, confidence) -> list[Draft]:
    modality = clauses.modality(verb)
    compound = binding.get("compound", [])
    outside = [a for a in _parse_sources(verb, actors) if a not in compound] if compound else []
    if outside:  # "Eriador agrees with % [031]": the subject with each member
        pairs = [(a, b) for a in outside for b in compound]
    elif compound:  # "% have delayed their meeting": the members with each other
        pairs = [(a, b) for a in compound for b in compound if a.code != b.code]
    else:
        sources = binding.get("source") or _parse_sources(verb, actors)
        targets = binding.get("target") or _parse_targets(verb, actors, binding["mentions"])
        pairs = [(s, t) for s in sources for t in targets or [None]]
    out = []
    for s, t in pairs:
        if t is not None and t.code == s.code:
            continue
        if code:
            out.append(Draft(verb, s, t, code, modality, rule, confidence))
        if reverse and t is not None:
            out.append(Draft(verb, t, s, reverse, modality, rule, confidence))
    return out


def _parse_sources(verb: Token, actors: DocActors) -> list[Actor]:
    return actors_of(actors, clauses.subjects(verb)) or left_neighbour(verb, actors)


def _parse_targets(verb: Token, actors: DocActors, mentions) -> list[Actor]:
    if clauses.is_passive(verb):
        return actors_of(actors, clauses.passive_targets(verb))
    # "demanded that Gondor provide": Gondor; but "an official said Arnor will ..." has no
    # target in PETRARCH: what is said is an event of its own.
    complement = [] if verb.lemma_ in clauses.REPORTING else clauses.complement_subjects(verb)
    return (
        targets_of(verb, None, actors)
        or actors_of(actors, complement)
        or _in_verb_phrase(verb, mentions)
    )


def _in_verb_phrase(verb: Token, mentions) -> list[Actor]:
    """PETRARCH's target: the first actor phrase of the verb phrase ("welcomed a resumption
    of ties with Osgiliath"), not one inside a clause of its own."""
    start = verb.sent.start
    inside = {t.i - start for t in verb.subtree if t.i > verb.i and _same_clause(t, verb)}
    for a, b, group in sorted(mentions, key=lambda m: (m[0], m[0] - m[1])):
        if a in inside or any(i in inside for i in range(a, b)):
            return group
    return []


def _same_clause(token: Token, verb: Token) -> bool:
    """No clause with a subject of its own lies between `token` and `verb` ("signed an
    accord to supply Gondor" holds Gondor; "said Gondor attacked" does not)."""
    t = token
    while t != verb and t.head != t:
        if t.dep_ == "relcl" or t.pos_ in ("VERB", "AUX") and clauses.has_subject(t):
            return False
        t = t.head
    return True


def _unique(drafts: list[Draft]) -> list[Draft]:
    """One event per (source, target, code) in a sentence, as PETRARCH writes them."""
    seen, out = set(), []
    for d in drafts:
        key = (d.source.code, d.target and d.target.code, d.code)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def code_info(code: str) -> ontology.CameoCode:
    """A dictionary's code as an event record: CAMEO's own entry when it is a CAMEO code;
    otherwise (validation files carry WEIS-era codes such as 903 or 075A) the code kept as
    written, with the values of its longest CAMEO prefix."""
    if ontology.is_code(code):
        return ontology.lookup(code)
    for n in range(len(code) - 1, 1, -1):
        if ontology.is_code(code[:n]):
            known = ontology.lookup(code[:n])
            return ontology.CameoCode(
                code, known.name, known.root, known.quad_class, known.goldstein, "", ""
            )
    return ontology.CameoCode(code, "user code", code[:2], 0, 0.0, "", "")


VERB_CHOICES = ("own", "dictionary", "both")


def make_coder(choice: str | None, dictionaries: list[VerbDictionary], own: EventCoder):
    """The event coder for `--verbs`: dyad's lexicon (own), the user's verb dictionaries
    (dictionary), or both, the dictionaries first and `own` for the verbs they code
    nothing for. Without a choice: both when a verb dictionary is given, else own."""
    choice = choice or ("both" if dictionaries else "own")
    if choice not in VERB_CHOICES:
        raise DyadError("E206", "verbs", value=choice)
    if choice == "own":
        return own
    return VerbCoder(dictionaries, own if choice == "both" else None)
