"""The import page's boundary part: a boundary file read into areas, its report, a preview
of the areas over the operation's, the before/after summary and the confirmed save."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.access import Action, Actor, require
from geo.areas import AreaChoices, AreaReport, Level, import_areas
from geo.errors import PoskoError
from geo.guard import AreaSummary, summarise_areas
from geo.importer import Severity
from geo.io import RawTable, read_table
from geo.operation import Operation, save_areas
from geo.text import format_int, format_share, label, localized, t
from layers.area_preview import area_preview_map
from pages.shared import cached_operation, md, rejected_download, serve_offline
from pages.state import AppState, PageContext

__all__ = ["area_choices", "cached_area_import", "cached_area_raw", "render_area_import"]

_AUTO, _NONE = "__auto__", "__none__"
_MAPPED = ("code", "name", "level", "parent")


@st.cache_data(show_spinner=False, max_entries=4)
def cached_area_raw(path: str, name: str, max_rows: int) -> RawTable:
    """Read an uploaded boundary file once."""
    return read_table(Path(path), name=name, max_rows=max_rows)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_area_import(
    path: str, name: str, choices: AreaChoices, op_path: str, op_signature: tuple
) -> AreaReport:
    """Read an uploaded boundary file under the planner's choices (names of derived levels
    from the operation's own areas)."""
    operation = cached_operation(op_path, op_signature)
    known = dict(zip(operation.areas["area_code"], operation.areas["name"], strict=True))
    raw = cached_area_raw(path, name, operation.settings.max_import_rows)
    return import_areas(raw, choices, known_names=known)


def area_choices(columns: list[str], lang: str) -> AreaChoices:
    """Widgets for the boundary choices; returns them (hashable: a cache key)."""
    cols = st.columns(3)
    level = cols[0].selectbox(
        t("imp.areas_level", lang),
        [_AUTO, *(level.value for level in Level)],
        key="imp_area_level",
        format_func=lambda v: t("imp.auto", lang) if v == _AUTO else label("area_level", v, lang),
    )
    crs = cols[1].text_input(t("imp.crs", lang), key="imp_area_crs")
    with cols[2]:
        approximate = st.checkbox(t("imp.areas_approximate", lang), key="imp_area_approximate")
        derive = st.checkbox(t("imp.areas_derive", lang), value=True, key="imp_area_derive")
    chosen: list[tuple[str, str | None]] = []
    with st.expander(t("imp.mapping", lang)):
        grid = st.columns(len(_MAPPED))
        for cell, field_name in zip(grid, _MAPPED, strict=True):
            column = cell.selectbox(
                t(f"imp.areas_field_{field_name}", lang),
                [_AUTO, _NONE, *columns],
                key=f"imp_area_map_{field_name}",
                format_func=lambda c: (
                    t("imp.auto", lang) if c == _AUTO else t("imp.none", lang) if c == _NONE else c
                ),
            )
            if column != _AUTO:
                chosen.append((field_name, None if column == _NONE else column))
    return AreaChoices(
        level=None if level == _AUTO else level,
        crs=crs or None,
        approximate=True if approximate else None,
        derive_parents=derive,
        columns=tuple(chosen),
    )


def render_area_report(report: AreaReport, lang: str) -> None:
    """Counts, areas per level, file-level findings and the per-row findings."""
    counts = report.counts
    cols = st.columns(4)
    cols[0].metric(t("imp.rows_read", lang), format_int(counts["rows_read"], lang))
    cols[1].metric(t("imp.accepted", lang), format_int(counts["accepted"], lang))
    cols[2].metric(t("imp.rejected", lang), format_int(counts["rejected"], lang))
    levels = ", ".join(f"{label('area_level', lv, lang)} {n}" for lv, n in report.levels.items())
    cols[3].metric(t("imp.areas_levels", lang), levels or "–")
    show = {Severity.ERROR: st.error, Severity.WARNING: st.warning, Severity.INFO: st.info}
    for issue in (i for i in report.issues if i.row is None):
        show[issue.severity](md(issue.message(lang)))
    rows = [i.as_dict(lang) for i in report.issues if i.row is not None]
    if rows:
        st.subheader(t("imp.report", lang))
        table = pd.DataFrame(rows)[["row", "severity", "code", "message"]]
        table["severity"] = table["severity"].map(lambda s: t(f"sev.{s}", lang))
        st.dataframe(
            table.rename(columns={c: t(f"col.{c}", lang) for c in table.columns}),
            hide_index=True,
            width="stretch",
            key="imp_area_issues",
        )


