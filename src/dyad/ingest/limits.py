"""The bounds every reader keeps, so that no input can take unbounded memory.

Raw input is read at most one byte past its limit (`max_input_bytes`), so a 50 MB page or a
gzip bomb is refused having held a few MB; a document's text is refused over
`max_doc_chars`, and text that is not valid Unicode (a lone surrogate, which JSON and XML
escapes can carry) is refused too, since neither spaCy nor the store can take it.
"""

from __future__ import annotations

import re

from dyad.config import SETTINGS
from dyad.errors import DyadError

SURROGATE = re.compile("[\ud800-\udfff]")


def over(size: int) -> str:
    """The size of an input read only up to its limit."""
    return f"more than {size:,}"


def bounded(f, where: str) -> bytes:
    """The rest of a binary stream, or E114 when it is over `max_input_bytes`."""
    limit = SETTINGS.max_input_bytes
    data = f.read(limit + 1)
    if len(data) > limit:
        raise DyadError("E114", where, size=over(limit), limit=limit)
    return data


def checked_text(text: str, where: str) -> str:
    """`text`, or the error saying why no document can hold it."""
    if len(text) > SETTINGS.max_doc_chars:
        raise DyadError("E111", where, size=len(text), limit=SETTINGS.max_doc_chars)
    bad = SURROGATE.search(text)
    if bad:
        raise DyadError("E115", where, offset=bad.start())
    return text
