"""Random and mutated files never crash the importer: its own error, or every row accounted."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import PoskoError
from geo.importer import ImportChoices, import_sites
from geo.model import Kind

VALID_CSV = (
    b"nama;kelurahan;lintang;bujur;kerawanan;dpt\n"
    b"TPS 001 Bacang;Bacang;-2,13783;106,14161;Rawan;512\n"
    b"TPS 002 Bacang;Bacang;-2.13900;106.14300;aman;498\n"
    b"TPS 001 Asam;Asam;106.10175;-2.14299;rawan 1;455\n"
)

VALID_GEOJSON = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"nama": "Pos A", "jenis": "pos pam"},
                "geometry": {"type": "Point", "coordinates": [106.12, -2.12]},
            },
            {
                "type": "Feature",
                "properties": {"nama": "Kantor", "jenis": "kantor"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[106.1, -2.1], [106.11, -2.1], [106.11, -2.11], [106.1, -2.1]]
                    ],
                },
            },
        ],
    }
).encode()


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        if out:
            out[position % len(out)] = value
    return bytes(out[: max(0, len(out) - cut)])


def _check(data: bytes, suffix: str, kind: Kind | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            report = import_sites(path, ImportChoices(kind=kind))
        except PoskoError:
            return
        assert len(report.accepted) + len(report.rejected) == report.rows_read
        assert report.accepted["site_id"].is_unique
        rejected_rows = set(report.rejected["row"])
        assert all(1 <= r <= report.rows_read for r in rejected_rows)


_EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8)
_KINDS = st.sampled_from([None, Kind.POLLING_STATION, Kind.POLICE_POST])
_FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(
    edits=_EDITS,
    cut=st.integers(0, 40),
    kind=_KINDS,
    suffix=st.sampled_from([".csv", ".tsv", ".txt"]),
)
def test_mutated_csv(edits, cut, kind, suffix) -> None:
    _check(_mutate(VALID_CSV, edits, cut), suffix, kind)


@_FUZZ
@given(edits=_EDITS, cut=st.integers(0, 40), kind=_KINDS)
def test_mutated_geojson(edits, cut, kind) -> None:
    _check(_mutate(VALID_GEOJSON, edits, cut), ".geojson", kind)


_JSON = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True) | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "features",
                    "geometry",
                    "coordinates",
                    "properties",
                    "crs",
                    "nama",
                    "lat",
                    "lon",
                    "x",
                    "y",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@_FUZZ
@given(document=_JSON, kind=_KINDS)
def test_random_json_documents(document, kind) -> None:
    _check(json.dumps(document).encode(), ".json", kind)


_CELL = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters=";\n\r"),
        max_size=12,
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "-2,1", "106.1 E", "2.1 LS", "1e308", "nan", "POINT (1 2)"]),
)


@_FUZZ
@given(rows=st.lists(st.lists(_CELL, min_size=5, max_size=5), max_size=12), kind=_KINDS)
def test_random_csv_cells(rows, kind) -> None:
    text = "nama;lat;lon;kerawanan;jenis\n" + "\n".join(";".join(r) for r in rows)
    _check(text.encode("utf-8"), ".csv", kind)
