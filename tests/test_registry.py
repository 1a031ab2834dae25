import datetime as dt

import duckdb
import pytest

from dyad.actors import registry
from dyad.store import Store

D = dt.date
INTRO = "Russian Foreign Minister Sergei Lavrov will hold talks in Moscow on Friday."


def resolve(con, name, date):
    """What the next run would resolve `name` to."""
    registry.settle(con)
    return registry.PeopleBook.load(con).lookup(name, date)


@pytest.fixture
def con():
    con = duckdb.connect()
    registry.ensure_schema(con)
    yield con
    con.close()


def test_a_titled_introduction_teaches_a_later_document(tmp_path):
    path = tmp_path / "dyad.duckdb"
    with Store(path) as store:
        registry.ensure_schema(store.con)
        assert registry.record(store.con, "Sergei Lavrov", "RUSGOV", D(2019, 2, 26), INTRO, "d1")
    with Store(path) as store:  # a later run, a new session on the same file
        registry.ensure_schema(store.con)
        assert resolve(store.con, "Lavrov", D(2019, 3, 4)) == ("RUSGOV", "Sergei Lavrov")
        assert resolve(store.con, "sergei  lavrov", D(2019, 3, 4)) == (
            "RUSGOV", "Sergei Lavrov",
        )  # fmt: skip
        # Coding document 1 again, in this session, adds nothing.
        assert not registry.record(
            store.con, "Sergei Lavrov", "RUSGOV", D(2019, 2, 26), INTRO, "d1"
        )
        people = registry.snapshot(store.con)
    assert people == {
        "Sergei Lavrov": [
            {
                "code": "RUSGOV",
                "valid_from": None,
                "valid_to": None,
                "first_seen": D(2019, 2, 26),
                "last_seen": D(2019, 2, 26),
                "sightings": 1,
                "sample_sentence": INTRO,
                "doc_id": "d1",
            }
        ]
    }


def test_sightings_count_documents_not_mentions(con):
    for doc, day in (("d1", D(2019, 2, 26)), ("d2", D(2019, 3, 1)), ("d1", D(2019, 2, 26))):
        registry.record(con, "Sergei Lavrov", "RUSGOV", day, "s", doc)
    (period,) = registry.snapshot(con)["Sergei Lavrov"]
    assert (period["sightings"], period["first_seen"], period["last_seen"]) == (
        2, D(2019, 2, 26), D(2019, 3, 1),
    )  # fmt: skip


def test_a_changed_role_closes_the_old_period_and_opens_a_new_one(con):
    # Donald Tusk: European Council president, opposition leader, prime minister again.
    # Recorded out of date order, as an archive may be coded.
    registry.record(con, "Donald Tusk", "POLGOV", D(2024, 3, 1), "Prime Minister Tusk", "c")
    registry.record(con, "Donald Tusk", "IGOEUREEC", D(2016, 5, 1), "EU's Tusk", "a")
    registry.record(con, "Donald Tusk", "POLOPP", D(2022, 5, 1), "opposition leader Tusk", "b")
    registry.record(con, "Donald Tusk", "IGOEUREEC", D(2018, 5, 1), "EU's Tusk", "a2")
    periods = registry.snapshot(con)["Donald Tusk"]
    assert [(p["code"], p["valid_from"], p["valid_to"]) for p in periods] == [
        ("IGOEUREEC", None, D(2018, 5, 1)),
        ("POLOPP", D(2022, 5, 1), D(2022, 5, 1)),
        ("POLGOV", D(2024, 3, 1), None),
    ]
    assert periods[0]["sightings"] == 2 and periods[0]["doc_id"] == "a"
    assert resolve(con, "Tusk", D(2015, 1, 1)) == ("IGOEUREEC", "Donald Tusk")
    assert resolve(con, "Tusk", D(2022, 5, 1)) == ("POLOPP", "Donald Tusk")
    assert resolve(con, "Tusk", D(2025, 1, 1)) == ("POLGOV", "Donald Tusk")
    assert resolve(con, "Tusk", D(2020, 1, 1)) is None  # between sightings: unknown
    assert resolve(con, "Tusk", None) == ("POLGOV", "Donald Tusk")


