"""The phase choice the map and scenarios pages share: the whole operation or one phase of
its timeline, on a slider with the chosen phase's name and dates on the same line."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

from geo.audit import zone_info
from geo.operation import Operation, operation_time_zone
from geo.phases import Phase, phase_by_key, phase_on
from geo.text import t
from layers.brief_phases import phase_line
from pages.state import AppState, Key

__all__ = ["ALL_PHASES", "PHASE_CHOICE_KEY", "default_phase", "render_phase_choice"]

ALL_PHASES = "*"  # the first stop, the whole operation: never a phase key (those are slugs)
PHASE_CHOICE_KEY = "posko_phase_choice"
# The slider and its line stay side by side on a phone too (one row, not two): the line
# names the phase and its dates, so neither the slider's label nor the value over its
# thumb is shown (the slider still says both to a screen reader).
_ONE_LINE_CSS = f"""<style>
.st-key-{PHASE_CHOICE_KEY} [data-testid="stHorizontalBlock"] {{ flex-wrap: nowrap;
  gap: 0.75rem; align-items: center; }}
.st-key-{PHASE_CHOICE_KEY} [data-testid="stColumn"] {{ min-width: 0 !important; }}
.st-key-{PHASE_CHOICE_KEY} [data-testid="stSlider"] {{ padding: 0 0.5rem; }}
.st-key-{PHASE_CHOICE_KEY} [data-testid="stSliderThumbValue"] {{ display: none; }}
.st-key-{PHASE_CHOICE_KEY} [data-testid="stCaptionContainer"] {{ line-height: 1.25; }}
</style>"""


def default_phase(operation: Operation, today: date | None = None) -> str:
    """The phase choice a session starts with: the phase of today's date (in the
    operation's time zone) when it falls in the timeline, else the whole operation."""
    if today is None:
        zone = operation_time_zone(operation.settings, operation.areas, operation.sites)
        today = datetime.now(zone_info(zone)).date()
    phase = phase_on(operation.settings, today)
    return phase.key if phase else ALL_PHASES


def render_phase_choice(operation: Operation, state: AppState, lang: str) -> Phase | None:
    """The phase slider (the whole operation, then each phase in order) with the line naming
    the chosen phase and its dates beside it; None (nothing drawn) when the operation has
    no timeline.

    The choice is the session's (`Key.PHASE`): the map page and the scenarios page show the
    same phase.
    """
    phases = operation.settings.phases
    if not phases:
        return None
    options = [ALL_PHASES, *(p.key for p in phases)]
    if state.store.get(Key.PHASE) not in options:  # a new session, or another operation
        state.store[Key.PHASE] = default_phase(operation)
    names = {p.key: p.label(lang) for p in phases}
    st.html(_ONE_LINE_CSS)
    slider_col, line_col = st.container(key=PHASE_CHOICE_KEY).columns([5, 6])
    chosen = slider_col.select_slider(
        t("phase.choose", lang),
        options,
        key=Key.PHASE,
        format_func=lambda k: names.get(k) or t("phase.all", lang),
        label_visibility="collapsed",
    )
    phase = phase_by_key(operation.settings, chosen)
    line_col.caption(phase_line(phase, lang))
    return phase
