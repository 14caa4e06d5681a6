"""The plan editing layer: what it draws, what the map's reports read back as, and that it
needs nothing from the internet."""

from __future__ import annotations

import json
import re

import folium
import pytest
import shapely

from geo.analysis import analyse
from geo.crs import geodesic_m
from geo.model import ZONE_KINDS, PostType, ZoneKind
from geo.plans import Zone, apply_plan, initial_content
from geo.text import label
from layers.assets import map_assets, publish_assets
from layers.mapview import build_map
from layers.plan_edit import (
    EditPost,
    EditZone,
    PlanEditLayer,
    ZoneDrawControl,
    parse_event,
    zone_layer,
)
from layers.styles import ZONE_STYLES

POST = EditPost("p-1", "Pos </script><b>x</b>", PostType.POS_PAM, lat=-2.75, lon=107.65)
ZONE = EditZone("z-1", "closure", "Pasar <Baru>", shapely.box(107.6, -2.8, 107.62, -2.78))
RING = EditZone("z-2", "sterile", "Ring", shapely.Point(107.63, -2.74), radius_m=250.0)


def _config(layer: PlanEditLayer) -> dict:
    return json.loads(layer.config_js)


def test_every_zone_kind_has_a_style() -> None:
    assert set(ZONE_STYLES) == set(ZONE_KINDS)


def test_the_plans_zones_are_a_layer_of_the_whole_map(sample_operation) -> None:
    zones = (
        Zone("z-1", ZoneKind.CLOSURE, "Pasar <Baru>", shapely.box(106.10, -2.14, 106.11, -2.13)),
        Zone("z-2", ZoneKind.STERILE, "Ring PPK", shapely.Point(106.12, -2.12), radius_m=400.0),
    )
    content = initial_content(sample_operation).with_zones(zones)
    analysis = analyse(apply_plan(sample_operation, None, content))
    layer = zone_layer(analysis, "id")
    data = json.loads(layer.data_js)
    assert layer.count == 2 and "Pasar &lt;Baru&gt;" in data["tip"][0]
    ring = data["rings"][1][0][0]  # the ring's outline, [lat, lon] points
    distances = [geodesic_m(106.12, -2.12, lon, lat) for lat, lon in ring]
    assert min(distances) == pytest.approx(400, rel=0.01)
    assert max(distances) == pytest.approx(400, rel=0.01)
    assert layer.data_js in build_map(analysis).get_root().render()  # the briefing shows them


def test_the_legend_has_a_row_for_each_zone_kind_the_plan_has(sample_operation) -> None:
    zones = (
        Zone("z-1", ZoneKind.CLOSURE, "Pasar", shapely.box(106.10, -2.14, 106.11, -2.13)),
        Zone("z-2", ZoneKind.STERILE, "Ring PPK", shapely.Point(106.12, -2.12), radius_m=400.0),
    )
    content = initial_content(sample_operation).with_zones(zones)
    html = build_map(analyse(apply_plan(sample_operation, None, content))).get_root().render()
    bare = analyse(apply_plan(sample_operation, None, initial_content(sample_operation)))
    plain = build_map(bare).get_root().render()

    def rows(page: str, kind: ZoneKind) -> int:
        style = ZONE_STYLES[kind]
        return page.count(f'stroke=\\"{style.color}\\" stroke-width=\\"1.5\\"')

    for kind in (ZoneKind.CLOSURE, ZoneKind.STERILE):
        assert rows(html, kind) == rows(plain, kind) + 1
    assert rows(html, ZoneKind.ASSEMBLY) == rows(plain, ZoneKind.ASSEMBLY)
    assert label("zone_kind", ZoneKind.ASSEMBLY, "id") not in html  # no such zone: no row
    assert label("zone_kind", ZoneKind.CLOSURE, "id") not in plain


def test_posts_are_drawn_only_while_editing() -> None:
    viewing = _config(PlanEditLayer(posts=[POST], zones=[ZONE]))
    editing = _config(PlanEditLayer(posts=[POST], zones=[ZONE], editing=True, adding=True))
    assert viewing["posts"] == [] and not viewing["editing"] and not viewing["adding"]
    assert [p["id"] for p in editing["posts"]] == ["p-1"] and editing["adding"]
    assert editing["posts"][0]["lat"] == -2.75 and editing["posts"][0]["lon"] == 107.65
    assert len(viewing["zones"]) == 1  # zones show in every mode


