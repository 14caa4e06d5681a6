"""The partner briefing for KPU, Bawaslu and Forkopimda: TPS, areas, phases, logistics.

A second export beside the main briefing (:mod:`layers.export`), printed by the same rules
and built from its pieces, but drawn from the TPS and the areas only: no police post, no
position or name of one, no personnel figure, no reach ring, no coverage (which would
outline the posts' reach), no scenario deployment. It carries its own classification line
(`[operation] partner_classification`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import partial
from typing import Protocol

import folium
import pandas as pd

from geo.analysis import Analysis
from geo.logistics import LegLevel, LogisticsChain, logistics_chain
from geo.model import Col, Kind, Risk
from geo.summary import summary_levels
from geo.text import catalog, format_date, format_int, label, t
from layers.basemap import BASEMAPS, base_map
from layers.chain import chain_layer, chain_legend_rows
from layers.elements import SiteLayer, SiteStyle, Tooltips, js_literal
from layers.export import (
    PAPERS,
    FiguresSection,
    FiguresTable,
    area_text,
    briefing_page,
    data_caution,
    export_line,
    online_line,
    print_style,
)
from layers.grid import GridSiteLayer, should_aggregate
from layers.legend import AREA_ROWS, Legend, area_accuracy, area_row, risk_rows
from layers.styles import RISK_STYLES
from layers.templating import TemplateElement, render_template
from layers.zones import area_layer

__all__ = [
    "CHAIN_COLUMNS",
    "PARTNER_CHAIN_ROWS",
    "PARTNER_TPS_ROWS",
    "PhaseLike",
    "chain_section",
    "partner_bounds",
    "partner_briefing_html",
    "partner_chain",
    "partner_map",
    "partner_sections",
    "phase_section",
]

PARTNER_TPS_ROWS = 80
# At most this many legs of the logistics chain are listed (the upper legs come first).
PARTNER_CHAIN_ROWS = 60
"""At most this many TPS of the listed classes in the partner briefing; the rest are counted."""

CHAIN_COLUMNS = ("from_name", "to_name", "phase")
"""The only columns of a logistics-chain legs table the partner briefing reads (`phase`
optional): escort and guard personnel, and any other column, never reach the file."""

# Classes whose TPS are listed by name; the normal ones are only counted.
_LISTED = (Risk.KHUSUS, Risk.SANGAT_RAWAN, Risk.RAWAN)


class PhaseLike(Protocol):
    """What the partner briefing reads of a phase (`geo.phases.Phase`)."""

    name: str
    start: date
    end: date


def _tps(analysis: Analysis) -> pd.DataFrame:
    """The operation's polling stations (every column; the sites as imported)."""
    sites = analysis.operation.sites
    return sites[sites[Col.KIND] == Kind.POLLING_STATION]


def partner_bounds(analysis: Analysis) -> tuple[float, float, float, float]:
    """South, west, north, east of the areas and the TPS (never of the posts)."""
    frames = [f for f in (analysis.operation.areas.geometry, _tps(analysis).geometry) if len(f)]
    if not frames:
        msg = "The operation has neither areas nor TPS: there is nothing to draw for partners."
        raise ValueError(msg)
    west = min(f.total_bounds[0] for f in frames)
    south = min(f.total_bounds[1] for f in frames)
    east = max(f.total_bounds[2] for f in frames)
    north = max(f.total_bounds[3] for f in frames)
    return south, west, north, east


def _texts(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in values]


def _tps_layer(analysis: Analysis, lang: str, *, aggregate: bool = False) -> SiteLayer:
    """The TPS as circles in their risk class's colour; tooltips: name, number, kelurahan,
    class (nothing about posts or coverage). With `aggregate`, drawn by zoom as the
    briefing's large map (:class:`layers.grid.GridSiteLayer`), its cells counting the TPS
    per risk class (never beyond reach: coverage is police data)."""
    tps = _tps(analysis)
    risks = list(Risk)
    styles = [
        SiteStyle(color="#ffffff", fill_color=RISK_STYLES[r].color, weight=1.2) for r in risks
    ]
    place = [
        " · ".join(x for x in (f"TPS {n}" if n else "", k, label("risk", r, lang)) if x)
        for n, k, r in zip(
            _texts(tps[Col.TPS_NO]), _texts(tps[Col.KELURAHAN]), tps[Col.RISK], strict=True
        )
    ]
    tooltips = Tooltips(
        lines=("{name}", "{place}"),
        slots={"name": _texts(tps[Col.NAME]), "id": _texts(tps[Col.SITE_ID]), "place": place},
        search="{name} · {place}",
    )
    common = {
        "kind": Kind.POLLING_STATION,
        "styles": styles,
        "lat": tps.geometry.y.tolist(),
        "lon": tps.geometry.x.tolist(),
        "style": [risks.index(Risk(r)) for r in tps[Col.RISK]],
        "site_ids": tps[Col.SITE_ID].tolist(),
        "tooltips": tooltips,
    }
    name = label("kind", Kind.POLLING_STATION, lang)
    if not aggregate:
        return SiteLayer(name, **common)
    # the styles are one a class, in Risk's order: a site's style is its class's rank
    ranks = list(range(len(risks)))
    return GridSiteLayer(name, **common, risk_rank=ranks, risk_counts=True, lang=lang)


