"""The briefing: one self-contained HTML file (map, legend, figures, classification).

The page's own parts (classification banners, title block, figures panel, print styles) are
rendered from autoescaping templates in layers/templates; the map is folium's.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import PurePath

import pandas as pd
from branca.element import Element

from geo.analysis import Analysis, Tally, analyse_phase
from geo.audit import readable_time
from geo.compare import PlanComparison, plan_info, plan_label
from geo.coverage import COVERING_POST_TYPES
from geo.model import Col, Derived, LocationQuality, PlanStatus, Risk
from geo.operation import Operation, operation_time_zone
from geo.phases import Phase
from geo.plans import Plans, PlanVersion, initial_plan_name
from geo.staffing import WAREHOUSE_POLRI, WAREHOUSE_TNI, StaffingPlan, preset_label
from geo.summary import ATTACHMENTS, area_summary, attachments, gravest_first, summary_levels
from geo.text import format_distance, format_int, format_number, format_share, label, t
from layers.assets import inline_assets, walk_elements
from layers.basemap import BASEMAPS
from layers.brief_phases import phase_line, phase_section
from layers.brief_scenarios import scenarios_section
from layers.compare import change_legend_rows, compare_maps
from layers.elements import escape_text
from layers.legend import area_accuracy, legend_html
from layers.mapview import build_map, outliers
from layers.templating import TemplateElement, render_template

__all__ = [
    "BRIEF_ROWS",
    "PAPERS",
    "FiguresSection",
    "FiguresTable",
    "PlanStanding",
    "all_phases_note",
    "area_text",
    "assumptions",
    "attachment_names",
    "briefing_bundle",
    "briefing_html",
    "briefing_page",
    "briefing_with_csv",
    "comparison_briefing_html",
    "comparison_headline",
    "css_string",
    "data_caution",
    "figures_html",
    "has_no_sites",
    "headline",
    "online_line",
    "plan_standing",
    "print_style",
    "shortfall_note",
    "shown_plan",
    "shown_share",
    "shown_weighted_score",
    "stable_ids",
    "uncovered_rows",
]

# Paper sizes the briefing is laid out for (landscape).
PAPERS = ("A4", "A3")
# At most this many outliers are named on page 1; the rest are counted.
_OUTLIERS_NAMED = 5
BRIEF_ROWS: Mapping[str, int] = {"uncovered": 60, "areas": 30, "staffing": 30, "demonstration": 30}
"""At most this many rows of each list in the briefing; the rest are counted, and the full
list is named as its CSV file (:func:`attachment_names`) when one is written beside it."""


@dataclass(frozen=True)
class FiguresTable:
    """A table of the figures panel, as plain text (the template escapes it).

    Attributes
    ----------
    headers
        Column headings.
    rows
        Cell texts, one list per row.
    numeric
        Indices of the right-aligned (number) columns.
    """

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FiguresSection:
    """One section of the figures panel: a heading, then tables and paragraphs in order."""

    title: str
    parts: Sequence[FiguresTable | str]


def shown_share(tally: Tally) -> float:
    """A tally's covered share to show: NaN (printed "–") when there is nothing to cover,
    so an operation without TPS never reads "100 %"."""
    return tally.share if tally.total else float("nan")


def shown_weighted_score(analysis: Analysis) -> float:
    """The risk-weighted covered share to show: NaN (printed "–") without any TPS."""
    tps = analysis.by_kind()["polling_station"]
    return analysis.weighted_score() if tps.total else float("nan")


def has_no_sites(analysis: Analysis) -> bool:
    """Whether the operation was loaded without any site yet (its `operation.no_sites` note)."""
    return any(getattr(n, "key", "") == "operation.no_sites" for n in analysis.operation.notes)


def area_text(code: str, name: str, lang: str) -> str:
    """An area's name in a table; the sites outside every area read as such, not "outside"."""
    return t("app.outside", lang) if code == "outside" else name


def data_caution(operation: Operation, lang: str) -> str:
    """The caution owed to the reader when site positions are sample or estimated ("" if
    not): the same text under the title of the app and of the briefing."""
    quality = operation.sites[Col.LOCATION_QUALITY]
    rough = int(quality.isin([LocationQuality.APPROXIMATE, LocationQuality.SYNTHETIC]).sum())
    if operation.settings.synthetic or (quality == LocationQuality.SYNTHETIC).any():
        return t("app.synthetic_banner", lang)
    if rough:
        return t("app.approximate_banner", lang, n=rough)
    return ""


