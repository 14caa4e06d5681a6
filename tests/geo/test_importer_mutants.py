"""Tests that pin what the importer's position checks and number parsing do, line by line.

Written against the survivors of a mutation run (docs/MUTATION.md): each test fixes one
behaviour that a small change of ``geo/importer/_positions.py`` or ``_numbers.py`` would
break. They call the private functions directly, with small arrays and hand-built areas.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from geo.crs import geodesic_m
from geo.importer import ImportChoices, ImportContext, Severity, SignConflictError
from geo.importer._findings import Findings
from geo.importer._numbers import cell_text, fast_numbers, pair, parse_count, parse_number
from geo.importer._positions import (
    _corrections,
    _nearest_corrections,
    _Reference,
    check_axes,
    check_positions,
)
from geo.text import Text

# a tight list of sites around Pangkalpinang (lon, lat), about 1 km apart
LON = np.array([106.100, 106.110, 106.120, 106.105, 106.115])
LAT = np.array([-2.100, -2.110, -2.120, -2.115, -2.105])


def _box(lon0: float, lat0: float, lon1: float, lat1: float) -> Polygon:
    return Polygon([(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1)])


def _areas(*shapes: Polygon) -> gpd.GeoDataFrame:
    codes = [f"A{i}" for i in range(len(shapes))]
    return gpd.GeoDataFrame(
        {"area_code": codes, "name": codes, "level": ["kec"] * len(shapes)},
        geometry=list(shapes),
        crs="EPSG:4326",
    )


AREA = _box(106.0, -2.3, 106.3, -2.0)


def _positions(
    lon: list[float] | np.ndarray,
    lat: list[float] | np.ndarray,
    *,
    areas: gpd.GeoDataFrame | None = None,
    margin_m: float = 5000.0,
    row_fixes: bool = False,
) -> tuple[np.ndarray, np.ndarray, Findings]:
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    found = Findings(len(lon))
    context = ImportContext(areas=areas, margin_m=margin_m)
    out = check_positions(
        lon, lat, ImportChoices(row_fixes=row_fixes), context, found, column="koordinat"
    )
    return *out, found


def _axes(
    lon: list[float], lat: list[float], *, areas=None, margin_m: float = 5000.0, swap=False
) -> tuple[np.ndarray, np.ndarray, Findings]:
    lon_a, lat_a = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    found = Findings(len(lon_a))
    context = ImportContext(areas=areas, margin_m=margin_m)
    out = check_axes(lon_a, lat_a, ImportChoices(swap_axes=swap), context, found)
    return *out, found


def _codes(found: Findings) -> dict[int, str]:
    return {i.row - 1: i.code for i in found.rows}


# --- the reference: the operation's areas, or the list's own centre ---------------------------


def test_the_list_centre_is_the_median_of_the_valid_points() -> None:
    lon = np.array([*LON, np.nan, 500.0])
    lat = np.array([*LAT, -2.1, -2.1])
    ref = _Reference(lon, lat, ImportContext())
    assert ref.areas is None
    assert ref.centre == (106.110, -2.110)
    assert ref.what == Text("ref.list")


def test_the_list_limit_is_ten_times_the_median_spread_but_at_least_50_km() -> None:
    tight = _Reference(LON, LAT, ImportContext())
    assert tight.limit == 50_000.0
    # four points 1 degree from the centre: the median spread is about 111 km
    lon = np.array([100.0, 101.0, 99.0, 100.0, 100.0])
    lat = np.array([0.0, 0.0, 0.0, 1.0, -1.0])
    wide = _Reference(lon, lat, ImportContext())
    spread = geodesic_m(np.full(5, 100.0), np.zeros(5), lon, lat)
    assert wide.limit == pytest.approx(10 * float(np.median(spread)))
    assert wide.limit > 1_000_000


def test_without_any_valid_point_the_centre_is_0_0() -> None:
    ref = _Reference(np.array([np.nan, 200.0]), np.array([1.0, 1.0]), ImportContext())
    assert ref.centre == (0.0, 0.0)
    assert ref.limit == 50_000.0


def test_distances_from_the_list_centre_are_geodesic() -> None:
    ref = _Reference(LON, LAT, ImportContext())
    lon = np.array([106.110, 106.210, 106.110])
    lat = np.array([-2.110, -2.110, -1.910])
    expected = geodesic_m(np.full(3, 106.110), np.full(3, -2.110), lon, lat)
    assert ref.distance_m(lon, lat) == pytest.approx(expected)
    assert ref.distance_m(lon, lat)[0] == 0.0


def test_points_outside_the_globe_are_infinitely_far() -> None:
    ref = _Reference(LON, LAT, ImportContext())
    lon = [106.1, 180.0, -180.0, 180.001, 106.1, 106.1, np.nan, 106.1]
    lat = [90.0, -2.1, -2.1, -2.1, 90.001, -90.001, -2.1, np.nan]
    d = ref.distance_m(lon, lat)
    assert np.isfinite(d[:3]).all()
    assert np.isinf(d[3:]).all()
    assert np.isinf(ref.distance_m([np.nan], [np.nan])).all()


def test_areas_give_the_distance_outside_them_in_metres() -> None:
    ref = _Reference(LON, LAT, ImportContext(areas=_areas(AREA), margin_m=1234.0))
    assert ref.areas is not None
    assert ref.limit == 1234.0
    assert ref.what == Text("ref.areas")
    # inside, then 0.1 degree of latitude south of the box (about 11 km), then invalid
    d = ref.distance_m([106.1, 106.1, 106.1], [-2.1, -2.4, 95.0])
    assert d[0] == 0.0
    assert d[1] == pytest.approx(geodesic_m(106.1, -2.4, 106.1, -2.3), rel=0.01)
    assert np.isinf(d[2])


def test_empty_areas_fall_back_to_the_list() -> None:
    empty = _areas(AREA).iloc[0:0]
    ref = _Reference(LON, LAT, ImportContext(areas=empty))
    assert ref.areas is None
    assert ref.what == Text("ref.list")


def test_areas_in_another_crs_are_read_in_degrees() -> None:
    metric = _areas(AREA).to_crs("EPSG:32748")
    ref = _Reference(LON, LAT, ImportContext(areas=metric))
    assert ref.distance_m([106.1], [-2.1])[0] == 0.0
    assert ref.distance_m([106.1], [-2.4])[0] > 10_000


# --- the corrections tried, in order ---------------------------------------------------------


def test_the_corrections_and_their_order() -> None:
    got = list(_corrections(2.0, 3.0))
    expected = [("row_axes_swapped", Text("what.swap"), 3.0, 2.0)]
    for factor in ("10", "100", "1000", "10000", "0.1", "0.01", "0.001"):
        f = float(factor)
        params = {"factor": factor}
        expected += [
            ("decimal_shift", Text("what.lon_shift", params), 2.0 * f, 3.0),
            ("decimal_shift", Text("what.lat_shift", params), 2.0, 3.0 * f),
            ("decimal_shift", Text("what.both_shift", params), 2.0 * f, 3.0 * f),
        ]
    expected += [
        ("sign_flipped", Text("what.lat_sign"), 2.0, -3.0),
        ("sign_flipped", Text("what.lon_sign"), -2.0, 3.0),
    ]
    assert got == expected


class _FixedDistances:
    """A reference whose distances are given per point (lon, lat), for ties and bounds."""

    def __init__(self, limit: float, distances: dict[tuple[float, float], float]) -> None:
        self.limit = limit
        self.distances = distances

    def distance_m(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return np.array(
            [self.distances.get((x, y), math.inf) for x, y in zip(lon, lat, strict=True)]
        )


def test_a_correction_exactly_at_the_limit_counts() -> None:
    ref = _FixedDistances(100.0, {(3.0, 2.0): 100.0})
    best = _nearest_corrections(np.array([2.0]), np.array([3.0]), np.array([0]), ref)
    assert best == {0: ("row_axes_swapped", Text("what.swap"), 3.0, 2.0, 100.0)}


def test_of_equally_near_corrections_the_first_tried_wins() -> None:
    # the swap (tried first) and the flipped latitude sign (tried last) land equally near
    ref = _FixedDistances(100.0, {(3.0, 2.0): 50.0, (2.0, -3.0): 50.0, (-2.0, 3.0): 60.0})
    best = _nearest_corrections(np.array([2.0]), np.array([3.0]), np.array([0]), ref)
    assert best[0][0] == "row_axes_swapped"
    # a strictly nearer later one wins
    ref = _FixedDistances(100.0, {(3.0, 2.0): 50.0, (2.0, -3.0): 49.0})
    best = _nearest_corrections(np.array([2.0]), np.array([3.0]), np.array([0]), ref)
    assert best[0][:4] == ("sign_flipped", Text("what.lat_sign"), 2.0, -3.0)
    assert best[0][4] == 49.0


def test_corrections_beyond_the_limit_are_not_offered() -> None:
    ref = _FixedDistances(100.0, {(3.0, 2.0): 100.5})
    lon, lat = np.array([2.0, 7.0]), np.array([3.0, 8.0])
    assert _nearest_corrections(lon, lat, np.array([0, 1]), ref) == {}
    assert _nearest_corrections(lon, lat, np.array([], dtype=int), ref) == {}


# --- check_positions -------------------------------------------------------------------------


def test_a_clean_list_passes_untouched() -> None:
    lon, lat, found = _positions(LON, LAT)
    assert found.rows == [] and found.file == []
    assert (lon == LON).all() and (lat == LAT).all()


def test_a_misplaced_row_is_rejected_with_the_suggested_correction() -> None:
    _, lat, found = _positions([*LON, 106.11], [*LAT, 2.11])
    (issue,) = found.rows
    assert (issue.row, issue.column, issue.code) == (6, "koordinat", "sign_flipped")
    assert issue.severity == Severity.ERROR
    assert (issue.fix_text, issue.fix_id) == (Text("fix.row_fixes"), "row_fixes")
    params = issue.text.params
    assert issue.text.key == "issue.misplaced"
    assert params["where"] == "2.11000, 106.11000"
    assert params["fixed"] == "-2.11000, 106.11000"
    assert params["what"] == Text("what.lat_sign")
    assert params["ref"] == Text("ref.list")
    # the centre is the median of all six rows: (106.11, -2.1075)
    assert params["distance_m"] == pytest.approx(geodesic_m(106.11, -2.1075, 106.11, 2.11))
    assert params["fixed_distance_m"] == pytest.approx(geodesic_m(106.11, -2.1075, 106.11, -2.11))
    assert params["column"] == "koordinat"
    # not corrected without the choice
    assert lat[5] == 2.11


def test_with_row_fixes_the_correction_is_applied_and_noted() -> None:
    lon_in = np.array([*LON, 1.06110, 106.11])
    lat_in = np.array([*LAT, -2.11, 2.11])
    lon, lat, found = _positions(lon_in, lat_in, row_fixes=True)
    assert lon[5] == pytest.approx(106.11) and lat[5] == -2.11
    assert lon[6] == 106.11 and lat[6] == -2.11
    assert lon_in[5] == 1.06110 and lat_in[6] == 2.11  # the caller's arrays are kept
    shift, sign = found.rows
    assert (shift.row, shift.code, shift.severity) == (6, "decimal_shift_fixed", Severity.INFO)
    assert (sign.row, sign.code, sign.column) == (7, "sign_flipped_fixed", "koordinat")
    assert shift.text.key == "issue.misplaced_fixed"
    assert shift.text.params["what"] == Text("what.lon_shift", {"factor": "100"})
    assert shift.text.params["where"] == "-2.11000, 1.06110"
    assert shift.text.params["fixed"] == "-2.11000, 106.11000"
    assert sign.text.params["column"] == "koordinat"
    assert (shift.fix_text, shift.fix_id) == (None, "")
    assert found.rejected_rows() == set()


def test_a_swapped_row_among_good_ones() -> None:
    lon, lat, found = _positions([*LON, -2.11], [*LAT, 106.11], areas=_areas(AREA))
    (issue,) = found.rows
    assert issue.code == "row_axes_swapped"
    assert issue.text.params["ref"] == Text("ref.areas")
    assert issue.text.params["fixed"] == "-2.11000, 106.11000"
    lon, lat, found = _positions([*LON, -2.11], [*LAT, 106.11], areas=_areas(AREA), row_fixes=True)
    assert (lon[5], lat[5]) == (106.11, -2.11)


def test_an_out_of_range_row_without_correction_is_rejected() -> None:
    _, lat, found = _positions([*LON, 106.11], [*LAT, 95.0], row_fixes=True)
    (issue,) = found.rows
    assert (issue.row, issue.code, issue.severity) == (6, "coord_out_of_range", Severity.ERROR)
    assert issue.text.key == "issue.coord_out_of_range"
    assert issue.text.params["where"] == "95.00000, 106.11000"
    assert issue.column == "koordinat"
    assert issue.fix_text == Text("fix.check_source")
    assert lat[5] == 95.0


@pytest.mark.parametrize(("lon", "lat"), [(106.11, 90.0), (180.0, -2.11), (-180.0, -2.11)])
def test_the_poles_and_the_antimeridian_are_in_range(lon: float, lat: float) -> None:
    _, _, found = _positions([*LON, lon], [*LAT, lat])
    assert [i.row for i in found.rows] == [6]  # far, but not out of range
    assert found.rows[0].code not in {"coord_out_of_range", "decimal_shift", "sign_flipped"}


@pytest.mark.parametrize(("lon", "lat"), [(106.11, 90.001), (180.001, -2.11), (-180.5, -2.11)])
def test_just_past_the_poles_or_the_antimeridian_is_out_of_range(lon: float, lat: float) -> None:
    _, _, found = _positions([*LON, lon], [*LAT, lat])
    assert _codes(found) == {5: "coord_out_of_range"}


def test_a_far_row_is_named_with_its_distance() -> None:
    _, _, found = _positions([*LON, 104.7754], [*LAT, -2.9761], areas=_areas(AREA))
    (issue,) = found.rows
    assert (issue.row, issue.code, issue.column) == (6, "far_from_area", "koordinat")
    assert issue.text.params["where"] == "-2.97610, 104.77540"
    assert issue.text.params["ref"] == Text("ref.areas")
    ref = _Reference(LON, LAT, ImportContext(areas=_areas(AREA)))
    assert issue.text.params["distance_m"] == ref.distance_m([104.7754], [-2.9761])[0]
    # kept or rejected, the planner reads how far the row is and what to do about it
    assert issue.severity in {Severity.WARNING, Severity.ERROR}
    for lang in ("id", "en"):
        assert "km" in issue.message(lang)
        assert issue.fix(lang)
    _, _, found = _positions([*LON, 104.7754], [*LAT, -2.9761])
    assert _codes(found) == {5: "outlier"}
    assert found.rows[0].text.params["ref"] == Text("ref.list")


def test_rows_without_both_numbers_are_left_to_the_other_checks() -> None:
    lon, lat, found = _positions([*LON, np.nan, 500.0], [*LAT, 95.0, np.nan], row_fixes=True)
    assert found.rows == []
    assert np.isnan(lon[5]) and np.isnan(lat[6])


def test_with_no_margin_only_rows_outside_the_areas_are_flagged() -> None:
    _, _, found = _positions(LON, LAT, areas=_areas(AREA), margin_m=0.0)
    assert found.rows == []
    _, _, found = _positions([*LON, 106.1], [*LAT, -2.31], areas=_areas(AREA), margin_m=0.0)
    assert _codes(found) == {5: "far_from_area"}


# --- check_axes ------------------------------------------------------------------------------


def test_swap_axes_swaps_every_row_and_says_so() -> None:
    lon, lat, found = _axes([1.0, 2.0], [3.0, 4.0], swap=True)
    assert lon.tolist() == [3.0, 4.0] and lat.tolist() == [1.0, 2.0]
    (issue,) = found.file
    assert (issue.code, issue.severity, issue.text.key) == (
        "axes_swapped_fixed",
        Severity.INFO,
        "issue.axes_swapped_fixed",
    )
    assert found.rows == []


def test_a_file_of_swapped_axes_is_rejected_row_by_row() -> None:
    lon, lat, found = _axes([-2.1, -2.2, np.nan], [106.1, 106.2, 106.3])
    assert np.isnan(lon).all() and np.isnan(lat).all() and len(lon) == 3
    (whole,) = found.file
    assert (whole.code, whole.severity, whole.fix_id) == (
        "axes_swapped",
        Severity.ERROR,
        "swap_axes",
    )
    assert whole.text.key == "issue.axes_swapped"
    assert whole.fix_text == Text("fix.swap_axes")
    assert [i.row for i in found.rows] == [1, 2]
    first = found.rows[0]
    assert (first.code, first.severity, first.fix_id) == (
        "axes_swapped",
        Severity.ERROR,
        "swap_axes",
    )
    assert first.fix_text == Text("fix.swap_axes")
    assert first.text.key == "issue.axes_swapped_row"
    assert first.text.params["lat"] == "106.10000"
    assert first.text.params["lon"] == "-2.10000"


def test_half_a_file_looking_swapped_is_not_enough() -> None:
    lon, lat, found = _axes([-2.1, 106.1], [106.1, -2.1])
    assert found.file == [] and found.rows == []
    assert lon.tolist() == [-2.1, 106.1] and lat.tolist() == [106.1, -2.1]
    _, _, found = _axes([-2.1, 106.1, -2.2], [106.1, -2.1, 106.2])
    assert [i.code for i in found.file] == ["axes_swapped"]


@pytest.mark.parametrize(
    ("lon", "lat", "swapped"),
    [(90.0, 106.1, True), (90.001, 106.1, False), (-2.1, 90.0, False), (-2.1, 90.001, True)],
)
def test_what_looks_swapped_at_the_bounds(lon: float, lat: float, swapped: bool) -> None:
    _, _, found = _axes([lon], [lat])
    assert bool(found.file) is swapped


def test_no_usable_number_leaves_the_axes_alone() -> None:
    lon, lat, found = _axes([np.nan, 5.0], [1.0, np.nan])
    assert found.file == [] and found.rows == []
    assert lon[1] == 5.0 and lat[0] == 1.0


def test_swapped_axes_within_range_are_found_against_the_areas() -> None:
    area = _areas(Point(2.0, 40.0).buffer(0.1))
    # the list is written at (lon 40, lat 2); read the other way round it lies in the area
    lat = [2.0 + i * 0.001 for i in range(4)]
    lon = [40.0] * 4
    _, _, found = _axes(lon, lat, areas=area)
    assert [i.code for i in found.file] == ["axes_swapped"]
    # written the right way round, nothing is said
    _, _, found = _axes(lat, lon, areas=area)
    assert found.file == []
    # the area margin decides: a swapped list 20 km outside is swapped only with the margin
    far = _areas(Point(2.2, 40.0).buffer(0.01))
    _, _, found = _axes(lon, lat, areas=far, margin_m=30_000.0)
    assert [i.code for i in found.file] == ["axes_swapped"]
    _, _, found = _axes(lon, lat, areas=far, margin_m=1_000.0)
    assert found.file == []


def test_an_area_holding_both_readings_with_no_margin_is_not_a_swap() -> None:
    both = _areas(_box(0.0, 0.0, 50.0, 50.0))
    _, _, found = _axes([40.0, 40.1], [2.0, 2.1], areas=both, margin_m=0.0)
    assert found.file == []
    # the swapped reading exactly inside (distance 0 = the limit) counts as near
    north = _areas(_box(1.0, 39.0, 3.0, 41.0))
    _, _, found = _axes([40.0, 40.1], [2.0, 2.1], areas=north, margin_m=0.0)
    assert [i.code for i in found.file] == ["axes_swapped"]


def test_areas_are_not_asked_when_some_rows_look_swapped_by_their_range() -> None:
    # one row in three reads latitude 100: too few to call the file swapped, and the areas
    # (which would prefer the swapped reading) are then not consulted
    area = _areas(Point(2.0, 40.0).buffer(0.1))
    _, lat, found = _axes([40.0, 40.001, 2.0], [2.0, 2.0, 100.0], areas=area)
    assert found.file == [] and found.rows == []
    assert lat.tolist() == [2.0, 2.0, 100.0]


def test_empty_areas_do_not_decide_a_swap() -> None:
    empty = _areas(AREA).iloc[0:0]
    _, _, found = _axes([2.0, 2.1], [40.0, 40.1], areas=empty)
    assert found.file == []


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("\u22122.5", -2.5),
        ("2\u00ba30 S", -2.5),
        ("2\u02da30 S", -2.5),
        ("2°30\u2032 S", -2.5),
        ("2°30\u2019 S", -2.5),
        ("2°30\u2018 S", -2.5),
        ("2°30\u00b4 S", -2.5),
        ("2°30'36\u2033 S", -2.51),
        ("2°30'36\u201d S", -2.51),
        ("2°30'36\u201c S", -2.51),
        ("2°30'36'' S", -2.51),
        ("2°30'36\"", 2.51),
        ("-2°30'36\"", -2.51),
        ("+2.5", 2.5),
        ("+2.5 U", 2.5),
        ("2,5 LS", -2.5),
        ("2,5 LU", 2.5),
        ("106,5 BT", 106.5),
        ("106,5 BB", -106.5),
        ("2.5 s", -2.5),
        ("2.5 W", -2.5),
        ("2.5 B", -2.5),
        ("2.5 E", 2.5),
        ("2.5 T", 2.5),
        ("2.5 N", 2.5),
        ("  2,5  ", 2.5),
        (2, 2.0),
        (2.5, 2.5),
        (None, None),
        (float("nan"), None),
        ("   ", None),
        ("2 30 36", 2.51),
        ("2 59 59.9", 2 + 59 / 60 + 59.9 / 3600),
    ],
)
def test_notations(cell: object, expected: float | None) -> None:
    got = parse_number(cell)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-12)
        assert isinstance(got, float)


@pytest.mark.parametrize(
    "cell",
    ["2 60 S", "2 30 60 S", "2,5 30 S", "2 30,5 10 S", "inf", "-inf", "nan", "abc", "S 2 N"],
)
def test_notations_refused(cell: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_number(cell)
    assert not isinstance(caught.value, SignConflictError)
    assert cell in str(caught.value)  # the message names the cell


@pytest.mark.parametrize("cell", ["-2.5 LU", "-2.5 N", "+2.5 S", "+106 BB", "-106 BT", "-106 E"])
def test_signs_against_the_hemisphere(cell: str) -> None:
    with pytest.raises(SignConflictError) as caught:
        parse_number(cell)
    assert caught.value.value == cell
    assert str(caught.value) == cell


def test_booleans_are_not_coordinates() -> None:
    with pytest.raises(ValueError):
        parse_number(True)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1.234", 1234),
        ("1,234", 1234),
        ("1.234.567", 1234567),
        (" 12 ", 12),
        ("-3", -3),
        ("2,0", 2),
        ("7.0", 7),
        (None, None),
        (str(2**53), 2**53),
    ],
)
def test_counts(cell: str | None, expected: int | None) -> None:
    got = parse_count(cell)
    assert got == expected
    assert got is None or type(got) is int


@pytest.mark.parametrize("cell", ["2,5", "1.5", "inf", "nan", str(2**53 + 2), "abc"])
def test_counts_refused(cell: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_count(cell)
    assert cell in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-2.5, 106.5", (106.5, -2.5)),
        ("(-2.5; 106.5)", (106.5, -2.5)),
        ("[-2.5 106.5]", (106.5, -2.5)),
        ("-2,5 106,5", (106.5, -2.5)),
        ("2 30 LS 106", (106.0, -2.5)),
        ("2 30 LU 106", (106.0, 2.5)),
        ("2 30 S 106", (106.0, -2.5)),
        ("2 30 N 106", (106.0, 2.5)),
        ("2 30 U 106", (106.0, 2.5)),
        ("2 30 BT 106", (106.0, 2.5)),
        ("2 30 BB 106", (-106.0, 2.5)),
        ("2 30 E 106", (106.0, 2.5)),
        ("2 30 W 106", (-106.0, 2.5)),
        ("2 30 T 106", (106.0, 2.5)),
        ("2 30 B 106", (-106.0, 2.5)),
        ("106 BT, 2 LS", (-2.0, 106.0)),
        # the first cut contradicts its sign ("LU -106"), a later one fits
        ("2 LU -106", (-106.0, 2.0)),  # letters on the wrong axes: the one cut that parses
    ],
)
def test_pairs(cell: str, expected: tuple[float, float]) -> None:
    assert pair(cell) == pytest.approx(expected)


@pytest.mark.parametrize("cell", ["", "  ", "()", "[ ]"])
def test_blank_pairs(cell: str) -> None:
    assert pair(cell) is None


@pytest.mark.parametrize("cell", ["-2.5", "a, b", "1 2 3", "-2.5,", ", 106", "-2.5, 106.5X"])
def test_pairs_refused(cell: str) -> None:
    with pytest.raises(ValueError) as caught:
        pair(cell)
    assert not isinstance(caught.value, SignConflictError)
    assert cell in str(caught.value)


def test_a_pair_with_a_sign_conflict_names_the_cell_part() -> None:
    with pytest.raises(SignConflictError) as caught:
        pair("-2.5 LU, 106.5")
    assert caught.value.value == "-2.5 LU"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(None, None), (float("nan"), None), (3.0, "3"), (3.5, "3.5"), (" a ", "a"), ("  ", None)],
)
def test_cell_text(cell: object, expected: str | None) -> None:
    assert cell_text(cell) == expected


def test_fast_numbers_parse_plain_decimals_only() -> None:
    got = fast_numbers(pd.Series(["1.5", "2,5", None, 3, "x"], dtype=object))
    assert got.dtype == np.float64
    assert got[0] == 1.5 and got[3] == 3.0
    assert np.isnan(got[[1, 2, 4]]).all()
    whole = fast_numbers(pd.Series(["1", "2"], dtype=object))
    assert whole.dtype == np.float64
