"""Reading every supported format, as planners' files come."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from geo.io import ReadError, read_table

POINTS = [(106.1301, -2.1402, "SD Negeri 1 Bacang"), (106.1422, -2.1371, "Masjid Al-Ikhlas")]


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nama": [p[2] for p in POINTS], "tps": ["001", "002"]},
        geometry=[Point(p[0], p[1]) for p in POINTS],
        crs="EPSG:4326",
    )


def test_geojson_feature_collection_single_feature_and_bare_geometry(tmp_path: Path) -> None:
    fc = tmp_path / "fc.geojson"
    fc.write_text(_frame().to_json(drop_id=True), encoding="utf-8")  # no "crs" member
    table = read_table(fc)
    assert table.rows == 2 and table.format == "geojson"
    assert table.declared_crs is None  # RFC 7946 files say nothing: values decide
    feature = tmp_path / "one.geojson"
    feature.write_text(json.dumps(json.loads(fc.read_text())["features"][0]), encoding="utf-8")
    assert read_table(feature).rows == 1
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"type": "Point", "coordinates": [106.1, -2.1]}), encoding="utf-8")
    assert read_table(bare).geometry.iloc[0].x == pytest.approx(106.1)


def test_legacy_crs_member_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "legacy.json"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "EPSG:32748"}},
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"nama": "A"},
                        "geometry": {"type": "Point", "coordinates": [620000, 9766000]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert read_table(path).declared_crs.to_epsg() == 32748


def test_esri_json(tmp_path: Path) -> None:
    path = tmp_path / "esri.json"
    path.write_text(
        json.dumps(
            {
                "geometryType": "esriGeometryPoint",
                "spatialReference": {"wkid": 4326},
                "fields": [{"name": "NAMA", "type": "esriFieldTypeString"}],
                "features": [
                    {"attributes": {"NAMA": "Pos A"}, "geometry": {"x": 106.1, "y": -2.1}}
                ],
            }
        ),
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.format == "esrijson"
    assert table.attributes.loc[0, "NAMA"] == "Pos A"


@pytest.mark.parametrize(
    ("encoding", "suffix", "sep"),
    [
        ("utf-8", ".csv", ","),
        ("utf-8-sig", ".csv", ";"),
        ("cp1252", ".csv", ","),
        ("utf-8", ".tsv", "\t"),
    ],
)
def test_text_tables_and_encodings(tmp_path: Path, encoding: str, suffix: str, sep: str) -> None:
    names = ["Kantor Kelurahan Gabek", "Café Pâtisserie Semabung"]
    text = (
        sep.join(["nama", "lat", "lon", "kode"])
        + "\n"
        + "\n".join(sep.join([n, "-2.1", "106.1", "007"]) for n in names)
        + "\n"
    )
    path = tmp_path / f"list{suffix}"
    path.write_bytes(text.encode(encoding))
    table = read_table(path)
    assert table.attributes["nama"].tolist() == names  # non-ASCII kept exactly
    assert table.attributes["kode"].tolist() == ["007", "007"]  # leading zeros kept
    assert table.encoding == ("cp1252" if encoding == "cp1252" else "utf-8-sig")


def test_excel_sheets(tmp_path: Path) -> None:
    path = tmp_path / "kpu.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"info": ["daftar TPS"]}).to_excel(writer, sheet_name="Cover", index=False)
        pd.DataFrame({"nama": ["TPS 1"], "lintang": [-2.1], "bujur": [106.1]}).to_excel(
            writer, sheet_name="TPS", index=False
        )
    assert read_table(path).layers == ("Cover", "TPS")
    table = read_table(path, layer="TPS")
    assert table.attributes.loc[0, "nama"] == "TPS 1"
    with pytest.raises(ReadError, match="no layer or sheet 'Nope'"):
        read_table(path, layer="Nope")


def test_json_records(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text(
        json.dumps({"data": [{"nama": "A", "lat": -2.1, "lng": 106.1}]}), encoding="utf-8"
    )
    table = read_table(path)
    assert table.format == "json-records" and table.rows == 1


def test_geopackage_layers(tmp_path: Path) -> None:
    path = tmp_path / "ops.gpkg"
    pyogrio.write_dataframe(_frame(), path, layer="tps")
    pyogrio.write_dataframe(_frame().iloc[:1], path, layer="pos")
    assert set(read_table(path).layers) == {"tps", "pos"}
    assert read_table(path, layer="pos").rows == 1


def test_kml_and_kmz(tmp_path: Path) -> None:
    kml = tmp_path / "sites.kml"
    kml.write_text(
        """<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">
        <Document><Placemark><name>f.1</name><description><![CDATA[<ul>
        <li><b>nama</b>: Pos Pam Pasar</li><li><b>jenis</b>: pos pam</li></ul>]]></description>
        <Point><coordinates>106.1,-2.1</coordinates></Point></Placemark></Document></kml>""",
        encoding="utf-8",
    )
    table = read_table(kml)
    assert table.declared_crs.to_epsg() == 4326
    assert table.attributes.loc[0, "nama"] == "Pos Pam Pasar"  # lifted from the description
    kmz = tmp_path / "sites.kmz"
    with zipfile.ZipFile(kmz, "w") as archive:
        archive.write(kml, "doc.kml")
    assert read_table(kmz).rows == 1


def test_zipped_shapefile_in_a_subfolder(tmp_path: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    _frame().to_file(folder / "tps.shp")
    archive = tmp_path / "tps.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, f"export/data/{part.name}")
    table = read_table(archive)
    assert table.format == "shapefile" and table.rows == 2 and table.layer == "tps"
    assert table.declared_crs.to_epsg() == 4326


def test_a_zip_with_two_shapefiles_reads_the_chosen_layer(tmp_path: Path) -> None:
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for stem, frame in (("tps", _frame()), ("pos", _frame().iloc[:1])):
            folder = tmp_path / stem
            folder.mkdir()
            frame.to_file(folder / f"{stem}.shp")
            for part in folder.iterdir():  # upper-case sidecars, as some exports write them
                z.write(part, f"{stem}/{part.stem}{part.suffix.upper()}")
    assert read_table(archive).layers == ("tps", "pos")
    table = read_table(archive, layer="pos")
    assert table.rows == 1 and table.layer == "pos" and table.declared_crs.to_epsg() == 4326
    with pytest.raises(ReadError, match="no layer"):
        read_table(archive, layer="gudang")


@pytest.mark.parametrize("member", ["sites.geojson", "sites.xlsx", "nested/sites.csv"])
def test_zipped_site_lists_of_every_kind(tmp_path: Path, member: str) -> None:
    inner = tmp_path / Path(member).name
    if member.endswith(".geojson"):
        inner.write_text(_frame().to_json(drop_id=True), encoding="utf-8")
    elif member.endswith(".xlsx"):
        pd.DataFrame({"nama": ["a", "b"], "lon": [106.1, 106.2], "lat": [-2.1, -2.2]}).to_excel(
            inner, index=False
        )
    else:
        inner.write_text("nama,lon,lat\na,106.1,-2.1\nb,106.2,-2.2\n", encoding="utf-8")
    archive = tmp_path / "list.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(inner, member)
    table = read_table(archive)
    assert table.rows == 2 and table.file_name == "list.zip"


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("list.doc", b"hello", "not supported"),
        ("broken.json", b"{not json", "not valid JSON"),
        ("empty.csv", b"", "is empty"),
        ("odd.json", b'{"a": 1, "b": 2}', "neither GeoJSON"),
        ("bad.zip", b"PK\x03\x04 not a zip", "cannot be read"),
        ("nothing.zip", None, "without a shapefile"),
        ("bad.gpkg", b"SQLite format 3\x00 nonsense", "cannot be read"),
    ],
)
def test_broken_files_say_which_file_and_what_to_do(
    tmp_path: Path, name: str, content: bytes | None, fragment: str
) -> None:
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("readme.pdf", "%PDF")
    else:
        path.write_bytes(content)
    with pytest.raises(ReadError, match=fragment) as info:
        read_table(path)
    assert name in str(info.value)
    assert info.value.key.startswith("read.")
