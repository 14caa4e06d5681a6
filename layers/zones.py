"""Shapes: coverage rings per post, ring zones around government buildings, area outlines."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import shapely
import shapely.affinity
import shapely.ops
from folium.elements import MacroElement
from folium.template import Template

from geo.analysis import Analysis
from geo.crs import buffer_m
from geo.model import Col, Derived, Kind, PostType
from geo.text import t
from layers.elements import ShapeLayer, js_literal
from layers.styles import AREA_COLOR, POST_STYLES, RING_ZONE_COLORS

__all__ = [
    "AreaLabels",
    "area_layer",
    "label_points",
    "ring_layer",
    "ring_zone_layer",
    "shape_rings",
]


def shape_rings(geom: shapely.Geometry, *, digits: int = 5) -> list[list[list[list[float]]]]:
    """A (multi)polygon as Leaflet expects it: polygons, each a list of [lat, lon] rings."""
    polygons = shapely.get_parts(geom) if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        rings = [polygon.exterior, *polygon.interiors]
        out.append(
            [[[round(y, digits), round(x, digits)] for x, y in ring.coords] for ring in rings]
        )
    return out


def ring_layer(analysis: Analysis, lang: str, *, show: bool = True) -> ShapeLayer:
    """One circle per post at its coverage radius, built in a local metric CRS (the posts
    that cover: a reserve's response reach is `layers.sites.reserve_reach_layer`)."""
    posts = analysis.coverage.covering
    circles = buffer_m(gpd.GeoSeries(posts.geometry, crs=posts.crs), posts[Derived.RADIUS_USED_M])
    types = list(PostType)
    styles = [
        {
            "color": POST_STYLES[p].color,
            "weight": 1.5,
            "fillColor": POST_STYLES[p].color,
            "fillOpacity": 0.07,
        }
        for p in types
    ]
    return ShapeLayer(
        t("layer.rings", lang),
        rings=[shape_rings(c) for c in circles],
        styles=styles,
        style=[types.index(PostType(p)) for p in posts[Col.POST_TYPE]],
        show=show,
    )


def ring_zone_layer(analysis: Analysis, lang: str, *, show: bool = True) -> ShapeLayer:
    """Ring zones (ring 1 = building … ring n = access control) around government buildings."""
    sites = analysis.operation.sites
    buildings = sites[sites[Col.KIND] == Kind.GOVERNMENT]
    radii = analysis.settings.ring_zones_m
    rings: list[Any] = []
    style: list[int] = []
    for ring_no, radius in reversed(list(enumerate(radii))):
        circles = buffer_m(gpd.GeoSeries(buildings.geometry, crs=buildings.crs), radius)
        rings += [shape_rings(c) for c in circles]
        style += [ring_no] * len(circles)
    styles = [
        {
            "color": RING_ZONE_COLORS[i % len(RING_ZONE_COLORS)],
            "weight": 1.2,
            "dashArray": "5 4",
            "fillOpacity": 0.04,
        }
        for i in range(len(radii))
    ]
    return ShapeLayer(
        t("layer.ring_zones", lang), rings=rings, styles=styles, style=style, show=show
    )


def label_points(geoms: Iterable[shapely.Geometry]) -> list[tuple[float, float] | None]:
    """A point well inside each area, as (lat, lon): where its name is written (None for
    an empty area, which has nowhere to write it).

    The pole of inaccessibility (polylabel) of the area's largest part, found with the
    longitudes scaled by cos(latitude) so that "far from every edge" holds in metres (and on
    a Web Mercator screen, which is locally conformal), not in degrees. Unlike a centroid,
    it lies inside concave areas (a crescent, an L-shaped district).

    Parameters
    ----------
    geoms
        Polygons or multipolygons in EPSG:4326.
    """
    points: list[tuple[float, float] | None] = []
    for geom in geoms:
        parts = [p for p in shapely.get_parts(geom) if not p.is_empty] if geom else []
        if not parts:
            points.append(None)
            continue
        polygon = max(parts, key=lambda part: part.area)
        if polygon.area == 0:  # a sliver: polylabel needs a surface
            spot = polygon.point_on_surface()
            points.append((round(spot.y, 6), round(spot.x, 6)))
            continue
        centre = polygon.centroid
        squash = math.cos(math.radians(centre.y))
        local = shapely.affinity.scale(polygon, xfact=squash, yfact=1.0, origin=centre)
        west, south, east, north = local.bounds
        found = shapely.ops.polylabel(local, tolerance=max(east - west, north - south) / 500)
        lon = centre.x + (found.x - centre.x) / squash
        points.append((round(found.y, 6), round(lon, 6)))
    return points


class AreaLabels(MacroElement):
    """Area names as text anchored at geographic points, added to the parent layer group.

    Each name is a non-interactive marker whose text is centred on its point by CSS alone:
    nothing is measured in the browser, so the names stay inside their areas whenever the
    map's size or its stylesheets change (Leaflet's centred tooltips measure themselves once,
    when opened, and keep a stale offset if the page's styles arrive later). Names are set
    as text, never parsed as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(group, labels) {
            var PANE = 'poskoAreaLabels';
            var Label = L.Marker.extend({
                beforeAdd: function(map) {
                    if (map.getPane(PANE)) { return; }
                    var pane = map.createPane(PANE);
                    pane.style.zIndex = 640;  // over shapes and sites, under tooltips
                    pane.style.pointerEvents = 'none';
                }
            });
            labels.forEach(function(item) {
                var text = document.createElement('span');
                text.textContent = item[2];
                text.style.cssText = 'display:inline-block;white-space:nowrap;'
                    + 'transform:translate(-50%,-50%)';
                group.addLayer(new Label([item[0], item[1]], {
                    pane: PANE, interactive: false, keyboard: false,
                    role: 'area-label', areaName: item[2],
                    icon: L.divIcon({className: 'posko-area-label', html: text, iconSize: null})
                }));
            });
        })({{ this._parent.get_name() }}, {{ this.labels_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self, names: Iterable[object], points: Iterable[tuple[float, float] | None]
    ) -> None:
        super().__init__()
        self._name = "AreaLabels"
        rows = [
            [at[0], at[1], str(name)]
            for name, at in zip(names, points, strict=True)
            if at is not None
        ]
        self.count = len(rows)
        self.labels_js = js_literal(rows)


def area_layer(analysis: Analysis, lang: str, *, show: bool = True) -> ShapeLayer:
    """Outlines of the areas used for per-area figures, each named at a point inside it."""
    areas = analysis.operation.areas
    if analysis.area_level is not None:
        areas = areas[areas["level"] == analysis.area_level]
    styles = [{"color": AREA_COLOR, "weight": 2, "fill": False, "dashArray": "8 4"}]
    layer = ShapeLayer(
        t("layer.areas", lang),
        rings=[shape_rings(g) for g in areas.geometry],
        styles=styles,
        style=[0] * len(areas),
        show=show,
    )
    AreaLabels(areas["name"], label_points(areas.geometry)).add_to(layer)
    return layer
