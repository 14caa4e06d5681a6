"""The vectorised checks give exactly the report of the row-by-row reference."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiPoint, MultiPolygon, Point, Polygon

from geo.importer import ImportChoices, ImportContext, ImportReport, import_table
from geo.io import read_table
from geo.model import Kind
from tests.conftest import CORPUS

CORPUS_CASES = [
    ("uk_bournemouth/Bournemouth_Polling_Districts.geojson", {}),
    ("uk_bournemouth/Bournemouth_Polling_Districts.geojson", {"crs": "EPSG:27700"}),
    ("uk_bournemouth/SHP.zip", {"crs": "EPSG:27700"}),
    ("uk_bournemouth/Polling Stations.csv", {"crs": "EPSG:27700"}),
    ("uk_preston/Polling_Districts.json", {}),
    ("uk_bristol/bristol_polling.json", {}),
    ("uk_bromsgrove/bromsgrove_redditch_polling_stations_2015_shp.zip", {}),
    ("uk_carmarthenshire/Polling_Stations.kml", {}),
    ("us_boston/polling_locations.csv", {}),
    ("np_pokhara/policestation.geojson", {"kind": None, "post_types": {"": "pos_pam"}}),
    ("id_pangkalpinang/pangkalpinang_kelurahan_19.71.geojson", {}),
]


def _both(path: Path, choices: ImportChoices) -> tuple[ImportReport, ImportReport]:
    raw = read_table(path)
    context = ImportContext()
    return import_table(raw, choices, context), import_table(raw, choices, context, per_row=True)


def _same(fast: ImportReport, slow: ImportReport) -> None:
    assert fast.counts == slow.counts
    assert [i.as_dict("en") for i in fast.issues] == [i.as_dict("en") for i in slow.issues]
    assert [(i.row, i.code, i.text) for i in fast.issues] == [
        (i.row, i.code, i.text) for i in slow.issues
    ]
    pd.testing.assert_frame_equal(
        pd.DataFrame(fast.accepted.drop(columns="geometry")),
        pd.DataFrame(slow.accepted.drop(columns="geometry")),
    )
    assert np.array_equal(
        shapely.get_coordinates(fast.accepted.geometry.values),
        shapely.get_coordinates(slow.accepted.geometry.values),
    )
    pd.testing.assert_frame_equal(fast.rejected, slow.rejected)
    assert fast.fixes == slow.fixes and fast.rejected_at == slow.rejected_at


@pytest.mark.parametrize(("name", "options"), CORPUS_CASES)
def test_corpus_files_give_the_reference_report(name: str, options: dict) -> None:
    options = {"kind": Kind.POLLING_STATION, **options}
    fast, slow = _both(CORPUS / name, ImportChoices(**options))
    _same(fast, slow)
    assert fast.rows_read > 0


def _bowtie(x: float, y: float) -> Polygon:
    return Polygon([(x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001)])


def _square(x: float, y: float) -> Polygon:
    return Polygon([(x, y), (x + 0.001, y), (x + 0.001, y + 0.001), (x, y + 0.001)])


def mixed_frame() -> gpd.GeoDataFrame:
    """Every kind of geometry a site list brings, stacked places, repeats and equal names."""
    geometries = [
        Point(106.10, -2.10),
        Point(106.10, -2.10),  # stacked on row 1
        Point(106.1000004, -2.1000004),  # the same 10 cm cell
        MultiPoint([(106.11, -2.11)]),
        MultiPoint([(106.12, -2.12), (106.13, -2.13)]),
        LineString([(106.1, -2.1), (106.2, -2.2)]),
        _square(106.14, -2.14),
        _bowtie(106.15, -2.15),
        MultiPolygon([_square(106.16, -2.16)]),
        MultiPolygon([_square(106.17, -2.17), _square(106.18, -2.18)]),
        None,
        Point(),
        Point(106.10, -2.10),  # an exact repeat of row 1 below (same cells)
        Point(106.19, -2.19),
        Point(106.20, -2.20),
        Point(107.5, -2.1),  # an outlier of the list
    ]
    names = [f"TPS {i:03d}" for i in range(len(geometries))]
    names[12] = names[0]
    names[13] = names[14] = "TPS Sama"  # equal names at different places
    return gpd.GeoDataFrame(
        {
            "nama": names,
            "kelurahan": ["Bukit Intan"] * len(geometries),
            "kerawanan": ["rawan"] * len(geometries),
        },
        geometry=geometries,
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_mixed_file_gives_the_reference_report(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"mixed{suffix}"
    mixed_frame().to_file(path, driver="GeoJSON" if suffix == ".geojson" else "GPKG")
    fast, slow = _both(path, ImportChoices(kind=Kind.POLLING_STATION))
    _same(fast, slow)
    codes = fast.codes()
    expected = {"same_coordinates", "wrong_geometry_type", "no_geometry", "polygon_to_point"}
    assert expected | {"invalid_polygon_repaired", "duplicate_row", "duplicate_name"} <= codes
    assert "outlier" in codes


def test_non_finite_coordinates_give_the_reference_report(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"nama": ["A", "B", "C", "D"]},
        geometry=[
            Point(106.1, -2.1),
            Point(math.nan, -2.1),
            Polygon([(106.1, -2.1), (106.2, math.inf), (106.2, -2.2)]),
            Point(106.1, -2.1),
        ],
        crs="EPSG:4326",
    )
    path = tmp_path / "nan.gpkg"
    frame.to_file(path, driver="GPKG")
    fast, slow = _both(path, ImportChoices(kind=Kind.POLLING_STATION))
    _same(fast, slow)
    assert {i.row for i in fast.issues if i.code == "coord_not_finite"} == {2, 3}


def test_a_large_stacked_list_gives_the_reference_report(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    spots = rng.integers(0, 40, 600)
    frame = gpd.GeoDataFrame(
        {
            "nama": [f"TPS {i % 50:03d}" for i in range(600)],
            "kelurahan": [f"Kel {i % 3}" for i in range(600)],
        },
        geometry=gpd.points_from_xy(106.1 + spots / 1000, -2.1 - spots / 1000),
        crs="EPSG:4326",
    )
    path = tmp_path / "stacked.geojson"
    frame.to_file(path, driver="GeoJSON")
    fast, slow = _both(path, ImportChoices(kind=Kind.POLLING_STATION))
    _same(fast, slow)
    places = {(p.x, p.y) for p in fast.accepted.geometry}
    stacked = sum(i.code == "same_coordinates" for i in fast.issues)
    assert stacked == len(fast.accepted) - len(places) > 400
    assert "duplicate_name" in fast.codes() and "duplicate_row" in fast.codes()
