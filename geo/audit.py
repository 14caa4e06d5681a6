"""The audit log: one append-only record per change (who, when, what, versions, SHA-256).

Records live in the deployment database (:mod:`geo.db`, component "audit"): the table
``audit`` refuses every UPDATE and DELETE itself (SQLite triggers; a PostgreSQL trigger that
raises, also on TRUNCATE), so a record once written stays as written whichever program
opens the database. Times are stored in UTC and shown in the operation's time zone
(:func:`readable_time`). Who comes from the signed-in actor of the app or the CLI, never
from a typed name. A record is written after the change it describes succeeded; when the
record cannot be written the caller gets a :class:`~geo.db.DatabaseError` (the change stays
saved, the planner is told the audit failed).

What changed is kept twice: ``what`` in English (the CLI's ``--json``, older readers) and,
for records written from a catalog :class:`~geo.text.Text`, its key and values as JSON
(``detail``), so each reader sees it in their own language (:meth:`AuditRecord.what_in`).
Records from before the ``detail`` column show their English text as written.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from geo.db import Connection, Database, Migration, database
from geo.model import TIME_ZONES, AuditAction, TimeZone
from geo.text import Labels, Text, catalog

__all__ = [
    "MIGRATIONS",
    "UTC_LABEL",
    "AuditRecord",
    "append_records",
    "entries",
    "fingerprint",
    "fingerprints",
    "readable_time",
    "record",
    "same_record",
    "zone_info",
]

# the label of times shown in UTC, when an operation's zone cannot be read (a damaged folder)
UTC_LABEL = "UTC"
_APPEND_ONLY = "audit records are append-only"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "audit",
        1,
        sqlite=(
            "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at_utc TEXT NOT NULL, "
            "who TEXT NOT NULL, action TEXT NOT NULL, operation TEXT, what TEXT NOT NULL, "
            "version_before INTEGER, version_after INTEGER, sha256 TEXT NOT NULL)",
            "CREATE INDEX audit_operation ON audit (operation, id)",
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END",
            "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
            f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END",
        ),
        postgresql=(
            "CREATE TABLE audit (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
            "at_utc TIMESTAMPTZ NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, "
            "operation TEXT, what TEXT NOT NULL, version_before INTEGER, "
            "version_after INTEGER, sha256 TEXT NOT NULL)",
            "CREATE INDEX audit_operation ON audit (operation, id)",
            "CREATE FUNCTION posko_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$",
            "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
            "FOR EACH ROW EXECUTE FUNCTION posko_audit_append_only()",
            "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit "
            "FOR EACH STATEMENT EXECUTE FUNCTION posko_audit_append_only()",
        ),
    ),
    # what changed as a catalog key and its values (JSON), shown in the reader's language
    Migration("audit", 2, sqlite=("ALTER TABLE audit ADD COLUMN detail TEXT",)),
)

_STORED = "at_utc, who, action, operation, what, version_before, version_after, sha256, detail"
_COLUMNS = f"id, {_STORED}"


@dataclass(frozen=True)
class AuditRecord:
    """One audited change.

    Attributes
    ----------
    id
        Its number in the log (increasing).
    at
        When, in UTC.
    who
        The signed-in user (or the CLI's acting user) who made the change.
    action
        What kind of change.
    operation
        The operation's key (folder name); None for a change of the deployment (users).
    what
        What changed, in English (plan name, file name, user name, …).
    version_before, version_after
        The site list's or plan's version before and after (None where none applies).
    sha256
        The imported file's SHA-256 ("" when no file was imported).
    detail
        What changed as a catalog entry with its values (None for records from before
        catalog details, and for free text).
    """

    id: int
    at: datetime
    who: str
    action: AuditAction
    operation: str | None
    what: str
    version_before: int | None
    version_after: int | None
    sha256: str
    detail: Text | None = field(default=None)

    def what_in(self, lang: str) -> str:
        """What changed, in `lang` when the record carries a catalog detail (else its
        English text as written)."""
        if self.detail is None or self.detail.key not in catalog():
            return self.what
        try:
            return self.detail.render(lang)
        except (KeyError, IndexError, ValueError):  # values that no longer fit the entry
            return self.what

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready values (`at` as ISO 8601 UTC)."""
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "who": self.who,
            "action": str(self.action),
            "operation": self.operation,
            "what": self.what,
            "version_before": self.version_before,
            "version_after": self.version_after,
            "sha256": self.sha256,
            "detail": _detail_json(self.detail),
        }


