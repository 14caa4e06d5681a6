"""A preview map of the sites an import would accept, before they are saved."""

from __future__ import annotations

import folium
import geopandas as gpd

from geo.model import Col, Kind
from geo.text import label
from layers.basemap import base_map
from layers.elements import SiteLayer, SiteStyle, Tooltips

__all__ = ["KIND_COLORS", "preview_map"]

KIND_COLORS = {
    Kind.POLLING_STATION: "#2e7d32",
    Kind.GOVERNMENT: "#37474f",
    Kind.DEMONSTRATION_POINT: "#d84315",
    Kind.POLICE_POST: "#0d47a1",
    Kind.LOGISTICS: "#6d4c41",
}


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
            styles=[SiteStyle(color="#ffffff", fill_color=KIND_COLORS[kind], weight=1.2)],
            lat=part.geometry.y.tolist(),
            lon=part.geometry.x.tolist(),
            style=[0] * len(part),
            site_ids=part[Col.SITE_ID].astype(str).tolist(),
            tooltips=tips,
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
