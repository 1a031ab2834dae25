"""Actor knowledge: countries, agent titles, organisations and regions, from `data/*.tsv`.

Each table has one loader, cached, that validates while it reads: a line with the wrong
number of fields, a code of the wrong shape, an empty list item or a form that already
stands for another code in the same table raises `DyadError("E201", where="file:line")`.
Lists inside a field are `|`-separated.

How the resolver must match the forms:

- Case: a form of two or three capital letters ("US", "UK", "UAE", "ROK", "WHO", "ICC") is
  matched case-sensitively, every other form case-insensitively (`case_sensitive`, `key`).
  Dotted forms ("U.S.", "U.K.") are case-insensitive: "u.s." is not an English word.
- Whole forms, longest first: "South Sudanese" before "Sudanese", "Kosovo Albanian" before
  "Albanian", "Central African Republic" before "Central African", "think tank" before "tank".
- Ambiguous words stay in the tables and need care (context, capitalisation in running text,
  part of speech): country names that are also English words or other places ("Georgia",
  "Jordan", "Chad", "Niger", "Guinea", "Turkey", "China", "Jersey", "Dominica"), demonyms
  that are also words ("Polish"), capitals shared with other cities ("Washington",
  "Santiago", "San Jose", "Kingston", "Tripoli"), and agent nouns that are also adjectives
  or common words ("general", "party", "court", "public", "people").
- A form stands for one code per table, so shared forms go to the country news usually
  means: "Congo" and "Congolese" to DR Congo (COD; the Republic of the Congo keeps its long
  names), "Dominican" to the Dominican Republic (Dominica has no demonym here), "Belgrade" to
  Serbia (not Serbia and Montenegro), "Korean" to neither Korea. Capitals that are common
  words or other places are left out ("Male", "Victoria", "Douglas", "Hamilton").
- Agent forms are lower-case nouns, singular and plural listed; "capitals" hold the capital
  and the seats of power that stand for the state ("the Kremlin", "Downing Street").
- `peoples.tsv` lists peoples living almost all in one state ("Yoruba", "Chechens"); they
  join that state's demonyms. A people spread over several states (Kurds, Tamils, Basques)
  is left out: its state is the story's, not the name's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from dyad.errors import DyadError

DATA = files("dyad.actors") / "data"

ISO3 = re.compile(r"[A-Z]{3}")
ISO2 = re.compile(r"[A-Z]{2}")
FIPS = re.compile(r"(?:[A-Z]{2})?")
AGENT = re.compile(r"(?:[A-Z]{3}){1,3}")
ORG = re.compile(r"(?:[A-Z]{3}){2,5}")
ACRONYM = re.compile(r"[A-Z]{2,3}")
NAME = re.compile(r"\S.*")


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    fips: str  # FIPS 10-4, used by GDELT's geography columns; "" where none exists
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]  # capital cities and seats of power


@dataclass(frozen=True)
class AgentTerm:
    form: str
    agent: str  # CAMEO role code(s): GOV, MIL, GOVMIL ...


@dataclass(frozen=True)
class Organization:
    code: str
    names: tuple[str, ...]
    kind: str  # IGO, NGO, REB, UAF, PTY, IMG ...


@dataclass(frozen=True)
class Region:
    code: str
    forms: tuple[str, ...]


def case_sensitive(form: str) -> bool:
    """True for acronyms of two or three capitals, which must match exactly ("US", "UK")."""
    return ACRONYM.fullmatch(form) is not None


def key(form: str) -> str:
    """The lookup key of a form: itself if case-sensitive, else case-folded."""
    return form if case_sensitive(form) else form.casefold()


def _rows(path: Path, columns: tuple[str, ...]):
    """Yield (where, fields) for each data line, checking the header and field count."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or tuple(lines[0].split("\t")) != columns:
        raise DyadError("E201", f"{path.name}:1", detail=f"header must be {'|'.join(columns)}")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        fields = line.split("\t")
        if len(fields) != len(columns):
            raise DyadError("E201", where, detail=f"{len(fields)} fields, expected {len(columns)}")
        yield where, fields


def _split(field: str, where: str) -> tuple[str, ...]:
    if not field:
        return ()
    items = tuple(item.strip() for item in field.split("|"))
    if not all(items):
        raise DyadError("E201", where, detail=f"empty item in '{field}'")
    return items


def _check(value: str, pattern: re.Pattern, what: str, where: str) -> str:
    if not pattern.fullmatch(value):
        raise DyadError("E201", where, detail=f"bad {what} '{value}'")
    return value


def _claim(seen: dict, form: str, code: str, where: str) -> None:
    """Record that form stands for code; a form already standing for another code is an error."""
    k = key(form)
    if k in seen and seen[k][0] != code:
        other, at = seen[k]
        raise DyadError("E201", where, detail=f"'{form}' is {other} at {at} and {code} here")
    seen.setdefault(k, (code, where))


def parse_peoples(path: Path) -> dict[str, tuple[str, ...]]:
    """iso3 -> names of the peoples living (almost all) in that state: 'Yoruba leaders'
    are Nigerian leaders to a reader, as a demonym would say."""
    out: dict[str, tuple[str, ...]] = {}
    for where, (forms, iso3, _note) in _rows(path, ("forms", "iso3", "note")):
        _check(iso3, ISO3, "ISO alpha-3 code", where)
        out[iso3] = out.get(iso3, ()) + _split(forms, where)
    return out


