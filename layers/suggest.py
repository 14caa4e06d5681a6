"""Suggested posts drawn: on the map with their new reach, the coverage-vs-posts curve as an
inline SVG (no script, no CDN), and the tables and text lines the page and the CLI show."""

from __future__ import annotations

import html
from collections.abc import Sequence

import folium
import geopandas as gpd
import pandas as pd

from geo.analysis import Analysis
from geo.crs import WGS84, buffer_m
from geo.model import Col, Kind, ZoneKind
from geo.placement import CurvePoint, Mode, Suggestion
from geo.text import (
    format_coordinates,
    format_distance,
    format_int,
    format_number,
    format_share,
    label,
    t,
)
from layers.assets import walk_elements
from layers.elements import ShapeLayer, SiteLayer, SiteStyle, Tooltips, js_literal
from layers.legend import Legend, area_accuracy, legend_html, zone_rows
from layers.mapview import map_bounds, map_parts
from layers.styles import svg_icon
from layers.zones import shape_rings

__all__ = [
    "SUGGESTED_COLOR",
    "curve_svg",
    "curve_table",
    "legend_rows",
    "posts_table",
    "status_text",
    "suggested_icon",
    "suggestion_lines",
    "suggestion_map",
    "unreachable_table",
]

SUGGESTED_COLOR = "#6a1b9a"
_NEW_COVER_COLOR = "#00897b"
_UNREACHABLE_COLOR = "#b71c1c"
_NO_GO_COLOR = "#424242"
# the operation's own layers drawn under the suggestion
_BASE_LAYERS = ("areas", "polling_station", "police_post", "rings", "uncovered")


def status_text(status: str, gap: float, lang: str) -> str:
    """How a solve ended, in words ("optimal", "time limit reached (gap 1.2 %)")."""
    gap_text = format_share(gap, lang) if gap == gap and gap != float("inf") else "?"
    return (
        t(f"suggest.status.{status}", lang, gap=gap_text)
        if status != "optimal"
        else t("suggest.status.optimal", lang)
    )


def _risk_text(by_risk: dict[str, int], lang: str) -> str:
    parts = [f"{label('risk', r, lang)} {n}" for r, n in by_risk.items() if n]
    return ", ".join(parts) or "–"


def posts_table(suggestion: Suggestion, lang: str) -> pd.DataFrame:
    """One row per suggested post: order, place, source, gain and TPS newly covered."""
    rows = [
        {
            t("suggest.col.order", lang): p.order,
            t("suggest.col.place", lang): p.name,
            t("suggest.col.source", lang): t(f"suggest.source.{p.source}", lang),
            t("suggest.col.gain", lang): format_number(p.gain, lang, decimals=1),
            t("suggest.col.new_tps", lang): p.new_tps,
            t("suggest.col.by_risk", lang): _risk_text(dict(p.new_by_risk), lang),
            t("suggest.col.position", lang): format_coordinates(p.lat, p.lon, lang),
        }
        for p in suggestion.posts
    ]
    return pd.DataFrame(rows)


def unreachable_table(suggestion: Suggestion, lang: str) -> pd.DataFrame:
    """Targets no candidate reaches, farthest first, with the nearest candidate."""
    names = dict(
        zip(
            suggestion.candidates.frame["candidate_id"],
            suggestion.candidates.frame["name"],
            strict=True,
        )
    )
    rows = [
        {
            t("suggest.col.target", lang): u.name,
            t("col.kind", lang): label("kind", u.kind, lang),
            t("col.risk", lang): label("risk", u.risk, lang) if u.risk else "–",
            t("suggest.col.nearest", lang): names.get(u.nearest_candidate, "–"),
            t("col.distance", lang): format_distance(u.nearest_m, lang)
            if u.nearest_m is not None
            else "–",
        }
        for u in suggestion.unreachable
    ]
    return pd.DataFrame(rows)


def curve_table(suggestion: Suggestion, lang: str) -> pd.DataFrame:
    """The curve as a table (k, weight gained, TPS covered, weighted score, how it ended)."""
    rows = [
        {
            "k": c.k,
            t("suggest.col.gain", lang): c.gain,
            t("suggest.col.tps_covered", lang): c.tps_covered,
            t("suggest.col.score", lang): c.weighted_score,
            t("suggest.col.status", lang): status_text(c.status, c.gap, lang),
        }
        for c in suggestion.curve
    ]
    return pd.DataFrame(rows)


