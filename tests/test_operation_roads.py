"""An operation's own road file (`posko roads set`, `roads.gpkg`): the briefing's chain legs and
reserves' arrival go along it, so do the app's scenario figures and chain; `posko brief
--roads FILE` does the same for one briefing; without one, straight lines as before; a broken
road file is a planner's error, never a traceback and never ignored."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import pytest
import streamlit as st
from pyproj import Geod
from shapely.geometry import LineString
from streamlit.testing.v1 import AppTest

from cli import main
from geo import audit
from geo.analysis import analyse
from geo.errors import ValidationError
from geo.logistics import ROAD_SNAP_M, RouteStatus, chain_for
from geo.model import AuditAction
from geo.operation import (
    ROADS_FILE,
    SAMPLE_OPERATION,
    load_operation,
    operation_signature,
    roads_path,
)
from geo.scenarios import SCENARIOS_FILE, load_scenarios, scenario_figures
from geo.store import file_sha256, workspace_dir
from layers.brief_scenarios import inset
from layers.export import briefing_html
from layers.partner import partner_chain
from tests.conftest import offset, one_reserve_scenario

GEOD = Geod(ellps="WGS84")
TARGET = (106.148946, -2.150351)  # GOV-GUBERNUR in the sample
CORNER = offset(*TARGET, 180, 4_000)
BASE = offset(*CORNER, 270, 3_000)  # 5 km from the target in a straight line, 7 km by road
WAREHOUSE = (106.144306, -2.135567)  # LOG-GUDANG-KPU
PPK = (106.11183, -2.122331)  # LOG-PPK-19.71.02 (Taman Sari)
BEND = (PPK[0], WAREHOUSE[1])  # the warehouse's road runs west, then north to the PPK
WHEN = datetime(2024, 11, 27, 7, 0, tzinfo=UTC)


def _metres(*points: tuple[float, float]) -> float:
    """Length of the path through `points` on the ellipsoid (the oracle, not the engine)."""
    return sum(GEOD.inv(*a, *b)[2] for a, b in pairwise(points))


def _road_file(folder: Path, name: str = "jalan.geojson") -> Path:
    path = folder / name
    lines = [LineString([BASE, CORNER, TARGET]), LineString([WAREHOUSE, BEND, PPK])]
    gpd.GeoDataFrame(geometry=lines, crs="EPSG:4326").to_file(path, driver="GeoJSON")
    return path


def _brief(folder: Path, lang: str = "id") -> str:
    analysis = analyse(load_operation(folder))
    return briefing_html(analysis, lang=lang, exported_at=WHEN, exported_by="Kabag Ops")


@pytest.fixture
def operation(op_folder: Path, tmp_path: Path) -> Path:
    """The sample's copy with one scenario, and a road file (not yet the operation's)."""
    assert _metres(BASE, TARGET) == pytest.approx(5_000, abs=1)
    one_reserve_scenario(op_folder, BASE)
    _road_file(tmp_path)
    return op_folder


def test_the_briefing_goes_along_the_operations_road_file(
    operation: Path, tmp_path: Path, capsys
) -> None:
    assert main(["roads", "set", str(operation), str(tmp_path / "jalan.geojson")]) == 0
    assert str(operation / ROADS_FILE) in capsys.readouterr().out
    (record,) = audit.entries("latihan", actions=[AuditAction.ROADS])
    assert record.what_in("id") == "jalan.geojson menjadi berkas jalan operasi"
    assert record.sha256 == file_sha256(operation / ROADS_FILE)
    html = _brief(operation)
    # the reserve drives 7 km at 42 km/h: 10 minutes (5 km straight)
    assert "42 km/jam, 7,0 km lewat jalan" in html
    assert "10 menit" in html
    assert "jarak terpendek menyusuri jalan di berkas jalan" in html  # the scenario's assumption
    assert "rute jalan dari pangkalan cadangan" in html  # the inset's note
    (scenario,) = load_scenarios(load_operation(operation)).items
    (arrival,) = scenario_figures(scenario, roads=load_operation(operation).road_network).arrivals
    assert arrival.path is not None
    assert arrival.path[0] == pytest.approx(BASE, abs=1e-6)
    assert arrival.path[-1] == pytest.approx(TARGET, abs=1e-6)
    assert any(p == pytest.approx(CORNER, abs=1e-6) for p in arrival.path)
    # the inset draws that way, not the straight line
    network = load_operation(operation).road_network
    (drawn,) = inset(scenario, late_after_min=60, lang="id", roads=network).reserve_lines
    (straight,) = inset(scenario, late_after_min=60, lang="id").reserve_lines
    assert len(drawn.points.split()) == len(arrival.path) >= 3
    assert len(straight.points.split()) == 2
    # page 1's assumptions and the chain's notes say the legs follow the roads
    assert "menyusuri berkas jalan operasi (rute terpendek)" in html
    routed = int(chain_for(analyse(load_operation(operation))).legs["routed"].sum())
    assert routed >= 1
    assert f"{routed} jalur mengikuti berkas jalan; sisanya garis lurus." in html
    english = _brief(operation, "en")
    assert "42 km/h, 7.0 km by road" in english
    assert "follow the operation&#39;s road file" in english


def test_a_reserve_the_roads_do_not_reach_keeps_its_straight_line_and_says_why(
    operation: Path, tmp_path: Path
) -> None:
    """A second reserve based 2 km from every road: its row says straight line and why;
    the first still drives the roads, and the briefing's scenarios are all shown."""
    away = offset(*BASE, 90, 2_000)
    text = (operation / SCENARIOS_FILE).read_text(encoding="utf-8")
    (operation / SCENARIOS_FILE).write_text(
        text.rstrip("]\n")
        + f', {{name = "Dalmas", unit = "dalmas", strength = 30, speed_kmh = 42, '
        f"lon = {away[0]}, lat = {away[1]}}}]\n",
        encoding="utf-8",
    )
    main(["roads", "set", str(operation), str(tmp_path / "jalan.geojson")])
    html = _brief(operation)
    assert "42 km/jam, 7,0 km lewat jalan" in html  # Brimob, along the roads
    assert (
        "42 km/jam × 1,3, garis lurus: pangkalan atau sasaran lebih dari 300 m dari jalan di "
        "berkas jalan" in html
    )
    assert "Skenario tidak dapat ditampilkan" not in html
    (scenario,) = load_scenarios(load_operation(operation)).items
    arrivals = {
        a.reserve.name: a
        for a in scenario_figures(scenario, roads=load_operation(operation).road_network).arrivals
    }
    assert arrivals["Brimob"].routed and arrivals["Brimob"].unrouted is None
    dalmas = arrivals["Dalmas"]
    assert not dalmas.routed and dalmas.unrouted is RouteStatus.OFF_ROAD
    assert dalmas.road_m == pytest.approx(dalmas.distance_m * 1.3)


