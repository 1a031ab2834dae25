"""Who did what to whom: triggers matched against the lexicon, arguments read off the parse.

For every verb and event noun of a sentence, the most specific lexicon pattern whose
particle, preposition and object constraints the sentence meets gives the CAMEO code; the
subject phrase gives the source actors and the object or prepositional phrase the targets.
Modality then adjusts the code: announced cooperation takes CAMEO's 03x intent code and
announced conflict its 13x threat code ('will blockade': 1381), refused
or negated cooperation CAMEO's 12x rejection code ('will not lift the ban': 1241), and other
negated and hypothetical events are not coded as having happened.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from dyad.actors import knowledge
from dyad.actors.resolver import CALENDAR_WORDS, LOCATIVE_PREPS, DocActors
from dyad.events import clauses, ontology
from dyad.events.lexicon import NO_EVENT, Pattern, index_by_lemma, load_lexicon, object_match
from dyad.model import Actor

TARGET_PREPS = (
    "with",
    "to",
    "against",
    "on",
    "for",
    "toward",
    "towards",
    "from",
    "into",
    "over",
    "at",
)
DROPPED = ("negated", "hypothetical")
CONTENT_PREPS = ("with", "of", "for", "over", "about")  # what an act is about: _contents
ABOUT = ("about", "of")  # what a stance adjective is about
THREAT = "13"
PROTEST = "14"
STATEMENT = "010"
VISIT = "042"
SHOW_OF_FORCE = "150"
MILITARY_COOPERATION = "062"
PEACEKEEPING = "074"
DEMAND = "100"
PLEDGE = "030"  # express intent to cooperate, not specified below
# Codes whose target, when none is named, is the state where the act happens: visits (not
# meetings: "Russian and American diplomats met in Paris" is not aimed at France) and force.
PLACE_TARGET_CODES = ("042", "043", "15", "16", "17", "18", "19", "20")
IRREGULAR = ("REB", "UAF", "INS", "SEP")  # agents with no conventional armed force
IRREGULAR_FORCE = {"190": "180", "1384": "1383"}  # the attack and its threat
RECIPROCAL_ROOTS = ("03", "04", "05", "06")  # agree, consult, cooperate: done together
# Codes whose implied target may be the state where they happen: threats, protest (held
# against the authority of the place, most often), deployments and force.
AIMED_AT_PLACE = ("074", "13", "14", "15", "16", "17", "18", "19", "20")
# Of those, the acts whose place is where they hit: not a threat or a protest voiced at a
# news conference in Geneva.
HIT_WHERE_DONE = ("074", "15", "17", "18", "19", "20")
# Codes of acts that, by the verbs of clause_words.tsv 'state_act', only a state's
# authorities do: done in a named state with no one named as doing them, it did them.
STATE_ACTS = ("09", "116", "172", "173", "174")
FORCE = ("18", "19", "20")
CHAIN_OF_COMMAND = ("MIL", "COP", "SPY")  # agents a state orders rather than asks
# Demands, criticism and rejections judge an act: their target is whoever does the act.
JUDGING = ("10", "11", "12")
DISAPPROVE = "11"


@dataclass
class Draft:
    """An event before dates, places and the record: syntax and meaning only."""

    trigger: Token
    source: Actor
    target: Actor | None
    code: str
    modality: str
    rule: str  # "lexicon:<line>:<phrase>" or "clause:<name>"
    confidence: float


class EventCoder:
    def __init__(self, patterns=None, generaliser=None, implied_targets=True):
        self.index = index_by_lemma(patterns or load_lexicon())
        self.generaliser = generaliser  # dyad.events.generalise: words the lexicon lacks
        self.implied_targets = implied_targets  # see implied_target()

    def code_sentence(self, sent: Span, actors: DocActors) -> list[Draft]:
        drafts: list[Draft] = []
        used_nouns: set[int] = set()
        for token in sent:
            if token.pos_ in ("VERB", "AUX"):
                drafts += self._verb(token, actors, used_nouns)
        for token in sent:
            if token.pos_ == "NOUN" and token.i not in used_nouns and not self._names_kind(token):
                drafts += self._noun(token, actors)
        for token in sent:
            if token.pos_ == "VERB":
                drafts += self._demand(token, actors)
        specific = [d for d in drafts if d.code != STATEMENT]
        # A bare "X said ..." is no event (CAMEO's 010 floods data that codes every
        # 'said'); a statement is kept only when nothing else is coded and it has an
        # addressee.
        statements = [d for d in drafts if d.code == STATEMENT and d.target is not None]
        drafts = _without_embedded(_without_frames(specific or statements))
        drafts = [d for d in drafts if d.modality not in DROPPED]
        if self.implied_targets:
            drafts = [replace(d, target=d.target or implied_target(d, actors)) for d in drafts]
        return _unique(drafts)

    def _names_kind(self, noun: Token) -> bool:
        """'war games', 'peace talks': a compound modifier of an event noun says what kind
        of event it is, not another one ('a mediation mission' is still a mediation)."""
        if noun.dep_ != "compound":
            return False
        candidates = self.index.get(("noun", noun.head.lemma_.lower()))
        return bool(candidates) and _best(candidates, noun.head, None) is not None

    def _demand(self, verb: Token, actors: DocActors) -> list[Draft]:
        """'Russia said Sudan must return the helicopter', 'a judge ordered Menem to appear':
        a demand of Sudan, of Menem (CAMEO 100)."""
        complement = clauses.demand_complement(verb)
        if complement is not None:
            told, rule = clauses.subjects(complement), "clause:demand-modal"
        else:  # "an Argentine judge ordered former president Carlos Menem to appear"
            told, rule = clauses.ordered(verb), "clause:order"
        sources = actors_of(actors, clauses.subjects(verb))
        targets = actors_of(actors, told)
        if rule == "clause:order" and any(_commands(s, t) for s in sources for t in targets):
            return []  # "Yeltsin ordered Russian troops to attack": the attack is the event
        if not sources or not targets:
            return []
        return _assemble(verb, verb, DEMAND, rule, 0.7, sources, targets)

    # -- verbs --------------------------------------------------------------------------

    def _verb(self, verb: Token, actors: DocActors, used_nouns: set[int]) -> list[Draft]:
        candidates = self.index.get(("verb", verb.lemma_.lower())) or self._near(verb)
        if not candidates:
            return []
        prt = clauses.particle(verb)
        match = _best(candidates, verb, prt)
        if match is None and clauses.fallback_particle(verb, prt):
            match = _best(candidates, verb, None)
        if match is None:
            return []
        pattern, obj_token = match
        if pattern.code == NO_EVENT:  # "fight the pandemic"
            used_nouns.update([obj_token.i] if obj_token is not None else [])
            return []
        if _bare_pledge(verb, pattern):
            return []
        if obj_token is not None:
            used_nouns.add(obj_token.i)
        # "announced a suspension of air links": what a bare statement announces is coded
        # as its own event, so the statement does not take the event noun
        if pattern.code != STATEMENT or pattern.objects is not None:
            for o in _contents(verb):
                if o.pos_ == "NOUN" and self.index.get(("noun", o.lemma_.lower())):
                    used_nouns.add(o.i)
        passive = clauses.is_passive(verb)
        if passive:
            sources = actors_of(actors, clauses.subjects(verb))
            patients = clauses.passive_targets(verb)
            targets = actors_of(actors, patients)
            if obj_token in patients and all(t.how == "context" for t in targets):
                # "troops were sent to Kosovo", "the embargo on Cuba was lifted": what the
                # pattern's object names, no actor of its own, is what is done; its
                # recipient is the target ("Palestinian activists were deported to
                # Lebanon" are still the target)
                recipients = [
                    t
                    for phrase in (verb, obj_token)
                    for t in _target_phrases(phrase)
                    if t.head.lower_ != "from"  # "expelled from Zimbabwe": by it
                ]
                targets = actors_of(actors, recipients) or targets
            if not targets:  # "a camp for Congolese refugees was attacked"
                targets = _owners_of_hit(patients, actors)
            if not sources and self.implied_targets and _state_act(verb, pattern):
                sources = _authorities(verb, actors)
        else:
            sources = actors_of(actors, clauses.subjects(verb))
            targets = targets_of(verb, pattern.prep, actors)
            if obj_token is not None and targets == actors_of(actors, [obj_token]):
                # "sent its troops to Lebanon": the pattern's object is what is sent, even
                # when it names an actor; a recipient in a target phrase is the target
                # "reneged on his commitment to the Zambian people": or of the object itself
                recipients = [t for t in _target_phrases(verb) if t != obj_token]
                recipients = recipients or [
                    t for o in (obj_token, *obj_token.conjuncts) for t in _target_phrases(o)
                ]
                # "fired missiles at Israel": the missiles are what is fired, not a target
                targets = actors_of(actors, recipients) or _aimed_at(verb, actors) or targets
                states = {s.code[:3] for s in sources}
                if pattern.code.startswith(FORCE) and all(
                    t.how == "context" and t.code[:3] in states for t in targets
                ):
                    targets = []  # "fired missiles at Tel Aviv": its own weapons, no target
            if not targets:  # "threatened to attack Iraq": the target of the act threatened
                for act in clauses.controlled_acts(verb):
                    targets = targets_of(act, None, actors)
                    if targets:
                        break
            if not targets:  # "threatened to shell Iraqi towns"
                for act in (verb, *clauses.controlled_acts(verb)):
                    targets = targets or _owning_states(act, obj_token, actors)
            if not targets:  # "demanded that the Turkish government provide ..."
                targets = actors_of(actors, clauses.complement_subjects(verb))
            if not targets and pattern.code.startswith(THREAT):
                # "threatened to stop negotiations if the United States goes ahead"
                targets = actors_of(actors, clauses.condition_subjects(verb))
            if not targets and verb.dep_ == "conj" and not clauses.has_subject(verb):
                # "helped its military and provided wheat": the same recipient, as a state
                targets = [_as_state(a) for a in targets_of(verb.head, None, actors)]
            if pattern.code.startswith(JUDGING) and not actors_of(actors, clauses.objects(verb)):
                targets = _judged(verb, pattern.code, sources, actors) or targets
        if not sources and not passive:  # the word left of a passive is its patient
            sources = left_neighbour(verb, actors)
        if not targets:  # "opened the bridge to allow the delivery of grain to Afghanistan"
            for purpose in clauses.purpose_clauses(verb, clauses.ENABLING):
                phrases = [t for o in clauses.objects(purpose) for t in _target_phrases(o)]
                targets = targets or actors_of(actors, phrases)
        if not targets:  # "started a hunger strike to protest the government's failure"
            for purpose in clauses.purpose_clauses(verb):
                targets = targets or targets_of(purpose, None, actors)
        if not targets and obj_token is not None and obj_token.lemma_.lower() in clauses.REFUGE:
            targets = _where(verb, actors)  # "sought refuge in Germany" asks it of Germany
        if not targets and pattern.code.startswith(PLACE_TARGET_CODES):
            # "arrived in Amman", "imposed a curfew in Abidjan", "fired on targets in
            # Jericho": CAMEO's target of a visit or of force is the state where it happens
            targets = _where(verb, actors)
        if not targets:  # "blocked streets in defiance of Chinese authorities"
            targets = _answered(verb, pattern.code, actors)
        if pattern.objects is None and not pattern.prep and clauses.pledged_act(verb):
            # "agreed to set up a centre": the act has no pattern of its own, so the pledge
            # is CAMEO's unspecified intent to cooperate (a coded act replaces it later)
            rule = f"clause:pledge:{pattern.line}"
            return _assemble(verb, verb, PLEDGE, rule, 0.7, sources, targets)
        return self._drafts(verb, verb, pattern, sources, targets)

    # -- nouns --------------------------------------------------------------------------

    def _noun(self, noun: Token, actors: DocActors) -> list[Draft]:
        candidates = self.index.get(("noun", noun.lemma_.lower()))
        if not candidates:
            return []
        match = _best(candidates, noun, None)
        if match is None or match[0].code == NO_EVENT:
            return []
        pattern = match[0]
        verb = clauses.governing_verb(noun)
        sources = actors_of(actors, [c for c in noun.children if c.dep_ == "poss"])
        sources += actors_of(actors, clauses.prep_objects(noun, "by"))
        if noun.lemma_.lower() in knowledge.act_nouns():  # "demands from the rebels"
            sources += [
                a for a in actors_of(actors, clauses.prep_objects(noun, "from")) if a not in sources
            ]
        sources += actors_of(actors, [c for c in noun.children if c.dep_ in ("amod", "compound")])
        targets = (
            actors_of(actors, clauses.prep_objects(noun, pattern.prep)) if pattern.prep else []
        )
        if not targets:
            targets = actors_of(actors, _target_phrases(noun))
        targets = [t for t in targets if t not in sources]  # "demands from the rebels"
        if not targets:  # "a suspension of ties with Chile": the target of what is suspended
            inner = [t for p in ("of", *TARGET_PREPS) for t in clauses.prep_objects(noun, p)]
            targets = actors_of(actors, [t for i in inner for t in _target_phrases(i)])
        if not targets and noun.dep_ == "compound":  # "a mediation mission between X and Y"
            targets = actors_of(actors, _target_phrases(noun.head, "between"))
        if verb is not None and not sources:
            sources = actors_of(actors, clauses.subjects(verb))
        if verb is not None and not targets and noun.dep_ == "dobj" and noun.head == verb:
            # "staged rallies against the leader": the parse hangs the event noun's target
            # phrase on the verb that carries the noun
            targets = actors_of(actors, _target_phrases(verb))
        if verb is not None and not targets and noun.dep_ == "pobj":
            # "were in Moscow for talks": presence in a state's capital for talks is a visit
            targets = _place_actors(verb, actors)
        modality_from = verb if verb is not None else noun
        return self._drafts(noun, modality_from, pattern, sources, targets)

    def _near(self, verb: Token) -> tuple[Pattern, ...]:
        """The patterns of the lexicon verb nearest to one the lexicon lacks, if any."""
        if self.generaliser is None or verb.pos_ != "VERB":  # no auxiliaries
            return ()
        near = self.generaliser.near("verb", verb.lemma_.lower())
        return near.patterns if near else ()

    # -- assembling ---------------------------------------------------------------------

    def _drafts(self, trigger, clause_verb, pattern, sources, targets) -> list[Draft]:
        confidence = 0.9 if pattern.specificity else 0.75
        rule = f"lexicon:{pattern.line}:{pattern.phrase}"
        if pattern.lemma != trigger.lemma_.lower():  # borrowed by self._near
            near = self.generaliser.near(pattern.kind, trigger.lemma_.lower())
            confidence = 0.5 * near.similarity  # below any direct lexicon match
            rule = f"generalised:{trigger.lemma_.lower()}~{near.lemma}:{near.similarity:.2f}"
        return _assemble(trigger, clause_verb, pattern.code, rule, confidence, sources, targets)


def _assemble(trigger, clause_verb, code, rule, confidence, sources, targets) -> list[Draft]:
    """Drafts for every source-target pair, with modality, intent codes and confidence."""
    if not sources:
        return []
    if code == VISIT and _deployed(trigger):
        code = PEACEKEEPING
    if code == SHOW_OF_FORCE and _joint(trigger, sources):
        code = MILITARY_COOPERATION
    is_verb = clause_verb.pos_ in ("VERB", "AUX")
    modality = clauses.modality(clause_verb) if is_verb else "asserted"
    if modality in ("future", "intent"):
        code = ontology.announced_code(code) or code
    refusal = ontology.refusal_code(code) if modality == "negated" else None
    if refusal and _refused_here(trigger, clause_verb):
        # CAMEO codes a refused act of cooperation as the refusal: "will not release the
        # pilots" is 1243, an act that itself happened unless the clause is hypothetical
        code = refusal
        modality = clauses.modality(clause_verb, negation=False)
        modality = modality if modality in ("reported", "hypothetical") else "asserted"
        confidence -= 0.05
    confidence -= 0.05 * clauses.depth(clause_verb)
    # The sentence's main act sits high in its parse; an act named by a noun deep down
    # ("in its Gulf war with Iraq") is more often background than news (on plover-gsr and
    # ConfliBERT alike, the main event is right more often so: README "Measured").
    confidence -= 0.05 * min(clauses.distance_to_root(trigger), 4) + (
        0.05 if trigger.pos_ == "NOUN" else 0
    )
    if any(a.how in ("context", "coreference") for a in (*sources, *targets)):
        confidence -= 0.1
    confidence = max(confidence, 0.05)  # each cut says less sure, not wrong
    # "Pakistan Army launched a military operation": an object given the source's code only
    # from the context is no target; the act is still coded, without one. A named target
    # with the source's own code ("X praised X") stays a non-event.
    own = [t for t in targets if all(t.code == s.code for s in sources)]
    if own and len(own) == len(targets) and any(t.how != "context" for t in own):
        return []
    targets = [t for t in targets if t not in own]
    if not targets:
        targets = _reciprocal(sources, code)
        if targets:
            return [Draft(trigger, s, t, code, modality, rule, confidence) for s, t in targets]
        # an event without a target is less useful and less certain
        confidence = max(confidence - 0.2, 0.05)
    out = []
    for s in sources:
        for t in targets or [None]:
            if t is not None and t.code == s.code:
                continue
            out.append(Draft(trigger, s, t, _by_force(code, s), modality, rule, confidence))
    return out


def _joint(trigger: Token, sources: list[Actor]) -> bool:
    """'The armies of Brazil and Argentina performed joint war games': exercises held by
    two states together are military cooperation (062), not a show of force (150)."""
    if len({s.code[:3] for s in sources}) > 1:
        return True
    words = [trigger, *clauses.objects(trigger)]
    return any(c.lemma_.lower() in ("joint", "combined") for w in words for c in w.children)


def _deployed(trigger: Token) -> bool:
    """'British troops have arrived in Mali', 'Chinese peacekeepers arrived in South
    Sudan': troops arriving are deployed, not visiting; CAMEO codes a deployment to help
    a state as military protection or peacekeeping (074). A general's trip stays a visit."""
    heads = clauses.subjects(trigger)
    heads += [o for h in heads for o in clauses.prep_objects(h, "of")]  # "hundreds of troops"
    return any(h.lemma_.lower() in clauses.UNITS for h in heads)


