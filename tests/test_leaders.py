import datetime as dt

import pytest

from dyad.actors import leaders
from dyad.actors.leaders import lookup, lookup_surname
from dyad.errors import DyadError

D = dt.date
HEADER = "name\taliases\tcode\trole\tstart\tend\tnote\n"
# G20 members, the EU and the UN Security Council's members of 2015-2026.
REQUIRED = (
    "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA "
    "CHL TCD JOR LTU NGA AGO MYS NZL ESP VEN EGY SEN UKR URY BOL ETH KAZ SWE NLD CIV GNQ KWT "
    "PER POL BEL DOM EST NER VCT TUN VNM IRL KEN NOR ALB GAB GHA ARE ECU MLT MOZ CHE DZA GUY "
    "SLE SVN DNK GRC PAK PAN SOM BHR COL COD LVA LBR"
).split()

# The elected members of the UN Security Council of 1990-2014 not listed above.
REQUIRED_1990_2014 = (
    "CUB FIN ROU YEM ZWE AUT MAR HUN CPV DJI CZE RWA BWA HND OMN GNB CRI PRT GMB NAM BGD JAM "
    "MLI MUS SGP BGR CMR GIN SYR BEN PHL TZA COG QAT SVK BFA HRV LBY UGA BIH LBN AZE GTM TGO LUX"
).split()


def table(tmp_path, *rows: str):
    path = tmp_path / "leaders.tsv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_table_loads_and_covers_every_required_state():
    rows = leaders.leaders()
    assert len(rows) > 1500
    heads = {r.code for r in rows if r.role in ("head_of_state", "head_of_government")}
    for iso3 in REQUIRED:
        assert iso3 + "GOV" in heads, iso3
    assert {r.role for r in rows if r.code == "IGOEUREEC"} == {
        "head_of_state", "head_of_government", "foreign_minister",
    }  # fmt: skip


def test_the_council_members_of_1990_2014_have_a_head_in_office_from_1993():
    rows = leaders.leaders()
    for iso3 in REQUIRED_1990_2014:
        heads = [r for r in rows if r.code == iso3 + "GOV" and r.role != "foreign_minister"]
        for year in (1993, 2000, 2010, 2020):
            assert any(r.holds(D(year, 7, 1)) for r in heads), (iso3, year)


@pytest.mark.parametrize("day", [D(2015, 6, 1), D(2020, 6, 1), D(2024, 6, 1)])
def test_every_p5_state_has_a_foreign_minister_in_office(day):
    rows = leaders.leaders()
    for iso3 in ("CHN", "FRA", "GBR", "RUS", "USA"):
        found = [r for r in rows if r.code == iso3 + "GOV" and r.role == "foreign_minister"]
        assert sum(r.holds(day) for r in found) == 1, (iso3, day)


def test_seed_people_by_full_name_and_alias():
    lavrov = lookup("Sergei Lavrov", D(2019, 2, 26))
    assert (lavrov.code, lavrov.role) == ("RUSGOV", "foreign_minister")
    assert lookup("sergey lavrov", D(2019, 2, 26)) == lavrov
    assert lookup("Nicolas Maduro", D(2019, 2, 26)).role == "head_of_state"
    delcy = lookup("Delcy Rodríguez", D(2019, 2, 26))
    assert (delcy.code, delcy.role) == ("VENGOV", "vice_president")


def test_accents_and_case_do_not_matter():
    assert lookup("Recep Tayyip Erdoğan", D(2020, 1, 1)).code == "TURGOV"
    assert lookup("RECEP TAYYIP ERDOGAN", D(2020, 1, 1)).code == "TURGOV"
    assert lookup_surname("Erdoğan", D(2020, 1, 1)).code == "TURGOV"


def test_the_date_chooses_the_term():
    medvedev = "Dmitry Medvedev"
    assert lookup(medvedev, D(2010, 1, 1)).role == "head_of_state"
    assert lookup(medvedev, D(2015, 1, 1)).role == "head_of_government"
    assert lookup(medvedev, D(2021, 1, 1)) is None  # out of these offices


