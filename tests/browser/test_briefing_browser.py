"""The exported briefing in a real browser from file://, every request blocked and recorded."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from geo.analysis import analyse
from geo.operation import load_operation
from layers.export import briefing_html
from tests.browser.conftest import is_tile
from tests.browser.test_app_browser import TIMEOUT_MS, open_app, write_brief
from tests.browser.test_geometry_browser import MAP_JS
from tests.layers.test_mapview import outlier_operation

_COUNT_TPS = """() => Object.values(window.PoskoSearch.groups).reduce((n, g) => n +
    g.getLayers().filter(l => l.options.kind === 'polling_station'
                              && l.options.role === 'site').length, 0)"""


def _open(open_page, html: Path, *, tiles_blocked: bool = False):
    p = open_page()
    if tiles_blocked:
        p.expect_blocked_tiles()
    p.page.goto(html.as_uri())
    p.page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    return p


def _tps_in_sample() -> int:
    return int((load_operation().sites["kind"] == "polling_station").sum())


def test_online_briefing_says_so_and_asks_only_tile_servers(open_page, tmp_path) -> None:
    html = write_brief(tmp_path / "brief.html", "--basemap", "osm")
    p = _open(open_page, html, tiles_blocked=True)
    page = p.page
    assert page.evaluate(_COUNT_TPS) == _tps_in_sample()
    expect(page.locator(".brief-online")).to_be_visible()
    expect(page.locator(".brief-online")).to_contain_text("OpenStreetMap")
    expect(page.locator(".cls-banner.top")).to_have_text("TERBATAS")
    # tiles cannot load here: a notice and a grid, not a grey void
    expect(page.locator(".posko-notice")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".posko-grid-label").first).to_be_visible()
    # the overview map's tiles failed too: its empty box is hidden, not left over the sites
    expect(page.locator(".leaflet-control-minimap")).to_be_hidden()
    assert p.network.blocked, "tile requests were expected (and blocked)"
    assert p.network.off_machine(allow=is_tile) == []


def test_default_briefing_makes_no_request(open_page, screenshot, tmp_path) -> None:
    p = open_page(viewport=(1600, 1000))
    page = p.page
    page.goto(write_brief(tmp_path / "brief.html").as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    assert page.evaluate(_COUNT_TPS) == _tps_in_sample()
    expect(page.locator(".posko-legend")).to_be_visible()
    expect(page.locator(".posko-grid-label").first).to_be_visible()
    grid = page.locator(".posko-grid-label").all_inner_texts()
    assert any("," in g for g in grid), grid  # an Indonesian page: decimal comma
    assert all(re.fullmatch(r"-?\d+(,\d+)?", g) for g in grid), grid
    expect(page.locator(".posko-area-label").first).to_be_visible()
    expect(page.locator(".cls-banner.top")).to_have_text("TERBATAS")
    expect(page.locator(".cls-banner.bottom")).to_have_text("TERBATAS")
    expect(page.locator(".brief-summary")).to_contain_text("Polri dibutuhkan")
    expect(page.locator(".brief-panel")).to_contain_text("Kebutuhan personel")
    assert page.locator(".leaflet-control-minimap").count() == 0  # nothing to show in it
    assert page.locator(".brief-online").count() == 0
    scale = page.locator(".leaflet-control-scale-line")
    expect(scale).to_have_count(1)
    expect(scale).to_have_text(re.compile(r"^\d+ k?m$"))  # metric only
    page.get_by_role("link", name="Cari nama atau nomor TPS…").click()  # search works offline
    page.get_by_placeholder("Cari nama atau nomor TPS…").press_sequentially("TPS 3 Bacang")
    expect(page.locator(".search-tip").first).to_contain_text("TPS 003 Bacang")
    page.get_by_placeholder("Cari nama atau nomor TPS…").press("Escape")
    page.mouse.move(5, 5)
    screenshot(page, "briefing", docs_name="briefing.png")
    assert p.network.blocked == []
    assert p.console_errors == []
    # the recorder sees a request that leaves the machine: zero above is a real zero
    p.expect_blocked_tiles()
    page.evaluate("fetch('https://tile.openstreetmap.org/1/0/0.png').catch(() => null)")
    page.wait_for_function("() => true")
    assert p.network.blocked == ["https://tile.openstreetmap.org/1/0/0.png"]


def test_tooltip_shows_no_internal_id(open_page, tmp_path) -> None:
    p = _open(open_page, write_brief(tmp_path / "brief.html"))
    page = p.page
    site_id = page.evaluate(_OPEN_FIRST_TPS_TIP)
    tip = page.locator(".leaflet-tooltip")
    expect(tip).to_have_count(1)
    assert site_id not in tip.inner_text()  # what a reader sees
    assert tip.text_content().strip().endswith(site_id)  # what a click handler reads


_OPEN_FIRST_TPS_TIP = """() => {
    for (const g of Object.values(window.PoskoSearch.groups)) {
        for (const l of g.getLayers()) {
            if (l.options.kind === 'polling_station' && l.options.role === 'site') {
                l.openTooltip();
                return l.options.siteId;
            }
        }
    }
    return null;
}"""

# Share of the map the legend covers, and whether it is open.
_LEGEND_JS = f"""() => {{
    const m = {MAP_JS};
    const map = m.getContainer().getBoundingClientRect();
    const el = document.querySelector('.posko-legend');
    const r = el.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, map.right) - Math.max(r.left, map.left));
    const h = Math.max(0, Math.min(r.bottom, map.bottom) - Math.max(r.top, map.top));
    return {{share: w * h / (map.width * map.height),
             open: !el.classList.contains('collapsed'), mapTop: map.top}};
}}"""


@pytest.mark.parametrize(
    ("size", "starts_open"),
    [((1600, 1000), True), ((1024, 768), False), ((1366, 768), False), ((390, 844), False)],
    ids=str,
)
def test_legend_covers_little_of_the_map(
    open_page, screenshot, tmp_path, size, starts_open
) -> None:
    p = open_page(viewport=size)
    page = p.page
    page.goto(write_brief(tmp_path / "brief.html").as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    legend = page.evaluate(_LEGEND_JS)
    assert legend["open"] is starts_open
    assert legend["mapTop"] < size[1] / 2  # the map starts on the first screen
    toggle = page.get_by_role("button", name="Legenda")
    if not starts_open:
        assert legend["share"] < 0.02
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".posko-legend .body")).to_be_visible()
    legend = page.evaluate(_LEGEND_JS)
    assert legend["open"]
    assert legend["share"] <= 0.15, f"open legend covers {legend['share']:.0%} of the map"
    screenshot(page, f"briefing-legend-{size[0]}x{size[1]}")
    toggle.click()
    expect(page.locator(".posko-legend .body")).to_be_hidden()


# The map's view and the outlier's marker, once the view has settled.
_VIEW_JS = f"""(name) => {{
    const m = {MAP_JS};
    const b = m.getBounds();
    let far = null;
    Object.values(window.PoskoSearch.groups).forEach(g => g.eachLayer(l => {{
        if ((l.options.search || '').startsWith(name)) {{ far = l.getLatLng(); }}
    }}));
    return {{view: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()],
             far: far && [far.lat, far.lng], inView: far && b.contains(far)}};
}}"""


def test_an_outlier_keeps_the_city_in_view_and_is_found(
    open_page, sample_operation, tmp_path, screenshot
) -> None:
    analysis = analyse(outlier_operation(sample_operation))
    html = tmp_path / "outlier.html"
    html.write_text(
        briefing_html(
            analysis, exported_at=datetime(2026, 1, 1, tzinfo=UTC), exported_by="Kabag Ops"
        ),
        encoding="utf-8",
    )
    p = _open(open_page, html)
    page = p.page
    west, south, east, north = analysis.operation.areas.total_bounds
    seen = page.evaluate(_VIEW_JS, "TPS Jauh Sekali")
    v_south, v_west, v_north, v_east = seen["view"]
    # the view holds the areas and is not much larger than them (not the whole region)
    assert v_south <= south and v_west <= west and v_north >= north and v_east >= east
    assert (v_east - v_west) < 2.5 * (east - west) or (v_north - v_south) < 2.5 * (north - south)
    assert not seen["inView"]
    expect(page.locator(".brief-outliers")).to_contain_text("TPS Jauh Sekali")
    page.get_by_role("link", name="Cari nama atau nomor TPS…").click()
    page.get_by_placeholder("Cari nama atau nomor TPS…").press_sequentially("Jauh Sekali")
    page.locator(".search-tip", has_text="TPS Jauh Sekali").first.click()
    page.wait_for_function(
        f"(name) => ({_VIEW_JS})(name).inView", arg="TPS Jauh Sekali", timeout=TIMEOUT_MS
    )
    screenshot(page, "briefing-outlier-found")
    assert p.network.blocked == []


def test_app_download_equals_posko_brief(app_server, open_page, tmp_path) -> None:
    p = open_page()
    page = p.page
    open_app(p, app_server.url)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="Unduh briefing (HTML)").click()
    downloaded = Path(info.value.path()).read_text(encoding="utf-8")
    cli = write_brief(tmp_path / "cli.html").read_text(encoding="utf-8")

    def without_stamp(html: str) -> str:
        # the time is printed to the minute, under the title and in the printed footer: the
        # two files may be made a minute apart on a busy machine
        html = re.sub(r'@bottom-left \{ content: "[^"]*"', "", html)
        return re.sub(r'<div class="sub">[^<]*</div>', "", html)

    assert "Diekspor" in downloaded
    assert without_stamp(downloaded) == without_stamp(cli)


def test_png_snapshot(tmp_path, chromium) -> None:
    png = tmp_path / "slide.png"
    write_brief(
        tmp_path / "brief.html", "--basemap", "none", "--png", str(png), "--size", "1600x900"
    )
    with Image.open(png) as image:
        assert image.size == (1600, 900)
        pixels = np.asarray(image.convert("RGB"))
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 100  # not blank
    banner = pixels[5, 800]
    assert banner[0] > 150 and banner[1] < 60  # the red classification banner


def test_png_without_a_browser_says_how_to_install(tmp_path) -> None:
    import os
    import sys

    env = {**os.environ, "PATH": "/nonexistent"}
    script = (
        "import layers.snapshot as s; s._CANDIDATES = ('/nonexistent/chromium',); "
        "import sys; from cli import main; sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "brief",
            "-o",
            str(tmp_path / "b.html"),
            "--png",
            str(tmp_path / "b.png"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 2
    assert "apt-get install chromium" in result.stderr
    assert (tmp_path / "b.html").exists()  # the HTML is written anyway
