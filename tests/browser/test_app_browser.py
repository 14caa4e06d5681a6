"""The app and the briefing in a real browser, the way commanders and planners use them."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, expect

from geo.operation import load_operation
from pages.map_page import MAP_MIN_SCREEN_SHARE
from tests.browser.conftest import is_tile
from tests.browser.payloads import MARKER, PAYLOADS, TITLE
from tests.brute_force import reach, sample_radii, sample_sites, uncovered_tps

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 45_000

_COUNT_JS = """([kind, role]) => {
    let n = 0;
    for (const id in window.map._layers) {
        const o = window.map._layers[id].options || {};
        if (o.kind === kind && o.role === role) { n++; }
    }
    return n;
}"""


_SITES_DRAWN = """([kind, count]) => { if (!window.map) { return false; }
    const n = Object.values(window.map._layers).filter(l => l.options
        && l.options.role === 'site' && (!kind || l.options.kind === kind)).length;
    return count === null ? n > 0 : n === count; }"""


def map_frame(page, *, kind: str = "", count: int | None = None) -> Frame:
    """The map component's current frame, once Leaflet has drawn its sites (exactly
    `count` of `kind` when given).

    Streamlit may replace the component's iframe when the base map changes (another
    operation), so the frame is looked up again until the one in the page has drawn.
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        handle = page.wait_for_selector("iframe[title*='st_folium']", timeout=TIMEOUT_MS)
        frame = handle.content_frame()
        try:
            if frame is not None:
                remaining = max(1000, (deadline - time.monotonic()) * 1000)
                frame.wait_for_function(_SITES_DRAWN, arg=[kind, count], timeout=remaining)
                return frame
        except PlaywrightError as exc:
            if "detached" not in str(exc) or time.monotonic() > deadline:
                raise
        page.wait_for_timeout(100)


def app_idle(page) -> None:
    """Wait until Streamlit has finished its run: no element is left stale."""
    page.wait_for_function(
        """() => document.querySelector('[data-testid="stApp"]') &&
            document.querySelectorAll('[data-stale="true"]').length === 0""",
        timeout=TIMEOUT_MS,
    )


def runs_finished(page) -> int:
    """How many script runs this page has seen finish."""
    return page.evaluate("window.__poskoRuns.finished")


def wait_runs_done(page, after: int, quiet_ms: int = 500) -> None:
    """Wait until a run finished after the `after`-th, and none has started for `quiet_ms`
    (the map's report of a new view may start one more run)."""
    page.wait_for_function(
        """([after, quiet]) => { const r = window.__poskoRuns;
            return r.finished > after && r.state !== 'running' && Date.now() - r.at > quiet; }""",
        arg=[after, quiet_ms],
        polling=100,
        timeout=TIMEOUT_MS,
    )
    app_idle(page)


def settle(frame: Frame) -> None:
    """Wait until the map view stops changing (it refits while its frame is being sized)."""
    frame.wait_for_function(
        """() => { const m = window.map;
            const v = JSON.stringify([m.getCenter(), m.getZoom(), m.getSize()]);
            const same = window.__lastView === v; window.__lastView = v; return same; }""",
        polling=300,
        timeout=TIMEOUT_MS,
    )


def drawn(frame: Frame, kind: str = "polling_station", role: str = "site") -> int:
    return frame.evaluate(_COUNT_JS, [kind, role])


def hover_until(page, x: float, y: float, tooltip) -> None:
    """Move onto (x, y) until `tooltip` shows.

    Leaflet's canvas ignores a mouse move that comes within 32 ms of the previous one, and
    Playwright's moves come faster than a hand's, so the pointer is nudged by a pixel until
    the tooltip appears (or the time runs out).
    """
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    nudge = 0
    while time.monotonic() < deadline:
        page.mouse.move(x + nudge, y)
        if tooltip.count() and tooltip.first.is_visible():
            return
        nudge = 1 - nudge
        page.wait_for_timeout(40)
    expect(tooltip.first).to_be_visible(timeout=1)


