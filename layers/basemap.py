"""The base map: tile choices (or none), map controls and the site search."""

from __future__ import annotations

from collections.abc import Mapping

import folium
import folium.plugins
import xyzservices.providers as xyz
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template
from xyzservices import TileProvider

from geo.text import format_number, t
from layers.assets import LEAFLET_CSS, LEAFLET_JS
from layers.elements import js_literal

__all__ = [
    "BASEMAPS",
    "FitView",
    "MetricScale",
    "OfflineFallback",
    "PrintStyle",
    "SiteSearch",
    "WheelOnMap",
    "base_map",
]

BASEMAPS: Mapping[str, TileProvider | None] = {
    "osm": xyz.OpenStreetMap.Mapnik,
    "light": xyz.Esri.WorldGrayCanvas,
    "satellite": xyz.Esri.WorldImagery,
    "none": None,
}
MAX_ZOOM = 19


class FitView(MacroElement):
    """Fit the map to the operation's extent whenever its box (or the legend) changes size,
    until the user pans or zooms; and always to its printed box while printing.

    An embedded map often gets its final size after it starts, and print CSS gives it
    another size on paper. Chromium fires `beforeprint` before it lays the page out for
    paper, so the printed size is only known in the `print` media query's change event;
    the map is fitted there without animation (an animated zoom would run after the page
    has been printed), and the screen view is restored afterwards.

    The open legend (bottom right) never covers a site the figures talk about: the extent
    is fitted into the part of the map beside or above the legend, whichever shows it at
    the larger zoom. Any view change not made here (a hand, the search, the app moving to
    a picked site) ends the fitting on screen.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map, bounds) {
            var touched = false;
            var fitting = false;
            var screenView = null;  // the view to return to after printing
            var box = map.getContainer();
            ['mousedown', 'wheel', 'touchstart', 'keydown'].forEach(function(type) {
                box.addEventListener(type, function() { touched = true; }, {passive: true});
            });
            map.on('movestart', function() { if (!fitting && !screenView) { touched = true; } });
            function quietly(move) {
                fitting = true;
                try { move(); } finally { fitting = false; }
            }
            // room the open legend takes from the right and from the bottom edge, or null
            function legendRoom() {
                var legend = box.querySelector('.posko-legend');
                if (!legend) { return null; }
                var r = legend.getBoundingClientRect();
                var c = box.getBoundingClientRect();
                if (!r.width || !r.height) { return null; }
                return [Math.max(0, c.right - r.left), Math.max(0, c.bottom - r.top)];
            }
            function options(size, pad) {
                var plain = {paddingTopLeft: [pad, pad], paddingBottomRight: [pad, pad]};
                var room = legendRoom();
                if (!room) { return plain; }
                var best = plain, bestZoom = -Infinity;
                // beside the legend (left of it), or above it
                [[room[0] + pad, pad], [pad, room[1] + pad]].forEach(function(br) {
                    var free = [size.x - pad - br[0], size.y - pad - br[1]];
                    if (free[0] < size.x / 3 || free[1] < size.y / 3) { return; }
                    var zoom = map.getBoundsZoom(bounds, false, L.point(pad + br[0], pad + br[1]));
                    if (zoom > bestZoom) {
                        bestZoom = zoom;
                        best = {paddingTopLeft: [pad, pad], paddingBottomRight: br};
                    }
                });
                return best;
            }
            function fit() {
                map.invalidateSize();
                var size = map.getSize();
                if (!size.x || !size.y) { return; }  // hidden: fitted when it gets a size
                // a margin for the symbols at the edges, never more than a small map can give
                var pad = Math.min({{ this.pad }}, Math.floor(Math.min(size.x, size.y) / 8));
                var fitted = Object.assign({animate: false}, options(size, pad));
                // a move to where the map already is still makes the overview map follow,
                // and two of those in a row race it into setting its own zoom on the map
                var target = map._getBoundsCenterZoom(L.latLngBounds(bounds), fitted);
                var here = map.latLngToContainerPoint(target.center);
                var half = size.divideBy(2);
                if (target.zoom === map.getZoom() && here.distanceTo(half) < 0.5) { return; }
                quietly(function() { map.fitBounds(bounds, fitted); });
            }
            function resized() {
                if (screenView || !touched) { fit(); } else { map.invalidateSize(); }
            }
            function printing() {
                if (!screenView) { screenView = [map.getCenter(), map.getZoom()]; }
                fit();
            }
            function printed() {
                if (!screenView) { return; }
                var view = screenView;
                if (touched) {
                    map.invalidateSize();
                    quietly(function() { map.setView(view[0], view[1], {animate: false}); });
                    screenView = null;
                } else { screenView = null; fit(); }
            }
            fit();
            if (window.ResizeObserver) { new ResizeObserver(resized).observe(box); }
            // the legend is added after this script: watch it once it is there
            setTimeout(function() {
                var legend = box.querySelector('.posko-legend');
                if (legend && window.ResizeObserver) {
                    new ResizeObserver(resized).observe(legend);
                }
                resized();
            }, 0);
            window.addEventListener('beforeprint', printing);
            window.addEventListener('afterprint', printed);
            if (window.matchMedia) {
                var paper = window.matchMedia('print');
                var change = function(e) { if (e.matches) { printing(); } else { printed(); } };
                if (paper.addEventListener) { paper.addEventListener('change', change); }
                else if (paper.addListener) { paper.addListener(change); }
            }
        })({{ this._parent.get_name() }}, {{ this.bounds_js }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: tuple[float, float, float, float], pad: int = 12) -> None:
        super().__init__()
        self._name = "FitView"
        self.pad = int(pad)  # px kept free at each edge (at most an eighth of the map)
        south, west, north, east = bounds
        self.bounds_js = js_literal([[south, west], [north, east]])


class WheelOnMap(MacroElement):
    """The mouse wheel over the map zooms the map and never scrolls the page around it.

    Leaflet zooms on a wheel over the map itself, but a wheel over its controls (legend,
    search, scale) was passed on to the page, which scrolled the app under the pointer.
    Every wheel inside the map's box is kept from the page; a box of its own that can still
    scroll that way (a long legend, the search's list) scrolls instead. Touch is untouched:
    on a phone one finger outside the map scrolls the page, two fingers on it zoom.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(box) {
            function scrollsItself(el, dy) {
                for (; el && el !== box; el = el.parentElement) {
                    var room = el.scrollHeight - el.clientHeight;
                    if (room > 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY)
                        && (dy < 0 ? el.scrollTop > 0 : el.scrollTop < room - 1)) {
                        return true;
                    }
                }
                return false;
            }
            box.addEventListener('wheel', function(e) {
                if (!scrollsItself(e.target, e.deltaY)) { e.preventDefault(); }
            }, {capture: true, passive: false});
        })({{ this._parent.get_name() }}.getContainer());
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "WheelOnMap"


