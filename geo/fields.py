"""Field mapping: which column of an uploaded list holds what, and labels in the wild."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from geo.model import (
    INDICATORS,
    KINDS,
    POST_TYPES,
    RISKS,
    UNITS,
    Col,
    Kind,
    PostType,
    Risk,
    Unit,
    normalise_label,
    recognised_words,
)

_V = TypeVar("_V")

__all__ = [
    "ADDRESS",
    "COORDINATE_NAMES",
    "MAPPABLE",
    "CoordinateColumns",
    "FieldMapping",
    "candidate_columns",
    "detect_coordinates",
    "detect_indicators",
    "detect_mapping",
    "indicator_of_column",
    "normalise_name",
    "parse_flag",
    "parse_kind",
    "parse_post_type",
    "parse_risk",
    "parse_tps_code",
    "parse_unit",
    "post_type_from_name",
]


def normalise_name(name: object) -> str:
    """A column name reduced for matching: lower case, ASCII, words joined by '_'."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


# Column of an imported site holding its street address (kept, shown, never its name).
ADDRESS = "address"

# Canonical field -> column names it is known by (normalised), best first.
_FIELD_NAMES: Mapping[str, tuple[str, ...]] = {
    Col.SITE_ID: (
        "site_id",
        "id_site",
        "id_lokasi",
        "kode_lokasi",
        "kode_tps",
        "id_tps",
        "tps_id",
        "polling_station_code",
        "station_code",
        "kode",
        "code",
        "id",
        "objectid",
        "oid",
        "fid",
        "item_id",
    ),
    Col.NAME: (
        "name",
        "nama",
        "nama_lokasi",
        "nama_tps",
        "nama_pos",
        "site_name",
        "location_name",
        "location",
        "lokasi",
        "tempat",
        "placename",
        "place",
        "title",
        "label",
        "descriptio",
        "description",
    ),
    Col.KIND: ("kind", "jenis", "jenis_lokasi", "kategori", "category", "type", "tipe", "amenity"),
    Col.RISK: (
        "risk",
        "risk_class",
        "rawan",
        "kerawanan",
        "risiko",
        "tingkat_risiko",
        "kategori_risiko",
        "tingkat_kerawanan",
        "kategori_kerawanan",
        "status_kerawanan",
        "klasifikasi",
        "kategori_tps",
    ),
    Col.TPS_NO: ("tps_no", "no_tps", "notps", "nomor_tps", "nomortps", "nomor", "no", "tps"),
    Col.KELURAHAN: ("kelurahan", "desa", "desa_kelurahan", "kel", "kel_desa", "village", "ward"),
    Col.KECAMATAN: ("kecamatan", "kec", "district", "distrik", "subdistrict"),
    Col.VOTERS: (
        "voters",
        "dpt",
        "jumlah_dpt",
        "jml_dpt",
        "jumlah_pemilih",
        "pemilih",
        "electors",
        "registered_voters",
    ),
    Col.POST_TYPE: ("post_type", "jenis_pos", "tipe_pos", "type_pos"),
    Col.PERSONNEL: ("personnel", "personel", "jumlah_personel", "jml_personel", "anggota", "staff"),
    Col.RADIUS_M: ("radius_m", "radius", "jangkauan_m", "jangkauan"),
    Col.LOCATION_QUALITY: ("location_quality", "kualitas_lokasi"),
    # the phases a site exists in (keys of the operation's `[[phases]]`)
    Col.PHASES: ("phases", "fase", "tahap", "tahapan"),
    Col.UNIT: ("unit", "satuan", "unit_cadangan", "satuan_cadangan"),
    # an address is kept as such: never a site's name
    ADDRESS: ("address", "alamat", "alamat_tps", "alamat_lokasi", "alamat_lengkap"),
}

MAPPABLE: tuple[str, ...] = tuple(_FIELD_NAMES)

COORDINATE_NAMES: Mapping[str, tuple[str, ...]] = {
    "lat": ("lat", "latitude", "lintang", "y_lat", "lat_dd", "lat_y", "ycoord", "y_coord"),
    "lon": (
        "lon",
        "lng",
        "long",
        "longitude",
        "bujur",
        "x_lon",
        "lon_dd",
        "lng_x",
        "xcoord",
        "x_coord",
    ),
    "x": ("x", "point_x", "easting", "east", "x_m", "origin_x"),
    "y": ("y", "point_y", "northing", "north", "y_m", "origin_y"),
    "pair": (
        "koordinat",
        "coordinates",
        "coordinate",
        "coords",
        "latlon",
        "lat_lon",
        "latlong",
        "lat_long",
        "titik_koordinat",
        "lokasi_koordinat",
    ),
    "wkt": ("wkt", "shape_wkt", "geometry", "geom", "the_geom", "shape"),
}