def record(
    who: str,
    action: AuditAction,
    *,
    operation: str | None,
    what: str | Text = "",
    version_before: int | None = None,
    version_after: int | None = None,
    sha256: str = "",
    db: Database | None = None,
) -> AuditRecord:
    """Append one record to the audit log (now, UTC).

    Parameters
    ----------
    who
        The acting user's name (from the sign-in or the CLI's acting user).
    action
        What was done.
    operation
        The operation's key; None for deployment-wide changes (users, grants).
    what
        What changed: a catalog :class:`~geo.text.Text` (values plain text and numbers),
        kept as its key and values and in English; or English text.
    version_before, version_after
        Versions of the site list or plan before and after the change.
    sha256
        The imported file's SHA-256.
    db
        The deployment database (default: :func:`geo.db.database`).

    Raises
    ------
    DatabaseError
        When the database cannot be opened or written.
    """
    db = db or database()
    db.migrate(MIGRATIONS)
    detail = what if isinstance(what, Text) else None
    entry = AuditRecord(
        id=0,
        at=datetime.now(UTC),
        who=who,
        action=AuditAction(action),
        operation=operation,
        what=what.render("en") if isinstance(what, Text) else what,
        version_before=version_before,
        version_after=version_after,
        sha256=sha256,
        detail=detail,
    )
    _detail_json(detail)  # refuse values JSON cannot keep before anything is written
    with db.transaction() as con:
        rid = _insert(con, db.kind, entry)
    return replace(entry, id=rid)


def append_records(con: Connection, kind: str, records: Iterable[AuditRecord]) -> list[AuditRecord]:
    """Append copies of `records` (oldest first) to the log of the database `con` belongs to
    (of `kind`), each keeping its time and content under a new id; return them as read back.

    Used to move a workspace's log into the shared database (``posko store migrate``): the
    log stays append-only there, nothing it held is changed.
    """
    ids = [_insert(con, kind, r) for r in records]
    if not ids:
        return []
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM audit WHERE id >= ? AND id <= ? ORDER BY id", (ids[0], ids[-1])
    ).fetchall()
    ours = set(ids)  # another process may append between them
    return [_from_row(row) for row in rows if int(row[0]) in ours]


def fingerprint(entry: AuditRecord) -> str:
    """A SHA-256 of what a record says (its time to the microsecond, who, what, versions,
    file checksum, detail; not its id): the same record in another log has the same one."""
    said = entry.to_dict() | {"at": entry.at.astimezone(UTC).isoformat(timespec="microseconds")}
    del said["id"]
    return hashlib.sha256(json.dumps(said, sort_keys=True).encode()).hexdigest()


def fingerprints(con: Connection) -> Counter[str]:
    """How many records of each :func:`fingerprint` the log of `con`'s database holds
    (none before its first record)."""
    if not con.has_table("audit"):
        return Counter()
    columns = _COLUMNS if _has_detail(con) else _COLUMNS.removesuffix(", detail")
    rows = con.execute(f"SELECT {columns} FROM audit ORDER BY id").fetchall()
    return Counter(fingerprint(_from_row(row)) for row in rows)


def same_record(a: AuditRecord, b: AuditRecord) -> bool:
    """Whether two records say the same (whatever their ids)."""
    return replace(a, id=0) == replace(b, id=0)


def _insert(con: Connection, kind: str, entry: AuditRecord) -> int:
    values = (
        _stored_time(entry.at, kind),
        entry.who,
        str(entry.action),
        entry.operation,
        entry.what,
        entry.version_before,
        entry.version_after,
        entry.sha256,
        _detail_json(entry.detail),
    )
    marks = ", ".join("?" for _ in values)
    row = con.execute(
        f"INSERT INTO audit ({_STORED}) VALUES ({marks}) RETURNING id", values
    ).fetchone()
    return int(row[0])


def _detail_json(detail: Text | None) -> str | None:
    """A catalog detail as stored: ``{"key": …, "params": {…}}``; values are plain text,
    numbers, vocabulary labels and catalog texts (kept as their keys, rendered when read),
    or a tuple of catalog texts (several changes, read joined by "; ")."""
    if detail is None:
        return None
    return json.dumps(_plain(detail), ensure_ascii=False, sort_keys=True)