def uncovered_rows(analysis: Analysis) -> pd.DataFrame:
    """The uncovered polling stations, gravest first (:func:`geo.summary.gravest_first`: by
    risk class, khusus first, then farthest from a post, then kelurahan and number)."""
    return gravest_first(analysis.uncovered_tps)


def attachment_names(html_name: str) -> dict[str, str]:
    """The CSV file of each full list written beside a briefing, named after it:
    ``brief.html`` → ``brief.uncovered.csv``, ``brief.areas.csv`` … (:data:`ATTACHMENTS`)."""
    stem = PurePath(html_name).name
    stem = stem[: -len(".html")] if stem.lower().endswith(".html") else stem
    return {name: f"{stem}.{name}.csv" for name in ATTACHMENTS}


def briefing_bundle(html_name: str, html: str, files: Mapping[str, str]) -> bytes:
    """A zip of the briefing (as `html_name`) and its CSV files by name (the app's
    download of :func:`briefing_with_csv`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(PurePath(html_name).name, html)
        for name, text in files.items():
            bundle.writestr(name, text)
    return buffer.getvalue()


def _more_line(
    name: str, total: int, order: str, files: Mapping[str, str] | None, lang: str
) -> str:
    """The line under a shortened list: how many are shown of how many, in which order, and
    the file holding them all ("" when the list of `total` rows is shown whole)."""
    limit = BRIEF_ROWS[name]
    if total <= limit:
        return ""
    values = {
        "shown": format_int(limit, lang),
        "total": format_int(total, lang),
        "more": format_int(total - limit, lang),
        "order": t(f"brief.order_{order}", lang),
    }
    if files and name in files:
        return t("brief.more_in_file", lang, file=files[name], **values)
    return t("brief.more_no_file", lang, **values)


def _listed(table: FiguresTable, more: str) -> list[FiguresTable | str]:
    """A section's parts: the table, then the line counting what it leaves out."""
    return [table, *([more] if more else [])]


def _coverage_section(analysis: Analysis, lang: str) -> FiguresSection:
    """Polling stations covered and uncovered per risk class, with the total."""
    rows = [
        [
            label("risk", risk, lang),
            format_int(v.total, lang),
            format_int(v.covered, lang),
            format_int(v.uncovered, lang),
            format_share(shown_share(v), lang),
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
            format_share(shown_share(total), lang),
        ]
    )
    headers = [
        t("col.risk", lang),
        t("col.total", lang),
        t("col.covered", lang),
        t("col.uncovered", lang),
        "%",
    ]
    table = FiguresTable(headers, rows, frozenset({1, 2, 3, 4}))
    return FiguresSection(t("brief.coverage_by_risk", lang), [table, _radii(analysis, lang)])


def _radii(analysis: Analysis, lang: str) -> str:
    """The reach radius per post type the coverage figures assume (a reserve's response
    reach covers nothing: `geo.coverage.COVERING_POST_TYPES`)."""
    radii = " · ".join(
        f"{label('post_type', p, lang)} {format_distance(analysis.settings.radius_m[p], lang)}"
        for p in COVERING_POST_TYPES
        if p in analysis.settings.radius_m
    )
    return t("brief.assume_radii", lang, radii=radii)


def assumptions(analysis: Analysis, lang: str) -> list[str]:
    """What the figures assume, one sentence each: radii, staffing preset, risk weights, and
    whether legs and reserves' arrival go along the operation's road file."""
    preset = analysis.staffing.preset
    groups = "; ".join(
        f"{label('risk', r, lang)} {g.polri}/{g.tps}"
        for r, g in ((r, preset.group_for(r)) for r in Risk)
    )
    weights = " · ".join(
        f"{label('risk', r, lang)} {format_number(w, lang, decimals=None)}"
        for r, w in analysis.settings.risk_weights.items()
    )
    return [
        _radii(analysis, lang),
        t(
            "brief.assume_preset",
            lang,
            preset=preset_label(preset, lang),
            groups=groups,
            min_polri=preset.min_polri,
            per_warehouse=WAREHOUSE_POLRI,
            tni=WAREHOUSE_TNI,
        ),
        t("brief.assume_weights", lang, weights=weights),
        *([t("brief.assume_roads", lang)] if analysis.operation.roads is not None else []),
    ]


