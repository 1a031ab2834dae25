import datetime as dt

import duckdb
import pytest

from dyad.errors import DyadError
from dyad.export.formats import EVENT_COLUMNS
from dyad.model import Actor, Document, Event, Location, Sentence
from dyad.store import Store, content_hash

MOSCOW = Location("Moscow", "RU", 55.75204, 37.61781, geonames_id=524901, admin1="48")


def split(doc: Document) -> list[Sentence]:
    sentences, start = [], 0
    for i, part in enumerate(doc.text.split(". ")):
        text = part if part.endswith(".") else part + "."
        sentences.append(Sentence(doc.id, i, text, start, start + len(text)))
        start += len(text) + 1
    return sentences


def event(doc, sentence, source, target, cameo, root, quad, goldstein, plover, verb, **kw):
    def actor(code, text):
        start = doc.text.index(text)
        return Actor(code, text, start, start + len(text), name=text)

    v = doc.text.index(verb)
    return Event(
        doc_id=doc.id,
        sentence=sentence,
        source=actor(*source),
        target=None if target is None else actor(*target),
        cameo=cameo,
        root=root,
        quad_class=quad,
        goldstein=goldstein,
        plover=plover,
        plover_mode=kw.pop("mode", ""),
        modality="asserted",
        verb=(verb, v, v + len(verb)),
        rule="test-rule",
        confidence=0.8,
        **kw,
    ).to_dict()


def moscow_doc(text_extra: str = "") -> tuple[Document, list[Sentence], list[dict]]:
    doc = Document(
        id="doc-a",
        text="Russia condemned the United States. "
        "Delcy Rodriguez visited Moscow" + text_extra + ".",
        date=dt.date(2019, 3, 4),
        url="https://example.org/a",
        title="A",
        source="test",
    )
    s = split(doc)
    events = [
        event(doc, s[0], ("RUS", "Russia"), ("USA", "United States"), "111", "11", 3, -2.0,
              "ACCUSE", "condemned", date=dt.date(2019, 3, 4), date_precision="day"),
        event(doc, s[1], ("VENGOV", "Delcy Rodriguez"), ("RUS", "Moscow"), "042", "04", 1, 1.9,
              "CONSULT", "visited", mode="visit", date=dt.date(2019, 3, 3),
              date_precision="day", location=MOSCOW),
    ]  # fmt: skip
    return doc, s, events


def un_doc() -> tuple[Document, list[Sentence], list[dict]]:
    doc = Document(id="doc-b", text="The UN urged restraint. Rebels fought.", url=None)
    s = split(doc)
    events = [
        event(doc, s[0], ("IGOUNO", "UN"), None, "020", "02", 1, 3.0, "REQUEST", "urged",
              date=dt.date(2019, 4, 1)),
        event(doc, s[1], ("REB", "Rebels"), None, "193", "19", 4, -10.0, "ASSAULT", "fought"),
    ]  # fmt: skip
    return doc, s, events


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "dyad.duckdb") as s:
        yield s


def test_events_table_has_the_flat_record_columns(store):
    described = store.con.execute("DESCRIBE events").fetchall()
    assert [(r[0], r[1]) for r in described] == [(n, t) for n, t, _ in EVENT_COLUMNS] + [
        ("run_id", "VARCHAR")
    ]


def test_write_and_read_back_exactly(store):
    for doc, sentences, events in (moscow_doc(), un_doc()):
        assert store.write_document(doc, sentences, events, run_id="r1") is True
    got = list(store.events())
    a, b = moscow_doc()[2], un_doc()[2]
    # by date (undated last), then doc, sentence, id
    assert got == [a[1], a[0], b[0], b[1]]
    assert [list(e) for e in got] == [list(a[0])] * 4  # same keys, same order as to_dict()
    assert got[0]["location"] == MOSCOW.to_dict()
    assert got[2]["target"] is None and got[3]["date"] is None
    assert store.counts() == {"documents": 2, "sentences": 4, "events": 4, "errors": 0, "runs": 0}
    sentences = store.con.execute(
        'SELECT idx, text, start, "end" FROM sentences ORDER BY doc_id, idx'
    )
    assert sentences.fetchall()[0] == (0, "Russia condemned the United States.", 0, 35)


def test_since_until_are_inclusive_and_skip_undated(store):
    for doc, sentences, events in (moscow_doc(), un_doc()):
        store.write_document(doc, sentences, events)
    assert [e["date"] for e in store.events(since="2019-03-04")] == ["2019-03-04", "2019-04-01"]
    assert [e["date"] for e in store.events(until=dt.date(2019, 3, 4))] == [
        "2019-03-03",
        "2019-03-04",
    ]


