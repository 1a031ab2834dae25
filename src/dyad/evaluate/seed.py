"""The seed article (../shared/seed): required, optional and forbidden events.

The match rule is the file's own: same source and target country (first 3 letters of the
actor codes), a 2-digit root in `roots`, and the agent block where one is given.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dyad.evaluate import gold_path

EXPECTED = "moscow-times-venezuela.expected.json"


def read(shared: Path) -> tuple[dict, str]:
    """The expected events and the raw article text."""
    folder = gold_path(shared, "seed")
    expected = json.loads(gold_path(folder, EXPECTED).read_text(encoding="utf-8"))
    raw = gold_path(folder, expected["document"]).read_text(encoding="utf-8")
    return expected, raw


def _code(actor: dict | None) -> str:
    return (actor or {}).get("code") or ""


def _has_agent(code: str, agent: str) -> bool:
    # Agent blocks follow the 3-letter country: VENGOVMIL carries GOV and MIL.
    return any(code[i : i + 3] == agent for i in range(3, len(code), 3))


def matches(event: dict, spec: dict) -> bool:
    source, target = _code(event.get("source")), _code(event.get("target"))
    root = event.get("root") or (event.get("cameo") or "")[:2]
    if source[:3] != spec["source"] or target[:3] != spec["target"]:
        return False
    if root not in spec["roots"]:
        return False
    for role, code in (("source", source), ("target", target)):
        agent = spec.get(f"{role}_agent")
        if agent and not _has_agent(code, agent):
            return False
    return True


def _date_ok(events: list[dict], spec: dict) -> bool | None:
    if "date" in spec:
        return any(e.get("date") == spec["date"] for e in events)
    if "date_range" in spec:
        low, high = spec["date_range"]
        return any(e.get("date") and low <= e["date"] <= high for e in events)
    return None


def _location_ok(events: list[dict], spec: dict) -> bool | None:
    if "location" not in spec:
        return None
    country = spec["location"]["country"]
    return any((e.get("location") or {}).get("country") == country for e in events)


def _position(event: dict, raw: str) -> int:
    """Where the event's sentence sits in the raw text (its offset when not found verbatim,
    e.g. after cleaning changed the spacing)."""
    sentence = event.get("sentence") or ""
    found = raw.find(sentence) if sentence else -1
    return found if found >= 0 else event.get("sentence_start", 0)


def score(events: list[dict], expected: dict, raw_text: str) -> dict:
    """Required found, optional found, date and location checks, forbidden events."""
    published = expected.get("publication_date")
    marker = raw_text.find(expected["body_ends_before"]) if "body_ends_before" in expected else -1
    forbidden = []
    if marker >= 0:
        for event in events:
            if _position(event, raw_text) >= marker:
                forbidden.append({"event_id": event.get("event_id"), "why": "from boilerplate"})

    required = []
    used: set[int] = set()
    for spec in expected["required_events"]:
        hits = [e for e in events if matches(e, spec)]
        used |= {id(e) for e in hits}
        row = {
            "id": spec["id"],
            "found": bool(hits),
            "date_ok": _date_ok(hits, spec) if hits else None,
            "location_ok": _location_ok(hits, spec) if hits else None,
        }
        required.append(row)
        for event in hits:
            # An announced event coded as happened, or dated on the publication date while
            # its own date differs, is wrong (the file's "forbidden" list).
            if spec.get("modality") and event.get("modality") != spec["modality"]:
                forbidden.append(
                    {"event_id": event.get("event_id"), "why": f"{spec['id']} modality"}
                )
            if spec.get("date") and spec["date"] != published and event.get("date") == published:
                forbidden.append(
                    {"event_id": event.get("event_id"), "why": f"{spec['id']} publication date"}
                )

    optional = []
    for spec in expected.get("optional_events", []):
        hits = [e for e in events if matches(e, spec)]
        used |= {id(e) for e in hits}
        optional.append({"id": spec["id"], "found": bool(hits)})

    bad = {f["event_id"] for f in forbidden}
    good = sum(1 for e in events if id(e) in used and e.get("event_id") not in bad)
    found = sum(r["found"] for r in required)
    # Precision counts coded events that match an expected one and break no rule; recall
    # counts required events found.
    precision = good / len(events) if events else 0.0
    recall = found / len(required) if required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "records": len(required),
        "events": len(events),
        "required_found": found,
        "optional_found": sum(r["found"] for r in optional),
        "date_ok": sum(r["date_ok"] is True for r in required),
        "date_checked": sum("date" in s or "date_range" in s for s in expected["required_events"]),
        "location_ok": sum(r["location_ok"] is True for r in required),
        "location_checked": sum("location" in s for s in expected["required_events"]),
        "forbidden": forbidden,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "required": required,
        "optional": optional,
    }


def score_actors(expected: dict, mentions: list[dict]) -> list[dict]:
    """Each expected actor is right when the text names it as an actor at least once and
    every such mention has its code ('in Moscow' is a place and no mention at all)."""
    out = []
    for spec in expected.get("actors", []):
        codes = [m["code"] for m in mentions if spec["text"] in (m.get("text") or "")]
        right = bool(codes) and all(c == spec["code"] for c in codes)
        out.append({"text": spec["text"], "code": spec["code"], "found": codes, "right": right})
    return out


def publication_date(expected: dict) -> dt.date | None:
    value = expected.get("publication_date")
    return dt.date.fromisoformat(value) if value else None