def _by_force(code: str, source: Actor) -> str:
    """CAMEO's 19 is conventional military force. An attack of no more specific kind by
    rebels, militias or insurgents is unconventional violence (18): 'guerrillas wounded
    two soldiers' is 180, as the PLOVER gold codes it ASSAULT. Their shelling stays 194."""
    if code in IRREGULAR_FORCE and any(
        source.code[i : i + 3] in IRREGULAR for i in range(3, len(source.code), 3)
    ):
        return IRREGULAR_FORCE[code]
    return code


def _bare_pledge(verb: Token, pattern: Pattern) -> bool:
    """'undertook a mediation mission': a pledge verb's bare pattern ('undertook to
    withdraw' is 030) says nothing of an object it pledges nothing with; the object's
    own event noun, if any, is the event."""
    return (
        pattern.objects is None
        and not pattern.prep
        and pattern.code == PLEDGE
        and verb.lemma_ in clauses.CARRY_OUT  # "vowed a new offensive" is still a pledge
        and clauses.pledged_act(verb) is None
        and any(o.pos_ == "NOUN" for o in clauses.objects(verb))
    )


def _refused_here(trigger: Token, clause_verb: Token) -> bool:
    """The negation says the source refuses this act: the trigger is the negated verb of a
    main clause or its object ('did not reach agreement'), not a noun in a side phrase
    ('has not commented on the release') or an act advised against ('told X not to go')."""
    if trigger != clause_verb and not (trigger.dep_ == "dobj" and trigger.head == clause_verb):
        return False
    if clause_verb.pos_ not in ("VERB", "AUX"):
        return False
    return clauses.refuses(clause_verb) and clauses.is_main_clause(clause_verb)


