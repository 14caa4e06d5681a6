"""Placing every record: points and outlines from geometries, or coordinates from columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geo.fields import CoordinateColumns
from geo.importer._findings import CHECK, Findings
from geo.importer._numbers import SignConflictError, cell_text, fast_numbers, pair, parse_number
from geo.importer.report import Severity
from geo.io import RawTable

__all__ = ["Places", "drop_absurd", "place_columns", "place_geometries"]

_ABSURD_M = 4e7  # the Earth's circumference; Web Mercator x reaches 2e7


@dataclass
class Places:
    """Per row: x/y in the file's coordinates (NaN when unusable) and the outline, if any."""

    x: np.ndarray
    y: np.ndarray
    footprint: list[shapely.Geometry | None]

    @classmethod
    def empty(cls, n: int) -> Places:
        """`n` rows, none placed."""
        return cls(np.full(n, np.nan), np.full(n, np.nan), [None] * n)


def place_geometries(raw: RawTable, found: Findings, *, per_row: bool = False) -> Places:
    """Points of a file with geometries: polygons become a point inside, others are refused.

    Whole columns at once (shapely's vectorised functions): a clean point row costs no Python
    object; issues are built for the rows that have one. `per_row` places row by row instead
    (the reference the vectorised placement is tested and benchmarked against).
    """
    assert raw.geometry is not None
    if per_row:
        return _place_geometries_per_row(raw, found)
    places = Places.empty(raw.rows)
    geoms = np.asarray(raw.geometry.array, dtype=object)
    kinds = shapely.get_type_id(geoms)
    single = np.flatnonzero((kinds == _MULTIPOINT) & (shapely.get_num_geometries(geoms) == 1))
    geoms[single] = shapely.get_geometry(geoms[single], 0)
    kinds[single] = _POINT
    missing = (kinds == _MISSING) | shapely.is_empty(geoms)
    placeable = ~missing & np.isin(kinds, (_POINT, _POLYGON, _MULTIPOLYGON))
    not_finite = _not_finite_rows(geoms, placeable)
    points = np.flatnonzero(placeable & (kinds == _POINT))
    points = points[~np.isin(points, list(not_finite))]
    places.x[points] = shapely.get_x(geoms[points])
    places.y[points] = shapely.get_y(geoms[points])
    outlines = np.flatnonzero(placeable & (kinds != _POINT))
    outlines = outlines[~np.isin(outlines, list(not_finite))]
    _place_outlines(outlines, geoms, places, found)
    for row in np.flatnonzero(
        missing | ~placeable | np.isin(np.arange(raw.rows), list(not_finite))
    ):
        if missing[row]:
            found.row(row, Severity.ERROR, "no_geometry", "issue.no_geometry", fix=CHECK)
        elif row in not_finite:
            _not_finite(row, found, column=None, where=not_finite[row])
        else:
            _wrong_type(row, found, geoms[row].geom_type)
    return places


_MISSING, _POINT, _POLYGON, _MULTIPOINT, _MULTIPOLYGON = -1, 0, 3, 4, 6


def _not_finite_rows(geoms: np.ndarray, rows: np.ndarray) -> dict[int, str]:
    """Rows (among `rows`) holding a NaN or infinite coordinate, with the first such one."""
    chosen = np.flatnonzero(rows)
    coords, index = shapely.get_coordinates(geoms[chosen], return_index=True)
    bad = ~np.isfinite(coords).all(axis=1)
    out: dict[int, str] = {}
    for at in np.flatnonzero(bad):
        row = int(chosen[index[at]])
        out.setdefault(row, f"{coords[at, 0]:g}, {coords[at, 1]:g}")
    return out


def _wrong_type(row: int, found: Findings, kind: str, *, column: str | None = None) -> None:
    found.row(
        row,
        Severity.ERROR,
        "wrong_geometry_type",
        "issue.wrong_geometry_type",
        column=column,
        geom=kind,
        fix=CHECK,
    )


def _place_outlines(rows: np.ndarray, geoms: np.ndarray, places: Places, found: Findings) -> None:
    """Building outlines: a point on each surface at once; invalid ones repaired row by row."""
    valid = shapely.is_valid(geoms[rows])
    for row in rows[~valid]:
        _place_outline(int(row), geoms[row], places, found)
    rows = rows[valid]
    areas = geoms[rows]
    single = shapely.get_num_geometries(areas) == 1
    areas[single] = shapely.get_geometry(areas[single], 0)  # a one-part MultiPolygon
    points = shapely.point_on_surface(areas)
    places.x[rows], places.y[rows] = shapely.get_x(points), shapely.get_y(points)
    for row, area in zip(rows, areas, strict=True):
        places.footprint[row] = area
        found.row(row, Severity.INFO, "polygon_to_point", "issue.polygon_to_point")


