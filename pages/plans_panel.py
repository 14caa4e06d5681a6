"""The plans panel of the map page: which plan the map shows, its draft, saving and history.

A draft is the plan being edited in this browser tab: its content as loaded (or last
saved), the content with the tab's edits, and the live coverage of the edited content (so
that an edit refreshes the figures without a full recompute). It lives in the session;
saving writes the edited content to the operation's store as a new plan version. A save
refused because another tab saved the plan first offers to reload it or to keep this tab's
edits as a new plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

import geo.analysis
from geo.access import Action, require
from geo.analysis import Analysis
from geo.errors import PoskoError
from geo.incremental import EditResult, LiveCoverage
from geo.model import PLAN_STATUSES, PlanStatus
from geo.operation import Operation
from geo.plans import (
    INITIAL_PLAN_ID,
    PlanContent,
    PlanInfo,
    Plans,
    apply_plan,
    initial_content,
    initial_plan_name,
    plan_version_note,
    readable_time,
)
from geo.store import StoreConflict
from geo.text import format_int, label, localized, t
from layers.mapview import map_bounds
from layers.plan_edit import EditZone
from pages.shared import md
from pages.state import Key, PageContext

__all__ = ["Draft", "current_draft", "reload_draft", "render_panel"]

_INITIAL = ""  # the plan choice that stands for the implicit initial plan
PANEL_KEY = "posko_plan_panel"
# The caution line above ends in a paragraph without bottom margin: keep the row clear of
# it. On a narrow screen (a projector at 1024x768, a phone) the plan choice takes a row and
# the three buttons share the next one, their labels wrapping rather than cut off (on a
# phone in smaller type on one line), so that the map still starts on the first screen.
_PANEL_CSS = f"""<style>
.st-key-{PANEL_KEY} {{ margin-top: 0.5rem; }}
@media (max-width: 1200px) {{
  .st-key-{PANEL_KEY} [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; gap: 0.25rem; }}
  .st-key-{PANEL_KEY} [data-testid="stColumn"] {{ flex: 1 1 0 !important; min-width: 0 !important;
    width: auto !important; }}
  .st-key-{PANEL_KEY} [data-testid="stColumn"]:first-child {{ flex: 1 1 100% !important; }}
  .st-key-{PANEL_KEY} button p {{ white-space: normal; overflow-wrap: anywhere;
    line-height: 1.15; }}
}}
@media (max-width: 640px) {{
  .st-key-{PANEL_KEY} {{ margin-top: 0.2rem; }}
  .st-key-{PANEL_KEY} button {{ min-height: 1.9rem; padding: 0.05rem 0.3rem; }}
  .st-key-{PANEL_KEY} button p {{ font-size: 0.72rem; white-space: nowrap; }}
}}
</style>"""


@dataclass
class Draft:
    """The plan this tab shows and edits.

    Attributes
    ----------
    operation_key, signature, operation
        The operation (and its file version) the draft was built on.
    info
        The saved plan, or None for the implicit initial plan (made of the imported posts).
    saved
        The content as loaded or last saved.
    content
        The content with this tab's edits.
    live
        Live coverage of `content`, built on first use (a tab that only looks never pays
        for it).
    bounds
        South, west, north, east of the map's frame when the plan was loaded: an edit never
        reframes the map.
    """

    operation_key: str
    signature: tuple
    operation: Operation
    info: PlanInfo | None
    saved: PlanContent
    content: PlanContent
    bounds: tuple[float, float, float, float]
    edited: bool = False
    conflict: str = ""  # why the last save was refused (another tab saved first)
    loads: int = 0
    last_change: EditResult | None = None
    settings_key: tuple = ()
    pending: tuple[float, float] | None = None
    pending_zone: EditZone | None = None
    messages: list[str] = field(default_factory=list)
    _analysis: Analysis | None = field(default=None, repr=False)
    _live: LiveCoverage | None = field(default=None, repr=False)
    _shared: Analysis | None = field(default=None, repr=False)  # the plan's, as saved

    @property
    def live(self) -> LiveCoverage:
        """Live coverage of `content` (its own arrays: an edit never reaches the analysis
        it was built from, which other tabs may share)."""
        if self._live is None:
            self._live = LiveCoverage.from_analysis(self.analysis())
        return self._live

    @property
    def as_saved(self) -> bool:
        """Whether the analysis is the plan's as saved, shared by every tab showing it."""
        return self._analysis is not None and self._analysis is self._shared

    @property
    def plan_id(self) -> str:
        """The saved plan's id ("" for the implicit initial plan)."""
        return self.info.plan_id if self.info else _INITIAL

    @property
    def token(self) -> str:
        """Changes whenever the draft is (re)loaded: the sidebar's choices follow it then."""
        return f"{self.operation_key}:{self.plan_id}:{self.loads}"

    def analysis(self) -> Analysis:
        """The analysis of the edited content (built once per edit: a run that edits
        nothing, e.g. a row picked in a table, reuses it)."""
        if self._analysis is None:
            self._analysis = self.live.analysis()
        return self._analysis

    def apply(self, content: PlanContent, result: EditResult | None = None) -> None:
        """Take an edit of the content (its effect on the coverage is `result`)."""
        # an edit that moves no post (a zone) leaves the live coverage as it was: build it
        # now from the analysis before the edit, which is about to be dropped
        _ = self.live
        self.content = content
        self.edited = True
        self.last_change = result
        self._analysis = None

    def rebase(self, operation: Operation, signature: tuple) -> None:
        """Keep the edits over a new version of the operation's files (an import, a save)."""
        self._live = _live(operation, self.info, self.content)
        self.operation = operation
        self.signature = signature
        self._analysis = None

    def rebuild(self, operation: Operation, content: PlanContent) -> None:
        """Take content whose settings changed: the coverage is computed afresh."""
        self._live = _live(operation, self.info, content)
        self.operation = operation
        self.content = content
        self.edited = True
        self.last_change = None
        self._analysis = None


