"""The scenarios page in a real browser: the target drawn inside its four rings, each ring
drawn at its radius, the reserves labelled with their arrival, at a laptop's and a phone's
size."""

from __future__ import annotations

import math
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from geo.operation import load_operation
from geo.scenarios import load_scenarios, scenario_figures
from layers.scenario import minutes_text
from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, nav_link, open_app

MAPS_JS = "Object.values(window).filter(v => v instanceof L.Map)"
# Where the target and every ring are drawn (their SVG paths' boxes, in the frame's pixels),
# the map's box, and how many metres one pixel holds at the map's centre.
_DRAWN_JS = f"""() => {{
    const maps = {MAPS_JS};
    if (maps.length !== 1) {{ return null; }}
    const m = maps[0];
    const box = (el) => {{ const b = el.getBoundingClientRect();
        return [b.left, b.top, b.width, b.height]; }};
    const out = {{rings: [], target: null, labels: [], map: box(m.getContainer())}};
    m.eachLayer(l => {{
        const o = l.options || {{}};
        if (!l._path) {{ return; }}
        if (o.role === 'ring') {{ out.rings.push([o.ring, box(l._path)]); }}
        if (o.role === 'target') {{ out.target = box(l._path); }}
        if (o.role === 'reserve' && l.getTooltip()) {{
            out.labels.push(l.getTooltip().getElement().textContent);
        }}
    }});
    const size = m.getSize();
    const y = size.y / 2;
    out.mpp = m.distance(m.containerPointToLatLng([0, y]),
                         m.containerPointToLatLng([size.x, y])) / size.x;
    return out.target && out.rings.length ? out : null;
}}"""


