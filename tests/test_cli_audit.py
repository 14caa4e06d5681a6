"""`posko audit`, audited CLI changes and exports, unknown operation names, and a package
folder that no command ever writes into."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from cli import main
from geo import audit
from geo.audit import readable_time
from geo.operation import SAMPLE_OPERATION, WORKSPACE_ENV, load_operation
from tests.lists import kpu_list

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("geo", "layers", "pages")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def latihan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "ws"))
    folder = tmp_path / "ws" / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    return folder


def test_audit_json_lists_every_change_newest_first(latihan: Path, capsys, tmp_path) -> None:
    written = kpu_list(load_operation(latihan), tmp_path / "kpu.csv", kelurahan=1, new=2)
    digest = hashlib.sha256(written.path.read_bytes()).hexdigest()
    command = ["import", str(written.path), "--into", "latihan", "--kind", "polling_station"]
    assert _run(capsys, "--as", "Bag Ops", *command, "--yes")[0] == 0
    assert _run(capsys, "--as", "ani", "plan", "new", "latihan", "Rencana B")[0] == 0
    assert _run(capsys, "--as", "Kapolres", "rollback", "latihan", "1", "--yes")[0] == 0
    out = tmp_path / "brief.html"
    assert _run(capsys, "--as", "Kabag Ops", "brief", "latihan", "-o", str(out))[0] == 0
    code, text, _ = _run(capsys, "audit", "latihan", "--json")
    assert code == 0
    records = json.loads(text)
    assert [(r["action"], r["who"]) for r in records] == [
        ("export_briefing", "Kabag Ops"),
        ("rollback", "Kapolres"),
        ("plan_new", "ani"),
        ("import", "Bag Ops"),
    ]
    imported = records[-1]
    assert imported["sha256"] == digest and imported["operation"] == "latihan"
    assert (imported["version_before"], imported["version_after"]) == (1, 2)
    assert (records[1]["version_before"], records[1]["version_after"]) == (2, 3)
    assert imported["at"].endswith("+00:00")  # stored and given as UTC
    code, text, _ = _run(capsys, "audit", "latihan", "--json", "--limit", "1")
    assert [r["action"] for r in json.loads(text)] == ["export_briefing"]


def test_audit_text_shows_times_in_the_operations_zone(latihan: Path, capsys, tmp_path) -> None:
    toml = latihan / "operation.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("[operation]", '[operation]\ntime_zone = "WIT"'),
        encoding="utf-8",
    )
    code, text, _ = _run(capsys, "audit", "latihan", "--lang", "en")
    assert (code, text.strip()) == (0, "No audit records for latihan yet.")
    assert _run(capsys, "--as", "ani", "plan", "new", "latihan", "Rencana B")[0] == 0
    code, text, _ = _run(capsys, "audit", "latihan")
    head, line = text.strip().splitlines()
    assert head == "Jejak audit latihan (waktu WIT):"
    assert " WIT  ani " in line and "Rencana baru" in line and "'Rencana B'" in line
    record = json.loads(_run(capsys, "audit", "latihan", "--json")[1])[0]
    assert line.startswith(readable_time(datetime.fromisoformat(record["at"]), "WIT"))
    code, text, _ = _run(capsys, "history", "latihan")
    assert code == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["coverage", "nowhere"],
        ["brief", "nowhere", "-o", "x.html"],
        ["history", "nowhere"],
        ["audit", "nowhere"],
        ["rollback", "nowhere", "1", "--yes"],
        ["import", "x.csv", "--into", "nowhere"],
        ["plan", "list", "nowhere"],
        ["store", "backup", "--operation", "nowhere"],
        ["coverage", "docs"],  # a folder of the project, not an operation
    ],
)
def test_an_unknown_operation_is_refused_naming_those_that_exist(
    argv: list[str], latihan: Path, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = _run(capsys, *argv, "--lang", "en")
    assert code == 1
    name = argv[argv.index("--into") + 1] if "--into" in argv else None
    name = name or ("nowhere" if "nowhere" in argv else "docs")
    assert f"Operation {name!r} not found" in err
    assert "latihan, pangkalpinang" in err
    assert not (ROOT / "docs" / "store.gpkg").exists()


def _package_files() -> dict[str, tuple[int, int]]:
    """Every file of the installed packages (here: the project's own folders), with its size
    and modification time."""
    files = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                files[str(path.relative_to(ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return files


def test_no_command_writes_inside_the_package(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "ws"))
    monkeypatch.chdir(SAMPLE_OPERATION)  # the package folder itself as the working folder
    before = _package_files()
    written = kpu_list(load_operation(SAMPLE_OPERATION), tmp_path / "kpu.csv", new=1)
    sample = str(SAMPLE_OPERATION)
    for argv in (
        ["import", str(written.path), "--into", "pangkalpinang", "--yes"],
        ["import", str(written.path), "--into", sample, "--yes"],
        ["--as", "ani", "plan", "new", sample, "Rencana B"],
        ["--as", "ani", "plan", "set-current", "pangkalpinang", "Rencana B"],
        ["rollback", "pangkalpinang", "1", "--yes"],
        ["brief", "pangkalpinang", "-o", str(tmp_path / "b.html")],
        ["store", "backup", "--operation", "pangkalpinang"],
        ["history", "pangkalpinang"],
        ["audit", "pangkalpinang"],
        ["coverage", "."],
    ):
        assert _run(capsys, *argv)[0] == 0, argv
    assert len(json.loads(_run(capsys, "audit", "pangkalpinang", "--json")[1])) >= 4
    assert _package_files() == before
    assert not list(SAMPLE_OPERATION.glob("*.gpkg*"))


def test_user_and_grant_changes_are_audited_in_the_acting_users_name(
    latihan: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("kata-sandi-panjang-1\n"))
    add = ["--as", "Karo Ops", "user", "add", "citra", "--role", "planner", "--password-stdin"]
    assert _run(capsys, *add)[0] == 0
    assert _run(capsys, "--as", "Karo Ops", "user", "grant", "citra", "latihan")[0] == 0
    records = json.loads(_run(capsys, "audit", "latihan", "--json")[1])
    assert [(r["action"], r["who"]) for r in records] == [("grant", "Karo Ops")]
    everything = audit.entries()
    assert (everything[1].action, everything[1].operation) == ("user_add", None)
    assert "citra" in everything[1].what


def test_audit_details_read_in_the_chosen_language(latihan: Path, capsys, tmp_path) -> None:
    written = kpu_list(load_operation(latihan), tmp_path / "kpu.csv", kelurahan=1, new=2)
    command = ["import", str(written.path), "--into", "latihan", "--kind", "polling_station"]
    assert _run(capsys, *command, "--yes")[0] == 0
    assert _run(capsys, "--as", "Kapolres", "rollback", "latihan", "1", "--yes")[0] == 0
    assert _run(capsys, "--as", "ani", "plan", "new", "latihan", "Rencana B")[0] == 0
    audit.record("lama", audit.AuditAction.ROLLBACK, operation="latihan", what="old text")
    indonesian = _run(capsys, "audit", "latihan")[1].splitlines()
    english = _run(capsys, "audit", "latihan", "--lang", "en")[1].splitlines()
    assert indonesian[1].endswith("old text") and english[1].endswith("old text")  # as written
    assert "rencana 'Rencana B' (" in indonesian[2] and "plan 'Rencana B' (" in english[2]
    assert indonesian[3].endswith("versi 1 dipulihkan")
    assert english[3].endswith("restored version 1")
    (rollback,) = [
        r
        for r in json.loads(_run(capsys, "audit", "latihan", "--json")[1])
        if r["who"] == "Kapolres"
    ]
    assert rollback["what"] == "restored version 1"
    assert json.loads(rollback["detail"]) == {
        "key": "audit.what.rollback",
        "params": {"version": 1},
    }
