"""An operation: its settings, sites and areas, loaded from an operation folder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pyogrio

from geo import audit
from geo.areas import AreaChange, canonical_areas, compare_areas, empty_areas, replace_levels
from geo.crs import WGS84
from geo.errors import PoskoError, Problem, ValidationError
from geo.logistics import RoadNetwork, read_roads
from geo.matching import Merge, merge_matched, over_share
from geo.model import AuditAction, Settings, TimeZone, load_settings, zone_for_longitude
from geo.plans import PlanContent, PlanInfo, Plans, apply_plan, initial_content
from geo.schema import canonical_sites, validate_sites
from geo.store import (
    SAMPLES,
    STORE_FILE,
    WORKSPACE_ENV,
    ConfirmationNeeded,
    NothingToSave,
    Seed,
    Version,
    file_sha256,
    store_for,
    workspace_dir,
)
from geo.text import Labels, Text

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
    "operation_time_zone",
    "plan_areas",
    "plan_import",
    "remove_roads",
    "roads_path",
    "rollback",
    "save_areas",
    "save_sites",
    "set_roads",
    "store_for",
    "time_zone_of",
    "workspace_dir",
]

SAMPLE_OPERATION = SAMPLES / "pangkalpinang"
SETTINGS_FILE = "operation.toml"
SITES_FILE = "sites.geojson"
AREAS_FILE = "areas.geojson"
ROADS_FILE = "roads.gpkg"
# a bundled sample's own files live in the workspace (the package is read-only; geo.store)
_SAMPLE_FILES = ".sample-stores"


class OperationNotFound(ValidationError):
    """No operation folder has the name asked for."""


@dataclass(frozen=True)
class Operation:
    """One security operation, as one of its plans deploys it.

    Attributes
    ----------
    key
        Short identifier (the folder name).
    path
        The operation folder.
    settings
        Validated settings from `operation.toml`, with the plan's radii, risk weights and
        preset name.
    sites
        Canonical sites, EPSG:4326 points: the site list without its posts, plus the plan's
        posts.
    areas
        Area polygons (`area_code`, `name`, `level`), EPSG:4326.
    version
        The workspace version the site list comes from (None: the folder's seed files); a
        save states it as the version it was based on.
    notes
        What the planner must know about how the operation was loaded, e.g. a damaged newer
        version skipped (shown by the app and the command line).
    list_sites
        The stored site list (imported posts included): what imports match and save
        against. Defaults to `sites`.
    plan
        The saved plan shown (None: the implicit initial plan of the imported posts).
    plan_content
        The plan's content (defaults to the initial plan: the imported posts and settings).
    base_settings
        The settings of `operation.toml` as they are (defaults to `settings`).
    roads
        The operation's road lines (EPSG:4326, :func:`roads_path`), or None when it has no
        road file: the logistics legs and the reserves' arrival then go in straight lines.
    """

    key: str
    path: Path
    settings: Settings
    sites: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    version: int | None = None
    notes: tuple[Problem, ...] = ()
    list_sites: gpd.GeoDataFrame = None  # type: ignore[assignment]
    plan: PlanInfo | None = None
    plan_content: PlanContent = None  # type: ignore[assignment]
    base_settings: Settings = None  # type: ignore[assignment]
    roads: gpd.GeoDataFrame | None = None

    def __post_init__(self) -> None:
        if self.list_sites is None:
            object.__setattr__(self, "list_sites", self.sites)
        if self.base_settings is None:
            object.__setattr__(self, "base_settings", self.settings)
        if self.plan_content is None:
            object.__setattr__(self, "plan_content", initial_content(self))

    @property
    def title(self) -> str:
        """The operation's title."""
        return self.settings.title

    @cached_property
    def road_network(self) -> RoadNetwork | None:
        """The road lines as a graph for shortest paths (built once), None without roads."""
        return None if self.roads is None else RoadNetwork(self.roads)

    @property
    def plan_version(self) -> int:
        """The version of the plan shown (0: the implicit initial plan, never saved); a plan
        save states it as its `base_version`."""
        return self.plan.version if self.plan else 0

    def with_list_sites(self, sites: gpd.GeoDataFrame) -> Operation:
        """The operation with another site list and the same plan: a saved plan keeps its
        posts; the implicit initial plan takes the list's posts."""
        changed = replace(self, list_sites=sites, sites=sites)
        if self.plan is None:
            return replace(changed, plan_content=initial_content(changed), settings=self.settings)
        return apply_plan(changed, self.plan, self.plan_content)


def load_operation(path: Path | str = SAMPLE_OPERATION, plan: str | None = None) -> Operation:
    """Load an operation folder: `operation.toml`, `sites.geojson`, `areas.geojson`, and the
    plan shown (the current plan unless `plan` names another).

    The site list is the newest readable version in the workspace, else the folder's
    `sites.geojson`; a new operation may have none yet (a note says so).

    Parameters
    ----------
    path
        The operation folder.
    plan
        A plan's name (case and spaces ignored) or id; None: the current plan.

    Raises
    ------
    SettingsError
        When the settings file is missing or invalid.
    PlanNotFound
        When no plan has the name asked for (the message names those that exist).
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
    areas = _load_areas(folder, current.version if current else None)
    settings = replace(settings, time_zone=operation_time_zone(settings, areas, sites))
    operation = Operation(
        key=folder.name,
        path=folder,
        settings=settings,
        sites=sites,
        areas=areas,
        version=current.version.version if current else None,
        notes=notes,
        roads=_load_roads(folder),
    )
    plans = Plans(folder, initial=operation.plan_content, settings=settings)
    info = plans.resolve(plan) if plan is not None else plans.current()
    if info is None:
        return operation
    return apply_plan(operation, info, plans.content(info.plan_id, info.version))


def operation_time_zone(
    settings: Settings, areas: gpd.GeoDataFrame, sites: gpd.GeoDataFrame
) -> str:
    """The operation's time zone: `[operation] time_zone`, else the zone of its areas'
    centre (of its sites' when it has no areas; WIB when it has neither)."""
    if settings.time_zone:
        return settings.time_zone
    for frame in (areas, sites):
        if not frame.empty:
            west, _, east, _ = frame.total_bounds
            return str(zone_for_longitude((west + east) / 2))
    return str(TimeZone.WIB)


def time_zone_of(folder: Path) -> str:
    """The time zone of an operation folder (as :func:`load_operation` gives it); for a
    folder that cannot be loaded, its settings' `time_zone`, else "UTC" (labelled so)."""
    try:
        return str(load_operation(folder).settings.time_zone)
    except PoskoError:
        pass
    try:
        return load_settings(Path(folder) / SETTINGS_FILE).time_zone or audit.UTC_LABEL
    except PoskoError:
        return audit.UTC_LABEL


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


def operation_roots() -> list[Path]:
    """Where operations are looked for: the workspace folder, then the bundled samples."""
    return [workspace_dir(), SAMPLES]


def find_operation(name: str | Path | None = None) -> Path:
    """An operation folder from a folder path or an operation name (the sample when None).

    Names are looked up in :func:`operation_roots`, the workspace first; a path must be a
    folder holding `operation.toml`. Nothing falls back to the sample.

    Raises
    ------
    OperationNotFound
        When `name` is neither an operation folder nor the name of a known operation (the
        message lists those that exist).
    """
    if name is None:
        return SAMPLE_OPERATION
    path = Path(name)
    # a folder is an operation only with its settings file: any other folder (a typo that
    # happens to name one) would get a store written into it
    if (path / SETTINGS_FILE).is_file():
        return path
    found = discover_operations(*operation_roots())
    if str(name) in found:
        return found[str(name)]
    raise OperationNotFound.from_text(
        "operation.not_found", name=str(name), expected=", ".join(sorted(found))
    )


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
    folder = operation.path if isinstance(operation, Operation) else Path(operation)
    if isinstance(operation, Operation):
        store, base = store_for(folder), operation.version
    else:
        store = store_for(folder)
        latest = store.latest()
        base = latest.version if latest else None
    saved = store.rollback(version, base_version=base, who=who)
    audit.record(
        who,
        AuditAction.ROLLBACK,
        operation=folder.name,
        what=Text("audit.what.rollback", {"version": version}),
        version_before=base,
        version_after=saved.version,
    )
    return saved


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
    return merge_matched(
        operation.list_sites, canonical_sites(imported), replace_kinds=replace_kinds
    )


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
        operation.list_sites, merge, max_share=float(operation.settings.max_replace_share)
    )
    if large and not confirmed:
        raise ConfirmationNeeded.from_text(
            "guard.import_unconfirmed",
            changes="; ".join(f"{k}: {n}/{total}" for k, (n, total) in sorted(large.items())),
            share=f"{operation.settings.max_replace_share:.0%}",
        )
    merged = validate_sites(canonical_sites(merge.sites))
    note = "replace kinds" if replace_kinds else "add/update by matching"
    saved = _save_version(
        operation,
        merged,
        action="import",
        rows=len(imported),
        counts=counts,
        source=(file_name, sha256, who),
        note=note,
    )
    mode = Text("history.note.replace" if replace_kinds else "history.note.merge")
    what = Text("audit.what.import", {"file": file_name, "mode": mode})
    _audit_save(operation, saved, AuditAction.IMPORT, who, what=what)
    return saved


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
    note = "areas: " + _level_changes(change, change.changed)
    saved = _save_version(
        operation,
        operation.list_sites,
        action="areas",
        rows=len(areas),
        counts=counts,
        source=(file_name, sha256, who),
        note=note,
        areas=new,
    )
    what = Text("audit.what.areas_import", {"file": file_name, "changes": _level_texts(change)})
    _audit_save(operation, saved, AuditAction.AREAS_IMPORT, who, what=what)
    return saved


def _audit_save(
    operation: Operation, saved: Version, action: AuditAction, who: str, *, what: Text
) -> None:
    """The audit record of a saved import (the file's SHA-256 as the history keeps it)."""
    audit.record(
        who,
        action,
        operation=operation.key,
        what=what,
        # the first save keeps the seed as the version before this one
        version_before=operation.version if operation.version is not None else saved.version - 1,
        version_after=saved.version,
        sha256=saved.sha256,
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
    seed = Seed(operation.list_sites, SITES_FILE, "", "the operation folder's own sites")
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


def _level_texts(change: AreaChange) -> tuple[Text, ...] | Labels:
    """The changed levels' counts as the audit log keeps them, read in each reader's
    language ("kelurahan/desa 42 → 42"; "–" when no level's count changed)."""
    texts = tuple(
        Text(
            "audit.what.area_level",
            {
                "level": Labels("area_level", {"values": (level,)}),
                "before": int(change.before.get(level, 0)),
                "after": int(change.after.get(level, 0)),
            },
        )
        for level in change.changed
    )
    return texts or Labels("area_level", {"values": ()})


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
    """Name, size and modification time of every file of an operation, and its store's
    signature (a file's, or a PostGIS revision): a cache key that changes with every save."""
    folder = Path(path)
    files = [p for p in sorted(folder.iterdir()) if p.is_file()]
    roads = roads_path(folder)
    if roads.parent.resolve() != folder.resolve() and roads.is_file():
        files.append(roads)  # a sample's road file, in the workspace
    own = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return own + tuple(s for s in store_for(folder).signature() if s not in own)


def roads_path(folder: Path | str) -> Path:
    """Where an operation's road file lies: `roads.gpkg` in its folder; a bundled sample's
    (the package is read-only) in the workspace, beside the sample's store."""
    folder = Path(folder).resolve()
    if folder.is_relative_to(SAMPLES):
        return workspace_dir() / _SAMPLE_FILES / folder.name / ROADS_FILE
    return folder / ROADS_FILE


def _load_roads(folder: Path) -> gpd.GeoDataFrame | None:
    """The operation's road lines (None without a road file).

    Raises
    ------
    ValidationError
        When the road file cannot be used: why, and how to replace or remove it.
    """
    path = roads_path(folder)
    if not path.exists():
        return None
    try:
        return read_roads(path)
    except PoskoError as exc:
        reason = Text(exc.key, exc.params) if exc.key else str(exc)
        raise ValidationError.from_text(
            "operation.roads_broken", file=str(path), reason=reason, operation=folder.name
        ) from None


def set_roads(folder: Path | str, source: Path | str, *, who: str) -> Path:
    """Give an operation its road file (`posko roads set`): `source` (any line file GDAL
    reads) is checked and written as the operation's `roads.gpkg` (EPSG:4326), replacing
    the one it had; audited as done by `who`, with the written file's SHA-256.

    Returns
    -------
    path
        Where the road file was written (:func:`roads_path`).

    Raises
    ------
    ValidationError, CRSError
        When `source` cannot be read, declares no CRS or holds no line; nothing is written.
    """
    roads = read_roads(source)
    target = roads_path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".partial-{target.name}")
    partial.unlink(missing_ok=True)
    pyogrio.write_dataframe(roads, partial, driver="GPKG", layer="roads")
    partial.replace(target)  # a file half written is never the operation's road file
    what = Text("audit.what.roads_set", {"file": Path(source).name})
    audit.record(
        who, AuditAction.ROADS, operation=Path(folder).name, what=what, sha256=file_sha256(target)
    )
    return target


def remove_roads(folder: Path | str, *, who: str) -> Path | None:
    """Remove an operation's road file (`posko roads remove`; audited as done by `who`):
    legs and reserves' arrival go in straight lines again. Returns the file removed, None
    when there was none."""
    target = roads_path(folder)
    if not target.exists():
        return None
    target.unlink()
    what = Text("audit.what.roads_removed")
    audit.record(who, AuditAction.ROADS, operation=Path(folder).name, what=what)
    return target


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
