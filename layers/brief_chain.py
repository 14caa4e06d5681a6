"""The briefing's logistics-chain section: legs and escorts per level, warehouse guards,
the legs beyond the posts' reach (longest stretch first) and the broken links."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from geo.logistics import (
    CHAIN_PHASE,
    REACH_TOLERANCE_M,
    LegLevel,
    LogisticsChain,
    chain_for,
    guard_line,
    legs_line,
)
from geo.phases import phase_by_key
from geo.staffing import LEG_ESCORT_MIN_POLRI, preset_label
from geo.text import format_distance, format_int, t
from layers.export import FiguresSection, FiguresTable

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.analysis import Analysis

__all__ = ["CHAIN_ROWS", "analysis_chain_section", "chain_section"]

# At most this many unreached legs and broken links are listed; the rest are counted.
CHAIN_ROWS = 20


def analysis_chain_section(analysis: Analysis, lang: str) -> FiguresSection | None:
    """The police briefing's chain section of an analysed operation (None without a chain;
    for a phase with no escort leg, a line saying when the chain is escorted)."""
    preset = preset_label(analysis.staffing.preset, lang)
    chain = chain_for(analysis)
    if analysis.phase_key is not None and chain.legs.empty:
        whole = chain_for(replace(analysis, phase_key=None))
        if not whole.legs.empty:
            return FiguresSection(t("chain.title", lang), [_not_in_phase(analysis, lang)])
    return chain_section(chain, lang, preset_name=preset)


def _not_in_phase(analysis: Analysis, lang: str) -> str:
    """The line of a phase whose chain has no escort leg: the phase the chain is escorted in."""
    settings = analysis.settings
    shown = phase_by_key(settings, analysis.phase_key or "")
    escorted = phase_by_key(settings, CHAIN_PHASE)
    return t(
        "chain.not_in_phase",
        lang,
        phase=shown.label(lang) if shown else str(analysis.phase_key),
        escorted=escorted.label(lang) if escorted else t(f"phase.{CHAIN_PHASE}", lang),
    )


def chain_section(
    chain: LogisticsChain,
    lang: str,
    *,
    preset_name: str = "",
    police: bool = True,
) -> FiguresSection | None:
    """The chain's section of a briefing panel (None when the operation has no chain).

    Parameters
    ----------
    chain
        The linked chain (:func:`geo.logistics.chain_for` for the police briefing).
    lang
        Language of every label.
    preset_name
        The staffing preset's name as shown (in the escort note).
    police
        With escort officers, warehouse guards and the legs beyond the posts' reach; False
        for a briefing for partner agencies, which shows the chain only.
    """
    if chain.empty:
        return None
    figures = chain.figures()
    headers = [t("chain.col.level", lang), t("chain.col.legs", lang), t("chain.col.length", lang)]
    escorts = police and figures.escort_polri is not None
    reach = police and figures.unreached is not None
    unreached = chain.unreached() if reach else chain.legs.iloc[0:0]
    headers += [t("chain.col.escort", lang)] if escorts else []
    headers += [t("chain.col.unreached", lang)] if reach else []
    rows = []
    for level in LegLevel:
        row = [
            t(f"chain.level.{level.value}", lang),
            format_int(figures.legs[level.value], lang),
            format_distance(figures.length_m[level.value], lang),
        ]
        if escorts and figures.escort_polri is not None:
            row.append(format_int(figures.escort_polri[level.value], lang))
        if reach:
            row.append(format_int(int((unreached["level"] == level.value).sum()), lang))
        rows.append(row)
    if escorts and figures.escort_total is not None:
        total = ["Σ", format_int(sum(figures.legs.values()), lang), ""]
        total.append(format_int(figures.escort_total, lang))
        total += [format_int(len(unreached), lang)] if reach else []
        rows.append(total)
    parts: list[FiguresTable | str] = [
        FiguresTable(headers, rows, frozenset(range(1, len(headers))))
    ]
    parts += _notes(chain, lang, preset_name=preset_name, police=police)
    if reach and len(unreached):
        parts += [t("chain.unreached_title", lang), *_unreached(unreached, lang)]
    if len(chain.broken):
        parts += [t("chain.broken_title", lang), *_broken(chain, lang)]
    return FiguresSection(t("chain.title", lang), parts)


def _notes(chain: LogisticsChain, lang: str, *, preset_name: str, police: bool) -> list[str]:
    """What the figures assume: straight or routed legs, assumed PPS points, escorts, reach."""
    figures = chain.figures()
    routed = int(chain.legs["routed"].sum())
    notes = [
        t("chain.note_routed", lang, n=format_int(routed, lang))
        if routed
        else t("chain.note_straight", lang),
        legs_line(figures, lang),
    ]
    if not police:
        return notes
    notes.append(guard_line(figures, lang))
    if figures.escort_polri is not None:
        notes.append(
            t(
                "chain.note_escort",
                lang,
                preset=preset_name,
                ppk=format_int(LEG_ESCORT_MIN_POLRI[LegLevel.PPK], lang),
                pps=format_int(LEG_ESCORT_MIN_POLRI[LegLevel.PPS], lang),
            )
        )
    if figures.unreached is not None:
        notes.append(t("chain.note_reach", lang, tolerance=format_int(REACH_TOLERANCE_M, lang)))
    return notes


def _more(total: int, lang: str) -> list[str]:
    """The line counting what a list of `total` rows leaves out ([] when shown whole)."""
    if total <= CHAIN_ROWS:
        return []
    return [
        t(
            "chain.more",
            lang,
            shown=format_int(CHAIN_ROWS, lang),
            total=format_int(total, lang),
        )
    ]


def _unreached(unreached: gpd.GeoDataFrame, lang: str) -> list[FiguresTable | str]:
    """The legs beyond reach, the longest stretch beyond reach first."""
    headers = [
        t("chain.col.level", lang),
        t("chain.col.from", lang),
        t("chain.col.to", lang),
        t("chain.col.length", lang),
        t("chain.col.beyond", lang),
    ]
    rows = [
        [
            t(f"chain.level.{leg.level}", lang),
            str(leg.from_name),
            str(leg.to_name),
            format_distance(float(leg.length_m), lang),
            format_distance(float(leg.beyond_m), lang),
        ]
        for leg in unreached.head(CHAIN_ROWS).itertuples()
    ]
    return [FiguresTable(headers, rows, frozenset({3, 4})), *_more(len(unreached), lang)]


def _broken(chain: LogisticsChain, lang: str) -> list[FiguresTable | str]:
    """The broken links, each with its reason."""
    lines = chain.broken_lines(lang)
    table = FiguresTable([t("chain.col.problem", lang)], [[line] for line in lines[:CHAIN_ROWS]])
    return [table, *_more(len(lines), lang)]
