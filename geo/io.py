"""Read the site lists planners really have into one table: attributes, geometry, declared CRS.

GeoJSON (FeatureCollection, Feature or bare geometry; a legacy `crs` member honoured), Esri
JSON, GeoPackage, KML/KMZ and shapefiles (also zipped, in any sub-folder) are read through
pyogrio/GDAL; CSV/TSV, Excel and JSON arrays of records through pandas. Nothing here judges
the content: that is :mod:`geo.importer`'s job.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyproj import CRS

from geo.errors import PoskoError
from geo.text import Text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "RawTable",
    "ReadError",
    "read_error",
    "read_table",
]

SUPPORTED_SUFFIXES = (
    ".geojson",
    ".json",
    ".csv",
    ".tsv",
    ".txt",
    ".xlsx",
    ".xlsm",
    ".gpkg",
    ".kml",
    ".kmz",
    ".zip",
    ".shp",
)
_VECTOR_IN_ZIP = (".shp", ".geojson", ".json", ".kml", ".gpkg")
_TABLE_IN_ZIP = (".csv", ".tsv", ".txt", ".xlsx")
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


class ReadError(PoskoError, ValueError):
    """A file that cannot be read at all; the message says which file, why and what to do."""


def read_error(key: str, **params: object) -> ReadError:
    """A ReadError from a catalog entry ("read.…"), English as its plain text."""
    return ReadError(Text(key, params).render("en"), key=key, params=params)


@dataclass(frozen=True)
class RawTable:
    """What a file holds, as read.

    Attributes
    ----------
    file_name
        The file's name (for messages and the `source` column).
    format
        "geojson", "esrijson", "csv", "excel", "json-records", "gpkg", "kml", "shapefile".
    attributes
        One row per record, original columns and values.
    geometry
        Geometries in the file's own coordinates (None for plain tables).
    declared_crs
        The CRS the file states (a .prj, a GeoJSON `crs` member, an Esri `spatialReference`,
        KML's WGS84), or None when it says nothing.
    layer, layers
        The layer or sheet read, and all the file offers.
    encoding
        Text encoding used, for text tables.
    notes
        What the reader remarked (GDAL warnings such as an autocorrected winding order).
    ragged
        Rows (from 0) of a text table whose number of fields differs from the header's.
    """

    file_name: str
    format: str
    attributes: pd.DataFrame
    geometry: gpd.GeoSeries | None = None
    declared_crs: CRS | None = None
    layer: str | None = None
    layers: tuple[str, ...] = ()
    encoding: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    ragged: tuple[int, ...] = ()

    @property
    def rows(self) -> int:
        """Number of records read."""
        return len(self.attributes)


def read_table(path: Path | str, *, layer: str | None = None, name: str | None = None) -> RawTable:
    """Read any supported site list.

    Parameters
    ----------
    path
        The file on disk.
    layer
        Layer (GeoPackage, zip with several shapefiles) or sheet (Excel) to read; the first
        when None.
    name
        File name to report (an upload's original name); `path`'s name when None.

    Raises
    ------
    ReadError
        When the file is missing, of an unsupported type, or broken; the message says what to do.
    """
    path = Path(path)
    label = name or path.name
    if not path.is_file():
        raise read_error("read.not_found", file=label)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise read_error(
            "read.unsupported",
            file=label,
            suffix=suffix or "(none)",
            supported=", ".join(SUPPORTED_SUFFIXES),
        )
    try:
        return _read(path, suffix, layer=layer, label=label)
    except ReadError:
        raise
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        ValueError,
        KeyError,
        IndexError,
        UnicodeError,
        zipfile.BadZipFile,
        OSError,
    ) as exc:
        raise read_error(
            "read.broken", file=label, format=_describe(suffix), reason=_short(exc)
        ) from None


def _describe(suffix: str) -> str:
    return {
        ".csv": "CSV",
        ".tsv": "TSV",
        ".txt": "a text table",
        ".xlsx": "an Excel workbook",
        ".xlsm": "an Excel workbook",
        ".gpkg": "a GeoPackage",
        ".kml": "KML",
        ".kmz": "KMZ",
        ".zip": "a zipped shapefile",
        ".shp": "a shapefile",
    }.get(suffix, "GeoJSON or JSON")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


def _read(path: Path, suffix: str, *, layer: str | None, label: str) -> RawTable:
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_text_table(path.read_bytes(), label, tab=suffix == ".tsv")
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, label, layer)
    if suffix in (".json", ".geojson"):
        return _read_json(path, label)
    if suffix == ".zip":
        return _read_zip(path, label, layer)
    if suffix == ".gpkg":
        return _read_vector(str(path), label, "gpkg", layer=layer, layers=_layers(str(path)))
    if suffix in (".kml", ".kmz"):
        return _kml_attributes(
            _read_vector(str(path), label, "kml", layer=layer, layers=_layers(str(path)))
        )
    has_prj = path.with_suffix(".prj").exists() or path.with_suffix(".PRJ").exists()
    return _read_vector(str(path), label, "shapefile", undeclared=not has_prj)


def _layers(source: str) -> tuple[str, ...]:
    return tuple(str(name) for name, _ in pyogrio.list_layers(source))


def _read_vector(
    source: str,
    label: str,
    fmt: str,
    *,
    layer: str | None = None,
    layers: tuple[str, ...] = (),
    declared: CRS | None = None,
    undeclared: bool = False,
) -> RawTable:
    if layer is not None and layers and layer not in layers:
        raise read_error("read.no_layer", file=label, layer=layer, layers=", ".join(layers))
    chosen = layer or (layers[0] if layers else None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = pyogrio.read_dataframe(source, layer=chosen, on_invalid="ignore")
    notes = tuple(dict.fromkeys(_gdal_note(w.message) for w in caught))
    crs = None if undeclared else (declared or (CRS(frame.crs) if frame.crs else None))
    geometry = gpd.GeoSeries(frame.geometry.values, index=frame.index)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return RawTable(
        file_name=label,
        format=fmt,
        attributes=attributes.reset_index(drop=True),
        geometry=geometry.reset_index(drop=True),
        declared_crs=crs,
        layer=chosen,
        layers=layers,
        notes=notes,
    )


def _gdal_note(message: Warning | str) -> str:
    """A GDAL warning without the internal file path."""
    return re.sub(r"(/vsizip/)?/\S+/", "", str(message)).strip()


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnicodeError("no known encoding fits")  # latin-1 decodes anything; unreachable


def _read_text_table(data: bytes, label: str, *, tab: bool = False) -> RawTable:
    """A delimited text table; every field kept as text, ragged rows padded, never cut."""
    text, encoding = _decode(data)
    if not text.strip():
        raise read_error("read.empty", file=label)
    if tab:
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise read_error("read.broken", file=label, format="CSV", reason=str(exc)) from None
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        raise read_error("read.empty", file=label)
    header, body = records[0], records[1:]
    width = max([len(header), *(len(r) for r in body)])
    columns = _unique_names([*header, *(f"extra_{i}" for i in range(1, width - len(header) + 1))])
    ragged = tuple(i for i, r in enumerate(body) if len(r) != len(header))
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in body], columns=columns, dtype=str)
    return RawTable(
        file_name=label, format="csv", attributes=frame, encoding=encoding, ragged=ragged
    )


def _unique_names(names: list[str]) -> list[str]:
    """Column names made unique and non-empty ("nama", "nama_2"; "column_3" for blanks)."""
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        base = name.strip() or f"column_{i}"
        candidate, n = base, 2
        while candidate in out:
            candidate, n = f"{base}_{n}", n + 1
        out.append(candidate)
    return out


def _read_excel(path: Path, label: str, sheet: str | None) -> RawTable:
    with pd.ExcelFile(path, engine="openpyxl") as book:
        sheets = tuple(str(s) for s in book.sheet_names)
    if sheet is not None and sheet not in sheets:
        raise read_error("read.no_layer", file=label, layer=sheet, layers=", ".join(sheets))
    chosen = sheet or sheets[0]
    frame = pd.read_excel(path, sheet_name=chosen, dtype=object, engine="openpyxl")
    frame = frame.dropna(how="all").reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return RawTable(file_name=label, format="excel", attributes=frame, layer=chosen, layers=sheets)


def _read_json(path: Path, label: str) -> RawTable:
    text, _ = _decode(path.read_bytes())
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise read_error("read.bad_json", file=label, line=exc.lineno, column=exc.colno) from None
    kind = _json_kind(data)
    if kind == "geojson":
        declared = "crs" in data if isinstance(data, dict) else False
        return _read_vector(str(path), label, "geojson", undeclared=not declared)
    if kind == "esrijson":
        return _read_vector(f"ESRIJSON:{path}", label, "esrijson")
    records = _records(data)
    if records is None:
        raise read_error("read.unknown_json", file=label)
    frame = pd.DataFrame.from_records([{k: _scalar(v) for k, v in r.items()} for r in records])
    return RawTable(file_name=label, format="json-records", attributes=frame)


_GEOJSON_TYPES = {
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _json_kind(data: object) -> str:
    if isinstance(data, dict):
        kind = data.get("type")
        if isinstance(kind, str) and kind in _GEOJSON_TYPES:
            return "geojson"
        features = data.get("features")
        if isinstance(features, list) and (
            "spatialReference" in data
            or "geometryType" in data
            or (features and isinstance(features[0], dict) and "attributes" in features[0])
        ):
            return "esrijson"
    return "records"


def _records(data: object) -> list[dict] | None:
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else None
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        return data
    return None


def _scalar(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _read_zip(path: Path, label: str, layer: str | None) -> RawTable:
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if not m.startswith("__MACOSX/")]
    shapefiles = [m for m in members if m.lower().endswith(".shp")]
    if shapefiles:
        names = tuple(Path(m).stem for m in shapefiles)
        chosen = shapefiles[names.index(layer)] if layer in names else None
        if layer is not None and chosen is None:
            raise read_error("read.no_layer", file=label, layer=layer, layers=", ".join(names))
        member = chosen or shapefiles[0]
        has_prj = member[:-4] + ".prj" in members or member[:-4] + ".PRJ" in members
        table = _read_vector(f"/vsizip/{path}/{member}", label, "shapefile", undeclared=not has_prj)
        return RawTable(**{**table.__dict__, "layer": Path(member).stem, "layers": names})
    others = [m for m in members if m.lower().endswith(_VECTOR_IN_ZIP + _TABLE_IN_ZIP)]
    if not others:
        raise read_error("read.empty_zip", file=label)
    member = others[0]
    with zipfile.ZipFile(path) as archive:
        data = archive.read(member)
    if member.lower().endswith((".csv", ".tsv", ".txt")):
        return _read_text_table(data, label, tab=member.lower().endswith(".tsv"))
    inner = Path(path).with_name(Path(path).stem + "_" + Path(member).name)
    try:
        inner.write_bytes(data)
        return read_table(inner, layer=layer, name=label)
    finally:
        inner.unlink(missing_ok=True)


class _DescriptionParser(HTMLParser):
    """Collect "name: value" pairs from an HTML description (lists and tables)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: list[str] = []
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("li", "tr", "td", "th", "br", "p"):
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("li", "tr", "td", "th", "p"):
            self._flush()

    def handle_data(self, data: str) -> None:
        self._buffer.append(data)

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buffer)).strip()
        if text:
            self.cells.append(text)
        self._buffer = []

    def pairs(self) -> dict[str, str]:
        self._flush()
        out: dict[str, str] = {}
        for i, cell in enumerate(self.cells):
            key, sep, value = cell.partition(":")
            if sep and key.strip() and len(key) <= 40:
                out.setdefault(key.strip(), value.strip())
            elif i + 1 < len(self.cells) and cell.endswith(":"):
                out.setdefault(cell[:-1].strip(), self.cells[i + 1])
        return out


def _kml_attributes(table: RawTable) -> RawTable:
    """KML often keeps the real attributes as HTML in <description>; lift them out."""
    attributes = table.attributes
    if "description" not in attributes:
        return table
    parsed = []
    for text in attributes["description"].fillna(""):
        parser = _DescriptionParser()
        parser.feed(str(text))
        parsed.append(parser.pairs())
    lifted = pd.DataFrame(parsed, index=attributes.index)
    lifted = lifted[[c for c in lifted.columns if c not in attributes.columns]]
    if lifted.empty or lifted.notna().sum().sum() == 0:
        return table
    empty_cols = [
        c
        for c in (
            "timestamp",
            "begin",
            "end",
            "altitudeMode",
            "tessellate",
            "extrude",
            "visibility",
            "drawOrder",
            "icon",
        )
        if c in attributes and attributes[c].isna().all()
    ]
    merged = pd.concat([attributes.drop(columns=empty_cols), lifted], axis=1)
    declared = table.declared_crs or CRS("EPSG:4326")
    return RawTable(**{**table.__dict__, "attributes": merged, "declared_crs": declared})
