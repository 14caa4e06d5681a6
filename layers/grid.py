"""The map of a large operation by zoom: cells at low zoom, the sites in view when few enough.

A province has 100,000+ TPS; one canvas marker with a tooltip each made a 29 MB briefing,
40 s to open and a red blob at country zoom. Above :data:`AGGREGATE_ABOVE` sites every site
layer is a :class:`GridSiteLayer`: its columns travel once, deflated (the browser inflates
them with `DecompressionStream`), and the browser bins them per zoom into square cells of
:data:`CELL_PX` pixels (count, TPS beyond reach, gravest risk class) — from the zoom where
at most :data:`DETAIL_LIMIT` sites are near the view, it draws those sites as the small map
does, and a spot holding several sites as one stack marker whose click lists them all. The
posts' reach is a :class:`CoverageSurface`, not one polygon per post.

:func:`cell_summary` is the binning in numpy: the very cells the browser draws (tests hold
the two equal).
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from folium.map import FeatureGroup
from folium.template import Template

from geo.analysis import Analysis
from geo.model import Col, Derived, Kind, PostType, Risk
from geo.text import format_int, format_number, label, t
from layers.elements import (
    SiteLayer,
    SiteStyle,
    Tooltips,
    coordinates,
    escape_text,
    js_literal,
    sites_runtime,
)
from layers.styles import KIND_STYLES, POST_STYLES, RISK_STYLES, SHARE_RAMP

__all__ = [
    "AGGREGATE_ABOVE",
    "CELL_PX",
    "DETAIL_LIMIT",
    "ICON_DETAIL_LIMIT",
    "INDEX_ZOOM",
    "MIN_DETAIL_ZOOM",
    "CoverageSurface",
    "GridSiteLayer",
    "cell_summary",
    "grid_runtime",
    "reach_surface",
    "should_aggregate",
    "spot_numbers",
    "world_xy",
]

# More sites than this in an operation: its map aggregates by zoom (a city's few thousand
# stay drawn one by one, as before).
AGGREGATE_ABOVE = 5000
# A cell's side in screen pixels at its zoom.
CELL_PX = 48
# Sites are drawn one by one when at most this many are near the view...
DETAIL_LIMIT = 3000
# (sites drawn as icons, page elements rather than canvas dots: this many)
ICON_DETAIL_LIMIT = 400
# ...and the zoom is at least this (below it a view spans too many index tiles to count).
MIN_DETAIL_ZOOM = 12
# The spatial index: sites bucketed by the 256-px tile holding them at this zoom.
INDEX_ZOOM = 15
_TILE = 256.0


@cache
def grid_runtime() -> str:
    """The browser side (`PoskoGrid`, after the `PoskoSites` it builds on), inlined with
    each layer that needs it (once per page at run time: each defines itself only when
    missing)."""
    grid = (Path(__file__).parent / "templates" / "posko_grid.js").read_text(encoding="utf-8")
    return sites_runtime() + grid


def world_xy(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator coordinates at zoom 0 (0..256 pixels), as the browser computes them."""
    lat = np.asarray(lat, dtype=float)
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * _TILE
    s = np.sin(lat * np.pi / 180.0)
    y = (0.5 - np.log((1 + s) / (1 - s)) / (4 * np.pi)) * _TILE
    return x, y


def cell_summary(
    lat: Sequence[float],
    lon: Sequence[float],
    zoom: int,
    *,
    uncovered: Sequence[bool] | None = None,
    risk_rank: Sequence[int] | None = None,
    cell_px: int = CELL_PX,
) -> pd.DataFrame:
    """The cells of `zoom`: per cell (cx, cy) its site count, those beyond reach and the
    gravest risk class (its index in `geo.model.Risk`, -1 when none).

    Coordinates are rounded to 6 decimals first, as the map ships them.
    """
    lat = np.round(np.asarray(lat, dtype=float), 6)
    lon = np.round(np.asarray(lon, dtype=float), 6)
    x, y = world_xy(lat, lon)
    scale = 2.0**zoom / cell_px
    frame = pd.DataFrame(
        {
            "cx": np.floor(x * scale).astype(np.int64),
            "cy": np.floor(y * scale).astype(np.int64),
            "count": 1,
            "uncovered": np.zeros(len(lat), int) if uncovered is None else np.asarray(uncovered),
            "worst": np.full(len(lat), -1) if risk_rank is None else np.asarray(risk_rank),
        }
    )
    cells = frame.groupby(["cx", "cy"], sort=True).agg(
        count=("count", "sum"), uncovered=("uncovered", "sum"), worst=("worst", "max")
    )
    return cells.reset_index().astype({"uncovered": np.int64})


