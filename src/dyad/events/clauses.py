"""Reading a clause off spaCy's dependency parse: who is the subject, what are the objects,
and is the event asserted, future, intended, negated, hypothetical or reported.

Everything here is syntax; the meaning (which CAMEO code) is in the lexicon.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from spacy.tokens import Token


@cache
def _words() -> dict[str, frozenset[str]]:
    with open(Path(__file__).parent / "data" / "clause_words.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return {r["class"]: frozenset(r["words"].split("|")) for r in rows}


REPORTING = _words()["reporting"]
INTENT = _words()["intent"]
FUTURE_FRAMES = _words()["future"]
HYPOTHETICAL_MODALS = _words()["hypothetical_modal"]
HYPOTHETICAL_MARKS = _words()["hypothetical_mark"]
NEGATIONS = _words()["negation"]
REFUSAL = _words()["refusal"]
DEMAND_MODALS = _words()["demand_modal"]
PLEDGE = _words()["pledge"]
LIGHT_PARTICLES = _words()["light_particle"]
PURPOSES = _words()["purpose"]
DOCUMENTS = _words()["document"]
UNITS = _words()["unit"]
STATIVE = _words()["stative"]
ISSUING = _words()["issuing"]
PERMISSION = _words()["permission"]
CARRY_OUT = _words()["carry_out"]
AGENT_OF = _words()["agent_of"]
ANSWERING = _words()["answering"]
REFUGE = _words()["refuge"]
RETALIATION = _words()["retaliation"]
STATE_ACT = _words()["state_act"]
ENABLING = _words()["enabling"]
ORDERING = _words()["ordering"]
IDIOM_PARTICLES = _words()["idiom_particle"]
FUTURE_AUX = frozenset(("will", "shall", "'ll", "wo", "would"))
PLEDGED_MODALS = FUTURE_AUX | {"should"}
CLAUSE_LINKS = ("xcomp", "conj", "advcl", "pcomp", "acomp")


def chain_head(verb: Token) -> Token:
    """Climb control and raising chains: 'agreed to send' -> 'agreed'; 'is expected to
    sign' -> 'expected'; 'is willing to send' -> 'willing'; 'will meet and sign' -> 'meet'.
    Stops at a verb that has its own subject."""
    v = verb
    while not has_subject(v) and v.head != v:
        if v.dep_ in ("xcomp", "acomp") and not object_controlled(v):
            v = v.head
        elif v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
            # "will meet Putin and sign the accord": a second verb sharing the subject
            # shares the auxiliaries and frame verbs of the first
            v = v.head
        else:
            break
    return v


def object_controlled(verb: Token) -> bool:
    """'advised its citizens not to travel', 'allowed refugees to return': the object of
    the verb above does the act, not its subject (a pledge, 'promised X to', aside)."""
    head = verb.head
    return (
        verb.dep_ == "xcomp"
        and head.lemma_ not in PLEDGE
        and any(c.dep_ == "dobj" for c in head.children)
    )


def refuses(verb: Token) -> bool:
    """The negation is a refusal: 'refused to meet', 'failed to reach', 'will not lift';
    'did not travel' only says what did not happen."""
    for v in chain_to(verb, chain_head(verb)):
        if v != verb and v.lemma_ in REFUSAL:
            return True
        if {c.lower_ for c in v.children if c.dep_ == "aux"} & FUTURE_AUX:
            return True
    return False


def is_main_clause(verb: Token) -> bool:
    """The verb's clause is the sentence's own assertion or what a source says in it:
    not a clause embedded under another act ('advised X not to travel')."""
    top = chain_head(verb)
    while top.dep_ == "conj" and top.head != top:
        top = top.head
    return top.dep_ == "ROOT" or (top.dep_ == "ccomp" and top.head.lemma_ in REPORTING)


def depth(verb: Token) -> int:
    """How many clauses down from the sentence's main verb: events in embedded clauses
    are less likely to be what the sentence is about."""
    n, v = 0, verb
    while v.head != v and n < 8:
        if v.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "conj"):
            n += 1
        v = v.head
    return n


def distance_to_root(token: Token) -> int:
    """How many arcs below the root of its sentence a token is."""
    n = 0
    while token.head != token and n < 50:
        token, n = token.head, n + 1
    return n


def complement_subjects(verb: Token) -> list[Token]:
    """Subjects of the verb's clausal complement: 'demanded that the Turkish government
    provide' -> government."""
    return [
        s
        for c in verb.children
        if c.dep_ == "ccomp"
        for s in c.children
        if s.dep_ in ("nsubj", "nsubjpass")
    ]


