"""Line breaks as sentence boundaries, unless the text is hard-wrapped.

A headline, a dateline or a paragraph ends at a line break even without a full stop
("UN agency delivers food aid to Darfur\nThe World Food Programme delivered ..."), and
spaCy's parser would otherwise read the two as one sentence. Text wrapped at a fixed width
breaks lines inside sentences, so there the breaks are left to the parser.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

ENDINGS = tuple(".!?:;\"”’')")


def hard_wrapped(text: str) -> bool:
    """Most lines of 40 to 100 characters and no sentence end: a fixed-width text."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if len(lines) < 4:
        return False
    wrapped = [line for line in lines if 40 <= len(line) <= 100 and not line.endswith(ENDINGS)]
    return len(wrapped) >= 0.6 * len(lines)


@Language.component("dyad_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at the first word after a line break."""
    if "\n" not in doc.text or hard_wrapped(doc.text):
        return doc
    for token in doc[1:]:
        if not token.is_space and "\n" in doc[token.i - 1].text_with_ws:
            token.is_sent_start = True
    return doc