def _analyse(operation: Operation) -> Analysis:
    """`geo.analysis.analyse`, looked up when called (a test may stand in for it)."""
    return geo.analysis.analyse(operation)


def _live(operation: Operation, info: PlanInfo | None, content: PlanContent) -> LiveCoverage:
    """Live coverage of a plan's content over the operation's site list."""
    return LiveCoverage.from_analysis(_analyse(apply_plan(operation, info, content)))


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _initial(path: str, signature: tuple, _operation: Operation) -> PlanContent:
    """The operation's initial plan (its imported posts, validated), once per process and
    file version: every run asks the plans, and each `Plans.for_operation` builds it."""
    del path, signature  # the cache key
    return initial_content(_operation)


def _plans(ctx: PageContext) -> Plans:
    """The open operation's plans (`Plans.for_operation` with the shared initial plan)."""
    return plans_of(ctx.path, ctx.signature, ctx.operation)


def plans_of(path: Path, signature: tuple, operation: Operation) -> Plans:
    """The plans of the operation at `path` (file version `signature`), its initial plan
    shared by every tab."""
    initial = _initial(str(path), signature, operation)
    return Plans(operation.path, initial=initial, settings=operation.base_settings)


def warm_plan(path: Path, signature: tuple, operation: Operation) -> Analysis:
    """Analyse the plan a tab opens first (the current plan), into the cache every tab
    reads (`posko serve` does it when the server starts)."""
    plans = plans_of(path, signature, operation)
    current = plans.current()
    info = plans.find(current.plan_id) if current else None  # as a tab's `_load` finds it
    return _shared_plan(str(path), signature, repr(info), operation, plans, info).analysis


@dataclass(frozen=True)
class _Loaded:
    """A plan as saved and its analysis: read-only, shared by every tab that opens it (a
    tab's draft replaces what it edits, never changes these in place)."""

    content: PlanContent
    analysis: Analysis
    bounds: tuple[float, float, float, float]


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _shared_plan(
    path: str,
    signature: tuple,
    plan: str,
    _operation: Operation,
    _plans: Plans,
    _info: PlanInfo | None,
) -> _Loaded:
    """A saved plan's content and analysis, once per process for every tab that opens the
    same plan version over the same file version (a province costs ~0.5 s of a core)."""
    del plan  # the cache key (the saved plan's info, as text)
    content = _plans.content(_info.plan_id) if _info else _initial(path, signature, _operation)
    analysis = _analyse(apply_plan(_operation, _info, content))
    return _Loaded(content=content, analysis=analysis, bounds=map_bounds(analysis))


