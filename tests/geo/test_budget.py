"""The time budget of an import: checked every few thousand rows and between stages."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest

import geo.io
from cli import main
from geo.errors import SettingsError
from geo.importer import ImportChoices, ImportContext, import_sites
from geo.io import Deadline, ReadError
from geo.model import Kind, load_settings
from geo.operation import SAMPLE_OPERATION
from geo.text import localized

ROW = "TPS 001;-2.1378;106.1416"


def _csv(path: Path, rows: int) -> Path:
    path.write_text("nama;lintang;bujur\n" + f"{ROW}\n" * rows, encoding="utf-8")
    return path


@pytest.fixture
def clock(monkeypatch) -> None:
    """A clock that moves one second each time it is read."""
    ticks = itertools.count()
    monkeypatch.setattr(geo.io.time, "monotonic", lambda: float(next(ticks)))


def test_a_spent_budget_stops_the_import_with_a_message(tmp_path: Path) -> None:
    path = _csv(tmp_path / "tps.csv", 3)
    context = ImportContext(time_budget_s=0)
    with pytest.raises(ReadError) as info:
        import_sites(path, ImportChoices(kind=Kind.POLLING_STATION), context)
    assert info.value.key == "read.time_budget"
    assert str(info.value).startswith(
        "Reading and checking file 'tps.csv' took longer than the 0 s allowed"
    )
    assert "naikkan `[import] time_budget_s`" in localized(info.value, "id")


def test_the_reader_checks_every_few_thousand_rows(tmp_path: Path, clock) -> None:
    path = _csv(tmp_path / "tps.csv", 4 * geo.io._ROWS_PER_CHECK)
    deadline = Deadline(2.5, "tps.csv")  # made at 0: checks at 1 and 2 pass, 3 is late
    records = []
    real = geo.io._check_columns

    def counting(label: str, columns: int) -> None:
        records.append(columns)
        real(label, columns)

    geo.io._check_columns = counting
    try:
        with pytest.raises(ReadError, match=re.escape("longer than the 2.5 s allowed")):
            geo.io.read_table(path, deadline=deadline)
    finally:
        geo.io._check_columns = real
    # stopped in the first pass, at the third check: 2 * N records were counted
    assert len(records) == 2 * geo.io._ROWS_PER_CHECK


def test_the_budget_is_checked_between_stages(tmp_path: Path, clock, monkeypatch) -> None:
    path = _csv(tmp_path / "tps.csv", 2)
    reached = []
    monkeypatch.setattr(
        "geo.importer._pipeline.check_repeated_rows", lambda *a: reached.append("repeated")
    )
    # made at 0; the reader checks at 1, 2 (both passes) and 3 (after reading); the stages
    # at 4 and 5: a budget of 4.5 stops the import before the repeated-rows check
    context = ImportContext(time_budget_s=4.5)
    with pytest.raises(ReadError, match=re.escape("longer than the 4.5 s allowed")):
        import_sites(path, ImportChoices(kind=Kind.POLLING_STATION), context)
    assert reached == []


def test_the_budget_comes_from_the_settings(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    settings = folder / "operation.toml"
    assert load_settings(settings).import_time_budget_s == 60.0
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("[import]", "[import]\ntime_budget_s = 0"), encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape("import.time_budget_s")):
        load_settings(settings)
    settings.write_text(
        text.replace("[import]", "[import]\ntime_budget_s = 1e-9"), encoding="utf-8"
    )
    assert load_settings(settings).import_time_budget_s == 1e-9
    path = _csv(tmp_path / "tps.csv", 3)
    code = main(["check", str(path), "--operation", str(folder), "--kind", "polling_station"])
    assert code == 2
    err = capsys.readouterr().err
    assert "melebihi batas waktu 1e-09 detik" in err and "Traceback" not in err
