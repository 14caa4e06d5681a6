"""The figures of a plan as saved, worked out once per process for every tab showing it.

The map page reads each figure of a shared analysis through :func:`once` under a key named
here. :func:`warm_figures` works out, under the same keys, the figures a first tab of the
map page shows (the phase's view, the headline figures, the top of the area summary, the
uncovered list, the staffing per phase): the server's warm-up (`pages.warmup`) calls it, so
the first viewer after a restart of a national operation does not wait for them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from geo.analysis import Analysis, analyse_phase
from geo.summary import area_summary, summary_levels, uncovered_table
from layers.brief_phases import phase_staffing_of
from layers.export import shown_weighted_score

if TYPE_CHECKING:
    from geo.summary import AreaScope

__all__ = [
    "BY_KIND",
    "BY_RISK",
    "PHASE_STAFFING",
    "STAFFING",
    "WEIGHTED",
    "area_key",
    "once",
    "phase_view",
    "uncovered_key",
    "warm_figures",
]

BY_KIND = ("by_kind",)
BY_RISK = ("by_risk",)
WEIGHTED = ("weighted",)
STAFFING = ("staffing",)
PHASE_STAFFING = ("phase_staffing",)

_T = TypeVar("_T")


def area_key(level: str, within: AreaScope | None) -> tuple:
    """Key of the area summary at `level` for the sites `within` an area (None: all)."""
    return ("area_summary", level, within)


def uncovered_key(scope: AreaScope | None) -> tuple:
    """Key of the uncovered TPS list of `scope` (None: the whole operation)."""
    return ("uncovered_rows", scope)


@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def _figures_of(analysis_id: int, _analysis: Analysis) -> tuple[Analysis, dict]:
    """A shared analysis's figures worked out so far (the value holds the analysis: while
    cached, no other object can take its id, the key)."""
    del analysis_id  # the cache key
    return _analysis, {}


def once(analysis: Analysis, shared: bool, key: tuple, compute: Callable[[], _T]) -> _T:
    """`compute()`, kept with a shared analysis for every tab showing it (read-only: no
    caller changes what it gets); computed afresh for a tab's own analysis."""
    if not shared:
        return compute()
    kept, figures = _figures_of(id(analysis), analysis)
    if kept is not analysis:
        msg = "the figure cache returned the figures of another analysis"
        raise RuntimeError(msg)
    if key not in figures:  # two tabs at once may both compute it: the same value
        figures[key] = compute()
    return figures[key]


def phase_view(whole: Analysis, phase_key: str | None, shared: bool) -> Analysis:
    """The analysis of phase `phase_key`'s sites (None: `whole` itself)."""
    return once(whole, shared, ("phase", phase_key), partial(analyse_phase, whole, phase_key))


def warm_figures(whole: Analysis, phase_key: str | None) -> Analysis:
    """Work out, shared, the figures a first tab of the map page shows for the plan as
    saved (`whole`) in phase `phase_key`; return that phase's view."""
    view = phase_view(whole, phase_key, True)
    once(view, True, BY_KIND, view.by_kind)
    once(view, True, BY_RISK, view.by_risk)
    once(view, True, WEIGHTED, partial(shown_weighted_score, view))
    once(view, True, STAFFING, view.staffing.table)
    levels = summary_levels(view)
    if levels:
        once(view, True, area_key(levels[0], None), partial(area_summary, view, levels[0]))
    once(view, True, uncovered_key(None), partial(uncovered_table, view, within=None))
    if whole.settings.phases:
        once(whole, True, PHASE_STAFFING, partial(phase_staffing_of, whole))
    return view
