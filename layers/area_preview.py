"""A preview map of the areas a boundary import would save, over the operation's own."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.areas import Level
from geo.text import label, t
from layers.basemap import base_map
from layers.elements import ShapeLayer, escape_text
from layers.styles import AREA_COLOR
from layers.zones import shape_rings

__all__ = ["area_preview_map"]

# the operation's current outlines: thin and grey, under the imported ones
_CURRENT_STYLE = {"color": "#757575", "weight": 1.5, "fill": False, "dashArray": "3 4"}
_LEVEL_WEIGHT = {Level.KECAMATAN.value: 3.0}


def _imported_style(level: str) -> dict[str, object]:
    return {
        "color": AREA_COLOR,
        "weight": _LEVEL_WEIGHT.get(level, 1.5),
        "fillColor": AREA_COLOR,
        "fillOpacity": 0.08,
    }


def _tips(areas: gpd.GeoDataFrame, lang: str) -> list[str]:
    """Name, code and level of each area, escaped (tooltips are HTML)."""
    return [
        escape_text(f"{name} · {code} · {label('area_level', level, lang)}")
        for name, code, level in zip(areas["name"], areas["area_code"], areas["level"], strict=True)
    ]


def area_preview_map(
    areas: gpd.GeoDataFrame,
    *,
    current: gpd.GeoDataFrame | None = None,
    lang: str = "id",
    basemap: str = "osm",
) -> folium.Map:
    """Imported areas, one layer per level (name, code and level on hover), over the
    operation's current areas of the same levels (grey, dashed)."""
    frames = [f for f in (areas, current) if f is not None and not f.empty]
    if frames:
        west = min(f.total_bounds[0] for f in frames)
        south = min(f.total_bounds[1] for f in frames)
        east = max(f.total_bounds[2] for f in frames)
        north = max(f.total_bounds[3] for f in frames)
        bounds = (south, west, north, east)
    else:
        bounds = (-11.0, 95.0, 6.0, 141.0)  # Indonesia
    m = base_map(bounds, basemap=basemap, lang=lang, minimap=False)
    levels = list(dict.fromkeys(areas["level"]))
    if current is not None and not current.empty:
        now = current[current["level"].isin(levels)]
        if not now.empty:
            ShapeLayer(
                t("imp.areas_current", lang),
                rings=[shape_rings(g) for g in now.geometry],
                styles=[_CURRENT_STYLE],
                style=[0] * len(now),
            ).add_to(m)
    for level in levels:
        part = areas[areas["level"] == level]
        ShapeLayer(
            label("area_level", level, lang),
            rings=[shape_rings(g) for g in part.geometry],
            styles=[_imported_style(str(level))],
            style=[0] * len(part),
            tooltips=_tips(part, lang),
            interactive=True,
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
