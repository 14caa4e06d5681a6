"""Benchmark: importing a 50,000-row TPS list with every check, against a bare read.

Run ``python bench/importer.py [ROWS]``. It writes a seeded semicolon CSV (decimal commas in
some rows, a few swapped or shifted coordinates, repeats) and times, in the same run:

- Posko: ``geo.importer.import_sites`` (read, place, CRS, axes, misplaced rows, field
  mapping, duplicates, the per-row report);
- naive: ``pandas.read_csv`` + ``geopandas.points_from_xy`` (no check at all).

It prints one JSON line with both times, their ratio and the report's counts.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.importer import ImportChoices, import_sites
from geo.model import Kind


def write_list(path: Path, rows: int, seed: int = 3) -> None:
    rng = np.random.default_rng(seed)
    lat = -2.11 + rng.normal(0, 0.03, rows)
    lon = 106.11 + rng.normal(0, 0.03, rows)
    risk = rng.choice(["Kurang Rawan", "RAWAN", "aman", "rawan 1", "khusus"], rows)
    lines = ["nama;kelurahan;lintang;bujur;kerawanan;dpt"]
    for i in range(rows):
        la, lo = f"{lat[i]:.6f}", f"{lon[i]:.6f}"
        if i % 1000 == 7:
            la, lo = lo, la  # swapped
        if i % 1000 == 11:
            lo = f"{lon[i] / 100:.8f}"  # decimal point moved
        if i % 10 == 3:
            la, lo = la.replace(".", ","), lo.replace(".", ",")  # decimal commas
        lines.append(
            f"TPS {i % 999 + 1:03d} Kel {i % 40};Kel {i % 40};{la};{lo};{risk[i]};{400 + i % 200}"
        )
        if i % 5000 == 9:
            lines.append(lines[-1])  # an exact repeat
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def naive(path: Path) -> float:
    start = time.perf_counter()
    frame = pd.read_csv(path, sep=";", decimal=",")
    lon = pd.to_numeric(frame["bujur"], errors="coerce")
    lat = pd.to_numeric(frame["lintang"], errors="coerce")
    gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return time.perf_counter() - start


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tps.csv"
        write_list(path, rows)
        choices = ImportChoices(kind=Kind.POLLING_STATION)
        import_sites(path, choices)  # warm-up
        start = time.perf_counter()
        report = import_sites(path, choices)
        posko_s = time.perf_counter() - start
        naive_s = naive(path)
    codes: dict[str, int] = {}
    for issue in report.issues:
        codes[issue.code] = codes.get(issue.code, 0) + 1
    print(
        json.dumps(
            {
                "rows": report.rows_read,
                "posko_s": round(posko_s, 3),
                "posko_us_per_row": round(1e6 * posko_s / report.rows_read, 1),
                "naive_s": round(naive_s, 3),
                "ratio": round(posko_s / naive_s, 1),
                **report.counts,
                "issues": codes,
            }
        )
    )


if __name__ == "__main__":
    main()
