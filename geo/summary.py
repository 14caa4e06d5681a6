"""Summaries that scale: coverage and staffing per kabupaten/kota, kecamatan and kelurahan
(each area's children for a drill-down), and the full lists a briefing shortens, as CSV.

One table per question, whatever the operation's size: a province's 120,000 TPS become a
few dozen kabupaten/kota rows, each opening into its kecamatan and kelurahan; the full
lists (every uncovered TPS, every area) go to CSV files, never to a printed page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.areas import Level
from geo.csvsafe import to_csv_safe
from geo.model import RISKS, Col, Derived, Kind
from geo.staffing import staffed_in_phase, staffing_plan
from geo.text import DEFAULT_LANGUAGE, label, t

if TYPE_CHECKING:
    from geo.analysis import Analysis

__all__ = [
    "ATTACHMENTS",
    "OUTSIDE",
    "SUMMARY_COLUMNS",
    "UNCOVERED_COLUMNS",
    "AreaScope",
    "area_summary",
    "attachments",
    "child_level",
    "demonstration_table",
    "gravest_first",
    "summary_levels",
    "summary_table",
    "table_csv",
    "uncovered_table",
]

OUTSIDE = "outside"
"""The code of the sites outside every area of a level (as in the staffing plan)."""

SUMMARY_COLUMNS = (
    "area_code",
    "area",
    "level",
    "parent_code",
    "tps",
    "covered",
    "uncovered",
    "uncovered_share",
    "worst_uncovered",
    "polri",
    "available",
    "shortfall",
)
"""Columns of :func:`area_summary`, one row per area."""

UNCOVERED_COLUMNS = (
    "tps_no",
    "name",
    "kelurahan",
    "kecamatan",
    "risk",
    "voters",
    "nearest_post",
    "nearest_post_m",
    "site_id",
)
"""Columns of :func:`uncovered_table`, gravest first."""

_UNCOVERED_SOURCES = (
    Col.TPS_NO,
    Col.NAME,
    Col.KELURAHAN,
    Col.KECAMATAN,
    Col.RISK,
    Col.VOTERS,
    Derived.NEAREST_POST_ID,
    Derived.NEAREST_POST_M,
    Col.SITE_ID,
)
"""The analysis columns :func:`uncovered_table` reads (its sort keys among them)."""

ATTACHMENTS = ("uncovered", "areas", "staffing", "demonstration")
"""The full lists a briefing shortens, in the order they are written (`brief.<name>.csv`)."""

# catalog key of each column's heading in a CSV
_HEADINGS = {
    "area_code": "summary.col.area_code",
    "area": "col.area",
    "level": "app.area_level",
    "parent_code": "summary.col.parent_code",
    "tps": "col.tps",
    "covered": "col.covered",
    "uncovered": "col.uncovered",
    "uncovered_share": "summary.col.uncovered_share",
    "worst_uncovered": "summary.col.worst_uncovered",
    "polri": "staff.col.polri",
    "available": "staff.col.available",
    "shortfall": "staff.col.shortfall",
    "site_id": "col.site_id",
    "tps_no": "col.tps_no",
    "name": "col.name",
    "kelurahan": "col.kelurahan",
    "kecamatan": "col.kecamatan",
    "risk": "col.risk",
    "voters": "col.voters",
    "nearest_post": "col.nearest_post",
    "nearest_post_m": "col.distance_m",
    "threatened": "col.threatened",
    "threatened_m": "summary.col.threatened_m",
    "covered_flag": "col.covered",
}
_RISK_COLUMNS = frozenset({"risk", "worst_uncovered"})
# administrative levels, coarsest first; other levels (a Polsek's sectors) come after
_LEVEL_ORDER = tuple(Level)


@dataclass(frozen=True)
class AreaScope:
    """One area chosen in a drill-down: its level and code (:data:`OUTSIDE` for the sites
    outside every area of that level)."""

    level: str
    code: str


def summary_levels(analysis: Analysis) -> list[str]:
    """The operation's area levels, coarsest first: kabupaten/kota, kecamatan, kelurahan
    (then any other level, such as sectors)."""
    present = list(analysis.site_areas)
    known = [str(lv) for lv in _LEVEL_ORDER if str(lv) in present]
    return known + [lv for lv in present if lv not in known]


def child_level(analysis: Analysis, level: str) -> str | None:
    """The level below `level` in :func:`summary_levels` (None for the finest)."""
    levels = summary_levels(analysis)
    at = levels.index(level)
    return levels[at + 1] if at + 1 < len(levels) else None


def _in_scope(analysis: Analysis, scope: AreaScope | None) -> np.ndarray:
    """Which of the operation's sites lie in `scope` (all of them for None)."""
    sites = analysis.operation.sites
    if scope is None:
        return np.ones(len(sites), dtype=bool)
    where = analysis.site_areas[scope.level].reindex(sites.index)
    if scope.code == OUTSIDE:
        return where.isna().to_numpy()
    return (where == scope.code).fillna(False).to_numpy(dtype=bool)


