"""The import page: upload a site list, choose, read the report, fix, preview and save."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile
from streamlit_folium import st_folium

from geo.access import Action, Actor, require
from geo.errors import PoskoError
from geo.fields import MAPPABLE, CoordinateColumns
from geo.guard import ImportSummary, match_rows, summarise_import
from geo.importer import (
    LEAD_CODES,
    SHOWN_ROWS,
    ImportChoices,
    ImportContext,
    ImportReport,
    Issue,
    IssueGroup,
    Severity,
    apply_fix,
    import_table,
)
from geo.io import SUPPORTED_SUFFIXES, Deadline, RawTable, read_error, read_table
from geo.matching import MatchStatus
from geo.model import Col, Kind, PostType
from geo.operation import Operation, plan_import, rollback, save_sites, store_for
from geo.plans import Plans
from geo.store import Version
from geo.text import format_distance, format_int, format_number, format_share, label, localized, t
from layers.preview import preview_map
from pages.import_areas import render_area_import
from pages.import_roads import ROAD_SUFFIXES, render_road_import
from pages.shared import (
    cached_operation,
    history_table,
    md,
    private_uploads_dir,
    purge_uploads,
    rejected_download,
    serve_offline,
    upload_path,
    write_private,
)
from pages.state import AppState, Key, PageContext, current_page

__all__ = [
    "FILL_FRAME_CSS",
    "apply_fix_choice",
    "cached_import",
    "chosen_post_types",
    "far_rows",
    "fill_frame",
    "issue_groups_table",
    "keep_upload",
    "render",
    "saved_text",
]

# Reset on every new upload; the kind choice ("Semua baris adalah …") is kept (see AppState).
_IMPORT_KEYS = (
    Key.IMPORT_LAYER,
    "imp_crs",
    "imp_swap",
    "imp_row_fixes",
    "imp_strict",
    "imp_accept_far",
    "imp_coord_mode",
    "imp_x",
    "imp_y",
    "imp_pair",
    "imp_wkt",
    *(f"imp_map_{f}" for f in MAPPABLE),
)
_AUTO, _NONE = "__auto__", "__none__"
FILL_FRAME_CSS = "<style>#map_div { height: 100vh !important; }</style>"
_POST_TYPE_PREFIX = "imp_pt_"  # one selectbox per post-type value the file leaves unknown
_POST_TYPE_VALUES = "imp_pt_values"  # widget key -> the cell value it maps


def keep_upload(upload: UploadedFile, limit_mb: float, state: AppState) -> Path:
    """Write a newly uploaded file to the private uploads folder (once per upload; 0600 in
    0700 folders), deleting uploads older than a day."""
    if state.import_file_id == upload.file_id:
        return Path(state.import_path)
    data = upload.getvalue()
    if len(data) > limit_mb * 1e6:
        raise read_error(
            "read.too_large",
            file=upload.name,
            size=f"{len(data) / 1e6:.1f} MB",
            limit=f"{limit_mb:g} MB",
        )
    digest = hashlib.sha256(data).hexdigest()
    folder = private_uploads_dir()
    purge_uploads(folder)
    path = upload_path(folder, digest, upload.name)
    write_private(path, data)
    state.forget(_IMPORT_KEYS)
    state.forget([k for k in list(state.store) if k.startswith(_POST_TYPE_PREFIX)])
    state.import_file_id = upload.file_id
    state.import_path = str(path)
    state.import_sha = digest
    state.import_saved = None
    return path


@st.cache_data(show_spinner=False, max_entries=4)
def cached_raw(
    path: str, name: str, layer: str | None, max_rows: int, time_budget_s: float
) -> RawTable:
    """Read an uploaded file once per layer, stopping past the operation's row limit or
    its time budget."""
    deadline = Deadline(time_budget_s, name)
    return read_table(Path(path), layer=layer, name=name, max_rows=max_rows, deadline=deadline)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_import(
    path: str, name: str, choices: ImportChoices, op_path: str, op_signature: tuple
) -> ImportReport:
    """Check an uploaded file under the planner's current choices and the operation's context."""
    operation = cached_operation(op_path, op_signature)
    context = ImportContext.for_operation(operation)
    raw = cached_raw(path, name, choices.layer, context.max_rows, context.time_budget_s)
    return import_table(raw, choices, context)


def import_choices(raw: RawTable, lang: str) -> ImportChoices:
    """Widgets for the planner's choices; returns them (hashable: a cache key)."""
    columns = [str(c) for c in raw.attributes.columns]
    cols = st.columns(3)
    kinds = ["", *(k.value for k in Kind)]
    cols[0].selectbox(
        t("imp.kind", lang),
        kinds,
        key=Key.IMPORT_KIND,
        format_func=lambda k: label("kind", k, lang) if k else t("imp.kind_column", lang),
    )
    cols[1].text_input(t("imp.crs", lang), key="imp_crs")
    with cols[2]:
        st.checkbox(t("imp.swap", lang), key="imp_swap")
        st.checkbox(t("imp.row_fixes", lang), key="imp_row_fixes")
        st.checkbox(t("imp.strict", lang), key="imp_strict")
        st.number_input(t("imp.accept_far", lang), min_value=0, step=1, key="imp_accept_far")
    coordinates = None
    if raw.geometry is None:
        coordinates = coordinate_choice(columns, lang)
    mapping: dict[str, str | None] = {}
    with st.expander(t("imp.mapping", lang)):
        grid = st.columns(3)
        for i, canonical in enumerate(MAPPABLE):
            choice = grid[i % 3].selectbox(
                t(f"col.{canonical}", lang),
                [_AUTO, _NONE, *columns],
                key=f"imp_map_{canonical}",
                format_func=lambda c: (
                    t("imp.auto", lang) if c == _AUTO else t("imp.none", lang) if c == _NONE else c
                ),
            )
            if choice != _AUTO:
                mapping[canonical] = None if choice == _NONE else choice
    state = st.session_state
    return ImportChoices(
        kind=Kind(state[Key.IMPORT_KIND]) if state[Key.IMPORT_KIND] else None,
        crs=state["imp_crs"],
        layer=state.get(Key.IMPORT_LAYER),
        mapping=tuple(mapping.items()),
        coordinates=CoordinateColumns(**dict(coordinates)) if coordinates else None,
        swap_axes=state["imp_swap"],
        row_fixes=state["imp_row_fixes"],
        strict=state["imp_strict"],
        accept_far=int(state.get("imp_accept_far") or 0),
        post_types=chosen_post_types(state),
    )


