"""Build src/dyad/events/data/cameo.tsv from the reference files in ../shared/reference.

The reference files are facts (CAMEO names, Goldstein values, the CAMEO-to-PLOVER table);
the package ships the generated table and never reads ../shared at run time.

    python scripts/build_cameo_table.py [REFERENCE_DIR]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "dyad" / "events" / "data" / "cameo.tsv"
REFERENCE = ROOT.parent / "shared" / "reference"

LABEL = re.compile(r"^LABEL(i?):\s*(\d+)\s*=\s*(.+?)\s*$", re.IGNORECASE)
HEADER = re.compile(r"^//\s*(\d\d)\s*[:=]\s*(.+?)\s*$")


def quad_class(root: str) -> int:
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


def read_names(path: Path) -> dict[str, str]:
    """Code -> name. LABEL wins over LABELi; a LABELi code with no LABEL is kept.

    Codes that are not all digits (ICEWS's '13y', '1451i') are not CAMEO codes and are
    skipped; the first LABEL of a duplicated code (018's typo) is replaced by the last.
    """
    names: dict[str, str] = {}
    extra: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("~~"):
            break
        header = HEADER.match(line)
        if header:
            names[header.group(1)] = header.group(2).capitalize()
            continue
        m = LABEL.match(line)
        if not m:
            continue
        code, name = m.group(2), m.group(3)
        if m.group(1):
            extra.setdefault(code, name)
        else:
            names[code] = name
    for code, name in extra.items():
        names.setdefault(code, name)
    return names


def read_goldstein(path: Path) -> dict[str, float]:
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return {code: float(value) for code, value in (r.split("\t") for r in rows if r.strip())}


def read_plover(path: Path) -> dict[str, tuple[str, str]]:
    """Code -> (type, mode): the first and second comma fields after 'code:'."""
    table: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("~~"):
            break
        line = line.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        code, rest = (part.strip() for part in line.split(":", 1))
        fields = [f.strip() for f in rest.split(",")]
        if not code.isdigit() or not fields[0]:
            continue
        mode = fields[1] if len(fields) > 1 else ""
        table.setdefault(code, (fields[0], mode))
    return table


def plover_for(code: str, table: dict[str, tuple[str, str]]) -> tuple[str, str]:
    # The conversion table has no 02 block: CAMEO's 02 (appeal) codes mirror its 10 (demand)
    # codes digit for digit, and PLOVER's REQUEST covers both, so 02x takes 10x's entry.
    keys = [code, "10" + code[2:]] if code.startswith("02") else [code]
    for key in keys:
        for candidate in (key, key[:3], key[:2]):
            if candidate in table:
                return table[candidate]
    return ("", "")


def goldstein_for(code: str, values: dict[str, float]) -> float:
    for candidate in (code, code[:3], code[:2]):
        if candidate in values:
            return values[candidate]
    raise SystemExit(f"no Goldstein value for {code}")


def build(reference: Path) -> list[str]:
    names = read_names(reference / "cameo_codes.txt")
    goldstein = read_goldstein(reference / "cameo_goldstein.tsv")
    plover = read_plover(reference / "cameo_to_plover.txt")
    lines = ["code\tname\troot\tquad_class\tgoldstein\tplover\tplover_mode"]
    for code in sorted(names, key=lambda c: (c[:2], c)):
        root = code[:2]
        kind, mode = plover_for(code, plover)
        row = [code, names[code], root, str(quad_class(root))]
        row += [f"{goldstein_for(code, goldstein):g}", kind, mode]
        lines.append("\t".join(row))
    return lines


def main() -> None:
    reference = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE
    lines = build(reference)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} codes to {OUT}")


if __name__ == "__main__":
    main()