def headline(analysis: Analysis, lang: str) -> list[str]:
    """The headline figures: TPS coverage with the weighted score, and the staffing need as
    the sum it is (TPS guards + warehouse guards = total), under its preset."""
    tps = analysis.by_kind()["polling_station"]
    plan = analysis.staffing
    warehouses = plan.total("warehouses")
    coverage = t(
        "brief.headline_coverage",
        lang,
        covered=format_int(tps.covered, lang),
        total=format_int(tps.total, lang),
        share=format_share(shown_share(tps), lang),
        uncovered=format_int(tps.uncovered, lang),
        score=format_share(shown_weighted_score(analysis), lang),
    )
    staffing = t(
        "brief.headline_staffing",
        lang,
        polri=format_int(plan.polri, lang),
        tps=format_int(plan.tps_polri, lang),
        warehouse_guards=format_int(warehouses * WAREHOUSE_POLRI, lang),
        warehouses=format_int(warehouses, lang),
        per_warehouse=WAREHOUSE_POLRI,
        preset=preset_label(plan.preset, lang),
        linmas=format_int(plan.linmas, lang),
        tni=format_int(plan.tni, lang),
        available=format_int(plan.total("available"), lang),
        shortfall=format_int(plan.total("shortfall"), lang),
    )
    return [coverage, staffing]


def _outliers_line(analysis: Analysis, lang: str) -> str:
    """Sites far outside the areas (kept on the map, not framed), farthest first; "" if none."""
    far = outliers(analysis)
    if not far:
        return ""
    items = [
        t("brief.outlier_item", lang, name=o.name, distance=format_distance(o.distance_m, lang))
        for o in far[:_OUTLIERS_NAMED]
    ]
    if len(far) > _OUTLIERS_NAMED:
        items.append(f"+{format_int(len(far) - _OUTLIERS_NAMED, lang)}")
    return t("brief.outliers", lang, sites=", ".join(items))


def online_line(tiles: str, lang: str) -> str:
    """The warning that an export with online tiles reveals its area ("" without tiles)."""
    if tiles == "none":
        return ""
    return t("brief.online_tiles", lang, basemap=t(f"basemap.{tiles}", lang))


def _summary_context(analysis: Analysis, lang: str, tiles: str) -> dict[str, object]:
    """Page 1's summary: headline, assumptions, outliers, and the online-tiles warning."""
    online = online_line(tiles, lang)
    return {
        "no_sites": t("operation.no_sites", lang) if has_no_sites(analysis) else "",
        "headline": headline(analysis, lang),
        "assumptions_title": t("brief.assumptions", lang),
        "assumptions": assumptions(analysis, lang),
        "outliers": _outliers_line(analysis, lang),
        "online": online,
    }


def _uncovered_section(
    analysis: Analysis, lang: str, files: Mapping[str, str] | None = None
) -> FiguresSection:
    """The polling stations beyond reach, gravest first, with their distance: all of them,
    or the first :data:`BRIEF_ROWS` and a line naming the file with the rest."""
    title = t("app.uncovered_table", lang)
    if analysis.by_kind()["polling_station"].total == 0:
        return FiguresSection(title, [t("app.no_tps", lang)])
    gaps = uncovered_rows(analysis)
    if gaps.empty:
        return FiguresSection(title, [t("app.none_uncovered", lang)])
    headers = [
        t("col.tps_no", lang),
        t("col.name", lang),
        t("col.kelurahan", lang),
        t("col.risk", lang),
        t("col.distance", lang),
    ]
    rows = [
        [
            _text(r[Col.TPS_NO]),
            _text(r[Col.NAME]),
            _text(r[Col.KELURAHAN]),
            label("risk", r[Col.RISK], lang),
            format_distance(float(r[Derived.NEAREST_POST_M]), lang),
        ]
        for r in gaps.head(BRIEF_ROWS["uncovered"]).to_dict("records")
    ]
    more = _more_line("uncovered", len(gaps), "gravest", files, lang)
    return FiguresSection(title, _listed(FiguresTable(headers, rows, frozenset({0, 4})), more))


def _demonstration_section(
    analysis: Analysis, lang: str, files: Mapping[str, str] | None = None
) -> FiguresSection:
    """Demonstration points, their nearest post and the buildings they threaten; a long
    list starts with those beyond reach and threatening a building."""
    points = analysis.demonstration_report()
    limit = BRIEF_ROWS["demonstration"]
    if len(points) > limit:
        points = sorted(points, key=lambda d: (d[Derived.COVERED], d["threatened"] is None))
    headers = [
        t("col.name", lang),
        t("col.nearest_post", lang),
        t("col.distance", lang),
        t("col.threatened", lang),
    ]
    rows = [
        [
            _text(d["name"]),
            _text(d["nearest_post"]),
            format_distance(d[Derived.NEAREST_POST_M] or float("nan"), lang),
            f"{d['threatened']} ({format_distance(d['threatened_m'], lang)})"
            if d["threatened"]
            else "–",
        ]
        for d in points[:limit]
    ]
    title = t("brief.demo_points", lang)
    if not rows:
        return FiguresSection(title, [t("brief.none", lang)])
    more = _more_line("demonstration", len(points), "demo", files, lang)
    return FiguresSection(title, _listed(FiguresTable(headers, rows, frozenset({2})), more))


