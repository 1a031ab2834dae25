"""The PETRARCH validation suite (../shared/eval/petrarch-unit): CAMEO triples per sentence.

Records use fictional actors, so they only mean something with the suite's own dictionaries
loaded as user dictionaries (`DICTIONARIES`, its verb file included; `ACTOR_DICTIONARIES`
alone leaves the verbs to dyad's lexicon). The `<Parse>` trees are ignored.

The `<Config>` options in force at a record are honoured as PETRARCH does:
- require_dyad (default true): an event without a source or a target is not written;
- comma_*: comma-delimited clauses whose length in words lies in [min, max] are cut from
  the sentence before coding (initial b*, internal, terminal e*; max 0 turns one off);
- new_actor_length only makes PETRARCH list unknown noun phrases as candidate actors in a
  separate file: it never changes a coded event, so there is nothing to honour.
Records marked `error=` (discards, bad input) and `noevents` expect no event at all.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from dyad.evaluate import gold_path, prf
from dyad.export.petrarch import NO_ACTOR, actor_codes

DEV = "PETR.UnitTest.records.dev.xml"
ACTOR_DICTIONARIES = (
    "PETR.Validate.actors.txt",
    "PETR.Validate.agents.txt",
    "PETR.Validate.discards.txt",
)
DICTIONARIES = (*ACTOR_DICTIONARIES, "PETR.Validate.verbs.txt")
# PETRARCH's defaults (PETRglobals.py): internal and terminal clauses of 2 to 8 words go.
COMMA_DEFAULTS = {"min": 2, "max": 8, "bmin": 0, "bmax": 0, "emin": 2, "emax": 8}

Triple = tuple[str, str, str]


def dictionaries(shared: Path, names: tuple[str, ...] = DICTIONARIES) -> list[Path]:
    folder = gold_path(shared, "eval", "petrarch-unit", "dictionaries")
    return [gold_path(folder, name) for name in names]


def text_for(record: dict) -> str:
    """The sentence as PETRARCH codes it under the record's comma options."""
    config = record["config"]
    limits = {k: int(config.get(f"comma_{k}", v)) for k, v in COMMA_DEFAULTS.items()}
    text = record["text"]
    end = len(text.rstrip().rstrip(".!?"))
    parts = text[:end].split(",")
    if len(parts) < 2:
        return text

    def listed(i: int) -> bool:
        # "with Mordor, Rohan, Fornost and Bree": commas of a list delimit no clause, and
        # PETRARCH, cutting on its parse tree, leaves a list whole
        words = [w.lower() for w in parts[i].split()]
        after = parts[i + 1].split()[:1] if i + 1 < len(parts) else []
        return bool({"and", "or"} & set(words)) or [w.lower() for w in after] in (["and"], ["or"])

    def cut(i: int, low: int, high: int) -> bool:
        return high > 0 and low <= len(parts[i].split()) <= high and not listed(i)

    keep = [True] * len(parts)
    for i in range(1, len(parts) - 1):
        # a clause is what lies between a pair of commas: the words after a cut one are not
        keep[i] = not keep[i - 1] or not cut(i, limits["min"], limits["max"])
    keep[0] = not cut(0, limits["bmin"], limits["bmax"])
    keep[-1] = not cut(len(parts) - 1, limits["emin"], limits["emax"])
    if not any(keep):
        return text
    out = ""
    for i, (part, k) in enumerate(zip(parts, keep, strict=True)):
        if k:  # a comma stays only between two neighbours that both stay
            out += ("," if out and keep[i - 1] else "") + part
    return " ".join(out.split()) + text[end:]


def honour(record: dict, events: list[dict]) -> list[dict]:
    """The events PETRARCH would write under the record's require_dyad option."""
    if record["config"].get("require_dyad", "true").lower() == "false":
        return events
    # an implied actor is none to PETRARCH (export.petrarch.actor_codes)
    return [e for e in events if NO_ACTOR not in actor_codes(e)]


def read(shared: Path, name: str = DEV) -> list[dict]:
    """Records in file order, each with the `<Config>` options in force at that point."""
    root = ET.parse(gold_path(shared, "eval", "petrarch-unit", name)).getroot()
    config: dict[str, str] = {}
    records = []
    for element in root.iter():
        if element.tag == "Config" and element.get("option"):
            config[element.get("option")] = element.get("value", "")
        elif element.tag == "Sentence":
            codings = element.findall("EventCoding")
            expected = [
                (c.get("sourcecode"), c.get("targetcode"), c.get("eventcode"))
                for c in codings
                if c.get("eventcode")
            ]
            records.append(
                {
                    "id": element.get("id"),
                    "category": element.get("category", ""),
                    "date": dt.datetime.strptime(element.get("date"), "%Y%m%d").date(),
                    "text": re.sub(r"\s+", " ", element.findtext("Text", "")).strip(),
                    "expected": expected,
                    "noevents": any(c.get("noevents", "").lower() == "true" for c in codings),
                    "error": next((c.get("error") for c in codings if c.get("error")), None),
                    "config": dict(config),
                }
            )
    return records


def triples(events: list[dict]) -> list[Triple]:
    """(source, target, code) of each event; a missing actor is '---' as in PETRARCH."""
    return [(*actor_codes(event), event["cameo"]) for event in events]


def _cameo_check() -> Callable[[str], bool]:
    from dyad.events.ontology import is_code

    return is_code


def score(
    records: list[dict],
    predictions: list[list[dict]],
    is_code: Callable[[str], bool] | None = None,
) -> dict:
    """Micro P/R/F1 over triples (exact multisets per record) and the share of records
    fully right, overall, by category and for records whose codes are all real CAMEO."""
    is_code = is_code or _cameo_check()
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # tp, pred, gold, ok, n
    pairs = [0, 0, 0]  # the (source, target) dyads alone: actor coding without the verbs
    for record, events in zip(records, predictions, strict=True):
        gold = Counter(record["expected"])
        predicted = Counter(triples(events))
        gold_pairs = Counter((s, t) for s, t, _ in gold.elements())
        predicted_pairs = Counter((s, t) for s, t, _ in predicted.elements())
        pairs[0] += sum((gold_pairs & predicted_pairs).values())
        pairs[1] += sum(predicted_pairs.values())
        pairs[2] += sum(gold_pairs.values())
        tally = (
            sum((gold & predicted).values()),
            sum(predicted.values()),
            sum(gold.values()),
            int(gold == predicted),
            1,
        )
        keys = ["all", f"category:{record['category']}"]
        if all(is_code(code) for _, _, code in record["expected"]):
            keys.append("cameo")
        for key in keys:
            groups[key] = [a + b for a, b in zip(groups[key], tally, strict=True)]

    def summary(tp: int, n_pred: int, n_gold: int, ok: int, n: int) -> dict:
        p, r, f = prf(tp, n_pred, n_gold)
        return {
            "records": n,
            "precision": p,
            "recall": r,
            "f1": f,
            "accuracy": ok / n if n else 0.0,
        }

    overall = summary(*groups["all"])
    p, r, f = prf(*pairs)
    return {
        **overall,
        "dyads": {"precision": p, "recall": r, "f1": f},
        "cameo_only": summary(*groups["cameo"]),
        "by_category": {
            key.split(":", 1)[1]: summary(*value)
            for key, value in sorted(groups.items())
            if key.startswith("category:")
        },
    }
