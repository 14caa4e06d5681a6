"""The exported briefing in a real browser from file://, every request blocked and recorded."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from geo.operation import load_operation
from tests.browser.conftest import is_tile
from tests.browser.test_app_browser import TIMEOUT_MS, open_app, write_brief

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


def test_online_briefing_with_tiles_unreachable(open_page, screenshot, tmp_path) -> None:
    p = _open(open_page, write_brief(tmp_path / "brief.html"), tiles_blocked=True)
    page = p.page
    assert page.evaluate(_COUNT_TPS) == _tps_in_sample()
    expect(page.locator(".posko-legend")).to_be_visible()
    expect(page.locator(".brief-panel")).to_be_visible()
    expect(page.locator(".brief-panel")).to_contain_text("Kebutuhan personel")
    expect(page.locator(".cls-banner.top")).to_have_text("TERBATAS")
    expect(page.locator(".cls-banner.bottom")).to_have_text("TERBATAS")
    # tiles cannot load here: a notice and a grid, not a grey void
    expect(page.locator(".posko-notice")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".posko-grid-label").first).to_be_visible()
    screenshot(page, "briefing", docs_name="briefing.png")
    assert p.network.blocked, "tile requests were expected (and blocked)"
    assert p.network.off_machine(allow=is_tile) == []


def test_no_tile_briefing_makes_no_request(open_page, screenshot, tmp_path) -> None:
    p = _open(open_page, write_brief(tmp_path / "none.html", "--basemap", "none"))
    page = p.page
    assert page.evaluate(_COUNT_TPS) == _tps_in_sample()
    expect(page.locator(".posko-legend")).to_be_visible()
    expect(page.locator(".posko-grid-label").first).to_be_visible()
    expect(page.locator(".leaflet-control-minimap")).to_be_visible()
    expect(page.locator(".posko-area-label").first).to_be_visible()
    page.get_by_role("link", name="Cari nama atau nomor TPS…").click()  # search works offline
    page.get_by_placeholder("Cari nama atau nomor TPS…").press_sequentially("TPS 3 Bacang")
    expect(page.locator(".search-tip").first).to_contain_text("TPS 003 Bacang")
    screenshot(page, "briefing-no-tiles")
    assert p.network.blocked == []
    assert p.console_errors == []


def test_app_download_equals_posko_brief(app_server, open_page, tmp_path) -> None:
    p = open_page()
    page = p.page
    open_app(p, app_server.url)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="Unduh briefing (HTML)").click()
    downloaded = Path(info.value.path()).read_text(encoding="utf-8")
    cli = write_brief(tmp_path / "cli.html").read_text(encoding="utf-8")

    def without_stamp(html: str) -> str:
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
