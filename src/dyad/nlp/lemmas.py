"""Verb forms spaCy's lemmatizer gets wrong, set right before any stage reads a lemma.

"staged" comes out as "stag", "unbanned" as "unbanne", "waged" as "wag": the lexicon matches
verbs by lemma, so these were never coded. data/lemma_fixes.tsv (built from the lexicon's
verbs by scripts/build_lemma_fixes.py) gives the right lemma of each such form; only verb
readings are changed ("bombing" the noun keeps its lemma).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

FIXES = Path(__file__).parent / "data" / "lemma_fixes.tsv"


@cache
def lemma_fixes() -> dict[str, str]:
    with open(FIXES, encoding="utf-8", newline="") as f:
        return {row["form"]: row["lemma"] for row in csv.DictReader(f, delimiter="\t")}


@Language.component("dyad_lemmas")
def fix_lemmas(doc: Doc) -> Doc:
    fixes = lemma_fixes()
    for token in doc:
        if token.pos_ == "VERB":
            lemma = fixes.get(token.lower_)
            if lemma is not None:
                token.lemma_ = lemma
    return doc
