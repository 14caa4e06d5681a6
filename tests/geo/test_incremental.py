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
RADII = {
    "mako": 1500.0,
    "polsek": 900.0,
    "pos_pam": 400.0,
    "pos_terpadu": 600.0,
    "patrol": 700.0,
    "reserve": 1100.0,
}


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

    def change(self, site_id: str, **fields: Any) -> None:
        sites = self.operation.sites.copy()
        for column, value in fields.items():
            sites.loc[sites[Col.SITE_ID] == site_id, column] = (
                np.nan if value is None and column == Col.RADIUS_M else value
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
        st.sampled_from(["move", "move_onto", "move_to_edge", "add", "remove", "radius", "change"]),
        st.integers(0, 1000),
        metres,
        metres,
        st.one_of(st.none(), st.floats(50, 3000)),
    ),
    min_size=1,
    max_size=6,
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
    if kind == "change":
        fields = [
            {"post_type": POST_TYPES[pick // 3 % len(POST_TYPES)]},
            {"personnel": pick % 11, "name": "Pos diubah"},
            {"post_type": POST_TYPES[pick // 3 % len(POST_TYPES)], "radius_m": radius},
        ][pick % 3]
        edited.change(pid, **fields)
        return live.change_post(pid, **fields)
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


def _check_steps(operation: Operation, steps: list[tuple]) -> LiveCoverage:
    """Apply the edits one by one; after each, live and full agree, and so do the targets
    the edit says it gained and lost."""
    base = analyse(operation)
    live = LiveCoverage.from_analysis(base)
    assert_same(live, base)
    labels = operation.sites.index
    edited = Edited(operation, next_label=int(labels.max()) + 1 if len(labels) else 0)
    counter = [0]
    before = base
    for step in steps:
        result = _apply(live, edited, step, counter)
        if result is None:
            continue
        full = full_analysis(base, edited.operation)
        assert_same(live, full)
        was = _covered(before)
        now = _covered(full)
        assert set(result.gained) == {k for k in now if now[k] and not was[k]}
        assert set(result.lost) == {k for k in now if was[k] and not now[k]}
        before = full
    return live


def _covered(analysis: Analysis) -> dict[str, bool]:
    targets = analysis.coverage.targets
    return dict(zip(targets[Col.SITE_ID], targets[Derived.COVERED], strict=True))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(operation=operations(), steps=edits)
def test_random_edits_equal_a_full_analysis(operation: Operation, steps: list[tuple]) -> None:
    _check_steps(operation, steps)


# --- edge cases ------------------------------------------------------------------------

LON, LAT = CENTRES[0]


def _live(records: list[dict[str, Any]], areas: gpd.GeoDataFrame | None = None) -> tuple:
    operation = make_operation(records, areas=areas, radius_m=RADII)
    base = analyse(operation)
    live = LiveCoverage.from_analysis(base)
    labels = operation.sites.index
    return live, Edited(operation, next_label=int(labels.max()) + 1), base


def _check(live: LiveCoverage, edited: Edited, base: Analysis) -> Analysis:
    full = full_analysis(base, edited.operation)
    assert_same(live, full)
    return full


@pytest.mark.parametrize(("metres", "covered"), [(900.0, True), (900.0005, True), (900.01, False)])
def test_a_post_moved_onto_the_radius_boundary(metres: float, covered: bool) -> None:
    live, edited, base = _live(
        [
            site("T1", "polling_station", LON, LAT, risk="rawan"),
            site("P1", "police_post", *offset(LON, LAT, 0, 5000), post_type="polsek"),
        ]
    )
    lon, lat = offset(LON, LAT, 123.0, metres)
    edited.move("P1", lon, lat)
    result = live.move_post("P1", lon, lat)
    assert result == EditResult(gained=("T1",) if covered else (), lost=())
    full = _check(live, edited, base)
    assert bool(full.coverage.targets[Derived.COVERED].iloc[0]) is covered


@pytest.mark.parametrize("mover", ["P1", "P3"])
def test_a_post_moved_onto_another_post_ties_to_the_first_site_id(mover: str) -> None:
    live, edited, base = _live(
        [
            site("T1", "polling_station", *offset(LON, LAT, 45, 300), risk="rawan"),
            site("T2", "polling_station", *offset(LON, LAT, 200, 50), risk="khusus"),
            site("P3", "police_post", *offset(LON, LAT, 90, 2000), post_type="pos_pam"),
            site("P2", "police_post", LON, LAT, post_type="pos_pam"),
            site("P1", "police_post", *offset(LON, LAT, 270, 2000), post_type="polsek"),
        ]
    )
    edited.move(mover, LON, LAT)
    live.move_post(mover, LON, LAT)
    full = _check(live, edited, base)
    expected = "P1" if mover == "P1" else "P2"
    assert set(full.coverage.targets[Derived.NEAREST_POST_ID]) == {expected}


def test_a_post_moved_out_of_every_area_leaves_its_officers_outside() -> None:
    areas = gpd.GeoDataFrame(
        {"area_code": ["K1", "C1"], "name": ["Kab", "Kec"], "level": ["kabupaten", "kecamatan"]},
        geometry=[box(LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05)] * 2,
        crs=WGS84,
    )
    live, edited, base = _live(
        [
            site("T1", "polling_station", LON, LAT, risk="rawan"),
            site("P1", "police_post", LON, LAT, post_type="polsek", personnel=12),
        ],
        areas,
    )
    assert [a.available for a in live.figures().staffing.areas] == [12]
    lon, lat = LON + 0.2, LAT
    edited.move("P1", lon, lat)
    live.move_post("P1", lon, lat)
    _check(live, edited, base)
    staffing = {a.code: a.available for a in live.figures().staffing.areas}
    assert staffing == {"K1": 0, "outside": 12}


def test_the_last_post_removed_then_one_added_to_none() -> None:
    live, edited, base = _live(
        [
            site("T1", "polling_station", LON, LAT, risk="rawan"),
            site("D1", "demonstration_point", *offset(LON, LAT, 10, 200)),
            site("P1", "police_post", LON, LAT, post_type="polsek", personnel=4),
        ]
    )
    edited.remove("P1")
    assert live.remove_post("P1") == EditResult(gained=(), lost=("T1", "D1"))
    _check(live, edited, base)
    assert live.figures().uncovered_tps == ("T1",)
    assert live.figures().demonstration[0].nearest_post_id is None
    row = {"site_id": "P9", "name": "Pos", "post_type": "pos_pam", "personnel": 2, "radius_m": 250}
    edited.add(row, LON, LAT)
    assert live.add_post(row, LON, LAT) == EditResult(gained=("T1", "D1"), lost=())
    _check(live, edited, base)


def test_an_operation_with_no_post_gets_its_first() -> None:
    live, edited, base = _live([site("T1", "polling_station", LON, LAT, risk="khusus")])
    row = {"site_id": "P1", "name": "Pos", "post_type": "mako", "personnel": 9}
    lon, lat = offset(LON, LAT, 0, 1400)
    edited.add(row, lon, lat)
    assert live.add_post(row, lon, lat).gained == ("T1",)
    _check(live, edited, base)


def test_posts_moved_across_the_antimeridian() -> None:
    live, edited, base = _live(
        [
            site("T1", "polling_station", 179.9995, -16.5, risk="rawan"),
            site("T2", "polling_station", -179.9995, -16.5, risk="rawan"),
            site("P1", "police_post", 179.99, -16.5, post_type="pos_pam"),
            site("P2", "police_post", -179.95, -16.5, post_type="pos_pam"),
        ]
    )
    steps = [("P1", -179.9999, -16.5), ("P2", 179.9999, -16.5001), ("P1", 180.0, -16.5)]
    for pid, lon, lat in steps:
        edited.move(pid, lon, lat)
        live.move_post(pid, lon, lat)
        _check(live, edited, base)
    assert live.figures().by_kind["polling_station"].covered == 2


def test_a_post_radius_set_and_reset() -> None:
    live, edited, base = _live(
        [
            site("T1", "polling_station", *offset(LON, LAT, 30, 1200), risk="rawan"),
            site("P1", "police_post", LON, LAT, post_type="pos_pam"),
        ]
    )
    for radius, covered in [(1200.0, True), (None, False), (15_000.0, True)]:
        edited.radius("P1", radius)
        live.set_post_radius("P1", radius)
        full = _check(live, edited, base)
        assert bool(full.coverage.targets[Derived.COVERED].iloc[0]) is covered


def test_edits_that_break_the_rules_are_refused() -> None:
    live, _, _ = _live(
        [
            site("T1", "polling_station", LON, LAT, risk="rawan"),
            site("P1", "police_post", LON, LAT, post_type="pos_pam"),
        ]
    )
    before = live.figures()
    with pytest.raises(KeyError, match="P7"):
        live.move_post("P7", LON, LAT)
    with pytest.raises(ValueError, match="latitude"):
        live.move_post("P1", LON, 91.0)
    with pytest.raises(ValueError, match="positive"):
        live.set_post_radius("P1", 0.0)
    with pytest.raises(ValueError, match="T1"):
        live.add_post({"site_id": "T1", "post_type": "pos_pam", "name": "x"}, LON, LAT)
    with pytest.raises(ValueError):
        live.add_post({"site_id": "P8", "post_type": "kapal", "name": "x"}, LON, LAT)
    assert live.figures() == before


def test_a_post_changed_in_type_personnel_and_name() -> None:
    live, edited, base = _live(
        [
            site("T1", "polling_station", *offset(LON, LAT, 30, 1200), risk="rawan"),
            site("P1", "police_post", LON, LAT, post_type="pos_pam", personnel=3),
        ]
    )
    edited.change("P1", post_type="mako", personnel=11, name="Mako Polres")
    assert live.change_post("P1", post_type="mako", personnel=11, name="Mako Polres") == (
        EditResult(gained=("T1",), lost=())
    )
    _check(live, edited, base)
    assert live.figures().staffing.total("available") == 11
    edited.change("P1", radius_m=300.0, personnel=None)
    assert live.change_post("P1", radius_m=300.0, personnel=None).lost == ("T1",)
    _check(live, edited, base)
    with pytest.raises(ValueError, match="colour"):
        live.change_post("P1", colour="red")


def test_a_post_turned_reserve_stops_covering_and_back() -> None:
    # T1 is 300 m from P1 (a pos pam reaches 400 m; a reserve responds within 1,100 m but
    # guards nothing) and 1,000 m from P2 (beyond a polsek's 900 m)
    tps = offset(LON, LAT, 90, 300)
    live, edited, base = _live(
        [
            site("T1", "polling_station", *tps, risk="rawan"),
            site("P1", "police_post", LON, LAT, post_type="pos_pam", personnel=4),
            site("P2", "police_post", *offset(*tps, 0, 1000), post_type="polsek", personnel=6),
        ]
    )
    assert base.coverage.targets.set_index("site_id").loc["T1", "nearest_post_id"] == "P1"
    edited.change("P1", post_type="reserve")
    assert live.change_post("P1", post_type="reserve") == EditResult(gained=(), lost=("T1",))
    full = _check(live, edited, base)
    assert full.coverage.targets.set_index("site_id").loc["T1", "nearest_post_id"] == "P2"
    assert live.figures().staffing.total("available") == 6  # the reserve's officers apart
    edited.move("P1", *tps)  # a reserve on the TPS itself still guards nothing
    assert live.move_post("P1", *tps) == EditResult(gained=(), lost=())
    _check(live, edited, base)
    edited.change("P1", post_type="pos_pam")
    assert live.change_post("P1", post_type="pos_pam") == EditResult(gained=("T1",), lost=())
    full = _check(live, edited, base)
    assert full.coverage.targets.set_index("site_id").loc["T1", "nearest_post_m"] == 0


def test_a_reserve_added_and_removed_changes_no_coverage() -> None:
    live, edited, base = _live(
        [site("T1", "polling_station", *offset(LON, LAT, 0, 50), risk="khusus")]
    )
    row = {"site_id": "RES", "name": "Dalmas", "post_type": "reserve", "personnel": 30}
    edited.add(row, LON, LAT)
    assert live.add_post(row, LON, LAT) == EditResult(gained=(), lost=())
    full = _check(live, edited, base)
    assert full.coverage.targets["nearest_post_id"].isna().all()
    edited.remove("RES")
    assert live.remove_post("RES") == EditResult(gained=(), lost=())
    _check(live, edited, base)
