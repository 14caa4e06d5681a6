"""An operation against an earlier one: TPS added, removed and moved, risk changes, figures.

Two operations (e.g. Pemilu 2024 and Pilkada 2024 of one Polres) have their own site lists,
so a TPS is matched by its kelurahan (name, case and spacing ignored) and TPS number, not by
its site id. A matched TPS has *moved* when its two positions lie more than `moved_m` apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import Analysis, Tally
from geo.compare import ChangedRow, plan_label
from geo.crs import local_metric_crs
from geo.csvsafe import to_csv_safe
from geo.model import Col, Kind, Risk, Settings
from geo.text import label, t

__all__ = [
    "MOVED_M",
    "TPS_COLUMNS",
    "OperationComparison",
    "compare_operations",
    "earlier_operation",
    "operation_start",
    "tps_key",
]

MOVED_M = 100.0
"""Default distance, metres, beyond which a matched TPS counts as moved."""

TPS_COLUMNS = (Col.TPS_NO, Col.KELURAHAN, Col.NAME, Col.RISK)
"""Columns of the added and removed TPS tables (the moved and risk tables add their own)."""


def tps_key(kelurahan: object, tps_no: object) -> str | None:
    """The matching key of a TPS: kelurahan (casefolded, spaces collapsed) and TPS number;
    None when either is missing (such a TPS cannot be matched)."""
    if pd.isna(kelurahan) or pd.isna(tps_no) or not str(kelurahan).strip():
        return None
    try:
        number = int(float(str(tps_no)))
    except ValueError:
        return None
    return f"{' '.join(str(kelurahan).casefold().split())}#{number}"


def operation_start(settings: Settings) -> date | None:
    """The first day of an operation's timeline (its earliest phase); None without phases."""
    return min((p.start for p in settings.phases), default=None)


def earlier_operation(later: Settings, others: Mapping[str, Settings]) -> str | None:
    """The operation `later` is compared with by default: of `others` (by key), the one whose
    timeline began last before `later`'s began (its `[[phases]]` dates); None when `later`
    has no timeline or none of `others` began before it. Ties go to the first key in
    sorted order."""
    start = operation_start(later)
    if start is None:
        return None
    began = {
        key: day
        for key, day in ((k, operation_start(s)) for k, s in sorted(others.items()))
        if day is not None and day < start
    }
    return max(began, key=began.__getitem__) if began else None


def _keyed(analysis: Analysis) -> pd.DataFrame:
    """The TPS of an analysis with their matching key, lon/lat, sorted by kelurahan and number."""
    tps = analysis.operation.sites
    tps = tps[tps[Col.KIND] == Kind.POLLING_STATION]
    frame = pd.DataFrame(
        {
            Col.TPS_NO: tps[Col.TPS_NO].to_numpy(),
            Col.KELURAHAN: tps[Col.KELURAHAN].to_numpy(),
            Col.NAME: tps[Col.NAME].to_numpy(),
            Col.RISK: tps[Col.RISK].astype(str).to_numpy(),
            "lon": tps.geometry.x.to_numpy(),
            "lat": tps.geometry.y.to_numpy(),
            "key": [
                tps_key(k, n) for k, n in zip(tps[Col.KELURAHAN], tps[Col.TPS_NO], strict=True)
            ],
        }
    )
    # by kelurahan, then TPS number as a number (TPS 6 before TPS 10)
    order = pd.DataFrame(
        {
            "place": frame["key"].str.rsplit("#", n=1).str[0],
            "no": pd.to_numeric(frame[Col.TPS_NO], errors="coerce"),
        }
    )
    frame = pd.concat([frame, order.add_prefix("_")], axis=1)
    ranked = frame.sort_values(
        ["_place", "_no", Col.KELURAHAN, Col.TPS_NO],
        kind="stable",
        na_position="last",
        ignore_index=True,
    )
    return ranked.drop(columns=["_place", "_no"])


def _distances_m(pairs: pd.DataFrame) -> np.ndarray:
    """Metres between each pair's earlier (`lon_e`, `lat_e`) and later position."""
    if pairs.empty:
        return np.zeros(0)
    crs = local_metric_crs(float(pairs["lon_e"].mean()), float(pairs["lat_e"].mean()))
    earlier, later = (
        gpd.GeoSeries(gpd.points_from_xy(pairs[f"lon_{s}"], pairs[f"lat_{s}"]), crs=4326).to_crs(
            crs
        )
        for s in ("e", "l")
    )
    return np.asarray(earlier.distance(later, align=False), dtype=float)


