"""The comparison in a real browser: two maps kept on one view, printed with every TPS."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from geo.analysis import analyse
from geo.compare import PlanComparison, compare_plans
from layers.export import comparison_briefing_html
from tests.browser.test_app_browser import TIMEOUT_MS
from tests.browser.test_print_browser import _assert_pages_hold_more_than_banners, _page_texts
from tests.geo.test_compare import edited_plan

MAPS_JS = "Object.values(window).filter(v => v instanceof L.Map)"
VIEWS_JS = f"""() => {MAPS_JS}.map(m => {{
    const c = m.getCenter();
    return [c.lat, c.lng, m.getZoom()];
}})"""
# When the page turns to print media, record per map its box and where every TPS, and every
# ringed (gained or lost) TPS, falls in it.
_PROBE_JS = f"""() => {{
    window.__paper = null;
    window.matchMedia('print').addEventListener('change', (e) => {{
        if (!e.matches || window.__paper) {{ return; }}
        window.__paper = {MAPS_JS}.map(m => {{
            const box = m.getContainer();
            const tps = [], rings = [];
            m.eachLayer(l => {{
                const o = l.options || {{}};
                if (o.kind !== 'polling_station' || !l.getLatLng) {{ return; }}
                const p = m.latLngToContainerPoint(l.getLatLng());
                const at = [l.options.siteId, p.x, p.y];
                if (l.options.role === 'site') {{ tps.push(at); }}
                if (['gained', 'lost'].includes(l.options.role)) {{ rings.push(at); }}
            }});
            return {{client: [box.clientWidth, box.clientHeight],
                     left: box.getBoundingClientRect().left, tps, rings}};
        }});
    }});
}}"""


@pytest.fixture(scope="module")
def comparison(sample_operation) -> PlanComparison:
    return compare_plans(analyse(sample_operation), analyse(edited_plan(sample_operation)))


def _write(comparison: PlanComparison, folder: Path, paper: str = "A4") -> Path:
    path = folder / f"compare-{paper}.html"
    html = comparison_briefing_html(
        comparison, basemap="none", paper=paper, exported_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    path.write_text(html, encoding="utf-8")
    return path


def _open(open_page, path: Path, viewport: tuple[int, int]):
    p = open_page(viewport=viewport)
    p.page.goto(path.as_uri())
    p.page.wait_for_function(f"() => {MAPS_JS}.length === 2", timeout=TIMEOUT_MS)
    return p


def _same_view(page) -> list:
    page.wait_for_function(
        f"""() => {{
            const v = ({VIEWS_JS})();
            return Math.abs(v[0][0] - v[1][0]) < 1e-9 && Math.abs(v[0][1] - v[1][1]) < 1e-9
                && v[0][2] === v[1][2];
        }}""",
        timeout=TIMEOUT_MS,
    )
    return page.evaluate(VIEWS_JS)


@pytest.mark.parametrize("which", [0, 1])
def test_a_pan_or_zoom_of_either_map_moves_the_other(
    open_page, comparison, tmp_path, screenshot, which: int
) -> None:
    p = _open(open_page, _write(comparison, tmp_path), (1600, 1000))
    page = p.page
    before = _same_view(page)
    box = page.locator(".folium-map").nth(which).bounding_box()
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y - 80, steps=8)
    page.mouse.up()
    panned = _same_view(page)
    assert panned[0][:2] != pytest.approx(before[0][:2], abs=1e-6), "the drag did not pan"
    zoom_in = "m.setZoom(m.getZoom() + 1, {animate: false})"
    page.evaluate(f"() => {{ const m = {MAPS_JS}[{which}]; {zoom_in}; }}")
    zoomed = _same_view(page)
    assert zoomed[0][2] == panned[0][2] + 1
    assert p.network.blocked == []
    screenshot(page, f"compare-synced-{which}")


@pytest.mark.parametrize("size", [(1600, 1000), (1024, 768), (390, 844)], ids=str)
def test_the_briefing_reads_at_every_size(open_page, comparison, tmp_path, screenshot, size):
    p = _open(open_page, _write(comparison, tmp_path), size)
    boxes = [p.page.locator(".folium-map").nth(i).bounding_box() for i in range(2)]
    assert all(b["width"] > 150 and b["height"] > 250 for b in boxes)
    if size[0] >= 700:  # side by side
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]
    else:  # one above the other, each the page's width
        assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1
    assert p.page.evaluate("document.documentElement.scrollWidth") <= size[0]
    assert p.network.blocked == []
    screenshot(p.page, f"compare-briefing-{size[0]}x{size[1]}")


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_the_printed_comparison_keeps_every_tps_in_each_map(
    open_page, comparison, tmp_path, paper: str
) -> None:
    p = _open(open_page, _write(comparison, tmp_path, paper), (1600, 1000))
    page = p.page
    page.evaluate(_PROBE_JS)
    pdf = tmp_path / f"{paper}.pdf"
    page.pdf(path=str(pdf), format=paper, landscape=True, print_background=True)
    printed = page.evaluate("window.__paper")
    assert printed and len(printed) == 2, "the page never switched to print media"
    tps = int((comparison.a.operation.sites["kind"] == "polling_station").sum())
    changed = len(comparison.gained) + len(comparison.lost)
    assert printed[0]["left"] < printed[1]["left"]  # side by side on paper
    for side in printed:
        width, height = side["client"]
        assert len(side["tps"]) == tps
        assert len(side["rings"]) == changed
        outside = [
            t
            for t in side["tps"] + side["rings"]
            if not (0 <= t[1] <= width and 0 <= t[2] <= height)
        ]
        assert outside == [], f"{len(outside)} TPS outside a printed map, e.g. {outside[:3]}"
    texts = _page_texts(pdf)
    assert "Perbandingan rencana" in texts[0] and "Tabel selisih" not in texts[0]
    assert any("Tabel selisih" in text for text in texts[1:])
    _assert_pages_hold_more_than_banners(pdf, comparison.a.settings.classification)
    assert p.network.blocked == []