def _reciprocal(sources: list[Actor], code: str) -> list[tuple[Actor, Actor]]:
    """'Hungarian and Romanian officials agreed ...', 'Jordan and Britain have agreed to
    hold exercises': cooperation among a compound subject goes both ways."""
    if ontology.lookup(code).root not in RECIPROCAL_ROOTS:
        return []
    states = {a.code[:3] for a in sources}
    if len(states) < 2:
        return []
    return [(a, b) for a in sources for b in sources if a.code[:3] != b.code[:3]]


def _best(candidates: list[Pattern], trigger: Token, prt: str | None):
    """The most specific pattern the trigger's frame satisfies, with the object it matched."""
    preps = {
        c.lower_
        for c in trigger.children
        if c.dep_ in ("prep", "agent", "dative") and not _temporal(c)
    }
    mods = {c.lemma_.lower() for c in trigger.children if c.dep_ in ("compound", "amod")}
    phrases = _object_phrases(trigger)
    best = None
    for p in candidates:
        if (p.particle or None) != prt:
            continue
        if p.prep and p.prep not in preps:
            continue
        if p.code == VISIT and p.prep and p.objects is None and clauses.objects(trigger):
            continue  # "returned the paintings to Brazil" is no trip to Brazil
        if p.modifiers and not set(p.modifiers) <= mods:
            continue
        if p.objects is None:
            score, obj = p.specificity, None
        else:
            hits = [(object_match(p, lemmas), tok) for tok, lemmas in phrases]
            hits = [h for h in hits if h[0]]
            if not hits:
                continue
            n, obj = max(hits, key=lambda h: h[0])
            score = p.specificity + n
        if best is None or score > best[0]:
            best = (score, p, obj)
    return None if best is None else (best[1], best[2])


