"""The briefing: one self-contained HTML file (map, legend, figures, classification)."""

from __future__ import annotations

from datetime import datetime

from branca.element import Element

from geo.analysis import Analysis
from geo.model import Col, LocationQuality, Risk
from geo.text import format_distance, format_int, format_share, label, t
from layers.assets import inline_assets, walk_elements
from layers.elements import escape_text
from layers.mapview import build_map

__all__ = ["BRIEFING_CSS", "briefing_html", "figures_html", "stable_ids"]

BRIEFING_CSS = """
html, body { height: 100%; margin: 0; font: 13px/1.4 sans-serif; color: #212121; }
body { display: grid; grid-template-columns: minmax(0, 1fr) 380px;
  grid-template-rows: auto auto minmax(0, 1fr) auto; grid-template-areas:
  "top top" "head head" "map panel" "bottom bottom"; }
.cls-banner { background: #b71c1c; color: #fff; text-align: center; font-weight: bold;
  letter-spacing: 0.2em; padding: 3px 0; }
.cls-banner.top { grid-area: top; } .cls-banner.bottom { grid-area: bottom; }
.brief-head { grid-area: head; padding: 6px 12px; border-bottom: 1px solid #ccc; }
.brief-head h1 { font-size: 18px; margin: 0; }
.brief-head .sub { color: #555; }
.folium-map { grid-area: map; min-height: 420px; }
.brief-panel { grid-area: panel; overflow-y: auto; padding: 8px 12px; border-left: 1px solid #ccc; }
.brief-panel h2 { font-size: 14px; margin: 10px 0 4px; }
.brief-panel table { border-collapse: collapse; width: 100%; }
.brief-panel td, .brief-panel th { border-bottom: 1px solid #e0e0e0; padding: 2px 4px;
  text-align: left; vertical-align: top; }
.brief-panel td.n, .brief-panel th.n { text-align: right; }
.brief-note { color: #8d6e63; font-style: italic; }
@media print {
  @page { size: landscape; margin: 12mm 8mm; }
  html, body { height: auto; }
  body { grid-template-columns: 100%; grid-template-rows: auto auto 150mm auto auto;
    grid-template-areas: "top" "head" "map" "panel" "bottom"; }
  .cls-banner { position: fixed; left: 0; right: 0; -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
  .cls-banner.top { top: 0; } .cls-banner.bottom { bottom: 0; }
  .brief-head { margin-top: 5mm; }
  .folium-map { width: 100% !important; height: 150mm !important; }
  .brief-panel { break-before: page; }
  .brief-panel { columns: 2; column-gap: 8mm; border: 0; overflow: visible; font-size: 9pt;
    margin-top: 5mm; }
  .brief-panel h2 { break-after: avoid; }
  .posko-legend { font-size: 9px; }
  .leaflet-control-zoom, .leaflet-control-fullscreen, .leaflet-control-measure,
  .leaflet-control-search, .leaflet-control-layers { display: none; }
}
"""


