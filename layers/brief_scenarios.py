"""The briefing's demonstration-scenarios section: per scenario a small map inset (inline SVG),
its figures, ring deployment and reserves' arrival tables, and its assumptions.

The inset is an inline SVG drawn from projected coordinates (the target's local metric CRS,
one scale on both axes): it needs no tiles, no script and no network, and prints sharp on
paper. It shows the rings to scale, the crowd's corridors and assembly points, and each
reserve's base with its straight line to the target and its arrival minutes. The section is
rendered by an autoescaping template, so every name from the file is text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup
from pyproj import Transformer

from geo.crs import WGS84, local_metric_crs
from geo.scenarios import (
    Scenario,
    ScenarioError,
    Scenarios,
    load_scenarios,
    scenario_figures,
    scenarios_in_phase,
)
from geo.text import format_distance, localized, t
from layers.scenario import (
    ASSEMBLY_COLOR,
    CORRIDOR_COLOR,
    RESERVE_COLOR,
    RESERVE_LATE_COLOR,
    TARGET_COLOR,
    assumption_lines,
    figures_table,
    late_line,
    minutes_text,
    phase_text,
    reserves_table,
    rings_table,
)
from layers.styles import RING_ZONE_COLORS
from layers.templating import render_template

if TYPE_CHECKING:
    from geo.logistics import RoadNetwork
    from geo.operation import Operation

__all__ = [
    "INSET_PX",
    "Inset",
    "InsetMark",
    "inset",
    "scenario_section_html",
    "scenarios_section",
]

INSET_PX: tuple[int, int] = (340, 250)
"""Width and height of a scenario's inset, pixels (CSS px: about 90 × 66 mm printed)."""
_MARGIN_PX = 18
_MIN_RING_PX = 1.5
_NICE_M = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000)


@dataclass(frozen=True)
class InsetMark:
    """A drawn thing on the inset: a point or circle (`x`, `y`, `r`) or a line (`points`),
    pixels from the top left, with its colour and text."""

    color: str
    x: float = 0.0
    y: float = 0.0
    r: float = 0.0
    points: str = ""
    text: str = ""


@dataclass(frozen=True)
class Inset:
    """A scenario's inset: its size, the marks per role, a scale bar, and whether it frames
    the rings only (`close`)."""

    width: int
    height: int
    rings: tuple[InsetMark, ...]
    corridors: tuple[InsetMark, ...]
    assembly: tuple[InsetMark, ...]
    reserve_lines: tuple[InsetMark, ...]
    reserves: tuple[InsetMark, ...]
    target: InsetMark
    scale_px: float
    scale_text: str
    close: bool = False


def _projector(scenario: Scenario) -> Transformer:
    return Transformer.from_crs(WGS84, local_metric_crs(scenario.lon, scenario.lat), always_xy=True)


def inset(
    scenario: Scenario,
    *,
    late_after_min: float,
    lang: str,
    close: bool = False,
    roads: RoadNetwork | None = None,
) -> Inset:
    """The scenario drawn to scale in :data:`INSET_PX`, centred on what it frames.

    Parameters
    ----------
    scenario
        The scenario.
    late_after_min
        Reserves arriving later than this are drawn in the late colour.
    lang
        Language of the labels.
    close
        Frame the outermost ring only (the rings readable, to scale; what lies beyond is cut
        off); False: frame everything (rings too small to see are drawn a little larger).
    roads
        The operation's road network: the minutes are the arrival along it, and a reserve's
        line is its road route (straight where the roads do not bring it to the target).
    """
    width, height = INSET_PX
    figures = scenario_figures(scenario, late_after_min=late_after_min, roads=roads)
    project = _projector(scenario)
    tx, ty = project.transform(scenario.lon, scenario.lat)
    radius = max((r.radius_m for r in scenario.rings), default=0.0)
    xs, ys = [tx - radius, tx + radius], [ty - radius, ty + radius]
    lonlat = [] if close else [(r.lon, r.lat) for r in scenario.reserves]
    if not close:
        lonlat += [p for c in scenario.corridors for p in c.line]
        lonlat += [(p.lon, p.lat) for p in scenario.assembly]
        lonlat += [p for a in figures.arrivals for p in a.path or ()]
    for lon, lat in lonlat:
        x, y = project.transform(lon, lat)
        xs.append(x)
        ys.append(y)
    scale = min(
        (width - 2 * _MARGIN_PX) / max(max(xs) - min(xs), 1.0),
        (height - 2 * _MARGIN_PX) / max(max(ys) - min(ys), 1.0),
    )
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def px(lon: float, lat: float) -> tuple[float, float]:
        x, y = project.transform(lon, lat)
        return round(width / 2 + (x - cx) * scale, 1), round(height / 2 - (y - cy) * scale, 1)

    target_x, target_y = px(scenario.lon, scenario.lat)
    rings = tuple(
        InsetMark(
            RING_ZONE_COLORS[(r.ring - 1) % len(RING_ZONE_COLORS)],
            target_x,
            target_y,
            _ring_px(r.radius_m * scale, r.ring, close=close),
            text=str(r.ring),
        )
        for r in sorted(scenario.rings, key=lambda r: -r.ring)
    )
    corridors = tuple(
        InsetMark(CORRIDOR_COLOR, points=_points([px(*p) for p in c.line]), text=c.name)
        for c in scenario.corridors
    )
    assembly = tuple(
        InsetMark(ASSEMBLY_COLOR, *px(p.lon, p.lat), 4, text=p.name) for p in scenario.assembly
    )
    reserve_lines, reserves = [], []
    for a in figures.arrivals:
        color = RESERVE_LATE_COLOR if a.late else RESERVE_COLOR
        x, y = px(a.reserve.lon, a.reserve.lat)
        way = [px(*p) for p in a.path] if a.path else [(x, y), (target_x, target_y)]
        reserve_lines.append(InsetMark(color, points=_points(way)))
        reserves.append(InsetMark(color, x, y, 5, text=minutes_text(a.minutes, lang)))
    bar_m = _scale_metres((width - 2 * _MARGIN_PX) / 3 / scale)
    return Inset(
        width=width,
        height=height,
        rings=rings,
        corridors=corridors,
        assembly=assembly,
        reserve_lines=tuple(reserve_lines),
        reserves=tuple(reserves),
        target=InsetMark(TARGET_COLOR, target_x, target_y, 5, text=scenario.target_name),
        scale_px=round(bar_m * scale, 1),
        scale_text=format_distance(bar_m, lang),
        close=close,
    )


