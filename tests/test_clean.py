import json
from pathlib import Path

import pytest

from dyad.clean import clean_document, extract_html, strip_boilerplate
from dyad.clean.boilerplate import KINDS, load_rules
from dyad.evaluate.article_extraction import match, metrics, score, shingles
from dyad.model import Document

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "sample"

NEWS = (
    "Chilean President Rosa Vidal met Peruvian Prime Minister Jorge Salas in Santiago on "
    "Friday.\n"
    "Vidal said Chile would support Peru's bid to join the trade bloc, and the two leaders "
    "signed a monthly fishing quota agreement.\n"
)
APPEAL = (
    "Support our journalism\n"
    "Our reporters work in difficult places. Independent journalism is expensive.\n"
    "Please donate today: a monthly contribution keeps our newsroom open.\n"
    "Thank you for standing with us.\n"
)


def kept_offsets_unchanged(text, body, spans):
    cut = {i for s, e in spans for i in range(s, e)}
    return all(body[i] == text[i] for i in range(len(body)) if i not in cut)


def test_rules_load_every_kind():
    rules = load_rules()
    assert all(rules[kind] for kind in KINDS)


def test_appeal_at_end_is_cut():
    text = NEWS + APPEAL
    body, spans = strip_boilerplate(text)
    assert body == NEWS.rstrip()
    assert spans == [(len(NEWS), len(text))]


def test_news_with_support_is_kept():
    body, spans = strip_boilerplate(NEWS)
    assert body == NEWS and spans == []


def test_header_without_appeal_language_is_kept():
    text = NEWS + "Subscribe to the treaty, Vidal urged neighbours.\n" + NEWS
    assert strip_boilerplate(text) == (text, [])


def test_remind_me_later_is_cut():
    text = NEWS + "Remind me later.\n"
    body, spans = strip_boilerplate(text)
    assert body == NEWS.rstrip()
    assert text[spans[0][0] : spans[0][1]].strip() == "Remind me later."


def test_photo_credits_are_cut_and_offsets_kept():
    text = (
        "Photo: Rosa Vidal arrives in Santiago.\n"
        + NEWS
        + "Vidal waves to supporters (AP Photo/Luis Hernandez) at the palace.\n"
        + NEWS
    )
    body, spans = strip_boilerplate(text)
    assert "Photo" not in body and "Hernandez" not in body
    assert len(body) == len(text.rstrip())
    assert kept_offsets_unchanged(text, body, spans)
    assert body.count("Chilean President Rosa Vidal") == 2
    assert "Vidal waves to supporters" in body and "at the palace." in body


def test_chrome_lines_in_the_middle_are_cut():
    chrome = [
        "Advertisement",
        "Share on Facebook",
        "Facebook Twitter Email",
        "We use cookies to give you the best experience on our website.",
        "Sign up for our daily newsletter",
        "Click here to read the full report.",
        "Image copyright Getty Images",
    ]
    text = NEWS + "\n".join(chrome) + "\n" + NEWS
    body, spans = strip_boilerplate(text)
    assert body.split() == (NEWS + NEWS).split()
    assert kept_offsets_unchanged(text, body, spans)
    assert len(spans) == 1


def test_related_list_is_cut_and_following_news_kept():
    text = (
        NEWS
        + "Related stories\nPeru and Chile sign fishing deal\nChile votes on new constitution\n\n"
        + NEWS
    )
    body, spans = strip_boilerplate(text)
    assert body.split() == (NEWS + NEWS).split()


def test_copyright_footer_is_cut():
    text = NEWS + "© 2025 Example News Ltd. All rights reserved.\n"
    assert strip_boilerplate(text)[0] == NEWS.rstrip()


def test_seed_appeal_header_to_end_is_cut():
    seed = SHARED / "seed" / "moscow-times-venezuela.txt"
    assert seed.is_file(), "../shared must be beside the repository"
    text = seed.read_text(encoding="utf-8")
    body, spans = strip_boilerplate(text)
    assert "support us" not in body and "Remind me later" not in body
    assert spans[-1][1] == len(text)
    assert text[spans[-1][0] :].startswith("A Message from")


def test_real_news_is_never_cut():
    corpus = SHARED / "corpus" / "wikinews-2019-2020" / "articles.jsonl"
    assert corpus.is_file(), "../shared must be beside the repository"
    cut = 0
    for line in corpus.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        cut += sum(len(text[s:e].strip()) for s, e in strip_boilerplate(text)[1])
    assert cut == 0


def test_clean_document_fills_body():
    doc = clean_document(Document(id="d", text=NEWS + APPEAL))
    assert doc.content == NEWS.rstrip()
    assert doc.boilerplate == [(len(NEWS), len(NEWS + APPEAL))]


def test_extract_html_sample_page():
    text, meta = extract_html((SAMPLE / "wfp-sudan-aid.html").read_text(encoding="utf-8"))
    assert meta["title"] == "UN agency delivers food aid to Darfur"
    assert meta["date"].isoformat() == "2025-04-08"
    assert meta["url"] == "https://example.org/2025/04/08/wfp-darfur-aid"
    assert text.startswith("UN agency delivers food aid to Darfur")
    assert "The World Food Programme delivered food aid" in text
    assert "open more routes for aid." in text
    for chrome in ("cookies", "Share on", "Photo:", "monthly contribution", "All rights"):
        assert chrome not in text
    assert "\n\n" not in text


def test_shingle_metric():
    assert shingles("one two three") == {("one", "two", "three"): 1}
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert match("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    assert match("a b c d e", "v w x y z") == (0.0, 0.5, 0.5)
    tp, fp, fn = match("a b c d e f", "a b c d e")
    assert (tp, fp, fn) == pytest.approx((2 / 3, 0.0, 1 / 3))
    result = metrics([(1.0, 0.0, 0.0), (0.5, 0.0, 0.5)])
    assert result["precision"] == 1.0 and result["recall"] == 0.75


def test_article_extraction_score_on_a_few_pages():
    assert (SHARED / "eval" / "article-extraction").is_dir(), (
        "../shared must be beside the repository"
    )
    result = score(SHARED, limit=10)
    assert result["records"] == 10
    assert 0.8 < result["f1"] <= 1.0
