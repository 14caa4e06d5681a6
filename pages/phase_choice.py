"""The phase choice the map and scenarios pages share: the whole operation or one phase of
its timeline, on a slider as wide as the column it is given, the chosen phase's name and
dates just over it."""

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
# The line naming the phase and its dates sits over the slider, in the room the value over
# its thumb would take (hidden: the line says it; the slider still says both to a screen
# reader), so the two take one row's height; the slider spans the width it is given, so
# each of the seven stops is a thumb's width and more apart, also on a phone.
_SLIDER_CSS = f"""<style>
.st-key-{PHASE_CHOICE_KEY} {{ gap: 0; }}
.st-key-{PHASE_CHOICE_KEY} [data-testid="stSlider"] {{ padding: 0 0.5rem;
  margin-top: -0.8rem; }}
.st-key-{PHASE_CHOICE_KEY} [data-testid="stSliderThumbValue"] {{ display: none; }}
.st-key-{PHASE_CHOICE_KEY} [data-testid="stCaptionContainer"] {{ line-height: 1.25;
  position: relative; z-index: 1; pointer-events: none; }}
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
    st.html(_SLIDER_CSS)
    box = st.container(key=PHASE_CHOICE_KEY)
    # The slider's value is in the session before this run (a widget's state is), so the
    # line over it is written first, once: a placeholder filled after the slider would
    # be empty for a moment on every run, and the map below would jump.
    phase = phase_by_key(operation.settings, state.store[Key.PHASE])
    box.caption(phase_line(phase, lang))
    box.select_slider(
        t("phase.choose", lang),
        options,
        key=Key.PHASE,
        format_func=lambda k: names.get(k) or t("phase.all", lang),
        label_visibility="collapsed",
    )
    return phase
