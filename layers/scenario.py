"""A demonstration scenario drawn: its map (target, rings, corridors, assembly points, reserves)
and its tables (figures, ring deployment, reserves' arrival), in the planner's language.

The map is a self-contained Leaflet page like the operation map (the same base map, its
scripts inlined); every scenario shape is one :class:`ScenarioLayer` built client-side from
one literal, its tooltips written as text, never as markup. The tables are plain text for the
app, the briefing section (:mod:`layers.brief_scenarios`) and the command line alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import folium
from folium import FeatureGroup
from folium.template import Template

from geo.crs import geodesic_m
from geo.logistics import ROAD_SNAP_M, RoadNetwork
from geo.scenarios import (
    LOCAL_ORIGIN,
    ReserveArrival,
    ReserveUnit,
    Scenario,
    ScenarioFigures,
    Scenarios,
    scenario_figures,
)
from geo.text import format_coordinates, format_distance, format_int, format_number, label, t
from layers.assets import inline_assets
from layers.basemap import base_map
from layers.elements import escape_text, js_literal
from layers.styles import RING_ZONE_COLORS
from layers.templating import RawElement

__all__ = [
    "ASSEMBLY_COLOR",
    "CORRIDOR_COLOR",
    "FRAME_RESERVES_WITHIN_M",
    "RESERVE_COLOR",
    "RESERVE_LATE_COLOR",
    "SCENARIO_FIT_PAD_PX",
    "TARGET_COLOR",
    "ScenarioLayer",
    "ScenarioTable",
    "assumption_lines",
    "figures_table",
    "late_line",
    "minutes_text",
    "origins_text",
    "phase_text",
    "reserves_table",
    "rings_table",
    "scenario_bounds",
    "scenario_layers",
    "scenario_map",
    "scenario_map_html",
    "scenarios_lines",
]

TARGET_COLOR = "#b71c1c"
CORRIDOR_COLOR = "#6a1b9a"
ASSEMBLY_COLOR = "#ad1457"
RESERVE_COLOR = "#0d47a1"
RESERVE_LATE_COLOR = "#e65100"
# Pixels kept free around the scenario's content: the map's controls (zoom and tools on the
# left, layers at the top right, scale bar and attribution at the bottom) cover the edges
SCENARIO_FIT_PAD_PX = 56
FRAME_RESERVES_WITHIN_M = 15_000.0  # a reserve based farther is left out of the map's frame
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0


@dataclass(frozen=True)
class ScenarioTable:
    """A table as plain text (templates escape it); `numeric`: right-aligned columns."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()


# --- text ------------------------------------------------------------------------------------


def minutes_text(minutes: float, lang: str) -> str:
    """ "26 menit" / "26 min" (one decimal under 10 minutes); "–" for NaN."""
    if math.isnan(minutes):
        return "–"
    decimals = 1 if minutes < 10 else 0
    return t("scenario.minutes", lang, n=format_number(minutes, lang, decimals=decimals))


def origins_text(scenario: Scenario, lang: str) -> str:
    """Where the crowd comes from, "local" in words."""
    return ", ".join(
        t("scenario.origin_local", lang) if o == LOCAL_ORIGIN else o for o in scenario.origins
    )


def phase_text(scenario: Scenario, lang: str) -> str:
    """The phase's name when the catalog has it (``phase.<key>``), else its key."""
    return label("phase", scenario.phase, lang)


def assumption_lines(scenario: Scenario, lang: str, *, routed: bool = False) -> list[str]:
    """The scenario's assumptions: crowd size and origin, how arrival is estimated (along a
    road file when `routed`), the note."""
    lines = [
        t("scenario.assume_crowd", lang, n=format_int(scenario.crowd_size, lang)),
        t("scenario.assume_origins", lang, origins=origins_text(scenario, lang)),
        t("scenario.assume_travel_roads" if routed else "scenario.assume_travel", lang),
    ]
    if scenario.note:
        lines.append(t("scenario.assume_note", lang, note=scenario.note))
    return lines


def late_line(figures: ScenarioFigures, lang: str) -> str:
    """Which reserves arrive after the threshold (or that all arrive within it)."""
    n = format_number(figures.late_after_min, lang, decimals=None)
    if figures.late:
        return t("scenario.late", lang, n=n, names=", ".join(figures.late))
    return t("scenario.in_time", lang, n=n)


