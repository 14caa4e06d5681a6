"""The whole operation map: one builder for the app and the briefing export."""

from __future__ import annotations

import copy
import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.map import FeatureGroup

from geo.analysis import Analysis
from geo.crs import local_metric_crs
from geo.logistics import LegLevel, chain_for
from geo.model import Col, Derived, Kind
from geo.text import format_distance, label, t
from layers.basemap import base_map
from layers.chain import chain_layer, chain_legend_rows
from layers.elements import SelectedSite, SiteLayer
from layers.grid import reach_surface, should_aggregate
from layers.legend import Legend, area_accuracy, grid_rows, zone_rows
from layers.plan_edit import zone_layer
from layers.sites import kind_layer, reserve_reach_layer, uncovered_layer
from layers.styles import layer_keys
from layers.zones import area_layer, ring_layer, ring_zone_layer

__all__ = [
    "LAYER_KEYS",
    "OUTLIER_M",
    "MapParts",
    "Outlier",
    "build_map",
    "map_bounds",
    "map_parts",
    "outliers",
    "selection_layer",
]

# Toggleable layers, in drawing order (later ones on top): every site kind, plus the shape
# layers, ordered by the drawing registry.
LAYER_KEYS: tuple[str, ...] = layer_keys()


@dataclass(frozen=True)
class MapParts:
    """A map split into what stays (tiles, controls, legend, areas) and what redraws.

    The app mounts `base` once and swaps `overlays` when a radius or a toggle changes, so
    the commander's pan and zoom survive; the export adds the overlays to `base`.
    """

    base: folium.Map
    overlays: list[FeatureGroup]

    def site_for_tooltip(self, text: str) -> str | None:
        """The id of the site whose tooltip reads `text` (what a click on the map returns)."""
        for layer in self.overlays:
            if not isinstance(layer, SiteLayer) or layer.role == "highlight":
                continue  # a highlight (a halo) is drawn over sites, never clicked
            found = layer.site_for_text(text)
            if found is not None:
                return found
        return None


# A site further than this from every area is an outlier: kept, listed, but not framed.
OUTLIER_M = 5000.0


@dataclass(frozen=True)
class Outlier:
    """A site far outside the operation's areas: its id, name and distance to them."""

    site_id: str
    name: str
    distance_m: float


def _distances_to_areas(analysis: Analysis) -> np.ndarray:
    """Metres from every site to the nearest area (0 inside), in a local metric CRS."""
    areas = analysis.operation.areas
    union = areas.geometry.union_all()
    crs = local_metric_crs(union.centroid.x, union.centroid.y)
    shape = gpd.GeoSeries([union], crs=areas.crs).to_crs(crs).iloc[0]
    sites = analysis.operation.sites.geometry.to_crs(crs)
    return np.asarray(sites.distance(shape), dtype=float)


def outliers(analysis: Analysis, *, limit_m: float = OUTLIER_M) -> list[Outlier]:
    """Sites more than `limit_m` outside every area, farthest first (none without areas)."""
    if analysis.operation.areas.empty or analysis.operation.sites.empty:
        return []
    distance = _distances_to_areas(analysis)
    sites = analysis.operation.sites
    found = [
        Outlier(str(site_id), str(name), float(d))
        for site_id, name, d in zip(sites[Col.SITE_ID], sites[Col.NAME], distance, strict=True)
        if d > limit_m
    ]
    return sorted(found, key=lambda o: -o.distance_m)


def map_bounds(analysis: Analysis) -> tuple[float, float, float, float]:
    """South, west, north, east of the view: the areas and the sites near them.

    An outlier (a site kept despite lying far outside every area) would otherwise zoom the
    map out to the whole region; it stays on the map and in the search, but is not framed.
    """
    sites = analysis.operation.sites
    frames = []
    if not analysis.operation.areas.empty:
        frames.append(analysis.operation.areas.geometry)
        far = {o.site_id for o in outliers(analysis)}
        sites = sites[~sites[Col.SITE_ID].isin(far)]
    if not sites.empty:
        frames.append(sites.geometry)
    west = min(f.total_bounds[0] for f in frames)
    south = min(f.total_bounds[1] for f in frames)
    east = max(f.total_bounds[2] for f in frames)
    north = max(f.total_bounds[3] for f in frames)
    return south, west, north, east


