"""compute_coverage target by target, post by post and pair by pair against the brute-force
oracle (tests/oracle.py), plus the edges the sample never reaches: long lines, one post,
no targets, ties, own radii that are not set."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.coverage import compute_coverage, nearest_and_covering, post_radii_m
from geo.model import DEFAULT_RADIUS_M, Kind, PostType
from geo.operation import SAMPLE_OPERATION, load_operation
from tests.conftest import make_operation, offset, site
from tests.oracle import coverage_oracle, read_raw_operation

RADIUS_CASES = [{}, {"polsek": 4000.0}, {"mako": 600.0, "polsek": 600.0, "pos_pam": 600.0}]


@pytest.fixture(scope="module")
def sample():
    return load_operation(SAMPLE_OPERATION), read_raw_operation(SAMPLE_OPERATION)


@pytest.mark.parametrize("radius", RADIUS_CASES)
def test_every_target_post_and_pair_matches_brute_force(sample, radius) -> None:
    op, raw = sample
    radii = {**op.settings.radius_m, **{PostType(k): v for k, v in radius.items()}}
    result = compute_coverage(op.sites, radius_m=radii)
    oracle = coverage_oracle(raw, radius_m=radius)
    targets = result.targets.set_index("site_id")
    assert set(targets.index) == set(oracle)
    for target_id, want in oracle.items():
        row = targets.loc[target_id]
        assert bool(row["covered"]) is want["covered"], target_id
        assert int(row["n_covering"]) == want["n_covering"], target_id
        assert row["nearest_post_id"] == want["nearest_post_id"], target_id
        assert row["nearest_post_m"] == pytest.approx(want["nearest_post_m"], abs=0.03)
    pairs = {(r.target_id, r.post_id): r.distance_m for r in result.pairs.itertuples()}
    want_pairs = {(t, p): m for t, w in oracle.items() for p, m in w["covering"].items()}
    assert set(pairs) == set(want_pairs)
    for key, metres in want_pairs.items():
        assert pairs[key] == pytest.approx(metres, abs=0.03)
    tps = {t for t, w in oracle.items() if w["kind"] == "polling_station"}
    posts = result.posts.set_index("site_id")
    assert list(result.posts["site_id"]) == sorted(posts.index)
    for post_id, row in posts.iterrows():
        covered = sum(post_id in oracle[t]["covering"] for t in tps)
        catchment = sum(oracle[t]["nearest_post_id"] == post_id for t in tps)
        assert (int(row["n_covered"]), int(row["n_catchment"])) == (covered, catchment), post_id
        own = op.sites.set_index("site_id").at[post_id, "radius_m"]
        want_radius = own if own > 0 else radii[PostType(row["post_type"])]
        assert row["radius_used_m"] == want_radius
    some = next(t for t, w in oracle.items() if w["n_covering"] > 1)
    order = result.covering_posts(some)
    want_order = sorted(oracle[some]["covering"].items(), key=lambda kv: kv[1])
    assert list(order["post_id"]) == [post for post, _ in want_order]
    assert list(order["distance_m"]) == pytest.approx([m for _, m in want_order], abs=0.03)
    assert set(order["target_id"]) == {some}
    assert list(order.columns) == ["target_id", "post_id", "distance_m"]
    assert list(order.index) == list(range(len(order)))


LON, LAT = 106.113, -2.110


@pytest.mark.parametrize(("metres", "covered"), [(29_999.0, True), (30_001.0, False)])
def test_a_long_line_is_decided_by_the_exact_geodesic(metres: float, covered: bool) -> None:
    """Beyond 10 km the sphere estimate is not trusted: 1 m inside or outside a 30 km reach."""
    lon, lat = offset(LON, LAT, 63.0, metres)
    result = nearest_and_covering([lon], [lat], [LON], [LAT], source_radius_m=[30_000.0])
    assert bool(result.covered[0]) is covered
    assert result.nearest_m[0] == pytest.approx(metres, abs=1e-3)
    assert list(result.pair_m) == ([pytest.approx(metres, abs=1e-3)] if covered else [])


def test_far_nearest_post_distance_is_exact() -> None:
    """Two posts 40 and 80 km away: the nearest one and its exact distance."""
    near = offset(LON, LAT, 10.0, 40_000.0)
    far = offset(LON, LAT, 200.0, 80_000.0)
    result = nearest_and_covering(
        [LON], [LAT], [far[0], near[0]], [far[1], near[1]], source_radius_m=[1.0, 1.0]
    )
    assert result.nearest.tolist() == [1]
    assert result.nearest_m[0] == pytest.approx(40_000.0, abs=1e-3)
    assert result.n_covering.tolist() == [0]


def test_one_post_and_no_targets() -> None:
    lon, lat = offset(LON, LAT, 90.0, 700.0)
    one = nearest_and_covering([lon, LON], [lat, LAT], [LON], [LAT], source_radius_m=[500.0])
    assert one.nearest.tolist() == [0, 0]
    assert one.n_covering.tolist() == [0, 1]
    assert one.nearest_m[0] == pytest.approx(700.0, abs=0.02)
    assert one.nearest_m[1] == pytest.approx(0.0, abs=1e-6)
    assert one.nearest.dtype == np.intp and one.n_covering.dtype == np.intp
    none = nearest_and_covering([], [], [LON], [LAT], source_radius_m=[500.0])
    assert len(none.nearest) == len(none.nearest_m) == len(none.n_covering) == 0
    assert len(none.pair_target) == len(none.pair_source) == len(none.pair_m) == 0
    empty = nearest_and_covering([lon], [lat], [], [], source_radius_m=[])
    assert empty.nearest.tolist() == [-1]
    assert empty.nearest_m.tolist() == [np.inf]
    assert empty.n_covering.tolist() == [0]
    assert empty.covered.tolist() == [False]
    assert empty.pair_m.dtype == np.float64
    assert empty.nearest.dtype == np.intp and empty.n_covering.dtype == np.intp


def test_nearest_of_three_close_rivals() -> None:
    """Three posts within centimetres of the same distance: the truly nearest wins, and a
    tie within a millimetre goes to the lowest index."""
    posts = [offset(LON, LAT, az, m) for az, m in ((0.0, 500.05), (120.0, 500.0), (240.0, 500.02))]
    lon, lat = zip(*posts, strict=True)
    result = nearest_and_covering([LON], [LAT], lon, lat, source_radius_m=[500.01] * 3)
    assert result.nearest.tolist() == [1]
    assert result.nearest_m[0] == pytest.approx(500.0, abs=1e-4)
    assert result.n_covering.tolist() == [1]
    tied = [offset(LON, LAT, az, 500.0) for az in (0.0, 120.0, 240.0)]
    lon, lat = zip(*tied, strict=True)
    for order in ([2, 0, 1], [1, 2, 0]):
        result = nearest_and_covering(
            [LON], [LAT], np.array(lon)[order], np.array(lat)[order], source_radius_m=[1.0] * 3
        )
        assert result.nearest.tolist() == [0]


def test_own_radius_only_when_set_and_positive() -> None:
    posts = pd.DataFrame(
        {
            "post_type": ["polsek", "pos_pam", "mako", "patrol"],
            "radius_m": [750.0, np.nan, 0.0, "-5"],
        }
    )
    radii = post_radii_m(posts, DEFAULT_RADIUS_M)
    assert radii.tolist() == [750.0, 1000.0, 2500.0, 2000.0]
    odd = pd.DataFrame({"post_type": ["polsek", "mako"], "radius_m": ["jauh", 0.5]})
    assert post_radii_m(odd, DEFAULT_RADIUS_M).tolist() == [1500.0, 0.5]
    assert radii.dtype == np.float64
    assert list(radii.index) == list(posts.index)
    without = post_radii_m(posts.drop(columns="radius_m"), {**DEFAULT_RADIUS_M, "mako": 10.0})
    assert without.tolist() == [1500.0, 1000.0, 10.0, 2000.0]
    assert without.dtype == np.float64


def test_target_kinds_and_posts_without_polling_stations() -> None:
    lon, lat = offset(LON, LAT, 0.0, 300.0)
    op = make_operation(
        [
            site("P2", "police_post", LON, LAT, post_type="pos_pam"),
            site("P1", "police_post", lon, lat, post_type="pos_pam"),
            site("D1", "demonstration_point", lon, lat),
            site("T1", "polling_station", LON, LAT, risk="rawan"),
        ]
    )
    radii = {**DEFAULT_RADIUS_M}
    both = compute_coverage(op.sites, radius_m=radii)
    assert sorted(both.targets["site_id"]) == ["D1", "T1"]
    posts = both.posts.set_index("site_id")
    # a demonstration point counts for neither a post's covered TPS nor its catchment
    assert posts.loc["P1", "n_covered"] == 1 and posts.loc["P1", "n_catchment"] == 0
    assert posts.loc["P2", "n_covered"] == 1 and posts.loc["P2", "n_catchment"] == 1
    only_tps = compute_coverage(op.sites, radius_m=radii, target_kinds=(Kind.POLLING_STATION,))
    assert only_tps.targets["site_id"].tolist() == ["T1"]
    assert isinstance(only_tps.targets, gpd.GeoDataFrame)
    assert only_tps.targets["nearest_post_id"].tolist() == ["P2"]
    no_posts = compute_coverage(op.sites[op.sites["kind"] != "police_post"], radius_m=radii)
    assert no_posts.targets["nearest_post_id"].isna().all()
    assert no_posts.targets["nearest_post_m"].isna().all()
    assert no_posts.targets["nearest_post_id"].dtype == "str"
    assert both.targets["nearest_post_m"].dtype == np.float64


def test_a_national_scale_distance_is_exact() -> None:
    """Aceh to Papua scale: 3,000 km from the nearest post, to the millimetre."""
    lon, lat = offset(96.0, 4.0, 100.0, 3_000_000.0)
    result = nearest_and_covering([lon], [lat], [96.0], [4.0], source_radius_m=[1000.0])
    assert result.nearest_m[0] == pytest.approx(3_000_000.0, abs=1e-3)


def test_rivals_far_away_are_measured_exactly() -> None:
    """Two posts 100 km away whose chords differ by less than the chord's error bound: the
    exact geodesic decides which is nearer (here the second one) and gives its distance."""
    first = offset(LON, LAT, 10.0, 100_000.4)
    second = offset(LON, LAT, 200.0, 100_000.0)
    third = offset(LON, LAT, 300.0, 100_000.3)
    lon, lat = zip(first, second, third, strict=True)
    result = nearest_and_covering([LON], [LAT], lon, lat, source_radius_m=[1.0] * 3)
    assert result.nearest.tolist() == [1]
    assert result.nearest_m[0] == pytest.approx(100_000.0, abs=1e-3)