@dataclass(frozen=True)
class CoordinateColumns:
    """Where a table keeps its coordinates.

    Exactly one of: `x` and `y` columns (longitude/easting and latitude/northing), one
    `pair` column holding "lat, lon", or one `wkt` column of well-known text.
    """

    x: str | None = None
    y: str | None = None
    pair: str | None = None
    wkt: str | None = None

    @property
    def found(self) -> bool:
        """True when some coordinate column is set."""
        return bool((self.x and self.y) or self.pair or self.wkt)

    def describe(self) -> str:
        """Which columns are used, for the report."""
        if self.x and self.y:
            return f"`{self.x}` (x/longitude), `{self.y}` (y/latitude)"
        if self.pair:
            return f"`{self.pair}` (latitude, longitude in one column)"
        if self.wkt:
            return f"`{self.wkt}` (WKT)"
        return "none"


def _first_match(columns: Sequence[str], names: Iterable[str]) -> str | None:
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise_name(column), column)
    for name in names:
        if name in by_norm:
            return by_norm[name]
    return None


def detect_coordinates(columns: Sequence[str]) -> CoordinateColumns:
    """Guess the coordinate columns of a table from their names.

    Latitude/longitude names win over x/y names (a list with both usually carries
    degrees in the former), then a single "koordinat"-style column, then WKT.
    """
    lat = _first_match(columns, COORDINATE_NAMES["lat"])
    lon = _first_match(columns, COORDINATE_NAMES["lon"])
    if lat and lon:
        return CoordinateColumns(x=lon, y=lat)
    x = _first_match(columns, COORDINATE_NAMES["x"])
    y = _first_match(columns, COORDINATE_NAMES["y"])
    if x and y:
        return CoordinateColumns(x=x, y=y)
    pair = _first_match(columns, COORDINATE_NAMES["pair"])
    if pair:
        return CoordinateColumns(pair=pair)
    wkt = _first_match(columns, COORDINATE_NAMES["wkt"])
    if wkt:
        return CoordinateColumns(wkt=wkt)
    return CoordinateColumns()


@dataclass(frozen=True)
class FieldMapping:
    """Canonical field -> source column (absent: not in the file)."""

    columns: Mapping[str, str] = field(default_factory=dict)

    def get(self, canonical: str) -> str | None:
        """The source column of a canonical field, if mapped."""
        return self.columns.get(canonical)

    def with_overrides(self, overrides: Mapping[str, str | None]) -> FieldMapping:
        """A copy with the planner's choices: a column, or None to unmap."""
        merged = dict(self.columns)
        for key, value in overrides.items():
            if value:
                merged[key] = value
            else:
                merged.pop(key, None)
        return FieldMapping(merged)


def candidate_columns(
    canonical: str, columns: Sequence[str], *, exclude: Iterable[str] = ()
) -> list[str]:
    """Every column that could hold `canonical`, best first: known names, then (for names)
    any column whose name contains "name", "nama", "location" or "lokasi"."""
    skip = set(exclude)
    usable = [c for c in columns if c not in skip]
    by_norm: dict[str, list[str]] = {}
    for column in usable:
        by_norm.setdefault(normalise_name(column), []).append(column)
    found = [c for name in _FIELD_NAMES[canonical] for c in by_norm.get(name, [])]
    if canonical == Col.NAME:
        words = ("name", "nama", "location", "lokasi")
        found += [c for c in usable if any(w in normalise_name(c) for w in words)]
    return list(dict.fromkeys(found))


def detect_mapping(columns: Sequence[str], *, exclude: Iterable[str] = ()) -> FieldMapping:
    """Guess which column holds each canonical field, from English and Indonesian names.

    A column is used for one field only; `exclude` (e.g. coordinate columns) is skipped.
    """
    taken = set(exclude)
    found: dict[str, str] = {}
    for canonical, names in _FIELD_NAMES.items():
        column = _first_match([c for c in columns if c not in taken], names)
        if column is not None:
            found[canonical] = column
            taken.add(column)
    return FieldMapping(found)


def _label(value: object) -> str:
    return normalise_label(str(value))


def _lookup(table: Mapping[_V, Any]) -> dict[str, _V]:
    """Every recognised word of a vocabulary registry -> its value."""
    return {word: value for value, spec in table.items() for word in recognised_words(value, spec)}


_RISK_WORDS = _lookup(RISKS)


def parse_risk(value: object) -> Risk | None:
    """A risk label from the wild as a canonical class, or None when it is unknown.

    Older labels map in: "aman" is kurang rawan, "rawan 2" rawan, "rawan 1" sangat rawan.
    """
    return _RISK_WORDS.get(_label(value))


_POST_TYPE_WORDS = _lookup(POST_TYPES)


def parse_post_type(value: object) -> PostType | None:
    """A post type label from the wild, or None when it is unknown."""
    return _POST_TYPE_WORDS.get(_label(value))


