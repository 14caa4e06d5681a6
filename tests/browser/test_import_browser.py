"""A planner imports a CSV through the page: report, axis-swap fix, save, new sites on the map."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_app_browser import (
    TIMEOUT_MS,
    app_idle,
    drawn,
    map_frame,
    metric,
    nav_link,
    open_import_page,
)
from tests.brute_force import sample_sites

# the sample's TPS, counted from its files (the figures follow the sample, never hard-coded)
TPS = int((sample_sites()["kind"] == "polling_station").sum())
NEW = [
    ("TPS 901 Bacang", 106.1401, -2.1390),
    ("TPS 902 Bacang", 106.1422, -2.1371),
    ("TPS 903 Air Itam", 106.1533, -2.1480),
]


def _wait_until(gap: Callable[[], float], *, within_px: float = 2, timeout_s: float = 10) -> None:
    """Wait until `gap()` is at most `within_px` (the preview frame reloads after a fix)."""
    deadline = time.monotonic() + timeout_s
    while (last := gap()) > within_px and time.monotonic() < deadline:
        time.sleep(0.2)
    assert last <= within_px, f"the preview map leaves {last} px of its frame blank"


def test_upload_fix_save_and_see_on_the_map(
    app_server, open_page, screenshot, tmp_path: Path
) -> None:
    csv = tmp_path / "tps_baru.csv"
    # latitude and longitude swapped, decimal commas, Indonesian headers
    csv.write_text(
        "Nama TPS;Kelurahan;Lintang;Bujur;Kerawanan\n"
        + "\n".join(
            f"{name};Bacang;{str(lon).replace('.', ',')};{str(lat).replace('.', ',')};Rawan"
            for name, lon, lat in NEW
        )
        + "\n",
        encoding="utf-8",
    )
    p = open_page(viewport=(1400, 1600))
    page = open_import_page(p, app_server.url)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(csv))
    expect(metric(page, "Baris dibaca")).to_have_text("3", timeout=TIMEOUT_MS)
    page.get_by_role("combobox", name="Semua baris adalah …").click()
    page.get_by_role("option", name="TPS", exact=True).click()
    expect(page.get_by_text("Lintang dan bujur tertukar").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(metric(page, "Ditolak")).to_have_text("3")
    app_idle(page)
    screenshot(page, "import-report", docs_name="import-report.png")
    page.get_by_role("button", name="Tukar lintang dan bujur").click()
    expect(metric(page, "Diterima")).to_have_text("3", timeout=TIMEOUT_MS)
    expect(metric(page, "Ditolak")).to_have_text("0")
    # the preview map fills its frame: no blank space under it
    preview = page.locator('iframe[title*="st_folium"]').first
    inside = page.frame_locator('iframe[title*="st_folium"]').first.locator("#map_div")
    expect(inside).to_be_visible(timeout=TIMEOUT_MS)
    _wait_until(lambda: abs(preview.bounding_box()["height"] - inside.bounding_box()["height"]))
    expect(metric(page, "Jumlah TPS")).to_have_text(str(TPS + len(NEW)))  # the summary
    expect(page.get_by_role("button", name="Simpan ke operasi")).to_be_disabled()
    page.get_by_text(f"Saya setuju: {len(NEW)} lokasi baru").click()  # confirm the change
    expect(page.get_by_role("button", name="Simpan ke operasi")).to_be_enabled(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Simpan ke operasi").click()
    saved = page.get_by_text("Tersimpan sebagai versi 2")
    expect(saved).to_be_visible(timeout=TIMEOUT_MS)
    expect(saved).to_contain_text(f"{TPS + len(NEW)} TPS")  # the new figures with it
    expect(page.get_by_text("Tidak ada perubahan")).to_have_count(0)
    nav_link(page, "Peta operasi").click()
    frame = map_frame(page, kind="polling_station", count=TPS + len(NEW))
    assert drawn(frame) == TPS + len(NEW)
    names = frame.evaluate(
        """() => Object.values(window.map._layers)
            .filter(l => l.options && l.options.role === 'site'
                    && l.options.kind === 'polling_station' && l.options.search)
            .map(l => l.options.search)"""
    )
    for name, _, _ in NEW:
        assert any(n.startswith(name) for n in names), name
    screenshot(page, "import-saved-map")
