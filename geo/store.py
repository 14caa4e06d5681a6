"""The operation workspace: a GeoPackage holding every saved version of the sites and a history.

Each save writes the sites as a new layer (``sites_v0001``, ``sites_v0002``, …), and the
areas when they change (``areas_v0003``; otherwise a version keeps its predecessor's areas,
and none recorded means the operation folder's own ``areas.geojson``), then commits one row to
the ``history`` table in a single SQLite transaction; only versions with a history row exist.
A process killed while writing leaves at most an uncommitted layer behind, which the next
save overwrites, so readers always see the last complete version. Rolling back saves an
earlier version again as a new one: history is never rewritten. The file opens in QGIS.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.crs import WGS84
from geo.errors import PoskoError
from geo.model import Col
from geo.schema import unique_column_names

__all__ = [
    "STORE_FILE",
    "Store",
    "StoreError",
    "Version",
    "file_sha256",
    "merge_sites",
]

STORE_FILE = "store.gpkg"
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


class StoreError(PoskoError):
    """The workspace cannot be read or written."""


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


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
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


class Store:
    """The GeoPackage workspace of one operation."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def history(self) -> list[Version]:
        """Committed versions, oldest first (empty when nothing was saved)."""
        if not self.path.exists():
            return []
        try:
            with self._connect() as con:
                exists = con.execute(
                    "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (_HISTORY,)
                ).fetchone()
                if not exists:
                    return []
                rows = con.execute(
                    f"SELECT {_history_select(con)} FROM {_HISTORY} ORDER BY version"
                ).fetchall()
        except sqlite3.DatabaseError as exc:
            msg = f"Workspace {str(self.path)!r} cannot be read: {exc}."
            raise StoreError(msg) from None
        return [Version(*row) for row in rows]

    def latest(self) -> Version | None:
        """The newest committed version, if any."""
        versions = self.history()
        return versions[-1] if versions else None

    def read_sites(self, version: int | None = None) -> gpd.GeoDataFrame:
        """The sites of a version (the latest when None).

        Raises
        ------
        StoreError
            When there is no such version.
        """
        versions = {v.version: v for v in self.history()}
        if not versions:
            msg = f"Workspace {str(self.path)!r} holds no saved version."
            raise StoreError(msg)
        chosen = versions.get(version if version is not None else max(versions))
        if chosen is None:
            msg = f"Version {version} does not exist; versions: {', '.join(map(str, versions))}."
            raise StoreError(msg)
        frame = pyogrio.read_dataframe(self.path, layer=chosen.layer)
        return frame.set_crs(WGS84, allow_override=True) if frame.crs is None else frame

    def read_areas(self, version: int | None = None) -> gpd.GeoDataFrame | None:
        """The areas of a version (the latest when None), or None when the version keeps the
        operation folder's own ``areas.geojson``.

        Raises
        ------
        StoreError
            When there is no such version, or its areas layer cannot be read.
        """
        chosen = self._version(version)
        if not chosen.areas_layer:
            return None
        try:
            frame = pyogrio.read_dataframe(self.path, layer=chosen.areas_layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            msg = f"Workspace {str(self.path)!r}: areas of version {chosen.version}: {exc}."
            raise StoreError(msg) from None
        return frame.set_crs(WGS84, allow_override=True) if frame.crs is None else frame

    def _version(self, version: int | None) -> Version:
        versions = {v.version: v for v in self.history()}
        if not versions:
            msg = f"Workspace {str(self.path)!r} holds no saved version."
            raise StoreError(msg)
        chosen = versions.get(version if version is not None else max(versions))
        if chosen is None:
            msg = f"Version {version} does not exist; versions: {', '.join(map(str, versions))}."
            raise StoreError(msg)
        return chosen

    def _areas_layer(
        self,
        number: int,
        areas: gpd.GeoDataFrame | None,
        areas_from: int | None,
        latest: Version | None,
    ) -> str:
        """The areas layer of version `number`: written now, or another version's."""
        if areas is None:
            if areas_from is not None:
                return self._version(areas_from).areas_layer
            return latest.areas_layer if latest else ""
        layer = f"areas_v{number:04d}"
        try:
            pyogrio.write_dataframe(
                _storable(areas),
                self.path,
                layer=layer,
                driver="GPKG",
                layer_options={"OVERWRITE": "YES"},
            )
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
            msg = f"Workspace {str(self.path)!r} cannot be written: {exc}."
            raise StoreError(msg) from None
        return layer

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def save(
        self,
        sites: gpd.GeoDataFrame,
        *,
        action: str,
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
        areas
            The version's areas, written as its own layer (``areas_v0002``); when None the
            version keeps the areas of `areas_from`, else of the latest version (none
            recorded: the operation folder's own ``areas.geojson``).
        areas_from
            The version whose areas this one keeps (a rollback), when `areas` is None.

        Raises
        ------
        StoreError
            When the GeoPackage cannot be written.
        """
        with self._lock():
            latest = self.latest()
            number = (latest.version if latest else 0) + 1
            layer = f"sites_v{number:04d}"
            areas_layer = self._areas_layer(number, areas, areas_from, latest)
            try:
                pyogrio.write_dataframe(
                    _storable(sites),
                    self.path,
                    layer=layer,
                    driver="GPKG",
                    layer_options={"OVERWRITE": "YES"},
                )
            except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
                msg = f"Workspace {str(self.path)!r} cannot be written: {exc}."
                raise StoreError(msg) from None
            version = Version(
                version=number,
                layer=layer,
                action=action,
                file_name=file_name,
                sha256=sha256,
                saved_at=datetime.now(UTC).isoformat(timespec="seconds"),
                rows_read=rows_read,
                accepted=accepted,
                rejected=rejected,
                sites=len(sites),
                who=who,
                note=note,
                areas_layer=areas_layer,
            )
            try:
                self._commit(version)
            except sqlite3.DatabaseError as exc:
                # the layer just written stays an uncommitted orphan; the next save overwrites it
                msg = f"Workspace {str(self.path)!r} cannot be written: {exc}."
                raise StoreError(msg) from None
            return version

    def _commit(self, version: Version) -> None:
        columns = ", ".join(_HISTORY_COLUMNS)
        marks = ", ".join("?" for _ in _HISTORY_COLUMNS)
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.execute(
                    f"CREATE TABLE IF NOT EXISTS {_HISTORY} (version INTEGER PRIMARY KEY, "
                    "layer TEXT, action TEXT, file_name TEXT, sha256 TEXT, saved_at TEXT, "
                    "rows_read INTEGER, accepted INTEGER, rejected INTEGER, sites INTEGER, "
                    "who TEXT, note TEXT)"
                )
                _add_areas_column(con)
                con.execute(
                    "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                    "description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
                    (_HISTORY, _HISTORY, "Posko upload history", version.saved_at),
                )
                con.execute(
                    f"INSERT INTO {_HISTORY} ({columns}) VALUES ({marks})",
                    tuple(getattr(version, c) for c in _HISTORY_COLUMNS),
                )
                con.execute("COMMIT")
            except sqlite3.DatabaseError:
                con.execute("ROLLBACK")
                raise

    def rollback(self, version: int, *, who: str = "") -> Version:
        """Save version `version` again as the newest one (history is kept): its sites and
        its areas."""
        sites = self.read_sites(version)
        return self.save(
            sites,
            action="rollback",
            who=who,
            note=f"rollback to version {version}",
            areas_from=version,
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


def _storable(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Sites with every non-canonical column as text and column names that cannot clash."""
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