def metric(page, label: str):
    box = page.locator('[data-testid="stMetric"]', has=page.get_by_text(label, exact=True))
    return box.locator('[data-testid="stMetricValue"]')


def open_app(p, url: str) -> Frame:
    """Open the app on its map page; its OpenStreetMap tiles are blocked (and expected so)."""
    p.expect_blocked_tiles()
    p.page.goto(url)
    return map_frame(p.page)


def site_details(page):
    """The selected site's details beside the map: the page's first static table (the
    staffing per phase, further down, is one too)."""
    return page.locator('[data-testid="stTable"]').first


def nav_link(page, title: str):
    """The navigation's link to a page."""
    return page.locator('[data-testid="stSidebarNavLink"]', has_text=title)


def open_import_page(p, url: str, operation: str = "latihan"):
    """Open the app, choose `operation` and go to its import page; the page."""
    page = p.page
    open_app(p, url)
    page.get_by_role("combobox", name="Operasi").click()
    page.get_by_role("option", name=operation, exact=True).click()
    nav_link(page, "Impor data lokasi").click()
    expect(page).to_have_url(f"{url}/import", timeout=TIMEOUT_MS)
    return page


def test_app_opens_with_every_tps_and_the_legend(app_server, open_page, screenshot) -> None:
    p = open_page(viewport=(1600, 1000))  # the size of docs/app-overview.png
    frame = open_app(p, app_server.url)
    sample = load_operation()
    expected = int((sample.sites["kind"] == "polling_station").sum())
    assert drawn(frame) == expected
    assert frame.locator(".posko-legend").is_visible()
    assert "TPS" in frame.locator(".posko-legend").inner_text()
    uncovered = uncovered_tps(sample_radii())
    expect(metric(p.page, "TPS tak terjangkau")).to_have_text(str(uncovered))
    assert drawn(frame, role="highlight") == uncovered
    expect(nav_link(p.page, "Peta operasi")).to_be_visible()
    expect(nav_link(p.page, "Impor data lokasi")).to_be_visible()
    app_idle(p.page)
    screenshot(p.page, "app-overview", docs_name="app-overview.png")
    assert p.network.off_machine(allow=is_tile) == []


def test_radius_change_redraws_without_reloading(app_server, open_page, screenshot) -> None:
    p = open_page()
    frame = open_app(p, app_server.url)
    value = metric(p.page, "TPS tak terjangkau")
    before = uncovered_tps(sample_radii())
    expect(value).to_have_text(str(before))
    assert drawn(frame, role="highlight") == before
    p.page.evaluate("window.__kept = 'page'")
    frame.evaluate("window.__kept = 'frame'")
    slider = p.page.locator('[data-testid="stSlider"]', has_text="Polsek").get_by_role("slider")
    slider.focus()
    slider.press("End")  # the slider's maximum: 10 000 m
    after = uncovered_tps({**sample_radii(), "polsek": 10_000.0})
    assert after != before
    expect(value).to_have_text(str(after), timeout=TIMEOUT_MS)
    frame.wait_for_function(
        "([n]) => { let c = 0; for (const id in window.map._layers) {"
        " const o = window.map._layers[id].options || {}; if (o.role === 'highlight') c++; }"
        " return c === n; }",
        arg=[after],
        timeout=TIMEOUT_MS,
    )
    assert p.page.evaluate("window.__kept") == "page"  # no page reload
    assert frame.evaluate("window.__kept") == "frame"  # the map frame was kept, layers swapped
    screenshot(p.page, "radius-changed")