def test_adding_needs_editing() -> None:
    assert not _config(PlanEditLayer(posts=[POST], adding=True))["adding"]


def test_names_are_escaped_in_tooltips_and_script() -> None:
    layer = PlanEditLayer(posts=[POST], zones=[ZONE], editing=True)
    tips = [p["tip"] for p in _config(layer)["posts"]] + [z["tip"] for z in _config(layer)["zones"]]
    assert "&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in tips[0]
    assert "Pasar &lt;Baru&gt;" in tips[1]
    assert "</script" not in layer.config_js and "<b>x" not in layer.config_js


def test_a_ring_is_a_centre_and_radius_a_zone_its_polygon() -> None:
    zones = _config(PlanEditLayer(zones=[ZONE, RING]))["zones"]
    assert zones[0]["geometry"]["type"] == "Polygon" and "radius" not in zones[0]
    assert zones[1]["at"] == [-2.74, 107.63] and zones[1]["radius"] == 250.0
    assert zones[1]["style"]["color"] == ZONE_STYLES["sterile"].color


def test_the_toolbar_and_its_icons_are_served_offline(tmp_path) -> None:
    m = folium.Map(tiles=None)
    ZoneDrawControl("en").add_to(m)
    assets = {a.name: a for a in map_assets(m)}
    assert {"leaflet_draw_js", "leaflet_draw_css"} <= set(assets)
    folder = publish_assets(tmp_path, list(assets.values()))
    css = (folder / assets["leaflet_draw_css"].filename).read_text()
    # the sprite sheet travels inside the stylesheet: the toolbar has its icons offline
    assert re.search(r"\.leaflet-draw-toolbar a\{background-image:url\('data:image/png", css)
    assert "spritesheet" not in css
    html = m.get_root().render()
    assert ".posko-editing .leaflet-draw.leaflet-control { display: block; }" in html
    assert "Draw a sterile ring" in html  # the toolbar speaks the page's language


def _drawing(properties: dict, geometry: dict | None = None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_a_move_reads_back_with_its_position() -> None:
    event = parse_event(
        _drawing(
            {"posko": "move", "site_id": "p-1", "seq": 17},
            {"type": "Point", "coordinates": [107.66, -2.76]},
        )
    )
    assert event is not None
    assert (event.action, event.seq, event.site_id, event.lon, event.lat) == (
        "move",
        17,
        "p-1",
        107.66,
        -2.76,
    )


def test_a_drawn_circle_is_a_centre_with_a_radius() -> None:
    event = parse_event(
        _drawing(
            {"posko": "zone_new", "seq": 3, "radius": 120.5},
            {"type": "Point", "coordinates": [107.6, -2.7]},
        )
    )
    assert event.action == "zone_new" and event.radius_m == 120.5
    assert event.geometry.equals(shapely.Point(107.6, -2.7))


def test_edited_and_deleted_zones_read_back_by_id() -> None:
    square = shapely.geometry.mapping(shapely.box(0, 0, 1, 1))
    edited = parse_event(
        _drawing(
            {
                "posko": "zones_edited",
                "seq": 5,
                "zones": [
                    {"zone_id": "z-1", "geometry": square, "radius": None},
                    {"zone_id": "", "geometry": square},  # not one of ours: left out
                    {"zone_id": "z-3", "geometry": {"type": "Polygon", "coordinates": "x"}},
                ],
            }
        )
    )
    assert [(z, g.area, r) for z, g, r in edited.zones] == [("z-1", 1.0, None)]
    deleted = parse_event(_drawing({"posko": "zones_deleted", "seq": 6, "zone_ids": ["z-1"]}))
    assert deleted.zone_ids == ("z-1",)


@pytest.mark.parametrize(
    "drawing",
    [
        None,
        "move",
        {"type": "Feature", "properties": None, "geometry": None},
        _drawing({"posko": "explode", "seq": 1}),
        _drawing({"posko": "move", "site_id": "p-1"}),  # no sequence number
        _drawing({"posko": "move", "site_id": "p-1", "seq": "NaN"}),
        _drawing(
            {"seq": 4}, {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
        ),
    ],
)
def test_drawings_the_page_did_not_make_are_ignored(drawing) -> None:
    assert parse_event(drawing) is None


def test_a_position_that_is_not_finite_is_no_position() -> None:
    event = parse_event(
        _drawing({"posko": "add", "seq": 9}, {"type": "Point", "coordinates": [float("inf"), 1.0]})
    )
    assert event is not None and event.lon is None