def _area_section(
    analysis: Analysis, lang: str, files: Mapping[str, str] | None = None
) -> FiguresSection | None:
    """TPS coverage per area of the coarsest level (None without areas); a long list
    starts with the areas with the most TPS not covered."""
    levels = summary_levels(analysis)
    if not levels:
        return None
    summary = area_summary(analysis, levels[0])
    limit = BRIEF_ROWS["areas"]
    if len(summary) > limit:
        summary = summary.sort_values(
            ["uncovered", "uncovered_share"], ascending=False, kind="stable"
        )
    rows = [
        [
            area_text(r["area_code"], r["area"], lang),
            format_int(r["tps"], lang),
            format_int(r["covered"], lang),
            format_int(r["uncovered"], lang),
            format_share(r["uncovered_share"], lang),
            label("risk", r["worst_uncovered"], lang)
            if isinstance(r["worst_uncovered"], str)
            else "–",
        ]
        for r in summary.head(limit).to_dict("records")
    ]
    headers = [
        t("col.area", lang),
        t("col.tps", lang),
        t("col.covered", lang),
        t("col.uncovered", lang),
        "%",
        t("summary.col.worst_uncovered", lang),
    ]
    title = t("brief.by_area", lang, level=label("area_level", levels[0], lang))
    more = _more_line("areas", len(summary), "areas", files, lang)
    return FiguresSection(
        title, _listed(FiguresTable(headers, rows, frozenset({1, 2, 3, 4})), more)
    )


def shortfall_note(plan: StaffingPlan, lang: str) -> str:
    """Why the shortfall is not need − available: it is summed area by area (one line);
    when the posts hold more officers than needed, by how many (never a negative gap)."""
    polri, available, short = plan.polri, plan.total("available"), plan.total("shortfall")
    numbers = {"polri": format_int(polri, lang), "available": format_int(available, lang)}
    if polri >= available:
        return t("staff.shortfall_note", lang, **numbers, net=format_int(polri - available, lang))
    key = "staff.shortfall_note_spare" if short else "staff.shortfall_note_enough"
    spare = format_int(available - polri, lang)
    return t(key, lang, **numbers, spare=spare, short=format_int(short, lang))


def all_phases_note(analysis: Analysis, lang: str) -> str | None:
    """For the whole operation of a timeline, that its need adds up guards of different
    phases (TPS guards on the vote, PPK warehouse guards in the recapitulation) as if on
    duty at once; None for one phase's analysis or when only one kind of guard is needed."""
    plan = analysis.staffing
    if analysis.phase_key is not None or not analysis.settings.phases:
        return None
    if not (plan.tps_polri and plan.total("warehouses")):
        return None
    return t("staff.all_phases_note", lang)


def _staffing_section(
    analysis: Analysis, lang: str, files: Mapping[str, str] | None = None
) -> FiguresSection:
    """Need per risk class with totals, then need, availability and shortfall per area (a
    long list starts with the largest shortfall)."""
    plan = analysis.staffing
    by_class = list(plan.by_class().values())
    per_class = FiguresTable(
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
        frozenset({1, 2, 3, 4}),
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
    areas = list(plan.areas)
    limit = BRIEF_ROWS["staffing"]
    if len(areas) > limit:
        areas.sort(key=lambda a: (-a.shortfall, -a.polri))
    per_area = FiguresTable(
        [
            t("staff.col.area", lang),
            t("staff.col.polri", lang),
            t("staff.col.available", lang),
            t("staff.col.shortfall", lang),
        ],
        [
            [
                area_text(a.code, a.name, lang),
                format_int(a.polri, lang),
                format_int(a.available, lang),
                format_int(a.shortfall, lang),
            ]
            for a in areas[:limit]
        ],
        frozenset({1, 2, 3}),
    )
    title = t("brief.staffing", lang, preset=preset_label(plan.preset, lang))
    if not per_area.rows:
        return FiguresSection(title, [per_class, totals])
    more = _more_line("staffing", len(areas), "shortfall", files, lang)
    notes = [shortfall_note(plan, lang), *filter(None, [all_phases_note(analysis, lang)])]
    return FiguresSection(title, [per_class, totals, *_listed(per_area, more), *notes])


def figures_html(analysis: Analysis, lang: str) -> str:
    """The figures panel: coverage by risk class, uncovered TPS, coverage per area,
    demonstration points, staffing, and a note where locations are approximate or
    synthetic."""
    return render_template("brief_panel.html", **_panel_context(analysis, lang))


def _panel_context(
    analysis: Analysis,
    lang: str,
    files: Mapping[str, str] | None = None,
    lessons: Sequence[FiguresSection] = (),
    extra: Sequence[object] = (),
) -> dict[str, object]:
    from layers.brief_chain import analysis_chain_section  # it builds on this module

    sections = [
        _coverage_section(analysis, lang),
        _uncovered_section(analysis, lang, files),
        _area_section(analysis, lang, files),
        _demonstration_section(analysis, lang, files),
        _staffing_section(analysis, lang, files),
        analysis_chain_section(analysis, lang),
        *extra,
        *lessons,
    ]
    lead = t("brief.files", lang, files=", ".join(files.values())) if files else ""
    return {"sections": [s for s in sections if s is not None], "files": lead}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return str(value)


def css_string(text: str) -> str:
    """`text` as a CSS string literal, every character but letters, digits and spaces
    written as a hex escape: nothing in it can end the string or the style block (the
    print CSS writes it unescaped, `|safe`)."""
    # a hex escape eats one whitespace after it: each ends with its own, so a real space
    # that follows (", " in "kapolres, 29-11-2026") survives
    body = "".join(
        c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):06x} " for c in text
    )
    return f'"{body}"'


