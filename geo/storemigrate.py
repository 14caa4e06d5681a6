"""Moving a GeoPackage workspace into the shared PostGIS store (``posko store migrate``).

Every operation of the workspace (a folder holding ``store.gpkg``; the bundled samples'
stores under ``.sample-stores``) is copied whole: each version with its history row as it
was (number, time, who, file and SHA-256), its sites and its own areas, then every plan
version and the current plan. Nothing is moved when the database already holds one of the
operations, or when a version of the workspace cannot be read (it would be lost). Each
operation is copied in one transaction that reads every version back and compares its row
count and a SHA-256 over its canonical sites with the source's before committing: a
difference moves nothing of that operation.

The workspace's deployment database (``posko.db``: accounts, grants, audit) moves with it
(:func:`migrate_deployment`): users with their hashes, state and lockout, their grants, and
every audit record (appended to the target's log, each keeping its time, who, what,
versions and SHA-256; a record the target's log already holds, by its fingerprint
(:func:`geo.audit.fingerprint`), is not appended again, so moving the same workspace twice
leaves each record once). When the target already has users that differ from the workspace's,
nothing is moved unless `merge_users` is given: then the workspace's users the target lacks
are added with their grants, and an account both hold keeps the target's password, role
and grants (a laptop never overrides the server's account). Counters of sign-in failures
against names that are no account stay behind (they only slow down guessing on that
laptop).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo import accounts, audit
from geo.db import DB_FILE, Connection, Database
from geo.pgstore import PostgisStore
from geo.store import PLAN_COLUMNS, STORE_FILE, Store, StoreError, Version, sites_checksum

__all__ = [
    "DeploymentMove",
    "OperationMove",
    "VersionMove",
    "WorkspaceMove",
    "migrate_deployment",
    "migrate_workspace",
    "workspace_stores",
]

_SAMPLE_STORES = ".sample-stores"


@dataclass(frozen=True)
class VersionMove:
    """One version moved: its rows and checksum in the workspace and in the database."""

    version: int
    rows: int
    rows_moved: int
    sha256: str
    sha256_moved: str

    @property
    def same(self) -> bool:
        """The database holds what the workspace held."""
        return self.rows == self.rows_moved and self.sha256 == self.sha256_moved


@dataclass(frozen=True)
class OperationMove:
    """One operation moved: its versions and how many plan versions came along."""

    operation: str
    source: Path
    versions: tuple[VersionMove, ...]
    plan_versions: int


@dataclass(frozen=True)
class DeploymentMove:
    """The deployment database moved: counts in the workspace and what reached the target.

    Attributes
    ----------
    users, users_moved
        Accounts in the workspace; accounts added to the target.
    users_kept
        Accounts the target already held (merge): the target's account was kept.
    grants, grants_moved
        Grants of the accounts added; grants added to the target.
    audit, audit_moved
        Audit records in the workspace; records appended to the target's log (read back
        equal).
    audit_skipped
        Records of the workspace the target's log already held (an earlier move): not
        appended again.
    """

    users: int = 0
    users_moved: int = 0
    users_kept: tuple[str, ...] = ()
    grants: int = 0
    grants_moved: int = 0
    audit: int = 0
    audit_moved: int = 0
    audit_skipped: int = 0


@dataclass(frozen=True)
class WorkspaceMove:
    """Everything a ``posko store migrate`` moved."""

    operations: list[OperationMove]
    deployment: DeploymentMove | None  # None: the workspace has no deployment database


def workspace_stores(workspace: Path) -> dict[str, Path]:
    """The GeoPackage stores of a workspace, by operation name (sorted)."""
    folder = Path(workspace)
    found = {p.parent.name: p for p in sorted(folder.glob(f"*/{STORE_FILE}"))}
    for path in sorted((folder / _SAMPLE_STORES).glob(f"*/{STORE_FILE}")):
        found.setdefault(path.parent.name, path)
    return dict(sorted(found.items()))


def migrate_workspace(workspace: Path, db: Database, *, merge_users: bool = False) -> WorkspaceMove:
    """Copy every operation's store, then the deployment database, from the workspace into
    the PostGIS database.

    Raises
    ------
    StoreError
        When the workspace holds no store, the database already holds one of its
        operations or other users (without `merge_users`), a version cannot be read, or
        what was copied differs (nothing of that operation or of the deployment database is
        kept; operations before it are moved). Every refusal that can be known beforehand
        comes before anything is moved.
    """
    source = _workspace_database(workspace)
    if source is not None:
        _refuse_other_users(source, db, merge_users=merge_users)
    operations = _migrate_stores(workspace, db)
    deployment = None if source is None else migrate_deployment(source, db, merge_users=merge_users)
    return WorkspaceMove(operations, deployment)


def _migrate_stores(workspace: Path, db: Database) -> list[OperationMove]:
    stores = workspace_stores(workspace)
    if not stores:
        raise StoreError.from_text("store.migrate_nothing", workspace=str(workspace))
    targets = {name: PostgisStore(db, name) for name in stores}
    taken = [name for name, target in targets.items() if target.exists()]
    if taken:
        raise StoreError.from_text(
            "store.migrate_exists", operations=", ".join(taken), url=db.safe_url
        )
    for name, path in stores.items():
        _refuse_unreadable(name, Store(path))
    return [_move(name, Store(path), targets[name]) for name, path in stores.items()]


def _refuse_unreadable(name: str, source: Store) -> None:
    for check in source.verify():
        if not check.ok and check.problem is not None:
            raise StoreError.from_text(
                "store.migrate_unreadable",
                operation=name,
                version=check.version.version,
                problem=check.problem.render("en"),
            )


def _move(name: str, source: Store, target: PostgisStore) -> OperationMove:
    """Copy one operation in one transaction, checked before it commits."""
    versions = source.history()
    plan_rows, current = _plan_rows(source.path)
    with target.lock():
        target.copy_in([_version_layers(source, v) for v in versions], plan_rows, current)
        moves = tuple(_compare(source, target, v) for v in versions)
        _refuse_difference(name, moves, len(plan_rows), target.plan_version_count())
    return OperationMove(name, source.path, moves, len(plan_rows))


def _version_layers(
    source: Store, version: Version
) -> tuple[Version, gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """A version, its sites, and the areas it wrote itself (None when it keeps others')."""
    own = version.areas_layer == f"areas_v{version.version:04d}"
    areas = source.read_areas(version.version) if own else None
    return version, source.read_sites(version.version), areas


def _compare(source: Store, target: PostgisStore, version: Version) -> VersionMove:
    before = source.read_sites(version.version)
    after = target.read_sites(version.version)
    return VersionMove(
        version.version, len(before), len(after), sites_checksum(before), sites_checksum(after)
    )


def _refuse_difference(
    name: str, moves: tuple[VersionMove, ...], plans: int, plans_moved: int
) -> None:
    for move in moves:
        if not move.same:
            raise StoreError.from_text(
                "store.migrate_differs",
                operation=name,
                version=move.version,
                rows=move.rows,
                rows_moved=move.rows_moved,
            )
    if plans != plans_moved:
        raise StoreError.from_text(
            "store.migrate_differs", operation=name, version="plans", rows=plans, rows_moved=0
        )


def _plan_rows(path: Path) -> tuple[list[tuple], tuple | None]:
    """The GeoPackage's plan versions (oldest first) and its current plan, if any."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"plan_versions", "plan_current"} <= names:
            return [], None
        rows = con.execute(
            f"SELECT {', '.join(PLAN_COLUMNS)} FROM plan_versions ORDER BY plan_id, version"
        ).fetchall()
        current = con.execute(
            "SELECT plan_id, saved_at, saved_by FROM plan_current WHERE id = 1"
        ).fetchone()
    return rows, current


# --- the deployment database: accounts, grants, audit ----------------------------------------

_USER_COLUMNS = (
    "name",
    "role",
    "password_hash",
    "disabled",
    "failures",
    "locked_until",
    "created_at",
    "created_by",
)
_GRANT_COLUMNS = ("name", "operation", "granted_at", "granted_by")


def _workspace_database(workspace: Path) -> Database | None:
    """The workspace's embedded deployment database, or None when it has none (never
    created by looking)."""
    path = Path(workspace) / DB_FILE
    return Database(f"sqlite:///{path}") if path.is_file() else None


def migrate_deployment(
    source: Database, target: Database, *, merge_users: bool = False
) -> DeploymentMove:
    """Copy accounts, grants and the audit log from `source` into `target` in one
    transaction, read back and compared before it commits.

    Raises
    ------
    StoreError
        When the target holds other users and `merge_users` is not given, or what was
        copied differs from the source (then nothing of it is kept).
    """
    users, grants = _rows(source, "users", _USER_COLUMNS), _rows(source, "grants", _GRANT_COLUMNS)
    records = list(reversed(audit.entries(db=source)))
    target.migrate(accounts.MIGRATIONS + audit.MIGRATIONS)
    with target.transaction() as con:
        held = {row[0]: row for row in _select(con, "users", _USER_COLUMNS)}
        _refuse_users(held, users, target, merge_users=merge_users)
        new = [row for row in users if row[0] not in held]
        names = {row[0] for row in new}
        new_grants = [row for row in grants if row[0] in names]
        _insert(con, "users", _USER_COLUMNS, new)
        _insert(con, "grants", _GRANT_COLUMNS, new_grants)
        fresh = _not_held(records, audit.fingerprints(con))
        appended = audit.append_records(con, target.kind, fresh)
        move = DeploymentMove(
            users=len(users),
            users_moved=_read_back(con, "users", _USER_COLUMNS, new),
            users_kept=tuple(sorted(row[0] for row in users if row[0] in held)),
            grants=len(new_grants),
            grants_moved=_read_back(con, "grants", _GRANT_COLUMNS, new_grants),
            audit=len(records),
            audit_moved=sum(audit.same_record(a, b) for a, b in zip(fresh, appended, strict=False)),
            audit_skipped=len(records) - len(fresh),
        )
        _refuse_deployment_difference(move, len(new))
    return move


def _not_held(records: list[audit.AuditRecord], held: Counter[str]) -> list[audit.AuditRecord]:
    """The records the target's log does not hold yet (each held one matched once: two
    equal records of the workspace need two in the target)."""
    left = Counter(held)
    fresh = []
    for entry in records:
        key = audit.fingerprint(entry)
        if left[key] > 0:
            left[key] -= 1
        else:
            fresh.append(entry)
    return fresh


def _refuse_other_users(source: Database, target: Database, *, merge_users: bool) -> None:
    """Refuse before anything moves when the target holds other users (without merge)."""
    with target.reading() as con:
        held = (
            {row[0]: row for row in _select(con, "users", _USER_COLUMNS)}
            if con.has_table("users")
            else {}
        )
    _refuse_users(held, _rows(source, "users", _USER_COLUMNS), target, merge_users=merge_users)


def _refuse_users(
    held: dict[str, tuple], users: list[tuple], target: Database, *, merge_users: bool
) -> None:
    """The target may take the users when it has none, holds exactly these, or merging."""
    if not held or merge_users:
        return
    same = {row[0]: row for row in users} == held
    if not same:
        raise StoreError.from_text(
            "store.migrate_users_differ",
            url=target.safe_url,
            users=", ".join(sorted(held)),
        )


def _refuse_deployment_difference(move: DeploymentMove, added: int) -> None:
    counts = (
        ("users", added, move.users_moved),
        ("grants", move.grants, move.grants_moved),
        ("audit", move.audit - move.audit_skipped, move.audit_moved),
    )
    for what, rows, moved in counts:
        if rows != moved:
            raise StoreError.from_text(
                "store.migrate_deployment_differs", what=what, rows=rows, rows_moved=moved
            )


def _rows(db: Database, table: str, columns: tuple[str, ...]) -> list[tuple]:
    with db.reading() as con:
        return _select(con, table, columns) if con.has_table(table) else []


def _select(con: Connection, table: str, columns: tuple[str, ...]) -> list[tuple]:
    sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(columns[:2])}"
    return [tuple(row) for row in con.execute(sql).fetchall()]


def _insert(con: Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    marks = ", ".join("?" for _ in columns)
    for row in rows:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", row)


def _read_back(con: Connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """How many of `rows` the target now holds exactly (every column equal)."""
    held = set(_select(con, table, columns))
    return sum(row in held for row in rows)