def _ring_px(radius_px: float, ring: int, *, close: bool) -> float:
    """A ring's radius on the inset: to scale, but on the overview never below a few pixels
    (ring n at least 1.5 + n px), so every ring is seen around the target."""
    return round(radius_px if close else max(radius_px, _MIN_RING_PX + ring), 1)


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def _scale_metres(most_m: float) -> float:
    """The largest round distance up to `most_m` (the smallest round one when none fits)."""
    fitting = [m for m in _NICE_M if m <= most_m]
    return float(fitting[-1] if fitting else _NICE_M[0])


def scenario_section_html(
    scenarios: Scenarios,
    lang: str,
    *,
    phase: str | None = None,
    roads: RoadNetwork | None = None,
) -> str:
    """The section as HTML: every scenario (of `phase`, when given) with its inset, tables and
    assumptions; empty when there is none. With `roads` (the operation's road network) the
    reserves' arrival is along the roads, and the assumptions say so.

    Raises
    ------
    ScenarioError
        With `roads`, when they do not bring a reserve to its target.
    """
    chosen = scenarios_in_phase(scenarios, phase)
    if not chosen:
        return ""
    items = []
    late = scenarios.late_after_min
    for s in chosen:
        figures = scenario_figures(s, late_after_min=late, roads=roads)
        items.append(
            {
                "id": s.id,
                "name": s.name,
                "target": t(
                    "scenario.target", lang, target=s.target_name, phase=phase_text(s, lang)
                ),
                "insets": [
                    inset(s, late_after_min=late, lang=lang, close=close, roads=roads)
                    for close in (False, True)
                ],
                "figures": figures_table(s, figures, lang),
                "rings": rings_table(s, lang),
                "reserves": reserves_table(figures, lang),
                "late": late_line(figures, lang),
                "any_late": bool(figures.late),
                "assumptions": assumption_lines(s, lang, routed=figures.routed),
            }
        )
    return render_template(
        "brief_scenarios.html",
        title=t("scenario.title", lang),
        inset_note=t("scenario.inset_roads" if roads is not None else "scenario.inset", lang),
        inset_titles=[t("scenario.inset_all", lang), t("scenario.inset_rings", lang)],
        rings_title=t("scenario.rings_title", lang),
        reserves_title=t("scenario.reserves_title", lang),
        assumptions_title=t("scenario.assumptions", lang),
        scenarios=items,
    )


def scenarios_section(operation: Operation, lang: str, *, phase: str | None = None) -> Markup:
    """The operation's scenarios section for the briefing (empty markup without scenarios).

    An invalid `scenarios.toml` (or one naming a post this plan has removed) does not stop
    the briefing: the section says why the scenarios cannot be shown, in the reader's words.
    The reserves' arrival is along the operation's road file when it has one (a reserve the
    roads do not bring to its target: the straight line, and why, in its row).
    """
    try:
        scenarios = load_scenarios(operation)
        html = scenario_section_html(scenarios, lang, phase=phase, roads=operation.road_network)
    except ScenarioError as exc:
        return Markup(
            render_template(
                "brief_scenarios_problem.html",
                title=t("scenario.title", lang),
                problem=t("scenario.unavailable", lang, reason=localized(exc, lang)),
            )
        )
    # rendered by an autoescaping template: safe to place as it is
    return Markup(html)
