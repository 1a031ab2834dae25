"""PETRARCH verb and issue dictionaries: the reader on the real files, the matcher on the
validation suite's dictionaries, the --verbs choice, the suite's <Config> options, and the
seed article coded with the Phoenix dictionaries."""

from __future__ import annotations

import pytest

from dyad.errors import DyadError
from dyad.evaluate import petrarch, seed
from dyad.events.coder import EventCoder
from dyad.events.petrarch.coder import VerbCoder, code_info, make_coder
from dyad.events.petrarch.issues import expand, read_issues
from dyad.events.petrarch.reader import Element, read_verbs


@pytest.fixture(scope="module")
def validation_verbs(shared):
    problems = []
    path = shared / "eval" / "petrarch-unit" / "dictionaries" / "PETR.Validate.verbs.txt"
    return read_verbs(path, problems), problems


@pytest.fixture(scope="module")
def cameo(shared):
    problems = []
    return read_verbs(
        shared / "eval" / "petrarch-dictionaries" / "CAMEO.2.0.txt", problems
    ), problems


def block(dictionary, name):
    return next(b for b in dictionary.blocks if b.name == name)


def pattern(b, text):
    return next(p for p in b.patterns if p.text.split("[")[0].strip() == text)


# -- reader ---------------------------------------------------------------------------


def test_files_read_completely(validation_verbs, cameo):
    verbs, problems = validation_verbs
    assert len(verbs.blocks) > 250 and verbs.patterns > 450
    # "[+++]" is no code; in "- * DIPLXMATIC  [###]" the comment sign eats the code
    assert sorted(p.where.rsplit(":", 1)[1] for p in problems) == ["989", "992"]
    big, problems = cameo
    assert len(big.blocks) > 390 and big.patterns > 4600
    # "[080!]" is no code; &WEATHER and &DEMONSTRATION are used but never defined
    assert sorted((p.code, p.where.rsplit(":", 1)[1]) for p in problems) == [
        ("E201", "5787"),
        ("E205", "8443"),
        ("E205", "8444"),
    ]
    assert len(big.transformations) == 8  # kept as text, not applied


def test_block_code_and_verb_forms(validation_verbs):
    verbs, _ = validation_verbs
    abandon = block(verbs, "ABANDON")
    assert abandon.code == "345"
    words = {f.words for f in abandon.forms}
    assert {("abandon",), ("abandoned",), ("abandoning",), ("abc", "def", "ghi")} <= words
    klm = next(f for f in abandon.forms if f.words == ("klm", "nop", "rst"))
    assert klm.head == 2 and klm.code == "002"
    wiretap = {(f.words, f.head) for f in block(verbs, "CONFISCATE").forms}
    assert (("wire", "tapped"), 1) in wiretap  # irregular forms in {...}
    assert block(verbs, "DELAY").code == "120"  # "--- DELAY [120]  [031:031]  ---"


def test_markers(validation_verbs):
    verbs, _ = validation_verbs
    agree = pattern(block(verbs, "AGREE"), "- % *")
    assert agree.before == (Element("compound"),) and (agree.code, agree.reverse) == ("030", "030")
    p = pattern(block(verbs, "EXTRADITE"), "- + WAS_ * TO_ ^ FROM $")
    # "WAS_ *": PETRARCH reads a "_" before a space as an open connection
    assert [e.kind for e in p.before] == ["target", "word"] and not p.verb_joined
    assert [e.kind for e in p.after] == ["word", "skip", "word", "source"]
    assert not p.after[0].joined  # "TO_ ^": a final "_" is an open connection
    joined = pattern(block(verbs, "ACKNOWLEDGE"), "- *_OUT")
    assert joined.after == (Element("word", "out", joined=True),)
    synset = pattern(block(verbs, "ABANDON"), "- * NEW_&TIETYPES_RELATIONS")
    assert [e.kind for e in synset.after] == ["word", "synset", "word"]
    assert all(e.joined for e in synset.after[1:])


def test_synonym_sets(validation_verbs):
    verbs, _ = validation_verbs
    accord = verbs.synsets["&ACCORDSYN"]  # includes &TIETYPES and &CURRENCY
    assert ("military",) in accord and ("swiss", "francs") in accord
    assert ("economics",) in verbs.synsets["&TIETYPES"]  # regular plurals
    assert ("ins",) not in verbs.synsets["&PREPOSIT1"]  # "&PREPOSIT1_": no plurals
    assert ("did", "n't") in verbs.synsets["&NEGATVAUXVRB"]


