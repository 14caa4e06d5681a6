"""Editing the plan from the map page: the map's reported edits, and the small forms beside
the map (a new post, a selected post, a new zone).

Every edit changes the tab's draft (`pages.plans_panel.Draft`): its content, and its live
coverage, so that the figures, rings and lists of the next run show the edit.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from geo.errors import PoskoError
from geo.model import ZONE_KINDS, Col, PostType, Unit, ZoneKind
from geo.phases import PHASE_SEPARATOR
from geo.plans import PlanContent, Zone
from geo.text import format_int, label, localized, t
from layers.plan_edit import EditEvent, EditPost, EditZone, PlanEditLayer, parse_event
from pages.plans_panel import Draft
from pages.shared import md
from pages.state import AppState, PageContext

__all__ = ["apply_event", "handle_map_event", "plan_edit_layer", "render_edit_forms"]

MAP_KEY = "map"  # the map component's key: its last reported value is kept under it
DEFAULT_PERSONNEL = 4


def plan_edit_layer(draft: Draft, state: AppState, lang: str) -> PlanEditLayer:
    """The editing overlay of the draft: its zones, and its posts while editing."""
    posts = draft.content.posts
    editing = state.edit_mode != "view"
    # columns, not rows: a national plan has thousands of posts
    types = {str(p): p for p in PostType}
    columns = zip(
        posts[Col.SITE_ID].astype(str),
        posts[Col.NAME].astype(str),
        posts[Col.POST_TYPE].astype(str),
        posts.geometry.y,
        posts.geometry.x,
        strict=True,
    )
    return PlanEditLayer(
        posts=[
            EditPost(site_id=i, name=n, post_type=types.get(p) or PostType(p), lat=y, lon=x)
            for i, n, p, y, x in columns
        ],
        zones=[_edit_zone(z) for z in draft.content.zones] if state.layer_on("zones") else [],
        editing=editing,
        adding=state.edit_mode == "add",
        pending=draft.pending if editing else None,
        pending_zone=draft.pending_zone if editing else None,
        lang=lang,
    )


def _edit_zone(zone: Zone) -> EditZone:
    return EditZone(
        zone_id=zone.zone_id,
        kind=str(zone.kind),
        name=zone.name,
        geometry=zone.geometry,
        radius_m=zone.radius_m,
    )


def handle_map_event(draft: Draft, state: AppState) -> str | None:
    """Apply the edit the map reported last, once (a value seen before is ignored).

    Returns
    -------
    message
        Why the plan refused the edit, or None.
    """
    value = state.store.get(MAP_KEY)
    drawing = value.get("last_active_drawing") if isinstance(value, Mapping) else None
    event = parse_event(drawing)
    if event is None or event.seq == state.edit_seq:
        return None
    state.edit_seq = event.seq
    if state.edit_mode == "view":
        return None
    try:
        apply_event(draft, event, state)
    except PoskoError as exc:
        return localized(exc, state.lang or "id")
    return None


def apply_event(draft: Draft, event: EditEvent, state: AppState) -> None:
    """Apply one reported edit to the draft.

    Raises
    ------
    PoskoError
        When the plan refuses the edit (e.g. a position that is not valid).
    """
    posts = set(draft.content.posts[Col.SITE_ID])
    located = event.lon is not None and event.lat is not None
    if event.action == "move" and event.site_id in posts and located:
        content = draft.content.with_post_moved(event.site_id, event.lon, event.lat)
        draft.apply(content, draft.live.move_post(event.site_id, event.lon, event.lat))
        state.selected_site = event.site_id
    elif event.action == "select" and event.site_id in posts:
        state.selected_site = event.site_id
        draft.pending = None
    elif event.action == "add" and located:
        draft.pending = (event.lat, event.lon)
        draft.pending_zone = None
    elif event.action == "zone_new" and event.geometry is not None:
        draft.pending_zone = _new_zone(event)
        draft.pending = None
    elif event.action == "zones_edited" and event.zones:
        edits = {zone_id: (shape, radius) for zone_id, shape, radius in event.zones}
        zones = tuple(
            dataclasses.replace(z, geometry=edits[z.zone_id][0], radius_m=edits[z.zone_id][1])
            if z.zone_id in edits
            else z
            for z in draft.content.zones
        )
        draft.apply(draft.content.with_zones(zones), draft.last_change)
    elif event.action == "zones_deleted" and event.zone_ids:
        gone = set(event.zone_ids)
        zones = tuple(z for z in draft.content.zones if z.zone_id not in gone)
        draft.apply(draft.content.with_zones(zones), draft.last_change)


def _new_zone(event: EditEvent) -> EditZone:
    """A drawn shape as a zone still to be named: a circle is a sterile ring."""
    ring = event.radius_m is not None and event.geometry.geom_type == "Point"
    return EditZone(
        zone_id=f"zone-{uuid.uuid4().hex[:8]}",
        kind=str(ZoneKind.STERILE if ring else ZoneKind.CLOSURE),
        name="",
        geometry=event.geometry,
        radius_m=event.radius_m if ring else None,
    )


def render_edit_forms(draft: Draft, ctx: PageContext) -> None:
    """The form of what is being edited: a new post, a new zone, or the selected post."""
    selected = ctx.state.selected_site
    if draft.pending is not None:
        _add_post_form(draft, ctx)
    elif draft.pending_zone is not None:
        _zone_form(draft, ctx)
    elif selected and selected in set(draft.content.posts[Col.SITE_ID]):
        _post_form(draft, ctx, selected)


def _post_type_input(lang: str, key: str, value: PostType = PostType.POS_PAM) -> PostType:
    types = list(PostType)
    return st.selectbox(
        t("edit.post_type", lang),
        types,
        index=types.index(value),
        key=key,
        format_func=lambda p: label("post_type", p, lang),
    )


def _unit_input(lang: str, key: str, value: str | None = None) -> str | None:
    """A reserve post's unit (None: none; a unit on another type of post is refused when
    the form is applied)."""
    units: list[str | None] = [None, *(u.value for u in Unit)]
    return st.selectbox(
        t("edit.unit", lang),
        units,
        index=units.index(value) if value in units else 0,
        key=key,
        format_func=lambda u: label("unit", u, lang) if u else t("edit.unit_none", lang),
        help=t("edit.unit_help", lang),
    )


def _phases_input(ctx: PageContext, key: str, value: object = None) -> str | None:
    """The phases a post exists in, among the operation's (joined by ";"; None: every
    phase); nothing is asked when the operation has no timeline."""
    phases = ctx.operation.settings.phases
    if not phases:
        return value if isinstance(value, str) and value else None
    names = {p.key: p.label(ctx.lang) for p in phases}
    held = value.split(PHASE_SEPARATOR) if isinstance(value, str) else []
    chosen = st.multiselect(
        t("edit.phases", ctx.lang),
        list(names),
        default=[k for k in held if k in names],
        key=key,
        format_func=names.__getitem__,
        placeholder=t("edit.phases_all", ctx.lang),  # none chosen: every phase
        help=t("edit.phases_help", ctx.lang),
    )
    return PHASE_SEPARATOR.join(chosen) or None


def _radius_input(lang: str, key: str, value: float | None = None) -> float | None:
    """The post's own radius (None: its type's radius)."""
    metres = st.number_input(
        t("edit.own_radius", lang),
        min_value=0,
        max_value=20_000,
        step=50,
        value=int(value or 0),
        key=key,
    )
    return float(metres) if metres else None


def _add_post_form(draft: Draft, ctx: PageContext) -> None:
    """Type, name, personnel, radius, reserve unit and phases of a post placed on the map;
    add or cancel."""
    lang = ctx.lang
    lat, lon = draft.pending
    suffix = f"{ctx.state.edit_seq}"
    st.subheader(t("edit.new_post", lang))
    with st.form(f"add_post_{suffix}", border=False):
        post_type = _post_type_input(lang, f"add_type_{suffix}")
        number = len(draft.content.posts) + 1
        name = st.text_input(
            t("edit.post_name", lang),
            value=f"{t('edit.new_post', lang)} {number}",
            key=f"add_name_{suffix}",
        )
        personnel = st.number_input(
            t("edit.personnel", lang),
            min_value=0,
            max_value=500,
            value=DEFAULT_PERSONNEL,
            key=f"add_personnel_{suffix}",
        )
        radius = _radius_input(lang, f"add_radius_{suffix}")
        unit = _unit_input(lang, f"add_unit_{suffix}")
        phases = _phases_input(ctx, f"add_phases_{suffix}")
        add = st.form_submit_button(t("edit.add", lang), type="primary")
    if st.button(t("edit.cancel", lang), key=f"add_cancel_{suffix}"):
        draft.pending = None
        st.rerun()
    if not add:
        return
    if not name.strip():
        st.error(t("edit.name_needed", lang))
        return
    try:
        content, site_id = draft.content.with_post_added(
            lon=lon,
            lat=lat,
            post_type=post_type,
            name=name.strip(),
            personnel=int(personnel),
            radius_m=radius,
            unit=unit,
            phases=phases,
        )
        row = _post_row(content, site_id)
        result = draft.live.add_post(row, lon, lat)
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    draft.apply(content, result)
    draft.pending = None
    ctx.state.selected_site = site_id
    st.rerun()


def _post_row(content: PlanContent, site_id: str) -> dict[str, object]:
    """A post's canonical fields (no geometry) as the live coverage takes them."""
    posts = content.posts
    row = posts[posts[Col.SITE_ID] == site_id].iloc[0]
    return {k: v for k, v in row.items() if k != posts.geometry.name}


