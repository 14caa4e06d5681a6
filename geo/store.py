"""The operation's store: every saved version of its sites and areas, a history, and plans.

Two backends share one interface (:class:`VersionStore`: history, reading, conflicts,
rollback): the embedded default, a GeoPackage per operation (:class:`Store`, below), and a
PostgreSQL + PostGIS database shared by many operations and app processes
(:class:`geo.pgstore.PostgisStore`, chosen by ``POSKO_DATABASE_URL``; see :func:`store_for`).

In the GeoPackage, each save appends the rows no version had yet to one feature table
(``site_rows``: every distinct row once, see :mod:`geo.siterows`) and commits, in a single
SQLite transaction, one row to the ``history`` table and one to ``site_versions`` (the
version's row ids in order and its columns); the view ``sites_current`` shows the newest
version's rows as a layer (QGIS, ``ogrinfo``). The areas are written as a layer when they
change (``areas_v0003``; otherwise a version keeps its predecessor's areas, and none recorded
means the operation folder's own ``areas.geojson``). Only versions with a history row exist.
Stores written before rows were shared keep one layer per version (``sites_v0001``, …), read
as they are; the next save there writes the shared rows. A save that fails drops what it
wrote; a process killed while writing leaves at most uncommitted rows or layers behind, which
the next save drops, so readers always see the last complete version. Rolling back saves an
earlier version again as a new one (after a backup copy): history is never rewritten. The
file opens in QGIS.

Every save states the version it was based on (`base_version`); when another save came first
the store refuses with :class:`StoreConflict` instead of overwriting it (no lost update). A
store that is empty (0 bytes), truncated or not a GeoPackage is reported as damaged
(:class:`StoreDamaged`), never as "no saved version"; a version whose layer is missing is
skipped, and readers fall back to the last good version with a note
(:meth:`VersionStore.current`).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sqlite3
import struct
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.crs import WGS84
from geo.db import DATABASE_URL_ENV, Connection, Database
from geo.errors import PoskoError, Problem, ValidationError
from geo.model import Col
from geo.schema import canonical_sites, unique_column_names
from geo.siterows import (
    EncodedRows,
    assign_ids,
    decode_rows,
    encode_rows,
    indexable,
    pack_ids,
    points_from_wkb,
    positions,
    unpack_ids,
)
from geo.text import Text, catalog, label, t

__all__ = [
    "MAX_STORED_COLUMNS",
    "PLAN_COLUMNS",
    "SAMPLES",
    "STORE_FILE",
    "WORKSPACE_ENV",
    "ConfirmationNeeded",
    "Current",
    "NothingToSave",
    "PlanConnection",
    "PlanScope",
    "Seed",
    "Store",
    "StoreConflict",
    "StoreDamaged",
    "StoreError",
    "Version",
    "VersionCheck",
    "VersionStore",
    "file_sha256",
    "merge_sites",
    "sites_checksum",
    "storable",
    "store_for",
    "version_action",
    "version_note",
    "workspace_dir",
]

STORE_FILE = "store.gpkg"
MAX_STORED_COLUMNS = 1_900
"""Columns a version may have (SQLite refuses tables of more than 2,000)."""
_HISTORY = "history"
_HISTORY_COLUMNS = (
    "version",
    "layer",
    "action",
    "file_name",
    "sha256",
    "saved_at",
    "rows_read",
    "accepted",
    "rejected",
    "sites",
    "who",
    "note",
    "areas_layer",
)
_BOOTSTRAP = "posko_bootstrap"
_ROWS = "site_rows"
"""The GeoPackage's feature table of every distinct site row (see :mod:`geo.siterows`)."""
_MEMBERS = "site_versions"
"""One row per version saved with shared rows: its row ids (packed) and columns."""
_CURRENT_ROWS = "site_current"
_CURRENT_VIEW = "sites_current"
"""The view of the newest version's rows, a layer for QGIS and GDAL."""
_MEMBERS_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {_MEMBERS} (version INTEGER PRIMARY KEY, layer TEXT NOT NULL "
    "UNIQUE, columns TEXT NOT NULL, members BLOB NOT NULL, rows_upto INTEGER NOT NULL, "
    "crs TEXT NOT NULL)"
)
_CURRENT_SQL = (
    f"CREATE TABLE IF NOT EXISTS {_CURRENT_ROWS} (fid INTEGER PRIMARY KEY)",
    f"CREATE VIEW IF NOT EXISTS {_CURRENT_VIEW} AS SELECT r.fid AS fid, r.geom AS geom, "
    f"r.site_id AS site_id, r.kind AS kind, r.props AS props FROM {_ROWS} r "
    f"JOIN {_CURRENT_ROWS} c ON c.fid = r.fid",
    "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, "
    f"srs_id) VALUES ('{_CURRENT_VIEW}', 'features', '{_CURRENT_VIEW}', "
    "'Posko: the newest version of the sites', 4326)",
    "INSERT OR IGNORE INTO gpkg_geometry_columns (table_name, column_name, "
    f"geometry_type_name, srs_id, z, m) VALUES ('{_CURRENT_VIEW}', 'geom', 'POINT', 4326, 0, 0)",
)
PLAN_COLUMNS = (
    "plan_id",
    "version",
    "saved_at",
    "saved_by",
    "action",
    "note",
    "name",
    "status",
    "content",
)
"""The columns of a plan version row in both stores (on PostGIS also ``operation_id``)."""
_GPKG_PLAN_TABLES = (
    "CREATE TABLE IF NOT EXISTS plan_versions (plan_id TEXT NOT NULL, version INTEGER NOT "
    "NULL, saved_at TEXT NOT NULL, saved_by TEXT NOT NULL, action TEXT NOT NULL, note TEXT "
    "NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, content TEXT NOT NULL, "
    "PRIMARY KEY (plan_id, version))",
    "CREATE TABLE IF NOT EXISTS plan_current (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "plan_id TEXT NOT NULL, saved_at TEXT NOT NULL, saved_by TEXT NOT NULL)",
)
"""The plan tables of a GeoPackage (a store from before plans gets them on its first plan
save); on PostGIS the store's migrations make them."""
_VERSION_LAYER = re.compile(r"(sites|areas)_v\d{4,}")
_SQLITE_MAGIC = b"SQLite format 3\x00"