def suggestion_lines(suggestion: Suggestion, lang: str) -> list[str]:
    """The suggestion as plain text lines (the CLI prints them)."""
    o = suggestion.options
    b, a = suggestion.before, suggestion.after
    head = "suggest.head_add" if o.mode == Mode.ADD else "suggest.head_cover"
    lines = [
        t(
            head,
            lang,
            n=len(suggestion.posts),
            k=o.k,
            post_type=label("post_type", o.post_type, lang),
            radius=format_distance(suggestion.radius_m, lang),
            plan=suggestion.plan,
        ),
        t(
            "suggest.figures",
            lang,
            before=format_int(b.tps_covered, lang),
            after=format_int(a.tps_covered, lang),
            total=format_int(a.tps_total, lang),
            score_before=format_share(b.weighted_score, lang),
            score_after=format_share(a.weighted_score, lang),
        ),
        t(
            "suggest.solver_line",
            lang,
            status=status_text(suggestion.status, suggestion.gap, lang),
            candidates=format_int(len(suggestion.candidates), lang),
            seconds=format_number(suggestion.build_s + suggestion.solve_s, lang, decimals=2),
        ),
    ]
    for p in suggestion.posts:
        lines.append(
            "  "
            + t(
                "suggest.post_line",
                lang,
                order=p.order,
                place=p.name,
                source=t(f"suggest.source.{p.source}", lang),
                gain=format_number(p.gain, lang, decimals=1),
                tps=p.new_tps,
                risks=_risk_text(dict(p.new_by_risk), lang),
                position=format_coordinates(p.lat, p.lon, lang),
            )
        )
    for u in suggestion.unreachable:
        distance = format_distance(u.nearest_m, lang) if u.nearest_m is not None else "–"
        lines.append("  " + t("suggest.unreachable_line", lang, name=u.name, distance=distance))
    if suggestion.curve:
        points = [
            f"{c.k}→{format_int(c.tps_covered, lang) if c.tps_covered is not None else '–'}"
            for c in suggestion.curve
        ]
        lines.append(t("suggest.curve_line", lang, points=" ".join(points)))
    lines += [n.render(lang) for n in suggestion.notes]
    return lines


# --- the curve ------------------------------------------------------------------------------


def curve_svg(
    curve: Sequence[CurvePoint], *, tps_before: int, lang: str, width: int = 560, height: int = 240
) -> str:
    """TPS covered against the number of new posts, as a self-contained SVG (escaped text).

    Each point's tooltip (``<title>``) gives k, TPS covered and the weighted score.
    """
    points = [c for c in curve if c.tps_covered is not None]
    left, right, top, bottom = 56, 16, 16, 40
    ks = [c.k for c in curve] or [1]
    ys = [tps_before, *(c.tps_covered for c in points)]
    k_max, y_min, y_max = max(ks), min(ys), max(ys)
    span = max(y_max - y_min, 1)

    def x(k: float) -> float:
        return left + (width - left - right) * k / max(k_max, 1)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - (v - y_min) / span)

    path = " ".join(
        f"{x(k):.1f},{y(v):.1f}"
        for k, v in [(0, tps_before)] + [(c.k, c.tps_covered) for c in points]
    )
    title = html.escape(t("suggest.curve_title", lang))
    dots = "".join(
        f'<circle cx="{x(c.k):.1f}" cy="{y(c.tps_covered):.1f}" r="3.5" fill="{SUGGESTED_COLOR}">'
        f"<title>{html.escape(_point_title(c, lang))}</title></circle>"
        for c in points
    )
    ticks_x = "".join(
        f'<text x="{x(k):.1f}" y="{height - bottom + 16}" text-anchor="middle">{k}</text>'
        for k in _ticks(0, k_max)
    )
    ticks_y = "".join(
        f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">'
        f"{html.escape(format_int(v, lang))}</text>"
        for v in _ticks(y_min, y_max)
    )
    x_label = html.escape(t("suggest.curve_x", lang))
    y_label = html.escape(t("suggest.curve_y", lang))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="posko-curve" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'style="max-width: 100%; height: auto" '
        f'font-family="sans-serif" font-size="11" fill="#333"><title>{title}</title>'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" '
        f'stroke="#999"/><line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" '
        f'stroke="#999"/>{ticks_x}{ticks_y}'
        f'<polyline points="{path}" fill="none" stroke="{SUGGESTED_COLOR}" stroke-width="2"/>'
        f"{dots}"
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 6}" text-anchor="middle">'
        f"{x_label}</text>"
        f'<text x="12" y="{(top + height - bottom) / 2:.0f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {(top + height - bottom) / 2:.0f})">{y_label}</text></svg>'
    )


