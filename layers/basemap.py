"""The base map: tile choices (or none), map controls and the site search."""

from __future__ import annotations

from collections.abc import Mapping

import folium
import folium.plugins
import xyzservices.providers as xyz
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template
from xyzservices import TileProvider

from geo.text import t
from layers.assets import LEAFLET_CSS, LEAFLET_JS
from layers.elements import js_literal

__all__ = ["BASEMAPS", "FitView", "SiteSearch", "base_map"]

BASEMAPS: Mapping[str, TileProvider | None] = {
    "osm": xyz.OpenStreetMap.Mapnik,
    "light": xyz.Esri.WorldGrayCanvas,
    "satellite": xyz.Esri.WorldImagery,
    "none": None,
}
MAX_ZOOM = 19
_NO_TILE_BACKGROUND = "#eef1f4"


class FitView(MacroElement):
    """Fit the map to the operation's extent, again whenever its frame is resized, until
    the user pans or zooms (an embedded map often gets its final size after it starts)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map, bounds) {
            var touched = false;
            var box = map.getContainer();
            ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function(type) {
                box.addEventListener(type, function() { touched = true; }, {passive: true});
            });
            function fit() { map.invalidateSize(); if (!touched) { map.fitBounds(bounds); } }
            fit();
            if (window.ResizeObserver) { new ResizeObserver(fit).observe(box); }
        })({{ this._parent.get_name() }}, {{ this.bounds_js }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        super().__init__()
        self._name = "FitView"
        south, west, north, east = bounds
        self.bounds_js = js_literal([[south, west], [north, east]])


class SiteSearch(JSCSSMixin):
    """Search by name or TPS number over every site layer currently on the map.

    folium's own `Search` needs the layer when the map is built; site layers may be
    swapped in later (the app redraws them without rebuilding the map), so this control
    searches whatever :class:`layers.elements.SiteLayer` groups have registered on the
    page. Results are shown as text, never as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = new L.Control.Search({
            sourceData: function(text, callResponse) {
                var out = {};
                var groups = (window.PoskoSearch || {groups: {}}).groups;
                Object.keys(groups).forEach(function(key) {
                    var group = groups[key];
                    if (!group._map) { return; }
                    group.eachLayer(function(layer) {
                        if (!layer.options.search) { return; }
                        var at = L.latLng(layer.getLatLng());
                        at.layer = layer;
                        out[layer.options.search] = at;
                    });
                });
                callResponse(out);
                return {abort: function() {}};
            },
            formatData: function(records) { return records; },
            buildTip: function(text) {
                var item = L.DomUtil.create('li', '');
                item.textContent = text;
                return item;
            },
            textPlaceholder: {{ this.placeholder_js }},
            textErr: {{ this.not_found_js }},
            initial: false,
            marker: false,
            zoom: 17,
            tooltipLimit: 12,
            position: 'topleft'
        });
        {{ this.get_name() }}.on('search:locationfound', function(e) {
            if (e.layer && e.layer.openTooltip) { e.layer.openTooltip(); }
        });
        {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
        """
    )

    default_js = folium.plugins.Search.default_js
    default_css = folium.plugins.Search.default_css

    def __init__(self, *, placeholder: str, not_found: str) -> None:
        super().__init__()
        self._name = "SiteSearch"
        self.placeholder_js = js_literal(placeholder)
        self.not_found_js = js_literal(not_found)


def base_map(
    bounds: tuple[float, float, float, float],
    *,
    basemap: str = "osm",
    lang: str = "id",
    minimap: bool = True,
) -> folium.Map:
    """A map fitted to `bounds` (south, west, north, east) with tiles and controls.

    Parameters
    ----------
    bounds
        Extent to show, degrees.
    basemap
        One of :data:`BASEMAPS`: the tile layer shown first ("none": no tiles at all).
        The other tile providers are offered in the layer control.
    lang
        Interface language.
    minimap
        Add the overview minimap (tile modes only: it needs tiles).

    Raises
    ------
    ValueError
        When `basemap` is unknown.
    """
    if basemap not in BASEMAPS:
        msg = f"`basemap` is {basemap!r}; expected one of: {', '.join(BASEMAPS)}."
        raise ValueError(msg)
    south, west, north, east = bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=13,
        tiles=None,
        control_scale=True,
        max_zoom=MAX_ZOOM,
        prefer_canvas=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    # Leaflet only: folium's jQuery, Bootstrap and Font Awesome are not used by these maps
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    _add_tiles(m, basemap, lang)
    FitView(bounds).add_to(m)
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="sqmeters",
        secondary_area_unit="hectares",
    ).add_to(m)
    if minimap and BASEMAPS[basemap] is not None:
        provider = BASEMAPS[basemap]
        folium.plugins.MiniMap(
            tile_layer=folium.TileLayer(provider),
            position="bottomleft",
            toggle_display=False,
            zoom_level_offset=-5,
        ).add_to(m)
    SiteSearch(placeholder=t("map.search", lang), not_found="–").add_to(m)
    return m


def _add_tiles(m: folium.Map, basemap: str, lang: str) -> None:
    if BASEMAPS[basemap] is None:
        m.get_root().header.add_child(
            folium.Element(
                f"<style>.leaflet-container {{ background: {_NO_TILE_BACKGROUND}; }}</style>"
            ),
            name="posko_no_tiles",
        )
        return
    order = [basemap, *(k for k in BASEMAPS if k != basemap and BASEMAPS[k] is not None)]
    for index, key in enumerate(order):
        provider = BASEMAPS[key]
        folium.TileLayer(
            provider,
            name=t(f"basemap.{key}", lang),
            max_zoom=MAX_ZOOM,
            max_native_zoom=provider.get("max_zoom", MAX_ZOOM),
            show=index == 0,
            overlay=False,
            control=True,
        ).add_to(m)
