"""An operation: its settings, sites and areas, loaded from an operation folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.crs import WGS84
from geo.errors import Problem, ValidationError
from geo.model import CANONICAL_COLUMNS, Col, Kind, PostType, Risk, Settings, load_settings
from geo.store import STORE_FILE, Store, Version, merge_sites

__all__ = [
    "SAMPLE_OPERATION",
    "Operation",
    "canonical_sites",
    "discover_operations",
    "load_operation",
    "operation_signature",
    "save_sites",
    "store_for",
    "validate_sites",
]

SAMPLE_OPERATION = Path(__file__).resolve().parent.parent / "data" / "pangkalpinang"
SETTINGS_FILE = "operation.toml"
SITES_FILE = "sites.geojson"
AREAS_FILE = "areas.geojson"

_INT_COLUMNS = (Col.PERSONNEL, Col.TPS_NO, Col.VOTERS)
_FLOAT_COLUMNS = (Col.RADIUS_M,)


@dataclass(frozen=True)
class Operation:
    """One security operation.

    Attributes
    ----------
    key
        Short identifier (the folder name).
    path
        The operation folder.
    settings
        Validated settings from `operation.toml`.
    sites
        Canonical sites, EPSG:4326 points.
    areas
        Area polygons (`area_code`, `name`, `level`), EPSG:4326.
    version
        The workspace version the sites come from (None: the folder's seed files).
    """

    key: str
    path: Path
    settings: Settings
    sites: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    version: int | None = None

    @property
    def title(self) -> str:
        """The operation's title."""
        return self.settings.title


def load_operation(path: Path | str = SAMPLE_OPERATION) -> Operation:
    """Load an operation folder: `operation.toml`, `sites.geojson`, `areas.geojson`.

    Parameters
    ----------
    path
        The operation folder.

    Raises
    ------
    SettingsError
        When the settings file is missing or invalid.
    ValidationError
        When the folder or a layer is missing or its sites break the model's rules.
    """
    folder = Path(path)
    if not folder.is_dir():
        msg = f"Operation folder {str(folder)!r} not found."
        raise ValidationError(msg)
    settings = load_settings(folder / SETTINGS_FILE)
    latest = store_for(folder).latest()
    if latest is not None:
        raw = store_for(folder).read_sites(latest.version)
    else:
        raw = _read_layer(folder / SITES_FILE)
    sites = validate_sites(canonical_sites(raw))
    areas_path = folder / AREAS_FILE
    areas = _read_layer(areas_path) if areas_path.exists() else _empty_areas()
    return Operation(
        key=folder.name,
        path=folder,
        settings=settings,
        sites=sites,
        areas=areas.to_crs(WGS84),
        version=latest.version if latest else None,
    )


def store_for(folder: Path) -> Store:
    """The GeoPackage workspace of an operation folder."""
    return Store(Path(folder) / STORE_FILE)


def save_sites(
    operation: Operation,
    imported: gpd.GeoDataFrame,
    *,
    replace_kinds: bool = False,
    file_name: str = "",
    sha256: str = "",
    counts: dict[str, int] | None = None,
    who: str = "",
) -> Version:
    """Merge imported sites into the operation and save the result as a new version.

    The first save also keeps the folder's seed sites as version 1, so a rollback can
    always return to them.

    Raises
    ------
    ValidationError
        When the merged sites break the model's rules (nothing is saved then).
    StoreError
        When the workspace cannot be written.
    """
    store = store_for(operation.path)
    merged = validate_sites(
        canonical_sites(merge_sites(operation.sites, imported, replace_kinds=replace_kinds))
    )
    if store.latest() is None:
        store.save(
            operation.sites,
            action="initial",
            file_name=SITES_FILE,
            who=who,
            note="the operation folder's own sites",
        )
    counts = counts or {}
    return store.save(
        merged,
        action="import",
        file_name=file_name,
        sha256=sha256,
        rows_read=counts.get("rows_read", len(imported)),
        accepted=counts.get("accepted", len(imported)),
        rejected=counts.get("rejected", 0),
        who=who,
        note="replace kinds" if replace_kinds else "add/update by site_id",
    )


def discover_operations(*roots: Path) -> dict[str, Path]:
    """Operation folders (holding `operation.toml`) directly under `roots`, by key.

    A root that is itself an operation folder counts too. Earlier roots win on equal keys.
    """
    found: dict[str, Path] = {}
    for root in roots:
        candidates = (
            [root, *sorted(p for p in root.iterdir() if p.is_dir())] if root.is_dir() else []
        )
        for folder in candidates:
            if (folder / SETTINGS_FILE).is_file():
                found.setdefault(folder.name, folder.resolve())
    return found


def operation_signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file of an operation (a cache key)."""
    folder = Path(path)
    return tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    )


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        msg = f"Layer {str(path)!r} not found in the operation folder."
        raise ValidationError(msg)
    try:
        frame = pyogrio.read_dataframe(path)
    except pyogrio.errors.DataSourceError as exc:
        msg = f"Layer {str(path)!r} cannot be read: {exc}"
        raise ValidationError(msg) from None
    if frame.crs is None:
        frame = frame.set_crs(WGS84)
    return frame.to_crs(WGS84)


def _empty_areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "area_code": pd.Series(dtype="str"),
            "name": pd.Series(dtype="str"),
            "level": pd.Series(dtype="str"),
        },
        geometry=gpd.GeoSeries([], crs=WGS84),
    )


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

    Raises
    ------
    ValidationError
        Listing every problem: missing or duplicate ids, unknown kinds, risk classes or post
        types, and geometries that are not points with valid longitude and latitude.
    """
    problems: list[Problem] = []
    ids = sites[Col.SITE_ID]
    for row in np.flatnonzero(ids.isna().to_numpy()):
        problems.append(Problem(f"row {row + 1}", f"Row {row + 1} has no `site_id`."))
    for site_id in sorted(ids[ids.duplicated() & ids.notna()].unique()):
        problems.append(Problem(site_id, f"`site_id` {site_id!r} is used more than once."))
    problems += _enum_problems(sites, Col.KIND, Kind, sites.index)
    tps = sites[Col.KIND] == Kind.POLLING_STATION
    problems += _enum_problems(sites, Col.RISK, Risk, sites.index[tps])
    posts = sites[Col.KIND] == Kind.POLICE_POST
    problems += _enum_problems(sites, Col.POST_TYPE, PostType, sites.index[posts])
    geom = sites.geometry
    bad_geom = ~(geom.geom_type == "Point") | geom.is_empty
    ok = ~bad_geom
    bad_geom |= ok & ((geom.x.abs() > 180) | (geom.y.abs() > 90))
    for row in np.flatnonzero(bad_geom.to_numpy()):
        problems.append(
            Problem(
                _where(sites, row),
                f"Site {_where(sites, row)} needs a point with longitude -180..180 and "
                "latitude -90..90.",
            )
        )
    if problems:
        msg = f"{len(problems)} problem(s) in the sites: " + "; ".join(
            p.message for p in problems[:5]
        )
        raise ValidationError(msg, tuple(problems))
    return sites


def _enum_problems(
    sites: gpd.GeoDataFrame, column: str, enum: type, rows: pd.Index
) -> list[Problem]:
    allowed = {e.value for e in enum}
    values = sites.loc[rows, column]
    bad = values[~values.isin(allowed)]
    return [
        Problem(
            _where(sites, sites.index.get_loc(i)),
            f"Column `{column}` has {value!r} in site {_where(sites, sites.index.get_loc(i))}; "
            f"expected one of: {', '.join(sorted(allowed))}.",
        )
        for i, value in bad.items()
    ]


def _where(sites: gpd.GeoDataFrame, row: int) -> str:
    site_id = sites[Col.SITE_ID].iloc[row]
    return repr(site_id) if isinstance(site_id, str) else f"row {row + 1}"
