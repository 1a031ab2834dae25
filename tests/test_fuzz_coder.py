"""Fuzzing the coder: hostile text gives events or a named DyadError, promptly, and the limits
(max_doc_chars, max_sentence_tokens, max_parse_seconds) name themselves when they refuse.

DYAD_FUZZ_EXAMPLES raises the example count for a long session.
"""

from __future__ import annotations

import os

from conftest import no_hang
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad.config import SETTINGS
from dyad.errors import DyadError
from dyad.model import Document

EXAMPLES = int(os.environ.get("DYAD_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    database=None,  # no .hypothesis folder in the tree; a failure prints its input
    deadline=None,  # a hang is caught by no_hang(SAFETY), not by a per-example deadline
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SAFETY = 120.0  # seconds: far beyond what any input here takes, so only a hang trips it
# What a document may fail with; E302 (an exception caught) would be a crash to fix.
LIMITS = {"E111", "E115", "E307", "E308"}

HOSTILE = [
    "\u202e", "\u202d", "\u200f", "\u200e", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2028",
    "\ud800", "\udfff", "\x00", "\x1b", "\x7f", "\r", "\t", "\ufffd", "\U0001f600", "<div>",
]  # fmt: skip
NEWS = [
    "Russia", "condemned", "Ukraine", "Obama", "met", "Putin", "in", "Moscow", "police",
    "attacked", "protesters", "the", "said", "on", "Monday", ".", ",", "\n", "'s", "(",
]  # fmt: skip
hostile_text = st.lists(
    st.sampled_from(HOSTILE + NEWS) | st.text(max_size=6), min_size=1, max_size=60
).map(lambda parts: " ".join(parts))
GOOD = "Russian troops attacked Ukrainian positions near Kharkiv on Monday."


def outcome(pipeline, doc: Document):
    """(sentences, events) or the DyadError, checked against what every record needs."""
    try:
        with no_hang(SAFETY):
            sentences, events = pipeline.code_document(doc)
    except DyadError as error:
        assert error.code in LIMITS, error
        assert error.where == doc.id and error.reason
        return error
    text = doc.content
    for s in sentences:
        assert text[s.start : s.end] == s.text
    for e in events:
        word, start, end = e.verb
        assert e.sentence.start <= start < end <= e.sentence.end
        assert text[start:end] == word
    return sentences, events


@FUZZ
@given(text=hostile_text, mode=st.booleans())
def test_hostile_text(pipeline, text, mode):
    outcome(pipeline, Document(id="fuzz", text=text, sentence_mode=mode))


@FUZZ
@given(noise=st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6).map("".join))
def test_hostile_characters_around_a_news_sentence(pipeline, noise):
    """Invisible and control characters next to a sentence never crash it; where they
    leave the words whole, the event is still coded."""
    result = outcome(pipeline, Document(id="fuzz", text=f"{noise} {GOOD} {noise}"))
    if isinstance(result, DyadError):
        assert result.code == "E115" and any("\ud800" <= c <= "\udfff" for c in noise)
    else:
        assert result[1], "the sentence is coded with the noise outside its words"


def test_lone_surrogate_is_named_not_a_crash(pipeline):
    error = outcome(pipeline, Document(id="s", text="Russia \ud800 condemned Ukraine."))
    assert error.code == "E115" and error.details["offset"] == 7


def test_code_text_raises_the_named_error(pipeline):
    try:
        pipeline.code_text("Police \udfff arrested protesters in Minsk.")
    except DyadError as error:
        assert error.code == "E115"
    else:
        raise AssertionError("a lone surrogate must not pass silently")


def test_million_character_sentence_is_refused_by_its_length(pipeline):
    words = ("troops attacked the city and Russia condemned Ukraine " * 20_000)[:1_000_000]
    error = outcome(pipeline, Document(id="long", text=words))
    assert error.code == "E307"
    assert error.details["limit"] == SETTINGS.max_sentence_tokens
    assert error.details["tokens"] > 100_000
    assert "max_sentence_tokens" in str(error)


def test_long_sentence_is_skipped_and_the_rest_coded(pipeline):
    run_on = " ".join(["troops attacked the city and Russia condemned Ukraine"] * 40)
    doc = Document(id="mixed", text=f"{GOOD} {run_on}. Police arrested protesters in Minsk.")
    sentences, events = outcome(pipeline, doc)
    assert len(sentences) == 3
    coded = {e.sentence.index for e in events}
    assert coded and 1 not in coded  # the others are coded, the long one is not
    [(code, reason)] = doc.warnings
    assert code == "E307" and "1 of 3" in reason and "max_sentence_tokens" in reason


def test_sentence_limit_counts_tokens_not_characters(pipeline, monkeypatch):
    monkeypatch.setattr(SETTINGS, "max_sentence_tokens", 9)
    doc = Document(id="nine", text=GOOD)  # ten tokens with its full stop
    assert outcome(pipeline, doc).code == "E307"
    monkeypatch.setattr(SETTINGS, "max_sentence_tokens", 10)
    assert outcome(pipeline, Document(id="ten", text=GOOD))[1]


def test_fifty_megabyte_document_is_refused_before_any_work(pipeline):
    text = GOOD + " " + "x" * 50_000_000
    started = pipeline.seconds.copy()
    error = outcome(pipeline, Document(id="big", text=text))
    assert error.code == "E111" and "max_doc_chars" in str(error)
    assert pipeline.seconds == started  # not cleaned, screened nor parsed


def test_deeply_nested_markup_as_text(pipeline):
    text = "<div>" * 10_000 + GOOD + "</div>" * 10_000
    outcome(pipeline, Document(id="deep", text=text))


def test_time_limit_names_itself(pipeline, monkeypatch):
    monkeypatch.setattr(SETTINGS, "max_parse_seconds", 0.0)
    error = outcome(pipeline, Document(id="slow", text=GOOD))
    assert error.code == "E308" and "max_parse_seconds = 0.0" in str(error)


def test_stream_goes_on_past_bad_documents(pipeline):
    docs = [
        Document(id="a", text=GOOD),
        Document(id="surrogate", text="Putin \ud800 met Obama."),
        Document(id="big", text="x" * (SETTINGS.max_doc_chars + 1)),
        Document(id="long", text="Russia condemned Ukraine and " * 100),
        Document(id="b", text="Police arrested protesters in Minsk on Sunday."),
    ]
    results = {
        (item.where if isinstance(item, DyadError) else item.id): item
        for item, _, _ in pipeline.code_documents(docs)
    }
    assert len(results) == len(docs)
    assert {k: v.code for k, v in results.items() if isinstance(v, DyadError)} == {
        "surrogate": "E115",
        "big": "E111",
        "long": "E307",
    }
