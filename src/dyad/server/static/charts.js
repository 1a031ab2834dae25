// The three pictures: a timeline of cooperation against conflict, the actor network and a
// world map. Plain SVG built by hand; d3 only for the force layout and the projection.
import { forceCenter, forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from "d3-force";
import { geoEqualEarth, geoPath } from "d3-geo";
import { QUAD_CLASSES } from "./api.js";

const SVG = "http://www.w3.org/2000/svg";

export function el(name, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function svgFor(container, width, height, label) {
  container.replaceChildren();
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
  container.append(svg);
  return svg;
}

function empty(container, text) {
  const p = document.createElement("p");
  p.className = "empty";
  p.textContent = text;
  container.replaceChildren(p);
}

const fmt = (x) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

// ---- timeline ------------------------------------------------------------------------

function periodStart(date, interval) {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (interval === "month") d.setUTCDate(1);
  if (interval === "week") d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); // Monday
  return d;
}

function nextPeriod(d, interval) {
  const n = new Date(d);
  if (interval === "month") n.setUTCMonth(n.getUTCMonth() + 1);
  else n.setUTCDate(n.getUTCDate() + (interval === "week" ? 7 : 1));
  return n;
}

const iso = (d) => d.toISOString().slice(0, 10);

/** rows: /api/series items, [{period: "YYYY-MM-DD", quad_class, events, goldstein}]. */
export function drawTimeline(container, caption, rows, { interval, metric }) {
  const byPeriod = new Map();
  for (const r of rows) {
    const key = iso(periodStart(r.period, interval));
    if (!byPeriod.has(key)) byPeriod.set(key, { 1: 0, 2: 0, 3: 0, 4: 0 });
    byPeriod.get(key)[r.quad_class] += metric === "goldstein" ? r.goldstein ?? 0 : r.events ?? 0;
  }
  if (!byPeriod.size) {
    empty(container, "No dated events match these filters.");
    caption.textContent = "";
    return;
  }
  // Every period between the first and the last, so time reads at an even pace.
  const keys = [...byPeriod.keys()].sort();
  let periods = [];
  for (let d = new Date(`${keys[0]}T00:00:00Z`); iso(d) <= keys.at(-1) && periods.length <= 1000; d = nextPeriod(d, interval)) {
    periods.push(iso(d));
  }
  if (periods.length > 1000) periods = keys;
  const values = periods.map((p) => byPeriod.get(p) ?? { 1: 0, 2: 0, 3: 0, 4: 0 });

  const width = 960, height = 260, m = { top: 16, right: 12, bottom: 28, left: 46 };
  const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
  // Cooperation (QuadClass 1-2) goes up, conflict (3-4) down; in Goldstein mode each class
  // adds its signed sum on its own side of the axis.
  const stacks = values.map((v) => {
    const up = [], down = [];
    let hi = 0, lo = 0;
    for (const q of [1, 2, 3, 4]) {
      const x = metric === "goldstein" ? v[q] : (q <= 2 ? v[q] : -v[q]);
      if (!x) continue;
      if (x > 0) { up.push({ q, y0: hi, y1: hi + x, value: v[q] }); hi += x; }
      else { down.push({ q, y0: lo, y1: lo + x, value: v[q] }); lo += x; }
    }
    return { segments: [...up, ...down], hi, lo };
  });
  // Both sides always show, the smaller one at least a fifth of the larger.
  let max = Math.max(0, ...stacks.map((s) => s.hi));
  let min = Math.min(0, ...stacks.map((s) => s.lo));
  const floor = Math.max(max, -min, metric === "count" ? 1 : 0.1) / 4;
  max = Math.max(max, floor);
  min = Math.min(min, -floor);
  const y = (v) => m.top + ((max - v) / (max - min)) * plotH;
  const band = plotW / periods.length;
  const barW = Math.min(40, Math.max(1, band * 0.8));

  const svg = svgFor(container, width, height, `Timeline of ${metric === "goldstein" ? "summed Goldstein scores" : "event counts"} per ${interval}`);
  const g = el("g");
  svg.append(g);
  // Gridlines at a few round values.
  for (const t of niceTicks(min, max, 4, metric === "count")) {
    g.append(el("line", { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t), class: t === 0 ? "axis zero" : "grid" }));
    g.append(el("text", { x: m.left - 6, y: y(t) + 4, "text-anchor": "end", class: "tick" }, metric === "count" ? fmt(Math.abs(t)) : fmt(t)));
  }
  stacks.forEach((s, i) => {
    const x = m.left + i * band + (band - barW) / 2;
    for (const seg of s.segments) {
      const top = y(Math.max(seg.y0, seg.y1)), bottom = y(Math.min(seg.y0, seg.y1));
      const rect = el("rect", { x, y: top, width: barW, height: Math.max(0.5, bottom - top), class: `q${seg.q}` });
      rect.append(el("title", {}, `${interval} of ${periods[i]}: ${fmt(seg.value)} ${metric === "goldstein" ? "Goldstein" : "events"}, ${QUAD_CLASSES[seg.q]}`));
      g.append(rect);
    }
  });
  // A handful of period labels.
  const every = Math.max(1, Math.ceil(periods.length / 8));
  periods.forEach((p, i) => {
    if (i % every) return;
    g.append(el("text", { x: m.left + i * band + band / 2, y: height - 8, "text-anchor": band > 60 || periods.length === 1 ? "middle" : "start", class: "tick" }, interval === "month" ? p.slice(0, 7) : p));
  });
  // Which side is which, along the left edge: cooperation above the axis, conflict below.
  const side = (text, cls, y0, y1) => {
    const mid = (y0 + y1) / 2;
    g.append(el("text", { x: 10, y: mid, transform: `rotate(-90 10 ${mid})`, "text-anchor": "middle", class: `side ${cls}` }, text));
  };
  side("cooperation", "coop", m.top, y(0));
  side("conflict", "conf", y(0), height - m.bottom);

  const sum = (qs) => values.reduce((t, v) => t + qs.reduce((a, q) => a + v[q], 0), 0);
  const unit = metric === "goldstein" ? "summed Goldstein" : "events";
  caption.replaceChildren(
    legend(),
    document.createTextNode(` ${fmt(sum([1, 2]))} ${unit} of cooperation and ${fmt(sum([3, 4]))} of conflict, ${periods[0]} to ${periods.at(-1)}, per ${interval}.`),
  );
}

