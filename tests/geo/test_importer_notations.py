"""Coordinates as Indonesian planners write them, each written to a real file and imported."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo.importer import ImportChoices, ImportReport, SignConflictError, import_sites, parse_number
from geo.importer._numbers import pair
from geo.model import Kind

# 2°07'13" S = 2 + 7/60 + 13/3600; 106°08'31.2" E = 106 + 8/60 + 31.2/3600
DMS_LAT = -(2 + 7 / 60 + 13 / 3600)
DMS_LON = 106 + 8 / 60 + 31.2 / 3600

# (latitude cell, longitude cell, expected latitude, expected longitude)
NOTATIONS = [
    ("2,1370 LS", "106,1420 BT", -2.137, 106.142),
    ("2.1370 LS", "106.1420 BT", -2.137, 106.142),
    ("2,1370LS", "106,1420BT", -2.137, 106.142),
    ("2,1370 ls", "106,1420 bt", -2.137, 106.142),
    ("LS 2,1370", "BT 106,1420", -2.137, 106.142),
    ("LS2,1370", "BT106,1420", -2.137, 106.142),
    ("2,1370° LS", "106,1420° BT", -2.137, 106.142),
    ("2,1370°LS", "106,1420°BT", -2.137, 106.142),
    ("-2,1370 LS", "106,1420 BT", -2.137, 106.142),
    ("2.1370 S", "106.1420 E", -2.137, 106.142),
    ("2.1370S", "106.1420E", -2.137, 106.142),
    ("2,1370 S", "106,1420 T", -2.137, 106.142),
    ("S 2.1370", "E 106.1420", -2.137, 106.142),
    ("2.1370° S", "106.1420° E", -2.137, 106.142),
    ("3,5952 LU", "98,6722 BT", 3.5952, 98.6722),
    ("3.5952 N", "98.6722 E", 3.5952, 98.6722),
    ("LU 3,5952", "BT 98,6722", 3.5952, 98.6722),
    ("3.5952 U", "98.6722 T", 3.5952, 98.6722),
    ("51,5072 LU", "0,1276 BB", 51.5072, -0.1276),
    ("51.5072 N", "0.1276 W", 51.5072, -0.1276),
    ("51.5072 U", "0.1276 B", 51.5072, -0.1276),
    ("2°07'13\" LS", "106°08'31.2\" BT", DMS_LAT, DMS_LON),
    ("2°07'13\"LS", "106°08'31.2\"BT", DMS_LAT, DMS_LON),
    ("2° 07' 13\" S", "106° 08' 31.2\" E", DMS_LAT, DMS_LON),
    ("2°07′13″ LS", "106°08′31,2″ BT", DMS_LAT, DMS_LON),
    ("2°07’13” LS", "106°08’31,2” BT", DMS_LAT, DMS_LON),
    ("2°07'13'' LS", "106°08'31.2'' BT", DMS_LAT, DMS_LON),
    ("2º07'13\" LS", "106º08'31.2\" BT", DMS_LAT, DMS_LON),
    ("LS 2°07'13\"", "BT 106°08'31.2\"", DMS_LAT, DMS_LON),
    ("2 07 13 S", "106 08 31.2 E", DMS_LAT, DMS_LON),
    ("2 07 13 LS", "106 08 31,2 BT", DMS_LAT, DMS_LON),
    ("-2°07'13\"", "106°08'31.2\"", DMS_LAT, DMS_LON),
    ("2°07,5' LS", "106°08,52' BT", -(2 + 7.5 / 60), 106 + 8.52 / 60),
    ("2 07.5 S", "106 08.52 E", -(2 + 7.5 / 60), 106 + 8.52 / 60),
]
IDS = [f"{lat} | {lon}" for lat, lon, _, _ in NOTATIONS]


def _write(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ";") -> Path:
    """A CSV as a spreadsheet saves it (cells with quotes or delimiters are quoted)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _neighbour(lat: float, lon: float) -> tuple[str, str]:
    """A plainly written row 100 m or so away, so that the list has a centre."""
    return f"{lat + 0.001:.6f}", f"{lon + 0.001:.6f}"


def _import(path: Path) -> ImportReport:
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    assert len(report.accepted) + len(report.rejected) == report.rows_read == 2
    return report


def _assert_first_at(report: ImportReport, lat: float, lon: float) -> None:
    assert report.counts["rejected"] == 0, report.rejected["reasons"].tolist()
    assert report.accepted["source"].iloc[0].endswith(":1")
    point = report.accepted.geometry.iloc[0]
    assert point.y == pytest.approx(lat, abs=1e-9)
    assert point.x == pytest.approx(lon, abs=1e-9)
    assert not [i for i in report.issues if i.row == 1 and i.severity != "info"]


