"""The before/after summary of an import: what it changes and the map's figures, computed
on the would-be version before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from geo.analysis import Analysis, analyse
from geo.areas import AreaChange, compare_areas, replace_levels
from geo.matching import MatchStatus, Merge, over_share
from geo.model import Col, Kind
from geo.schema import canonical_sites
from geo.text import t

if TYPE_CHECKING:
    from geo.operation import Operation

__all__ = [
    "MATCH_COLUMNS",
    "AreaSummary",
    "Figures",
    "ImportSummary",
    "changed_fields",
    "figures",
    "match_rows",
    "summarise_areas",
    "summarise_import",
]


@dataclass(frozen=True)
class Figures:
    """The map page's headline figures of one version of the sites.

    Attributes
    ----------
    tps
        Polling stations.
    covered_share
        Share of polling stations some post reaches, 0..1.
    uncovered_tps
        Polling stations no post reaches.
    police_needed
        Polri personnel the staffing preset needs.
    """

    tps: int
    covered_share: float
    uncovered_tps: int
    police_needed: int


def figures(analysis: Analysis) -> Figures:
    """The headline figures of an analysis (the same as the map page's)."""
    tps = analysis.by_kind()[Kind.POLLING_STATION.value]
    return Figures(
        tps=tps.total,
        covered_share=tps.share,
        uncovered_tps=tps.uncovered,
        police_needed=int(analysis.staffing.polri),
    )


@dataclass(frozen=True)
class ImportSummary:
    """What an import would change.

    Attributes
    ----------
    before, after
        Headline figures now and after the save.
    added, updated, removed
        Sites per kind the import adds, updates and removes.
    unchanged, conflicts
        Imported rows that change nothing, and rows that claim a site another row claims.
    large
        Kinds of which more than the allowed share is updated or removed: (touched, before).
    max_share
        The operation's `[import] max_replace_share`.
    far_rows, far_max_m
        Rows accepted although beyond the operation's area margin, and the largest of their
        distances in metres (0 and 0.0 when there are none).
    """

    before: Figures
    after: Figures
    added: dict[str, int]
    updated: dict[str, int]
    removed: dict[str, int]
    unchanged: int
    conflicts: int
    large: dict[str, tuple[int, int]]
    max_share: float
    far_rows: int = 0
    far_max_m: float = 0.0

    @property
    def changes_anything(self) -> bool:
        """True when saving would change a site."""
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    @property
    def needs_confirmation(self) -> bool:
        """True when the change is too large to save without an explicit confirmation."""
        return bool(self.large)


def _per_kind(kinds: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for kind in kinds:
        out[kind] = out.get(kind, 0) + 1
    return out


def summarise_import(
    operation: Operation, merge: Merge, *, far: tuple[int, float] = (0, 0.0)
) -> ImportSummary:
    """The before/after summary of saving `merge` into `operation`.

    Parameters
    ----------
    operation
        The operation as it is now.
    merge
        The import's merge, from :func:`geo.operation.plan_import`.
    far
        Rows accepted beyond the area margin and their largest distance, metres
        (:attr:`geo.importer.ImportReport.far_accepted`).
    """
    # imports change the site list; the figures are those of the plan shown, applied to it
    would_be = operation.with_list_sites(canonical_sites(merge.sites))
    listed = operation.list_sites
    kind_of = dict(zip(listed[Col.SITE_ID].astype(str), listed[Col.KIND], strict=True))
    updated = [
        str(kind_of[m.site_id])
        for m in merge.matches
        if m.status == MatchStatus.UPDATE and m.site_id is not None
    ]
    max_share = float(operation.settings.max_replace_share)
    return ImportSummary(
        before=figures(analyse(operation)),
        after=figures(analyse(would_be)),
        added=_per_kind(list(merge.added_kinds)),
        updated=_per_kind(updated),
        removed=_per_kind(list(merge.removed_kinds)),
        unchanged=merge.count(MatchStatus.UNCHANGED),
        conflicts=merge.count(MatchStatus.CONFLICT),
        large=over_share(operation.list_sites, merge, max_share=max_share),
        max_share=max_share,
        far_rows=int(far[0]),
        far_max_m=float(far[1]),
    )


# Columns of the per-row match table, in order.
MATCH_COLUMNS: tuple[str, ...] = ("row", Col.SITE_ID, Col.NAME, Col.KIND, "match", "changed")


def changed_fields(changed: tuple[str, ...], lang: str | None = None) -> str:
    """The fields an update changes: their ids, or with `lang` their labels in it."""
    if lang is None:
        return ", ".join(changed)
    return ", ".join(t(f"col.{field}", lang) for field in changed)


def match_rows(accepted: pd.DataFrame, merge: Merge, *, lang: str | None = None) -> pd.DataFrame:
    """One line per accepted row: its row in the file, id, name, kind, what it does and the
    fields it changes (for an update) or the site it claims (for a conflict).

    Parameters
    ----------
    accepted
        The accepted rows the merge was planned from (same order).
    merge
        Their merge, from :func:`geo.operation.plan_import`.
    lang
        The language of the changed fields' labels; None keeps their ids (for JSON).

    Returns
    -------
    rows
        `MATCH_COLUMNS`; `match` holds a :class:`geo.matching.MatchStatus` value.
    """
    sources = accepted[Col.SOURCE].astype(str).tolist() if len(accepted) else []
    lines = []
    for m in merge.matches:
        _, _, number = sources[m.row].rpartition(":")
        site = accepted.iloc[m.row]
        if m.status == MatchStatus.UPDATE:
            detail = changed_fields(m.changed, lang)
        elif m.status in (MatchStatus.CONFLICT, MatchStatus.UNCHANGED):
            detail = m.site_id or ""
        else:
            detail = ""
        lines.append(
            (
                int(number) if number.isdigit() else m.row + 1,
                m.site_id or str(site[Col.SITE_ID]),
                str(site[Col.NAME]),
                str(site[Col.KIND]),
                m.status.value,
                detail,
            )
        )
    return pd.DataFrame(lines, columns=list(MATCH_COLUMNS))


@dataclass(frozen=True)
class AreaSummary:
    """What importing areas would change.

    Attributes
    ----------
    change
        Areas per level before and after, and which levels are replaced or added.
    before, after
        The map's headline figures now and after the save (per-area staffing follows the
        areas).
    outside_before, outside_after
        Polling stations outside every area of the analysis' level, now and after.
    """

    change: AreaChange
    before: Figures
    after: Figures
    outside_before: int
    outside_after: int

    @property
    def changes_anything(self) -> bool:
        """True when saving would change an area."""
        return self.change.changes_anything

    @property
    def needs_confirmation(self) -> bool:
        """True when a level the operation has is replaced as a whole."""
        return bool(self.change.replaced)


def _outside(analysis: Analysis) -> int:
    outside = analysis.by_area().get("outside")
    return outside.total if outside else 0


def summarise_areas(operation: Operation, areas: gpd.GeoDataFrame) -> AreaSummary:
    """The before/after summary of saving imported `areas` into `operation` (each imported
    level replaces that level as a whole)."""
    would_be = replace(operation, areas=replace_levels(operation.areas, areas))
    now, then = analyse(operation), analyse(would_be)
    return AreaSummary(
        change=compare_areas(operation.areas, would_be.areas),
        before=figures(now),
        after=figures(then),
        outside_before=_outside(now),
        outside_after=_outside(then),
    )
