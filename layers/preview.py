"""A preview map of the sites an import would accept, before they are saved."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.model import Col, Kind
from geo.text import label
from layers.basemap import base_map
from layers.elements import SiteLayer, SiteStyle, Tooltips
from layers.styles import KIND_STYLES

__all__ = ["preview_map"]


def _preview_style(kind: Kind) -> SiteStyle:
    """A dot in the kind's colour: the preview shows what was read, not risk or coverage."""
    drawing = KIND_STYLES[kind]
    return SiteStyle(color=drawing.stroke, fill_color=drawing.color, weight=1.2)


def preview_map(sites: gpd.GeoDataFrame, *, lang: str = "id", basemap: str = "osm") -> folium.Map:
    """Accepted sites coloured by kind, with name, kind, source row and id on hover."""
    if sites.empty:
        bounds = (-11.0, 95.0, 6.0, 141.0)  # Indonesia
    else:
        west, south, east, north = sites.total_bounds
        pad = 0.002
        bounds = (south - pad, west - pad, north + pad, east + pad)
    m = base_map(bounds, basemap=basemap, lang=lang, minimap=False)
    for kind in Kind:
        part = sites[sites[Col.KIND] == kind]
        if part.empty:
            continue
        tips = Tooltips(
            lines=("{name}", "{kind}", "{source}", "{id}"),
            slots={
                "name": part[Col.NAME].astype(str).tolist(),
                "kind": [label("kind", kind, lang)] * len(part),
                "source": part[Col.SOURCE].fillna("").astype(str).tolist(),
            },
            search="{name} · {id}",
        )
        SiteLayer(
            label("kind", kind, lang),
            kind=kind,
            styles=[_preview_style(kind)],
            lat=part.geometry.y.tolist(),
            lon=part.geometry.x.tolist(),
            style=[0] * len(part),
            site_ids=part[Col.SITE_ID].astype(str).tolist(),
            tooltips=tips,
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