def spot_numbers(lat: Sequence[float], lon: Sequence[float]) -> np.ndarray:
    """Per site, the number of its spot (its exact position), spots numbered in order of
    first appearance: sites sharing a number are one stack on the map."""
    keys = np.stack([np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)], axis=1)
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # spots by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse.ravel()]


def _packed(value: Any) -> str:
    """JSON, deflated, base64: about a quarter of the JSON's size for site columns."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def _cell_text(kind: str, lang: str) -> dict[str, Any]:
    """The catalog's words for cells and stacks (escaped), slots filled in the browser."""
    name = label("kind", kind, lang)
    texts = {
        "count": t("grid.cell_count", lang, n="{n}", kind=name),
        "uncovered": t("grid.cell_uncovered", lang, n="{n}", share="{share}"),
        "worst": t("grid.cell_worst", lang, risk="{risk}"),
        "zoom": t("grid.cell_zoom", lang),
        "stack": t("grid.stack", lang, n="{n}", kind=name),
        "stackTitle": t("grid.stack_title", lang, n="{n}", kind=name),
    }
    out: dict[str, Any] = {key: escape_text(value) for key, value in texts.items()}
    out["risks"] = [escape_text(label("risk", risk, lang)) for risk in Risk]
    out["sep"] = format_int(1000, lang)[1]
    out["decimal"] = format_number(0.5, lang, decimals=1)[1]
    out["percent"] = "\u00a0%" if lang == "id" else "%"
    return out