def _plain(value: object) -> object:
    if isinstance(value, Labels):
        return {"labels": value.key, "values": [str(v) for v in value.params.get("values", ())]}
    if isinstance(value, Text) and type(value) is Text:
        return {"key": value.key, "params": {k: _plain(v) for k, v in value.params.items()}}
    if isinstance(value, tuple) and all(isinstance(v, Text) for v in value):
        return {"texts": [_plain(v) for v in value]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"an audit detail keeps plain values and catalog texts, not {value!r}")


def _detail(stored: object) -> Text | None:
    if not stored:
        return None
    value = _unplain(json.loads(str(stored)))
    return value if isinstance(value, Text) else None


def _unplain(value: object) -> object:
    if isinstance(value, dict) and "labels" in value:
        return Labels(str(value["labels"]), {"values": tuple(value.get("values") or ())})
    if isinstance(value, dict) and "texts" in value:
        return tuple(_unplain(v) for v in value["texts"] or ())
    if isinstance(value, dict) and "key" in value:
        params = value.get("params") or {}
        return Text(str(value["key"]), {k: _unplain(v) for k, v in params.items()})
    return value


def entries(
    operation: str | None = None,
    *,
    db: Database | None = None,
    limit: int | None = None,
    actions: Iterable[AuditAction] | None = None,
) -> list[AuditRecord]:
    """The audit records, newest first (nothing is written; none before the first record).

    Parameters
    ----------
    operation
        Only this operation's records; None: every record (also deployment-wide ones).
    limit
        At most this many (the newest).
    actions
        Only records of these actions.
    """
    db = db or database()
    where, params = _filters(operation, actions)
    sql = f"SELECT {_COLUMNS} FROM audit{where} ORDER BY id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(int(limit), 0))
    with db.reading() as con:
        if not con.has_table("audit"):
            return []
        if not _has_detail(con):  # a log from before catalog details, read as it is
            sql = sql.replace(f"SELECT {_COLUMNS}", f"SELECT {_COLUMNS.removesuffix(', detail')}")
        rows = con.execute(sql, params).fetchall()
    return [_from_row(row) for row in rows]


def _has_detail(con: Connection) -> bool:
    """Whether the log has its ``detail`` column (migration 2; reading never migrates)."""
    if con.kind == "postgresql":
        row = con.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'audit' "
            "AND column_name = 'detail' AND table_schema = current_schema()"
        ).fetchone()
        return row is not None
    return any(r[1] == "detail" for r in con.execute("PRAGMA table_info(audit)").fetchall())


def zone_info(zone: str) -> tzinfo:
    """The fixed-offset `tzinfo` of "WIB", "WITA" or "WIT" ("UTC" for an operation whose
    zone cannot be read); ValueError for another."""
    if zone == UTC_LABEL:
        return UTC
    return TIME_ZONES[TimeZone(zone)].tzinfo


def readable_time(moment: datetime | str, zone: str) -> str:
    """A stored time as a planner reads it: "29-11-2026 14:30 WIB" in the operation's zone.

    `moment` may be ISO 8601 text (as the store keeps it); a naive time is taken as UTC
    (how Posko stores times).
    """
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone_info(zone)).strftime("%d-%m-%Y %H:%M ") + zone


def _filters(
    operation: str | None, actions: Iterable[AuditAction] | None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if operation is not None:
        clauses.append("operation = ?")
        params.append(operation)
    if actions is not None:
        chosen = [str(AuditAction(a)) for a in actions]
        if not chosen:
            clauses.append("1 = 0")
        else:
            clauses.append(f"action IN ({', '.join('?' for _ in chosen)})")
            params.extend(chosen)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _stored_time(at: datetime, kind: str) -> object:
    return at if kind == "postgresql" else at.isoformat(timespec="microseconds")


def _from_row(row: tuple[Any, ...] | Mapping[str, Any]) -> AuditRecord:
    rid, at, who, action, operation, what, before, after, sha256, *detail = tuple(row)
    moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return AuditRecord(
        id=int(rid),
        at=(moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC),
        who=who,
        action=AuditAction(action),
        operation=operation,
        what=what,
        version_before=None if before is None else int(before),
        version_after=None if after is None else int(after),
        sha256=sha256,
        detail=_detail(detail[0]) if detail else None,
    )
