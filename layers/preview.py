"""A preview map of an import before it is saved: the file's rows over the operation."""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd

from geo.model import Col, Kind
from geo.text import label, t
from layers.basemap import base_map
from layers.elements import SiteLayer, SiteStyle, Tooltips
from layers.styles import AREA_COLOR, EXISTING_COLOR, KIND_STYLES, REJECTED_COLOR

__all__ = ["preview_map"]

_INDONESIA = (-11.0, 95.0, 6.0, 141.0)


def _preview_style(kind: Kind) -> SiteStyle:
    """A dot in the kind's colour: the preview shows what was read, not risk or coverage."""
    drawing = KIND_STYLES[kind]
    return SiteStyle(color=drawing.stroke, fill_color=drawing.color, weight=1.2)


def _bounds(
    sites: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None, skip: set[str]
) -> tuple[float, float, float, float]:
    """The operation's areas when it has some, else the rows that are not far away."""
    if areas is not None and not areas.empty:
        west, south, east, north = areas.total_bounds
    else:
        near = sites[~sites[Col.SOURCE].astype(str).isin(skip)] if len(sites) else sites
        if near.empty:
            return _INDONESIA
        west, south, east, north = near.total_bounds
    pad = 0.002
    return (south - pad, west - pad, north + pad, east + pad)


def _add_areas(m: folium.Map, areas: gpd.GeoDataFrame, lang: str) -> None:
    outlines = areas[[areas.geometry.name]].to_crs(4326)
    folium.GeoJson(
        outlines.to_json(),
        name=t("prev.areas", lang),
        style_function=lambda _: {"color": AREA_COLOR, "weight": 1.5, "fill": False},
    ).add_to(m)


def _add_existing(m: folium.Map, existing: gpd.GeoDataFrame, lang: str) -> None:
    """The operation's own sites, muted grey and small, under the file's rows."""
    muted = SiteStyle(color="#fff", fill_color=EXISTING_COLOR, weight=0.8, radius=4)
    for kind in Kind:
        part = existing[existing[Col.KIND] == kind]
        if part.empty:
            continue
        SiteLayer(
            f"{t('prev.existing', lang)}: {label('kind', kind, lang)}",
            kind=kind,
            styles=[muted],
            lat=part.geometry.y.tolist(),
            lon=part.geometry.x.tolist(),
            style=[0] * len(part),
            site_ids=part[Col.SITE_ID].astype(str).tolist(),
            tooltips=Tooltips(
                lines=("{name}", "{what}"),
                slots={
                    "name": part[Col.NAME].astype(str).tolist(),
                    "what": [t("prev.existing", lang)] * len(part),
                },
            ),
            role="existing",
        ).add_to(m)


def _add_rejected(m: folium.Map, rejected: Sequence[tuple[int, float, float]], lang: str) -> None:
    group = folium.FeatureGroup(name=t("prev.rejected", lang))
    for row, lon, lat in rejected:
        folium.CircleMarker(
            location=(lat, lon),
            radius=6,
            color=REJECTED_COLOR,
            weight=2,
            fill=False,
            dash_array="3,3",
            tooltip=t("prev.rejected_row", lang, row=row),
        ).add_to(group)
    group.add_to(m)


def preview_map(
    sites: gpd.GeoDataFrame,
    *,
    lang: str = "id",
    basemap: str = "osm",
    areas: gpd.GeoDataFrame | None = None,
    existing: gpd.GeoDataFrame | None = None,
    rejected: Sequence[tuple[int, float, float]] = (),
    far_sources: Sequence[str] = (),
) -> folium.Map:
    """The rows an import would accept, coloured by kind, over the operation.

    Parameters
    ----------
    sites
        Accepted rows (EPSG:4326 points).
    areas
        The operation's areas, drawn as outlines; the map is fitted to them.
    existing
        The operation's sites, drawn muted under the rows.
    rejected
        (row, longitude, latitude) of rejected rows, marked with a dashed red ring.
    far_sources
        `source` of accepted rows beyond the area margin: drawn, but never zoomed to.
    """
    m = base_map(_bounds(sites, areas, set(far_sources)), basemap=basemap, lang=lang, minimap=False)
    if areas is not None and not areas.empty:
        _add_areas(m, areas, lang)
    if existing is not None and not existing.empty:
        _add_existing(m, existing, lang)
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
    if rejected:
        _add_rejected(m, rejected, lang)
    folium.LayerControl(collapsed=True).add_to(m)
    return m