def _load(ctx: PageContext, plan_id: str, loads: int) -> Draft:
    """A fresh draft of a saved plan (or of the initial plan for ""), its content and
    analysis shared with the other tabs showing the same version of it."""
    operation = ctx.operation
    plans = _plans(ctx)
    info = plans.find(plan_id) if plan_id else None
    loaded = _shared_plan(str(ctx.path), ctx.signature, repr(info), operation, plans, info)
    return Draft(
        operation_key=operation.key,
        signature=ctx.signature,
        operation=operation,
        info=info,
        saved=loaded.content,
        content=loaded.content,
        bounds=loaded.bounds,
        loads=loads + 1,
        _analysis=loaded.analysis,
        _shared=loaded.analysis,
    )


def _chosen_plan(ctx: PageContext) -> str:
    """The plan a tab opens first: the operation's current plan ("" for the initial one)."""
    current = _plans(ctx).current()
    return current.plan_id if current else _INITIAL


def current_draft(ctx: PageContext) -> Draft:
    """This tab's draft of the open operation, loaded on first use or when the operation
    changes; a new file version (an import, a save) keeps the edits."""
    store = ctx.state.store
    draft: Draft | None = store.get(Key.DRAFT)
    operation = ctx.operation
    if draft is None or draft.operation_key != operation.key:
        plan_id = store.pop(Key.PLAN_NEXT, None)
        chosen = _chosen_plan(ctx) if plan_id is None else plan_id
        draft = _load(ctx, chosen, draft.loads if draft else 0)
        store[Key.DRAFT] = draft
        store[Key.PLAN_CHOICE] = draft.plan_id
    elif draft.signature != ctx.signature:
        draft.rebase(operation, ctx.signature)
    return draft


def reload_draft(ctx: PageContext, plan_id: str) -> None:
    """Load a plan as it is saved (dropping this tab's edits) and show it next run."""
    old: Draft | None = ctx.state.store.get(Key.DRAFT)
    draft = _load(ctx, plan_id, old.loads if old else 0)
    ctx.state.store[Key.DRAFT] = draft
    ctx.state.store[Key.PLAN_NEXT] = draft.plan_id
    ctx.state.selected_site = None


def _rerun_with(ctx: PageContext, plan_id: str, message: str = "") -> None:
    """Reload `plan_id`, keep a message for the next run and run the page again."""
    reload_draft(ctx, plan_id)
    if message:
        ctx.state.store[Key.DRAFT].messages.append(message)
    st.rerun()


def _plan_label(plans: dict[str, PlanInfo], plan_id: str, lang: str) -> str:
    """A plan's name and status as the plan choice lists it."""
    if plan_id == _INITIAL:
        return initial_plan_name(lang)
    info = plans[plan_id]
    return f"{info.name} · {label('plan_status', info.status, lang)}"


def render_panel(ctx: PageContext, draft: Draft) -> None:
    """The plan choice, what the map shows, unsaved edits, saving, and the plan tools."""
    lang, state = ctx.lang, ctx.state
    store = state.store
    if Key.PLAN_NEXT in store:
        store[Key.PLAN_CHOICE] = store.pop(Key.PLAN_NEXT)
    store.setdefault(Key.PLAN_CHOICE, draft.plan_id)  # the widget is forgotten on other pages
    plans = _plans(ctx)
    infos = {info.plan_id: info for info in plans.list()}
    options = list(infos) or [_INITIAL]
    if draft.plan_id not in options:
        options.insert(0, draft.plan_id)
    for message in draft.messages:
        st.success(message)
    draft.messages.clear()
    if draft.conflict:
        # above the buttons: the save box may still be open below them
        _render_conflict(ctx, draft, plans)
    st.html(_PANEL_CSS)
    cols = st.container(key=PANEL_KEY).columns([4, 2, 2, 2], vertical_alignment="center")
    # a viewer sees the plans but changes none (and every write checks again on the server):
    # no tool is drawn for them, and a slider moved is a what-if another plan's choice drops
    writes = ctx.actor.may(Action.PLAN, ctx.operation.key)
    held = draft.edited and writes
    chosen = cols[0].selectbox(
        t("panel.plan", lang),
        options,
        key=Key.PLAN_CHOICE,
        format_func=lambda p: _plan_label(infos, p, lang),
        disabled=held,
        help=t("panel.save_first", lang) if held else None,
        label_visibility="collapsed",
    )
    if chosen != draft.plan_id and not held:
        _rerun_with(ctx, chosen)
    if writes:
        _render_tools(ctx, draft, plans, cols[1:])
    st.caption(_shows(draft, lang, writes=writes))


