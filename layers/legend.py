"""The categorical legend and the page styles the site layers rely on."""

from __future__ import annotations

from collections.abc import Sequence

from folium.elements import MacroElement
from folium.template import Template

from geo.analysis import Analysis
from geo.model import PostType, Risk
from geo.text import label, t
from layers.elements import js_literal
from layers.styles import (
    AREA_COLOR,
    KIND_STYLES,
    POST_STYLES,
    RESERVE_DASH,
    RING_ZONE_COLORS,
    RISK_STYLES,
    SHARE_RAMP,
    UNCOVERED_COLOR,
    ZONE_STYLES,
    icon_kinds,
    post_icon,
)
from layers.templating import render_template

__all__ = [
    "AREA_ROWS",
    "COLLAPSE_AT_PX",
    "MAX_MAP_SHARE",
    "PAGE_CSS",
    "Legend",
    "area_accuracy",
    "area_row",
    "grid_rows",
    "legend_html",
    "risk_rows",
    "zone_rows",
]

PAGE_CSS = """
.posko-icon { background: none; border: none; }
.posko-area-label { background: transparent; border: none; box-shadow: none;
  color: #37474f; font: bold 12px sans-serif; text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.posko-area-label::before { display: none; }
.posko-legend { background: rgba(255,255,255,0.92); padding: 4px 6px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.35); font: 10px/1.2 sans-serif; color: #212121;
  box-sizing: border-box; max-width: 190px; overflow-y: auto; }
.posko-legend h4 { margin: 0 0 4px; font-size: 12px; }
.posko-legend h4 button { all: unset; cursor: pointer; user-select: none; }
.posko-legend h4 button:focus-visible { outline: 2px solid #1565c0; }
.posko-legend h4 button::after { content: " ▾"; color: #777; }
.posko-legend.collapsed h4 button::after { content: " ▸"; }
.posko-legend.collapsed .body { display: none; }
.posko-legend.collapsed h4 { margin: 0; }
.posko-legend .row { display: flex; align-items: center; gap: 4px; margin: 0; }
.posko-legend .sym { width: 15px; height: 15px; display: inline-flex; align-items: center;
  justify-content: center; flex: none; }
.posko-legend .sym svg { width: 14px; height: 14px; }
.posko-legend .sep { border-top: 1px solid #ddd; margin: 3px 0; }
.posko-stack { display: flex; align-items: center; justify-content: center;
  background: #37474f; color: #fff; border: 2px solid #fff; border-radius: 50%;
  font: bold 11px sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.45); }
.posko-stack.uncovered { border-color: #d50000; }
.posko-stack-list { max-height: 260px; overflow-y: auto; font: 12px/1.3 sans-serif; }
.posko-stack-list ol { margin: 4px 0 0; padding-left: 26px; }
.posko-stack-item { all: unset; cursor: pointer; color: #0d47a1; }
.posko-stack-item:hover, .posko-stack-item:focus-visible { text-decoration: underline; }
.posko-stack-item.uncovered { color: #b71c1c; }
"""

# How sure the drawn area outlines are → the legend row's text: "approximate" only where the
# areas are flagged so (e.g. Voronoi cells), never for published boundaries.
AREA_ROWS = {
    "exact": "legend.area",
    "approximate": "legend.area_approximate",
    "partly": "legend.area_partly",
}

# On a screen (or page) at most this wide or high the legend starts collapsed (a phone, a
# projector at 1024x768, a laptop at 1366x768).
COLLAPSE_AT_PX = (1024, 800)
# An open legend covers at most this share of the map; it scrolls beyond that.
MAX_MAP_SHARE = 0.15


def _dot(fill: str, stroke: str = "#fff", width: float = 1.2, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg width="22" height="22" viewBox="0 0 22 22"><circle cx="11" cy="11" r="7" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash_attr}/></svg>'
    )


def _line(color: str, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="22" height="22" viewBox="0 0 22 22"><rect x="2" y="5" width="18" '
        f'height="12" fill="{color}" fill-opacity="0.1" stroke="{color}" stroke-width="1.5"'
        f"{dash_attr}/></svg>"
    )


def area_accuracy(analysis: Analysis) -> str | None:
    """Whether the area outlines the map draws (those of the analysis' level) are flagged
    approximate: "approximate" (all), "partly", "exact" (none), or None (no areas)."""
    areas = analysis.operation.areas
    if analysis.area_level is not None:
        areas = areas[areas["level"] == analysis.area_level]
    if areas.empty:
        return None
    flags = areas["approximate"].astype(bool) if "approximate" in areas else None
    if flags is None or not flags.any():
        return "exact"
    return "approximate" if flags.all() else "partly"


def grid_rows(lang: str) -> list[tuple[str, str]]:
    """Legend rows of a map drawn by zoom: TPS cells, stacks, the posts' reach surface."""
    cells = (
        '<svg width="22" height="22" viewBox="0 0 22 22"><rect x="2" y="2" width="9" '
        f'height="18" fill="{SHARE_RAMP[0]}" fill-opacity="0.6"/><rect x="11" y="2" width="9" '
        f'height="18" fill="{SHARE_RAMP[2]}" fill-opacity="0.6"/></svg>'
    )
    stack = (
        '<svg width="22" height="22" viewBox="0 0 22 22"><circle cx="11" cy="11" r="9" '
        'fill="#37474f" stroke="#fff" stroke-width="2"/><text x="11" y="15" font-size="9" '
        'font-family="sans-serif" font-weight="bold" text-anchor="middle" fill="#fff">12'
        "</text></svg>"
    )
    surface = (
        '<svg width="22" height="22" viewBox="0 0 22 22"><circle cx="11" cy="11" r="9" '
        f'fill="{POST_STYLES[PostType.POLSEK].color}" fill-opacity="0.25"/></svg>'
    )
    return [
        (cells, t("legend.grid_cells", lang)),
        (stack, t("legend.grid_stack", lang)),
        (surface, t("legend.coverage_surface", lang)),
    ]


