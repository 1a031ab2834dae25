import csv
import datetime as dt
import io
import json

import pyarrow.dataset as ds
import pytest
from test_store import moscow_doc, un_doc

from dyad.errors import DyadError
from dyad.export import gdelt, write_events
from dyad.export.formats import COLUMN_NAMES, flatten, unflatten
from dyad.export.gdelt import columns, fips, global_event_id, split_actor_code
from dyad.model import Document, Location
from dyad.store import Store

# The GDELT 2.0 event table as published (Event Codebook V2.0, 2/19/2015).
GDELT_COLUMNS = (
    "GlobalEventID Day MonthYear Year FractionDate "
    + " ".join(
        f"Actor{n}{f}"
        for n in (1, 2)
        for f in (
            "Code Name CountryCode KnownGroupCode EthnicCode Religion1Code Religion2Code "
            "Type1Code Type2Code Type3Code"
        ).split()
    )
    + " IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions"
    " NumSources NumArticles AvgTone "
    + " ".join(
        f"{g}_{f}"
        for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
        for f in "Type FullName CountryCode ADM1Code ADM2Code Lat Long FeatureID".split()
    )
    + " DATEADDED SOURCEURL"
).split()
ADDED = dt.datetime(2024, 5, 6, 7, 8, 9)


@pytest.fixture
def events():
    return moscow_doc()[2] + un_doc()[2]


def test_gdelt_columns_file_is_the_published_order():
    assert len(GDELT_COLUMNS) == 61
    assert columns() == GDELT_COLUMNS


def test_flatten_round_trips(events):
    for e in events:
        assert list(flatten(e)) == COLUMN_NAMES
        assert unflatten(flatten(e)) == e


@pytest.mark.parametrize(
    ("code", "country", "group", "religions", "types"),
    [
        ("VENGOV", "VEN", "", [], ["GOV"]),
        ("RUS", "RUS", "", [], []),
        ("IGOUNO", "", "UNO", [], ["IGO"]),
        ("IGOUNOREFHCR", "", "UNO", [], ["IGO", "REF", "HCR"]),
        ("MNCUSA", "USA", "", [], ["MNC"]),
        ("NGOHRIAMN", "", "AMN", [], ["NGO", "HRI"]),
        ("REBMUS", "", "", ["MUS"], ["REB"]),
        ("MUSGOV", "MUS", "", [], ["GOV"]),  # first block: Mauritius, not Muslim
        ("CHNHKGGOV", "CHN", "", [], ["GOV"]),
        ("WST", "WST", "", [], []),
    ],
)
def test_split_actor_code(code, country, group, religions, types):
    assert split_actor_code(code) == {
        "country": country,
        "group": group,
        "religions": religions,
        "types": types,
    }


def test_fips_and_global_event_id():
    assert [fips(c) for c in ("RU", "DE", "GB", "US", "ru", "", None)] == [
        "RS", "GM", "UK", "US", "RS", "", "",
    ]  # fmt: skip
    assert global_event_id("abc") == global_event_id("abc") != global_event_id("abd")
    assert 0 < global_event_id("abc") < 2**60