def _render_tools(ctx: PageContext, draft: Draft, plans: Plans, cols: list) -> None:
    """Save, discard and the plan tools (for those who may write plans)."""
    lang = ctx.lang
    with cols[0].popover(
        t("panel.save", lang), type="primary", disabled=not draft.edited, width="stretch"
    ):
        if st.button(t("panel.save_now", lang), key="plan_save", type="primary"):
            _save(ctx, draft, plans)
    if cols[1].button(
        t("panel.discard", lang), key="plan_discard", disabled=not draft.edited, width="stretch"
    ):
        _rerun_with(ctx, draft.plan_id)
    with cols[2].popover(t("panel.manage", lang), width="stretch"):
        _render_manage(ctx, draft, plans)


def _shows(draft: Draft, lang: str, *, writes: bool) -> str:
    """Which plan the map shows, its status, and whether it has unsaved edits (for a viewer:
    that the changed view cannot be saved)."""
    info = draft.info
    name = info.name if info else initial_plan_name(lang)
    status = label("plan_status", info.status if info else PlanStatus.DRAFT, lang)
    current = t("panel.current_mark", lang) if info is None or info.current else ""
    text = t("panel.shows", lang, name=md(name), status=md(status), current=current)
    if draft.edited:
        note = t("panel.unsaved" if writes else "panel.view_only", lang)
        text += f" · :orange[**● {note}**]"
    return text


def _who(ctx: PageContext) -> str:
    """The signed-in planner's name, after checking (on the server, at every write) that they
    may change this operation's plans.

    Raises
    ------
    AccessDenied
        When the signed-in user may not change plans of this operation.
    """
    require(ctx.actor, Action.PLAN, ctx.operation.key)
    return ctx.actor.name


def _save(ctx: PageContext, draft: Draft, plans: Plans) -> None:
    """Save the draft as the plan's next version (the initial plan becomes a saved plan)."""
    who = _who(ctx)
    try:
        # version 0 of the initial plan: the implicit one, saved now for the first time
        info = plans.save(
            draft.info.plan_id if draft.info else INITIAL_PLAN_ID,
            draft.content,
            base_version=draft.info.version if draft.info else 0,
            who=who,
        )
    except StoreConflict as exc:
        draft.conflict = localized(exc, ctx.lang)
        st.rerun()  # the message and its two ways out show under the plan choice
    except PoskoError as exc:
        st.error(localized(exc, ctx.lang))
        return
    st.cache_data.clear()
    _rerun_with(ctx, info.plan_id, t("panel.saved", ctx.lang, name=info.name, version=info.version))


def _render_conflict(ctx: PageContext, draft: Draft, plans: Plans) -> None:
    """Another tab saved the plan first: reload it, or keep these edits as a new plan."""
    lang = ctx.lang
    name = draft.info.name if draft.info else initial_plan_name(lang)
    st.error(draft.conflict)
    cols = st.columns(2)
    if cols[0].button(t("panel.conflict_reload", lang), key="conflict_reload"):
        _rerun_with(ctx, draft.plan_id or _chosen_plan(ctx))
    if cols[1].button(t("panel.conflict_new", lang), key="conflict_new"):
        who = _who(ctx)
        try:
            info = plans.create(
                _free_name(plans, t("panel.copy_name", lang, name=name)), draft.content, who=who
            )
        except PoskoError as exc:
            st.error(localized(exc, lang))
            return
        _rerun_with(ctx, info.plan_id, t("panel.saved", lang, name=info.name, version=1))


def _free_name(plans: Plans, name: str) -> str:
    """`name`, or `name 2`, `name 3` … : the first no plan has."""
    taken = {info.name.casefold().strip() for info in plans.list()}
    candidate, n = name, 1
    while candidate.casefold().strip() in taken:
        n += 1
        candidate = f"{name} {n}"
    return candidate


