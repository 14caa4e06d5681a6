"""`posko store backup`, `posko store verify`, `posko store migrate`, what history and
rollback say about the store, and two processes sharing one PostGIS database."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from geo import audit
from geo.access import Actor
from geo.accounts import Accounts, SignInFailed
from geo.db import DATABASE_URL_ENV, Database
from geo.model import AuditAction, Role
from geo.operation import SAMPLE_OPERATION, load_operation, store_for
from geo.pgstore import PostgisStore
from geo.plans import Plans
from geo.store import Store, sites_checksum
from tests.geo.test_importer import GOOD, write_csv
from tests.geo.test_store_defences import _drop_layer

ROOT = Path(__file__).resolve().parent.parent
_MOVED = (
    r"(?P<op>\w+) v(?P<v>\d+): (?P<rows>[\d,]+) → (?P<moved>[\d,]+) sites, "
    r"SHA-256 (?P<sha>[0-9a-f]{64}) → (?P<sha_moved>[0-9a-f]{64}): same"
)


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


# --- moving a workspace into PostGIS, and two processes on one database ---------------------


def _workspace(tmp_path: Path, folder: Path) -> Path:
    """The fixture's workspace, with plans and a version of its own areas, plus a second
    operation that has only its seed saved."""
    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    info = plans.create("Rencana B", operation.plan_content.with_post_removed("POST-MAKO"), who="t")
    plans.set_status(info.plan_id, "proposed", base_version=1, who="Kabag Ops")
    plans.set_current(info.plan_id, who="Kabag Ops")
    areas = operation.areas.iloc[:5]
    store_for(folder).save(operation.sites, action="areas", base_version=3, areas=areas)
    other = tmp_path / "polres_b"
    shutil.copytree(SAMPLE_OPERATION, other)
    seed = load_operation(other)
    store_for(other).save(seed.sites, action="initial", base_version=None)
    return tmp_path


def _state(folder: Path) -> tuple:
    """What an operation holds: history, each version's sites and areas, plans, contents."""
    store, plans = store_for(folder), Plans(folder)
    versions = store.history()
    return (
        versions,
        [sites_checksum(store.read_sites(v.version)) for v in versions],
        [
            None if a is None else len(a)
            for a in map(store.read_areas, [v.version for v in versions])
        ],
        plans.list(),
        [plans.history(p.plan_id) for p in plans.list()],
        [plans.content(p.plan_id).to_json() for p in plans.list()],
        sorted(load_operation(folder).sites["site_id"]),
    )


def test_migrate_moves_every_operation_without_loss(
    folder: Path, tmp_path: Path, postgis_url: str, monkeypatch, capsys
) -> None:
    workspace = _workspace(tmp_path, folder)
    before = {name: _state(workspace / name) for name in ("latihan", "polres_b")}
    command = ["store", "migrate", "--from", str(workspace), "--to", postgis_url, "--lang", "en"]
    assert main(command) == 0
    out = capsys.readouterr().out.splitlines()
    lines = [re.fullmatch(_MOVED, line) for line in out[:-1]]
    assert all(lines), out
    assert [(m["op"], int(m["v"])) for m in lines] == [
        *(("latihan", n) for n in (1, 2, 3, 4)),
        ("polres_b", 1),
    ]
    for m in lines:
        assert m["rows"] == m["moved"] and m["sha"] == m["sha_moved"]
        source = Store(workspace / m["op"] / "store.gpkg").read_sites(int(m["v"]))
        assert (m["rows"], m["sha"]) == (f"{len(source):,}", sites_checksum(source))
    assert out[-1].startswith("2 operation(s) moved to postgresql://")
    assert "5 versions, 3 plan versions" in out[-1]
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    for name, state in before.items():
        assert isinstance(store_for(workspace / name), PostgisStore)
        assert _state(workspace / name) == state, name
    # a second move into the same database is refused and changes nothing
    assert main(command) == 2
    assert "already holds operation(s) latihan, polres_b" in capsys.readouterr().err
    assert _state(workspace / "latihan") == before["latihan"]


def test_migrate_refuses_a_workspace_with_an_unreadable_version(
    folder: Path, tmp_path: Path, postgis_url: str, monkeypatch, capsys
) -> None:
    _drop_layer(store_for(folder).path, "sites_v0002")
    assert main(["store", "migrate", "--from", str(tmp_path), "--to", postgis_url]) == 2
    err = capsys.readouterr().err
    assert "Versi 2 operasi 'latihan' tidak terbaca" in err and "Traceback" not in err
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    assert not store_for(folder).exists()