def chosen_post_types(store: Mapping[str, Any]) -> dict[str, PostType]:
    """The post types chosen (in earlier runs) for the values the file leaves unknown."""
    values = store.get(_POST_TYPE_VALUES, {})
    return {
        value: PostType(store[key])
        for key, value in values.items()
        if store.get(key) in {p.value for p in PostType}
    }


def post_type_choice(report: ImportReport, state: AppState, lang: str) -> None:
    """One choice per post-type value that names no post type; unchosen rows stay rejected.

    The choices are read on the next run (:func:`chosen_post_types`), which checks the file
    again with them.
    """
    if not report.post_type_values:
        return
    keys = {
        f"{_POST_TYPE_PREFIX}{hashlib.sha1(v.encode()).hexdigest()[:12]}": v
        for v in report.post_type_values
    }
    state.store[_POST_TYPE_VALUES] = {**state.store.get(_POST_TYPE_VALUES, {}), **keys}
    st.markdown(f"**{t('imp.post_types', lang)}**")
    cols = st.columns(3)
    options = ["", *(p.value for p in PostType)]
    for i, (key, value) in enumerate(keys.items()):
        cols[i % 3].selectbox(
            value or t("imp.post_type_empty", lang),
            options,
            key=key,
            format_func=lambda p: (
                label("post_type", p, lang) if p else t("imp.post_type_reject", lang)
            ),
        )


def coordinate_choice(columns: list[str], lang: str) -> tuple | None:
    """Coordinate columns: automatic, or two columns, one "lat, lon" column, or WKT."""
    modes = ["auto", "xy", "pair", "wkt"]
    mode = st.radio(
        t("imp.coords", lang),
        modes,
        key="imp_coord_mode",
        horizontal=True,
        format_func=lambda m: {
            "auto": t("imp.auto", lang),
            "xy": f"{t('imp.coord_x', lang)} + {t('imp.coord_y', lang)}",
            "pair": t("imp.coord_pair", lang),
            "wkt": t("imp.coord_wkt", lang),
        }[m],
    )
    if mode == "auto" or not columns:
        return None
    if mode == "xy":
        cols = st.columns(2)
        x = cols[0].selectbox(t("imp.coord_x", lang), columns, key="imp_x")
        y = cols[1].selectbox(t("imp.coord_y", lang), columns, key="imp_y")
        return (("x", x), ("y", y))
    if mode == "pair":
        return (("pair", st.selectbox(t("imp.coord_pair", lang), columns, key="imp_pair")),)
    return (("wkt", st.selectbox(t("imp.coord_wkt", lang), columns, key="imp_wkt")),)