def test_gdelt_rows_read_back(events, tmp_path):
    out = tmp_path / "events.tsv"
    n = write_events(events, "gdelt", out, doc_urls={"doc-a": "https://example.org/a"}, added=ADDED)
    assert n == 4
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(
            csv.DictReader(f, fieldnames=GDELT_COLUMNS, delimiter="\t", quoting=csv.QUOTE_NONE)
        )
    assert all(None not in r and len(r) == 61 for r in rows)  # no extra or missing fields
    condemn, visit, appeal, fight = rows

    assert visit["GlobalEventID"] == str(global_event_id(events[1]["event_id"]))
    assert (visit["Day"], visit["MonthYear"], visit["Year"], visit["FractionDate"]) == (
        "20190303", "201903", "2019", "2019.1726",
    )  # fmt: skip
    assert (visit["Actor1Code"], visit["Actor1Name"], visit["Actor1CountryCode"]) == (
        "VENGOV", "DELCY RODRIGUEZ", "VEN",
    )  # fmt: skip
    assert visit["Actor1Type1Code"] == "GOV" and visit["Actor2CountryCode"] == "RUS"
    assert (visit["EventCode"], visit["EventBaseCode"], visit["EventRootCode"]) == (
        "042", "042", "04",
    )  # fmt: skip
    assert (visit["QuadClass"], visit["GoldsteinScale"], visit["IsRootEvent"]) == ("1", "1.9", "0")
    assert (condemn["QuadClass"], condemn["GoldsteinScale"], condemn["IsRootEvent"]) == (
        "3", "-2.0", "1",
    )  # fmt: skip
    assert (visit["ActionGeo_Type"], visit["ActionGeo_FullName"]) == ("4", "Moscow, Russia")
    assert visit["ActionGeo_CountryCode"] == "RS"  # FIPS, not ISO's RU
    assert visit["ActionGeo_ADM1Code"] == "RS48" and visit["ActionGeo_FeatureID"] == "524901"
    assert (visit["ActionGeo_Lat"], visit["ActionGeo_Long"]) == ("55.752", "37.6178")
    assert visit["Actor1Geo_Type"] == visit["Actor2Geo_Type"] == "0"
    assert condemn["ActionGeo_Type"] == "0" and condemn["ActionGeo_CountryCode"] == ""
    assert visit["DATEADDED"] == "20240506070809"
    assert visit["SOURCEURL"] == "https://example.org/a" and appeal["SOURCEURL"] == ""
    assert (visit["NumMentions"], visit["NumSources"], visit["NumArticles"]) == ("1", "1", "1")

    assert (appeal["Actor1CountryCode"], appeal["Actor1KnownGroupCode"]) == ("", "UNO")
    assert appeal["Actor1Type1Code"] == "IGO" and appeal["Actor2Code"] == ""
    assert (fight["EventCode"], fight["EventRootCode"], fight["QuadClass"]) == ("193", "19", "4")
    assert fight["Day"] == "" and fight["GoldsteinScale"] == "-10.0"


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        (
            Location("Venezuela", "VE", 8.0, -66.0, geonames_id=3625428),
            ["1", "Venezuela", "VE", "", "VE"],
        ),
        (
            Location("Austin", "US", 30.26715, -97.74306, geonames_id=4671654, admin1="TX"),
            ["3", "Austin, Texas, United States", "US", "USTX", "4671654"],
        ),
        (
            Location("Moscow Oblast", "RU", 55.75, 37.5, geonames_id=524925, admin1="47"),
            ["5", "Moscow Oblast, Russia", "RS", "RS47", "RS47"],
        ),
    ],
)
def test_gdelt_geo_types(events, location, expected):
    row = gdelt.row(dict(events[0], location=location.to_dict()))
    fields = dict(zip(GDELT_COLUMNS, row, strict=True))
    keys = ("Type", "FullName", "CountryCode", "ADM1Code", "FeatureID")
    assert [fields[f"ActionGeo_{k}"] for k in keys] == expected


def test_gdelt_field_with_tab_stays_one_column(events):
    events[0]["source"]["name"] = "Foreign\tMinistry\nof Russia"
    buf = io.StringIO()
    write_events(events[:1], "gdelt", buf, added=ADDED)
    fields = buf.getvalue().rstrip("\n").split("\t")
    assert len(fields) == 61 and fields[6] == "FOREIGN MINISTRY OF RUSSIA"


def test_jsonl_is_exactly_to_dict(events, tmp_path):
    out = tmp_path / "events.jsonl"
    assert write_events(events, "jsonl", out) == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == events
    assert lines[0] == json.dumps(events[0], ensure_ascii=False)


def test_plover(events):
    buf = io.StringIO()
    write_events(events, "plover", buf)
    visit = json.loads(buf.getvalue().splitlines()[1])
    assert visit == {
        "id": events[1]["event_id"],
        "date": "2019-03-03",
        "source": [
            {
                "actorText": "Delcy Rodriguez",
                "name": "Delcy Rodriguez",
                "code": "VENGOV",
                "country": "VEN",
                "sector": "GOV",
            }
        ],
        "target": [
            {"actorText": "Moscow", "name": "Moscow", "code": "RUS", "country": "RUS", "sector": ""}
        ],
        "event": "CONSULT",
        "mode": "visit",
        "eventText": "visited",
        "text": "Delcy Rodriguez visited Moscow.",
        "modality": "asserted",
        "provenance": {
            "doc_id": "doc-a",
            "sentence_index": 1,
            "rule": "test-rule",
            "cameo": "042",
            "confidence": 0.8,
        },
    }


