"""Two plans of one operation side by side: TPS gained and lost, coverage, staffing.

Both plans share the operation's site list (TPS, buildings, demonstration points, areas)
and differ in their posts and settings, so every figure is compared target by target and
area by area; "B − A" is the change from plan A to plan B.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis import Analysis
from geo.csvsafe import to_csv_safe
from geo.errors import ValidationError
from geo.model import RISKS, Col, Derived, Kind, Risk
from geo.plans import PlanInfo, initial_plan_name
from geo.text import label, t

__all__ = [
    "ChangedRow",
    "CompareError",
    "PlanComparison",
    "compare_plans",
    "plan_info",
    "plan_label",
    "plan_name",
]

# Columns of the gained and lost TPS tables (besides the geometry).
_TPS_COLUMNS = (Col.SITE_ID, Col.NAME, Col.TPS_NO, Col.KELURAHAN, Col.KECAMATAN, Col.RISK)


class CompareError(ValidationError):
    """Two analyses that are not plans of the same site list cannot be compared."""


@dataclass(frozen=True)
class ChangedRow:
    """One row of the difference table: its section, what it counts, A, B and B − A.

    Counts are ints (the CSV writes "248", not "248.0"); only the score, a share in %, is a
    float.
    """

    section: str
    item: str
    a: int | float
    b: int | float

    @property
    def difference(self) -> float:
        """The change from plan A to plan B (to 0.1 for the score, a share in %)."""
        change = self.b - self.a
        return round(change, 1) if isinstance(change, float) else change


def plan_info(analysis: Analysis) -> PlanInfo | None:
    """The saved plan an analysis shows (None: the initial plan from the imported posts)."""
    return analysis.operation.plan


def plan_name(analysis: Analysis, lang: str) -> str:
    """The name of the plan an analysis shows ("Rencana awal" for the implicit initial plan)."""
    plan = plan_info(analysis)
    return plan.name if plan is not None else initial_plan_name(lang)


def plan_label(analysis: Analysis, lang: str) -> str:
    """The plan's name with its status, e.g. "Rencana B (diusulkan)"."""
    plan = plan_info(analysis)
    if plan is None:
        return t("compare.plan_initial_label", lang, name=plan_name(analysis, lang))
    status = label("plan_status", plan.status, lang)
    return t("compare.plan_label", lang, name=plan.name, status=status)


def _site_list(analysis: Analysis) -> pd.DataFrame:
    """The shared site list of an analysis (every site but the posts), id-sorted."""
    sites = analysis.operation.sites
    rest = sites[sites[Col.KIND] != Kind.POLICE_POST]
    return pd.DataFrame(
        {
            "id": rest[Col.SITE_ID].astype(str).to_numpy(),
            "kind": rest[Col.KIND].astype(str).to_numpy(),
            "x": np.round(rest.geometry.x.to_numpy(), 7),
            "y": np.round(rest.geometry.y.to_numpy(), 7),
        }
    ).sort_values("id", ignore_index=True)


def _check_same_sites(a: Analysis, b: Analysis) -> None:
    """Raise :class:`CompareError` unless both analyses are of the same operation's site list."""
    if a.operation.key != b.operation.key or not _site_list(a).equals(_site_list(b)):
        raise CompareError.from_text(
            "compare.different_sites", a=a.operation.title, b=b.operation.title
        )


def _gravest_first(rows: pd.DataFrame, distance: str) -> pd.DataFrame:
    """Rows by risk class (khusus first), then farthest `distance`, kelurahan, number."""
    rank = {r: -i for i, r in enumerate(RISKS)}
    order = pd.DataFrame(
        {
            "risk": [rank.get(r, 0) for r in rows[Col.RISK]],
            "far": -rows[distance].fillna(-1.0).to_numpy(),
            "kelurahan": rows[Col.KELURAHAN].fillna("").astype(str).to_numpy(),
            "no": rows[Col.TPS_NO].fillna(-1).to_numpy(),
        }
    )
    return rows.iloc[order.sort_values(["risk", "far", "kelurahan", "no"], kind="stable").index]


def _nearest(analysis: Analysis, suffix: str) -> pd.DataFrame:
    """Coverage, nearest post id, name and distance of every TPS in one plan, by site id."""
    tps = analysis.polling_stations
    posts = analysis.coverage.posts
    names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
    return pd.DataFrame(
        {
            f"covered_{suffix}": tps[Derived.COVERED].astype(bool).to_numpy(),
            f"post_id_{suffix}": tps[Derived.NEAREST_POST_ID].to_numpy(),
            f"post_{suffix}": [names.get(p) for p in tps[Derived.NEAREST_POST_ID]],
            f"post_m_{suffix}": tps[Derived.NEAREST_POST_M].astype(float).round(1).to_numpy(),
        },
        index=tps[Col.SITE_ID].to_numpy(),
    )