function legend() {
  const span = document.createElement("span");
  span.className = "legend";
  for (const q of [1, 2, 3, 4]) {
    const item = document.createElement("span");
    item.innerHTML = `<i class="swatch q${q}"></i>${QUAD_CLASSES[q]}`;
    span.append(item);
  }
  return span;
}

function niceTicks(min, max, n, integers) {
  const span = max - min;
  const step0 = integers ? Math.max(1, span / n) : span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= step0) ?? mag * 10;
  const ticks = [];
  for (let t = Math.ceil(min / step) * step; t <= max + 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  if (!ticks.includes(0)) ticks.push(0);
  return ticks;
}

// ---- network -------------------------------------------------------------------------

/** edges: /api/network edges, [{source, target, events, goldstein (mean)}], heaviest first.
 * onPick(code) filters by an actor (or a country). */
export function drawNetwork(container, caption, edges, onPick) {
  edges = edges.filter((e) => e.source && e.target);
  if (!edges.length) {
    empty(container, "No events with both a source and a target match these filters.");
    return;
  }
  // The heaviest edges only, so the picture stays readable.
  const shown = [...edges].sort((a, b) => b.events - a.events).slice(0, 120);
  const nodes = new Map();
  for (const e of shown) {
    for (const code of [e.source, e.target]) {
      if (!nodes.has(code)) nodes.set(code, { id: code, weight: 0 });
      nodes.get(code).weight += e.events;
    }
  }
  const width = 480, height = 300;
  const links = shown.map((e) => ({ ...e }));
  const sim = forceSimulation([...nodes.values()])
    .force("link", forceLink(links).id((d) => d.id).distance(70))
    .force("charge", forceManyBody().strength(-220))
    .force("center", forceCenter(width / 2, height / 2))
    .force("x", forceX(width / 2).strength(0.06))
    .force("y", forceY(height / 2).strength(0.08))
    .force("collide", forceCollide(24))
    .stop();
  for (let i = 0; i < 300; i++) sim.tick();
  const r = (n) => 5 + Math.sqrt(n.weight) * 3;
  // Fit the layout into the picture (one scale for both axes, never enlarged much).
  const all = [...nodes.values()];
  const pad = 34;
  const [x0, x1] = [Math.min(...all.map((n) => n.x)), Math.max(...all.map((n) => n.x))];
  const [y0, y1] = [Math.min(...all.map((n) => n.y)), Math.max(...all.map((n) => n.y))];
  const k = Math.min(1.6, (width - 2 * pad) / Math.max(1, x1 - x0), (height - 2 * pad) / Math.max(1, y1 - y0));
  for (const n of all) {
    n.x = width / 2 + (n.x - (x0 + x1) / 2) * k;
    n.y = height / 2 + (n.y - (y0 + y1) / 2) * k - 6;
  }

  const svg = svgFor(container, width, height, `Network of ${nodes.size} actors and ${shown.length} directed links`);
  const defs = el("defs");
  for (const q of ["coop", "conf", "none"]) {
    defs.append(el("marker", { id: `arrow-${q}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
      el("path", { d: "M0,0L10,5L0,10z", class: `arrow ${q}` })));
  }
  svg.append(defs);
  const maxCount = Math.max(...shown.map((e) => e.events));
  const gl = el("g", { class: "links" });
  for (const l of links) {
    const s = l.source, t = l.target;
    const dx = t.x - s.x, dy = t.y - s.y, dist = Math.hypot(dx, dy) || 1;
    // Stop short of the target's circle; bend a little so A→B and B→A both show.
    const ex = t.x - (dx / dist) * (r(t) + 2), ey = t.y - (dy / dist) * (r(t) + 2);
    const mx = (s.x + ex) / 2 - (dy / dist) * 12, my = (s.y + ey) / 2 + (dx / dist) * 12;
    const tone = l.goldstein === undefined || l.goldstein === null ? "none" : l.goldstein >= 0 ? "coop" : "conf";
    const path = el("path", {
      d: `M${s.x},${s.y}Q${mx},${my} ${ex},${ey}`,
      class: `link ${tone}`,
      "stroke-width": 1 + 5 * Math.sqrt(l.events / maxCount),
      "marker-end": `url(#arrow-${tone})`,
    });
    path.append(el("title", {}, `${s.id} → ${t.id}: ${l.events} event${l.events === 1 ? "" : "s"}${l.goldstein === undefined || l.goldstein === null ? "" : `, mean Goldstein ${fmt(l.goldstein)}`}`));
    gl.append(path);
  }
  svg.append(gl);
  const gn = el("g", { class: "nodes" });
  for (const n of nodes.values()) {
    const g = el("g", { class: "node", transform: `translate(${n.x},${n.y})`, tabindex: 0, role: "button", "aria-label": `${n.id}, ${n.weight} events: filter by this actor` });
    g.append(el("circle", { r: r(n) }), el("text", { y: r(n) + 11, "text-anchor": "middle" }, n.id));
    g.addEventListener("click", () => onPick(n.id));
    g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); onPick(n.id); } });
    gn.append(g);
  }
  svg.append(gn);
  if (edges.length > shown.length) caption.dataset.more = `Showing the ${shown.length} heaviest of ${edges.length} links.`;
}

