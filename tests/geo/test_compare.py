"""Comparing two plans: TPS gained and lost against a brute-force recompute, the tables."""

from __future__ import annotations

import dataclasses
import io
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.analysis import Analysis, analyse
from geo.compare import CompareError, compare_plans
from geo.model import Col, Kind
from geo.operation import Operation
from geo.text import t
from tests.brute_force import reach, sample_radii


def _with_posts(operation: Operation, posts: gpd.GeoDataFrame) -> Operation:
    """The operation with its posts replaced (what a plan changes)."""
    rest = operation.sites[operation.sites[Col.KIND] != Kind.POLICE_POST]
    sites = pd.concat([rest, posts], ignore_index=True)
    return dataclasses.replace(operation, sites=gpd.GeoDataFrame(sites, crs=rest.crs))


def edited_plan(operation: Operation) -> Operation:
    """Three posts removed, one moved 2 km east, one moved onto a far TPS."""
    posts = operation.sites[operation.sites[Col.KIND] == Kind.POLICE_POST].copy()
    posts = posts.iloc[3:].copy()
    moved = posts.index[2]
    point = posts.loc[moved, "geometry"]
    posts.loc[moved, "geometry"] = Point(point.x + 0.018, point.y)
    tps = operation.sites[operation.sites[Col.KIND] == Kind.POLLING_STATION]
    far = tps.geometry.x.idxmax()
    posts.loc[posts.index[4], "geometry"] = tps.loc[far, "geometry"]
    return _with_posts(operation, posts)


@pytest.fixture(scope="module")
def plans(sample_operation: Operation) -> tuple[Analysis, Analysis]:
    return analyse(sample_operation), analyse(edited_plan(sample_operation))


def _brute_covered(analysis: Analysis) -> pd.Series:
    """Covered per TPS id, measured post by post with pyproj (not the project's code)."""
    sites = analysis.operation.sites
    covered = reach(sites, sample_radii(), "polling_station")
    ids = sites.loc[sites["kind"] == "polling_station", "site_id"]
    return pd.Series(covered, index=ids.to_numpy())


def test_gained_and_lost_match_a_brute_force_recompute(plans) -> None:
    a, b = plans
    comparison = compare_plans(a, b)
    in_a, in_b = _brute_covered(a), _brute_covered(b)
    in_b = in_b.reindex(in_a.index)
    gained = set(in_a.index[in_b.to_numpy() & ~in_a.to_numpy()])
    lost = set(in_a.index[in_a.to_numpy() & ~in_b.to_numpy()])
    assert gained and lost, "the edited plan must both gain and lose TPS for this test"
    assert set(comparison.gained[Col.SITE_ID]) == gained
    assert set(comparison.lost[Col.SITE_ID]) == lost
    assert len(comparison.gained) == len(gained)
    # the difference of the totals is gained minus lost
    total = comparison.by_risk().set_index("risk").loc["total"]
    assert total["difference"] == len(gained) - len(lost)
    assert total["covered_b"] == int(in_b.sum())


def test_changed_tps_name_the_nearest_post_of_each_plan(plans) -> None:
    a, b = plans
    comparison = compare_plans(a, b)
    posts_b = b.coverage.posts.set_index(Col.SITE_ID)[Col.NAME]
    for row in comparison.gained.to_dict("records"):
        assert not row["covered_a"] and row["covered_b"]
        assert row["post_b"] == posts_b[row["post_id_b"]]
        assert row["post_m_b"] < row["post_m_a"]
    for row in comparison.lost.to_dict("records"):
        assert row["covered_a"] and not row["covered_b"]


def test_changed_tps_are_listed_gravest_first(plans) -> None:
    comparison = compare_plans(*plans)
    order = ["khusus", "sangat_rawan", "rawan", "kurang_rawan"]
    for frame, far in ((comparison.lost, "post_m_b"), (comparison.gained, "post_m_a")):
        ranks = [order.index(r) for r in frame[Col.RISK]]
        assert ranks == sorted(ranks)
        for risk in set(frame[Col.RISK]):
            same = frame[frame[Col.RISK] == risk][far].to_numpy()
            assert (np.diff(same) <= 0).all()