def _contents(verb: Token) -> list[Token]:
    """The nouns that say what a coded act is about, which are no events of their own:
    its objects and their modifiers ('suspended its mediation efforts'), what it is
    for or with ('charged him with terrorism', 'arrested for rioting'), and what its
    object asks for ('dismissed the appeal for a ceasefire')."""
    heads = [
        *clauses.objects(verb),
        *(o for p in CONTENT_PREPS for o in clauses.prep_objects(verb, p)),
    ]
    out = list(heads)
    for h in heads:
        out += [c for c in h.children if c.dep_ in ("compound", "amod", "nmod")]
        out += [o for p in CONTENT_PREPS for o in clauses.prep_objects(h, p)]
    return out


def _temporal(prep: Token) -> bool:
    """'a strike on Monday' is no 'strike on' a place: a preposition of time names no
    participant a pattern's preposition asks for."""
    objs = [g for g in prep.children if g.dep_ == "pobj"]
    return bool(objs) and all(
        o.ent_type_ in ("DATE", "TIME") or o.lower_ in CALENDAR_WORDS for o in objs
    )


def _object_phrases(trigger: Token) -> list[tuple[Token, list[str]]]:
    """Lemma sequences of the trigger's objects: direct objects and prepositional objects,
    each coordinated modifier also on its own ('its military and oil industry' gives
    'military and oil industry', 'military' and 'oil industry')."""
    heads = clauses.objects(trigger) + clauses.prep_objects(trigger)
    if trigger.pos_ in ("VERB", "AUX") and clauses.is_passive(trigger):
        heads += clauses.passive_targets(trigger)  # "three diplomats were expelled"
    for o in clauses.objects(trigger):  # "hold talks with X" / "provide billions of dollars"
        heads += clauses.prep_objects(o, "of")
    out = []
    for c in trigger.children:  # "urged X to release ...", "threatened to cut aid"
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB":
            out.append((c, [c.lemma_.lower()]))
    for h in heads:
        mods = [c for c in h.children if c.dep_ in ("compound", "amod", "nmod")]
        out.append((h, [m.lemma_.lower() for m in mods] + [h.lemma_.lower()]))
        for m in mods:
            for part in (m, *m.conjuncts):
                out.append((h, [part.lemma_.lower()]))
                out.append((h, [part.lemma_.lower(), h.lemma_.lower()]))
    return out


