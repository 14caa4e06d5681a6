"""The "Saran pos" page: where the next posts reach the most, or the fewest posts for full
coverage; the suggestion on the map, explained, and saved as a draft plan."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile
from streamlit_folium import st_folium

from geo.access import Action, require
from geo.analysis import Analysis, analyse
from geo.csvsafe import to_csv_safe
from geo.errors import PoskoError
from geo.importer import ImportReport
from geo.io import SUPPORTED_SUFFIXES, read_error
from geo.model import AuditAction, PostType
from geo.operation import Operation, load_operation
from geo.placement import (
    DEFAULT_SOURCES,
    Mode,
    Progress,
    Suggestion,
    SuggestOptions,
    default_grid_m,
    draft_name,
    read_candidate_file,
    save_draft,
    suggest,
    upload_summary,
)
from geo.plans import Plans, initial_plan_name
from geo.text import (
    Text,
    format_distance,
    format_int,
    format_share,
    format_share_change,
    label,
    localized,
    t,
)
from layers.export import PAPERS
from layers.suggest import (
    curve_svg,
    curve_table,
    posts_table,
    status_text,
    suggestion_lines,
    suggestion_map,
    unreachable_table,
)
from layers.suggest_brief import suggestion_briefing_html
from pages.exports import audited_data, on_paper
from pages.import_page import render_report
from pages.plans_panel import Draft, reload_draft
from pages.registry import PAGES
from pages.shared import md, private_uploads_dir, serve_offline, upload_path, write_private
from pages.state import Key, PageContext, current_page

__all__ = ["compute", "options_from", "render"]

_RESULT = "sug_result"  # (choices key, Suggestion) of the last run
_SITE_SOURCES = [str(s) for s in DEFAULT_SOURCES]
_MAP_PAGE = next(p for p in PAGES if p.key == "map")
# the app's CSS sizes every map frame to the screen: the map fills its frame (no blank
# band under it)
_FILL_FRAME_CSS = "<style>#map_div { height: 100vh !important; }</style>"


def options_from(store: Mapping[str, Any], operation: Operation) -> SuggestOptions:
    """The planner's choices on this page as suggestion options (widget keys ``sug_*``).

    Raises
    ------
    ValidationError
        When a value is out of range.
    """
    post_type = PostType(store.get("sug_type", PostType.POS_PAM.value))
    grid = None
    if store.get("sug_grid"):
        grid = float(store.get("sug_grid_m") or default_grid_m(operation, post_type))
    limit = int(store.get("sug_max_kel") or 0)
    return SuggestOptions(
        mode=Mode(store.get("sug_mode", Mode.ADD.value)),
        k=int(store.get("sug_k", 3)),
        post_type=post_type,
        sources=tuple(store.get("sug_sources", _SITE_SOURCES)),
        grid_m=grid,
        per_kecamatan=bool(store.get("sug_per_kec", False)),
        max_per_kelurahan=limit or None,
        demo_weight=float(store.get("sug_demo_w", 0.0)),
        building_weight=float(store.get("sug_building_w", 0.0)),
        time_limit_s=float(store.get("sug_time", 60.0)),
    )


def compute(
    operation: Operation,
    options: SuggestOptions,
    report: ImportReport | None = None,
    progress: Progress | None = None,
) -> Suggestion:
    """The suggestion for the page's choices (what `posko suggest` computes for the same).

    Raises
    ------
    PoskoError
        When a choice cannot be met (catalog message).
    """
    upload = upload_summary(report) if report is not None else None
    uploaded = report.accepted if report is not None else None
    return suggest(operation, options, uploaded=uploaded, upload=upload, progress=progress)


def _plan_choice(ctx: PageContext, lang: str) -> Operation:
    """The plan whose posts stay (default: the operation's current plan)."""
    infos = Plans.for_operation(ctx.operation).list()
    names = [i.name for i in infos] or [initial_plan_name(ctx.operation.base_settings.language)]
    current = next((i.name for i in infos if i.current), names[0])
    chosen = st.selectbox(
        t("suggest.plan", lang), names, index=names.index(current), key="sug_plan"
    )
    if chosen == current:
        return ctx.operation
    return load_operation(ctx.path, plan=chosen)


def _choices(operation: Operation, lang: str) -> None:
    """The widgets of the planner's choices (read back by :func:`options_from`)."""
    cols = st.columns(3)
    cols[0].radio(
        t("suggest.mode", lang),
        [m.value for m in Mode],
        key="sug_mode",
        format_func=lambda m: t(f"suggest.mode.{m}", lang),
    )
    if st.session_state.get("sug_mode", Mode.ADD.value) == Mode.ADD:
        cols[0].number_input(t("suggest.k", lang), 1, 500, 3, step=1, key="sug_k")
    post_type = cols[1].selectbox(
        t("suggest.type", lang),
        [p.value for p in PostType],
        index=list(PostType).index(PostType.POS_PAM),
        key="sug_type",
        format_func=lambda p: label("post_type", p, lang),
    )
    radius = operation.settings.radius_m[PostType(post_type)]
    cols[1].caption(t("suggest.radius", lang, radius=format_distance(radius, lang)))
    cols[2].multiselect(
        t("suggest.sources", lang),
        _SITE_SOURCES,
        default=_SITE_SOURCES,
        key="sug_sources",
        format_func=lambda s: t(f"suggest.source.{s}", lang),
        placeholder=t("app.choose", lang),
    )
    grid = cols[2].checkbox(t("suggest.grid", lang), key="sug_grid")
    if grid:
        cols[2].number_input(
            t("suggest.grid_m", lang),
            min_value=10.0,
            max_value=100_000.0,
            value=float(default_grid_m(operation, PostType(post_type))),
            step=50.0,
            key="sug_grid_m",
        )
    with st.expander(t("suggest.limits", lang)):
        lim = st.columns(3)
        lim[0].checkbox(t("suggest.per_kecamatan", lang), key="sug_per_kec")
        lim[0].number_input(
            t("suggest.max_per_kelurahan", lang), 0, 500, 0, step=1, key="sug_max_kel"
        )
        lim[1].number_input(t("suggest.demo_weight", lang), 0.0, 100.0, 0.0, key="sug_demo_w")
        lim[1].number_input(
            t("suggest.building_weight", lang), 0.0, 100.0, 0.0, key="sug_building_w"
        )
        lim[2].number_input(t("suggest.time_limit", lang), 1.0, 600.0, 60.0, key="sug_time")


def _keep_upload(upload: UploadedFile, limit_mb: float) -> Path:
    """The uploaded candidate list, written once to the private uploads folder."""
    data = upload.getvalue()
    if len(data) > limit_mb * 1e6:
        raise read_error(
            "read.too_large",
            file=upload.name,
            size=f"{len(data) / 1e6:.1f} MB",
            limit=f"{limit_mb:g} MB",
        )
    digest = hashlib.sha256(data).hexdigest()
    path = upload_path(private_uploads_dir(), digest, upload.name)
    if not path.exists():
        write_private(path, data)
    return path


def _candidate_file(operation: Operation, lang: str) -> ImportReport | None:
    """The planner's candidate list, read by the importer, with its report shown."""
    suffixes = [s.lstrip(".") for s in SUPPORTED_SUFFIXES if s != ".shp"]
    upload = st.file_uploader(t("suggest.upload", lang), type=suffixes, key="sug_upload")
    if upload is None:
        return None
    path = _keep_upload(upload, operation.settings.max_upload_mb)
    report = read_candidate_file(path, operation, name=upload.name)
    with st.expander(t("suggest.upload_report", lang, file=upload.name), expanded=False):
        render_report(report, lang)
    return report


def _run(operation: Operation, options: SuggestOptions, report: ImportReport | None, lang: str):
    """Compute with a progress box listing each step."""
    with st.status(t("suggest.running", lang), expanded=True) as status:
        suggestion = compute(operation, options, report, lambda s: status.write(s.render(lang)))
        status.update(label=t("suggest.done", lang), state="complete", expanded=False)
    return suggestion


def _render_figures(suggestion: Suggestion, lang: str) -> None:
    b, a = suggestion.before, suggestion.after
    cols = st.columns(4)
    cols[0].metric(t("suggest.new_posts", lang), format_int(len(suggestion.posts), lang))
    cols[1].metric(
        t("suggest.col.tps_covered", lang),
        f"{format_int(a.tps_covered, lang)} / {format_int(a.tps_total, lang)}",
        delta=f"+{format_int(a.tps_covered - b.tps_covered, lang)}",
    )
    cols[2].metric(
        t("suggest.col.score", lang),
        format_share(a.weighted_score, lang),
        delta=format_share_change(a.weighted_score - b.weighted_score, lang),
    )
    cols[3].metric(t("suggest.unreachable", lang), format_int(len(suggestion.unreachable), lang))
    st.caption(md(suggestion_lines(suggestion, lang)[2]))
    if suggestion.status != "optimal":
        st.warning(md(status_text(suggestion.status, suggestion.gap, lang)))
    for note in suggestion.notes:
        st.info(md(note.render(lang)))


def _render_result(
    ctx: PageContext, operation: Operation, suggestion: Suggestion, lang: str
) -> None:
    _render_figures(suggestion, lang)
    analysis = analyse(operation)
    m = suggestion_map(analysis, suggestion, lang=lang, basemap=ctx.state.basemap)
    serve_offline(m)
    m.get_root().header.add_child(folium.Element(_FILL_FRAME_CSS), name="posko_fill")
    st_folium(m, key="sug_map", height=480, use_container_width=True, returned_objects=[])
    if suggestion.posts:
        st.subheader(t("suggest.posts", lang))
        st.dataframe(posts_table(suggestion, lang), hide_index=True, key="sug_posts")
    if suggestion.unreachable:
        st.subheader(t("suggest.unreachable", lang))
        st.dataframe(unreachable_table(suggestion, lang), hide_index=True, key="sug_far")
    if suggestion.curve:
        st.subheader(t("suggest.curve_title", lang))
        svg = curve_svg(suggestion.curve, tps_before=suggestion.before.tps_covered, lang=lang)
        st.markdown(svg, unsafe_allow_html=True)
        table = curve_table(suggestion, lang)
        require(ctx.actor, Action.EXPORT, operation.key)
        st.download_button(
            t("suggest.curve_csv", lang),
            data=to_csv_safe(table),
            file_name="kurva-saran-pos.csv",
            mime="text/csv",
            key="sug_curve_csv",
            on_click="ignore",
        )
    _render_brief(ctx, analysis, suggestion, lang)
    _render_draft(ctx, operation, suggestion, lang)


def _render_brief(ctx: PageContext, analysis: Analysis, suggestion: Suggestion, lang: str) -> None:
    """The suggestion briefing download: the same file `posko suggest --brief` writes,
    naming the signed-in user and audited."""
    require(ctx.actor, Action.EXPORT, analysis.operation.key)
    st.subheader(t("suggest.brief", lang))
    paper = st.radio(t("app.brief_paper", lang), PAPERS, key="sug_paper", horizontal=True)

    def build() -> str:
        return suggestion_briefing_html(
            analysis,
            suggestion,
            lang=lang,
            paper=paper,
            exported_at=datetime.now().astimezone(),
            exported_by=ctx.actor.name,
        )

    st.download_button(
        t("suggest.download_brief", lang),
        data=audited_data(ctx, AuditAction.EXPORT_BRIEFING, _what(paper), build),
        file_name=f"briefing-saran-pos-{analysis.operation.key}.html",
        mime="text/html",
        key="sug_brief",
        on_click="ignore",
    )


def _render_draft(
    ctx: PageContext, operation: Operation, suggestion: Suggestion, lang: str
) -> None:
    """Save the suggestion as a draft plan (a copy of the plan plus the new posts)."""
    if not suggestion.posts:
        return
    st.subheader(t("suggest.draft", lang))
    st.text_input(
        t("suggest.draft_label", lang),
        value=draft_name(suggestion, datetime.now(UTC), operation.settings.time_zone, lang),
        key="sug_draft_name",
    )
    name = st.session_state.get("sug_draft_name", "")
    if st.button(t("suggest.make_draft", lang), type="primary", key="sug_make_draft"):
        require(ctx.actor, Action.SUGGEST, operation.key)
        try:
            info = save_draft(operation, suggestion, name=name, who=ctx.actor.name, lang=lang)
        except PoskoError as exc:
            st.error(md(localized(exc, lang)))
            return
        _open_on_map(ctx, info.plan_id, info.name, lang)


def _open_on_map(ctx: PageContext, plan_id: str, name: str, lang: str) -> None:
    """Open the new draft in the map page's plan editor, unless this tab has unsaved edits
    there (they would be lost): then say where it is."""
    draft: Draft | None = ctx.state.store.get(Key.DRAFT)
    if draft is not None and draft.edited:
        st.success(md(t("suggest.draft_saved", lang, name=name)))
        return
    store = ctx.state.store
    reload_draft(ctx, plan_id)
    store[Key.DRAFT].messages.append(t("suggest.draft_opened", lang, name=name))
    ctx.state.switch_page(_MAP_PAGE.path)


def render(ctx: PageContext) -> None:
    """Choices, the run with its steps, the suggestion on the map, tables, curve, draft."""
    lang = ctx.lang
    require(ctx.actor, Action.SUGGEST, ctx.operation.key)
    st.header(t("suggest.title", lang))
    st.caption(t("suggest.intro", lang))
    try:
        operation = _plan_choice(ctx, lang)
        _choices(operation, lang)
        report = _candidate_file(operation, lang)
        options = options_from(st.session_state, operation)
    except PoskoError as exc:
        st.error(md(localized(exc, lang)))
        return
    plan = operation.plan.plan_id if operation.plan else ""
    key = (str(ctx.path), plan, operation.plan_version, options, _report_key(report))
    if st.button(t("suggest.run", lang), type="primary", key="sug_run"):
        try:
            st.session_state[_RESULT] = (key, _run(operation, options, report, lang))
        except PoskoError as exc:
            st.session_state.pop(_RESULT, None)
            st.error(md(localized(exc, lang)))
            return
    last = st.session_state.get(_RESULT)
    if last is None:
        return
    if last[0] != key:
        st.info(t("suggest.stale", lang))
    _render_result(ctx, operation, last[1], lang)


def _report_key(report: ImportReport | None) -> tuple:
    if report is None:
        return ()
    return (report.file_name, tuple(sorted(report.counts.items())))


def _what(paper: str) -> Text:
    """What the suggestion briefing's audit record says it exported."""
    return on_paper(Text("audit.what.briefing_suggest"), paper)


if __name__ == "__main__":
    render(current_page())
