"""The comparison in a real browser: two maps kept on one view, printed with every TPS."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from geo.analysis import analyse
from geo.compare import PlanComparison, compare_plans
from geo.model import Col
from geo.operation import SAMPLE_OPERATION, WORKSPACE_ENV, load_operation
from geo.plans import Plans, initial_content
from geo.text import t
from layers.export import comparison_briefing_html
from tests.browser.conftest import start_app, stop_app
from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, nav_link
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
        comparison,
        basemap="none",
        paper=paper,
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag Ops",
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
        # the operation fills the map (framed on its sites, no legend in the way): the TPS
        # span most of the map's width or height
        xs, ys = [t[1] for t in side["tps"]], [t[2] for t in side["tps"]]
        fill = max((max(xs) - min(xs)) / width, (max(ys) - min(ys)) / height)
        assert fill > 0.75, f"the TPS span only {fill:.0%} of a printed map"
    texts = _page_texts(pdf)
    assert "Perbandingan rencana" in texts[0] and "Tabel selisih" not in texts[0]
    # one legend for both maps, under them on page 1, with the TPS gained and lost
    assert texts[0].count(t("compare.legend_gained", "id")) == 1
    assert any("Tabel selisih" in text for text in texts[1:])
    _assert_pages_hold_more_than_banners(pdf, comparison.a.settings.classification)
    assert p.network.blocked == []


PLAN_B = "Rencana B <i>geser</i>"


def _save_two_plans(workspace: Path) -> int:
    """Plans of the sample in `workspace`: the initial one (current) and plan B with two posts
    removed and one moved 2 km east; returns how many TPS B loses."""
    saved = os.environ.get(WORKSPACE_ENV)
    os.environ[WORKSPACE_ENV] = str(workspace)
    try:
        operation = load_operation(SAMPLE_OPERATION)
        content = initial_content(operation)
        ids = content.posts[Col.SITE_ID]
        edited = content.with_post_removed(ids.iloc[0]).with_post_removed(ids.iloc[1])
        moved = content.posts.iloc[4]
        edited = edited.with_post_moved(ids.iloc[4], moved.geometry.x + 0.018, moved.geometry.y)
        plans = Plans.for_operation(operation)
        plans.create(PLAN_B, edited, who="test")
        a = analyse(load_operation(SAMPLE_OPERATION))
        b = analyse(load_operation(SAMPLE_OPERATION, plan=PLAN_B))
        return len(compare_plans(a, b).lost)
    finally:
        if saved is None:
            os.environ.pop(WORKSPACE_ENV, None)
        else:
            os.environ[WORKSPACE_ENV] = saved


@pytest.fixture(scope="module")
def compare_app(chromium, tmp_path_factory) -> Iterator[tuple[str, int]]:
    """The app on a workspace of its own, whose sample has two plans: (URL, TPS lost)."""
    workspace = tmp_path_factory.mktemp("compare-workspace")
    lost = _save_two_plans(workspace)
    log = workspace / "streamlit.log"
    with log.open("w") as out:
        process, url = start_app(workspace, log, out)
        try:
            yield url, lost
        finally:
            stop_app(process)


def _maps_frame(page):
    """The frame of the compare page holding the two plan maps, once both have drawn."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(f"() => window.L !== undefined && {MAPS_JS}.length === 2"):
                    return frame
            except PlaywrightError:  # a frame may go away while it is probed
                continue
        page.wait_for_timeout(200)
    pytest.fail("the compare page never showed two maps")


def _open_compare(open_page, url: str, size: tuple[int, int]):
    """The compare page, reached through the navigation on a wide window, then shown at
    `size` (a phone's sidebar starts closed)."""
    p = open_page(viewport=(1600, 1000))
    p.expect_blocked_tiles()  # the app's default basemap is online
    p.page.goto(url)
    nav_link(p.page, "Bandingkan rencana").click()
    _maps_frame(p.page)
    p.page.set_viewport_size({"width": size[0], "height": size[1]})
    app_idle(p.page)
    return p, _maps_frame(p.page)


def test_the_app_compares_the_current_plan_with_the_last_saved(compare_app, open_page) -> None:
    url, lost = compare_app
    p, frame = _open_compare(open_page, url, (1600, 1000))
    page = p.page
    # defaults: A the current plan, B the other one; the name shows as text
    assert "Rencana awal" in page.get_by_text("Rencana A: ", exact=False).first.inner_text()
    captions = frame.evaluate(
        "[...document.querySelectorAll('.posko-plan-caption')].map(e => e.textContent)"
    )
    assert captions[1].endswith(f"{PLAN_B} (Draf)")
    assert frame.evaluate("document.querySelectorAll('.posko-plan-caption i').length") == 0
    heading = page.get_by_text(f"TPS terjangkau di A, tidak di B ({lost})")
    assert heading.count() == 1
    # a pan of map A moves map B the same way
    before = _same_view(frame)
    inner = frame.locator(".folium-map").nth(0).bounding_box()  # in the page's pixels
    x, y = inner["x"] + inner["width"] * 0.3, inner["y"] + 200
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 100, y + 60, steps=8)
    page.mouse.up()
    after = _same_view(frame)
    assert after[0][:2] != pytest.approx(before[0][:2], abs=1e-6), "the drag did not pan"


@pytest.mark.parametrize("size", [(1600, 1000), (1024, 768), (390, 844)], ids=str)
def test_the_compare_page_at_every_size(compare_app, open_page, screenshot, size) -> None:
    url, _ = compare_app
    p, frame = _open_compare(open_page, url, size)
    boxes = [frame.locator(".folium-map").nth(i).bounding_box() for i in range(2)]
    assert all(b["width"] > 150 and b["height"] > 200 for b in boxes)
    if size[0] < 600:
        assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1
    else:
        assert boxes[0]["y"] == boxes[1]["y"]
    screenshot(p.page, f"compare-page-{size[0]}x{size[1]}")