// ---- map -----------------------------------------------------------------------------

let world = null;
async function loadWorld() {
  if (!world) {
    const [topo, numeric] = await Promise.all([
      fetch("vendor/countries-110m.json").then((r) => r.json()),
      fetch("iso-numeric.json").then((r) => r.json()),
    ]);
    const countries = globalThis.topojson.feature(topo, topo.objects.countries).features;
    for (const f of countries) f.properties.iso3 = numeric[f.id] ?? (f.properties.name === "Kosovo" ? "XKX" : null);
    world = countries;
  }
  return world;
}

/**
 * places: /api/locations, [{name, country, lat, lon, events, goldstein}]; involvement: Map ISO3 -> events in
 * which the country's actors take part; onPick(iso3) filters by a country.
 */
export async function drawMap(container, caption, places, involvement, selected, onPick) {
  const countries = await loadWorld();
  const width = 480, height = 260;
  const projection = geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]], { type: "Sphere" });
  const path = geoPath(projection);
  const svg = svgFor(container, width, height, `World map with ${places.length} event locations`);
  svg.append(el("path", { d: path({ type: "Sphere" }), class: "sphere" }));
  const maxInv = Math.max(1, ...involvement.values());
  const gc = el("g", { class: "countries" });
  for (const f of countries) {
    const code = f.properties.iso3;
    const n = (code && involvement.get(code)) || 0;
    const attrs = {
      d: path(f),
      class: `country${n ? " involved" : ""}${code && code === selected ? " selected" : ""}`,
      style: n ? `--share:${(0.15 + 0.85 * Math.sqrt(n / maxInv)).toFixed(3)}` : undefined,
    };
    const p = el("path", attrs);
    p.append(el("title", {}, `${f.properties.name}${code ? ` (${code})` : ""}${n ? `: actors in ${n} events` : ""}`));
    if (code) {
      p.addEventListener("click", () => onPick(code));
      p.dataset.iso3 = code;
    }
    gc.append(p);
  }
  svg.append(gc);
  const maxCount = Math.max(1, ...places.map((p) => p.events));
  const gp = el("g", { class: "places" });
  for (const place of [...places].sort((a, b) => b.events - a.events)) {
    const xy = projection([place.lon, place.lat]);
    if (!xy) continue;
    const c = el("circle", { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: (3 + 9 * Math.sqrt(place.events / maxCount)).toFixed(1), class: `place ${place.goldstein < 0 ? "conf" : "coop"}` });
    c.append(el("title", {}, `${[place.name, place.country].filter(Boolean).join(", ")}: ${place.events} event${place.events === 1 ? "" : "s"}, mean Goldstein ${fmt(place.goldstein ?? 0)}`));
    gp.append(c);
  }
  svg.append(gp);
  caption.textContent = places.length
    ? `Circles: ${places.length} place${places.length === 1 ? "" : "s"} where events happened (blue: cooperative on average, red: conflictual). Shading: how often a country's actors take part. Choose a country to filter by it.`
    : "None of these events has a known place. Shading: how often a country's actors take part.";
}
