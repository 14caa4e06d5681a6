"""Live coverage under post edits equals a full analysis of the edited operation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box

from geo.analysis import Analysis, analyse
from geo.crs import WGS84
from geo.incremental import EditResult, Figures, LiveCoverage
from geo.model import Col, Derived, PostType
from geo.operation import Operation
from geo.schema import canonical_sites
from tests.conftest import make_operation, offset, site

POST_TYPES = [p.value for p in PostType]
RISKS = ["kurang_rawan", "rawan", "sangat_rawan", "khusus"]
RADII = {"mako": 1500.0, "polsek": 900.0, "pos_pam": 400.0, "pos_terpadu": 600.0, "patrol": 700.0}


# --- the edited operation, built independently of geo.incremental ----------------------


@dataclass
class Edited:
    """The operation as a plan edit leaves it: rows edited in place, new posts appended."""

    operation: Operation
    next_label: int

    def move(self, site_id: str, lon: float, lat: float) -> None:
        sites = self.operation.sites.copy()
        sites.loc[sites[Col.SITE_ID] == site_id, "geometry"] = Point(lon, lat)
        self.operation = replace(self.operation, sites=sites)

    def radius(self, site_id: str, radius_m: float | None) -> None:
        sites = self.operation.sites.copy()
        sites.loc[sites[Col.SITE_ID] == site_id, Col.RADIUS_M] = (
            np.nan if radius_m is None else radius_m
        )
        self.operation = replace(self.operation, sites=sites)

    def remove(self, site_id: str) -> None:
        sites = self.operation.sites
        self.operation = replace(self.operation, sites=sites[sites[Col.SITE_ID] != site_id])

    def add(self, row: dict[str, Any], lon: float, lat: float) -> None:
        frame = gpd.GeoDataFrame(
            [{"kind": "police_post", **row}],
            geometry=[Point(lon, lat)],
            crs=WGS84,
            index=[self.next_label],
        )
        frame = canonical_sites(frame)[list(self.operation.sites.columns)]
        frame.index = [self.next_label]
        self.next_label += 1
        sites = pd.concat([self.operation.sites, frame])
        self.operation = replace(self.operation, sites=sites)


def full_analysis(base: Analysis, operation: Operation) -> Analysis:
    return analyse(operation, preset=base.staffing.preset, area_level=base.area_level)


def assert_same(live: LiveCoverage, full: Analysis) -> None:
    """Figures and analysis of the live coverage equal those of a full analysis."""
    figures = live.figures()
    expected = Figures.of_analysis(full)
    assert figures == expected
    for got, want in zip(figures.demonstration, expected.demonstration, strict=True):
        assert got.nearest_post_m == pytest.approx(want.nearest_post_m, abs=1e-3, nan_ok=True)
    got = live.analysis()
    metres = Derived.NEAREST_POST_M
    g_t, f_t = got.coverage.targets, full.coverage.targets
    pd.testing.assert_frame_equal(g_t.drop(columns=metres), f_t.drop(columns=metres))
    np.testing.assert_allclose(g_t[metres], f_t[metres], rtol=0, atol=1e-3)
    pd.testing.assert_frame_equal(got.coverage.posts, full.coverage.posts)
    keys = [Derived.TARGET_ID, Derived.POST_ID]
    g_p = got.coverage.pairs.sort_values(keys).reset_index(drop=True)
    f_p = full.coverage.pairs.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(g_p[keys], f_p[keys])
    np.testing.assert_allclose(g_p[Derived.DISTANCE_M], f_p[Derived.DISTANCE_M], atol=1e-3)
    pd.testing.assert_frame_equal(got.operation.sites, full.operation.sites)
    assert got.site_areas.keys() == full.site_areas.keys()
    for level, codes in full.site_areas.items():
        pd.testing.assert_series_equal(got.site_areas[level], codes)
    assert got.staffing == full.staffing
    assert got.report() == full.report()


# --- random operations -----------------------------------------------------------------

# centres: Pangkalpinang, and just west of the antimeridian (sites spill over it)
CENTRES = [(106.113, -2.110), (179.995, -16.5)]


def _lonlat(centre: tuple[float, float], east_m: float, north_m: float) -> tuple[float, float]:
    lon, lat = offset(*centre, 90.0, east_m)
    lon, lat = offset(lon, lat, 0.0, north_m)
    return (lon - 360.0 if lon > 180 else lon), lat


metres = st.floats(-3000, 3000, allow_nan=False)


@st.composite
def operations(draw: st.DrawFn) -> Operation:
    centre = draw(st.sampled_from(CENTRES))
    records = []
    for i in range(draw(st.integers(0, 25))):
        lon, lat = _lonlat(centre, draw(metres), draw(metres))
        records.append(
            site(f"T{i:02d}", "polling_station", lon, lat, risk=draw(st.sampled_from(RISKS)))
        )
    for i in range(draw(st.integers(0, 3))):
        lon, lat = _lonlat(centre, draw(metres), draw(metres))
        records.append(site(f"D{i}", "demonstration_point", lon, lat))
    for i in range(draw(st.integers(0, 5))):
        lon, lat = _lonlat(centre, draw(metres), draw(metres))
        own = draw(st.one_of(st.none(), st.floats(100, 2500)))
        records.append(
            site(
                f"P{draw(st.integers(0, 99)):02d}x{i}",
                "police_post",
                lon,
                lat,
                post_type=draw(st.sampled_from(POST_TYPES)),
                personnel=draw(st.one_of(st.none(), st.integers(0, 30))),
                radius_m=own,
            )
        )
    if draw(st.booleans()):
        records.append(site("W1", "logistics", *_lonlat(centre, 100, 100), role="ppk"))
    order = draw(st.permutations(range(len(records))))
    records = [records[i] for i in order]
    return make_operation(records, areas=draw(area_sets(centre)), radius_m=RADII)


@st.composite
def area_sets(draw: st.DrawFn, centre: tuple[float, float]) -> gpd.GeoDataFrame:
    """Rectangles at two levels (overlaps allowed; some points fall outside all)."""
    rows, shapes = [], []
    for level, count in (
        ("kabupaten", draw(st.integers(0, 2))),
        ("kecamatan", draw(st.integers(0, 4))),
    ):
        for i in range(count):
            west, south = _lonlat(centre, draw(metres), draw(metres))
            w, h = draw(st.floats(300, 4000)), draw(st.floats(300, 4000))
            east, north = _lonlat((west, south), w, h)
            if east < west:  # across the antimeridian: keep the box on one side
                east = 180.0
            rows.append({"area_code": f"{level[:3]}{i}", "name": f"{level} {i}", "level": level})
            shapes.append(box(west, south, east, north))
    return gpd.GeoDataFrame(
        rows or {"area_code": [], "name": [], "level": []}, geometry=shapes, crs=WGS84
    )


edits = st.lists(
    st.tuples(
        st.sampled_from(["move", "move_onto", "move_to_edge", "add", "remove", "radius"]),
        st.integers(0, 1000),
        metres,
        metres,
        st.one_of(st.none(), st.floats(50, 3000)),
    ),
    min_size=1,
    max_size=8,
)


def _apply(
    live: LiveCoverage, edited: Edited, edit: tuple, counter: list[int]
) -> EditResult | None:
    """Apply one random edit to both; None when it does not apply (no post)."""
    kind, pick, east, north, radius = edit
    sites = edited.operation.sites
    posts = sites[sites[Col.KIND] == "police_post"]
    centre = (sites.geometry.x.iloc[0], sites.geometry.y.iloc[0]) if len(sites) else CENTRES[0]
    if kind == "add" or posts.empty:
        counter[0] += 1
        row = {
            "site_id": f"P{pick % 100:02d}new{counter[0]}",
            "name": "Pos baru",
            "post_type": POST_TYPES[pick % len(POST_TYPES)],
            "personnel": pick % 7,
            "radius_m": radius,
        }
        lon, lat = _lonlat(centre, east, north)
        edited.add(row, lon, lat)
        return live.add_post(row, lon, lat)
    post = posts.iloc[pick % len(posts)]
    pid = post[Col.SITE_ID]
    if kind == "remove":
        edited.remove(pid)
        return live.remove_post(pid)
    if kind == "radius":
        edited.radius(pid, radius)
        return live.set_post_radius(pid, radius)
    if kind == "move_onto":  # onto another site: a post (a tie) or a target
        other = sites.iloc[pick % len(sites)]
        lon, lat = other.geometry.x, other.geometry.y
    elif kind == "move_to_edge":  # a target exactly on the post's radius
        targets = sites[sites[Col.KIND].isin(["polling_station", "demonstration_point"])]
        if targets.empty:
            return None
        target = targets.iloc[pick % len(targets)]
        own = post[Col.RADIUS_M]
        reach = RADII[post[Col.POST_TYPE]] if pd.isna(own) or own <= 0 else float(own)
        lon, lat = offset(target.geometry.x, target.geometry.y, float(east) % 360, reach)
    else:
        lon, lat = _lonlat(centre, east, north)
    edited.move(pid, lon, lat)
    return live.move_post(pid, lon, lat)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(operation=operations(), steps=edits)
def test_random_edits_equal_a_full_analysis(operation: Operation, steps: list[tuple]) -> None:
    base = full_analysis_of(operation)
    live = LiveCoverage.from_analysis(base)
    assert_same(live, base)
    edited = Edited(
        operation, next_label=int(operation.sites.index.max()) + 1 if len(operation.sites) else 0
    )
    counter = [0]
    for step in steps:
        before = full_analysis(base, edited.operation).coverage.targets
        result = _apply(live, edited, step, counter)
        if result is None:
            continue
        full = full_analysis(base, edited.operation)
        assert_same(live, full)
        after = full.coverage.targets
        was = dict(zip(before[Col.SITE_ID], before[Derived.COVERED], strict=True))
        now = dict(zip(after[Col.SITE_ID], after[Derived.COVERED], strict=True))
        assert set(result.gained) == {k for k in now if now[k] and not was[k]}
        assert set(result.lost) == {k for k in now if was[k] and not now[k]}


def full_analysis_of(operation: Operation) -> Analysis:
    return analyse(operation)
