"""Read the site lists planners really have into one table: attributes, geometry, declared CRS.

GeoJSON (FeatureCollection, Feature or bare geometry; a legacy `crs` member honoured), Esri
JSON, GeoPackage, KML/KMZ and shapefiles (also zipped, in any sub-folder) are read through
pyogrio/GDAL; CSV/TSV, Excel and JSON arrays of records through pandas. Nothing here judges
the content: that is :mod:`geo.importer`'s job.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import tempfile
import time
import warnings
import zipfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import ParseError

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from pyproj import CRS

from geo.errors import PoskoError
from geo.text import Text

__all__ = [
    "DEFAULT_MAX_ROWS",
    "MAX_COLUMNS",
    "MAX_JSON_DEPTH",
    "MAX_MEMBER_RATIO",
    "MAX_UNPACKED_BYTES",
    "SUPPORTED_SUFFIXES",
    "Deadline",
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
# A zip member's kind ranks it: an unmistakable site-list format before a bare ".txt".
_ZIP_PREFERENCE = (".geojson", ".gpkg", ".kml", ".json", ".csv", ".tsv", ".xlsx", ".txt")
_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")
_ARCHIVES = (".zip", ".xlsx", ".xlsm", ".kmz")

DEFAULT_MAX_ROWS = 1_000_000
"""Rows read at most when the caller states no limit (the `[import] max_rows` default)."""
MAX_COLUMNS = 1_000
"""Columns a site list may have (a GeoPackage holds at most 2,000 with Posko's own)."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""Bytes all members of an archive (zip, xlsx, kmz) may expand to."""
MAX_MEMBER_RATIO = 100
"""Compression ratio a large archive member may have (OWASP's zip-bomb rule of thumb)."""
MAX_JSON_DEPTH = 64
"""Nesting a JSON file may have; GeoJSON needs at most 6."""
_RATIO_FLOOR_BYTES = 1024 * 1024  # small members may compress as well as they like
_CHUNK = 1024 * 1024
_SNIFF_BYTES = 65536
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ReadError(PoskoError, ValueError):
    """A file that cannot be read at all; the message says which file, why and what to do."""


def read_error(key: str, **params: object) -> ReadError:
    """A ReadError from a catalog entry ("read.…"), English as its plain text."""
    return ReadError(Text(key, params).render("en"), key=key, params=params)


class Deadline:
    """The time budget of one import: `check()` between stages and every few thousand rows
    stops the work with a message once `seconds` have passed since it was made."""

    def __init__(self, seconds: float, file: str) -> None:
        self.seconds = float(seconds)
        self.file = file
        self._ends = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raise when the budget is spent.

        Raises
        ------
        ReadError
            ``read.time_budget``: the file, the budget and what to do.
        """
        if time.monotonic() > self._ends:
            raise read_error("read.time_budget", file=self.file, limit=f"{self.seconds:g}")


_DEADLINE: ContextVar[Deadline | None] = ContextVar("posko_read_deadline", default=None)
_ROWS_PER_CHECK = 5_000


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
    undecodable
        Rows (from 0) of a text table holding bytes invalid in its encoding (read as U+FFFD).
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
    undecodable: tuple[int, ...] = ()

    @property
    def rows(self) -> int:
        """Number of records read."""
        return len(self.attributes)


def read_table(
    path: Path | str,
    *,
    layer: str | None = None,
    name: str | None = None,
    max_rows: int | None = None,
    deadline: Deadline | None = None,
) -> RawTable:
    """Read any supported site list, refusing what exceeds the limits before doing the work.

    Parameters
    ----------
    path
        The file on disk.
    layer
        Layer (GeoPackage, zip with several shapefiles) or sheet (Excel) to read; the first
        when None.
    name
        File name to report (an upload's original name); `path`'s name when None.
    max_rows
        Records accepted at most; reading stops at the first one past it
        (:data:`DEFAULT_MAX_ROWS` when None).
    deadline
        The import's time budget, checked every few thousand rows and after reading (none
        when None).

    Raises
    ------
    ReadError
        When the file is missing, of an unsupported type, broken, or beyond a limit (rows,
        :data:`MAX_COLUMNS`, archive size and ratio, nesting, time); the message says what
        to do.
    """
    path = Path(path)
    label = name or path.name
    limit = DEFAULT_MAX_ROWS if max_rows is None else max_rows
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
    token = _DEADLINE.set(deadline)
    try:
        table = _read(path, suffix, layer=layer, label=label, limit=limit)
    except ReadError:
        raise
    except RecursionError:
        raise read_error("read.too_deep", file=label, limit=MAX_JSON_DEPTH) from None
    except MemoryError:
        raise read_error("read.out_of_memory", file=label) from None
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        ValueError,
        KeyError,
        IndexError,
        UnicodeError,
        ParseError,
        zipfile.BadZipFile,
        OSError,
        csv.Error,
    ) as exc:
        raise read_error(
            "read.broken", file=label, format=_describe(suffix), reason=_short(exc)
        ) from None
    finally:
        _DEADLINE.reset(token)
    if deadline is not None:
        deadline.check()
    return table


def _describe(suffix: str) -> Text:
    """The format a suffix promises, as catalog text (said inside a sentence of any language)."""
    name = {
        ".csv": "csv",
        ".tsv": "tsv",
        ".txt": "text",
        ".xlsx": "excel",
        ".xlsm": "excel",
        ".gpkg": "gpkg",
        ".kml": "kml",
        ".kmz": "kmz",
        ".zip": "zip",
        ".shp": "shp",
    }.get(suffix, "json")
    return Text(f"format.{name}")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


def _read(path: Path, suffix: str, *, layer: str | None, label: str, limit: int) -> RawTable:
    if suffix in _ARCHIVES:
        _check_archive(path, label, xml=suffix in (".xlsx", ".xlsm"))
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_text_table(path, label, tab=suffix == ".tsv", limit=limit)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, label, layer, limit=limit)
    if suffix in (".json", ".geojson"):
        return _read_json(path, label, limit=limit)
    if suffix == ".zip":
        return _read_zip(path, label, layer, limit=limit)
    if suffix == ".gpkg":
        layers = _layers(str(path))
        return _read_vector(str(path), label, "gpkg", layer=layer, layers=layers, limit=limit)
    if suffix in (".kml", ".kmz"):
        layers = _layers(str(path))
        return _kml_attributes(
            _read_vector(str(path), label, "kml", layer=layer, layers=layers, limit=limit)
        )
    has_prj = path.with_suffix(".prj").exists() or path.with_suffix(".PRJ").exists()
    return _read_vector(str(path), label, "shapefile", undeclared=not has_prj, limit=limit)


def _layers(source: str) -> tuple[str, ...]:
    return tuple(str(name) for name, _ in pyogrio.list_layers(source))


def _too_many_rows(label: str, limit: int) -> ReadError:
    return read_error("read.rows_over_limit", file=label, limit=f"{limit:,}")


def _check_columns(label: str, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise read_error(
            "read.too_many_columns", file=label, columns=f"{columns:,}", limit=f"{MAX_COLUMNS:,}"
        )


def _read_vector(
    source: str,
    label: str,
    fmt: str,
    *,
    layer: str | None = None,
    layers: tuple[str, ...] = (),
    declared: CRS | None = None,
    undeclared: bool = False,
    limit: int = DEFAULT_MAX_ROWS,
    features: int | None = None,
) -> RawTable:
    """A layer read through GDAL; `features`, when the caller counted them already (a GeoJSON
    outline), spares GDAL a first reading of the whole file."""
    if layer is not None and layers and layer not in layers:
        raise read_error("read.no_layer", file=label, layer=layer, layers=", ".join(layers))
    chosen = layer or (layers[0] if layers else None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if features is None:
            info = pyogrio.read_info(source, layer=chosen)
            _check_columns(label, len(info["fields"]))
            features = info["features"]
        if features > limit:
            raise _too_many_rows(label, limit)
        frame = pyogrio.read_dataframe(
            source, layer=chosen, on_invalid="ignore", max_features=limit + 1
        )
    _check_columns(label, frame.shape[1] - 1)
    if len(frame) > limit:
        raise _too_many_rows(label, limit)
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


_VALID_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def _text_encoding(path: Path) -> tuple[str, bool]:
    """The file's encoding, and whether some bytes do not fit it (to be shown as U+FFFD).

    A byte-order mark decides (UTF-8/16/32). Otherwise UTF-8, unless no byte sequence in the
    file is UTF-8 beyond ASCII and some are not: then a legacy Windows (cp1252) or Latin-1
    file, read whole in that encoding and reported as such.
    """
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, not _decodes(path, encoding)
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16, not _decodes(path, utf16)
    if _decodes(path, "utf-8"):
        return "utf-8-sig", False
    if any(_VALID_MULTIBYTE.search(chunk) for chunk in _chunks(path)):
        return "utf-8-sig", True
    if any(_CP1252_UNDEFINED.search(chunk) for chunk in _chunks(path)):
        return "latin-1", False
    return "cp1252", False


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 saved without a BOM: text whose every other byte is NUL (ASCII in UTF-16)."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd > 0.8 * pairs and even == 0:
        return "utf-16-le"
    if even > 0.8 * pairs and odd == 0:
        return "utf-16-be"
    return None


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        for chunk in _chunks(path):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _text_records(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    """Non-blank records of a delimited text file, streamed."""
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding, "replace", newline="") as text:
        deadline = _DEADLINE.get()
        for n, record in enumerate(csv.reader(text, delimiter=delimiter)):
            if deadline is not None and n % _ROWS_PER_CHECK == 0:
                deadline.check()
            if any(cell.strip() for cell in record):
                yield record


def _delimiter(path: Path, encoding: str, *, tab: bool) -> str:
    if tab:
        return "\t"
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding, "replace", newline="") as text:
        sample = text.read(_SNIFF_BYTES)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_text_table(path: Path, label: str, *, tab: bool = False, limit: int) -> RawTable:
    """A delimited text table; every field kept as text, ragged rows padded, never cut.

    A first pass only counts records and fields, so a file over the limits is refused after
    reading limit + 1 records, holding none of them.
    """
    encoding, lossy = _text_encoding(path)
    delimiter = _delimiter(path, encoding, tab=tab)
    for n, record in enumerate(_text_records(path, encoding, delimiter)):
        _check_columns(label, len(record))
        if n > limit:
            raise _too_many_rows(label, limit)
    records = list(_text_records(path, encoding, delimiter))
    if not records:
        raise read_error("read.empty", file=label)
    header, body = records[0], records[1:]
    width = max([len(header), *(len(r) for r in body)])
    columns = _unique_names([*header, *(f"extra_{i}" for i in range(1, width - len(header) + 1))])
    ragged = tuple(i for i, r in enumerate(body) if len(r) != len(header))
    undecodable = (
        tuple(i for i, r in enumerate(body) if any("\ufffd" in cell for cell in r)) if lossy else ()
    )
    frame = pd.DataFrame([r + [""] * (width - len(r)) for r in body], columns=columns, dtype=str)
    return RawTable(
        file_name=label,
        format="csv",
        attributes=frame,
        encoding=encoding,
        ragged=ragged,
        undecodable=undecodable,
    )


def _unique_names(names: list[str]) -> list[str]:
    """Column names made unique and non-empty ("nama", "nama_2"; "column_3" for blanks).

    Linear: a set of names taken and, per base name, the next suffix to try.
    """
    taken: set[str] = set()
    next_suffix: dict[str, int] = {}
    out: list[str] = []
    for i, name in enumerate(names, start=1):
        base = name.strip() or f"column_{i}"
        candidate, n = base, next_suffix.get(base, 2)
        if candidate in taken:
            candidate = f"{base}_{n}"
            while candidate in taken:
                n += 1
                candidate = f"{base}_{n}"
            next_suffix[base] = n + 1
        taken.add(candidate)
        out.append(candidate)
    return out


def _read_excel(path: Path, label: str, sheet: str | None, *, limit: int) -> RawTable:
    with pd.ExcelFile(path, engine="openpyxl") as book:
        sheets = tuple(str(s) for s in book.sheet_names)
    if sheet is not None and sheet not in sheets:
        raise read_error("read.no_layer", file=label, layer=sheet, layers=", ".join(sheets))
    chosen = sheet or sheets[0]
    frame = pd.read_excel(path, sheet_name=chosen, dtype=object, engine="openpyxl", nrows=limit + 1)
    _check_columns(label, frame.shape[1])
    if len(frame) > limit:
        raise _too_many_rows(label, limit)
    frame = frame.dropna(how="all").reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    return RawTable(file_name=label, format="excel", attributes=frame, layer=chosen, layers=sheets)


def _read_json(path: Path, label: str, *, limit: int) -> RawTable:
    encoding, _ = _text_encoding(path)
    data = path.read_bytes()
    if not data.decode(encoding, errors="replace").strip():
        # "not valid JSON (line 1, column 1)" would hide that it is empty
        raise read_error("read.empty", file=label)
    outline = _json_outline(data, encoding) if encoding in _ASCII_SUPERSETS else None
    parsed = None
    if outline is not None and outline[0] > MAX_JSON_DEPTH:
        raise read_error("read.too_deep", file=label, limit=MAX_JSON_DEPTH)
    if outline is None or _json_kind(outline[1]) != "geojson":
        # Esri JSON and records are told apart by their features' members: parse it all
        parsed = _parse_json(data, encoding, label)
        if _depth(parsed) > MAX_JSON_DEPTH:
            raise read_error("read.too_deep", file=label, limit=MAX_JSON_DEPTH)
    top = parsed if outline is None or parsed is not None else outline[1]
    kind = _json_kind(top)
    if kind in ("geojson", "esrijson"):
        try:
            if kind == "esrijson":
                return _read_vector(f"ESRIJSON:{path}", label, "esrijson", limit=limit)
            declared = "crs" in top if isinstance(top, dict) else False
            return _read_vector(
                str(path),
                label,
                "geojson",
                undeclared=not declared,
                limit=limit,
                features=_feature_count(top),
            )
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError):
            if parsed is None:
                _parse_json(data, encoding, label)  # a flaw deep inside: said as JSON's own
            raise
    records = _records(_parse_json(data, encoding, label) if parsed is None else parsed)
    if records is None:
        raise read_error("read.unknown_json", file=label)
    if len(records) > limit:
        raise _too_many_rows(label, limit)
    keys: set[str] = set()
    for record in records:
        keys.update(record)
        _check_columns(label, len(keys))
    frame = pd.DataFrame.from_records([{k: _scalar(v) for k, v in r.items()} for r in records])
    return RawTable(file_name=label, format="json-records", attributes=frame)


def _feature_count(top: object) -> int | None:
    """Features of a GeoJSON FeatureCollection (None for anything else)."""
    if isinstance(top, dict) and top.get("type") == "FeatureCollection":
        features = top.get("features")
        return len(features) if isinstance(features, list) else None
    return None


def _parse_json(data: bytes, encoding: str, label: str) -> object:
    """The whole JSON text parsed.

    Raises
    ------
    ReadError
        ``read.bad_json`` with the line and column of the first flaw.
    """
    try:
        return json.loads(data.decode(encoding, errors="replace"))
    except json.JSONDecodeError as exc:
        raise read_error("read.bad_json", file=label, line=exc.lineno, column=exc.colno) from None


# Encodings in which the bytes of `"`, `\\`, brackets and braces only ever stand for themselves.
_ASCII_SUPERSETS = ("utf-8-sig", "cp1252", "latin-1")
_OUTLINE_LEVELS = 2  # a GeoJSON object's "type" and "crs" members; its features left empty
_BRACKET_STEP = np.zeros(256, np.int8)
_BRACKET_STEP[[ord("["), ord("{")]] = 1
_BRACKET_STEP[[ord("]"), ord("}")]] = -1


def _json_outline(data: bytes, encoding: str) -> tuple[int, object] | None:
    """The nesting depth of a JSON text and its top two levels parsed (deeper containers left
    empty), found by scanning the bytes with numpy instead of building every feature in Python.

    None when the brackets do not balance or the outline is not JSON: the full parser then
    says where the text is wrong.
    """
    text = np.frombuffer(data, np.uint8)
    quotes = np.flatnonzero(text == ord('"'))
    escaped = [q for q in quotes[text[quotes - 1] == ord("\\")] if q and _escaped(text, q)]
    quotes = np.setdiff1d(quotes, escaped, assume_unique=True)
    steps = _BRACKET_STEP[text]
    where = np.flatnonzero(steps)
    where = where[np.searchsorted(quotes, where) % 2 == 0]  # outside strings
    step = steps[where].astype(np.int64)
    after = np.cumsum(step)
    if len(after) == 0 or after.min() < 0 or after[-1] != 0:
        return None
    before = after - step
    hidden = np.zeros(len(text) + 1, np.int8)
    hidden[where[(step == 1) & (before == _OUTLINE_LEVELS)] + 1] += 1
    hidden[where[(step == -1) & (after == _OUTLINE_LEVELS)]] -= 1
    kept = text[np.cumsum(hidden[:-1], dtype=np.int8) == 0].tobytes()
    try:
        return int(after.max()), json.loads(kept.decode(encoding, errors="replace"))
    except json.JSONDecodeError:
        return None


def _escaped(text: np.ndarray, quote: int) -> bool:
    """Whether the quote at `quote` follows an odd run of backslashes."""
    start = quote - 1
    while start >= 0 and text[start] == ord("\\"):
        start -= 1
    return (quote - 1 - start) % 2 == 1


def _depth(data: object) -> int:
    """How deeply `data` nests lists and objects, found without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                return level
            stack.extend((v, level + 1) for v in value if isinstance(v, dict | list))
    return deepest


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


def _check_archive(path: Path, label: str, *, xml: bool = False) -> None:
    """Refuse an archive whose members, by their headers, expand too far or too steeply.

    For an Excel workbook (`xml`) also refuse XML parts declaring a DTD or entities.
    """
    total = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            total += info.file_size
            if info.file_size > MAX_UNPACKED_BYTES or total > MAX_UNPACKED_BYTES:
                raise _archive_too_large(label, info.filename, max(info.file_size, total))
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_MEMBER_RATIO:
                raise read_error(
                    "read.archive_ratio",
                    file=label,
                    member=info.filename,
                    ratio=f"{ratio:,.0f}",
                    limit=MAX_MEMBER_RATIO,
                )
        if xml:
            for info in archive.infolist():
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    head = _head(archive, info, 65536).upper()
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise read_error("read.xml_dtd", file=label)


def _archive_too_large(label: str, member: str, size: int) -> ReadError:
    return read_error(
        "read.archive_too_large",
        file=label,
        member=member,
        size=f"{size / 2**20:,.0f} MB",
        limit=f"{MAX_UNPACKED_BYTES / 2**20:,.0f} MB",
    )


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> bytes:
    with archive.open(info) as member:
        return member.read(size)


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, label: str) -> None:
    """Copy one member to `target` in chunks, stopping as soon as it outgrows its header."""
    written = 0
    with archive.open(info) as member, target.open("xb") as out:
        while chunk := member.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size or written > MAX_UNPACKED_BYTES:
                raise _archive_too_large(label, info.filename, written)
            out.write(chunk)


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Files of an archive, without folders and macOS resource forks."""
    return [
        i
        for i in archive.infolist()
        if not i.is_dir()
        and not i.filename.startswith("__MACOSX/")
        and not PurePosixPath(i.filename).name.startswith("._")
    ]


def _suffix(info: zipfile.ZipInfo) -> str:
    return PurePosixPath(info.filename).suffix.lower()


def _read_zip(path: Path, label: str, layer: str | None, *, limit: int) -> RawTable:
    """The site list in a zip, extracted to a private temporary folder that is then removed."""
    folder = Path(tempfile.mkdtemp(prefix="posko-zip-"))  # mode 0700
    try:
        with zipfile.ZipFile(path) as archive:
            members = _members(archive)
            if any(_suffix(m) == ".shp" for m in members):
                return _read_zipped_shapefile(archive, members, folder, label, layer, limit)
            member = _site_list_member(archive, members)
            if member is None:
                raise read_error("read.empty_zip", file=label)
            inner = folder / f"member{_suffix(member)}"
            _extract(archive, member, inner, label)
        return read_table(inner, layer=layer, name=label, max_rows=limit)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _read_zipped_shapefile(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    folder: Path,
    label: str,
    layer: str | None,
    limit: int,
) -> RawTable:
    shapefiles = [m for m in members if _suffix(m) == ".shp"]
    names = tuple(PurePosixPath(m.filename).stem for m in shapefiles)
    if layer is not None and layer not in names:
        raise read_error("read.no_layer", file=label, layer=layer, layers=", ".join(names))
    chosen = shapefiles[names.index(layer)] if layer is not None else shapefiles[0]
    stem = chosen.filename[: -len(".shp")].lower()
    parts = [
        m
        for m in members
        if m.filename[: -len(_suffix(m)) or None].lower() == stem and _suffix(m) in _SHAPEFILE_PARTS
    ]
    for part in parts:
        _extract(archive, part, folder / f"layer{_suffix(part)}", label)
    has_prj = any(_suffix(m) == ".prj" for m in parts)
    table = _read_vector(
        str(folder / "layer.shp"), label, "shapefile", undeclared=not has_prj, limit=limit
    )
    stem_name = PurePosixPath(chosen.filename).stem
    return RawTable(**{**table.__dict__, "layer": stem_name, "layers": names})


def _site_list_member(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> zipfile.ZipInfo | None:
    """The member holding a site list, judged by its content, preferring unmistakable formats."""
    candidates = sorted(
        (m for m in members if _suffix(m) in _ZIP_PREFERENCE),
        key=lambda m: _ZIP_PREFERENCE.index(_suffix(m)),
    )
    for member in candidates:
        if _looks_like_site_list(_head(archive, member, _SNIFF_BYTES), _suffix(member)):
            return member
    return None


def _looks_like_site_list(head: bytes, suffix: str) -> bool:
    """Whether the first bytes of a member look like the format its name promises."""
    if suffix == ".gpkg":
        return head.startswith(b"SQLite format 3")
    if suffix == ".xlsx":
        return head.startswith(b"PK")
    text = _head_text(head)
    if suffix == ".kml":
        return "<kml" in text.lower()
    if suffix in (".json", ".geojson"):
        return text.lstrip().startswith(("{", "["))
    lines = text.splitlines()
    if len(head) >= _SNIFF_BYTES:
        lines = lines[:-1]  # possibly cut short
    lines = [line for line in lines if line.strip()][:10]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|")
    except csv.Error:
        return False
    widths = [len(r) for r in csv.reader(lines, delimiter=dialect.delimiter)]
    # A named table format needs only a header; a bare .txt must look like a table throughout.
    return widths[0] >= 2 and (suffix != ".txt" or len(set(widths)) == 1)


def _head_text(head: bytes) -> str:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="replace")
    return head.decode("utf-8", errors="replace")


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
