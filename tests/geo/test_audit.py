"""The audit log: records, order, filters, append-only enforced by the database, times."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from geo import audit
from geo.db import Database
from geo.model import AuditAction, TimeZone, zone_for_longitude
from geo.text import Labels, Text


@pytest.fixture(params=["sqlite", "postgis"])
def audit_db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A fresh deployment database of each engine."""
    if request.param == "sqlite":
        return Database(f"sqlite:///{tmp_path / 'posko.db'}")
    return Database(request.getfixturevalue("postgis_url"))


def _two_records(db: Database) -> tuple[audit.AuditRecord, audit.AuditRecord]:
    first = audit.record(
        "ani",
        AuditAction.IMPORT,
        operation="latihan",
        what="tps.csv",
        version_before=1,
        version_after=2,
        sha256="ab" * 32,
        db=db,
    )
    second = audit.record("budi", AuditAction.USER_ADD, operation=None, what="user 'citra'", db=db)
    return first, second


def test_records_come_back_newest_first_with_every_field(audit_db: Database) -> None:
    first, second = _two_records(audit_db)
    got = audit.entries(db=audit_db)
    assert [r.id for r in got] == [second.id, first.id]
    assert got[1] == first
    assert got[1].at.tzinfo is not None and got[1].at.utcoffset().total_seconds() == 0
    assert got[1].to_dict()["sha256"] == "ab" * 32
    assert got[0].operation is None and got[0].version_before is None


def test_entries_filter_by_operation_action_and_limit(audit_db: Database) -> None:
    _two_records(audit_db)
    third = audit.record("ani", AuditAction.PLAN_SAVE, operation="latihan", db=audit_db)
    assert [r.id for r in audit.entries("latihan", db=audit_db, limit=1)] == [third.id]
    assert [r.action for r in audit.entries("latihan", db=audit_db)] == [
        AuditAction.PLAN_SAVE,
        AuditAction.IMPORT,
    ]
    only = audit.entries(db=audit_db, actions=[AuditAction.USER_ADD])
    assert [r.who for r in only] == ["budi"]
    assert audit.entries("other", db=audit_db) == []
    assert audit.entries(db=audit_db, actions=[]) == []


def test_reading_an_empty_database_writes_nothing(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'posko.db'}")
    assert audit.entries(db=db) == []
    assert db.applied("audit") == []


def test_the_database_refuses_to_change_or_delete_a_record(audit_db: Database) -> None:
    first, _ = _two_records(audit_db)
    for statement in (
        "UPDATE audit SET who = 'mallory' WHERE id = ?",
        "DELETE FROM audit WHERE id = ?",
    ):
        with pytest.raises(Exception, match="append-only"), audit_db.transaction() as con:
            con.execute(statement, (first.id,))
    assert audit.entries(db=audit_db)[-1] == first
    assert len(audit.entries(db=audit_db)) == 2


def test_the_sqlite_file_refuses_changes_from_any_program(tmp_path: Path) -> None:
    """The triggers live in the file: a plain sqlite3 connection is refused too."""
    import sqlite3

    db = Database(f"sqlite:///{tmp_path / 'posko.db'}")
    _two_records(db)
    con = sqlite3.connect(tmp_path / "posko.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit")
    con.close()
    assert len(audit.entries(db=db)) == 2


def test_an_unknown_action_is_refused_before_anything_is_written(audit_db: Database) -> None:
    with pytest.raises(ValueError):
        audit.record("ani", "delete_everything", operation="x", db=audit_db)  # type: ignore[arg-type]
    assert audit.entries(db=audit_db) == []


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        (TimeZone.WIB, "29-11-2026 14:05 WIB"),
        (TimeZone.WITA, "29-11-2026 15:05 WITA"),
        (TimeZone.WIT, "29-11-2026 16:05 WIT"),
    ],
)
def test_times_read_in_the_operations_zone(zone: TimeZone, shown: str) -> None:
    moment = datetime(2026, 11, 29, 7, 5, tzinfo=UTC)
    assert audit.readable_time(moment, zone) == shown
    assert audit.readable_time(moment.replace(tzinfo=None), zone) == shown


