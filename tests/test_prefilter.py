"""The fast path: which sentences are parsed, and that offsets survive the blanking."""

from __future__ import annotations

import pytest

from dyad.nlp.prefilter import Prefilter, trigger_forms


@pytest.fixture(scope="module")
def prefilter(nlp):
    return Prefilter(nlp)


def kept(prefilter, text: str) -> list[str]:
    masked, spans, _ = prefilter.screen(text)
    assert len(masked) == len(text)
    return [text[a:b] for a, b in spans if masked[a:b] == text[a:b]]


def test_sentences_without_actor_or_trigger_are_blanked_in_place(prefilter):
    text = (
        "The weather was mild all week. Russia has accused the United States of lying. "
        "Shares rose two percent."
    )
    masked, spans, _ = prefilter.screen(text)
    assert [text[a:b] for a, b in spans][1] == "Russia has accused the United States of lying."
    assert masked.strip() == "Russia has accused the United States of lying."
    assert masked.index("Russia") == text.index("Russia")


def test_every_seed_sentence_with_an_event_is_kept(prefilter, shared):
    text = (shared / "seed" / "moscow-times-venezuela.txt").read_text().split("A Message")[0]
    sentences = kept(prefilter, text)
    for start in (
        "Venezuelan Vice President",
        "Moscow has backed",
        "The prospect of Maduro",
        "Russia, alongside China",
        "Moscow has also helped",
        "Venezuela's deputy",
    ):
        assert any(s.startswith(start) for s in sentences), start  # fmt: skip


def test_leaders_and_names_met_beside_a_cue_count_as_actors(prefilter):
    assert kept(prefilter, "Erdogan met Merkel in Ankara.")
    story = "Opposition leader Juan Guaido held a rally. Guaido accused the army of lying."
    assert len(kept(prefilter, story)) == 2
    assert kept(prefilter, "Somebody accused somebody else of lying.") == []


def test_inflected_and_irregular_forms_are_triggers():
    forms = trigger_forms()
    assert {"accused", "accuses", "accusing", "held", "met", "fought", "sanctions"} <= forms
    assert "the" not in forms


def test_the_pipeline_codes_the_same_with_and_without_it(pipeline):
    from dyad.pipeline import Pipeline

    text = (
        "Shares rose two percent. Russian Foreign Minister Sergei Lavrov met Chinese "
        "Foreign Minister Wang Yi in Beijing on Monday. Lavrov later accused the United "
        "States of meddling. It rained."
    )
    slow = [e.to_dict() for e in Pipeline(prefilter=False).code_text(text, "2019-02-26")]
    fast = [e.to_dict() for e in pipeline.code_text(text, "2019-02-26")]
    assert fast == slow and len(fast) >= 2
