"""The map page: figures, the map with its overlays, details, tables and the staffing panel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import folium
import pandas as pd
import streamlit as st
from folium.elements import MacroElement
from folium.template import Template
from pandas.io.formats.style import Styler

from geo.access import Action, require
from geo.analysis import Analysis
from geo.csvsafe import to_csv_safe
from geo.errors import PoskoError
from geo.model import AuditAction, Col, Derived, Kind, PostType, Risk
from geo.operation import Operation
from geo.phases import Phase
from geo.staffing import (
    WAREHOUSE_POLRI,
    StaffingPlan,
    available_presets,
    preset_label,
    reserves_of,
    resolve_preset,
)
from geo.text import (
    DEFAULT_LANGUAGE,
    Text,
    format_distance,
    format_int,
    format_number,
    format_share,
    label,
    localized,
    t,
)
from layers.brief_phases import (
    peak_line,
    phase_reserves,
    phase_staffing_of,
    phase_staffing_table,
    reserves_line,
    reserves_table,
)
from layers.export import (
    PAPERS,
    all_phases_note,
    area_text,
    briefing_html,
    shortfall_note,
    shown_share,
    shown_weighted_score,
)
from layers.mapview import LAYER_KEYS, MapParts, map_parts, selection_layer
from layers.plan_edit import ZoneDrawControl
from pages.area_summary import render_area_downloads, render_area_summary, render_briefing_bundle
from pages.edit_forms import MAP_KEY, handle_map_event, plan_edit_layer, render_edit_forms
from pages.exports import (
    audited_data,
    briefing_what,
    hide_table_toolbars,
    on_paper,
    render_partner_download,
)
from pages.figures import (
    BY_KIND,
    BY_RISK,
    PHASE_STAFFING,
    STAFFING,
    WEIGHTED,
    once,
    phase_view,
)
from pages.map_component import (
    RenderedBase,
    RenderedOverlays,
    render_base,
    render_overlays,
    show_map,
)
from pages.phase_choice import render_phase_choice
from pages.plans_panel import Draft, current_draft, render_panel
from pages.post_reach import own_reach_note
from pages.shared import md, render_recovery, serve_data, serve_offline
from pages.state import AppState, Key, PageContext, current_page

if TYPE_CHECKING:
    pass


__all__ = [
    "EDIT_MODES",
    "FigureDetail",
    "assumptions",
    "figure_details",
    "localized_table",
    "preset_choice",
    "render",
    "render_figure_notes",
    "reset_choices",
    "staffing_sum",
    "sync_settings",
]

EDIT_MODES = ("view", "edit", "add")

MAP_HEIGHT_PX = 520  # the frame's height before the page's CSS fits it to the screen
FOCUS_ZOOM = 17  # a site picked in a table is shown at street level
_FILL_FRAME_CSS = "<style>#map_div { height: 100vh !important; }</style>"
MAP_ROW_KEY = "posko_map_row"
CONTROL_ROW_KEY = "posko_control_row"  # the phase choice and the editing mode, on one line
# the slider's seven stops get 60 % of the row; the mode buttons, in smaller type, the rest
_CONTROL_ROW_CSS = f"""<style>
.st-key-{CONTROL_ROW_KEY} [data-testid="stButtonGroup"] button {{ padding: 0 0.6rem;
  min-height: 2.25rem; }}
