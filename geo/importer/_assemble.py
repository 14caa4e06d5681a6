"""Assembling the report: accepted sites with their originals, rejected rows with reasons."""

from __future__ import annotations

import json
import math
from collections import defaultdict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.crs import WGS84, to_wgs84
from geo.fields import CoordinateColumns, FieldMapping
from geo.importer._fields import FIELD_ORDER
from geo.importer._findings import Findings
from geo.importer._placement import Places
from geo.importer.report import LEAD_CODES, Fix, ImportReport, Issue, Severity
from geo.io import RawTable
from geo.model import Col
from geo.schema import canonical_sites, unique_column_names

__all__ = ["assemble"]

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def assemble(
    raw: RawTable,
    found: Findings,
    places: Places,
    lon: np.ndarray,
    lat: np.ndarray,
    fields: pd.DataFrame,
    mapping: FieldMapping,
    coordinates: CoordinateColumns | None,
    crs_used: str | None,
    *,
    post_type_values: tuple[str, ...] = (),
) -> ImportReport:
    """The report: every row either accepted or rejected, issues sorted, fixes offered."""
    rejected_rows = found.rejected_rows()
    accepted_idx = [r for r in range(raw.rows) if r not in rejected_rows]
    rejected_idx = sorted(rejected_rows)
    originals = raw.attributes.map(_stored).copy()
    originals.columns = [str(c) for c in originals.columns]
    reserved = (*FIELD_ORDER, Col.AREA_CODE, Col.ROLE, "footprint", "geometry", "fid")
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
    issues = tuple(
        sorted(found.file, key=lambda i: (i.code not in LEAD_CODES, _SEVERITY_ORDER[i.severity]))
    ) + tuple(sorted(found.rows, key=lambda i: (i.row or 0, _SEVERITY_ORDER[i.severity])))
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
        post_type_values=post_type_values,
        rejected_at=tuple(
            (r + 1, float(lon[r]), float(lat[r]))
            for r in rejected_idx
            if r < len(lon) and abs(lon[r]) <= 180 and abs(lat[r]) <= 90
        ),
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
    originals: pd.DataFrame, rows: list[int], issues: tuple[Issue, ...], places: Places
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
