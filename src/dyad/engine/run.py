"""One coding run into a store, whatever engine codes: the part that must happen in the
main process, because DuckDB has one writer and duplicates must be judged in input order.

    inputs -> already stored unchanged? -> near-copy of a stored article? -> engine -> store

It yields the event records of every input (stored ones included), so `dyad code` can
stream them to a file while the store fills, and `dyad watch` can drain it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from dyad.actors import registry
from dyad.clean.dedup import Deduplicator
from dyad.errors import DyadError
from dyad.model import Document
from dyad.store import Store, content_hash


class Run:
    def __init__(
        self,
        store: Store,
        code_stream: Callable[[Iterable], Iterator],
        args: dict,
        on_error: Callable[[DyadError], None] = lambda e: None,
        on_document: Callable[[int], None] = lambda n: None,
    ):
        self.store, self.code_stream = store, code_stream
        self.on_error, self.on_document = on_error, on_document
        self.run_id = store.start_run(args)
        self.dedup = Deduplicator(store)
        # People learned by earlier, finished runs; this run's sightings count from the next.
        self.people = registry.PeopleBook.load(store.con)
        self.stats: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()  # "code reason" -> count
        self.warned: Counter[str] = Counter()  # coded, but not whole: "E307 ..." -> count
        self.urls: dict[str, str] = {}
        self.sources: dict[str, str] = {}

    def events(self, items: Iterable[Document | DyadError]) -> Iterator[dict]:
        unchanged: list[str] = []
        fresh = self._new_stories(self._fresh(items, unchanged))
        for doc, sents, evs in self.code_stream(fresh, people=self.people):
            yield from self._stored(unchanged)
            if isinstance(doc, DyadError):
                self._skip(doc)
                continue
            records = [e.to_dict() for e in evs]
            # Before the document: a kill between the two codes it again, recording nothing twice.
            self._record_people(doc, evs)
            self._record_warnings(doc)
            self.store.write_document(doc, sents, records, self.run_id)
            self.dedup.add(doc.id)
            self._count(doc, len(sents), len(records))
            yield from records
        yield from self._stored(unchanged)
        if self.store.changed:  # the last second's documents: readers need not wait for
            self.store.publish()  # the next batch (`dyad watch` may sleep for an hour)

    def finish(self) -> None:
        self.stats["errors"] = sum(self.skipped.values())
        registry.settle(self.store.con)
        self.store.finish_run(self.run_id, dict(self.stats))

    def settle_people(self) -> None:
        """Let the rest of a long run (`dyad watch`) use the people it has learned so far."""
        registry.settle(self.store.con)
        self.people = registry.PeopleBook.load(self.store.con)

    def _record_warnings(self, doc: Document) -> None:
        """What the pipeline left out of a coded document (sentences over the length limit)
        goes to the errors table and the summary, like a skipped document."""
        for code, reason in doc.warnings:
            self.store.record_error(self.run_id, doc.id, code, reason)
            self.warned[f"{code} {reason.split(' (')[0]}"] += 1

    def _record_people(self, doc: Document, events) -> None:
        """People introduced by title ("Russian Foreign Minister Sergei Lavrov") go to the
        registry, so that a bare "Lavrov" in a later run resolves."""
        con, seen = self.store.con, set()
        for event in events:
            for actor in (event.source, event.target):
                # once a name: the registry keeps a document's first sighting of each anyway
                if actor is not None and actor.how == "title" and actor.name not in seen:
                    seen.add(actor.name)
                    sentence = event.sentence.text
                    registry.record(con, actor.name, actor.code, doc.date, sentence, doc.id)

    def _fresh(self, items, unchanged: list[str]):
        """Documents already in the store unchanged are not parsed again (their ids are
        queued in `unchanged`, and their stored events still go to the output)."""
        for item in items:
            if isinstance(item, DyadError) or not self.store.has_document(
                item.id, content_hash(item)
            ):
                yield item
            else:
                unchanged.append(item.id)
                self._remember(item)

    def _new_stories(self, items):
        """Near-copies of stored articles (republished wire stories) become mentions of
        their original instead of being coded again."""
        for item in items:
            if not isinstance(item, DyadError):
                original = self.dedup.find(item)
                if original:
                    self.store.write_duplicate(item, original, self.run_id)
                    self.stats["duplicates"] += 1
                    continue
            yield item

    def _stored(self, unchanged: list[str]):
        while unchanged:
            stored = list(self.store.events(doc_id=unchanged.pop(0)))
            self.stats["unchanged"] += 1
            self.stats["events"] += len(stored)
            yield from stored

    def _skip(self, error: DyadError) -> None:
        # Whatever the error, the document was not stored: a later copy must be coded, not
        # counted as a mention of it (forgetting an id never seen does nothing).
        self.dedup.forget(error.where)
        self.store.record_error(self.run_id, error.where, error.code, error.reason)
        self.skipped[f"{error.code} {error.reason.split(' (')[0]}"] += 1
        self.on_error(error)

    def _remember(self, doc: Document) -> None:
        if doc.url:
            self.urls[doc.id] = doc.url
        if doc.source:
            self.sources[doc.id] = doc.source

    def _count(self, doc: Document, n_sentences: int, n_events: int) -> None:
        self._remember(doc)
        self.stats["documents"] += 1
        self.stats["sentences"] += n_sentences
        self.stats["events"] += n_events
        self.on_document(self.stats["documents"])