def test_strict_reading_names_the_line(shared, tmp_path):
    bad = tmp_path / "bad.verbs.txt"
    bad.write_text("--- MEET [040] ---\nMEET\n- * &NOSUCH [041]\n- MET WITH [042]\n")
    with pytest.raises(DyadError) as error:
        read_verbs(bad)
    assert error.value.code == "E201" and error.value.where == f"{bad}:4"
    problems = []
    read_verbs(bad, problems)
    assert [(p.code, p.where.rsplit(":", 1)[1]) for p in problems] == [("E201", "4"), ("E205", "3")]


def test_issue_file(shared):
    issues = read_issues(shared / "eval" / "petrarch-dictionaries" / "Phoenix.IssueCoding.txt", [])
    assert set(expand("pre+n:school")) == {"pre school", "pre schools", "pre-school", "pre-schools"}
    assert "ethnic purged" in expand("ethnic v:purge")
    found = issues.find("Teachers marched against the new curriculum.")
    assert found["TEACHERS"] == 1 and found["EDUCATION_REFORM"] == 1
    # "~a head start" cancels the EDUCATION issues of the sentence
    assert not issues.find("Pupils got a head start in kindergarten.")


# -- matcher on real sentences --------------------------------------------------------


@pytest.fixture(scope="module")
def suite(shared):
    from dyad.pipeline import Pipeline

    return Pipeline(dictionaries=petrarch.dictionaries(shared), verbs="dictionary")


def coded(pipeline, text):
    return [
        (e.source.code, e.target and e.target.code, e.cameo, e.rule)
        for e in pipeline.code_text(text, "1995-01-02")
    ]


def test_compound_marker_codes_both_ways(suite):
    got = coded(suite, "Gondor and Osgiliath have delayed their meeting.")
    rule = "dictionary:PETR.Validate.verbs.txt:451"  # POSTPONE: - % HAVE * [191]
    assert sorted(got) == [("GON", "OSG", "191", rule), ("OSG", "GON", "191", rule)]


def test_paired_code_and_parse_roles(suite):
    got = coded(suite, "Bree President Romendacil arrived in Gondor on Monday.")
    assert {g[:3] for g in got} == {("BREGOV", "GON", "032"), ("GON", "BREGOV", "033")}


def test_source_and_target_markers(suite):
    # "- + WAS * DEAD IN $ [224]": the one shot is the target, the place is the source
    got = coded(suite, "An Eriadorian was shot dead in Osgiliath.")
    assert [g[:3] for g in got] == [("OSG", "ERI", "224")]


def test_most_specific_pattern_wins(suite):
    plain = coded(suite, "Arnor will contribute a million dollars to Gondor.")
    rare = coded(suite, "Arnor will contribute a million austrian gold florin to Gondor.")
    assert [g[2] for g in plain] == ["903"] and [g[2] for g in rare] == ["904"]


def test_user_codes_keep_their_values():
    assert code_info("1010").code == "1010" and code_info("1010").root == "10"
    assert code_info("075A").name == code_info("075").name
    assert code_info("045").code == "045"


# -- the --verbs choice ---------------------------------------------------------------


def test_verbs_choice(validation_verbs):
    verbs, _ = validation_verbs
    own = EventCoder()
    assert make_coder(None, [], own) is own
    assert make_coder("own", [verbs], own) is own
    both = make_coder(None, [verbs], own)
    assert isinstance(both, VerbCoder) and both.fallback is own
    assert make_coder("dictionary", [verbs], own).fallback is None
    with pytest.raises(DyadError) as error:
        make_coder("mine", [verbs], own)
    assert error.value.code == "E206"


def test_both_falls_back_to_own_lexicon(shared):
    from dyad.pipeline import Pipeline

    both = Pipeline(dictionaries=petrarch.dictionaries(shared))
    # the validation verbs have no "praise": dyad's lexicon codes it
    text = "Arnor praised Gondor. Arnor adopted a resolution with Gondor."
    rules = [r for *_, r in coded(both, text)]
    assert any(r.startswith("lexicon:") for r in rules)
    assert any(r.startswith("dictionary:PETR.Validate.verbs.txt") for r in rules)


# -- the suite's <Config> -------------------------------------------------------------


