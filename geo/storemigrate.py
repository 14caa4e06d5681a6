"""Moving a GeoPackage workspace into the shared PostGIS store (``posko store migrate``).

Every operation of the workspace (a folder holding ``store.gpkg``; the bundled samples'
stores under ``.sample-stores``) is copied whole: each version with its history row as it
was (number, time, who, file and SHA-256), its sites and its own areas, then every plan
version and the current plan. Nothing is moved when the database already holds one of the
operations, or when a version of the workspace cannot be read (it would be lost). Each
operation is copied in one transaction that reads every version back and compares its row
count and a SHA-256 over its canonical sites with the source's before committing: a
difference moves nothing of that operation.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.db import Database
from geo.pgstore import PostgisStore
from geo.store import PLAN_COLUMNS, STORE_FILE, Store, StoreError, Version, sites_checksum

__all__ = ["OperationMove", "VersionMove", "migrate_workspace", "workspace_stores"]

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


def workspace_stores(workspace: Path) -> dict[str, Path]:
    """The GeoPackage stores of a workspace, by operation name (sorted)."""
    folder = Path(workspace)
    found = {p.parent.name: p for p in sorted(folder.glob(f"*/{STORE_FILE}"))}
    for path in sorted((folder / _SAMPLE_STORES).glob(f"*/{STORE_FILE}")):
        found.setdefault(path.parent.name, path)
    return dict(sorted(found.items()))


def migrate_workspace(workspace: Path, db: Database) -> list[OperationMove]:
    """Copy every operation's store from the workspace into the PostGIS database.

    Raises
    ------
    StoreError
        When the workspace holds no store, the database already holds one of its
        operations, a version cannot be read, or what was copied differs (nothing of that
        operation is kept; operations before it are moved).
    """
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
