"""Shapes: coverage rings per post, ring zones around government buildings, area outlines."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely

from geo.analysis import Analysis
from geo.crs import buffer_m
from geo.model import Col, Derived, Kind, PostType
from geo.text import t
from layers.elements import ShapeLayer, escape_text
from layers.styles import AREA_COLOR, POST_STYLES, RING_ZONE_COLORS

__all__ = ["area_layer", "ring_layer", "ring_zone_layer", "shape_rings"]


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
    """One circle per post at its coverage radius, built in a local metric CRS."""
    posts = analysis.coverage.posts
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


def area_layer(analysis: Analysis, lang: str, *, show: bool = True) -> ShapeLayer:
    """Outlines of the areas used for per-area figures, labelled with their names."""
    areas = analysis.operation.areas
    if analysis.area_level is not None:
        areas = areas[areas["level"] == analysis.area_level]
    styles = [{"color": AREA_COLOR, "weight": 2, "fill": False, "dashArray": "8 4"}]
    return ShapeLayer(
        t("layer.areas", lang),
        rings=[shape_rings(g) for g in areas.geometry],
        styles=styles,
        style=[0] * len(areas),
        labels=[escape_text(name) for name in areas["name"]],
        show=show,
    )