@dataclass(frozen=True)
class OperationComparison:
    """A later operation against an earlier one.

    Attributes
    ----------
    earlier, later
        The two analysed operations.
    moved_m
        The distance, metres, beyond which a matched TPS counts as moved.
    added
        TPS of the later operation with no match in the earlier one (:data:`TPS_COLUMNS`).
    removed
        TPS of the earlier operation with no match in the later one.
    moved
        Matched TPS more than `moved_m` apart: number, kelurahan, name (later), both risk
        classes (`risk_earlier`, `risk_later`) and `distance_m`, farthest first.
    risk_changed
        Matched TPS whose risk class changed: number, kelurahan, name, `risk_earlier`,
        `risk_later`.
    matched
        How many TPS were matched.
    unmatchable
        TPS (earlier, later) without kelurahan or number, or sharing their key with another
        TPS of the same list: counted as removed/added, never matched.
    """

    earlier: Analysis
    later: Analysis
    moved_m: float
    added: pd.DataFrame
    removed: pd.DataFrame
    moved: pd.DataFrame
    risk_changed: pd.DataFrame
    matched: int
    unmatchable: tuple[int, int]

    def risk_changes(self) -> dict[tuple[str, str], int]:
        """How many matched TPS went from one risk class to another, by (earlier, later)."""
        pairs = zip(self.risk_changed["risk_earlier"], self.risk_changed["risk_later"], strict=True)
        counts: dict[tuple[str, str], int] = {}
        for pair in pairs:
            counts[pair] = counts.get(pair, 0) + 1
        return counts

    def rows(self, lang: str) -> list[ChangedRow]:
        """The side-by-side figures (earlier as A, later as B): TPS per risk class, coverage,
        staffing and posts."""
        tps, covered, staffing = (
            t("history.section.tps", lang),
            t("compare.section.coverage", lang),
            t("compare.section.staffing", lang),
        )
        before, after = self.earlier, self.later
        risks_before, risks_after = before.by_risk(), after.by_risk()
        out = [
            ChangedRow(
                tps,
                t("history.row.risk", lang, risk=label("risk", r, lang)),
                risks_before[r.value].total,
                risks_after[r.value].total,
            )
            for r in Risk
        ]
        tb, ta = (x.by_kind()["polling_station"] for x in (before, after))
        out.append(ChangedRow(tps, t("history.row.tps", lang), tb.total, ta.total))
        out.append(ChangedRow(covered, t("history.row.covered", lang), tb.covered, ta.covered))
        out.append(  # a share: the two lists differ in size, the counts alone mislead
            ChangedRow(covered, t("history.row.covered_share", lang), _share(tb), _share(ta))
        )
        score = t("compare.row.weighted_score", lang)
        out.append(
            ChangedRow(
                covered,
                score,
                round(100 * before.weighted_score(), 1),
                round(100 * after.weighted_score(), 1),
            )
        )
        out.append(
            ChangedRow(staffing, t("history.row.posts", lang), _posts(before), _posts(after))
        )
        out += [
            ChangedRow(
                staffing,
                t(f"compare.row.{key}", lang),
                _staffing(before, key),
                _staffing(after, key),
            )
            for key in ("polri", "available", "shortfall")
        ]
        return out

    def table(self, lang: str) -> pd.DataFrame:
        """:meth:`rows` as a table: section, item, earlier, later, later − earlier (the
        operations are named in :meth:`names`)."""
        return pd.DataFrame(
            [(r.section, r.item, r.a, r.b, r.difference) for r in self.rows(lang)],
            columns=[
                t("compare.col.section", lang),
                t("compare.col.item", lang),
                t("history.col.earlier", lang),
                t("history.col.later", lang),
                t("history.col.difference", lang),
            ],
        )

    def names(self, lang: str) -> tuple[str, str]:
        """The two operations' titles (with the plan shown, when it is a saved one)."""
        return _title(self.earlier, lang), _title(self.later, lang)

    def csv(self, lang: str) -> str:
        """The side-by-side table as formula-safe CSV."""
        return to_csv_safe(self.table(lang))

    def report(self) -> dict[str, Any]:
        """Everything as plain data (`posko history --json`)."""
        return {
            "earlier": self.earlier.operation.key,
            "later": self.later.operation.key,
            "moved_m": self.moved_m,
            "matched": self.matched,
            "unmatchable": {"earlier": self.unmatchable[0], "later": self.unmatchable[1]},
            "added": _records(self.added),
            "removed": _records(self.removed),
            "moved": _records(self.moved),
            "risk_changed": _records(self.risk_changed),
            "risk_changes": [
                {"earlier": a, "later": b, "tps": n} for (a, b), n in self.risk_changes().items()
            ],
            "figures": [
                {"section": r.section, "item": r.item, "earlier": r.a, "later": r.b}
                for r in self.rows("en")
            ],
        }


