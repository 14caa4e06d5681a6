"""The logistics chain drawn: escort legs coloured by level, legs beyond reach flagged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import shapely
from folium.map import FeatureGroup
from folium.template import Template

from geo.logistics import LegLevel, LogisticsChain
from geo.text import t
from layers.elements import escape_text, js_literal

__all__ = [
    "CHAIN_STYLES",
    "UNREACHED_CASING",
    "ChainLayer",
    "chain_layer",
    "chain_legend_rows",
]

# Colour and width of each leg level (the warehouse's convoy widest), and the casing that
# flags a leg beyond the posts' reach (a wide translucent red under the dashed leg).
CHAIN_STYLES: Mapping[LegLevel, tuple[str, float]] = {
    LegLevel.PPK: ("#4a148c", 4.0),
    LegLevel.PPS: ("#8e24aa", 2.5),
    LegLevel.TPS: ("#ce93d8", 1.5),
}
UNREACHED_CASING = "#d50000"
_UNREACHED_DASH = "6 5"


class ChainLayer(FeatureGroup):
    """The legs as Leaflet polylines from one compact array, in a pane under the sites.

    The legs are not clickable: the sites at their ends take the clicks (their details are
    in the briefing's chain section and ``posko chain``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function(group) {
            var d = {{ this.data_js }};
            var styles = {{ this.styles_js }};
            var PANE = 'poskoChain';
            var map = {{ this._parent.get_name() }};
            if (!map.getPane(PANE)) {
                var pane = map.createPane(PANE);
                pane.style.zIndex = 390;  // under the overlays and the sites
                pane.style.pointerEvents = 'none';
            }
            for (var i = 0; i < d.paths.length; i++) {
                var st = styles[d.level[i]];
                var meta = {pane: PANE, interactive: false, role: 'chain-leg',
                            level: d.levels[d.level[i]], reached: d.reached[i],
                            fromId: d.from[i], toId: d.to[i]};
                if (d.reached[i] === false) {
                    group.addLayer(L.polyline(d.paths[i], Object.assign({}, meta,
                        {role: 'chain-casing', color: {{ this.casing_js }},
                         weight: st.weight + 6, opacity: 0.35})));
                }
                group.addLayer(L.polyline(d.paths[i], Object.assign({}, meta, {
                    color: st.color, weight: st.weight, opacity: 0.9,
                    dashArray: d.reached[i] === false ? {{ this.dash_js }} : null})));
            }
        })({{ this.get_name() }});
        {% if this.show %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        name: str,
        *,
        paths: Sequence[Sequence[Sequence[float]]],
        level: Sequence[str],
        reached: Sequence[bool | None],
        from_ids: Sequence[str],
        to_ids: Sequence[str],
        show: bool = True,
    ) -> None:
        super().__init__(name=escape_text(name), show=show)
        levels = [lv.value for lv in LegLevel]
        self.count = len(paths)
        self.data_js = js_literal(
            {
                "paths": [list(p) for p in paths],
                "level": [levels.index(lv) for lv in level],
                "levels": levels,
                "reached": list(reached),
                "from": list(from_ids),
                "to": list(to_ids),
            }
        )
        self.styles_js = js_literal(
            [{"color": CHAIN_STYLES[lv][0], "weight": CHAIN_STYLES[lv][1]} for lv in LegLevel]
        )
        self.casing_js = js_literal(UNREACHED_CASING)
        self.dash_js = js_literal(_UNREACHED_DASH)


def chain_layer(
    chain: LogisticsChain,
    lang: str,
    *,
    levels: Sequence[LegLevel] = tuple(LegLevel),
    reach: bool = True,
    show: bool = True,
) -> ChainLayer:
    """The chain's legs of `levels`, coloured by level; with `reach`, the legs beyond the
    posts' reach dashed over a red casing (the partner briefing draws it without).

    Parameters
    ----------
    chain
        The linked chain (:func:`geo.logistics.logistics_chain`).
    lang
        Language of the layer's name.
    levels
        Leg levels to draw (a map drawn by zoom leaves out the many TPS legs).
    reach
        Flag the legs beyond reach (when the chain knows the posts' reach).
    """
    legs = chain.legs[chain.legs["level"].isin([lv.value for lv in levels])]
    paths = [
        [[round(y, 6), round(x, 6)] for x, y in shapely.get_coordinates(g)] for g in legs.geometry
    ]
    flags = (
        [None if pd.isna(v) else bool(v) for v in legs["reached"].astype(object)]
        if reach
        else [None] * len(legs)
    )
    return ChainLayer(
        t("layer.chain", lang),
        paths=paths,
        level=list(legs["level"]),
        reached=flags,
        from_ids=[str(v) for v in legs["from_id"]],
        to_ids=[str(v) for v in legs["to_id"]],
        show=show,
    )


def _leg_symbol(color: str, width: float, *, dash: str = "", casing: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    under = (
        f'<line x1="2" y1="11" x2="20" y2="11" stroke="{casing}" stroke-opacity="0.35" '
        f'stroke-width="{width + 6}"/>'
        if casing
        else ""
    )
    return (
        f'<svg width="22" height="22" viewBox="0 0 22 22">{under}<line x1="2" y1="11" x2="20" '
        f'y2="11" stroke="{color}" stroke-width="{width}"{dash_attr}/></svg>'
    )


def chain_legend_rows(lang: str, *, reach: bool = True) -> list[tuple[str, str]]:
    """Legend rows (symbol, text): one per leg level, and the flag of a leg beyond reach."""
    rows = [(_leg_symbol(*CHAIN_STYLES[lv]), t(f"chain.level.{lv.value}", lang)) for lv in LegLevel]
    if reach:
        color, width = CHAIN_STYLES[LegLevel.PPS]
        symbol = _leg_symbol(color, width, dash="4 3", casing=UNREACHED_CASING)
        rows.append((symbol, t("chain.legend.unreached", lang)))
    return rows