# The bundled sample operations ship inside the package (package data): read them, never
# write there; their workspaces live in the user's workspace folder (see `store_for`).
SAMPLES = Path(__file__).resolve().parent / "sample"
WORKSPACE_ENV = "POSKO_WORKSPACE"
_SAMPLE_STORES = ".sample-stores"


def workspace_dir() -> Path:
    """The user's workspace folder: `$POSKO_WORKSPACE`, else `$XDG_DATA_HOME/posko`
    (`~/.local/share/posko`). It may not exist yet."""
    workspace = os.environ.get(WORKSPACE_ENV)
    if workspace:
        return Path(workspace)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "posko"


def store_for(folder: Path) -> VersionStore:
    """The store of an operation folder.

    With ``$POSKO_DATABASE_URL`` naming a PostgreSQL database it is that database's
    :class:`geo.pgstore.PostgisStore`, the operation named by the folder's name (the folder
    keeps ``operation.toml`` and its seed files). Otherwise the GeoPackage workspace: in the
    folder itself, except for a bundled sample: the package is read-only, so its workspace
    lies in the user's workspace folder.
    """
    folder = Path(folder).resolve()
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url and Database(url).kind == "postgresql":
        from geo.pgstore import PostgisStore  # it builds on this module

        return PostgisStore(Database(url), folder.name, folder=folder)
    if folder.is_relative_to(SAMPLES):
        return Store(workspace_dir() / _SAMPLE_STORES / folder.name / STORE_FILE)
    return Store(folder / STORE_FILE)


class ConfirmationNeeded(ValidationError):
    """A save or rollback changes much and was not confirmed explicitly; nothing was saved."""


class NothingToSave(ValidationError):
    """A save would change nothing (e.g. the same list imported again); nothing saved."""


class StoreError(PoskoError):
    """The workspace cannot be read or written (the message is a catalog entry)."""

    @classmethod
    def from_text(cls, key: str, /, **params: object) -> StoreError:
        """The error whose message is the catalog entry `key` (``str()``: English)."""
        return cls(Text(key, params).render("en"), key=key, params=params)


class StoreConflict(StoreError):
    """Another save came first: the version a save was based on is no longer the newest."""


class StoreDamaged(StoreError):
    """The workspace file is empty, truncated, not a GeoPackage or inconsistent."""


@dataclass(frozen=True)
class Version:
    """One committed version of an operation's sites."""

    version: int
    layer: str
    action: str
    file_name: str
    sha256: str
    saved_at: str
    rows_read: int
    accepted: int
    rejected: int
    sites: int
    who: str
    note: str
    areas_layer: str = ""


@dataclass(frozen=True)
class Seed:
    """The sites an operation started with, kept as version 1 ("initial") by its first save."""

    sites: gpd.GeoDataFrame
    file_name: str = ""
    who: str = ""
    note: str = ""


@dataclass(frozen=True)
class Current:
    """The newest version that reads, and a note for every newer one that was skipped."""

    version: Version
    sites: gpd.GeoDataFrame
    notes: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class VersionCheck:
    """What `Store.verify` found for one version (`problem` is None when it is good)."""

    version: Version
    problem: Text | None

    @property
    def ok(self) -> bool:
        """The version's layer exists, reads, has finite points and the count it should."""
        return self.problem is None


# The notes a save writes (English, kept as written) and their catalog text for display.
_NOTES = {
    "add/update by matching": "history.note.merge",
    "replace kinds": "history.note.replace",
    "the operation folder's own sites": "history.note.seed",
}
_ROLLBACK_NOTE = re.compile(r"rollback to version (\d+)")
_LEVEL_CHANGE = re.compile(r"(\w+) (\d+) → (\d+)")


def version_note(note: str, lang: str) -> str:
    """A version's note in `lang`: the notes Posko writes translated, any other as written."""
    if note in _NOTES:
        return t(_NOTES[note], lang)
    if match := _ROLLBACK_NOTE.fullmatch(note):
        return t("history.note.rollback", lang, version=match[1])
    if note.startswith("areas: "):
        levels = ", ".join(
            f"{label('area_level', level, lang)} {before} → {after}"
            for level, before, after in _LEVEL_CHANGE.findall(note)
        )
        return t("history.note.areas", lang, levels=levels)
    return note


def version_action(action: str, lang: str) -> str:
    """A version's action ("initial", "import", "rollback", "areas") in `lang`."""
    key = f"history.action.{action}"
    return t(key, lang) if key in catalog() else action


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sites_checksum(sites: gpd.GeoDataFrame) -> str:
    """SHA-256 over a version's canonical sites: the column names, then row by row every
    value as text and the point's WKB (how a moved version is compared with its source)."""
    frame = canonical_sites(sites)
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    digest = hashlib.sha256(json.dumps(columns).encode())
    values = frame[columns].astype(object).where(frame[columns].notna(), None)
    points = shapely.to_wkb(frame.geometry.to_numpy(), hex=True)
    for row, point in zip(values.itertuples(index=False), points, strict=True):
        texts = [None if v is None else str(v) for v in row]
        digest.update(json.dumps([*texts, point], ensure_ascii=False).encode())
    return digest.hexdigest()


def merge_sites(
    current: gpd.GeoDataFrame, imported: gpd.GeoDataFrame, *, replace_kinds: bool = False
) -> gpd.GeoDataFrame:
    """The sites after an import.

    Parameters
    ----------
    current
        The operation's sites now.
    imported
        Accepted rows of the import.
    replace_kinds
        When True, every current site of a kind present in the import is dropped (a full
        new list of TPS replaces the old one); otherwise sites with the same `site_id` are
        replaced and the others kept.
    """
    if replace_kinds:
        keep = ~current[Col.KIND].isin(set(imported[Col.KIND]))
    else:
        keep = ~current[Col.SITE_ID].isin(set(imported[Col.SITE_ID]))
    merged = pd.concat([current[keep], imported], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84)