def _posko(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_a_save_by_one_process_is_seen_by_another(
    tmp_path: Path, postgis_url: str, monkeypatch
) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    env = {**os.environ, DATABASE_URL_ENV: postgis_url, "PYTHONPATH": str(ROOT)}
    rows = [(f"TPS 7{i:02d}", k, lat, lon, r) for i, (_, k, lat, lon, r) in enumerate(GOOD)]
    csv = write_csv(tmp_path / "tps.csv", rows)
    saved = _posko(
        "import",
        str(csv),
        "--into",
        str(folder),
        "--kind",
        "polling_station",
        "--yes",
        env=env,
    )
    assert saved.returncode == 0, saved.stderr
    seen = _posko("history", str(folder), "--json", env=env)
    assert seen.returncode == 0, seen.stderr
    assert [v["action"] for v in json.loads(seen.stdout)] == ["initial", "import"]
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    names = set(load_operation(folder).sites["name"])  # and by this process, on its next load
    assert {f"TPS 7{i:02d}" for i in range(len(GOOD))} <= names
    assert not (folder / "store.gpkg").exists()


# --- the deployment database (accounts, grants, audit) moves with the workspace -------------

_ADMIN = Actor(name="pemasang", role=Role.VIEWER, grants=frozenset(), method="cli")
_PASSWORD = "sandi-laptop-panjang"


def _deployment(workspace: Path, clock=None) -> Accounts:
    """The laptop's posko.db: an admin, a planner granted latihan, a disabled viewer and a
    locked one; their audit records plus an import's."""
    accounts = Accounts(Database(f"sqlite:///{workspace / 'posko.db'}"))
    accounts.add("kabag", Role.ADMIN, _PASSWORD, by=_ADMIN)
    admin = accounts.sign_in("kabag", _PASSWORD)
    for name, role in (("sari", Role.PLANNER), ("budi", Role.VIEWER), ("kunci", Role.VIEWER)):
        accounts.add(name, role, _PASSWORD, by=admin)
    accounts.grant("sari", "latihan", by=admin)
    accounts.grant("budi", "*", by=admin)
    accounts.disable("budi", by=admin)
    for _ in range(accounts.settings.lockout_failures):
        with pytest.raises(SignInFailed):
            accounts.sign_in("kunci", "salah-salah-salah")
    audit.record(
        "sari",
        AuditAction.IMPORT,
        operation="latihan",
        what="tps.csv",
        sha256="ab" * 32,
        version_before=1,
        version_after=2,
        db=accounts.db,
    )
    return accounts


def _accounts_state(accounts: Accounts) -> list[tuple]:
    return [(u.name, u.role, u.disabled, u.locked_until, u.grants) for u in accounts.users()]


def _contents(records: list) -> list[dict]:
    return [{k: v for k, v in r.to_dict().items() if k != "id"} for r in records]


def test_migrate_moves_accounts_grants_and_audit(
    folder: Path, tmp_path: Path, postgis_url: str, capsys
) -> None:
    workspace = _workspace(tmp_path, folder)
    laptop = _deployment(workspace)
    users, records = _accounts_state(laptop), audit.entries(db=laptop.db)
    command = ["store", "migrate", "--from", str(workspace), "--to", postgis_url, "--lang", "en"]
    assert main(command) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        "Accounts: 4 of 4 moved; grants: 2 of 2; audit records: "
        f"{len(records)} of {len(records)} appended; counts and contents the same."
    ) in out
    server = Accounts(Database(postgis_url))
    assert _accounts_state(server) == users  # roles, disabled, the lockout still running
    assert server.sign_in("sari", _PASSWORD).grants == frozenset({"latihan"})  # hash moved
    moved = audit.entries(db=server.db)
    assert _contents(moved[len(moved) - len(records) :]) == _contents(records)
    assert [r.action for r in moved[: len(moved) - len(records)]] == [
        AuditAction.STORE_MIGRATE,
        AuditAction.STORE_MIGRATE,
    ]
    with server.db.transaction() as con, pytest.raises(Exception, match="append-only"):
        con.execute("UPDATE audit SET who = 'x'")  # the log stays append-only on the target
    assert (workspace / "posko.db").is_file()  # nothing deleted on the laptop
    assert _accounts_state(Accounts(laptop.db)) == users


def test_migrate_refuses_a_database_with_other_users_unless_merging(
    folder: Path, tmp_path: Path, postgis_url: str, monkeypatch, capsys
) -> None:
    workspace = _workspace(tmp_path, folder)
    _deployment(workspace)
    server = Accounts(Database(postgis_url))
    server.add("karo", Role.ADMIN, "sandi-server-panjang", by=_ADMIN)
    karo = server.sign_in("karo", "sandi-server-panjang")
    server.add("sari", Role.VIEWER, "sandi-server-lain", by=karo)  # the server's own sari
    command = ["store", "migrate", "--from", str(workspace), "--to", postgis_url, "--lang", "en"]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "already holds other users (karo, sari); nothing was moved" in err
    assert [u.name for u in server.users()] == ["karo", "sari"]
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    assert not store_for(workspace / "latihan").exists()  # no operation moved either
    monkeypatch.delenv(DATABASE_URL_ENV)
    assert main([*command, "--merge-users"]) == 0
    out = capsys.readouterr().out
    assert "Accounts: 3 of 4 moved (sari already there, their accounts kept)" in out
    assert "grants: 1 of 1" in out  # budi's; sari's laptop grant stays behind with her
    assert [u.name for u in server.users()] == ["budi", "kabag", "karo", "kunci", "sari"]
    sari = server.sign_in("sari", "sandi-server-lain")
    assert (sari.role, sari.grants) == (Role.VIEWER, frozenset())