def test_stdout(events, capsys):
    write_events(events, "jsonl", "-")
    assert len(capsys.readouterr().out.splitlines()) == 4


def test_parquet_partitions_by_year_and_month(events, tmp_path):
    out = tmp_path / "parquet"
    assert write_events(events, "parquet", out) == 4
    parts = sorted(str(p.relative_to(out).parent) for p in out.rglob("*.parquet"))
    assert parts[:2] == ["year=2019/month=3", "year=2019/month=4"] and len(parts) == 3
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 4
    assert set(COLUMN_NAMES) <= set(table.column_names)
    rows = {r["event_id"]: r for r in table.to_pylist()}
    visit = rows[events[1]["event_id"]]
    assert (visit["year"], visit["month"], visit["location_country"]) == (2019, 3, "RU")
    assert visit["date"] == dt.date(2019, 3, 3) and visit["goldstein"] == 1.9
    assert rows[events[3]["event_id"]]["date"] is None
    # exporting again into the same directory replaces, never duplicates
    write_events(events, "parquet", out)
    assert ds.dataset(out, format="parquet", partitioning="hive").count_rows() == 4


def test_unknown_format_and_parquet_to_stream(events):
    with pytest.raises(DyadError) as err:
        write_events(events, "csv", io.StringIO())
    assert err.value.code == "E303"
    with pytest.raises(DyadError) as err:
        write_events(events, "parquet", "-")
    assert err.value.code == "E402"


def test_export_from_the_store(tmp_path):
    with Store(tmp_path / "dyad.duckdb") as store:
        for doc, sentences, evs in (moscow_doc(), un_doc()):
            store.write_document(doc, sentences, evs)
        buf = io.StringIO()
        n = write_events(store.events(), "gdelt", buf, doc_urls=store.urls(), added=ADDED)
    rows = [line.split("\t") for line in buf.getvalue().splitlines()]
    assert n == 4 and [r[-1] for r in rows] == ["https://example.org/a"] * 2 + ["", ""]
    assert [r[26] for r in rows] == ["042", "111", "020", "193"]  # by date, undated last


# GDELT 2.0 Mentions table (Event Codebook V2.0) and PETRARCH2's event file
# (PETRwriter.write_events, written with a url).
MENTION_COLUMNS = (
    "GlobalEventID EventTimeDate MentionTimeDate MentionType MentionSourceName "
    "MentionIdentifier SentenceID Actor1CharOffset Actor2CharOffset ActionCharOffset InRawText "
    "Confidence MentionDocLen MentionDocTone MentionDocTranslationInfo Extras"
).split()


def read_tsv(text: str, fieldnames: list[str]) -> list[dict]:
    rows = list(
        csv.DictReader(
            io.StringIO(text), fieldnames=fieldnames, delimiter="\t", quoting=csv.QUOTE_NONE
        )
    )
    assert all(None not in r and None not in r.values() for r in rows)  # exact field count
    return rows


def store_with_copy(path):
    store = Store(path)
    for doc, sentences, evs in (moscow_doc(), un_doc()):
        store.write_document(doc, sentences, evs)
    doc = moscow_doc()[0]
    copy = Document(id="doc-a-copy", text="Reprint. " + doc.text, url=None, source="mirror")
    store.write_duplicate(copy, "doc-a")
    return store