def actors_of(actors: DocActors, heads: list[Token]) -> list[Actor]:
    out: list[Actor] = []
    for h in heads:
        for a in actors.group(h):
            if a not in out:
                out.append(a)
    return out


def _target_phrases(token: Token, *more: str) -> list[Token]:
    """Objects of the token's target prepositions ('with X', 'against X', ...) and `more`."""
    return [t for p in (*TARGET_PREPS, *more) for t in clauses.prep_objects(token, p)]


def targets_of(verb: Token, prep: str | None, actors: DocActors) -> list[Actor]:
    if prep:
        if prep in LOCATIVE_PREPS:
            return _place_actors(verb, actors, prep)
        got = actors_of(actors, clauses.prep_objects(verb, prep))
        if got:
            return got
    got = actors_of(actors, clauses.objects(verb))
    if got:
        return got
    # "hold talks with X", "impose sanctions on X": the target hangs off the object
    for o in clauses.objects(verb):
        # "is concerned about the Israeli attack": what an adjective is about is its target
        got = actors_of(actors, _target_phrases(o, *ABOUT if o.dep_ == "acomp" else ()))
        if got:
            return got
    got = actors_of(actors, _target_phrases(verb))
    if got:
        return got
    # "lift the ban on members of the Islamic Salvation Front", "defended the right of
    # Russian troops to ...": deeper in the object phrase, one more 'of' or target phrase
    for o in clauses.objects(verb):
        for inner in _target_phrases(o, "of"):
            got = actors_of(actors, [inner]) or actors_of(actors, _target_phrases(inner, "of"))
            if got:
                return got
    # "lifted a travel ban imposed on Chadian citizens": the object's own participle
    for o in clauses.objects(verb):
        for acl in (c for c in o.children if c.dep_ == "acl"):
            got = actors_of(actors, _target_phrases(acl))
            if got:
                return got
    return _aimed_at(verb, actors)