def figures_table(scenario: Scenario, figures: ScenarioFigures, lang: str) -> ScenarioTable:
    """Personnel per ring, on all rings, Dalmas, reserves, total, first and last arrival."""
    rows = [
        [
            t("scenario.row.ring", lang, ring=r.ring, radius=format_distance(r.radius_m, lang)),
            format_int(r.personnel, lang),
        ]
        for r in scenario.rings
    ]
    rows += [
        [t("scenario.row.deployed", lang), format_int(figures.deployed, lang)],
        [t("scenario.row.dalmas", lang), format_int(figures.dalmas, lang)],
        [t("scenario.row.reserves", lang), format_int(figures.reserves, lang)],
        [t("scenario.row.total", lang), format_int(figures.total, lang)],
        [t("scenario.row.first", lang), minutes_text(figures.first_arrival_min, lang)],
        [t("scenario.row.last", lang), minutes_text(figures.last_arrival_min, lang)],
    ]
    headers = [t("scenario.col.item", lang), t("scenario.col.value", lang)]
    return ScenarioTable(headers, rows, frozenset({1}))


def rings_table(scenario: Scenario, lang: str) -> ScenarioTable:
    """Per ring its radius, units (with their personnel), personnel and Dalmas."""
    rows = [
        [
            str(r.ring),
            format_distance(r.radius_m, lang),
            "; ".join(f"{u.name} ({format_int(u.personnel, lang)})" for u in r.units) or "–",
            format_int(r.personnel, lang),
            format_int(r.dalmas, lang),
        ]
        for r in scenario.rings
    ]
    headers = [
        t("scenario.col.ring", lang),
        t("scenario.col.radius", lang),
        t("scenario.col.units", lang),
        t("scenario.col.personnel", lang),
        t("scenario.col.dalmas", lang),
    ]
    return ScenarioTable(headers, rows, frozenset({0, 1, 3, 4}))


def _speed_text(arrival: ReserveArrival, lang: str) -> str:
    """Speed × road factor, or the speed and the distance along the road file."""
    speed = format_number(arrival.reserve.speed_kmh, lang, decimals=None)
    if arrival.routed:
        road = format_distance(arrival.road_m, lang)
        return t("scenario.speed_road", lang, speed=speed, road=road)
    detour = format_number(arrival.reserve.detour, lang, decimals=None)
    if arrival.unrouted is not None:  # a road file was given: say why it is not used here
        snap = format_distance(ROAD_SNAP_M, lang)
        why = t(f"scenario.unrouted.{arrival.unrouted.value}", lang, snap=snap)
        return t("scenario.speed_unrouted", lang, speed=speed, detour=detour, why=why)
    return t("scenario.speed", lang, speed=speed, detour=detour)


def _reserve_note(reserve: ReserveUnit, lang: str) -> str:
    """The planner's note, and where a reserve post's strength overrode the file's."""
    notes = [reserve.note] if reserve.note else []
    if reserve.file_strength is not None:
        notes.append(
            t(
                "scenario.strength_from_post",
                lang,
                n=format_int(reserve.strength, lang),
                post=reserve.site_id,
                given=format_int(reserve.file_strength, lang),
            )
        )
    return "; ".join(notes) or "–"


def reserves_table(figures: ScenarioFigures, lang: str) -> ScenarioTable:
    """Per reserve (earliest first) its type, strength, base, distance, speed and arrival."""
    rows = []
    for a in figures.arrivals:
        r = a.reserve
        arrival = minutes_text(a.minutes, lang)
        base = r.site_id or format_coordinates(r.lat, r.lon, lang)
        rows.append(
            [
                r.name,
                label("scenario.unit", r.unit, lang),
                format_int(r.strength, lang),
                base,
                format_distance(a.distance_m, lang),
                _speed_text(a, lang),
                f"{arrival} ({t('scenario.late_mark', lang)})" if a.late else arrival,
                _reserve_note(r, lang),
            ]
        )
    routed = any(a.routed for a in figures.arrivals)
    headers = [
        t("scenario.col.reserve", lang),
        t("scenario.col.unit", lang),
        t("scenario.col.strength", lang),
        t("scenario.col.base", lang),
        t("scenario.col.distance", lang),
        t("scenario.col.speed_road" if routed else "scenario.col.speed", lang),
        t("scenario.col.minutes", lang),
        t("scenario.col.note", lang),
    ]
    return ScenarioTable(headers, rows, frozenset({2, 4, 6}))


def _table_lines(table: ScenarioTable) -> list[str]:
    widths = [
        max(len(str(c)) for c in column) for column in zip(table.headers, *table.rows, strict=True)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if i in table.numeric else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(table.headers), *(line(row) for row in table.rows)]


