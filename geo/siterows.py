"""Site rows shared between versions: how both stores keep a version as what changed.

A version of an operation's sites is a list of *rows*. Each distinct row (its values and its
point) is stored once per operation, under a row id, with a 128-bit hash of its content; a
version keeps the ids of its rows in order, delta-encoded and compressed (an unchanged list
of 820,000 sites is a few kilobytes), and its column names and dtypes. A new import that
edits 1 % of the list therefore writes 1 % new rows and one small id list.

The values of a row are kept as JSON text keyed by column position (``{"0": "TPS 001",
…}``; the names are the version's): every value as the text that reads back exactly (floats
in their shortest round-trip form), missing values as ``null``; the version's dtypes turn
them back into its columns. Encoding and decoding are vectorised (pandas' JSON writer,
Arrow's JSON reader), never a Python loop per row, so the national list loads in seconds.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
import shapely

from geo.crs import WGS84

__all__ = [
    "EncodedRows",
    "assign_ids",
    "decode_rows",
    "encode_rows",
    "indexable",
    "pack_ids",
    "points_from_wkb",
    "positions",
    "unpack_ids",
]

_HASH_KEYS = ("posko-site-row-1", "posko-site-row-2")  # 16 bytes each (pandas' siphash key)


@dataclass(frozen=True)
class EncodedRows:
    """A frame's rows as the stores keep them.

    Attributes
    ----------
    columns
        The non-geometry columns and their dtypes, in order (``[[name, dtype], …]``).
    props
        Each row's values as JSON text (object array).
    geometry
        Each row's geometry (object array of shapely geometries or None).
    keys
        Each row's content hash, two int64 per row (shape ``(n, 2)``).
    """

    columns: list[list[str]]
    props: np.ndarray
    geometry: np.ndarray
    keys: np.ndarray

    def __len__(self) -> int:
        return len(self.props)


def encode_rows(frame: gpd.GeoDataFrame) -> EncodedRows:
    """A frame's rows as JSON text and content hashes (see the module docstring)."""
    geometry_name = frame.geometry.name
    names = [c for c in frame.columns if c != geometry_name]
    columns = [[str(c), str(frame[c].dtype)] for c in names]
    geometry = np.asarray(frame.geometry.to_numpy(), dtype=object)
    text = pd.DataFrame(
        {str(i): _as_text(frame[c]) for i, c in enumerate(names)}, index=range(len(frame))
    )
    props = _json_lines(text, len(frame))
    wkb = shapely.to_wkb(geometry, hex=True)
    wkb = np.where(pd.isna(wkb), "", wkb).astype(object)
    # a row's keys are its columns' positions: the names belong in its hash
    content = json.dumps([name for name, _ in columns]) + "\x00" + props + "\x00" + wkb
    keys = np.column_stack(
        [pd.util.hash_array(content, hash_key=key, categorize=False) for key in _HASH_KEYS]
    ).view(np.int64)
    return EncodedRows(columns, props, geometry, keys.reshape(len(frame), 2))


def _json_lines(text: pd.DataFrame, n: int) -> np.ndarray:
    if n == 0:
        return np.array([], dtype=object)
    if text.columns.empty:
        return np.full(n, "{}", dtype=object)
    lines = text.to_json(orient="records", lines=True, force_ascii=False).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != n:  # a raw newline inside a value would split a row: never written
        raise ValueError(f"{len(lines)} JSON lines for {n} rows")
    return np.asarray(lines, dtype=object)


def _as_text(values: pd.Series) -> np.ndarray:
    """A column as text that reads back exactly, None where missing."""
    missing = values.isna().to_numpy()
    dtype = values.dtype
    if dtype.kind == "f":
        text = values.to_numpy(dtype=float).astype(str).astype(object)  # shortest round trip
    elif dtype == np.dtype(object):
        text = values.to_numpy(dtype=object).copy()
        odd = np.fromiter((not isinstance(v, str) for v in text), bool, len(text)) & ~missing
        if odd.any():
            text[odd] = [str(v) for v in text[odd]]
    else:
        text = values.astype(str).to_numpy(dtype=object)
    text[missing] = None
    return text


