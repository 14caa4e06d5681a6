"""Editing a plan on the map: draggable posts, a click that places a new post, drawn zones.

The app's map component (streamlit-folium) reports a drawing tool's work as the GeoJSON of
the last drawing (`last_active_drawing`). Every edit made here is reported that way: a
feature whose properties say what happened (``posko``: move, add, select, zone_new,
zones_edited, zones_deleted) with a sequence number (``seq``) that tells a new edit from the
same one reported again on the next run. :func:`parse_event` reads it back.

`ZoneDrawControl` belongs to the base map (mounted once): the Leaflet.draw toolbar, served
offline (its sprite sheet inlined as data URIs). `PlanEditLayer` is
an overlay, redrawn after every edit: the posts as draggable markers, the zones inside the
toolbar's editable group, the spot of a post being added.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import shapely
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import FeatureGroup
from folium.template import Template

from geo.analysis import Analysis
from geo.model import PostType
from geo.text import label, t
from layers.elements import ShapeLayer, escape_text, js_literal
from layers.styles import ZONE_STYLES, post_icon
from layers.zones import shape_rings

__all__ = [
    "EDIT_ACTIONS",
    "EditEvent",
    "EditPost",
    "EditZone",
    "PlanEditLayer",
    "ZoneDrawControl",
    "parse_event",
    "zone_layer",
]

EDIT_ACTIONS = frozenset({"move", "add", "select", "zone_new", "zones_edited", "zones_deleted"})

# The toolbar shows only while the plan is being edited (the overlay sets the class). Its
# icons are the plugin's own sprite sheet, which the offline registry carries as data URIs.
_TOOL_CSS = """
.leaflet-draw.leaflet-control { display: none; }
.posko-editing .leaflet-draw.leaflet-control { display: block; }
.posko-adding, .posko-adding .leaflet-interactive { cursor: crosshair !important; }
"""


class ZoneDrawControl(JSCSSMixin, MacroElement):
    """The zone drawing toolbar (polygon, rectangle, circle; edit; delete), for the base map.

    A new shape is reported, not kept: the page asks its kind and name, and the overlay
    draws the zones the plan holds. Edited and deleted zones are reported by their ids.
    The toolbar shows only while the overlay says the plan is being edited.

    Parameters
    ----------
    lang
        Language of the toolbar's tooltips and buttons.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function(map) {
            var words = {{ this.words_js }};
            var local = L.drawLocal;
            local.draw.toolbar.buttons.polygon = words.polygon;
            local.draw.toolbar.buttons.rectangle = words.rectangle;
            local.draw.toolbar.buttons.circle = words.circle;
            local.draw.toolbar.actions.text = words.cancel;
            local.draw.toolbar.actions.title = words.cancel;
            local.draw.toolbar.finish.text = words.finish;
            local.draw.toolbar.finish.title = words.finish;
            local.draw.toolbar.undo.text = words.undo;
            local.draw.toolbar.undo.title = words.undo;
            local.edit.toolbar.buttons.edit = words.edit;
            local.edit.toolbar.buttons.editDisabled = words.none;
            local.edit.toolbar.buttons.remove = words.remove;
            local.edit.toolbar.buttons.removeDisabled = words.none;
            local.edit.toolbar.actions.save.text = words.save;
            local.edit.toolbar.actions.save.title = words.save;
            local.edit.toolbar.actions.cancel.text = words.cancel;
            local.edit.toolbar.actions.cancel.title = words.cancel;
            local.edit.toolbar.actions.clearAll.text = words.clear;
            local.edit.toolbar.actions.clearAll.title = words.clear;
            window.drawnItems = new L.FeatureGroup().addTo(map);
            window.poskoNextSeq = function() {
                window.poskoSeq = Math.max((window.poskoSeq || 0) + 1, Date.now() * 1000);
                return window.poskoSeq;
            };
            new L.Control.Draw({
                position: 'topleft',
                draw: {polyline: false, marker: false, circlemarker: false,
                       polygon: {allowIntersection: false, showArea: false},
                       rectangle: {showArea: false}, circle: {showRadius: true}},
                edit: {featureGroup: window.drawnItems}
            }).addTo(map);
            function report(e, properties) {
                properties.seq = window.poskoNextSeq();
                var feature = {type: 'Feature', properties: properties, geometry: null};
                e.layer = {toGeoJSON: function() { return feature; }};
            }
            // these run before the map component's own listeners, which report `e.layer`
            map.on('draw:created', function(e) {
                var properties = {posko: 'zone_new', seq: window.poskoNextSeq()};
                if (e.layerType === 'circle') { properties.radius = e.layer.getRadius(); }
                e.layer.feature = {type: 'Feature', properties: properties};
            });
            map.on('draw:edited', function(e) {
                if (e.layer || !e.layers) { return; }
                var zones = [];
                e.layers.eachLayer(function(l) {
                    var p = (l.feature || {}).properties || {};
                    if (!p.zone_id) { return; }
                    zones.push({zone_id: p.zone_id, geometry: l.toGeoJSON().geometry,
                                radius: l.getRadius ? l.getRadius() : null});
                });
                report(e, {posko: 'zones_edited', zones: zones});
            });
            map.on('draw:deleted', function(e) {
                if (e.layer || !e.layers) { return; }
                var ids = [];
                e.layers.eachLayer(function(l) {
                    var p = (l.feature || {}).properties || {};
                    if (p.zone_id) { ids.push(p.zone_id); }
                });
                report(e, {posko: 'zones_deleted', zone_ids: ids});
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    default_js: ClassVar[list[tuple[str, str]]] = [
        (
            "leaflet_draw_js",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.js",
        )
    ]
    default_css: ClassVar[list[tuple[str, str]]] = [
        (
            "leaflet_draw_css",
            "https://cdnjs.cloudflare.com/ajax/libs/leaflet.draw/1.0.2/leaflet.draw.css",
        )
    ]

    def __init__(self, lang: str = "id") -> None:
        super().__init__()
        self._name = "ZoneDrawControl"
        self.css = _TOOL_CSS
        words = (
            "polygon",
            "rectangle",
            "circle",
            "cancel",
            "finish",
            "undo",
            "edit",
            "none",
            "remove",
            "save",
            "clear",
        )
        self.words_js = js_literal({w: t(f"edit.tool.{w}", lang) for w in words})


@dataclass(frozen=True)
class EditPost:
    """A post as the editing overlay draws it."""

    site_id: str
    name: str
    post_type: PostType
    lat: float
    lon: float


@dataclass(frozen=True)
class EditZone:
    """A zone as the editing overlay draws it: a (multi)polygon, or a ring of `radius_m`
    around a point."""

    zone_id: str
    kind: str
    name: str
    geometry: shapely.Geometry
    radius_m: float | None = None


def _zone_tip(name: str, kind: str, lang: str) -> str:
    """A zone's tooltip: its name in bold and its kind, escaped."""
    return f"<b>{escape_text(name)}</b><br>{escape_text(label('zone_kind', kind, lang))}"


def zone_layer(analysis: Analysis, lang: str, *, show: bool = True) -> ShapeLayer:
    """The plan's zones as a layer of shapes (a ring as its circle), for a map that shows
    them without editing them (the briefing)."""
    zones = analysis.operation.plan_content.zones
    kinds = list(ZONE_STYLES)
    styles = [
        {
            "color": s.color,
            "weight": 2.5,
            "fillColor": s.color,
            "fillOpacity": 0.12,
            "dashArray": s.dash,
        }
        for s in ZONE_STYLES.values()
    ]
    return ShapeLayer(
        t("layer.zones", lang),
        rings=[shape_rings(z.area()) for z in zones],
        styles=styles,
        style=[kinds.index(z.kind) for z in zones],
        tooltips=[_zone_tip(z.name, z.kind, lang) for z in zones],
        interactive=True,
        show=show,
    )


def _zone_js(zone: EditZone, *, lang: str, pending: bool = False) -> dict[str, Any]:
    """A zone for the overlay's script: GeoJSON geometry (or centre and radius), style, tip."""
    style = ZONE_STYLES[zone.kind]
    options: dict[str, Any] = {
        "color": style.color,
        "weight": 2.5,
        "fillColor": style.color,
        "fillOpacity": 0.12,
        "dashArray": "6 6" if pending else style.dash,
    }
    tip = _zone_tip(zone.name, zone.kind, lang)
    out: dict[str, Any] = {"id": zone.zone_id, "style": options, "tip": tip}
    if zone.radius_m is not None:
        point = zone.geometry if zone.geometry.geom_type == "Point" else zone.geometry.centroid
        out |= {"at": [round(point.y, 6), round(point.x, 6)], "radius": float(zone.radius_m)}
    else:
        out["geometry"] = shapely.geometry.mapping(shapely.set_precision(zone.geometry, 1e-6))
    return out


class PlanEditLayer(FeatureGroup):
    """The plan's editable overlay: zones always, posts and the add tool while editing.

    Parameters
    ----------
    posts
        The plan's posts, drawn as draggable markers while `editing` (else not at all: the
        post layer draws them).
    zones
        The plan's zones, placed in the toolbar's group so that they can be edited.
    editing
        Whether the plan is being edited: the toolbar shows, posts can be dragged.
    adding
        Whether a click on the map places a new post.
    pending
        (lat, lon) of a post being added (its form is open), drawn as a dashed mark.
    pending_zone
        A zone drawn but not yet named, drawn dashed.
    lang
        Language of the tooltips.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function(group, map) {
            var cfg = {{ this.config_js }};
            if (window.poskoEdit) { window.poskoEdit.teardown(); }
            var box = map.getContainer();
            var onClick = null;
            function send(properties, at, marker) {
                properties.seq = window.poskoNextSeq();
                var feature = {type: 'Feature', properties: properties,
                    geometry: {type: 'Point', coordinates: [at.lng, at.lat]}};
                // the map component's own click handler reports the clicked marker's
                // GeoJSON, before or after this: let that carry the same edit
                if (marker) { marker.feature = {type: 'Feature', properties: properties}; }
                map.fire('draw:edited', {layer: {toGeoJSON: function() { return feature; }}});
            }
            box.classList.toggle('posko-editing', cfg.editing);
            box.classList.toggle('posko-adding', cfg.adding);
            function zoneLayer(z) {
                var layer = z.radius ? L.circle(z.at, Object.assign({radius: z.radius}, z.style))
                    : L.polygon(L.GeoJSON.coordsToLatLngs(z.geometry.coordinates,
                        z.geometry.type === 'Polygon' ? 1 : 2), z.style);
                layer.options.role = 'zone';
                layer.options.zoneId = z.id;
                layer.feature = {type: 'Feature', properties: {zone_id: z.id}};
                layer.bindTooltip(z.tip, {sticky: true});
                return layer;
            }
            var items = window.drawnItems;
            if (items && items.clearLayers) {
                items.clearLayers();
                cfg.zones.forEach(function(z) { items.addLayer(zoneLayer(z)); });
            }
            if (cfg.pendingZone) { group.addLayer(zoneLayer(cfg.pendingZone)); }
            cfg.posts.forEach(function(p) {
                var marker = L.marker([p.lat, p.lon], {
                    draggable: true, keyboard: false, zIndexOffset: 500,
                    icon: L.divIcon({html: cfg.icons[p.type], className: 'posko-icon',
                                     iconSize: [26, 26], iconAnchor: [13, 13]}),
                    kind: 'police_post', role: 'site', movable: true, siteId: p.id});
                marker.bindTooltip(p.tip, {direction: 'top'});
                // the selected post's ring has its details beside it: not two boxes at once
                function ring(show) {
                    map.eachLayer(function(l) {
                        if (l.options && l.options.role === 'selected'
                            && l.options.siteId === p.id && l.getTooltip()) {
                            if (show) { l.openTooltip(); } else { l.closeTooltip(); }
                        }
                    });
                }
                marker.on('mouseover', function() { ring(false); });
                marker.on('mouseout', function() { ring(true); });
                // a tooltip left open where the post was would overlap the moved one's
                marker.on('dragstart', function() {
                    marker.closeTooltip();
                    map.eachLayer(function(l) {
                        if (l instanceof L.Tooltip) { map.removeLayer(l); }
                    });
                });
                marker.on('dragend', function() {
                    marker.closeTooltip();
                    send({posko: 'move', site_id: p.id}, marker.getLatLng(), marker);
                });
                marker.on('click', function() {
                    send({posko: 'select', site_id: p.id}, marker.getLatLng(), marker);
                });
                group.addLayer(marker);
            });
            if (cfg.pending) {
                group.addLayer(L.circleMarker(cfg.pending, {radius: 13, color: '#d500f9',
                    weight: 3, dashArray: '4 4', fill: false, interactive: false,
                    role: 'pending'}));
            }
            if (cfg.adding) {
                onClick = function(e) { send({posko: 'add'}, e.latlng); };
                map.on('click', onClick);
            }
            window.poskoEdit = {teardown: function() {
                if (onClick) { map.off('click', onClick); }
                box.classList.remove('posko-editing', 'posko-adding');
            }};
        })({{ this.get_name() }}, {{ this._parent.get_name() }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        *,
        posts: Sequence[EditPost] = (),
        zones: Sequence[EditZone] = (),
        editing: bool = False,
        adding: bool = False,
        pending: tuple[float, float] | None = None,
        pending_zone: EditZone | None = None,
        lang: str = "id",
    ) -> None:
        super().__init__(name="plan_edit", show=True, control=False)
        types = list(PostType)
        config = {
            "editing": bool(editing),
            "adding": bool(editing and adding),
            "icons": [
                post_icon(p).replace('width="22" height="22"', 'width="26" height="26"')
                for p in types
            ],
            "posts": [
                {
                    "id": p.site_id,
                    "lat": round(float(p.lat), 6),
                    "lon": round(float(p.lon), 6),
                    "type": types.index(PostType(p.post_type)),
                    "tip": f"<b>{escape_text(p.name)}</b><br>"
                    + escape_text(t("edit.drag_hint", lang)),
                }
                for p in (posts if editing else ())
            ],
            "zones": [_zone_js(z, lang=lang) for z in zones],
            "pending": [round(pending[0], 6), round(pending[1], 6)] if pending else None,
            "pendingZone": _zone_js(pending_zone, lang=lang, pending=True)
            if pending_zone
            else None,
        }
        self.post_count = len(config["posts"])
        self.config_js = js_literal(config)


@dataclass(frozen=True)
class EditEvent:
    """One edit reported by the map.

    Attributes
    ----------
    action
        One of :data:`EDIT_ACTIONS`.
    seq
        The map's sequence number of the edit (a new number is a new edit).
    site_id
        The post moved or selected.
    lon, lat
        Where a post was moved or placed, or a ring's centre.
    radius_m
        A drawn ring's radius.
    geometry
        A drawn zone's shape (EPSG:4326).
    zones
        Edited zones: (zone id, new geometry, radius or None).
    zone_ids
        Deleted zones.
    """

    action: str
    seq: int
    site_id: str = ""
    lon: float | None = None
    lat: float | None = None
    radius_m: float | None = None
    geometry: shapely.Geometry | None = None
    zones: tuple[tuple[str, shapely.Geometry, float | None], ...] = field(default=())
    zone_ids: tuple[str, ...] = ()


def _finite(value: object) -> float | None:
    """A finite float, or None."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _shape(geometry: object) -> shapely.Geometry | None:
    """A valid, non-empty shape from GeoJSON, or None."""
    if not isinstance(geometry, Mapping):
        return None
    try:
        shape = shapely.geometry.shape(geometry)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None
    return shape if not shape.is_empty else None


def _zone_edits(items: object) -> tuple[tuple[str, shapely.Geometry, float | None], ...]:
    """(zone id, shape, radius) of each well-formed edited zone."""
    out = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping):
            continue
        shape = _shape(item.get("geometry"))
        if item.get("zone_id") and shape is not None:
            out.append((str(item["zone_id"]), shape, _finite(item.get("radius"))))
    return tuple(out)


def parse_event(drawing: object) -> EditEvent | None:
    """The edit a `last_active_drawing` value reports, or None when it reports none.

    Values the page did not make (a malformed or foreign drawing) are ignored, not trusted.
    """
    if not isinstance(drawing, Mapping):
        return None
    props = drawing.get("properties")
    if not isinstance(props, Mapping) or props.get("posko") not in EDIT_ACTIONS:
        return None
    seq = _finite(props.get("seq"))
    if seq is None:
        return None
    shape = _shape(drawing.get("geometry"))
    lon = lat = None
    if shape is not None and shape.geom_type == "Point":
        lon, lat = _finite(shape.x), _finite(shape.y)
    ids = props.get("zone_ids")
    return EditEvent(
        action=str(props["posko"]),
        seq=int(seq),
        site_id=str(props.get("site_id") or ""),
        lon=lon,
        lat=lat,
        radius_m=_finite(props.get("radius")),
        geometry=shape,
        zones=_zone_edits(props.get("zones")),
        zone_ids=tuple(str(i) for i in ids) if isinstance(ids, list) else (),
    )