@dataclass(frozen=True)
class PlanScope:
    """Which rows of the plan tables are one operation's: in a GeoPackage all of them (the
    file is the operation's), on PostGIS those of its ``operation_id``."""

    column: str = ""
    value: int = 0

    @property
    def current_key(self) -> tuple[str, int]:
        """The key column of ``plan_current`` and the operation's value in it."""
        return (self.column, self.value) if self.column else ("id", 1)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns a new plan version row adds to name its operation."""
        return (self.column,) if self.column else ()

    @property
    def values(self) -> tuple[int, ...]:
        """The values of :attr:`columns`."""
        return (self.value,) if self.column else ()

    def where(self, alias: str) -> tuple[str, tuple[int, ...]]:
        """`` AND alias.operation_id = ?`` and its parameter (nothing in a GeoPackage)."""
        if not self.column:
            return "", ()
        return f" AND {alias}.{self.column} = ?", (self.value,)

    def same(self, a: str, b: str) -> str:
        """`` AND a.operation_id = b.operation_id`` (nothing in a GeoPackage)."""
        return f" AND {a}.{self.column} = {b}.{self.column}" if self.column else ""


class PlanConnection(Connection):
    """A connection to the plan tables of one operation (see :class:`PlanScope`)."""

    def __init__(self, raw: Any, kind: str, scope: PlanScope) -> None:
        super().__init__(raw, kind)
        self.scope = scope


class VersionStore(ABC):
    """What every store shares: the versions, their history, conflicts and rollback.

    A backend provides the primitives: the committed history rows (`_rows`), the layers
    that exist (`_layer_names`), one layer read (`_read_named`), the versions written and
    committed at once (`_write_all`) and its write lock (`_lock`), which a save, a rollback
    and a plan transaction hold.
    """

    INTEGRITY_TEXT = "store.integrity"
    """The catalog key that introduces :meth:`integrity`'s result."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the store is, for messages (a file path, or a database and operation)."""

    @abstractmethod
    def exists(self) -> bool:
        """Whether anything was saved for the operation yet (never creates it)."""

    @abstractmethod
    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """What changes whenever the store is written (a cache key, with the folder's
        files): name, size and modification time of an outside file, or a revision."""

    @abstractmethod
    def check_file(self) -> None:
        """Refuse a store that is damaged (StoreDamaged)."""

    @abstractmethod
    def ensure_file(self) -> None:
        """Create the store when there is none yet (under :meth:`lock`)."""

    @abstractmethod
    def integrity(self) -> str:
        """The backend's check of the whole store: "ok", or what is wrong."""

    @abstractmethod
    def backups(self) -> list[Any]:
        """The backups taken, oldest first (their ``name`` and ``str()`` say which)."""

    @abstractmethod
    def backup(self) -> Any:
        """Take a backup now; what it is depends on the backend (see its docstring)."""

    @abstractmethod
    def plan_reading(self) -> AbstractContextManager[PlanConnection | None]:
        """A connection for reading the plan tables (None when nothing is stored yet)."""

    @abstractmethod
    def plan_transaction(self) -> AbstractContextManager[PlanConnection]:
        """The store's lock and one transaction on the plan tables: committed when the
        block ends, rolled back on any error."""

    @abstractmethod
    def _rows(self) -> list[Version]:
        """Every committed history row, oldest first."""

    @abstractmethod
    def _layer_names(self, rows: list[Version]) -> set[str]:
        """The layers (tables) that exist."""

    @abstractmethod
    def _read_named(self, version: int, layer: str) -> gpd.GeoDataFrame:
        """One layer of version `version` (its sites or its areas), EPSG:4326."""

    @abstractmethod
    def _write_all(
        self,
        versions: list[Version],
        frames: list[gpd.GeoDataFrame],
        areas: gpd.GeoDataFrame | None = None,
    ) -> None:
        """Write the versions' layers (the last one's areas when given) and commit their
        history rows at once; nothing of them remains on failure (StoreError)."""

    @abstractmethod
    def _lock(self) -> AbstractContextManager[None]:
        """The write lock (re-entrant within this object)."""

    @abstractmethod
    def _newest_backup(self) -> str:
        """The newest backup for a message ("—" when there is none)."""

    @abstractmethod
    def _drop_orphans(self, committed: set[str]) -> None:
        """Drop layers no history row names (left by a save that was killed)."""

    def lock(self) -> AbstractContextManager[None]:
        """The store's write lock (the one every save holds; re-entrant in this object)."""
        return self._lock()

    # --- reading -----------------------------------------------------------------------

    def history(self) -> list[Version]:
        """Committed versions whose layer exists, oldest first (empty when nothing was saved).

        Raises
        ------
        StoreDamaged
            When the store is damaged: its history cannot be read.
        """
        rows = self._rows()
        layers = self._layer_names(rows) if rows else set()
        return [v for v in rows if v.layer in layers]

    def skipped(self) -> list[Version]:
        """Committed versions whose layer is missing (reported, never read)."""
        rows = self._rows()
        layers = self._layer_names(rows) if rows else set()
        return [v for v in rows if v.layer not in layers]

    def latest(self) -> Version | None:
        """The newest committed version whose layer exists, if any."""
        versions = self.history()
        return versions[-1] if versions else None

    def read_sites(self, version: int | None = None) -> gpd.GeoDataFrame:
        """The sites of a version (the latest when None).

        Raises
        ------
        StoreError
            When there is no such version or its layer cannot be read.
        """
        return self._read_layer(self._chosen(version))

    def read_areas(self, version: int | None = None) -> gpd.GeoDataFrame | None:
        """The areas of a version (the latest when None), or None when the version keeps the
        operation folder's own ``areas.geojson``.

        Raises
        ------
        StoreError
            When there is no such version, or its areas layer cannot be read.
        """
        chosen = self._chosen(version)
        if not chosen.areas_layer:
            return None
        return self._read_named(chosen.version, chosen.areas_layer)

    def _chosen(self, version: int | None) -> Version:
        versions = {v.version: v for v in self._rows()}
        if not versions:
            raise StoreError.from_text("store.no_version", path=self.location)
        chosen = versions.get(version if version is not None else max(versions))
        if chosen is None:
            raise StoreError.from_text(
                "store.no_such_version", version=version, versions=", ".join(map(str, versions))
            )
        return chosen

    def current(self) -> Current | None:
        """The newest version that reads (None when nothing was saved).

        A newer version whose layer is missing or unreadable is skipped with a note naming
        it and the version shown instead.

        Raises
        ------
        StoreDamaged
            When versions were saved but none of them reads.
        """
        rows = self._rows()
        skipped: list[tuple[Version, str]] = []
        for version in reversed(rows):
            try:
                sites = self._read_layer(version)
            except StoreError as exc:
                skipped.append((version, str(exc)))
                continue
            notes = tuple(
                Problem.from_text(
                    self.location,
                    "store.version_skipped",
                    version=v.version,
                    saved_at=v.saved_at,
                    layer=v.layer,
                    fallback=version.version,
                )
                for v, _ in skipped
            )
            return Current(version, sites, notes)
        if not rows:
            return None
        raise StoreDamaged.from_text(
            "store.damaged",
            path=self.location,
            reason=skipped[0][1],
            last_good=Text("store.no_good_version"),
            backup=self._newest_backup(),
        )

    def verify(self) -> list[VersionCheck]:
        """Check every version: its layer exists and reads, its points are finite and as many
        as the history says.

        Raises
        ------
        StoreDamaged
            When the store itself is damaged (its history cannot be read).
        """
        rows = self._rows()
        layers = self._layer_names(rows) if rows else set()
        return [VersionCheck(v, self._version_problem(v, layers)) for v in rows]

    def _version_problem(self, version: Version, layers: set[str]) -> Text | None:
        if version.layer not in layers:
            return Text("store.check_missing", {"layer": version.layer})
        try:
            frame = self._read_layer(version)
        except StoreError as exc:
            return Text("store.check_unreadable", {"reason": exc})
        coords = shapely.get_coordinates(frame.geometry.to_numpy())
        bad = int((~np.isfinite(coords).all(axis=1)).sum()) + int(frame.geometry.isna().sum())
        if bad:
            return Text("store.check_not_finite", {"n": bad})
        if len(frame) != version.sites:
            return Text("store.check_count", {"found": len(frame), "sites": version.sites})
        return None

    def _read_layer(self, version: Version) -> gpd.GeoDataFrame:
        return self._read_named(version.version, version.layer)

    # --- writing -----------------------------------------------------------------------

    def save(
        self,
        sites: gpd.GeoDataFrame,
        *,
        action: str,
        base_version: int | None,
        seed: Seed | None = None,
        file_name: str = "",
        sha256: str = "",
        rows_read: int = 0,
        accepted: int = 0,
        rejected: int = 0,
        who: str = "",
        note: str = "",
        areas: gpd.GeoDataFrame | None = None,
        areas_from: int | None = None,
    ) -> Version:
        """Save `sites` as a new version and commit it with one history row.

        Parameters
        ----------
        base_version
            The version `sites` were made from (None: nothing was saved yet). When the
            newest version is another one, another save came first and nothing is saved.
        seed
            The operation folder's own sites: saved first as version 1 ("initial"), under
            the same lock and in the same commit, when nothing was saved yet.
        areas
            The version's areas, written as its own layer (``areas_v0002``); when None the
            version keeps the areas of `areas_from`, else of the latest version (none
            recorded: the operation folder's own ``areas.geojson``).
        areas_from
            The version whose areas this one keeps (a rollback), when `areas` is None.

        Raises
        ------
        StoreConflict
            When another save came after `base_version` (nothing is written).
        StoreDamaged
            When the store is damaged (nothing is written).
        StoreError
            When the store cannot be written (nothing of the save remains).
        """
        _check_storable(sites)
        if seed is not None:
            _check_storable(seed.sites)
        with self._lock():
            rows = self._rows()
            latest = self.latest()
            self._refuse_conflict(latest, base_version)
            number = max((v.version for v in rows), default=0)
            pending: list[tuple[gpd.GeoDataFrame, dict]] = []
            if seed is not None and latest is None:
                pending.append(
                    (
                        seed.sites,
                        {"action": "initial", "file_name": seed.file_name, "who": seed.who}
                        | {"note": seed.note},
                    )
                )
            fields = {"action": action, "file_name": file_name, "sha256": sha256, "who": who}
            fields |= {"rows_read": rows_read, "accepted": accepted, "rejected": rejected}
            number_now = number + len(pending) + 1
            fields["areas_layer"] = (
                f"areas_v{number_now:04d}"
                if areas is not None
                else self._kept_areas_layer(rows, areas_from, latest)
            )
            pending.append((sites, fields | {"note": note}))
            self._drop_orphans({v.layer for v in rows} | {v.areas_layer for v in rows})
            versions = [
                _version(number + i + 1, frame, fields) for i, (frame, fields) in enumerate(pending)
            ]
            self._write_all(versions, [frame for frame, _ in pending], areas)
            return versions[-1]

    def _kept_areas_layer(
        self, rows: list[Version], areas_from: int | None, latest: Version | None
    ) -> str:
        """The areas layer a version keeps: that of `areas_from`, else of the latest."""
        if areas_from is None:
            return latest.areas_layer if latest else ""
        chosen = {v.version: v for v in rows}.get(areas_from)
        if chosen is None:
            raise StoreError.from_text(
                "store.no_such_version",
                version=areas_from,
                versions=", ".join(str(v.version) for v in rows),
            )
        return chosen.areas_layer

    def _refuse_conflict(self, latest: Version | None, base_version: int | None) -> None:
        head = latest.version if latest else None
        if head == base_version or self._none_newer_reads(base_version):
            return
        if latest is None:
            # the version the save was based on has gone: the history was emptied or damaged
            raise StoreConflict.from_text("store.base_gone", path=self.location, base=base_version)
        params = {"version": latest.version, "saved_at": latest.saved_at}
        params |= {"who": latest.who or "—", "base": base_version}
        key = "store.conflict_first" if base_version is None else "store.conflict"
        raise StoreConflict.from_text(key, **params)

    def _none_newer_reads(self, base_version: int | None) -> bool:
        """True when every version after `base_version` is unreadable: readers show the base
        version (see `current`), so saving on top of it loses nothing."""
        if base_version is None:
            return False
        newer = [v for v in self.history() if v.version > base_version]
        for version in newer:
            try:
                self._read_layer(version)
            except StoreError:
                continue
            return False
        return bool(newer)

    def rollback(self, version: int, *, base_version: int | None, who: str = "") -> Version:
        """Save version `version` again as the newest one (history is kept): its sites and
        its areas, after a backup.

        Raises
        ------
        StoreConflict
            When another save came after `base_version`.
        StoreError
            When there is no such version or the store cannot be written.
        """
        with self._lock():
            self._refuse_conflict(self.latest(), base_version)
            sites = self.read_sites(version)
            self.backup()
            return self.save(
                sites,
                action="rollback",
                base_version=base_version,
                who=who,
                note=f"rollback to version {version}",
                areas_from=version,
            )


