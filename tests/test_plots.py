"""`dyad plot` over a real store: each figure as PNG and SVG, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyad.cli import app as cli

SAMPLE = Path(__file__).resolve().parents[1] / "sample"
runner = CliRunner()


@pytest.fixture(scope="session")
def plot_store(tmp_path_factory, shared):
    db = tmp_path_factory.mktemp("plots") / "dyad.duckdb"
    seed = shared / "seed" / "moscow-times-venezuela.txt"
    for path, date in ((SAMPLE, "2024-10-14"), (seed, "2019-02-26")):
        args = ["code", str(path), "--date", date, "--db", str(db), "--workers", "1"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("kind", ["timeline", "network", "map"])
@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_each_plot_writes_a_figure(plot_store, tmp_path, kind, suffix):
    out = tmp_path / f"{kind}{suffix}"
    result = runner.invoke(cli, ["plot", kind, "--db", str(plot_store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data[:2000]
    assert len(data) > 5000


def test_filters_and_options_reach_the_figure(plot_store, tmp_path):
    out = tmp_path / "dyad.svg"
    args = ["plot", "timeline", "--db", str(plot_store), "--out", str(out)]
    result = runner.invoke(cli, [*args, "--source", "RUS", "--target", "VEN", "--period", "week"])
    assert result.exit_code == 0, result.output
    assert "source=RUS, target=VEN" in out.read_text()  # the caption names the filters
    network = tmp_path / "actors.png"
    args = ["plot", "network", "--db", str(plot_store), "--out", str(network)]
    assert runner.invoke(cli, [*args, "--level", "actor", "--min-count", "2"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "--out", "x.gif"], "E603"),
        (["pie", "--out", "x.png"], "E602"),
        (["timeline", "--out", "x.png", "--cameo", "20", "--actor", "RUS"], "E604"),
        (["map", "--out", "x.png", "--country", "Venezuela"], "E602"),
        (["network", "--out", "x.png", "--level", "planet"], "E602"),
    ],
)
def test_bad_requests_say_why(plot_store, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["plot", *args, "--db", str(plot_store)])
    assert result.exit_code == 2
    assert message in result.output
    assert not any(tmp_path.iterdir())


def test_a_missing_store_is_an_error(tmp_path):
    args = ["plot", "map", "--db", str(tmp_path / "none.duckdb"), "--out", "x.png"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2 and "E601" in result.output


def test_map_outlines_come_from_the_bundled_world_atlas():
    from dyad.plots import country_outlines

    rings = country_outlines()
    assert len(rings) > 200
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    assert -360 <= min(lons) and max(lons) <= 360 and -91 <= min(lats) and max(lats) <= 91
    # Russia's far east crosses the antimeridian: drawn unwrapped, east of 180 degrees
    assert any(lon > 180 for lon in lons)
