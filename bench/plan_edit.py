"""Benchmark: one post move on the map, incremental (geo.incremental) against a full recompute.

Run ``python bench/plan_edit.py``. Two seeded synthetic operations, each with areas at two
levels (a grid of squares; TPS, posts and PPK warehouses clustered like settlement):

- province: 10,000 TPS and 300 posts around Pangkalpinang;
- national: 823,000 TPS and 6,000 posts over Indonesia (the generator of bench/coverage.py).

For each, posts are moved one after the other (seeded, up to 3 km). Incremental: the time of
``LiveCoverage.move_post`` plus ``figures()`` (tallies per kind, risk class and area at every
level, uncovered TPS, demonstration points, staffing per area). Full: ``analyse()`` of the
edited operation plus reading the same figures from it, on some of the moves; there the
figures are compared and must be equal. One JSON line per operation: medians, the ratio,
and whether the figures were equal.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point, box

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analysis import analyse
from geo.crs import WGS84
from geo.incremental import Figures, LiveCoverage
from geo.model import DEFAULT_RADIUS_M, Col, Settings
from geo.operation import Operation
from geo.schema import canonical_sites

ROOT = Path(__file__).resolve().parent.parent
RISKS = np.array(["kurang_rawan", "rawan", "sangat_rawan", "khusus"])
RISK_SHARE = [0.7, 0.2, 0.08, 0.02]
RADIUS_BY_TYPE = {
    "mako": 5000.0,
    "polsek": 3000.0,
    "pos_pam": 1000.0,
    "pos_terpadu": 1500.0,
    "patrol": 2000.0,
}


def _national() -> tuple[np.ndarray, ...]:
    """The seeded national TPS and posts of bench/coverage.py."""
    spec = importlib.util.spec_from_file_location("bench_coverage", ROOT / "bench" / "coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.national()


def _province(seed: int = 13) -> tuple[np.ndarray, ...]:
    """10,000 TPS and 300 posts in towns around Pangkalpinang (about 150 x 110 km)."""
    rng = np.random.default_rng(seed)
    towns = 60
    town_lon = 106.1 + rng.normal(0, 0.35, towns)
    town_lat = -2.3 + rng.normal(0, 0.25, towns)
    size = rng.lognormal(0, 1, towns)
    spread = rng.uniform(0.01, 0.04, towns)

    def around(n: int) -> tuple[np.ndarray, np.ndarray]:
        town = rng.choice(towns, size=n, p=size / size.sum())
        return (
            town_lon[town] + rng.normal(0, 1, n) * spread[town],
            town_lat[town] + rng.normal(0, 1, n) * spread[town],
        )

    t_lon, t_lat = around(10_000)
    p_lon, p_lat = around(300)
    types = rng.choice(list(RADIUS_BY_TYPE), size=300, p=[0.05, 0.35, 0.4, 0.1, 0.1])
    return t_lon, t_lat, p_lon, p_lat, np.array([RADIUS_BY_TYPE[t] for t in types])


def _grid(lon: np.ndarray, lat: np.ndarray, cell: float, level: str) -> list[dict]:
    """Squares of `cell` degrees over the points (only those holding a point)."""
    cells = np.unique(np.column_stack((np.floor(lon / cell), np.floor(lat / cell))), axis=0)
    return [
        {
            "area_code": f"{level[:3]}{i}",
            "name": f"{level} {i}",
            "level": level,
            "geometry": box(x * cell, y * cell, (x + 1) * cell, (y + 1) * cell),
        }
        for i, (x, y) in enumerate(cells)
    ]


def operation(data: tuple[np.ndarray, ...], cells: tuple[float, float], seed: int) -> Operation:
    """A canonical operation from the generated points (some demonstration points and
    warehouses among the TPS, risk classes and personnel drawn at random)."""
    t_lon, t_lat, p_lon, p_lat, radius = data
    rng = np.random.default_rng(seed)
    n_t, n_p = len(t_lon), len(p_lon)
    type_of = {v: k for k, v in RADIUS_BY_TYPE.items()}
    n_demo, n_ppk = max(5, n_t // 2000), max(3, n_t // 5000)
    extra = rng.choice(n_t, size=n_demo + n_ppk, replace=False)
    frame = pd.DataFrame(
        {
            Col.SITE_ID: [f"T{i:07d}" for i in range(n_t)] + [f"P{i:05d}" for i in range(n_p)],
            Col.KIND: ["polling_station"] * n_t + ["police_post"] * n_p,
            Col.RISK: list(rng.choice(RISKS, size=n_t, p=RISK_SHARE)) + [None] * n_p,
            Col.POST_TYPE: [None] * n_t + [type_of[r] for r in radius],
            Col.PERSONNEL: [None] * n_t + list(rng.integers(2, 40, size=n_p)),
        }
    )
    extras = pd.DataFrame(
        {
            Col.SITE_ID: [f"D{i:04d}" for i in range(n_demo)] + [f"W{i:04d}" for i in range(n_ppk)],
            Col.KIND: ["demonstration_point"] * n_demo + ["logistics"] * n_ppk,
            Col.ROLE: [None] * n_demo + ["ppk"] * n_ppk,
        }
    )
    lon = np.concatenate((t_lon, p_lon, t_lon[extra] + 0.001))
    lat = np.concatenate((t_lat, p_lat, t_lat[extra] + 0.001))
    sites = canonical_sites(
        gpd.GeoDataFrame(
            pd.concat([frame, extras], ignore_index=True),
            geometry=gpd.points_from_xy(lon, lat),
            crs=WGS84,
        )
    )
    areas = gpd.GeoDataFrame(
        _grid(lon, lat, cells[0], "kabupaten") + _grid(lon, lat, cells[1], "kecamatan"),
        crs=WGS84,
    )
    # the types the bench does not place (reserves) keep their default reach
    settings = Settings(title="Benchmark", radius_m={**DEFAULT_RADIUS_M, **RADIUS_BY_TYPE})
    return Operation(key="bench", path=Path("."), settings=settings, sites=sites, areas=areas)


def run(name: str, op: Operation, *, moves: int, full_every: int, seed: int) -> dict:
    """Move posts one by one; time incremental edits and (every `full_every`) the full path."""
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    base = analyse(op)
    first_full_s = time.perf_counter() - start
    start = time.perf_counter()
    live = LiveCoverage.from_analysis(base)
    build_s = time.perf_counter() - start
    sites = op.sites
    posts = np.flatnonzero((sites[Col.KIND] == "police_post").to_numpy())
    geometry = sites.geometry.to_numpy().copy()
    incremental, full, equal = [], [], []
    for step in range(moves):
        row = int(rng.choice(posts))
        here = geometry[row]
        bearing, dist = rng.uniform(0, 2 * np.pi), rng.uniform(0, 3000) / 111_320
        lon, lat = here.x + dist * np.cos(bearing), here.y + dist * np.sin(bearing)
        geometry[row] = Point(lon, lat)
        start = time.perf_counter()
        live.move_post(sites[Col.SITE_ID].iloc[row], lon, lat)
        figures = live.figures()
        incremental.append(time.perf_counter() - start)
        if step % full_every == 0:
            edited = replace(op, sites=sites.set_geometry(gpd.GeoSeries(geometry, crs=WGS84)))
            start = time.perf_counter()
            expected = Figures.of_analysis(
                analyse(edited, preset=base.staffing.preset, area_level=base.area_level)
            )
            full.append(time.perf_counter() - start)
            equal.append(figures == expected)
    inc_ms = statistics.median(incremental) * 1000
    full_ms = statistics.median(full) * 1000
    return {
        "operation": name,
        "tps": int((sites[Col.KIND] == "polling_station").sum()),
        "posts": len(posts),
        "areas": len(op.areas),
        "moves": moves,
        "incremental_ms_median": round(inc_ms, 2),
        "incremental_ms_max": round(max(incremental) * 1000, 2),
        "full_ms_median": round(full_ms, 1),
        "full_runs": len(full),
        "ratio": round(full_ms / inc_ms, 1),
        "figures_equal": all(equal),
        "first_analyse_s": round(first_full_s, 2),
        "live_build_s": round(build_s, 2),
    }


def main() -> None:
    province = operation(_province(), (0.5, 0.1), seed=1)
    print(json.dumps(run("province", province, moves=60, full_every=6, seed=2)), flush=True)
    national = operation(_national(), (2.0, 0.5), seed=3)
    print(json.dumps(run("national", national, moves=20, full_every=7, seed=4)), flush=True)


if __name__ == "__main__":
    main()
