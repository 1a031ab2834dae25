"""The seed article, end to end: every requirement of its expected file."""

from __future__ import annotations

import datetime as dt
import json

import pytest


@pytest.fixture(scope="module")
def expected(shared):
    return json.loads((shared / "seed" / "moscow-times-venezuela.expected.json").read_text())


@pytest.fixture(scope="module")
def seed_text(shared):
    return (shared / "seed" / "moscow-times-venezuela.txt").read_text()


@pytest.fixture(scope="module")
def events(pipeline, seed_text, expected):
    return [e.to_dict() for e in pipeline.code_text(seed_text, expected["publication_date"])]


def _matches(event: dict, want: dict) -> bool:
    if event["target"] is None:
        return False
    src, tgt = event["source"]["code"], event["target"]["code"]
    return (
        src[:3] == want["source"]
        and tgt[:3] == want["target"]
        and event["root"] in want["roots"]
        and want.get("source_agent", "") in src[3:]
        and want.get("target_agent", "") in tgt[3:]
    )


def _found(events, want):
    return [e for e in events if _matches(e, want)]


@pytest.mark.parametrize("eid", ["E1", "E2", "E3", "E4", "E5", "E6"])
def test_required_event_is_found(events, expected, eid):
    want = next(e for e in expected["required_events"] if e["id"] == eid)
    assert _found(events, want), f"{eid} ({want['why']}) not in {[_brief(e) for e in events]}"


def test_e1_is_a_future_meeting_on_friday_in_moscow(events, expected):
    want = expected["required_events"][0]
    found = _found(events, want)
    assert found
    for e in found:
        assert e["modality"] == want["modality"]
        assert e["date"] == want["date"]
        assert e["date_precision"] == "day"
        assert e["location"]["name"] == want["location"]["name"]
        assert e["location"]["country"] == want["location"]["country"]
    assert any(e["cameo"] == want["best_code"] for e in found)


def test_e6_is_dated_last_week_and_located_in_moscow(events, expected):
    want = next(e for e in expected["required_events"] if e["id"] == "E6")
    first, last = (dt.date.fromisoformat(d) for d in want["date_range"])
    found = _found(events, want)
    assert found
    for e in found:
        assert first <= dt.date.fromisoformat(e["date"]) <= last
        assert (e["location"]["name"], e["location"]["country"]) == ("Moscow", "RU")


def test_nothing_comes_from_the_donation_appeal(events, expected, seed_text):
    appeal_starts = seed_text.index(expected["body_ends_before"])
    for e in events:
        assert e["sentence_end"] <= appeal_starts
        assert e["source"]["end"] <= appeal_starts
        assert e["target"] is None or e["target"]["end"] <= appeal_starts


def test_records_carry_the_whole_contract(events):
    keys = {
        "event_id",
        "doc_id",
        "sentence_index",
        "sentence",
        "source",
        "target",
        "cameo",
        "root",
        "quad_class",
        "goldstein",
        "plover",
        "modality",
        "date",
        "date_precision",
        "location",
        "rule",
        "confidence",
    }
    for e in events:
        assert keys <= set(e)
        assert e["cameo"].startswith(e["root"])
        assert e["quad_class"] == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2}.get(
            int(e["root"]), 3 if int(e["root"]) <= 13 else 4
        )
        assert e["modality"] in ("asserted", "future", "intent", "reported")


def _brief(e):
    tgt = e["target"]["code"] if e["target"] else "-"
    return f"{e['source']['code']}->{tgt} {e['cameo']} s{e['sentence_index']}"


def test_all_eight_actors_of_the_expected_file_are_right(pipeline, seed_text, expected):
    from dyad.evaluate import seed

    mentions = [a.to_dict() for a in pipeline.actors_in(seed_text, expected["publication_date"])]
    scored = seed.score_actors(expected, mentions)
    assert len(scored) == 8
    assert [a for a in scored if not a["right"]] == []
