"""Position checks: swapped axes, misplaced rows and their nearest correction, far rows."""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import WGS84, geodesic_m, local_metric_crs
from geo.importer._crs import nothing
from geo.importer._findings import CHECK, Findings
from geo.importer.options import ImportChoices, ImportContext
from geo.importer.report import Severity
from geo.text import Text

__all__ = ["check_axes", "check_positions"]

# Without operation areas, a row this far (and 10x further than is typical for the list)
# from the list's own centre is an outlier.
_OUTLIER_MIN_M = 50_000.0
_SHIFT_FACTORS = (10.0, 100.0, 1000.0, 10_000.0, 0.1, 0.01, 0.001)


def _valid(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)


class _Reference:
    """Where the sites should be: the operation's areas, or the list's own centre."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray, context: ImportContext) -> None:
        self.areas: shapely.Geometry | None = None
        if context.areas is not None and not context.areas.empty:
            union = context.areas.to_crs(WGS84).union_all()
            self.crs = local_metric_crs(union.centroid.x, union.centroid.y)
            self.areas = gpd.GeoSeries([union], crs=WGS84).to_crs(self.crs).iloc[0]
            self.limit = float(context.margin_m)
            self.what = Text("ref.areas")
            return
        ok = _valid(lon, lat)
        self.centre = (
            (float(np.median(lon[ok])), float(np.median(lat[ok]))) if ok.any() else (0.0, 0.0)
        )
        spread = self._from_centre(lon[ok], lat[ok]) if ok.any() else np.zeros(1)
        self.limit = max(_OUTLIER_MIN_M, 10 * float(np.median(spread)))
        self.what = Text("ref.list")

    def _from_centre(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return geodesic_m(
            np.full(len(lon), self.centre[0]), np.full(len(lat), self.centre[1]), lon, lat
        )

    def distance_m(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Metres from each point to the areas (0 inside) or to the list's centre."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        out = np.full(len(lon), np.inf)
        ok = _valid(lon, lat)
        if not ok.any():
            return out
        if self.areas is not None:
            pts = gpd.GeoSeries(gpd.points_from_xy(lon[ok], lat[ok]), crs=WGS84).to_crs(self.crs)
            out[ok] = shapely.distance(pts.values, self.areas)
        else:
            out[ok] = self._from_centre(lon[ok], lat[ok])
        return out


def _corrections(lon: float, lat: float) -> Iterator[tuple[str, Text, float, float]]:
    """Corrections of a misplaced point: (code, what was wrong, new lon, new lat)."""
    yield "row_axes_swapped", Text("what.swap"), lat, lon
    for factor in _SHIFT_FACTORS:
        f = {"factor": f"{factor:g}"}
        yield "decimal_shift", Text("what.lon_shift", f), lon * factor, lat
        yield "decimal_shift", Text("what.lat_shift", f), lon, lat * factor
        yield "decimal_shift", Text("what.both_shift", f), lon * factor, lat * factor
    yield "sign_flipped", Text("what.lat_sign"), lon, -lat
    yield "sign_flipped", Text("what.lon_sign"), -lon, lat


def _point(lon: float, lat: float) -> str:
    return f"{lat:.5f}, {lon:.5f}"


_Best = tuple[str, Text, float, float, float]


def _nearest_corrections(
    lon: np.ndarray, lat: np.ndarray, flagged: np.ndarray, ref: _Reference
) -> dict[int, _Best]:
    """Per flagged row, the correction that lands nearest the reference, if any is close."""
    trials = [(row, *c) for row in flagged for c in _corrections(lon[row], lat[row])]
    trial_d = (
        ref.distance_m(np.array([t[3] for t in trials]), np.array([t[4] for t in trials]))
        if trials
        else np.array([])
    )
    best: dict[int, _Best] = {}
    for (row, code, what, new_lon, new_lat), d in zip(trials, trial_d, strict=True):
        if d <= ref.limit and (row not in best or d < best[row][4]):
            best[row] = (code, what, new_lon, new_lat, float(d))
    return best


def _flag_far(
    rows: list[int],
    lon: np.ndarray,
    lat: np.ndarray,
    distance: np.ndarray,
    ref: _Reference,
    choices: ImportChoices,
    found: Findings,
    *,
    column: str,
) -> None:
    """Flag rows far from the reference with no clear correction.

    Rows beyond the operation's areas are rejected unless the planner accepts them by
    count (`choices.accept_far` equal to their number); a wrong count is refused. Outliers
    of a list without operation areas are only warned about.
    """
    if ref.areas is None:
        code, severity, fix = "outlier", Severity.WARNING, Text("fix.kept")
    elif choices.accept_far and choices.accept_far == len(rows):
        code, severity, fix = "far_from_area", Severity.WARNING, Text("fix.far_accepted")
        # said for the whole file too: a list accepted thousands of km away must not pass quietly
        found.whole(
            Severity.WARNING,
            "far_accepted",
            "issue.far_accepted",
            n=len(rows),
            max_m=float(max(distance[r] for r in rows)),
            ref=ref.what,
        )
    else:
        code, severity = "far_from_area", Severity.ERROR
        fix = Text("fix.accept_far", {"n": len(rows)})
        if rows and 2 * len(rows) > found.n:
            # most of the list elsewhere: likely another operation's list, said before all else
            found.whole(
                Severity.ERROR,
                "far_list",
                "issue.far_list_all" if len(rows) == found.n else "issue.far_list_most",
                n=len(rows),
                total=found.n,
                nearest_m=float(min(distance[r] for r in rows)),
            )
        if choices.accept_far:
            found.whole(
                Severity.ERROR,
                "accept_far_mismatch",
                "issue.accept_far_mismatch",
                given=choices.accept_far,
                n=len(rows),
            )
    for row in rows:
        found.row(
            row,
            severity,
            code,
            "issue.far",
            column=column,
            where=_point(lon[row], lat[row]),
            distance_m=float(distance[row]),
            ref=ref.what,
            fix=fix,
        )


def check_positions(
    lon: np.ndarray,
    lat: np.ndarray,
    choices: ImportChoices,
    context: ImportContext,
    found: Findings,
    *,
    column: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Flag misplaced rows; with `row_fixes`, correct those that have a clear correction."""
    lon, lat = lon.copy(), lat.copy()
    ref = _Reference(lon, lat, context)
    distance = ref.distance_m(lon, lat)
    in_range = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    flagged = np.flatnonzero(
        np.isfinite(lon) & np.isfinite(lat) & ((distance > ref.limit) | ~in_range)
    )
    best = _nearest_corrections(lon, lat, flagged, ref)
    far: list[int] = []
    for row in flagged:
        where = _point(lon[row], lat[row])
        if row in best:
            code, what, new_lon, new_lat, d = best[row]
            if choices.row_fixes:
                found.row(
                    row,
                    Severity.INFO,
                    f"{code}_fixed",
                    "issue.misplaced_fixed",
                    column=column,
                    what=what,
                    where=where,
                    fixed=_point(new_lon, new_lat),
                )
                lon[row], lat[row] = new_lon, new_lat
                continue
            found.row(
                row,
                Severity.ERROR,
                code,
                "issue.misplaced",
                column=column,
                where=where,
                distance_m=float(distance[row]),
                ref=ref.what,
                what=what,
                fixed=_point(new_lon, new_lat),
                fixed_distance_m=d,
                fix=Text("fix.row_fixes"),
                fix_id="row_fixes",
            )
        elif not in_range[row]:
            found.row(
                row,
                Severity.ERROR,
                "coord_out_of_range",
                "issue.coord_out_of_range",
                column=column,
                where=where,
                fix=CHECK,
            )
        else:
            far.append(row)
    _flag_far(far, lon, lat, distance, ref, choices, found, column=column)
    return lon, lat


