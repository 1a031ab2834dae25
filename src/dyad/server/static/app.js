// The dashboard: filters kept in the URL, four views of the events they select, and the
// article behind any event with its sentence and actors marked.
import { CAMEO_ROOTS, FILTERS, QUAD_CLASSES, VIEW, ev, get } from "./api.js";
import { drawMap, drawNetwork, drawTimeline } from "./charts.js";

const PAGE = 50;
const MAP_PLACES = 500; // places on the map, the busiest first
const $ = (id) => document.getElementById(id);
const form = $("filters");
const status = $("status");

// ---- state <-> URL <-> form -----------------------------------------------------------

function readURL() {
  const params = new URLSearchParams(location.search);
  const state = {};
  for (const k of [...FILTERS, ...VIEW]) {
    const v = params.get(k);
    if (v !== null && v !== "") state[k] = v;
  }
  state.interval ??= "week";
  state.metric ??= "count";
  state.level ??= "actor";
  return state;
}

function writeURL(state, { push = true } = {}) {
  const params = new URLSearchParams();
  for (const k of [...FILTERS, ...VIEW]) {
    const v = state[k];
    if (v === undefined || v === null || v === "") continue;
    if ((k === "interval" && v === "week") || (k === "metric" && v === "count") || (k === "level" && v === "actor") || (k === "offset" && +v === 0)) continue;
    params.set(k, v);
  }
  const url = `${location.pathname}${params.size ? `?${params}` : ""}`;
  if (url !== `${location.pathname}${location.search}`) history[push ? "pushState" : "replaceState"](null, "", url);
}

function fillForm(state) {
  const defaults = { interval: "week", metric: "count", level: "actor" };
  for (const k of [...FILTERS, ...Object.keys(defaults)]) {
    const field = form.elements.namedItem(k);
    if (field) field.value = state[k] ?? defaults[k] ?? "";
  }
}

function readForm() {
  const state = {};
  for (const [k, v] of new FormData(form)) {
    const value = String(v).trim();
    if (value) state[k] = ["actor", "source", "target", "country"].includes(k) ? value.toUpperCase() : value;
  }
  // Filters the form has no field for (plover) stay as they came in the URL.
  const current = readURL();
  for (const k of FILTERS) if (!form.elements.namedItem(k) && current[k]) state[k] = current[k];
  return state;
}

const filtersOf = (state) => Object.fromEntries(FILTERS.filter((k) => state[k]).map((k) => [k, state[k]]));

// ---- loading ---------------------------------------------------------------------------

let generation = 0;

async function load(state) {
  const mine = ++generation;
  const filters = filtersOf(state);
  const offset = Math.max(0, +(state.offset ?? 0) || 0);
  document.body.setAttribute("aria-busy", "true");
  status.textContent = "Loading…";
  const query = new URLSearchParams(filters).toString();
  $("csv").href = `api/events.csv${query ? `?${query}` : ""}`;
  $("jsonl").href = `api/events.jsonl${query ? `?${query}` : ""}`;
  try {
    const [page, series, network, places] = await Promise.all([
      get("events", { ...filters, limit: PAGE, offset, order: "desc" }),
      get("series", { ...filters, period: state.interval }),
      get("network", { ...filters, level: state.level }),
      get("locations", { ...filters, limit: MAP_PLACES }),
    ]);
    if (mine !== generation) return; // a newer request won
    const total = page.total ?? page.events.length;
    renderTable(page.events, total, offset);
    drawTimeline($("timeline"), $("timeline-caption"), series.series, state);
    const edges = network.edges;
    const pick = state.level === "country" ? { country: "" } : { source: "", target: "" };
    drawNetwork($("network"), $("network-caption"), edges, (code) => apply({ ...readForm(), ...pick, [state.level === "country" ? "country" : "actor"]: code }));
    await drawMap($("map"), $("map-caption"), places.locations, involvementOf(edges), state.country, (iso3) => apply({ ...readForm(), country: iso3 }));
    status.textContent = `${total} event${total === 1 ? "" : "s"} match${total === 1 ? "es" : ""}${describe(filters)}.`;
  } catch (err) {
    if (mine !== generation) return;
    status.textContent = `Could not load the events: ${err.message}`;
    console.error(err);
  } finally {
    if (mine === generation) document.body.removeAttribute("aria-busy");
  }
  if (mine === generation && state.doc && state.event) openArticle(state.doc, state.event, { push: false });
  else if (mine === generation && $("article").open) $("article").close();
}