def test_the_chain_leg_is_the_road_path_where_the_road_joins_its_ends(
    operation: Path, tmp_path: Path
) -> None:
    main(["roads", "set", str(operation), str(tmp_path / "jalan.geojson")])
    legs = chain_for(analyse(load_operation(operation))).legs.set_index("to_id")
    leg = legs.loc["LOG-PPK-19.71.02"]
    road, straight = _metres(WAREHOUSE, BEND, PPK), _metres(WAREHOUSE, PPK)
    assert road > 1.25 * straight  # the hand-made road is clearly longer
    assert bool(leg["routed"])
    assert leg["length_m"] == pytest.approx(road, rel=2e-3)
    assert leg.geometry.coords[1] == pytest.approx(BEND, abs=1e-6)
    # every other leg routed has both ends near a vertex of the roads (the snap rule)
    vertices = [BASE, CORNER, TARGET, WAREHOUSE, BEND, PPK]
    for line in legs[legs["routed"]].geometry:
        ends = (line.coords[0], line.coords[-1])
        assert all(min(_metres(end, v) for v in vertices) <= ROAD_SNAP_M for end in ends)
    straight_legs = legs[~legs["routed"].astype(bool)]
    assert all(len(line.coords) == 2 for line in straight_legs.geometry)


def test_without_a_road_file_straight_lines_as_before(operation: Path, tmp_path: Path) -> None:
    html = _brief(operation)
    # 5 km × road factor 1.3 ÷ 42 km/h = 9.29 minutes
    assert "9,3 menit" in html
    assert "lewat jalan" not in html
    assert "menyusuri berkas jalan operasi" not in html
    assert "Jalur digambar sebagai garis lurus antarlokasi, bukan rute jalan." in html
    legs = chain_for(analyse(load_operation(operation))).legs
    assert not legs["routed"].any()
    # given, then removed: straight again
    main(["roads", "set", str(operation), str(tmp_path / "jalan.geojson")])
    assert main(["roads", "remove", str(operation)]) == 0
    assert not (operation / ROADS_FILE).exists()
    removed = audit.entries("latihan", actions=[AuditAction.ROADS])[0]
    assert removed.what_in("en") == "the operation's road file removed"
    assert "9,3 menit" in _brief(operation)


