"""A planner reads a boundary file on the import page: report, preview of the areas over the
operation's, and a save that waits for the confirmation (nothing is saved here: the shared
test operation stays as the other browser tests expect it)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, metric, open_import_page

BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "pangkalpinang_kelurahan_19.71.geojson"
_SHAPES = """(n) => window.map && Object.values(window.map._layers)
    .filter(l => l.options && l.options.role === 'shape').length === n"""


def test_boundaries_report_and_preview(app_server, open_page, screenshot) -> None:
    p = open_page(viewport=(1400, 1600))
    page = open_import_page(p, app_server.url)
    page.get_by_text("Batas wilayah", exact=True).click()
    expect(page.get_by_text("kode Kemendagri/BPS", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(BOUNDARIES))
    expect(metric(page, "Diterima")).to_have_text("42", timeout=TIMEOUT_MS)
    expect(metric(page, "Ditolak")).to_have_text("0")
    expect(page.get_by_text("dibentuk dengan menggabungkan", exact=False)).to_be_visible()
    handle = page.wait_for_selector("iframe[title*='st_folium']", timeout=TIMEOUT_MS)
    frame = handle.content_frame()
    # 42 kelurahan + 7 kecamatan imported, over the operation's 49 (grey, dashed)
    frame.wait_for_function(_SHAPES, arg=98, timeout=TIMEOUT_MS)
    app_idle(page)
    screenshot(page, "import-areas")
    # the same boundaries as the sample's: nothing to save, no save button
    expect(page.get_by_text("Tidak ada yang berubah", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name="Simpan ke operasi")).to_have_count(0)
