"""The command line end to end: real files in, a real store and real output files out."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from dyad.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seed(shared):
    return shared / "seed" / "moscow-times-venezuela.txt"


def test_code_writes_jsonl_and_the_store(tmp_path, seed):
    out, db = tmp_path / "events.jsonl", tmp_path / "dyad.duckdb"
    result = runner.invoke(
        app, ["code", str(seed), "--date", "2019-02-26", "--out", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) >= 6
    assert {r["doc_id"] for r in records} == {"moscow-times-venezuela.txt"}
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == len(records)
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_python_api_gives_the_same_record_as_the_cli(tmp_path, seed, pipeline):
    out = tmp_path / "events.jsonl"
    db = tmp_path / "d.duckdb"
    runner.invoke(
        app, ["code", str(seed), "--date", "2019-02-26", "--out", str(out), "--db", str(db)]
    )
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    api = [e.to_dict() for e in pipeline.code_text(seed.read_text(), "2019-02-26", id=seed.name)]
    assert sorted(lines, key=lambda r: r["event_id"]) == sorted(api, key=lambda r: r["event_id"])


def test_coding_twice_changes_nothing(tmp_path, seed):
    db = tmp_path / "dyad.duckdb"
    args = ["code", str(seed), "--date", "2019-02-26", "--db", str(db)]
    first = runner.invoke(app, [*args, "--out", str(tmp_path / "a.jsonl")])
    second = runner.invoke(app, [*args, "--out", str(tmp_path / "b.jsonl")])
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a.jsonl").read_text().count("\n") == (
        tmp_path / "b.jsonl"
    ).read_text().count("\n")
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
        ids = con.execute("SELECT count(DISTINCT event_id), count(*) FROM events").fetchone()
        assert ids[0] == ids[1]


@pytest.mark.parametrize("fmt", ["gdelt", "plover"])
def test_other_formats(tmp_path, seed, fmt):
    out = tmp_path / f"events.{fmt}"
    args = ["code", str(seed), "--date", "2019-02-26", "--db", str(tmp_path / "d.duckdb")]
    result = runner.invoke(app, [*args, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert len(lines) >= 6
    if fmt == "gdelt":
        assert all(len(line.split("\t")) == 61 for line in lines)
    else:
        assert all(json.loads(line)["event"] for line in lines)


def test_bad_inputs_are_named_counted_and_the_run_goes_on(tmp_path, seed):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in Moscow".encode("latin-1"))
    (tmp_path / "notes.docx").write_text("not a format dyad reads")
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "text": "Russia backed Venezuela."}\n{oops\n')
    paths = [str(tmp_path / n) for n in ("empty.txt", "binary.txt", "latin1.txt", "notes.docx")]
    result = runner.invoke(
        app,
        ["code", *paths, str(tmp_path / "bad.jsonl"), str(seed), "--date", "2019-02-26",
         "--db", str(tmp_path / "d.duckdb"), "--out", str(tmp_path / "o.jsonl")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    for name, reason in [
        ("empty.txt", "E102"),
        ("binary.txt", "E103"),
        ("latin1.txt", "E104"),
        ("notes.docx", "E105"),
        ("bad.jsonl:2", "E106"),
    ]:
        assert name in out and reason in out, (name, reason, out)
    with duckdb.connect(str(tmp_path / "d.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM errors").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_exit_status_is_non_zero_only_when_nothing_was_coded(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["code", str(tmp_path / "empty.txt"), "--db",
                                 str(tmp_path / "d.duckdb")])  # fmt: skip
    assert result.exit_code == 1
    assert "E102" in result.output


def test_sentences_mode_keeps_each_text_whole(tmp_path):
    src = tmp_path / "s.jsonl"
    src.write_text(
        json.dumps({"id": "s1", "text": "Russia accused Ukraine. Ukraine denied it.", "date":
                    "2020-01-01"}) + "\n"
    )  # fmt: skip
    out = tmp_path / "o.jsonl"
    result = runner.invoke(
        app, ["code", str(src), "--sentences", "--out", str(out), "--db",
              str(tmp_path / "d.duckdb")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records and {r["sentence_index"] for r in records} == {0}


def test_the_events_table_brackets_an_implied_actor(tmp_path):
    src = tmp_path / "s.txt"
    src.write_text("Sudan's government lifted the state of emergency in Darfur on Sunday.\n")
    args = ["code", str(src), "--date", "2020-01-05", "--db", str(tmp_path / "d.duckdb")]
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "SDNGOV" in line)
    assert "(SDN)" in row
    src.write_text("Three Iranian diplomats were arrested in Berlin on Sunday.\n")
    result = runner.invoke(app, args, terminal_width=200)
    row = next(line for line in result.output.splitlines() if "IRNGOV" in line)
    assert row.split()[1] == "(DEU)"


def test_export_reads_the_store_back(tmp_path, seed):
    db = tmp_path / "d.duckdb"
    runner.invoke(app, ["code", str(seed), "--date", "2019-02-26", "--db", str(db), "--out",
                        str(tmp_path / "x.jsonl")])  # fmt: skip
    out = tmp_path / "export.jsonl"
    result = runner.invoke(
        app, ["export", "--db", str(db), "--out", str(out), "--since", "2019-03-01"]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records and all(r["date"] >= "2019-03-01" for r in records)


def test_lexicon_stats_lists_every_root():
    result = runner.invoke(app, ["lexicon", "stats"], terminal_width=120)
    assert result.exit_code == 0
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in result.output.splitlines()
        if line.startswith("│")
    ]
    assert [r[0] for r in rows] == [f"{n:02d}" for n in range(1, 21)]
    for root, _, codes, covered, patterns in rows:
        assert int(covered) == int(codes), root
        assert int(patterns) >= 3 * int(codes), root


def test_eval_scores_the_seed(shared):
    result = runner.invoke(app, ["eval", "--shared", str(shared), "--set", "seed", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["set"] for r in rows] == ["seed"]
    assert rows[0]["recall"] == 1.0


def test_bench_runs_every_configuration_on_the_same_texts(shared):
    # more documents than one batch, so that the all-cores run starts worker processes
    result = runner.invoke(app, ["bench", "--docs", "20", "--shared", str(shared), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    parse_only, one, every = report["runs"]
    assert parse_only["documents"] == one["documents"] == every["documents"] == 20
    assert every["worker_peak_rss_mb"] > 0
    assert one["sentences"] == every["sentences"] > 0 and parse_only["sentences"] > 0
    assert one["events"] == every["events"]
    assert report["ratio"] == pytest.approx(one["words_per_s"] / parse_only["words_per_s"])
    assert report["scaling"] == pytest.approx(every["words_per_s"] / one["words_per_s"])


def test_a_republished_story_is_a_mention_not_new_events(tmp_path, seed):
    text = seed.read_text()
    copy = tmp_path / "copy.jsonl"
    copy.write_text(
        json.dumps({"id": "republished", "text": "UPDATED: " + text, "date": "2019-02-26",
                    "url": "https://other.example/venezuela-russia"}) + "\n"
    )  # fmt: skip
    db = tmp_path / "d.duckdb"
    first = runner.invoke(app, ["code", str(seed), "--date", "2019-02-26", "--db", str(db)])
    second = runner.invoke(app, ["code", str(copy), "--db", str(db)])
    assert first.exit_code == second.exit_code == 0, second.output
    assert "near-copies stored as mentions" in second.output
    gdelt = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "gdelt", "-o", str(gdelt)])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in gdelt.read_text().splitlines()]
    num_articles = 33  # GDELT 2.0: NumArticles is the 34th column
    assert rows and all(row[num_articles] == "2" for row in rows)
    mentions = tmp_path / "mentions.tsv"
    runner.invoke(app, ["export", "--db", str(db), "-f", "mentions", "-o", str(mentions)])
    lines = mentions.read_text().splitlines()
    assert len(lines) == 2 * len(rows) and all(len(x.split("\t")) == 16 for x in lines)
    petrarch = tmp_path / "events.petrarch.tsv"
    runner.invoke(app, ["export", "--db", str(db), "-f", "petrarch", "-o", str(petrarch)])
    assert any(line.split("\t")[:4] == ["20190301", "VENGOV", "RUSGOV", "036"]
               for line in petrarch.read_text().splitlines())  # fmt: skip


# GDELT 2.0's event table header, as published with its codebook.
GDELT_COLUMNS = (
    "GlobalEventID Day MonthYear Year FractionDate "
    + " ".join(
        f"{a}Code {a}Name {a}CountryCode {a}KnownGroupCode {a}EthnicCode {a}Religion1Code "
        f"{a}Religion2Code {a}Type1Code {a}Type2Code {a}Type3Code"
        for a in ("Actor1", "Actor2")
    )
    + " IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale"
    " NumMentions NumSources NumArticles AvgTone "
    + " ".join(
        f"{g}_Type {g}_FullName {g}_CountryCode {g}_ADM1Code {g}_ADM2Code {g}_Lat {g}_Long "
        f"{g}_FeatureID"
        for g in ("Actor1Geo", "Actor2Geo", "ActionGeo")
    )
    + " DATEADDED SOURCEURL"
).split()


def test_gdelt_export_reads_back_with_published_columns_and_holds_the_seed(tmp_path, seed):
    import csv

    db, out = tmp_path / "d.duckdb", tmp_path / "seed.gdelt.tsv"
    runner.invoke(app, ["code", str(seed), "--date", "2019-02-26", "--db", str(db)])
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "gdelt", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(GDELT_COLUMNS) == 61
    with out.open(newline="") as f:
        rows = [dict(zip(GDELT_COLUMNS, r, strict=True)) for r in csv.reader(f, delimiter="\t")]
    e1 = [r for r in rows if (r["Actor1Code"], r["Actor2Code"]) == ("VENGOV", "RUSGOV")]
    assert [(r["EventCode"], r["EventRootCode"], r["QuadClass"]) for r in e1] == [
        ("036", "03", "1")
    ]
    assert e1[0]["Day"] == "20190301" and e1[0]["ActionGeo_CountryCode"] == "RS"
    assert e1[0]["Actor1CountryCode"] == "VEN" and e1[0]["Actor1Type1Code"] == "GOV"
    assert float(e1[0]["ActionGeo_Lat"]) == pytest.approx(55.75, abs=0.05)
    accusation = [r for r in rows if r["EventRootCode"] == "11"]
    assert accusation and accusation[0]["Actor2CountryCode"] == "USA"
    assert float(accusation[0]["GoldsteinScale"]) < 0 and accusation[0]["QuadClass"] == "3"


def test_a_document_coded_in_part_is_reported_and_an_undated_one_shown(tmp_path):
    long_sentence = " ".join(f"word{i}" for i in range(400)) + "."
    (tmp_path / "long.txt").write_text(f"Russia backed Venezuela on Monday. {long_sentence}\n")
    (tmp_path / "undated.txt").write_text("Turkey condemned Syria.\n")
    db = str(tmp_path / "d.duckdb")
    result = runner.invoke(app, ["code", str(tmp_path), "--db", db, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "coded in part" in result.output and "E307" in result.output
    with duckdb.connect(db, read_only=True) as con:
        rows = con.execute('SELECT "where", code FROM errors').fetchall()
        assert rows == [("long.txt", "E307")]
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