def apply_fix_choice(fix_id: str) -> None:
    """Button callback: set the widgets a one-click fix stands for."""
    choices = apply_fix(ImportChoices(), fix_id)
    if choices.crs:
        st.session_state["imp_crs"] = choices.crs
    st.session_state["imp_swap"] = st.session_state.get("imp_swap") or choices.swap_axes
    st.session_state["imp_row_fixes"] = st.session_state.get("imp_row_fixes") or choices.row_fixes


def render_file_findings(report: ImportReport, lang: str) -> None:
    """The file-level findings; behind a leading one (a list of another operation) the rest
    fold away, so that CRS and risk-column notes do not drown it."""
    file_issues = [i for i in report.issues if i.row is None]
    leads = [i for i in file_issues if i.code in LEAD_CODES]
    rest = [i for i in file_issues if i.code not in LEAD_CODES]
    for issue in leads:
        _show_issue(issue, lang)
    if leads and rest:
        with st.expander(t("imp.other_findings", lang, n=len(rest))):
            for issue in rest:
                _show_issue(issue, lang)
        return
    for issue in rest:
        _show_issue(issue, lang)


def _show_issue(issue: Issue, lang: str) -> None:
    show = {Severity.ERROR: st.error, Severity.WARNING: st.warning, Severity.INFO: st.info}
    text = issue.message(lang) + (f" — {issue.fix(lang)}" if issue.fix_text else "")
    show[issue.severity](md(text))


def render_report(report: ImportReport, lang: str) -> None:
    """Counts, file-level findings, offered fixes and the filterable per-row report."""
    counts = report.counts
    cols = st.columns(3)
    cols[0].metric(t("imp.rows_read", lang), format_int(counts["rows_read"], lang))
    cols[1].metric(t("imp.accepted", lang), format_int(counts["accepted"], lang))
    cols[2].metric(t("imp.rejected", lang), format_int(counts["rejected"], lang))
    render_file_findings(report, lang)
    if report.fixes:
        st.caption(t("imp.fixes", lang))
        for fix in report.fixes:
            st.button(
                fix.label(lang), key=f"fix_{fix.id}", on_click=apply_fix_choice, args=(fix.id,)
            )
    groups = report.groups()
    if not groups:
        return
    st.subheader(t("imp.report", lang))
    st.caption(t("imp.report_grouped", lang, n=SHOWN_ROWS))
    cols = st.columns(2)
    severities = cols[0].multiselect(
        t("imp.filter_severity", lang),
        [s.value for s in Severity],
        default=[Severity.ERROR.value, Severity.WARNING.value],
        key="imp_filter_severity",
        format_func=lambda s: t(f"sev.{s}", lang),
        placeholder=t("app.choose", lang),
    )
    codes = cols[1].multiselect(
        t("imp.filter_code", lang),
        sorted({g.code for g in groups}),
        key="imp_filter_code",
        placeholder=t("app.choose", lang),
    )
    shown = [g for g in groups if g.severity in severities and (not codes or g.code in codes)]
    st.dataframe(
        issue_groups_table(shown, lang), hide_index=True, width="stretch", key="imp_issue_table"
    )
    st.download_button(
        t("imp.download_issues", lang),
        data=lambda: report.issues_csv(lang),
        file_name=f"findings-{Path(report.file_name).stem}.csv",
        mime="text/csv",
        key="imp_download_issues",
        on_click="ignore",
    )


