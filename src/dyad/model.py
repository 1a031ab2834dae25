"""The data model every stage takes and returns.

A `Document` goes in; the pipeline fills its `sentences`, finds `Actor` mentions and codes
`Event`s. `Event.to_dict()` is the public record (one JSONL line), a contract that outside
tools read: add fields, never rename or remove them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

MODALITIES = ("asserted", "future", "intent", "negated", "hypothetical", "reported")
DATE_PRECISIONS = ("day", "week", "month", "year", "publication")


def stable_id(*parts: str, length: int = 16) -> str:
    """A short hash that is the same for the same parts on every machine and run."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:length]


@dataclass
class Document:
    id: str
    text: str
    date: dt.date | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None  # the feed, site or file it came from
    body: str | None = None  # text after boilerplate removal; None until cleaned
    boilerplate: list[tuple[int, int]] = field(default_factory=list)  # spans cut from text
    sentence_mode: bool = False  # the whole text is one sentence (gold sets)
    # (code, reason) of what coding left out but the document survived, e.g. a sentence
    # over max_sentence_tokens (E307): a run records them like errors.
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def content(self) -> str:
        return self.text if self.body is None else self.body


@dataclass
class Sentence:
    doc_id: str
    index: int
    text: str
    start: int  # character offsets in the document body
    end: int


@dataclass
class Actor:
    code: str  # CAMEO style: VENGOV, RUS, IGOUNO ...
    text: str  # as written
    start: int  # offsets in the document body
    end: int
    name: str = ""  # canonical name, e.g. "Delcy Rodriguez" or "Venezuela"
    how: str = ""  # dictionary, title, registry, coreference, metonymy, user ...

    @property
    def country(self) -> str:
        return self.code[:3]

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name or self.text,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "how": self.how,
        }


@dataclass
class Location:
    name: str
    country: str  # ISO 3166 alpha-2
    lat: float
    lon: float
    geonames_id: int | None = None
    admin1: str | None = None
    feature: str = ""  # city, admin1, country

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
        }


@dataclass
class Event:
    doc_id: str
    sentence: Sentence
    source: Actor
    target: Actor | None
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: str
    plover_mode: str
    modality: str
    verb: tuple[str, int, int]  # the trigger as written, with body offsets
    rule: str
    confidence: float
    date: dt.date | None = None
    date_precision: str = "publication"
    location: Location | None = None
    issues: tuple[str, ...] = ()  # "CODE,count" from a user's PETRARCH issue files

    @property
    def event_id(self) -> str:
        target = "" if self.target is None else f"{self.target.code}@{self.target.start}"
        return stable_id(
            self.doc_id,
            str(self.sentence.index),
            f"{self.source.code}@{self.source.start}",
            target,
            self.cameo,
            str(self.verb[1]),
        )

    def to_dict(self) -> dict:
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "sentence_index": self.sentence.index,
            "sentence": self.sentence.text,
            "sentence_start": self.sentence.start,
            "sentence_end": self.sentence.end,
            "source": self.source.to_dict(),
            "target": None if self.target is None else self.target.to_dict(),
            "cameo": self.cameo,
            "root": self.root,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "modality": self.modality,
            "date": None if self.date is None else self.date.isoformat(),
            "date_precision": self.date_precision,
            "location": None if self.location is None else self.location.to_dict(),
            "verb": {"text": self.verb[0], "start": self.verb[1], "end": self.verb[2]},
            "rule": self.rule,
            "confidence": round(self.confidence, 3),
            "issues": list(self.issues),
        }
