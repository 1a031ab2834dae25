"""Figures for papers (`dyad plot`): the API's views drawn with matplotlib, as PNG, SVG or PDF.

- timeline: events per period stacked by QuadClass (cooperation up, conflict down), and the
  summed Goldstein score of each side with their net;
- network: directed source -> target edges on a circle, width by events, colour by mean
  Goldstein;
- map: event places as points over the country outlines of the world-atlas file the
  dashboard bundles (decoded from TopoJSON here), on a longitude/latitude graticule.

Figures are built on `matplotlib.figure.Figure` (the Agg canvas, no pyplot state), and SVG
and PDF files carry no creation date, so the same store gives the same file.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import matplotlib
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from dyad.errors import DyadError
from dyad.server import queries

FORMATS = (".png", ".svg", ".pdf")
WORLD = Path(__file__).parent / "server" / "static" / "vendor" / "countries-110m.json"
QUADS = {  # QuadClass: label, colour (blues cooperate, reds conflict), side
    1: ("verbal cooperation", "#9ecae1", 1),
    2: ("material cooperation", "#2171b5", 1),
    3: ("verbal conflict", "#fc9272", -1),
    4: ("material conflict", "#cb181d", -1),
}
BAR_DAYS = {"day": 0.8, "week": 5.6, "month": 24}
GOLDSTEIN = Normalize(-10, 10)  # the scale's whole range, so figures compare
CMAP = matplotlib.colormaps["RdBu"]  # red conflict, blue cooperation


def plot(kind: str, con, filters: queries.Filters, out: str | Path, **options) -> Path:
    """Draw one of the views of the events `filters` picks from the store `con`."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise DyadError("E603", value=str(out))
    draw = {"timeline": _timeline, "network": _network, "map": _map}.get(kind)
    if draw is None:
        raise DyadError("E602", name="plot", value=kind[:50], expected="timeline, network or map")
    fig = draw(con, filters, **options)
    metadata = {".svg": {"Date": None}, ".pdf": {"CreationDate": None}}
    with matplotlib.rc_context({"svg.hashsalt": "dyad"}):  # stable ids inside the SVG
        fig.savefig(out, dpi=200, bbox_inches="tight", metadata=metadata.get(out.suffix.lower()))
    return out


