"""Real third-party site lists (../shared/corpus): figures of the report and true locations."""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import numpy as np
import pytest

from geo.crs import geodesic_m
from geo.importer import ImportChoices, ImportReport, Severity, import_sites
from geo.model import Kind
from tests.conftest import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


def run(path: str, **options) -> ImportReport:
    options.setdefault("kind", Kind.POLLING_STATION)
    report = import_sites(CORPUS / path, ImportChoices(**options))
    assert len(report.accepted) + len(report.rejected) == report.rows_read
    return report


def row_codes(report: ImportReport) -> Counter:
    return Counter(i.code for i in report.issues if i.row)


def assert_near(report: ImportReport, lat: float, lon: float, km: float) -> None:
    points = report.accepted.geometry
    median_lon, median_lat = float(np.median(points.x)), float(np.median(points.y))
    assert geodesic_m(lon, lat, median_lon, median_lat) < km * 1000, (median_lat, median_lon)


BOURNEMOUTH = (50.72, -1.88)


def test_bournemouth_districts_metres_without_a_crs() -> None:
    path = "uk_bournemouth/Bournemouth_Polling_Districts.geojson"
    report = run(path)
    assert report.counts == {"rows_read": 78, "accepted": 0, "rejected": 78}
    assert "crs_missing" in report.codes(Severity.ERROR)
    assert report.fixes[0].id == "crs:EPSG:27700"
    fixed = run(path, crs="EPSG:27700")
    assert fixed.counts == {"rows_read": 78, "accepted": 74, "rejected": 4}
    codes = row_codes(fixed)
    assert codes["invalid_polygon_repaired"] == 5
    assert codes["duplicate_row"] == 4
    assert codes["polygon_to_point"] == 78
    assert_near(fixed, *BOURNEMOUTH, km=8)


def test_bournemouth_shapefile_whose_prj_lies() -> None:
    report = run("uk_bournemouth/SHP.zip")
    assert report.layer == "Bournemouth_Polling_Districts"
    assert "crs_contradicted" in report.codes(Severity.ERROR)
    assert report.counts["accepted"] == 0
    assert report.fixes[0].id == "crs:EPSG:27700"
    fixed = run("uk_bournemouth/SHP.zip", crs="EPSG:27700")
    assert fixed.counts == {"rows_read": 78, "accepted": 74, "rejected": 4}
    assert "Polling_Di" in fixed.accepted.columns  # the truncated field name is kept
    assert_near(fixed, *BOURNEMOUTH, km=8)


def test_bournemouth_stations_fall_inside_the_districts() -> None:
    report = run("uk_bournemouth/Polling Stations.csv")
    assert "crs_missing" in report.codes(Severity.ERROR)
    assert report.fixes[0].id == "crs:EPSG:27700"
    stations = run("uk_bournemouth/Polling Stations.csv", crs="EPSG:27700")
    assert stations.counts == {"rows_read": 73, "accepted": 73, "rejected": 0}
    assert row_codes(stations)["same_coordinates"] == 8
    assert stations.mapping.get("site_id") == "Polling_Station_Code"
    districts = run("uk_bournemouth/Bournemouth_Polling_Districts.geojson", crs="EPSG:27700")
    outlines = gpd.GeoSeries.from_wkt(districts.accepted["footprint"], crs="EPSG:4326")
    outlines = outlines.to_crs(27700).buffer(25)  # stations on a boundary road count
    points = stations.accepted.geometry.to_crs(27700)
    inside = points.apply(lambda p: outlines.contains(p).any())
    assert inside.mean() >= 0.95
    assert_near(stations, *BOURNEMOUTH, km=8)


def test_preston_legacy_crs_member_and_a_stray_line() -> None:
    report = run("uk_preston/Polling_Districts.json")
    assert report.crs_used == "EPSG:27700"
    assert report.counts == {"rows_read": 84, "accepted": 83, "rejected": 1}
    assert row_codes(report)["wrong_geometry_type"] == 1
    assert_near(report, 53.76, -2.70, km=10)


