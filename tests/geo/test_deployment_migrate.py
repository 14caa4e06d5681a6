"""`migrate_deployment`: accounts, grants and the audit log copied into another deployment
database, on both engines as the target (the SQLite file of another workspace, PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo import audit
from geo.access import Actor
from geo.accounts import Accounts
from geo.db import Database
from geo.errors import PoskoError
from geo.model import AuditAction, Role
from geo.storemigrate import migrate_deployment
from geo.text import Text

SETUP = Actor(name="pemasang", role=Role.VIEWER, grants=frozenset(), method="cli")
PASSWORD = "sandi-uji-panjang"


@pytest.fixture(params=["sqlite", "postgis"])
def target(request, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'server' / 'posko.db'}")
    return Database(request.getfixturevalue("postgis_url"))


def _laptop(tmp_path: Path) -> Accounts:
    accounts = Accounts(Database(f"sqlite:///{tmp_path / 'laptop' / 'posko.db'}"))
    accounts.add("kabag", Role.ADMIN, PASSWORD, by=SETUP)
    admin = accounts.sign_in("kabag", PASSWORD)
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    accounts.grant("sari", "latihan", by=admin)
    audit.record(
        "sari", AuditAction.PLAN_SAVE, operation="latihan", what="old English text", db=accounts.db
    )
    detail = Text("audit.what.plan", {"plan": "Rencana A", "plan_id": "plan-1"})
    audit.record("sari", AuditAction.PLAN_SAVE, operation="latihan", what=detail, db=accounts.db)
    return accounts


def _contents(db: Database) -> list[dict]:
    return [{k: v for k, v in r.to_dict().items() if k != "id"} for r in audit.entries(db=db)]


def test_everything_arrives_once_and_the_log_stays_append_only(
    tmp_path: Path, target: Database
) -> None:
    laptop = _laptop(tmp_path)
    move = migrate_deployment(laptop.db, target)
    assert (move.users, move.users_moved, move.grants, move.grants_moved) == (2, 2, 1, 1)
    assert move.audit == move.audit_moved == len(audit.entries(db=laptop.db))
    assert _contents(target) == _contents(laptop.db)
    server = Accounts(target)
    assert [(u.name, u.role, u.grants) for u in server.users()] == [
        (u.name, u.role, u.grants) for u in laptop.users()
    ]
    assert server.sign_in("kabag", PASSWORD).role is Role.ADMIN
    assert audit.entries(db=target)[0].what_in("en") == audit.entries(db=laptop.db)[0].what_in("en")
    with target.transaction() as con, pytest.raises(Exception, match="append-only"):
        con.execute("DELETE FROM audit")
    # the same users again: nothing to add, and no record of the log appended twice
    again = migrate_deployment(laptop.db, target)
    assert (again.users_moved, again.users_kept) == (0, ("kabag", "sari"))
    assert (again.audit, again.audit_moved, again.audit_skipped) == (move.audit, 0, move.audit)
    assert _contents(target) == _contents(laptop.db)


def test_a_second_move_appends_only_the_records_made_since(
    tmp_path: Path, target: Database
) -> None:
    laptop = _laptop(tmp_path)
    first = migrate_deployment(laptop.db, target)
    # two equal records made since (same content, distinct times) and one the same as moved
    for _ in range(2):
        audit.record("sari", AuditAction.EXPORT_CSV, operation="latihan", what="x", db=laptop.db)
    second = migrate_deployment(laptop.db, target)
    assert (second.audit, second.audit_moved, second.audit_skipped) == (
        first.audit + 2,
        2,
        first.audit,
    )
    assert _contents(target) == _contents(laptop.db)
    assert len({audit.fingerprint(r) for r in audit.entries(db=target)}) == first.audit + 2


def test_other_users_refuse_the_move_and_nothing_is_written(
    tmp_path: Path, target: Database
) -> None:
    laptop = _laptop(tmp_path)
    Accounts(target).add("karo", Role.ADMIN, PASSWORD, by=SETUP)
    before = _contents(target)
    with pytest.raises(PoskoError) as refused:
        migrate_deployment(laptop.db, target)
    assert refused.value.key == "store.migrate_users_differ"
    assert [u.name for u in Accounts(target).users()] == ["karo"]
    assert _contents(target) == before
