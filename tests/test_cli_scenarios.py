"""`posko scenarios`: the operation's demonstration scenarios, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString

from cli import main
from geo.operation import load_operation
from geo.scenarios import SCENARIOS_FILE, load_scenarios, scenarios_report
from tests.conftest import offset, one_reserve_scenario


def test_json_is_the_scenarios_report(op_folder: Path, capsys) -> None:
    assert main(["scenarios", str(op_folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == scenarios_report(load_scenarios(load_operation(op_folder)))
    gubernur = report["scenarios"][0]
    assert (gubernur["target"], gubernur["deployed"], gubernur["total"]) == (
        "GOV-GUBERNUR",
        205,
        445,
    )
    assert report["late_after_min"] == 30


def test_text_lists_each_scenario_with_its_figures(op_folder: Path, capsys) -> None:
    assert main(["scenarios", str(op_folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Unjuk rasa penetapan hasil di Kantor Gubernur — Kantor Gubernur" in out
    assert "(phase Recapitulation)" in out  # the phase by its catalog name
    assert "Personnel on the rings" in out and "205" in out
    assert "Arriving after more than 30 min: BKO Polres Bangka (Sungailiat)." in out
    assert "Expected crowd: 1,500 people (assumption)." in out


def test_an_invalid_file_is_refused_with_its_problems(op_folder: Path, capsys) -> None:
    path = op_folder / SCENARIOS_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace('target = "GOV-DPRD"', 'target = "GOV-XX"'),
        encoding="utf-8",
    )
    assert main(["scenarios", str(op_folder)]) == 2  # invalid input
    err = capsys.readouterr().err
    assert "Berkas skenario 'scenarios.toml' tidak sah" in err
    assert "`scenario[2].target` berisi 'GOV-XX'" in err


def test_an_operation_without_scenarios_says_so(op_folder: Path, capsys) -> None:
    (op_folder / SCENARIOS_FILE).unlink()
    assert main(["scenarios", str(op_folder), "--lang", "en"]) == 0
    assert "has no demonstration scenarios yet" in capsys.readouterr().out


def _road_file(tmp_path: Path, *lines: list[tuple[float, float]]) -> Path:
    path = tmp_path / "roads.geojson"
    frame = gpd.GeoDataFrame(geometry=[LineString(x) for x in lines], crs="EPSG:4326")
    frame.to_file(path, driver="GeoJSON")
    return path


def test_roads_give_the_reserves_arrival_along_them(
    op_folder: Path, tmp_path: Path, capsys
) -> None:
    target = (106.148946, -2.150351)  # GOV-GUBERNUR in the sample
    corner = offset(*target, 180, 4_000)
    base = offset(*corner, 270, 3_000)
    one_reserve_scenario(op_folder, base)
    roads = _road_file(tmp_path, [base, corner, target])
    assert main(["scenarios", str(op_folder), "--roads", str(roads), "--json"]) == 0
    (reserve,) = json.loads(capsys.readouterr().out)["scenarios"][0]["reserves"]
    # 7 km of road at 42 km/h: 10 minutes (straight, 5 km)
    assert reserve["routed"] and reserve["distance_m"] == 5000
    assert abs(reserve["road_m"] - 7000) <= 7 and reserve["minutes"] == 10.0
    assert main(["scenarios", str(op_folder), "--roads", str(roads), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "42 km/h, 7.0 km by road" in out
    assert "shortest distance along the road file" in out


def test_a_base_off_the_roads_keeps_its_straight_line_and_says_why(
    op_folder: Path, tmp_path: Path, capsys
) -> None:
    target = (106.148946, -2.150351)
    one_reserve_scenario(op_folder, offset(*target, 270, 5_000))
    roads = _road_file(tmp_path, [target, offset(*target, 0, 1_000)])
    assert main(["scenarios", str(op_folder), "--roads", str(roads), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert (
        "straight line: the base or the target lies more than 300 m from every road of the "
        "road file" in out
    )
    assert "by road" not in out
    assert "shortest distance along the road file" not in out  # the assumption: straight lines
    assert main(["scenarios", str(op_folder), "--roads", str(roads), "--json"]) == 0
    (scenario,) = json.loads(capsys.readouterr().out)["scenarios"]
    (arrival,) = scenario["reserves"]
    assert (arrival["routed"], arrival["unrouted"]) == (False, "off_road")