def _legend(analysis: Analysis, lang: str, *, chain: bool = False) -> Legend:
    """The map legend: the risk classes, the area outlines and (`chain`) the logistics
    legs by level, never their reach by posts."""
    areas = area_accuracy(analysis)
    legend = Legend(lang, ring_zones=0, areas=areas)
    groups = [risk_rows(lang), *([[area_row(areas, lang)]] if areas in AREA_ROWS else [])]
    groups += [chain_legend_rows(lang, reach=False)] if chain else []
    # the main legend also explains posts and reach rings, which this map does not draw
    legend.html_js = js_literal(
        render_template("legend.html", title=t("legend.title", lang), groups=groups)
    )
    return legend


def partner_map(
    analysis: Analysis, *, lang: str = "id", basemap: str = "none", aggregate: bool | None = None
) -> folium.Map:
    """The partner map: tiles (or none), the area outlines and names, the logistics legs
    (KPU warehouse → PPK → PPS → TPS; no post's reach), the TPS by risk class (`aggregate`:
    drawn by zoom, without the legs to each TPS; None: as the briefing decides,
    :func:`layers.grid.should_aggregate`)."""
    m = base_map(partner_bounds(analysis), basemap=basemap, lang=lang)
    chain = _partners_chain(analysis)
    _legend(analysis, lang, chain=chain is not None).add_to(m)
    if not analysis.operation.areas.empty:
        area_layer(analysis, lang).add_to(m)
    grid = should_aggregate(analysis) if aggregate is None else aggregate
    if chain is not None:
        levels = (LegLevel.PPK, LegLevel.PPS) if grid else tuple(LegLevel)
        chain_layer(chain, lang, levels=levels, reach=False).add_to(m)
    _tps_layer(analysis, lang, aggregate=grid).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def _risk_counts(tps: pd.DataFrame) -> dict[Risk, int]:
    return {r: int((tps[Col.RISK] == r).sum()) for r in Risk}


def _risk_section(analysis: Analysis, lang: str) -> FiguresSection:
    counts = _risk_counts(_tps(analysis))
    rows = [[label("risk", r, lang), format_int(n, lang)] for r, n in counts.items()]
    rows.append(["Σ", format_int(sum(counts.values()), lang)])
    table = FiguresTable([t("col.risk", lang), t("col.tps", lang)], rows, frozenset({1}))
    return FiguresSection(t("partner.tps_by_risk", lang), [table])


def _area_section(analysis: Analysis, lang: str) -> FiguresSection | None:
    """TPS per area of the coarsest level, per risk class (None without areas)."""
    levels = summary_levels(analysis)
    if not levels:
        return None
    level = levels[0]
    tps = _tps(analysis)
    where = analysis.site_areas[level].reindex(tps.index).fillna("outside").astype(str)
    areas = analysis.operation.areas
    listed = areas[areas["level"] == level]
    names = dict(zip(listed["area_code"].astype(str), listed["name"].astype(str), strict=True))
    codes = [*names, *sorted(set(where) - set(names) - {"outside"})]
    codes += ["outside"] if (where == "outside").any() else []
    rows = []
    for code in codes:
        counts = _risk_counts(tps[(where == code).to_numpy()])
        rows.append(
            [
                area_text(code, names.get(code, code), lang),
                *(format_int(counts[r], lang) for r in Risk),
                format_int(sum(counts.values()), lang),
            ]
        )
    headers = [t("col.area", lang), *(label("risk", r, lang) for r in Risk), "Σ"]
    numeric = frozenset(range(1, len(headers)))
    title = t("partner.by_area", lang, level=label("area_level", level, lang))
    return FiguresSection(title, [FiguresTable(headers, rows, numeric)])


