import datetime as dt

import pytest
from test_store import event, split

from dyad.clean.dedup import Deduplicator, shingles, signature
from dyad.errors import DyadError
from dyad.model import Document
from dyad.store import Store, content_hash

BODY = (
    "Russia condemned the United States. "
    "Delcy Rodriguez visited Moscow on Monday for talks with Russian officials about oil "
    "exports, debt payments and the growing political crisis at home. "
    "The visit came a week after Washington imposed new sanctions on the state oil company "
    "and several senior officials in Caracas. "
    "Opposition leader Juan Guaido called on the army to back a transition government."
)
APPEAL = "Sign up for our newsletter to get the best stories of the day in your inbox."


def original(doc_id: str = "orig", body: str = BODY) -> tuple[Document, list, list[dict]]:
    doc = Document(
        id=doc_id,
        text=body,
        date=dt.date(2019, 3, 4),
        url="https://www.example.org/news/1",
        title="Russia condemns US",
        source="example.org",
    )
    s = split(doc)
    events = [
        event(doc, s[0], ("RUS", "Russia"), ("USA", "United States"), "111", "11", 3, -2.0,
              "ACCUSE", "condemned", date=dt.date(2019, 3, 4), date_precision="day"),
        event(doc, s[1], ("VENGOV", "Delcy Rodriguez"), ("RUS", "Moscow"), "042", "04", 1, 1.9,
              "CONSULT", "visited", mode="visit", date=dt.date(2019, 3, 4), date_precision="day"),
    ]  # fmt: skip
    return doc, s, events


def copy(doc_id: str = "copy", url: str | None = "https://other.net/story?id=7") -> Document:
    # A reprint: new headline as the first line, the first sentence reworded, double spaces,
    # and an appeal at the end.
    text = "Moscow talks for Venezuela\n\n" + BODY.replace(
        "Russia condemned the United States.", "Russia strongly condemned the US."
    ).replace(". ", ".  ")
    return Document(
        id=doc_id,
        text=text + "\n\n" + APPEAL,
        date=dt.date(2019, 3, 5),
        url=url,
        title="Moscow talks for Venezuela",
        source="other.net",
    )


def unrelated() -> Document:
    text = (
        "Heavy rain flooded parts of the city on Tuesday, closing schools and several roads "
        "near the river. Emergency services said no one was hurt, but hundreds of homes lost "
        "power overnight and forecasters expect more storms before the weekend."
    )
    return Document(id="rain", text=text, date=dt.date(2019, 3, 5), source="weather.example")


def store_original(store: Store, dedup: Deduplicator, doc_id: str = "orig") -> list[dict]:
    doc, sentences, events = original(doc_id)
    assert dedup.find(doc) is None
    store.write_document(doc, sentences, events, run_id="r1")
    dedup.add(doc.id)
    return events


def test_shingles_ignore_case_punctuation_and_spacing():
    assert shingles("Russia  condemned, the UNITED States!") == {
        b"russia condemned the united states"
    }
    assert signature("too short to judge") is None
    a, b = signature(BODY), signature(BODY.upper().replace(" ", "  "))
    assert (a.hashvalues == b.hashvalues).all()


def test_copy_found_across_sessions(tmp_path):
    path = tmp_path / "dyad.duckdb"
    with Store(path) as store:
        store_original(store, Deduplicator(store))
    with Store(path) as store:  # a later run: the index comes back from the store
        dedup = Deduplicator(store)
        assert dedup.find(copy()) == "orig"
        assert dedup.find(unrelated()) is None
        sentence_only = Document(id="s", text=BODY, sentence_mode=True)
        assert dedup.find(sentence_only) is None  # gold sets repeat sentences on purpose


def test_copy_is_a_mention_not_recoded_and_counts_go_up(tmp_path):
    with Store(tmp_path / "dyad.duckdb") as store:
        dedup = Deduplicator(store)
        events = store_original(store, dedup)
        counted = list(store.events(counts=True))
        assert [(e["num_mentions"], e["num_sources"], e["num_articles"]) for e in counted] == [
            (1, 1, 1)
        ] * 2
        dup = copy()
        assert dedup.find(dup) == "orig"
        assert store.write_duplicate(dup, "orig", run_id="r2") is True
        assert store.counts()["events"] == 2 and store.counts()["documents"] == 1
        assert store.has_document(dup.id, content_hash(dup))
        assert store.write_duplicate(dup, "orig", run_id="r3") is False  # idempotent

        counted = {e["event_id"]: e for e in store.events(counts=True)}
        for e in events:
            got = counted[e["event_id"]]
            assert (got["num_mentions"], got["num_sources"], got["num_articles"]) == (2, 2, 2)
            assert {k: v for k, v in got.items() if not k.startswith("num_")} == e

        # A third article from a site already counted adds an article, not a source.
        third = copy("copy-2", url="https://www.other.net/story?id=8")
        assert dedup.find(third) == "orig"
        store.write_duplicate(third, "orig")
        got = next(store.events(counts=True))
        assert (got["num_mentions"], got["num_sources"], got["num_articles"]) == (3, 2, 3)


