"""A seeded synthetic operation with realistic stacking, for the map drawn by zoom.

Built on the bundled sample (its areas, settings, buildings): TPS spread around the sample's
own TPS, most of them sharing a spot with others (a school holds several TPS), plus one spot
holding `big_stack` TPS and, optionally, extra posts.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.model import Col, Kind
from geo.operation import Operation
from geo.schema import canonical_sites

__all__ = ["BIG_STACK_AT", "stacked_operation"]

# Where the big stack stands (lat, lon): in the sample's city, away from its other sites.
BIG_STACK_AT = (-2.1205, 106.1321)


def _tps(template: pd.DataFrame, n: int, rng: np.random.Generator, spread: float) -> pd.DataFrame:
    """`n` TPS at spots of 1 to 12 TPS each, around the template's TPS."""
    sizes = rng.integers(1, 13, size=n)
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n)) + 1]
    spot = np.repeat(np.arange(len(sizes)), sizes)[:n]
    anchors = template.sample(len(sizes), replace=True, random_state=int(rng.integers(1 << 31)))
    lon = anchors.geometry.x.to_numpy() + rng.normal(0, spread, len(sizes))
    lat = anchors.geometry.y.to_numpy() + rng.normal(0, spread, len(sizes))
    rows = anchors.iloc[spot].reset_index(drop=True)
    return rows.set_geometry(gpd.points_from_xy(lon[spot], lat[spot], crs="EPSG:4326"))


def _posts(template: pd.DataFrame, n: int, rng: np.random.Generator, spread: float):
    rows = template.sample(n, replace=True, random_state=int(rng.integers(1 << 31)))
    rows = rows.reset_index(drop=True)
    lon = rows.geometry.x.to_numpy() + rng.normal(0, spread, n)
    lat = rows.geometry.y.to_numpy() + rng.normal(0, spread, n)
    return rows.assign(
        site_id=[f"POS-SYN-{i:05d}" for i in range(n)],
        name=[f"Pos Sintetis {i + 1}" for i in range(n)],
    ).set_geometry(gpd.points_from_xy(lon, lat, crs="EPSG:4326"))


def stacked_operation(
    sample: Operation,
    n_tps: int,
    *,
    big_stack: int = 300,
    extra_posts: int = 0,
    spread: float = 0.01,
    seed: int = 16,
) -> Operation:
    """The sample with its TPS replaced by `n_tps` stacked synthetic ones (`big_stack` of
    them at :data:`BIG_STACK_AT`), plus `extra_posts` posts near its own."""
    rng = np.random.default_rng(seed)
    sites = sample.sites
    template = sites[sites[Col.KIND] == Kind.POLLING_STATION]
    rest = _tps(template, n_tps - big_stack, rng, spread)
    stack = template.iloc[[0] * big_stack].reset_index(drop=True)
    lat, lon = BIG_STACK_AT
    stack = stack.set_geometry(gpd.points_from_xy([lon] * big_stack, [lat] * big_stack))
    stack = stack.set_crs("EPSG:4326", allow_override=True)
    tps = pd.concat([stack, rest], ignore_index=True)
    tps = tps.assign(
        site_id=[f"TPS-SYN-{i:06d}" for i in range(n_tps)],
        name=[f"TPS {i % 999 + 1:03d} {k}" for i, k in enumerate(tps[Col.KELURAHAN])],
        tps_no=np.arange(n_tps) % 999 + 1,
    )
    others = sites[sites[Col.KIND] != Kind.POLLING_STATION]
    frames = [tps, others]
    if extra_posts:
        frames.append(_posts(others[others[Col.KIND] == Kind.POLICE_POST], extra_posts, rng, 0.03))
    merged = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    return Operation(
        key="stacked",
        path=sample.path,
        settings=sample.settings,
        sites=canonical_sites(merged),
        areas=sample.areas,
    )
