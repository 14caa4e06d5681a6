"""The map of a large operation by zoom: cells at low zoom, the sites in view when few enough.

A province has 100,000+ TPS; one canvas marker with a tooltip each made a 29 MB briefing,
40 s to open and a red blob at country zoom. Above :data:`AGGREGATE_ABOVE` sites every site
layer is a :class:`GridSiteLayer`: its columns travel once, gzipped (the browser inflates
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
import gzip
import json
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
    "pack",
    "reach_surface",
    "risk_cell_summary",
    "should_aggregate",
    "spot_numbers",
    "unpack",
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
# The binary payload: its mark, its typed arrays' numpy types, coordinates' unit.
_MAGIC = b"PSK1"
_DTYPES = {"u1": "<u1", "u2": "<u2", "u4": "<u4", "i4": "<i4"}
_MICRO = 1_000_000
_MICRO_OFFSET = 2**30
_LAZY_TEXTS = 256  # a list of more texts than this is a block of its own, parsed when read


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


def risk_cell_summary(
    lat: Sequence[float],
    lon: Sequence[float],
    zoom: int,
    risk_rank: Sequence[int],
    *,
    cell_px: int = CELL_PX,
) -> pd.DataFrame:
    """The cells of `zoom` as the partner map draws them: per cell (cx, cy) its site count
    and, per risk class (index in `geo.model.Risk`), how many of its sites have it (columns
    named by the classes' values), and the gravest class (`worst`)."""
    cells = cell_summary(lat, lon, zoom, risk_rank=risk_rank, cell_px=cell_px)
    rank = np.asarray(risk_rank, dtype=int)
    for i, risk in enumerate(Risk):
        mine = rank == i
        counted = cell_summary(
            np.asarray(lat, dtype=float)[mine],
            np.asarray(lon, dtype=float)[mine],
            zoom,
            cell_px=cell_px,
        ).set_index(["cx", "cy"])["count"]
        at = pd.MultiIndex.from_frame(cells[["cx", "cy"]])
        cells[risk.value] = counted.reindex(at, fill_value=0).to_numpy(dtype=np.int64)
    return cells.drop(columns="uncovered")


def spot_numbers(lat: Sequence[float], lon: Sequence[float]) -> np.ndarray:
    """Per site, the number of its spot (its position as the map ships it, to 6 decimals),
    spots numbered in order of first appearance: sites sharing a number are one stack on
    the map."""
    lat_micro = np.rint(np.asarray(lat, dtype=float) * 1e6).astype(np.int64)
    lon_micro = np.rint(np.asarray(lon, dtype=float) * 1e6).astype(np.int64)
    # one integer per position: |lat| <= 9e7 and |lon| <= 1.8e8 micro-degrees fit 31 bits
    keys = (lat_micro + _MICRO_OFFSET) << 32 | (lon_micro + _MICRO_OFFSET)
    codes, _ = pd.factorize(keys)
    return codes.astype(np.int64)


def pack(payload: dict[str, Any]) -> bytes:
    """A layer's payload as one gzipped binary blob (see :func:`unpack`).

    Every numpy array in `payload` travels as a typed array (the smallest integer type
    that holds it; coordinates as 32-bit micro-degrees) and every long list of texts (a
    column of names or ids) as a JSON block of its own; everything else as JSON in the
    blob's head, where each array or block stands as ``{"$a": k}``. The browser reads the
    arrays in place and parses a text block only when first read (a national map's ids
    and names are needed once sites are drawn one by one or searched, not for its cells).
    Layout: ``PSK1``, the head's length (uint32 LE), the head (JSON, padded to 8 bytes),
    the arrays (each at an offset a multiple of 8), all gzipped (served as a ``.gz`` file,
    the app's server sends it as it is, not compressed again).
    """
    blocks: list[bytes] = []
    specs: list[list[Any]] = []
    offset = 0

    def walk(value: Any) -> Any:
        nonlocal offset
        if isinstance(value, np.ndarray):
            kind, data, scale = _typed(value)
            specs.append([kind, offset, len(value), scale])
            raw = data.tobytes()
            pad = -len(raw) % 8
            blocks.append(raw + b"\0" * pad)
            offset += len(raw) + pad
            return {"$a": len(specs) - 1}
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            if value and isinstance(value[0], str):  # texts (a province's names and ids)
                return text_block(value) if len(value) > _LAZY_TEXTS else value
            return [walk(v) for v in value]
        return value

    def text_block(texts: list[str] | tuple[str, ...]) -> dict[str, int]:
        nonlocal offset
        raw = json.dumps(list(texts), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        specs.append(["json", offset, len(raw), 0])
        pad = -len(raw) % 8
        blocks.append(raw + b" " * pad)
        offset += len(raw) + pad
        return {"$a": len(specs) - 1}

    body = walk(payload)
    head = json.dumps(
        {"body": body, "arrays": specs}, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")
    head += b" " * (-(len(head) + 8) % 8)
    raw = b"".join([_MAGIC, len(head).to_bytes(4, "little"), head, *blocks])
    return gzip.compress(raw, compresslevel=6, mtime=0)


def unpack(blob: bytes) -> dict[str, Any]:
    """The payload :func:`pack` made (arrays as numpy, coordinates as degrees computed as
    the browser computes them: micro-degrees / 1e6)."""
    raw = gzip.decompress(blob)
    if raw[:4] != _MAGIC:
        msg = "not a Posko map payload"
        raise ValueError(msg)
    size = int.from_bytes(raw[4:8], "little")
    head = json.loads(raw[8 : 8 + size].decode("utf-8"))
    start = 8 + size
    arrays = []
    for kind, offset, count, scale in head["arrays"]:
        if kind == "json":
            arrays.append(json.loads(raw[start + offset : start + offset + count]))
            continue
        values = np.frombuffer(raw, dtype=_DTYPES[kind], count=count, offset=start + offset)
        arrays.append(values / scale if scale else values)

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"$a"}:
                return arrays[value["$a"]]
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(head["body"])


def _typed(values: np.ndarray) -> tuple[str, np.ndarray, int]:
    """The typed-array kind (a key of :data:`_DTYPES`), the data in it and its scale (a
    divisor; 0 for none) of one payload array."""
    if values.dtype.kind == "f":  # degrees, rounded to 6 decimals as the map ships them
        micro = np.rint(values * _MICRO)
        if len(micro) and np.abs(micro).max() >= 2**31:
            msg = "a coordinate beyond ±2147 degrees cannot travel as micro-degrees"
            raise ValueError(msg)
        return "i4", micro.astype("<i4"), _MICRO
    if values.dtype.kind == "b":
        values = values.astype(np.uint8)
    if len(values) and values.min() < 0:
        return "i4", values.astype("<i4"), 0
    top = int(values.max()) if len(values) else 0
    kind = "u1" if top < 2**8 else "u2" if top < 2**16 else "u4"
    return kind, values.astype(_DTYPES[kind]), 0


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
    risk_counts
        Cells count their sites per risk class (needs `risk_rank`; the partner map, which
        shows no reach): each cell is filled in its gravest class's colour and its tooltip
        lists the classes (see :func:`risk_cell_summary`).
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
            {{ this.source_js }}.then(function(d) {
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
        risk_counts: bool = False,
        lang: str = "id",
    ) -> None:
        if risk_counts and (risk_rank is None or uncovered is not None):
            msg = "`risk_counts` needs `risk_rank` and no `uncovered` (cells show one or other)."
            raise ValueError(msg)
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
            "riskCounts": risk_counts,
        }
        if risk_counts:
            slots = {"n": "{n}", "risk": "{risk}"}
            self._grid["text"]["riskCount"] = escape_text(t("partner.cell_risk", lang, **slots))
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

    def _encode(self, data: dict[str, np.ndarray], styles: Sequence[SiteStyle]) -> None:
        """One gzipped binary payload (coordinates, styles, tooltip columns: :func:`pack`)
        and the settings. The page reads it inline (`payload_js`) or, once published at a
        URL (`payload_url`, the app), fetches it."""
        payload = {
            **data,
            "spot": spot_numbers(data["lat"], data["lon"]),
            "styles": [s.as_options() for s in styles],
            "tips": self.tooltips.encoded(arrays=True),
        }
        self.packed = pack(payload)
        self.payload_url = ""
        if any(s.icon for s in styles):  # icons are page elements: fewer at a time
            self._grid["detailLimit"] = ICON_DETAIL_LIMIT
        self.config_js = js_literal(self._grid)
        self.runtime = grid_runtime()

    @property
    def payload_js(self) -> str:
        """The payload inline: a base64 string literal."""
        return js_literal(base64.b64encode(self.packed).decode("ascii"))

    @property
    def source_js(self) -> str:
        """The script expression that yields the decoded payload (a promise)."""
        if self.payload_url:
            return f"window.PoskoGrid.load({js_literal(self.payload_url)})"
        return f"window.PoskoGrid.decode({self.payload_js})"


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
            "lat": coordinates(lat).tolist(),
            "lon": coordinates(lon).tolist(),
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
