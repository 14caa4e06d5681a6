"""The compare page: two plans of the open operation side by side, what changes between them
— or the open operation against an earlier one (TPS added, removed, moved, risk changes)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from geo.access import Action, require
from geo.analysis import analyse
from geo.compare import PlanComparison, compare_plans, plan_label
from geo.errors import PoskoError, SettingsError
from geo.history import MOVED_M, OperationComparison, compare_operations, earlier_operation
from geo.model import AuditAction, Settings, load_settings
from geo.operation import (
    SETTINGS_FILE,
    discover_operations,
    load_operation,
    operation_roots,
    operation_signature,
)
from geo.plans import PlanInfo, Plans
from geo.text import (
    Text,
    format_distance,
    format_int,
    format_number,
    format_share,
    label,
    localized,
    t,
)
from layers.brief_history import history_lead
from layers.compare import GAINED_COLOR, LOST_COLOR, compare_maps_html
from layers.export import (
    PAPERS,
    area_text,
    comparison_briefing_html,
    shown_share,
    shown_weighted_score,
)
from pages.exports import audited_data, comparison_what, on_paper
from pages.shared import md
from pages.state import PageContext, current_page

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = [
    "cached_comparison",
    "cached_history",
    "changed_table",
    "default_earlier",
    "default_pair",
    "fitted_height",
    "lessons_table",
    "operation_titles",
    "render",
    "render_areas",
    "render_changed",
    "render_difference",
    "render_figures",
    "render_history",
]

MAPS_HEIGHT_PX = 560
_ROW_TINT = {"gained": f"{GAINED_COLOR}33", "lost": f"{LOST_COLOR}26"}


def default_pair(plans: list[PlanInfo]) -> tuple[PlanInfo, PlanInfo]:
    """Plan A: the current plan; plan B: the most recently saved other plan."""
    current = next((p for p in plans if p.current), plans[0])
    others = sorted((p for p in plans if p.plan_id != current.plan_id), key=lambda p: p.saved_at)
    return current, others[-1]


@st.cache_data(show_spinner=False, max_entries=8)
def cached_comparison(
    path: str, signature: tuple, a: tuple[str, int], b: tuple[str, int]
) -> PlanComparison:
    """Plans `a` and `b` (id, version) of an operation, analysed and compared, once per
    version of each (`signature`: the operation's files)."""
    del signature  # part of the cache key only
    first, second = (analyse(load_operation(Path(path), plan=plan_id)) for plan_id, _ in (a, b))
    return compare_plans(first, second)


def _pick(plans: list[PlanInfo], lang: str) -> tuple[PlanInfo, PlanInfo]:
    """The two plans chosen on the page (defaults: :func:`default_pair`)."""
    first, second = default_pair(plans)
    ids = [p.plan_id for p in plans]
    names = {p.plan_id: f"{p.name} ({label('plan_status', p.status, lang)})" for p in plans}
    left, right = st.columns(2)
    a = left.selectbox(
        t("compare.pick_a", lang), ids, index=ids.index(first.plan_id), format_func=names.get
    )
    b = right.selectbox(
        t("compare.pick_b", lang), ids, index=ids.index(second.plan_id), format_func=names.get
    )
    by_id = {p.plan_id: p for p in plans}
    return by_id[a], by_id[b]


def render(ctx: PageContext) -> None:
    """Lay out the compare page for the open operation."""
    lang = ctx.lang
    require(ctx.actor, Action.VIEW, ctx.operation.key)
    st.subheader(t("view.compare", lang))
    modes = {"plans": t("history.mode_plans", lang), "operation": t("history.mode_operation", lang)}
    mode = st.radio(
        t("history.mode", lang),
        list(modes),
        format_func=modes.get,
        horizontal=True,
        key="compare_mode",
    )
    if mode == "operation":
        render_history(ctx)
        return
    plans = Plans.for_operation(ctx.operation).list()
    if len(plans) < 2:
        planner = ctx.actor.may(Action.PLAN, ctx.operation.key)
        key = "compare.need_two" if planner else "compare.need_two_viewer"
        st.info(t(key, lang, n=max(len(plans), 1)))  # none saved: the initial plan only
        return
    a, b = _pick(plans, lang)
    if a.plan_id == b.plan_id:
        st.warning(t("compare.same_plan", lang))
        return
    try:
        comparison = cached_comparison(
            str(ctx.path), ctx.signature, (a.plan_id, a.version), (b.plan_id, b.version)
        )
    except PoskoError as exc:
        st.error(t("app.error", lang, error=localized(exc, lang)))
        return
    render_figures(comparison, lang)
    components.html(
        compare_maps_html(comparison, lang=lang, basemap=ctx.state.basemap or "none"),
        height=MAPS_HEIGHT_PX,
    )
    render_changed(comparison, lang)
    render_areas(comparison, lang)
    require(ctx.actor, Action.EXPORT, ctx.operation.key)  # the CSV and the briefing
    render_difference(ctx, comparison, lang)


@st.cache_data(show_spinner=False, max_entries=4)
def cached_history(
    earlier: str, earlier_signature: tuple, later: str, later_signature: tuple, moved_m: float
) -> OperationComparison:
    """The operation at `later` against the one at `earlier` (each with its current plan,
    analysed under its own settings), once per version of each (`*_signature`)."""
    del earlier_signature, later_signature  # part of the cache key only
    first, second = (analyse(load_operation(Path(p))) for p in (earlier, later))
    return compare_operations(first, second, moved_m=moved_m)


def _earlier_choices(ctx: PageContext) -> dict[str, Path]:
    """The other operations the signed-in user may view, by key."""
    found = discover_operations(*operation_roots())
    here = Path(ctx.path).resolve()
    return {
        key: found[key] for key in ctx.actor.visible(found) if Path(found[key]).resolve() != here
    }


# Streamlit's data grid: each row (and the header) this many pixels, plus the frame's border
_ROW_PX = 35
_FRAME_PX = 3


def fitted_height(rows: int) -> int:
    """The height, px, that shows a table of `rows` rows whole (no scrolling inside it):
    Streamlit's own height holds ten rows at most."""
    return (rows + 1) * _ROW_PX + _FRAME_PX


def _readable_settings(choices: dict[str, Path]) -> dict[str, Settings]:
    """The settings of those of `choices` whose settings can be read, by key."""
    readable = {}
    for key, path in choices.items():
        try:
            readable[key] = load_settings(Path(path) / SETTINGS_FILE)
        except SettingsError:
            continue
    return readable


def default_earlier(later: Settings, choices: dict[str, Path]) -> str:
    """The earlier operation offered first: the one whose timeline began last before this
    one's (:func:`geo.history.earlier_operation`), else the first of `choices`. An operation
    whose settings cannot be read is never the default (choosing it shows its error)."""
    return earlier_operation(later, _readable_settings(choices)) or next(iter(choices))


def operation_titles(choices: dict[str, Path]) -> dict[str, str]:
    """Each of `choices` named by its settings title ("Pemilu 2024 — Polresta
    Pangkalpinang"), with its folder's key after a title another choice shares; one whose
    settings cannot be read by its key (choosing it shows its error)."""
    readable = _readable_settings(choices)
    titles = {key: readable[key].title for key in readable}
    shared = {title for title in titles.values() if list(titles.values()).count(title) > 1}
    return {
        key: (f"{titles[key]} ({key})" if titles[key] in shared else titles[key])
        if key in titles
        else key
        for key in choices
    }


def render_history(ctx: PageContext) -> None:
    """The open operation against an earlier one the planner picks: what changed, the
    figures side by side, the TPS lists, and the table's CSV."""
    lang = ctx.lang
    choices = _earlier_choices(ctx)
    if not choices:
        st.info(t("history.need_other", lang))
        return
    left, right = st.columns([3, 2])
    keys = list(choices)
    key = left.selectbox(
        t("history.pick_earlier", lang),
        keys,  # the keys stay the values: the choice survives a title's edit
        index=keys.index(default_earlier(ctx.operation.base_settings, choices)),
        format_func=operation_titles(choices).get,
        key="history_earlier",
    )
    moved_m = right.number_input(
        t("history.moved_m", lang),
        min_value=1.0,
        value=MOVED_M,
        step=25.0,
        format="%.0f",
        key="history_moved_m",
    )
    require(ctx.actor, Action.VIEW, key)
    earlier = choices[key]
    try:
        comparison = cached_history(
            str(earlier), operation_signature(earlier), str(ctx.path), ctx.signature, moved_m
        )
    except PoskoError as exc:
        st.error(t("app.error", lang, error=localized(exc, lang)))
        return
    for line in history_lead(comparison, lang):
        st.markdown(md(line))
    lessons = lessons_table(comparison, lang)
    st.dataframe(
        lessons,
        hide_index=True,
        width="stretch",
        height=fitted_height(len(lessons)),
        key="history_table",
    )
    distance = format_distance(comparison.moved_m, lang)
    for which in ("added", "removed", "moved", "risk_changed"):
        rows = getattr(comparison, which)
        title = t(f"history.{which}", lang, n=format_int(len(rows), lang), distance=distance)
        st.markdown(f"**{md(title)}**")
        if rows.empty:
            st.caption(t("brief.none", lang))
            continue
        st.dataframe(
            _lesson_rows(rows, lang), hide_index=True, width="stretch", key=f"history_{which}"
        )
    require(ctx.actor, Action.EXPORT, ctx.operation.key)
    pair = f"{key!r} vs {ctx.operation.key!r}"
    st.download_button(
        t("history.download_csv", lang),
        data=audited_data(
            ctx, AuditAction.EXPORT_CSV, f"operations table {pair}", lambda: comparison.csv(lang)
        ),
        file_name=f"pelajaran-{key}-{ctx.operation.key}.csv",
        mime="text/csv",
        key="history_csv",
        on_click="ignore",
    )


def lessons_table(comparison: OperationComparison, lang: str) -> pd.DataFrame:
    """The side-by-side figures as display text (the score to 0.1, changes signed), without
    the section column (each item names its subject; a phone has no room for it)."""
    return _shown_figures(comparison.table(lang), lang).iloc[:, 1:]


def _shown_figures(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A difference table (section, item, A, B, change) as display text."""
    score = t("compare.row.weighted_score", lang)
    shown = table.copy()
    for column in table.columns[2:]:
        shown[column] = [
            format_number(
                v, lang, decimals=1 if item == score else 0, sign=column == table.columns[4]
            )
            for v, item in zip(table[column], table.iloc[:, 1], strict=True)
        ]
    return shown


def _lesson_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A lessons list for display: number, kelurahan, name, then its class or change."""
    shown = {
        t("col.tps_no", lang): ["" if pd.isna(n) else str(int(n)) for n in rows["tps_no"]],
        t("col.kelurahan", lang): rows["kelurahan"].to_numpy(),
        t("col.name", lang): rows["name"].to_numpy(),
    }
    if "risk" in rows:
        shown[t("col.risk", lang)] = [label("risk", r, lang) for r in rows["risk"]]
    if "distance_m" in rows:
        shown[t("history.col.moved", lang)] = [format_distance(m, lang) for m in rows["distance_m"]]
    if "risk_earlier" in rows:
        shown[t("history.col.risk_earlier", lang)] = [
            label("risk", r, lang) for r in rows["risk_earlier"]
        ]
        shown[t("history.col.risk_later", lang)] = [
            label("risk", r, lang) for r in rows["risk_later"]
        ]
    return pd.DataFrame(shown)


def render_figures(comparison: PlanComparison, lang: str) -> None:
    """The headline figures of A and B side by side, B's with its change from A."""
    columns = st.columns(2)
    for side, column in zip(("a", "b"), columns, strict=True):
        analysis = getattr(comparison, side)
        other = comparison.a
        tps = analysis.by_kind()["polling_station"]
        demo = analysis.by_kind()["demonstration_point"]
        plan = analysis.staffing
        column.markdown(
            f"**{md(t('compare.side', lang, side=side.upper(), plan=plan_label(analysis, lang)))}**"
        )
        cells = column.columns(4)
        delta = side == "b"
        a_tps = other.by_kind()["polling_station"]
        cells[0].metric(
            t("metric.tps_covered", lang),
            format_share(shown_share(tps), lang),
            delta=format_number(tps.covered - a_tps.covered, lang, sign=True) if delta else None,
            help=t(
                "metric.of",
                lang,
                covered=format_int(tps.covered, lang),
                total=format_int(tps.total, lang),
            ),
        )
        cells[1].metric(
            t("compare.row.weighted_score", lang),
            format_share(shown_weighted_score(analysis), lang),
        )
        cells[2].metric(t("compare.section.demonstration", lang), f"{demo.covered} / {demo.total}")
        shortfall = plan.total("shortfall")
        cells[3].metric(
            t("staff.shortfall", lang),
            format_int(shortfall, lang),
            delta=format_number(shortfall - other.staffing.total("shortfall"), lang, sign=True)
            if delta
            else None,
            delta_color="inverse",
        )


def changed_table(comparison: PlanComparison, which: str, lang: str) -> pd.DataFrame:
    """The TPS gained or lost as a display table, gravest first."""
    rows = getattr(comparison, which)
    return pd.DataFrame(
        {
            t("col.tps_no", lang): rows["tps_no"].to_numpy(),
            t("col.name", lang): rows["name"].to_numpy(),
            t("col.kelurahan", lang): rows["kelurahan"].to_numpy(),
            t("col.risk", lang): [label("risk", r, lang) for r in rows["risk"]],
            t("compare.col.post_a", lang): [
                f"{p} ({format_distance(m, lang)})"
                for p, m in zip(rows["post_a"], rows["post_m_a"], strict=True)
            ],
            t("compare.col.post_b", lang): [
                f"{p} ({format_distance(m, lang)})"
                for p, m in zip(rows["post_b"], rows["post_m_b"], strict=True)
            ],
        }
    )


def _tinted(table: pd.DataFrame, which: str) -> Styler:
    """The table with every row tinted in its map colour (gained green, lost magenta)."""
    tint = f"background-color: {_ROW_TINT[which]}"
    return table.style.apply(lambda row: [tint] * len(row), axis=1)


def render_changed(comparison: PlanComparison, lang: str) -> None:
    """The TPS lost and gained, each list gravest first, rows tinted as on the map."""
    if comparison.gained.empty and comparison.lost.empty:
        st.success(t("compare.no_change", lang))
        return
    for which in ("lost", "gained"):
        rows = getattr(comparison, which)
        st.markdown(f"**{md(t(f'compare.{which}', lang, n=format_int(len(rows), lang)))}**")
        if rows.empty:
            st.caption(t("brief.none", lang))
            continue
        st.dataframe(
            _tinted(changed_table(comparison, which, lang), which),
            hide_index=True,
            width="stretch",
            key=f"compare_{which}",
        )


def render_areas(comparison: PlanComparison, lang: str) -> None:
    """Covered TPS per area of the level the planner picks, in A and B, with the change."""
    levels = list(comparison.a.site_areas)
    if not levels:
        return
    st.subheader(t("app.by_area", lang))
    level = st.selectbox(
        t("app.area_level", lang),
        levels,
        key="compare_area_level",
        format_func=lambda code: label("area_level", code, lang).capitalize(),
    )
    table = comparison.by_area(level)
    shown = pd.DataFrame(
        {
            t("col.area", lang): [
                area_text(c, n, lang)
                for c, n in zip(table["area_code"], table["area"], strict=True)
            ],
            t("col.total", lang): table["tps"],
            "A": table["covered_a"],
            "B": table["covered_b"],
            t("compare.col.difference", lang): [
                format_number(d, lang, sign=True) for d in table["difference"]
            ],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="compare_areas")


def render_difference(ctx: PageContext, comparison: PlanComparison, lang: str) -> None:
    """The difference table, its CSV, and the comparison briefing."""
    st.subheader(t("compare.difference_table", lang))
    shown = _shown_figures(comparison.table(lang), lang)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=fitted_height(len(shown)),
        key="compare_table",
    )
    key = comparison.a.operation.key

    def csv() -> str:
        return comparison.csv(lang)

    st.download_button(
        t("compare.download_csv", lang),
        data=audited_data(ctx, AuditAction.EXPORT_CSV, _what(comparison, briefing=False), csv),
        file_name=f"perbandingan-{key}.csv",
        mime="text/csv",
        key="compare_csv",
        on_click="ignore",
    )
    paper = st.radio(t("app.brief_paper", lang), PAPERS, key="compare_paper", horizontal=True)

    def build() -> str:
        return comparison_briefing_html(
            comparison,
            lang=lang,
            paper=paper,
            exported_at=datetime.now().astimezone(),
            exported_by=ctx.actor.name,
        )

    what = on_paper(_what(comparison, briefing=True), paper)
    st.download_button(
        t("compare.download_brief", lang),
        data=audited_data(ctx, AuditAction.EXPORT_BRIEFING, what, build),
        file_name=f"briefing-perbandingan-{key}.html",
        mime="text/html",
        key="compare_brief",
        on_click="ignore",
    )


def _what(comparison: PlanComparison, *, briefing: bool) -> Text:
    return comparison_what(comparison.a, comparison.b, briefing=briefing)


if __name__ == "__main__":
    render(current_page())