def _title(analysis: Analysis, lang: str) -> str:
    title = analysis.operation.title
    return f"{title} · {plan_label(analysis, lang)}" if analysis.operation.plan else title


def _share(tally: Tally) -> float:
    """The tally's covered share in per cent, one decimal (NaN without TPS)."""
    return round(100 * tally.covered / tally.total, 1) if tally.total else float("nan")


def _posts(analysis: Analysis) -> int:
    return len(analysis.coverage.posts)


def _staffing(analysis: Analysis, key: str) -> int:
    plan = analysis.staffing
    return int(plan.polri) if key == "polri" else int(plan.total(key))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (numbers as Python numbers, missing values as None)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({k: _plain(v) for k, v in row.items()})
    return out


def _plain(value: object) -> object:
    if isinstance(value, float | np.floating) and np.isnan(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _split(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The TPS that can be matched (a key held by one TPS only) and the others."""
    keyed = frame["key"].notna() & ~frame["key"].duplicated(keep=False)
    return frame[keyed], frame[~keyed]


def compare_operations(
    earlier: Analysis, later: Analysis, *, moved_m: float = MOVED_M
) -> OperationComparison:
    """Compare a later operation with an earlier one, TPS by kelurahan and number.

    Parameters
    ----------
    earlier, later
        The two analysed operations (any two site lists; usually one Polres, two elections).
    moved_m
        Metres beyond which a matched TPS counts as moved (default :data:`MOVED_M`).

    Returns
    -------
    comparison
        TPS added, removed, moved and with a changed risk class, and both analyses for the
        side-by-side figures.

    Raises
    ------
    ValueError
        When `moved_m` is not a positive number.
    """
    if not moved_m > 0:
        msg = f"`moved_m` is {moved_m!r}; expected a distance in metres above 0."
        raise ValueError(msg)
    before, after = _keyed(earlier), _keyed(later)
    (match_e, odd_e), (match_l, odd_l) = _split(before), _split(after)
    pairs = match_e.merge(match_l, on="key", suffixes=("_e", "_l"))
    pairs = pairs.assign(distance_m=np.round(_distances_m(pairs), 1))
    shown = list(TPS_COLUMNS)
    removed = pd.concat([match_e[~match_e["key"].isin(pairs["key"])], odd_e])[shown]
    added = pd.concat([match_l[~match_l["key"].isin(pairs["key"])], odd_l])[shown]
    both = pd.DataFrame(
        {
            Col.TPS_NO: pairs[f"{Col.TPS_NO}_l"],
            Col.KELURAHAN: pairs[f"{Col.KELURAHAN}_l"],
            Col.NAME: pairs[f"{Col.NAME}_l"],
            "risk_earlier": pairs[f"{Col.RISK}_e"],
            "risk_later": pairs[f"{Col.RISK}_l"],
            "distance_m": pairs["distance_m"],
        }
    )
    moved = both[both["distance_m"] > moved_m].sort_values(
        "distance_m", ascending=False, kind="stable"
    )
    changed = both[both["risk_earlier"] != both["risk_later"]].drop(columns="distance_m")
    return OperationComparison(
        earlier=earlier,
        later=later,
        moved_m=float(moved_m),
        added=added.reset_index(drop=True),
        removed=removed.reset_index(drop=True),
        moved=moved.reset_index(drop=True),
        risk_changed=changed.reset_index(drop=True),
        matched=len(pairs),
        unmatchable=(len(odd_e), len(odd_l)),
    )
