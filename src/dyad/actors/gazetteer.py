"""The cheap pass: every country, demonym, capital, organisation, region and agent title in
a Doc, found with spaCy PhraseMatchers compiled once per process.

A `Cue` says what a span of tokens names; the resolver combines the cues inside a noun
phrase into one actor code ("Venezuelan" VEN + "Vice President" GOV -> VENGOV).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from dyad.actors import knowledge

# Longer spans win; on equal length the more specific kind wins.
KIND_RANK = {"org": 5, "region": 4, "country": 3, "demonym": 3, "capital": 2, "agent": 1}


@dataclass(frozen=True)
class Cue:
    start: int  # token indices in the Doc
    end: int
    kind: str  # org, region, country, demonym, capital, agent, user_actor, user_agent
    code: str
    position: str = ""  # user agents: 'suffix' or 'prefix'


class Gazetteer:
    def __init__(self, nlp):
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.labels: dict[int, tuple[str, str]] = {}
        entries: list[tuple[str, str, str]] = []
        for c in knowledge.countries():
            entries += [(f, "country", c.iso3) for f in (c.name, *c.aliases)]
            entries += [(f, "demonym", c.iso3) for f in c.demonyms]
            entries += [(f, "capital", c.iso3) for f in c.capitals]
        for o in knowledge.organizations():
            entries += [(f, "org", o.code) for f in o.names]
        for r in knowledge.regions():
            entries += [(f, "region", r.code) for f in r.forms]
        entries += [(a.form, "agent", a.agent) for a in knowledge.agents()]
        by_key: dict[tuple[str, str, bool], list[Doc]] = {}
        for form, kind, code in entries:
            form = form.strip()
            if not form:
                continue
            exact = knowledge.case_sensitive(form)  # "US" is not "us"
            by_key.setdefault((kind, code, exact), []).append(nlp.make_doc(form))
        for (kind, code, exact), docs in by_key.items():
            key = f"{kind}:{code}"
            matcher = self.exact if exact else self.lower
            matcher.add(key, docs)
            self.labels[nlp.vocab.strings[key]] = (kind, code)

    def cues(self, doc: Doc) -> list[Cue]:
        """Non-overlapping cues, longest first, in token order."""
        found = []
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                kind, code = self.labels[match_id]
                found.append(Cue(start, end, kind, code))
        found.sort(key=lambda c: (-(c.end - c.start), -KIND_RANK[c.kind], c.start))
        taken: set[int] = set()
        kept = []
        for cue in found:
            span = range(cue.start, cue.end)
            if taken.isdisjoint(span):
                taken.update(span)
                kept.append(cue)
        return sorted(kept, key=lambda c: c.start)


@cache
def gazetteer_for(nlp) -> Gazetteer:
    return Gazetteer(nlp)
