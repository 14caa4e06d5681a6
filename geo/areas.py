"""Areas of an operation (kecamatan, kelurahan/desa, sectors): boundary files read into
canonical areas, and which area each site lies in.

A boundary file as published (GeoJSON, GeoPackage, zipped shapefile, KML; read by
:func:`geo.io.read_table`) names its columns in many ways: ``kode``/``nama``,
``kode_kec``/``kd_kel``/``nm_kelurahan``, BIG's ``KDEPUM``/``WADMKD``. Each row becomes one
canonical area: ``area_code``, ``name``, ``level``, ``parent_code``, ``approximate`` and a
polygon in EPSG:4326. Kemendagri/BPS codes give the level and the parent by themselves
(``19.71`` a kabupaten/kota, ``19.71.02`` a kecamatan, ``19.71.02.1003`` a kelurahan/desa, the
parent being the code without its last part). Invalid polygons are repaired
(``shapely.make_valid``) keeping their polygon parts; only a row with no area at all is
rejected. Every row is accepted or rejected with coded, catalog-backed issues, as for sites.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.crs import WGS84, degree_share, likely_crs, parse_crs, to_wgs84
from geo.csvsafe import to_csv_safe
from geo.errors import PoskoError, ValidationError
from geo.importer.report import Issue, Severity
from geo.io import RawTable, read_table
from geo.schema import unique_column_names
from geo.text import DEFAULT_LANGUAGE, Text

__all__ = [
    "AREA_COLUMNS",
    "AREA_FIELDS",
    "AreaChange",
    "AreaChoices",
    "AreaReport",
    "Level",
    "area_levels",
    "assign_areas",
    "canonical_areas",
    "code_level",
    "compare_areas",
    "derive_level",
    "empty_areas",
    "import_areas",
    "level_counts",
    "normalise_code",
    "parent_of",
    "polygonal",
    "read_areas_file",
    "replace_levels",
]

AREA_COLUMNS = ("area_code", "name", "level", "parent_code", "approximate")
AREA_FIELDS = ("code", "name", "level", "parent", "approximate")
"""Fields a planner may point at a column of the file (:attr:`AreaChoices.columns`)."""


class Level(StrEnum):
    """Area levels, coarsest first. Kelurahan and desa are one level (the fourth tier of a
    Kemendagri code); a sector is a Polsek's or a rayon's own division."""

    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    SECTOR = "sector"


# words a `level` cell may hold, normalised (see _norm)
_LEVEL_WORDS: dict[Level, tuple[str, ...]] = {
    Level.PROVINSI: ("provinsi", "propinsi", "prov", "province"),
    Level.KABUPATEN: (
        "kabupaten",
        "kota",
        "kab",
        "kabupaten_kota",
        "kab_kota",
        "kabkota",
        "regency",
        "city",
    ),
    Level.KECAMATAN: ("kecamatan", "kec", "district", "subdistrict"),
    Level.KELURAHAN: (
        "kelurahan",
        "desa",
        "kel",
        "kelurahan_desa",
        "desa_kelurahan",
        "village",
        "nagari",
        "gampong",
    ),
    Level.SECTOR: ("sector", "sektor", "rayon", "subsektor", "sub_sektor", "polsek"),
}
_LEVEL_VALUES = frozenset(level.value for level in Level)
_LEVEL_OF_WORD = {word: level for level, words in _LEVEL_WORDS.items() for word in words}
_PARTS_LEVEL = {1: Level.PROVINSI, 2: Level.KABUPATEN, 3: Level.KECAMATAN, 4: Level.KELURAHAN}
_FINER_FIRST = (Level.SECTOR, Level.KELURAHAN, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI)
_PARENT_LEVEL = {
    Level.KELURAHAN: Level.KECAMATAN,
    Level.KECAMATAN: Level.KABUPATEN,
    Level.KABUPATEN: Level.PROVINSI,
}

# column names recognised (normalised), generic first, then per level
_GENERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": (
        "area_code",
        "kode",
        "code",
        "kode_wilayah",
        "kd_wilayah",
        "kodewilayah",
        "kode_area",
        "id_wilayah",
        "kode_kemendagri",
        "kode_bps",
    ),
    "name": ("name", "nama", "nama_wilayah", "nm_wilayah", "namobj", "nama_area", "wilayah"),
    "level": ("level", "tingkat", "tingkat_wilayah", "jenis_wilayah", "admin_level"),
    "parent": ("parent_code", "kode_induk", "parent", "induk", "kd_induk"),
    "approximate": ("approximate", "perkiraan", "approx"),
}
_LEVEL_COLUMNS: dict[Level, dict[str, tuple[str, ...]]] = {
    Level.KELURAHAN: {
        "code": (
            "kode_kel",
            "kd_kel",
            "kode_kelurahan",
            "kd_kelurahan",
            "kode_desa",
            "kd_desa",
            "kode_kel_desa",
            "kdepum",
            "kdebps",
            "id_kel",
            "id_desa",
        ),
        "name": (
            "nama_kel",
            "nm_kel",
            "nama_kelurahan",
            "nm_kelurahan",
            "kelurahan",
            "nama_desa",
            "nm_desa",
            "desa",
            "kelurahan_desa",
            "desa_kelurahan",
            "wadmkd",
        ),
    },
    Level.KECAMATAN: {
        "code": (
            "kode_kec",
            "kd_kec",
            "kode_kecamatan",
            "kd_kecamatan",
            "kdcpum",
            "kdcbps",
            "id_kec",
        ),
        "name": ("nama_kec", "nm_kec", "nama_kecamatan", "nm_kecamatan", "kecamatan", "wadmkc"),
    },
    Level.KABUPATEN: {
        "code": ("kode_kab", "kd_kab", "kode_kota", "kd_kota", "kode_kabkota", "kdpkab", "id_kab"),
        "name": ("nama_kab", "nm_kab", "kabupaten", "kota", "kabupaten_kota", "wadmkk"),
    },
    Level.PROVINSI: {
        "code": ("kode_prov", "kd_prov", "kode_provinsi", "kdppum", "id_prov"),
        "name": ("nama_prov", "nm_prov", "provinsi", "nama_provinsi", "wadmpr"),
    },
    Level.SECTOR: {
        "code": ("kode_sektor", "kd_sektor", "sector_code"),
        "name": ("sektor", "sector", "nama_sektor", "nm_sektor", "rayon"),
    },
}

_KEMENDAGRI = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_BPS_DIGITS = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}
# polygon parts smaller than this are slivers of a repair, not area
_SLIVER_M2 = 1.0
# holes smaller than this in a dissolved level are gaps between neighbours, not real holes
_GAP_M2 = 10_000.0
_M_PER_DEGREE = 111_320.0
# outlines closer than this everywhere (~20 cm) are the same (files round coordinates)
_SAME_OUTLINE_DEG = 2e-6
_TRUE = {"1", "true", "yes", "ya", "y", "t", "benar"}


def area_levels(areas: gpd.GeoDataFrame) -> list[str]:
    """Levels present in `areas`, coarsest first (fewest polygons first)."""
    if areas.empty:
        return []
    counts = areas["level"].value_counts()
    return sorted(counts.index, key=lambda level: (counts[level], str(level)))


def level_counts(areas: gpd.GeoDataFrame | None) -> dict[str, int]:
    """Number of areas per level (empty for no areas)."""
    if areas is None or areas.empty:
        return {}
    return {str(k): int(v) for k, v in areas["level"].value_counts().sort_index().items()}


def assign_areas(points: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, *, level: str) -> pd.Series:
    """Code of the area of `level` holding each point, or NA for points outside every area.

    Parameters
    ----------
    points
        Point sites in EPSG:4326.
    areas
        Area polygons in EPSG:4326 with `area_code` and `level`.
    level
        Which level to use, e.g. "kecamatan".

    Returns
    -------
    area_code
        Indexed like `points`; where areas overlap, the first area in `areas` wins.
    """
    polygons = areas.loc[areas["level"] == level, ["area_code", "geometry"]]
    result = pd.Series(pd.NA, index=points.index, dtype="str", name="area_code")
    if polygons.empty or points.empty:
        return result
    joined = gpd.sjoin(points[["geometry"]], polygons, how="left", predicate="intersects")
    first = joined[~joined.index.duplicated(keep="first")]
    result.loc[first.index] = first["area_code"].astype("str").where(first["area_code"].notna())
    return result


# --- codes ---------------------------------------------------------------------------------


def normalise_code(value: object) -> str | None:
    """An area code as text: BPS digits written the Kemendagri way (``1971021003`` →
    ``19.71.02.1003``), other codes trimmed; None when blank."""
    text = _cell(value)
    if text is None:
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    compact = re.sub(r"[\s]+", "", text)
    if compact.isdigit() and len(compact) in _BPS_DIGITS:
        parts, at = [], 0
        for width in _BPS_DIGITS[len(compact)]:
            parts.append(compact[at : at + width])
            at += width
        return ".".join(parts)
    return compact if _KEMENDAGRI.match(compact) else text


def code_level(code: str | None) -> Level | None:
    """The level a Kemendagri/BPS code gives (``19.71.02`` → kecamatan), else None."""
    if code is None or not _KEMENDAGRI.match(code):
        return None
    return _PARTS_LEVEL[code.count(".") + 1]


def parent_of(code: str | None) -> str | None:
    """The parent of a Kemendagri/BPS code (the code without its last part), else None."""
    if code is None or not _KEMENDAGRI.match(code) or "." not in code:
        return None
    return code.rsplit(".", 1)[0]


# --- geometry -----------------------------------------------------------------------------


def polygonal(geom: shapely.Geometry | None) -> tuple[shapely.Geometry | None, str, int]:
    """The polygonal part of a geometry, repaired when invalid.

    Returns
    -------
    area, reason, dropped
        The (Multi)Polygon, or None when nothing with an area is left; the reason the input
        was invalid ("" when it was valid); the number of parts dropped (lines, points and
        slivers under 1 m²).
    """
    if geom is None or geom.is_empty:
        return None, "", 0
    reason = ""
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = shapely.make_valid(geom)
    parts = list(shapely.get_parts(geom))
    polygons = [p for p in _flatten(parts) if p.geom_type == "Polygon"]
    kept = [p for p in polygons if _area_m2(p) >= _SLIVER_M2]
    dropped = len(list(_flatten(parts))) - len(kept)
    if not kept:
        return None, reason, dropped
    area = shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]
    return area, reason, dropped


def _flatten(parts: Iterable[shapely.Geometry]) -> Iterable[shapely.Geometry]:
    for part in parts:
        if part.geom_type in ("GeometryCollection", "MultiPolygon", "MultiLineString"):
            yield from _flatten(shapely.get_parts(part))
        else:
            yield part


def _area_m2(geom: shapely.Geometry) -> float:
    """Approximate area of a lon/lat geometry in m² (enough to tell a sliver)."""
    lat = geom.centroid.y if not geom.is_empty else 0.0
    return geom.area * _M_PER_DEGREE**2 * max(math.cos(math.radians(lat)), 1e-6)


def _fill_gaps(geom: shapely.Geometry) -> shapely.Geometry:
    """A dissolved polygon without the small holes left between neighbouring areas."""
    polygons = []
    for part in shapely.get_parts(geom):
        holes = [r for r in part.interiors if _area_m2(shapely.Polygon(r)) >= _GAP_M2]
        polygons.append(shapely.Polygon(part.exterior, holes))
    return shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]


# --- choices and report --------------------------------------------------------------------


@dataclass(frozen=True)
class AreaChoices:
    """What the planner chooses for a boundary file (hashable, a cache key).

    Attributes
    ----------
    level
        Level of every row, overriding what the file says (None: from the file).
    crs
        CRS of the coordinates, overriding the declared one ("" or None: the file's).
    approximate
        Flag every area approximate (True) or exact (False); None: the file's
        `approximate` column, else exact.
    derive_parents
        When the file has kelurahan but no kecamatan, form the kecamatan by dissolving the
        kelurahan on their parent code.
    layer
        Layer to read (GeoPackage, zip with several shapefiles); the first when None.
    columns
        The planner's column choices over the recognised ones: (field of
        :data:`AREA_FIELDS`, the file's column, or None to leave the field unread).
    """

    level: str | None = None
    crs: str | None = None
    approximate: bool | None = None
    derive_parents: bool = True
    layer: str | None = None
    columns: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class AreaReport:
    """The outcome of reading a boundary file: canonical areas, rejected rows, findings.

    Attributes
    ----------
    accepted
        Canonical areas (:data:`AREA_COLUMNS` + geometry, EPSG:4326), derived levels included.
    rejected
        Rejected rows: number, reasons (English), original cells.
    issues
        Findings, file-level first, then by row.
    mapping
        Canonical field → the file's column used.
    derived
        Levels formed by dissolving (not in the file itself).
    """

    file_name: str
    format: str
    rows_read: int
    accepted: gpd.GeoDataFrame
    rejected: pd.DataFrame
    issues: tuple[Issue, ...]
    mapping: tuple[tuple[str, str], ...]
    crs_used: str | None
    derived: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """Rows read, accepted and rejected: ``accepted + rejected == rows_read`` (rows that
        are more parts of one area count as accepted; see :attr:`levels` for the areas)."""
        return {
            "rows_read": self.rows_read,
            "accepted": self.rows_read - len(self.rejected),
            "rejected": len(self.rejected),
        }

    @property
    def levels(self) -> dict[str, int]:
        """Accepted areas per level."""
        return level_counts(self.accepted)

    def codes(self, severity: Severity | None = None) -> set[str]:
        """The issue codes present (optionally of one severity)."""
        return {i.code for i in self.issues if severity is None or i.severity == severity}

    def to_json(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
        """Plain data, like `posko check --json` for sites."""
        return {
            "file": self.file_name,
            "format": self.format,
            **self.counts,
            "levels": self.levels,
            "derived": list(self.derived),
            "crs": self.crs_used,
            "mapping": dict(self.mapping),
            "issues": [i.as_dict(lang) for i in self.issues],
        }

    def rejected_csv(self) -> str:
        """Rejected rows with their reasons, as CSV text."""
        return to_csv_safe(self.rejected)


@dataclass
class _Findings:
    file: list[Issue] = field(default_factory=list)
    rows: list[Issue] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)

    def add(self, row: int | None, severity: Severity, code: str, /, **params: object) -> None:
        issue = Issue(
            row=None if row is None else row + 1,
            column=None,
            severity=severity,
            code=code,
            text=Text(f"issue.{code}", {"row": None if row is None else row + 1, **params}),
        )
        (self.file if row is None else self.rows).append(issue)
        if severity == Severity.ERROR and row is not None:
            self.rejected.add(row)


def read_areas_file(
    path: Path | str,
    choices: AreaChoices | None = None,
    *,
    name: str | None = None,
    known_names: Mapping[str, str] | None = None,
    max_rows: int | None = None,
) -> AreaReport:
    """Read a boundary file into canonical areas (nothing is saved).

    Parameters
    ----------
    path
        The file (GeoJSON, GeoPackage, zipped shapefile, KML/KMZ, …).
    choices
        The planner's choices.
    name
        File name to report (an upload's original name).
    known_names
        Names of areas by code (the operation's), used for levels derived by dissolving.
    max_rows
        Rows read at most.

    Raises
    ------
    ReadError
        When the file cannot be read at all.
    """
    choices = choices or AreaChoices()
    raw = read_table(path, layer=choices.layer, name=name, max_rows=max_rows)
    return import_areas(raw, choices, known_names=known_names)


def import_areas(
    raw: RawTable,
    choices: AreaChoices | None = None,
    *,
    known_names: Mapping[str, str] | None = None,
) -> AreaReport:
    """Canonical areas from a table as read: every row accepted or rejected with reasons.

    Parameters
    ----------
    raw
        The file as read by :func:`geo.io.read_table`.
    choices
        The planner's choices.
    known_names
        Names of areas by code, for levels derived by dissolving.
    """
    choices = choices or AreaChoices()
    found = _Findings()
    table = raw.attributes.reset_index(drop=True)
    table.columns = [str(c) for c in table.columns]
    columns = _chosen_columns(list(table.columns), choices, found)
    if columns is None:  # a chosen column is not in the file: no row can be read
        found.rejected.update(range(raw.rows))
    geoms = _geometries(raw, choices, found) if columns is not None else []
    columns = columns or {}
    rows: list[dict[str, Any]] = []
    for row in range(len(geoms)):
        record = _area_row(row, table, columns, choices, found)
        if record is None or geoms[row] is None:
            continue
        area, reason, dropped = polygonal(geoms[row])
        if area is None:
            polygonish = "Polygon" in {g.geom_type for g in _flatten([geoms[row]])}
            code = "area_no_area" if polygonish else "area_not_polygon"
            found.add(row, Severity.ERROR, code, geom=geoms[row].geom_type)
            continue
        if reason or dropped:
            found.add(row, Severity.WARNING, "area_repaired", reason=reason, dropped=dropped)
        rows.append({**record, "geometry": area, "_row": row})
    if raw.rows == 0:
        found.add(None, Severity.ERROR, "no_rows")
    accepted = _merge_parts(rows, found)
    derived: list[str] = []
    if choices.derive_parents and not accepted.empty:
        accepted, derived = _derive_missing(accepted, table, columns, known_names or {}, found)
    return AreaReport(
        file_name=raw.file_name,
        format=raw.format,
        rows_read=raw.rows,
        accepted=accepted,
        rejected=_rejected(table, found),
        issues=tuple(found.file) + tuple(sorted(found.rows, key=lambda i: i.row or 0)),
        mapping=tuple(sorted(columns.items())),
        crs_used=_crs_used(raw, choices),
        derived=tuple(derived),
    )


def canonical_areas(
    frame: gpd.GeoDataFrame, *, file_name: str = "areas.geojson"
) -> gpd.GeoDataFrame:
    """An operation's area layer as canonical areas (nothing derived, nothing guessed).

    A published boundary file (``kode``, ``nama``, no ``level``) is read as
    :func:`import_areas` reads it: codes give the level and parent.

    Raises
    ------
    ValidationError
        When a row cannot become an area; the message names the file, the rows and what is
        missing (e.g. the ``level`` column).
    """
    if frame.empty:
        return empty_areas()
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    raw = RawTable(
        file_name=file_name,
        format="geojson",
        attributes=attributes.reset_index(drop=True),
        geometry=frame.geometry.reset_index(drop=True),
        declared_crs=CRS(frame.crs) if frame.crs is not None else CRS(WGS84),
    )
    report = import_areas(raw, AreaChoices(derive_parents=False))
    errors = tuple(i.text for i in report.issues if i.severity == Severity.ERROR)
    if errors:
        raise ValidationError.from_text(
            "operation.areas_invalid", file=file_name, n=len(errors), problems=errors[:3]
        )
    return report.accepted


def empty_areas() -> gpd.GeoDataFrame:
    """No areas, with the canonical columns."""
    frame = gpd.GeoDataFrame(
        {column: pd.Series(dtype="str") for column in AREA_COLUMNS},
        geometry=gpd.GeoSeries([], crs=WGS84),
    )
    return frame.astype({"approximate": "bool"})


def replace_levels(current: gpd.GeoDataFrame, imported: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The operation's areas with every level present in `imported` replaced as a whole;
    the other levels kept."""
    current, imported = _complete(current), _complete(imported)
    levels = set(imported["level"])
    kept = current[~current["level"].isin(levels)] if not current.empty else current
    parts = [f for f in (kept, imported) if not f.empty]
    if not parts:
        return empty_areas()
    merged = pd.concat([f[[*AREA_COLUMNS, "geometry"]] for f in parts], ignore_index=True)
    out = gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)
    order = {level.value: i for i, level in enumerate(Level)}
    out["_order"] = out["level"].map(lambda lv: order.get(lv, len(order)))
    out = out.sort_values(["_order", "area_code"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class AreaChange:
    """What replacing an operation's areas changes, level by level.

    Attributes
    ----------
    before, after
        Areas per level now and after.
    replaced
        Levels the operation has that are replaced as a whole, with other areas.
    added
        Levels the operation did not have.
    changed
        Every level whose areas differ (codes, names, flags or outlines).
    """

    before: dict[str, int]
    after: dict[str, int]
    replaced: tuple[str, ...]
    added: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def changes_anything(self) -> bool:
        """True when saving would change an area."""
        return bool(self.changed)


def compare_areas(current: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> AreaChange:
    """What changes from `current` to `new` areas (both canonical)."""
    current, new = _complete(current), _complete(new)
    before, after = level_counts(current), level_counts(new)
    changed = tuple(
        level
        for level in sorted({*before, *after})
        if _level_differs(_of_level(current, level), _of_level(new, level))
    )
    return AreaChange(
        before=before,
        after=after,
        replaced=tuple(level for level in changed if level in before and level in after),
        added=tuple(level for level in changed if level not in before),
        changed=changed,
    )


def _complete(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Areas with every canonical column (an in-memory operation may lack the optional
    `parent_code` and `approximate`)."""
    missing = {"parent_code": None, "approximate": False}
    extra = {k: v for k, v in missing.items() if k not in areas.columns}
    return areas.assign(**extra) if extra else areas


def _of_level(areas: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    return areas if areas.empty else areas[areas["level"] == level]


def _level_differs(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> bool:
    """True when two sets of areas differ in codes, names, parents, flags or outlines (an
    outline moved by more than _SAME_OUTLINE_DEG anywhere)."""
    if len(old) != len(new):
        return True
    if old.empty:
        return False
    keys = ["area_code", "name", "parent_code", "approximate"]
    left = old.assign(parent_code=old["parent_code"].map(_cell)).sort_values("area_code")
    right = new.assign(parent_code=new["parent_code"].map(_cell)).sort_values("area_code")
    same = left[keys].astype(str).to_numpy().tolist() == right[keys].astype(str).to_numpy().tolist()
    if not same:
        return True
    moved = shapely.hausdorff_distance(left.geometry.values, right.geometry.values)
    return bool((moved > _SAME_OUTLINE_DEG).any())


def derive_level(
    areas: gpd.GeoDataFrame, level: str, *, names: Mapping[str, str] | None = None
) -> gpd.GeoDataFrame:
    """Areas of `level` formed by dissolving the areas whose parent is of that level.

    Parameters
    ----------
    areas
        Canonical areas (e.g. kelurahan with `parent_code` ``19.71.02``).
    level
        The level to form, e.g. "kecamatan".
    names
        Name per parent code; "<Level> <code>" where unknown.
    """
    names = names or {}
    children = areas[areas["parent_code"].map(lambda c: code_level(_cell(c)) == level)]
    rows = []
    for parent, group in children.groupby("parent_code", sort=True):
        rows.append(
            {
                "area_code": parent,
                "name": names.get(parent) or f"{Level(level).value.title()} {parent}",
                "level": level,
                "parent_code": parent_of(parent),
                "approximate": bool(group["approximate"].any()),
                "geometry": _fill_gaps(shapely.union_all(group.geometry.values)),
            }
        )
    if not rows:
        return empty_areas()
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)


# --- the steps of import_areas --------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def _detect_columns(columns: list[str]) -> dict[str, str]:
    """Canonical field (``code``, ``name``, ``level``, ``parent``, ``approximate``,
    ``<level>.code``, ``<level>.name``) → the file's column."""
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(_norm(column), column)
    found: dict[str, str] = {}
    for canonical, words in _GENERIC_COLUMNS.items():
        hit = next((by_norm[w] for w in words if w in by_norm), None)
        if hit is not None:
            found[canonical] = hit
    for level, fields in _LEVEL_COLUMNS.items():
        for canonical, words in fields.items():
            hit = next((by_norm[w] for w in words if w in by_norm), None)
            if hit is not None and hit not in found.values():
                found[f"{level.value}.{canonical}"] = hit
    return found


def _chosen_columns(
    columns: list[str], choices: AreaChoices, found: _Findings
) -> dict[str, str] | None:
    """The recognised columns with the planner's choices on top; None (and a file-level
    error) when a chosen column is not in the file."""
    chosen = _detect_columns(columns)
    for field_name, column in choices.columns:
        if field_name not in AREA_FIELDS:
            msg = f"Area field {field_name!r} is unknown; expected one of: {AREA_FIELDS}."
            raise ValueError(msg)
        if column is None:
            chosen.pop(field_name, None)
        elif column in columns:
            chosen[field_name] = column
        else:
            found.add(
                None,
                Severity.ERROR,
                "area_no_such_column",
                column=column,
                columns=", ".join(columns),
            )
            return None
    return chosen


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _value(table: pd.DataFrame, row: int, column: str | None) -> object:
    return table.at[row, column] if column is not None else None


def _area_row(
    row: int,
    table: pd.DataFrame,
    columns: Mapping[str, str],
    choices: AreaChoices,
    found: _Findings,
) -> dict[str, Any] | None:
    """Code, name, level, parent and flag of one row, or None when it is rejected."""
    code = normalise_code(_value(table, row, columns.get("code")))
    own_columns = any(key.endswith((".code", ".name")) for key in columns)
    if code is None and _cell(_value(table, row, columns.get("name"))) is None and not own_columns:
        found.add(row, Severity.ERROR, "area_no_code_name")
        return None
    level = _row_level(row, table, columns, choices, code, found)
    if level is None:
        return None
    local = None if code else _cell(_value(table, row, columns.get(f"{level}.code")))
    name = _cell(_value(table, row, columns.get("name")))
    name = name or _cell(_value(table, row, columns.get(f"{level}.name")))
    parent = normalise_code(_value(table, row, columns.get("parent")))
    coarser = _PARENT_LEVEL.get(Level(level)) if level in _LEVEL_VALUES else None
    parent_column = columns.get(f"{coarser.value}.code") if coarser else None
    if local is not None:
        code = _level_code(local, level)
    parent = parent or parent_of(code) or normalise_code(_value(table, row, parent_column))
    if code is not None and code.isdigit() and code_level(parent):
        code = f"{parent}.{code}"  # a local number (kd_kel "1003") under its kecamatan code
    if code is None and name is None:
        found.add(row, Severity.ERROR, "area_no_code_name")
        return None
    if name is None:
        found.add(row, Severity.WARNING, "area_name_from_code", code=code)
        name = code
    if code is None:
        found.add(row, Severity.WARNING, "area_code_from_name", name=name)
        code = name
    return {
        "area_code": code,
        "name": name,
        "level": level,
        "parent_code": parent,
        "approximate": _approximate(_value(table, row, columns.get("approximate")), choices),
    }


def _level_code(text: str, level: str) -> str:
    """A code from a level's own column (``kd_kel``): written the Kemendagri way when it is
    a whole code of that level, else as it stands (a local number such as ``1003``)."""
    code = normalise_code(text) or text
    return code if code_level(code) == level else text


def _row_level(
    row: int,
    table: pd.DataFrame,
    columns: Mapping[str, str],
    choices: AreaChoices,
    code: str | None,
    found: _Findings,
) -> str | None:
    """The row's level: the planner's choice, the level column, the code, the columns."""
    if choices.level:
        return _level_word(choices.level) or choices.level
    if "level" in columns:
        text = _cell(_value(table, row, columns["level"]))
        if text is not None:
            level = _level_word(text)
            if level is None:
                expected = ", ".join(level.value for level in Level)
                found.add(row, Severity.ERROR, "area_unknown_level", value=text, expected=expected)
            return level
    from_code = code_level(code)
    if from_code is not None:
        return from_code.value
    for level in _FINER_FIRST:
        if f"{level.value}.code" in columns or f"{level.value}.name" in columns:
            return level.value
    found.add(
        row, Severity.ERROR, "area_no_level", code=repr(code) if code else Text("area.no_code")
    )
    return None


def _level_word(text: str) -> str | None:
    level = _LEVEL_OF_WORD.get(_norm(text))
    return level.value if level else None


def _approximate(value: object, choices: AreaChoices) -> bool:
    if choices.approximate is not None:
        return choices.approximate
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = _cell(value)
    return text is not None and text.casefold() in _TRUE


def _geometries(
    raw: RawTable, choices: AreaChoices, found: _Findings
) -> list[shapely.Geometry | None]:
    """Each row's geometry in EPSG:4326, or None (with the row rejected)."""
    if raw.geometry is None:
        found.add(None, Severity.ERROR, "area_no_geometry_file")
        for row in range(raw.rows):
            found.rejected.add(row)
        return [None] * raw.rows
    geoms = list(raw.geometry.reset_index(drop=True))
    out: list[shapely.Geometry | None] = [None] * raw.rows
    usable = []
    for row, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            found.add(row, Severity.ERROR, "area_no_geometry")
        elif not np.isfinite(shapely.get_coordinates(geom)).all():
            found.add(row, Severity.ERROR, "area_not_finite")
        else:
            usable.append(row)
    crs = _crs(raw, choices, [geoms[r] for r in usable], found)
    if crs is None:
        for row in usable:
            found.rejected.add(row)
        return out
    for row in usable:
        geom = geoms[row]
        if not crs.equals(CRS(WGS84), ignore_axis_order=True):
            geom = shapely.transform(
                geom, lambda xy: np.column_stack(to_wgs84(xy[:, 0], xy[:, 1], crs))
            )
        coords = shapely.get_coordinates(geom)
        if not (np.abs(coords[:, 0]) <= 180).all() or not (np.abs(coords[:, 1]) <= 90).all():
            found.add(row, Severity.ERROR, "area_out_of_range")
            continue
        out[row] = geom
    return out


def _crs(
    raw: RawTable, choices: AreaChoices, geoms: list[shapely.Geometry], found: _Findings
) -> CRS | None:
    """The CRS of the coordinates: the planner's, the declared one, or WGS84 for degrees."""
    if choices.crs:
        try:
            return parse_crs(choices.crs)
        except PoskoError as exc:
            found.add(None, Severity.ERROR, "area_bad_crs", reason=exc)
            return None
    if not geoms:
        return CRS(WGS84)
    coords = np.concatenate([shapely.get_coordinates(g) for g in geoms])
    if raw.declared_crs is not None:
        declared = CRS(raw.declared_crs)
        if declared.is_geographic and degree_share(coords[:, 0], coords[:, 1]) < 1.0:
            _crs_missing(coords, found, declared=declared.name)
            return None
        return declared
    if degree_share(coords[:, 0], coords[:, 1]) == 1.0:
        found.add(None, Severity.INFO, "area_crs_assumed")
        return CRS(WGS84)
    _crs_missing(coords, found, declared="")
    return None


def _crs_missing(coords: np.ndarray, found: _Findings, *, declared: str) -> None:
    guesses = likely_crs(coords[:, 0], coords[:, 1])
    names = ", ".join(g.code for g in guesses) or "?"
    found.add(None, Severity.ERROR, "area_crs_missing", declared=declared or "-", guesses=names)


def _crs_used(raw: RawTable, choices: AreaChoices) -> str | None:
    if choices.crs:
        return choices.crs
    if raw.declared_crs is not None:
        authority = CRS(raw.declared_crs).to_authority()
        return ":".join(authority) if authority else CRS(raw.declared_crs).name
    return "EPSG:4326" if raw.geometry is not None else None


def _merge_parts(rows: list[dict[str, Any]], found: _Findings) -> gpd.GeoDataFrame:
    """One area per (level, code): rows repeating an area's code and name are more of its
    parts (a multi-part shapefile); the same code under another name is rejected."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for record in rows:
        key = (record["level"], record["area_code"])
        kept = first.get(key)
        if kept is None:
            first[key] = dict(record)
        elif str(kept["name"]).casefold() == str(record["name"]).casefold():
            kept["geometry"] = polygonal(kept["geometry"].union(record["geometry"]))[0]
            found.add(
                record["_row"],
                Severity.INFO,
                "area_parts_merged",
                code=record["area_code"],
                first=kept["_row"] + 1,
            )
        else:
            found.add(
                record["_row"],
                Severity.ERROR,
                "area_duplicate_code",
                code=record["area_code"],
                first=kept["_row"] + 1,
                name=record["name"],
                other=kept["name"],
            )
    if not first:
        return empty_areas()
    frame = pd.DataFrame(list(first.values())).drop(columns="_row")
    return gpd.GeoDataFrame(frame[[*AREA_COLUMNS, "geometry"]], geometry="geometry", crs=WGS84)


def _derive_missing(
    accepted: gpd.GeoDataFrame,
    table: pd.DataFrame,
    columns: Mapping[str, str],
    known_names: Mapping[str, str],
    found: _Findings,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Add the kecamatan a kelurahan file lacks, dissolving on the parent code."""
    derived: list[str] = []
    # one step only: a kabupaten dissolved from kecamatan would become the coarsest level
    for child in (Level.KELURAHAN,):
        parent = _PARENT_LEVEL[child]
        present = set(accepted["level"])
        if child.value not in present or parent.value in present:
            continue
        names = {**known_names, **_file_names(table, columns, parent)}
        formed = derive_level(accepted[accepted["level"] == child.value], parent.value, names=names)
        if formed.empty:
            continue
        accepted = replace_levels(accepted, formed)
        derived.append(parent.value)
        found.add(
            None,
            Severity.INFO,
            "area_level_derived",
            level=Text(f"area_level.{parent.value}"),
            child=Text(f"area_level.{child.value}"),
            n=len(formed),
        )
    return accepted, derived


def _file_names(table: pd.DataFrame, columns: Mapping[str, str], level: Level) -> dict[str, str]:
    """Names of `level` areas the file states next to their codes (``kode_kec`` +
    ``nama_kec``), by code."""
    code_col, name_col = columns.get(f"{level.value}.code"), columns.get(f"{level.value}.name")
    if name_col is None:
        return {}
    names: dict[str, str] = {}
    for row in range(len(table)):
        name = _cell(table.at[row, name_col])
        code = normalise_code(table.at[row, code_col]) if code_col else None
        child = normalise_code(table.at[row, columns["code"]]) if "code" in columns else None
        code = code if code_level(code) == level else parent_of(child) or code
        if name and code:
            names.setdefault(code, name)
    return names


def _rejected(table: pd.DataFrame, found: _Findings) -> pd.DataFrame:
    """Rejected rows: number, reasons (English), the original cells."""
    rows = sorted(found.rejected)
    reasons: dict[int, list[str]] = {}
    for issue in found.rows:
        if issue.severity == Severity.ERROR and issue.row:
            reasons.setdefault(issue.row - 1, []).append(f"[{issue.code}] {issue.message('en')}")
    file_errors = [
        f"[{i.code}] {i.message('en')}" for i in found.file if i.severity == Severity.ERROR
    ]
    originals = table.map(_cell).iloc[rows].reset_index(drop=True)
    originals.columns = unique_column_names(
        [str(c) for c in originals.columns], reserved=("row", "reasons")
    )
    originals.insert(0, "row", [r + 1 for r in rows])
    originals.insert(1, "reasons", [" | ".join(reasons.get(r, file_errors)) for r in rows])
    return originals
