"""Import a site list: read, map fields, place every row, check it, and account for every row.

Every record read ends up accepted (perhaps with warnings) or rejected with its reasons:
``accepted + rejected == rows_read`` always. Problems are reported per row with a stable
code, a message from the text catalog (Indonesian or English) and, where one exists, a fix
the planner can apply with one choice (swap axes, apply a CRS, apply the suggested per-row
corrections).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.crs import (
    WGS84,
    degree_share,
    geodesic_m,
    likely_crs,
    local_metric_crs,
    parse_crs,
    to_wgs84,
)
from geo.errors import PoskoError
from geo.fields import (
    CoordinateColumns,
    FieldMapping,
    candidate_columns,
    detect_coordinates,
    detect_mapping,
    parse_kind,
    parse_post_type,
    parse_risk,
)
from geo.io import RawTable, read_error, read_table
from geo.model import Col, Kind, LocationQuality, PostType, Risk
from geo.operation import canonical_sites
from geo.store import unique_column_names
from geo.text import DEFAULT_LANGUAGE, Text

__all__ = [
    "Fix",
    "ImportOptions",
    "ImportReport",
    "Issue",
    "Severity",
    "apply_fix",
    "import_sites",
    "import_table",
    "parse_number",
]

# Without operation areas, a row this far (and 10x further than is typical for the list)
# from the list's own centre is an outlier.
_OUTLIER_MIN_M = 50_000.0
_SHIFT_FACTORS = (10.0, 100.0, 1000.0, 10_000.0, 0.1, 0.01, 0.001)
_ABSURD_M = 4e7  # the Earth's circumference; Web Mercator x reaches 2e7


class Severity(StrEnum):
    """How bad a problem is: errors reject the row, warnings and notes do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Issue:
    """One finding about one row (or, with `row` None, the whole file).

    Attributes
    ----------
    row
        Record number in the file, from 1 (None: the whole file).
    column
        The column concerned, if any.
    severity
        error (row rejected), warning or info (row kept).
    code
        Stable identifier, e.g. "decimal_shift".
    text
        The message, as a catalog entry with its values.
    fix_text
        What to do about it (a catalog entry), if anything.
    fix_id
        Identifier of a one-click fix that addresses it ("" when there is none).
    """

    row: int | None
    column: str | None
    severity: Severity
    code: str
    text: Text
    fix_text: Text | None = None
    fix_id: str = ""

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The message in `lang`."""
        return self.text.render(lang)

    def fix(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The suggested fix in `lang` ("" when there is none)."""
        return self.fix_text.render(lang) if self.fix_text else ""

    def as_dict(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """Plain data for JSON and tables."""
        return {
            "row": self.row,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message(lang),
            "fix": self.fix(lang),
            "fix_id": self.fix_id,
        }


@dataclass(frozen=True)
class Fix:
    """A correction offered for the whole import (the planner applies it with one choice)."""

    id: str
    rows: int

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """What the button says."""
        if self.id.startswith("crs:"):
            code = self.id[4:]
            return Text("import.fix_crs", {"crs": code, "name": CRS(code).name}).render(lang)
        return Text(f"import.fix_{self.id}", {"n": self.rows}).render(lang)


@dataclass(frozen=True)
class ImportOptions:
    """The planner's choices for one import.

    Attributes
    ----------
    kind
        File-level kind ("these are all polling stations"), used for every row.
    crs
        CRS of the coordinates, overriding what the file declares (e.g. "EPSG:27700").
    layer
        Layer or sheet to read.
    mapping
        Canonical field -> source column (None to leave a field unmapped).
    coordinates
        Coordinate columns of a table, instead of the detected ones.
    swap_axes
        Swap latitude and longitude for every row.
    row_fixes
        Apply the per-row corrections the report suggests (decimal shift, sign, swap).
    areas
        The operation's areas (EPSG:4326): rows further than `margin_m` outside are flagged.
    margin_m
        Allowed distance outside the areas, metres.
    strict
        Turn warnings into errors (rejecting those rows).
    max_rows
        Largest number of rows accepted in one file.
    """

    kind: Kind | None = None
    crs: str | None = None
    layer: str | None = None
    mapping: Mapping[str, str | None] = field(default_factory=dict)
    coordinates: CoordinateColumns | None = None
    swap_axes: bool = False
    row_fixes: bool = False
    areas: gpd.GeoDataFrame | None = None
    margin_m: float = 5000.0
    strict: bool = False
    max_rows: int = 1_000_000


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import: accepted sites, rejected rows and every finding."""

    file_name: str
    format: str
    layer: str | None
    layers: tuple[str, ...]
    source_columns: tuple[str, ...]
    rows_read: int
    accepted: gpd.GeoDataFrame
    rejected: pd.DataFrame
    issues: tuple[Issue, ...]
    mapping: FieldMapping
    coordinates: CoordinateColumns | None
    crs_used: str | None
    fixes: tuple[Fix, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Rows read, accepted and rejected."""
        return {
            "rows_read": self.rows_read,
            "accepted": len(self.accepted),
            "rejected": len(self.rejected),
        }

    def codes(self, severity: Severity | None = None) -> set[str]:
        """The issue codes present (optionally of one severity)."""
        return {i.code for i in self.issues if severity is None or i.severity == severity}

    def to_json(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """What `posko check --json` prints."""
        return {
            "file": self.file_name,
            "format": self.format,
            "layer": self.layer,
            **self.counts,
            "crs": self.crs_used,
            "mapping": dict(self.mapping.columns),
            "coordinates": self.coordinates.describe() if self.coordinates else None,
            "fixes": [{"id": f.id, "label": f.label(lang)} for f in self.fixes],
            "issues": [i.as_dict(lang) for i in self.issues],
        }

    def rejected_csv(self) -> str:
        """Rejected rows with their reasons, as CSV text."""
        return self.rejected.to_csv(index=False)


class _Findings:
    """Issues collected while checking one file."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: list[Issue] = []
        self.file: list[Issue] = []

    def row(
        self,
        row: int,
        severity: Severity,
        code: str,
        key: str,
        *,
        column: str | None = None,
        fix: Text | None = None,
        fix_id: str = "",
        **params: Any,
    ) -> None:
        row = int(row)  # numpy indices would not serialise
        text = Text(key, {"row": row + 1, "column": column, **params})
        self.rows.append(Issue(row + 1, column, severity, code, text, fix, fix_id))

    def whole(
        self,
        severity: Severity,
        code: str,
        key: str,
        *,
        column: str | None = None,
        fix: Text | None = None,
        fix_id: str = "",
        **params: Any,
    ) -> None:
        self.file.append(Issue(None, column, severity, code, Text(key, params), fix, fix_id))

    def reject_all(self, code: str, key: str, *, fix: Text | None = None, fix_id: str = "") -> None:
        for row in range(self.n):
            self.row(row, Severity.ERROR, code, key, fix=fix, fix_id=fix_id)

    def rejected_rows(self) -> set[int]:
        return {i.row - 1 for i in self.rows if i.severity == Severity.ERROR and i.row}


_CHECK = Text("fix.check_source")


# --- numbers -----------------------------------------------------------------------------

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}([.,]\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_HEMISPHERE = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*°?\s*([NSEWUTBnsewutb])$")


def parse_number(value: object) -> float | None:
    """A coordinate as a float; None for blanks. Raises ValueError for text.

    Accepts a decimal comma ("-2,1234"), a trailing hemisphere letter ("2.1 S", "106.1 E",
    Indonesian U/S/T/B too) and surrounding spaces.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace("\u2212", "-")
    if not text:
        return None
    match = _HEMISPHERE.match(text)
    if match:
        number = float(match.group(1).replace(",", "."))
        return -abs(number) if match.group(2).upper() in "SWB" else abs(number)
    if _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _parse_count(value: str | None) -> int | None:
    """A whole number ("1.234" and "1,234" are thousands); None for blanks."""
    if value is None:
        return None
    text = value.strip()
    if _THOUSANDS.match(text):
        text = re.sub(r"[.,]", "", text)
    number = float(text.replace(",", "."))
    if not math.isfinite(number) or number != int(number) or abs(number) > 2**53:
        raise ValueError(text)
    return int(number)


def _pair(value: object) -> tuple[float, float] | None:
    """ "lat, lon" (or "lat lon", "lat;lon") in one cell -> (lon, lat)."""
    text = str(value).strip().strip("()[]")
    if not text:
        return None
    parts = [p for p in re.split(r"\s*;\s*|\s*,\s+|\s+|(?<=\d),(?=[-+\d])", text) if p]
    if len(parts) != 2:
        raise ValueError(text)
    lat, lon = (parse_number(p) for p in parts)
    if lat is None or lon is None:
        raise ValueError(text)
    return lon, lat


def _text(value: object) -> str | None:
    """A cell as trimmed text; None for blanks (whole floats lose their ".0")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# --- geometry ----------------------------------------------------------------------------


@dataclass
class _Places:
    """Per row: x/y in the file's coordinates (NaN when unusable) and the outline, if any."""

    x: np.ndarray
    y: np.ndarray
    footprint: list[shapely.Geometry | None]

    @classmethod
    def empty(cls, n: int) -> _Places:
        return cls(np.full(n, np.nan), np.full(n, np.nan), [None] * n)


def _place_geometries(raw: RawTable, found: _Findings) -> _Places:
    places = _Places.empty(raw.rows)
    assert raw.geometry is not None
    for row, geom in enumerate(raw.geometry.values):
        if geom is None or geom.is_empty:
            found.row(row, Severity.ERROR, "no_geometry", "issue.no_geometry", fix=_CHECK)
            continue
        kind = geom.geom_type
        if kind == "MultiPoint" and len(geom.geoms) == 1:
            geom, kind = geom.geoms[0], "Point"
        if kind == "Point":
            places.x[row], places.y[row] = geom.x, geom.y
        elif kind in ("Polygon", "MultiPolygon"):
            _place_outline(row, geom, places, found)
        else:
            found.row(
                row,
                Severity.ERROR,
                "wrong_geometry_type",
                "issue.wrong_geometry_type",
                geom=kind,
                fix=_CHECK,
            )
    return places


def _place_outline(row: int, geom: shapely.Geometry, places: _Places, found: _Findings) -> None:
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = shapely.make_valid(geom)
        found.row(
            row,
            Severity.WARNING,
            "invalid_polygon_repaired",
            "issue.invalid_polygon_repaired",
            reason=reason,
            fix=_CHECK,
        )
    polygons = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"]
    if not polygons:
        found.row(
            row,
            Severity.ERROR,
            "wrong_geometry_type",
            "issue.wrong_geometry_type",
            geom=geom.geom_type,
            fix=_CHECK,
        )
        return
    area = shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
    point = area.point_on_surface()
    places.x[row], places.y[row] = point.x, point.y
    places.footprint[row] = area
    found.row(row, Severity.INFO, "polygon_to_point", "issue.polygon_to_point")


def _cell_point(table: pd.DataFrame, row: int, columns: CoordinateColumns) -> tuple | None:
    """(x, y) of one table row; None when blank. Raises ValueError when not numeric."""
    if columns.x and columns.y:
        x = parse_number(table.at[row, columns.x])
        y = parse_number(table.at[row, columns.y])
        if (x is None) != (y is None):
            raise ValueError("one coordinate missing")
        return None if x is None else (x, y)
    if columns.pair:
        return _pair(table.at[row, columns.pair])
    text = _text(table.at[row, columns.wkt])
    if text is None:
        return None
    geom = shapely.from_wkt(text, on_invalid="raise")
    if geom.is_empty:
        return None
    if geom.geom_type != "Point":
        return ("geom", geom.geom_type)
    return geom.x, geom.y


def _fast_numbers(values: pd.Series) -> np.ndarray:
    """Plain decimal numbers parsed at once (NaN where a cell needs the careful parser)."""
    return np.array(pd.to_numeric(values, errors="coerce"), dtype=float)


def _place_columns(raw: RawTable, columns: CoordinateColumns, found: _Findings) -> _Places:
    places = _Places.empty(raw.rows)
    where = columns.x or columns.pair or columns.wkt
    careful = range(raw.rows)
    if columns.x and columns.y:
        places.x = _fast_numbers(raw.attributes[columns.x])
        places.y = _fast_numbers(raw.attributes[columns.y])
        careful = np.flatnonzero(~(np.isfinite(places.x) & np.isfinite(places.y)))
    for row in careful:
        try:
            value = _cell_point(raw.attributes, row, columns)
        except (ValueError, TypeError, shapely.errors.GEOSException):
            places.x[row] = places.y[row] = np.nan
            found.row(
                row,
                Severity.ERROR,
                "coord_not_numeric",
                "issue.coord_not_numeric",
                column=where,
                columns=columns.describe(),
                fix=_CHECK,
            )
            continue
        if value is None:
            places.x[row] = places.y[row] = np.nan
            found.row(
                row, Severity.ERROR, "no_geometry", "issue.no_geometry", column=where, fix=_CHECK
            )
        elif value[0] == "geom":
            found.row(
                row,
                Severity.ERROR,
                "wrong_geometry_type",
                "issue.wrong_geometry_type",
                column=where,
                geom=value[1],
                fix=_CHECK,
            )
        else:
            places.x[row], places.y[row] = value
    return places


def _drop_absurd(places: _Places, found: _Findings, *, column: str) -> None:
    """Coordinates no reference system can hold (beyond 40,000 km) are rejected outright."""
    absurd = (np.abs(places.x) > _ABSURD_M) | (np.abs(places.y) > _ABSURD_M)
    for row in np.flatnonzero(absurd):
        found.row(
            row,
            Severity.ERROR,
            "coord_out_of_range",
            "issue.coord_out_of_range",
            column=column,
            where=f"{places.x[row]:g}, {places.y[row]:g}",
            fix=_CHECK,
        )
        places.x[row] = places.y[row] = np.nan
        places.footprint[row] = None


# --- reference systems -------------------------------------------------------------------


def _near(options: ImportOptions) -> tuple[float, float] | None:
    if options.areas is None or options.areas.empty:
        return None
    centre = options.areas.to_crs(WGS84).union_all().centroid
    return float(centre.x), float(centre.y)


def _crs_fix(x: np.ndarray, y: np.ndarray, options: ImportOptions) -> tuple[Text, str]:
    guesses = likely_crs(x, y, near=_near(options))
    if not guesses:
        return Text("fix.crs_unknown"), ""
    listing = "; ".join(g.describe() for g in guesses)
    return Text("fix.crs", {"guesses": listing, "best": guesses[0].code}), f"crs:{guesses[0].code}"


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.5f}"


def _nothing(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.full(n, np.nan), np.full(n, np.nan)


def _to_degrees(
    raw: RawTable, places: _Places, options: ImportOptions, found: _Findings
) -> tuple[np.ndarray, np.ndarray, str | None]:
    """Longitude/latitude per row (NaN where unusable), and the CRS used."""
    x, y = places.x, places.y
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        return x.copy(), y.copy(), None
    sample = f"x ≈ {_num(np.median(x[finite]))}, y ≈ {_num(np.median(y[finite]))}"
    if options.crs:
        crs = parse_crs(options.crs)
        found.whole(
            Severity.INFO, "crs_applied", "issue.crs_applied", crs=crs.to_string(), name=crs.name
        )
        if crs.is_geographic:
            return x.copy(), y.copy(), crs.to_string()
        return (*to_wgs84(x, y, crs), crs.to_string())
    declared = raw.declared_crs
    # swapped latitude/longitude are still degrees: the axis check deals with them
    looks_like_degrees = (
        max(degree_share(x[finite], y[finite]), degree_share(y[finite], x[finite])) >= 0.5
    )
    small = np.max(np.abs(np.concatenate([x[finite], y[finite]]))) < 1000
    contradicted = declared is not None and (
        (declared.is_geographic and not looks_like_degrees)
        or (not declared.is_geographic and looks_like_degrees and small)
    )
    if contradicted:
        assert declared is not None
        fix, fix_id = (
            _crs_fix(x, y, options)
            if declared.is_geographic
            else (
                Text("fix.crs", {"guesses": "EPSG:4326 (WGS 84)", "best": "EPSG:4326"}),
                "crs:EPSG:4326",
            )
        )
        found.whole(
            Severity.ERROR,
            "crs_contradicted",
            "issue.crs_contradicted",
            declared=f"{declared.to_string()} ({declared.name})",
            sample=sample,
            fix=fix,
            fix_id=fix_id,
        )
        found.reject_all("crs_contradicted", "issue.crs_row", fix=fix, fix_id=fix_id)
        return (*_nothing(len(x)), None)
    if declared is not None and declared.is_geographic:
        return x.copy(), y.copy(), declared.to_string()
    if declared is not None:
        found.whole(
            Severity.INFO,
            "crs_declared",
            "issue.crs_declared",
            crs=declared.to_string(),
            name=declared.name,
        )
        return (*to_wgs84(x, y, declared), declared.to_string())
    if looks_like_degrees:
        found.whole(Severity.INFO, "crs_assumed", "issue.crs_assumed")
        return x.copy(), y.copy(), WGS84
    fix, fix_id = _crs_fix(x, y, options)
    found.whole(
        Severity.ERROR, "crs_missing", "issue.crs_missing", sample=sample, fix=fix, fix_id=fix_id
    )
    found.reject_all("crs_missing", "issue.crs_row", fix=fix, fix_id=fix_id)
    return (*_nothing(len(x)), None)


# --- positions ---------------------------------------------------------------------------


def _valid(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)


class _Reference:
    """Where the sites should be: the operation's areas, or the list's own centre."""

    def __init__(self, lon: np.ndarray, lat: np.ndarray, options: ImportOptions) -> None:
        self.areas: shapely.Geometry | None = None
        if options.areas is not None and not options.areas.empty:
            union = options.areas.to_crs(WGS84).union_all()
            self.crs = local_metric_crs(union.centroid.x, union.centroid.y)
            self.areas = gpd.GeoSeries([union], crs=WGS84).to_crs(self.crs).iloc[0]
            self.limit = float(options.margin_m)
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


def _check_positions(
    lon: np.ndarray, lat: np.ndarray, options: ImportOptions, found: _Findings, *, column: str
) -> tuple[np.ndarray, np.ndarray]:
    """Flag misplaced rows; with `row_fixes`, correct those that have a clear correction."""
    lon, lat = lon.copy(), lat.copy()
    ref = _Reference(lon, lat, options)
    distance = ref.distance_m(lon, lat)
    in_range = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    flagged = np.flatnonzero(
        np.isfinite(lon) & np.isfinite(lat) & ((distance > ref.limit) | ~in_range)
    )
    trials = [(row, *c) for row in flagged for c in _corrections(lon[row], lat[row])]
    trial_d = (
        ref.distance_m(np.array([t[3] for t in trials]), np.array([t[4] for t in trials]))
        if trials
        else np.array([])
    )
    best: dict[int, tuple[str, Text, float, float, float]] = {}
    for (row, code, what, new_lon, new_lat), d in zip(trials, trial_d, strict=True):
        if d <= ref.limit and (row not in best or d < best[row][4]):
            best[row] = (code, what, new_lon, new_lat, float(d))
    for row in flagged:
        where = _point(lon[row], lat[row])
        if row in best:
            code, what, new_lon, new_lat, d = best[row]
            if options.row_fixes:
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
                fix=_CHECK,
            )
        else:
            code = "far_from_area" if ref.areas is not None else "outlier"
            found.row(
                row,
                Severity.WARNING,
                code,
                "issue.far",
                column=column,
                where=where,
                distance_m=float(distance[row]),
                ref=ref.what,
                fix=Text("fix.kept"),
            )
    return lon, lat


def _check_axes(
    lon: np.ndarray, lat: np.ndarray, options: ImportOptions, found: _Findings
) -> tuple[np.ndarray, np.ndarray]:
    """Swap axes when asked; detect a whole file of swapped latitude and longitude."""
    if options.swap_axes:
        found.whole(Severity.INFO, "axes_swapped_fixed", "issue.axes_swapped_fixed")
        return lat.copy(), lon.copy()
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return lon, lat
    looks_swapped = (np.abs(lat[ok]) > 90) & (np.abs(lon[ok]) <= 90)
    swapped_better = False
    if options.areas is not None and not options.areas.empty and not looks_swapped.any():
        ref = _Reference(lon, lat, options)
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
    return _nothing(len(lon))


# --- fields ------------------------------------------------------------------------------


def _too_few_distinct(values: pd.Series) -> bool:
    """True for a column that cannot be names: one value, or a handful repeated on many rows."""
    return len(values) > 1 and values.nunique() <= max(1, 0.05 * len(values))


def _resolve_mapping(
    table: pd.DataFrame, coordinates: CoordinateColumns | None, options: ImportOptions
) -> FieldMapping:
    """Detected mapping, with a name column that really holds names, then the overrides."""
    columns = [str(c) for c in table.columns]
    coords = (
        (coordinates.x, coordinates.y, coordinates.pair, coordinates.wkt) if coordinates else ()
    )
    skip = {c for c in coords if c} | {"description"}
    mapping = detect_mapping(columns, exclude=skip).with_overrides({Col.NAME: None})
    id_col = mapping.get(Col.SITE_ID)
    ids = table[id_col].map(_text) if id_col else None
    for candidate in candidate_columns(Col.NAME, columns, exclude=skip | {id_col}):
        values = table[candidate].map(_text)
        if ids is not None and values.equals(ids):
            continue  # a feature id, not a name (a KML <name> often is)
        id_like = values.dropna().astype(str).str.fullmatch(r"[\w.:/-]*\d[\w.:/-]*").mean() > 0.9
        if _too_few_distinct(values) or (id_like and values.is_unique):
            if id_col is None and values.is_unique:
                mapping = mapping.with_overrides({Col.SITE_ID: candidate})
                id_col, ids = candidate, values
            continue
        mapping = mapping.with_overrides({Col.NAME: candidate})
        break
    return mapping.with_overrides(dict(options.mapping))


_POST_WORDS = (
    (re.compile(r"\bpos\s*terpadu\b", re.I), PostType.POS_TERPADU),
    (re.compile(r"\bpolsek", re.I), PostType.POLSEK),
    (re.compile(r"\b(mako|polres|polresta|polda)\b", re.I), PostType.MAKO),
    (re.compile(r"\bpatrol", re.I), PostType.PATROL),
    (re.compile(r"\bpos\s*(pam|pengamanan)\b", re.I), PostType.POS_PAM),
)


def _post_type_from_name(name: str | None) -> PostType | None:
    for pattern, post_type in _POST_WORDS:
        if name and pattern.search(name):
            return post_type
    return None


class _FieldReader:
    """Turns one row's cells into canonical values, noting what it finds."""

    def __init__(
        self, raw: RawTable, mapping: FieldMapping, options: ImportOptions, found: _Findings
    ) -> None:
        self.col = mapping.get
        # plain lists: reading cell by cell through pandas costs 20x more
        self.values = {
            canonical: raw.attributes[column].tolist()
            for canonical, column in mapping.columns.items()
            if column in raw.attributes
        }
        self.options = options
        self.found = found
        self.stem = Path(raw.file_name).stem
        self.file_name = raw.file_name
        self.seen_ids: dict[str, int] = {}
        self.repeats = {i.row - 1 for i in found.rows if i.code == "duplicate_row" and i.row}

    def cell(self, canonical: str, row: int) -> str | None:
        values = self.values.get(canonical)
        return _text(values[row]) if values is not None else None

    def kind(self, row: int) -> Kind | None:
        if self.options.kind is not None:
            return self.options.kind
        column = self.col(Col.KIND)
        label = self.cell(Col.KIND, row)
        kind = parse_kind(label) if label else None
        if label is None:
            self.found.row(
                row,
                Severity.ERROR,
                "kind_missing",
                "issue.kind_missing_row",
                column=column,
                fix=Text("fix.choose_kind"),
            )
        elif kind is None:
            self.found.row(
                row,
                Severity.ERROR,
                "unknown_kind",
                "issue.unknown_kind",
                column=column,
                value=label,
                fix=Text("fix.choose_kind"),
            )
        return kind

    def site_id(self, row: int) -> str:
        site_id = self.cell(Col.SITE_ID, row)
        column = self.col(Col.SITE_ID)
        if site_id is None:
            site_id = f"{self.stem}-{row + 1}"
            if column:
                self.found.row(
                    row, Severity.INFO, "missing_id", "issue.missing_id", column=column, id=site_id
                )
        if row in self.repeats:
            return site_id  # an exact repeat, rejected already
        if site_id in self.seen_ids:
            new_id = f"{site_id}#{row + 1}"
            self.found.row(
                row,
                Severity.WARNING,
                "duplicate_id",
                "issue.duplicate_id",
                column=column,
                id=site_id,
                first=self.seen_ids[site_id] + 1,
                new_id=new_id,
                fix=Text("fix.unique_ids"),
            )
            return new_id
        self.seen_ids[site_id] = row
        return site_id

    def risk(self, row: int, kind: Kind | None) -> str | None:
        if kind != Kind.POLLING_STATION:
            return None
        column = self.col(Col.RISK)
        label = self.cell(Col.RISK, row)
        if label is None:
            if column:
                self.found.row(
                    row, Severity.WARNING, "missing_risk", "issue.missing_risk", column=column
                )
            return Risk.KURANG_RAWAN.value
        risk = parse_risk(label)
        if risk is None:
            self.found.row(
                row,
                Severity.ERROR,
                "unknown_risk",
                "issue.unknown_risk",
                column=column,
                value=label,
                fix=Text("fix.risk_labels"),
            )
            return None
        return risk.value

    def post_type(self, row: int, kind: Kind | None, name: str | None) -> str | None:
        if kind != Kind.POLICE_POST:
            return None
        column = self.col(Col.POST_TYPE)
        label = self.cell(Col.POST_TYPE, row)
        post_type = parse_post_type(label) if label else _post_type_from_name(name)
        if label and post_type is None:
            self.found.row(
                row,
                Severity.ERROR,
                "unknown_post_type",
                "issue.unknown_post_type",
                column=column,
                value=label,
                fix=_CHECK,
            )
            return None
        if post_type is None:
            self.found.row(
                row,
                Severity.WARNING,
                "missing_post_type",
                "issue.missing_post_type",
                column=column,
                fix=Text("fix.map_column"),
            )
            post_type = PostType.POS_PAM
        return post_type.value

    def number(self, row: int, canonical: str, *, whole: bool = True) -> float | int | None:
        text = self.cell(canonical, row)
        try:
            return _parse_count(text) if whole else parse_number(text)
        except (ValueError, OverflowError):
            self.found.row(
                row,
                Severity.WARNING,
                "not_a_number",
                "issue.not_a_number",
                column=self.col(canonical),
                value=text,
            )
            return None

    def quality(self, row: int) -> str:
        text = self.cell(Col.LOCATION_QUALITY, row)
        known = {q.value for q in LocationQuality}
        value = text.lower() if text else None
        return value if value in known else LocationQuality.APPROXIMATE.value

    def read(self, row: int) -> dict[str, Any]:
        kind = self.kind(row)
        site_id = self.site_id(row)
        name = self.cell(Col.NAME, row)
        return {
            Col.SITE_ID: site_id,
            Col.KIND: kind.value if kind else None,
            Col.NAME: name or site_id,
            Col.RISK: self.risk(row, kind),
            Col.POST_TYPE: self.post_type(row, kind, name),
            Col.TPS_NO: self.number(row, Col.TPS_NO),
            Col.VOTERS: self.number(row, Col.VOTERS),
            Col.PERSONNEL: self.number(row, Col.PERSONNEL),
            Col.RADIUS_M: self.number(row, Col.RADIUS_M, whole=False),
            Col.KELURAHAN: self.cell(Col.KELURAHAN, row),
            Col.KECAMATAN: self.cell(Col.KECAMATAN, row),
            Col.LOCATION_QUALITY: self.quality(row),
            Col.SOURCE: f"{self.file_name}:{row + 1}",
        }


def _map_fields(
    raw: RawTable, mapping: FieldMapping, options: ImportOptions, found: _Findings
) -> pd.DataFrame:
    if options.kind is None and mapping.get(Col.KIND) is None:
        found.whole(
            Severity.ERROR, "kind_missing", "issue.kind_missing", fix=Text("fix.choose_kind")
        )
    if mapping.get(Col.RISK) is None:
        found.whole(
            Severity.WARNING, "risk_missing", "issue.risk_missing", fix=Text("fix.map_column")
        )
    reader = _FieldReader(raw, mapping, options, found)
    return pd.DataFrame(
        [reader.read(row) for row in range(raw.rows)],
        columns=[*_FIELD_ORDER],
        index=range(raw.rows),
    )


_FIELD_ORDER = (
    Col.SITE_ID,
    Col.KIND,
    Col.NAME,
    Col.RISK,
    Col.POST_TYPE,
    Col.TPS_NO,
    Col.VOTERS,
    Col.PERSONNEL,
    Col.RADIUS_M,
    Col.KELURAHAN,
    Col.KECAMATAN,
    Col.LOCATION_QUALITY,
    Col.SOURCE,
)


# --- duplicates --------------------------------------------------------------------------


def _check_repeated_rows(raw: RawTable, places: _Places, found: _Findings) -> None:
    """Reject rows that repeat an earlier row exactly (cells and coordinates)."""
    cells = raw.attributes.map(_text)
    hashes = pd.util.hash_pandas_object(cells, index=False).to_numpy()
    first_seen: dict[tuple, int] = {}
    rows = cells.to_numpy()
    for row, digest in enumerate(hashes):
        key = (int(digest), repr(places.x[row]), repr(places.y[row]))
        first = first_seen.get(key)
        # a 64-bit hash may collide: confirm cell by cell before rejecting
        if first is not None and list(rows[row]) == list(rows[first]):
            found.row(
                row,
                Severity.ERROR,
                "duplicate_row",
                "issue.duplicate_row",
                first=first + 1,
                fix=Text("fix.first_kept"),
            )
        elif first is None:
            first_seen[key] = row


def _check_shared_places(
    raw: RawTable, lon: np.ndarray, lat: np.ndarray, fields: pd.DataFrame, found: _Findings
) -> None:
    """Note rows sharing a place, and warn of equal names at different places in one area."""
    rejected = found.rejected_rows()
    live = [
        r
        for r in range(raw.rows)
        if r not in rejected and math.isfinite(lon[r]) and math.isfinite(lat[r])
    ]
    by_place: dict[tuple[float, float], list[int]] = defaultdict(list)
    for row in live:
        by_place[(round(lon[row], 6), round(lat[row], 6))].append(row)
    for members in by_place.values():
        for row in members[1:]:
            found.row(
                row,
                Severity.INFO,
                "same_coordinates",
                "issue.same_coordinates",
                first=members[0] + 1,
            )
    by_name: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    names, ids, kinds = (fields[c].tolist() for c in (Col.NAME, Col.SITE_ID, Col.KIND))
    areas = [k or c for k, c in zip(fields[Col.KELURAHAN], fields[Col.KECAMATAN], strict=True)]
    for row in live:
        if names[row] != ids[row]:
            by_name[(kinds[row], str(names[row]).casefold(), areas[row])].append(row)
    for members in by_name.values():
        places_seen = {(round(lon[members[0]], 6), round(lat[members[0]], 6))}
        for row in members[1:]:
            place = (round(lon[row], 6), round(lat[row], 6))
            if place not in places_seen:  # one building serving several stations is fine
                places_seen.add(place)
                found.row(
                    row,
                    Severity.WARNING,
                    "duplicate_name",
                    "issue.duplicate_name",
                    first=members[0] + 1,
                    fix=_CHECK,
                )


# --- the import --------------------------------------------------------------------------


def import_sites(
    path: Path | str, options: ImportOptions | None = None, *, name: str | None = None
) -> ImportReport:
    """Read and check a site list; see :func:`import_table`.

    Raises
    ------
    ReadError
        When the file cannot be read at all, or has more rows than allowed.
    """
    options = options or ImportOptions()
    return import_table(read_table(path, layer=options.layer, name=name), options)


def import_table(raw: RawTable, options: ImportOptions | None = None) -> ImportReport:
    """Map, place and check the records of a table read by :func:`geo.io.read_table`.

    Returns
    -------
    report
        Accepted sites (canonical columns, EPSG:4326 points, original attributes kept,
        building outlines in `footprint` as WKT), rejected rows with their reasons, and
        every issue.

    Raises
    ------
    ReadError
        When the file has more rows than `options.max_rows`.
    CRSError
        When `options.crs` names no known CRS.
    """
    options = options or ImportOptions()
    if raw.rows > options.max_rows:
        raise read_error(
            "read.too_many_rows",
            file=raw.file_name,
            rows=f"{raw.rows:,}",
            limit=f"{options.max_rows:,}",
        )
    found = _Findings(raw.rows)
    if raw.rows == 0:
        found.whole(Severity.WARNING, "no_rows", "issue.no_rows")
        empty = _Places.empty(0)
        return _assemble(
            raw,
            found,
            empty,
            np.array([]),
            np.array([]),
            pd.DataFrame(columns=list(_FIELD_ORDER)),
            FieldMapping(),
            None,
            None,
        )
    if raw.encoding not in (None, "utf-8-sig"):
        found.whole(
            Severity.INFO, "encoding_fallback", "issue.encoding_fallback", encoding=raw.encoding
        )
    for note in raw.notes:
        found.whole(Severity.INFO, "reader_note", "issue.reader_note", note=note)
    for row in raw.ragged:
        found.row(row, Severity.WARNING, "ragged_row", "issue.ragged_row", fix=_CHECK)
    coordinates = None
    if raw.geometry is not None:
        places = _place_geometries(raw, found)
        where = "geometry"
    else:
        coordinates = options.coordinates or detect_coordinates(list(raw.attributes.columns))
        if coordinates.found:
            places = _place_columns(raw, coordinates, found)
        else:
            places = _Places.empty(raw.rows)
            fix = Text("fix.choose_coordinates")
            found.whole(
                Severity.ERROR, "no_coordinate_columns", "issue.no_coordinate_columns", fix=fix
            )
            found.reject_all("no_coordinate_columns", "issue.no_geometry", fix=fix)
        where = coordinates.x or coordinates.pair or coordinates.wkt or ""
    _drop_absurd(places, found, column=where)
    with np.errstate(all="ignore"):  # NaN and far-off values are handled explicitly
        lon, lat, crs_used = _to_degrees(raw, places, options, found)
        lon, lat = _check_axes(lon, lat, options, found)
        lon, lat = _check_positions(lon, lat, options, found, column=where)
    _check_repeated_rows(raw, places, found)
    mapping = _resolve_mapping(raw.attributes, coordinates, options)
    fields = _map_fields(raw, mapping, options, found)
    _check_shared_places(raw, lon, lat, fields, found)
    if options.strict:
        found.rows = [
            replace(i, severity=Severity.ERROR) if i.severity == Severity.WARNING else i
            for i in found.rows
        ]
    return _assemble(raw, found, places, lon, lat, fields, mapping, coordinates, crs_used)


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _assemble(
    raw: RawTable,
    found: _Findings,
    places: _Places,
    lon: np.ndarray,
    lat: np.ndarray,
    fields: pd.DataFrame,
    mapping: FieldMapping,
    coordinates: CoordinateColumns | None,
    crs_used: str | None,
) -> ImportReport:
    rejected_rows = found.rejected_rows()
    accepted_idx = [r for r in range(raw.rows) if r not in rejected_rows]
    rejected_idx = sorted(rejected_rows)
    originals = raw.attributes.map(_stored).copy()
    originals.columns = [str(c) for c in originals.columns]
    reserved = (*_FIELD_ORDER, Col.AREA_CODE, Col.ROLE, "footprint", "geometry", "fid")
    originals.columns = unique_column_names(list(originals.columns), reserved=reserved)
    accepted_frame = pd.concat(
        [
            fields.iloc[accepted_idx].reset_index(drop=True),
            originals.iloc[accepted_idx].reset_index(drop=True),
        ],
        axis=1,
    )
    accepted_frame["footprint"] = [
        _outline_wkt(places.footprint[r], crs_used, lon[r], lat[r], places.x[r], places.y[r])
        for r in accepted_idx
    ]
    accepted = canonical_sites(
        gpd.GeoDataFrame(
            accepted_frame,
            geometry=gpd.points_from_xy(lon[accepted_idx], lat[accepted_idx]),
            crs=WGS84,
        )
    )
    issues = tuple(sorted(found.file, key=lambda i: _SEVERITY_ORDER[i.severity])) + tuple(
        sorted(found.rows, key=lambda i: (i.row or 0, _SEVERITY_ORDER[i.severity]))
    )
    return ImportReport(
        file_name=raw.file_name,
        format=raw.format,
        layer=raw.layer,
        layers=raw.layers,
        source_columns=tuple(str(c) for c in raw.attributes.columns),
        rows_read=raw.rows,
        accepted=accepted,
        rejected=_rejected(originals, rejected_idx, issues, places),
        issues=issues,
        mapping=mapping,
        coordinates=coordinates,
        crs_used=crs_used,
        fixes=_offered_fixes(issues),
    )


def _outline_wkt(
    outline: shapely.Geometry | None,
    crs: str | None,
    lon: float,
    lat: float,
    x: float,
    y: float,
) -> str | None:
    """A building outline in EPSG:4326 as WKT, following what was done to its point.

    The outline is reprojected with the file's CRS and, when the axes were swapped, swapped
    too; an outline whose point needed another correction is dropped (it cannot be trusted).
    """
    if outline is None or crs is None:
        return None
    crs_obj = CRS(crs)
    if not crs_obj.is_geographic:
        outline = shapely.transform(
            outline, lambda xy: np.column_stack(to_wgs84(xy[:, 0], xy[:, 1], crs_obj))
        )
        x, y = (float(v[0]) for v in to_wgs84([x], [y], crs_obj))
    if math.isclose(lon, y, abs_tol=1e-9) and math.isclose(lat, x, abs_tol=1e-9) and lon != x:
        outline = shapely.transform(outline, lambda xy: xy[:, ::-1])
    elif not (math.isclose(lon, x, abs_tol=1e-7) and math.isclose(lat, y, abs_tol=1e-7)):
        return None
    return shapely.set_precision(outline, 1e-7).wkt


def _rejected(
    originals: pd.DataFrame, rows: list[int], issues: tuple[Issue, ...], places: _Places
) -> pd.DataFrame:
    """Rejected rows: number, reasons (English), then the original cells and coordinates."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for issue in issues:
        if issue.severity == Severity.ERROR and issue.row:
            reasons[issue.row - 1].append(f"[{issue.code}] {issue.message('en')}")
    frame = originals.iloc[rows].reset_index(drop=True)
    frame.insert(0, "row", [r + 1 for r in rows])
    frame.insert(1, "reasons", [" | ".join(dict.fromkeys(reasons[r])) for r in rows])
    frame["source_x"] = [places.x[r] for r in rows]
    frame["source_y"] = [places.y[r] for r in rows]
    return frame


def _stored(value: object) -> str | None:
    """An original cell as it is stored: text, or nothing when blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _offered_fixes(issues: tuple[Issue, ...]) -> tuple[Fix, ...]:
    counts: dict[str, int] = defaultdict(int)
    for issue in issues:
        if issue.fix_id and issue.row:
            counts[issue.fix_id] += 1
    order = dict.fromkeys(i.fix_id for i in issues if i.fix_id)
    return tuple(Fix(fix_id, counts[fix_id]) for fix_id in order)


def apply_fix(options: ImportOptions, fix_id: str) -> ImportOptions:
    """The options with a one-click fix applied.

    Raises
    ------
    PoskoError
        When the fix is unknown.
    """
    if fix_id == "swap_axes":
        return replace(options, swap_axes=True)
    if fix_id == "row_fixes":
        return replace(options, row_fixes=True)
    if fix_id.startswith("crs:"):
        return replace(options, crs=fix_id[4:])
    msg = f"Unknown fix {fix_id!r}."
    raise PoskoError(msg)