def _post_form(draft: Draft, ctx: PageContext, site_id: str) -> None:
    """Change the selected post (type, name, personnel, own radius, reserve unit, phases) or
    delete it."""
    lang = ctx.lang
    posts = draft.content.posts
    row = posts[posts[Col.SITE_ID] == site_id].iloc[0]
    own = row.get(Col.RADIUS_M)
    own_radius = None if own is None or pd.isna(own) else float(own)
    st.subheader(md(row[Col.NAME]))
    with st.form(f"post_{site_id}_{ctx.state.edit_seq}", border=False):
        post_type = _post_type_input(lang, f"post_type_{site_id}", PostType(row[Col.POST_TYPE]))
        name = st.text_input(t("edit.post_name", lang), value=str(row[Col.NAME]))
        personnel = st.number_input(
            t("edit.personnel", lang),
            min_value=0,
            max_value=500,
            value=int(row[Col.PERSONNEL]) if not pd.isna(row[Col.PERSONNEL]) else 0,
        )
        radius = _radius_input(lang, f"post_radius_{site_id}", own_radius)
        held = row.get(Col.UNIT)
        unit = _unit_input(lang, f"post_unit_{site_id}", held if isinstance(held, str) else None)
        phases = _phases_input(ctx, f"post_phases_{site_id}", row.get(Col.PHASES))
        apply = st.form_submit_button(t("edit.apply", lang), type="primary")
    if st.button(t("edit.delete_post", lang), key=f"delete_{site_id}"):
        result = draft.live.remove_post(site_id)
        draft.apply(draft.content.with_post_removed(site_id), result)
        ctx.state.selected_site = None
        st.rerun()
    if not apply:
        return
    fields = {
        Col.NAME: name.strip() or str(row[Col.NAME]),
        Col.POST_TYPE: post_type,
        Col.PERSONNEL: int(personnel),
        Col.RADIUS_M: radius,
        Col.UNIT: unit,
        Col.PHASES: phases,
    }
    try:
        content = draft.content.with_post_changed(site_id, **fields)
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    draft.apply(content, draft.live.change_post(site_id, **fields))
    st.rerun()


