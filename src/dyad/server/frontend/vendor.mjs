// Copy the pinned third-party files the dashboard needs into ../static/vendor, with their
// licences. Run from this folder: `npm ci && npm run vendor`. Nothing else is bundled.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const out = join(here, "..", "static", "vendor");
mkdirSync(out, { recursive: true });

// [package, file inside the package, name in vendor/]
const files = [
  ["d3-array", "dist/d3-array.min.mjs", "d3-array.min.mjs"],
  ["d3-geo", "dist/d3-geo.min.mjs", "d3-geo.min.mjs"],
  ["d3-force", "dist/d3-force.min.mjs", "d3-force.min.mjs"],
  ["d3-dispatch", "dist/d3-dispatch.min.mjs", "d3-dispatch.min.mjs"],
  ["d3-quadtree", "dist/d3-quadtree.min.mjs", "d3-quadtree.min.mjs"],
  ["d3-timer", "dist/d3-timer.min.mjs", "d3-timer.min.mjs"],
  ["topojson-client", "dist/topojson-client.min.js", "topojson-client.min.js"],
  ["world-atlas", "countries-110m.json", "countries-110m.json"],
];

const lines = [];
for (const [pkg, file, name] of files) {
  copyFileSync(join(modules, pkg, file), join(out, name));
  copyFileSync(join(modules, pkg, "LICENSE"), join(out, `LICENSE-${pkg}`));
  const { version, license } = JSON.parse(readFileSync(join(modules, pkg, "package.json")));
  lines.push(`${name}\t${pkg}@${version}\t${license}\tLICENSE-${pkg}`);
}
writeFileSync(
  join(out, "VERSIONS.tsv"),
  "file\tpackage\tlicense\tlicence file\n" + lines.join("\n") + "\n",
);
console.log(`copied ${files.length} files to ${out}`);
