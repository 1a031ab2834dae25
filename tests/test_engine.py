"""Engines: the same events as one process, errors that pass through, a worker crash that
costs one document, bounded memory, and a Dask LocalCluster that agrees with the rest."""

from __future__ import annotations

import itertools
import json
import os

import pytest
from conftest import SHARED

from dyad.engine.local import code_stream
from dyad.errors import DyadError
from dyad.model import Document

CORPUS = SHARED / "corpus" / "wikinews-2019-2020" / "articles.jsonl"
CRASH, RAISE = "<crash this worker>", "<raise here>"


def corpus_docs(n: int) -> list[Document]:
    with CORPUS.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in itertools.islice(f, n)]
    return [Document(id=r["id"], text=r["text"], date=None, url=r.get("url")) for r in records]


def event_sets(results) -> tuple[dict[str, set[str]], list[DyadError]]:
    """doc id -> its event ids; each document must come back exactly once."""
    events, errors = {}, []
    for item, _, evs in results:
        if isinstance(item, DyadError):
            errors.append(item)
            continue
        assert item.id not in events, f"{item.id} came back twice"
        events[item.id] = {e.event_id for e in evs}
    return events, errors


@pytest.fixture(scope="module")
def reference(pipeline):
    """The single-process pipeline's events on the first 30 corpus documents."""
    return event_sets(pipeline.code_documents(corpus_docs(30)))[0]


def test_local_engine_codes_the_same_events_as_one_process(reference):
    bad = DyadError("E107", "input.jsonl:3")
    items = [*corpus_docs(15), bad, *corpus_docs(30)[15:]]
    events, errors = event_sets(code_stream(items, workers=2, batch=8))
    assert events == reference
    assert sum(len(ids) for ids in events.values()) > 50  # real events, not empty sets
    assert [(e.code, e.where) for e in errors] == [("E107", "input.jsonl:3")]


# Stand-ins for the pipeline, so that processes start fast and can be made to die.
class FakePipeline:
    """Codes nothing; tags each document with the process that saw it, and kills that
    process (as a segfault would) or raises on a document that asks for it."""

    def code_documents(self, docs, people=None):
        for doc in docs:
            if doc.text == CRASH:
                os._exit(3)
            if doc.text == RAISE:
                raise ValueError("a bug that escaped the pipeline")
            doc.source = str(os.getpid())
            yield doc, [], []


def fake_factory():
    return FakePipeline()


def broken_factory():
    raise DyadError("E301", name="xx_core_web_none", tried="xx_core_web_none")


def small_docs(n: int) -> list[Document]:
    return [Document(id=f"d{i}", text=f"Text {i}.") for i in range(n)]


def test_one_worker_runs_in_this_process():
    results = list(code_stream(small_docs(40), workers=1, batch=4, factory=fake_factory))
    assert {doc.source for doc, _, _ in results} == {str(os.getpid())}


def test_two_workers_are_other_processes():
    results = list(code_stream(small_docs(40), workers=2, batch=4, factory=fake_factory))
    assert sorted(doc.id for doc, _, _ in results) == sorted(d.id for d in small_docs(40))
    assert str(os.getpid()) not in {doc.source for doc, _, _ in results}


def test_a_worker_crash_costs_only_its_document():
    docs = small_docs(20)
    docs.insert(4, Document(id="killer", text=CRASH))  # first of its batch: retried alone
    docs.insert(13, Document(id="buggy", text=RAISE))
    results = list(code_stream(docs, workers=2, batch=4, factory=fake_factory))
    errors = {item.where: item for item, _, _ in results if isinstance(item, DyadError)}
    assert {where: e.code for where, e in errors.items()} == {"killer": "E151", "buggy": "E151"}
    assert "exit code 3" in errors["killer"].reason
    assert "ValueError: a bug that escaped" in errors["buggy"].reason
    coded = sorted(item.id for item, _, _ in results if not isinstance(item, DyadError))
    assert coded == sorted(d.id for d in small_docs(20))


def test_a_pipeline_that_cannot_be_built_stops_the_run():
    with pytest.raises(DyadError) as caught:
        list(code_stream(small_docs(40), workers=2, batch=4, factory=broken_factory))
    assert caught.value.code == "E301"


def test_input_is_read_lazily_and_in_flight_documents_stay_bounded():
    workers, batch = 2, 4
    pulled = 0

    def endless():
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield Document(id=f"d{i}", text="x")

    stream = code_stream(endless(), workers=workers, batch=batch, factory=fake_factory)
    in_flight = []
    for n, _ in enumerate(itertools.islice(stream, 300), start=1):
        in_flight.append(pulled - n)
    stream.close()  # stops the workers
    assert max(in_flight) <= 2 * workers * batch


def test_dask_local_cluster_codes_the_same_events(reference):
    from dyad.engine.dask import code_stream_dask

    docs = corpus_docs(20)
    events, errors = event_sets(code_stream_dask(docs, workers=2, batch=4))
    assert errors == []
    assert events == {d.id: reference[d.id] for d in docs}
