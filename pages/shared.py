"""What several pages use: the cached operation loader, markdown escaping, offline map assets."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import streamlit as st

from geo.operation import Operation, load_operation
from layers.assets import Asset, localize_assets, map_assets, publish_assets

__all__ = ["APP_DIR", "cached_operation", "md", "serve_offline"]

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