def decode_rows(
    columns: list[list[str]],
    props: pa.Array | pa.ChunkedArray | np.ndarray,
    geometry: np.ndarray,
) -> gpd.GeoDataFrame:
    """Rows back as the frame they were encoded from (geometry last, EPSG:4326).

    Parameters
    ----------
    columns
        The version's columns and dtypes (:attr:`EncodedRows.columns`).
    props
        The rows' JSON text, in order.
    geometry
        The rows' geometries, in order.
    """
    names = [name for name, _ in columns]
    schema = pa.schema([(str(i), pa.string()) for i in range(len(names))])
    if len(props):
        table = pa_json.read_json(
            pa.BufferReader(_lines(props)),
            read_options=pa_json.ReadOptions(block_size=1 << 26),
            parse_options=pa_json.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="ignore"
            ),
        )
    else:
        table = schema.empty_table()
    frame = pd.DataFrame(
        dict(
            enumerate(
                _restored(table.column(str(i)), dtype) for i, (_, dtype) in enumerate(columns)
            )
        ),
    )
    frame.columns = names
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=WGS84))


def _lines(props: pa.Array | pa.ChunkedArray | np.ndarray) -> pa.Buffer:
    """The rows' JSON as one newline-delimited buffer, built by Arrow."""
    if isinstance(props, np.ndarray):
        text = pa.array(props, type=pa.string())
    else:
        text = props.combine_chunks() if isinstance(props, pa.ChunkedArray) else props
    lines = pc.binary_join_element_wise(text, "", "\n")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset :]
    return lines.buffers()[2][offsets[0] : offsets[len(lines)]]


_NUMBERS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
_NUMBERS += ("float32", "float64")
_INTEGERS = ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64")


def _restored(text: pa.ChunkedArray, dtype: str) -> pd.Series | np.ndarray:
    """A column of text back in its saved dtype (left as text when it cannot hold it):
    Arrow casts the common ones, pandas the rest."""
    try:
        if dtype in ("str", "string"):
            return text.to_pandas().astype(dtype)
        if dtype == "bool":
            return pc.equal(text, "True").to_numpy(zero_copy_only=False).astype(bool)
        if dtype in _INTEGERS:
            numbers = pc.cast(text, pa.int64())
            values = pc.fill_null(numbers, 0).to_numpy(zero_copy_only=False)
            missing = numbers.is_null().to_numpy(zero_copy_only=False)
            return pd.Series(pd.arrays.IntegerArray(values, missing)).astype(dtype)
        if dtype in _NUMBERS:
            return pc.cast(text, pa.from_numpy_dtype(np.dtype(dtype))).to_numpy(
                zero_copy_only=False
            )
    except (TypeError, ValueError, pa.ArrowInvalid):
        pass
    values = pd.Series(text.to_numpy(zero_copy_only=False), dtype=object)
    if dtype == "object":
        return values
    try:
        if dtype == "boolean":
            return values.map({"True": True, "False": False}).astype("boolean")
        if dtype.startswith(("datetime64", "timedelta64")):
            parse = pd.to_datetime if dtype.startswith("datetime") else pd.to_timedelta
            return parse(values).astype(dtype)
        if dtype[:1].isupper():  # pandas' other nullable dtypes (Float64, …)
            return values.astype("string").astype(dtype)
        return values.astype(dtype)
    except (TypeError, ValueError):
        return values