def scenarios_lines(
    scenarios: Scenarios, lang: str, *, roads: RoadNetwork | None = None
) -> list[str]:
    """The scenarios as text lines for the command line: per scenario its head, figures,
    late reserves, rings and reserves tables and assumptions; arrivals along `roads` when
    given (:func:`geo.scenarios.reserve_arrivals`; a reserve the roads do not bring there
    keeps its straight line, its row says why)."""
    lines: list[str] = []
    for s in scenarios.items:
        figures = scenario_figures(s, late_after_min=scenarios.late_after_min, roads=roads)
        head = t(
            "scenario.cli_head", lang, name=s.name, target=s.target_name, phase=phase_text(s, lang)
        )
        lines += ["", head, "=" * len(head)]
        lines += _table_lines(figures_table(s, figures, lang))
        lines += [late_line(figures, lang), ""]
        lines += [*_table_lines(rings_table(s, lang)), ""]
        lines += [*_table_lines(reserves_table(figures, lang)), ""]
        lines += [f"{t('scenario.assumptions', lang)}:"]
        lines += [f"  - {a}" for a in assumption_lines(s, lang, routed=figures.routed)]
    return lines[1:]


# --- map -------------------------------------------------------------------------------------


class ScenarioLayer(FeatureGroup):
    """A toggleable layer of scenario shapes built client-side from one literal.

    Each item is a circle (metres), a point (pixels) or a line, with Leaflet path options, a
    `role` (target, ring, corridor, assembly, reserve, reserve_line) and its `ring` number
    stored on the drawn layer's options (for tests and tools), and an optional tooltip
    (plain text, shown permanently when `label` is set).
    """

    _template = Template(
        r"""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function(group) {
            var items = {{ this.items_js }};
            items.forEach(function(it) {
                var o = Object.assign({}, it.style, {role: it.role, ring: it.ring});
                var layer;
                if (it.type === 'circle') {
                    layer = L.circle(it.at, Object.assign({radius: it.radius}, o));
                } else if (it.type === 'point') {
                    layer = L.circleMarker(it.at, o);
                } else {
                    layer = L.polyline(it.at, o);
                }
                if (it.tip) {
                    var tip = document.createElement('span');
                    tip.textContent = it.tip;  // text, never markup
                    layer.bindTooltip(tip, it.label
                        ? {permanent: true, direction: 'right', className: 'posko-scenario-label'}
                        : {direction: 'top', sticky: it.type !== 'point'});
                }
                group.addLayer(layer);
            });
        })({{ this.get_name() }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, name: str, items: Sequence[dict[str, Any]]) -> None:
        super().__init__(name=escape_text(name))
        self.items = list(items)
        self.items_js = js_literal(self.items)

    def render(self, **kwargs: Any) -> None:
        """Add the layer's script to the figure as it is: folium would read a macro's output
        as a template once more, and a name holding "{{ … }}" would be evaluated."""
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(
            RawElement(str(script(self, kwargs))), name=self.get_name()
        )


def _at(lon: float, lat: float) -> list[float]:
    return [round(lat, 6), round(lon, 6)]


def _item(kind: str, role: str, at: Any, style: dict[str, Any], tip: str = "", **extra: Any):
    return {"type": kind, "role": role, "at": at, "style": style, "tip": tip, **extra}


def scenario_layers(scenario: Scenario, figures: ScenarioFigures, lang: str) -> list[ScenarioLayer]:
    """The scenario's layers: rings (outermost first), corridors, assembly points, reserves
    with their straight lines to the target (their arrival minutes as labels; name, strength
    and distance on the line's tooltip), the target on top."""
    target = _at(scenario.lon, scenario.lat)
    rings = [
        _item(
            "circle",
            "ring",
            target,
            {
                "color": RING_ZONE_COLORS[(r.ring - 1) % len(RING_ZONE_COLORS)],
                "weight": 2,
                "dashArray": "6 4",
                "fillOpacity": 0.05,
            },
            t(
                "scenario.tip_ring",
                lang,
                ring=r.ring,
                radius=format_distance(r.radius_m, lang),
                personnel=format_int(r.personnel, lang),
            ),
            radius=r.radius_m,
            ring=r.ring,
        )
        for r in sorted(scenario.rings, key=lambda r: -r.ring)
    ]
    corridors = [
        _item(
            "line",
            "corridor",
            [_at(lon, lat) for lon, lat in c.line],
            {"color": CORRIDOR_COLOR, "weight": 4, "opacity": 0.8, "dashArray": "10 6"},
            c.name,
        )
        for c in scenario.corridors
    ]
    assembly = [
        _item(
            "point",
            "assembly",
            _at(p.lon, p.lat),
            {"radius": 7, "color": ASSEMBLY_COLOR, "fillColor": ASSEMBLY_COLOR, "fillOpacity": 0.6},
            p.name,
        )
        for p in scenario.assembly
    ]
    reserves = []
    for a in figures.arrivals:
        r = a.reserve
        color = RESERVE_LATE_COLOR if a.late else RESERVE_COLOR
        tip = t(
            "scenario.tip_reserve",
            lang,
            name=r.name,
            strength=format_int(r.strength, lang),
            minutes=format_number(a.minutes, lang),
            distance=format_distance(a.distance_m, lang),
        )
        reserves.append(
            _item(
                "line",
                "reserve_line",
                [_at(x, y) for x, y in a.path] if a.path else [_at(r.lon, r.lat), target],
                {"color": color, "weight": 2, "opacity": 0.9},
                tip,
            )
        )
        reserves.append(
            _item(
                "point",
                "reserve",
                _at(r.lon, r.lat),
                {"radius": 8, "color": color, "fillColor": color, "fillOpacity": 0.9},
                minutes_text(a.minutes, lang),
                label=True,
            )
        )
    marker = _item(
        "point",
        "target",
        target,
        {"radius": 9, "color": "#ffffff", "weight": 2, "fillColor": TARGET_COLOR, "fillOpacity": 1},
        scenario.target_name,
    )
    layers = [ScenarioLayer(t("scenario.layer.rings", lang), rings)]
    if corridors:
        layers.append(ScenarioLayer(t("scenario.layer.corridors", lang), corridors))
    if assembly:
        layers.append(ScenarioLayer(t("scenario.layer.assembly", lang), assembly))
    if reserves:
        layers.append(ScenarioLayer(t("scenario.layer.reserves", lang), reserves))
    layers.append(ScenarioLayer(t("scenario.layer.target", lang), [marker]))
    return layers


def scenario_bounds(scenario: Scenario) -> tuple[float, float, float, float]:
    """(south, west, north, east) holding the outermost ring, the assembly points and the
    reserves based within `FRAME_RESERVES_WITHIN_M` of the target, degrees. A reserve from
    farther (another regency's) and the corridors come in from beyond: framing them would
    shrink the rings to a dot; their lines lead off the map and the table has their times."""
    radius = max((r.radius_m for r in scenario.rings), default=0.0)
    dlat = radius / _M_PER_DEG_LAT
    dlon = radius / (_M_PER_DEG_LON * math.cos(math.radians(scenario.lat)))
    lons = [scenario.lon - dlon, scenario.lon + dlon]
    lats = [scenario.lat - dlat, scenario.lat + dlat]
    points = [(r.lon, r.lat) for r in scenario.reserves if _near(scenario, r.lon, r.lat)]
    points += [(p.lon, p.lat) for p in scenario.assembly]
    lons += [p[0] for p in points]
    lats += [p[1] for p in points]
    return min(lats), min(lons), max(lats), max(lons)


def _near(scenario: Scenario, lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies within `FRAME_RESERVES_WITHIN_M` of the scenario's target."""
    return float(geodesic_m(lon, lat, scenario.lon, scenario.lat)) <= FRAME_RESERVES_WITHIN_M


def scenario_map(
    scenario: Scenario, figures: ScenarioFigures, *, lang: str = "id", basemap: str = "none"
) -> folium.Map:
    """The scenario's map, framed on :func:`scenario_bounds` clear of the map's controls
    (`SCENARIO_FIT_PAD_PX`), with a layer control.

    Raises
    ------
    ValueError
        When `basemap` is unknown.
    """
    m = base_map(
        scenario_bounds(scenario),
        basemap=basemap,
        lang=lang,
        minimap=False,
        fit_pad=SCENARIO_FIT_PAD_PX,
    )
    for layer in scenario_layers(scenario, figures, lang):
        layer.add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def scenario_map_html(
    scenario: Scenario, figures: ScenarioFigures, *, lang: str = "id", basemap: str = "none"
) -> str:
    """The scenario's map as one self-contained page (every script and style inlined)."""
    m = scenario_map(scenario, figures, lang=lang, basemap=basemap)
    figure = m.get_root()
    inline_assets(figure)
    return figure.render()