def _empty(content: PlanContent) -> PlanContent:
    """The same settings, no posts and no zones."""
    for site_id in list(content.posts["site_id"]):
        content = content.with_post_removed(site_id)
    return content.with_zones(())


def _render_manage(ctx: PageContext, draft: Draft, plans: Plans) -> None:
    """New plan (empty or copy), rename, status, make current, history and rollback."""
    lang = ctx.lang
    name = st.text_input(t("panel.new_name", lang), key="plan_new_name")
    cols = st.columns(2)
    new_empty = cols[0].button(t("panel.new_empty", lang), key="plan_new_empty")
    new_copy = cols[1].button(t("panel.new_copy", lang), key="plan_new_copy")
    if (new_empty or new_copy) and (who := _who(ctx)):
        content = _empty(draft.content) if new_empty else draft.content
        _act(ctx, lambda: plans.create(name.strip(), content, who=who))
    info = draft.info
    if info is None:
        return
    st.divider()
    cols = st.columns(2, vertical_alignment="bottom")
    new_name = cols[0].text_input(t("panel.rename", lang), value=info.name, key="plan_rename")
    if cols[1].button(t("panel.rename", lang), key="plan_rename_go") and (who := _who(ctx)):
        _act(ctx, lambda: plans.rename(info.plan_id, new_name, base_version=info.version, who=who))
    statuses = list(PLAN_STATUSES)
    status = cols[0].selectbox(
        t("panel.status", lang),
        statuses,
        index=statuses.index(info.status),
        key="plan_status",
        format_func=lambda s: label("plan_status", s, lang),
    )
    if cols[1].button(t("panel.set_status", lang), key="plan_status_go") and (who := _who(ctx)):
        _act(
            ctx,
            lambda: plans.set_status(info.plan_id, status, base_version=info.version, who=who),
        )
    current = not info.current and st.button(t("panel.make_current", lang), key="plan_current")
    if current and (who := _who(ctx)):
        _act(ctx, lambda: _make_current(plans, info, who))
    _render_history(ctx, plans, info)


def _make_current(plans: Plans, info: PlanInfo, who: str) -> PlanInfo:
    """Make the plan the operation's current plan; its info as it is then."""
    plans.set_current(info.plan_id, who=who)
    return plans.find(info.plan_id)


def _act(ctx: PageContext, action: Callable[[], PlanInfo]) -> None:
    """Run a plan action that returns the plan's info; show it afterwards (or the error)."""
    draft: Draft = ctx.state.store[Key.DRAFT]
    if draft.edited:
        st.warning(t("panel.save_first", ctx.lang))
        return
    try:
        info = action()
    except PoskoError as exc:
        st.error(localized(exc, ctx.lang))
        return
    st.cache_data.clear()
    _rerun_with(ctx, info.plan_id)


def _render_history(ctx: PageContext, plans: Plans, info: PlanInfo) -> None:
    """Every saved version of the plan, and rolling back to one with a confirmation."""
    lang = ctx.lang
    versions = plans.history(info.plan_id)
    st.caption(t("panel.history", lang))
    table = pd.DataFrame(
        {
            t("panel.col.version", lang): [v.version for v in versions],
            t("panel.col.saved_at", lang): [
                readable_time(v.saved_at, str(ctx.operation.settings.time_zone)) for v in versions
            ],
            t("panel.col.saved_by", lang): [v.saved_by or "—" for v in versions],
            t("panel.col.note", lang): [plan_version_note(v.note, lang) for v in versions],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", key="plan_history")
    older = [v.version for v in versions if v.version != info.version]
    if not older:
        return
    cols = st.columns(2, vertical_alignment="bottom")
    version = cols[0].selectbox(t("panel.rollback_to", lang), older, key="plan_rollback_to")
    confirmed = st.checkbox(
        t("panel.rollback_confirm", lang, version=format_int(version, lang)),
        key="plan_rollback_ok",
    )
    go = cols[1].button(t("panel.rollback", lang), key="plan_rollback", disabled=not confirmed)
    if go and (who := _who(ctx)):
        _act(
            ctx,
            lambda: plans.rollback(
                info.plan_id, version, base_version=info.version, who=who, confirmed=True
            ),
        )
