"""Every validation rule of the importer, on generated bad inputs; nothing is ever lost."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon

from geo.crs import geodesic_m
from geo.errors import PoskoError
from geo.fields import CoordinateColumns, post_type_from_name
from geo.importer import (
    ImportChoices,
    ImportContext,
    ImportReport,
    Severity,
    apply_fix,
    import_sites,
)
from geo.io import ReadError
from geo.model import Kind, PostType, Settings
from tests.lists import NUMBER_COLUMNS, kpu_list

# TPS around Pangkalpinang: (name, kelurahan, lat, lon, risk)
GOOD = [
    ("TPS 001 Bacang", "Bacang", -2.13783, 106.14161, "Kurang Rawan"),
    ("TPS 002 Bacang", "Bacang", -2.13900, 106.14300, "RAWAN"),
    ("TPS 001 Air Itam", "Air Itam", -2.14655, 106.15209, "aman"),
    ("TPS 001 Gabek Satu", "Gabek Satu", -2.10278, 106.10718, "rawan 1"),
    ("TPS 001 Selindung", "Selindung", -2.07563, 106.12227, "khusus"),
    ("TPS 001 Keramat", "Keramat", -2.13739, 106.09284, "sangat rawan"),
    ("TPS 002 Keramat", "Keramat", -2.13800, 106.09400, "rawan 2"),
    ("TPS 001 Asam", "Asam", -2.14299, 106.10175, "Kurang rawan"),
]
COLUMNS = ["nama", "kelurahan", "lintang", "bujur", "kerawanan"]


def write_csv(
    path: Path,
    rows: list[tuple],
    columns: list[str] = COLUMNS,
    sep: str = ";",
    encoding: str = "utf-8",
) -> Path:
    lines = [sep.join(columns)] + [sep.join(str(v) for v in row) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def check(path: Path, *, areas=None, margin_m=5000.0, max_rows=1_000_000, **choices):
    """Import with TPS as the file-level kind unless told otherwise; assert the accounting."""
    choices.setdefault("kind", Kind.POLLING_STATION)
    context = ImportContext(areas=areas, margin_m=margin_m, max_rows=max_rows)
    report = import_sites(path, ImportChoices(**choices), context)
    assert len(report.accepted) + len(report.rejected) == report.rows_read
    assert report.rejected["row"].is_unique
    return report


def rows_with(report: ImportReport, code: str) -> set[int]:
    return {i.row for i in report.issues if i.code == code and i.row}


@pytest.fixture
def areas(sample_operation) -> gpd.GeoDataFrame:
    return sample_operation.areas


def test_a_clean_list_is_accepted_with_risk_labels_mapped(tmp_path: Path) -> None:
    report = check(write_csv(tmp_path / "tps.csv", GOOD))
    assert report.counts == {"rows_read": 8, "accepted": 8, "rejected": 0}
    assert report.accepted["risk"].tolist() == [
        "kurang_rawan",
        "rawan",
        "kurang_rawan",
        "sangat_rawan",
        "khusus",
        "sangat_rawan",
        "rawan",
        "kurang_rawan",
    ]
    assert report.mapping.get("name") == "nama"
    assert report.accepted["source"].iloc[2] == "tps.csv:3"
    assert "crs_assumed" in report.codes()


@pytest.mark.parametrize("column", ["risiko", "Tingkat Risiko", "kategori risiko"])
def test_a_risiko_column_is_the_risk_class(tmp_path: Path, column: str) -> None:
    rows = [("TPS 1", "Bacang", -2.1381, 106.1419, "sangat rawan")]
    columns = ["nama", "kelurahan", "lintang", "bujur", column]
    report = check(write_csv(tmp_path / "tps.csv", rows, columns))
    assert report.mapping.get("risk") == column
    assert report.accepted["risk"].tolist() == ["sangat_rawan"]


def test_unknown_risk_label_is_flagged_not_guessed(tmp_path: Path) -> None:
    rows = [*GOOD[:3], ("TPS 9", "Bacang", -2.1381, 106.1419, "bahaya")]
    report = check(write_csv(tmp_path / "tps.csv", rows))
    assert rows_with(report, "unknown_risk") == {4}
    assert report.rejected["row"].tolist() == [4]
    assert "unknown_risk" in report.rejected["reasons"].iloc[0]


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        ("", "", "no_geometry"),
        ("abc", "106.1", "coord_not_numeric"),
        ("-2.1", "", "coord_not_numeric"),
    ],
)
def test_missing_and_non_numeric_coordinates(tmp_path: Path, lat: str, lon: str, code: str) -> None:
    rows = [*GOOD[:3], ("TPS X", "Bacang", lat, lon, "rawan")]
    report = check(write_csv(tmp_path / "tps.csv", rows))
    assert rows_with(report, code) == {4}
    assert len(report.accepted) == 3


def test_decimal_commas_and_hemisphere_letters(tmp_path: Path) -> None:
    rows = [
        ("TPS A", "Bacang", "-2,13783", "106,14161", "rawan"),
        ("TPS B", "Bacang", "2.1390 S", "106.1430 E", "rawan"),
        ("TPS C", "Bacang", "2,1370 LS", "106,1420 BT", "rawan"),
    ]
    report = check(write_csv(tmp_path / "tps.csv", rows))
    assert report.counts == {"rows_read": 3, "accepted": 3, "rejected": 0}
    assert report.accepted["name"].tolist() == ["TPS A", "TPS B", "TPS C"]
    assert report.accepted.geometry.y.tolist() == pytest.approx([-2.13783, -2.139, -2.137])
    assert report.accepted.geometry.x.tolist() == pytest.approx([106.14161, 106.143, 106.142])


def test_one_koordinat_column_and_wkt(tmp_path: Path) -> None:
    koordinat = write_csv(
        tmp_path / "k.csv",
        [(n, f"{lat}, {lon}") for n, _, lat, lon, _ in GOOD],
        columns=["nama", "koordinat"],
    )
    report = check(koordinat)
    assert report.coordinates.pair == "koordinat"
    assert report.counts["accepted"] == len(GOOD)
    wkt = write_csv(
        tmp_path / "w.csv",
        [(n, f"POINT ({lon} {lat})") for n, _, lat, lon, _ in GOOD],
        columns=["nama", "wkt"],
    )
    assert check(wkt).counts["accepted"] == len(GOOD)


def test_no_coordinate_columns_rejects_every_row_with_the_reason(tmp_path: Path) -> None:
    report = check(write_csv(tmp_path / "t.csv", [("A", "x")], columns=["nama", "alamat"]))
    assert "no_coordinate_columns" in report.codes()
    assert report.counts == {"rows_read": 1, "accepted": 0, "rejected": 1}


def _utm(rows: list[tuple]) -> list[tuple]:
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32748", always_xy=True)
    out = []
    for name, kel, lat, lon, risk in rows:
        x, y = to_utm.transform(lon, lat)
        out.append((name, kel, round(y, 2), round(x, 2), risk))
    return out


def test_metres_without_crs_name_likely_systems(tmp_path: Path, areas) -> None:
    path = write_csv(
        tmp_path / "utm.csv", _utm(GOOD), columns=["nama", "kelurahan", "y", "x", "kerawanan"]
    )
    report = check(path, areas=areas)
    assert "crs_missing" in report.codes(Severity.ERROR)
    assert report.counts["accepted"] == 0
    assert [f.id for f in report.fixes] == ["crs:EPSG:32748"]
    fixed = check(path, areas=areas, crs="EPSG:32748")
    assert fixed.counts["accepted"] == len(GOOD)
    lon, lat = fixed.accepted.geometry.x.iloc[0], fixed.accepted.geometry.y.iloc[0]
    assert geodesic_m(lon, lat, GOOD[0][3], GOOD[0][2]) < 0.05


def test_declared_crs_contradicted_by_the_values(tmp_path: Path) -> None:
    path = tmp_path / "declared.geojson"
    features = [
        {
            "type": "Feature",
            "properties": {"nama": n},
            "geometry": {"type": "Point", "coordinates": [x, y]},
        }
        for n, _, y, x, _ in _utm(GOOD)
    ]
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
                "features": features,
            }
        ),
        encoding="utf-8",
    )
    report = check(path)
    assert "crs_contradicted" in report.codes(Severity.ERROR)
    assert report.counts["accepted"] == 0


def test_swapped_axes_for_the_whole_file(tmp_path: Path) -> None:
    swapped = [(n, k, lon, lat, r) for n, k, lat, lon, r in GOOD]
    path = write_csv(tmp_path / "swapped.csv", swapped)
    report = check(path)
    assert "axes_swapped" in report.codes(Severity.ERROR)
    assert [f.id for f in report.fixes] == ["swap_axes"]
    fixed = check(path, swap_axes=True)
    assert fixed.counts["accepted"] == len(GOOD)
    assert fixed.accepted.geometry.y.iloc[0] == pytest.approx(GOOD[0][2])


def test_swapped_axes_within_range_found_against_the_areas(tmp_path: Path) -> None:
    # latitude -2.1 / longitude 106.1 swapped gives lat 106.1: out of range anyway; use a
    # made-up area near (lon 2, lat 40) where a swapped point (lon 40, lat 2) is valid
    area = gpd.GeoDataFrame(
        {"area_code": ["X"], "name": ["X"], "level": ["kec"]},
        geometry=[Point(2.0, 40.0).buffer(0.1)],
        crs="EPSG:4326",
    )
    rows = [("A", "", 2.0 + i * 0.001, 40.0, "rawan") for i in range(5)]
    report = check(write_csv(tmp_path / "s.csv", rows), areas=area)
    assert "axes_swapped" in report.codes(Severity.ERROR)


def test_single_misplaced_rows_get_a_suggested_correction(tmp_path: Path, areas) -> None:
    rows = [
        *GOOD,
        ("TPS shift", "Bacang", -2.1390, 1.06141, "rawan"),  # decimal point moved
        ("TPS sign", "Bacang", 2.1390, 106.1430, "rawan"),  # S missing
        ("TPS swap", "Bacang", 106.1430, -2.1390, "rawan"),  # one row swapped
        ("TPS far", "Palembang", -2.9761, 104.7754, "rawan"),  # real place, 180 km away
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    report = check(path, areas=areas)
    assert rows_with(report, "decimal_shift") == {9}
    assert rows_with(report, "sign_flipped") == {10}
    assert rows_with(report, "row_axes_swapped") == {11}
    assert rows_with(report, "far_from_area") == {12}
    assert set(report.rejected["row"]) == {9, 10, 11, 12}  # far rows are rejected too
    far = next(i for i in report.issues if i.code == "far_from_area")
    assert "km" in far.message("en") and far.severity == Severity.ERROR
    assert "km" in report.rejected.set_index("row").loc[12, "reasons"]
    assert "row_fixes" in [f.id for f in report.fixes]
    fixed = check(path, areas=areas, row_fixes=True)
    assert set(fixed.rejected["row"]) == {12}  # only the far row, which has no correction
    assert {"decimal_shift_fixed", "sign_flipped_fixed", "row_axes_swapped_fixed"} <= (
        fixed.codes()
    )
    assert fixed.accepted.geometry.x.iloc[8] == pytest.approx(106.141)


def _box(lon0: float, lat0: float, lon1: float, lat1: float) -> Polygon:
    return Polygon([(lon0, lat0), (lon1, lat0), (lon1, lat1), (lon0, lat1)])


def test_of_two_possible_corrections_the_nearest_wins(tmp_path: Path) -> None:
    # Area P holds the list; the small areas Q and R lie so that a second, worse correction
    # of each misplaced row lands about 3 km outside one of them, within the 5 km margin.
    areas = gpd.GeoDataFrame(
        {"area_code": ["P", "Q", "R"], "name": ["P", "Q", "R"], "level": ["kec"] * 3},
        geometry=[
            _box(106.0, -2.3, 106.3, -2.0),
            _box(106.0, 0.24, 106.3, 0.30),
            _box(106.0, -0.18, 106.3, -0.10),
        ],
        crs="EPSG:4326",
    )
    rows = [
        *GOOD,
        # S missing: flipping the sign (tried last) lands in P; latitude /10 (tried earlier)
        # lands at 0.214, below Q
        ("TPS sign", "Bacang", 2.14, 106.14, "rawan"),
        # longitude x10: longitude /10 (tried first) lands in P; both /10 lands at -0.214,
        # below R
        ("TPS shift", "Bacang", -2.14, 1061.4, "rawan"),
    ]
    worse = {9: (106.14, 0.214, 0.24), 10: (106.14, -0.214, -0.18)}  # lon, lat, area edge
    for lon, lat, edge in worse.values():
        assert 2500 < geodesic_m(lon, lat, lon, edge) < 4000
    path = write_csv(tmp_path / "two.csv", rows)
    report = check(path, areas=areas, margin_m=5000)
    assert rows_with(report, "sign_flipped") == {9}
    assert rows_with(report, "decimal_shift") == {10}
    for row in worse:
        issue = next(i for i in report.issues if i.row == row and i.severity == "error")
        assert issue.text.params["fixed_distance_m"] == 0.0
    fixed = check(path, areas=areas, margin_m=5000, row_fixes=True)
    assert fixed.counts["rejected"] == 0
    placed = fixed.accepted.set_index("name").geometry
    assert (placed["TPS sign"].x, placed["TPS sign"].y) == pytest.approx((106.14, -2.14))
    assert (placed["TPS shift"].x, placed["TPS shift"].y) == pytest.approx((106.14, -2.14))
    # with a margin too small for the worse corrections, the same rows still get the best
    narrow = check(path, areas=areas, margin_m=1000, row_fixes=True)
    assert narrow.accepted.set_index("name").geometry["TPS sign"].y == pytest.approx(-2.14)


def test_outliers_without_areas_are_found_from_the_list_itself(tmp_path: Path) -> None:
    rows = [*GOOD, ("TPS Palembang", "X", -2.9761, 104.7754, "rawan")]
    report = check(write_csv(tmp_path / "o.csv", rows))
    assert rows_with(report, "outlier") == {9}
    assert report.counts["accepted"] == 9


def test_national_lists_are_not_outliers(tmp_path: Path) -> None:
    rows = [
        (f"TPS {i}", "", lat, lon, "rawan")
        for i, (lat, lon) in enumerate(
            [(-6.2, 106.8), (3.6, 98.7), (-0.9, 119.9), (-2.5, 140.7), (-8.6, 116.1), (-2.1, 106.1)]
        )
    ]
    assert "outlier" not in check(write_csv(tmp_path / "n.csv", rows)).codes()


def test_polygons_lines_and_invalid_shapes(tmp_path: Path) -> None:
    building = Polygon([(106.14, -2.14), (106.1402, -2.14), (106.1402, -2.1398), (106.14, -2.1398)])
    bowtie = Polygon([(106.15, -2.15), (106.1502, -2.1498), (106.1502, -2.15), (106.15, -2.1498)])
    frame = gpd.GeoDataFrame(
        {"nama": ["SD 1", "SD 2", "Jalan", "Pos"]},
        geometry=[
            building,
            bowtie,
            LineString([(106.1, -2.1), (106.2, -2.2)]),
            Point(106.12, -2.12),
        ],
        crs="EPSG:4326",
    )
    path = tmp_path / "shapes.geojson"
    path.write_text(frame.to_json(drop_id=True), encoding="utf-8")
    report = check(path)
    assert rows_with(report, "polygon_to_point") == {1, 2}
    assert rows_with(report, "invalid_polygon_repaired") == {2}
    assert rows_with(report, "wrong_geometry_type") == {3}
    accepted = report.accepted.set_index("name")
    assert building.contains(accepted.loc["SD 1", "geometry"])
    assert accepted.loc["SD 1", "footprint"].startswith("POLYGON")
    assert pd.isna(accepted.loc["Pos", "footprint"])


def test_duplicates(tmp_path: Path) -> None:
    rows = [
        ("T1", "TPS 001 Bacang", "Bacang", -2.13783, 106.14161, "rawan"),
        ("T1", "TPS 002 Bacang", "Bacang", -2.13790, 106.14170, "rawan"),  # same id
        ("T3", "TPS 001 Bacang", "Bacang", -2.13500, 106.14500, "rawan"),  # same name, elsewhere
        ("T4", "TPS 004 Bacang", "Bacang", -2.13783, 106.14161, "rawan"),  # same place as T1
        ("T4", "TPS 004 Bacang", "Bacang", -2.13783, 106.14161, "rawan"),  # exact repeat
    ]
    path = write_csv(tmp_path / "dup.csv", rows, columns=["kode_tps", *COLUMNS])
    report = check(path)
    assert rows_with(report, "duplicate_id") == {2}
    assert rows_with(report, "duplicate_name") == {3}
    assert rows_with(report, "same_coordinates") == {4}
    assert rows_with(report, "duplicate_row") == {5}
    assert report.accepted["site_id"].tolist() == ["T1", "T1#2", "T3", "T4"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_keep_names_exactly(tmp_path: Path, encoding: str) -> None:
    rows = [("Café Pâtisserie «Bacang»", "Bacang", -2.13783, 106.14161, "rawan")]
    report = check(write_csv(tmp_path / "enc.csv", rows, encoding=encoding))
    assert report.accepted["name"].iloc[0] == "Café Pâtisserie «Bacang»"
    assert ("encoding_fallback" in report.codes()) == (encoding == "cp1252")


def test_kinds_from_a_column_and_post_types(tmp_path: Path) -> None:
    rows = [
        ("TPS 1", "TPS", "", -2.13, 106.14),
        ("Polsek Taman Sari", "pos polisi", "", -2.12, 106.11),
        ("Pos A", "pos", "pos pam", -2.11, 106.12),
        ("Pos B", "pos", "benteng", -2.11, 106.13),
        ("Gudang KPU", "gudang", "", -2.14, 106.15),
        ("X", "alien", "", -2.1, 106.1),
        ("Y", "", "", -2.1, 106.11),
    ]
    path = write_csv(
        tmp_path / "mix.csv", rows, columns=["nama", "jenis", "jenis_pos", "lat", "lon"]
    )
    report = import_sites(path)  # no file-level kind: the column decides
    kinds = dict(zip(report.accepted["name"], report.accepted["kind"], strict=True))
    assert kinds == {
        "TPS 1": "polling_station",
        "Polsek Taman Sari": "police_post",
        "Pos A": "police_post",
        "Gudang KPU": "logistics",
    }
    posts = report.accepted.set_index("name")["post_type"]
    assert posts["Polsek Taman Sari"] == "polsek" and posts["Pos A"] == "pos_pam"
    assert rows_with(report, "unknown_post_type") == {4}
    assert rows_with(report, "unknown_kind") == {6}
    assert rows_with(report, "kind_missing") == {7}


def test_a_kind_column_of_post_types_is_asked_not_guessed(tmp_path: Path) -> None:
    rows = [
        ("Pos Lantas Simpang", "Pos Lantas", -2.13, 106.14),
        ("Pos Pelayanan Girimaya", "Pos Pelayanan", -2.12, 106.11),
        ("Sektor Gerunggang", "Polsek", -2.11, 106.12),
        ("Polsek Bukit Intan", "pos polisi", -2.11, 106.13),
        ("Pos Bukit", "", -2.14, 106.15),
    ]
    path = write_csv(tmp_path / "pos.csv", rows, columns=["nama", "jenis", "lat", "lon"])
    report = check(path, kind=Kind.POLICE_POST)
    assert report.post_type_values == ("Pos Lantas", "Pos Pelayanan", "")
    assert rows_with(report, "unknown_post_type") == {1, 2}
    assert rows_with(report, "missing_post_type") == {5}
    assert rows_with(report, "post_type_from_name") <= {4}
    posts = report.accepted.set_index("name")["post_type"].to_dict()
    assert posts == {"Sektor Gerunggang": "polsek", "Polsek Bukit Intan": "polsek"}
    chosen = check(path, kind=Kind.POLICE_POST, post_types={"Pos Lantas": "patrol"})
    assert chosen.accepted.set_index("name")["post_type"]["Pos Lantas Simpang"] == "patrol"


@pytest.mark.parametrize("number_column", NUMBER_COLUMNS)
def test_a_kpu_list_without_a_kind_column_is_of_tps(
    tmp_path: Path, sample_operation, number_column: str
) -> None:
    written = kpu_list(sample_operation, tmp_path / "tps.csv", number_column=number_column)
    report = check(written.path, kind=None)
    assert report.counts["rejected"] == 0
    assert (report.accepted["kind"] == "polling_station").all()
    said = next(i for i in report.issues if i.code == "kind_from_tps_column")
    assert said.severity == Severity.INFO and said.row is None
    assert "dianggap TPS" in said.message("id")
    # the planner's choice still wins
    chosen = check(written.path, kind=Kind.LOGISTICS)
    assert (chosen.accepted["kind"] == "logistics").all()
    assert "kind_from_tps_column" not in chosen.codes()


def test_a_row_number_column_makes_no_tps_list(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [(1, "A", -2.13, 106.14)], ["no", "nama", "lat", "lon"])
    report = check(path, kind=None)
    assert "kind_missing" in report.codes(Severity.ERROR)


def test_no_kind_anywhere(tmp_path: Path) -> None:
    report = import_sites(write_csv(tmp_path / "t.csv", GOOD))
    assert "kind_missing" in report.codes(Severity.ERROR)
    assert report.counts["accepted"] == 0


def test_mapping_override_and_file_level_kind(tmp_path: Path) -> None:
    rows = [("Jl. Merdeka 1", "Sekolah A", -2.13, 106.14)]
    path = write_csv(tmp_path / "m.csv", rows, columns=["alamat", "nama", "lat", "lon"])
    assert check(path).accepted["name"].iloc[0] == "Sekolah A"
    report = check(path, mapping={"name": "alamat"}, kind=Kind.GOVERNMENT)
    assert report.accepted["name"].iloc[0] == "Jl. Merdeka 1"
    assert report.accepted["kind"].iloc[0] == "government"


def test_counts_and_numbers(tmp_path: Path) -> None:
    rows = [("TPS 1", "7", "1.234", -2.13, 106.14), ("TPS 2", "x", "banyak", -2.131, 106.141)]
    path = write_csv(tmp_path / "n.csv", rows, columns=["nama", "no_tps", "dpt", "lat", "lon"])
    report = check(path)
    assert report.accepted["voters"].iloc[0] == 1234
    assert report.accepted["tps_no"].iloc[0] == 7
    assert rows_with(report, "not_a_number") == {2}


def test_strict_turns_warnings_into_rejections(tmp_path: Path) -> None:
    rows = [*GOOD, ("TPS Palembang", "X", -2.9761, 104.7754, "rawan")]
    path = write_csv(tmp_path / "s.csv", rows)
    assert check(path).counts["rejected"] == 0
    assert check(path, strict=True).counts["rejected"] == 1


def test_row_limit(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="at most 5"):
        check(write_csv(tmp_path / "big.csv", GOOD), max_rows=5)


def test_excel_and_records(tmp_path: Path) -> None:
    frame = pd.DataFrame(GOOD, columns=COLUMNS)
    xlsx = tmp_path / "tps.xlsx"
    frame.to_excel(xlsx, index=False)
    assert check(xlsx).counts["accepted"] == len(GOOD)
    records = tmp_path / "tps.json"
    records.write_text(frame.to_json(orient="records"), encoding="utf-8")
    assert check(records).counts["accepted"] == len(GOOD)


def test_fixes_apply_to_choices() -> None:
    choices = ImportChoices(kind=Kind.POLICE_POST, mapping={"name": "nama"})
    assert apply_fix(choices, "swap_axes") == replace(choices, swap_axes=True)
    assert apply_fix(choices, "row_fixes") == replace(choices, row_fixes=True)
    assert apply_fix(choices, "crs:EPSG:32748") == replace(choices, crs="EPSG:32748")
    with pytest.raises(PoskoError, match="Unknown fix 'shrug'"):
        apply_fix(choices, "shrug")


def test_choices_are_a_cache_key() -> None:
    columns = CoordinateColumns(x="bujur", y="lintang")
    one = ImportChoices(kind=Kind.POLLING_STATION, mapping={"risk": "k", "name": "n"})
    two = ImportChoices(
        kind="polling_station", mapping=(("name", "n"), ("risk", "k")), coordinates=columns
    )
    assert one == replace(two, coordinates=None) and hash(one) == hash(
        replace(two, coordinates=None)
    )
    assert one.columns == {"name": "n", "risk": "k"}
    assert ImportChoices(crs="  ") == ImportChoices()


def test_the_context_comes_from_the_operation(operation_factory, areas) -> None:
    operation = operation_factory([], areas=areas, area_margin_m=750.0, max_import_rows=10)
    context = ImportContext.for_operation(operation)
    assert (context.margin_m, context.max_rows) == (750.0, 10)
    assert context.areas is operation.areas
    bare = ImportContext.for_operation(operation_factory([]))
    assert bare.areas is None
    defaults = Settings(title="x")
    assert (bare.margin_m, bare.max_rows) == (defaults.area_margin_m, defaults.max_import_rows)
    assert (ImportContext().margin_m, ImportContext().max_rows) == (bare.margin_m, bare.max_rows)


def test_the_context_margin_decides_what_is_far(tmp_path: Path, areas) -> None:
    # about 2.2 km east of the sample's easternmost area edge: far for 1 km, near for 5 km
    east = areas.total_bounds[2]
    rows = [*GOOD[:3], ("TPS timur", "X", -2.1, east + 0.02, "rawan")]
    path = write_csv(tmp_path / "m.csv", rows)
    assert rows_with(check(path, areas=areas, margin_m=1000), "far_from_area") == {4}
    assert rows_with(check(path, areas=areas, margin_m=5000), "far_from_area") == set()


def test_far_rows_are_accepted_only_by_their_exact_count(tmp_path: Path, areas) -> None:
    far = [("TPS Palembang", "X", -2.9761, 104.7754, "rawan"), ("TPS Bogor", "X", -6.6, 106.8, "")]
    path = write_csv(tmp_path / "far.csv", [*GOOD[:3], *far])
    refused = check(path, areas=areas)
    assert set(refused.rejected["row"]) == {4, 5}
    wrong = check(path, areas=areas, accept_far=1)
    assert set(wrong.rejected["row"]) == {4, 5}
    assert "accept_far_mismatch" in wrong.codes()
    accepted = check(path, areas=areas, accept_far=2)
    assert accepted.counts["rejected"] == 0
    assert rows_with(accepted, "far_from_area") == {4, 5}  # still shown, as warnings
    assert all(i.severity == Severity.WARNING for i in accepted.issues if i.code == "far_from_area")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Polsek Taman Sari", PostType.POLSEK),
        ("Mapolsek Bukit Intan", PostType.POLSEK),
        ("Polresta Pangkalpinang", PostType.MAKO),
        ("Pos Terpadu Girimaya", PostType.POS_TERPADU),
        ("Pos Pam Lebaran", PostType.POS_PAM),
        ("Basis Patroli Gerunggang Barat", PostType.PATROL),
        ("Polsek-Pos Pam", PostType.POLSEK),  # the first words name the post
        ("Kantor Camat", None),
        ("Pos Lantas Simpang", None),  # "pos" alone names no post type
        ("Pos Pelayanan Lebaran", None),
        ("Pos Gerunggang", None),
        ("Pos Pengamanan Girimaya", PostType.POS_PAM),
        ("Posyandu", None),
        (None, None),
    ],
)
def test_post_type_from_a_name(name: str | None, expected: PostType | None) -> None:
    assert post_type_from_name(name) is expected


def test_messages_in_both_languages(tmp_path: Path) -> None:
    report = check(write_csv(tmp_path / "t.csv", [("A", "x", "abc", "1", "rawan")]))
    issue = next(i for i in report.issues if i.code == "coord_not_numeric")
    assert "bukan angka" in issue.message("id")
    assert "not numbers" in issue.message("en")