def test_a_person_whose_code_changes_resolves_by_date():
    # Donald Tusk: Poland's prime minister, the European Council's president, then Poland's again.
    assert lookup("Donald Tusk", D(2012, 1, 1)).code == "POLGOV"
    assert lookup("Donald Tusk", D(2016, 1, 1)).code == "IGOEUREEC"
    assert lookup("Donald Tusk", D(2021, 1, 1)) is None
    assert lookup("Donald Tusk", D(2024, 6, 1)).code == "POLGOV"
    assert lookup("Josep Borrell", D(2019, 1, 1)).code == "ESPGOV"
    assert lookup("Josep Borrell", D(2021, 1, 1)).code == "IGOEUREEC"


def test_a_name_shared_by_two_people_needs_a_date():
    assert lookup("George Bush", D(1991, 1, 1)).name == "George H. W. Bush"
    assert lookup("George Bush", D(2003, 1, 1)).name == "George W. Bush"
    # Without a date, one person's latest term; two people who held the same office
    # still give its code; two in different offices give nothing.
    assert lookup("Donald Tusk", None).start == D(2023, 12, 13)
    assert lookup("George Bush", None).code == "USAGOV"
    assert lookup_surname("Harris", None) is None  # Kamala (USA) and Simon (Ireland)
    assert lookup_surname("Harris", D(2022, 1, 1)).code == "USAGOV"


def test_surnames_answer_only_when_unambiguous():
    assert lookup_surname("Lavrov", D(2019, 1, 1)).code == "RUSGOV"
    assert lookup_surname("Xi", D(2020, 1, 1)).name == "Xi Jinping"
    assert lookup_surname("Jinping", D(2020, 1, 1)) is None  # family name first
    assert lookup_surname("May", D(2017, 1, 1)).name == "Theresa May"
    assert lookup_surname("may", D(2017, 1, 1)) is None  # a word, not a surname
    assert lookup_surname("Kaczynski", D(2007, 1, 1)) is None  # Lech and Jaroslaw
    assert lookup_surname("Kaczynski", D(2009, 1, 1)).name == "Lech Kaczynski"
    assert lookup_surname("Salman", D(2023, 1, 1)).name.startswith("Salman bin Abdulaziz")
    assert lookup_surname("Charles", D(2023, 1, 1)) is None  # a king has no surname
    assert lookup_surname("Lavrov", None).code == "RUSGOV"  # undated: today's holders


def test_a_table_file_of_ones_own(tmp_path):
    path = table(
        tmp_path,
        "Ana Example\tAna Ejemplo\tXXXGOV\tforeign_minister\t2001-01-01\t2004-12-31\t",
        "Ana Example\tAna Ejemplo\tIGOEXAEXA\thead_of_state\t2005-01-01\t\tleft for an IGO",
    )
    assert lookup("Ana Ejemplo", D(2003, 1, 1), path).code == "XXXGOV"
    assert lookup("Ana Example", D(2010, 1, 1), path).code == "IGOEXAEXA"
    assert lookup_surname("Example", D(2010, 1, 1), path).role == "head_of_state"
    assert lookup("Ana Example", D(2000, 1, 1), path) is None


@pytest.mark.parametrize(
    "row, message",
    [
        ("A B\t\tRUSGOV\thead_of_state\t2001-02-30\t\t", "bad date"),
        ("A B\t\tRUSGOV\thead_of_state\t2001-2-3\t\t", "bad date"),
        ("A B\t\tRUSGOV\thead_of_state\t2005-01-01\t2004-01-01\t", "before"),
        ("A B\t\tRUSMIL\thead_of_state\t2005-01-01\t\t", "bad leader code"),
        ("A B\t\tRUSGOV\tking\t2005-01-01\t\t", "unknown role"),
        ("A B\t\tRUSGOV\thead_of_state\t2005-01-01\t", "fields"),
        ("A B\tC||D\tRUSGOV\thead_of_state\t2005-01-01\t\t", "empty item"),
    ],
)
def test_bad_rows_are_refused_with_their_line(tmp_path, row, message):
    with pytest.raises(DyadError) as err:
        leaders.parse_leaders(table(tmp_path, row))
    assert err.value.code == "E201"
    assert err.value.where == "leaders.tsv:2"
    assert message in str(err.value)


