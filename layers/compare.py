"""Two plans' maps side by side, kept on the same view, with the TPS gained and lost ringed.

Each map is the plan's own operation map (:func:`layers.mapview.build_map`); both frame the
same extent and follow each other's pans and zooms (Leaflet.Sync, served offline like the
other plugins). The TPS a change of plan gains or loses are ringed on both maps.
"""

from __future__ import annotations

import folium
import pandas as pd
from branca.element import Figure
from folium.elements import JSCSSMixin, MacroElement
from folium.template import Template

from geo.analysis import Analysis
from geo.compare import PlanComparison, plan_label
from geo.model import Col, Kind
from geo.text import label, t
from layers.assets import inline_assets, walk_elements
from layers.basemap import FitView
from layers.elements import SiteLayer, SiteStyle, Tooltips, js_literal
from layers.legend import Legend, area_accuracy, legend_html
from layers.mapview import map_bounds, map_parts, outliers
from layers.templating import TemplateElement

__all__ = [
    "GAINED_COLOR",
    "LOST_COLOR",
    "SYNC_JS",
    "MapCaption",
    "SyncMaps",
    "change_layer",
    "change_legend_rows",
    "compare_figure",
    "compare_maps",
    "compare_maps_html",
    "side_caption",
]

SYNC_JS = "https://cdn.jsdelivr.net/gh/jieter/Leaflet.Sync/L.Map.Sync.min.js"
GAINED_COLOR = "#00c853"  # bright green: covered in B, not in A
LOST_COLOR = "#d500f9"  # magenta: covered in A, not in B (red is taken by "uncovered")
_STYLES = {
    "gained": SiteStyle(color=GAINED_COLOR, radius=11, weight=3.5, fill_opacity=0.0),
    "lost": SiteStyle(color=LOST_COLOR, radius=11, weight=3.5, fill_opacity=0.0, dash="3 2"),
}


class SyncMaps(JSCSSMixin):
    """Keep two maps on the same view: a pan or zoom of either moves the other."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.other.get_name() }}.sync({{ this._parent.get_name() }});
        {{ this._parent.get_name() }}.sync({{ this.other.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, other: folium.Map) -> None:
        super().__init__()
        self._name = "SyncMaps"
        self.default_js = [("Leaflet.Sync", SYNC_JS)]
        self.other = other


class MapCaption(MacroElement):
    """Which plan a map shows, written on the map (top right), as text, never as HTML."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .posko-plan-caption { background: rgba(26,35,126,0.9); color: #fff;
          font: bold 12px sans-serif; padding: 3px 8px; border-radius: 4px; max-width: 240px;
          overflow-wrap: anywhere; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function(map) {
            var caption = L.control({position: 'topright'});
            caption.onAdd = function() {
                var div = L.DomUtil.create('div', 'posko-plan-caption');
                div.textContent = {{ this.text_js }};
                return div;
            };
            caption.addTo(map);
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "MapCaption"
        self.text_js = js_literal(text)


def _ring(color: str, dash: str = "") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg width="22" height="22" viewBox="0 0 22 22"><circle cx="11" cy="11" r="8" '
        f'fill="none" stroke="{color}" stroke-width="3"{dash_attr}/></svg>'
    )


def change_legend_rows(lang: str) -> list[tuple[str, str]]:
    """The legend rows of the TPS gained and lost (symbol SVG, text)."""
    return [
        (_ring(GAINED_COLOR), t("compare.legend_gained", lang)),
        (_ring(LOST_COLOR, "3 2"), t("compare.legend_lost", lang)),
    ]


def _texts(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in values]


def change_layer(comparison: PlanComparison, which: str, lang: str) -> SiteLayer:
    """A ring around every TPS gained (`which` = "gained") or lost ("lost"), with a tooltip
    naming the TPS, its place and risk class, and the post that reaches it in the plan that
    covers it."""
    rows = getattr(comparison, which)
    place = [
        " · ".join(
            x for x in (f"TPS {n}" if not pd.isna(n) else "", k, label("risk", r, lang)) if x
        )
        for n, k, r in zip(rows["tps_no"], _texts(rows["kelurahan"]), rows["risk"], strict=True)
    ]
    what = [
        t(f"compare.tip_{which}", lang, post_a=a or "–", post_b=b or "–")
        for a, b in zip(_texts(rows["post_a"]), _texts(rows["post_b"]), strict=True)
    ]
    return SiteLayer(
        t(f"compare.layer_{which}", lang),
        kind=Kind.POLLING_STATION,
        styles=[_STYLES[which]],
        lat=rows.geometry.y.tolist(),
        lon=rows.geometry.x.tolist(),
        style=[0] * len(rows),
        site_ids=rows["site_id"].tolist(),
        tooltips=Tooltips(
            lines=("{name}", "{place}", "{what}"),
            slots={"name": _texts(rows["name"]), "place": place, "what": what},
        ),
        role=which,
    )