def _aimed_at(verb: Token, actors: DocActors) -> list[Actor]:
    """'fired two shells at New Zealand': a state aimed at is a target, not a place, also
    when the parse hangs 'at' on what was fired ('fired two artillery shells at Seoul')."""
    return [a for t in (verb, *clauses.objects(verb)) for a in _place_actors(t, actors, "at")]


def _as_state(actor: Actor) -> Actor:
    return Actor(
        code=actor.code[:3],
        text=actor.text,
        start=actor.start,
        end=actor.end,
        name=actor.name,
        how="inherited",
    )


def _where(verb: Token, actors: DocActors) -> list[Actor]:
    """The states named by 'in' phrases of the verb, or of its object or its target phrase
    ('extend the curfew in Abidjan', 'fired at targets in Jericho')."""
    found = _place_actors(verb, actors, "in")
    phrases = [
        *clauses.objects(verb),
        *_target_phrases(verb),
    ]
    for phrase in phrases:
        found += [a for a in _place_actors(phrase, actors, "in") if a not in found]
    return found


def _owning_states(verb: Token, given: Token | None, actors: DocActors) -> list[Actor]:
    """'shelled Iraqi towns', 'restrictions against German goods', 'lifted a blockade on
    Palestinian lorries': what the act hits belongs to the state its adjective names, and
    stands for it as the target. Not the pattern's own object, which is what is given or
    done ('provided Russian wheat' is not aimed at Russia)."""
    heads = [o for o in clauses.objects(verb) if o != given]
    for phrase in (verb, *clauses.objects(verb)):
        heads += _target_phrases(phrase)
    return _owners_of_hit(heads, actors)


def _owners_of_hit(heads: list[Token], actors: DocActors) -> list[Actor]:
    """Whom the things an act hits belong to: the state an adjective names ('Kampuchean
    guerrilla camps'), or the people they are for or of ('a camp for Congolese
    refugees')."""
    out: list[Actor] = []
    for head in heads:
        if head.pos_ != "NOUN" or actors.group(head):
            continue
        mods = [c for c in head.children if c.dep_ in ("amod", "compound")]
        mods += [g for c in mods if c.dep_ == "compound" for g in c.children if g.dep_ == "amod"]
        for mod in mods:
            cue = actors.cues.get(mod.i)
            if cue is not None and cue.kind == "demonym":
                end = mod.idx + len(mod)
                state = Actor(cue.code, mod.text, mod.idx, end, name=mod.text, how="modifier")
                out += [state] if all(a.code != state.code for a in out) else []
        for owner in (o for p in ("of", "for") for o in clauses.prep_objects(head, p)):
            out += [a for a in actors.group(owner) if a not in out]
    return out


def _judged(verb: Token, code: str, sources: list[Actor], actors: DocActors) -> list[Actor]:
    """Whose act a demand, criticism or rejection is about: the owner of the act its
    object names ('denounced as a crime Serbia's suppression of ...', 'demanded the
    withdrawal of Serbian forces from Bosnia'), and for criticism whom it is over or
    about, rather than whom it is addressed to ('complained to the UN over two Israeli
    air raids' is aimed at Israel, as the PLOVER gold codes it). Not the source's state."""
    heads = clauses.objects(verb)
    # "condemned as illegal Turkey's occupation", "denounced as an ugly crime Serbia's
    # suppression": an object moved behind 'as' is parsed as its object or in apposition
    for o in clauses.prep_objects(verb, "as"):
        heads += [o, *(a for a in o.children if a.dep_ == "appos")]
    # the possessor of an act is its doer ("Serbia's suppression"), not of what is done
    # to someone ("Gandhi's assassination", "the journalists' release")
    act_nouns = knowledge.act_nouns() | clauses.AGENT_OF  # built once, not per head
    acts = [h for h in heads if h.lemma_.lower() in act_nouns]
    owners = [c for h in acts for c in h.children if c.dep_ == "poss"]
    owners += [
        o
        for h in acts
        if h.lemma_.lower() in clauses.AGENT_OF
        for o in clauses.prep_objects(h, "of")
    ]
    found = actors_of(actors, owners)
    if not found and code.startswith(DISAPPROVE):
        about = [o for p in ("over", "about") for o in clauses.prep_objects(verb, p)]
        about += [  # "complained about Indian shelling", parsed as a gerund clause
            s
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in ("over", "about")
            for g in c.children
            if g.dep_ == "pcomp"
            for s in g.children
            if s.dep_ in ("nsubj", "poss")
        ]
        found = actors_of(actors, about) or _owners_of_hit(about, actors)
    own = {s.code[:3] for s in sources}
    return [a for a in found if a.code[:3] not in own]


