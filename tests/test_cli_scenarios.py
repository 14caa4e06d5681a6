"""`posko scenarios`: the operation's demonstration scenarios, as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from cli import main
from geo.operation import load_operation
from geo.scenarios import SCENARIOS_FILE, load_scenarios, scenarios_report


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
