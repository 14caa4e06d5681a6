"""The briefing's phase section: the timeline, staffing per phase with its peak, reserves.

Also the phase's line in the briefing's head, and the tables the map page shows beside it
(one builder for both, so the app and `posko brief` print the same figures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from geo.phases import Phase, sites_in_phase
from geo.staffing import PHASE_FIGURES, PhaseTable, Reserves, reserves_of, staffing_by_phase
from geo.text import format_date, format_distance, format_int, label, t

if TYPE_CHECKING:
    from geo.analysis import Analysis

__all__ = [
    "peak_line",
    "phase_dates",
    "phase_line",
    "phase_reserves",
    "phase_section",
    "phase_staffing_of",
    "phase_staffing_table",
    "reserves_line",
    "reserves_table",
]


def phase_dates(phase: Phase, lang: str) -> str:
    """A phase's first and last day as the app writes dates ("25-09-2024 s.d. 23-11-2024")."""
    return t("phase.dates", lang, start=format_date(phase.start), end=format_date(phase.end))


def phase_line(phase: Phase | None, lang: str) -> str:
    """What the briefing is for: the phase and its dates, or the whole operation."""
    if phase is None:
        return t("phase.whole", lang)
    return t("phase.heading", lang, name=phase.label(lang), dates=phase_dates(phase, lang))


def phase_staffing_of(analysis: Analysis) -> PhaseTable:
    """Staffing per phase of the operation's timeline, for the analysis's sites, preset and
    area level (guard groups formed within each area, as the staffing per area)."""
    sites = analysis.operation.sites
    level = analysis.area_level
    area = analysis.site_areas[level] if level else None
    return staffing_by_phase(
        sites, phases=analysis.settings.phases, preset=analysis.staffing.preset, area=area
    )


def phase_staffing_table(table: PhaseTable, lang: str) -> pd.DataFrame:
    """Staffing per phase, headed in `lang`: phase, dates, then the figures (numbers)."""
    rows = [
        {
            t("phase.col.phase", lang): p.phase.label(lang),
            t("phase.col.dates", lang): phase_dates(p.phase, lang),
            **{t(f"phase.col.{c}", lang): getattr(p, c) for c in PHASE_FIGURES},
        }
        for p in table.phases
    ]
    headers = [t("phase.col.phase", lang), t("phase.col.dates", lang)]
    headers += [t(f"phase.col.{c}", lang) for c in PHASE_FIGURES]
    return pd.DataFrame(rows, columns=headers)


def peak_line(table: PhaseTable, lang: str) -> str:
    """The phase needing the most officers, with its dates and number split as the page
    shows them (the posts' officers, who also cover the guard need of their area, the
    guards the areas short of them still need, and the reserves); "" without phases."""
    peak = table.peak
    if peak is None:
        return ""
    return t(
        "phase.peak",
        lang,
        name=peak.phase.label(lang),
        dates=phase_dates(peak.phase, lang),
        polri=format_int(peak.polri, lang),
        guards=format_int(peak.tps_polri + peak.warehouse_polri, lang),
        posts=format_int(peak.post_polri, lang),
        short=format_int(peak.shortfall_polri, lang),
        reserves=format_int(peak.reserve_polri, lang),
    )


def reserves_line(reserves: Reserves, lang: str) -> str:
    """How many reserve units and personnel, said to be apart from static guards."""
    return t(
        "phase.reserves_line",
        lang,
        n=format_int(len(reserves.units), lang),
        polri=format_int(reserves.strength, lang),
    )


def reserves_table(reserves: Reserves, lang: str) -> pd.DataFrame:
    """One row per reserve unit, headed in `lang`: base, unit, strength, response reach."""
    return pd.DataFrame(
        [
            {
                t("phase.col.base", lang): u.name,
                t("phase.col.unit", lang): label("unit", u.unit, lang) if u.unit else "–",
                t("phase.col.strength", lang): u.strength,
                t("phase.col.reach", lang): format_distance(u.reach_m, lang),
            }
            for u in reserves.units
        ],
        columns=[t(f"phase.col.{c}", lang) for c in ("base", "unit", "strength", "reach")],
    )


def _figures(frame: pd.DataFrame, lang: str, *, numeric: frozenset[int]) -> dict[str, object]:
    """A table for the briefing's table macro: every cell as text, numbers in `lang`."""
    rows = [
        [format_int(v, lang) if i in numeric else str(v) for i, v in enumerate(row)]
        for row in frame.itertuples(index=False)
    ]
    return {"headers": [str(c) for c in frame.columns], "rows": rows, "numeric": numeric}


def phase_reserves(whole: Analysis, phase_key: str | None) -> Reserves:
    """The reserve units standing by in phase `phase_key` (None: the whole operation)."""
    sites = sites_in_phase(whole.operation.sites, phase_key) if phase_key else None
    return reserves_of(whole.operation.sites if sites is None else sites, settings=whole.settings)


def phase_section(whole: Analysis, phase: Phase | None, lang: str) -> dict[str, object] | None:
    """The briefing's section on the timeline: the phase shown, staffing per phase and its
    peak, and the reserve units; None when the operation has neither phases nor reserves.

    The section is a figures-panel section (`title`, then `parts`: paragraphs and tables
    the panel's template prints, escaping every value).

    Parameters
    ----------
    whole
        The analysis of the whole operation (every phase's sites).
    phase
        The phase the briefing is for; None: the whole operation.
    lang
        Language of every label.
    """
    phases = whole.settings.phases
    reserves = phase_reserves(whole, phase.key if phase else None)
    if not phases and not reserves.units:
        return None
    parts: list[object] = []
    if phases:
        table = phase_staffing_of(whole)
        shown = phase_staffing_table(table, lang)
        numeric = frozenset(range(2, len(shown.columns)))
        parts += [
            phase_line(phase, lang),
            _figures(shown, lang, numeric=numeric),
            peak_line(table, lang),
            t("phase.staffing_note", lang),
        ]
    if reserves.units:
        parts += [
            reserves_line(reserves, lang),
            _figures(reserves_table(reserves, lang), lang, numeric=frozenset({2})),
        ]
    elif phase is not None and reserves_of(whole.operation.sites, settings=whole.settings).units:
        parts.append(t("phase.no_reserves", lang, phase=phase.label(lang)))
    title = t("phase.staffing", lang) if phases else t("phase.reserves", lang)
    return {"title": title, "parts": parts}