.st-key-{CONTROL_ROW_KEY} [data-testid="stButtonGroup"] button p {{ font-size: 0.875rem; }}
</style>"""
# Below this page width the details drop under the map: beside it, the map would be too
# narrow (a projector at 1024 px with the sidebar open leaves ~700 px for both).
STACK_BELOW_PX = 1200
_MAP_ROW_CSS = f"""<style>
@media (max-width: {STACK_BELOW_PX - 1}px) {{
  .st-key-{MAP_ROW_KEY} [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  .st-key-{MAP_ROW_KEY} [data-testid="stColumn"] {{ width: 100% !important;
    flex: 1 1 100% !important; min-width: 100% !important; }}
}}
.st-key-{MAP_ROW_KEY} iframe[title*="st_folium"] {{
  height: var(--posko-map-h, clamp(340px, calc(100vh - 250px), 860px)) !important; }}
</style>"""
# The map's frame reaches from its top to the bottom of the first screen, so the whole map
# shows without scrolling; where that leaves less than this share of the screen, it is
# this share tall instead and a short scroll shows all of it. The rows above the map are
# kept short enough that it starts within the first screen's upper half (a 1024x768
# projector, a 390x844 phone).
MAP_MIN_SCREEN_SHARE = 0.45
_MAP_BOTTOM_GAP_PX = 12
_FIT_MAP_JS = f"""<script>
(function () {{
  if (window.poskoFitMap) {{ window.poskoFitMap(); return; }}
  function fit() {{
    var row = document.querySelector('.st-key-{MAP_ROW_KEY}');
    if (!row) {{ return; }}
    var main = document.querySelector('[data-testid="stMain"]');
    var top = row.getBoundingClientRect().top + window.scrollY + (main ? main.scrollTop : 0);
    var screen = window.innerHeight;
    var height = Math.max(screen - top - {_MAP_BOTTOM_GAP_PX},
      {MAP_MIN_SCREEN_SHARE} * screen, 340);
    document.documentElement.style.setProperty('--posko-map-h', Math.round(height) + 'px');
  }}
  window.poskoFitMap = fit;
  window.addEventListener('resize', fit);
  var page = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (page && window.ResizeObserver) {{ new ResizeObserver(fit).observe(page); }}
  fit();
}})();
</script>"""


class _StayInPlace(MacroElement):
    """A press on the map focuses it without scrolling the app's page.

    Leaflet focuses the map's box on a press; when the box is partly below the fold the
    browser scrolls the app's page to show it, so the pointer is over another place by the
    time the button is released and the click (on a site, a button) lands elsewhere.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function(map) {
            var keys = map.keyboard;
            if (!keys || !keys.enabled()) { return; }
            keys.disable();  // its listeners hold the old handler: swap it while unhooked
            keys._onMouseDown = function() {
                if (this._focused) { return; }
                this._map.getContainer().focus({preventScroll: true});
            };
            keys.enable();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


def render(ctx: PageContext) -> None:
    """Lay out the map page for the open operation, the plan shown and this session."""
    state, operation, lang = ctx.state, ctx.operation, ctx.lang
    require(ctx.actor, Action.VIEW, operation.key)
    try:
        draft = current_draft(ctx)
    except PoskoError as exc:
        st.error(t("app.error", lang, error=localized(exc, lang)))
        render_recovery(ctx.path, state, lang, ctx.actor)
        return
    reset_choices(draft, state)
    render_sidebar(operation, lang, draft.content.posts)
    try:
        sync_settings(ctx, draft)
    except PoskoError as exc:
        st.error(t("app.error", lang, error=localized(exc, lang)))
        return
    problem = handle_map_event(draft, state)
    # What shows or not before the map sits in containers that are always drawn: an element
    # appearing above the map would move it in the page's tree, and the map would be built
    # again (its view lost).
    with st.container(key="posko_panel_box"):
        render_panel(ctx, draft)  # after this run's edits: it says whether any are unsaved
    # the phase the figures and the map are for, on one line with the editing mode: every
    # row above the map pushes it off a projector's first screen
    st.html(_CONTROL_ROW_CSS)
    phase_col, mode_col = st.container(key=CONTROL_ROW_KEY).columns(
        [3, 2], vertical_alignment="center"
    )
    with phase_col:
        phase = render_phase_choice(operation, state, lang)
    with mode_col:
        if ctx.actor.may(Action.PLAN, operation.key):
            render_edit_mode(state, lang)
        else:  # a viewer only looks: no post to drag, no zone to draw
            state.edit_mode = "view"
    whole = draft.analysis()
    shared = draft.as_saved  # the plan as saved: its figures are worked out once per process
    # the chosen phase's sites only: map, figures and staffing (the timeline table: all)
    key = phase.key if phase else None
    analysis = phase_view(whole, key, shared)
    render_metrics(analysis, lang, shared=shared)
    with st.container(key="posko_edit_bar"):
        if problem:
            st.error(problem)
        if draft.last_change is not None:
            st.caption(
                t(
                    "edit.gained_lost",
                    lang,
                    gained=format_int(len(draft.last_change.gained), lang),
                    lost=format_int(len(draft.last_change.lost), lang),
                )
            )
        if state.edit_mode != "view":
            st.caption(t(f"edit.hint.{state.edit_mode}", lang))
    # the map with the selected site's details beside it (below it on a narrow screen),
    # then the uncovered list; the list is read first, as a picked row moves the map
    hide_table_toolbars()
    st.html(_MAP_ROW_CSS)
    with st.container(key=MAP_ROW_KEY):
        map_col, details_col = st.columns([3, 1], gap="small")
    render_figure_notes(analysis, lang, shared=shared)
    picked = render_area_summary(analysis, lang, once=partial(once, analysis, shared))
    state.select_if_new(Key.PICKED_ROW, picked)
    require(ctx.actor, Action.EXPORT, operation.key)  # the briefing and the staffing CSV
    render_area_downloads(ctx, analysis, lang)
    render_download(
        ctx, whole, state.basemap, lang, unsaved=draft.edited, phase=phase, shown=analysis
    )
    with map_col:
        render_map(
            analysis, state, lang, draft=draft, focus=_focus(analysis, picked), shared=shared
        )
        st.html(_FIT_MAP_JS, unsafe_allow_javascript=True)  # after the map: moves nothing
    with details_col:
        if state.edit_mode != "view":
            render_edit_forms(draft, ctx)
        render_selected(analysis, state, lang)
    render_staffing(analysis, state, lang, draft, ctx=ctx, shared=shared)
    render_phase_staffing(whole, lang, shared=shared, phase=phase, view=analysis)


def render_phase_staffing(
    whole: Analysis,
    lang: str,
    *,
    shared: bool = False,
    phase: Phase | None = None,
    view: Analysis | None = None,
) -> None:
    """Personnel per phase of the whole timeline and its peak, and the reserve units of the
    `phase` shown (counted apart from static guards; read from its `view`, which holds the
    phase's sites, rather than cutting the whole list again on every run); nothing when the
    operation has neither."""
    phases = whole.settings.phases
    shown = view if view is not None else whole
    reserves = reserves_of(shown.operation.sites, settings=whole.settings)
    if phases:
        table = once(whole, shared, PHASE_STAFFING, partial(phase_staffing_of, whole))
        st.subheader(t("phase.staffing", lang))
        # a static table: a handful of rows, every column and each phase's whole name seen
        # (a data grid cut the long names and scrolled the last columns out of view)
        st.table(phase_staffing_table(table, lang).set_index(t("phase.col.phase", lang)))
        st.markdown(md(peak_line(table, lang)))
        st.caption(t("phase.staffing_note", lang))
    if phase is not None and not reserves.units and phase_reserves(whole, None).units:
        st.subheader(t("phase.reserves", lang))
        st.caption(t("phase.no_reserves", lang, phase=phase.label(lang)))
    if reserves.units:
        st.subheader(t("phase.reserves", lang))
        st.caption(reserves_line(reserves, lang))
        st.dataframe(
            localized_table(reserves_table(reserves, lang), lang),
            hide_index=True,
            width="stretch",
            key="reserves_table",
        )


def _keep_a_mode() -> None:
    """A second press on the chosen mode unselects it: that reads as "view"."""
    state = AppState()
    if state.store.get(Key.EDIT_MODE) is None:
        state.edit_mode = "view"


def render_edit_mode(state: AppState, lang: str) -> None:
    """View the map, edit posts and zones, or place new posts (what to do in that mode is
    said below the figures)."""
    state.store.setdefault(Key.EDIT_MODE, "view")
    st.segmented_control(
        t("edit.mode", lang),
        EDIT_MODES,
        key=Key.EDIT_MODE,
        format_func=lambda m: t(f"edit.mode.{m}", lang),
        label_visibility="collapsed",
        on_change=_keep_a_mode,
    )


def _remember_preset_edits() -> None:
    """Copy the preset table's edits to a key that outlives the table widget."""
    state = AppState()
    state.preset_edits = state.store.get(Key.PRESET_EDITOR) or {}


def reset_choices(draft: Draft, state: AppState) -> None:
    """Set the sidebar's radii, preset and weights from the plan when it is (re)loaded.

    The choices belong to the plan: a change is an edit of the draft (`sync_settings`),
    saved with it, and a reload of the plan brings its own choices back.
    """
    if state.radii_for == draft.token:
        return
    content = draft.content
    for post_type in PostType:
        state.set_radius_m(post_type, int(content.radius_m[post_type]))
    state.preset = content.preset
    for risk in Risk:
        state.set_weight(risk, float(content.risk_weights[risk]))
    state.forget([Key.PRESET_EDITOR])
    state.preset_edits = {}
    state.preset_min_polri = draft.analysis().staffing.preset.min_polri
    state.radii_for = draft.token
    state.selected_site = None
    draft.settings_key = _settings_key(draft, state)


def _settings_key(draft: Draft, state: AppState) -> tuple:
    """The sidebar's radii, preset choice and weights as one comparable value."""
    radii = tuple((str(p), float(state.radius_m(p))) for p in PostType)
    weights = tuple((str(r), float(state.weight(r))) for r in Risk)
    return (radii, preset_choice(draft, state), weights)


def sync_settings(ctx: PageContext, draft: Draft) -> None:
    """Make a change of radius, preset or weights in the sidebar an edit of the plan."""
    key = _settings_key(draft, ctx.state)
    if key == draft.settings_key:
        return
    radii, (name, rows, min_polri), weights = key
    content = draft.content.with_settings(
        radius_m={PostType(k): v for k, v in radii},
        preset=name,
        preset_rows=rows,
        min_polri=min_polri,
        risk_weights={Risk(k): v for k, v in weights},
    )
    draft.rebuild(ctx.operation, content)
    draft.settings_key = key


def render_sidebar(operation: Operation, lang: str, posts: pd.DataFrame) -> None:
    """The map page's own choices: radii (each type's, and the plan's `posts` with their
    own), staffing preset, risk weights and layer toggles."""
    sb = st.sidebar
    sb.subheader(t("app.radii", lang))
    for post_type in PostType:
        sb.slider(
            label("post_type", post_type, lang),
            min_value=100,
            max_value=10_000,
            step=50,
            key=Key.radius(post_type),
            help=t("app.radii_help", lang),
        )
        if note := own_reach_note(posts, post_type, lang):
            sb.caption(md(note))
    presets = available_presets(operation.settings)
    sb.selectbox(
        t("app.preset", lang),
        list(presets),
        key=Key.PRESET,
        format_func=lambda name: preset_label(presets[name], lang),
    )
    with sb.expander(t("app.weights", lang)):
        for risk in Risk:
            st.number_input(
                label("risk", risk, lang),
                min_value=0.0,
                max_value=100.0,
                step=0.5,
                key=Key.weight(risk),
            )
    sb.subheader(t("app.layers", lang))
    for key in LAYER_KEYS:
        sb.checkbox(_layer_label(key, lang), key=Key.layer(key))


def _layer_label(key: str, lang: str) -> str:
    """Label of a layer toggle."""
    if key in {k.value for k in Kind}:
        return label("kind", key, lang)
    return t(f"layer.{key}", lang)


def render_metrics(analysis: Analysis, lang: str, *, shared: bool = False) -> None:
    """Headline figures: coverage, uncovered by risk class, demonstration points, staff
    (`shared`: the analysis is shared by every tab, its figures worked out once), each with
    its details below it; on a short screen or a phone some or all of the details are said
    below the map instead (`FIGURES_CSS`), so the map starts on the first screen."""
    kinds = once(analysis, shared, BY_KIND, analysis.by_kind)
    tps = kinds[Kind.POLLING_STATION]
    demo = kinds[Kind.DEMONSTRATION_POINT]
    st.html(FIGURES_CSS)
    cols = st.container(key=FIGURES_KEY).columns(4)
    cols[0].metric(
        t("metric.tps_covered", lang),
        format_share(shown_share(tps), lang),
        help=t(
            "metric.of",
            lang,
            covered=format_int(tps.covered, lang),
            total=format_int(tps.total, lang),
        ),
    )
    cols[1].metric(t("metric.uncovered_by_risk", lang), format_int(tps.uncovered, lang))
    cols[2].metric(t("metric.demo_beyond", lang), f"{demo.uncovered} / {demo.total}")
    cols[3].metric(t("metric.staff_needed", lang), format_int(analysis.staffing.polri, lang))
    details = figure_details(analysis, lang, shared=shared)
    for i, (col, detail) in enumerate(zip(cols, details, strict=True)):
        if detail.lead:
            col.caption(detail.lead)
        if detail.more:
            col.container(key=f"{_MORE_KEY}{i}").caption(detail.more)


@dataclass(frozen=True)
class FigureDetail:
    """What a headline figure is made of, as said under it.

    Attributes
    ----------
    key
        The figure's catalog key (its name).
    lead
        Kept under the figure on a short screen ("268 dari 311": the TPS count); "" for none.
    more
        Said below the map instead on a short screen; "" for none.
    """

    key: str
    lead: str
    more: str

    def text(self, lang: str) -> str:
        """The figure's name and all its details, on one line (markdown)."""
        parts = " · ".join(md(p) for p in (self.lead, self.more) if p)
        return f"**{md(t(self.key, lang))}:** {parts}"


FIGURES_KEY = "posko_figures"
NOTES_KEY = "posko_figure_notes"
_MORE_KEY = "posko_figure_more_"
PHONE_MAX_PX = 640  # Streamlit stacks columns below this width
SHORT_MAX_PX = 800  # a projector's 768 px, a 1366x768 laptop: the map needs the room
# On a short screen only the TPS count stays under the figures, the other details are
# said just below the map; on a phone the four figures stand two by two, each name beside
# its value, and every detail is said below the map.
FIGURES_CSS = f"""<style>
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]:has(.st-key-{FIGURES_KEY}) {{
  gap: 0.25rem; }}
.st-key-{NOTES_KEY} {{ display: none; }}
.st-key-{FIGURES_KEY} [data-testid="stCaptionContainer"] {{ font-size: 0.74rem;
  line-height: 1.35; }}
.st-key-{FIGURES_KEY} [data-testid="stMetricLabel"] {{ min-height: 1.2rem; }}
.st-key-{FIGURES_KEY} [data-testid="stMetricValue"] {{ padding-bottom: 0; }}
@media (max-height: {SHORT_MAX_PX}px), (max-width: {PHONE_MAX_PX}px) {{
  .st-key-{FIGURES_KEY} [class*="st-key-{_MORE_KEY}"] {{ display: none; }}
  .st-key-{NOTES_KEY} {{ display: flex; }}
}}
@media (max-width: {PHONE_MAX_PX}px) {{
  .st-key-{FIGURES_KEY} [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap;
    gap: 0.3rem 1rem; }}
  .st-key-{FIGURES_KEY} [data-testid="stColumn"] {{ min-width: calc(50% - 0.5rem) !important;
    width: calc(50% - 0.5rem) !important; flex: 0 0 calc(50% - 0.5rem) !important; }}
  .st-key-{FIGURES_KEY} [data-testid="stColumn"] > [data-testid="stVerticalBlock"] {{
    gap: 0; }}
  .st-key-{FIGURES_KEY} [data-testid="stMetric"] > div {{ display: flex;
    align-items: center; justify-content: space-between; gap: 0.4rem; }}
  .st-key-{FIGURES_KEY} [data-testid="stMetricLabel"] {{ min-height: 0; min-width: 0;
    flex: 1 1 auto; }}
  .st-key-{FIGURES_KEY} [data-testid="stMetricLabel"] * {{ overflow: visible;
    white-space: normal; text-overflow: clip; }}
  .st-key-{FIGURES_KEY} [data-testid="stMetricLabel"] p {{ font-size: 0.74rem;
    line-height: 1.2; }}
  .st-key-{FIGURES_KEY} [data-testid="stMetricValue"] {{ font-size: 1.15rem; flex: none;
    white-space: nowrap; }}
  .st-key-{FIGURES_KEY} [data-testid="stCaptionContainer"] {{ display: none; }}
}}
</style>"""


def figure_details(
    analysis: Analysis, lang: str, *, shared: bool = False
) -> tuple[FigureDetail, ...]:
    """What each headline figure is made of, in the order of the figures: TPS covered of
    all and the weighted score; the uncovered per risk class; none for the demonstration
    points; the officers needed as their sum."""
    tps = once(analysis, shared, BY_KIND, analysis.by_kind)[Kind.POLLING_STATION]
    by_risk = once(analysis, shared, BY_RISK, analysis.by_risk)
    weighted = once(analysis, shared, WEIGHTED, partial(shown_weighted_score, analysis))
    covered = t(
        "metric.of", lang, covered=format_int(tps.covered, lang), total=format_int(tps.total, lang)
    )
    by_class = " · ".join(
        f"{label('risk', risk, lang)} {format_int(by_risk[risk].uncovered, lang)}" for risk in Risk
    )
    return (
        FigureDetail(
            "metric.tps_covered",
            covered,
            t("metric.weighted", lang, score=format_share(weighted, lang)),
        ),
        FigureDetail("metric.uncovered_by_risk", "", by_class),
        FigureDetail("metric.demo_beyond", "", ""),
        FigureDetail("metric.staff_needed", "", staffing_sum(analysis.staffing, lang)),
    )


def render_figure_notes(analysis: Analysis, lang: str, *, shared: bool = False) -> None:
    """Below the map: on a short screen or a phone each figure's details (which the row
    above the map leaves out there), then what the figures assume (radii, preset,
    weights)."""
    with st.container(key=NOTES_KEY):  # shown on a short screen or a phone (`FIGURES_CSS`)
        for detail in figure_details(analysis, lang, shared=shared):
            if detail.lead or detail.more:
                st.caption(detail.text(lang))
    st.caption(assumptions(analysis, lang))


def staffing_sum(plan: StaffingPlan, lang: str) -> str:
    """The officers needed as the sum it is: TPS guards + warehouse guards = total, preset."""
    warehouses = plan.total("warehouses")
    return t(
        "metric.staff_sum",
        lang,
        tps=format_int(plan.tps_polri, lang),
        warehouse=format_int(warehouses * WAREHOUSE_POLRI, lang),
        n=format_int(warehouses, lang),
        total=format_int(plan.polri, lang),
        preset=preset_label(plan.preset, lang),
    )


def assumptions(analysis: Analysis, lang: str) -> str:
    """What the headline figures assume: the radii, the staffing preset and the risk weights."""
    radii = " · ".join(
        f"{label('post_type', p, lang)} {format_int(analysis.settings.radius_m[p], lang)}"
        for p in PostType
    )
    weights = " / ".join(
        format_number(analysis.settings.risk_weights[r], lang, decimals=None) for r in Risk
    )
    weights += f" ({' / '.join(label('risk', r, lang).lower() for r in Risk)})"
    return t(
        "metric.assumptions",
        lang,
        radii=radii,
        preset=preset_label(analysis.staffing.preset, lang),
        weights=weights,
    )


def render_map(
    analysis: Analysis,
    state: AppState,
    lang: str,
    *,
    draft: Draft,
    focus: tuple[float, float] | None = None,
    shared: bool = False,
) -> None:
    """The map: base mounted once, overlays swapped on change; a click selects a site.

    The layer choices live in the sidebar only: the map gets no layer control, so nothing
    on the map can disagree with the sidebar (a choice made in the map's own control lives
    in the browser only and was undone by the next redraw). `focus` (lat, lon) moves the
    view to a site picked outside the map. The selected site (picked anywhere) is ringed on
    the map, with its details beside the ring. The plan's zones, and while editing its
    posts, are drawn by the editing overlay, whose edits the page reads on its next run.

    The plan as saved is drawn the same for every tab: its map (base and overlays) is
    rendered once per process (`_shared_map`); a tab renders only what is its own (the
    ring of its selected site, the editing overlay while editing, a draft's edited map).
    `shared`: `analysis` is the plan as saved (or its view of one phase), kept per process.
    """
    editing = state.edit_mode != "view"
    # the editing overlay draws the zones (editable) and, while editing, the posts
    layers = tuple(
        key
        for key in LAYER_KEYS
        if state.layer_on(key) and key != "zones" and not (editing and key == Kind.POLICE_POST)
    )
    view = _MapView(lang, layers, state.basemap, draft.bounds, state.layer_on("zones"))
    if shared:
        drawn = _shared_map(analysis, view, None if editing else (draft, state))
    else:
        drawn = _draw_map(analysis, view, None)
    serve_data(drawn.parts.overlays)  # still there (a kept map's data may have been pruned)
    own = [] if drawn.edit_layer else [plan_edit_layer(draft, state, lang)]
    if state.selected_site:
        picked = selection_layer(analysis, state.selected_site, lang)
        own += [picked] if picked else []
    result = show_map(
        drawn.base,
        [drawn.overlays, render_overlays(own, start=drawn.count)],
        key=MAP_KEY,
        height=MAP_HEIGHT_PX,
        center=focus,
        zoom=FOCUS_ZOOM if focus else None,
        returned_objects=["last_object_clicked_tooltip", "last_active_drawing"],
    )
    clicked = (result or {}).get("last_object_clicked_tooltip")
    site_id = drawn.parts.site_for_tooltip(clicked) if clicked else None
    before = state.selected_site
    state.select_if_new(Key.MAP_CLICK, site_id)
    if state.selected_site != before:
        st.rerun()  # the map was drawn before the click was read: ring the new pick now


@dataclass(frozen=True)
class _MapView:
    """What a map's drawing depends on besides the analysis (part of the shared key)."""

    lang: str
    layers: tuple[str, ...]
    basemap: str
    bounds: tuple[float, float, float, float]
    zones: bool  # the plan's zones shown (drawn by the editing overlay)


@dataclass(frozen=True)
class _DrawnMap:
    """A map rendered for the component: its base, its overlays (the site overlays, then
    the plan's zones when `edit_layer`), and the parts (a click's tooltip names a site)."""

    analysis: Analysis
    parts: MapParts
    base: RenderedBase
    overlays: RenderedOverlays
    count: int  # overlays rendered: a tab's own overlays are numbered after them
    edit_layer: bool


def _draw_map(
    analysis: Analysis, view: _MapView, viewer: tuple[Draft, AppState] | None
) -> _DrawnMap:
    """Build and render the map of `analysis`; with `viewer` (the draft and choices of a tab
    only viewing the plan as saved) its editing overlay too, as that draws the same for
    every such tab (its zones, shown or not as `view` says)."""
    parts = map_parts(
        analysis, lang=view.lang, basemap=view.basemap, layers=view.layers, bounds=view.bounds
    )
    ZoneDrawControl(view.lang).add_to(parts.base)
    serve_offline(parts.base)
    serve_data(parts.overlays)  # a large map's data: fetched by the page, not sent in it
    # the map fills its frame, and the app's CSS sizes the frame to the screen
    parts.base.get_root().header.add_child(folium.Element(_FILL_FRAME_CSS), name="posko_fill")
    _StayInPlace().add_to(parts.base)
    base = render_base(parts.base, MAP_KEY)
    overlays = list(parts.overlays)
    if viewer is not None:
        overlays.append(plan_edit_layer(*viewer, view.lang))
    return _DrawnMap(
        analysis=analysis,
        parts=parts,
        base=base,
        overlays=render_overlays(overlays),
        count=len(overlays),
        edit_layer=viewer is not None,
    )


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _shared_drawn(
    analysis_id: int,
    view: _MapView,
    viewing: bool,
    _analysis: Analysis,
    _viewer: tuple[Draft, AppState] | None,
) -> _DrawnMap:
    """The rendered map of a shared analysis, once per process. The value holds the
    analysis (while cached, no other object can take its id, the key), not the tab's
    draft or choices it was first drawn with."""
    del analysis_id, viewing  # the cache key
    return _draw_map(_analysis, view, _viewer)


def _shared_map(
    analysis: Analysis, view: _MapView, viewer: tuple[Draft, AppState] | None
) -> _DrawnMap:
    """The map of a plan as saved, shared by every tab showing it with the same choices
    (rendering a province's map cost each viewer ~1 s of a shared core). `viewer` (the
    draft and choices of a tab only viewing) puts the plan's editing overlay in it: the
    plan as saved, not edited, draws the same for every such tab."""
    drawn = _shared_drawn(id(analysis), view, viewer is not None, analysis, viewer)
    if drawn.analysis is not analysis:
        msg = "the map cache returned the map of another analysis"
        raise RuntimeError(msg)
    return drawn


def localized_table(
    table: pd.DataFrame,
    lang: str,
    *,
    decimals: dict[str, int] | None = None,
    shared: bool = False,
) -> Styler:
    """A table whose numbers read in the page's language (1.234,5 on an Indonesian page).

    Only the shown text changes: the table still sorts by the numbers. `decimals` gives
    the decimals of a column (0 when not named); "–" stands for a missing value. `shared`:
    the table is kept and shown to many tabs, so its shown text is worked out once
    (:func:`_prepared`).
    """
    places = decimals or {}
    numeric = table.select_dtypes("number").columns
    formats = {
        column: partial(_number_text, lang=lang, decimals=places.get(column, 0))
        for column in numeric
    }
    styler = table.style.format(formats, na_rep="–")
    return _prepared(styler) if shared else styler


_CELL_ID = re.compile(r"row(\d+)_col(\d+)")


def _prepared(styler: Styler) -> Styler:
    """`styler` working out once the shown text Streamlit reads, for a table many tabs show.

    Streamlit reads a Styler's shown text through `_translate(False, False)` on every run,
    cell by cell (a 10,000-TPS plan's uncovered list cost each viewer ~0.3 s of a shared
    core). This one keeps that translation, holding only the cells whose text differs from
    the value's own (what Streamlit starts from); kept read-only, any run can show it. Any
    other call (e.g. `to_html`) is translated afresh. Streamlit recognises a Styler by its
    exact type, hence a method set on the object rather than a subclass.
    """
    translate = styler._translate
    kept: list[dict] = []

    def _translated(*args: object, **kwargs: object) -> dict:
        if args != (False, False) or kwargs:
            return translate(*args, **kwargs)
        if not kept:  # two runs at once may both work it out: the same value
            found = translate(*args)
            kept.append({**found, "body": _changed_cells(found["body"], styler.data)})
        return kept[0]

    styler._translate = _translated
    return styler


def _changed_cells(body: list[list[dict]], data: pd.DataFrame) -> list[list[dict]]:
    """The body cells whose shown text differs from the value's text."""
    plain = data.astype(str).to_numpy()
    changed = []
    for row in body:
        cells = []
        for cell in row:
            found = _CELL_ID.match(str(cell.get("id", "")))
            if found and str(cell.get("display_value")) != plain[int(found[1]), int(found[2])]:
                cells.append(cell)
        changed.append(cells)
    return changed


def _number_text(value: float, *, lang: str, decimals: int) -> str:
    return format_number(value, lang, decimals=decimals)


def render_selected(analysis: Analysis, state: AppState, lang: str) -> None:
    """Details of the site last clicked on the map."""
    st.subheader(t("app.selected", lang))
    site_id = state.selected_site
    sites = analysis.operation.sites
    if not site_id or site_id not in set(sites[Col.SITE_ID]):
        st.caption(t("app.click_hint", lang))
        return
    row = sites[sites[Col.SITE_ID] == site_id].iloc[0]
    st.markdown(f"**{md(row[Col.NAME])}** — {md(label('kind', row[Col.KIND], lang))}")
    details = {
        t("col.site_id", lang): row[Col.SITE_ID],
        t("col.kind", lang): label("kind", row[Col.KIND], lang),
        t("col.tps_no", lang): row[Col.TPS_NO],
        t("col.kelurahan", lang): row[Col.KELURAHAN],
        t("col.kecamatan", lang): row[Col.KECAMATAN],
        t("col.risk", lang): label("risk", row[Col.RISK], lang)
        if isinstance(row[Col.RISK], str)
        else None,
        t("col.voters", lang): row[Col.VOTERS],
        t("col.location_quality", lang): label("quality", row[Col.LOCATION_QUALITY], lang)
        if isinstance(row[Col.LOCATION_QUALITY], str)
        else None,
    }
    targets = analysis.coverage.targets
    target = targets[targets[Col.SITE_ID] == site_id]
    posts = analysis.coverage.posts
    post_names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    post = posts[posts[Col.SITE_ID] == site_id]
    if not post.empty:
        p = post.iloc[0]
        details[t("col.post_type", lang)] = label("post_type", p[Col.POST_TYPE], lang)
        details[t("col.radius_m", lang)] = format_int(p[Derived.RADIUS_USED_M], lang)
        details[t("col.personnel", lang)] = p[Col.PERSONNEL]
        details[t("col.tps_reached", lang)] = format_int(p[Derived.N_COVERED], lang)
        details[t("col.catchment", lang)] = format_int(p[Derived.N_CATCHMENT], lang)
    if not target.empty:
        post_id = target.iloc[0]["nearest_post_id"]
        details[t("col.nearest_post", lang)] = post_names.get(post_id, post_id)
        details[t("col.distance", lang)] = format_distance(
            float(target.iloc[0]["nearest_post_m"]), lang
        )
    shown = {k: str(v) for k, v in details.items() if v is not None and not pd.isna(v)}
    st.table(
        pd.DataFrame({"": list(shown.values())}, index=list(shown)),
        border="horizontal",
        hide_header=True,
    )
    covering = analysis.coverage.covering_posts(site_id)
    if not covering.empty:
        st.caption(t("app.covering_posts", lang))
        st.dataframe(
            localized_table(
                pd.DataFrame(
                    {
                        t("col.post", lang): [
                            post_names.get(p, p) for p in covering[Derived.POST_ID]
                        ],
                        t("col.distance_m", lang): covering[Derived.DISTANCE_M].to_numpy(),
                    }
                ),
                lang,
            ),
            hide_index=True,
            width="stretch",
        )


def _focus(analysis: Analysis, site_id: str | None) -> tuple[float, float] | None:
    """(lat, lon) of a site, or None."""
    if not site_id:
        return None
    sites = analysis.operation.sites
    point = sites.loc[sites[Col.SITE_ID] == site_id].geometry.iloc[0]
    return (round(point.y, 6), round(point.x, 6))


def render_download(
    ctx: PageContext,
    analysis: Analysis,
    basemap: str,
    lang: str,
    *,
    unsaved: bool = False,
    phase: Phase | None = None,
    shown: Analysis | None = None,
) -> None:
    """The briefing download: the same file `posko brief` writes (with the draft's unsaved
    edits when `unsaved`: the briefing and its audit record then say so).

    Without tiles by default (no request at all when opened); online tiles only when the
    planner ticks the box, and then the document itself says it will contact the server.
    With a `phase`, the briefing is the phase's, made as `posko brief --phase` makes it:
    from the whole operation's `analysis` and the phase; `shown` is the phase's view (the
    page's figures), whose lists the zip's CSV files hold.
    """
    online = st.checkbox(
        t("app.brief_online", lang), key="brief_online", disabled=basemap == "none"
    )
    paper = st.radio(t("app.brief_paper", lang), PAPERS, key="brief_paper", horizontal=True)

    def build(**extra: object) -> str:  # extra: the CSV files of the zip's briefing
        return briefing_html(
            analysis,
            phase=phase,
            lang=lang,
            basemap=basemap,
            online=online and basemap != "none",
            paper=paper,
            exported_at=datetime.now().astimezone(),
            exported_by=ctx.actor.name,
            unsaved=unsaved,
            **extra,
        )

    what = on_paper(briefing_what(analysis.operation.plan, unsaved=unsaved, phase=phase), paper)
    st.download_button(
        t("app.download_brief", lang),
        data=audited_data(ctx, AuditAction.EXPORT_BRIEFING, what, build),
        file_name=f"briefing-{analysis.operation.key}.html",
        mime="text/html",
        key="download_brief",
        on_click="ignore",
    )
    render_briefing_bundle(ctx, shown or analysis, lang, build=build, what=what)
    render_partner_download(
        ctx, analysis, basemap=basemap, online=online, paper=paper, lang=lang
    )  # issue 17: the partner briefing (pages/exports.py)


# --- staffing and per-area figures -----------------------------------------------------

_PRESET_FIELDS = ("polri", "tps", "linmas")


def _preset_table(
    operation: Operation, preset_name: str, lang: str, rows: tuple = ()
) -> pd.DataFrame:
    """The chosen preset as an editable table: one row per risk class (its code kept hidden
    for the edits, its label shown). `rows` are the plan's own figures for the preset."""
    preset = resolve_preset(operation.settings, preset_name)
    own = {r: dict(zip(_PRESET_FIELDS, v, strict=True)) for r, *v in rows}
    table = [
        {
            "risk": risk.value,
            "risk_label": label("risk", risk, lang),
            **own.get(risk.value, {f: getattr(preset.group_for(risk), f) for f in _PRESET_FIELDS}),
        }
        for risk in Risk
    ]
    return pd.DataFrame(table)


def _plan_rows(draft: Draft, name: str) -> tuple[tuple, int | None]:
    """The plan's own figures and minimum Polri for the preset `name` (none for another)."""
    saved = draft.saved
    if saved.preset != name:
        return (), None
    return tuple(tuple(r) for r in saved.preset_rows), saved.min_polri


def preset_choice(draft: Draft, state: AppState) -> tuple:
    """(preset name, edited rows, minimum Polri) from the widgets and the plan.

    The table editor keeps only its edits in the session; they are applied to the table the
    plan was loaded with, so the figures above the editor use them in the same run.
    """
    name = state.preset
    operation = draft.operation
    edits = (state.preset_edits or {}).get("edited_rows", {})
    base = resolve_preset(operation.settings, name)
    rows, own_min = _plan_rows(draft, name)
    min_polri = int(state.preset_min_polri or own_min or base.min_polri)
    if not edits and not rows and min_polri == base.min_polri:
        return (name, (), base.min_polri)
    table = _preset_table(operation, name, DEFAULT_LANGUAGE, rows)
    for row, changes in edits.items():
        for column, value in changes.items():
            if column in _PRESET_FIELDS and value is not None:
                table.loc[int(row), column] = int(value)
    rows = tuple(
        (r["risk"], *(int(r[f]) for f in _PRESET_FIELDS)) for r in table.to_dict("records")
    )
    return (name, rows, min_polri)


def render_staffing(
    analysis: Analysis,
    state: AppState,
    lang: str,
    draft: Draft,
    *,
    ctx: PageContext,
    shared: bool = False,
) -> None:
    """Staffing panel: the preset (editable), totals, need and shortfall per area, CSV
    (`shared`: the analysis is shared by every tab, its tables built once)."""
    st.subheader(t("staff.title", lang))
    plan = analysis.staffing
    cols = st.columns(5)
    cols[0].metric(t("staff.polri", lang), format_int(plan.polri, lang))
    cols[1].metric(t("staff.linmas", lang), format_int(plan.linmas, lang))
    cols[2].metric(t("staff.tni", lang), format_int(plan.tni, lang))
    cols[3].metric(t("staff.available", lang), format_int(plan.total("available"), lang))
    cols[4].metric(t("staff.shortfall", lang), format_int(plan.total("shortfall"), lang))
    st.caption(t("staff.note", lang, escort=format_int(plan.total("escort_polri"), lang)))
    st.caption(shortfall_note(plan, lang))
    if note := all_phases_note(analysis, lang):
        st.caption(note)
    with st.expander(t("staff.preset_table", lang, preset=preset_label(plan.preset, lang))):
        st.data_editor(
            _preset_table(draft.operation, state.preset, lang, _plan_rows(draft, state.preset)[0]),
            key=Key.PRESET_EDITOR,
            on_change=_remember_preset_edits,
            hide_index=True,
            disabled=["risk_label"],
            column_order=["risk_label", *_PRESET_FIELDS],
            column_config={
                "risk_label": st.column_config.TextColumn(t("col.risk", lang)),
                "polri": st.column_config.NumberColumn(
                    t("staff.per_group_polri", lang), min_value=0, step=1
                ),
                "tps": st.column_config.NumberColumn(
                    t("staff.per_group_tps", lang), min_value=1, step=1
                ),
                "linmas": st.column_config.NumberColumn(
                    t("staff.per_group_linmas", lang), min_value=0, step=1
                ),
            },
        )
        st.number_input(
            t("staff.min_polri", lang), min_value=1, max_value=10, step=1, key=Key.PRESET_MIN_POLRI
        )
    table = once(analysis, shared, STAFFING, plan.table)
    if table.empty:
        st.caption(t("app.table_empty", lang))
    else:
        shown = once(
            analysis,
            shared,
            ("staffing_shown", lang),
            partial(_staffing_shown, table, lang, shared=shared),
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="staffing_table")
    st.download_button(
        t("staff.download", lang),
        data=audited_data(
            ctx, AuditAction.EXPORT_CSV, Text("audit.what.staffing_csv"), lambda: to_csv_safe(table)
        ),
        file_name=f"personel-{analysis.operation.key}.csv",
        mime="text/csv",
        key="staffing_csv",
        on_click="ignore",
    )


def _staffing_shown(table: pd.DataFrame, lang: str, *, shared: bool = False) -> Styler:
    """Need, availability and shortfall per area, the sites outside every area named so."""
    shown = table.assign(
        area=[area_text(c, n, lang) for c, n in zip(table["area_code"], table["area"], strict=True)]
    )
    shown = shown.drop(columns=["area_code"]).rename(
        columns={c: t(f"staff.col.{c}", lang) for c in table.columns if c != "area_code"}
    )
    return localized_table(shown, lang, shared=shared)


if __name__ == "__main__":
    render(current_page())