def render_area_summary(summary: AreaSummary, lang: str) -> None:
    """Areas per level before and after, and the map's figures that follow the areas."""
    st.subheader(t("imp.summary", lang))
    change = summary.change
    levels = sorted({*change.before, *change.after})
    st.dataframe(
        pd.DataFrame(
            {
                t("imp.areas_level", lang): [label("area_level", lv, lang) for lv in levels],
                t("imp.areas_before", lang): [change.before.get(lv, 0) for lv in levels],
                t("imp.areas_after", lang): [change.after.get(lv, 0) for lv in levels],
                t("imp.areas_replaced", lang): [
                    t("imp.yes" if lv in change.changed else "imp.no", lang) for lv in levels
                ],
            }
        ),
        hide_index=True,
        key="imp_area_changes",
    )
    b, a = summary.before, summary.after
    cols = st.columns(3)
    share = a.covered_share - b.covered_share
    cols[0].metric(
        t("guard.share", lang), format_share(a.covered_share, lang), delta=f"{100 * share:+.1f} pp"
    )
    cols[1].metric(
        t("guard.outside", lang),
        format_int(summary.outside_after, lang),
        delta=summary.outside_after - summary.outside_before,
        delta_color="inverse",
    )
    cols[2].metric(
        t("guard.police", lang),
        format_int(a.police_needed, lang),
        delta=a.police_needed - b.police_needed,
        delta_color="off",
    )


def confirm_areas_text(summary: AreaSummary, lang: str) -> str:
    """The confirmation the planner ticks: which levels are replaced, in numbers."""
    change = summary.change
    levels = ", ".join(
        t(
            "imp.areas_confirm_level",
            lang,
            level=label("area_level", lv, lang),
            before=change.before.get(lv, 0),
            after=change.after.get(lv, 0),
        )
        for lv in change.changed
    )
    return t("imp.areas_confirm", lang, levels=levels)


def render_area_save(
    operation: Operation, report: AreaReport, state: AppState, lang: str, actor: Actor
) -> None:
    """The guarded save: summary, a confirmation stating the change, the save button (in the
    name of the signed-in `actor`)."""
    if report.accepted.empty:
        st.warning(t("imp.nothing", lang))
        return
    try:
        summary = summarise_areas(operation, report.accepted)
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    render_area_summary(summary, lang)
    if not summary.changes_anything:
        st.info(t("guard.areas_nothing_changes", lang, areas=len(report.accepted)))
        return
    confirmed = st.checkbox(confirm_areas_text(summary, lang), key="imp_area_confirm")
    if st.button(t("imp.save", lang), type="primary", key="imp_area_save", disabled=not confirmed):
        try:
            require(actor, Action.IMPORT, operation.key)
            version = save_areas(
                operation,
                report.accepted,
                file_name=report.file_name,
                sha256=state.import_sha,
                counts=report.counts,
                who=actor.name,
                confirmed=confirmed,
            )
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        state.import_saved = t("imp.areas_saved", lang, version=version.version)
        st.rerun()


def render_area_import(ctx: PageContext, path: Path, name: str) -> None:
    """Choices, report, preview over the operation's areas, rejected rows and the save."""
    operation, state, lang = ctx.operation, ctx.state, ctx.lang
    require(ctx.actor, Action.IMPORT, operation.key)
    try:
        raw = cached_area_raw(str(path), name, operation.settings.max_import_rows)
        choices = area_choices([str(c) for c in raw.attributes.columns], lang)
        report = cached_area_import(str(path), name, choices, str(ctx.path), ctx.signature)
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    render_area_report(report, lang)
    if not report.accepted.empty:
        st.subheader(t("imp.areas_preview", lang))
        preview = area_preview_map(
            report.accepted, current=operation.areas, lang=lang, basemap=state.basemap
        )
        serve_offline(preview)
        st_folium(
            preview,
            key="area_preview_map",
            height=420,
            use_container_width=True,
            returned_objects=[],
        )
    rejected_download(report, "imp_area_download_rejected", lang)
    render_area_save(operation, report, state, lang, ctx.actor)
