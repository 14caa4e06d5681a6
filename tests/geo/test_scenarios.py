"""Demonstration scenarios: ring personnel and reserve arrival by hand, every validation
message, the sample's two scenarios."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from geo.errors import ValidationError
from geo.logistics import RoadNetwork, RouteStatus
from geo.model import Kind
from geo.operation import load_operation
from geo.scenarios import (
    DEFAULT_DETOUR,
    DEFAULT_LATE_AFTER_MIN,
    DEFAULT_SPEED_KMH,
    SCENARIOS_FILE,
    ScenarioError,
    Scenarios,
    arrival_minutes,
    load_scenarios,
    parse_scenarios,
    reserve_arrivals,
    scenario_figures,
    scenarios_in_phase,
    scenarios_report,
)
from geo.text import localized
from layers.scenario import reserves_table
from tests.conftest import make_operation, offset, site

TARGET = (106.15, -2.15)
NORTH_10KM = offset(*TARGET, 0, 10_000)
EAST_2KM = offset(*TARGET, 90, 2_000)


@pytest.fixture(scope="module")
def operation():
    """A target building, a reserve post 10 km north of it, a TPS."""
    return make_operation(
        [
            site("GOV-1", Kind.GOVERNMENT, *TARGET, name="Kantor Gubernur"),
            site("POST-R", Kind.POLICE_POST, *NORTH_10KM, post_type="mako", personnel=50),
            site("TPS-1", Kind.POLLING_STATION, *EAST_2KM, risk="rawan"),
        ]
    )


def scenario(**changes: Any) -> dict[str, Any]:
    """A valid scenario table, with `changes` applied (None removes a key)."""
    table: dict[str, Any] = {
        "id": "s1",
        "name": "Unjuk rasa",
        "target": "GOV-1",
        "phase": "penetapan",
        "crowd_size": 1200,
        "origins": ["local", "Kabupaten Bangka"],
        "rings": [
            {"ring": 2, "units": [{"name": "Dalmas awal", "personnel": 60, "dalmas": True}]},
            {
                "ring": 1,
                "units": [
                    {"name": "Pam objek", "personnel": 20},
                    {"name": "Negosiator", "personnel": 5},
                ],
            },
            {"ring": 4, "units": [{"name": "Sekat", "personnel": 30}]},
        ],
        "reserves": [
            {"name": "Dalmas Mako", "unit": "dalmas", "strength": 60, "site_id": "POST-R"},
            {
                "name": "Brimob",
                "unit": "brimob",
                "strength": 100,
                "lon": EAST_2KM[0],
                "lat": EAST_2KM[1],
                "speed_kmh": 40,
                "detour": 1.5,
            },
        ],
    }
    for key, value in changes.items():
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    return table


def parse(operation, *scenarios: dict[str, Any], settings=None, **top: Any) -> Scenarios:
    return parse_scenarios(
        {"scenario": list(scenarios), **top},
        sites=operation.sites,
        settings=settings or operation.settings,
    )


def problems(operation, *scenarios: dict[str, Any], settings=None, **top: Any) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse(operation, *scenarios, settings=settings, **top)
    return [p.message for p in caught.value.problems]


# --- figures by hand -------------------------------------------------------------------------


def test_arrival_minutes_by_hand() -> None:
    # 10 km straight, 13 km on the road, at 30 km/h: 26 minutes
    assert arrival_minutes(10_000, speed_kmh=30, detour=1.3) == pytest.approx(26.0)
    # 2 km straight, 3 km on the road, at 40 km/h: 4.5 minutes
    assert arrival_minutes(2_000, speed_kmh=40, detour=1.5) == pytest.approx(4.5)
    assert arrival_minutes(0, speed_kmh=30, detour=1.3) == 0


def test_ring_totals_and_reserve_arrivals_by_hand(operation) -> None:
    (s,) = parse(operation, scenario()).items
    # rings ordered innermost first, radii from the operation's ring_zones_m (30/100/300/800)
    assert [(r.ring, r.radius_m) for r in s.rings] == [(1, 30.0), (2, 100.0), (4, 800.0)]
    assert (s.lon, s.lat) == pytest.approx(TARGET)
    f = scenario_figures(s, late_after_min=25)
    assert f.ring_personnel == ((1, 25), (2, 60), (4, 30))
    assert f.deployed == 115
    assert f.dalmas == 60
    assert f.reserves == 160
    assert f.total == 275
    # earliest first: Brimob 2 km × 1.5 at 40 km/h = 4.5 min; the Mako 10 km × 1.3 at the
    # default 30 km/h = 26 min, later than 25 min: late
    assert [a.reserve.name for a in f.arrivals] == ["Brimob", "Dalmas Mako"]
    assert [a.distance_m for a in f.arrivals] == pytest.approx([2_000, 10_000], abs=0.01)
    assert [a.road_m for a in f.arrivals] == pytest.approx([3_000, 13_000], abs=0.01)
    assert [a.minutes for a in f.arrivals] == pytest.approx([4.5, 26.0], abs=1e-4)
    assert f.first_arrival_min == pytest.approx(4.5, abs=1e-4)
    assert f.last_arrival_min == pytest.approx(26.0, abs=1e-4)
    assert f.late == ("Dalmas Mako",)
    assert [a.late for a in f.arrivals] == [False, True]
    assert scenario_figures(s, late_after_min=30).late == ()


def test_the_base_of_a_post_is_the_posts_position(operation) -> None:
    (s,) = parse(operation, scenario()).items
    mako = next(r for r in s.reserves if r.site_id == "POST-R")
    assert (mako.lon, mako.lat) == pytest.approx(NORTH_10KM)
    assert (mako.speed_kmh, mako.detour) == (DEFAULT_SPEED_KMH, DEFAULT_DETOUR)


def test_file_defaults_apply_to_reserves_without_their_own(operation) -> None:
    defaults = {"speed_kmh": 60, "detour": 1.0, "late_after_min": 5}
    scenarios = parse(operation, scenario(), defaults=defaults)
    assert scenarios.late_after_min == 5
    (s,) = scenarios.items
    mako = next(a for a in reserve_arrivals(s) if a.reserve.site_id == "POST-R")
    assert mako.minutes == pytest.approx(10.0, abs=1e-4)  # 10 km at 60 km/h, no detour
    assert scenario_figures(s, late_after_min=scenarios.late_after_min).late == ("Dalmas Mako",)


def test_a_scenario_without_reserves_has_no_arrival(operation) -> None:
    (s,) = parse(operation, scenario(reserves=[])).items
    f = scenario_figures(s)
    assert f.arrivals == ()
    assert math.isnan(f.first_arrival_min) and math.isnan(f.last_arrival_min)
    assert f.late_after_min == DEFAULT_LATE_AFTER_MIN
    assert scenarios_report(Scenarios((s,)))["scenarios"][0]["first_arrival_min"] is None


def test_report_holds_the_figures(operation) -> None:
    report = scenarios_report(parse(operation, scenario()))
    (item,) = report["scenarios"]
    assert item["deployed"] == 115 and item["reserves_strength"] == 160
    assert [r["minutes"] for r in item["reserves"]] == [4.5, 26.0]
    assert item["assumptions"] == {"crowd_size": 1200, "origins": ["local", "Kabupaten Bangka"]}


def test_scenarios_in_phase(operation) -> None:
    scenarios = parse(operation, scenario(), scenario(id="s2", phase="rekapitulasi"))
    assert [s.id for s in scenarios_in_phase(scenarios, "rekapitulasi")] == ["s2"]
    assert [s.id for s in scenarios_in_phase(scenarios, None)] == ["s1", "s2"]
    assert scenarios_in_phase(scenarios, "kampanye") == ()
    assert scenarios.get("s2").phase == "rekapitulasi"
    with pytest.raises(KeyError):
        scenarios.get("s3")


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "where", "fragment"),
    [
        ({"target": "GOV-X"}, "scenario[1].target", "no site of the operation has this site_id"),
        ({"target": "TPS-1"}, "scenario[1].target", "the target must be a government building"),
        ({"crowd_size": -5}, "scenario[1].crowd_size", "expected a whole number, 0 or more"),
        ({"crowd_size": 2.5}, "scenario[1].crowd_size", "expected a whole number"),
        ({"origins": []}, "scenario[1].origins", "expected a list of crowd origins"),
        ({"name": None}, "scenario[1].name", "is missing"),
        ({"phase": 7}, "scenario[1].phase", "expected a text"),
        ({"colour": "red"}, "scenario[1].colour", "Unknown key"),
        (
            {"rings": [{"ring": 5, "units": []}]},
            "scenario[1].rings[1].ring",
            "expected a ring number from 1 to 4",
        ),
        (
            {"rings": [{"ring": 0, "units": []}]},
            "scenario[1].rings[1].ring",
            "expected a ring number from 1 to 4",
        ),
        (
            {"rings": [{"ring": 1, "units": []}, {"ring": 1, "units": []}]},
            "scenario[1].rings[2].ring",
            "listed twice",
        ),
        (
            {"rings": [{"ring": 1, "units": [{"name": "A", "personnel": -3}]}]},
            "scenario[1].rings[1].units[1].personnel",
            "not negative",
        ),
        (
            {"rings": [{"ring": 1, "units": [{"name": "A", "personnel": 3, "dalmas": "ya"}]}]},
            "scenario[1].rings[1].units[1].dalmas",
            "expected true or false",
        ),
        (
            {"reserves": [{"name": "R", "unit": "dalmas", "strength": -10, "site_id": "POST-R"}]},
            "scenario[1].reserves[1].strength",
            "not negative",
        ),
        (
            {"reserves": [{"name": "R", "unit": "sabhara", "strength": 1, "site_id": "POST-R"}]},
            "scenario[1].reserves[1].unit",
            "expected one of: dalmas, brimob, backup, perintis",
        ),
        (
            {"reserves": [{"name": "R", "unit": "dalmas", "strength": 1, "site_id": "POST-X"}]},
            "scenario[1].reserves[1].site_id",
            "no police post has this site_id",
        ),
        (
            {"reserves": [{"name": "R", "unit": "dalmas", "strength": 1, "site_id": "GOV-1"}]},
            "scenario[1].reserves[1].site_id",
            "a reserve's base must be a police post",
        ),
        (
            {"reserves": [{"name": "R", "unit": "dalmas", "strength": 1}]},
            "scenario[1].reserves[1]",
            "give either the base post's `site_id` or `lon` and `lat`",
        ),
        (
            {
                "reserves": [
                    {"name": "R", "unit": "dalmas", "strength": 1, "lon": 106.1, "lat": -95}
                ]
            },
            "scenario[1].reserves[1].lon/lat",
            "expected longitude and latitude in degrees",
        ),
        (
            {
                "reserves": [
                    {
                        "name": "R",
                        "unit": "dalmas",
                        "strength": 1,
                        "site_id": "POST-R",
                        "speed_kmh": 0,
                    }
                ]
            },
            "scenario[1].reserves[1].speed_kmh",
            "expected a number above 0",
        ),
        (
            {
                "reserves": [
                    {
                        "name": "R",
                        "unit": "dalmas",
                        "strength": 1,
                        "site_id": "POST-R",
                        "detour": 0.8,
                    }
                ]
            },
            "scenario[1].reserves[1].detour",
            "is 0.8; expected 1 or more",
        ),
        (
            {"corridors": [{"name": "Jalan", "line": [[106.1, -2.1]]}]},
            "scenario[1].corridors[1].line",
            "expected a line of 2 or more",
        ),
        (
            {"assembly": [{"name": "Simpang", "lon": "106", "lat": -2.1}]},
            "scenario[1].assembly[1].lon/lat",
            "expected longitude and latitude",
        ),
    ],
)
def test_each_rule_has_its_message(operation, changes, where, fragment) -> None:
    (message,) = problems(operation, scenario(**changes))
    assert message.startswith(f"`{where}`") or f"`{where}`" in message
    assert fragment in message


def test_every_problem_is_reported_at_once(operation) -> None:
    bad = scenario(target="GOV-X", crowd_size=-1, rings=[{"ring": 9, "units": []}])
    found = problems(operation, bad, scenario(id="s1"), defaults={"late_after_min": -1})
    # the late threshold, the target, the crowd and the ring; the second "s1" is no duplicate
    # (the first was not read)
    assert [m.split(" ")[0] for m in found] == [
        "`defaults.late_after_min`",
        "`scenario[1].target`",
        "`scenario[1].crowd_size`",
        "`scenario[1].rings[1].ring`",
    ]
    assert found[0] == "`defaults.late_after_min` is -1; expected a number above 0."
    found = problems(operation, scenario(), scenario(name="Lagi"))
    assert found == ["`scenario[2].id` is 's1', already used by another scenario."]


def test_unknown_target_names_the_government_sites(operation) -> None:
    (message,) = problems(operation, scenario(target="GOV-X"))
    assert message == (
        "`scenario[1].target` is 'GOV-X': no site of the operation has this site_id; the "
        "target must be a government building, e.g.: GOV-1."
    )


def test_a_ring_beyond_the_operations_rings(operation) -> None:
    settings = SimpleNamespace(ring_zones_m=(30.0, 100.0))
    found = problems(operation, scenario(), settings=settings)
    assert found == [
        "`scenario[1].rings[3].ring` is 4, but the operation's `ring_zones_m` has only 2 rings."
    ]


def test_phase_is_checked_against_the_operations_phases(operation) -> None:
    phases = tuple(SimpleNamespace(key=k) for k in ("kampanye", "rekapitulasi"))
    settings = SimpleNamespace(ring_zones_m=(30.0, 100.0, 300.0, 800.0), phases=phases)
    (message,) = problems(operation, scenario(phase="penetapan"), settings=settings)
    assert message == (
        "`scenario[1].phase` is 'penetapan'; expected one of the operation's phases: "
        "kampanye, rekapitulasi."
    )
    assert parse(operation, scenario(phase="kampanye"), settings=settings).items[0].phase == (
        "kampanye"
    )


def test_top_level_shape(operation) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenarios(
            {"scenario": {"id": "x"}, "extra": 1},
            sites=operation.sites,
            settings=operation.settings,
        )
    messages = [p.message for p in caught.value.problems]
    assert any(m.startswith("Unknown key `extra`") for m in messages)
    assert any(m.startswith("`scenario` must be a list of tables") for m in messages)


def test_messages_in_indonesian(operation) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse(operation, scenario(crowd_size=-5))
    assert isinstance(caught.value, ValidationError)
    text = localized(caught.value, "id")
    assert text.startswith(f"Berkas skenario '{SCENARIOS_FILE}' tidak sah: ")
    assert "`scenario[1].crowd_size` berisi -5; seharusnya bilangan bulat" in text


# --- the file and the sample -----------------------------------------------------------------


def test_no_file_means_no_scenarios(op_folder: Path) -> None:
    (op_folder / SCENARIOS_FILE).unlink()
    assert load_scenarios(load_operation(op_folder)) == Scenarios()


def test_a_broken_file_says_so(op_folder: Path) -> None:
    (op_folder / SCENARIOS_FILE).write_text("[[scenario]\nid = 1", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"Scenario file 'scenarios.toml' is not valid TOML"):
        load_scenarios(load_operation(op_folder))


def test_the_sample_scenarios(sample_operation) -> None:
    scenarios = load_scenarios(sample_operation)
    assert [(s.target_id, s.phase) for s in scenarios.items] == [
        ("GOV-GUBERNUR", "penetapan"),
        ("GOV-DPRD", "rekapitulasi"),
    ]
    gubernur, dprd = scenarios.items
    assert "local" in gubernur.origins and "Kabupaten Bangka" in gubernur.origins
    f = scenario_figures(gubernur, late_after_min=scenarios.late_after_min)
    assert f.ring_personnel == ((1, 20), (2, 70), (3, 75), (4, 40))
    assert (f.deployed, f.dalmas, f.reserves) == (205, 120, 240)
    mako = next(a for a in f.arrivals if a.reserve.site_id == "POST-MAKO")
    posts = sample_operation.sites.set_index("site_id")
    assert (mako.reserve.lon, mako.reserve.lat) == pytest.approx(
        (posts.geometry["POST-MAKO"].x, posts.geometry["POST-MAKO"].y)
    )
    # the Polres Bangka backup comes from Sungailiat, ~33 km away: late
    assert scenario_figures(dprd, late_after_min=scenarios.late_after_min).late == (
        "BKO Polres Bangka (Sungailiat)",
    )
    # every position in the file is marked approximate, every crowd an assumption
    text = (Path(sample_operation.path) / SCENARIOS_FILE).read_text(encoding="utf-8")
    assert "ASSUMPTIONS" in text and "APPROXIMATE" in text and "SYNTHETIC" in text
    raw = tomllib.loads(text)
    for item in raw["scenario"]:
        assert all("perkiraan" in c["name"] for c in item.get("corridors", []))
        assert all("perkiraan" in a["name"] for a in item.get("assembly", []))
        assert all("perkiraan" in r["note"] for r in item["reserves"] if "site_id" not in r), item[
            "id"
        ]


# --- a reserve named by its reserve post ------------------------------------------------------

NORTH_6KM = offset(*TARGET, 0, 6_000)


@pytest.fixture(scope="module")
def with_reserve_post():
    """The target, and a Dalmas reserve post 6 km north of it (45 strong, standing by in the
    recapitulation and the determination of results only)."""
    return make_operation(
        [
            site("GOV-1", Kind.GOVERNMENT, *TARGET, name="Kantor Gubernur"),
            site(
                "RES-D",
                Kind.POLICE_POST,
                *NORTH_6KM,
                name="Cadangan Dalmas",
                post_type="reserve",
                personnel=45,
                unit="dalmas",
                radius_m=5000,
                phases="rekapitulasi;penetapan",
            ),
        ]
    )


def test_a_reserve_post_gives_its_strength_unit_and_base(with_reserve_post) -> None:
    (s,) = parse(with_reserve_post, scenario(reserves=[{"site_id": "RES-D"}])).items
    (r,) = s.reserves
    assert (r.name, r.unit, r.strength, r.site_id) == ("Cadangan Dalmas", "dalmas", 45, "RES-D")
    assert (r.lon, r.lat) == pytest.approx(NORTH_6KM)
    assert r.from_post and r.file_strength is None
    f = scenario_figures(s)
    # 6 km straight × 1.3 at 30 km/h: 7.8 km in 15.6 minutes; 115 on the rings + 45
    assert f.arrivals[0].minutes == pytest.approx(15.6, abs=1e-3)
    assert (f.reserves, f.total) == (45, 160)


def test_a_reserve_posts_strength_wins_over_the_files_with_a_note(with_reserve_post) -> None:
    table = {"name": "Dalmas", "unit": "dalmas", "strength": 60, "site_id": "RES-D"}
    (s,) = parse(with_reserve_post, scenario(reserves=[table])).items
    (r,) = s.reserves
    assert (r.name, r.strength, r.file_strength) == ("Dalmas", 45, 60)
    f = scenario_figures(s)
    assert f.reserves == 45
    row = reserves_table(f, "en").rows[0]
    assert row[2] == "45"
    assert row[-1] == "strength 45 from the reserve post RES-D (the scenario file says 60)"
    report = scenarios_report(Scenarios((s,)))["scenarios"][0]["reserves"][0]
    assert (report["strength"], report["file_strength"], report["from_post"]) == (45, 60, True)
    same = {**table, "strength": 45}
    (s,) = parse(with_reserve_post, scenario(reserves=[same])).items
    assert s.reserves[0].file_strength is None
    assert reserves_table(scenario_figures(s), "en").rows[0][-1] == "–"


def test_a_reserve_post_of_another_unit_or_phase_is_refused(with_reserve_post) -> None:
    other_unit = {"unit": "brimob", "site_id": "RES-D"}
    assert problems(with_reserve_post, scenario(reserves=[other_unit])) == [
        "`scenario[1].reserves[1].unit` is 'brimob', but the reserve post RES-D is recorded "
        "as unit 'dalmas'; check the site_id it names."
    ]
    (message,) = problems(
        with_reserve_post, scenario(phase="kampanye", reserves=[{"site_id": "RES-D"}])
    )
    assert message == (
        "`scenario[1].reserves[1].site_id`: the reserve post RES-D stands by only in the "
        "phase(s) rekapitulasi, penetapan, not in this scenario's phase (kampanye)."
    )


# --- arrival along a road file ------------------------------------------------------------------

# the base is 3 km west and 4 km south of the target: 5 km straight, 7 km along the road
CORNER = offset(*TARGET, 180, 4_000)
BASE = offset(*CORNER, 270, 3_000)


def _network(*lines: list[tuple[float, float]]) -> RoadNetwork:
    return RoadNetwork(gpd.GeoDataFrame(geometry=[LineString(x) for x in lines], crs="EPSG:4326"))


def _road_scenario(operation, *reserves: dict[str, Any]):
    return parse(operation, scenario(reserves=list(reserves))).items[0]


def test_arrival_along_the_roads_by_hand(operation) -> None:
    base = {"name": "Brimob", "unit": "brimob", "strength": 100, "speed_kmh": 42}
    s = _road_scenario(operation, {**base, "lon": BASE[0], "lat": BASE[1]})
    roads = _network([BASE, CORNER, TARGET])
    (a,) = reserve_arrivals(s, roads=roads)
    # 7 km of road at 42 km/h: 10 minutes (the detour factor plays no part)
    assert a.routed
    assert a.distance_m == pytest.approx(5_000, abs=1)
    assert a.road_m == pytest.approx(7_000, rel=1e-3)
    assert a.minutes == pytest.approx(10.0, rel=1e-3)
    # without the road file: 5 km × 1.3 at 42 km/h
    assert reserve_arrivals(s)[0].minutes == pytest.approx(5 * 1.3 / 42 * 60, rel=1e-6)
    # a base 200 m off the road is snapped to its nearest road vertex, as the chain's legs are
    near = offset(*BASE, 270, 200)
    s = _road_scenario(operation, {**base, "lon": near[0], "lat": near[1]})
    assert reserve_arrivals(s, roads=roads)[0].road_m == pytest.approx(7_200, rel=1e-3)


def test_a_base_the_roads_do_not_reach_keeps_its_straight_line_and_why(operation) -> None:
    base = {"unit": "brimob", "strength": 100}
    far = offset(*BASE, 270, 2_000)
    island = offset(*TARGET, 0, 3_000)
    s = _road_scenario(
        operation,
        {**base, "name": "Jauh", "lon": far[0], "lat": far[1]},
        {**base, "name": "Pulau", "lon": island[0], "lat": island[1]},
        {**base, "name": "Jalan", "lon": BASE[0], "lat": BASE[1]},
    )
    # the island's road does not join the road to the target
    roads = _network([BASE, CORNER, TARGET], [island, offset(*island, 0, 500)])
    arrivals = {a.reserve.name: a for a in reserve_arrivals(s, roads=roads)}
    assert (arrivals["Jauh"].routed, arrivals["Jauh"].unrouted) == (False, RouteStatus.OFF_ROAD)
    assert (arrivals["Pulau"].unrouted, arrivals["Pulau"].path) == (RouteStatus.NOT_JOINED, None)
    for name in ("Jauh", "Pulau"):  # the straight line times the detour factor
        a = arrivals[name]
        assert a.road_m == pytest.approx(a.distance_m * a.reserve.detour)
    assert arrivals["Jalan"].routed and arrivals["Jalan"].unrouted is None
    assert arrivals["Jalan"].road_m == pytest.approx(7_000, rel=1e-3)  # 5 km straight