def _check_choices(paper: str, basemap: str) -> None:
    """Raise ValueError for an unknown paper size or basemap."""
    if paper not in PAPERS:
        msg = f"`paper` is {paper!r}; expected one of: {', '.join(PAPERS)}."
        raise ValueError(msg)
    if basemap not in BASEMAPS:
        msg = f"`basemap` is {basemap!r}; expected one of: {', '.join(BASEMAPS)}."
        raise ValueError(msg)


def export_line(operation: Operation, *, exported_at: datetime, exported_by: str, lang: str) -> str:
    """ "Diekspor oleh <who>, DD-MM-YYYY HH:MM WIB": who exported, when in the operation's
    time zone (plain text; templates escape it).

    Raises
    ------
    ValueError
        When `exported_by` is blank (every export names the signed-in user) or
        `exported_at` has no time zone.
    """
    if not exported_by.strip():
        msg = "`exported_by` is empty; an export names who made it (the signed-in user)."
        raise ValueError(msg)
    if exported_at.tzinfo is None:
        msg = f"`exported_at` is {exported_at!r}; expected a time with its time zone."
        raise ValueError(msg)
    zone = operation_time_zone(operation.settings, operation.areas, operation.sites)
    at = readable_time(exported_at, zone)
    return t("audit.exported_by", lang, who=exported_by.strip(), at=at)


def shown_plan(analysis: Analysis, lang: str, *, unsaved: bool = False) -> str:
    """ "Rencana: <name> (<status>) · versi <n>" when the analysis shows a saved plan;
    the initial plan is named only when `unsaved` (else the imported posts are the plan)."""
    plan = plan_info(analysis)
    if plan is not None:
        return t(
            "compare.brief_plan_version",
            lang,
            plan=plan_label(analysis, lang),
            version=format_int(plan.version, lang),
        )
    if unsaved:
        return t("compare.brief_plan", lang, plan=plan_label(analysis, lang))
    return ""


@dataclass(frozen=True)
class PlanStanding:
    """Where the briefed plan stands on its way to the commander's approval.

    Attributes
    ----------
    text
        The line the briefing shows right under the classification banner ("DRAF — rencana
        ini belum disetujui pimpinan …").
    short
        Its short form, printed on every page beside who exported the briefing.
    approved
        The plan shown is the approved one, as saved.
    """

    text: str
    short: str
    approved: bool


def plan_standing(analysis: Analysis, lang: str, *, unsaved: bool = False) -> PlanStanding:
    """The standing of the plan a briefing shows: a draft or a proposal is not yet approved
    (the initial plan, from the imported posts, is a draft); an approved plan says by whom
    and when when its history records the approval; unsaved edits are never approved.

    Parameters
    ----------
    analysis
        The analysed operation with its plan (`geo.compare.plan_info`).
    lang
        Language of the line.
    unsaved
        The analysis includes edits not saved to its plan.
    """
    plan = plan_info(analysis)
    draft = t("brief.print_draft", lang)
    if unsaved:
        return PlanStanding(t("brief.plan_unsaved", lang), draft, approved=False)
    if plan is None:
        text = t("brief.plan_initial_draft", lang, name=initial_plan_name(lang))
        return PlanStanding(text, draft, approved=False)
    if plan.status == PlanStatus.DRAFT:
        return PlanStanding(t("brief.plan_draft", lang), draft, approved=False)
    if plan.status == PlanStatus.PROPOSED:
        short = t("brief.print_proposed", lang)
        return PlanStanding(t("brief.plan_proposed", lang), short, approved=False)
    return PlanStanding(
        _approved_text(analysis, plan.plan_id, lang), t("brief.print_approved", lang), approved=True
    )