def _point_title(c: CurvePoint, lang: str) -> str:
    score = format_share(c.weighted_score, lang) if c.weighted_score is not None else "–"
    return t(
        "suggest.curve_point",
        lang,
        k=c.k,
        tps=format_int(c.tps_covered or 0, lang),
        score=score,
    )


def _ticks(low: int, high: int, n: int = 5) -> list[int]:
    if high <= low:
        return [low]
    step = max(1, round((high - low) / n))
    return list(range(low, high + 1, step))


# --- the map --------------------------------------------------------------------------------


def suggestion_map(
    analysis: Analysis, suggestion: Suggestion, *, lang: str = "id", basemap: str = "osm"
) -> folium.Map:
    """The operation's map with the suggested posts, their new reach, the TPS they newly
    cover, the TPS no candidate reaches and the plan's no-go zones."""
    parts = map_parts(
        analysis,
        lang=lang,
        basemap=basemap,
        layers=_BASE_LAYERS,
        bounds=_bounds(analysis, suggestion),
    )
    for overlay in parts.overlays:
        overlay.add_to(parts.base)
    for element in list(walk_elements(parts.base)):
        if isinstance(element, Legend):
            element.html_js = js_literal(
                legend_html(
                    lang,
                    ring_zones=len(analysis.settings.ring_zones_m),
                    areas=area_accuracy(analysis),
                    extra=[*zone_rows(analysis, lang), *legend_rows(lang)],
                )
            )
    no_go = _no_go_layer(analysis, lang)
    if no_go is not None:
        no_go.add_to(parts.base)
    if suggestion.posts:
        _reach_layer(suggestion, lang).add_to(parts.base)
        _newly_covered_layer(analysis, suggestion, lang).add_to(parts.base)
        _suggested_layer(suggestion, lang).add_to(parts.base)
    if suggestion.unreachable:
        _unreachable_layer(analysis, suggestion, lang).add_to(parts.base)
    folium.LayerControl(collapsed=True).add_to(parts.base)
    return parts.base


def _bounds(analysis: Analysis, suggestion: Suggestion) -> tuple[float, float, float, float]:
    """The operation's view, grown to hold every suggested post (an uploaded candidate may
    lie outside the areas)."""
    south, west, north, east = map_bounds(analysis)
    for p in suggestion.posts:
        south, west, north, east = (
            min(south, p.lat),
            min(west, p.lon),
            max(north, p.lat),
            max(east, p.lon),
        )
    return south, west, north, east


def suggested_icon(text: str, size: int = 26) -> str:
    """The symbol of a suggested post: a police post's shield in the suggestion's colour,
    with its order (or "+") on it; an icon, not a canvas dot, so it stays itself on paper."""
    font = 10 if len(text) <= 2 else 7
    return svg_icon(
        f'<path d="M11 1 L20 4 V10 C20 15 16 19 11 21 C6 19 2 15 2 10 V4 Z" '
        f'fill="{SUGGESTED_COLOR}" stroke="#fff" stroke-width="1.5"/>'
        f'<text x="11" y="14.5" font-size="{font}" font-family="sans-serif" '
        f'font-weight="bold" text-anchor="middle" fill="#fff">{html.escape(text)}</text>',
        size,
    )


def _ring(color: str, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg width="22" height="22" viewBox="0 0 22 22"><circle cx="11" cy="11" r="7" '
        f'fill="#fff" stroke="{color}" stroke-width="2.5"{dash_attr}/></svg>'
    )


def legend_rows(lang: str) -> list[tuple[str, str]]:
    """The legend rows of a suggestion (symbol SVG, text): the suggested posts, their reach,
    the TPS they newly cover and the TPS no candidate reaches."""
    reach = (
        '<svg width="22" height="22" viewBox="0 0 22 22"><circle cx="11" cy="11" r="8" '
        f'fill="{SUGGESTED_COLOR}" fill-opacity="0.08" stroke="{SUGGESTED_COLOR}" '
        'stroke-width="1.5" stroke-dasharray="4 2"/></svg>'
    )
    return [
        (suggested_icon("+", 22), t("suggest.layer_posts", lang)),
        (reach, t("suggest.layer_reach", lang)),
        (_ring(_NEW_COVER_COLOR), t("suggest.layer_new", lang)),
        (_ring(_UNREACHABLE_COLOR, "3 2"), t("suggest.layer_unreachable", lang)),
    ]


