"""The import page's road part: a road file checked and shown in numbers, then, confirmed,
made the operation's road file (`geo.operation.set_roads`, as `posko roads set` does); the
road file the operation has now, and its removal.

With a road file, logistics legs and reserves' arrival at a scenario's target follow the
roads (the map page, the scenarios page, the briefings); without one, straight lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from geo.access import Action, require
from geo.crs import GEOD
from geo.errors import PoskoError
from geo.logistics import read_roads
from geo.operation import Operation, remove_roads, set_roads
from geo.text import format_int, format_number, localized, t
from pages.state import PageContext

__all__ = ["ROAD_SUFFIXES", "RoadFile", "read_road_file", "render_road_import", "road_status"]

ROAD_SUFFIXES = ("gpkg", "geojson", "json")
"""Road files the app takes (a shapefile: through ``posko roads set``)."""
_CONFIRM_KEY = "imp_roads_confirm"
_REMOVE_KEY = "imp_roads_remove_confirm"


@dataclass(frozen=True)
class RoadFile:
    """An uploaded road file as read: its lines, their length and whether any lies within
    the operation's extent."""

    lines: int
    length_km: float
    near: bool


@st.cache_data(show_spinner=False, max_entries=4)
def read_road_file(path: str, bounds: tuple[float, float, float, float] | None) -> RoadFile:
    """Read a road file once: lines, geodesic length, any line within `bounds` (west,
    south, east, north; None: no extent to check against)."""
    roads = read_roads(Path(path))
    length_m = float(np.nansum([GEOD.geometry_length(g) for g in roads.geometry]))
    near = True
    if bounds is not None:
        west, south, east, north = bounds
        near = bool(len(roads.cx[west:east, south:north]))
    return RoadFile(lines=len(roads), length_km=length_m / 1000, near=near)


def _extent(operation: Operation) -> tuple[float, float, float, float] | None:
    """The operation's areas (or sites) bounds, widened by a tenth; None when it has none."""
    frame = operation.areas if not operation.areas.empty else operation.sites
    if frame.empty:
        return None
    west, south, east, north = (float(v) for v in frame.total_bounds)
    pad_x, pad_y = 0.1 * (east - west) + 0.01, 0.1 * (north - south) + 0.01
    return (west - pad_x, south - pad_y, east + pad_x, north + pad_y)


def road_status(operation: Operation, lang: str) -> str:
    """One line saying whether the operation has a road file, and what follows from it."""
    if operation.roads is None:
        return t("imp.roads_none", lang)
    return t("imp.roads_current", lang, lines=format_int(len(operation.roads), lang))


def _render_removal(ctx: PageContext) -> None:
    """The removal of the operation's road file, once its confirmation is ticked."""
    lang = ctx.lang
    sure = st.checkbox(t("imp.roads_remove_confirm", lang), key=_REMOVE_KEY)
    if st.button(t("imp.roads_remove", lang), key="imp_roads_rm", disabled=not sure):
        require(ctx.actor, Action.IMPORT, ctx.operation.key)
        remove_roads(ctx.path, who=ctx.actor.name)
        ctx.state.import_saved = t("imp.roads_removed", lang)
        ctx.state.forget([_REMOVE_KEY])
        st.rerun()


def render_road_import(ctx: PageContext, path: Path | None, name: str | None) -> None:
    """The operation's road file now (with its removal), then the uploaded file: its
    numbers, a warning when no road lies near the operation, and the confirmed save."""
    operation, lang = ctx.operation, ctx.lang
    require(ctx.actor, Action.IMPORT, operation.key)
    st.caption(road_status(operation, lang))
    if operation.roads is not None:
        _render_removal(ctx)
    if path is None or name is None:
        st.info(t("imp.roads_hint", lang))
        return
    try:
        found = read_road_file(str(path), _extent(operation))
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    cols = st.columns(2)
    cols[0].metric(t("imp.roads_lines", lang), format_int(found.lines, lang))
    length = format_number(found.length_km, lang, decimals=1)
    cols[1].metric(t("imp.roads_km", lang), f"{length} km")
    if not found.near:
        st.warning(t("imp.roads_far", lang, file=name))
    confirmed = st.checkbox(t("imp.roads_confirm", lang, file=name), key=_CONFIRM_KEY)
    if st.button(
        t("imp.roads_save", lang), type="primary", key="imp_roads_save", disabled=not confirmed
    ):
        try:
            require(ctx.actor, Action.IMPORT, operation.key)
            set_roads(ctx.path, path, who=ctx.actor.name)
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        ctx.state.import_saved = t(
            "imp.roads_saved", lang, lines=format_int(found.lines, lang), file=name
        )
        ctx.state.forget([_CONFIRM_KEY])  # saved: a second save needs a second confirmation
        st.rerun()