def test_one_stray_sighting_opens_no_period(con):
    # Wikinews runs a section name into the first sentence ("Iraq United States Secretary
    # of State Condoleezza Rice has arrived in Baghdad"): one misread sighting, not a job
    for doc, code, day in (
        ("a", "USAGOV", D(2008, 4, 18)),
        ("b", "IRQGOV", D(2008, 4, 20)),
        ("c", "USA", D(2008, 8, 16)),  # "US Condoleezza Rice": less said, not else
        ("d", "USAGOV", D(2008, 8, 22)),
    ):
        registry.record(con, "Condoleezza Rice", code, day, "s", doc)
    periods = registry.snapshot(con)["Condoleezza Rice"]
    assert [(p["code"], p["valid_from"], p["valid_to"], p["sightings"]) for p in periods] == [
        ("USAGOV", None, None, 3)
    ]
    assert resolve(con, "Rice", D(2008, 4, 20)) == ("USAGOV", "Condoleezza Rice")


def test_the_later_period_wins_on_the_day_of_the_change(con):
    registry.record(con, "Ana Example", "XXXGOV", D(2020, 1, 1), "s", "a")
    registry.record(con, "Ana Example", "XXXOPP", D(2020, 1, 1), "s", "b")
    assert resolve(con, "Ana Example", D(2020, 1, 1)) == ("XXXOPP", "Ana Example")


def test_a_surname_shared_by_two_people_resolves_to_neither(con):
    registry.record(con, "Lech Kaczynski", "POLGOV", D(2007, 1, 1), "s", "a")
    registry.record(con, "Jaroslaw Kaczynski", "POLGOV", D(2007, 1, 2), "s", "b")
    assert resolve(con, "Kaczynski", D(2007, 6, 1)) is None
    assert resolve(con, "Lech Kaczynski", D(2007, 6, 1)) == ("POLGOV", "Lech Kaczynski")


def test_undated_and_one_word_sightings_are_not_kept(con):
    assert not registry.record(con, "Sergei Lavrov", "RUSGOV", None, "s", "a")
    assert not registry.record(con, "Lavrov", "RUSGOV", D(2019, 1, 1), "s", "a")
    assert registry.snapshot(con) == {}
    assert resolve(con, "Lavrov", D(2019, 1, 1)) is None


def test_a_run_sees_only_what_finished_runs_learned(con):
    registry.record(con, "Ivan Gil", "VENGOV", D(2019, 2, 26), "s", "a")
    assert registry.PeopleBook.load(con).lookup("Gil", D(2019, 3, 1)) is None  # not settled
    assert registry.settle(con) == 1
    assert registry.PeopleBook.load(con).lookup("Gil", D(2019, 3, 1)) == ("VENGOV", "Ivan Gil")


# -- wired into coding runs ---------------------------------------------------------------

INTRODUCTION = (
    "Venezuela's deputy foreign minister, Ivan Gil, met Bolivian diplomats in La Paz on "
    "Tuesday. The talks covered trade."
)
LATER = "Gil criticized Colombia on Thursday."


def _run(store, pipeline, *docs):
    from dyad.engine.run import Run

    run = Run(store, pipeline.code_documents, {})
    events = list(run.events(docs))
    run.finish()
    return events


def _sources(events, doc_id):
    return [(e["source"]["code"], e["source"]["name"]) for e in events if e["doc_id"] == doc_id]


def test_a_person_titled_in_one_run_is_known_by_surname_in_the_next(tmp_path, pipeline):
    from dyad.model import Document

    intro = Document(id="intro", text=INTRODUCTION, date=D(2019, 2, 26))
    later = Document(id="later", text=LATER, date=D(2019, 3, 7))
    with Store(tmp_path / "s.duckdb") as store:
        first = _run(store, pipeline, intro, later)
        # In the run that met him, "Gil" alone is nobody yet: no worker order can matter.
        assert _sources(first, "later") == []
        assert ("VENGOV", "Ivan Gil") in _sources(first, "intro")
        people = registry.snapshot(store.con)
        assert list(people) == ["Ivan Gil"] and people["Ivan Gil"][0]["code"] == "VENGOV"
        again = Document(id="later-2", text=LATER + " He spoke in Caracas.", date=D(2019, 3, 8))
        second = _run(store, pipeline, intro, later, again)
        assert _sources(second, "later-2") == [("VENGOV", "Ivan Gil")]
        assert registry.snapshot(store.con) == people  # nothing learned twice
    # The registry is the run's: the same pipeline coding on its own does not keep it.
    assert [e.source.code for e in pipeline.code_text(LATER, "2019-03-08")] == []
