"""The command line: brief writes every TPS, coverage --json parses, errors exit 2."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from geo.operation import SAMPLE_OPERATION


def test_coverage_json_parses_and_matches_the_analysis(capsys, sample_analysis) -> None:
    assert main(["coverage", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == json.loads(json.dumps(sample_analysis.report()))
    assert report["kinds"]["polling_station"]["total"] == 311


def test_coverage_radius_override_changes_figures(capsys) -> None:
    main(["coverage", "--json"])
    before = json.loads(capsys.readouterr().out)
    main(["coverage", "--json", "--radius", "polsek=4000"])
    after = json.loads(capsys.readouterr().out)
    assert after["radius_m"]["polsek"] == 4000
    assert (
        after["kinds"]["polling_station"]["uncovered"]
        < before["kinds"]["polling_station"]["uncovered"]
    )


def test_brief_writes_every_tps(tmp_path: Path, sample_operation) -> None:
    out = tmp_path / "brief.html"
    assert main(["brief", "-o", str(out), "--by", "Kabag Ops"]) == 0
    html = out.read_text(encoding="utf-8")
    tips = [json.loads(d) for d in re.findall(r"var tips = (\{.*?\});\n", html)]
    drawn = {i for d in tips for i in d["columns"]["id"].get("v", d["columns"]["id"].get("u"))}
    tps = set(sample_operation.sites.query("kind == 'polling_station'")["site_id"])
    assert tps <= drawn
    assert "TERBATAS" in html
    assert "Kabag Ops" in html
    assert not re.search(r"<script[^>]+src=\"https?:", html)


def test_named_operation_and_bad_arguments(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    assert main(["coverage", "latihan"]) == 0
    assert main(["coverage", "nowhere"]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["coverage", "--radius", "polsek=far"]) == 2
    assert "TYPE=METRES" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "posko"
    if not script.exists():
        pytest.skip("posko console script not installed in this environment")
    result = subprocess.run(
        [str(script), "coverage", "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)["operation"].startswith("Pilkada 2024")
