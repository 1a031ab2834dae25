from collections import Counter

import pytest

from dyad.errors import DyadError
from dyad.events import lexicon, ontology

HEADER = "code\tkind\tlemma\tprep\tobject\texample\n"


def write(tmp_path, rows, classes="class\tphrases\nFOOD\tfood|wheat|humanitarian aid\n"):
    verbs = tmp_path / "verbs.tsv"
    verbs.write_text(HEADER + "".join("\t".join(r) + "\n" for r in rows))
    classes_path = tmp_path / "classes.tsv"
    classes_path.write_text(classes)
    return verbs, classes_path


def test_lexicon_covers_every_code():
    patterns = lexicon.load_lexicon()
    assert len(patterns) >= 2000
    counts = Counter(p.code for p in patterns)
    leaves = [c for c in ontology.codes() if len(c) > 2]
    assert [c for c in leaves if counts[c] < 3] == []


def test_say_is_only_a_statement():
    patterns = lexicon.load_lexicon()
    assert {p.code for p in patterns if p.lemma == "say"} == {"010"}


def test_no_bare_generic_verbs():
    patterns = lexicon.load_lexicon()
    for p in patterns:
        if p.kind == "verb" and p.lemma in {"make", "take", "give", "have", "get", "do", "put"}:
            assert p.objects or p.prep or p.particle, p


def test_patterns_are_parsed(tmp_path):
    verbs, classes = write(
        tmp_path,
        [
            ("073", "verb", "provide", "-", "@FOOD", "They provide food."),
            ("070", "verb", "provide", "-", "-", "They provide help."),
            ("164", "verb", "call off", "-", "talk", "They call off the talks."),
            ("042", "noun", "state visit", "to", "-", "The state visit to Rome."),
        ],
    )
    food, bare, phrasal, noun = lexicon.load_lexicon(verbs, classes)
    assert food.objects == (("food",), ("humanitarian", "aid"), ("wheat",))
    assert bare.objects is None
    assert (phrasal.lemma, phrasal.particle) == ("call", "off")
    assert (noun.lemma, noun.modifiers, noun.prep) == ("visit", ("state",), "to")
    assert food.specificity > bare.specificity
    index = lexicon.index_by_lemma([bare, food])
    assert [p.code for p in index[("verb", "provide")]] == ["073", "070"]
    assert lexicon.object_match(food, ["urgent", "humanitarian", "aid"]) == 2
    assert lexicon.object_match(food, ["aid"]) == 0


def test_packaged_index_prefers_specific_patterns():
    index = lexicon.index_by_lemma(lexicon.load_lexicon())
    provide = index[("verb", "provide")]
    assert provide[-1].objects is None
    assert provide[-1].code == "070"
    military = next(p for p in provide if p.code == "072")
    assert lexicon.object_match(military, ["military", "aid"]) == 2


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([("999", "verb", "frobnicate", "-", "-", "x")], "E202"),
        ([("070", "adverb", "kindly", "-", "-", "x")], "E201"),
        ([("070", "verb", "provide", "-", "@NOPE", "x")], "E201"),
        (
            [("070", "verb", "provide", "-", "-", "x"), ("071", "verb", "provide", "-", "-", "y")],
            "E203",
        ),
        ([("070", "verb", "provide", "-", "-")], "E201"),
    ],
)
def test_bad_files_raise(tmp_path, rows, code):
    verbs, classes = write(tmp_path, rows)
    with pytest.raises(DyadError) as err:
        lexicon.load_lexicon(verbs, classes)
    assert err.value.code == code
    assert str(verbs) in str(err.value)


def test_duplicate_names_the_lines(tmp_path):
    rows = [
        ("070", "verb", "send", "-", "food|wheat", "x"),
        ("073", "verb", "send", "-", "wheat|food", "y"),
    ]
    verbs, classes = write(tmp_path, rows)
    with pytest.raises(DyadError) as err:
        lexicon.load_lexicon(verbs, classes)
    assert "line 3" in str(err.value) and "line 2" in str(err.value)


def test_coverage_by_root():
    rows = lexicon.coverage_by_root(lexicon.load_lexicon())
    assert [r[0] for r in rows] == [f"{n:02d}" for n in range(1, 21)]
    for root, name, n_codes, covered, n_patterns in rows:
        assert name == ontology.lookup(root).name
        assert covered == n_codes
        assert n_patterns >= 3 * n_codes


def test_every_lemma_fix_leads_to_a_lexicon_verb():
    from dyad.nlp.lemmas import lemma_fixes

    verbs = {p.lemma for p in lexicon.load_lexicon() if p.kind == "verb"}
    assert lemma_fixes() and set(lemma_fixes().values()) <= verbs
