"""A new operation before its first import: settings and areas, no sites yet."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cli import main
from geo.operation import SAMPLE_OPERATION, load_operation
from tests.geo.test_importer import GOOD, write_csv


@pytest.fixture(params=["missing", "empty"])
def new_operation(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / "baru"
    folder.mkdir()
    for name in ("operation.toml", "areas.geojson"):
        shutil.copy(SAMPLE_OPERATION / name, folder / name)
    if request.param == "empty":
        (folder / "sites.geojson").write_text('{"type":"FeatureCollection","features":[]}')
    return folder


def test_it_loads_with_no_sites_and_a_note(new_operation: Path) -> None:
    operation = load_operation(new_operation)
    assert operation.sites.empty and operation.version is None
    assert [n.key for n in operation.notes] == ["operation.no_sites"]
    assert len(operation.areas) > 0


def test_coverage_and_staffing_are_zero_with_the_note(new_operation: Path, capsys) -> None:
    assert main(["coverage", str(new_operation), "--json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert all(tally["total"] == 0 for tally in report["kinds"].values())
    assert "no sites yet" not in err and "belum memiliki lokasi" in err
    assert main(["staffing", str(new_operation), "--json", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    staffing = json.loads(out)
    assert (staffing["polri"], staffing["linmas"], staffing["shortfall"]) == (0, 0, 0)
    assert "warning: This operation has no sites yet" in err


def test_the_briefing_is_written_with_the_map_on_the_areas(
    new_operation: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "brief.html"
    assert main(["brief", str(new_operation), "-o", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    lat, lon = map(float, re.search(r"center: \[([-\d.]+), ([-\d.]+)\]", html).groups())
    west, south, east, north = load_operation(new_operation).areas.total_bounds
    assert south <= lat <= north and west <= lon <= east


def test_the_first_import_fills_it(new_operation: Path, tmp_path: Path, capsys) -> None:
    csv = write_csv(tmp_path / "tps.csv", GOOD)
    code = main(
        ["import", str(csv), "--into", str(new_operation), "--kind", "polling_station", "--yes"]
    )
    assert code == 0
    assert "tersimpan sebagai versi 2" in capsys.readouterr().out
    operation = load_operation(new_operation)
    assert len(operation.sites) == len(GOOD) and operation.version == 2
    assert operation.notes == ()
    assert main(["history", str(new_operation), "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [(v["action"], v["sites"]) for v in history] == [("initial", 0), ("import", len(GOOD))]