@pytest.mark.parametrize(("lat_cell", "lon_cell", "lat", "lon"), NOTATIONS, ids=IDS)
def test_latitude_and_longitude_columns(
    tmp_path: Path, lat_cell: str, lon_cell: str, lat: float, lon: float
) -> None:
    rows = [["TPS 001", lat_cell, lon_cell], ["TPS 002", *_neighbour(lat, lon)]]
    report = _import(_write(tmp_path / "tps.csv", ["nama", "lintang", "bujur"], rows))
    _assert_first_at(report, lat, lon)


@pytest.mark.parametrize(
    ("lat_cell", "lon_cell", "lat", "lon", "separator", "delimiter"),
    [(*n, ", ", ";") for n in NOTATIONS]
    + [
        (*NOTATIONS[i], separator, delimiter)
        for i in (0, 4, 21, 29)  # decimal comma, prefix, degrees-minutes-seconds, spaced DMS
        for separator, delimiter in ((" ", ";"), ("; ", ","), (", ", "\t"))
    ],
)
def test_one_koordinat_column(
    tmp_path: Path,
    lat_cell: str,
    lon_cell: str,
    lat: float,
    lon: float,
    separator: str,
    delimiter: str,
) -> None:
    near_lat, near_lon = _neighbour(lat, lon)
    rows = [
        ["TPS 001", f"{lat_cell}{separator}{lon_cell}"],
        ["TPS 002", f"{near_lat}, {near_lon}"],
    ]
    report = _import(_write(tmp_path / "tps.csv", ["nama", "koordinat"], rows, delimiter))
    assert report.coordinates.pair == "koordinat"
    _assert_first_at(report, lat, lon)


@pytest.mark.parametrize(
    "cell",
    ["-2,1370 LU", "LU -2,1370", "-2.1370 N", "+2,1370 LS", "-106°08'31.2\" BT", "-106.142 E"],
)
def test_a_sign_contradicting_the_hemisphere_is_rejected(tmp_path: Path, cell: str) -> None:
    lat_cell, lon_cell = (cell, "106,1420 BT") if "106" not in cell else ("2,1370 LS", cell)
    rows = [["TPS 001", lat_cell, lon_cell], ["TPS 002", "-2.1380", "106.1430"]]
    report = _import(_write(tmp_path / "tps.csv", ["nama", "lintang", "bujur"], rows))
    assert report.rejected["row"].tolist() == [1]
    issue = next(i for i in report.issues if i.row == 1 and i.severity == "error")
    assert issue.code == "hemisphere_conflict"
    assert repr(cell) in issue.message("en")
    assert "contradicts its hemisphere" in issue.message("en")
    assert "bertentangan" in issue.message("id")


def test_a_sign_contradiction_in_one_koordinat_column(tmp_path: Path) -> None:
    rows = [["TPS 001", "-2,1370 LU, 106,1420 BT"], ["TPS 002", "-2.1380, 106.1430"]]
    report = _import(_write(tmp_path / "tps.csv", ["nama", "koordinat"], rows))
    assert report.rejected["row"].tolist() == [1]
    assert "hemisphere_conflict" in report.rejected["reasons"].iloc[0]


@pytest.mark.parametrize(
    "cell",
    [
        "2,1370 LS BT",  # two hemispheres
        "LS 2,1370 LS",
        "2°75'13\" LS",  # 75 minutes
        "2°07'61\" LS",  # 61 seconds
        "2,5°07' LS",  # decimals before minutes
        "2 07,5 13 S",  # decimals before seconds
        "2,1370 X",
        "LS",
        "2..1 LS",
    ],
)
def test_what_is_no_coordinate_stays_refused(cell: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_number(cell)
    assert not isinstance(caught.value, SignConflictError)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("-2,1370", -2.137), (" 106.142 ", 106.142), ("1e3", 1000.0), ("", None), (7, 7.0)],
)
def test_plain_numbers_are_unchanged(cell: object, expected: float | None) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize(
    "cell",
    ["2,1370 LS 106,1420", "-2,1370 BT 106,1420", "2,1370 LS BT 106,1420", "LS 2,1370 106,1420"],
)
def test_hemisphere_letters_decide_where_a_koordinat_cell_is_cut(tmp_path: Path, cell: str) -> None:
    # "2,1370 LS 106,1420" could be cut after "2,1370" too, but LS belongs to a latitude
    rows = [["TPS 001", cell], ["TPS 002", "-2.1380, 106.1430"]]
    report = _import(_write(tmp_path / "tps.csv", ["nama", "koordinat"], rows))
    _assert_first_at(report, -2.137, 106.142)


@pytest.mark.parametrize("cell", ["-2,1370 LU 106,1420", "-2.1370 LU, 106.1420", "-2,1 N 106,1 E"])
def test_a_sign_contradiction_is_not_hidden_by_another_cut(cell: str) -> None:
    # "-2,1370" and "LU 106,1420" would be numbers too, but LU belongs to a latitude
    with pytest.raises(SignConflictError):
        pair(cell)
