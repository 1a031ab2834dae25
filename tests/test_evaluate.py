import datetime as dt
from pathlib import Path

import pytest

from dyad.evaluate import conflibert, main_event, petrarch, plover, seed
from dyad.evaluate.runner import SETS, run_all


@pytest.fixture(scope="module")
def shared() -> Path:
    path = Path(__file__).resolve().parents[1].parent / "shared"
    assert path.is_dir(), f"shared data missing at {path}"
    return path


def event(source, target, cameo, confidence=0.5, **extra):
    return {
        "source": {"code": source, "start": 0, "end": 0} if source else None,
        "target": {"code": target, "start": 0, "end": 0} if target else None,
        "cameo": cameo,
        "root": cameo[:2],
        "confidence": confidence,
        **extra,
    }


# -- readers on the real gold files ---------------------------------------------------------


def test_readers_counts(shared):
    assert len(plover.read(shared)) == 213
    assert len(conflibert.read_class(shared)) == 1349
    assert len(conflibert.read_ner(shared)) == 1153
    records = petrarch.read(shared)
    assert len(records) == 200
    expected, raw = seed.read(shared)
    assert expected["body_ends_before"] in raw


def test_petrarch_reader_fields(shared):
    records = petrarch.read(shared)
    assert all(isinstance(r["date"], dt.date) for r in records)
    assert all(r["text"] and "\n" not in r["text"] for r in records)
    # Records with noevents or an error expect nothing; the others expect triples.
    for r in records:
        assert bool(r["expected"]) != (r["noevents"] or r["error"] is not None)
    assert {"storydiscard", "sentencediscard"} <= {r["error"] for r in records}
    assert any(r["config"].get("require_dyad") for r in records)


def test_conflibert_reader_labels_and_spans(shared):
    labels = {label for _, label in conflibert.read_class(shared)}
    assert labels == set(conflibert.CLASSES)
    sentences = conflibert.read_ner(shared)
    assert all(len(s.tokens) == len(s.tags) for s in sentences)
    # Every gold span starts on a B- or I- tag of its role.
    for s in sentences[:100]:
        for start, end in s.spans("source"):
            assert s.tags[start][2:] in ("S", "R") and end > start


# -- seed -------------------------------------------------------------------------------


EXPECTED = {
    "publication_date": "2019-02-26",
    "body_ends_before": "APPEAL:",
    "required_events": [
        {
            "id": "A",
            "source": "VEN",
            "source_agent": "GOV",
            "target": "RUS",
            "roots": ["03", "04"],
            "modality": "future",
            "date": "2019-03-01",
        },
        {"id": "B", "source": "RUS", "target": "VEN", "roots": ["05"]},
    ],
    "optional_events": [{"id": "O", "source": "CHN", "target": "VEN", "roots": ["07"]}],
}
RAW = "Venezuela will meet Russia. Russia backs Venezuela.\nAPPEAL: Russia backs us."


def test_seed_right_and_forbidden():
    good = event(
        "VENGOV",
        "RUSGOV",
        "036",
        modality="future",
        date="2019-03-01",
        sentence="Venezuela will meet Russia.",
        event_id="1",
    )
    past = event(
        "VENGOV",
        "RUS",
        "042",
        modality="asserted",
        date="2019-02-26",
        sentence="Venezuela will meet Russia.",
        event_id="2",
    )
    chrome = event("RUS", "VEN", "051", sentence="APPEAL: Russia backs us.", event_id="3")
    result = seed.score([good, past, chrome], EXPECTED, RAW)
    assert [r["found"] for r in result["required"]] == [True, True]
    assert result["required"][0]["date_ok"] is True
    reasons = {(f["event_id"], f["why"]) for f in result["forbidden"]}
    assert reasons == {("3", "from boilerplate"), ("2", "A modality"), ("2", "A publication date")}
    assert result["precision"] == pytest.approx(1 / 3)


def test_seed_agent_and_empty():
    # Source agent GOV is required: a bare VEN source does not count.
    bare = event("VEN", "RUS", "036", sentence="Venezuela will meet Russia.", event_id="1")
    result = seed.score([bare], EXPECTED, RAW)
    assert result["required_found"] == 0
    empty = seed.score([], EXPECTED, RAW)
    assert empty["recall"] == 0 and empty["forbidden"] == []


def test_seed_actors_need_every_mention_right():
    expected = {
        "actors": [
            {"text": "Sergei Lavrov", "code": "RUSGOV"},
            {"text": "Moscow", "code": "RUS"},
            {"text": "Caracas", "code": "VEN"},
        ]
    }
    mentions = [
        {"code": "RUSGOV", "text": "Russian Foreign Minister Sergei Lavrov"},
        {"code": "RUS", "text": "Moscow"},
        {"code": "RUSGOV", "text": "Moscow"},  # one wrong mention makes the actor wrong
    ]
    got = {a["text"]: (a["right"], a["found"]) for a in seed.score_actors(expected, mentions)}
    assert got == {
        "Sergei Lavrov": (True, ["RUSGOV"]),
        "Moscow": (False, ["RUS", "RUSGOV"]),
        "Caracas": (False, []),
    }


# -- PLOVER -------------------------------------------------------------------------------


def test_plover_mapping_reaches_every_gold_type(shared):
    reachable = {plover.plover_2016(f"{root:02d}0") for root in range(1, 21)}
    reachable |= {plover.plover_2016(code) for code in plover.CODE_TYPES}
    assert {r["event"] for r in plover.read(shared)} <= reachable
    assert plover.plover_2016("010") is None
    assert plover.plover_2016("081") == "CONCEDE" and plover.plover_2016("084") == "RETREAT"