def condition_subjects(verb: Token) -> list[Token]:
    """Who must act for a threat not to be carried out: 'threatened to launch an offensive
    unless Baghdad accepted its conditions' -> Baghdad; the same for 'if'."""
    return [
        s
        for v in (verb, *controlled_acts(verb))
        for c in v.children
        if c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
        for s in subjects(c)
    ]


def demand_complement(verb: Token) -> Token | None:
    """'Russia said Sudan must return the helicopter': a reporting verb whose complement
    says what another must do is a demand of that other."""
    if verb.lemma_ not in REPORTING:
        return None
    for c in verb.children:
        if c.dep_ == "ccomp" and any(
            a.dep_ == "aux" and a.lower_ in DEMAND_MODALS for a in c.children
        ):
            return c
    return None


def has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children)


def is_passive(verb: Token) -> bool:
    """'was attacked by X'; not a participle that names a state of its subject ('Israel
    is opposed to French mediation'), which the parser reads as a passive too."""
    if verb.lemma_ in STATIVE and not any(c.dep_ == "agent" for c in verb.children):
        return False
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def subjects(verb: Token) -> list[Token]:
    """Heads of the phrases that do the action, following the parse upward when the verb
    has no subject of its own (control, coordination, participles, relative clauses)."""
    v = verb
    for _ in range(6):
        if is_passive(v):
            agents = [
                g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
            ]
            return agents
        own = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]  # not passive here
        if not own and object_controlled(v):
            return [c for c in v.head.children if c.dep_ == "dobj"]
        if own:
            if own[0].lower_ in ("who", "which", "that") and v.dep_ == "relcl":
                return [v.head]
            return own
        if v.dep_ in CLAUSE_LINKS and v.head != v:
            v = v.head
            continue
        if v.dep_ == "relcl":
            return [v.head]
        if _issued_text(v):  # "the PKK issued a declaration demanding that ..."
            v = v.head.head
            continue
        break
    return []


def _issued_text(verb: Token) -> bool:
    """Only its issuer's own text: not one vetoed or rejected, nor one another body owns
    ('vetoed a UN resolution condemning Israel')."""
    text = verb.head
    return (
        verb.dep_ == "acl"
        and verb.tag_ == "VBG"
        and text.lemma_.lower() in DOCUMENTS
        and text.dep_ == "dobj"
        and text.head.lemma_ in ISSUING
        and not any(
            c.dep_ in ("poss", "compound", "nmod") and c.pos_ == "PROPN" for c in text.children
        )
    )


def passive_targets(verb: Token) -> list[Token]:
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return [verb.head]
    return [c for c in verb.children if c.dep_ == "nsubjpass"]


def objects(verb: Token) -> list[Token]:
    """Direct and indirect objects, with coordinated ones, and the adjective of a copula
    ('remained optimistic', 'is skeptical'). Whom a permission lets act is its object,
    though the parse may make it the subject of the act ('allow candidate Ouattara to
    participate', 'allow UN planes to land')."""
    out = []
    for c in verb.children:
        if c.dep_ in ("dobj", "dative", "attr", "oprd", "acomp"):
            out.append(c)
            out += [g for g in c.conjuncts if g not in out]
    if verb.lemma_.lower() in PERMISSION and not out:
        out = complement_subjects(verb)
    return out


def prep_objects(token: Token, prep: str | None = None) -> list[Token]:
    """Objects of the prepositions hanging off `token` (optionally only `prep`)."""
    out = []
    for c in token.children:
        if c.dep_ in ("prep", "agent", "dative") and (prep is None or c.lower_ == prep):
            for g in c.children:
                if g.dep_ == "pobj":
                    out.append(g)
                    out += list(g.conjuncts)
    return out


def particle(verb: Token) -> str | None:
    for c in verb.children:
        if c.dep_ == "prt":
            return c.lower_
    return None


def fallback_particle(verb: Token, prt: str | None) -> bool:
    """'beat up the detainees' is beating them: a completing particle the lexicon names in
    no pattern of the verb lets the verb's own patterns apply ('give up', 'break down' and
    other idioms never do)."""
    return prt in LIGHT_PARTICLES and f"{verb.lemma_.lower()} {prt}" not in IDIOM_PARTICLES


def controlled_acts(verb: Token) -> list[Token]:
    """The acts the subject of `verb` commits to, threatens or refuses: 'threatened to
    attack Iraq' -> attack (not 'urged Israel to release', where the object acts)."""
    return [
        c
        for c in verb.children
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX") and not object_controlled(c)
    ]