def _sites_bounds(analysis: Analysis) -> tuple[float, float, float, float]:
    """South, west, north, east of a plan's sites (outliers left out, as the map page
    frames them); the areas' extent when there are no sites.

    The areas often reach far beyond the sites (a whole regency around one town): framed
    on them, a half-width map shows the operation small, its changed TPS hard to find.
    """
    far = {o.site_id for o in outliers(analysis)}
    sites = analysis.operation.sites
    sites = sites[~sites[Col.SITE_ID].isin(far)]
    if sites.empty:
        return map_bounds(analysis)
    west, south, east, north = sites.total_bounds
    return south, west, north, east


def _shared_bounds(comparison: PlanComparison) -> tuple[float, float, float, float]:
    """South, west, north, east framing both plans' sites (their posts may differ)."""
    a, b = _sites_bounds(comparison.a), _sites_bounds(comparison.b)
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _plan_map(comparison: PlanComparison, side: str, lang: str, basemap: str) -> folium.Map:
    """One plan's map (as :func:`layers.mapview.build_map` draws it), framed on both plans'
    extent, with the changed TPS ringed and their rows in the legend."""
    analysis = getattr(comparison, side)
    parts = map_parts(analysis, lang=lang, basemap=basemap)
    m = parts.base
    for overlay in parts.overlays:
        overlay.add_to(m)
    bounds = FitView(_shared_bounds(comparison)).bounds_js
    for element in list(walk_elements(m)):
        if isinstance(element, FitView):
            element.bounds_js = bounds
        elif isinstance(element, Legend):
            element.html_js = js_literal(
                legend_html(
                    lang,
                    ring_zones=len(analysis.settings.ring_zones_m),
                    areas=area_accuracy(analysis),
                    extra=change_legend_rows(lang),
                )
            )
    for which in ("gained", "lost"):
        change_layer(comparison, which, lang).add_to(m)
    # the layer control lists what is on the map when it is made: it comes last
    folium.LayerControl(collapsed=True).add_to(m)
    MapCaption(side_caption(comparison, side, lang)).add_to(m)
    return m


def compare_maps(
    comparison: PlanComparison, *, lang: str = "id", basemap: str = "none"
) -> tuple[folium.Map, folium.Map]:
    """Plan A's and plan B's maps, in one figure, synchronised (B follows A and back)."""
    first = _plan_map(comparison, "a", lang, basemap)
    second = _plan_map(comparison, "b", lang, basemap)
    figure = Figure()
    figure.add_child(first, name="map_a")
    figure.add_child(second, name="map_b")
    SyncMaps(first).add_to(second)
    return first, second


def compare_figure(
    comparison: PlanComparison, *, lang: str = "id", basemap: str = "none", inline: bool = True
) -> tuple[Figure, folium.Map, folium.Map]:
    """The figure holding both synchronised maps, its scripts inlined (`inline`)."""
    first, second = compare_maps(comparison, lang=lang, basemap=basemap)
    figure = first.get_root()
    if inline:
        inline_assets(figure)
    return figure, first, second


def side_caption(comparison: PlanComparison, side: str, lang: str) -> str:
    """ "Rencana A: <name> (<status>)" above a plan's map (plain text)."""
    return t(
        "compare.side", lang, side=side.upper(), plan=plan_label(getattr(comparison, side), lang)
    )


def compare_maps_html(
    comparison: PlanComparison, *, lang: str = "id", basemap: str = "none"
) -> str:
    """Both maps as one self-contained page for the app (a frame): side by side, one
    above the other in a narrow frame; every script and style inlined."""
    figure, first, second = compare_figure(comparison, lang=lang, basemap=basemap)
    figure.header.add_child(
        TemplateElement("compare_frame.html", map_a=first.get_name(), map_b=second.get_name()),
        name="posko_compare_frame",
    )
    return figure.render()