_PICK_JS = """() => {
    const layers = Object.values(window.map._layers).filter(
        l => l.options && l.options.role === 'site' && l.getLatLng);
    const size = window.map.getSize();
    const points = layers.map(l => [l, window.map.latLngToContainerPoint(l.getLatLng())]);
    for (const [layer, pt] of points) {
        if (layer.options.kind !== 'polling_station') continue;
        if (pt.x < 120 || pt.x > size.x - 260 || pt.y < 60 || pt.y > size.y - 60) continue;
        const alone = points.every(([other, q]) => other === layer || pt.distanceTo(q) > 18);
        if (alone) { return {id: layer.options.siteId, x: pt.x, y: pt.y}; }
    }
    return null;
}"""


def test_clicking_a_tps_shows_its_details(app_server, open_page, screenshot) -> None:
    p = open_page()
    frame = open_app(p, app_server.url)
    settle(frame)
    target = frame.evaluate(_PICK_JS)
    assert target, "no isolated TPS to click"
    box = p.page.locator("iframe[title*='st_folium']").bounding_box()
    tip = frame.locator(".leaflet-tooltip", has_text=target["id"])
    hover_until(p.page, box["x"] + target["x"], box["y"] + target["y"], tip)
    p.page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    details = site_details(p.page)
    expect(details).to_contain_text(target["id"], timeout=TIMEOUT_MS)
    expect(details).to_contain_text("Kelurahan")
    app_idle(p.page)
    screenshot(p.page, "tps-clicked", docs_name="app-selected-tps.png")