def test_writing_the_same_input_twice_changes_nothing(tmp_path):
    path = tmp_path / "dyad.duckdb"
    with Store(path) as store:
        for doc, sentences, events in (moscow_doc(), un_doc()):
            store.write_document(doc, sentences, events, run_id="r1")
        before = (store.counts(), [e["event_id"] for e in store.events()])
        coded_at = store.con.execute("SELECT id, coded_at, run_id FROM documents").fetchall()
    with Store(path) as store:  # reopened, as a second run would
        for doc, sentences, events in (moscow_doc(), un_doc()):
            assert store.has_document(doc.id, content_hash(doc))
            assert store.write_document(doc, sentences, events, run_id="r2") is False
        assert (store.counts(), [e["event_id"] for e in store.events()]) == before
        assert store.con.execute("SELECT id, coded_at, run_id FROM documents").fetchall() == (
            coded_at
        )


def test_changed_document_replaces_its_sentences_and_events(store):
    for doc, sentences, events in (moscow_doc(), un_doc()):
        store.write_document(doc, sentences, events, run_id="r1")
    doc, sentences, events = moscow_doc(" again")
    assert not store.has_document(doc.id, content_hash(doc))
    changed = events[:1]  # the new coding finds one event only
    assert store.write_document(doc, sentences, changed, run_id="r2") is True
    assert store.counts()["events"] == 3 and store.counts()["documents"] == 2
    rows = store.con.execute("SELECT text, run_id FROM documents WHERE id = 'doc-a'").fetchall()
    assert rows == [(doc.text, "r2")]
    assert [e for e in store.events() if e["doc_id"] == "doc-a"] == changed
    assert store.con.execute(
        "SELECT text FROM sentences WHERE doc_id = 'doc-a' AND idx = 1"
    ).fetchone() == ("Delcy Rodriguez visited Moscow again.",)


def test_duplicate_records_are_stored_once_and_foreign_ones_refused(store):
    doc, sentences, events = moscow_doc()
    store.write_document(doc, sentences, events + [events[0]])
    assert store.counts()["events"] == 2
    other, _, other_events = un_doc()
    with pytest.raises(DyadError) as err:
        store.write_document(doc, sentences, other_events)
    assert err.value.code == "E401"


class CrashOnEvents:
    """A connection that fails on inserting events, as a killed run or full disk would."""

    def __init__(self, con):
        self.con = con

    def execute(self, sql, *args):
        if sql.startswith("INSERT INTO events"):
            raise duckdb.IOException("disk full")
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def test_failed_write_leaves_the_old_coding(store):
    doc, sentences, events = moscow_doc()
    store.write_document(doc, sentences, events)
    changed_doc, changed_sentences, changed_events = moscow_doc(" again")
    store.con = CrashOnEvents(store.con)
    with pytest.raises(duckdb.IOException):
        store.write_document(changed_doc, changed_sentences, changed_events)
    store.con = store.con.con
    assert store.counts() == {"documents": 1, "sentences": 2, "events": 2, "errors": 0, "runs": 0}
    assert store.has_document(doc.id, content_hash(doc))
    assert list(store.events()) == [events[1], events[0]]


def test_errors_and_runs(store):
    run = store.start_run({"input": "sample/", "batch_size": 64})
    store.record_error(run, "a.html", "E110", "no article text found in HTML")
    store.finish_run(run, {"documents": 3, "sentences": 10, "events": 4, "errors": 1})
    assert store.con.execute('SELECT run_id, "where", code, reason FROM errors').fetchall() == [
        (run, "a.html", "E110", "no article text found in HTML")
    ]
    row = store.con.execute(
        "SELECT documents, sentences, events, errors, finished >= started, args->>'input'"
        " FROM runs WHERE run_id = ?",
        [run],
    ).fetchone()
    assert row == (3, 10, 4, 1, True, "sample/")
    assert store.counts()["errors"] == 1 and store.counts()["runs"] == 1


def test_urls(store):
    for doc, sentences, events in (moscow_doc(), un_doc()):
        store.write_document(doc, sentences, events)
    assert store.urls() == {"doc-a": "https://example.org/a"}