def _listed_tps(analysis: Analysis, lang: str) -> FiguresSection:
    """The TPS of the graver classes by name, gravest class first, then kelurahan, number."""
    tps = _tps(analysis)
    rank = {r: i for i, r in enumerate(_LISTED)}
    chosen = tps[tps[Col.RISK].isin(list(_LISTED))]
    order = pd.DataFrame(
        {
            "rank": [rank[Risk(r)] for r in chosen[Col.RISK]],
            "kelurahan": chosen[Col.KELURAHAN].fillna("").astype(str).to_numpy(),
            "no": pd.to_numeric(chosen[Col.TPS_NO], errors="coerce").fillna(-1).to_numpy(),
        }
    ).sort_values(["rank", "kelurahan", "no"], kind="stable")
    chosen = chosen.iloc[order.index]
    title = t("partner.tps_list", lang)
    if chosen.empty:
        return FiguresSection(title, [t("brief.none", lang)])
    rows = [
        [
            _cell(r[Col.TPS_NO]),
            _cell(r[Col.NAME]),
            _cell(r[Col.KELURAHAN]),
            label("risk", r[Col.RISK], lang),
        ]
        for r in chosen.head(PARTNER_TPS_ROWS).to_dict("records")
    ]
    headers = [
        t("col.tps_no", lang),
        t("col.name", lang),
        t("col.kelurahan", lang),
        t("col.risk", lang),
    ]
    parts: list[FiguresTable | str] = [FiguresTable(headers, rows, frozenset({0}))]
    if len(chosen) > PARTNER_TPS_ROWS:
        parts.append(_more("partner.tps_more", PARTNER_TPS_ROWS, len(chosen), lang))
    return FiguresSection(title, parts)


def _more(key: str, shown: int, total: int, lang: str) -> str:
    """The catalog line `key` under a list cut at `shown` of `total` rows."""
    more = total - shown
    return t(
        key,
        lang,
        **{k: format_int(v, lang) for k, v in (("shown", shown), ("total", total), ("more", more))},
    )


