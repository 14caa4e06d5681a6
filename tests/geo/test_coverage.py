"""Coverage against distances computed independently with pyproj.Geod."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.coverage import compute_coverage, covers, nearest_and_covering
from geo.crs import GEOD
from geo.model import DEFAULT_RADIUS_M, POST_KINDS, TARGET_KINDS, Col, Derived, PostType
from tests.conftest import make_operation, offset, site

LON, LAT = 106.113, -2.110
RADII = {
    **DEFAULT_RADIUS_M,
    PostType.POLSEK: 1000.0,
    PostType.POS_PAM: 500.0,
    PostType.MAKO: 3000.0,
}


def _geod(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2])


@pytest.mark.parametrize(
    ("metres", "covered"),
    [
        (999.95, True),
        (999.99, True),
        (1000.0, True),
        (1000.01, False),
        (1000.05, False),
        (1001.0, False),
        (0.0, True),
    ],
)
@pytest.mark.parametrize("azimuth", [0.0, 37.0, 90.0, 181.0, 299.0])
def test_point_near_the_radius(metres: float, covered: bool, azimuth: float) -> None:
    lon, lat = offset(LON, LAT, azimuth, metres)
    op = make_operation(
        [
            site("P1", "police_post", LON, LAT, post_type="polsek"),
            site("T1", "polling_station", lon, lat, risk="rawan"),
        ]
    )
    result = compute_coverage(op.sites, radius_m=RADII)
    row = result.targets.iloc[0]
    assert bool(row["covered"]) is covered
    assert row["nearest_post_id"] == "P1"
    assert row["nearest_post_m"] == pytest.approx(_geod(LON, LAT, lon, lat), abs=0.02)


def test_posts_with_different_radii_and_counts() -> None:
    tps_lon, tps_lat = offset(LON, LAT, 45.0, 800.0)
    far_lon, far_lat = offset(LON, LAT, 225.0, 2900.0)
    op = make_operation(
        [
            site("PAM", "police_post", LON, LAT, post_type="pos_pam"),
            site("MAKO", "police_post", far_lon, far_lat, post_type="mako"),
            site("POLSEK", "police_post", *offset(LON, LAT, 0, 1500), post_type="polsek"),
            site("T", "polling_station", tps_lon, tps_lat, risk="kurang_rawan"),
            site("D", "demonstration_point", *offset(LON, LAT, 90, 20_000)),
        ]
    )
    result = compute_coverage(op.sites, radius_m=RADII)
    t = result.targets.set_index("site_id")
    assert t.loc["T", "nearest_post_id"] == "PAM"  # 800 m away, but its radius is 500 m
    assert not t.loc["D", "covered"]
    covering = result.covering_posts("T")
    expected = {
        pid: _geod(tps_lon, tps_lat, lon, lat)
        for pid, lon, lat in [("MAKO", far_lon, far_lat), ("POLSEK", *offset(LON, LAT, 0, 1500))]
    }
    expected = {k: v for k, v in expected.items() if v <= RADII[PostType(k.lower())]}
    assert list(covering["post_id"]) == sorted(expected, key=expected.get)
    assert t.loc["T", "n_covering"] == len(expected)
    posts = result.posts.set_index("site_id")
    assert posts.loc["PAM", "n_catchment"] == 1
    assert posts.loc["PAM", "n_covered"] == 0


def test_own_radius_overrides_post_type() -> None:
    lon, lat = offset(LON, LAT, 10, 1800)
    op = make_operation(
        [
            site("P", "police_post", LON, LAT, post_type="polsek", radius_m=2000),
            site("T", "polling_station", lon, lat, risk="rawan"),
        ]
    )
    result = compute_coverage(op.sites, radius_m=RADII)
    assert result.targets["covered"].all()
    assert result.posts["radius_used_m"].iloc[0] == 2000


@pytest.mark.parametrize("order", [("A", "B"), ("B", "A")])
def test_equidistant_posts_tie_break_on_site_id(order: tuple[str, str]) -> None:
    positions = {"A": (LON - 0.01, 0.0), "B": (LON + 0.01, 0.0)}
    op = make_operation(
        [site(k, "police_post", *positions[k], post_type="polsek") for k in order]
        + [site("T", "polling_station", LON, 0.0, risk="rawan")]
    )
    result = compute_coverage(op.sites, radius_m=RADII)
    assert result.targets.iloc[0]["nearest_post_id"] == "A"


def test_random_points_match_brute_force_geodesics() -> None:
    rng = np.random.default_rng(7)
    t_lon = LON + rng.normal(0, 0.03, 400)
    t_lat = LAT + rng.normal(0, 0.03, 400)
    s_lon = LON + rng.normal(0, 0.03, 25)
    s_lat = LAT + rng.normal(0, 0.03, 25)
    radius = rng.uniform(300, 3000, 25)
    result = nearest_and_covering(t_lon, t_lat, s_lon, s_lat, source_radius_m=radius)
    dist = np.array(
        [
            [_geod(a, b, c, d) for c, d in zip(s_lon, s_lat, strict=True)]
            for a, b in zip(t_lon, t_lat, strict=True)
        ]
    )
    np.testing.assert_array_equal(result.nearest, dist.argmin(axis=1))
    np.testing.assert_allclose(result.nearest_m, dist.min(axis=1), atol=0.02)
    np.testing.assert_array_equal(result.n_covering, (dist <= radius).sum(axis=1))


def test_no_posts_leaves_every_target_uncovered() -> None:
    op = make_operation([site("T", "polling_station", LON, LAT, risk="rawan")])
    result = compute_coverage(op.sites, radius_m=RADII)
    assert not result.targets["covered"].any()
    assert result.targets["nearest_post_m"].isna().all()
    assert result.pairs.empty


def test_input_is_not_changed(sample_operation) -> None:
    before = sample_operation.sites.copy()
    compute_coverage(sample_operation.sites, radius_m=RADII)
    assert before.equals(sample_operation.sites)
    assert "covered" not in sample_operation.sites


# --- anywhere on Earth ----------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _brute(t_lon, t_lat, s_lon, s_lat):
    return np.array(
        [
            [_geod(a, b, c, d) for c, d in zip(s_lon, s_lat, strict=True)]
            for a, b in zip(t_lon, t_lat, strict=True)
        ]
    )


@pytest.mark.parametrize(
    ("name", "post", "azimuths"),
    [
        ("antimeridian", (179.999, 0.5), [90.0, 270.0, 45.0]),  # targets on both sides of 180
        ("near the north pole", (10.0, 89.99), [0.0, 90.0, 180.0]),  # across the pole
        ("near the south pole", (-120.0, -89.995), [0.0, 135.0]),
        ("UTM zone border 48/49", (108.0, -2.0), [90.0, 270.0]),
    ],
)
def test_awkward_places(name: str, post: tuple[float, float], azimuths: list[float]) -> None:
    targets = [offset(*post, az, d) for az in azimuths for d in (999.9, 1000.0, 1000.1, 1800.0)]
    t_lon = np.array([p[0] for p in targets])
    t_lat = np.array([p[1] for p in targets])
    result = nearest_and_covering(t_lon, t_lat, [post[0]], [post[1]], source_radius_m=[1000.0])
    dist = _brute(t_lon, t_lat, [post[0]], [post[1]])[:, 0]
    np.testing.assert_allclose(result.nearest_m, dist, atol=0.02)
    np.testing.assert_array_equal(result.covered, dist <= 1000.0 + 1e-3)
    assert result.covered.sum() == 2 * len(azimuths)  # 999.9 and 1000.0 in, the rest out


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    centre_lon=st.floats(-180, 180),
    centre_lat=st.floats(-89, 89),
    spread=st.sampled_from([0.001, 0.01, 0.05, 0.3]),
    n_targets=st.integers(1, 30),
    n_sources=st.integers(1, 12),
)
def test_matches_brute_force_anywhere(
    seed, centre_lon, centre_lat, spread, n_targets, n_sources
) -> None:
    rng = np.random.default_rng(seed)
    t_lon = (centre_lon + rng.normal(0, spread, n_targets) + 180) % 360 - 180
    t_lat = np.clip(centre_lat + rng.normal(0, spread, n_targets), -89.9, 89.9)
    s_lon = (centre_lon + rng.normal(0, spread, n_sources) + 180) % 360 - 180
    s_lat = np.clip(centre_lat + rng.normal(0, spread, n_sources), -89.9, 89.9)
    radius = rng.uniform(50, 20_000, n_sources)
    result = nearest_and_covering(t_lon, t_lat, s_lon, s_lat, source_radius_m=radius)
    dist = _brute(t_lon, t_lat, s_lon, s_lat)
    best = dist.min(axis=1)
    np.testing.assert_allclose(result.nearest_m, best, atol=0.5)
    chosen = dist[np.arange(n_targets), result.nearest]
    np.testing.assert_allclose(chosen, best, atol=1e-3)  # the nearest, or a tie within 1 mm
    np.testing.assert_array_equal(result.n_covering, (dist <= radius + 1e-3).sum(axis=1))
    pairs = dist[result.pair_target, result.pair_source]
    np.testing.assert_allclose(result.pair_m, pairs, atol=0.5)


def test_threatened_buildings_and_weighted_score(sample_analysis) -> None:
    demo = sample_analysis.demonstration_points.set_index("site_id")
    assert demo.loc["DEMO-DPRD", "threatened_id"] == "GOV-DPRD"
    assert demo.loc["DEMO-DPRD", "threatened_m"] <= 1000
    by_risk = sample_analysis.by_risk()
    weights = sample_analysis.settings.risk_weights
    expected = sum(weights[r] * by_risk[r].covered for r in weights) / sum(
        weights[r] * by_risk[r].total for r in weights
    )
    assert sample_analysis.weighted_score() == pytest.approx(expected)
    assert sample_analysis.report()["weighted_score"] == round(expected, 4)


def test_per_area_figures_at_every_level(sample_analysis) -> None:
    kelurahan = sample_analysis.by_area("kelurahan")
    kecamatan = sample_analysis.by_area("kecamatan")
    assert len(kelurahan) == 42 and len(kecamatan) == 7
    assert sum(v.total for v in kelurahan.values()) == 311
    assert sum(v.uncovered for v in kecamatan.values()) == len(sample_analysis.uncovered_tps)


def test_sites_outside_every_area_are_reported(sample_operation) -> None:
    from dataclasses import replace

    from geo.analysis import analyse

    sites = sample_operation.sites.copy()
    far = sites.index[sites["kind"] == "polling_station"][:3]
    sites.loc[far, "geometry"] = gpd.points_from_xy([105.5] * 3, [-2.9] * 3, crs="EPSG:4326")
    analysis = analyse(replace(sample_operation, sites=sites))
    outside = analysis.by_area("kecamatan")["outside"]
    assert outside.total == 3


def test_derived_columns_are_named_once(sample_analysis) -> None:
    coverage = sample_analysis.coverage
    target_columns = {
        Derived.NEAREST_POST_ID,
        Derived.NEAREST_POST_M,
        Derived.COVERED,
        Derived.N_COVERING,
        Derived.AREA,
        Derived.THREATENED_ID,
        Derived.THREATENED_M,
    }
    assert target_columns <= set(coverage.targets.columns)
    post_columns = {Derived.RADIUS_USED_M, Derived.N_COVERED, Derived.N_CATCHMENT}
    assert post_columns <= set(coverage.posts.columns)
    assert list(coverage.pairs.columns) == [Derived.TARGET_ID, Derived.POST_ID, Derived.DISTANCE_M]
    assert set(coverage.targets[Col.KIND]) == set(TARGET_KINDS)
    assert set(coverage.posts[Col.KIND]) == set(POST_KINDS)


def test_a_reserve_unit_covers_no_target() -> None:
    # the reserve's base is 300 m from the TPS (well within its 5 km response reach), the
    # only static post 1,200 m away beyond its 1 km reach: the TPS stays unguarded
    tps = offset(LON, LAT, 90, 300)
    op = make_operation(
        [
            site("RES", "police_post", LON, LAT, post_type="reserve", personnel=60),
            site("PAM", "police_post", *offset(*tps, 0, 1200), post_type="pos_pam"),
            site("T", "polling_station", *tps, risk="rawan"),
            site("D", "demonstration_point", *offset(LON, LAT, 180, 100)),
        ]
    )
    radii = {**RADII, PostType.RESERVE: 5000.0, PostType.POS_PAM: 1000.0}
    result = compute_coverage(op.sites, radius_m=radii)
    t = result.targets.set_index("site_id")
    assert not t.loc["T", "covered"] and not t.loc["D", "covered"]
    assert t.loc["T", "nearest_post_id"] == "PAM"  # never the reserve, however near
    assert t.loc["T", "nearest_post_m"] == pytest.approx(1200, abs=0.01)
    assert result.pairs.empty
    posts = result.posts.set_index("site_id")
    assert posts.loc["RES", "radius_used_m"] == 5000
    assert (posts.loc["RES", "n_covered"], posts.loc["RES", "n_catchment"]) == (0, 0)
    assert list(covers(result.posts)) == [True, False]  # sorted by site id: PAM, RES
    assert list(result.covering["site_id"]) == ["PAM"]
    assert list(result.reserves["site_id"]) == ["RES"]


def test_a_reserve_alone_leaves_every_target_without_a_post() -> None:
    op = make_operation(
        [
            site("RES", "police_post", LON, LAT, post_type="reserve"),
            site("T", "polling_station", *offset(LON, LAT, 0, 10), risk="khusus"),
        ]
    )
    result = compute_coverage(op.sites, radius_m={**RADII, PostType.RESERVE: 5000.0})
    target = result.targets.iloc[0]
    assert not target["covered"] and pd.isna(target["nearest_post_id"])
    assert len(result.posts) == 1