def _approved_text(analysis: Analysis, plan_id: str, lang: str) -> str:
    """ "Approved", with by whom and when when the plan's history records it."""
    approval = _approval(analysis.operation, plan_id)
    if approval is None:
        return t("brief.plan_approved", lang)
    operation = analysis.operation
    zone = operation_time_zone(operation.settings, operation.areas, operation.sites)
    when = readable_time(approval.saved_at, zone)
    who = approval.saved_by.strip()
    if who:
        return t("brief.plan_approved_by", lang, who=who, when=when)
    return t("brief.plan_approved_at", lang, when=when)


def _approval(operation: Operation, plan_id: str) -> PlanVersion | None:
    """The version that made the plan approved (the start of its last approved run), or
    None when its history does not record one."""
    approval = None
    for version in Plans.for_operation(operation).history(plan_id):
        if version.status != PlanStatus.APPROVED:
            approval = None
        elif approval is None:
            approval = version
    return approval


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


def briefing_page(
    root: Element,
    *,
    title: str,
    classification: str,
    style: Callable[[], TemplateElement],
    sections: Mapping[str, Element],
) -> str:
    """An export page around a map (`root`): every script and style inlined, stable ids,
    the escaped title, the print style (made by `style` once the ids are final: a style
    may name the maps), and `sections` between the two classification banners. Shared by
    the briefing, the comparison, the suggestion and the partner briefing."""
    inline_assets(root)
    figure = root.get_root()
    stable_ids(figure)
    # branca's page template prints the title as it is: escape it here
    figure.title = escape_text(title)
    figure.header.add_child(style(), name="posko_brief_css")
    banner = {"text": classification}
    parts = {
        "banner_top": TemplateElement("banner.html", **banner, position="top"),
        **sections,
        "banner_bottom": TemplateElement("banner.html", **banner, position="bottom"),
    }
    for name, section in parts.items():
        figure.html.add_child(section, name=name)
    return figure.render()


def print_style(
    template: str, *, paper: str, classification: str, stamp: str, **extra: object
) -> TemplateElement:
    """The print style of an export: paper size, and the banner and export line repeated
    on every printed page (`extra`: the template's own values)."""
    return TemplateElement(
        template,
        paper=paper,
        banner=css_string(classification),
        footer=css_string(stamp),
        **extra,
    )


