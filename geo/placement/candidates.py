"""Candidate sites for new posts: the operation's own places, a planner's list, a grid.

A candidate is a position where a new post could stand. They come from the operation's
site list (government buildings, election logistics sites, and the public places that
hold polling stations: schools, village halls), from a list the planner uploads (read by
the normal importer, so it gets the normal report), and from a regular grid over the
operation's areas. Candidates inside the plan's closure (no-go) zones are dropped, and so
is a candidate at the very position of an earlier one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.areas import Level, area_levels, assign_areas
from geo.crs import WGS84, local_metric_crs
from geo.errors import ValidationError
from geo.importer import ImportChoices, ImportContext, ImportReport, import_sites
from geo.model import Col, Kind, ZoneKind
from geo.operation import Operation

__all__ = [
    "DEFAULT_SOURCES",
    "MAX_GRID_POINTS",
    "CandidateSource",
    "Candidates",
    "gather_candidates",
    "grid_points",
    "grid_spacing_m",
    "read_candidate_file",
    "upload_summary",
]


class CandidateSource(StrEnum):
    """Where a candidate site comes from."""

    GOVERNMENT = "government"
    LOGISTICS = "logistics"
    POLLING_STATION = "polling_station"
    UPLOAD = "upload"
    GRID = "grid"


# the sources taken from the operation's site list, with the kind of site each one reads
_SITE_SOURCES: Mapping[CandidateSource, Kind] = {
    CandidateSource.GOVERNMENT: Kind.GOVERNMENT,
    CandidateSource.LOGISTICS: Kind.LOGISTICS,
    CandidateSource.POLLING_STATION: Kind.POLLING_STATION,
}
DEFAULT_SOURCES: tuple[CandidateSource, ...] = tuple(_SITE_SOURCES)
MAX_GRID_POINTS = 50_000
"""A grid with more points than this is refused (the message gives a spacing that fits)."""
# two candidates closer than this (degrees, about 1 cm) stand at the same place
_SAME_PLACE_DEG = 1e-7
COLUMNS = ("candidate_id", "name", "source", "lon", "lat", Level.KECAMATAN, Level.KELURAHAN)


@dataclass(frozen=True)
class Candidates:
    """The candidate sites of one suggestion.

    Attributes
    ----------
    frame
        One row per candidate: `candidate_id`, `name`, `source`, `lon`, `lat`, and the
        area codes `kecamatan` and `kelurahan` (NA outside every area or without that
        level).
    found
        Candidates found per source, before any was dropped.
    in_no_go
        Candidates dropped because they lie in a closure (no-go) zone of the plan.
    same_place
        Candidates dropped because an earlier one stands at the same position.
    grid_m
        Spacing of the grid used (None when there is no grid).
    """

    frame: pd.DataFrame
    found: Mapping[str, int] = field(default_factory=dict)
    in_no_go: int = 0
    same_place: int = 0
    grid_m: float | None = None

    def __len__(self) -> int:
        return len(self.frame)


def grid_spacing_m(radius_m: float) -> float:
    """Spacing of a square grid whose every cell a post at its centre covers: radius·√2
    (the farthest point of a cell is half its diagonal from the centre)."""
    return float(radius_m) * math.sqrt(2.0)


def grid_points(
    areas: gpd.GeoDataFrame, spacing_m: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Longitudes and latitudes of a square grid of `spacing_m` metres over the areas,
    points inside the areas only.

    The grid is laid in an azimuthal equidistant projection centred on the areas, so the
    spacing holds in metres around the centre (off by less than 0.1 % 300 km away).

    Raises
    ------
    ValidationError
        When the operation has no areas, or the grid would hold more than
        :data:`MAX_GRID_POINTS` points.
    """
    if areas is None or areas.empty:
        raise ValidationError.from_text("suggest.grid_no_areas")
    union = shapely.union_all(areas.geometry.to_numpy())
    centre = union.centroid
    local = local_metric_crs(centre.x, centre.y)
    shape = gpd.GeoSeries([union], crs=WGS84).to_crs(local).iloc[0]
    west, south, east, north = shape.bounds
    nx = int((east - west) // spacing_m) + 1
    ny = int((north - south) // spacing_m) + 1
    if nx * ny > 4 * MAX_GRID_POINTS:
        raise _too_many(nx * ny, shape.area, spacing_m)
    xs = west + spacing_m / 2 + spacing_m * np.arange(nx)
    ys = south + spacing_m / 2 + spacing_m * np.arange(ny)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    shapely.prepare(shape)
    inside = shapely.intersects_xy(shape, gx, gy)
    if inside.sum() > MAX_GRID_POINTS:
        raise _too_many(int(inside.sum()), shape.area, spacing_m)
    points = gpd.GeoSeries(gpd.points_from_xy(gx[inside], gy[inside]), crs=local).to_crs(WGS84)
    return points.x.to_numpy(), points.y.to_numpy()


def _too_many(points: int, area_m2: float, spacing_m: float) -> ValidationError:
    fits = math.ceil(math.sqrt(area_m2 / MAX_GRID_POINTS) / 10) * 10
    return ValidationError.from_text(
        "suggest.grid_too_many",
        points=points,
        limit=MAX_GRID_POINTS,
        spacing=f"{spacing_m:.0f}",
        fits=f"{max(fits, spacing_m):.0f}",
    )


def read_candidate_file(
    path: Path | str, operation: Operation, *, name: str | None = None
) -> ImportReport:
    """Read a planner's list of candidate sites with the normal importer.

    Every row is read as a place (a government building: no risk class or post type is
    asked for), checked against the operation's areas like any import.

    Raises
    ------
    ReadError
        When the file cannot be read at all.
    """
    choices = ImportChoices(kind=Kind.GOVERNMENT)
    return import_sites(path, choices, ImportContext.for_operation(operation), name=name)


def upload_summary(report: ImportReport) -> dict[str, object]:
    """What a suggestion reports about an uploaded candidate list.

    Raises
    ------
    ValidationError
        When the importer accepted no row of the list.
    """
    if report.accepted.empty:
        raise ValidationError.from_text(
            "suggest.upload_empty", file=report.file_name, rejected=report.counts["rejected"]
        )
    return {"file": report.file_name, **{k: int(v) for k, v in report.counts.items()}}


def _site_candidates(operation: Operation, sources: Iterable[CandidateSource]) -> pd.DataFrame:
    sites = operation.sites
    parts = []
    for source in sources:
        kind = _SITE_SOURCES.get(source)
        if kind is None:
            continue
        rows = sites[sites[Col.KIND] == kind].sort_values(Col.SITE_ID, kind="stable")
        parts.append(
            pd.DataFrame(
                {
                    "candidate_id": [f"{source}:{i}" for i in rows[Col.SITE_ID]],
                    "name": rows[Col.NAME].astype(str).to_numpy(),
                    "source": str(source),
                    "lon": rows.geometry.x.to_numpy(),
                    "lat": rows.geometry.y.to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else _empty()


def _uploaded_candidates(uploaded: gpd.GeoDataFrame) -> pd.DataFrame:
    names = uploaded[Col.NAME].astype(str).to_numpy() if len(uploaded) else []
    return pd.DataFrame(
        {
            "candidate_id": [f"upload:{i + 1}" for i in range(len(uploaded))],
            "name": names,
            "source": str(CandidateSource.UPLOAD),
            "lon": uploaded.geometry.x.to_numpy(),
            "lat": uploaded.geometry.y.to_numpy(),
        }
    )


def _grid_candidates(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "candidate_id": [f"grid:{i + 1}" for i in range(len(lon))],
            "name": [f"grid {i + 1}" for i in range(len(lon))],
            "source": str(CandidateSource.GRID),
            "lon": lon,
            "lat": lat,
        }
    )


def _empty() -> pd.DataFrame:
    columns = COLUMNS[:5]
    return pd.DataFrame(
        {c: pd.Series(dtype=float if c in ("lon", "lat") else object) for c in columns}
    )


def _no_go_mask(operation: Operation, frame: pd.DataFrame) -> NDArray[np.bool_]:
    """True for candidates inside one of the plan's closure zones (edge included)."""
    zones = [z.area() for z in operation.plan_content.zones if z.kind == ZoneKind.CLOSURE]
    if not zones or frame.empty:
        return np.zeros(len(frame), dtype=bool)
    closed = shapely.union_all(zones)
    shapely.prepare(closed)
    return shapely.intersects_xy(closed, frame["lon"].to_numpy(), frame["lat"].to_numpy())


def _same_place_mask(frame: pd.DataFrame) -> NDArray[np.bool_]:
    """True for a candidate at the position of an earlier one."""
    keys = pd.DataFrame(
        {
            "x": np.round(frame["lon"].to_numpy() / _SAME_PLACE_DEG),
            "y": np.round(frame["lat"].to_numpy() / _SAME_PLACE_DEG),
        }
    )
    return keys.duplicated(keep="first").to_numpy()


def _with_areas(operation: Operation, frame: pd.DataFrame) -> pd.DataFrame:
    """The candidates with the codes of their kecamatan and kelurahan (NA if none)."""
    points = gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84
    )
    levels = set(area_levels(operation.areas))
    out = frame.copy()
    for level in (Level.KECAMATAN, Level.KELURAHAN):
        if level in levels and len(frame):
            out[str(level)] = assign_areas(points, operation.areas, level=level).to_numpy()
        else:
            out[str(level)] = pd.Series(pd.NA, index=frame.index, dtype="str")
    return out


def gather_candidates(
    operation: Operation,
    *,
    sources: Iterable[CandidateSource] = DEFAULT_SOURCES,
    grid_m: float | None = None,
    uploaded: gpd.GeoDataFrame | None = None,
) -> Candidates:
    """Every candidate site of a suggestion, in a fixed order (site sources, upload, grid).

    Parameters
    ----------
    operation
        The operation, as the plan deploys it (its zones give the no-go areas).
    sources
        Which of the operation's kinds of site are candidates.
    grid_m
        Spacing of a grid over the operation's areas, metres (None: no grid).
    uploaded
        Accepted rows of a planner's candidate list (see :func:`read_candidate_file`).

    Raises
    ------
    ValidationError
        When the grid cannot be laid (no areas, too many points).
    """
    chosen = [CandidateSource(s) for s in sources]
    parts = [_site_candidates(operation, chosen)]
    if uploaded is not None:
        parts.append(_uploaded_candidates(uploaded))
    if grid_m is not None:
        parts.append(_grid_candidates(*grid_points(operation.areas, float(grid_m))))
    frame = pd.concat([p for p in parts if len(p)] or [_empty()], ignore_index=True)
    found = {str(s): int((frame["source"] == str(s)).sum()) for s in CandidateSource}
    found = {s: n for s, n in found.items() if n or s in {str(c) for c in chosen}}
    no_go = _no_go_mask(operation, frame)
    same = _same_place_mask(frame) & ~no_go
    kept = frame[~no_go & ~same].reset_index(drop=True)
    return Candidates(
        frame=_with_areas(operation, kept),
        found=found,
        in_no_go=int(no_go.sum()),
        same_place=int(same.sum()),
        grid_m=None if grid_m is None else float(grid_m),
    )
