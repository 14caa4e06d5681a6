"""A planner edits the plan on the map: adds a post by clicking, drags it, saves, reloads;
a second tab's stale save is refused; the radius chosen is saved with the plan.

These tests save plans, so they run their own app on a workspace of their own (the other
browser tests expect the sample's own posts).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from geo.operation import SAMPLE_OPERATION
from geo.plans import Plans
from tests.browser.conftest import AppServer, start_app, stop_app
from tests.browser.test_app_browser import (
    TIMEOUT_MS,
    app_idle,
    drawn,
    map_frame,
    metric,
    open_app,
    runs_finished,
    settle,
    wait_runs_done,
)

UNCOVERED = "TPS tak terjangkau"
_OWN_RADIUS_M = 300
PLANNER = "Iptu Sari"

_UNCOVERED_SPOT_JS = """() => {
    const size = window.map.getSize();
    for (const id in window.map._layers) {
        const l = window.map._layers[id];
        if (!l.options || l.options.role !== 'highlight' || !l.getLatLng) continue;
        const p = window.map.latLngToContainerPoint(l.getLatLng());
        // the map's lower part may lie below the window: stay in its upper part
        if (p.x > 80 && p.x < size.x - 300 && p.y > 80 && p.y < Math.min(size.y - 80, 300)) {
            return {x: p.x, y: p.y};
        }
    }
    return null;
}"""

_POST_JS = """([name]) => {
    for (const id in window.map._layers) {
        const l = window.map._layers[id];
        if (!l.options || !l.options.movable) continue;
        const tip = l.getTooltip() && l.getTooltip().getContent();
        if (name && !(tip || '').includes(name)) continue;
        const p = window.map.latLngToContainerPoint(l.getLatLng());
        return {x: p.x, y: p.y, id: l.options.siteId};
    }
    return null;
}"""

_QUIET_SPOT_JS = """([bottom]) => {
    // the point of the map's upper part farthest from every TPS, away from the legend and
    // from every control (the offline notice, the tools): a post dropped there stays clickable
    const size = window.map.getSize();
    const frame = window.map.getContainer().getBoundingClientRect();
    const controls = [...document.querySelectorAll('.leaflet-control')]
        .map(e => e.getBoundingClientRect()).filter(b => b.width && b.height);
    const under = (x, y) => controls.some(b => x > b.left - frame.left - 20
        && x < b.right - frame.left + 20 && y > b.top - frame.top - 20
        && y < b.bottom - frame.top + 20);
    const tps = Object.values(window.map._layers)
        .filter(l => l.options && l.options.kind === 'polling_station' && l.getLatLng)
        .map(l => l.getLatLng());
    let best = null;
    for (let x = 60; x < size.x - 320; x += 20) {
        for (let y = 60; y < Math.min(size.y - 60, bottom); y += 20) {
            if (under(x, y)) { continue; }
            const at = window.map.containerPointToLatLng([x, y]);
            let nearest = Infinity;
            for (const p of tps) nearest = Math.min(nearest, at.distanceTo(p));
            if (!best || nearest > best.metres) best = {x: x, y: y, metres: nearest};
        }
    }
    return best;
}"""

_TIPS_JS = "document.querySelectorAll('.leaflet-tooltip').length"

_VIEW_JS = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"


@pytest.fixture
def plan_server(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """The app on a fresh copy of the sample, for each test: a plan one test saves (a
    wider radius, another post) would change what the next one finds on the map."""
    workspace = tmp_path_factory.mktemp("plans-workspace")
    shutil.copytree(SAMPLE_OPERATION, workspace / SAMPLE_OPERATION.name)
    log = workspace / "streamlit.log"
    with log.open("w") as out:
        # sign-in is off: the local user ($POSKO_USER) saves
        process, url = start_app(workspace, log, out, env={"POSKO_USER": PLANNER})
        try:
            yield AppServer(url=url, workspace=workspace)
        finally:
            stop_app(process)


def _uncovered(page) -> int:
    return int(metric(page, UNCOVERED).inner_text().replace(".", ""))


def _wait_changed(page, before: int) -> int:
    page.wait_for_function(
        """([label, before]) => {
            for (const box of document.querySelectorAll('[data-testid="stMetric"]')) {
                if (!box.innerText.includes(label)) continue;
                const v = box.querySelector('[data-testid="stMetricValue"]');
                return v && parseInt(v.innerText.replace(/\\./g, '')) !== before;
            }
            return false;
        }""",
        arg=[UNCOVERED, before],
        timeout=TIMEOUT_MS,
    )
    return _uncovered(page)


def _mode(page, name: str) -> None:
    """Switch the map's mode and wait for the runs it starts (markers are redrawn)."""
    before = runs_finished(page)
    page.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True).click()
    wait_runs_done(page, before)