def parse_countries(
    path: Path, peoples: dict[str, tuple[str, ...]] | None = None
) -> tuple[Country, ...]:
    """Countries, each people of `peoples` (parse_peoples) counted among the demonyms."""
    columns = ("iso3", "iso2", "fips", "name", "aliases", "demonyms", "capitals")
    out, seen = [], {}
    for where, (iso3, iso2, fips, name, aliases, demonyms, capitals) in _rows(path, columns):
        country = Country(
            _check(iso3, ISO3, "ISO alpha-3 code", where),
            _check(iso2, ISO2, "ISO alpha-2 code", where),
            _check(fips, FIPS, "FIPS code", where),
            _check(name, NAME, "name", where),
            _split(aliases, where),
            _split(demonyms, where) + (peoples or {}).get(iso3, ()),
            _split(capitals, where),
        )
        # The codes themselves must be unique too: they are keys for other stages.
        for code in (f"iso3:{iso3}", f"iso2:{iso2}"):
            _claim(seen, code, iso3, where)
        forms = (country.name, *country.aliases, *country.demonyms, *country.capitals)
        for form in forms:
            _claim(seen, form, iso3, where)
        out.append(country)
    return tuple(out)


def parse_agents(path: Path) -> tuple[AgentTerm, ...]:
    out, seen = [], {}
    for where, (forms, agent, _note) in _rows(path, ("forms", "agent", "note")):
        _check(agent, AGENT, "agent code", where)
        for form in _split(forms, where):
            if form != form.lower():
                raise DyadError("E201", where, detail=f"agent form '{form}' is not lower case")
            if key(form) in seen and seen[key(form)][0] == agent:
                continue
            _claim(seen, form, agent, where)
            out.append(AgentTerm(form, agent))
    return tuple(out)


def parse_organizations(path: Path) -> tuple[Organization, ...]:
    out, seen = [], {}
    for where, (code, names, kind, _note) in _rows(path, ("code", "names", "kind", "note")):
        _check(code, ORG, "organisation code", where)
        _check(kind, ISO3, "kind", where)
        organization = Organization(code, _split(names, where), kind)
        if not organization.names:
            raise DyadError("E201", where, detail=f"{code} has no names")
        _claim(seen, f"code:{code}", code, where)
        for name in organization.names:
            _claim(seen, name, code, where)
        out.append(organization)
    return tuple(out)


def parse_regions(path: Path) -> tuple[Region, ...]:
    out, seen = [], {}
    for where, (code, forms, _note) in _rows(path, ("code", "forms", "note")):
        region = Region(_check(code, ISO3, "region code", where), _split(forms, where))
        _claim(seen, f"code:{code}", code, where)
        for form in region.forms:
            _claim(seen, form, code, where)
        out.append(region)
    return tuple(out)


@cache
def countries() -> tuple[Country, ...]:
    return parse_countries(DATA / "countries.tsv", parse_peoples(DATA / "peoples.tsv"))


@cache
def _by_iso3() -> dict[str, Country]:
    return {c.iso3: c for c in countries()}


@cache
def _by_iso2() -> dict[str, Country]:
    return {c.iso2: c for c in countries()}


def country(iso3: str) -> Country | None:
    return _by_iso3().get(iso3)


def iso3_to_iso2(iso3: str) -> str | None:
    found = _by_iso3().get(iso3)
    return found.iso2 if found else None


def iso2_to_iso3(iso2: str) -> str | None:
    found = _by_iso2().get(iso2)
    return found.iso3 if found else None


def iso3_to_fips(iso3: str) -> str | None:
    """The FIPS 10-4 code GDELT uses for a country (Russia RS), or None if it has none."""
    found = _by_iso3().get(iso3)
    return (found.fips or None) if found else None


@cache
def country_index() -> dict[str, tuple[str, str]]:
    """key(form) -> (iso3, field) for every name, alias, demonym and capital."""
    index = {}
    for c in countries():
        for field, forms in (
            ("name", (c.name,)),
            ("alias", c.aliases),
            ("demonym", c.demonyms),
            ("capital", c.capitals),
        ):
            for form in forms:
                index.setdefault(key(form), (c.iso3, field))
    return index


@cache
def agents() -> tuple[AgentTerm, ...]:
    return parse_agents(DATA / "agents.tsv")


@cache
def organizations() -> tuple[Organization, ...]:
    return parse_organizations(DATA / "organizations.tsv")


@cache
def not_person_words() -> dict[str, frozenset[str]]:
    """'heads' that make a name an organisation's, 'titles' that are no part of a name."""
    sections: dict[str, set[str]] = {}
    section = None
    for line in _word_lines("not_person_words.txt"):
        if line.startswith("[") and line.endswith("]"):
            section = sections.setdefault(line[1:-1], set())
        elif section is None:
            raise DyadError("E201", "not_person_words.txt", detail=f"'{line}' before a [section]")
        else:
            section.add(line)
    return {name: frozenset(words) for name, words in sections.items()}


@cache
def act_nouns() -> frozenset[str]:
    """Lemmas of nouns that stand for their actor's act: 'an Indian proposal'."""
    return frozenset(_word_lines("act_nouns.txt"))


@cache
def group_nouns() -> frozenset[str]:
    """Lemmas of nouns that take their agent from a modifier: 'opposition groups'."""
    return frozenset(_word_lines("group_nouns.txt"))


@cache
def speaker_titles() -> frozenset[str]:
    """Agent forms that yield to any other agent of their phrase: 'rebel spokesman'."""
    return frozenset(_word_lines("speaker_titles.txt"))


def _word_lines(name: str) -> list[str]:
    """The lower-cased lines of a word list in data/, without blanks and # comments."""
    text = (DATA / name).read_text(encoding="utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@cache
def regions() -> tuple[Region, ...]:
    found = parse_regions(DATA / "regions.tsv")
    # A region code that is also a country code would make actor codes ambiguous.
    for region in found:
        if country(region.code):
            raise DyadError("E201", "regions.tsv", detail=f"{region.code} is a country code")
    return found
