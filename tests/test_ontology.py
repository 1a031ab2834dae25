import re
from pathlib import Path

import pytest

from dyad.errors import DyadError
from dyad.events import ontology

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "cameo_codes.txt"


def test_every_code_is_complete():
    table = ontology.codes()
    assert len(table) > 290
    for code, entry in table.items():
        assert entry.code == code
        assert re.fullmatch(r"\d{2,4}", code)
        assert entry.root == code[:2]
        assert entry.name
        assert -10 <= entry.goldstein <= 10
        assert entry.quad_class in (1, 2, 3, 4)
        if entry.root != "01":  # PLOVER has no statement type
            assert entry.plover, code


def test_every_reference_code_is_in_the_table():
    listed = set(re.findall(r"^LABEL:\s*(\d+)=", REFERENCE.read_text(), re.M))
    assert listed <= set(ontology.codes())


def test_known_values():
    assert ontology.lookup("190").quad_class == 4
    assert ontology.lookup("051").goldstein == 3.4
    assert ontology.lookup("051").quad_class == 1
    assert ontology.lookup("073").plover == "AID"
    assert ontology.lookup("041").plover_mode == "phone"
    assert ontology.lookup("0214").root == "02"
    assert ontology.lookup("120").quad_class == 3
    assert ontology.lookup("061").quad_class == 2


def test_quad_class_follows_the_root():
    expected = {"01": 1, "05": 1, "06": 2, "08": 2, "09": 3, "13": 3, "14": 4, "20": 4}
    for code, entry in ontology.codes().items():
        if entry.root in expected:
            assert entry.quad_class == expected[entry.root], code


def test_unknown_code_raises():
    assert not ontology.is_code("999")
    with pytest.raises(DyadError) as err:
        ontology.lookup("999")
    assert err.value.code == "E202"


def test_announced_codes():
    assert ontology.announced_code("042") == "036"
    assert ontology.announced_code("046") == "036"
    assert ontology.announced_code("0811") == "0351"  # falls back to 081
    assert ontology.announced_code("073") == "0333"
    assert ontology.announced_code("075") == "033"  # falls back to the root
    assert ontology.announced_code("191") == "1381"
    assert ontology.announced_code("1622") == "1311"  # falls back to 162
    assert ontology.announced_code("010") is None
    assert ontology.announced_code("154") is None  # a show of force is no threat
    for code in ontology.codes():
        announced = ontology.announced_code(code)
        if announced is not None:
            root = ontology.lookup(code).root
            assert ontology.lookup(announced).root == ("13" if root > "13" else "03")