def test_mentions_locate_the_event_in_the_copy(tmp_path):
    with Store(tmp_path / "dyad.duckdb") as store:
        dedup = Deduplicator(store)
        condemn, visit = store_original(store, dedup)
        dup = copy()
        dedup.find(dup)  # cleans it: the appeal is not part of the body
        store.write_duplicate(dup, "orig")
        rows = {(m["event_id"], m["doc_id"]): m for m in store.mentions()}
    assert len(rows) == 4
    own = rows[(visit["event_id"], "orig")]
    assert own["in_raw_text"] and own["verb_start"] == visit["verb"]["start"]
    assert own["sentence_index"] == 1 and own["site"] == "example.org"
    moved = rows[(visit["event_id"], "copy")]
    body = dup.content
    assert moved["in_raw_text"] and moved["site"] == "other.net"
    assert body[moved["verb_start"] :].startswith("visited")
    assert body[moved["source_start"] :].startswith("Delcy Rodriguez")
    assert body[moved["target_start"] :].startswith("Moscow")
    assert moved["sentence_index"] is None and moved["doc_len"] == len(body)
    reworded = rows[(condemn["event_id"], "copy")]  # its sentence was changed in the copy
    assert not reworded["in_raw_text"] and reworded["verb_start"] is None
    assert moved["event_added"] == own["mention_added"] <= moved["mention_added"]


def test_copy_in_the_same_batch_as_its_original(tmp_path):
    # The pipeline reads a batch ahead: a copy may be judged before its original is stored.
    with Store(tmp_path / "dyad.duckdb") as store:
        dedup = Deduplicator(store)
        doc, sentences, events = original()
        assert dedup.find(doc) is None
        dup = copy()
        assert dedup.find(dup) == "orig"
        store.write_duplicate(dup, "orig")
        assert list(store.events(counts=True)) == []
        store.write_document(doc, sentences, events)
        dedup.add(doc.id)
        assert [e["num_articles"] for e in store.events(counts=True)] == [2, 2]


def test_a_document_whose_coding_failed_is_forgotten(tmp_path):
    with Store(tmp_path / "dyad.duckdb") as store:
        dedup = Deduplicator(store)
        doc = original()[0]
        assert dedup.find(doc) is None
        dedup.forget(doc.id)  # the pipeline failed on it: nothing was stored
        assert dedup.find(copy()) is None  # the copy is coded in its place


def test_changed_document_is_not_its_own_duplicate(tmp_path):
    with Store(tmp_path / "dyad.duckdb") as store:
        dedup = Deduplicator(store)
        store_original(store, dedup)
        doc, sentences, events = original(body=BODY + " Talks resume next week.")
        assert dedup.find(doc) is None
        assert store.write_document(doc, sentences, events) is True
        dedup.add(doc.id)
        assert dedup.find(copy()) == "orig"
        with pytest.raises(DyadError) as err:
            store.write_duplicate(doc, doc.id)
        assert err.value.code == "E141"


def test_documents_stored_before_deduplication_are_signed_at_start(tmp_path):
    path = tmp_path / "dyad.duckdb"
    with Store(path) as store:  # a store written without a Deduplicator
        doc, sentences, events = original()
        store.write_document(doc, sentences, events)
        store.write_document(unrelated(), [], [])
    with Store(path) as store:
        dedup = Deduplicator(store)
        assert sorted(d for d, _ in store.minhashes()) == ["orig", "rain"]
        assert dedup.find(copy()) == "orig"
        assert store.unsigned_documents() == []


def test_a_duplicate_that_changes_into_a_new_story_is_coded(tmp_path):
    with Store(tmp_path / "dyad.duckdb") as store:
        dedup = Deduplicator(store)
        store_original(store, dedup)
        dup = copy()
        store.write_duplicate(dup, "orig")
        changed = unrelated()
        changed.id = dup.id
        assert dedup.find(changed) is None
        store.write_document(changed, [], [])
        assert store.con.execute("SELECT count(*) FROM duplicates").fetchone() == (0,)
        assert [e["num_articles"] for e in store.events(counts=True)] == [1, 1]
