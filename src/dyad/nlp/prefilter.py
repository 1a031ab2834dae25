"""The fast path: sentences that cannot hold an event are not parsed.

An event needs a source actor and a trigger. Before the parser runs, a cheap pass (the
tokenizer, a rule sentencizer, the actor gazetteer and a set of the lexicon's inflected
forms) keeps a sentence only when it has both an actor candidate (a gazetteer cue, a user
dictionary actor, a known leader's name, a capitalised name already seen beside an actor
cue in the story, or an opening pronoun that may refer back to one) and a word that some
lexicon pattern could fire on.

Rejected sentences are blanked out with spaces of the same length rather than cut, so every
character offset in the parsed text is still an offset in the document body, and nothing
downstream needs to know the filter ran.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from spacy.pipeline import Sentencizer

from dyad.actors import leaders
from dyad.actors.gazetteer import gazetteer_for
from dyad.events.lexicon import load_lexicon
from dyad.nlp.lines import line_breaks

PRONOUNS = {"he", "she", "it", "they", "we"}  # a sentence opening on one may refer back


class Prefilter:
    def __init__(self, nlp, user=None):
        self.nlp = nlp
        self.user = user
        self.gazetteer = gazetteer_for(nlp)
        self.sentencizer = Sentencizer()
        self.triggers = trigger_forms()
        self.leader_names = leader_names()

    def screen(
        self, text: str, max_tokens: int | None = None, keep_all: bool = False
    ) -> tuple[str, list[tuple[int, int]], list[int]]:
        """`text` with every sentence that cannot hold an event blanked out, and every
        sentence over `max_tokens` tokens (parsing one costs time and memory that grow
        with its length, and no event needs that many words); the character spans of all
        its sentences (the record's sentences, kept or not) and the tokens of each.
        `keep_all`: only the over-long sentences are blanked (the prefilter off)."""
        doc = line_breaks(self.sentencizer(self.nlp.make_doc(text)))
        cued = set()
        if not keep_all:
            cued = {i for c in self.gazetteer.cues(doc) for i in range(c.start, c.end)}
        if self.user is not None and not keep_all:
            cued |= {i for m in self.user.find_actors(doc, None) for i in range(m.start, m.end)}
        masked = list(text) if keep_all else _blank(text)
        spans, sizes = [], []
        names = set(self.leader_names)  # grows with the names met beside an actor cue
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            lead = len(sent.text) - len(sent.text.lstrip())
            spans.append((sent.start_char + lead, sent.start_char + len(sent.text.rstrip())))
            sizes.append(sum(not t.is_space for t in sent))
            if max_tokens is not None and sizes[-1] > max_tokens:
                masked[sent.start_char : sent.end_char] = _blank(sent.text)
                continue
            if keep_all:
                continue
            capitals = {
                t.text for t in sent if t.is_alpha and t.text[0].isupper() and not t.is_stop
            }
            has_cue = any(t.i in cued for t in sent)
            if has_cue:
                names |= capitals
            actor = has_cue or bool(capitals & names) or sent[0].lower_ in PRONOUNS
            if actor and any(t.lower_ in self.triggers for t in sent):
                masked[sent.start_char : sent.end_char] = sent.text
        return "".join(masked), spans, sizes


def _blank(text: str) -> list[str]:
    """Spaces for `text`, its newlines kept: same length, so offsets hold."""
    return [" " if c != "\n" else c for c in text]


@cache
def leader_names() -> frozenset[str]:
    """Every word of the names of the leaders dyad knows, as written: 'Erdogan met Merkel'
    holds two actors though no gazetteer entry names them."""
    words: set[str] = set()
    for leader in leaders.leaders():
        for name in (leader.name, *leader.aliases):
            words.update(w for w in name.split() if w[:1].isupper())
    return frozenset(words)


@cache
def trigger_forms() -> frozenset[str]:
    """Every inflected form of every lexicon lemma (regular English inflection plus the
    irregular verbs of data/irregular_verbs.tsv), lower-cased."""
    irregular = irregular_verbs()
    forms: set[str] = set()
    for pattern in load_lexicon():
        lemma = pattern.lemma
        forms |= inflections(lemma) | irregular.get(lemma, set())
    return frozenset(forms)


@cache
def irregular_verbs() -> dict[str, frozenset[str]]:
    """base -> its past and participle forms, from data/irregular_verbs.tsv."""
    irregular = {}
    path = Path(__file__).parent / "data" / "irregular_verbs.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            forms = {*row["past"].split("|"), *row["participle"].split("|")}
            irregular[row["base"]] = frozenset(forms)
    return irregular


def inflections(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # ban -> banned
    return forms
