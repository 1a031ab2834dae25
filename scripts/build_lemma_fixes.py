"""Build src/dyad/nlp/data/lemma_fixes.tsv: inflected forms of the lexicon's verbs that
spaCy's lemmatizer gets wrong ("staged" -> "stag", "unbanned" -> "unbanne").

The lexicon matches verbs by lemma, so such a form is never coded. For every verb lemma of
the lexicon, each regular inflection is parsed in a verbal sentence; where spaCy's lemma
differs and is not itself a lexicon verb (which may be the right reading: "left" is
"leave"), the form is written with the lemma it should have. The `dyad_lemmas` component
(nlp/lemmas.py) applies the table after spaCy's lemmatizer. Re-run after editing
events/data/verbs.tsv:

    python scripts/build_lemma_fixes.py
"""

from __future__ import annotations

from pathlib import Path

from dyad.events.lexicon import load_lexicon
from dyad.nlp import load_nlp
from dyad.nlp.prefilter import irregular_verbs

OUT = Path(__file__).resolve().parents[1] / "src" / "dyad" / "nlp" / "data" / "lemma_fixes.tsv"
VOWELS = "aeiou"
AUXILIARIES = ("be", "have", "do")
# The lemmatizer's answer depends on the parse: "waged" is "wage" in one sentence and
# "wag" in another. A form is fixed when any of these gets it wrong.
CONTEXTS = (
    "The officials {} the plan.",
    "The soldiers {} war on the rebels.",
    "The soldiers {} the town.",
    "They have {} it.",
    "They are {} it.",
)


# Final syllables that double their consonant though the verb has more than one syllable.
DOUBLING = (
    "admit",
    "commit",
    "submit",
    "permit",
    "omit",
    "pel",
    "cur",
    "ban",
    "gas",
    "bar",
    "trol",
    "drop",
)


def _doubles(lemma: str) -> bool:
    """'ban' -> 'banned', 'readmit' -> 'readmitted', but 'visit' -> 'visited'."""
    if len(lemma) < 3 or lemma[-1] in VOWELS + "wxy" or lemma[-2] not in VOWELS:
        return False
    if lemma[-3] in VOWELS:
        return False
    syllables = sum(
        1 for i, c in enumerate(lemma) if c in VOWELS and (i == 0 or lemma[i - 1] not in VOWELS)
    )
    return syllables == 1 or lemma.endswith(DOUBLING)


def forms(lemma: str) -> set[str]:
    """Regular third-person, past and -ing forms of a regular verb."""
    if " " in lemma or not lemma.isalpha() or lemma.endswith("ly") or lemma in AUXILIARIES:
        return set()
    out = set()
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        out.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2:-1] not in VOWELS:
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    else:
        out.add(lemma + "s")
    if lemma.endswith(("ee", "ye", "oe")):  # "see" -> "seeing"
        out |= {lemma + "d", lemma + "ing"}
    elif lemma.endswith("e"):
        out |= {lemma + "d", lemma[:-1] + "ing"}
    elif not (lemma.endswith("y") and lemma[-2:-1] not in VOWELS):
        out |= {lemma + "ed", lemma + "ing"}
    else:
        out.add(lemma + "ing")
    if _doubles(lemma):
        out = {f for f in out if not f.endswith(("ed", "ing"))}
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    irregular = irregular_verbs().get(lemma)
    if irregular:  # its own past forms, not made-up regular ones ("cutted")
        out = {f for f in out if not f.endswith("ed")} | irregular
    return out


def main() -> None:
    nlp = load_nlp()
    if "dyad_lemmas" in nlp.pipe_names:  # spaCy's own lemmas, not those this table fixes
        nlp.remove_pipe("dyad_lemmas")
    lemmas = sorted({p.lemma for p in load_lexicon() if p.kind == "verb"})
    known = set(lemmas)
    fixes: dict[str, str] = {}
    for lemma in lemmas:
        for form in sorted(forms(lemma)):
            wrong = {
                token.lemma_
                for text in CONTEXTS
                for token in nlp(text.format(form))
                if token.lower_ == form and token.pos_ == "VERB" and token.lemma_ != lemma
            }
            if wrong - known:  # spaCy's lemma is no other lexicon verb: a wrong one
                fixes[form] = lemma
    lines = ["form\tlemma"] + [f"{f}\t{lem}" for f, lem in sorted(fixes.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(fixes)} forms written to {OUT}")


if __name__ == "__main__":
    main()