def post_type_from_name(name: object) -> PostType | None:
    """The post type a site's name states ("Polsek Taman Sari"), or None when it states none.

    The words are those of the post-type registry; the earliest in the name wins, the longest
    at one place ("pos terpadu" over "pos").
    """
    text = f" {_label(name)} " if name else ""
    found = [
        (text.find(f" {words} "), -len(words), post_type)
        for words, post_type in _POST_TYPE_WORDS.items()
        if f" {words} " in text
    ]
    return min(found, key=lambda f: f[:2])[2] if found else None


_UNIT_WORDS = _lookup(UNITS)


def parse_unit(value: object) -> Unit | None:
    """A reserve unit label from the wild ("Sat Brimob", "BKO Polda"), or None when unknown."""
    return _UNIT_WORDS.get(_label(value))


_KIND_WORDS = _lookup(KINDS)


def parse_kind(value: object) -> Kind | None:
    """A site kind label from the wild, or None when it is unknown.

    A post-type label ("polsek", "pos pam") means a police post.
    """
    return _KIND_WORDS.get(_label(value))


# KPU TPS codes: "1971011004-TPS 001" (kelurahan code, then TPS number), "TPS 001", "001".
_TPS_CODE = re.compile(r"^\s*(?:(\d[\d.]*\d)\s*[-/_ ]\s*)?(?:TPS\s*[-.]?\s*)?0*(\d{1,4})\s*$", re.I)


def parse_tps_code(value: object) -> tuple[str | None, int | None]:
    """The kelurahan code and TPS number of a KPU TPS code or number.

    "1971011004-TPS 001" gives ("19.71.01.1004", 1) (a 10-digit code is written the
    Kemendagri way), "TPS 001" and "001" give (None, 1); text that is no TPS code gives
    (None, None).
    """
    if value is None:
        return None, None
    match = _TPS_CODE.match(str(value))
    if match is None:
        return None, None
    code, number = match.group(1), int(match.group(2))
    if code is not None:
        digits = code.replace(".", "")
        if len(digits) == 10 and "." not in code:
            code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return code, number


def _indicator_words() -> dict[str, str]:
    """Every normalised column label that names an indicator -> its id."""
    words: dict[str, str] = {}
    for ind, spec in INDICATORS.items():
        labels = map(normalise_label, spec.labels.values())
        for word in (normalise_label(ind), *spec.words, *labels):
            words.setdefault(word, ind)
    return words


_INDICATOR_WORDS = _indicator_words()
# a leading "ind", "indikator", "i3" or "3" marks a numbered indicator column ("ind_kekerasan")
_INDICATOR_PREFIX = re.compile(r"^(?:ind(?:ikator)?\s*)?(?:[a-z]?\d+\s+)?")

_YES = frozenset({"ya", "y", "yes", "true", "benar", "ada", "1", "v", "✓", "✔", "☑", "✅"})
_NO = frozenset(
    {"tidak", "tdk", "tidak ada", "no", "n", "false", "salah", "0", "x", "✗", "✘", "☐", "-", "–"}
)


def parse_flag(value: object) -> bool | None:
    """A yes/no cell: True for ya/yes/true/1/✓, False for tidak/no/false/0/x/✗ or a blank
    cell, None when the cell says something else."""
    if value is None or (isinstance(value, float) and value != value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(value)  # type: ignore[call-overload]
    text = str(value).strip().lower()
    if text in ("", "nan", "none"):
        return False
    if text in _YES or text in ("1.0",):
        return True
    if text in _NO or text in ("0.0",):
        return False
    return {"ya": True, "tidak": False, "tidak ada": False}.get(normalise_label(text))


def indicator_of_column(column: object) -> str | None:
    """The indicator a column's name states ("riwayat_kekerasan", "Ind 8 Kekerasan"), or None."""
    text = normalise_label(str(column))
    return _INDICATOR_WORDS.get(text) or _INDICATOR_WORDS.get(_INDICATOR_PREFIX.sub("", text))


def detect_indicators(
    table: Any, *, exclude: Iterable[str] = (), min_share: float = 0.5
) -> dict[str, str]:
    """Indicator id -> the column holding it, for columns named after an indicator whose
    filled cells are mostly yes/no (at least `min_share`); the first such column wins, and
    the indicators come in the registry's order.

    Parameters
    ----------
    table
        The file's attributes (a DataFrame).
    exclude
        Columns already used for other fields.
    """
    skip = set(exclude)
    found: dict[str, str] = {}
    for column in table.columns:
        ind = indicator_of_column(column)
        if ind is None or ind in found or str(column) in skip:
            continue
        cells = [v for v in table[column].tolist() if not _blank(v)]
        if not cells or sum(parse_flag(v) is not None for v in cells) >= min_share * len(cells):
            found[ind] = str(column)
    return {ind: found[ind] for ind in INDICATORS if ind in found}  # the registry's order


def _blank(value: object) -> bool:
    missing = value is None or (isinstance(value, float) and value != value)
    return missing or str(value).strip() == ""