def test_per_area_and_staffing_figures_are_each_plans_own(plans) -> None:
    a, b = plans
    comparison = compare_plans(a, b)
    areas = comparison.by_area().set_index("area_code")
    for code, tally in b.by_area().items():
        assert areas.loc[code, "covered_b"] == tally.covered
        assert areas.loc[code, "covered_a"] == a.by_area()[code].covered
    assert areas["difference"].sum() == len(comparison.gained) - len(comparison.lost)
    staffing = comparison.staffing().set_index("area_code")
    for side, analysis in (("a", a), ("b", b)):
        own = analysis.staffing.table().set_index("area_code")
        for field in ("polri", "available", "shortfall"):
            assert (staffing[f"{field}_{side}"] == own[field].reindex(staffing.index)).all()
    totals = comparison.staffing_totals()
    assert totals["b"]["available"] == b.staffing.total("available")
    assert totals["a"]["shortfall"] != totals["b"]["shortfall"]
    for level in a.site_areas:
        assert len(comparison.by_area(level)) == len(a.by_area(level))


def test_comparing_a_plan_with_itself_changes_nothing(plans) -> None:
    a, _ = plans
    comparison = compare_plans(a, a)
    assert comparison.gained.empty and comparison.lost.empty
    assert all(r.difference == 0 for r in comparison.rows("id"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_difference_table_and_csv(plans, lang: str) -> None:
    comparison = compare_plans(*plans)
    table = comparison.table(lang)
    assert table.columns[0] == t("compare.col.section", lang)
    assert table.columns[-1] == t("compare.col.difference", lang)
    score = table[table.iloc[:, 1] == t("compare.row.weighted_score", lang)].iloc[0]
    assert score.iloc[2] == round(100 * plans[0].weighted_score(), 1)
    assert score.iloc[4] == round(score.iloc[3] - score.iloc[2], 1)
    read = pd.read_csv(io.StringIO(comparison.csv(lang)))
    assert len(read) == len(table)
    assert (read.iloc[:, 4].to_numpy() == table.iloc[:, 4].astype(float).to_numpy()).all()
    # counts are written as whole numbers, the score (a share in %) with its decimal
    lines = comparison.csv(lang).splitlines()[1:]
    score_line = next(x for x in lines if t("compare.row.weighted_score", lang) in x)
    assert [x for x in lines if x != score_line and (".0," in x or x.endswith(".0"))] == []
    assert any(c.isdigit() for c in score_line.split(",")[2])


def test_csv_neutralises_a_formula_in_an_area_name(plans) -> None:
    a, b = plans
    areas = a.operation.areas.copy()
    areas["name"] = "=HYPERLINK(1)"
    a2 = dataclasses.replace(a, operation=dataclasses.replace(a.operation, areas=areas))
    text = compare_plans(a2, b).csv("en")
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "'=HYPERLINK(1): TPS covered" in text


def test_report_is_plain_json(plans) -> None:
    comparison = compare_plans(*plans)
    report = json.loads(json.dumps(comparison.report()))
    assert len(report["gained"]) == len(comparison.gained)
    assert report["plans"]["b"]["posts"] == len(plans[1].coverage.posts)
    assert {r["risk"] for r in report["risk_classes"]} >= {"khusus", "total"}
    assert set(report["areas"]) == set(plans[0].site_areas)


def test_plans_of_different_site_lists_are_refused(plans, sample_operation) -> None:
    a, _ = plans
    sites = sample_operation.sites
    fewer = sites.drop(index=sites[sites[Col.KIND] == Kind.POLLING_STATION].index[:1])
    other = analyse(dataclasses.replace(sample_operation, sites=fewer))
    with pytest.raises(CompareError) as error:
        compare_plans(a, other)
    assert error.value.key == "compare.different_sites"
    moved = sites.copy()
    first = moved.index[moved[Col.KIND] == Kind.DEMONSTRATION_POINT][0]
    moved.loc[first, "geometry"] = Point(106.0, -2.0)
    with pytest.raises(CompareError):
        compare_plans(a, analyse(dataclasses.replace(sample_operation, sites=moved)))