def _scenario_frame(page):
    """The frame of the scenarios page's map, once Leaflet has drawn the target and rings."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(f"() => window.L !== undefined && {MAPS_JS}.length === 1"):
                    drawn = frame.evaluate(_DRAWN_JS)
                    if drawn:
                        return frame
            except PlaywrightError:  # a frame may go away while it is probed
                continue
        page.wait_for_timeout(200)
    pytest.fail("the scenarios page never drew its map")


def _assert_drawn(drawn: dict, radii: dict[int, float], minutes: list[str]) -> None:
    left, top, width, height = drawn["target"]
    tx, ty = left + width / 2, top + height / 2
    mx, my, mw, mh = drawn["map"]
    assert mx < tx < mx + mw and my < ty < my + mh, "the target is off the map"
    assert sorted(ring for ring, _ in drawn["rings"]) == [1, 2, 3, 4]
    for ring, (x, y, w, h) in drawn["rings"]:
        # the ring is centred on the target, and the target lies inside it
        assert (x + w / 2, y + h / 2) == pytest.approx((tx, ty), abs=1.5), ring
        assert x <= tx <= x + w and y <= ty <= y + h, ring
        # drawn at its radius (the path's stroke adds a pixel or two)
        radius_px = radii[ring] / drawn["mpp"]
        assert w / 2 == pytest.approx(radius_px, abs=2 + 0.03 * radius_px), ring
    outer = max(drawn["rings"], key=lambda r: r[0])[1]
    assert math.isclose(outer[2], outer[3], rel_tol=0.05)  # a circle, not an ellipse
    assert sorted(drawn["labels"]) == sorted(minutes)


def test_the_scenario_map_draws_the_target_inside_its_rings(
    app_server, open_page, screenshot
) -> None:
    scenarios = load_scenarios(load_operation())  # the sample, which the app opens
    first = scenarios.items[0]
    radii = {r.ring: r.radius_m for r in first.rings}
    figures = scenario_figures(first, late_after_min=scenarios.late_after_min)
    minutes = [minutes_text(a.minutes, "id") for a in figures.arrivals]

    p = open_page(viewport=(1024, 768))
    open_app(p, app_server.url)
    nav_link(p.page, "Skenario unjuk rasa").click()
    for size in ((1024, 768), (390, 844)):
        p.page.set_viewport_size({"width": size[0], "height": size[1]})
        app_idle(p.page)
        frame = _scenario_frame(p.page)
        frame.wait_for_timeout(400)  # the view is fitted again when the frame is resized
        drawn = frame.evaluate(_DRAWN_JS)
        _assert_drawn(drawn, radii, minutes)
        # the figures table is on the page beside the map
        assert p.page.get_by_text("Personel di ring", exact=True).count() >= 1
        screenshot(p.page, f"scenarios-page-{size[0]}x{size[1]}")


# Each ring, assembly point, reserve base and the target as a circle in the map's own pixels
# ([role, x, y, radius]), the map's size, and the boxes of the map's controls (zoom, tools,
# layers, scale bar, attribution, the offline notice) in the same pixels.
_CONTENT_JS = f"""() => {{
    const m = {MAPS_JS}[0];
    const size = m.getSize();
    const shapes = [];
    m.eachLayer(l => {{
        const o = l.options || {{}};
        if (!l.getLatLng || !['ring', 'assembly', 'reserve', 'target'].includes(o.role)) {{
            return;
        }}
        const c = m.latLngToContainerPoint(l.getLatLng());
        let r = o.radius;  // a point's radius is in pixels
        if (o.role === 'ring') {{  // a ring's in metres: its edge due east, projected
            const east = m.latLngToContainerPoint(
                L.latLng(l.getLatLng().lat, l.getLatLng().lng + l.getRadius() /
                    (111320 * Math.cos(l.getLatLng().lat * Math.PI / 180))));
            r = east.x - c.x;
        }}
        shapes.push([o.role, c.x, c.y, r]);
    }});
    const frame = m.getContainer().getBoundingClientRect();
    const controls = [...m.getContainer().querySelectorAll('.leaflet-control')]
        .map(e => e.getBoundingClientRect()).filter(b => b.width && b.height)
        .map(b => [b.left - frame.left, b.top - frame.top, b.right - frame.left,
                   b.bottom - frame.top]);
    return {{shapes, size: [size.x, size.y], controls}};
}}"""


def _hidden_by(shape: list, box: list[float]) -> bool:
    """Whether a control's box covers part of the shape: a ring's line runs under it, or a
    point lies partly under it."""
    role, x, y, r = shape
    nearest = math.hypot(x - min(max(x, box[0]), box[2]), y - min(max(y, box[1]), box[3]))
    farthest = max(math.hypot(x - bx, y - by) for bx in box[::2] for by in box[1::2])
    if role == "ring":
        return nearest <= r <= farthest  # a box wholly inside the ring hides none of its line
    return nearest <= r


@pytest.mark.parametrize("size", [(1600, 1000), (1024, 768)])
def test_the_scenario_map_shows_its_rings_and_points_clear_of_its_edges_and_controls(
    app_server, open_page, screenshot, size
) -> None:
    p = open_page(viewport=size)
    open_app(p, app_server.url)
    nav_link(p.page, "Skenario unjuk rasa").click()
    app_idle(p.page)
    frame = _scenario_frame(p.page)
    frame.wait_for_timeout(400)  # the view is fitted again when the frame is resized
    drawn = frame.evaluate(_CONTENT_JS)
    width, height = drawn["size"]
    roles = [s[0] for s in drawn["shapes"]]
    assert roles.count("ring") == 4 and roles.count("assembly") >= 2
    assert {"reserve", "target"} <= set(roles)
    for shape in drawn["shapes"]:
        role, x, y, r = shape
        assert r <= x <= width - r and r <= y <= height - r, f"{role} runs off the map"
        covering = [box for box in drawn["controls"] if _hidden_by(shape, box)]
        assert not covering, f"{role} at ({x:.0f}, {y:.0f}) lies under a map control"
    screenshot(p.page, f"scenario-map-framed-{size[0]}x{size[1]}")