function describe(filters) {
  const parts = [];
  if (filters.source || filters.target) parts.push(`${filters.source || "anyone"} → ${filters.target || "anyone"}`);
  if (filters.actor) parts.push(`actor ${filters.actor}`);
  if (filters.country) parts.push(`country ${filters.country}`);
  if (filters.cameo) parts.push(`CAMEO ${filters.cameo}`);
  if (filters.quad_class) parts.push(QUAD_CLASSES[filters.quad_class] ?? `QuadClass ${filters.quad_class}`);
  if (filters.modality) parts.push(filters.modality);
  if (filters.plover) parts.push(filters.plover);
  if (filters.q) parts.push(`“${filters.q}”`);
  if (filters.since || filters.until) parts.push(`${filters.since ?? "…"} to ${filters.until ?? "…"}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

// Countries whose actors take part, from the network's edges (events with a target).
function involvementOf(edges) {
  const counts = new Map();
  const add = (code, n) => {
    if (code && code.length >= 3) counts.set(code.slice(0, 3), (counts.get(code.slice(0, 3)) ?? 0) + n);
  };
  for (const e of edges) {
    add(e.source, e.events);
    if (e.target.slice(0, 3) !== e.source.slice(0, 3)) add(e.target, e.events);
  }
  return counts;
}

// ---- the table -------------------------------------------------------------------------

let rows = [];

// A cell with text ("–" when there is none), or an empty one to fill (text undefined).
function td(text, cls) {
  const cell = document.createElement("td");
  if (cls) cell.className = cls;
  if (text !== undefined) cell.textContent = text ?? "–";
  return cell;
}

function renderTable(items, total, offset) {
  rows = items;
  const body = $("event-table").tBodies[0];
  body.replaceChildren();
  for (const e of items) {
    const tr = document.createElement("tr");
    tr.dataset.eventId = e.event_id;
    tr.dataset.docId = e.doc_id;
    tr.className = `q${e.quad_class ?? 0}`;
    const cameo = td(undefined, "cameo");
    cameo.replaceChildren(...cameoLabel(e));
    cameo.title = [e.plover, QUAD_CLASSES[e.quad_class], e.goldstein !== null && e.goldstein !== undefined ? `Goldstein ${e.goldstein}` : null].filter(Boolean).join(" · ");
    const loc = ev.location(e);
    const sentence = td(undefined, "sentence");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "open";
    button.textContent = snippet(e.sentence ?? "");
    button.setAttribute("aria-label", `Open the article: ${e.sentence ?? ""}`);
    sentence.append(button);
    const date = td(e.date ?? "undated", "date");
    if (e.date_precision && e.date_precision !== "day") date.title = `precision: ${e.date_precision}`;
    tr.append(
      date,
      actorCell(ev.sourceCode(e), ev.sourceName(e), "source"),
      actorCell(ev.targetCode(e), ev.targetName(e), "target"),
      cameo,
      td(e.modality, "modality"),
      td(loc ? [loc.name, loc.country].filter(Boolean).join(", ") : null, "location"),
      sentence,
    );
    body.append(tr);
  }
  if (!items.length) {
    const tr = document.createElement("tr");
    const cell = td("No events match these filters.");
    cell.colSpan = 7;
    tr.append(cell);
    body.append(tr);
  }
  const first = items.length ? offset + 1 : 0;
  $("table-caption").textContent = `${total} event${total === 1 ? "" : "s"}; ${first}–${offset + items.length} shown. Choose a sentence to read its article.`;
  $("page").textContent = total > PAGE ? `page ${Math.floor(offset / PAGE) + 1} of ${Math.ceil(total / PAGE)}` : "";
  $("prev").disabled = offset <= 0;
  $("next").disabled = offset + items.length >= total;
}

// "036 Express intent to meet" when the API names the code, else "036 (03 Express intent
// to cooperate)": the root's name, said to be the root's.
function cameoLabel(e) {
  const code = document.createElement("code");
  code.textContent = e.cameo ?? "–";
  const name = ev.cameoName(e);
  if (name) return [code, document.createTextNode(` ${name}`)];
  const root = ev.rootName(e);
  if (!root) return [code];
  const small = document.createElement("small");
  small.textContent = e.cameo?.length > 2 ? ` (${e.cameo.slice(0, 2)}: ${root})` : ` ${root}`;
  return [code, small];
}

function actorCell(code, name, side) {
  const cell = td(undefined, side);
  if (!code) {
    cell.textContent = "–";
    return cell;
  }
  const c = document.createElement("code");
  c.textContent = code;
  cell.append(c);
  if (name && name !== code) {
    const small = document.createElement("small");
    small.textContent = name;
    cell.append(document.createElement("br"), small);
  }
  return cell;
}

function snippet(text, n = 140) {
  return text.length > n ? `${text.slice(0, n - 1).trimEnd()}…` : text;
}

// ---- the article -----------------------------------------------------------------------

async function openArticle(docId, eventId, { push = true } = {}) {
  const dialog = $("article");
  const bodyEl = $("article-body");
  if (!dialog.open) dialog.showModal();
  if (push) writeURL({ ...readURL(), doc: docId, event: eventId });
  bodyEl.textContent = "Loading the article…";
  $("article-event").textContent = "";
  let doc;
  try {
    doc = await get(`documents/${encodeURIComponent(docId)}`);
  } catch (err) {
    bodyEl.textContent = `Could not load the article: ${err.message}`;
    return;
  }
  renderArticle(doc, docId, eventId);
}

function docEvents(doc) {
  if (Array.isArray(doc.events)) return doc.events;
  return (doc.sentences ?? []).flatMap((s) => s.events ?? []);
}

function renderArticle(doc, docId, eventId) {
  const info = doc.document ?? doc;
  const title = info.title || info.id || docId;
  $("article-title").textContent = title;
  const meta = $("article-meta");
  meta.replaceChildren();
  const bits = [info.date, info.source].filter(Boolean).join(" · ");
  meta.append(document.createTextNode(bits));
  if (info.url) {
    const a = document.createElement("a");
    a.href = info.url;
    a.textContent = info.url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    meta.append(document.createTextNode(bits ? " · " : ""), a);
  }

  const events = docEvents(doc);
  const event = events.find((e) => e.event_id === eventId) ?? rows.find((e) => e.event_id === eventId);
  const sentences = [...(doc.sentences ?? [])].sort((a, b) => a.start - b.start);
  const text = info.body ?? info.text ?? null;
  const line = $("article-event");
  line.replaceChildren();
  if (event) {
    const code = (t) => Object.assign(document.createElement("code"), { textContent: t ?? "–" });
    const loc = ev.location(event);
    line.append(
      code(ev.sourceCode(event)), " → ", code(ev.targetCode(event)), " ", ...cameoLabel(event),
      ` · ${[event.modality, event.date ?? "undated", loc?.name].filter(Boolean).join(" · ")}`,
    );
  }

  const bodyEl = $("article-body");
  bodyEl.replaceChildren();
  let cursor = sentences.length ? sentences[0].start : 0;
  let highlighted = null;
  for (const s of sentences) {
    const idx = s.index ?? s.idx;
    if (text !== null && s.start > cursor) bodyEl.append(document.createTextNode(text.slice(cursor, s.start)));
    else if (text === null && s !== sentences[0]) bodyEl.append(document.createTextNode(" "));
    const isEvent = event && (event.sentence_index === idx || event.sentence_start === s.start);
    const node = document.createElement(isEvent ? "mark" : "span");
    node.className = isEvent ? "hl" : "sentence";
    node.dataset.index = idx;
    if (isEvent) {
      node.id = "highlight";
      markSpans(node, s, event);
      highlighted = node;
    } else {
      node.textContent = s.text;
    }
    bodyEl.append(node);
    // Other events coded in this sentence, as links to highlight them instead.
    const here = events.filter((e) => (e.sentence_index ?? -1) === idx && e.event_id !== eventId);
    for (const other of here) {
      const a = document.createElement("a");
      a.href = "#";
      a.className = "other-event";
      a.textContent = `${ev.sourceCode(other) ?? "–"}→${ev.targetCode(other) ?? "–"} ${other.cameo}`;
      a.title = "Highlight this event instead";
      a.addEventListener("click", (e) => {
        e.preventDefault();
        writeURL({ ...readURL(), doc: docId, event: other.event_id }, { push: false });
        renderArticle(doc, docId, other.event_id);
      });
      bodyEl.append(document.createTextNode(" "), a);
    }
    cursor = s.end;
  }
  if (text !== null && cursor < text.length) bodyEl.append(document.createTextNode(text.slice(cursor)));
  if (!sentences.length) bodyEl.textContent = text ?? "This document has no stored sentences.";
  if (highlighted) highlighted.scrollIntoView({ block: "center" });
}

function markSpans(node, sentence, event) {
  // Offsets are in the document body; the sentence starts at sentence.start.
  const spans = [];
  for (const side of ["source", "target"]) {
    const span = ev.span(event, side);
    if (span) spans.push({ ...span, cls: `actor ${side}`, label: `${side} ${ev[`${side}Code`](event)}` });
  }
  if (event.verb && event.verb.start !== undefined && event.verb.start !== null) {
    spans.push({ start: event.verb.start, end: event.verb.end, cls: "verb", label: "trigger" });
  } else if (event.verb_start !== undefined && event.verb_start !== null) {
    spans.push({ start: event.verb_start, end: event.verb_end, cls: "verb", label: "trigger" });
  }
  const text = sentence.text;
  const inside = spans
    .map((s) => ({ ...s, start: s.start - sentence.start, end: s.end - sentence.start }))
    .filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let at = 0;
  for (const s of inside) {
    if (s.start < at) continue; // overlapping spans: keep the first
    if (s.start > at) node.append(document.createTextNode(text.slice(at, s.start)));
    const m = document.createElement(s.cls === "verb" ? "span" : "mark");
    m.className = s.cls;
    m.title = s.label;
    m.textContent = text.slice(s.start, s.end);
    node.append(m);
    at = s.end;
  }
  node.append(document.createTextNode(text.slice(at)));
}

// ---- wiring ----------------------------------------------------------------------------

function apply(state) {
  delete state.offset;
  delete state.doc;
  delete state.event;
  writeURL(state);
  fillForm(state);
  load(readURL());
}

function setup() {
  const cameo = form.elements.namedItem("cameo");
  for (const [code, name] of Object.entries(CAMEO_ROOTS)) cameo.append(new Option(`${code} ${name}`, code));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply(readForm());
  });
  for (const id of ["interval", "metric", "level"]) $(id).addEventListener("change", () => apply({ ...readForm(), offset: readURL().offset }));
  $("reset").addEventListener("click", () => {
    form.reset();
    apply({});
  });
  $("prev").addEventListener("click", () => page(-PAGE));
  $("next").addEventListener("click", () => page(PAGE));
  const tbody = $("event-table").tBodies[0];
  tbody.addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-event-id]");
    if (tr && !e.target.closest("a")) openArticle(tr.dataset.docId, tr.dataset.eventId);
  });
  const dialog = $("article");
  $("close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); }); // the backdrop
  dialog.addEventListener("close", () => {
    const state = readURL();
    if (state.event || state.doc) {
      delete state.doc;
      delete state.event;
      writeURL(state);
    }
  });
  window.addEventListener("popstate", () => {
    const state = readURL();
    fillForm(state);
    load(state);
  });
  get("actors", { limit: 500 }).then(({ actors }) => {
    const list = $("actor-codes");
    for (const a of actors) list.append(new Option(`${a.as_source} as source, ${a.as_target} as target`, a.code));
  }).catch(() => { /* suggestions only */ });
  const state = readURL();
  fillForm(state);
  load(state);
}

function page(step) {
  const state = readURL();
  state.offset = Math.max(0, (+(state.offset ?? 0) || 0) + step);
  delete state.doc;
  delete state.event;
  writeURL(state);
  load(state);
  $("events").scrollIntoView({ block: "start" });
}

setup();