def _map_box(page) -> dict:
    return page.locator("iframe[title*='st_folium']").bounding_box()


def _add_post_on_an_uncovered_tps(page, radius_m: int | None = None) -> None:
    """Click an uncovered TPS and add a post there (with its own radius when given)."""
    frame = map_frame(page)
    settle(frame)
    spot = frame.evaluate(_UNCOVERED_SPOT_JS)
    assert spot, "no uncovered TPS in view"
    box = _map_box(page)
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    add = page.get_by_role("button", name="Tambahkan pos")
    expect(add).to_be_visible(timeout=TIMEOUT_MS)
    if radius_m is not None:
        page.get_by_label(re.compile("^Radius sendiri")).fill(str(radius_m))
    add.click()


def _no_error(page) -> None:
    """The page shows no unexpected error (it would be below the map, out of sight)."""
    app_idle(page)
    expect(page.get_by_text("kesalahan tak terduga")).to_have_count(0)


def _try_save(page) -> None:
    """Open the save box and save (in the name of the local user)."""
    page.get_by_role("button", name="Simpan rencana").click()
    app_idle(page)
    page.get_by_role("button", name="Simpan sekarang").click()


def _save(page) -> None:
    _try_save(page)
    expect(page.get_by_text("Tersimpan:").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Perubahan belum disimpan")).to_have_count(0)


def test_add_drag_save_and_find_the_post_after_a_reload(plan_server, open_page, screenshot):
    p = open_page(viewport=(1600, 1000))
    page = p.page
    frame = open_app(p, plan_server.url)
    posts = drawn(frame, "police_post")
    start = _uncovered(page)
    frame.evaluate("window.__kept = 'frame'")
    _mode(page, "Tambah pos")
    # a radius of its own: other tests of this module may have saved a wide type radius
    _add_post_on_an_uncovered_tps(page, radius_m=_OWN_RADIUS_M)
    added = _wait_changed(page, start)
    assert added < start  # the new post reaches the TPS clicked
    _no_error(page)
    expect(page.get_by_text("Perubahan belum disimpan")).to_be_visible()
    _mode(page, "Ubah pos & zona")
    frame = map_frame(page)
    settle(frame)
    assert frame.evaluate("window.__kept") == "frame"  # modes and edits keep the map
    post = frame.evaluate(_POST_JS, ["Pos baru"])
    assert post, "the new post is not drawn as a movable post"
    view = frame.evaluate(_VIEW_JS)
    box = _map_box(page)
    # onto ground no TPS is near (and away from the legend), so that it reaches none
    quiet = frame.evaluate(_QUIET_SPOT_JS, [page.viewport_size["height"] - box["y"]])
    assert quiet["metres"] > _OWN_RADIUS_M, quiet
    x, y = box["x"] + post["x"], box["y"] + post["y"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(box["x"] + quiet["x"], box["y"] + quiet["y"], steps=12)
    page.mouse.up()
    moved = _wait_changed(page, added)
    assert moved == start  # dragged away from the TPS it reached, onto none
    frame = map_frame(page)
    assert frame.evaluate("window.__kept") == "frame"  # the map was not rebuilt
    assert frame.evaluate(_VIEW_JS) == view  # nor its view reset
    _no_error(page)
    post = frame.evaluate(_POST_JS, ["Pos baru"])
    page.mouse.click(box["x"] + post["x"], box["y"] + post["y"])  # its form opens
    expect(page.get_by_label("Nama pos")).to_have_value(re.compile("^Pos baru"))
    _no_error(page)
    frame = map_frame(page)
    page.mouse.move(box["x"] + post["x"] + 1, box["y"] + post["y"])
    frame.wait_for_function(_TIPS_JS + " === 1", timeout=TIMEOUT_MS)  # one box on the post
    screenshot(page, "plan-edit-1600", docs_name="app-plan-edit.png")
    _save(page)
    saved = Plans(plan_server.workspace / SAMPLE_OPERATION.name).list()
    assert [info.saved_by for info in saved] == [PLANNER]  # who signed in, never typed
    page.reload()
    frame = map_frame(page, kind="police_post", count=posts + 1)
    expect(metric(page, UNCOVERED)).to_have_text(str(moved), timeout=TIMEOUT_MS)
    expect(page.get_by_text("Rencana awal").first).to_be_visible()
    _mode(page, "Ubah pos & zona")
    for size, name in (((1024, 768), "plan-edit-1024"), ((390, 844), "plan-edit-390")):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        map_frame(page)
        _no_error(page)
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, name)


def test_a_stale_save_is_refused_with_a_way_out(plan_server, open_page):
    first, second = open_page(), open_page()
    for p in (first, second):
        open_app(p, plan_server.url)
        _mode(p.page, "Tambah pos")
    for p in (first, second):
        before = _uncovered(p.page)
        _add_post_on_an_uncovered_tps(p.page)
        _wait_changed(p.page, before)
    _save(first.page)
    page = second.page
    _try_save(page)
    expect(page.get_by_role("button", name="Muat rencana tersimpan")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(
        page.get_by_role("button", name="Simpan perubahan saya sebagai rencana baru")
    ).to_be_visible()
    expect(page.get_by_text("Perubahan belum disimpan")).to_be_visible()  # nothing lost
    page.get_by_role("button", name="Simpan perubahan saya sebagai rencana baru").click()
    expect(page.get_by_text("Tersimpan:").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("(salinan)").first).to_be_visible()
    _no_error(page)


def test_a_radius_saved_with_the_plan_survives_a_reload(plan_server, open_page):
    p = open_page()
    page = p.page
    open_app(p, plan_server.url)
    slider = page.locator('[data-testid="stSlider"]', has_text="Polsek").get_by_role("slider")
    before = int(slider.get_attribute("aria-valuetext"))
    start = _uncovered(page)
    slider.focus()
    slider.press("End")  # 10 000 m
    _wait_changed(page, start)
    expect(page.get_by_text("Perubahan belum disimpan")).to_be_visible()
    _save(page)
    page.reload()
    map_frame(page)
    slider = page.locator('[data-testid="stSlider"]', has_text="Polsek").get_by_role("slider")
    expect(slider).to_have_attribute("aria-valuetext", "10000", timeout=TIMEOUT_MS)
    assert before != 10_000


_ZONES_JS = """() => Object.values(window.map._layers)
    .filter(l => l.options && l.options.role === 'zone').length"""


def test_a_zone_drawn_with_the_toolbar_is_named_and_kept(plan_server, open_page):
    p = open_page()
    page = p.page
    frame = open_app(p, plan_server.url)
    assert not frame.locator(".leaflet-draw").is_visible()  # no drawing tools while viewing
    zones = frame.evaluate(_ZONES_JS)
    _mode(page, "Ubah pos & zona")
    frame = map_frame(page)
    settle(frame)
    frame.locator("a.leaflet-draw-draw-rectangle").click()
    box = _map_box(page)
    page.mouse.move(box["x"] + 200, box["y"] + 100)
    page.mouse.down()
    page.mouse.move(box["x"] + 320, box["y"] + 200, steps=6)
    page.mouse.up()
    expect(page.get_by_text("Zona baru")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Simpan zona").click()
    frame.wait_for_function(f"() => ({_ZONES_JS})() === {zones + 1}", timeout=TIMEOUT_MS)
    expect(page.get_by_text("Perubahan belum disimpan")).to_be_visible()
    _no_error(page)


_POST_IN_VIEW_JS = """([siteId]) => {
    const size = window.map.getSize();
    for (const id in window.map._layers) {
        const l = window.map._layers[id];
        if (!l.options || !l.options.movable) continue;
        if (siteId && l.options.siteId !== siteId) continue;
        const p = window.map.latLngToContainerPoint(l.getLatLng());
        if (p.x > 60 && p.x < size.x - 60 && p.y > 60 && p.y < Math.min(size.y - 60, 500)) {
            const tip = document.createElement('div');
            tip.innerHTML = l.getTooltip().getContent();
            return {x: p.x, y: p.y, id: l.options.siteId,
                    name: tip.querySelector('b').textContent};
        }
    }
    return null;
}"""


_MOVABLE_JS = """() => Object.values(window.map._layers)
    .filter(l => l.options && l.options.movable).length"""


def test_a_post_clicked_while_editing_opens_its_form_and_can_be_deleted(plan_server, open_page):
    p = open_page(viewport=(1600, 1000))
    page = p.page
    open_app(p, plan_server.url)
    start = _uncovered(page)
    _mode(page, "Ubah pos & zona")
    frame = map_frame(page)
    settle(frame)
    post = frame.evaluate(_POST_IN_VIEW_JS, ["POST-MAKO"]) or frame.evaluate(_POST_IN_VIEW_JS, [""])
    assert post, "no post in view"
    box = _map_box(page)
    page.mouse.click(box["x"] + post["x"], box["y"] + post["y"])
    expect(page.get_by_label("Nama pos")).to_have_value(post["name"], timeout=TIMEOUT_MS)
    movable = _MOVABLE_JS
    posts = frame.evaluate(movable)
    page.get_by_role("button", name="Hapus pos ini").click()
    frame.wait_for_function(f"() => ({movable})() === {posts - 1}", timeout=TIMEOUT_MS)
    expect(page.get_by_label("Nama pos")).to_have_count(0)
    expect(page.get_by_text("Perubahan belum disimpan")).to_be_visible()
    # the figures follow (another test here may have saved radii that keep every TPS
    # reached without the post: never fewer uncovered, often more)
    assert _uncovered(page) >= start
    _no_error(page)