def _place_geometries_per_row(raw: RawTable, found: Findings) -> Places:
    places = Places.empty(raw.rows)
    assert raw.geometry is not None
    for row, geom in enumerate(raw.geometry.values):
        if geom is None or geom.is_empty:
            found.row(row, Severity.ERROR, "no_geometry", "issue.no_geometry", fix=CHECK)
            continue
        kind = geom.geom_type
        if kind == "MultiPoint" and len(geom.geoms) == 1:
            geom, kind = geom.geoms[0], "Point"
        if kind in ("Point", "Polygon", "MultiPolygon") and not _finite(geom):
            _not_finite(row, found, column=None, where=_first_bad(geom))
        elif kind == "Point":
            places.x[row], places.y[row] = geom.x, geom.y
        elif kind in ("Polygon", "MultiPolygon"):
            _place_outline(row, geom, places, found)
        else:
            _wrong_type(row, found, kind)
    return places


def _finite(geom: shapely.Geometry) -> bool:
    return bool(np.isfinite(shapely.get_coordinates(geom)).all())


def _first_bad(geom: shapely.Geometry) -> str:
    coords = shapely.get_coordinates(geom)
    bad = coords[~np.isfinite(coords).all(axis=1)][0]
    return f"{bad[0]:g}, {bad[1]:g}"


def _not_finite(row: int, found: Findings, *, column: str | None, where: str) -> None:
    found.row(
        row,
        Severity.ERROR,
        "coord_not_finite",
        "issue.coord_not_finite",
        column=column,
        where=where,
        fix=CHECK,
    )


def _place_outline(row: int, geom: shapely.Geometry, places: Places, found: Findings) -> None:
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = shapely.make_valid(geom)
        found.row(
            row,
            Severity.WARNING,
            "invalid_polygon_repaired",
            "issue.invalid_polygon_repaired",
            reason=reason,
            fix=CHECK,
        )
    polygons = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"]
    if not polygons:
        found.row(
            row,
            Severity.ERROR,
            "wrong_geometry_type",
            "issue.wrong_geometry_type",
            geom=geom.geom_type,
            fix=CHECK,
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
        return pair(table.at[row, columns.pair])
    text = cell_text(table.at[row, columns.wkt])
    if text is None:
        return None
    geom = shapely.from_wkt(text, on_invalid="raise")
    if geom.is_empty:
        return None
    if geom.geom_type != "Point":
        return ("geom", geom.geom_type)
    return geom.x, geom.y


def place_columns(raw: RawTable, columns: CoordinateColumns, found: Findings) -> Places:
    """Points of a table from its coordinate columns, in the file's own coordinates."""
    places = Places.empty(raw.rows)
    where = columns.x or columns.pair or columns.wkt
    careful = range(raw.rows)
    if columns.x and columns.y:
        places.x = fast_numbers(raw.attributes[columns.x])
        places.y = fast_numbers(raw.attributes[columns.y])
        careful = np.flatnonzero(~(np.isfinite(places.x) & np.isfinite(places.y)))
    for row in careful:
        try:
            value = _cell_point(raw.attributes, row, columns)
        except SignConflictError as exc:
            places.x[row] = places.y[row] = np.nan
            found.row(
                row,
                Severity.ERROR,
                "hemisphere_conflict",
                "issue.hemisphere_conflict",
                column=where,
                value=exc.value,
                fix=CHECK,
            )
            continue
        except (ValueError, TypeError, shapely.errors.GEOSException):
            places.x[row] = places.y[row] = np.nan
            found.row(
                row,
                Severity.ERROR,
                "coord_not_numeric",
                "issue.coord_not_numeric",
                column=where,
                columns=columns.describe(),
                fix=CHECK,
            )
            continue
        if value is None:
            places.x[row] = places.y[row] = np.nan
            found.row(
                row, Severity.ERROR, "no_geometry", "issue.no_geometry", column=where, fix=CHECK
            )
        elif value[0] == "geom":
            found.row(
                row,
                Severity.ERROR,
                "wrong_geometry_type",
                "issue.wrong_geometry_type",
                column=where,
                geom=value[1],
                fix=CHECK,
            )
        elif not (np.isfinite(value[0]) and np.isfinite(value[1])):
            places.x[row] = places.y[row] = np.nan
            _not_finite(row, found, column=where, where=f"{value[0]:g}, {value[1]:g}")
        else:
            places.x[row], places.y[row] = value
    return places


def drop_absurd(places: Places, found: Findings, *, column: str) -> None:
    """Reject coordinates no reference system can hold (beyond 40,000 km, or not finite).

    Rows left unplaced without an error by now (a NaN no path caught) are rejected too, so
    no accepted row can carry a non-finite coordinate.
    """
    unplaced = ~(np.isfinite(places.x) & np.isfinite(places.y))
    if unplaced.any():
        rejected = found.rejected_rows()
        for row in np.flatnonzero(unplaced & ~np.isinf(places.x) & ~np.isinf(places.y)):
            if int(row) not in rejected:
                _not_finite(
                    row, found, column=column, where=f"{places.x[row]:g}, {places.y[row]:g}"
                )
    with np.errstate(invalid="ignore"):
        absurd = (np.abs(places.x) > _ABSURD_M) | (np.abs(places.y) > _ABSURD_M)
    for row in np.flatnonzero(absurd):
        found.row(
            row,
            Severity.ERROR,
            "coord_out_of_range",
            "issue.coord_out_of_range",
            column=column,
            where=f"{places.x[row]:g}, {places.y[row]:g}",
            fix=CHECK,
        )
        places.x[row] = places.y[row] = np.nan
        places.footprint[row] = None