def area_summary(
    analysis: Analysis, level: str, *, within: AreaScope | None = None
) -> pd.DataFrame:
    """Coverage and staffing per area of `level`, for the sites `within` an area above it.

    The rows of an area's children add up to the area's own row in TPS, covered, uncovered
    and officers available: each site of the area is counted in exactly one child (or in
    the child row "outside" when no area of `level` holds it). Police needed is worked out
    per area (guard groups are formed within an area), so the children's sum may exceed
    the parent's; the shortfall is summed area by area. For one phase's analysis, police
    needed counts the guards that phase needs (`geo.staffing.staffed_in_phase`), as its
    staffing does.

    Parameters
    ----------
    analysis
        The analysed operation.
    level
        The level of the rows (one of :func:`summary_levels`).
    within
        The area whose children are listed; None for every area of `level`.

    Returns
    -------
    summary
        One row per area (:data:`SUMMARY_COLUMNS`): the areas of `level` (those under
        `within` by their `parent_code`) in the areas' order, even with no TPS, then any
        other area the sites fall in, then "outside" when some sites lie in no area.
        `uncovered_share` is 0..1 (NaN without TPS); `worst_uncovered` the gravest risk
        class among the uncovered TPS (None when all are covered).
    """
    sites = analysis.operation.sites
    inside = _in_scope(analysis, within)
    codes = analysis.site_areas[level].reindex(sites.index).fillna(OUTSIDE).astype(str)
    areas = analysis.operation.areas
    listed = areas[areas["level"] == level]
    if within is not None:
        listed = listed[listed["parent_code"].astype("string") == within.code]
    names = dict(zip(listed["area_code"].astype(str), listed["name"].astype(str), strict=True))
    parents = dict(
        zip(listed["area_code"].astype(str), listed["parent_code"].astype("string"), strict=True)
    )
    guarded = inside  # the sites whose guards the phase shown needs (every one: no phase)
    if analysis.phase_key is not None:
        guarded = inside & sites.index.isin(staffed_in_phase(sites, analysis.phase_key).index)
    plan = staffing_plan(
        sites[guarded], preset=analysis.staffing.preset, area=codes[guarded], area_names=names
    )
    staffing = {a.code: a for a in plan.areas}
    coverage = _coverage_by_code(analysis, codes, inside)
    found = sorted(c for c in staffing if c not in names and c != OUTSIDE)
    order = [*names, *found, *([OUTSIDE] if OUTSIDE in staffing else [])]
    all_names = analysis.area_names()
    all_parents = dict(
        zip(areas["area_code"].astype(str), areas["parent_code"].astype("string"), strict=True)
    )
    rows = []
    for code in order:
        tps, covered, worst = coverage.get(code, (0, 0, None))
        staff = staffing.get(code)
        parent = parents.get(code, all_parents.get(code))
        rows.append(
            {
                "area_code": code,
                "area": all_names.get(code, code),
                "level": level,
                "parent_code": None if code == OUTSIDE or pd.isna(parent) else str(parent),
                "tps": tps,
                "covered": covered,
                "uncovered": tps - covered,
                "uncovered_share": (tps - covered) / tps if tps else float("nan"),
                "worst_uncovered": worst,
                "polri": staff.polri if staff else 0,
                "available": staff.available if staff else 0,
                "shortfall": staff.shortfall if staff else 0,
            }
        )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _coverage_by_code(
    analysis: Analysis, codes: pd.Series, inside: np.ndarray
) -> dict[str, tuple[int, int, str | None]]:
    """(TPS, covered, gravest uncovered risk class) per area code, for the sites `inside`."""
    tps = analysis.polling_stations
    keep = pd.Series(inside, index=analysis.operation.sites.index).reindex(tps.index)
    tps = tps[keep.fillna(False).to_numpy(dtype=bool)]
    rank = {str(r): i for i, r in enumerate(RISKS)}
    frame = pd.DataFrame(
        {
            "code": codes.reindex(tps.index).to_numpy(),
            "covered": tps[Derived.COVERED].astype(bool).to_numpy(),
            "rank": [rank.get(str(r), -1) for r in tps[Col.RISK]],
        }
    )
    frame["gap_rank"] = np.where(frame["covered"], -1, frame["rank"])
    grouped = frame.groupby("code", sort=False).agg(
        tps=("covered", "size"), covered=("covered", "sum"), worst=("gap_rank", "max")
    )
    risks = [str(r) for r in RISKS]
    return {
        str(code): (int(r.tps), int(r.covered), risks[int(r.worst)] if r.worst >= 0 else None)
        for code, r in grouped.iterrows()
    }