def _suggested_layer(suggestion: Suggestion, lang: str) -> SiteLayer:
    posts = suggestion.posts
    styles = [
        SiteStyle(color=SUGGESTED_COLOR, icon=suggested_icon(str(p.order)), size=26) for p in posts
    ]
    return SiteLayer(
        t("suggest.layer_posts", lang),
        kind=Kind.POLICE_POST,
        styles=styles,
        lat=[p.lat for p in posts],
        lon=[p.lon for p in posts],
        style=list(range(len(posts))),
        site_ids=[p.candidate_id for p in posts],
        tooltips=Tooltips(
            lines=("{title}", "{source}", "{gain}"),
            slots={
                "title": [t("suggest.post_name", lang, n=p.order, place=p.name) for p in posts],
                "source": [t(f"suggest.source.{p.source}", lang) for p in posts],
                "gain": [
                    t(
                        "suggest.tip_gain",
                        lang,
                        tps=p.new_tps,
                        risks=_risk_text(dict(p.new_by_risk), lang),
                    )
                    for p in posts
                ],
            },
            search="{title}",
        ),
        role="suggested",
    )


def _reach_layer(suggestion: Suggestion, lang: str) -> ShapeLayer:
    posts = suggestion.posts
    points = gpd.GeoSeries(
        gpd.points_from_xy([p.lon for p in posts], [p.lat for p in posts]), crs=WGS84
    )
    circles = buffer_m(points, suggestion.radius_m)
    style = {
        "color": SUGGESTED_COLOR,
        "weight": 2,
        "dashArray": "6 4",
        "fillColor": SUGGESTED_COLOR,
        "fillOpacity": 0.08,
    }
    return ShapeLayer(
        t("suggest.layer_reach", lang),
        rings=[shape_rings(c) for c in circles],
        styles=[style],
        style=[0] * len(posts),
    )


def _site_rows(analysis: Analysis, ids: Sequence[str]) -> gpd.GeoDataFrame:
    sites = analysis.operation.sites
    return sites[sites[Col.SITE_ID].isin(set(ids))]


def _newly_covered_layer(analysis: Analysis, suggestion: Suggestion, lang: str) -> SiteLayer:
    order = {sid: p.order for p in suggestion.posts for sid in p.new_targets}
    rows = _site_rows(analysis, list(order))
    style = SiteStyle(color=_NEW_COVER_COLOR, fill_color="#fff", radius=7, weight=2.5)
    return SiteLayer(
        t("suggest.layer_new", lang),
        kind=Kind.POLLING_STATION,
        styles=[style],
        lat=rows.geometry.y.tolist(),
        lon=rows.geometry.x.tolist(),
        style=[0] * len(rows),
        site_ids=rows[Col.SITE_ID].astype(str).tolist(),
        tooltips=Tooltips(
            lines=("{name}", "{by}"),
            slots={
                "name": rows[Col.NAME].astype(str).tolist(),
                "by": [
                    t("suggest.tip_new", lang, n=order[s]) for s in rows[Col.SITE_ID].astype(str)
                ],
            },
        ),
        role="highlight",
    )


def _unreachable_layer(analysis: Analysis, suggestion: Suggestion, lang: str) -> SiteLayer:
    far = {u.site_id: u for u in suggestion.unreachable}
    rows = _site_rows(analysis, list(far))
    style = SiteStyle(color=_UNREACHABLE_COLOR, fill_color="#fff", radius=9, weight=3, dash="3 3")
    distances = [
        format_distance(far[s].nearest_m, lang) if far[s].nearest_m is not None else "–"
        for s in rows[Col.SITE_ID].astype(str)
    ]
    return SiteLayer(
        t("suggest.layer_unreachable", lang),
        kind=Kind.POLLING_STATION,
        styles=[style],
        lat=rows.geometry.y.tolist(),
        lon=rows.geometry.x.tolist(),
        style=[0] * len(rows),
        site_ids=rows[Col.SITE_ID].astype(str).tolist(),
        tooltips=Tooltips(
            lines=("{name}", "{far}"),
            slots={
                "name": rows[Col.NAME].astype(str).tolist(),
                "far": [t("suggest.tip_unreachable", lang, distance=d) for d in distances],
            },
        ),
        role="highlight",
    )


def _no_go_layer(analysis: Analysis, lang: str) -> ShapeLayer | None:
    zones = [z for z in analysis.operation.plan_content.zones if z.kind == ZoneKind.CLOSURE]
    if not zones:
        return None
    style = {"color": _NO_GO_COLOR, "weight": 1.5, "fillColor": _NO_GO_COLOR, "fillOpacity": 0.25}
    return ShapeLayer(
        label("zone_kind", ZoneKind.CLOSURE, lang),
        rings=[shape_rings(z.area()) for z in zones],
        styles=[style],
        style=[0] * len(zones),
        tooltips=[html.escape(z.name or z.zone_id) for z in zones],
    )