def check_axes(
    lon: np.ndarray,
    lat: np.ndarray,
    choices: ImportChoices,
    context: ImportContext,
    found: Findings,
) -> tuple[np.ndarray, np.ndarray]:
    """Swap axes when asked; detect a whole file of swapped latitude and longitude."""
    if choices.swap_axes:
        found.whole(Severity.INFO, "axes_swapped_fixed", "issue.axes_swapped_fixed")
        return lat.copy(), lon.copy()
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return lon, lat
    looks_swapped = (np.abs(lat[ok]) > 90) & (np.abs(lon[ok]) <= 90)
    swapped_better = False
    if context.areas is not None and not context.areas.empty and not looks_swapped.any():
        ref = _Reference(lon, lat, context)
        as_is = float(np.median(ref.distance_m(lon[ok], lat[ok])))
        swapped = float(np.median(ref.distance_m(lat[ok], lon[ok])))
        swapped_better = swapped <= ref.limit < as_is
    if looks_swapped.mean() <= 0.5 and not swapped_better:
        return lon, lat
    fix = Text("fix.swap_axes")
    found.whole(Severity.ERROR, "axes_swapped", "issue.axes_swapped", fix=fix, fix_id="swap_axes")
    for row in np.flatnonzero(ok):
        found.row(
            row,
            Severity.ERROR,
            "axes_swapped",
            "issue.axes_swapped_row",
            lat=f"{lat[row]:.5f}",
            lon=f"{lon[row]:.5f}",
            fix=fix,
            fix_id="swap_axes",
        )
    return nothing(len(lon))