def governing_verb(noun: Token) -> Token | None:
    """The verb an event noun depends on: 'held talks' -> held; 'in Moscow for talks' -> were."""
    t = noun
    for _ in range(4):
        if t.head == t:
            return None
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def modality(verb: Token, negation: bool = True) -> str:
    """asserted, future, intent, negated, hypothetical or reported, from the verb's own
    auxiliaries and negation and from the chain of verbs above it. With `negation` off,
    the modality the act would have without its negation ('will not lift': future)."""
    sent = verb.sent
    own = chain_head(verb)
    for v in chain_to(verb, own) if negation else ():
        if any(_negates(c) for c in v.children):
            return "negated"
        if v != verb and v.lemma_ in REFUSAL:
            return "negated"
    if negation and _refused_above(own):
        return "negated"
    for v in chain_to(verb, own):
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in v.children):
            return "hypothetical"
        if any(c.dep_ == "aux" and c.lower_ in HYPOTHETICAL_MODALS for c in v.children):
            return "hypothetical"
    if sent.text.rstrip().endswith("?"):
        return "hypothetical"
    for v in chain_to(verb, own):
        aux = {c.lower_ for c in v.children if c.dep_ == "aux"}
        if aux & FUTURE_AUX:  # news 'would' is mostly future in the past; 'if' was seen above
            return "future"
        if v != verb and v.lemma_ in FUTURE_FRAMES:
            return "future"
        if v != verb and v.lemma_ in INTENT:
            return "intent"
    if _reported(own):
        return "reported"
    return "asserted"


def _refused_above(verb: Token) -> bool:
    """'refused to allow UN planes to land', 'did not allow inspectors to visit': a clause
    under a refusal, or under a permission withheld, did not happen, though it has its own
    subject ('did not deny that its jets bombed the hospital' still reports the bombing)."""
    v = verb
    for _ in range(4):
        if v.dep_ not in ("ccomp", "xcomp") or v.head == v or v.head.pos_ not in ("VERB", "AUX"):
            return False
        v = v.head
        negated = any(_negates(c) for c in v.children)
        if v.lemma_ in REFUSAL:
            return not negated  # "did not deny that its jets bombed ..." reports it
        if v.lemma_ in PERMISSION and negated:
            return True
    return False


def _negates(child: Token) -> bool:
    if child.dep_ == "neg":
        # "not only met X but also ...": a focus phrase, not a negation
        nxt = child.nbor(1) if child.i + 1 < len(child.doc) else None
        return nxt is None or nxt.lower_ != "only"
    return child.lower_ in NEGATIONS and child.dep_ == "det"


def pledged_act(verb: Token) -> Token | None:
    """The act a pledge verb commits to: 'agreed to set up a centre' -> set up; 'agreed
    that their countries should cooperate' -> cooperate (a complement that only states a
    fact, 'agreed that the plan is sound', is an accord, not a pledge)."""
    if verb.lemma_ not in PLEDGE:
        return None
    for c in verb.children:
        if c.pos_ not in ("VERB", "AUX"):
            continue
        if c.dep_ == "xcomp":
            return c
        if c.dep_ == "ccomp" and any(
            a.dep_ == "aux" and a.lower_ in PLEDGED_MODALS for a in c.children
        ):
            return c
    return None


def chain_to(verb: Token, top: Token) -> list[Token]:
    out = [verb]
    v = verb
    while v != top and v.head != v:
        v = v.head
        out.append(v)
    return out


def _reported(verb: Token) -> bool:
    v = verb
    for _ in range(4):
        if v.dep_ != "ccomp" or v.head == v:
            return False
        v = v.head
        if v.lemma_ in REPORTING:
            return True
    return False


def tense(verb: Token, modality_: str) -> str:
    if modality_ in ("future", "intent"):
        return "future"
    if verb.tag_ in ("VBD", "VBN") or any(
        c.lemma_ == "have" and c.dep_ == "aux" for c in verb.children
    ):
        return "past"
    return "present"


def purpose_clauses(trigger: Token, words: frozenset[str] = PURPOSES) -> list[Token]:
    """'began a hunger strike to protest the government's failure': the verbs of the
    clauses that say what an act is done for (protest, demand ...; or `words`), hung on
    the trigger or, for a noun, on the noun itself."""
    return [
        c
        for c in trigger.children
        if c.dep_ in ("advcl", "xcomp", "acl") and c.lemma_.lower() in words
    ]


def ordered(verb: Token) -> list[Token]:
    """'ordered former president Carlos Menem to appear': whom an order tells to act (its
    object, with an infinitive after it), or nothing."""
    if verb.lemma_.lower() not in ORDERING:
        return []
    acts = [
        c
        for c in verb.children
        if c.dep_ in ("xcomp", "ccomp")
        and c.pos_ == "VERB"
        # "ordered Pinochet to be extradited": what is done to him, not asked of him
        and not any(g.dep_ == "auxpass" for g in c.children)
    ]
    if not acts:
        return []
    found = [c for c in verb.children if c.dep_ == "dobj"]
    return found or [s for a in acts for s in a.children if s.dep_ == "nsubj"]
