"""Boundaries imported through the command line and the import page, and an operation folder
holding a raw boundary file (`kode`, `nama`, no `level`) under `posko coverage` and `brief`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cli import main
from geo.operation import SAMPLE_OPERATION, load_operation, store_for

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
BOUNDARIES = ROOT / "data" / "pangkalpinang_kelurahan_19.71.geojson"


@pytest.fixture
def latihan(tmp_path: Path, monkeypatch) -> Path:
    """A scratch copy of the sample in a scratch workspace."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    return folder


def _shifted_boundaries(path: Path, dx: float = 0.0005) -> Path:
    """The published kelurahan file, every outline moved `dx` degrees east."""
    frame = gpd.read_file(BOUNDARIES)
    frame["geometry"] = frame.geometry.translate(dx, 0.0)
    frame.to_file(path, driver="GeoJSON")
    return path


# --- command line --------------------------------------------------------------------------


def test_cli_imports_boundaries_dry_run_then_yes(latihan: Path, tmp_path: Path, capsys) -> None:
    path = _shifted_boundaries(tmp_path / "kelurahan.geojson")
    command = ["import", str(path), "--areas", "--into", "latihan", "--lang", "en"]
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "42 accepted, 0 rejected" in out and "area_level_derived" in out
    assert "kelurahan/desa: 42 → 42 areas (replaced as a whole)" in out
    assert "dry run" in out
    assert store_for(latihan).history() == []  # nothing written
    assert main(["--as", "Bag Ops", *command, "--yes"]) == 0
    assert "boundaries saved as version 2" in capsys.readouterr().out
    history = store_for(latihan).history()
    assert [(v.action, v.areas_layer, v.who) for v in history][-1] == (
        "areas",
        "areas_v0002",
        "Bag Ops",
    )
    moved = load_operation(latihan).areas
    assert moved.total_bounds[0] == pytest.approx(
        gpd.read_file(BOUNDARIES).total_bounds[0] + 0.0005, abs=1e-6
    )
    assert main([*command, "--yes"]) == 0  # the same file again
    assert "Nothing changes" in capsys.readouterr().out
    assert len(store_for(latihan).history()) == 2
    assert main(["rollback", "latihan", "1", "--yes", "--lang", "en"]) == 0
    capsys.readouterr()
    assert load_operation(latihan).areas.total_bounds[0] == pytest.approx(
        gpd.read_file(BOUNDARIES).total_bounds[0], abs=1e-6
    )


def test_cli_refuses_boundaries_without_level(latihan: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "blok.geojson"
    frame = gpd.read_file(BOUNDARIES).head(3).assign(kode=["A1", "A2", "A3"])
    frame.to_file(path, driver="GeoJSON")
    rejected = tmp_path / "rejected.csv"
    command = ["import", str(path), "--areas", "--into", "latihan", "--lang", "en"]
    assert main([*command, "--rejected", str(rejected)]) == 1
    captured = capsys.readouterr()
    assert "area_no_level" in captured.out and "`level`" in captured.out
    assert "nothing to save" in captured.err
    assert rejected.read_text(encoding="utf-8").count("area_no_level") == 3
    assert main([*command, "--level", "sector", "--yes"]) == 0
    assert "version 2" in capsys.readouterr().out
    levels = load_operation(latihan).areas["level"].value_counts().to_dict()
    assert levels == {"kelurahan": 42, "kecamatan": 7, "sector": 3}


def test_cli_columns_named_by_the_planner(latihan: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "wilayah.geojson"
    frame = gpd.read_file(BOUNDARIES).head(4)
    frame = frame.rename(columns={"kode": "ID_WIL", "nama": "LABEL"})
    frame.to_file(path, driver="GeoJSON")
    command = ["import", str(path), "--areas", "--into", "latihan", "--lang", "en"]
    assert main(command) == 1  # nothing it recognises
    assert "area_no_code_name" in capsys.readouterr().out
    assert main([*command, "--map", "code=ID_WIL", "--map", "name=LABEL"]) == 0
    out = capsys.readouterr().out
    assert "4 accepted" in out and "kelurahan/desa: 42 → 4 areas" in out
    assert main([*command, "--map", "risk=LABEL"]) == 2
    assert "field must be one of: code, name" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["coverage", "--json"], ["brief", "-o", "{out}"]])
