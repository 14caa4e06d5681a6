"""Figures of the sample derived without the project's coverage or staffing code.

The sample's files are read with geopandas, every site is measured to every post with
`pyproj.Geod`, and the staffing need is recomputed from a preset table written here.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod

from geo.operation import SAMPLE_OPERATION

_GEOD = Geod(ellps="WGS84")

# The "typical_2024" doctrine preset, copied from DESIGN.md: (Polri, TPS, Linmas) per group.
TYPICAL_2024 = {
    "kurang_rawan": (2, 8, 16),
    "rawan": (2, 2, 4),
    "sangat_rawan": (2, 1, 2),
    "khusus": (2, 1, 2),
}
TYPICAL_MIN_POLRI = 2
WAREHOUSE_POLRI = 5  # a PPK recap warehouse is guarded by 5 Polri (and 5 TNI)


def sample_sites(folder: Path = SAMPLE_OPERATION) -> gpd.GeoDataFrame:
    """The sites file as written, read by geopandas alone."""
    return gpd.read_file(folder / "sites.geojson")


def sample_radii(folder: Path = SAMPLE_OPERATION) -> dict[str, float]:
    """Radius per post type from the operation's settings file, metres."""
    with (folder / "operation.toml").open("rb") as f:
        return {k: float(v) for k, v in tomllib.load(f)["radius_m"].items()}


def reach(sites: gpd.GeoDataFrame, radii: dict[str, float], kind: str) -> np.ndarray:
    """For each site of `kind`: is some post within its radius (a post's own radius wins)?
    A reserve unit's radius is its response reach: it covers nothing."""
    targets = sites[sites["kind"] == kind]
    posts = sites[(sites["kind"] == "police_post") & (sites["post_type"] != "reserve")]
    lon, lat = targets.geometry.x.to_numpy(), targets.geometry.y.to_numpy()
    covered = np.zeros(len(targets), dtype=bool)
    for _, post in posts.iterrows():
        own = post.get("radius_m")
        radius = radii[post["post_type"]] if pd.isna(own) else float(own)
        n = len(targets)
        _, _, dist = _GEOD.inv(np.full(n, post.geometry.x), np.full(n, post.geometry.y), lon, lat)
        covered |= dist <= radius
    return covered


def uncovered_tps(radii: dict[str, float], folder: Path = SAMPLE_OPERATION) -> int:
    """Polling stations no post reaches."""
    return int((~reach(sample_sites(folder), radii, "polling_station")).sum())


def _kecamatan_of(points: gpd.GeoDataFrame, folder: Path = SAMPLE_OPERATION) -> list[str]:
    """The first kecamatan polygon (file order) touching each point, or "outside"."""
    areas = gpd.read_file(folder / "areas.geojson")
    kecamatan = areas[areas["level"] == "kecamatan"]
    found = []
    for point in points.geometry:
        hits = [
            c
            for c, g in zip(kecamatan["area_code"], kecamatan.geometry, strict=True)
            if g.intersects(point)
        ]
        found.append(hits[0] if hits else "outside")
    return found


def polri_needed(preset: dict[str, tuple[int, int, int]], min_polri: int) -> int:
    """Officers needed: per kecamatan and risk class, ceil(TPS / TPS per group) groups of
    max(Polri per group, minimum) officers, plus 5 per PPK warehouse."""
    sites = sample_sites()
    tps = sites[sites["kind"] == "polling_station"]
    counts: dict[tuple[str, str], int] = {}
    for area, risk in zip(_kecamatan_of(tps), tps["risk"], strict=True):
        counts[(area, risk)] = counts.get((area, risk), 0) + 1
    guards = sum(
        math.ceil(n / preset[risk][1]) * max(preset[risk][0], min_polri)
        for (_, risk), n in counts.items()
    )
    warehouses = int((sites["role"] == "ppk").sum())
    return guards + WAREHOUSE_POLRI * warehouses
