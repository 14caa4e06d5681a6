"""The scenarios page: the open operation's demonstration scenarios of the phase chosen (the
same phase choice as the map page's), one at a time: its map (target, rings, corridors,
assembly points, reserves and their arrival), figures and tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from geo.access import Action, require
from geo.errors import PoskoError
from geo.scenarios import Scenario, load_scenarios, scenario_figures, scenarios_in_phase
from geo.text import localized, t
from layers.scenario import (
    ScenarioTable,
    assumption_lines,
    figures_table,
    late_line,
    phase_text,
    reserves_table,
    rings_table,
    scenario_map_html,
)
from pages.phase_choice import render_phase_choice
from pages.shared import md
from pages.state import PageContext, current_page

__all__ = ["MAP_HEIGHT_PX", "render", "shown"]

MAP_HEIGHT_PX = 480


def shown(table: ScenarioTable) -> pd.DataFrame:
    """A scenario table as a display frame (every cell text, as the briefing prints it)."""
    return pd.DataFrame(list(table.rows), columns=list(table.headers))


_PICK_KEY = "scenario_pick"


def _pick(items: tuple[Scenario, ...], lang: str) -> Scenario:
    """The scenario chosen among `items` (the first when the one chosen before is not
    among them: another phase)."""
    by_id = {s.id: s for s in items}
    if st.session_state.get(_PICK_KEY) not in by_id:
        st.session_state[_PICK_KEY] = items[0].id
    names = {i: s.name for i, s in by_id.items()}
    chosen = st.selectbox(
        t("scenario.pick", lang), list(by_id), format_func=names.get, key=_PICK_KEY
    )
    return by_id[chosen]


def render(ctx: PageContext) -> None:
    """Lay out the scenarios page for the open operation."""
    lang = ctx.lang
    require(ctx.actor, Action.VIEW, ctx.operation.key)
    st.subheader(t("view.scenarios", lang))
    try:
        scenarios = load_scenarios(ctx.operation)
    except PoskoError as exc:
        st.error(t("app.error", lang, error=localized(exc, lang)))
        return
    if not scenarios.items:
        st.info(t("scenario.none", lang))
        return
    phase = render_phase_choice(ctx.operation, ctx.state, lang)
    items = scenarios_in_phase(scenarios, phase.key if phase else None)
    if not items:
        st.info(t("phase.no_scenarios", lang, phase=phase.label(lang) if phase else ""))
        return
    scenario = _pick(items, lang)
    roads = ctx.operation.road_network  # the operation's road file: arrival along it
    try:
        figures = scenario_figures(scenario, late_after_min=scenarios.late_after_min, roads=roads)
    except PoskoError as exc:
        st.error(t("app.error", lang, error=localized(exc, lang)))
        return
    st.caption(
        md(
            t(
                "scenario.target",
                lang,
                target=scenario.target_name,
                phase=phase_text(scenario, lang),
            )
        )
    )
    components.html(
        scenario_map_html(scenario, figures, lang=lang, basemap=ctx.state.basemap or "none"),
        height=MAP_HEIGHT_PX,
    )
    (st.warning if figures.late else st.success)(md(late_line(figures, lang)))
    st.markdown(f"**{md(t('scenario.figures', lang))}**")
    st.dataframe(shown(figures_table(scenario, figures, lang)), hide_index=True, width="stretch")
    st.markdown(f"**{md(t('scenario.rings_title', lang))}**")
    st.dataframe(shown(rings_table(scenario, lang)), hide_index=True, width="stretch")
    st.markdown(f"**{md(t('scenario.reserves_title', lang))}**")
    st.dataframe(shown(reserves_table(figures, lang)), hide_index=True, width="stretch")
    st.markdown(f"**{md(t('scenario.assumptions', lang))}**")
    lines = assumption_lines(scenario, lang, routed=figures.routed)
    st.info("\n".join(f"- {md(line)}" for line in lines))


if __name__ == "__main__":
    render(current_page())