def _commands(source: Actor, target: Actor) -> bool:
    """The target is the source's state's own force: an order to it is command, no demand."""
    return target.code[:3] == source.code[:3] and target.code[3:6] in CHAIN_OF_COMMAND


def _state_act(verb: Token, pattern: Pattern) -> bool:
    """An arrest, expulsion, ban, sentence or inquiry: not a capture, which rebels do too."""
    return pattern.code.startswith(STATE_ACTS) and verb.lemma_.lower() in clauses.STATE_ACT


def _authorities(verb: Token, actors: DocActors) -> list[Actor]:
    """'A missionary was arrested in Lebanon', 'was put under investigation in Italy',
    'were expelled from Zimbabwe': the authorities of the state where it was done, as an
    implied source (no text). Only where the verb itself was done: 'was sentenced for war
    crimes in Bosnia' was not sentenced by Bosnia."""
    places = [p for prep in ("in", "from") for p in _place_actors(verb, actors, prep)]
    for phrase in clauses.prep_objects(verb, "under"):  # "put under arrest in X"
        places += _place_actors(phrase, actors, "in")
    states = {p.code[:3] for p in places}
    return [_implied(places[0].code[:3], places[0])] if len(states) == 1 else []


def _answered(verb: Token, code: str, actors: DocActors) -> list[Actor]:
    """Whom an act answers: 'in defiance of Chinese authorities', 'in retaliation for
    Israeli raids', 'in protest against the government'. Force answers only what it
    retaliates for: missiles fired 'in defiance of UN sanctions' are not fired at the UN."""
    answers = clauses.RETALIATION if code.startswith(FORCE) else clauses.ANSWERING
    heads = [
        o
        for n in clauses.prep_objects(verb, "in")
        if n.lemma_.lower() in answers
        for p in ("of", "for", "to", "against", "at")
        for o in clauses.prep_objects(n, p)
    ]
    return actors_of(actors, heads) or _owners_of_hit(heads, actors)


def _place_actors(verb: Token, actors: DocActors, prep: str = "in") -> list[Actor]:
    """A capital or country in a locative phrase, taken as the state it stands for."""
    out = []
    for place in clauses.prep_objects(verb, prep):
        cue = actors.cues.get(place.i)
        if cue is not None and cue.kind in ("capital", "country", "user_actor"):
            name = place.doc[cue.start : cue.end]  # "Saudi Arabia", not "Arabia"
            out.append(
                Actor(
                    code=cue.code,
                    text=name.text,
                    start=name.start_char,
                    end=name.end_char,
                    name=name.text,
                    how="place",
                )
            )
    return out


def left_neighbour(verb: Token, actors: DocActors) -> list[Actor]:
    """When the parse gives a verb no subject (a misattached coordination), the actor
    phrase right before its auxiliaries is the subject a reader sees."""
    i = verb.i - 1
    while i >= verb.sent.start and verb.doc[i].dep_ in ("aux", "advmod", "neg", "auxpass"):
        i -= 1
    if i < verb.sent.start:
        return []
    head = verb.doc[i]
    if head.pos_ not in ("PROPN", "NOUN"):
        return []
    return list(actors.actors_at(head))


def _without_frames(drafts: list[Draft]) -> list[Draft]:
    """'pledged to provide aid' is one event, the intent to provide aid: the control verb's
    own pattern only frames the event below it, whose modality already says so."""
    triggers = {d.trigger.i for d in drafts}
    # "refused to meet Y" is coded once, as the refusal of the meeting (125) with its target
    refused = {d.trigger.i for d in drafts if d.modality not in DROPPED and d.code != STATEMENT}

    def frames(d: Draft) -> bool:
        lemma, below = d.trigger.lemma_, [c.i for c in d.trigger.children if c.dep_ == "xcomp"]
        pledged = clauses.pledged_act(d.trigger)
        below += [pledged.i] if pledged is not None else []
        if lemma in clauses.INTENT | clauses.FUTURE_FRAMES:
            return any(i in triggers for i in below)
        return lemma in clauses.REFUSAL and any(i in refused for i in below)

    framing = {d.trigger.i for d in drafts if frames(d)}
    return [d for d in drafts if d.trigger.i not in framing]