def map_parts(
    analysis: Analysis,
    *,
    lang: str = "id",
    basemap: str = "osm",
    layers: Collection[str] = LAYER_KEYS,
    bounds: tuple[float, float, float, float] | None = None,
    aggregate: bool | None = None,
) -> MapParts:
    """Build the base map and the overlay layers of an analysed operation.

    Parameters
    ----------
    analysis
        The analysed operation.
    lang
        Interface language ("id" or "en").
    basemap
        Tile choice, see :data:`layers.basemap.BASEMAPS`.
    layers
        Keys of :data:`LAYER_KEYS` to draw; the others are left out entirely.
    bounds
        South, west, north, east of the view (default :func:`map_bounds`); the app keeps
        the frame of the plan as loaded, so that moving a post never reframes the map.
    aggregate
        Draw by zoom (:mod:`layers.grid`: cells at low zoom, the sites in view when few,
        stacks, the posts' reach as one surface); None: when the operation has more than
        :data:`layers.grid.AGGREGATE_ABOVE` sites; False: every site a marker, as a small
        operation is drawn.

    Raises
    ------
    ValueError
        When a layer key or the basemap is unknown.
    """
    unknown = set(layers) - set(LAYER_KEYS)
    if unknown:
        msg = f"Unknown layer(s) {sorted(unknown)!r}; expected some of: {', '.join(LAYER_KEYS)}."
        raise ValueError(msg)
    grid = should_aggregate(analysis) if aggregate is None else aggregate
    base = base_map(bounds or map_bounds(analysis), basemap=basemap, lang=lang)
    chain = chain_for(analysis) if "chain" in layers else None
    chain_rows = chain_legend_rows(lang) if chain is not None and not chain.legs.empty else []
    Legend(
        lang,
        ring_zones=len(analysis.settings.ring_zones_m),
        areas=area_accuracy(analysis),
        extra=[*zone_rows(analysis, lang), *(grid_rows(lang) if grid else []), *chain_rows],
    ).add_to(base)
    if "areas" in layers and not analysis.operation.areas.empty:
        area_layer(analysis, lang).add_to(base)
    # a map drawn by zoom leaves out the legs to each TPS: too many, and the cells show them
    levels = (LegLevel.PPK, LegLevel.PPS) if grid else tuple(LegLevel)
    overlays = [
        chain_layer(chain, lang, levels=levels)
        if key == "chain" and chain is not None
        else _kept_overlay(analysis, key, lang)
        if grid and key in _KEPT_KEYS
        else _overlay(analysis, key, lang, aggregate=grid)
        for key in LAYER_KEYS
        if key in layers and key != "areas"
    ]
    return MapParts(base=base, overlays=overlays)


# A large map's site layers and reach surface cost seconds to build (a national list: their
# payload); they are built once per analysis and language, and each map gets a fresh copy
# (an element of its own: renders into different maps never share one).
_KEPT_KEYS = frozenset({*(k.value for k in Kind), "uncovered", "rings"})
_KEPT: dict[tuple[int, str, str], FeatureGroup] = {}
_KEPT_LOCK = threading.Lock()


def _kept_overlay(analysis: Analysis, key: str, lang: str) -> FeatureGroup:
    """The aggregated overlay `key` of `analysis` in `lang`, built once while the analysis
    lives (its entry goes with it: no other object can take its id meanwhile)."""
    slot = (id(analysis), key, lang)
    with _KEPT_LOCK:
        kept = _KEPT.get(slot)
    if kept is None:
        built = _overlay(analysis, key, lang, aggregate=True)
        with _KEPT_LOCK:
            if slot not in _KEPT:
                _KEPT[slot] = built
                weakref.finalize(analysis, _KEPT.pop, slot, None)
            kept = _KEPT[slot]
    return _fresh(kept)


