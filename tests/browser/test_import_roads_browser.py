"""A planner gives the operation its road file on the import page: the file in numbers, a
warning for a file of another place, a save that waits for the confirmation, the operation
then using the roads, and the removal (the shared test operation is left without one)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
from playwright.sync_api import expect
from shapely.geometry import LineString

from geo.operation import ROADS_FILE, load_operation
from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, metric, open_import_page

# two roads in Pangkalpinang (the sample's Governor's office and KPU warehouse) and one in
# Jakarta, 400 km away
_HERE = [
    LineString([(106.1489, -2.1865), (106.1489, -2.1504)]),
    LineString([(106.1443, -2.1356), (106.1118, -2.1356), (106.1118, -2.1223)]),
]
_AWAY = [LineString([(106.82, -6.20), (106.85, -6.21)])]


def _roads(folder: Path, name: str, lines: list[LineString]) -> Path:
    path = folder / name
    gpd.GeoDataFrame(geometry=lines, crs="EPSG:4326").to_file(path, driver="GeoJSON")
    return path


def _upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def test_a_road_file_is_checked_saved_used_and_removed(
    app_server, open_page, screenshot, tmp_path
) -> None:
    folder = app_server.workspace / "latihan"
    p = open_page(viewport=(1400, 1100))
    page = open_import_page(p, app_server.url)
    page.get_by_text("Jaringan jalan", exact=True).click()
    expect(page.get_by_text("belum punya berkas jalan", exact=False)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(page.get_by_text("Berkas garis jalan (GeoPackage, GeoJSON)")).to_be_visible()
    try:
        _upload(page, _roads(tmp_path, "jalan-jakarta.geojson", _AWAY))
        expect(page.get_by_text("Tidak ada ruas jalan dari jalan-jakarta.geojson")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        broken = tmp_path / "rusak.gpkg"
        broken.write_bytes(bytes(range(256)) * 40)
        _upload(page, broken)
        shown = page.get_by_text("Berkas jalan rusak.gpkg tidak dapat dibaca", exact=False)
        expect(shown).to_be_visible(timeout=TIMEOUT_MS)
        alert = page.locator('[data-testid="stAlert"]', has=shown).inner_text()
        assert "/tmp" not in alert and "DRIVER" not in alert  # no server path, no GDAL hint
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        _upload(page, _roads(tmp_path, "jalan-kota.geojson", _HERE))
        expect(metric(page, "Ruas jalan")).to_have_text("2", timeout=TIMEOUT_MS)
        expect(metric(page, "Panjang jalan")).to_have_text(re.compile(r"^\d+,\d km$"))
        expect(page.get_by_text("Tidak ada ruas jalan dari", exact=False)).to_have_count(0)
        save = page.get_by_role("button", name="Simpan berkas jalan")
        expect(save).to_be_disabled()
        assert not (folder / ROADS_FILE).exists()  # nothing before the confirmation
        page.get_by_text("Jadikan jalan-kota.geojson berkas jalan", exact=False).click()
        expect(save).to_be_enabled(timeout=TIMEOUT_MS)
        save.click()
        expect(page.get_by_text("Berkas jalan jalan-kota.geojson disimpan (2 ruas)")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(page.get_by_text("memakai berkas jalan (2 ruas)", exact=False)).to_be_visible()
        expect(save).to_be_disabled()  # a second save needs a second confirmation
        assert len(load_operation(folder).roads) == 2
        app_idle(page)
        screenshot(page, "import-roads")
        remove = page.get_by_role("button", name="Hapus berkas jalan")
        expect(remove).to_be_disabled()  # one click removes nothing
        page.get_by_text("Hapus berkas jalan operasi ini", exact=False).click()
        expect(remove).to_be_enabled(timeout=TIMEOUT_MS)
        remove.click()
        expect(page.get_by_text("Berkas jalan dihapus", exact=False)).to_be_visible(
            timeout=TIMEOUT_MS
        )
        assert not (folder / ROADS_FILE).exists()
    finally:
        (folder / ROADS_FILE).unlink(missing_ok=True)  # the other tests expect straight lines