@dataclass(frozen=True)
class PlanComparison:
    """Plan B against plan A (same operation, same site list).

    Attributes
    ----------
    a, b
        The two analysed plans.
    gained
        TPS covered in B and not in A, gravest first (by risk class, then farthest from a
        post in A), with the nearest post in each plan (`post_a`, `post_m_a`, ...).
    lost
        TPS covered in A and not in B, gravest first (farthest from a post in B).
    """

    a: Analysis
    b: Analysis
    gained: gpd.GeoDataFrame
    lost: gpd.GeoDataFrame

    def by_risk(self) -> pd.DataFrame:
        """TPS and covered TPS per risk class in A and B, with the difference, and Σ."""
        ta, tb = self.a.by_risk(), self.b.by_risk()
        rows = [(r.value, ta[r.value], tb[r.value]) for r in Risk]
        tps = "polling_station"
        rows.append(("total", self.a.by_kind()[tps], self.b.by_kind()[tps]))
        return pd.DataFrame(
            [
                {
                    "risk": key,
                    "tps": x.total,
                    "covered_a": x.covered,
                    "covered_b": y.covered,
                    "difference": y.covered - x.covered,
                }
                for key, x, y in rows
            ]
        )

    def by_area(self, level: str | None = None) -> pd.DataFrame:
        """TPS and covered TPS per area of `level` (default: plan A's level) in A and B."""
        level = level or self.a.area_level
        columns = ["area_code", "area", "tps", "covered_a", "covered_b", "difference"]
        if level is None:
            return pd.DataFrame(columns=columns)
        names = self.a.area_names()
        ta, tb = self.a.by_area(level), self.b.by_area(level)
        return pd.DataFrame(
            [
                [code, names.get(code, code), x.total, x.covered, tb[code].covered, 0]
                for code, x in ta.items()
            ],
            columns=columns,
        ).assign(difference=lambda f: f["covered_b"] - f["covered_a"])

    def staffing(self) -> pd.DataFrame:
        """Per area: Polri needed, available at the posts and shortfall in A and B."""
        fields = ["polri", "available", "shortfall"]
        keys = ["area_code", "area"]
        sa = self.a.staffing.table()
        sb = self.b.staffing.table()
        if sa.empty and sb.empty:
            return pd.DataFrame(columns=[*keys, *(f"{f}_{p}" for p in "ab" for f in fields)])
        joined = pd.merge(
            sa[[*keys, *fields]],
            sb[[*keys, *fields]],
            on=keys,
            how="outer",
            suffixes=("_a", "_b"),
            sort=False,
        )
        for column in joined.columns[2:]:
            joined[column] = joined[column].fillna(0).astype(int)
        joined["shortfall_difference"] = joined["shortfall_b"] - joined["shortfall_a"]
        return joined

    def staffing_totals(self) -> dict[str, dict[str, int]]:
        """Polri needed, available at the posts and shortfall over all areas, per plan."""
        return {
            side: {
                "polri": plan.polri,
                "available": plan.total("available"),
                "shortfall": plan.total("shortfall"),
            }
            for side, plan in (("a", self.a.staffing), ("b", self.b.staffing))
        }

    def demonstration(self) -> pd.DataFrame:
        """Each demonstration point: reached in A and B, nearest post and distance in each."""
        da = pd.DataFrame(self.a.demonstration_report())
        db = pd.DataFrame(self.b.demonstration_report())
        columns = ["site_id", "name"] + [
            f"{c}_{p}" for p in "ab" for c in ("covered", "nearest_post", "nearest_post_m")
        ]
        if da.empty:
            return pd.DataFrame(columns=columns)
        picked = ["site_id", "name", "covered", "nearest_post", "nearest_post_m"]
        joined = da[picked].merge(db[picked[:1] + picked[2:]], on="site_id", suffixes=("_a", "_b"))
        return joined[columns]

    def rows(self, lang: str) -> list[ChangedRow]:
        """The difference table's rows: coverage, per risk class, score, demonstration
        points, staffing, then coverage and shortfall per area."""
        coverage = t("compare.section.coverage", lang)
        out = []
        for r in self.by_risk().to_dict("records"):
            item = (
                t("compare.row.tps_covered", lang, n=r["tps"])
                if r["risk"] == "total"
                else t("compare.row.risk_covered", lang, risk=label("risk", r["risk"], lang))
            )
            out.append(ChangedRow(coverage, item, int(r["covered_a"]), int(r["covered_b"])))
        score = t("compare.row.weighted_score", lang)
        out.append(
            ChangedRow(
                coverage,
                score,
                round(100 * self.a.weighted_score(), 1),
                round(100 * self.b.weighted_score(), 1),
            )
        )
        demo = self.demonstration()
        out.append(
            ChangedRow(
                t("compare.section.demonstration", lang),
                t("compare.row.demo_reached", lang, n=len(demo)),
                int(demo["covered_a"].sum()) if len(demo) else 0,
                int(demo["covered_b"].sum()) if len(demo) else 0,
            )
        )
        staffing = t("compare.section.staffing", lang)
        totals = self.staffing_totals()
        for field in ("polri", "available", "shortfall"):
            item = t(f"compare.row.{field}", lang)
            out.append(ChangedRow(staffing, item, int(totals["a"][field]), int(totals["b"][field])))
        out += self._area_rows(lang)
        return out

    def _area_rows(self, lang: str) -> list[ChangedRow]:
        """Covered TPS, then the staffing shortfall, per area of plan A's level."""
        if self.a.area_level is None:
            return []
        level = label("area_level", self.a.area_level, lang)
        section = t("compare.section.area", lang, level=level)
        outside = t("app.outside", lang)
        out = [
            ChangedRow(
                section,
                t("compare.row.area_covered", lang, area=outside if code == "outside" else name),
                int(covered_a),
                int(covered_b),
            )
            for code, name, covered_a, covered_b in self.by_area()[
                ["area_code", "area", "covered_a", "covered_b"]
            ].itertuples(index=False)
        ]
        section = t("compare.section.area_staffing", lang, level=level)
        out += [
            ChangedRow(
                section,
                t("compare.row.area_shortfall", lang, area=outside if code == "outside" else name),
                int(a),
                int(b),
            )
            for code, name, a, b in self.staffing()[
                ["area_code", "area", "shortfall_a", "shortfall_b"]
            ].itertuples(index=False)
        ]
        return out

    def table(self, lang: str) -> pd.DataFrame:
        """The difference table, headed in `lang`: section, item, A, B, B − A."""
        headers = [
            t("compare.col.section", lang),
            t("compare.col.item", lang),
            t("compare.col.plan", lang, side="A", name=plan_name(self.a, lang)),
            t("compare.col.plan", lang, side="B", name=plan_name(self.b, lang)),
            t("compare.col.difference", lang),
        ]
        rows = [[r.section, r.item, r.a, r.b, r.difference] for r in self.rows(lang)]
        # object columns: counts stay integers next to the score's one decimal
        return pd.DataFrame(rows, columns=headers, dtype=object)

    def csv(self, lang: str) -> str:
        """The difference table as CSV whose text cells cannot start a formula."""
        return to_csv_safe(self.table(lang))

    def changed_tps(self, which: str) -> pd.DataFrame:
        """`gained` or `lost` as plain records without the geometry."""
        frame = getattr(self, which)
        return pd.DataFrame(frame.drop(columns="geometry"))

    def report(self) -> dict[str, Any]:
        """Everything as plain data: what `posko plan compare --json` prints."""
        return {
            "operation": self.a.operation.title,
            "plans": {side: _plan_report(x) for side, x in (("a", self.a), ("b", self.b))},
            "gained": _records(self.changed_tps("gained")),
            "lost": _records(self.changed_tps("lost")),
            "risk_classes": _records(self.by_risk()),
            "area_level": self.a.area_level,
            "areas": {level: _records(self.by_area(level)) for level in self.a.site_areas},
            "staffing": {
                "totals": self.staffing_totals(),
                "areas": _records(self.staffing()),
            },
            "demonstration_points": _records(self.demonstration()),
        }


