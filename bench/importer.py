"""Benchmark: importing one TPS list as CSV, GeoJSON and GeoPackage, every check included.

Run ``python bench/importer.py [ROWS]`` (default 120,000, a province). It writes one seeded
list of TPS with realistic stacking (most sites share a school with others, up to a few
hundred on one spot), a few swapped or shifted coordinates, decimal commas in the CSV, exact
repeats and blank names, in the three formats, and times in the same run:

- ``geo.importer.import_sites`` on each format (read, place, CRS, axes, misplaced rows,
  fields, duplicates, the report): µs per row;
- the same with ``per_row=True`` (placement and grouping row by row, as before issue 16);
- a bare ``pandas.read_csv`` + ``geopandas.points_from_xy`` of the CSV (no check at all);
- the size of ``posko check --json`` (grouped) and of the full list (``--full``).

It prints one JSON line. :func:`import_rate` is what ``bench/large.py`` calls.
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

from geo.importer import ImportChoices, ImportContext, ImportReport, import_sites, import_table
from geo.io import read_table
from geo.model import Kind

__all__ = ["FORMATS", "import_rate", "write_sites"]

FORMATS = ("csv", "geojson", "gpkg")
_CHOICES = ImportChoices(kind=Kind.POLLING_STATION)
_CONTEXT = ImportContext(time_budget_s=3600)  # timed here, not stopped


def _frame(rows: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Attributes and coordinates of a seeded TPS list around Bandung, heavily stacked."""
    rng = np.random.default_rng(seed)
    spots = max(1, rows // 3)
    weights = rng.pareto(1.2, spots) + 1  # a few spots carry hundreds of TPS
    spot = rng.choice(spots, rows, p=weights / weights.sum())
    lat = np.round(-6.9 + rng.normal(0, 0.25, spots)[spot], 6)
    lon = np.round(107.6 + rng.normal(0, 0.25, spots)[spot], 6)
    swapped, shifted = np.arange(7, rows, 1000), np.arange(11, rows, 1000)
    lat[swapped], lon[swapped] = lon[swapped], lat[swapped].copy()
    lon[shifted] = lon[shifted] / 100
    names = np.array([f"TPS {i % 999 + 1:03d} Kel {i % 400}" for i in range(rows)], dtype=object)
    names[np.arange(13, rows, 5000)] = None
    frame = pd.DataFrame(
        {
            "nama": names,
            "kelurahan": [f"Kel {i % 400}" for i in range(rows)],
            "kerawanan": rng.choice(["Kurang Rawan", "RAWAN", "aman", "rawan 1", "khusus"], rows),
            "dpt": 200 + np.arange(rows) % 300,
        }
    )
    repeats = np.arange(9, rows - 1, 5000)
    frame.iloc[repeats + 1] = frame.iloc[repeats].to_numpy()
    lat[repeats + 1], lon[repeats + 1] = lat[repeats], lon[repeats]
    return frame, lon, lat


def write_sites(folder: Path, rows: int = 120_000, seed: int = 3) -> dict[str, Path]:
    """The same seeded TPS list as ``tps.csv`` (semicolons, some decimal commas),
    ``tps.geojson`` and ``tps.gpkg`` in `folder`; returns format -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    frame, lon, lat = _frame(rows, seed)
    text = frame.assign(lintang=[f"{v:.6f}" for v in lat], bujur=[f"{v:.6f}" for v in lon])
    commas = np.arange(3, rows, 10)
    for column in ("lintang", "bujur"):
        text.loc[commas, column] = text.loc[commas, column].str.replace(".", ",")
    paths = {f: folder / f"tps.{f}" for f in FORMATS}
    text.to_csv(paths["csv"], sep=";", index=False)
    sites = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    sites.to_file(paths["geojson"], driver="GeoJSON")
    sites.to_file(paths["gpkg"], driver="GPKG")
    return paths


def _timed_import(path: Path, *, per_row: bool) -> tuple[float, ImportReport]:
    start = time.perf_counter()
    if per_row:
        report = import_table(read_table(path), _CHOICES, _CONTEXT, per_row=True)
    else:
        report = import_sites(path, _CHOICES, _CONTEXT)
    return time.perf_counter() - start, report


def _naive_s(path: Path) -> float:
    start = time.perf_counter()
    frame = pd.read_csv(path, sep=";", decimal=",")
    lon = pd.to_numeric(frame["bujur"], errors="coerce")
    lat = pd.to_numeric(frame["lintang"], errors="coerce")
    gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return time.perf_counter() - start


def import_rate(path: Path | str, rows: int = 120_000, *, per_row: bool = True) -> dict:
    """µs per row of importing one synthetic TPS list as CSV, GeoJSON and GeoPackage.

    Parameters
    ----------
    path
        A folder for the lists (created when missing; the files are left there).
    rows
        Rows of the list.
    per_row
        Also time the row-by-row reference (``import_table(..., per_row=True)``).

    Returns
    -------
    figures
        ``rows``; per format ``<format>_s`` and ``<format>_us_per_row`` (and
        ``<format>_per_row_us_per_row``); ``geojson_vs_csv`` and ``gpkg_vs_csv`` (ratios of
        µs per row); the CSV report's counts, issue codes and its JSON size grouped
        (``report_json_bytes``) and full (``report_json_full_bytes``); a bare read of the CSV.
    """
    paths = write_sites(Path(path), rows)
    _timed_import(paths["csv"], per_row=False)  # warm-up: imports, caches
    out: dict = {"rows": rows}
    for fmt, file in paths.items():
        seconds, report = _timed_import(file, per_row=False)
        assert report.rows_read == rows, (fmt, report.rows_read)
        out[f"{fmt}_s"] = round(seconds, 2)
        out[f"{fmt}_us_per_row"] = round(1e6 * seconds / rows, 1)
        if per_row:
            slow, _ = _timed_import(file, per_row=True)
            out[f"{fmt}_per_row_us_per_row"] = round(1e6 * slow / rows, 1)
        if fmt == "csv":
            csv_report = report
    for fmt in ("geojson", "gpkg"):
        out[f"{fmt}_vs_csv"] = round(out[f"{fmt}_us_per_row"] / out["csv_us_per_row"], 2)
    out.update(csv_report.counts)
    out["issues"] = {g.code: g.count for g in csv_report.groups(shown=0)}
    short = json.dumps(csv_report.to_json("id"), ensure_ascii=False, indent=2)
    full = json.dumps(csv_report.to_json("id", full=True), ensure_ascii=False, indent=2)
    out["report_json_bytes"] = len(short.encode())
    out["report_json_full_bytes"] = len(full.encode())
    out["naive_csv_s"] = round(_naive_s(paths["csv"]), 2)
    return out


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 120_000
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(import_rate(Path(folder), rows)))


if __name__ == "__main__":
    main()
