"""Map geometry in a real browser: every area's name inside its own area, in the briefing
and in the app, on first paint and after every resize."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from geo.analysis import Analysis
from layers.export import briefing_html
from layers.zones import shape_rings
from tests.browser.test_app_browser import TIMEOUT_MS, map_frame

SIZES = [(1600, 1000), (1024, 768), (390, 844)]

# The operation map of a page: the app's `window.map`, or the briefing's folium map.
MAP_JS = """(window.map || Object.values(window).find(v => v instanceof L.Map
    && v.getContainer().classList.contains('folium-map')))"""

# Where each area name is drawn (the centre of its text) and each area's outline, both in
# the map's container pixels.
_LABELS_JS = f"""(areas) => {{
    const m = {MAP_JS};
    const box = m.getContainer().getBoundingClientRect();
    const labels = [...m.getContainer().querySelectorAll('.posko-area-label')].map(el => {{
        const text = document.createRange();
        text.selectNodeContents(el);
        const r = text.getBoundingClientRect();
        return {{name: el.textContent, x: r.left + r.width / 2 - box.left,
                 y: r.top + r.height / 2 - box.top}};
    }});
    const outlines = {{}};
    for (const [name, polygons] of Object.entries(areas)) {{
        outlines[name] = polygons.map(rings => rings.map(ring => ring.map(at => {{
            const p = m.latLngToContainerPoint(at);
            return [p.x, p.y];
        }})));
    }}
    return {{labels, outlines}};
}}"""

# The map has taken its container's size and its view has stopped changing.
_SETTLED_JS = f"""() => {{
    const m = {MAP_JS};
    if (!m) {{ return false; }}
    const box = m.getContainer();
    const size = m.getSize();
    const v = JSON.stringify([m.getCenter(), m.getZoom(), size.x, size.y]);
    const same = window.__lastGeometry === v;
    window.__lastGeometry = v;
    return same && size.x === box.clientWidth && size.y === box.clientHeight;
}}"""

# Leaflet's own stylesheet applies (the app links it; it may arrive after the map script).
_STYLED_JS = """() => { const pane = document.querySelector('.leaflet-map-pane');
    return !!pane && getComputedStyle(pane).position === 'absolute'; }"""

_FULL_SCREEN_JS = f"""(on) => {{ const box = {MAP_JS}.getContainer();
    const full = document.fullscreenElement === box && box.clientWidth === window.innerWidth;
    return full === on; }}"""


def _areas(analysis: Analysis) -> dict[str, list]:
    areas = analysis.operation.areas
    if analysis.area_level is not None:
        areas = areas[areas["level"] == analysis.area_level]
    pairs = zip(areas["name"], areas.geometry, strict=True)
    return {str(name): shape_rings(geom) for name, geom in pairs}


def _shape(polygons: list) -> MultiPolygon:
    return MultiPolygon([Polygon(rings[0], rings[1:]) for rings in polygons])


def _settle(target) -> None:
    target.wait_for_function(_STYLED_JS, timeout=TIMEOUT_MS)
    target.wait_for_function(_SETTLED_JS, polling=250, timeout=TIMEOUT_MS)


def assert_labels_inside(target, analysis: Analysis, where: str) -> None:
    """Every area is named once, and each name's centre lies inside its own outline."""
    areas = _areas(analysis)
    drawn = target.evaluate(_LABELS_JS, areas)
    names = sorted(label["name"] for label in drawn["labels"])
    assert names == sorted(areas), f"{where}: labels {names}"
    for label in drawn["labels"]:
        outline = _shape(drawn["outlines"][label["name"]])
        centre = Point(label["x"], label["y"])
        others = [n for n, o in drawn["outlines"].items() if _shape(o).contains(centre)]
        assert outline.contains(centre), (
            f"{where}: {label['name']!r} is drawn at ({label['x']:.0f}, {label['y']:.0f}) px, "
            f"outside its area (inside {others or 'no area'})"
        )


@pytest.fixture
def briefing(sample_analysis, tmp_path) -> Path:
    html = briefing_html(
        sample_analysis,
        basemap="none",
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag Ops",
    )
    path = tmp_path / "briefing.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_briefing_names_each_area_inside_it(
    open_page, briefing, sample_analysis, screenshot, size
) -> None:
    p = open_page(viewport=SIZES[0])
    page = p.page
    page.goto(briefing.as_uri())
    _settle(page)
    assert_labels_inside(page, sample_analysis, "briefing on first paint")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _settle(page)
    screenshot(page, f"briefing-labels-{size[0]}x{size[1]}")
    assert p.network.blocked == []
    assert_labels_inside(page, sample_analysis, f"briefing resized to {size[0]}x{size[1]}")


def test_briefing_names_stay_inside_after_full_screen(
    open_page, briefing, sample_analysis, screenshot
) -> None:
    p = open_page(viewport=(1024, 768))
    page = p.page
    page.goto(briefing.as_uri())
    _settle(page)
    page.locator(".leaflet-control-zoom-fullscreen").click()
    page.wait_for_function(_FULL_SCREEN_JS, arg=True, timeout=TIMEOUT_MS)
    _settle(page)
    assert_labels_inside(page, sample_analysis, "briefing in full screen")
    screenshot(page, "briefing-labels-fullscreen")
    page.locator(".leaflet-control-zoom-fullscreen").click()
    page.wait_for_function(_FULL_SCREEN_JS, arg=False, timeout=TIMEOUT_MS)
    _settle(page)
    assert_labels_inside(page, sample_analysis, "briefing after full screen")


def test_app_names_each_area_inside_it_from_first_paint(
    app_server, open_page, sample_analysis, screenshot
) -> None:
    p = open_page(viewport=SIZES[0])
    p.expect_blocked_tiles()  # the app's default basemap is online tiles
    page = p.page
    page.goto(app_server.url)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        frame = map_frame(page)
        _settle(frame)
        assert_labels_inside(frame, sample_analysis, f"app at {width}x{height}")
        screenshot(page, f"app-labels-{width}x{height}")