def _zone_form(draft: Draft, ctx: PageContext) -> None:
    """Kind and name of a zone just drawn; keep it or drop it."""
    lang = ctx.lang
    zone = draft.pending_zone
    st.subheader(t("edit.new_zone", lang))
    kinds = list(ZONE_KINDS)
    with st.form(f"zone_{zone.zone_id}", border=False):
        kind = st.selectbox(
            t("edit.zone_kind", lang),
            kinds,
            index=kinds.index(ZoneKind(zone.kind)),
            format_func=lambda k: label("zone_kind", k, lang),
        )
        number = len(draft.content.zones) + 1
        name = st.text_input(
            t("edit.zone_name", lang), value=f"{label('zone_kind', kind, lang)} {number}"
        )
        if zone.radius_m is not None:
            st.caption(f"{t('edit.zone_radius', lang)}: {format_int(zone.radius_m, lang)}")
        keep = st.form_submit_button(t("edit.add_zone", lang), type="primary")
    if st.button(t("edit.cancel", lang), key=f"zone_cancel_{zone.zone_id}"):
        draft.pending_zone = None
        st.rerun()
    if not keep:
        return
    new = Zone(
        zone_id=zone.zone_id,
        kind=ZoneKind(kind),
        name=name.strip() or label("zone_kind", kind, lang),
        geometry=zone.geometry,
        radius_m=zone.radius_m,
    )
    try:
        content = draft.content.with_zones((*draft.content.zones, new))
    except PoskoError as exc:
        st.error(localized(exc, lang))
        return
    draft.apply(content, draft.last_change)
    draft.pending_zone = None
    st.rerun()
