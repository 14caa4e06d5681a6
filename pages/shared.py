"""What several pages use: the cached operation loader, markdown escaping, offline map assets,
and what the app shows when something fails (notes, recovery, an unexpected error's id)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit.components import v1 as components

from geo.access import Action, Actor, require
from geo.areas import AreaReport
from geo.audit import readable_time
from geo.errors import PoskoError
from geo.importer import ImportReport
from geo.operation import Operation, load_operation, rollback, store_for, time_zone_of
from geo.store import Version, version_action, version_note
from geo.text import format_int, localized, t
from layers.assets import (
    Asset,
    localize_assets,
    map_assets,
    private_assets_folder,
    publish_assets,
)
from layers.grid import GridSiteLayer
from pages.state import AppState

__all__ = [
    "APP_DIR",
    "UPLOAD_MAX_AGE_S",
    "cached_operation",
    "history_table",
    "md",
    "private_uploads_dir",
    "purge_uploads",
    "rejected_download",
    "render_notes",
    "render_recovery",
    "report_unexpected",
    "serve_data",
    "serve_offline",
    "upload_path",
    "uploads_folder",
    "write_private",
]

LOG = logging.getLogger("posko.app")
UPLOAD_MAX_AGE_S = 24 * 3600
"""Uploads older than this are deleted (on each new upload and when the server starts)."""
_UPLOADS = "posko-uploads"

APP_DIR = Path(__file__).resolve().parent.parent
# the map's scripts are served as the files of a path-only custom component: Streamlit's
# static serving reads only <app folder>/static, which an installed package must not write
_ASSETS_COMPONENT = "map_assets"
# an aggregated layer's data are served as a file of a second such component: a new tab's
# browser fetches them (cached by name) instead of receiving them in every page message
_DATA_COMPONENT = "map_data"
_DATA_KEEP = 32  # data files kept, the most recently shown (a map cache holds up to 16)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def cached_operation(path: str, signature: tuple) -> Operation:
    """Load an operation once per process and file version (`signature` changes when a
    file or the store does); read-only (frozen), one object shared by every session, not
    a copy unpickled for each run (that was ~0.15 s a run for 10,000 TPS)."""
    del signature  # part of the cache key only
    return load_operation(Path(path))


def md(text: object) -> str:
    """Escape a user value for Streamlit markdown (no links, images or emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def serve_offline(m: folium.Map) -> None:
    """Point the map's scripts and styles at files the app serves itself (no CDN)."""
    localize_assets(m, _asset_base_url(_publish_once(tuple(map_assets(m)))))


@st.cache_resource(show_spinner=False)
def _publish_once(assets: tuple[Asset, ...]) -> str:
    """Write the map's scripts and styles into this process's private folder (never into
    the installed package) once per asset set; the name Streamlit serves them under."""
    root = private_assets_folder()
    publish_assets(root, list(assets))
    return components.declare_component(_ASSETS_COMPONENT, path=root).name


def _asset_base_url(component: str) -> str:
    """URL path where Streamlit serves the files of the component `component`."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/component/{component}" if base else f"/component/{component}"


@st.cache_resource(show_spinner=False)
def _data_folder() -> tuple[Path, str]:
    """This process's private folder of map data files, and its component's name."""
    root = private_assets_folder()
    return root, components.declare_component(_DATA_COMPONENT, path=root).name


def serve_data(overlays: list[object]) -> None:
    """Publish the data of each aggregated layer among `overlays` as a file the app serves
    (named by its content) and point the layer at it; the file is written again if it was
    pruned while its map stayed cached. Call before the layer is rendered, and again each
    time a kept map is shown (it is then only checked and marked recent)."""
    root, component = _data_folder()
    for layer in overlays:
        if not isinstance(layer, GridSiteLayer):
            continue
        name = layer.payload_url.rsplit("/", 1)[-1] or _data_name(layer.packed)
        path = root / name
        if path.exists():
            path.touch()
        else:  # complete or absent for a browser fetching it meanwhile
            part = root / f".{name}.{secrets.token_hex(4)}"
            write_private(part, layer.packed)
            part.replace(path)
        layer.payload_url = f"{_asset_base_url(component)}/{name}"
    _prune_data(root)


def _data_name(packed: bytes) -> str:
    """A data file's name: its content's hash (a browser may keep it by that name)."""
    return f"{hashlib.sha256(packed).hexdigest()[:32]}.psk.gz"


def _prune_data(root: Path) -> None:
    """Remove all but the :data:`_DATA_KEEP` most recently shown data files."""
    files = sorted(root.glob("*.psk.gz"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[_DATA_KEEP:]:
        old.unlink(missing_ok=True)


def report_unexpected(lang: str) -> str:
    """Log the exception being handled, with its traceback, under a short id; show the user
    the catalog's message with that id (never the traceback). Returns the id."""
    code = secrets.token_hex(3).upper()
    LOG.exception("unexpected error %s", code)
    st.error(t("app.unexpected", lang, code=code))
    return code


def rejected_download(report: ImportReport | AreaReport, key: str, lang: str) -> None:
    """The rejected rows of a report as a CSV download (nothing when none was rejected)."""
    if report.rejected.empty:
        return
    st.download_button(
        t("imp.download_rejected", lang),
        data=report.rejected_csv(),
        file_name=f"rejected-{Path(report.file_name).stem}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def render_notes(operation: Operation, lang: str) -> None:
    """What the planner must know about how the operation was loaded (e.g. a version
    skipped because it is damaged, or no sites yet)."""
    for note in operation.notes:
        st.warning(md(localized(note, lang)))


_HISTORY_COLUMNS = ("version", "saved_at", "action", "file_name", "sites", "who", "note")


def history_table(versions: list[Version], lang: str, zone: str) -> pd.DataFrame:
    """Saved versions for display: times in the operation's `zone`, actions and notes in
    `lang`, "—" for no person."""
    rows = [
        {
            "version": v.version,
            "saved_at": readable_time(v.saved_at, zone),
            "action": version_action(v.action, lang),
            "file_name": v.file_name,
            "sites": v.sites,
            "who": v.who or "—",
            "note": version_note(v.note, lang),
        }
        for v in versions
    ]
    table = pd.DataFrame(rows, columns=list(_HISTORY_COLUMNS))
    return table.rename(columns={c: t(f"history.col.{c}", lang) for c in _HISTORY_COLUMNS})


def render_recovery(folder: Path, state: AppState, lang: str, actor: Actor) -> None:
    """The version history and (for those who may import) restoring an earlier version, for
    an operation that cannot be loaded or analysed (its error is shown above by the caller)."""
    store = store_for(folder)
    try:
        versions = store.history()
    except PoskoError as exc:
        st.error(localized(exc, lang))
        versions = []
    backups = store.backups()
    if backups:
        st.caption(md(t("app.backups", lang, files=", ".join(p.name for p in backups))))
    if not versions or not actor.may(Action.IMPORT, folder.name):
        return
    st.info(t("app.recovery", lang))
    st.subheader(t("imp.history", lang))
    st.dataframe(
        history_table(versions, lang, time_zone_of(folder)),
        hide_index=True,
        width="stretch",
        key="recovery_history",
    )
    older = [v.version for v in versions[:-1]]
    chosen = st.selectbox(t("imp.rollback", lang), older, key="recovery_version")
    if chosen is None:
        return
    sites = next(v.sites for v in versions if v.version == chosen)
    confirmed = st.checkbox(
        t("app.recovery_confirm", lang, version=chosen, sites=format_int(sites, lang)),
        key="recovery_confirm",
    )
    if st.button(t("imp.rollback", lang), key="recovery_rollback", disabled=not confirmed):
        try:
            require(actor, Action.IMPORT, folder.name)
            version = rollback(folder, chosen, who=actor.name, confirmed=confirmed)
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        state.import_saved = t("imp.rolled_back", lang, old=chosen, version=version.version)
        st.cache_data.clear()
        st.rerun()


def private_uploads_dir(base: Path | None = None) -> Path:
    """`<base>/posko-uploads` (base: the system's temporary folder), mode 0700 and ours.

    When that folder exists with another owner, other permissions or as a link, another
    user could read or plant files there: a fresh private folder is used instead.
    """
    base = Path(base or tempfile.gettempdir())
    folder = base / _UPLOADS
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    if _private(folder):
        return folder
    LOG.warning("%s is not private (owner or mode); using a fresh folder", folder)
    return Path(tempfile.mkdtemp(prefix=f"{_UPLOADS}-", dir=base))


def _private(folder: Path) -> bool:
    info = folder.lstat()
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) == 0o700
    )


def upload_path(folder: Path, digest: str, name: str) -> Path:
    """Where an upload with this content digest is kept: its own private sub-folder."""
    sub = folder / digest[:32]
    sub.mkdir(mode=0o700, exist_ok=True)
    return sub / (re.sub(r"[^\w.\- ]", "_", Path(name).name) or "upload")


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by this user only (0600; never through a link)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
    descriptor = os.open(path, flags, 0o600)
    with os.fdopen(descriptor, "wb") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(data)


def purge_uploads(folder: Path, *, max_age_s: float = UPLOAD_MAX_AGE_S) -> int:
    """Delete uploads in `folder` last written more than `max_age_s` ago; how many."""
    cutoff = time.time() - max_age_s
    removed = 0
    for entry in folder.iterdir() if folder.is_dir() else ():
        if entry.lstat().st_mtime < cutoff:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed += 1
    return removed


@st.cache_resource(show_spinner=False)
def uploads_folder() -> Path:
    """This server's private uploads folder, purged of old uploads when the server starts."""
    folder = private_uploads_dir()
    purge_uploads(folder)
    return folder
