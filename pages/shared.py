"""What several pages use: the cached operation loader, markdown escaping, offline map assets,
and what the app shows when something fails (notes, recovery, an unexpected error's id)."""

from __future__ import annotations

import logging
import re
import secrets
from pathlib import Path

import folium
import pandas as pd
import streamlit as st

from geo.errors import PoskoError
from geo.operation import Operation, load_operation, rollback, store_for
from geo.text import format_int, localized, t
from layers.assets import Asset, localize_assets, map_assets, publish_assets
from pages.state import AppState

__all__ = [
    "APP_DIR",
    "cached_operation",
    "md",
    "render_notes",
    "render_recovery",
    "report_unexpected",
    "serve_offline",
]

LOG = logging.getLogger("posko.app")

APP_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = APP_DIR / "static"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@st.cache_data(show_spinner=False, max_entries=8)
def cached_operation(path: str, signature: tuple) -> Operation:
    """Load an operation once per file version (`signature` changes when a file does)."""
    del signature  # part of the cache key only
    return load_operation(Path(path))


def md(text: object) -> str:
    """Escape a user value for Streamlit markdown (no links, images or emphasis)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def serve_offline(m: folium.Map) -> None:
    """Point the map's scripts and styles at files the app serves itself (no CDN)."""
    _publish_once(tuple(map_assets(m)))
    localize_assets(m, _static_base_url())


@st.cache_resource(show_spinner=False)
def _publish_once(assets: tuple[Asset, ...]) -> None:
    """Write the map's scripts and styles under static/ once per process and asset set."""
    publish_assets(STATIC_DIR, list(assets))


def _static_base_url() -> str:
    """URL path where Streamlit serves the app's `static/` folder."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def report_unexpected(lang: str) -> str:
    """Log the exception being handled, with its traceback, under a short id; show the user
    the catalog's message with that id (never the traceback). Returns the id."""
    code = secrets.token_hex(3).upper()
    LOG.exception("unexpected error %s", code)
    st.error(t("app.unexpected", lang, code=code))
    return code


def render_notes(operation: Operation, lang: str) -> None:
    """What the planner must know about how the operation was loaded (e.g. a version
    skipped because it is damaged, or no sites yet)."""
    for note in operation.notes:
        st.warning(md(localized(note, lang)))


def render_recovery(folder: Path, state: AppState, lang: str) -> None:
    """The version history and restoring an earlier version, for an operation that cannot
    be loaded or analysed (its error is shown above by the caller)."""
    store = store_for(folder)
    try:
        versions = store.history()
    except PoskoError as exc:
        st.error(localized(exc, lang))
        versions = []
    backups = store.backups()
    if backups:
        st.caption(md(t("app.backups", lang, files=", ".join(p.name for p in backups))))
    if not versions:
        return
    st.info(t("app.recovery", lang))
    st.subheader(t("imp.history", lang))
    st.dataframe(
        pd.DataFrame([v.__dict__ for v in versions]).drop(columns=["layer"]),
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
            version = rollback(folder, chosen, who=state.import_who, confirmed=confirmed)
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        state.import_saved = t("imp.rolled_back", lang, old=chosen, version=version.version)
        st.cache_data.clear()
        st.rerun()