class PrintStyle(MacroElement):
    """Paper shows the map, not its screen furniture: no overview map, tile notice, zoom,
    full-screen, measure, search or layer buttons; the legend printed open; and what lies
    under the sites' canvas stays visible."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        @media print {
          .leaflet-control-minimap, .posko-notice, .leaflet-control-zoom,
          .leaflet-control-fullscreen, .leaflet-control-measure, .leaflet-control-search,
          .leaflet-control-layers { display: none !important; }
          /* Chromium prints a canvas as an opaque white sheet, which would hide the tiles,
             grid and background under the site layers; multiplied, its white disappears. */
          .leaflet-pane canvas { mix-blend-mode: multiply; }
          /* paper has no button to open the legend: it is printed open */
          .posko-legend.collapsed .body { display: block !important; }
          .posko-legend h4 button::after { content: "" !important; }
        }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PrintStyle"


class OfflineFallback(MacroElement):
    """A map that still reads with no tiles: a light coordinate grid, and a notice when the
    tiles fail to load (instead of a grey void).

    With `no_tiles` the grid is drawn from the start; otherwise it appears, with the notice,
    after a few tile errors (an intranet, a briefing room without internet). The grid's
    labels use `decimal` as the decimal mark (the page's number style: "," in Indonesian).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .posko-no-tiles { background: #eef1f4 !important; }
        .posko-notice { background: rgba(255,248,225,0.95); border: 1px solid #f9a825;
          padding: 4px 8px; border-radius: 4px; font: 12px sans-serif; max-width: 260px; }
        .posko-grid-label { color: #78909c; font: 10px sans-serif; white-space: nowrap; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function(map) {
            var pane = map.createPane('poskoGrid');
            pane.style.zIndex = 250;
            pane.style.pointerEvents = 'none';
            var grid = null;
            function niceStep(span) {
                var p = Math.pow(10, Math.floor(Math.log10(span)));
                var m = span / p;
                return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
            }
            function label(value) {
                var text = (Math.round(value * 1e6) / 1e6).toString();
                return text.replace('.', {{ this.decimal_js }});
            }
            function drawGrid() {
                grid.clearLayers();
                var b = map.getBounds();
                var step = niceStep(Math.max(b.getEast() - b.getWest(),
                                             b.getNorth() - b.getSouth()) / 6);
                var line = {color: '#b0bec5', weight: 0.7, interactive: false, pane: 'poskoGrid'};
                for (var x = Math.floor(b.getWest() / step) * step; x <= b.getEast(); x += step) {
                    L.polyline([[b.getSouth(), x], [b.getNorth(), x]], line).addTo(grid);
                    L.marker([b.getNorth(), x], {interactive: false, pane: 'poskoGrid',
                        icon: L.divIcon({className: 'posko-grid-label', html: label(x),
                                         iconAnchor: [-2, -2]})}).addTo(grid);
                }
                for (var y = Math.floor(b.getSouth() / step) * step; y <= b.getNorth(); y += step) {
                    L.polyline([[y, b.getWest()], [y, b.getEast()]], line).addTo(grid);
                    L.marker([y, b.getWest()], {interactive: false, pane: 'poskoGrid',
                        icon: L.divIcon({className: 'posko-grid-label', html: label(y),
                                         iconAnchor: [-2, 12]})}).addTo(grid);
                }
            }
            function showGrid() {
                if (grid) { return; }
                map.getContainer().classList.add('posko-no-tiles');
                grid = L.layerGroup().addTo(map);
                map.on('moveend', drawGrid);
                drawGrid();
            }
            var failures = 0;
            var notice = null;
            function tileFailed() {
                failures += 1;
                if (failures < 3 || notice) { return; }
                notice = L.control({position: 'bottomleft'});
                notice.onAdd = function() {
                    var box = L.DomUtil.create('div', 'posko-notice');
                    box.textContent = {{ this.notice_js }};
                    return box;
                };
                notice.addTo(map);
                showGrid();
                // the overview map's tiles fail too: an empty box would only hide sites
                var mini = map.getContainer().querySelector('.leaflet-control-minimap');
                if (mini) { mini.style.display = 'none'; }
            }
            function watch(layer) {
                if (layer instanceof L.TileLayer) { layer.on('tileerror', tileFailed); }
            }
            map.eachLayer(watch);
            map.on('layeradd', function(e) { watch(e.layer); });
            {% if this.no_tiles %}showGrid();{% endif %}
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, notice: str, no_tiles: bool, decimal: str = ".") -> None:
        super().__init__()
        self._name = "OfflineFallback"
        self.notice_js = js_literal(notice)
        self.decimal_js = js_literal(decimal)
        self.no_tiles = no_tiles


class MetricScale(MacroElement):
    """A metric-only scale bar (Leaflet's default adds miles and feet), never under the
    attribution: the bar is at most 100 px wide at the bottom left, so the attribution
    (bottom right) keeps clear of it, wrapping and in smaller type on a narrow map."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-container { container-type: inline-size; }
        .leaflet-control-attribution { max-width: calc(100cqw - 130px); }
        @container (max-width: 600px) {
          .leaflet-control-attribution { font-size: 9px; line-height: 1.3; }
        }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, metric: true, position: 'bottomleft'})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


class SiteSearch(JSCSSMixin):
    """Search by name or TPS number over every site layer currently on the map.

    folium's own `Search` needs the layer when the map is built; site layers may be
    swapped in later (the app redraws them without rebuilding the map), so this control
    searches whatever :class:`layers.elements.SiteLayer` groups have registered on the
    page. A layer drawn by zoom (:class:`layers.grid.GridSiteLayer`) offers every one of
    its sites, drawn at the moment or not; a found one is drawn on its own, even inside a
    stack. Results are shown as text, never as HTML.

    Enter picks the first match, so typing a TPS number and Enter is enough. A found site
    gets the same click a hand would give it: its tooltip opens and, in the app, the
    site's details show. Presses on the control stay inside it: a press that reached the
    map would focus the map's box, and in the app, where that box may be partly below the
    fold, the browser then scrolls the page under the pointer, the button never gets its
    click and the search seemed to do nothing.
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
                    // a layer drawn by zoom lists every site, drawn at this zoom or not
                    if (group.poskoGrid) {
                        if (group.poskoRecords) { group.poskoRecords(out); }
                        return;
                    }
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
            textCancel: {{ this.cancel_js }},
            initial: false,
            firstTipSubmit: true,
            marker: false,
            zoom: 17,
            tooltipLimit: 12,
            position: 'topleft'
        });
        {{ this.get_name() }}.on('search:locationfound', function(e) {
            var site = e.layer;
            if (!site) { return; }
            if (site.poskoReveal) { site.poskoReveal(); return; }  // drawn on demand
            if (site.openTooltip) { site.openTooltip(); }
            site.fire('click', {latlng: site.getLatLng()});
        });
        {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        (function(box) {
            L.DomEvent.disableClickPropagation(box);
            L.DomEvent.disableScrollPropagation(box);
            L.DomEvent.on(box, 'pointerdown', L.DomEvent.stopPropagation);
        })({{ this.get_name() }}.getContainer());
        {% endmacro %}
        """
    )

    default_js = folium.plugins.Search.default_js
    default_css = folium.plugins.Search.default_css

    def __init__(self, *, placeholder: str, not_found: str, cancel: str = "×") -> None:
        super().__init__()
        self._name = "SiteSearch"
        self.placeholder_js = js_literal(placeholder)
        self.not_found_js = js_literal(not_found)
        self.cancel_js = js_literal(cancel)


def base_map(
    bounds: tuple[float, float, float, float],
    *,
    basemap: str = "osm",
    lang: str = "id",
    minimap: bool = True,
    fit_pad: int = 12,
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
        Add the overview minimap of the tiles (never without tiles: it would show nothing).
    fit_pad
        Pixels kept free between `bounds` and each edge of the map.

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
        control_scale=False,
        max_zoom=MAX_ZOOM,
        prefer_canvas=False,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    # Leaflet only: folium's jQuery, Bootstrap and Font Awesome are not used by these maps
    m.default_js = [("leaflet", LEAFLET_JS)]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    _add_tiles(m, basemap, lang)
    FitView(bounds, fit_pad).add_to(m)
    WheelOnMap().add_to(m)
    PrintStyle().add_to(m)
    MetricScale().add_to(m)
    folium.plugins.Fullscreen(position="topleft").add_to(m)
    folium.plugins.MeasureControl(
        position="topleft",
        primary_length_unit="meters",
        secondary_length_unit="kilometers",
        primary_area_unit="sqmeters",
        secondary_area_unit="hectares",
    ).add_to(m)
    provider = BASEMAPS[basemap]
    if minimap and provider is not None:
        folium.plugins.MiniMap(
            tile_layer=folium.TileLayer(provider),
            position="bottomleft",
            toggle_display=False,
            zoom_level_offset=-5,
        ).add_to(m)
    OfflineFallback(
        notice=t("map.tiles_failed", lang),
        no_tiles=provider is None,
        decimal=format_number(0.5, lang, decimals=1)[1],
    ).add_to(m)
    SiteSearch(placeholder=t("map.search", lang), not_found="–").add_to(m)
    return m


def _add_tiles(m: folium.Map, basemap: str, lang: str) -> None:
    if BASEMAPS[basemap] is None:
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
