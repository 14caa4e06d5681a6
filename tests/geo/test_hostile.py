"""Hostile files, small editions of bench/hostile.py's cases: refused early and clearly."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

import geo.io
from cli import _printable, main
from geo.csvsafe import neutralise_cell, to_csv_safe
from geo.errors import ValidationError
from geo.importer import ImportChoices, import_sites
from geo.io import ReadError, _unique_names, read_table
from geo.model import Kind
from geo.operation import SAMPLE_OPERATION
from geo.schema import canonical_sites, unique_column_names, validate_sites
from geo.text import localized
from tests.conftest import ROOT

HEADER = "nama;lon;lat"
ROW = "TPS 001;106.1416;-2.1378"


def _csv(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _refused(path: Path, key: str, **kwargs: object) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_table(path, **kwargs)
    assert caught.value.key == key
    assert path.name in str(caught.value)
    return caught.value


def _tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its SHA-256."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name,data", [("kosong.geojson", b""), ("spasi.json", b" \n\t")])
def test_an_empty_json_file_is_called_empty(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    error = _refused(path, "read.empty")
    assert "kosong" in localized(error, "id") and "JSON" not in str(error)


# --- limits before work


def test_a_header_repeating_one_name_is_refused_past_the_column_limit(tmp_path: Path) -> None:
    path = _csv(tmp_path / "header.csv", [";".join(["x"] * 4000)], ";".join(["nama"] * 4000))
    error = _refused(path, "read.too_many_columns")
    assert "4,000" in str(error) and f"{geo.io.MAX_COLUMNS:,}" in str(error)


def test_unique_names_stay_unique_and_ordered() -> None:
    names = ["nama"] * 500 + ["nama_3", "", " ", "nama"]
    unique = _unique_names(names)
    assert len(set(unique)) == len(unique) == len(names)
    assert unique[:3] == ["nama", "nama_2", "nama_3"]
    assert unique[500] == "nama_3_2"  # "nama_3" was taken by the third repeat
    assert unique[501:503] == ["column_502", "column_503"]
    assert unique[-1] == "nama_501"


def test_unique_column_names_ignore_case_and_keep_reserved_names_free() -> None:
    names = unique_column_names(["Nama"] * 300 + ["geometry", "NAMA_2"], reserved=["geometry"])
    assert len({n.lower() for n in names}) == len(names)
    assert names[:2] == ["Nama", "Nama_2"]
    assert names[300] == "src_geometry"
    assert names[301] == "NAMA_2_2"


def test_a_wide_but_allowed_header_reads_every_column(tmp_path: Path) -> None:
    header = ";".join(["nama"] * 900 + ["lon", "lat"])
    path = _csv(tmp_path / "wide.csv", [";".join(["x"] * 900 + ["106.14", "-2.13"])], header)
    table = read_table(path)
    assert table.attributes.shape == (1, 902)
    assert table.attributes.columns[899] == "nama_900"


def test_the_row_limit_stops_the_reader_before_the_rest_of_the_file(tmp_path: Path) -> None:
    # Past the limit the file turns to a field the csv module refuses: never reached.
    rows = [ROW] * 11 + ["x" * (200_000)]
    path = _csv(tmp_path / "long.csv", rows)
    error = _refused(path, "read.rows_over_limit", max_rows=10)
    assert "10" in str(error)
    assert read_table(_csv(tmp_path / "ten.csv", [ROW] * 10), max_rows=10).rows == 10
    assert _refused(path, "read.broken", max_rows=20)


@pytest.mark.parametrize("suffix", [".geojson", ".json", ".xlsx"])
def test_the_row_limit_holds_for_every_format(tmp_path: Path, suffix: str) -> None:
    frame = gpd.GeoDataFrame(
        {"nama": [f"TPS {i}" for i in range(12)]},
        geometry=[Point(106.1 + i / 100, -2.1) for i in range(12)],
        crs="EPSG:4326",
    )
    path = tmp_path / f"twelve{suffix}"
    if suffix == ".geojson":
        path.write_text(frame.to_json(drop_id=True), encoding="utf-8")
    elif suffix == ".json":
        records = [{"nama": n, "lon": 106.1, "lat": -2.1} for n in frame["nama"]]
        path.write_text(json.dumps(records), encoding="utf-8")
    else:
        pd.DataFrame({"nama": frame["nama"], "lon": 106.1, "lat": -2.1}).to_excel(path, index=False)
    _refused(path, "read.rows_over_limit", max_rows=11)
    assert read_table(path, max_rows=12).rows == 12


def test_json_records_with_too_many_distinct_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{f"k{i}": 1} for i in range(1200)]), encoding="utf-8")
    _refused(path, "read.too_many_columns")


@pytest.mark.parametrize("depth", [100, 10_000])
@pytest.mark.parametrize("suffix", [".json", ".geojson"])
def test_deeply_nested_json_is_refused_without_recursion_error(
    tmp_path: Path, depth: int, suffix: str
) -> None:
    path = tmp_path / f"deep{suffix}"
    path.write_text('{"type": "FeatureCollection", "features": ' + "[" * depth + "]" * depth + "}")
    error = _refused(path, "read.too_deep")
    assert str(geo.io.MAX_JSON_DEPTH) in str(error)


def _xlsx_with(tmp_path: Path, inject: bytes) -> Path:
    plain = tmp_path / "plain.xlsx"
    pd.DataFrame({"nama": ["TPS 1"], "lon": [106.1], "lat": [-2.1]}).to_excel(plain, index=False)
    path = tmp_path / "dtd.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?>' + inject + data
            target.writestr(info, data)
    return path


@pytest.mark.parametrize(
    "inject",
    [
        b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        b'<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    ],
)
def test_an_excel_workbook_with_a_dtd_is_refused(tmp_path: Path, inject: bytes) -> None:
    _refused(_xlsx_with(tmp_path, inject), "read.xml_dtd")


def _bomb(path: Path, size: int, name: str = "sites.csv") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, "lon,lat\n" + "0" * size)
    return path


def test_a_zip_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    error = _refused(_bomb(tmp_path / "bomb.zip", 8 * 2**20), "read.archive_ratio")
    assert "sites.csv" in str(error)


def test_archives_beyond_the_size_limit_are_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(geo.io, "MAX_UNPACKED_BYTES", 100_000)
    rows = "".join(f"TPS {i},106.{i:05},-2.1\n" for i in range(10_000))
    for suffix in (".zip", ".kmz", ".xlsx"):
        path = tmp_path / f"big{suffix}"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("sites.csv", "nama,lon,lat\n" + rows)
        _refused(path, "read.archive_too_large")


def test_extraction_stops_as_soon_as_a_member_outgrows_the_limit(
    tmp_path: Path, monkeypatch
) -> None:
    path = _bomb(tmp_path / "stream.zip", 300_000)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("sites.csv")
        monkeypatch.setattr(geo.io, "MAX_UNPACKED_BYTES", 100_000)  # after the header check
        with pytest.raises(ReadError) as caught:
            geo.io._extract(archive, info, tmp_path / "out.csv", "stream.zip")
    assert caught.value.key == "read.archive_too_large"
    assert (tmp_path / "out.csv").stat().st_size <= 100_000


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("members", "rows"),
    [
        ({"README.txt": "Daftar TPS.\nLihat berkas sites.csv.\n", "data/sites.csv": ROW}, 1),
        ({"README.txt": "Daftar TPS, Bacang.\nLihat berkas lain.\n", "sites.txt": ROW}, 1),
        ({"notes.json": "bukan json", "sites.csv": ROW}, 1),
        ({"catatan.csv": "satu kolom\n", "sites.txt": f"{ROW}\n{ROW}"}, 2),
    ],
)
def test_the_zip_member_is_chosen_by_its_content(
    tmp_path: Path, members: dict[str, str], rows: int
) -> None:
    members = {k: (f"{HEADER}\n{v}\n" if ";" in v else v) for k, v in members.items()}
    table = read_table(_zip(tmp_path / "list.zip", members))
    assert table.rows == rows
    assert list(table.attributes.columns) == ["nama", "lon", "lat"]


def test_a_zip_without_a_site_list_says_so(tmp_path: Path) -> None:
    _refused(_zip(tmp_path / "readme.zip", {"README.txt": "hanya catatan\n"}), "read.empty_zip")


def test_archives_are_extracted_privately_and_cleaned_up(tmp_path: Path, monkeypatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    modes: list[int] = []
    extract = geo.io._extract

    def spy(archive, info, target: Path, label: str) -> None:
        modes.append(stat.S_IMODE(target.parent.stat().st_mode))
        extract(archive, info, target, label)

    monkeypatch.setattr(geo.io, "_extract", spy)
    beside = tmp_path / "list_sites.csv"  # the name the old reader wrote next to the zip
    beside.write_text("a user's own file", encoding="utf-8")
    path = _zip(tmp_path / "list.zip", {"sites.csv": f"{HEADER}\n{ROW}\n"})
    before = _tree(tmp_path)
    assert main(["check", str(path), "--kind", "polling_station"]) in (0, 1)
    assert modes == [0o700]
    assert _tree(tmp_path) == before
    assert list(scratch.iterdir()) == []


# --- only finite coordinates


def _feature_collection(coordinates: list) -> str:
    features = [
        {
            "type": "Feature",
            "properties": {"nama": f"TPS {i}"},
            "geometry": {"type": "Point", "coordinates": c},
        }
        for i, c in enumerate(coordinates)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features})


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("nan.geojson", _feature_collection([[float("nan"), -2.1], [106.14, -2.13]])),
        ("inf.geojson", _feature_collection([[106.14, float("inf")], [106.14, -2.13]])),
        ("wkt.csv", 'nama;wkt\nTPS 0;POINT (NaN -2.12)\nTPS 1;"POINT (106.14 -2.13)"\n'),
        ("wkt_inf.csv", "nama;wkt\nTPS 0;POINT (inf -2.12)\nTPS 1;POINT (106.14 -2.13)\n"),
        ("columns.csv", "nama;lon;lat\nTPS 0;NaN;-2.1\nTPS 1;106.14;-2.13\n"),
        ("columns_inf.csv", "nama;lon;lat\nTPS 0;106.1;-inf\nTPS 1;106.14;-2.13\n"),
        ("far.csv", "nama;lon;lat\nTPS 0;1e300;-2.1\nTPS 1;106.14;-2.13\n"),
    ],
)
def test_non_finite_coordinates_are_rejected_by_row(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    assert len(report.accepted) == 1 and report.accepted["name"].tolist() == ["TPS 1"]
    assert report.rejected["row"].tolist() == [1]
    assert np.isfinite(report.accepted.geometry.x).all()
    errors = [i for i in report.issues if i.row == 1 and i.severity.value == "error"]
    assert errors and "Row 1" in errors[0].message("en")


def test_a_polygon_with_a_nan_vertex_is_rejected(tmp_path: Path) -> None:
    ring = [[106.1, -2.1], [106.2, -2.1], [float("nan"), -2.2], [106.1, -2.1]]
    document = json.loads(_feature_collection([[106.14, -2.13]]))
    document["features"].insert(
        0,
        {
            "type": "Feature",
            "properties": {"nama": "Kantor"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        },
    )
    path = tmp_path / "outline.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    assert report.rejected["row"].tolist() == [1]
    assert "coord_not_finite" in report.codes()


@pytest.mark.parametrize(
    "point",
    [Point(float("nan"), -2.1), Point(106.1, float("inf")), Point(181, 0), Point(0, -90.5)],
)
def test_validate_sites_refuses_non_finite_and_out_of_range_points(point: Point) -> None:
    frame = gpd.GeoDataFrame(
        {"site_id": ["a", "b"], "kind": ["police_post", "police_post"], "post_type": "polsek"},
        geometry=[point, Point(106.1, -2.1)],
        crs="EPSG:4326",
    )
    with pytest.raises(ValidationError) as caught:
        validate_sites(canonical_sites(frame))
    assert [p.where for p in caught.value.problems] == ["'a'"]


def _scratch_operation(tmp_path: Path, monkeypatch) -> Path:
    import shutil

    from geo.operation import SAMPLE_OPERATION

    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path / "workspace"))
    folder = tmp_path / "workspace" / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    return folder


def test_a_refused_import_leaves_the_store_unchanged(tmp_path: Path, monkeypatch, capsys) -> None:
    folder = _scratch_operation(tmp_path, monkeypatch)
    nan = tmp_path / "nan.geojson"
    nan.write_text(_feature_collection([[float("nan"), -2.1]]), encoding="utf-8")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    bomb = _bomb(tmp_path / "bomb.zip", 4 * 2**20)
    before = _tree(folder.parent)
    for path, code in ((nan, 1), (deep, 2), (bomb, 2)):
        assert main(["import", str(path), "--into", "latihan", "--kind", "polling_station"]) == code
        assert "Traceback" not in capsys.readouterr().err
    assert _tree(folder.parent) == before


@pytest.mark.parametrize(
    "content",
    [
        "[" * 10_000 + "]" * 10_000,
        _feature_collection([[float("nan"), -2.1]]),
    ],
)
def test_the_command_line_explains_instead_of_tracing_back(tmp_path: Path, content: str) -> None:
    path = tmp_path / "hostile.geojson"
    path.write_text(content, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "check", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr + result.stdout
    assert "hostile.geojson" in result.stderr + result.stdout


# --- text encodings

NAMES = ["Jalan Ñusa", "Masjid Al-Ikhlas"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_marks_are_honoured(tmp_path: Path, encoding: str) -> None:
    text = HEADER + "\n" + "".join(f"{n};106.14;-2.13\n" for n in NAMES)
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(encoding)
    path = tmp_path / "bom.csv"
    path.write_bytes(data)
    table = read_table(path)
    assert table.attributes["nama"].tolist() == NAMES
    assert table.undecodable == ()
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    assert len(report.accepted) == 2


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "nobom.csv"
    path.write_bytes((HEADER + "\n" + f"{NAMES[1]};106.14;-2.13\n").encode(encoding))
    table = read_table(path)
    assert table.attributes["nama"].tolist() == [NAMES[1]] and table.encoding == encoding


def test_invalid_utf8_is_reported_by_row(tmp_path: Path) -> None:
    good = "".join(f"{n};106.14;-2.13\n" for n in NAMES).encode()
    path = tmp_path / "bytes.csv"
    path.write_bytes(HEADER.encode() + b"\n" + good + b"TPS \xff\xfe;106.15;-2.14\n")
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    bad = [i for i in report.issues if i.code == "bad_bytes"]
    assert [i.row for i in bad] == [3]
    assert "encoding_fallback" not in report.codes()
    assert report.accepted["name"].tolist()[:2] == NAMES  # the rest still read as UTF-8


def test_a_legacy_windows_file_is_read_as_such_and_said(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes(f"{HEADER}\nJalan Café “Baru”;106.14;-2.13\n".encode("cp1252"))
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    assert report.accepted["name"].tolist() == ["Jalan Café “Baru”"]
    fallback = [i for i in report.issues if i.code == "encoding_fallback"]
    assert fallback and "cp1252" in fallback[0].message("en")


# --- exported CSVs are inert


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","klik")', '\'=HYPERLINK("http://x","klik")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("TPS 001", "TPS 001"),
        ("-2.1378", "-2.1378"),
        ("+62812345", "+62812345"),
        ("-1e5", "-1e5"),
        ("-2,5", "-2,5"),
        ("-", "'-"),
        ("-2-3", "'-2-3"),
        (-2.1, -2.1),
        (7, 7),
        (None, None),
    ],
)
def test_neutralise_cell(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_to_csv_safe_keeps_numbers_and_neutralises_text() -> None:
    frame = pd.DataFrame({"=name": ["=1+1", "ok", None], "lat": [-2.1, 3.0, np.nan]})
    text = to_csv_safe(frame)
    assert text.splitlines() == ["'=name,lat", "'=1+1,-2.1", "ok,3.0", ","]
    assert frame["=name"].tolist()[0] == "=1+1"  # the argument is not changed


def test_the_rejected_rows_csv_is_inert(tmp_path: Path) -> None:
    path = _csv(tmp_path / "names.csv", ['=HYPERLINK("http://x");;', "@SUM(A1);abc;-2.1"])
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    cells = [c for row in pd.read_csv(io.StringIO(report.rejected_csv())).to_numpy() for c in row]
    text_cells = [c for c in cells if isinstance(c, str)]
    assert any(c.startswith("'=HYPERLINK") for c in text_cells)
    assert not any(c.startswith(("=", "+", "@")) for c in text_cells)
    assert "-2.1" in report.rejected_csv().split(",")  # a coordinate kept as written


def test_the_staffing_csv_is_inert(sample_analysis) -> None:
    plan = sample_analysis.staffing
    hostile = replace(plan.areas[0], name='=HYPERLINK("http://x")')
    text = replace(plan, areas=(hostile, *plan.areas[1:])).csv("en")
    assert text.splitlines()[1].split(",")[1] == '"\'=HYPERLINK(""http://x"")"'


def test_the_command_line_escapes_terminal_controls(tmp_path: Path, capsys) -> None:
    assert _printable("a\x1b[31mb\x07c\u202ed\n\t") == "a\\x1b[31mb\\x07c\\u202ed\n\t"
    assert main(["check", str(tmp_path / "x\x1b]0;owned\x07.csv")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b" in err


def test_control_characters_in_area_names_are_not_printed_raw(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    areas = gpd.read_file(folder / "areas.geojson")
    areas["name"] = areas["name"] + "\x1b[2J\x07\u202e"
    areas.to_file(folder / "areas.geojson", driver="GeoJSON")
    assert main(["staffing", str(folder), "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert not any(c in out + err for c in "\x1b\x07\u202e")
    assert out.count("\\x1b[2J\\x07\\u202e") >= 2  # every area line, escaped


# --- fuzzing archives and nested JSON

_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_MEMBER_NAMES = st.sampled_from(
    ["README.txt", "sites.csv", "a/b/sites.txt", "x.json", "../evil.csv", "__MACOSX/._s.csv"]
)
_MEMBER_DATA = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([f"{HEADER}\n{ROW}\n", "[" * 500 + "]" * 500, _feature_collection([[1, 2]])]),
)


@_FUZZ
@given(members=st.dictionaries(_MEMBER_NAMES, _MEMBER_DATA, max_size=4), cut=st.integers(0, 30))
def test_random_archives_read_or_refuse_cleanly(members: dict, cut: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        data = buffer.getvalue()
        path.write_bytes(data[: len(data) - cut])
        try:
            report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
        except ReadError:
            pass
        else:
            assert len(report.accepted) + len(report.rejected) == report.rows_read
        assert sorted(p.name for p in Path(folder).iterdir()) == ["fuzz.zip"]


@_FUZZ
@given(
    opens=st.lists(
        st.sampled_from(["[", '{"a":', '{"features":', '{"type":"Feature","g":']), max_size=300
    ),
    tail=st.sampled_from(["1", "null", '"x"', "[]", "{}"]),
)
def test_random_nested_json_reads_or_refuses_cleanly(opens: list[str], tail: str) -> None:
    closing = "".join("]" if o == "[" else "}" for o in reversed(opens))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nested.json"
        path.write_text("".join(opens) + tail + closing, encoding="utf-8")
        try:
            read_table(path)
        except ReadError as exc:
            assert exc.key in ("read.too_deep", "read.unknown_json", "read.broken")