def test_comma_options():
    text = "Arnor, a small state, attacked Gondor, a senior official said."
    record = {"text": text, "config": {}}
    assert petrarch.text_for(record) == "Arnor attacked Gondor."
    record["config"] = {"comma_emax": "0", "comma_max": "0"}
    assert petrarch.text_for(record) == text
    record["config"] = {"comma_bmin": "1", "comma_bmax": "3", "comma_max": "0"}
    assert petrarch.text_for(record) == "a small state, attacked Gondor."


def test_require_dyad():
    events = [
        {"source": {"code": "ARN"}, "target": None},
        {"source": {"code": "ARN"}, "target": {"code": "GON"}},
    ]
    assert len(petrarch.honour({"config": {}}, events)) == 1
    assert len(petrarch.honour({"config": {"require_dyad": "False"}}, events)) == 2


def test_suite_records_read_with_their_config(shared):
    records = petrarch.read(shared)
    assert all("text" in r and "config" in r for r in records)
    assert any(r["config"].get("require_dyad", "").lower() == "false" for r in records)
    assert {r["error"] for r in records if r["error"]} >= {"storydiscard", "sentencediscard"}


# -- the seed article with the Phoenix dictionaries -----------------------------------


@pytest.fixture(scope="module")
def phoenix_seed(shared):
    from dyad.pipeline import Pipeline

    paths = sorted((shared / "eval" / "petrarch-dictionaries").glob("*.txt"))
    pipeline = Pipeline(dictionaries=paths)
    expected, raw = seed.read(shared)
    events = [e.to_dict() for e in pipeline.code_text(raw, seed.publication_date(expected))]
    return {r["id"]: r["found"] for r in seed.score(events, expected, raw)["required"]}, events


@pytest.mark.parametrize("required", ["E1", "E2", "E3", "E4", "E5", "E6"])
def test_seed_with_phoenix(phoenix_seed, required):
    # E4 and E5 need "lending it" / "its military" read as Venezuela, which Phoenix's
    # VENEZUELA [VEN] entry must still allow.
    found, events = phoenix_seed
    assert found[required]
    assert any(e["rule"].startswith("dictionary:CAMEO.2.0.txt") for e in events)


def test_issue_file_tags_the_events_of_a_sentence(shared):
    from dyad.export.petrarch import rows
    from dyad.pipeline import Pipeline

    issues = shared / "eval" / "petrarch-dictionaries" / "Phoenix.IssueCoding.txt"
    text = "Russian police arrested dozens of students protesting against corruption."
    events = [e.to_dict() for e in Pipeline(dictionaries=[issues]).code_text(text, "2020-01-01")]
    assert events and all({"CORRUPTION,1", "STUDENTS,1"} <= set(e["issues"]) for e in events)
    assert next(rows(events))[4] == ";".join(events[0]["issues"])  # PETRARCH's issues column
    plain = Pipeline().code_text(text, "2020-01-01")  # no issue file, no issues
    assert plain and all(e.issues == () for e in plain)


def test_a_negated_verb_is_coded_as_petrarch_codes_it_and_marked(shared):
    from dyad.evaluate import petrarch
    from dyad.pipeline import Pipeline

    pipeline = Pipeline(dictionaries=petrarch.dictionaries(shared), verbs="dictionary")
    events = pipeline.code_text("Arnor did not attack Gondor on Monday.", "1995-01-02")
    assert events and {e.modality for e in events} == {"negated"}
    # dyad's own lexicon does not code what did not happen
    own = Pipeline(dictionaries=petrarch.dictionaries(shared), verbs="own")
    assert own.code_text("Arnor did not attack Gondor on Monday.", "1995-01-02") == []


def test_a_compound_after_the_verb_is_the_subjects_targets(shared):
    from dyad.evaluate import petrarch
    from dyad.pipeline import Pipeline

    pipeline = Pipeline(dictionaries=petrarch.dictionaries(shared), verbs="dictionary")
    agree = pipeline.code_text("Gondor agrees with Arnor and Rohan on the border.", "1995-01-02")
    assert {(e.source.code, e.target.code, e.cameo) for e in agree} == {
        ("GON", "ARN", "031"),
        ("GON", "ROH", "031"),
    }
    delay = pipeline.code_text("Gondor and Osgiliath have delayed their meeting.", "1995-01-02")
    assert {(e.source.code, e.target.code) for e in delay} == {("GON", "OSG"), ("OSG", "GON")}
