"""Boundary files read into canonical areas, areas saved as versions, and a raw boundary file in
an operation folder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Polygon, box, mapping

from geo.areas import (
    AreaChoices,
    code_level,
    compare_areas,
    normalise_code,
    parent_of,
    polygonal,
    read_areas_file,
)
from geo.crs import WGS84
from geo.errors import ValidationError
from geo.guard import summarise_areas
from geo.operation import (
    ConfirmationNeeded,
    NothingToSave,
    load_operation,
    rollback,
    save_areas,
    store_for,
)
from geo.store import Store
from geo.text import localized

ROOT = Path(__file__).resolve().parents[2]
BOUNDARIES = ROOT / "data" / "pangkalpinang_kelurahan_19.71.geojson"


def _write(path: Path, features: list[dict], **extra: object) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", **extra, "features": features}), "utf-8"
    )
    return path


def _feature(geom: shapely.Geometry, **props: object) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def _square(x: float, y: float, size: float = 0.01) -> Polygon:
    return box(x, y, x + size, y + size)


# --- codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "level", "parent"),
    [
        ("19.71.02.1003", "19.71.02.1003", "kelurahan", "19.71.02"),
        ("1971021003", "19.71.02.1003", "kelurahan", "19.71.02"),
        (1971021003, "19.71.02.1003", "kelurahan", "19.71.02"),
        (" 19.71.02 ", "19.71.02", "kecamatan", "19.71"),
        ("197102", "19.71.02", "kecamatan", "19.71"),
        ("19.71", "19.71", "kabupaten", "19"),
        ("19", "19", "provinsi", None),
        ("33.01.01.2001", "33.01.01.2001", "kelurahan", "33.01.01"),  # a desa
        ("SEKTOR-1", "SEKTOR-1", None, None),
        ("19.71.2", "19.71.2", None, None),
    ],
)
def test_codes_give_level_and_parent(value, code, level, parent) -> None:
    assert normalise_code(value) == code
    assert code_level(code) == level
    assert parent_of(code) == parent


def test_published_file_kode_nama_becomes_kelurahan_and_kecamatan() -> None:
    report = read_areas_file(BOUNDARIES, known_names={"19.71.02": "Taman Sari"})
    assert report.counts == {"rows_read": 42, "accepted": 42, "rejected": 0}
    assert report.levels == {"kecamatan": 7, "kelurahan": 42}
    assert report.derived == ("kecamatan",)
    assert "area_level_derived" in report.codes()
    areas = report.accepted.set_index("area_code")
    assert areas.loc["19.71.02.1003", ["name", "level", "parent_code"]].tolist() == [
        "Batin Tikal",
        "kelurahan",
        "19.71.02",
    ]
    assert areas.loc["19.71.02", "name"] == "Taman Sari"  # the operation's name
    assert areas.loc["19.71.03", "name"] == "Kecamatan 19.71.03"  # no name known: the code
    assert not areas["approximate"].any()
    kel = report.accepted[report.accepted["level"] == "kelurahan"]
    kec = report.accepted[report.accepted["level"] == "kecamatan"]
    # the dissolved kecamatan hold their kelurahan (gaps between neighbours filled)
    for code, geom in zip(kec["area_code"], kec.geometry, strict=True):
        members = kel[kel["parent_code"] == code]
        assert geom.buffer(1e-9).contains(shapely.union_all(members.geometry.values))
    without = read_areas_file(BOUNDARIES, AreaChoices(derive_parents=False))
    assert without.levels == {"kelurahan": 42} and without.derived == ()


def test_indonesian_column_styles(tmp_path: Path) -> None:
    # BIG's RBI layer: KDEPUM (desa code) and WADMKD (desa name), KDCPUM the kecamatan
    big = _write(
        tmp_path / "rbi.geojson",
        [
            _feature(
                _square(106.10, -2.10),
                KDEPUM="19.71.02.1003",
                WADMKD="Batin Tikal",
                KDCPUM="19.71.02",
                WADMKC="Taman Sari",
            ),
            _feature(
                _square(106.12, -2.10),
                KDEPUM="19.71.02.1004",
                WADMKD="Rawa Bangun",
                KDCPUM="19.71.02",
                WADMKC="Taman Sari",
            ),
        ],
    )
    report = read_areas_file(big)
    areas = report.accepted.set_index("area_code")
    assert areas.loc["19.71.02.1003", ["name", "level"]].tolist() == ["Batin Tikal", "kelurahan"]
    assert areas.loc["19.71.02", "name"] == "Taman Sari"  # named from WADMKC
    # kd_kel as a local number under kode_kec, nm_kelurahan for the name
    local = _write(
        tmp_path / "local.geojson",
        [
            _feature(
                _square(106.10, -2.10),
                kd_kel="1003",
                kode_kec="19.71.02",
                nm_kelurahan="Batin Tikal",
            )
        ],
    )
    areas = read_areas_file(local).accepted.set_index("area_code")
    assert areas.loc["19.71.02.1003", ["name", "level", "parent_code"]].tolist() == [
        "Batin Tikal",
        "kelurahan",
        "19.71.02",
    ]
    # sectors named by a level column, codes of the Polsek's own
    sectors = _write(
        tmp_path / "sektor.geojson",
        [
            _feature(_square(106.10, -2.10), kode="S1", nama="Sektor Utara", tingkat="Sektor"),
            _feature(_square(106.12, -2.10), kode="S2", nama="Sektor Selatan", tingkat="rayon"),
        ],
    )
    report = read_areas_file(sectors)
    assert report.levels == {"sector": 2} and report.derived == ()


def test_a_level_the_file_cannot_give_is_asked_for(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.geojson", [_feature(_square(106.1, -2.1), kode="A1", nama="X")])
    report = read_areas_file(path)
    assert report.counts["rejected"] == 1 and "area_no_level" in report.codes()
    assert "`level`" in report.issues[-1].message("en") and "'A1'" in report.issues[-1].message(
        "id"
    )
    assert "area_no_level" in report.rejected_csv()
    chosen = read_areas_file(path, AreaChoices(level="sector"))
    assert chosen.levels == {"sector": 1}
    unknown = _write(
        tmp_path / "y.geojson", [_feature(_square(106.1, -2.1), kode="A1", level="blok")]
    )
    assert "area_unknown_level" in read_areas_file(unknown).codes()


def test_repair_keeps_polygon_parts_of_a_geometry_collection(tmp_path: Path) -> None:
    # a square with a spike: make_valid gives a GeometryCollection (polygon + line)
    spiked = Polygon([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0.5), (-1, 0.5), (0, 0.5), (0, 0)])
    assert shapely.make_valid(spiked).geom_type == "GeometryCollection"
    area, reason, dropped = polygonal(spiked)
    assert area is not None and area.geom_type == "Polygon" and reason and dropped == 1
    assert area.equals(box(0, 0, 1, 1))
    # a valid MultiPolygon whose parts touch along an edge is repaired, not rejected
    touching = shapely.MultiPolygon([box(0, 0, 1, 1), box(1, 0, 2, 1)])
    repaired, why, _ = polygonal(touching)
    assert why and repaired is not None and repaired.area == pytest.approx(2.0)
    shift = shapely.affinity.translate
    path = _write(
        tmp_path / "bad.geojson",
        [
            _feature(
                shift(shapely.affinity.scale(spiked, 0.01, 0.01), 106.1, -2.1),
                kode="19.71.02.1003",
                nama="Batin Tikal",
            ),
            _feature(LineString([(106.1, -2.1), (106.2, -2.1)]), kode="19.71.02.1004", nama="L"),
            _feature(
                Polygon([(106.1, -2.1), (106.2, -2.1), (106.3, -2.1), (106.1, -2.1)]),
                kode="19.71.02.1005",
                nama="Flat",
            ),
        ],
    )
    report = read_areas_file(path, AreaChoices(derive_parents=False))
    assert report.counts == {"rows_read": 3, "accepted": 1, "rejected": 2}
    by_row = {(i.row, i.code) for i in report.issues}
    assert {(1, "area_repaired"), (2, "area_not_polygon"), (3, "area_no_area")} <= by_row
    kept = report.accepted.geometry.iloc[0]
    assert kept.geom_type == "Polygon" and kept.is_valid


def test_parts_merge_and_conflicting_codes_are_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "parts.geojson",
        [
            _feature(_square(106.10, -2.10), kode="19.71.06.1001", nama="Selindung"),
            _feature(_square(106.20, -2.10), kode="19.71.06.1001", nama="SELINDUNG"),  # island
            _feature(_square(106.30, -2.10), kode="19.71.06.1001", nama="Gabek"),
        ],
    )
    report = read_areas_file(path, AreaChoices(derive_parents=False))
    assert report.counts == {"rows_read": 3, "accepted": 2, "rejected": 1}
    assert report.levels == {"kelurahan": 1}  # two rows, one area
    assert report.accepted.geometry.iloc[0].geom_type == "MultiPolygon"
    assert {"area_parts_merged", "area_duplicate_code"} <= report.codes()


def test_metre_coordinates_need_their_crs(tmp_path: Path) -> None:
    square = box(600_000, 9_760_000, 601_000, 9_761_000)  # UTM 48S, near Pangkalpinang
    path = _write(tmp_path / "utm.geojson", [_feature(square, kode="19.71.02.1003", nama="B")])
    report = read_areas_file(path)
    assert report.counts["rejected"] == 1 and "area_crs_missing" in report.codes()
    assert "EPSG:32748" in report.issues[0].message("en")
    fixed = read_areas_file(path, AreaChoices(crs="EPSG:32748"))
    lon, lat = fixed.accepted.geometry.iloc[0].centroid.coords[0]
    assert 105.9 < lon < 106.0 and -2.2 < lat < -2.1


def test_compare_sees_changed_outlines_names_and_flags() -> None:
    report = read_areas_file(BOUNDARIES, AreaChoices(derive_parents=False))
    areas = report.accepted
    assert not compare_areas(areas, areas.copy()).changes_anything
    moved = areas.copy()
    moved.loc[0, "geometry"] = shapely.affinity.translate(moved.geometry.iloc[0], 1e-4)
    assert compare_areas(areas, moved).changed == ("kelurahan",)
    renamed = areas.assign(name=areas["name"].str.upper())
    assert compare_areas(areas, renamed).replaced == ("kelurahan",)
    flagged = areas.assign(approximate=True)
    assert compare_areas(areas, flagged).changes_anything


# --- an operation folder with a raw boundary file ------------------------------------------


def test_raw_boundary_file_in_an_operation_folder_loads(op_folder: Path) -> None:
    shutil.copy(BOUNDARIES, op_folder / "areas.geojson")
    operation = load_operation(op_folder)
    assert operation.areas["level"].value_counts().to_dict() == {"kelurahan": 42}
    assert set(operation.areas.columns) >= {"area_code", "name", "level", "parent_code"}


def test_unusable_boundary_file_says_which_column_is_missing(op_folder: Path) -> None:
    _write(
        op_folder / "areas.geojson",
        [_feature(_square(106.1, -2.1), kode="A1", nama="Blok A")],
    )
    with pytest.raises(ValidationError) as caught:
        load_operation(op_folder)
    assert "`level`" in str(caught.value) and "areas.geojson" in str(caught.value)
    assert "`level`" in localized(caught.value, "id")


# --- areas saved as versions ---------------------------------------------------------------


def _kelurahan_only() -> gpd.GeoDataFrame:
    return read_areas_file(BOUNDARIES, AreaChoices(derive_parents=False)).accepted


def test_a_level_is_replaced_as_one_version(op_folder: Path) -> None:
    seed = load_operation(op_folder)
    shifted = _kelurahan_only()
    shifted["geometry"] = shifted.geometry.translate(0.0005, 0.0)
    with pytest.raises(ConfirmationNeeded, match="kelurahan 42 → 42"):
        save_areas(seed, shifted)
    assert store_for(op_folder).latest() is None  # nothing saved
    summary = summarise_areas(seed, shifted)
    assert summary.change.replaced == ("kelurahan",) and summary.needs_confirmation
    version = save_areas(seed, shifted, file_name="kel.geojson", who="Bag Ops", confirmed=True)
    history = store_for(op_folder).history()
    assert [(v.action, v.areas_layer) for v in history] == [
        ("initial", ""),
        ("areas", "areas_v0002"),
    ]
    assert version.sites == len(seed.sites) and "kelurahan 42 → 42" in version.note
    now = load_operation(op_folder)
    assert now.version == 2
    kel = now.areas[now.areas["level"] == "kelurahan"]
    assert kel.geometry.iloc[0].equals_exact(shifted.geometry.iloc[0], 1e-9)
    old_kec = seed.areas[seed.areas["level"] == "kecamatan"].reset_index(drop=True)
    new_kec = now.areas[now.areas["level"] == "kecamatan"].reset_index(drop=True)
    assert new_kec["area_code"].tolist() == old_kec["area_code"].tolist()  # kept
    assert all(
        a.equals_exact(b, 1e-9) for a, b in zip(old_kec.geometry, new_kec.geometry, strict=True)
    )
    with pytest.raises(NothingToSave):
        save_areas(now, shifted, confirmed=True)


def test_a_new_level_needs_no_confirmation_and_sites_keep_their_areas(op_folder: Path) -> None:
    seed = load_operation(op_folder)
    sector = gpd.GeoDataFrame(
        {
            "area_code": ["S1"],
            "name": ["Sektor Kota"],
            "level": ["sector"],
            "parent_code": [None],
            "approximate": [True],
        },
        geometry=[seed.areas.union_all().envelope],
        crs=WGS84,
    )
    version = save_areas(seed, sector)
    assert store_for(op_folder).read_areas(version.version)["level"].value_counts().to_dict() == {
        "kecamatan": 7,
        "kelurahan": 42,
        "sector": 1,
    }
    # a later sites save keeps the areas of the version before it
    store = store_for(op_folder)
    later = store.save(
        load_operation(op_folder).sites, action="import", base_version=version.version
    )
    assert later.areas_layer == version.areas_layer


def test_rollback_restores_the_areas_of_that_version(op_folder: Path) -> None:
    seed = load_operation(op_folder)
    shifted = _kelurahan_only()
    shifted["geometry"] = shifted.geometry.translate(0.001, 0.0)
    save_areas(seed, shifted, confirmed=True)
    assert store_for(op_folder).read_areas(1) is None  # the folder's own file
    restored = rollback(op_folder, 1, confirmed=True)
    assert restored.version == 3 and restored.areas_layer == ""
    back = load_operation(op_folder)
    assert not compare_areas(seed.areas, back.areas).changes_anything
    again = rollback(op_folder, 2, confirmed=True)
    assert again.areas_layer == "areas_v0002"
    assert compare_areas(seed.areas, load_operation(op_folder).areas).changed == ("kelurahan",)


def test_an_older_store_is_migrated(op_folder: Path) -> None:
    seed = load_operation(op_folder)
    store = store_for(op_folder)
    store.save(seed.sites, action="initial", base_version=None)
    with sqlite3.connect(store.path) as con:  # as saved before areas were versioned
        con.execute("ALTER TABLE history DROP COLUMN areas_layer")
        columns = {row[1] for row in con.execute("PRAGMA table_info(history)")}
    assert "areas_layer" not in columns
    assert Store(store.path).history()[0].areas_layer == ""
    assert load_operation(op_folder).areas["level"].value_counts().to_dict() == {
        "kelurahan": 42,
        "kecamatan": 7,
    }
    shifted = _kelurahan_only()
    shifted["geometry"] = shifted.geometry.translate(0.001, 0.0)
    version = save_areas(load_operation(op_folder), shifted, confirmed=True)
    assert version.areas_layer == "areas_v0002"
    assert [v.areas_layer for v in store.history()] == ["", "areas_v0002"]


# --- real files of other countries: the planner names the columns ------------------------

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_a_real_district_file_with_chosen_columns() -> None:
    path = CORPUS / "uk_bournemouth" / "Bournemouth_Polling_Districts.geojson"
    plain = read_areas_file(path, AreaChoices(crs="EPSG:27700", level="sector"))
    assert plain.counts == {"rows_read": 78, "accepted": 0, "rejected": 78}
    assert "area_no_code_name" in plain.codes()  # no column it recognises
    columns = (("code", "Polling_Districts"), ("name", "Polling_Districts"))
    report = read_areas_file(path, AreaChoices(crs="EPSG:27700", level="sector", columns=columns))
    assert report.counts["accepted"] + report.counts["rejected"] == report.rows_read == 78
    codes = [i.code for i in report.issues]
    assert codes.count("area_repaired") == 5  # the 5 invalid districts kept, repaired
    assert codes.count("area_parts_merged") == 4  # districts in several pieces: one area each
    assert report.levels == {"sector": 73} and report.accepted.is_valid.all()
    west, south, east, north = report.accepted.total_bounds
    assert -2.0 < west < east < -1.7 and 50.6 < south < north < 50.8  # Bournemouth
    missing = read_areas_file(path, AreaChoices(level="sector", columns=(("code", "nope"),)))
    assert missing.counts["rejected"] == 78
    assert [i.code for i in missing.issues] == ["area_no_such_column"]
    assert "Polling_Districts" in missing.issues[0].message("en")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_a_stray_line_in_a_real_file_is_rejected_alone() -> None:
    report = read_areas_file(
        CORPUS / "uk_preston" / "Polling_Districts.json", AreaChoices(level="sector")
    )
    assert report.counts == {"rows_read": 84, "accepted": 83, "rejected": 1}
    assert report.levels == {"sector": 83}
    assert "LineString" not in set(report.accepted.geom_type)
