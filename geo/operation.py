"""An operation: its settings, sites and areas, loaded from an operation folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.areas import AreaChange, canonical_areas, compare_areas, empty_areas, replace_levels
from geo.crs import WGS84
from geo.errors import Problem, ValidationError
from geo.matching import Merge, merge_matched, over_share
from geo.model import Settings, load_settings
from geo.schema import canonical_sites, validate_sites
from geo.store import STORE_FILE, Seed, Store, Version

__all__ = [
    "SAMPLES",
    "SAMPLE_OPERATION",
    "WORKSPACE_ENV",
    "ConfirmationNeeded",
    "NothingToSave",
    "Operation",
    "OperationNotFound",
    "discover_operations",
    "find_operation",
    "load_operation",
    "operation_roots",
    "operation_signature",
    "plan_areas",
    "plan_import",
    "rollback",
    "save_areas",
    "save_sites",
    "store_for",
    "workspace_dir",
]

# The bundled sample operations ship inside the package (package data): read them, never
# write there; their workspaces live in the user's workspace folder (see `store_for`).
SAMPLES = Path(__file__).resolve().parent / "sample"
SAMPLE_OPERATION = SAMPLES / "pangkalpinang"
WORKSPACE_ENV = "POSKO_WORKSPACE"
SETTINGS_FILE = "operation.toml"
SITES_FILE = "sites.geojson"
AREAS_FILE = "areas.geojson"
_SAMPLE_STORES = ".sample-stores"


class OperationNotFound(ValidationError):
    """No operation folder has the name asked for."""


class ConfirmationNeeded(ValidationError):
    """A save or rollback changes much and was not confirmed explicitly; nothing was saved."""


class NothingToSave(ValidationError):
    """An import would change no site (e.g. the same list imported again); nothing saved."""


@dataclass(frozen=True)
class Operation:
    """One security operation.

    Attributes
    ----------
    key
        Short identifier (the folder name).
    path
        The operation folder.
    settings
        Validated settings from `operation.toml`.
    sites
        Canonical sites, EPSG:4326 points.
    areas
        Area polygons (`area_code`, `name`, `level`), EPSG:4326.
    version
        The workspace version the sites come from (None: the folder's seed files); a save
        states it as the version it was based on.
    notes
        What the planner must know about how the operation was loaded, e.g. a damaged newer
        version skipped (shown by the app and the command line).
    """

    key: str
    path: Path
    settings: Settings
    sites: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    version: int | None = None
    notes: tuple[Problem, ...] = ()

    @property
    def title(self) -> str:
        """The operation's title."""
        return self.settings.title


def load_operation(path: Path | str = SAMPLE_OPERATION) -> Operation:
    """Load an operation folder: `operation.toml`, `sites.geojson`, `areas.geojson`.

    The sites are the newest readable version in the workspace, else the folder's
    `sites.geojson`; a new operation may have none yet (a note says so).

    Parameters
    ----------
    path
        The operation folder.

    Raises
    ------
    SettingsError
        When the settings file is missing or invalid.
    ValidationError
        When the folder or a layer is missing or its sites break the model's rules.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ValidationError.from_text("operation.folder_missing", folder=str(folder))
    settings = load_settings(folder / SETTINGS_FILE)
    current = store_for(folder).current()
    sites = validate_sites(canonical_sites(current.sites if current else _seed_sites(folder)))
    notes = current.notes if current else ()
    if sites.empty:
        notes = (*notes, Problem.from_text(str(folder), "operation.no_sites"))
    return Operation(
        key=folder.name,
        path=folder,
        settings=settings,
        sites=sites,
        areas=_load_areas(folder, current.version if current else None),
        version=current.version.version if current else None,
        notes=notes,
    )


def _load_areas(folder: Path, latest: Version | None) -> gpd.GeoDataFrame:
    """The areas of the latest version (its own layer), else the folder's `areas.geojson`,
    as canonical areas (a published boundary file's codes give level and parent)."""
    saved = store_for(folder).read_areas(latest.version) if latest is not None else None
    if saved is not None:
        return canonical_areas(saved, file_name=f"{STORE_FILE}:{latest.areas_layer}")
    path = folder / AREAS_FILE
    if not path.exists():
        return empty_areas()
    return canonical_areas(_read_layer(path), file_name=AREAS_FILE)


def workspace_dir() -> Path:
    """The user's workspace folder: `$POSKO_WORKSPACE`, else `$XDG_DATA_HOME/posko`
    (`~/.local/share/posko`). It may not exist yet."""
    workspace = os.environ.get(WORKSPACE_ENV)
    if workspace:
        return Path(workspace)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "posko"


def operation_roots() -> list[Path]:
    """Where operations are looked for: the workspace folder, then the bundled samples."""
    return [workspace_dir(), SAMPLES]


def find_operation(name: str | Path | None = None) -> Path:
    """An operation folder from a folder path or an operation name (the sample when None).

    Names are looked up in :func:`operation_roots`, the workspace first.

    Raises
    ------
    OperationNotFound
        When `name` is neither a folder nor the name of a known operation.
    """
    if name is None:
        return SAMPLE_OPERATION
    path = Path(name)
    if path.is_dir():
        return path
    found = discover_operations(*operation_roots())
    if str(name) in found:
        return found[str(name)]
    raise OperationNotFound.from_text(
        "operation.not_found", name=str(name), expected=", ".join(sorted(found))
    )


def store_for(folder: Path) -> Store:
    """The GeoPackage workspace of an operation folder.

    It lies in the folder itself, except for a bundled sample: the package is read-only, so
    its workspace lies in the user's workspace folder.
    """
    folder = Path(folder).resolve()
    if folder.is_relative_to(SAMPLES):
        return Store(workspace_dir() / _SAMPLE_STORES / folder.name / STORE_FILE)
    return Store(folder / STORE_FILE)


def rollback(
    operation: Operation | Path, version: int, *, who: str = "", confirmed: bool = False
) -> Version:
    """Make an earlier version of an operation's sites the current one (a new version).

    Parameters
    ----------
    operation
        The operation or its folder.
    version
        The version to restore.
    who
        Who rolls back (kept in the history).
    confirmed
        The planner confirmed the rollback explicitly; without it nothing is saved.

    The workspace is copied first (see `Store.backup`). An `Operation` states the version
    it was loaded at, and the rollback is refused when another save came after it; a folder
    rolls back from whatever version is the newest now.

    Raises
    ------
    ConfirmationNeeded
        When `confirmed` is False.
    StoreConflict
        When another save came after the operation was loaded.
    StoreError
        When there is no such version or the workspace cannot be written.
    """
    if not confirmed:
        raise ConfirmationNeeded.from_text("guard.rollback_unconfirmed", version=version)
    if isinstance(operation, Operation):
        store, base = store_for(operation.path), operation.version
    else:
        store = store_for(Path(operation))
        latest = store.latest()
        base = latest.version if latest else None
    return store.rollback(version, base_version=base, who=who)


def plan_import(
    operation: Operation, imported: gpd.GeoDataFrame, *, replace_kinds: bool = False
) -> Merge:
    """What an import would do to the operation's sites (nothing is saved).

    Parameters
    ----------
    operation
        The operation.
    imported
        Accepted rows of the import.
    replace_kinds
        Remove existing sites of the imported kinds that no row matches.

    Returns
    -------
    merge
        The would-be sites and what each row does (new, update, unchanged, conflict).
    """
    return merge_matched(operation.sites, canonical_sites(imported), replace_kinds=replace_kinds)


def save_sites(
    operation: Operation,
    imported: gpd.GeoDataFrame,
    *,
    replace_kinds: bool = False,
    file_name: str = "",
    sha256: str = "",
    counts: dict[str, int] | None = None,
    who: str = "",
    confirmed: bool = False,
) -> Version:
    """Match imported sites to the operation's and save the result as a new version.

    Rows are matched by id, TPS number within a kelurahan, or name and position (see
    :mod:`geo.matching`), so the same list imported twice adds nothing. The first save also
    keeps the folder's seed sites as version 1, under the same lock, so a rollback can always
    return to them. The save is based on `operation.version`: when another save came after
    the operation was loaded, nothing is saved (no lost update; the planner reloads and
    imports again).

    Parameters
    ----------
    confirmed
        The planner confirmed the change; needed when the import updates or removes more
        than `[import] max_replace_share` of the sites of one kind.

    Raises
    ------
    NothingToSave
        When the import changes no site (nothing is saved: no empty version).
    ConfirmationNeeded
        When the change is large and not confirmed (nothing is saved then).
    ValidationError
        When the merged sites break the model's rules (nothing is saved then).
    StoreConflict
        When another save came after the operation was loaded (nothing is saved then).
    StoreError
        When the workspace cannot be written.
    """
    merge = plan_import(operation, imported, replace_kinds=replace_kinds)
    if not merge.changes_anything:
        raise NothingToSave.from_text("guard.nothing_changes", rows=len(imported))
    large = over_share(
        operation.sites, merge, max_share=float(operation.settings.max_replace_share)
    )
    if large and not confirmed:
        raise ConfirmationNeeded.from_text(
            "guard.import_unconfirmed",
            changes="; ".join(f"{k}: {n}/{total}" for k, (n, total) in sorted(large.items())),
            share=f"{operation.settings.max_replace_share:.0%}",
        )
    merged = validate_sites(canonical_sites(merge.sites))
    return _save_version(
        operation,
        merged,
        action="import",
        rows=len(imported),
        counts=counts,
        source=(file_name, sha256, who),
        note="replace kinds" if replace_kinds else "add/update by matching",
    )


def plan_areas(operation: Operation, imported: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The operation's areas after an import: each imported level replaces that level as a
    whole, the other levels are kept (nothing is saved)."""
    return replace_levels(operation.areas, imported)


def save_areas(
    operation: Operation,
    areas: gpd.GeoDataFrame,
    *,
    file_name: str = "",
    sha256: str = "",
    counts: dict[str, int] | None = None,
    who: str = "",
    confirmed: bool = False,
) -> Version:
    """Save imported areas into the operation as a new version (the sites stay as they are).

    Every level present in `areas` replaces the operation's areas of that level; the other
    levels are kept. The first save also keeps the folder's seed as version 1.

    Parameters
    ----------
    areas
        Canonical areas, e.g. :attr:`geo.areas.AreaReport.accepted`.
    confirmed
        The planner confirmed the change; needed when a level the operation has is replaced.

    Raises
    ------
    NothingToSave
        When the areas are those the operation has already.
    ConfirmationNeeded
        When a level would be replaced without confirmation (nothing is saved then).
    StoreConflict
        When another save came after the operation was loaded (nothing is saved then).
    StoreError
        When the workspace cannot be written.
    """
    new = plan_areas(operation, areas)
    change = compare_areas(operation.areas, new)
    if not change.changes_anything:
        raise NothingToSave.from_text("guard.areas_nothing_changes", areas=len(areas))
    if change.replaced and not confirmed:
        raise ConfirmationNeeded.from_text(
            "guard.areas_unconfirmed", levels=_level_changes(change, change.replaced)
        )
    return _save_version(
        operation,
        operation.sites,
        action="areas",
        rows=len(areas),
        counts=counts,
        source=(file_name, sha256, who),
        note="areas: " + _level_changes(change, change.changed),
        areas=new,
    )


def _save_version(
    operation: Operation,
    sites: gpd.GeoDataFrame,
    *,
    action: str,
    rows: int,
    counts: dict[str, int] | None,
    source: tuple[str, str, str],
    note: str,
    areas: gpd.GeoDataFrame | None = None,
) -> Version:
    """Save a new version based on the one `operation` was loaded at; the first save keeps
    the folder's seed sites as version 1 under the same lock. `source` is (file name,
    SHA-256, who)."""
    file_name, sha256, who = source
    # the folder's own sites are its seed, not the work of whoever saved first
    seed = Seed(operation.sites, SITES_FILE, "", "the operation folder's own sites")
    counts = counts or {}
    return store_for(operation.path).save(
        sites,
        action=action,
        base_version=operation.version,
        seed=seed if operation.version is None else None,
        file_name=file_name,
        sha256=sha256,
        rows_read=counts.get("rows_read", rows),
        accepted=counts.get("accepted", rows),
        rejected=counts.get("rejected", 0),
        who=who,
        note=note,
        areas=areas,
    )


def _level_changes(change: AreaChange, levels: tuple[str, ...]) -> str:
    """ "kelurahan 42 → 42, kecamatan 0 → 7" (English: the history and error logs)."""
    return ", ".join(
        f"{lv} {change.before.get(lv, 0)} → {change.after.get(lv, 0)}" for lv in levels
    )


def discover_operations(*roots: Path) -> dict[str, Path]:
    """Operation folders (holding `operation.toml`) directly under `roots`, by key.

    A root that is itself an operation folder counts too. Earlier roots win on equal keys.
    """
    found: dict[str, Path] = {}
    for root in roots:
        candidates = (
            [root, *sorted(p for p in root.iterdir() if p.is_dir())] if root.is_dir() else []
        )
        for folder in candidates:
            if (folder / SETTINGS_FILE).is_file():
                found.setdefault(folder.name, folder.resolve())
    return found


def operation_signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file of an operation and of its workspace
    (a cache key)."""
    folder = Path(path)
    files = [p for p in sorted(folder.iterdir()) if p.is_file()]
    store = store_for(folder).path
    if store.parent.resolve() != folder.resolve() and store.is_file():
        files.append(store)
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)


def _seed_sites(folder: Path) -> gpd.GeoDataFrame:
    """The folder's own sites; none yet when a new operation has no sites file."""
    path = folder / SITES_FILE
    if not path.exists():
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WGS84))
    return _read_layer(path)


def _read_layer(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise ValidationError.from_text("operation.layer_missing", file=str(path))
    try:
        frame = pyogrio.read_dataframe(path)
    except pyogrio.errors.DataSourceError as exc:
        raise ValidationError.from_text(
            "operation.layer_unreadable", file=str(path), reason=str(exc)
        ) from None
    if frame.crs is None:
        frame = frame.set_crs(WGS84)
    return frame.to_crs(WGS84)
