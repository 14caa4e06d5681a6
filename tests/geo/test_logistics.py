"""The logistics chain: linked from codes, broken links with reasons, escorts, reach, roads."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from geo.analysis import analyse
from geo.crs import WGS84, geodesic_m
from geo.errors import CRSError
from geo.logistics import (
    AREA_NODE_PREFIX,
    BROKEN_COLUMNS,
    LEG_COLUMNS,
    chain_for,
    chain_lines,
    logistics_chain,
    read_roads,
)
from geo.model import Derived, Risk
from geo.staffing import LEG_ESCORT_MIN_POLRI, PRESETS, leg_escort_polri
from tests.conftest import make_operation, offset, site

LON, LAT = 106.0, -2.0
PRESET = PRESETS["typical_2024"]


def _chain_list() -> list[dict]:
    """A hand-made list: one warehouse, two PPK (one of another kota), a duplicate PPK, one
    PPS site, TPS in linked and unlinked kelurahan, and sites with missing or wrong codes."""
    p1 = offset(LON, LAT, 90, 2000)
    s1 = offset(*p1, 0, 1000)
    p2 = offset(LON, LAT, 180, 3000)
    return [
        site("W", "logistics", LON, LAT, role="warehouse", area_code="19.71"),
        site("W-BAD", "logistics", LON, LAT + 0.01, role="warehouse", area_code="19.71.01"),
        site("P1", "logistics", *p1, role="ppk", area_code="19.71.01"),
        site("P1b", "logistics", *offset(*p1, 45, 50), role="ppk", area_code="1971 01"),
        site("P2", "logistics", *p2, role=" PPK", area_code="19.72.01"),
        site("S1", "logistics", *s1, role="pps", area_code="19.71.01.1001"),
        site("T1", "polling_station", *offset(*s1, 0, 300), risk="kurang_rawan",
             area_code="19.71.01.1001", kelurahan="Satu"),
        site("T2", "polling_station", *offset(*s1, 90, 300), risk="sangat_rawan",
             area_code="1971011001", kelurahan="Satu"),
        site("T3", "polling_station", *offset(*p1, 180, 800), risk="rawan",
             area_code="19.71.01.1002", kelurahan="Dua"),
        site("T4", "polling_station", *offset(LON, LAT, 0, 900), risk="khusus",
             area_code="19.71.03.1001", kelurahan="Tiga"),
        site("T5", "polling_station", *offset(LON, LAT, 0, 950), risk="kurang_rawan"),
        site("T6", "polling_station", *offset(LON, LAT, 0, 990), risk="kurang_rawan",
             area_code="19.71.01"),
        site("T7", "polling_station", *offset(*p2, 0, 400), risk="kurang_rawan",
             area_code="19.72.01.1001", kelurahan="Empat"),
        site("POST", "police_post", LON, LAT, post_type="polsek", personnel=10),
    ]  # fmt: skip


@pytest.fixture
def chain_op():
    return make_operation(_chain_list())


def _legs(chain) -> set[tuple[str, str, str]]:
    return set(zip(chain.legs["level"], chain.legs["from_id"], chain.legs["to_id"], strict=True))


def test_links_follow_the_codes(chain_op) -> None:
    chain = logistics_chain(chain_op.sites, preset=PRESET)
    kel2 = f"{AREA_NODE_PREFIX}19.71.01.1002"
    kel4 = f"{AREA_NODE_PREFIX}19.72.01.1001"
    assert _legs(chain) == {
        ("ppk", "W", "P1"),
        ("pps", "P1", "S1"),
        ("pps", "P1", kel2),
        ("pps", "P2", kel4),
        ("tps", "S1", "T1"),
        ("tps", "S1", "T2"),  # its code written as BPS digits
        ("tps", kel2, "T3"),
        ("tps", kel4, "T7"),
    }
    assumed = chain.legs.set_index("to_id")["assumed"]
    assert assumed[kel2] and assumed["T3"] and assumed[kel4] and assumed["T7"]
    assert not assumed["P1"] and not assumed["S1"] and not assumed["T1"]
    assert list(chain.legs.columns) == [*LEG_COLUMNS, "geometry"]
    assert (chain.legs["phase"] == "pungut_hitung").all()
    assert chain.legs.crs.equals(WGS84)


def test_broken_links_are_reported_with_their_reason(chain_op) -> None:
    chain = logistics_chain(chain_op.sites, preset=PRESET)
    broken = chain.broken.set_index("site_id")
    assert list(chain.broken.columns) == list(BROKEN_COLUMNS)
    assert broken["reason"].to_dict() == {
        "W-BAD": "bad_code",
        "P1b": "duplicate",
        "P2": "no_warehouse",
        "T4": "no_ppk",
        "T5": "no_code",
        "T6": "bad_code",
    }
    assert broken.loc["P1b", "detail"] == "P1"
    assert broken.loc["P2", "detail"] == "19.72"
    assert broken.loc["T4", "detail"] == "19.71.03"
    lines = dict(zip(chain.broken["site_id"], chain.broken_lines("en"), strict=True))
    assert lines["P2"] == "PPK P2 (19.72.01): no KPU warehouse with code 19.72."
    assert lines["T4"] == "Polling station T4 (19.71.03.1001): no PPK for kecamatan 19.71.03."
    assert "already used by P1" in lines["P1b"]
    indo = dict(zip(chain.broken["site_id"], chain.broken_lines("id"), strict=True))
    assert indo["T5"] == "TPS T5 tidak mempunyai kode wilayah."


def test_escorts_by_hand(chain_op) -> None:
    chain = logistics_chain(chain_op.sites, preset=PRESET)
    ends = chain.legs[["from_id", "to_id", "escort_polri"]].to_numpy()
    escort = {(f, t_): int(e) for f, t_, e in ends}
    kel2 = f"{AREA_NODE_PREFIX}19.71.01.1002"
    kel4 = f"{AREA_NODE_PREFIX}19.72.01.1001"
    # TPS legs: the class's ballot escort 2 / 4 / 6
    assert escort["S1", "T1"] == 2 and escort["S1", "T2"] == 6 and escort["P1", kel2] == 4
    assert escort[kel2, "T3"] == 4 and escort[kel4, "T7"] == 2
    # above: the gravest class carried (sangat rawan T2: 6), at least the level's floor
    assert escort["P1", "S1"] == 6
    assert escort["P2", kel4] == 2
    assert escort["W", "P1"] == 6
    figures = chain.figures()
    assert figures.escort_polri == {"ppk": 6, "pps": 12, "tps": 14}
    assert figures.escort_total == 32
    assert figures.legs == {"ppk": 1, "pps": 3, "tps": 4}
    assert figures.assumed == 4
    assert (figures.ppk_sites, figures.guard_polri, figures.guard_tni) == (2, 10, 10)
    assert figures.broken == 6


def test_leg_escort_core_matches_the_chain(chain_op) -> None:
    chain = logistics_chain(chain_op.sites, preset=PRESET)
    risks = {"T1": Risk.KURANG_RAWAN, "T2": Risk.SANGAT_RAWAN, "T3": Risk.RAWAN}
    pps = chain.legs.set_index("to_id")
    assert pps.loc["S1", "escort_polri"] == leg_escort_polri(
        PRESET, [risks["T1"], risks["T2"]], level="pps"
    )
    # a kurang-rawan-only convoy to a PPK still takes the floor
    assert leg_escort_polri(PRESET, [Risk.KURANG_RAWAN], level="ppk") == 4
    assert LEG_ESCORT_MIN_POLRI["ppk"] == 4
    assert leg_escort_polri(PRESETS["mabes_2019"], [Risk.RAWAN], level="tps") == 4
    assert leg_escort_polri(PRESET, [], level="pps") == LEG_ESCORT_MIN_POLRI["pps"]


def test_an_assumed_kelurahan_point_is_its_area_else_its_tps_middle(chain_op) -> None:
    t3 = chain_op.sites.set_index("site_id").geometry["T3"]
    cell = box(t3.x - 0.004, t3.y - 0.002, t3.x + 0.002, t3.y + 0.004)
    areas = gpd.GeoDataFrame(
        {"area_code": ["19.71.01.1002"], "name": ["Dua"], "level": ["kelurahan"]},
        geometry=[cell],
        crs=WGS84,
    )
    node = f"{AREA_NODE_PREFIX}19.71.01.1002"
    with_area = logistics_chain(chain_op.sites, areas=areas).legs.set_index("from_id")
    start = with_area.geometry[node].coords[0]
    spot = cell.representative_point()
    assert start == pytest.approx((spot.x, spot.y))
    without = logistics_chain(chain_op.sites).legs.set_index("from_id")
    assert without.geometry[node].coords[0] == pytest.approx((t3.x, t3.y))
    assert without.loc[node, "length_m"] == pytest.approx(0.0)
    assert without.loc[node, "to_name"] == "T3"
    assert with_area.loc[node, "from_name"] == "PPS Dua"


def test_lengths_are_geodesic(chain_op) -> None:
    legs = logistics_chain(chain_op.sites).legs.set_index("to_id")
    assert legs.loc["P1", "length_m"] == pytest.approx(2000.0, abs=0.01)
    assert legs.loc["S1", "length_m"] == pytest.approx(1000.0, abs=0.01)


def _straight_chain(length_m: float, post_radius_m: float | None) -> tuple:
    ppk = offset(LON, LAT, 90, length_m)
    records = [
        site("W", "logistics", LON, LAT, role="warehouse", area_code="19.71"),
        site("P", "logistics", *ppk, role="ppk", area_code="19.71.01"),
    ]
    if post_radius_m is not None:
        records.append(site("POST", "police_post", LON, LAT, post_type="polsek", personnel=4))
    op = make_operation(records)
    posts = op.sites[op.sites["kind"] == "police_post"].assign(
        **{Derived.RADIUS_USED_M: post_radius_m or 0}
    )
    return op, posts


@pytest.mark.parametrize(
    ("radius_m", "share", "reached"),
    [(1000.0, 0.25, False), (3990.0, 3990 / 4000, False), (4002.0, 1.0, True)],
)
def test_reach_share_of_a_leg(radius_m: float, share: float, reached: bool) -> None:
    op, posts = _straight_chain(4000.0, radius_m)
    chain = logistics_chain(op.sites, posts=posts, preset=PRESET)
    leg = chain.legs.iloc[0]
    assert leg["reach_share"] == pytest.approx(share, abs=1e-3)
    assert bool(leg["reached"]) is reached
    unreached = chain.unreached()
    assert len(unreached) == (0 if reached else 1)
    if not reached:
        assert unreached.iloc[0]["beyond_m"] == pytest.approx(4000 - radius_m, abs=3.0)
        assert chain.figures().unreached == 1


def test_a_leg_far_from_every_post_is_unreached_and_listed_longest_first(chain_op) -> None:
    posts = chain_op.sites[chain_op.sites["kind"] == "police_post"].assign(
        **{Derived.RADIUS_USED_M: 2100.0}
    )
    chain = logistics_chain(chain_op.sites, posts=posts, preset=PRESET)
    legs = chain.legs.set_index("to_id")
    assert bool(legs.loc["P1", "reached"])  # 2000 m from the post: all within 2100 m
    kel4 = f"{AREA_NODE_PREFIX}19.72.01.1001"
    assert legs.loc["T7", "reach_share"] == 0.0  # 3000+ m south: nothing within reach
    unreached = chain.unreached()
    assert {kel4, "T7", "S1", "T1", "T2"} <= set(unreached["to_id"])
    beyond = unreached["beyond_m"].to_numpy()
    assert list(beyond) == sorted(beyond, reverse=True)
    assert chain.unreached(limit=2)["to_id"].tolist() == unreached["to_id"].head(2).tolist()


def test_without_posts_or_preset_nothing_police_is_worked_out(chain_op) -> None:
    chain = logistics_chain(chain_op.sites)
    figures = chain.figures()
    assert figures.escort_polri is None and figures.escort_total is None
    assert figures.unreached is None
    assert chain.legs["escort_polri"].isna().all()
    assert chain.legs["reached"].isna().all()
    assert chain.unreached().empty


def test_an_operation_without_chain_roles_has_no_chain(operation_factory) -> None:
    op = operation_factory(
        [
            site("T", "polling_station", LON, LAT, risk="rawan", area_code="19.71.01.1001"),
            site("L", "logistics", LON, LAT, name="Gudang tanpa peran"),
        ]
    )
    chain = logistics_chain(op.sites, preset=PRESET)
    assert chain.empty
    assert chain.figures().legs == {"ppk": 0, "pps": 0, "tps": 0}
    assert chain_lines(chain, "en") == [
        "This operation has no logistics chain yet (logistics sites with the role warehouse, "
        "ppk or pps and an area code)."
    ]


def test_inputs_are_left_unchanged(chain_op) -> None:
    before = chain_op.sites.copy()
    logistics_chain(chain_op.sites, preset=PRESET)
    pd.testing.assert_frame_equal(chain_op.sites, before)


def test_sample_chain_links_every_tps(sample_analysis) -> None:
    from geo.logistics import chain_for

    chain = chain_for(sample_analysis)
    figures = chain.figures()
    assert figures.legs == {"ppk": 7, "pps": 42, "tps": 311}
    assert figures.broken == 0
    assert figures.ppk_sites == 7
    # every kelurahan of the sample has no PPS site: its legs are assumed
    assert figures.assumed == 42 + 311
    # the legs to the TPS carry the staffing's ballot escort, TPS by TPS
    tps_escort = figures.escort_polri["tps"] if figures.escort_polri else None
    assert tps_escort == sample_analysis.staffing.total("escort_polri")
    assert figures.unreached is not None and 0 < figures.unreached < 360


# --- roads ------------------------------------------------------------------------------------


def _roads(tmp_path: Path, lines: list[LineString], crs: str | None = WGS84) -> Path:
    path = tmp_path / "roads.gpkg"
    names = {"name": [f"r{i}" for i in range(len(lines))]}
    gpd.GeoDataFrame(names, geometry=lines, crs=crs).to_file(path)
    return path


def test_legs_follow_the_roads(tmp_path: Path) -> None:
    # a warehouse and a PPK 2 km apart diagonally; the road goes north, then east
    ppk = offset(*offset(LON, LAT, 0, 2000), 90, 2000)
    corner = offset(LON, LAT, 0, 2000)
    road = LineString([(LON, LAT), corner, ppk])
    far = offset(LON, LAT, 180, 5000)
    op = make_operation(
        [
            site("W", "logistics", LON, LAT, role="warehouse", area_code="19.71"),
            site("P", "logistics", *ppk, role="ppk", area_code="19.71.01"),
            site("Q", "logistics", *far, role="ppk", area_code="19.71.02"),
        ]
    )
    roads = read_roads(_roads(tmp_path, [road]))
    legs = logistics_chain(op.sites, roads=roads).legs.set_index("to_id")
    assert bool(legs.loc["P", "routed"])
    assert legs.loc["P", "length_m"] == pytest.approx(4000.0, rel=2e-3)
    assert legs.geometry["P"].coords[1] == pytest.approx(corner, abs=1e-6)
    # 5 km from the road's nearest vertex: kept straight
    assert not bool(legs.loc["Q", "routed"])
    assert legs.loc["Q", "length_m"] == pytest.approx(float(geodesic_m(LON, LAT, *far)))
    assert math.isclose(legs.loc["Q", "length_m"], 5000.0, abs_tol=0.01)


def test_unjoined_roads_leave_a_leg_straight(tmp_path: Path) -> None:
    ppk = offset(LON, LAT, 90, 3000)
    middle = offset(LON, LAT, 90, 1500)
    gap = offset(LON, LAT, 90, 1600)
    op = make_operation(
        [
            site("W", "logistics", LON, LAT, role="warehouse", area_code="19.71"),
            site("P", "logistics", *ppk, role="ppk", area_code="19.71.01"),
        ]
    )
    roads = read_roads(_roads(tmp_path, [LineString([(LON, LAT), middle]), LineString([gap, ppk])]))
    leg = logistics_chain(op.sites, roads=roads).legs.iloc[0]
    assert not bool(leg["routed"])
    assert len(leg.geometry.coords) == 2


def test_a_road_file_without_crs_is_refused(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="crs"):  # GDAL's own warning on writing it
        path = _roads(tmp_path, [LineString([(LON, LAT), (LON + 0.01, LAT)])], crs=None)
    with pytest.raises(CRSError, match="declares no CRS"):
        read_roads(path)


def test_the_legs_belong_to_voting_and_counting(chain_op) -> None:
    chain = logistics_chain(chain_op.sites, preset=PRESET)
    assert chain.in_phase(None) is chain
    assert len(chain.in_phase("pungut_hitung").legs) == len(chain.legs) == 8
    assert chain.in_phase("kampanye").legs.empty
    assert chain.in_phase("kampanye").figures().legs == {"ppk": 0, "pps": 0, "tps": 0}


@pytest.mark.parametrize(("post_type", "reached"), [("patrol", True), ("reserve", False)])
def test_a_reserves_response_reach_guards_no_leg(post_type: str, reached: bool) -> None:
    # a 2 km leg whose middle holds a post reaching 2 km: a patrol base guards the whole
    # leg; a reserve at the same place, with the same reach, guards none of it
    ppk = offset(LON, LAT, 90, 2000)
    middle = offset(LON, LAT, 90, 1000)
    op = make_operation(
        [
            site("W", "logistics", LON, LAT, role="warehouse", area_code="19.71"),
            site("P", "logistics", *ppk, role="ppk", area_code="19.71.01"),
            site("X", "police_post", *middle, post_type=post_type, radius_m=2000, personnel=30),
        ]
    )
    analysis = analyse(op)
    (leg,) = chain_for(analysis).legs.itertuples()
    assert bool(leg.reached) is reached
    assert leg.reach_share == pytest.approx(1.0 if reached else 0.0)
    # the chain given every post (reserves included) decides it the same way
    direct = logistics_chain(op.sites, posts=analysis.coverage.posts).legs
    assert bool(direct["reached"].iloc[0]) is reached