def issue_groups_table(groups: Sequence[IssueGroup], lang: str) -> pd.DataFrame:
    """One line per issue code and severity: the count, the first issue's message and fix,
    and the first rows' numbers (headers in `lang`)."""
    rows = [
        {
            "severity": t(f"sev.{g.severity.value}", lang),
            "code": g.code,
            "count": g.count,
            "message": g.first[0].message(lang),
            "fix": g.first[0].fix(lang),
            "first_rows": ", ".join(str(r) for r in g.rows)
            + (" …" if g.count > len(g.rows) else ""),
        }
        for g in groups
    ]
    columns = ["severity", "code", "count", "message", "fix", "first_rows"]
    table = pd.DataFrame(rows, columns=columns)
    return table.rename(columns={c: t(f"col.{c}", lang) for c in columns})


def far_rows(report: ImportReport, lang: str) -> pd.DataFrame:
    """Rows beyond the operation's area margin (accepted or not), with their distance."""
    rows = [
        {
            t("col.row", lang): i.row,
            t("col.severity", lang): t(f"sev.{i.severity}", lang),
            t("col.distance", lang): format_distance(float(i.text.params["distance_m"]), lang),
        }
        for i in report.issues
        if i.code == "far_from_area" and i.row
    ]
    return pd.DataFrame(rows)


def render_preview(operation: Operation, report: ImportReport, state: AppState, lang: str) -> None:
    """The file's rows by kind over the operation's areas and (muted) sites; rejected rows
    marked; far rows listed, not zoomed to."""
    if report.accepted.empty and not report.rejected_at:
        return
    st.subheader(t("imp.preview", lang))
    far = {
        f"{report.file_name}:{i.row}" for i in report.issues if i.code == "far_from_area" and i.row
    }
    preview = preview_map(
        report.accepted,
        lang=lang,
        basemap=state.basemap,
        areas=operation.areas,
        existing=operation.list_sites,
        rejected=report.rejected_at,
        far_sources=sorted(far),
    )
    serve_offline(preview)
    fill_frame(preview)
    st_folium(preview, key="preview_map", height=420, use_container_width=True, returned_objects=[])
    listed = far_rows(report, lang)
    if not listed.empty:
        st.caption(t("imp.far_list", lang))
        st.dataframe(listed, hide_index=True, key="imp_far_rows")


def fill_frame(preview: folium.Map) -> None:
    """Let a preview map fill its frame: the app sizes every map frame to the screen, and a
    map of fixed height left the rest of the frame blank under it."""
    preview.get_root().header.add_child(folium.Element(FILL_FRAME_CSS), name="posko_fill")


def render_matches(rows: pd.DataFrame, lang: str) -> None:
    """What each accepted row does (new, update with its fields, unchanged, conflict),
    filterable by result."""
    if rows.empty:
        return
    st.subheader(t("imp.matches", lang))
    statuses = [s.value for s in MatchStatus]
    chosen = st.multiselect(
        t("imp.filter_match", lang),
        statuses,
        default=[s for s in statuses if s != MatchStatus.UNCHANGED] or statuses,
        key="imp_filter_match",
        format_func=lambda s: t(f"match.{s}", lang),
        placeholder=t("app.choose", lang),
    )
    shown = rows[rows["match"].isin(chosen)] if chosen else rows
    shown = shown.assign(
        match=shown["match"].map(lambda s: t(f"match.{s}", lang)),
        kind=shown["kind"].map(lambda k: label("kind", k, lang)),
    )
    st.dataframe(
        shown.rename(columns={c: t(f"col.{c}", lang) for c in shown.columns}),
        hide_index=True,
        width="stretch",
        key="imp_match_table",
    )


def saved_text(version: Version, summary: ImportSummary, lang: str) -> str:
    """The success message after a save: the new version and the map's new figures."""
    after = summary.after
    return t(
        "imp.saved_figures",
        lang,
        version=version.version,
        sites=format_int(version.sites, lang),
        tps=format_int(after.tps, lang),
        share=format_share(after.covered_share, lang),
        uncovered=format_int(after.uncovered_tps, lang),
        police=format_int(after.police_needed, lang),
    )