def _table(headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    head = "".join(
        f'<th class="n">{escape_text(h)}</th>' if i in numeric else f"<th>{escape_text(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{escape_text(c)}</td>' if i in numeric else f"<td>{escape_text(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figures_html(analysis: Analysis, lang: str) -> str:
    """The figures panel: coverage by risk class, uncovered TPS, demonstration points,
    staffing, and a note where locations are approximate or synthetic."""
    parts = [f"<h2>{escape_text(t('brief.coverage_by_risk', lang))}</h2>"]
    rows = [
        [
            label("risk", risk, lang),
            format_int(v.total, lang),
            format_int(v.covered, lang),
            format_int(v.uncovered, lang),
            format_share(v.share, lang),
        ]
        for risk, v in ((Risk(k), v) for k, v in analysis.by_risk().items())
    ]
    total = analysis.by_kind()["polling_station"]
    rows.append(
        [
            "Σ",
            format_int(total.total, lang),
            format_int(total.covered, lang),
            format_int(total.uncovered, lang),
            format_share(total.share, lang),
        ]
    )
    parts.append(
        _table(
            [
                t("col.risk", lang),
                t("col.total", lang),
                t("col.covered", lang),
                t("col.uncovered", lang),
                "%",
            ],
            rows,
            {1, 2, 3, 4},
        )
    )
    parts.append(f"<h2>{escape_text(t('app.uncovered_table', lang))}</h2>")
    gaps = analysis.uncovered_tps.sort_values([Col.KELURAHAN, Col.TPS_NO], na_position="last")
    if gaps.empty:
        parts.append(f"<p>{escape_text(t('app.none_uncovered', lang))}</p>")
    else:
        parts.append(
            _table(
                [
                    t("col.tps_no", lang),
                    t("col.name", lang),
                    t("col.kelurahan", lang),
                    t("col.distance_m", lang),
                ],
                [
                    [
                        _text(r[Col.TPS_NO]),
                        _text(r[Col.NAME]),
                        _text(r[Col.KELURAHAN]),
                        format_distance(float(r["nearest_post_m"]), lang),
                    ]
                    for r in gaps.to_dict("records")
                ],
                {0, 3},
            )
        )
    parts.append(f"<h2>{escape_text(t('brief.demo_points', lang))}</h2>")
    parts.append(
        _table(
            [
                t("col.name", lang),
                t("col.nearest_post", lang),
                t("col.distance_m", lang),
                t("col.threatened", lang),
            ],
            [
                [
                    _text(d["name"]),
                    _text(d["nearest_post"]),
                    format_distance(d["nearest_post_m"] or float("nan"), lang),
                    f"{d['threatened']} ({format_distance(d['threatened_m'], lang)})"
                    if d["threatened"]
                    else "–",
                ]
                for d in analysis.demonstration_report()
            ],
            {2},
        )
    )
    parts.append(_staffing_html(analysis, lang))
    approximate = _approximate_count(analysis)
    if approximate:
        parts.append(
            f'<p class="brief-note">{escape_text(t("brief.note_locations", lang, n=approximate))}'
            "</p>"
        )
    note = analysis.settings.data_note
    if note:
        parts.append(f'<p class="brief-note">{escape_text(note)}</p>')
    return "".join(parts)


def _staffing_html(analysis: Analysis, lang: str) -> str:
    """Need per risk class with totals, then need, availability and shortfall per area."""
    plan = analysis.staffing
    by_class = list(plan.by_class().values())
    html = f"<h2>{escape_text(t('brief.staffing', lang, preset=plan.preset.label))}</h2>"
    html += _table(
        [
            t("col.risk", lang),
            t("col.tps", lang),
            t("col.groups", lang),
            t("col.polri", lang),
            t("col.linmas", lang),
        ],
        [
            [
                label("risk", c.risk, lang),
                format_int(c.tps, lang),
                format_int(c.groups, lang),
                format_int(c.polri, lang),
                format_int(c.linmas, lang),
            ]
            for c in by_class
        ]
        + [
            [
                "Σ",
                format_int(sum(c.tps for c in by_class), lang),
                format_int(sum(c.groups for c in by_class), lang),
                format_int(plan.tps_polri, lang),
                format_int(plan.linmas, lang),
            ]
        ],
        {1, 2, 3, 4},
    )
    totals = t(
        "brief.staffing_totals",
        lang,
        polri=format_int(plan.polri, lang),
        warehouses=format_int(plan.total("warehouses"), lang),
        tni=format_int(plan.tni, lang),
        available=format_int(plan.total("available"), lang),
        shortfall=format_int(plan.total("shortfall"), lang),
    )
    html += f"<p>{escape_text(totals)}</p>"
    html += _table(
        [
            t("staff.col.area", lang),
            t("staff.col.polri", lang),
            t("staff.col.available", lang),
            t("staff.col.shortfall", lang),
        ],
        [
            [
                a.name,
                format_int(a.polri, lang),
                format_int(a.available, lang),
                format_int(a.shortfall, lang),
            ]
            for a in plan.areas
        ],
        {1, 2, 3},
    )
    return html


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return str(value)


def _approximate_count(analysis: Analysis) -> int:
    quality = analysis.operation.sites[Col.LOCATION_QUALITY]
    return int(quality.isin([LocationQuality.APPROXIMATE, LocationQuality.SYNTHETIC]).sum())


def stable_ids(root: Element) -> None:
    """Number the elements in order, so the same map always renders to the same text.

    Folium names every element with a random id; the briefing downloaded from the app and
    the one `posko brief` writes must be identical apart from their time stamp.
    """
    seen: dict[int, Element] = {}
    for element in walk_elements(root):
        seen.setdefault(id(element), element)
        # some plugins keep an element as an attribute only (MiniMap's tile layer)
        for value in vars(element).values():
            if isinstance(value, Element):
                seen.setdefault(id(value), value)
    for number, element in enumerate(seen.values()):
        element._id = f"{number:04d}"


def briefing_html(
    analysis: Analysis,
    *,
    lang: str = "id",
    basemap: str = "osm",
    exported_at: datetime,
    exported_by: str | None = None,
) -> str:
    """A self-contained briefing page: every script and style inlined, no CDN.

    Parameters
    ----------
    analysis
        The analysed operation (the same one the app shows).
    lang
        Language of every label.
    basemap
        Tile choice; "none" draws no tiles and makes no request at all.
    exported_at
        Time stamp printed in the title block (timezone-aware).
    exported_by
        Who exported it, printed when given.

    Returns
    -------
    html
        The whole page as text.
    """
    m = build_map(analysis, lang=lang, basemap=basemap)
    inline_assets(m)
    figure = m.get_root()
    stable_ids(figure)
    title = analysis.settings.title
    figure.title = escape_text(title)
    when = exported_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    stamp = (
        t("brief.exported_by", lang, when=when, who=exported_by)
        if exported_by
        else t("brief.exported", lang, when=when)
    )
    classification = escape_text(analysis.settings.classification)
    figure.header.add_child(Element(f"<style>{BRIEFING_CSS}</style>"), name="posko_brief_css")
    figure.html.add_child(
        Element(f'<div class="cls-banner top">{classification}</div>'), name="banner_top"
    )
    figure.html.add_child(
        Element(
            f'<div class="brief-head"><h1>{escape_text(title)}</h1>'
            f'<div class="sub">{escape_text(stamp)}</div></div>'
        ),
        name="brief_head",
    )
    figure.html.add_child(
        Element(f'<aside class="brief-panel">{figures_html(analysis, lang)}</aside>'),
        name="brief_panel",
    )
    figure.html.add_child(
        Element(f'<div class="cls-banner bottom">{classification}</div>'), name="banner_bottom"
    )
    return figure.render()