def zone_rows(analysis: Analysis, lang: str) -> list[tuple[str, str]]:
    """Legend rows (symbol, text) for the kinds of plan zone the analysis' plan has."""
    present = {zone.kind for zone in analysis.operation.plan_content.zones}
    return [
        (_line(style.color, style.dash), label("zone_kind", kind, lang))
        for kind, style in ZONE_STYLES.items()
        if kind in present
    ]


def risk_rows(lang: str) -> list[tuple[str, str]]:
    """Legend rows of the TPS risk classes: a dot in each class's colour."""
    return [(_dot(RISK_STYLES[risk].color), f"TPS · {label('risk', risk, lang)}") for risk in Risk]


def area_row(areas: str, lang: str) -> tuple[str, str]:
    """The legend row of the area outlines (`areas`: a key of :data:`AREA_ROWS`)."""
    return (_line(AREA_COLOR, "6 3"), t(AREA_ROWS[areas], lang))


def legend_html(
    lang: str,
    *,
    ring_zones: int,
    areas: str | None = "exact",
    extra: Sequence[tuple[str, str]] = (),
) -> str:
    """Legend markup: risk classes, uncovered TPS, site icons, rings, zones and areas.

    Parameters
    ----------
    areas
        A key of :data:`AREA_ROWS` (see :func:`area_accuracy`); None: no area row.
    extra
        A last group of rows (SVG symbol, plain text), e.g. a comparison's TPS gained/lost.
    """
    classes = risk_rows(lang)
    classes.append((_dot("#9e9e9e", UNCOVERED_COLOR, 3), t("legend.uncovered", lang)))
    symbols = [(KIND_STYLES[kind].icon, label("kind", kind, lang)) for kind in icon_kinds()]
    symbols += [(post_icon(p), label("post_type", p, lang)) for p in PostType]
    shapes = [
        (_line(POST_STYLES[PostType.POLSEK].color), t("legend.ring", lang)),
        (_line(POST_STYLES[PostType.RESERVE].color, RESERVE_DASH), t("legend.reserve_reach", lang)),
        (_line(RING_ZONE_COLORS[1], "4 3"), t("legend.ring_zone", lang, n=ring_zones)),
    ]
    if areas is not None:
        shapes.append(area_row(areas, lang))
    return render_template(
        "legend.html",
        title=t("legend.title", lang),
        groups=[classes, symbols, shapes, *([list(extra)] if extra else [])],
    )


class Legend(MacroElement):
    """A legend control (bottom right) plus the page styles of Posko's layers.

    It opens and closes with its title (a button); it starts closed on a small screen, and
    open it never covers more than :data:`MAX_MAP_SHARE` of the map (it scrolls instead).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'bottomright'});
        {{ this.get_name() }}.onAdd = function(map) {
            var div = L.DomUtil.create('div', 'posko-legend');
            div.innerHTML = {{ this.html_js }};
            L.DomEvent.disableScrollPropagation(div);
            L.DomEvent.disableClickPropagation(div);
            var toggle = div.querySelector('h4 button');
            function show(open) {
                div.classList.toggle('collapsed', !open);
                toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
                limit();
            }
            // never more than a set share of the map: the height follows the map's size
            function limit() {
                var size = map.getSize();
                div.style.maxHeight = '';
                // twice: a scroll bar, once needed, widens the box
                for (var pass = 0; pass < 2; pass++) {
                    var width = div.getBoundingClientRect().width;
                    if (!size.x || !size.y || !width) { return; }
                    // aim a little under the limit: pixel rounding
                    var most = 0.97 * {{ this.share }} * size.x * size.y / width;
                    div.style.maxHeight = Math.floor(Math.min(most, size.y - 20)) + 'px';
                }
            }
            toggle.addEventListener('click', function() {
                show(div.classList.contains('collapsed'));
            });
            // a small screen; in the app the map is a frame, whose own width says nothing
            function within(w, h) { return w <= {{ this.collapse_at[0] }}
                || h <= {{ this.collapse_at[1] }}; }
            // (or the frame is phone-narrow: a narrow window on a large screen)
            var small = within(window.screen.width, window.screen.height)
                || (window.self === window.top && within(window.innerWidth, window.innerHeight))
                || window.innerWidth <= 640;
            show(!small);
            map.on('resize', limit);
            setTimeout(limit, 0);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        lang: str,
        *,
        ring_zones: int,
        areas: str | None = "exact",
        extra: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.css = PAGE_CSS
        self.html_js = js_literal(
            legend_html(lang, ring_zones=ring_zones, areas=areas, extra=extra)
        )
        self.share = MAX_MAP_SHARE
        self.collapse_at = COLLAPSE_AT_PX