def test_posko_brief_roads_gives_one_briefing_the_roads(operation: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    road = str(tmp_path / "jalan.geojson")
    assert main(["brief", str(operation), "--roads", road, "-o", str(out)]) == 0
    assert "42 km/jam, 7,0 km lewat jalan" in out.read_text(encoding="utf-8")
    assert not (operation / ROADS_FILE).exists()  # the operation keeps no road file
    assert main(["brief", str(operation), "-o", str(out)]) == 0
    assert "lewat jalan" not in out.read_text(encoding="utf-8")


def test_a_broken_road_file_is_a_clear_error(operation: Path, tmp_path: Path, capsys) -> None:
    broken = tmp_path / "rusak.gpkg"
    broken.write_bytes(b"SQLite format 3\x00 not really")
    assert main(["roads", "set", str(operation), str(broken)]) == 2
    err = capsys.readouterr().err
    assert "Berkas jalan rusak.gpkg tidak dapat dibaca" in err
    assert "Traceback" not in err
    assert not (operation / ROADS_FILE).exists()  # nothing written
    # a road file placed by hand and broken: the operation says so, it is not ignored
    shutil.copy(broken, operation / ROADS_FILE)
    with pytest.raises(ValidationError) as caught:
        load_operation(operation)
    assert caught.value.key == "operation.roads_broken"
    assert main(["brief", str(operation), "-o", str(tmp_path / "b.html"), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert f"The road file of operation latihan ({operation / ROADS_FILE}) cannot be used" in err
    assert "posko roads remove latihan" in err
    assert "Traceback" not in err
    assert not (tmp_path / "b.html").exists()


def test_a_road_file_with_no_line_is_refused(operation: Path, tmp_path: Path, capsys) -> None:
    points = tmp_path / "titik.geojson"
    gpd.GeoDataFrame(geometry=gpd.points_from_xy([TARGET[0]], [TARGET[1]]), crs=4326).to_file(
        points, driver="GeoJSON"
    )
    assert main(["roads", "set", str(operation), str(points), "--lang", "en"]) == 2
    assert "Road file titik.geojson holds no road lines." in capsys.readouterr().err


def test_the_bundled_samples_road_file_lies_in_the_workspace(tmp_path: Path) -> None:
    path = roads_path(SAMPLE_OPERATION)
    assert path == workspace_dir() / ".sample-stores" / SAMPLE_OPERATION.name / ROADS_FILE
    before = operation_signature(SAMPLE_OPERATION)
    try:
        assert main(["roads", "set", "pangkalpinang", str(_road_file(tmp_path))]) == 0
        assert path.is_file()
        assert operation_signature(SAMPLE_OPERATION) != before  # the app loads it again
        assert load_operation(SAMPLE_OPERATION).roads is not None
    finally:
        assert main(["roads", "remove", "pangkalpinang"]) == 0
    assert load_operation(SAMPLE_OPERATION).roads is None


# --- the app --------------------------------------------------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app_operation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace holding a copy of the sample with one scenario, opened by the app."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path / "ws"))
    folder = tmp_path / "ws" / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    one_reserve_scenario(folder, BASE)
    return folder


def _scenarios_page() -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.session_state["lang"] = "id"
    at.run()
    at.switch_page("pages/scenarios_page.py").run()
    assert not at.exception, at.exception
    return at


def test_the_apps_scenario_figures_go_along_the_operations_roads(
    app_operation: Path, tmp_path: Path
) -> None:
    at = _scenarios_page()
    reserves = at.dataframe[2].value
    assert reserves.iloc[0].tolist()[-2:] == ["9,3 menit", "–"]
    main(["roads", "set", str(app_operation), str(_road_file(tmp_path))])
    at = _scenarios_page()
    row = at.dataframe[2].value.iloc[0].tolist()
    assert "42 km/jam, 7,0 km lewat jalan" in row
    assert "10 menit" in row
    assert "menyusuri jalan di berkas jalan" in at.info[-1].value


def test_the_app_says_when_the_operations_road_file_is_broken(app_operation: Path) -> None:
    (app_operation / ROADS_FILE).write_bytes(b"bukan geopackage")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.session_state["lang"] = "id"
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Berkas jalan operasi latihan" in shown
    assert "tidak dapat dipakai" in shown


def test_the_partner_chain_follows_the_roads_too(operation: Path, tmp_path: Path) -> None:
    main(["roads", "set", str(operation), str(tmp_path / "jalan.geojson")])
    legs = partner_chain(analyse(load_operation(operation))).set_index("to_id")
    assert bool(legs.loc["LOG-PPK-19.71.02", "routed"])
    assert legs.loc["LOG-PPK-19.71.02", "length_m"] == pytest.approx(
        _metres(WAREHOUSE, BEND, PPK), rel=2e-3
    )


def test_roads_with_a_plan_comparison_is_refused(operation: Path, tmp_path: Path, capsys) -> None:
    road = str(tmp_path / "jalan.geojson")
    out = str(tmp_path / "banding.html")
    args = ["brief", str(operation), "--compare", "A", "B", "--roads", road, "-o", out]
    assert main([*args, "--lang", "en"]) == 2
    assert "--roads is for the briefing of one plan, not with --compare" in capsys.readouterr().err
