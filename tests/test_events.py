"""The events stage on real sentences: clause shapes, modality, nominal events."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def code(pipeline):
    def run(text: str, date: str = "2019-02-26"):
        return [e.to_dict() for e in pipeline.code_text(text, date)]

    return run


def dyads(events) -> set[tuple[str, str, str]]:
    return {
        (e["source"]["code"], e["target"]["code"] if e["target"] else "-", e["root"])
        for e in events
    }


def test_active_clause(code):
    assert ("RUS", "USA", "11") in dyads(code("Russia has accused the United States of lying."))


def test_passive_clause_swaps_source_and_target(code):
    events = code("Israeli troops were attacked by Hamas militants near Gaza on Monday.")
    assert any(
        e["target"] and e["target"]["code"].startswith("ISR") and e["root"] in ("18", "19")
        for e in events
    )


def test_announced_meeting_takes_the_intent_code(code):
    events = code("French President Emmanuel Macron will meet German Chancellor Olaf Scholz.")
    assert [(e["cameo"], e["modality"]) for e in events] == [("036", "future")]


def test_control_verb_makes_an_intent(code):
    events = code("Japan pledged to provide humanitarian aid to the Philippines.")
    assert events and all(e["modality"] == "intent" for e in events)
    assert any(e["root"] == "03" and e["target"]["code"] == "PHL" for e in events)


def test_negated_event_is_not_coded_as_the_event(code):
    assert not [e for e in code("India did not attack Pakistan.") if e["root"] in ("18", "19")]


def test_hypothetical_event_is_dropped(code):
    assert not code("If Iran attacks Israel, the United States could respond.")


def test_reported_event_keeps_the_reported_modality(code):
    events = code("Ukraine said Russian forces shelled the city of Kharkiv.")
    shelling = [e for e in events if e["root"] in ("18", "19", "20")]
    assert shelling and shelling[0]["source"]["code"].startswith("RUS")
    assert shelling[0]["modality"] == "reported"


def test_coordinated_targets_give_one_event_each(code):
    events = code("The European Union imposed sanctions on Belarus and Russia.")
    targets = {e["target"]["code"] for e in events if e["root"] == "16"}
    assert {"BLR", "RUS"} <= targets


def test_nominal_visit(code):
    events = code("Chinese President Xi Jinping's visit to Russia began on Monday.")
    assert ("CHNGOV", "RUS", "04") in dyads(events)


def test_sports_story_yields_nothing(code):
    text = (
        "Manchester City beat Arsenal 3-1 on Sunday to go top of the league, "
        "with two goals from their striker in the second half."
    )
    assert code(text) == []


def test_records_know_their_sentence(code):
    text = "Weather was fine. Russia has accused the United States of lying."
    e = code(text)[0]
    assert e["sentence_index"] == 1
    assert text[e["sentence_start"] : e["sentence_end"]] == e["sentence"]
    assert text[e["source"]["start"] : e["source"]["end"]] == e["source"]["text"]