def briefing_html(
    analysis: Analysis,
    *,
    lang: str = "id",
    basemap: str = "osm",
    online: bool = False,
    paper: str = "A4",
    exported_at: datetime,
    exported_by: str,
    unsaved: bool = False,
    csv_files: Mapping[str, str] | None = None,
    aggregate: bool | None = None,
    lessons: Sequence[FiguresSection] = (),
    phase: Phase | None = None,
) -> str:
    """A self-contained briefing page: every script and style inlined, no CDN, and by
    default no request at all (a grid, area outlines and labels instead of tiles).

    Parameters
    ----------
    analysis
        The analysed operation (the same one the app shows).
    lang
        Language of every label.
    basemap
        Tile choice used when `online`; "none" draws no tiles even then.
    online
        Draw the online tiles of `basemap`. The document then says, on page 1, that opening
        it online contacts the tile server.
    paper
        Paper size the print layout is set for, one of :data:`PAPERS` (landscape).
    exported_at
        When it was exported (timezone-aware); printed in the operation's time zone.
    exported_by
        Who exported it (the signed-in user): printed under the title and in the printed
        footer, beside the classification.
    unsaved
        The analysis includes edits not saved to its plan (the map page's draft): the head
        says so under the plan's name.
    csv_files
        The file holding each full list written beside the briefing, by list name
        (:func:`attachment_names`, for the lists :func:`geo.summary.attachments` gives): the
        panel names them, and each shortened list points at its file. None: no file is
        written, and a shortened list says where the full one can be had.
    aggregate
        Draw the map by zoom (see :func:`layers.mapview.map_parts`); None: above
        :data:`layers.grid.AGGREGATE_ABOVE` sites; False: every site a marker.
    lessons
        Sections printed after the briefing's own: "Pelajaran dari operasi sebelumnya"
        (:func:`layers.brief_history.history_sections`), when an earlier operation is named.
    phase
        The phase the briefing is for (of `analysis.settings.phases`): map and figures show
        the sites of that phase (`geo.analysis.analyse_phase`), the head names it; None: the
        whole operation. The timeline section (`layers.brief_phases`) always covers all.

    Returns
    -------
    html
        The whole page as text.

    Raises
    ------
    ValueError
        When `basemap` or `paper` is unknown, or `exported_by` is blank.
    """
    _check_choices(paper, basemap)
    whole, analysis = analysis, analyse_phase(analysis, phase.key if phase else None)
    timeline = phase_section(whole, phase, lang)
    stamp = export_line(
        analysis.operation, exported_at=exported_at, exported_by=exported_by, lang=lang
    )
    tiles = basemap if online else "none"
    m = build_map(analysis, lang=lang, basemap=tiles, aggregate=aggregate)
    title = analysis.settings.title
    classification = analysis.settings.classification
    standing = plan_standing(analysis, lang, unsaved=unsaved)
    sections = {
        "brief_head": TemplateElement(
            "brief_head.html",
            title=title,
            standing=standing,
            plan=shown_plan(analysis, lang, unsaved=unsaved),
            unsaved=t("compare.brief_unsaved", lang) if unsaved else "",
            stamp=stamp,
            caution=data_caution(analysis.operation, lang),
            phase=phase_line(phase, lang) if whole.settings.phases else "",
        ),
        "brief_summary": TemplateElement(
            "brief_summary.html", **_summary_context(analysis, lang, tiles)
        ),
        "brief_panel": TemplateElement(
            "brief_panel.html",
            **_panel_context(
                analysis, lang, csv_files, lessons, extra=[timeline] if timeline else []
            ),
            scenarios=scenarios_section(
                analysis.operation, lang, phase=phase.key if phase else None
            ),
        ),
    }
    # the plan's standing beside who exported it, on every printed page
    style = partial(
        print_style,
        "briefing_style.html",
        paper=paper,
        classification=classification,
        stamp=f"{standing.short} · {stamp}",
    )
    return briefing_page(
        m, title=title, classification=classification, style=style, sections=sections
    )


def briefing_with_csv(
    analysis: Analysis,
    *,
    html_name: str,
    lang: str = "id",
    build: Callable[..., str] | None = None,
    **options: object,
) -> tuple[str, dict[str, str]]:
    """The briefing and its full lists as CSV files named after it (`posko brief
    --with-csv`, the app's zip): the briefing names each file it shortens a list into.

    Parameters
    ----------
    analysis
        The analysed operation.
    html_name
        The briefing's file name (``brief.html``); the CSV files are named after it.
    lang
        Language of the briefing and of the CSV headings and labels.
    build
        Makes the briefing, given `csv_files` (the app's :func:`briefing_html` with the
        page's choices bound); by default :func:`briefing_html` of `analysis` with `options`.
    **options
        The other keyword arguments of :func:`briefing_html`.

    Returns
    -------
    html, files
        The briefing, and each CSV file's text by file name (formula-safe,
        :func:`geo.csvsafe.to_csv_safe`); a list with no row has no file.
    """
    phase = options.get("phase")
    shown = analyse_phase(analysis, phase.key) if isinstance(phase, Phase) else analysis
    lists = attachments(shown, lang)
    names = attachment_names(html_name)
    chosen = {name: names[name] for name in lists}
    make = build or partial(briefing_html, analysis, lang=lang, **options)
    html = make(csv_files=chosen)
    return html, {chosen[name]: text for name, text in lists.items()}


def _changed_section(comparison: PlanComparison, which: str, lang: str) -> FiguresSection:
    """The TPS gained or lost, gravest first, with the nearest post in each plan."""
    rows = getattr(comparison, which)
    title = t(f"compare.{which}", lang, n=format_int(len(rows), lang))
    if rows.empty:
        return FiguresSection(title, [t("brief.none", lang)])
    headers = [
        t("col.tps_no", lang),
        t("col.name", lang),
        t("col.kelurahan", lang),
        t("col.risk", lang),
        t("compare.col.post_a", lang),
        t("compare.col.post_b", lang),
    ]
    body = [
        [
            _text(r[Col.TPS_NO]),
            _text(r[Col.NAME]),
            _text(r[Col.KELURAHAN]),
            label("risk", r[Col.RISK], lang),
            f"{_text(r['post_a'])} ({format_distance(r['post_m_a'], lang)})",
            f"{_text(r['post_b'])} ({format_distance(r['post_m_b'], lang)})",
        ]
        for r in rows.to_dict("records")
    ]
    return FiguresSection(title, [FiguresTable(headers, body, frozenset({0}))])