def render_save(
    operation: Operation, report: ImportReport, state: AppState, lang: str, actor: Actor
) -> None:
    """Save the accepted rows into the operation's workspace as a new version, in the name of
    the signed-in `actor`."""
    if report.accepted.empty:
        st.warning(t("imp.nothing", lang))
        return
    st.radio(
        t("imp.mode", lang),
        ["merge", "replace"],
        key=Key.IMPORT_MODE,
        horizontal=True,
        format_func=lambda m: t(f"imp.mode_{m}", lang),
    )
    replace_kinds = state.import_mode == "replace"
    try:
        merge = plan_import(operation, report.accepted, replace_kinds=replace_kinds)
        summary = summarise_import(operation, merge, far=report.far_accepted)
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    render_matches(match_rows(report.accepted, merge, lang=lang), lang)
    render_summary(summary, lang)
    if (report.accepted[Col.KIND] == Kind.POLICE_POST).any() and Plans(operation.path).list():
        st.info(t("plan.import_keeps_posts", lang))
    if not summary.changes_anything:
        if not state.import_saved:  # just saved: the success message says so already
            st.info(t("guard.no_change", lang))
            st.caption(t("guard.nothing_changes", lang, rows=len(report.accepted)))
        return
    confirmed = st.checkbox(confirm_text(summary, lang), key="imp_confirm")
    if st.button(t("imp.save", lang), type="primary", key="imp_save", disabled=not confirmed):
        try:
            require(actor, Action.IMPORT, operation.key)
            version = save_sites(
                operation,
                report.accepted,
                replace_kinds=replace_kinds,
                file_name=report.file_name,
                sha256=state.import_sha,
                counts=report.counts,
                who=actor.name,
                confirmed=confirmed,
            )
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        state.import_saved = saved_text(version, summary, lang)
        st.rerun()


def confirm_text(summary: ImportSummary, lang: str) -> str:
    """The confirmation the planner ticks: what the save changes, in numbers."""
    text = t(
        "imp.confirm",
        lang,
        added=format_int(sum(summary.added.values()), lang),
        updated=format_int(sum(summary.updated.values()), lang),
        removed=format_int(sum(summary.removed.values()), lang),
        tps_before=format_int(summary.before.tps, lang),
        tps_after=format_int(summary.after.tps, lang),
    )
    if summary.needs_confirmation:
        large = ", ".join(
            f"{label('kind', kind, lang)} {n}/{total}"
            for kind, (n, total) in sorted(summary.large.items())
        )
        text += " " + t("imp.confirm_large", lang, large=large)
    return text


def render_summary(summary: ImportSummary, lang: str) -> None:
    """Before and after the save: changes per kind and the map's headline figures."""
    st.subheader(t("imp.summary", lang))
    kinds = sorted({*summary.added, *summary.updated, *summary.removed})
    changes = pd.DataFrame(
        {
            t("col.kind", lang): [label("kind", k, lang) for k in kinds],
            t("imp.added", lang): [summary.added.get(k, 0) for k in kinds],
            t("imp.updated", lang): [summary.updated.get(k, 0) for k in kinds],
            t("imp.removed", lang): [summary.removed.get(k, 0) for k in kinds],
        }
    )
    if summary.far_rows:
        st.warning(
            t(
                "guard.far_rows",
                lang,
                n=format_int(summary.far_rows, lang),
                max_distance=format_distance(summary.far_max_m, lang),
            ),
            icon="⚠️",
        )
    if kinds:
        st.dataframe(changes, hide_index=True, key="imp_changes")
    st.caption(
        t("guard.unchanged_line", lang, unchanged=summary.unchanged, conflicts=summary.conflicts)
    )
    b, a = summary.before, summary.after
    cols = st.columns(4)
    cols[0].metric(
        t("guard.tps", lang),
        format_int(a.tps, lang),
        delta=_delta(a.tps - b.tps, lang),
    )
    share = round(100 * (a.covered_share - b.covered_share), 1)
    cols[1].metric(
        t("guard.share", lang),
        format_share(a.covered_share, lang),
        delta=_delta(share, lang, decimals=1, unit=" pp"),
    )
    cols[2].metric(
        t("guard.uncovered", lang),
        format_int(a.uncovered_tps, lang),
        delta=_delta(a.uncovered_tps - b.uncovered_tps, lang),
        delta_color="inverse",
    )
    cols[3].metric(
        t("guard.police", lang),
        format_int(a.police_needed, lang),
        delta=_delta(a.police_needed - b.police_needed, lang),
        delta_color="off",
    )


def _delta(change: float, lang: str, *, decimals: int = 0, unit: str = "") -> str | None:
    """A metric's change, or None when there is none: a green "+0,0 pp" reads as a gain."""
    if not change:
        return None
    return f"{format_number(change, lang, decimals=decimals, sign=True)}{unit}"


