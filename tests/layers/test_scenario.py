"""A scenario drawn: its map layers, its tables, the briefing section with its insets."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from geo.analysis import analyse
from geo.operation import load_operation
from geo.scenarios import SCENARIOS_FILE, Scenarios, load_scenarios, scenario_figures
from layers.brief_scenarios import INSET_PX, inset, scenario_section_html
from layers.export import briefing_html
from layers.scenario import (
    figures_table,
    reserves_table,
    rings_table,
    scenario_bounds,
    scenario_layers,
    scenario_map_html,
)
from tests.conftest import offset

HOSTILE = '</script><b>"{{ 7 * 7 }}"</b>'


@pytest.fixture(scope="module")
def sample_scenarios(sample_operation) -> Scenarios:
    return load_scenarios(sample_operation)


@pytest.fixture(scope="module")
def gubernur(sample_scenarios):
    return sample_scenarios.get("gubernur-penetapan")


def _items(html: str) -> list[list[dict]]:
    """The item literals of every scenario layer in a rendered map."""
    return [json.loads(m) for m in re.findall(r"var items = (\[.*?\]);\n", html)]


def test_map_layers_hold_every_part(gubernur) -> None:
    figures = scenario_figures(gubernur)
    layers = scenario_layers(gubernur, figures, "en")
    names = [layer.layer_name for layer in layers]
    assert names == [
        "Security rings",
        "Crowd arrival routes",
        "Crowd assembly points",
        "Reserves",
        "Target",
    ]
    rings, corridors, assembly, reserves, target = (layer.items for layer in layers)
    # outermost first, so the inner rings are drawn on top; each centred on the target
    assert [(i["ring"], i["radius"]) for i in rings] == [(4, 800), (3, 300), (2, 100), (1, 30)]
    assert all(i["at"] == [round(gubernur.lat, 6), round(gubernur.lon, 6)] for i in rings)
    assert len(corridors) == 2 and len(assembly) == 2
    lines = [i for i in reserves if i["role"] == "reserve_line"]
    bases = [i for i in reserves if i["role"] == "reserve"]
    assert len(lines) == len(bases) == 3
    # each line runs from its base to the target; the base's label gives the minutes
    assert all(line["at"][1] == target[0]["at"] for line in lines)
    assert [b["tip"] for b in bases] == ["4.4 min", "13 min", "16 min"]
    assert all(b["label"] for b in bases)
    assert lines[0]["tip"] == (
        "BKO Dalmas Polda Babel: 80 personnel, arrives in ± 4 min (1.7 km straight)"
    )
    assert target[0]["tip"] == gubernur.target_name


def test_bounds_hold_the_outer_ring_the_reserves_and_assembly_points(gubernur) -> None:
    south, west, north, east = scenario_bounds(gubernur)
    points = [(r.lon, r.lat) for r in gubernur.reserves]
    points += [(p.lon, p.lat) for p in gubernur.assembly]
    assert all(west <= lon <= east and south <= lat <= north for lon, lat in points)
    # the outer ring (800 m) fits: ~0.0072° of latitude
    assert north - gubernur.lat >= 800 / 110_574 - 1e-9


def test_a_reserve_from_another_regency_is_left_out_of_the_frame(gubernur) -> None:
    """A reserve 32 km away (Sungailiat) would shrink the rings to a dot: the frame keeps
    the rings, the assembly points and the near reserves."""
    near = scenario_bounds(gubernur)
    far_base = offset(gubernur.lon, gubernur.lat, 0, 32_000)
    far = replace(gubernur.reserves[0], name="BKO Sungailiat", lon=far_base[0], lat=far_base[1])
    with_far = replace(gubernur, reserves=(*gubernur.reserves, far))
    assert scenario_bounds(with_far) == near
    south, _, north, _ = near
    assert not south <= far_base[1] <= north
    # its line and time are still drawn (leading off the map)
    html = scenario_map_html(with_far, scenario_figures(with_far), lang="id")
    assert "BKO Sungailiat" in html


def test_map_page_is_self_contained_and_escapes_names(gubernur) -> None:
    hostile = replace(gubernur, target_name=HOSTILE, name=HOSTILE)
    html = scenario_map_html(hostile, scenario_figures(hostile), lang="id")
    assert "cdn.jsdelivr" not in html and "<script src=" not in html
    assert "</script><b>" not in html and '<b>"{{' not in html
    target = _items(html)[-1]
    assert target[0]["tip"] == HOSTILE  # travels as a JSON literal, shown as text
    assert "Ring pengamanan" in html and "Cadangan" in html


def test_tables(gubernur, sample_scenarios) -> None:
    figures = scenario_figures(gubernur, late_after_min=sample_scenarios.late_after_min)
    rows = dict(figures_table(gubernur, figures, "en").rows)
    assert rows["Ring 1 (30 m)"] == "20" and rows["Ring 4 (800 m)"] == "40"
    assert rows["Personnel on the rings"] == "205"
    assert rows["of which Dalmas"] == "120"
    assert rows["Reserves' strength"] == "240"
    assert rows["Total personnel"] == "445"
    assert rows["First reserve arrives"] == "4.4 min"
    rings = rings_table(gubernur, "id")
    assert rings.rows[1] == [
        "2",
        "100 m",
        "Dalmas awal Polresta (60); Negosiator dan Polwan (10)",
        "70",
        "60",
    ]
    reserves = reserves_table(figures, "id")
    mako = next(r for r in reserves.rows if r[3] == "POST-MAKO")
    assert mako[1] == "Dalmas" and mako[2] == "60"
    assert mako[5] == "30 km/jam × 1,3"


def test_a_late_reserve_is_marked(sample_scenarios) -> None:
    dprd = sample_scenarios.get("dprd-rekapitulasi")
    figures = scenario_figures(dprd, late_after_min=sample_scenarios.late_after_min)
    late = reserves_table(figures, "en").rows[-1]
    assert late[0] == "BKO Polres Bangka (Sungailiat)"
    assert late[6].endswith("min (late)")


@pytest.mark.parametrize("close", [False, True], ids=["overview", "rings"])
def test_inset_draws_to_scale_with_the_target_inside_its_rings(gubernur, close) -> None:
    drawn = inset(gubernur, late_after_min=30, lang="id", close=close)
    width, height = INSET_PX
    target = drawn.target
    assert 0 < target.x < width and 0 < target.y < height
    assert [r.text for r in drawn.rings] == ["4", "3", "2", "1"]
    for ring in drawn.rings:  # every ring centred on the target
        assert (ring.x, ring.y) == (target.x, target.y)
    if close:
        # to scale: the radii keep the ring_zones_m proportions, ring 4 fills the frame
        radii = [r.r for r in drawn.rings]
        assert radii[0] / radii[3] == pytest.approx(800 / 30, rel=0.02)
        assert radii[0] == pytest.approx(min(width, height) / 2 - 18, abs=0.2)
        return
    # the overview holds every base and corridor point inside its box
    for mark in drawn.reserves:
        assert 0 <= mark.x <= width and 0 <= mark.y <= height
    for corridor in drawn.corridors:
        for pair in corridor.points.split():
            x, y = map(float, pair.split(","))
            assert 0 <= x <= width and 0 <= y <= height
    # a reserve further away is drawn further away: the overview keeps one scale
    arrivals = scenario_figures(gubernur).arrivals
    pixels = [math.dist((m.x, m.y), (target.x, target.y)) for m in drawn.reserves]
    metres = [a.distance_m for a in arrivals]
    assert [p / m for p, m in zip(pixels, metres, strict=True)] == pytest.approx(
        [pixels[0] / metres[0]] * 3, rel=0.02
    )
    assert drawn.scale_text.endswith(("m", "km"))


def test_the_briefing_has_the_scenarios_section_with_insets(sample_analysis) -> None:
    html = briefing_html(
        sample_analysis, exported_at=datetime(2024, 11, 20, tzinfo=UTC), exported_by="Kabag Ops"
    )
    section = html[html.index('<section class="brief-scenarios">') :]
    section = section[: section.index("</section>")]
    assert "<h2>Skenario unjuk rasa</h2>" in section
    articles = re.findall(r'<article class="brief-scenario" data-scenario="([^"]+)">', section)
    assert articles == ["gubernur-penetapan", "dprd-rekapitulasi"]
    assert section.count("<svg ") == 4  # an overview and the rings, per scenario
    assert section.count('class="ring"') == 16
    assert section.count('class="target"') == 4
    assert "Perkiraan massa: 1.500 orang (asumsi)." in section
    assert "Asal massa: setempat (kota sendiri), Kabupaten Bangka Barat (asumsi)." in section
    assert "Tiba lebih dari 30 menit: BKO Polres Bangka (Sungailiat)." in section
    # inside the figures panel, which prints on its own pages
    assert html.index("brief-scenarios") > html.index('<aside class="brief-panel">')
    assert html.index("brief-scenarios") < html.index("</aside>")


def test_briefing_without_scenarios_has_no_section(op_folder) -> None:
    (op_folder / SCENARIOS_FILE).unlink()
    html = briefing_html(
        analyse(load_operation(op_folder)),
        exported_at=datetime(2024, 11, 20, tzinfo=UTC),
        exported_by="Kabag Ops",
    )
    assert "brief-scenarios" not in html
    assert scenario_section_html(Scenarios(), "id") == ""


def test_a_plan_without_the_reserve_post_still_briefs_and_says_why(op_folder) -> None:
    # the sample's scenarios name the Mako as a reserve base; a plan may remove that post
    operation = load_operation(op_folder)
    sites = operation.sites[operation.sites["site_id"] != "POST-MAKO"]
    html = briefing_html(
        analyse(replace(operation, sites=sites)),
        exported_at=datetime(2024, 11, 20, tzinfo=UTC),
        exported_by="Kabag Ops",
    )
    section = html[html.index('<section class="brief-scenarios">') :]
    section = section[: section.index("</section>")]
    assert "Skenario tidak dapat ditampilkan:" in section and "POST-MAKO" in section
    assert "<svg " not in section


def test_section_escapes_names_and_filters_by_phase(sample_scenarios) -> None:
    hostile = Scenarios(
        tuple(replace(s, name=HOSTILE, target_name=HOSTILE) for s in sample_scenarios.items)
    )
    html = scenario_section_html(hostile, "en", phase="rekapitulasi")
    assert HOSTILE not in html
    assert "&lt;/script&gt;&lt;b&gt;&#34;{{ 7 * 7 }}&#34;&lt;/b&gt;" in html
    assert html.count("<article") == 1
    assert scenario_section_html(sample_scenarios, "en", phase="kampanye") == ""
