"""The pipeline: one object that turns Documents into Events, stage by stage.

    clean -> parse -> actors -> events -> dates and places

The same object runs in a notebook (`dyad.code_text`), the CLI, a worker process or a Dask
worker: engines only decide where it runs. Knowledge tables and the spaCy pipeline are
loaded once, when the object is made.
"""

from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from spacy.tokens import Doc, Span

from dyad.actors import knowledge
from dyad.actors.registry import PeopleBook
from dyad.actors.resolver import ActorResolver
from dyad.clean.boilerplate import strip_boilerplate
from dyad.config import SETTINGS
from dyad.dates.resolve import dateline, event_date
from dyad.errors import DyadError
from dyad.events import clauses, ontology
from dyad.events.coder import Draft, EventCoder, clause_verb, place_target
from dyad.events.generalise import make as make_generaliser
from dyad.events.petrarch.coder import code_info, make_coder
from dyad.ingest.limits import checked_text
from dyad.model import Actor, Document, Event, Sentence, stable_id
from dyad.nlp import load_nlp
from dyad.nlp.prefilter import Prefilter
from dyad.places.attach import event_place
from dyad.places.index import default_index


class Pipeline:
    def __init__(
        self,
        dictionaries: Sequence[str | Path] = (),
        model: str | None = None,
        prefilter: bool | None = None,
        generalise: str | None = None,
        verbs: str | None = None,
    ):
        self.nlp = load_nlp(model)
        self.user = None
        if dictionaries:
            from dyad.actors.dictionary import load_dictionaries

            # Real-world dictionaries carry typos: skip those lines, keep them in .problems.
            paths = [Path(p) for p in dictionaries]
            self.user = load_dictionaries(paths, nlp=self.nlp, strict=False)
        self.resolver = ActorResolver(self.nlp, self.user)
        use_prefilter = SETTINGS.prefilter if prefilter is None else prefilter
        self.prefilter = Prefilter(self.nlp, self.user) if use_prefilter else None
        # sentences are measured before the parse even with the prefilter off
        self.splitter = self.prefilter or Prefilter(self.nlp, self.user)
        generaliser = make_generaliser(SETTINGS.generalise if generalise is None else generalise)
        own = EventCoder(generaliser=generaliser, implied_targets=SETTINGS.implied_targets)
        # --verbs: the user's PETRARCH verb dictionaries, dyad's lexicon, or both
        verb_files = self.user.verbs if self.user is not None else []
        self.coder = make_coder(verbs or SETTINGS.verbs or None, verb_files, own)
        if self.prefilter is not None and self.coder is not own:
            self.prefilter.triggers = self.prefilter.triggers | self.coder.forms()
        if self.prefilter is not None and generaliser is not None:
            # the words it may code must reach the parser too
            self.prefilter.triggers = self.prefilter.triggers | generaliser.forms()
        self.places = default_index()
        # Seconds spent per stage since this object was made: `dyad bench` reports them.
        self.seconds: Counter[str] = Counter()

    # -- public API ---------------------------------------------------------------------

    def code_text(self, text: str, date: dt.date | str | None = None, **meta) -> list[Event]:
        doc = Document(id=meta.pop("id", stable_id(text)), text=text, date=_date(date), **meta)
        return self.code_document(doc)[1]

    def actors_in(self, text: str, date: dt.date | str | None = None) -> list[Actor]:
        """Every actor mention of a text's body, in reading order: what the actors stage
        finds whether or not an event is coded from it (`dyad eval` scores the seed's)."""
        body, _ = strip_boilerplate(text)
        parsed = self.nlp(body)
        return self.resolver.resolve(parsed, list(parsed.sents), _date(date)).mentions()

    def code_document(self, doc: Document) -> tuple[list[Sentence], list[Event]]:
        """Sentences and events; a document that cannot be coded raises its DyadError."""
        item, sentences, events = next(self._code([doc]))
        if isinstance(item, DyadError):
            raise item
        return sentences, events

    def code_documents(
        self, docs: Iterable[Document | DyadError], people: PeopleBook | None = None
    ) -> Iterator[tuple[Document | DyadError, list[Sentence], list[Event]]]:
        """Code a stream; errors (bad inputs, or a document that fails) pass through as
        DyadError values so that the caller can report them and go on. `people` is the
        person registry to resolve untitled names with (from the store, `engine.run.Run`)."""
        batch: list[Document] = []
        for item in docs:
            if isinstance(item, DyadError):
                yield from self._code(batch, people)
                batch = []
                yield item, [], []
                continue
            batch.append(item)
            if len(batch) >= SETTINGS.batch_size:
                yield from self._code(batch, people)
                batch = []
        yield from self._code(batch, people)

    # -- stages -------------------------------------------------------------------------

    def _code(self, docs: list[Document], people: PeopleBook | None = None):
        admitted = []
        for doc in docs:
            try:  # before any work: a text too long to hold, or not valid Unicode
                checked_text(doc.text, doc.id)
            except DyadError as e:
                yield e, [], []
                continue
            admitted.append(doc)
        docs = admitted
        with self._stage("clean"):
            for doc in docs:
                if not doc.sentence_mode and doc.body is None:
                    doc.body, doc.boilerplate = strip_boilerplate(doc.text)
        texts = [d.content for d in docs]
        plans: list[list[tuple[int, int]] | None] = [None] * len(docs)
        failed: dict[int, DyadError] = {}
        spent = [0.0] * len(docs)  # seconds per document, against max_parse_seconds
        for i, doc in enumerate(docs):
            with self._stage("prefilter"):
                started = time.perf_counter()
                try:
                    texts[i], plans[i] = self._screen(doc, texts[i])
                except DyadError as e:
                    failed[i], texts[i] = e, ""
                except Exception as exc:  # one bad document must never stop a run
                    failed[i], texts[i] = _failure(doc, exc), ""
                spent[i] = time.perf_counter() - started
        started = time.perf_counter()
        parsed_docs = list(
            self._timed("parse", self.nlp.pipe(texts, batch_size=SETTINGS.batch_size))
        )
        # docs are parsed as one batch: each is charged its share, by tokens
        tokens = [len(parsed) + 1 for parsed in parsed_docs]
        per_token = (time.perf_counter() - started) / max(sum(tokens), 1)
        for i, (doc, parsed, plan) in enumerate(zip(docs, parsed_docs, plans, strict=True)):
            if i in failed:
                yield failed[i], [], []
                continue
            try:
                seconds = spent[i] + per_token * tokens[i]
                yield (doc, *self._code_parsed(doc, parsed, plan, seconds, people))
            except DyadError as e:
                yield e, [], []
            except Exception as exc:  # one bad document must never stop a run
                yield _failure(doc, exc), [], []

    def _screen(self, doc: Document, text: str) -> tuple[str, list[tuple[int, int]] | None]:
        """The text to parse and the record's sentences (None: the parser's). With the
        prefilter, sentences that cannot hold an event are blanked out; sentences over
        max_sentence_tokens are, always: the document says so (E307), or fails with E307
        when no sentence is left."""
        limit = SETTINGS.max_sentence_tokens
        masked, spans, sizes = self.splitter.screen(text, limit, keep_all=self.prefilter is None)
        if doc.sentence_mode:  # the whole text is one sentence
            sizes, spans = [sum(sizes)], None
            # a gold sentence is parsed whole or not at all
            masked = text if masked.strip() else " " * len(text)
        long = [n for n in sizes if n > limit]
        doc.warnings = [w for w in doc.warnings if w[0] != "E307"]  # coded again
        if long:
            error = DyadError(
                "E307", doc.id, count=len(long), total=len(sizes), tokens=max(long), limit=limit
            )
            if len(long) == len(sizes):
                raise error
            doc.warnings.append((error.code, error.reason))
        return masked, (spans if self.prefilter is not None else None)

    @contextmanager
    def _stage(self, stage: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started

    def _timed(self, stage: str, items):
        """`items` with the time spent producing each one counted under `stage`."""
        it = iter(items)
        while True:
            with self._stage(stage):
                try:
                    item = next(it)
                except StopIteration:
                    return
            yield item

    def _code_parsed(
        self,
        doc: Document,
        parsed: Doc,
        plan: list[tuple[int, int]] | None = None,
        spent: float = 0.0,
        people: PeopleBook | None = None,
    ) -> tuple[list[Sentence], list[Event]]:
        """Sentences and events of a parsed document; E308 once the seconds `spent` on it
        so far and those spent here pass max_parse_seconds."""
        deadline = time.perf_counter() + SETTINGS.max_parse_seconds - spent
        spans = [parsed[:]] if doc.sentence_mode else list(parsed.sents)
        spans = [s for s in spans if s.text.strip()]
        if plan is None:  # the parser's sentences are the record's
            plan = [_stripped(s) for s in spans]
        text = doc.content
        sentences = [Sentence(doc.id, i, text[a:b], a, b) for i, (a, b) in enumerate(plan)]
        starts = [a for a, _ in plan]
        # each parsed sentence is recorded as the sentence of the body it starts in
        owner = [sentences[max(bisect_right(starts, _stripped(s)[0]) - 1, 0)] for s in spans]
        if self.user is not None and self.user.discard(doc.content) == "story":
            return sentences, []
        _in_time(doc, deadline, 0)
        with self._stage("actors"):
            actors = self.resolver.resolve(parsed, spans, doc.date, people)
        place_name, _ = dateline(doc.content) if not doc.sentence_mode else (None, None)
        events = []
        for span, sentence in zip(spans, owner, strict=True):
            _in_time(doc, deadline, sentence.index)
            if self.user is not None and self.user.discard(span.text) == "sentence":
                continue
            with self._stage("events"):
                drafts = self.coder.code_sentence(span, actors)
            issues = self._issues(span.text, doc.content) if drafts else ()
            for draft in drafts:
                events.append(self._event(doc, sentence, span, draft, actors, place_name, issues))
        return sentences, events

    def _issues(self, sentence: str, story: str) -> tuple[str, ...]:
        """The issue codes a user's PETRARCH issue files give the sentence, as PETRARCH
        writes them: CODE,count, in code order."""
        if self.user is None or not self.user.issues:
            return ()
        found: Counter[str] = Counter()
        for issues in self.user.issues:
            found.update(issues.find(sentence, story))
        return tuple(f"{code},{n}" for code, n in sorted(found.items()))

    def _event(
        self, doc, sentence, span: Span, draft: Draft, actors, place_name, issues=()
    ) -> Event:
        with self._stage("dates_places"):
            date, precision, location, attached = self._when_where(
                doc, span, draft, actors, place_name
            )
        if attached and getattr(self.coder, "implied_targets", False):
            # "fired at targets in Jericho": a town the actors stage does not know
            target = place_target(draft, knowledge.iso2_to_iso3(location.country))
            draft = replace(draft, target=target) if target else draft
        # a user's verb dictionary may carry its own codes (WEIS-era 903, 075A ...)
        user_code = draft.rule.startswith("dictionary:")
        info = code_info(draft.code) if user_code else ontology.lookup(draft.code)
        t = draft.trigger
        return Event(
            doc_id=doc.id,
            sentence=sentence,
            source=draft.source,
            target=draft.target,
            cameo=info.code,
            root=info.root,
            quad_class=info.quad_class,
            goldstein=info.goldstein,
            plover=info.plover,
            plover_mode=info.plover_mode,
            modality=draft.modality,
            verb=(t.text, t.idx, t.idx + len(t)),
            rule=draft.rule,
            confidence=draft.confidence,
            date=date,
            date_precision=precision,
            location=location,
            issues=issues,
        )

    def _when_where(self, doc, span: Span, draft: Draft, actors, place_name):
        """The event's date from the words attached to it and its tense; its place from
        the words attached to it, else the dateline, with ambiguity settled by the
        countries of its actors and of the story; and whether the place is the words'."""
        verb = clause_verb(draft.trigger)
        tense = clauses.tense(verb, draft.modality)
        date, precision = event_date(draft.trigger, doc.date, tense)
        countries = [
            knowledge.iso3_to_iso2(a.code[:3])
            for a in (draft.source, draft.target)
            if a is not None
        ]
        if actors.memory.focus:
            countries.append(knowledge.iso3_to_iso2(actors.memory.focus))
        countries = [c for c in countries if c]
        actor_tokens = _actor_tokens(span, draft)
        location = event_place(draft.trigger, actor_tokens, countries, self.places)
        if location is not None:
            return date, precision, location, True
        if place_name:
            location = self.places.resolve(place_name, countries)
        return date, precision, location, False


def _failure(doc: Document, exc: Exception) -> DyadError:
    return DyadError("E302", doc.id, detail=f"{type(exc).__name__}: {exc}")


def _in_time(doc: Document, deadline: float, index: int) -> None:
    """E308 once the document's time is up; checked between sentences, so that no signal
    or thread is needed (they do not mix with worker processes)."""
    late = time.perf_counter() - deadline
    if late > 0:
        limit = SETTINGS.max_parse_seconds
        raise DyadError("E308", doc.id, seconds=f"{limit + late:.1f}", index=index, limit=limit)


def _stripped(span: Span) -> tuple[int, int]:
    start = span.start_char + len(span.text) - len(span.text.lstrip())
    return start, start + len(span.text.strip())


def _actor_tokens(span: Span, draft: Draft) -> set[int]:
    out = set()
    for a in (draft.source, draft.target):
        if a is None or a.how in ("place", "implied"):
            continue
        out.update(t.i for t in span if a.start <= t.idx < a.end)
    return out


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DyadError("E109", value=str(value)) from None