def test_mentions_read_back(tmp_path):
    from dyad.export import mentions

    assert len(MENTION_COLUMNS) == 16 and list(mentions.COLUMNS) == MENTION_COLUMNS
    with store_with_copy(tmp_path / "dyad.duckdb") as store:
        events = {e["event_id"]: e for e in store.events()}
        buf = io.StringIO()
        n = write_events(store.events(), "mentions", buf, mentions=store.mentions())
        coded_at = dict(store.con.execute("SELECT id, coded_at FROM documents").fetchall())
    rows = read_tsv(buf.getvalue(), MENTION_COLUMNS)
    assert n == len(rows) == 6  # doc-a's 2 events twice (its own article, the copy), doc-b's 2
    visit_id = next(k for k, e in events.items() if e["cameo"] == "042")
    visit = events[visit_id]
    own, reprint = [r for r in rows if r["GlobalEventID"] == str(global_event_id(visit_id))]
    assert own["MentionType"] == "1" and own["MentionIdentifier"] == "https://example.org/a"
    assert own["MentionSourceName"] == "example.org" and own["SentenceID"] == "2"
    assert own["ActionCharOffset"] == str(visit["verb"]["start"]) and own["InRawText"] == "1"
    assert own["Confidence"] == "80" and own["MentionDocLen"] == str(len(moscow_doc()[0].text))
    assert own["EventTimeDate"] == own["MentionTimeDate"] == f"{coded_at['doc-a']:%Y%m%d%H%M%S}"
    # The copy has no url: a citation (its doc_id), offsets moved by the added "Reprint. ".
    assert (reprint["MentionType"], reprint["MentionIdentifier"]) == ("2", "doc-a-copy")
    assert reprint["MentionSourceName"] == "mirror" and reprint["SentenceID"] == ""
    assert reprint["ActionCharOffset"] == str(visit["verb"]["start"] + len("Reprint. "))
    assert reprint["EventTimeDate"] == own["EventTimeDate"]
    appeal = next(r for r in rows if r["MentionIdentifier"] == "doc-b")
    assert appeal["Actor2CharOffset"] == "-1"  # no target
    assert [r["MentionDocTone"] + r["Extras"] for r in rows] == [""] * 6


def test_mentions_need_mention_records(events):
    with pytest.raises(DyadError) as err:
        write_events(events, "mentions", io.StringIO())
    assert err.value.code == "E142"


def test_gdelt_counts_from_the_store(tmp_path):
    with store_with_copy(tmp_path / "dyad.duckdb") as store:
        buf = io.StringIO()
        write_events(store.events(counts=True), "gdelt", buf, added=ADDED)
    rows = read_tsv(buf.getvalue(), GDELT_COLUMNS)
    counts = [(r["EventCode"], r["NumMentions"], r["NumSources"], r["NumArticles"]) for r in rows]
    assert counts == [("042", "2", "2", "2"), ("111", "2", "2", "2"),
                      ("020", "1", "1", "1"), ("193", "1", "1", "1")]  # fmt: skip


def test_petrarch_read_back(events):
    repeat = dict(events[0], event_id="again", sentence_index=5)  # same dyad and code again
    buf = io.StringIO()
    n = write_events(
        [events[1], events[0], repeat, *events[2:]],
        "petrarch",
        buf,
        doc_urls={"doc-a": "https://example.org/a"},
        doc_sources={"doc-a": "test"},
    )
    fields = "date source target code issues ids url story_source".split()
    rows = read_tsv(buf.getvalue(), fields)
    assert n == len(rows) == 4  # one line per story and (date, source, target, code)
    visit, condemn, appeal, fight = rows
    assert [visit[k] for k in ("date", "source", "target", "code")] == [
        "20190303", "VENGOV", "RUS", "042",
    ]  # fmt: skip
    assert (condemn["ids"], condemn["url"], condemn["story_source"]) == (
        "doc-a_0;doc-a_5", "https://example.org/a", "test",
    )  # fmt: skip
    assert (appeal["target"], appeal["url"], appeal["story_source"]) == ("---", "", "NULL")
    assert fight["date"] == "" and fight["code"] == "193" and condemn["issues"] == ""


def test_petrarch_writes_an_implied_actor_as_unknown(events):
    implied = {"code": "VEN", "name": "Venezuela", "text": "", "start": 0, "end": 0,
               "how": "implied"}  # fmt: skip
    buf = io.StringIO()
    write_events([dict(events[1], target=implied)], "petrarch", buf)
    assert buf.getvalue().split("\t")[1:4] == ["VENGOV", "---", "042"]
    buf = io.StringIO()
    write_events([dict(events[1], source=implied)], "petrarch", buf)
    assert buf.getvalue().split("\t")[1:4] == ["---", "RUS", "042"]
