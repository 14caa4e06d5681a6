"""Fuzzing the importer: generated lists land where they were written; broken files never crash.

Generated site lists have an oracle: every row generated is read, every good row is accepted
at the position it was written with (in whichever notation), and exactly the rows generated
bad are rejected, each for its own reason. Mutated and random files can only be unreadable
(a ReadError, the one error documented for them) or fully accounted for.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.importer import ImportChoices, import_sites
from geo.io import ReadError
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
        except ReadError:
            return  # an unreadable file: the one error documented for a broken file
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


# --- generated site lists with an oracle --------------------------------------------------

_MICRO = 1_000_000  # positions are generated in whole microdegrees


def _dms(value: float, positive: str, negative: str, *, spaced: bool) -> str:
    """Degrees-minutes-seconds with the hemisphere after, seconds to 1/10,000."""
    seconds = round(abs(value) * 3600, 4)
    degrees, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    hemisphere = negative if value < 0 else positive
    if spaced:
        return f"{degrees:.0f} {minutes:02.0f} {seconds:.4f} {hemisphere}"
    return f"{degrees:.0f}°{minutes:02.0f}'{seconds:.4f}\" {hemisphere}"


def _written(value: float, notation: str, axis: str) -> str:
    """`value` as a planner may write it; `axis` is "lat" or "lon"."""
    positive, negative = ("LU", "LS") if axis == "lat" else ("BT", "BB")
    letter = (positive if value >= 0 else negative) if notation != "letter" else ""
    if notation == "letter":
        letter = ("N" if value >= 0 else "S") if axis == "lat" else ("E" if value >= 0 else "W")
    plain = f"{abs(value):.6f}"
    return {
        "plain": f"{value:.6f}",
        "comma": f"{value:.6f}".replace(".", ","),
        "suffix": f"{plain.replace('.', ',')} {letter}",
        "letter": f"{plain}{letter}",
        "prefix": f"{letter} {plain}",
        "degree": f"{plain}° {letter}",
        "dms": _dms(value, positive, negative, spaced=False),
        "dms_spaced": _dms(value, positive, negative, spaced=True),
    }[notation]


# What a bad row is, and the one code it must be rejected with.
_FAULT_CODES = {
    "blank": "no_geometry",
    "text": "coord_not_numeric",
    "one_missing": "coord_not_numeric",
    "sign_conflict": "hemisphere_conflict",
}


def _cells(lat: float, lon: float, notations: tuple[str, str], fault: str | None) -> list[str]:
    lat_cell, lon_cell = _written(lat, notations[0], "lat"), _written(lon, notations[1], "lon")
    if fault == "blank":
        return ["", ""]
    if fault == "text":
        return ["tidak diketahui", lon_cell]
    if fault == "one_missing":  # plain: in one cell, "0,5" alone could be read as 0 and 5
        return [f"{lat:.6f}", ""]
    if fault == "sign_conflict":  # a minus sign on a latitude written with LU (north)
        return [f"-{abs(lat):.6f} LU", lon_cell]
    return [lat_cell, lon_cell]


_NOTATIONS = st.sampled_from(
    ["plain", "comma", "suffix", "letter", "prefix", "degree", "dms", "dms_spaced"]
)
_ROW = st.tuples(
    st.integers(-150_000, 150_000),  # latitude on both sides of the equator, microdegrees
    st.integers(109_200_000, 109_500_000),  # longitude (around Pontianak)
    st.tuples(_NOTATIONS, _NOTATIONS),
    st.one_of(st.none(), st.none(), st.none(), st.sampled_from(sorted(_FAULT_CODES))),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_ROW, min_size=1, max_size=15), pair=st.sampled_from(["", ", ", " "]))
def test_generated_lists_land_where_they_were_written(rows, pair) -> None:
    header = ["nama", "kerawanan", *(["koordinat"] if pair else ["lintang", "bujur"])]
    lines = []
    for i, (lat, lon, notations, fault) in enumerate(rows):
        cells = _cells(lat / _MICRO, lon / _MICRO, notations, fault)
        coordinates = [pair.join(cells) if any(cells) else ""] if pair else cells
        lines.append([f"TPS {i + 1:03}", "rawan", *coordinates])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tps.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            writer.writerows(lines)
        report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    assert report.rows_read == len(rows)
    bad = {i + 1: _FAULT_CODES[fault] for i, (*_, fault) in enumerate(rows) if fault}
    assert dict(zip(report.rejected["row"], report.rejected["reasons"], strict=True)).keys() == (
        bad.keys()
    )
    for issue in report.issues:
        if issue.row in bad and issue.severity == "error":
            assert issue.code == bad[issue.row], issue.message("en")
    assert {r for r, code in bad.items() if code} == {
        i.row for i in report.issues if i.severity == "error" and i.row
    }
    assert len(report.accepted) == len(rows) - len(bad)
    for source, point in zip(report.accepted["source"], report.accepted.geometry, strict=True):
        lat, lon, *_ = rows[int(source.rsplit(":", 1)[1]) - 1]
        assert point.y == pytest.approx(lat / _MICRO, abs=1e-7)
        assert point.x == pytest.approx(lon / _MICRO, abs=1e-7)