def test_bristol_esri_json_keeps_uprn_as_text() -> None:
    report = run("uk_bristol/bristol_polling.json")
    assert report.format == "esrijson" and report.crs_used == "EPSG:27700"
    assert report.counts == {"rows_read": 155, "accepted": 155, "rejected": 0}
    assert report.accepted["UPRN"].iloc[0] == "000000085625"
    by_uprn = run("uk_bristol/bristol_polling.json", mapping={"site_id": "UPRN"})
    codes = row_codes(by_uprn)
    assert codes["duplicate_id"] > 0 and codes["missing_id"] > 0
    assert by_uprn.accepted["site_id"].is_unique
    assert_near(report, 51.45, -2.59, km=10)


def test_bromsgrove_footprints_without_names() -> None:
    report = run("uk_bromsgrove/bromsgrove_redditch_polling_stations_2015_shp.zip")
    assert report.counts == {"rows_read": 156, "accepted": 156, "rejected": 0}
    codes = row_codes(report)
    assert codes["polygon_to_point"] == 156 and codes["invalid_polygon_repaired"] == 3
    assert report.mapping.get("name") is None  # "Descriptio" is the same few words everywhere
    assert "Item class" in report.accepted.columns
    assert report.accepted["footprint"].notna().all()
    assert_near(report, 52.31, -1.97, km=15)


def test_carmarthenshire_kml_attributes_from_the_description() -> None:
    report = run("uk_carmarthenshire/Polling_Stations.kml")
    assert report.counts == {"rows_read": 196, "accepted": 196, "rejected": 0}
    assert report.mapping.get("name") is None
    assert report.mapping.get("address") == "address"
    assert report.accepted["name"].iloc[0].startswith("Peniel CP School")  # by its address
    assert report.accepted["address"].iloc[0].startswith("Peniel CP School")
    assert row_codes(report)["same_coordinates"] == 32
    assert_near(report, 51.86, -4.18, km=40)


def test_boston_three_encodings_of_one_place() -> None:
    report = run("us_boston/polling_locations.csv")
    assert report.crs_used == "EPSG:4326"
    assert report.counts == {"rows_read": 275, "accepted": 275, "rejected": 0}
    assert report.coordinates.x == "X" and report.coordinates.y == "Y"
    assert row_codes(report)["same_coordinates"] == 111
    assert report.accepted["name"].iloc[0] == "SAMUEL ADAMS ELEMENTARY SCHOOL"  # trimmed
    assert_near(report, 42.33, -71.06, km=10)


def test_pokhara_osm_export_points_and_buildings() -> None:
    # the amenity column decides the kind; the post type is asked for, never guessed
    asked = run("np_pokhara/policestation.geojson", kind=None)
    assert asked.post_type_values == ("",)
    assert row_codes(asked)["missing_post_type"] == asked.counts["rejected"] == 68
    # the one row whose name states a post type ("… HQ") takes it, and says so
    assert row_codes(asked)["post_type_from_name"] == 1
    assert asked.accepted["post_type"].tolist() == ["mako"]
    report = run("np_pokhara/policestation.geojson", kind=None, post_types={"": "pos_pam"})
    assert report.counts == {"rows_read": 69, "accepted": 69, "rejected": 0}
    assert (report.accepted["kind"] == "police_post").all()
    assert report.accepted["post_type"].value_counts().to_dict() == {"pos_pam": 68, "mako": 1}
    assert row_codes(report)["polygon_to_point"] == 28
    assert {"@id", "addr:street"} <= set(report.accepted.columns)
    devanagari = report.accepted["name:ne"].dropna()
    assert any("\u0900" <= ch <= "\u097f" for ch in "".join(devanagari))
    assert_near(report, 28.21, 83.99, km=10)


def test_pangkalpinang_kelurahan_polygons() -> None:
    report = run("id_pangkalpinang/pangkalpinang_kelurahan_19.71.geojson")
    assert report.counts == {"rows_read": 42, "accepted": 42, "rejected": 0}
    assert_near(report, -2.11051, 106.11321, km=5)


def test_every_corpus_file_is_read() -> None:
    files = [p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md"]
    assert len(files) >= 10
    for path in files:
        report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
        assert len(report.accepted) + len(report.rejected) == report.rows_read > 0
