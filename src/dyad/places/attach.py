"""Where an event happened: a place name in a locative phrase attached to its trigger.

The same clause rules as dates (dyad.dates.resolve): the trigger's clause, then the verb a noun
trigger hangs from and the heads of its xcomp chain, never an embedded clause. A place name
that is one of the event's actors ("Moscow has backed ...") is not where it happened.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Span, Token

from dyad.dates.resolve import clause_tokens, dateline, event_heads
from dyad.model import Location
from dyad.places.index import PlaceIndex, default_index

# Not "on", "between", "into", "among": "talks on Syria", "talks between Russia and Venezuela",
# "an inquiry into Russia" name a topic or a party, not a place.
LOCATIVE_PREPS = {
    "in", "at", "near", "outside", "inside", "across", "around", "throughout", "within",
    "off", "along",
}  # fmt: skip
# Words that locate relative to the place named after them: "20 km north of Tripoli",
# "on the outskirts of Mosul".
DIRECTIONS = {
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
}  # fmt: skip
ON_PLACES = {"outskirts", "edge", "border", "coast", "banks", "shores", "island", "streets"}
FEATURE_ORDER = {"city": 0, "admin1": 1, "country": 2}
PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _place_roots(head: Token, trigger: Token) -> Iterator[Token]:
    """Nouns in locative phrases of the head's clause, nearest first."""
    found = []
    for token, depth in clause_tokens(head):
        if token.dep_ == "pobj" and _locative(token.head, token, trigger):
            found.append((depth, token.i, token))
        elif token.lower_ in DIRECTIONS and token.dep_ in ("advmod", "npadvmod"):
            found.append((depth, token.i, token))
    for _, _, token in sorted(found):
        yield token


def _locative(prep: Token, pobj: Token, trigger: Token) -> bool:
    if prep.lower_ in LOCATIVE_PREPS:
        return True
    if prep.lower_ == "on":
        return pobj.lower_ in ON_PLACES
    # "a visit to Moscow" took place in Moscow; "sent troops to Syria" did not happen there
    return prep.lower_ == "to" and prep.head == trigger and trigger.pos_ not in ("VERB", "AUX")


def _names(root: Token) -> Iterator[Span]:
    """Place names in the phrase under root: entities, or a proper noun the NER missed, not
    going into another prepositional phrase except "of" ("outskirts of Mosul")."""
    doc = root.doc
    tokens, stack = [], [root]
    while stack:
        token = stack.pop()
        tokens.append(token)
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ != "of":
                continue
            if child.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp"):
                continue
            stack.append(child)
    seen = set()
    for token in sorted(tokens, key=lambda t: t.i):
        if token.ent_type_ in PLACE_LABELS:
            ent = next(e for e in doc.ents if e.start <= token.i < e.end)
            if ent.start not in seen:
                seen.add(ent.start)
                yield ent
        elif token.pos_ == "PROPN" and not token.ent_type_ and token.dep_ == "pobj":
            yield doc[_left_compound(token) : token.i + 1]


def _left_compound(token: Token) -> int:
    start = token.i
    for child in token.lefts:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            start = min(start, child.i)
    return start


def event_place(
    trigger: Token,
    actor_token_ids: set[int],
    countries: Sequence[str],
    index: PlaceIndex | None = None,
) -> Location | None:
    """The first resolvable place in a locative phrase of the trigger's clause.

    `countries` (ISO2, the event's actors' first, then the document's) break ties between
    places of the same name."""
    index = index or default_index()
    for head in event_heads(trigger):
        for root in _place_roots(head, trigger):
            names = [n for n in _names(root) if not any(t.i in actor_token_ids for t in n)]
            if location := _most_specific(names, countries, index):
                return location
    return None


def _most_specific(
    names: list[Span], countries: Sequence[str], index: PlaceIndex
) -> Location | None:
    """The city in "in Tyler, Texas, United States", "in the U.S. city of El Paso": the
    phrase's own countries come first, and a town it places outside them is a misreading
    ("the state of Goa, India" is not Goa in the Philippines)."""
    found = [loc for name in names if (loc := index.resolve(name.text, countries))]
    stated = [loc.country for loc in found if loc.feature in ("country", "admin1")]
    if stated:
        found = [index.resolve(name.text, [*stated, *countries]) for name in names]
        found = [loc for loc in found if loc and loc.country in stated]
    return min(found, key=lambda loc: FEATURE_ORDER.get(loc.feature, 0), default=None)


def document_place(text: str) -> str | None:
    """The place named by a wire dateline at the start of the text, if any."""
    return dateline(text)[0]
