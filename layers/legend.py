"""The categorical legend and the page styles the site layers rely on."""

from __future__ import annotations

from folium.elements import MacroElement
from folium.template import Template

from geo.model import PostType, Risk
from geo.text import label, t
from layers.elements import js_literal
from layers.styles import (
    AREA_COLOR,
    KIND_STYLES,
    POST_STYLES,
    RING_ZONE_COLORS,
    RISK_STYLES,
    UNCOVERED_COLOR,
    icon_kinds,
    post_icon,
)
from layers.templating import render_template

__all__ = ["PAGE_CSS", "Legend", "legend_html"]

PAGE_CSS = """
.posko-icon { background: none; border: none; }
.posko-area-label { background: transparent; border: none; box-shadow: none;
  color: #37474f; font: bold 12px sans-serif; text-shadow: 0 0 3px #fff, 0 0 3px #fff; }
.posko-area-label::before { display: none; }
.posko-legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.35); font: 11px/1.25 sans-serif; color: #212121;
  max-height: 70vh; overflow-y: auto; }
.posko-legend h4 { margin: 0 0 6px; font-size: 13px; cursor: pointer; user-select: none; }
.posko-legend h4::after { content: " ▾"; color: #777; }
.posko-legend.collapsed h4::after { content: " ▸"; }
.posko-legend.collapsed .body { display: none; }
.posko-legend.collapsed h4 { margin: 0; }
.posko-legend .row { display: flex; align-items: center; gap: 5px; margin: 1px 0; }
.posko-legend .sym { width: 18px; height: 18px; display: inline-flex; align-items: center;
  justify-content: center; flex: none; }
.posko-legend .sym svg { width: 16px; height: 16px; }
.posko-legend .sep { border-top: 1px solid #ddd; margin: 5px 0; }
"""


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


def legend_html(lang: str, *, ring_zones: int) -> str:
    """Legend markup: risk classes, uncovered TPS, site icons, rings, zones and areas."""
    classes = [
        (_dot(RISK_STYLES[risk].color), f"TPS · {label('risk', risk, lang)}") for risk in Risk
    ]
    classes.append((_dot("#9e9e9e", UNCOVERED_COLOR, 3), t("legend.uncovered", lang)))
    symbols = [(KIND_STYLES[kind].icon, label("kind", kind, lang)) for kind in icon_kinds()]
    symbols += [(post_icon(p), label("post_type", p, lang)) for p in PostType]
    shapes = [
        (_line(POST_STYLES[PostType.POLSEK].color), t("legend.ring", lang)),
        (_line(RING_ZONE_COLORS[1], "4 3"), t("legend.ring_zone", lang, n=ring_zones)),
        (_line(AREA_COLOR, "6 3"), t("legend.area", lang)),
    ]
    return render_template(
        "legend.html", title=t("legend.title", lang), groups=[classes, symbols, shapes]
    )


class Legend(MacroElement):
    """A legend control (bottom right) plus the page styles of Posko's layers."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'bottomright'});
        {{ this.get_name() }}.onAdd = function() {
            var div = L.DomUtil.create('div', 'posko-legend');
            div.innerHTML = {{ this.html_js }};
            L.DomEvent.disableScrollPropagation(div);
            L.DomEvent.disableClickPropagation(div);
            div.querySelector('h4').addEventListener('click', function() {
                div.classList.toggle('collapsed');
            });
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, lang: str, *, ring_zones: int) -> None:
        super().__init__()
        self._name = "Legend"
        self.css = PAGE_CSS
        self.html_js = js_literal(legend_html(lang, ring_zones=ring_zones))