def assign_ids(
    keys: np.ndarray, known_keys: np.ndarray, known_ids: np.ndarray, next_id: int
) -> tuple[np.ndarray, np.ndarray]:
    """The row id of each row: a stored row with the same content keeps its id, others get
    new ids from `next_id` on (equal new rows share one).

    Returns
    -------
    ids
        One id per row of `keys`.
    fresh
        The positions in `keys` of the rows to write (one per new id, in id order).
    """
    known = len(known_keys)
    combined = pd.DataFrame(np.concatenate([known_keys.reshape(-1, 2), keys]), columns=["a", "b"])
    group = combined.groupby(["a", "b"], sort=False).ngroup().to_numpy()
    group_id = np.full(int(group.max()) + 1 if len(group) else 0, -1, dtype=np.int64)
    group_id[group[:known]] = known_ids
    ours = group[known:]
    unknown = pd.unique(ours[group_id[ours] < 0])
    group_id[unknown] = next_id + np.arange(len(unknown), dtype=np.int64)
    ids = group_id[ours]
    first = pd.Series(np.arange(len(ours))).groupby(ours).first()
    fresh = first.loc[unknown].to_numpy(dtype=np.int64) if len(unknown) else np.array([], int)
    return ids, fresh


def positions(ids: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Where each of `ids` is in `stored` (row ids as read).

    Raises
    ------
    KeyError
        When a row id is not stored.
    """
    order = np.argsort(stored, kind="stable")
    found = np.searchsorted(stored[order], ids)
    found = np.minimum(found, max(len(stored) - 1, 0))
    where = order[found] if len(stored) else np.array([], dtype=np.int64)
    if len(ids) and (len(stored) == 0 or not np.array_equal(stored[where], ids)):
        missing = len(ids) if len(stored) == 0 else int((stored[where] != ids).sum())
        raise KeyError(f"{missing:,} rows missing")
    return where


def pack_ids(ids: np.ndarray) -> bytes:
    """A version's row ids, delta-encoded and compressed."""
    deltas = np.diff(np.asarray(ids, dtype=np.int64), prepend=0).astype("<i8")
    return zlib.compress(deltas.tobytes(), 6)


def unpack_ids(blob: bytes) -> np.ndarray:
    """The row ids :func:`pack_ids` packed."""
    return np.cumsum(np.frombuffer(zlib.decompress(bytes(blob)), dtype="<i8"))


def indexable(geometry: np.ndarray) -> tuple[np.ndarray, list[str | None]]:
    """Geometries the spatial index holds, and the hex WKB of those it cannot (a point
    with non-finite coordinates is kept there, its geometry left empty, so that `verify`
    still finds it)."""
    coords = shapely.get_coordinates(geometry)
    rows = np.repeat(np.arange(len(geometry)), shapely.get_num_coordinates(geometry))
    bad = np.zeros(len(geometry), dtype=bool)
    bad[rows[~np.isfinite(coords).all(axis=1)]] = True
    if not bad.any():
        return geometry, [None] * len(geometry)
    raw = shapely.to_wkb(geometry, hex=True)
    return np.where(bad, None, geometry), [r if b else None for r, b in zip(raw, bad, strict=True)]


def points_from_wkb(wkb: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Geometries from WKB as Arrow holds it: 2-D little-endian points straight from the
    buffer (one vectorised step), anything else through shapely."""
    array = wkb.combine_chunks() if isinstance(wkb, pa.ChunkedArray) else wkb
    if len(array) and array.null_count == 0:
        wide = pa.types.is_large_binary(array.type)
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int64 if wide else np.int32)
        offsets = offsets[array.offset : array.offset + len(array) + 1]
        if (np.diff(offsets) == _POINT_WKB).all():
            data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
            data = data.reshape(-1, _POINT_WKB)
            if (data[:, :5] == _POINT_HEADER).all():
                xy = np.ascontiguousarray(data[:, 5:]).view("<f8").reshape(-1, 2)
                return shapely.points(xy)
    return shapely.from_wkb(array.to_numpy(zero_copy_only=False))


_POINT_WKB = 21
_POINT_HEADER = np.array([1, 1, 0, 0, 0], dtype=np.uint8)  # little endian, Point