def repeat_doc() -> tuple[Document, list[Sentence], list[dict]]:
    """Another article reporting moscow_doc's condemnation on the same day."""
    doc = Document(
        id="doc-c",
        text="Russia condemned the United States again.",
        date=dt.date(2019, 3, 4),
        url="https://news.example/c",
        source="news",
    )
    s = split(doc)
    events = [
        event(doc, s[0], ("RUS", "Russia"), ("USA", "United States"), "111", "11", 3, -2.0,
              "ACCUSE", "condemned", date=dt.date(2019, 3, 4), date_precision="day"),
    ]  # fmt: skip
    return doc, s, events


def test_daily_events_collapse_repeats(store):
    for doc, sentences, events in (moscow_doc(), un_doc(), repeat_doc()):
        store.write_document(doc, sentences, events)
    copy = Document(id="doc-a-copy", text=moscow_doc()[0].text, url="https://mirror.example/a")
    store.write_duplicate(copy, "doc-a")
    rows = store.daily_events()
    keys = [(str(r["date"]), r["source_code"], r["target_code"], r["cameo"]) for r in rows]
    assert keys == [
        ("2019-03-03", "VENGOV", "RUS", "042"),
        ("2019-03-04", "RUS", "USA", "111"),
        ("2019-04-01", "IGOUNO", None, "020"),
    ]  # the undated fight is left out: it has no day
    condemn = rows[1]
    assert (condemn["num_events"], condemn["num_articles"], condemn["num_mentions"]) == (2, 3, 3)
    assert condemn["num_sources"] == 3 and condemn["quad_class"] == 3
    reports = [e["event_id"] for e in store.events() if e["cameo"] == "111"]
    assert condemn["event_id"] == min(reports) and len(reports) == 2
    assert (rows[0]["num_events"], rows[0]["num_articles"]) == (1, 2)
    assert [r["cameo"] for r in store.daily_events("2019-03-04", "2019-03-31")] == ["111"]


def test_events_with_counts_keep_the_record_shape(store):
    doc, sentences, events = moscow_doc()
    store.write_document(doc, sentences, events)
    got = list(store.events(counts=True))
    assert [list(e) for e in got] == [
        list(events[0]) + ["num_mentions", "num_sources", "num_articles"]
    ] * 2
    assert list(store.events()) == [events[1], events[0]]  # without counts: as before


def test_a_store_made_before_issue_codes_takes_new_records(tmp_path):
    path = tmp_path / "old.duckdb"
    later = ("issues", "source_how", "target_how")
    columns = [f'"{n}" {t}' for n, t, _ in EVENT_COLUMNS if n not in later]
    with duckdb.connect(str(path)) as con:  # the previous release's events table
        con.execute(f"CREATE TABLE events ({', '.join(columns)}, run_id VARCHAR)")
    doc, sentences, events = moscow_doc()
    events[0]["issues"] = ["SANCTIONS,1"]
    with Store(path) as s:
        assert s.write_document(doc, sentences, events)
        got = {e["cameo"]: e["issues"] for e in s.events()}
    assert got == {"111": ["SANCTIONS,1"], "042": []}


def test_an_implied_actor_is_kept_and_names_no_mention(store):
    doc = Document(id="doc-c", text="Sudan's government lifted the curfew.", url=None)
    s = split(doc)
    record = Event(
        doc_id=doc.id,
        sentence=s[0],
        source=Actor("SDNGOV", "Sudan's government", 0, 18, how="dictionary"),
        target=Actor("SDN", "", 0, 0, name="Sudan", how="implied"),
        cameo="0814", root="08", quad_class=2, goldstein=5.0, plover="CONCEDE",
        plover_mode="", modality="asserted", verb=("lifted", 19, 25), rule="test-rule",
        confidence=0.7,
    ).to_dict()  # fmt: skip
    assert store.write_document(doc, s, [record])
    assert list(store.events()) == [record]
    (mention,) = store.mentions()
    assert mention["source_start"] == 0 and mention["target_start"] is None
    # an implied source (an arrest in a named state) names no mention either
    doc = Document(id="doc-d", text="A missionary was arrested in Lebanon.", url=None)
    s = split(doc)
    record = Event(
        doc_id=doc.id,
        sentence=s[0],
        source=Actor("LBN", "", 29, 29, name="Lebanon", how="implied"),
        target=Actor("---REL", "A missionary", 0, 12, how="title"),
        cameo="173", root="17", quad_class=4, goldstein=-5.0, plover="COERCE",
        plover_mode="", modality="asserted", verb=("arrested", 17, 25), rule="test-rule",
        confidence=0.7,
    ).to_dict()  # fmt: skip
    assert store.write_document(doc, s, [record])
    mention = next(m for m in store.mentions() if m["doc_id"] == "doc-d")
    assert mention["source_start"] is None and mention["target_start"] == 0
