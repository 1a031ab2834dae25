"""dyad: political event data from news - who did what to whom, when and where.

>>> import dyad
>>> events = dyad.code_text("Russia has accused the United States of ...", date="2019-02-26")
>>> events[0].to_dict()["cameo"]
"""

from __future__ import annotations

from functools import cache

__version__ = "0.1.0"


@cache
def default_pipeline():
    from dyad.pipeline import Pipeline

    return Pipeline()


def code_text(text: str, date=None, **meta):
    """Code one text; returns Event objects whose to_dict() is the JSONL record."""
    return default_pipeline().code_text(text, date, **meta)


__all__ = ["code_text", "default_pipeline", "__version__"]