def _fresh(element: FeatureGroup) -> FeatureGroup:
    """A copy of an overlay with an identity of its own (id, no parent, no children): what
    it draws is shared, read-only."""
    out = copy.copy(element)
    out._id = out._generate_id()
    out._parent = None
    out._children = OrderedDict()
    return out


def selection_layer(analysis: Analysis, site_id: str, lang: str = "id") -> SelectedSite | None:
    """A ring around the picked site with its details (None when the id is not a site).

    The details are what a commander asks first: its name, number and kelurahan, its risk
    class, and how far the nearest post is (and whether any post reaches it).
    """
    sites = analysis.operation.sites
    found = sites[sites[Col.SITE_ID] == site_id]
    if found.empty:
        return None
    row = found.iloc[0]
    lines = [str(row[Col.NAME])]
    where = [str(v) for v in (row[Col.TPS_NO], row[Col.KELURAHAN]) if _given(v)]
    if row[Col.KIND] == Kind.POLLING_STATION and where:
        lines.append(f"{t('col.tps_no', lang)} {' · '.join(where)}")
    else:
        lines.append(label("kind", row[Col.KIND], lang))
    if _given(row[Col.RISK]):
        lines.append(f"{t('col.risk', lang)}: {label('risk', row[Col.RISK], lang)}")
    lines += _reach_lines(analysis, site_id, lang)
    return SelectedSite(site_id, lat=row.geometry.y, lon=row.geometry.x, lines=lines)


def _given(value: object) -> bool:
    """Whether a cell holds a value (not None, NaN or blank)."""
    return not pd.isna(value) and str(value).strip() != ""


def _reach_lines(analysis: Analysis, site_id: str, lang: str) -> list[str]:
    """Beyond reach or not, and the nearest post with its distance ([] for a post)."""
    targets = analysis.coverage.targets
    target = targets[targets[Col.SITE_ID] == site_id]
    if target.empty:
        return []
    posts = analysis.coverage.posts
    names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    post_id = target.iloc[0][Derived.NEAREST_POST_ID]
    distance = format_distance(float(target.iloc[0][Derived.NEAREST_POST_M]), lang)
    lines = [f"{t('col.nearest_post', lang)}: {names.get(post_id, post_id)} ({distance})"]
    gaps = analysis.uncovered_tps
    if site_id in set(gaps[Col.SITE_ID]):
        lines.insert(0, t("legend.uncovered", lang))
    return lines


def _overlay(analysis: Analysis, key: str, lang: str, *, aggregate: bool) -> FeatureGroup:
    """The overlay of one layer key: a site kind's layer, or one of the shape layers."""
    if key == "rings" and aggregate:
        return reach_surface(analysis, lang)
    if key == "uncovered":
        return uncovered_layer(analysis, lang, aggregate=aggregate)
    shapes = {
        "ring_zones": ring_zone_layer,
        "rings": ring_layer,
        "reserves": reserve_reach_layer,
        "zones": zone_layer,
    }
    if key in shapes:
        return shapes[key](analysis, lang)
    return kind_layer(analysis, Kind(key), lang, aggregate=aggregate)


def build_map(
    analysis: Analysis,
    *,
    lang: str = "id",
    basemap: str = "osm",
    layers: Collection[str] = LAYER_KEYS,
    aggregate: bool | None = None,
) -> folium.Map:
    """The whole map of an analysed operation, every layer in place, with a layer control
    (`aggregate`: see :func:`map_parts`)."""
    parts = map_parts(analysis, lang=lang, basemap=basemap, layers=layers, aggregate=aggregate)
    for overlay in parts.overlays:
        overlay.add_to(parts.base)
    folium.LayerControl(collapsed=True).add_to(parts.base)
    return parts.base