def _cell(value: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def phase_section(phases: Sequence[PhaseLike], lang: str) -> FiguresSection | None:
    """The operation's phases with their first and last day (None without phases)."""
    if not phases:
        return None
    rows = [[p.name, format_date(p.start), format_date(p.end)] for p in phases]
    headers = [
        t("partner.col.phase", lang),
        t("partner.col.start", lang),
        t("partner.col.end", lang),
    ]
    return FiguresSection(t("partner.phases", lang), [FiguresTable(headers, rows)])


def chain_section(legs: pd.DataFrame | None, lang: str) -> FiguresSection | None:
    """The logistics chain's legs, from and to (and phase), read from :data:`CHAIN_COLUMNS`
    only (None without legs).

    Raises
    ------
    ValueError
        When `legs` lacks `from_name` or `to_name`.
    """
    if legs is None or legs.empty:
        return None
    missing = [c for c in CHAIN_COLUMNS[:2] if c not in legs.columns]
    if missing:
        msg = f"The logistics legs lack column(s) {missing!r}; expected {', '.join(CHAIN_COLUMNS)}."
        raise ValueError(msg)
    phase = "phase" in legs.columns
    headers = [t("partner.col.from", lang), t("partner.col.to", lang)]
    headers += [t("partner.col.phase_of_leg", lang)] if phase else []
    rows = [
        [
            _cell(r["from_name"]),
            _cell(r["to_name"]),
            *([_phase_name(r["phase"], lang)] if phase else []),
        ]
        for r in legs.head(PARTNER_CHAIN_ROWS).to_dict("records")
    ]
    parts: list[FiguresTable | str] = [FiguresTable(headers, rows)]
    if len(legs) > PARTNER_CHAIN_ROWS:  # a kabupaten's legs to every TPS: pages of them
        parts.append(_more("partner.chain_more", PARTNER_CHAIN_ROWS, len(legs), lang))
    return FiguresSection(t("partner.chain", lang), parts)


def _phase_name(key: object, lang: str) -> str:
    """A phase key's display name from the catalog (`phase.<key>`); an operation's own
    phase key, which has none, as it is written."""
    text = _cell(key)
    return t(f"phase.{text}", lang) if f"phase.{text}" in catalog() else text


def _partners_chain(analysis: Analysis) -> LogisticsChain | None:
    """The operation's logistics chain as partners see it: linked from the sites' codes, with
    no post and no preset (so no escort or reach figure); None without a chain."""
    operation = analysis.operation
    # along the operation's road file, as the police briefing draws them
    chain = logistics_chain(operation.sites, areas=operation.areas, roads=operation.road_network)
    return None if chain.empty else chain


def partner_chain(analysis: Analysis) -> pd.DataFrame | None:
    """The operation's logistics legs as partners see them (:func:`_partners_chain`); None
    without a chain."""
    chain = _partners_chain(analysis)
    return None if chain is None else chain.legs


def partner_sections(
    analysis: Analysis, lang: str, *, chain: pd.DataFrame | None = None
) -> list[FiguresSection]:
    """The partner panel: TPS per class, per area, the graver TPS by name, the phases (from
    `settings.phases`, when the operation has them) and the logistics chain (`chain`)."""
    sections = [
        _risk_section(analysis, lang),
        _area_section(analysis, lang),
        _listed_tps(analysis, lang),
        phase_section(getattr(analysis.settings, "phases", ()), lang),
        chain_section(chain, lang),
    ]
    return [s for s in sections if s is not None]


def _headline(analysis: Analysis, lang: str) -> str:
    counts = _risk_counts(_tps(analysis))
    classes = ", ".join(
        f"{format_int(n, lang)} {label('risk', r, lang)}" for r, n in counts.items()
    )
    return t(
        "partner.headline", lang, total=format_int(sum(counts.values()), lang), classes=classes
    )


def partner_briefing_html(
    analysis: Analysis,
    *,
    lang: str = "id",
    basemap: str = "osm",
    online: bool = False,
    paper: str = "A4",
    exported_at: datetime,
    exported_by: str,
    chain: pd.DataFrame | None = None,
    aggregate: bool | None = None,
) -> str:
    """The partner briefing: a self-contained page (no request unless `online`) with the
    TPS map, the figures for partners, its own classification line and the export line.

    Parameters
    ----------
    analysis
        The analysed operation; only its TPS, areas and phases are read.
    lang, basemap, online, paper, exported_at, exported_by
        As for :func:`layers.export.briefing_html`.
    chain
        The logistics chain's legs (:data:`CHAIN_COLUMNS`, see :func:`partner_chain`); None:
        no chain section.
    aggregate
        Draw the TPS by zoom (cells counting them per risk class, the TPS in view when few);
        None: when the operation has more than :data:`layers.grid.AGGREGATE_ABOVE` sites,
        as the briefing.

    Returns
    -------
    html
        The whole page as text.

    Raises
    ------
    ValueError
        When `basemap` or `paper` is unknown, `exported_by` is blank, or there is nothing
        to draw.
    """
    if paper not in PAPERS or basemap not in BASEMAPS:
        msg = f"`paper` {paper!r} or `basemap` {basemap!r} is unknown; expected one of "
        msg += f"{', '.join(PAPERS)} and one of {', '.join(BASEMAPS)}."
        raise ValueError(msg)
    operation = analysis.operation
    stamp = export_line(operation, exported_at=exported_at, exported_by=exported_by, lang=lang)
    tiles = basemap if online else "none"
    m = partner_map(analysis, lang=lang, basemap=tiles, aggregate=aggregate)
    title = analysis.settings.title
    classification = analysis.settings.partner_classification
    sections = {
        "brief_head": TemplateElement(
            "brief_head.html",
            title=title,
            plan=t("partner.subtitle", lang),
            unsaved="",
            stamp=stamp,
            caution=data_caution(operation, lang),
        ),
        "brief_summary": TemplateElement(
            "brief_summary.html",
            no_sites="",
            headline=[_headline(analysis, lang)],
            assumptions_title=t("partner.subtitle", lang),
            assumptions=[t("partner.scope", lang)],
            outliers="",
            online=online_line(tiles, lang),
        ),
        "brief_panel": TemplateElement(
            "brief_panel.html", sections=partner_sections(analysis, lang, chain=chain)
        ),
    }
    style = partial(
        print_style, "partner_style.html", paper=paper, classification=classification, stamp=stamp
    )
    return briefing_page(
        m, title=title, classification=classification, style=style, sections=sections
    )
