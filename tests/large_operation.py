"""A seeded synthetic province for the summary tests: kabupaten/kota → kecamatan → kelurahan
squares, stacked TPS (several on one spot, as in real KPU lists) and a few posts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from geo.crs import WGS84
from geo.model import Settings
from geo.operation import Operation
from geo.schema import canonical_sites

__all__ = ["province"]

_RISKS = np.array(["kurang_rawan", "rawan", "sangat_rawan", "khusus"])
_STEP = 0.02  # degrees per kelurahan square (about 2.2 km)


def _areas(kabupaten: int, kecamatan: int, kelurahan: int) -> gpd.GeoDataFrame:
    """Nested squares: each kabupaten a column of kecamatan, each kecamatan a row of
    kelurahan, codes as Kemendagri writes them (99.01, 99.01.01, 99.01.01.1001)."""
    rows = []
    for a in range(kabupaten):
        kab = f"99.{a + 1:02d}"
        x0 = 100.0 + a * kelurahan * _STEP
        rows.append((kab, f"Kab {a + 1}", "kabupaten", "99", x0, 0.0, kelurahan, kecamatan))
        for b in range(kecamatan):
            kec = f"{kab}.{b + 1:02d}"
            y0 = b * _STEP
            rows.append((kec, f"Kec {a + 1}-{b + 1}", "kecamatan", kab, x0, y0, kelurahan, 1))
            for c in range(kelurahan):
                kel = f"{kec}.{1001 + c}"
                name = f"Kel {a + 1}-{b + 1}-{c + 1}"
                rows.append((kel, name, "kelurahan", kec, x0 + c * _STEP, y0, 1, 1))
    return gpd.GeoDataFrame(
        {
            "area_code": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
            "parent_code": [r[3] for r in rows],
            "approximate": False,
        },
        geometry=[box(x, y, x + w * _STEP, y + h * _STEP) for *_, x, y, w, h in rows],
        crs=WGS84,
    )


def province(
    tps: int = 120_000,
    *,
    posts: int = 150,
    stack: int = 4,
    demonstrations: int = 80,
    kabupaten: int = 4,
    kecamatan: int = 6,
    kelurahan: int = 10,
    seed: int = 16,
) -> Operation:
    """A seeded operation of `tps` polling stations, `stack` to a spot, in
    kabupaten × kecamatan × kelurahan nested square areas, with `posts` Polsek posts (each
    10 officers), `demonstrations` demonstration points and one PPK warehouse per kecamatan;
    a few TPS lie outside every area."""
    rng = np.random.default_rng(seed)
    areas = _areas(kabupaten, kecamatan, kelurahan)
    width, height = kabupaten * kelurahan * _STEP, kecamatan * _STEP
    spots = -(-tps // stack)
    spot_x = rng.uniform(100.0, 100.0 + width, spots)
    spot_y = rng.uniform(0.0, height, spots)
    spot_y[:3] = -0.05  # outside every area
    which = np.repeat(np.arange(spots), stack)[:tps]
    x = np.concatenate(
        [
            spot_x[which],
            rng.uniform(100.0, 100.0 + width, posts),
            rng.uniform(100.0, 100.0 + width, demonstrations),
            100.0 + (np.arange(kabupaten * kecamatan) // kecamatan + 0.5) * kelurahan * _STEP,
        ]
    )
    y = np.concatenate(
        [
            spot_y[which],
            rng.uniform(0.0, height, posts),
            rng.uniform(0.0, height, demonstrations),
            (np.arange(kabupaten * kecamatan) % kecamatan + 0.5) * _STEP,
        ]
    )
    n_ppk = kabupaten * kecamatan
    kind = (
        ["polling_station"] * tps
        + ["police_post"] * posts
        + ["demonstration_point"] * demonstrations
        + ["logistics"] * n_ppk
    )
    ids = (
        [f"TPS-{i:06d}" for i in range(tps)]
        + [f"POS-{i:04d}" for i in range(posts)]
        + [f"DEMO-{i:03d}" for i in range(demonstrations)]
        + [f"PPK-{i:03d}" for i in range(n_ppk)]
    )
    frame = gpd.GeoDataFrame(
        {
            "site_id": ids,
            "kind": kind,
            "name": ids,
            "risk": list(rng.choice(_RISKS, tps, p=[0.7, 0.2, 0.08, 0.02]))
            + [None] * (posts + demonstrations + n_ppk),
            "post_type": [None] * tps + ["polsek"] * posts + [None] * (demonstrations + n_ppk),
            "personnel": [None] * tps + [10] * posts + [None] * (demonstrations + n_ppk),
            "tps_no": list(np.arange(tps) % 50 + 1) + [None] * (posts + demonstrations + n_ppk),
            "kelurahan": [f"K{i % 997}" for i in range(tps)]
            + [None] * (posts + demonstrations + n_ppk),
            "role": [None] * (tps + posts + demonstrations) + ["ppk"] * n_ppk,
            "location_quality": "synthetic",
        },
        geometry=gpd.points_from_xy(x, y),
        crs=WGS84,
    )
    return Operation(
        key="province",
        path=Path("."),
        settings=Settings(title="Provinsi sintetis", synthetic=True),
        sites=canonical_sites(frame),
        areas=areas,
    )