def render_history(operation: Operation, state: AppState, lang: str, actor: Actor) -> None:
    """Saved versions, and restoring an earlier one (in the name of the signed-in `actor`)."""
    store = store_for(operation.path)
    versions = store.history()
    if not versions:
        return
    with st.expander(t("imp.history", lang)):
        zone = str(operation.settings.time_zone)
        st.dataframe(history_table(versions, lang, zone), hide_index=True, width="stretch")
        older = [v.version for v in versions[:-1]]
        if older:
            chosen = st.selectbox(t("imp.rollback", lang), older, key="imp_rollback_version")
            sites = next(v.sites for v in versions if v.version == chosen)
            confirmed = st.checkbox(
                t(
                    "imp.confirm_rollback",
                    lang,
                    version=chosen,
                    now=format_int(len(operation.list_sites), lang),
                    sites=format_int(sites, lang),
                ),
                key="imp_rollback_confirm",
            )
            if st.button(t("imp.rollback", lang), key="imp_rollback", disabled=not confirmed):
                require(actor, Action.IMPORT, operation.key)
                version = rollback(operation, chosen, who=actor.name, confirmed=confirmed)
                state.import_saved = t("imp.rolled_back", lang, old=chosen, version=version.version)
                st.rerun()


_UPLOAD_LABELS = {"sites": "imp.upload", "areas": "imp.upload_areas", "roads": "imp.upload_roads"}


def _render_roads(ctx: PageContext, upload: UploadedFile | None) -> None:
    """The road part of the page (`pages.import_roads`) for the uploaded file, if any."""
    if upload is None:
        render_road_import(ctx, None, None)
        return
    try:
        path = keep_upload(upload, ctx.operation.settings.max_upload_mb, ctx.state)
    except PoskoError as exc:
        st.error(localized(exc, ctx.lang))
        return
    render_road_import(ctx, path, upload.name)


def file_kind_choice(lang: str) -> str:
    """What the file holds: sites ("sites"), boundaries ("areas") or roads ("roads")."""
    return st.radio(
        t("imp.what", lang),
        ["sites", "areas", "roads"],
        key="imp_what",
        horizontal=True,
        format_func=lambda w: t(f"imp.what_{w}", lang),
    )


def render(ctx: PageContext) -> None:
    """Upload, choices, report with fixes, preview map, rejected rows, save."""
    operation, state, lang = ctx.operation, ctx.state, ctx.lang
    require(ctx.actor, Action.IMPORT, operation.key)
    st.header(t("imp.title", lang))
    if state.import_saved:
        st.success(state.import_saved)
    # a lone .shp cannot be read without its .dbf/.shx/.prj: shapefiles come zipped
    suffixes = [s.lstrip(".") for s in SUPPORTED_SUFFIXES if s != ".shp"]
    what = file_kind_choice(lang)
    if what == "roads":
        suffixes = list(ROAD_SUFFIXES)
    upload = st.file_uploader(t(_UPLOAD_LABELS[what], lang), type=suffixes, key="imp_upload")
    if what == "roads":
        _render_roads(ctx, upload)
        return
    render_history(operation, state, lang, ctx.actor)
    if upload is None:
        st.info(t("imp.hint" if what == "sites" else "imp.areas_hint", lang))
        return
    if what == "areas":
        try:
            path = keep_upload(upload, operation.settings.max_upload_mb, state)
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        render_area_import(ctx, path, upload.name)
        return
    try:
        path = keep_upload(upload, operation.settings.max_upload_mb, state)
        raw = cached_raw(
            str(path),
            upload.name,
            state.import_layer,
            operation.settings.max_import_rows,
            float(operation.settings.import_time_budget_s),
        )
        if len(raw.layers) > 1:
            st.selectbox(t("imp.layer", lang), raw.layers, key=Key.IMPORT_LAYER)
        choices = import_choices(raw, lang)
        report = cached_import(
            str(path),
            upload.name,
            choices,
            str(ctx.path),
            ctx.signature,
        )
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    render_report(report, lang)
    post_type_choice(report, state, lang)
    render_preview(operation, report, state, lang)
    rejected_download(report, "imp_download_rejected", lang)
    render_save(operation, report, state, lang, ctx.actor)


if __name__ == "__main__":
    render(current_page())