def test_plover_scores():
    records = [
        {"event": "AGREE", "source": [{"code": "HUN"}], "target": [{"code": "ROU"}]},
        {"event": "FIGHT", "source": [{"code": "ISR"}], "target": None},
        {
            "event": "AGREE",
            "source": [{"code": "JOR"}],
            "target": [{"code": "GBR"}],
            "eventLoc": {"name": "Geneva", "country code": "CH"},
        },
    ]
    predictions = [
        [event("HUN", "ROU", "010", 0.2), event("HUNGOV", "ROUGOV", "036", 0.9)],  # right type
        [event("ISR", "LBN", "190", 0.5), event("ISR", None, "111", 0.5)],  # tie: first wins
        [],  # no event: wrong
    ]
    result = plover.score(records, predictions)
    assert result["accuracy"] == pytest.approx(2 / 3)
    assert result["no_event"] == 1
    assert result["source_country"] == pytest.approx(2 / 3)
    assert result["target_country"] == pytest.approx(1 / 2)  # the empty record misses
    assert result["per_type"]["AGREE"]["recall"] == pytest.approx(0.5)
    assert result["location_records"] == 1 and result["location_country"] == 0


def test_main_event_tie_takes_first():
    first, second = event("A", None, "010", 0.7), event("B", None, "020", 0.7)
    assert main_event([first, second]) is first
    assert main_event([]) is None


# -- ConfliBERT ---------------------------------------------------------------------------


def test_penta_class():
    assert [
        conflibert.penta_class(r) for r in ("01", "05", "06", "08", "09", "13", "14", "20")
    ] == [
        0,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert conflibert.penta_class("") is None


def test_conflibert_class_scores():
    labels = [4, 3, 0]
    predictions = [[event("A", "B", "190")], [event("A", "B", "051")], []]
    result = conflibert.score_class(labels, predictions)
    assert result["accuracy"] == pytest.approx(1 / 3)
    assert result["per_class"][4]["f1"] == 1.0
    assert result["per_class"][1]["precision"] == 0.0  # predicted 1, gold 3
    assert result["no_event"] == 1


def test_conflibert_ner_scores():
    sentence = conflibert.NerSentence(
        ["Swiss", "court", "rejected", "the", "Croatian", "request"],
        ["B-S", "I-S", "O", "O", "B-T", "O"],
    )
    text = sentence.text
    court = text.index("court")
    right = {
        "source": {"code": "CHE", "start": court, "end": court + 5},
        "target": {"code": "HRV", "start": 0, "end": 5},
        "cameo": "120",
    }
    result = conflibert.score_ner([sentence], [[right]])
    assert result["source"]["precision"] == 1.0 and result["source"]["recall"] == 1.0
    assert result["target"]["precision"] == 0.0 and result["target"]["recall"] == 0.0
    empty = conflibert.score_ner([sentence], [[]])
    assert empty["recall"] == 0.0 and empty["precision"] == 0.0


# -- PETRARCH -----------------------------------------------------------------------------


def test_petrarch_scores():
    records = [
        {"category": "DEMO", "expected": [("ARN", "GON", "064")]},
        {"category": "DEMO", "expected": [("ARN", "GON", "903"), ("ARN", "GON", "903")]},
        {"category": "ERROR", "expected": []},
    ]
    predictions = [
        [event("ARN", "GON", "064")],  # right
        [event("ARN", "GON", "903")],  # one of two
        [event("ARN", None, "010")],  # nothing expected
    ]
    codes = {"064", "010"}
    result = petrarch.score(records, predictions, is_code=codes.__contains__)
    assert result["precision"] == pytest.approx(2 / 3)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["accuracy"] == pytest.approx(1 / 3)
    assert result["by_category"]["ERROR"]["accuracy"] == 0.0
    # 903 is no CAMEO code: that record is left out of the CAMEO-only figures.
    assert result["cameo_only"]["records"] == 2
    assert petrarch.triples([event("ARN", None, "010")]) == [("ARN", "---", "010")]


# -- runner -------------------------------------------------------------------------------


def test_runner_reads_every_set(shared):
    seen = []

    def code_sentences(texts, dates, dictionaries, verbs=None):
        seen.append((len(texts), [p.name for p in dictionaries]))
        assert len(dates) == len(texts)
        return [[] for _ in texts]

    def code_document(text, date):
        seen.append((1, []))
        return []

    rows = run_all(code_sentences, code_document, shared, limit=3)
    assert [r["set"] for r in rows] == list(SETS)
    keys = {"set", "records", "precision", "recall", "f1", "accuracy", "seconds", "details"}
    for row in rows:
        assert keys <= set(row) and row["error"] is None, row
        assert row["records"] > 0
    by_set = {r["set"]: r for r in rows}
    assert by_set["petrarch-unit"]["records"] == 3
    assert by_set["plover-gsr"]["accuracy"] == 0.0
    assert [
        "PETR.Validate.actors.txt",
        "PETR.Validate.agents.txt",
        "PETR.Validate.discards.txt",
    ] in [names for _, names in seen]
    # seed, petrarch (its verb file alone, with dyad's lexicon, dyad's lexicon alone),
    # plover and both ConfliBERT sets called the coder
    assert len(seen) == 7


def test_runner_missing_gold_is_a_row(tmp_path):
    rows = run_all(lambda t, d, p: [[] for _ in t], lambda t, d: [], tmp_path, sets=["plover-gsr"])
    assert rows[0]["set"] == "plover-gsr"
    assert "[E304]" in rows[0]["error"]
    assert rows[0]["records"] == 0
