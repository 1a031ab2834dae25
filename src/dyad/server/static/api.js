// The JSON API (src/dyad/server/app.py) and the few words the page needs to name things.

// The filters the API understands; the page keeps them, and only them, in its URL.
export const FILTERS = [
  "since", "until", "actor", "source", "target", "country", "cameo", "quad_class",
  "plover", "modality", "q",
];
// Page state that is not a filter, also kept in the URL.
export const VIEW = ["interval", "metric", "level", "offset", "doc", "event"];

export const QUAD_CLASSES = {
  1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict",
};

// CAMEO's twenty roots, for the filter (the API names full codes where it can).
export const CAMEO_ROOTS = {
  "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
  "04": "Consult", "05": "Engage in diplomatic cooperation",
  "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
  "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
  "14": "Protest", "15": "Exhibit military posture", "16": "Reduce relations",
  "17": "Coerce", "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
};

export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") query.set(k, v);
  }
  const url = `api/${path}${query.size ? `?${query}` : ""}`;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const body = await response.json();
      detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail ?? body);
    } catch { /* not JSON */ }
    throw new Error(`${url}: ${response.status} ${detail}`);
  }
  return response.json();
}

// An event record is Event.to_dict() (nested source/target/location/verb); these accessors
// also take the store's flat columns (source_code, location_lat ...).
const pick = (e, side, key) => e[side]?.[key] ?? e[`${side}_${key}`] ?? null;
export const ev = {
  sourceCode: (e) => pick(e, "source", "code"),
  sourceName: (e) => pick(e, "source", "name"),
  targetCode: (e) => pick(e, "target", "code"),
  targetName: (e) => pick(e, "target", "name"),
  span: (e, side) => {
    const start = pick(e, side, "start");
    const end = pick(e, side, "end");
    return start === null || end === null ? null : { start, end };
  },
  location: (e) => {
    const lat = pick(e, "location", "lat");
    const lon = pick(e, "location", "lon");
    const name = pick(e, "location", "name");
    if (name === null && lat === null) return null;
    return { name, lat, lon, country: pick(e, "location", "country") };
  },
  // The API gives no CAMEO names yet: the root's name stands in, said to be the root's.
  cameoName: (e) => e.cameo_name ?? null,
  rootName: (e) => CAMEO_ROOTS[e.root ?? e.cameo?.slice(0, 2)] ?? null,
};