class GridSiteLayer(SiteLayer):
    """A :class:`layers.elements.SiteLayer` drawn by zoom (see the module docstring).

    The sites it draws one by one look and behave as the small map's (tooltips, the click
    the app reads, the search); a stack marker's list reveals any of its sites the same way.

    Parameters
    ----------
    cells
        Draw cells at low zoom (False: nothing until the sites are drawn, e.g. the halos of
        uncovered TPS).
    uncovered, risk_rank
        Per style index: whether a site so drawn is beyond reach, and its risk class's
        index in `geo.model.Risk` (None: the layer's sites have no such columns).
    lang
        Language of the cell and stack texts.
    Other parameters are :class:`layers.elements.SiteLayer`'s.
    """

    _template = Template(
        r"""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        {{ this.runtime }}
        (function(group) {
            window.PoskoSearch = window.PoskoSearch || {groups: {}};
            window.PoskoSearch.groups['{{ this.get_name() }}'] = group;
            group.poskoGrid = true;
            var cfg = {{ this.config_js }};
            window.PoskoGrid.decode({{ this.payload_js }}).then(function(d) {
                window.PoskoGrid.attach(group, d, cfg);
            });
        })({{ this.get_name() }});
        {% if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        name: str,
        *,
        kind: str,
        styles: Sequence[SiteStyle],
        lat: Sequence[float],
        lon: Sequence[float],
        style: Sequence[int],
        site_ids: Sequence[str],
        tooltips: Tooltips | None = None,
        role: str = "site",
        show: bool = True,
        cells: bool = True,
        uncovered: Sequence[bool] | None = None,
        risk_rank: Sequence[int] | None = None,
        lang: str = "id",
    ) -> None:
        self._grid = {
            "kind": str(kind),
            "role": role,
            "cells": cells,
            "cellPx": CELL_PX,
            "detailLimit": DETAIL_LIMIT,
            "minDetailZoom": MIN_DETAIL_ZOOM,
            "indexZoom": INDEX_ZOOM,
            "uncovered": None if uncovered is None else [bool(u) for u in uncovered],
            "risk": None if risk_rank is None else [int(r) for r in risk_rank],
            "riskColors": [RISK_STYLES[risk].color for risk in Risk],
            "ramp": list(SHARE_RAMP),
            "color": KIND_STYLES[Kind(kind)].color,
            "text": _cell_text(kind, lang),
        }
        super().__init__(
            name,
            kind=kind,
            styles=styles,
            lat=lat,
            lon=lon,
            style=style,
            site_ids=site_ids,
            role=role,
            show=show,
            **({"tooltips": tooltips} if tooltips is not None else {}),
        )

    def _encode(self, data: dict[str, list], styles: Sequence[SiteStyle]) -> None:
        """One deflated payload (coordinates, styles, tooltip columns) and the settings."""
        payload = {
            **data,
            "spot": spot_numbers(data["lat"], data["lon"]).tolist(),
            "styles": [s.as_options() for s in styles],
            "tips": self.tooltips.encoded(),
        }
        self.payload_js = js_literal(_packed(payload))
        if any(s.icon for s in styles):  # icons are page elements: fewer at a time
            self._grid["detailLimit"] = ICON_DETAIL_LIMIT
        self.config_js = js_literal(self._grid)
        self.runtime = grid_runtime()


class CoverageSurface(FeatureGroup):
    """The posts' reach as one translucent surface (every disc in one colour, overlaps not
    darker), drawn on a canvas of its own; from `outline_zoom`, each reach outlined in its
    post type's colour, as the small map's rings. Not clickable.

    Parameters
    ----------
    name
        Layer name (plain text; escaped here).
    lat, lon, radius_m
        Each post's position (degrees) and reach (metres).
    style
        Per post, an index into `colors`.
    colors
        Outline colours.
    color
        The surface's colour.
    """

    _template = Template(
        r"""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        {{ this.runtime }}
        {{ this.get_name() }}.addLayer(new window.PoskoGrid.Surface(
            {{ this.data_js }}, {{ this.config_js }}));
        {% if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        name: str,
        *,
        lat: Sequence[float],
        lon: Sequence[float],
        radius_m: Sequence[float],
        style: Sequence[int],
        colors: Sequence[str],
        color: str,
        outline_zoom: int = MIN_DETAIL_ZOOM,
        opacity: float = 0.22,
        show: bool = True,
    ) -> None:
        super().__init__(name=escape_text(name), show=show)
        data = {
            "lat": coordinates(lat),
            "lon": coordinates(lon),
            "radius": [round(float(r), 1) for r in radius_m],
            "style": [int(s) for s in style],
        }
        if len({len(v) for v in data.values()}) > 1:
            msg = "CoverageSurface columns differ in length."
            raise ValueError(msg)
        self.count = len(data["lat"])
        self.data_js = js_literal(data)
        self.config_js = js_literal(
            {
                "colors": list(colors),
                "color": color,
                "opacity": opacity,
                "outlineZoom": outline_zoom,
            }
        )
        self.runtime = grid_runtime()


def reach_surface(analysis: Analysis, lang: str, *, show: bool = True) -> CoverageSurface:
    """The covering posts' reach of an analysed operation as a :class:`CoverageSurface`."""
    posts = analysis.coverage.covering
    types = list(PostType)
    return CoverageSurface(
        t("layer.rings", lang),
        lat=posts.geometry.y.tolist(),
        lon=posts.geometry.x.tolist(),
        radius_m=posts[Derived.RADIUS_USED_M].tolist(),
        style=[types.index(PostType(p)) for p in posts[Col.POST_TYPE]],
        colors=[POST_STYLES[p].color for p in types],
        color=POST_STYLES[PostType.POLSEK].color,
        show=show,
    )


def should_aggregate(analysis: Analysis) -> bool:
    """Whether the operation has more sites than :data:`AGGREGATE_ABOVE`."""
    return len(analysis.operation.sites) > AGGREGATE_ABOVE