def summary_table(analysis: Analysis) -> pd.DataFrame:
    """Every area of every level (:func:`summary_levels`), coarsest level first: what
    `brief.areas.csv` holds."""
    tables = [area_summary(analysis, level) for level in summary_levels(analysis)]
    if not tables:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    return pd.concat(tables, ignore_index=True)


def gravest_first(gaps: pd.DataFrame) -> pd.DataFrame:
    """Polling stations gravest first: by risk class (the registry's order reversed: khusus,
    sangat rawan, rawan, kurang rawan), then farthest from a post, then kelurahan and number."""
    # keys as numbers (a national list: no per-row Python), the first key last for lexsort
    rank = -pd.Index([str(r) for r in RISKS]).get_indexer(gaps[Col.RISK].astype(object))
    risk = np.where(rank == 1, 0, rank)  # a class outside the registry ranks as the first
    far = -gaps[Derived.NEAREST_POST_M].fillna(-1.0).to_numpy(dtype=float)
    kelurahan, _ = pd.factorize(gaps[Col.KELURAHAN].fillna("").astype(str), sort=True)
    number = pd.to_numeric(gaps[Col.TPS_NO], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return gaps.iloc[np.lexsort((number, kelurahan, far, risk))]


def uncovered_table(analysis: Analysis, *, within: AreaScope | None = None) -> pd.DataFrame:
    """The uncovered polling stations (those `within` an area, or all), gravest first
    (:func:`gravest_first`), with the nearest post's name and distance in metres.

    Returns
    -------
    uncovered
        One row per uncovered TPS (:data:`UNCOVERED_COLUMNS`).
    """
    targets = analysis.coverage.targets
    # only the columns the table shows, and no geometry: a national list has 100,000s of gaps
    wanted = (targets[Col.KIND] == Kind.POLLING_STATION) & ~targets[Derived.COVERED].astype(bool)
    if within is not None:
        inside = pd.Series(_in_scope(analysis, within), index=analysis.operation.sites.index)
        wanted &= inside.reindex(targets.index).fillna(False).to_numpy(dtype=bool)
    gaps = gravest_first(pd.DataFrame(targets.loc[wanted, list(_UNCOVERED_SOURCES)]))
    posts = analysis.coverage.posts
    nearest = gaps[Derived.NEAREST_POST_ID].to_numpy(dtype=object)
    found = pd.Index(posts[Col.SITE_ID]).get_indexer(nearest)
    names = np.where(found >= 0, posts[Col.NAME].to_numpy(dtype=object)[found], nearest)
    return pd.DataFrame(  # the columns' own arrays: no round trip of 100,000s of strings
        {
            "tps_no": gaps[Col.TPS_NO].array,
            "name": gaps[Col.NAME].array,
            "kelurahan": gaps[Col.KELURAHAN].array,
            "kecamatan": gaps[Col.KECAMATAN].array,
            "risk": gaps[Col.RISK].astype(str).array,
            "voters": gaps[Col.VOTERS].array,
            "nearest_post": names,
            "nearest_post_m": gaps[Derived.NEAREST_POST_M].round(1).array,
            "site_id": gaps[Col.SITE_ID].array,
        },
        columns=list(UNCOVERED_COLUMNS),
    )


def demonstration_table(analysis: Analysis) -> pd.DataFrame:
    """Each demonstration point: nearest post and distance, covered, the building it
    threatens and how far (:meth:`Analysis.demonstration_report` as a table)."""
    return pd.DataFrame(
        [
            {
                "site_id": d["site_id"],
                "name": d["name"],
                "nearest_post": d["nearest_post"],
                "nearest_post_m": d[Derived.NEAREST_POST_M],
                "covered_flag": d[Derived.COVERED],
                "threatened": d["threatened"],
                "threatened_m": d[Derived.THREATENED_M],
            }
            for d in analysis.demonstration_report()
        ],
        columns=[
            "site_id",
            "name",
            "nearest_post",
            "nearest_post_m",
            "covered_flag",
            "threatened",
            "threatened_m",
        ],
    )


def table_csv(table: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> str:
    """A summary table as formula-safe CSV (:func:`geo.csvsafe.to_csv_safe`), headed in
    `lang`; risk classes and levels by their labels, "outside" said so, shares in percent
    with one decimal, yes/no for covered."""
    shown = table.copy()
    for column in _RISK_COLUMNS & set(shown.columns):
        shown[column] = [
            label("risk", r, lang) if isinstance(r, str) else "" for r in shown[column]
        ]
    if "level" in shown.columns:
        shown["level"] = [label("area_level", lv, lang) for lv in shown["level"]]
    if "area" in shown.columns and "area_code" in shown.columns:
        outside = shown["area_code"] == OUTSIDE
        shown.loc[outside, "area"] = t("app.outside", lang)
    if "uncovered_share" in shown.columns:
        shown["uncovered_share"] = (100 * shown["uncovered_share"].astype(float)).round(1)
    if "covered_flag" in shown.columns:
        words = {True: t("summary.yes", lang), False: t("summary.no", lang)}
        shown["covered_flag"] = [words[bool(v)] for v in shown["covered_flag"]]
    headings = {c: t(_HEADINGS[c], lang) for c in shown.columns if c in _HEADINGS}
    return to_csv_safe(shown.rename(columns=headings))


def attachments(analysis: Analysis, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The full lists behind a briefing, as CSV text by name (:data:`ATTACHMENTS`):
    every uncovered TPS, every area of every level, the staffing per area and every
    demonstration point. A list with no row at all is left out."""
    tables = {
        "uncovered": uncovered_table(analysis),
        "areas": summary_table(analysis),
        "staffing": analysis.staffing.table(),
        "demonstration": demonstration_table(analysis),
    }
    return {
        name: analysis.staffing.csv(lang) if name == "staffing" else table_csv(table, lang)
        for name, table in tables.items()
        if len(table)
    }