class Store(VersionStore):
    """The GeoPackage workspace of one operation (the embedded default)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._locked = False

    @property
    def location(self) -> str:
        """The GeoPackage file's path."""
        return str(self.path)

    def exists(self) -> bool:
        """Whether the GeoPackage file exists."""
        return self.path.exists()

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """The GeoPackage's name, size and modification time (nothing when there is none)."""
        if not self.path.is_file():
            return ()
        stat = self.path.stat()
        return ((self.path.name, stat.st_size, stat.st_mtime_ns),)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def connect(self) -> sqlite3.Connection:
        """A connection in autocommit mode: a writer opens its own transaction (``BEGIN
        IMMEDIATE``) and holds :meth:`lock` around it, as every save here does."""
        return self._connect()

    def check_file(self) -> None:
        """Refuse a store file that is empty, truncated or not SQLite (StoreDamaged)."""
        self._check_file()

    def ensure_file(self) -> None:
        """Create the store as an empty GeoPackage when there is none yet (call under
        :meth:`lock`), so tables written by SQL alone leave a file GDAL and QGIS open."""
        if self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        empty = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84))
        try:
            pyogrio.write_dataframe(empty, self.path, layer=_BOOTSTRAP, driver="GPKG")
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
            self.path.unlink(missing_ok=True)
            raise StoreError.from_text(
                "store.write_failed", path=str(self.path), reason=_reason(exc)
            ) from None
        self._drop_layers([_BOOTSTRAP])

    @contextmanager
    def plan_reading(self) -> Iterator[PlanConnection | None]:
        """A read-only connection to the file (None when there is no file yet)."""
        if not self.path.exists():
            yield None
            return
        self.check_file()
        try:
            raw = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        except sqlite3.DatabaseError as exc:
            raise StoreDamaged.from_text(
                "store.damaged",
                path=str(self.path),
                reason=str(exc),
                last_good=Text("store.no_good_version"),
                backup="—",
            ) from None
        with closing(raw):
            yield PlanConnection(raw, "sqlite", PlanScope())

    @contextmanager
    def plan_transaction(self) -> Iterator[PlanConnection]:
        """The lock file and one SQLite transaction (``BEGIN IMMEDIATE``); the plan tables
        are created by the first one (a store from before plans gets them then)."""
        with self._lock():
            self.ensure_file()
            self.check_file()
            with closing(self._connect()) as raw:
                raw.execute("BEGIN IMMEDIATE")
                con = PlanConnection(raw, "sqlite", PlanScope())
                try:
                    for statement in _GPKG_PLAN_TABLES:
                        con.execute(statement)
                    yield con
                except BaseException:
                    raw.execute("ROLLBACK")
                    raise
                try:
                    raw.execute("COMMIT")
                except sqlite3.DatabaseError as exc:
                    raw.execute("ROLLBACK")
                    raise StoreError.from_text(
                        "store.write_failed", path=str(self.path), reason=str(exc)
                    ) from None

    def backups(self) -> list[Path]:
        """Backup copies next to the store, oldest first."""
        return sorted(self.path.parent.glob(f"{self.path.stem}-backup-*{self.path.suffix}"))

    def integrity(self) -> str:
        """SQLite's quick check of the whole file: "ok", or what is wrong.

        Raises
        ------
        StoreDamaged
            When the file is empty, truncated or not SQLite.
        """
        self._check_file()
        try:
            with closing(self._connect()) as con:
                found = [r[0] for r in con.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            return _reason(exc)
        return "; ".join(found[:5])

    def _read_named(self, version: int, layer: str) -> gpd.GeoDataFrame:
        try:
            shared = self._shared_version(layer)
            if shared is not None:
                return self._read_shared(*shared)
            frame = pyogrio.read_dataframe(self.path, layer=layer)
        except (
            pyogrio.errors.DataSourceError,
            pyogrio.errors.DataLayerError,
            sqlite3.DatabaseError,
            KeyError,
            ValueError,
            OSError,  # Arrow's reader says so when the file is damaged
            zlib.error,
        ) as exc:
            raise StoreError.from_text(
                "store.layer_unreadable",
                path=str(self.path),
                version=version,
                layer=layer,
                reason=_reason(exc),
            ) from None
        return frame.set_crs(WGS84, allow_override=True) if frame.crs is None else frame

    def _shared_version(self, layer: str) -> tuple[list[list[str]], np.ndarray, str] | None:
        """A version saved with shared rows: its columns, row ids and CRS (None: a layer)."""
        with closing(self._connect()) as con:
            if not _has_table(con, _MEMBERS):
                return None
            found = con.execute(
                f"SELECT columns, members, crs FROM {_MEMBERS} WHERE layer = ?", (layer,)
            ).fetchone()
        return None if found is None else (json.loads(found[0]), unpack_ids(found[1]), found[2])

    def _read_shared(self, columns: list[list[str]], ids: np.ndarray, crs: str) -> gpd.GeoDataFrame:
        """A version's rows out of ``site_rows``: one Arrow read of the rows up to its
        newest (later versions' rows are never touched), then taken by id."""
        meta, table = pyogrio.read_arrow(
            self.path,
            layer=_ROWS,
            columns=["props", "raw_geom"],
            return_fids=True,
            where=f"fid <= {int(ids.max()) if len(ids) else 0}",
        )
        stored = table.column(meta["fid_column"]).to_numpy()
        where = positions(ids, stored)
        wkb = table.column(meta["geometry_name"] or "wkb_geometry").take(where)
        geometry = points_from_wkb(wkb)
        raw = table.column("raw_geom").take(where).to_numpy(zero_copy_only=False)
        odd = pd.notna(raw)
        geometry[odd] = shapely.from_wkb(raw[odd].astype(str))
        frame = decode_rows(columns, table.column("props").take(where), geometry)
        return frame.set_crs(crs, allow_override=True) if crs else frame

    def _rows(self) -> list[Version]:
        if not self.path.exists():
            return []
        self._check_file()
        try:
            with closing(self._connect()) as con:
                if not _has_table(con, _HISTORY):
                    return []
                rows = con.execute(
                    f"SELECT {_history_select(con)} FROM {_HISTORY} ORDER BY version"
                ).fetchall()
        except sqlite3.DatabaseError as exc:
            self._raise_damaged(str(exc))
        return [Version(*row) for row in rows]

    def _layer_names(self, rows: list[Version]) -> set[str]:
        """The tables, and the versions saved with shared rows."""
        try:
            with closing(self._connect()) as con:
                names = {
                    r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                if _MEMBERS in names:
                    names |= {r[0] for r in con.execute(f"SELECT layer FROM {_MEMBERS}")}
                return names
        except sqlite3.DatabaseError as exc:
            self._raise_damaged(str(exc))

    def _check_file(self) -> None:
        """Refuse a file that is empty, truncated or not SQLite, before SQLite reads it as
        an empty database."""
        reason = _file_damage(self.path)
        if reason and not self._locked:
            # a save in progress grows the file: judge it again once that save is done
            with open(self.path.with_suffix(".lock"), "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_SH)
                reason = _file_damage(self.path)
        if reason:
            self._raise_damaged(reason)

    def _raise_damaged(self, reason: str) -> NoReturn:
        raise StoreDamaged.from_text(
            "store.damaged",
            path=str(self.path),
            reason=reason,
            last_good=self._last_good(),
            backup=self._newest_backup(),
        ) from None

    def _last_good(self) -> Text:
        """The newest version still readable from a damaged file, as a sentence."""
        try:
            with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as con:
                rows = con.execute(
                    f"SELECT {_history_select(con)} FROM {_HISTORY} ORDER BY version DESC"
                ).fetchall()
        except sqlite3.DatabaseError:
            return Text("store.no_good_version")
        for row in rows:
            version = Version(*row)
            try:
                self._read_named(version.version, version.layer)
            except Exception:  # a damaged file fails in many ways; each means: not good
                continue
            return Text(
                "store.last_good", {"version": version.version, "saved_at": version.saved_at}
            )
        return Text("store.no_good_version")

    def _newest_backup(self) -> str:
        """The newest backup and the version it holds ("—" when there is none)."""
        for backup in reversed(self.backups()):
            try:
                latest = Store(backup).latest()
            except StoreError:
                continue
            return f"{backup} (v{latest.version}, {latest.saved_at})" if latest else str(backup)
        return "—"

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """Hold the store's lock file (re-entrant within this object: a rollback backs up
        and saves under the one lock)."""
        if self._locked:
            yield
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            self._locked = True
            try:
                yield
            finally:
                self._locked = False
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write_all(
        self,
        versions: list[Version],
        frames: list[gpd.GeoDataFrame],
        areas: gpd.GeoDataFrame | None = None,
    ) -> None:
        """Write the rows no version has yet (and the last version's areas layer when
        given), then commit every history and membership row at once; on any failure drop
        what was written."""
        written: list[str] = []
        try:
            if areas is not None:
                written.append(versions[-1].areas_layer)
                pyogrio.write_dataframe(
                    storable(areas),
                    self.path,
                    layer=versions[-1].areas_layer,
                    driver="GPKG",
                    layer_options={"OVERWRITE": "YES"},
                )
            members = self._write_rows([storable(frame) for frame in frames])
            self._commit(versions, members)
        except (
            pyogrio.errors.DataSourceError,
            pyogrio.errors.DataLayerError,
            OSError,
            sqlite3.DatabaseError,
            ValueError,
        ) as exc:
            self._drop_layers(written)
            self._drop_uncommitted_rows()
            raise StoreError.from_text(
                "store.write_failed", path=str(self.path), reason=_reason(exc)
            ) from None

    def _write_rows(self, frames: list[gpd.GeoDataFrame]) -> list[_Members]:
        """Append each frame's new rows to ``site_rows``; each frame's row ids."""
        known_ids, known_keys, next_id = self._known_rows()
        members: list[_Members] = []
        for frame in frames:
            rows = encode_rows(frame)
            ids, fresh = assign_ids(rows.keys, known_keys, known_ids, next_id)
            if len(fresh):
                self._append_rows(frame, rows, fresh, next_id)
                known_ids = np.concatenate([known_ids, ids[fresh]])
                known_keys = np.concatenate([known_keys, rows.keys[fresh]])
                next_id += len(fresh)
            crs = "" if frame.crs is None or frame.crs == WGS84 else frame.crs.to_wkt()
            members.append(_Members(rows.columns, ids, next_id - 1, crs))
        return members

    def _known_rows(self) -> tuple[np.ndarray, np.ndarray, int]:
        """The ids and content hashes of the rows stored, and the id the next row gets
        (ids are never reused: the table counts with AUTOINCREMENT)."""
        with closing(self._connect()) as con:
            if not _has_table(con, _ROWS):
                return np.array([], dtype=np.int64), np.zeros((0, 2), dtype=np.int64), 1
            found = con.execute(f"SELECT fid, h1, h2 FROM {_ROWS} ORDER BY fid").fetchall()
            sequence = con.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = ?", (_ROWS,)
            ).fetchone()
        table = np.array(found, dtype=np.int64).reshape(-1, 3)
        last = max(int(table[-1, 0]) if len(table) else 0, int(sequence[0]) if sequence else 0)
        return table[:, 0].copy(), table[:, 1:].copy(), last + 1

    def _append_rows(
        self, frame: gpd.GeoDataFrame, rows: EncodedRows, fresh: np.ndarray, first: int
    ) -> None:
        """Write rows `fresh` of `frame`; GDAL numbers them from `first` on (checked)."""
        keys = rows.keys[fresh]
        geometry, raw = indexable(rows.geometry[fresh])
        table = gpd.GeoDataFrame(
            {
                "site_id": _text_of(frame, Col.SITE_ID, fresh),
                "kind": _text_of(frame, Col.KIND, fresh),
                "h1": keys[:, 0],
                "h2": keys[:, 1],
                "props": rows.props[fresh],
                "raw_geom": raw,
            },
            geometry=gpd.GeoSeries(geometry, crs=WGS84),
        )
        with closing(self._connect()) as con:
            exists = _has_table(con, _ROWS)
        options = {} if exists else {"layer_options": {"GEOMETRY_NAME": "geom", "FID": "fid"}}
        pyogrio.write_dataframe(
            table,
            self.path,
            layer=_ROWS,
            driver="GPKG",
            append=exists,
            geometry_type="Point",
            **options,
        )
        with closing(self._connect()) as con:
            got = con.execute(
                f"SELECT fid, h1, h2 FROM {_ROWS} WHERE fid >= ? ORDER BY fid", (first,)
            ).fetchall()
        expected = np.column_stack([first + np.arange(len(fresh)), keys])
        if not np.array_equal(np.array(got, dtype=np.int64).reshape(-1, 3), expected):
            raise ValueError("the rows written were not numbered as expected")

    def _drop_uncommitted_rows(self) -> None:
        """Delete rows past the last committed version's (a failed or killed save's)."""
        if not self.path.exists():
            return
        try:
            with closing(self._connect()) as con:
                if not _has_table(con, _ROWS):
                    return
                upto = 0
                if _has_table(con, _MEMBERS):
                    upto = con.execute(f"SELECT MAX(rows_upto) FROM {_MEMBERS}").fetchone()[0]
                if upto:
                    con.execute("BEGIN IMMEDIATE")
                    con.execute(f"DELETE FROM {_ROWS} WHERE fid > ?", (upto,))
                    con.execute("COMMIT")
        except sqlite3.DatabaseError:
            return  # the next save tries again; uncommitted rows are never read
        if not upto:  # no version uses the table: it was made by the failed save
            self._drop_layers([_ROWS])

    def _commit(self, versions: list[Version], members: list[_Members]) -> None:
        columns = ", ".join(_HISTORY_COLUMNS)
        marks = ", ".join("?" for _ in _HISTORY_COLUMNS)
        registered = ((_HISTORY, "Posko upload history"), (_MEMBERS, _MEMBERS_ABOUT))
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute(
                    f"CREATE TABLE IF NOT EXISTS {_HISTORY} (version INTEGER PRIMARY KEY, "
                    "layer TEXT, action TEXT, file_name TEXT, sha256 TEXT, saved_at TEXT, "
                    "rows_read INTEGER, accepted INTEGER, rejected INTEGER, sites INTEGER, "
                    "who TEXT, note TEXT)"
                )
                _add_areas_column(con)
                con.execute(_MEMBERS_TABLE)
                for table, about in registered:
                    con.execute(
                        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, "
                        "identifier, description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
                        (table, table, about, versions[-1].saved_at),
                    )
                for version, member in zip(versions, members, strict=True):
                    con.execute(
                        f"INSERT INTO {_HISTORY} ({columns}) VALUES ({marks})",
                        tuple(getattr(version, c) for c in _HISTORY_COLUMNS),
                    )
                    con.execute(
                        f"INSERT INTO {_MEMBERS} (version, layer, columns, members, rows_upto, "
                        "crs) VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            version.version,
                            version.layer,
                            json.dumps(member.columns),
                            pack_ids(member.ids),
                            member.rows_upto,
                            member.crs,
                        ),
                    )
                _set_current(con, members[-1].ids)
                con.execute("COMMIT")
            except sqlite3.DatabaseError:
                con.execute("ROLLBACK")
                raise

    def _drop_orphans(self, committed: set[str]) -> None:
        """Drop site and area layers no history row names (left by a save that was killed)."""
        if not self.path.exists():
            return
        orphans = [
            name
            for name in self._layer_names([])
            if _VERSION_LAYER.fullmatch(name) and name not in committed
        ]
        self._drop_layers(orphans)
        self._drop_uncommitted_rows()

    def _drop_layers(self, layers: list[str]) -> None:
        """Remove layers with their spatial index and GeoPackage registrations, in one
        transaction (best effort: a store that cannot be written keeps them)."""
        if not layers or not self.path.exists():
            return
        try:
            with closing(self._connect()) as con:
                con.execute("BEGIN IMMEDIATE")
                names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
                for layer in layers:
                    for table in sorted(n for n in names if n.startswith(f"rtree_{layer}_")):
                        if table.count("_") == layer.count("_") + 2:  # the virtual table
                            con.execute(f'DROP TABLE IF EXISTS "{table}"')
                    con.execute(f'DROP TABLE IF EXISTS "{layer}"')
                    for registry in _REGISTRIES:
                        if registry in names:
                            con.execute(f"DELETE FROM {registry} WHERE table_name = ?", (layer,))
                con.execute("COMMIT")
        except sqlite3.DatabaseError:
            pass  # the next save drops what is left (see `_drop_orphans`)

    def backup(self) -> Path:
        """Copy the store, through SQLite's backup API, to a timestamped file next to it.

        Raises
        ------
        StoreError
            When there is no store yet, it is damaged, or the copy cannot be written.
        """
        with self._lock():
            if not self.path.exists():
                raise StoreError.from_text("store.no_version", path=str(self.path))
            self._check_file()
            target = self._backup_path()
            try:
                with (
                    closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as source,
                    closing(sqlite3.connect(target)) as copy,
                ):
                    source.backup(copy)
            except sqlite3.DatabaseError as exc:
                target.unlink(missing_ok=True)
                self._raise_damaged(str(exc))
            return target

    def _backup_path(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")  # sorts by time
        stem, suffix = self.path.stem, self.path.suffix
        target = self.path.with_name(f"{stem}-backup-{stamp}{suffix}")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"{stem}-backup-{stamp}-{n}{suffix}")
        return target


_REGISTRIES = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents")
_MEMBERS_ABOUT = "Posko: each version's site rows (ids in site_rows) and columns"


@dataclass(frozen=True)
class _Members:
    """A version's rows: its columns, its row ids in order, the last row id written."""

    columns: list[list[str]]
    ids: np.ndarray
    rows_upto: int
    crs: str


def _text_of(frame: gpd.GeoDataFrame, column: str, rows: np.ndarray) -> list[str | None]:
    """A column's values of `rows` as text (for the layer's readers), None when absent."""
    if column not in frame.columns:
        return [None] * len(rows)
    values = frame[column].to_numpy(dtype=object)[rows]
    return [None if v is None or v != v else str(v) for v in values]


def _set_current(con: sqlite3.Connection, ids: np.ndarray) -> None:
    """Point the ``sites_current`` view at `ids` (inside the commit): only the rows that
    changed since the previous version are deleted or inserted."""
    for statement in _CURRENT_SQL:
        con.execute(statement)
    found = con.execute(f"SELECT fid FROM {_CURRENT_ROWS}").fetchall()
    before = np.array([r[0] for r in found], dtype=np.int64)
    after = np.sort(ids)
    after = after[np.r_[True, after[1:] != after[:-1]]] if len(after) else after
    gone = before[~np.isin(before, after, assume_unique=True)]
    new = after[~np.isin(after, before, assume_unique=True)]
    con.executemany(f"DELETE FROM {_CURRENT_ROWS} WHERE fid = ?", ((int(i),) for i in gone))
    con.executemany(f"INSERT INTO {_CURRENT_ROWS} (fid) VALUES (?)", ((int(i),) for i in new))


def _version(number: int, sites: gpd.GeoDataFrame, fields: dict) -> Version:
    return Version(
        version=number,
        layer=f"sites_v{number:04d}",
        saved_at=datetime.now(UTC).isoformat(timespec="seconds"),
        sites=len(sites),
        **{"sha256": "", "rows_read": 0, "accepted": 0, "rejected": 0} | fields,
    )


def _history_select(con: sqlite3.Connection) -> str:
    """The history columns to select; a store saved before areas were versioned has no
    `areas_layer` column (read as "": the folder's own areas)."""
    present = {row[1] for row in con.execute(f"PRAGMA table_info({_HISTORY})")}
    return ", ".join(c if c in present else f"'' AS {c}" for c in _HISTORY_COLUMNS)


def _add_areas_column(con: sqlite3.Connection) -> None:
    """Migrate a history table from before areas were versioned (inside the transaction)."""
    present = {row[1] for row in con.execute(f"PRAGMA table_info({_HISTORY})")}
    if "areas_layer" not in present:
        con.execute(f"ALTER TABLE {_HISTORY} ADD COLUMN areas_layer TEXT NOT NULL DEFAULT ''")


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    found = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)
    ).fetchone()
    return found is not None