def _without_embedded(drafts: list[Draft]) -> list[Draft]:
    """'demanded that Sudan end curbs', 'urged Israel to release prisoners', 'denied that
    its troops attacked': what sits under a coded act of speech has not happened; the
    act is the event. Only plain statements (010) report what they contain."""
    acts = {d.trigger.i for d in drafts if d.code != STATEMENT}
    frames = clauses.INTENT | clauses.FUTURE_FRAMES | clauses.REFUSAL

    def governed(d: Draft) -> bool:
        v = d.trigger
        for _ in range(6):
            if v.dep_ not in ("ccomp", "xcomp", "pcomp") or v.head == v:
                return False
            v = v.head if v.dep_ != "pcomp" else v.head.head
            if v.i in acts and v.lemma_ not in frames:
                return True
        return False

    return [
        d for d in drafts if not governed(d) and not _described(d, acts) and not _proposed(d, acts)
    ]


def _proposed(draft: Draft, acts: set[int]) -> bool:
    """'rejected an invitation to attend a meeting ... to debate plans', 'dismissed an
    appeal to lay down their arms': an infinitive on a coded act's noun, or on the object
    of a coded act, says what was proposed; it has not happened."""
    v = draft.trigger
    for _ in range(4):
        if v.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            noun = v.head
            return noun.i in acts or (noun.dep_ == "dobj" and noun.head.i in acts)
        if v.dep_ not in ("xcomp", "ccomp", "advcl", "conj") or v.head == v:
            return False
        v = v.head
    return False


def _described(draft: Draft, acts: set[int]) -> bool:
    """'will back a plan that seeks to impose an embargo': an aim or a future that a
    relative clause gives the object of a coded act describes that object; it is not an
    event of its own."""
    if draft.modality not in ("intent", "future"):
        return False
    v = clauses.chain_head(draft.trigger)  # "aims to tighten sanctions and impose ..."
    if v.dep_ not in ("relcl", "acl"):
        return False
    carrier = clauses.governing_verb(v.head)
    return carrier is not None and carrier.i in acts


def implied_target(draft: Draft, actors: DocActors) -> Actor | None:
    """The state an event with no named target is aimed at: the source's own ("Sudan's
    government lifted the state of emergency" is aimed at Sudan), or, for threats,
    protest and force, the state where it happens ("Hamas threatened to resume attacks in
    Israel"). ICEWS and the PLOVER gold code domestic events so; PETRARCH drops them, and
    an analyst counting dyads loses them. A meeting has none: its counterpart is named or
    unknown, and one in Paris is not aimed at France. The actor has no text (`how` is
    "implied"), so it is never taken for a mention."""
    source = draft.source
    if draft.code.startswith(AIMED_AT_PLACE):
        verb = clause_verb(draft.trigger)
        for act in (verb, *clauses.controlled_acts(verb)):  # "threatened to attack in Israel"
            for place in _where(act, actors):
                if place.code != source.code:
                    return _implied(place.code, source)
    if draft.code.startswith(("04", PEACEKEEPING)):
        return None  # a meeting's counterpart, a deployment's host: named or unknown
    if knowledge.country(source.code[:3]) is None:
        return None
    if source.code == source.code[:3] and not (
        draft.code.startswith(PROTEST) and _a_people(source, draft.trigger.doc, actors)
    ):
        return None  # a state acting alone; but a people protests against its own state
    return _implied(source.code[:3], source)


def _a_people(actor: Actor, doc, actors: DocActors) -> bool:
    """'Thousands of Nigerians', 'ethnic Albanians': not the state's own name."""
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    cue = actors.cues.get(span.root.i) if span is not None and len(span) else None
    return cue is None or cue.kind not in ("country", "capital", "user_actor")


def place_target(draft: Draft, country: str | None) -> Actor | None:
    """The state of the place the event's words name, as its implied target, for force
    and deployments whose target is otherwise unnamed or the source's own state ('Israeli
    tanks fired at targets in Jericho' is aimed at PSE). The places stage knows every
    town; the actors stage only countries and capitals."""
    source, target = draft.source, draft.target
    if not country or country == source.code[:3] or not draft.code.startswith(HIT_WHERE_DONE):
        return None
    if target is not None and not (target.how == "implied" and target.code == source.code[:3]):
        return None
    return _implied(country, source)


def _implied(code: str, source: Actor) -> Actor:
    state = knowledge.country(code[:3])
    name = state.name if state else code
    return Actor(code, "", source.start, source.start, name=name, how="implied")


def clause_verb(trigger: Token) -> Token:
    """The verb whose clause a trigger belongs to: itself, or the verb governing a noun."""
    if trigger.pos_ in ("VERB", "AUX"):
        return trigger
    return clauses.governing_verb(trigger) or trigger


def _unique(drafts) -> list[Draft]:
    seen, out = set(), []
    for d in drafts:
        # Two VENGOV ministers on one trip are one VENGOV -> RUS event, as analysts count.
        key = (d.source.code, d.target and d.target.code, d.code, d.trigger.i)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