def test_a_raw_boundary_file_works_in_coverage_and_brief(
    latihan: Path, tmp_path: Path, capsys, command: list[str]
) -> None:
    shutil.copy(BOUNDARIES, latihan / "areas.geojson")  # kode, nama: no level
    args = [c.replace("{out}", str(tmp_path / "brief.html")) for c in command]
    assert main([args[0], str(latihan), *args[1:]]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "KeyError" not in captured.err
    if command[0] == "coverage":
        report = json.loads(captured.out)
        assert (
            report["area_level"] == "kelurahan" and "19.71.02.1003" in report["areas"]["kelurahan"]
        )
    else:
        assert "Batin Tikal" in (tmp_path / "brief.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["coverage"], ["brief", "-o", "{out}"]])
def test_an_unusable_boundary_file_names_the_missing_column(
    latihan: Path, tmp_path: Path, capsys, command: list[str]
) -> None:
    frame = gpd.read_file(BOUNDARIES).head(2).assign(kode=["A1", "A2"])
    frame.to_file(latihan / "areas.geojson", driver="GeoJSON")
    args = [c.replace("{out}", str(tmp_path / "brief.html")) for c in command]
    assert main([args[0], str(latihan), *args[1:], "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "`level`" in err and "areas.geojson" in err and "Traceback" not in err


# --- the import page -----------------------------------------------------------------------


@pytest.fixture
def import_page(latihan: Path) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.run()
    at.switch_page("pages/import_page.py").run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_boundaries_on_the_import_page(import_page: AppTest, latihan: Path, tmp_path: Path) -> None:
    at = import_page
    at.radio(key="imp_what").set_value("areas").run()
    assert any("kode Kemendagri/BPS" in i.value for i in at.info)  # what a file needs
    data = _shifted_boundaries(tmp_path / "kel.geojson").read_bytes()
    at.file_uploader(key="imp_upload").set_value(("kel.geojson", data, "application/geo+json"))
    at.run()
    assert not at.exception, at.exception
    assert _metric(at, "Diterima") == "42" and _metric(at, "Ditolak") == "0"
    assert any("dibentuk dengan menggabungkan" in i.value for i in at.info)  # kecamatan derived
    assert at.button(key="imp_area_save").disabled  # not before the change is confirmed
    confirm = at.checkbox(key="imp_area_confirm")
    assert "kelurahan/desa 42 → 42" in confirm.label
    confirm.check().run()
    at.button(key="imp_area_save").click().run()
    assert not at.exception, at.exception
    assert any("versi 2" in s.value for s in at.success)
    assert store_for(latihan).history()[-1].areas_layer == "areas_v0002"
    at.switch_page("pages/map_page.py").run()
    assert not at.exception, at.exception


def test_a_boundary_file_without_level_is_reported_not_saved(
    import_page: AppTest, tmp_path: Path
) -> None:
    at = import_page
    at.radio(key="imp_what").set_value("areas").run()
    path = tmp_path / "blok.geojson"
    gpd.read_file(BOUNDARIES).head(2).assign(kode=["A1", "A2"]).to_file(path, driver="GeoJSON")
    at.file_uploader(key="imp_upload").set_value(("blok.geojson", path.read_bytes(), "text/json"))
    at.run()
    assert not at.exception, at.exception
    assert _metric(at, "Ditolak") == "2"
    issues = next(d.value for d in at.dataframe if "Kode" in d.value.columns)
    assert set(issues["Kode"]) == {"area_no_level"}
    assert issues["Temuan"].str.contains("`level`").all()
    assert not [b for b in at.button if b.key == "imp_area_save"]
    at.selectbox(key="imp_area_level").set_value("sector").run()  # the planner says it
    assert not at.exception, at.exception
    assert _metric(at, "Ditolak") == "0"
    assert "sektor 0 → 2" in at.checkbox(key="imp_area_confirm").label
