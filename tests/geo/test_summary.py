"""Per-area summaries: drill-down sums, totals against the analysis, the full lists as CSV."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from geo.analysis import Analysis, analyse, analyse_phase
from geo.model import RISKS, Col, Derived, Kind, Risk
from geo.summary import (
    OUTSIDE,
    UNCOVERED_COLUMNS,
    AreaScope,
    area_summary,
    attachments,
    child_level,
    gravest_first,
    summary_levels,
    summary_table,
    table_csv,
    uncovered_table,
)
from geo.text import label, t
from tests.conftest import make_operation, site
from tests.large_operation import province

# what adds up exactly from children to parent; police needed does not (groups per area)
_ADDITIVE = ("tps", "covered", "uncovered", "available")


@pytest.fixture(scope="module")
def large() -> Analysis:
    """A synthetic province of 30,000 TPS: 4 kabupaten, 24 kecamatan, 240 kelurahan."""
    return analyse(province(30_000, posts=60))


def _gravest(risks: pd.Series) -> str | None:
    present = [r for r in risks if isinstance(r, str)]
    order = [str(r) for r in RISKS]
    return max(present, key=order.index) if present else None


def _check_children(analysis: Analysis, level: str, row: pd.Series) -> pd.DataFrame:
    """The children of one area add up to it; returns them."""
    below = child_level(analysis, level)
    assert below is not None
    children = area_summary(analysis, below, within=AreaScope(level, row["area_code"]))
    for column in _ADDITIVE:
        assert children[column].sum() == row[column], (row["area_code"], column)
    assert _gravest(children["worst_uncovered"]) == (
        row["worst_uncovered"] if isinstance(row["worst_uncovered"], str) else None
    )
    # guard groups are formed within each area: never fewer officers for smaller areas
    assert children["polri"].sum() >= row["polri"]
    return children


def test_levels_run_kabupaten_kecamatan_kelurahan(large: Analysis) -> None:
    assert summary_levels(large) == ["kabupaten", "kecamatan", "kelurahan"]
    assert child_level(large, "kabupaten") == "kecamatan"
    assert child_level(large, "kelurahan") is None


def test_every_drill_down_adds_up_to_its_parent(large: Analysis) -> None:
    top = area_summary(large, "kabupaten")
    assert top["area_code"].tolist() == ["99.01", "99.02", "99.03", "99.04", OUTSIDE]
    for _, kabupaten in top[top["area_code"] != OUTSIDE].iterrows():
        kecamatan = _check_children(large, "kabupaten", kabupaten)
        assert len(kecamatan) == 6 and set(kecamatan["parent_code"]) == {kabupaten["area_code"]}
    for _, kecamatan in area_summary(large, "kecamatan").head(8).iterrows():
        if kecamatan["area_code"] != OUTSIDE:
            assert len(_check_children(large, "kecamatan", kecamatan)) == 10


def test_the_top_level_totals_equal_the_analysis(large: Analysis) -> None:
    tps = large.by_kind()[Kind.POLLING_STATION]
    for level in summary_levels(large):
        table = area_summary(large, level)
        assert table["tps"].sum() == tps.total == 30_000
        assert table["uncovered"].sum() == tps.uncovered
        assert table["available"].sum() == large.staffing.total("available")
        assert table.set_index("area_code")["tps"].to_dict() == {
            code: v.total for code, v in large.by_area(level).items()
        }
    # the staffing level's rows are the analysis' own staffing, area by area
    staffing = large.staffing.table().set_index("area_code")
    table = area_summary(large, large.area_level).set_index("area_code")
    for column in ("polri", "available", "shortfall"):
        assert table[column].to_dict() == staffing[column].to_dict()
    # three spots (a few TPS each) lie outside every area
    assert table.loc[OUTSIDE, "tps"] == 3 * 4


def test_uncovered_share_and_gravest_class_by_hand() -> None:
    post = site("P1", "police_post", 106.0, -2.0, post_type="pos_pam", personnel=3)
    tps = [
        site("T1", "polling_station", 106.0, -2.0, risk="sangat_rawan"),  # covered
        site("T2", "polling_station", 106.2, -2.0, risk="rawan"),
        site("T3", "polling_station", 106.2, -2.01, risk="kurang_rawan"),
        site("T4", "polling_station", 106.0, -2.005, risk="kurang_rawan"),  # covered
    ]
    areas = gpd.GeoDataFrame(
        {
            "area_code": ["01", "02"],
            "name": ["Barat", "Timur"],
            "level": ["kecamatan", "kecamatan"],
            "parent_code": ["9", "9"],
        },
        geometry=[box(105.9, -2.1, 106.1, -1.9), box(106.1, -2.1, 106.3, -1.9)],
        crs="EPSG:4326",
    )
    analysis = analyse(make_operation([post, *tps], areas=areas))
    table = area_summary(analysis, "kecamatan").set_index("area_code")
    assert table.loc["01", ["tps", "covered", "uncovered"]].tolist() == [2, 2, 0]
    assert table.loc["01", "worst_uncovered"] is None or pd.isna(table.loc["01", "worst_uncovered"])
    assert table.loc["02", ["tps", "covered", "uncovered"]].tolist() == [2, 0, 2]
    assert table.loc["02", "uncovered_share"] == 1.0
    assert table.loc["02", "worst_uncovered"] == "rawan"
    # typical 2024: Barat 1 sangat rawan group (2) + 1 kurang rawan group (2) = 4; 3 at the post
    assert table.loc["01", ["polri", "available", "shortfall"]].tolist() == [4, 3, 1]
    assert table.loc["02", ["polri", "available", "shortfall"]].tolist() == [4, 0, 4]


def test_the_uncovered_list_of_an_area_is_the_full_list_filtered(large: Analysis) -> None:
    full = uncovered_table(large)
    assert len(full) == large.by_kind()[Kind.POLLING_STATION].uncovered
    assert list(full.columns) == list(UNCOVERED_COLUMNS)
    scope = AreaScope("kecamatan", "99.02.03")
    part = uncovered_table(large, within=scope)
    where = large.site_areas["kecamatan"]
    ids = set(large.operation.sites.loc[where[where == "99.02.03"].index, "site_id"])
    assert part["site_id"].tolist() == [s for s in full["site_id"] if s in ids]
    row = area_summary(large, "kecamatan").set_index("area_code").loc["99.02.03"]
    assert len(part) == row["uncovered"] > 0
    outside = uncovered_table(large, within=AreaScope("kabupaten", OUTSIDE))
    assert (
        len(outside)
        == area_summary(large, "kabupaten").set_index("area_code").loc[OUTSIDE, "uncovered"]
    )


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_csv_files_equal_the_tables(large: Analysis, lang: str) -> None:
    files = attachments(large, lang)
    assert list(files) == ["uncovered", "areas", "staffing", "demonstration"]
    uncovered = _read(files["uncovered"])
    table = uncovered_table(large)
    assert len(uncovered) == len(table) == large.by_kind()[Kind.POLLING_STATION].uncovered
    assert [r[t("col.site_id", lang)] for r in uncovered] == table["site_id"].tolist()
    assert [r[t("col.risk", lang)] for r in uncovered] == [
        label("risk", r, lang) for r in table["risk"]
    ]
    distances = [float(r[t("col.distance_m", lang)]) for r in uncovered]
    assert distances == pytest.approx(table["nearest_post_m"].tolist())
    areas = _read(files["areas"])
    summary = summary_table(large)
    assert len(areas) == len(summary) == 4 + 24 + 240 + 3  # "outside" once per level
    for column in ("tps", "covered", "uncovered", "polri", "available", "shortfall"):
        heading = t(
            {"tps": "col.tps", "covered": "col.covered", "uncovered": "col.uncovered"}.get(
                column, f"staff.col.{column}"
            ),
            lang,
        )
        assert [int(r[heading]) for r in areas] == summary[column].tolist(), column
    codes = [r[t("summary.col.area_code", lang)] for r in areas]
    assert codes == summary["area_code"].tolist()
    levels = {r[t("app.area_level", lang)] for r in areas}
    assert levels == {
        label("area_level", lv, lang) for lv in ("kabupaten", "kecamatan", "kelurahan")
    }
    totals = [
        r for r in areas if r[t("app.area_level", lang)] == label("area_level", "kabupaten", lang)
    ]
    assert sum(int(r[t("col.uncovered", lang)]) for r in totals) == len(uncovered)
    staffing = _read(files["staffing"])
    assert [int(r[t("staff.col.polri", lang)]) for r in staffing] == [
        a.polri for a in large.staffing.areas
    ]
    assert len(_read(files["demonstration"])) == len(large.demonstration_points) == 80


def test_the_csv_neutralises_formulas_in_names() -> None:
    post = site("P1", "police_post", 106.0, -2.0, post_type="pos_pam", personnel=3)
    hostile = site(
        "T1", "polling_station", 106.3, -2.0, risk="rawan", name='=HYPERLINK("http://x")'
    )
    analysis = analyse(make_operation([post, hostile]))
    text = attachments(analysis, "en")["uncovered"]
    (row,) = _read(text)
    assert row["Name"] == '\'=HYPERLINK("http://x")'
    # an operation without areas has no area table, and no list of zero rows is written
    assert "areas" not in attachments(analysis, "en")
    assert "demonstration" not in attachments(analysis, "en")
    assert table_csv(summary_table(analysis), "en").startswith("Area code,")


def test_gravest_first_orders_as_the_four_keys_sort_a_national_list() -> None:
    """The vectorised order equals a plain stable sort by risk rank (unknown classes as
    the first), distance (farthest first; none last), kelurahan and TPS number."""
    rng = np.random.default_rng(7)
    n = 3000
    risks = np.array([*(str(r) for r in Risk), "unknown"], dtype=object)
    gaps = pd.DataFrame(
        {
            Col.RISK: rng.choice(risks, n),
            Derived.NEAREST_POST_M: np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 50, n)),
            Col.KELURAHAN: rng.choice(np.array(["Bukit Intan", "Air Itam", None], dtype=object), n),
            Col.TPS_NO: pd.array(
                np.where(rng.random(n) < 0.05, None, rng.integers(1, 20, n)), dtype="Int64"
            ),
        },
        index=rng.permutation(n) + 1000,
    )
    rank = {str(r): -i for i, r in enumerate(Risk)}
    expected = (
        pd.DataFrame(
            {
                "risk": [rank.get(r, 0) for r in gaps[Col.RISK]],
                "far": -gaps[Derived.NEAREST_POST_M].fillna(-1.0).to_numpy(),
                "kelurahan": gaps[Col.KELURAHAN].fillna("").astype(str).to_numpy(),
                "no": gaps[Col.TPS_NO].to_numpy(dtype=float, na_value=np.nan),
            }
        )
        .sort_values(["risk", "far", "kelurahan", "no"], kind="stable")
        .index
    )
    assert gravest_first(gaps).index.tolist() == gaps.index[expected].tolist()


@pytest.mark.parametrize(
    ("phase", "guards_tps"),
    [("persiapan", False), ("pungut_hitung", True), ("rekapitulasi", False)],
)
def test_a_phases_area_summary_needs_the_guards_that_phase_needs(
    sample_analysis: Analysis, phase: str, guards_tps: bool
) -> None:
    """The area table of one phase counts the police that phase needs, as the phase's
    staffing does: no TPS guards before the vote (the whole operation's need was shown)."""
    view = analyse_phase(sample_analysis, phase)
    level = summary_levels(view)[0]
    table = area_summary(view, level)
    areas = {a.code: a for a in view.staffing.areas}
    assert table["polri"].sum() == sum(a.polri for a in areas.values()) == view.staffing.polri
    assert (view.staffing.tps_polri > 0) is guards_tps
    whole = area_summary(sample_analysis, level)
    if not guards_tps:
        assert table["polri"].sum() < whole["polri"].sum()