@pytest.mark.parametrize("month", range(1, 13))
def test_zones_have_no_daylight_saving(month: int) -> None:
    moment = datetime(2026, month, 15, 23, 30, tzinfo=UTC)
    assert audit.readable_time(moment, "WIT") == f"16-{month:02d}-2026 08:30 WIT"
    assert audit.readable_time(moment, "WIB") == f"16-{month:02d}-2026 06:30 WIB"


@pytest.mark.parametrize(
    ("lon", "zone"),
    [
        (95.3, TimeZone.WIB),  # Banda Aceh
        (106.1, TimeZone.WIB),  # Pangkalpinang
        (113.9, TimeZone.WIB),  # Palangka Raya
        (114.6, TimeZone.WITA),  # Banjarmasin
        (115.2, TimeZone.WITA),  # Denpasar
        (124.8, TimeZone.WITA),  # Manado
        (128.2, TimeZone.WIT),  # Ambon
        (140.7, TimeZone.WIT),  # Jayapura
    ],
)
def test_the_default_zone_follows_the_longitude(lon: float, zone: TimeZone) -> None:
    assert zone_for_longitude(lon) == zone


def test_postgresql_refuses_to_truncate_the_log(postgis_url: str) -> None:
    db = Database(postgis_url)
    _two_records(db)
    with pytest.raises(Exception, match="append-only"), db.transaction() as con:
        con.execute("TRUNCATE audit")
    assert len(audit.entries(db=db)) == 2


# --- what changed, in the reader's language ---------------------------------------------------


def test_a_catalog_detail_is_kept_as_key_and_values_and_read_in_either_language(
    audit_db: Database,
) -> None:
    role = Labels("role", {"values": ("planner",)})
    audit.record(
        "kabag",
        AuditAction.USER_ADD,
        operation=None,
        what=Text("audit.what.user_add", {"name": "sari", "role": role}),
        db=audit_db,
    )
    (got,) = audit.entries(db=audit_db)
    assert got.what == "user 'sari' added as Planner"  # the English, for older readers
    assert got.what_in("id") == "pengguna 'sari' ditambahkan sebagai Perencana"
    assert got.what_in("en") == got.what
    assert got.to_dict()["detail"] == (
        '{"key": "audit.what.user_add", "params": {"name": "sari", '
        '"role": {"labels": "role", "values": ["planner"]}}}'
    )
    with pytest.raises(TypeError):  # nothing JSON cannot keep, and nothing written then
        audit.record(
            "x",
            AuditAction.GRANT,
            operation=None,
            what=Text("audit.what.grant", {"name": object(), "operation": "a"}),
            db=audit_db,
        )
    assert len(audit.entries(db=audit_db)) == 1


def test_records_from_before_details_show_their_english_as_written(tmp_path: Path) -> None:
    """A log written before the detail column (migration 1 only) reads as it is, unmigrated,
    and keeps its text once the column is added."""
    db = Database(f"sqlite:///{tmp_path / 'posko.db'}")
    db.migrate(audit.MIGRATIONS[:1])
    with db.transaction() as con:
        con.execute(
            "INSERT INTO audit (at_utc, who, action, operation, what, sha256) "
            "VALUES ('2026-11-01T02:00:00+00:00', 'ani', 'rollback', 'latihan', "
            "'restored version 2', '')"
        )
    (old,) = audit.entries(db=db)
    assert (old.detail, old.what_in("id")) == (None, "restored version 2")
    assert db.applied("audit") == [1]  # reading never migrates
    audit.record(
        "ani",
        AuditAction.ROLLBACK,
        operation="latihan",
        what=Text("audit.what.rollback", {"version": 3}),
        db=db,
    )
    new, old = audit.entries(db=db)
    assert (new.what_in("id"), old.what_in("id")) == ("versi 3 dipulihkan", "restored version 2")
