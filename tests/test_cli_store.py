"""`posko store backup`, `posko store verify`, and what history and rollback say about the store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli import main
from geo.operation import SAMPLE_OPERATION, load_operation, store_for
from geo.store import Store
from tests.geo.test_store_defences import _drop_layer


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the sample with three saved versions."""
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    sites = load_operation(folder).sites
    store = store_for(folder)
    store.save(sites, action="initial", base_version=None)
    store.save(sites.iloc[:-2], action="import", base_version=1, who="Bag Ops")
    store.save(sites.iloc[:-4], action="import", base_version=2, who="Bag Ops")
    return folder


def test_backup_prints_the_copy_it_made(folder: Path, capsys) -> None:
    assert main(["store", "backup", "--operation", str(folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out.strip()
    (backup,) = store_for(folder).backups()
    assert out == f"backup written: {backup}"
    assert [v.version for v in Store(backup).history()] == [1, 2, 3]


def test_verify_reports_every_version_and_fails_on_damage(folder: Path, capsys) -> None:
    assert main(["store", "verify", "--operation", str(folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.count("good (") == 3 and "3 of 3 versions good" in out
    assert "SQLite check of the whole file: ok" in out
    _drop_layer(store_for(folder).path, "sites_v0002")
    assert main(["store", "verify", "--operation", str(folder), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(v["version"], v["ok"]) for v in report["versions"]] == [
        (1, True),
        (2, False),
        (3, True),
    ]
    assert report["versions"][1]["problem"] == "lapisan 'sites_v0002' hilang"


def test_history_and_coverage_warn_about_a_skipped_version(folder: Path, capsys) -> None:
    _drop_layer(store_for(folder).path, "sites_v0003")
    assert main(["history", str(folder), "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert "warning: v3 " in err and "layer 'sites_v0003' is missing" in err
    assert [line[:2] for line in out.splitlines()] == ["v1", "v2"]
    assert main(["coverage", str(folder), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "warning: Version 3 (" in err and "version 2 is shown" in err


def test_a_damaged_store_fails_every_command_clearly(folder: Path, capsys) -> None:
    path = store_for(folder).path
    path.write_bytes(b"")
    for command in (
        ["history", str(folder)],
        ["coverage", str(folder)],
        ["rollback", str(folder), "1", "--yes"],
        ["store", "verify", "--operation", str(folder)],
        ["store", "backup", "--operation", str(folder)],
    ):
        assert main([*command, "--lang", "en"]) == 2, command
        err = capsys.readouterr().err
        assert "is DAMAGED (0 bytes)" in err and "Traceback" not in err, command
    assert path.read_bytes() == b""


def test_rollback_says_where_its_backup_is(folder: Path, capsys) -> None:
    assert main(["rollback", str(folder), "1", "--yes", "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    (backup,) = store_for(folder).backups()
    assert err.strip() == f"backup written: {backup}"
    assert "version 1 restored as version 4" in out