def _plan_report(analysis: Analysis) -> dict[str, Any]:
    plan = plan_info(analysis)
    tps = analysis.by_kind()["polling_station"]
    return {
        "plan": plan.name if plan is not None else None,
        "plan_id": plan.plan_id if plan is not None else None,
        "status": str(plan.status) if plan is not None else None,
        "version": plan.version if plan is not None else None,
        "tps": tps.as_dict(),
        "weighted_score": round(analysis.weighted_score(), 4),
        "posts": len(analysis.coverage.posts),
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: numpy scalars as Python numbers, NaN as None."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is pd.NA:
        return None
    return value


def _changed(a: Analysis, b: Analysis) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """TPS covered in B only (gained) and in A only (lost), gravest first."""
    tps = a.polling_stations
    both = _nearest(a, "a").join(_nearest(b, "b"), how="inner")
    base = tps.set_index(Col.SITE_ID, drop=False)[[*_TPS_COLUMNS, "geometry"]]
    rows = gpd.GeoDataFrame(base.join(both), geometry="geometry", crs=tps.crs)
    gained = rows[rows["covered_b"] & ~rows["covered_a"]]
    lost = rows[rows["covered_a"] & ~rows["covered_b"]]
    return (
        _gravest_first(gained.reset_index(drop=True), "post_m_a"),
        _gravest_first(lost.reset_index(drop=True), "post_m_b"),
    )


def compare_plans(a: Analysis, b: Analysis) -> PlanComparison:
    """Compare plan B with plan A.

    Parameters
    ----------
    a, b
        Analyses of two plans of the same operation (same site list).

    Raises
    ------
    CompareError
        When the two analyses are not of the same operation's site list.
    """
    _check_same_sites(a, b)
    gained, lost = _changed(a, b)
    return PlanComparison(a=a, b=b, gained=gained, lost=lost)
