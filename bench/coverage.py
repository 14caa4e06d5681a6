"""Benchmark: coverage of the national picture, Posko's engine against the naive GeoPandas way.

Run ``python bench/coverage.py``. A seeded synthetic national dataset — 823,000 TPS and
6,000 police posts clustered like settlement over Indonesia's extent (UTM zones 46-54), radii
1-5 km by post type — is covered twice in the same run:

- Posko: ``geo.coverage.nearest_and_covering`` (nearest post, exact geodesic distance,
  covered flag and covering count for every TPS);
- naive: what a GeoPandas user would write — buffer every post in one
  ``estimate_utm_crs()`` zone, ``union_all()``, then ``within``.

Both are checked against ``pyproj.Geod`` on a random sample of 20,000 TPS. It prints one JSON
line: times, misclassified TPS, peak memory, and the same figures for the Pangkalpinang sample.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import geopandas as gpd
import numpy as np
from scipy.spatial import cKDTree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.coverage import nearest_and_covering, post_radii_m
from geo.crs import GEOD
from geo.model import Col, Kind
from geo.operation import load_operation

N_TPS = 823_000
N_POSTS = 6_000
SAMPLE = 20_000
RADIUS_BY_TYPE = {
    "mako": 5000.0,
    "polsek": 3000.0,
    "pos_pam": 1000.0,
    "pos_terpadu": 1500.0,
    "patrol": 2000.0,
}

# (lon, lat, weight): population centres from Sabang to Merauke
CENTRES = [
    (106.83, -6.20, 30),
    (107.61, -6.91, 14),
    (112.75, -7.25, 14),
    (110.42, -6.99, 8),
    (110.37, -7.80, 6),
    (98.67, 3.59, 10),
    (104.75, -2.98, 6),
    (100.35, -0.95, 5),
    (101.45, 0.51, 5),
    (105.26, -5.43, 5),
    (116.85, -1.27, 3),
    (109.33, -0.03, 3),
    (114.59, -3.32, 3),
    (119.41, -5.15, 6),
    (124.84, 1.47, 2),
    (115.22, -8.65, 4),
    (116.10, -8.58, 3),
    (123.59, -10.17, 2),
    (128.18, -3.70, 1),
    (140.72, -2.53, 1),
    (140.40, -8.49, 0.5),
    (95.32, 5.55, 2),
    (106.11, -2.11, 1),
    (122.51, -3.97, 1),
    (131.25, -0.88, 0.5),
    (127.38, 0.79, 0.5),
    (113.92, -2.21, 1),
    (103.61, -1.61, 2),
    (102.26, -3.79, 1),
    (111.52, -7.60, 6),
    (108.22, -7.33, 8),
    (113.70, -8.17, 5),
]


def national(seed: int = 2024) -> tuple[np.ndarray, ...]:
    """TPS and posts (lon, lat) clustered around population centres, plus post radii."""
    rng = np.random.default_rng(seed)
    centres = np.array([(c[0], c[1]) for c in CENTRES])
    weights = np.array([c[2] for c in CENTRES], dtype=float)
    weights /= weights.sum()

    # regions -> towns (lognormal sizes) -> sites around each town; posts stand where
    # people live, so TPS and posts share the towns
    towns = 4000
    region = rng.choice(len(centres), size=towns, p=weights)
    town_lon = centres[region, 0] + rng.normal(0, 0.8, towns)
    town_lat = centres[region, 1] + rng.normal(0, 0.5, towns)
    size = rng.lognormal(0, 1, towns)
    spread = rng.uniform(0.01, 0.06, towns)

    def around_towns(n: int) -> tuple[np.ndarray, np.ndarray]:
        town = rng.choice(towns, size=n, p=size / size.sum())
        return (
            town_lon[town] + rng.normal(0, 1, n) * spread[town],
            town_lat[town] + rng.normal(0, 1, n) * spread[town],
        )

    t_lon, t_lat = around_towns(N_TPS)
    p_lon, p_lat = around_towns(N_POSTS)
    types = rng.choice(list(RADIUS_BY_TYPE), size=N_POSTS, p=[0.05, 0.35, 0.4, 0.1, 0.1])
    radius = np.array([RADIUS_BY_TYPE[t] for t in types])
    return t_lon, t_lat, p_lon, p_lat, radius


def engine(t_lon, t_lat, p_lon, p_lat, radius) -> tuple[float, np.ndarray, object]:
    start = time.perf_counter()
    result = nearest_and_covering(t_lon, t_lat, p_lon, p_lat, source_radius_m=radius)
    return time.perf_counter() - start, result.covered, result


def naive(t_lon, t_lat, p_lon, p_lat, radius) -> tuple[float, np.ndarray]:
    """Buffer in one UTM zone, union, within: what a first GeoPandas script does."""
    start = time.perf_counter()
    posts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(p_lon, p_lat), crs="EPSG:4326")
    utm = posts.estimate_utm_crs()
    rings = posts.to_crs(utm).buffer(radius, quad_segs=16)
    covered_area = rings.union_all()
    tps = gpd.GeoSeries(gpd.points_from_xy(t_lon, t_lat), crs="EPSG:4326").to_crs(utm)
    covered = tps.within(covered_area).to_numpy()
    return time.perf_counter() - start, covered


def truth(t_lon, t_lat, p_lon, p_lat, radius, sample: np.ndarray) -> np.ndarray:
    """Covered or not by pyproj.Geod to every post within 50 km (ground truth).

    A generous 50 km pre-selection (every radius is 5 km or less) keeps this to seconds
    without depending on the engine's own bounds.
    """
    posts = cKDTree(np.column_stack(_unit(p_lon, p_lat)))
    near = posts.query_ball_point(
        np.column_stack(_unit(t_lon[sample], t_lat[sample])), 50_000 / 6_371_000
    )
    out = np.zeros(len(sample), dtype=bool)
    for i, (t, candidates) in enumerate(zip(sample, near, strict=True)):
        if not candidates:
            continue
        c = np.asarray(candidates)
        _, _, dist = GEOD.inv(
            np.full(len(c), t_lon[t]), np.full(len(c), t_lat[t]), p_lon[c], p_lat[c]
        )
        out[i] = bool((dist <= radius[c]).any())
    return out


def _unit(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, ...]:
    lon_r, lat_r = np.radians(lon), np.radians(lat)
    return np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)


def pangkalpinang() -> dict[str, float]:
    operation = load_operation()
    sites = operation.sites
    posts = sites[sites[Col.KIND] == Kind.POLICE_POST]
    tps = sites[sites[Col.KIND] == Kind.POLLING_STATION]
    radius = post_radii_m(posts, operation.settings.radius_m).to_numpy()
    args = (
        tps.geometry.x.to_numpy(),
        tps.geometry.y.to_numpy(),
        posts.geometry.x.to_numpy(),
        posts.geometry.y.to_numpy(),
        radius,
    )
    engine(*args)  # warm-up
    posko_s, covered, _ = min((engine(*args) for _ in range(5)), key=lambda r: r[0])
    naive_s, naive_covered = min((naive(*args) for _ in range(3)), key=lambda r: r[0])
    exact = truth(*args, np.arange(len(tps)))
    return {
        "tps": len(tps),
        "posts": len(posts),
        "posko_ms": round(posko_s * 1000, 2),
        "naive_ms": round(naive_s * 1000, 2),
        "posko_misclassified": int((covered != exact).sum()),
        "naive_misclassified": int((naive_covered != exact).sum()),
    }


def main() -> None:
    data = national()
    engine(data[0][:1000], data[1][:1000], *data[2:])  # warm-up (imports, caches)
    rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    posko_s, covered, _ = min((engine(*data) for _ in range(3)), key=lambda r: r[0])
    peak_posko_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    engine(*data)
    engine_peak_mb = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    naive_s, naive_covered = naive(*data)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sample = np.random.default_rng(7).choice(N_TPS, size=SAMPLE, replace=False)
    exact = truth(*data, sample)
    print(
        json.dumps(
            {
                "tps": N_TPS,
                "posts": N_POSTS,
                "posko_s": round(posko_s, 3),
                "naive_s": round(naive_s, 3),
                "speedup": round(naive_s / posko_s, 1),
                "covered_share": round(float(covered.mean()), 4),
                "sample": SAMPLE,
                "posko_misclassified": int((covered[sample] != exact).sum()),
                "naive_misclassified": int((naive_covered[sample] != exact).sum()),
                "engine_peak_alloc_mb": round(engine_peak_mb),
                "rss_mb_before_posko": round(rss_before_mb),
                "peak_rss_mb_after_posko": round(peak_posko_mb),
                "peak_rss_mb_after_naive": round(peak_mb),
                "pangkalpinang": pangkalpinang(),
            }
        )
    )


if __name__ == "__main__":
    main()
