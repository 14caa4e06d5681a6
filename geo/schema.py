"""The sites schema: every canonical column present and typed, and the model's rules checked."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import Problem, ValidationError
from geo.model import CANONICAL_COLUMNS, COLUMN_VOCABULARY, KINDS, Col, Kind, PostType, Unit
from geo.text import Text

__all__ = ["canonical_sites", "unique_column_names", "validate_sites"]

_INT_COLUMNS = (Col.PERSONNEL, Col.TPS_NO, Col.VOTERS)
_FLOAT_COLUMNS = (Col.RADIUS_M,)
_SHOWN_PROBLEMS = 5


def canonical_sites(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Sites with every canonical column present and typed; other columns kept as they are."""
    out = frame.copy()
    for column in CANONICAL_COLUMNS:
        if column not in out:
            out[column] = pd.NA
    for column in _INT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    for column in _FLOAT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    text_columns = [c for c in CANONICAL_COLUMNS if c not in _INT_COLUMNS + _FLOAT_COLUMNS]
    for column in text_columns:
        out[column] = out[column].astype("str").where(out[column].notna())
    ordered = [*CANONICAL_COLUMNS, *(c for c in out.columns if c not in CANONICAL_COLUMNS)]
    return gpd.GeoDataFrame(out[ordered], geometry=out.geometry.name, crs=out.crs).reset_index(
        drop=True
    )


def validate_sites(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check canonical sites against the model's rules; return them unchanged when valid.

    What each kind requires (a risk class, a post type) comes from `geo.model.KINDS`.

    Raises
    ------
    ValidationError
        Listing every problem: missing or duplicate ids, unknown kinds, risk classes, post
        types or reserve units, and geometries that are not points with finite, valid
        longitude and latitude.
    """
    problems: list[Problem] = []
    ids = sites[Col.SITE_ID]
    for row in np.flatnonzero(ids.isna().to_numpy()):
        problems.append(Problem.from_text(f"row {row + 1}", "sites.no_id", row=int(row) + 1))
    for site_id in sorted(ids[ids.duplicated() & ids.notna()].unique()):
        problems.append(Problem.from_text(site_id, "sites.duplicate_id", id=site_id))
    problems += _vocabulary_problems(sites, Col.KIND, Kind, sites.index)
    for kind, spec in KINDS.items():
        rows = sites.index[sites[Col.KIND] == kind]
        for column in spec.required:
            problems += _vocabulary_problems(sites, column, COLUMN_VOCABULARY[column], rows)
    # a reserve post may leave its unit open, but a unit it gives is a known one
    reserves = (sites[Col.POST_TYPE] == PostType.RESERVE) & sites[Col.UNIT].notna()
    problems += _vocabulary_problems(sites, Col.UNIT, Unit, sites.index[reserves])
    problems += _geometry_problems(sites)
    if problems:
        shown = tuple(problems[:_SHOWN_PROBLEMS])
        raise ValidationError.from_text(
            "sites.invalid", tuple(problems), n=len(problems), problems=shown
        )
    return sites


def _geometry_problems(sites: gpd.GeoDataFrame) -> list[Problem]:
    """Rows that are not a point with finite longitude -180..180 and latitude -90..90."""
    geom = np.asarray(sites.geometry.values, dtype=object)
    with np.errstate(invalid="ignore"):
        x, y = shapely.get_x(geom), shapely.get_y(geom)
        good = (
            (shapely.get_type_id(geom) == shapely.GeometryType.POINT)
            & np.isfinite(x)
            & np.isfinite(y)
            & (np.abs(x) <= 180)
            & (np.abs(y) <= 90)
        )
    bad_geom = ~good
    return [
        Problem.from_text(_where(sites, row), "sites.bad_point", site=_site(sites, row))
        for row in np.flatnonzero(bad_geom)
    ]


def _vocabulary_problems(
    sites: gpd.GeoDataFrame, column: str, vocabulary: type[StrEnum], rows: pd.Index
) -> list[Problem]:
    allowed = {e.value for e in vocabulary}
    values = sites.loc[rows, column]
    bad = values[~values.isin(allowed)]
    problems = []
    for i, value in bad.items():
        row = sites.index.get_loc(i)
        problems.append(
            Problem.from_text(
                _where(sites, row),
                "sites.bad_value",
                column=column,
                value=value,
                site=_site(sites, row),
                expected=", ".join(sorted(allowed)),
            )
        )
    return problems


def _where(sites: gpd.GeoDataFrame, row: int) -> str:
    site_id = sites[Col.SITE_ID].iloc[row]
    return repr(site_id) if isinstance(site_id, str) else f"row {row + 1}"


def _site(sites: gpd.GeoDataFrame, row: int) -> str | Text:
    site_id = sites[Col.SITE_ID].iloc[row]
    return repr(site_id) if isinstance(site_id, str) else Text("sites.row", {"row": row + 1})


def unique_column_names(columns: list[str], *, reserved: Iterable[str] = ()) -> list[str]:
    """Column names that clash neither with `reserved` nor with each other, ignoring case.

    GeoPackage (SQLite) column names ignore case, so "Kelurahan" clashes with "kelurahan":
    a name in `reserved` becomes "src_<name>", and repeated names get "_2", "_3".
    """
    reserved_lower = {r.lower() for r in reserved}
    taken = set(reserved_lower)
    next_suffix: dict[str, int] = {}  # per name, the first suffix not yet tried: linear time
    out: list[str] = []
    for column in columns:
        name = f"src_{column}" if column.lower() in reserved_lower else column
        candidate = name
        if candidate.lower() in taken:
            n = next_suffix.get(name.lower(), 2)
            while f"{name}_{n}".lower() in taken:
                n += 1
            candidate = f"{name}_{n}"
            next_suffix[name.lower()] = n + 1
        taken.add(candidate.lower())
        out.append(candidate)
    return out