def test_switching_to_english_changes_the_labels(app_server, open_page, screenshot) -> None:
    p = open_page()
    frame = open_app(p, app_server.url)
    expect(p.page.get_by_text("TPS terjangkau", exact=True)).to_be_visible()
    p.page.get_by_text("English", exact=True).click()
    expect(p.page.get_by_text("TPS covered", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(p.page.get_by_text("Polling stations not covered", exact=True)).to_be_visible()
    assert p.page.get_by_text("TPS terjangkau", exact=True).count() == 0
    # the map frame is remounted in the new language: wait for its legend, found anew
    p.page.wait_for_function(
        """() => [...document.querySelectorAll('iframe')].some(f => {
            try { return (f.contentDocument.querySelector('.posko-legend') || {}).textContent
                .includes('Beyond reach of any post'); } catch (e) { return false; } })""",
        timeout=TIMEOUT_MS,
    )
    frame = map_frame(p.page)
    expect(frame.locator(".posko-legend")).to_contain_text(
        "Beyond reach of any post", timeout=TIMEOUT_MS
    )
    expect(nav_link(p.page, "Import site list")).to_be_visible()  # page titles follow too
    screenshot(p.page, "english")


def write_brief(output: Path, *args: str, env: dict | None = None) -> Path:
    """Run `posko brief` as a user would; return the file."""
    script = Path(sys.executable).parent / "posko"
    command = [str(script)] if script.exists() else [sys.executable, str(ROOT / "cli.py")]
    subprocess.run(
        [*command, "brief", *args, "-o", str(output)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    return output


@pytest.fixture
def payload_page(app_server, open_page):
    p = open_page()
    open_app(p, app_server.url)
    p.page.get_by_role("combobox", name="Operasi").click()
    p.page.get_by_role("option", name="payload", exact=True).click()
    expect(p.page.locator("h1")).to_contain_text("Ops <img", timeout=TIMEOUT_MS)
    return p


def _hover_every_tps(page, frame: Frame, offset: dict) -> list[str]:
    """Hover each TPS like a user and read the tooltip the browser shows."""
    points = frame.evaluate(
        """() => Object.values(window.map._layers)
            .filter(l => l.options && l.options.kind === 'polling_station'
                    && l.options.role === 'site')
            .map(l => { const p = window.map.latLngToContainerPoint(l.getLatLng());
                        return [l.options.siteId, p.x, p.y]; })"""
    )
    texts = []
    for site_id, x, y in points:
        tip = frame.locator(".leaflet-tooltip", has_text=site_id)
        hover_until(page, offset["x"] + x, offset["y"] + y, tip)
        texts.append(tip.first.text_content())
    return texts


def test_payloads_show_as_text_and_never_run(payload_page, screenshot, tmp_path, app_server):
    p = payload_page
    page = p.page
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.get_by_text(PAYLOADS[0], exact=True).first).to_be_visible()
    frame = map_frame(page, kind="polling_station", count=len(PAYLOADS))
    assert drawn(frame) == len(PAYLOADS)
    settle(frame)
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    texts = _hover_every_tps(page, frame, box)
    for payload in PAYLOADS:
        assert any(payload in text for text in texts), payload
    screenshot(page, "payloads-app")
    assert page.evaluate(f"window.{MARKER}") is None
    assert frame.evaluate(f"window.{MARKER}") is None
    assert p.dialogs == []

    env = {**__import__("os").environ, "POSKO_WORKSPACE": str(app_server.workspace)}
    html = write_brief(tmp_path / "payload.html", "payload", "--basemap", "none", env=env)
    q = payload_page.page.context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    q.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    q.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    q.on("pageerror", lambda e: errors.append(str(e)))
    q.goto(html.as_uri())
    q.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    expect(q.locator(".brief-head h1")).to_have_text(TITLE)
    expect(q.locator(".cls-banner.top")).to_have_text(PAYLOADS[0])
    expect(q.locator(".brief-panel")).to_contain_text(PAYLOADS[1])
    q.locator(".folium-map").hover()
    assert q.evaluate(f"window.{MARKER}") is None
    assert dialogs == []
    assert errors == []
    screenshot(q, "payloads-export")


# --- commander-first layout, shared layer choices, search, list -> map -------------------

_SHAPES_JS = """() => Object.values(window.map._layers)
    .filter(l => l.options && l.options.role === 'shape').length"""

_VIEW_JS = "() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]"

_FIRST_SCREENS = {
    "laptop": ((1600, 1000), "app-laptop.png"),
    "desktop": ((1920, 1080), None),
    "projector": ((1024, 768), "app-projector.png"),
    "phone": ((390, 844), "app-phone.png"),
}


def _site_point(site_id: str) -> tuple[float, float]:
    sites = load_operation().sites
    point = sites.loc[sites["site_id"] == site_id].geometry.iloc[0]
    return point.y, point.x


def _wait_view_at(frame: Frame, lat: float, lon: float) -> None:
    frame.wait_for_function(
        """([lat, lon]) => { const c = window.map.getCenter();
            return Math.abs(c.lat - lat) < 1e-4 && Math.abs(c.lng - lon) < 1e-4; }""",
        arg=[lat, lon],
        timeout=TIMEOUT_MS,
    )


@pytest.mark.parametrize("screen", list(_FIRST_SCREENS))
def test_the_first_screen_holds_the_figures_and_the_map(
    app_server, open_page, screenshot, screen
) -> None:
    (width, height), docs_name = _FIRST_SCREENS[screen]
    p = open_page(viewport=(width, height))
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    settle(frame)
    box = p.page.locator("iframe[title*='st_folium']").bounding_box()
    staff = metric(p.page, "Polri dibutuhkan").first.bounding_box()
    assert box["y"] < height, f"the map starts below the fold at {box['y']:.0f} px"
    assert staff["y"] + staff["height"] <= box["y"]  # the headline figures sit above it
    screenshot(p.page, f"first-screen-{screen}", docs_name=docs_name)
    if screen == "phone":  # the figures stack on a phone: the map starts on screen 1 only
        assert frame.evaluate(_LEGEND_COLLAPSED_JS), "the legend starts open on a phone"
        return
    assert box["y"] + 0.4 * box["height"] < height  # a good part of it, not a sliver
    # its height comes from the screen: down to the bottom of the first screen, or (the
    # figures taking much of a short screen) a set share of it, a short scroll away
    assert box["height"] >= MAP_MIN_SCREEN_SHARE * height - 2
    if height - box["y"] >= MAP_MIN_SCREEN_SHARE * height:
        bottom = box["y"] + box["height"]
        assert height - 30 <= bottom <= height, f"the map ends at {bottom:.0f} px"
    shown = frame.evaluate(
        """([h]) => Object.values(window.map._layers).filter(l => l.options
            && l.options.kind === 'polling_station' && l.options.role === 'site'
            && window.map.latLngToContainerPoint(l.getLatLng()).y < h).length""",
        [height - box["y"]],
    )
    assert shown > 0, "no TPS on the first screen"


_LEGEND_COLLAPSED_JS = (
    "() => document.querySelector('.posko-legend').classList.contains('collapsed')"
)


@pytest.mark.parametrize("screen", [(390, 844), (1920, 1080)], ids=["phone", "narrow-window"])
def test_the_legend_starts_collapsed_on_a_phone_wide_map(app_server, open_page, screen) -> None:
    p = open_page(viewport=(390, 844))
    # a phone; or a window as narrow on a desktop's screen: the map is as narrow in both
    p.page.context.new_cdp_session(p.page).send(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": 390,
            "height": 844,
            "deviceScaleFactor": 1,
            "mobile": False,
            "screenWidth": screen[0],
            "screenHeight": screen[1],
        },
    )
    frame = open_app(p, app_server.url)
    assert frame.evaluate("() => [screen.width, screen.height]") == list(screen)
    assert frame.evaluate(_LEGEND_COLLAPSED_JS)
    frame.get_by_role("button", name="Legenda").click()  # and opens on a tap
    expect(frame.locator(".posko-legend .body")).to_be_visible()


# Where the legend is, and where each uncovered TPS (its highlight ring) is drawn, in the
# map's container pixels; and the map's size.
_LEGEND_AND_GAPS_JS = """() => { const m = window.map;
    const box = m.getContainer().getBoundingClientRect();
    const el = document.querySelector('.posko-legend');
    const r = el.getBoundingClientRect();
    const gaps = Object.values(m._layers)
        .filter(l => l.options && l.options.role === 'highlight' && l.getLatLng)
        .map(l => { const p = m.latLngToContainerPoint(l.getLatLng());
                    return [l.options.siteId, p.x, p.y]; });
    return {legend: [r.left - box.left, r.top - box.top, r.right - box.left,
                     r.bottom - box.top],
            open: !el.classList.contains('collapsed'), size: m.getSize(), gaps}; }"""


@pytest.mark.parametrize(
    ("size", "starts_open"), [((1600, 1000), True), ((1024, 768), False)], ids=str
)
def test_the_open_legend_never_covers_an_uncovered_tps(
    app_server, open_page, screenshot, size, starts_open
) -> None:
    p = open_page(viewport=size)
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    settle(frame)
    seen = frame.evaluate(_LEGEND_AND_GAPS_JS)
    assert seen["open"] is starts_open  # collapsed on a projector (<= 1024 x 800)
    if not starts_open:
        frame.get_by_role("button", name="Legenda").click()
        expect(frame.locator(".posko-legend .body")).to_be_visible()
        settle(frame)
        seen = frame.evaluate(_LEGEND_AND_GAPS_JS)
        assert seen["open"]
    left, top, right, bottom = seen["legend"]
    width, height = seen["size"]["x"], seen["size"]["y"]
    assert (right - left) * (bottom - top) <= 0.15 * width * height
    assert len(seen["gaps"]) == uncovered_tps(sample_radii())
    for site_id, x, y in seen["gaps"]:
        assert 0 <= x <= width and 0 <= y <= height, f"{site_id} is off the map"
        assert not (left <= x <= right and top <= y <= bottom), (
            f"{site_id} at ({x:.0f}, {y:.0f}) px lies under the legend"
        )
    screenshot(p.page, f"legend-open-{size[0]}x{size[1]}")


def test_the_legend_covers_at_most_15_percent_of_the_map_on_a_projector(
    app_server, open_page
) -> None:
    p = open_page(viewport=(1024, 768))
    frame = open_app(p, app_server.url)
    settle(frame)
    legend = frame.locator(".posko-legend").bounding_box()
    size = frame.evaluate("() => window.map.getSize()")
    share = legend["width"] * legend["height"] / (size["x"] * size["y"])
    assert share <= 0.15, f"the legend covers {share:.0%} of the map"


_DETAILS_AT = {(1600, 1000): "beside", (390, 844): "below"}


@pytest.mark.parametrize("size", list(_DETAILS_AT), ids=str)
def test_the_details_sit_beside_the_map_on_a_wide_screen(app_server, open_page, size) -> None:
    p = open_page(viewport=size)
    open_app(p, app_server.url)
    app_idle(p.page)
    frame = p.page.locator("iframe[title*='st_folium']").bounding_box()
    details = p.page.get_by_role("heading", name="Lokasi terpilih").bounding_box()
    if _DETAILS_AT[size] == "beside":
        assert details["y"] < size[1], f"the details start below the fold at {details['y']}"
        assert details["x"] >= frame["x"] + frame["width"]
        assert details["y"] < frame["y"] + frame["height"] / 2
    else:
        assert details["y"] >= frame["y"] + frame["height"]


_SCROLLED_JS = """() => [window.scrollY,
    document.querySelector('[data-testid="stMain"]').scrollTop]"""


def test_the_wheel_over_the_map_zooms_the_map_not_the_page(app_server, open_page) -> None:
    p = open_page(viewport=(1600, 1000))
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    settle(frame)
    box = p.page.locator("iframe[title*='st_folium']").bounding_box()
    legend = frame.locator(".posko-legend").bounding_box()
    scale = frame.locator(".leaflet-control-scale").bounding_box()
    before = p.page.evaluate(_SCROLLED_JS)
    zoom = frame.evaluate("() => window.map.getZoom()")
    p.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"], 700) / 2)
    p.page.mouse.wheel(0, 240)
    frame.wait_for_function("(z) => window.map.getZoom() < z", arg=zoom, timeout=TIMEOUT_MS)
    assert p.page.evaluate(_SCROLLED_JS) == before
    # over the map's own boxes (legend, scale bar) the page stays put as well
    for control in (legend, scale):
        p.page.mouse.move(control["x"] + control["width"] / 2, control["y"] + 5)
        p.page.mouse.wheel(0, 240)
        p.page.wait_for_timeout(300)
        assert p.page.evaluate(_SCROLLED_JS) == before


def test_layer_choices_are_one_set_that_a_slider_move_keeps(app_server, open_page) -> None:
    p = open_page()
    frame = open_app(p, app_server.url)
    assert frame.locator(".leaflet-control-layers").count() == 0  # the sidebar decides
    shapes = frame.evaluate(_SHAPES_JS)
    sites = load_operation().sites
    # the coverage rings: every post but the reserve units (their reach is a layer of its own)
    posts = int(((sites["kind"] == "police_post") & (sites["post_type"] != "reserve")).sum())
    toggle = p.page.locator('[data-testid="stCheckbox"]', has_text="Radius jangkauan pos")
    toggle.get_by_role("checkbox").uncheck(force=True)
    frame.wait_for_function(f"() => ({_SHAPES_JS})() === {shapes - posts}", timeout=TIMEOUT_MS)
    value = metric(p.page, "TPS tak terjangkau")
    before = value.inner_text()
    slider = p.page.locator('[data-testid="stSlider"]', has_text="Polsek").get_by_role("slider")
    slider.focus()
    slider.press("End")
    expect(value).not_to_have_text(before, timeout=TIMEOUT_MS)
    app_idle(p.page)
    frame = map_frame(p.page)
    assert frame.evaluate(_SHAPES_JS) == shapes - posts  # the rings stay off on the map
    expect(toggle.get_by_role("checkbox")).not_to_be_checked()  # and in the sidebar


def test_search_on_a_projector_finds_a_tps_and_shows_it(app_server, open_page) -> None:
    p = open_page(viewport=(1024, 768))
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    settle(frame)
    sites = load_operation().sites
    tps = sites[sites["kind"] == "polling_station"].iloc[40]
    frame.locator(".leaflet-control-search .search-button").click()
    field = frame.locator(".leaflet-control-search input")
    expect(field).to_be_visible()
    field.press_sequentially(tps["name"], delay=20)
    expect(frame.locator(".search-tip", has_text=tps["name"]).first).to_be_visible()
    field.press("Enter")
    _wait_view_at(frame, *_site_point(tps["site_id"]))
    assert frame.evaluate(_VIEW_JS)[2] == 17
    expect(frame.locator(".leaflet-tooltip", has_text=tps["name"]).first).to_be_visible()
    details = site_details(p.page)
    expect(details).to_contain_text(tps["site_id"], timeout=TIMEOUT_MS)


def test_a_row_of_the_uncovered_list_moves_the_map_there(app_server, open_page, screenshot) -> None:
    p = open_page()
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    settle(frame)
    # the uncovered list (the summary by area comes before it)
    grid = p.page.locator(
        '.st-key-uncovered_table[data-testid="stDataFrame"], '
        '.st-key-uncovered_table [data-testid="stDataFrame"]'
    ).first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row = 2  # glide's header and rows are 35 px high; its selection column comes first
    p.page.mouse.click(box["x"] + 18, box["y"] + 35 * (row + 1) + 17)
    app_idle(p.page)
    details = site_details(p.page)
    expect(details).to_contain_text("TPS-", timeout=TIMEOUT_MS)
    site_id = next(
        text for text in details.locator("td").all_inner_texts() if text.startswith("TPS-")
    )
    sites = sample_sites()
    tps = sites[sites["kind"] == "polling_station"]
    gaps = set(tps["site_id"][~reach(sites, sample_radii(), "polling_station")])
    assert site_id in gaps
    frame = map_frame(p.page)
    _wait_view_at(frame, *_site_point(site_id))
    # the picked TPS is ringed on the map, with its name beside the ring
    ring = frame.locator("path.posko-selected")
    expect(ring).to_have_count(1, timeout=TIMEOUT_MS)
    sites = load_operation().sites
    name = sites.loc[sites["site_id"] == site_id, "name"].iloc[0]
    expect(frame.locator(".posko-selected-tip")).to_contain_text(name)
    drawn_at = frame.evaluate(
        """(id) => { const m = window.map; const l = Object.values(m._layers).find(
            l => l.options && l.options.role === 'selected' && l.options.siteId === id);
            const p = m.latLngToContainerPoint(l.getLatLng()); return [p.x, p.y]; }""",
        site_id,
    )
    lat, lon = _site_point(site_id)
    point = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    ring_box = ring.bounding_box()
    centre = (ring_box["x"] + ring_box["width"] / 2, ring_box["y"] + ring_box["height"] / 2)
    box = p.page.locator("iframe[title*='st_folium']").bounding_box()
    assert abs(drawn_at[0] - point[0]) < 1 and abs(drawn_at[1] - point[1]) < 1
    assert abs(centre[0] - (box["x"] + point[0])) < 3
    assert abs(centre[1] - (box["y"] + point[1])) < 3
    screenshot(p.page, "uncovered-row-picked")


def test_english_keeps_the_page_and_every_choice_selected(app_server, open_page) -> None:
    p = open_page()
    open_app(p, app_server.url)
    p.page.get_by_text("English", exact=True).click()
    expect(p.page.get_by_text("TPS covered", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    app_idle(p.page)
    current = p.page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Operation map")
    expect(p.page.get_by_role("radio", name="English")).to_be_checked()
    expect(p.page.get_by_role("combobox", name="Basemap")).to_have_value("OpenStreetMap")
