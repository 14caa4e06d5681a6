"""Coverage against distances computed independently with pyproj.Geod."""

from __future__ import annotations

import numpy as np
import pytest

from geo.coverage import compute_coverage, nearest_and_covering
from geo.crs import GEOD
from geo.model import DEFAULT_RADIUS_M, PostType
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