def _file_damage(path: Path) -> str:
    """Why a store file is not a whole SQLite database ("" when it looks whole).

    The header states the page size and, when valid, the page count: a file shorter than
    that was truncated.
    """
    size = path.stat().st_size
    if size == 0:
        return "0 bytes"
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return "not a GeoPackage (SQLite) file"
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change, pages, valid_for = struct.unpack(">I", header[24:28]), header[28:32], header[92:96]
    expected = struct.unpack(">I", pages)[0] * page_size
    if struct.pack(">I", *change) == valid_for and expected > size:
        return f"truncated: {size:,} of {expected:,} bytes"
    if size % page_size:
        return f"truncated: {size:,} bytes is not a whole number of pages"
    return ""


def _reason(exc: BaseException) -> str:
    return str(exc).strip().rstrip(".") or type(exc).__name__


def _check_storable(sites: gpd.GeoDataFrame) -> None:
    columns = len(sites.columns)
    if columns > MAX_STORED_COLUMNS:
        raise StoreError.from_text(
            "store.too_many_columns", columns=f"{columns:,}", limit=f"{MAX_STORED_COLUMNS:,}"
        )


def storable(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A layer as both stores write it: every non-canonical column as text, column names
    that cannot clash."""
    geometry = sites.geometry.name
    others = [c for c in sites.columns if c != geometry]
    names = unique_column_names([str(c) for c in others], reserved=("fid", geometry))
    out = sites.rename(columns=dict(zip(others, names, strict=True))).copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        if out[column].dtype == object:
            out[column] = out[column].map(lambda v: None if v is None or v != v else str(v))
    return out