def _difference_section(comparison: PlanComparison, lang: str) -> FiguresSection:
    """The difference table: section, item, A, B, B − A."""
    table = comparison.table(lang)
    decimals = {t("compare.row.weighted_score", lang): 1}

    def number(value: float, item: str, *, signed: bool = False) -> str:
        return format_number(value, lang, decimals=decimals.get(item, 0), sign=signed)

    rows = [
        [section, item, number(a, item), number(b, item), number(d, item, signed=True)]
        for section, item, a, b, d in table.itertuples(index=False)
    ]
    figures = FiguresTable(list(table.columns), rows, frozenset({2, 3, 4}))
    return FiguresSection(t("compare.difference_table", lang), [figures])


def comparison_headline(comparison: PlanComparison, lang: str) -> str:
    """TPS covered in A and B, gained and lost, weighted scores and shortfalls, one line."""
    a, b = (x.by_kind()["polling_station"] for x in (comparison.a, comparison.b))
    totals = comparison.staffing_totals()
    change = b.covered - a.covered
    return t(
        "compare.headline",
        lang,
        a=format_int(a.covered, lang),
        b=format_int(b.covered, lang),
        diff=format_number(change, lang, sign=True),
        gained=format_int(len(comparison.gained), lang),
        lost=format_int(len(comparison.lost), lang),
        score_a=format_share(shown_weighted_score(comparison.a), lang),
        score_b=format_share(shown_weighted_score(comparison.b), lang),
        short_a=format_int(totals["a"]["shortfall"], lang),
        short_b=format_int(totals["b"]["shortfall"], lang),
    )


def comparison_briefing_html(
    comparison: PlanComparison,
    *,
    lang: str = "id",
    basemap: str = "osm",
    online: bool = False,
    paper: str = "A4",
    exported_at: datetime,
    exported_by: str,
) -> str:
    """The comparison briefing: both plans' maps side by side (same view), the headline,
    the difference table and the TPS gained and lost; self-contained like
    :func:`briefing_html`, and printed by the same rules.

    Raises
    ------
    ValueError
        When `basemap` or `paper` is unknown, or `exported_by` is blank.
    """
    _check_choices(paper, basemap)
    operation = comparison.a.operation
    stamp = export_line(operation, exported_at=exported_at, exported_by=exported_by, lang=lang)
    tiles = basemap if online else "none"
    first, second = compare_maps(comparison, lang=lang, basemap=tiles)
    names = {side: plan_label(getattr(comparison, side), lang) for side in ("a", "b")}
    title = t("compare.title", lang, a=names["a"], b=names["b"])
    classification = comparison.a.settings.classification
    sides = [
        {
            "title": t("compare.side", lang, side=side.upper(), plan=names[side]),
            "lines": assumptions(getattr(comparison, side), lang),
        }
        for side in ("a", "b")
    ]
    if sides[0]["lines"] == sides[1]["lines"]:
        sides = [{"title": t("compare.same_assumptions", lang), "lines": sides[0]["lines"]}]
    panel = [
        _difference_section(comparison, lang),
        _changed_section(comparison, "lost", lang),
        _changed_section(comparison, "gained", lang),
    ]
    sections = {
        "brief_head": TemplateElement(
            "brief_head.html",
            title=operation.title,
            plan=title,
            unsaved="",
            stamp=stamp,
            caution=data_caution(operation, lang),
        ),
        "brief_summary": TemplateElement(
            "compare_summary.html",
            online=online_line(tiles, lang),
            headline=comparison_headline(comparison, lang),
            sides=sides,
        ),
        "brief_legend": TemplateElement(
            "compare_legend.html",
            title=t("legend.title", lang),
            legend=legend_html(
                lang,
                ring_zones=len(comparison.a.settings.ring_zones_m),
                areas=area_accuracy(comparison.a),
                extra=change_legend_rows(lang),
            ),
        ),
        "brief_panel": TemplateElement("brief_panel.html", sections=panel),
    }

    def style() -> TemplateElement:  # the maps' names are final only once numbered
        return print_style(
            "compare_style.html",
            paper=paper,
            classification=classification,
            stamp=stamp,
            map_a=first.get_name(),
            map_b=second.get_name(),
        )

    return briefing_page(
        first.get_root(),
        title=f"{operation.title} · {title}",
        classification=classification,
        style=style,
        sections=sections,
    )