def _timeline(con, filters, period: str = "month", title: str | None = None, **_) -> Figure:
    rows = queries.series(con, filters, period)
    if not rows:
        raise DyadError("E604")
    periods = sorted({r["period"] for r in rows})
    counts = {q: dict.fromkeys(periods, 0) for q in QUADS}
    scores = {side: dict.fromkeys(periods, 0.0) for side in (1, -1)}
    for r in rows:
        counts[r["quad_class"]][r["period"]] = r["events"]
        scores[QUADS[r["quad_class"]][2]][r["period"]] += r["goldstein"]
    fig = Figure(figsize=(8, 5.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    width = BAR_DAYS[period]
    below = {1: [0] * len(periods), -1: [0] * len(periods)}
    for quad, (label, colour, side) in QUADS.items():
        heights = [side * counts[quad][p] for p in periods]
        top.bar(periods, heights, width, bottom=below[side], color=colour, label=label)
        below[side] = [b + h for b, h in zip(below[side], heights, strict=True)]
    top.axhline(0, color="black", linewidth=0.6)
    top.set_ylabel(f"events per {period}\n(conflict below zero)")
    top.yaxis.set_major_formatter(lambda value, _: f"{abs(value):g}")
    top.legend(fontsize="small", ncols=2, frameon=False)
    for side, colour, label in ((1, "#2171b5", "cooperation"), (-1, "#cb181d", "conflict")):
        bottom.bar(periods, list(scores[side].values()), width, color=colour, label=label)
    net = [scores[1][p] + scores[-1][p] for p in periods]
    # Markers, not a line: a line would invent values for the periods without events.
    bottom.plot(periods, net, color="black", marker="o", markersize=3, linestyle="", label="net")
    bottom.axhline(0, color="black", linewidth=0.6)
    bottom.set_ylabel("summed Goldstein")
    bottom.legend(fontsize="small", ncols=3, frameon=False)
    fig.autofmt_xdate()
    top.set_title(title or f"Events per {period}{_caption(filters)}")
    return fig


def _network(
    con,
    filters,
    level: str = "country",
    min_count: int = 1,
    limit: int = 60,
    title: str | None = None,
    **_,
) -> Figure:
    # A self-loop (RUSGOV -> RUS at the country level) has no place on a circle.
    edges = queries.network(con, filters, level, min_count, limit)
    edges = [e for e in edges if e["source"] != e["target"]]
    if not edges:
        raise DyadError("E604")
    weight: dict[str, int] = {}
    for e in edges:
        for node in (e["source"], e["target"]):
            weight[node] = weight.get(node, 0) + e["events"]
    # Heaviest nodes spread round the circle in order, so the layout is the same every time.
    nodes = sorted(weight, key=lambda n: (-weight[n], n))
    angle = {n: math.pi / 2 - 2 * math.pi * i / len(nodes) for i, n in enumerate(nodes)}
    xy = {n: (math.cos(a), math.sin(a)) for n, a in angle.items()}
    fig = Figure(figsize=(7, 6.2), layout="constrained")
    ax = fig.subplots()
    heaviest = max(e["events"] for e in edges)
    for e in sorted(edges, key=lambda e: e["events"]):  # heavy edges drawn on top
        ax.add_patch(
            FancyArrowPatch(
                xy[e["source"]],
                xy[e["target"]],
                connectionstyle="arc3,rad=0.15",  # A -> B and B -> A bend apart
                arrowstyle="-|>",
                mutation_scale=10,
                linewidth=0.6 + 4 * e["events"] / heaviest,
                color=CMAP(GOLDSTEIN(e["goldstein"])),
                alpha=0.85,
                shrinkA=8,
                shrinkB=8,
            )
        )
    biggest = max(weight.values())
    ax.scatter(
        [xy[n][0] for n in nodes],
        [xy[n][1] for n in nodes],
        s=[40 + 400 * weight[n] / biggest for n in nodes],
        color="#dddddd",
        edgecolor="#444444",
        zorder=3,
    )
    for n in nodes:
        x, y = xy[n]
        ax.annotate(n, (x * 1.13, y * 1.13), ha="center", va="center", fontsize=8)
    ax.set(xlim=(-1.3, 1.3), ylim=(-1.3, 1.3), aspect="equal")
    ax.axis("off")
    _colorbar(fig, ax, "mean Goldstein")
    ax.set_title(title or f"Who acts on whom ({level} level){_caption(filters)}")
    return fig


def _map(con, filters, limit: int = 500, title: str | None = None, **_) -> Figure:
    places = queries.locations(con, filters, limit)
    if not places:
        raise DyadError("E604")
    fig = Figure(figsize=(9, 5), layout="constrained")
    ax = fig.subplots()
    ax.set(xlim=(-180, 180), ylim=(-90, 90), aspect="equal")
    ax.set_xticks(range(-180, 181, 30))
    ax.set_yticks(range(-90, 91, 30))
    ax.grid(color="#cccccc", linewidth=0.5)
    ax.add_collection(
        PolyCollection(country_outlines(), facecolor="#eeeeee", edgecolor="#999999",
                       linewidth=0.3, zorder=1)
    )  # fmt: skip
    ax.tick_params(labelsize=7)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    most = max(p["events"] for p in places)
    ax.scatter(
        [p["lon"] for p in places],
        [p["lat"] for p in places],
        s=[15 + 300 * p["events"] / most for p in places],
        c=[p["goldstein"] for p in places],
        cmap=CMAP,
        norm=GOLDSTEIN,
        edgecolor="#333333",
        linewidth=0.5,
        alpha=0.85,
        zorder=3,
    )
    for p in places[:12]:  # the busiest places, by name
        ax.annotate(p["name"], (p["lon"], p["lat"]), xytext=(4, 4), textcoords="offset points",
                    fontsize=7)  # fmt: skip
    _colorbar(fig, ax, "mean Goldstein")
    ax.set_title(title or f"Where events happened{_caption(filters)}")
    return fig


@cache
def country_outlines() -> list[list[tuple[float, float]]]:
    """Country rings (lon, lat) from the dashboard's world-atlas countries-110m TopoJSON:
    arcs are delta-encoded integers scaled by the file's transform; a negative arc index
    means that arc reversed (~i)."""
    topo = json.loads(WORLD.read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    rings = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring in polygon:
                points = []
                for i in ring:
                    points += arcs[i] if i >= 0 else arcs[~i][::-1]
                rings += _unwrapped(points)
    return rings


def _unwrapped(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring crossing the antimeridian (Russia's far east, Fiji) would smear across the
    whole map when filled: unwrap it east of 180 and draw it again shifted a turn west."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:], strict=False)):
        return [points]
    east = [(lon + 360 if lon < 0 else lon, lat) for lon, lat in points]
    return [east, [(lon - 360, lat) for lon, lat in east]]


def _colorbar(fig: Figure, ax, label: str) -> None:
    scale = matplotlib.cm.ScalarMappable(norm=GOLDSTEIN, cmap=CMAP)
    fig.colorbar(scale, ax=ax, shrink=0.6, label=label)


def _caption(filters: queries.Filters) -> str:
    """The filters in force, so a figure says what it shows."""
    parts = [f"{k}={v}" for k, v in vars(filters).items() if v is not None]
    return f"\n{', '.join(parts)}" if parts else ""