def test_overlapping_terms_of_one_person_and_code_are_refused(tmp_path):
    path = table(
        tmp_path,
        "A B\t\tRUSGOV\thead_of_government\t2001-01-01\t2005-01-01\t",
        "A B\t\tRUSGOV\thead_of_state\t2005-01-01\t\t",
    )
    with pytest.raises(DyadError, match="overlaps the term at leaders.tsv:2"):
        leaders.parse_leaders(path)
    # The same dates under another code are two offices, not a duplicate.
    path.write_text(
        HEADER
        + "A B\t\tRUSGOV\thead_of_government\t2001-01-01\t2005-01-01\t\n"
        + "A B\t\tIGOEUREEC\thead_of_state\t2005-01-01\t\t\n",
        encoding="utf-8",
    )
    assert len(leaders.parse_leaders(path)) == 2


def test_council_members_of_1990_2014_by_name_and_date():
    assert lookup("Fidel Castro Ruz", D(1995, 1, 1)).code == "CUBGOV"
    assert lookup("Fidel Castro", D(2010, 1, 1)) is None  # his brother held the office
    assert lookup_surname("Castro", D(2000, 1, 1)) is None  # Fidel and Raul
    assert lookup_surname("Castro", D(2012, 6, 1)).name == "Raul Castro"
    stubb = "Alexander Stubb"
    assert lookup(stubb, D(2010, 1, 1)).role == "foreign_minister"
    assert lookup(stubb, D(2015, 1, 1)).role == "head_of_government"
    assert lookup(stubb, D(2020, 1, 1)) is None
    assert (lookup(stubb, D(2025, 1, 1)).code, lookup(stubb, D(2025, 1, 1)).role) == (
        "FINGOV", "head_of_state",
    )  # fmt: skip


def test_a_luxembourg_premier_moves_to_the_commission():
    assert lookup("Jean-Claude Juncker", D(2000, 1, 1)).code == "LUXGOV"
    assert lookup("Jean-Claude Juncker", D(2016, 1, 1)).code == "IGOEUREEC"
    assert lookup("Gloria Arroyo", D(2005, 1, 1)).code == "PHLGOV"
    assert lookup("Gloria Arroyo", D(2000, 1, 1)).role == "vice_president"
    assert lookup("Gloria Arroyo", D(2011, 1, 1)) is None


def test_netanyahu_by_term_and_khamenei_across_the_period():
    bibi = "Benjamin Netanyahu"
    assert lookup(bibi, D(2010, 1, 1)).code == "ISRGOV"
    assert lookup(bibi, D(2023, 1, 1)).role == "head_of_government"
    assert lookup(bibi, D(2022, 1, 1)) is None  # Bennett and Lapid
    assert lookup("Bennett", D(2022, 1, 1)) is None  # not an alias
    assert lookup_surname("Bennett", D(2022, 1, 1)).name == "Naftali Bennett"
    for year in (1990, 2000, 2010, 2020, 2025):
        assert lookup("Ali Khamenei", D(year, 1, 1)).role == "head_of_state", year
    assert lookup_surname("Khamenei", D(2005, 1, 1)).code == "IRNGOV"
    assert lookup("Hassan Rouhani", D(2015, 1, 1)).role == "head_of_government"


def test_milosevic_moves_from_serbia_to_yugoslavia_and_kim_jong_un_is_kim():
    assert lookup("Slobodan Milosevic", D(1995, 1, 1)).code == "SRBGOV"
    assert lookup("Slobodan Milošević", D(1999, 1, 1)).code == "SCGGOV"
    assert lookup("Slobodan Milosevic", D(2001, 1, 1)) is None
    assert lookup("Kim Jong-un", D(2018, 6, 12)).code == "PRKGOV"
    assert lookup_surname("Un", D(2018, 6, 12)) is None  # family name first
    assert lookup("Ashraf Ghani", D(2022, 1, 1)) is None  # fled 2021-08-15
    assert lookup("Hibatullah Akhundzada", D(2022, 1, 1)).code == "AFGGOV"
