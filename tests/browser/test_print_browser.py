"""The briefing on paper: Chromium prints it (A4 and A3 landscape), page 1 is rasterised and
the map must fill its box, hold every TPS, and leave the screen furniture off; the plan's
standing line is printed above it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pypdfium2 as pdfium
import pytest
from shapely.geometry import LineString

from geo.analysis import analyse
from geo.model import PlanStatus
from geo.operation import load_operation, set_roads
from geo.plans import Plans
from geo.scenarios import load_scenarios
from geo.staffing import preset_label
from layers.export import briefing_html, plan_standing
from tests.browser.conftest import DOCS_SHOTS, ROOT
from tests.browser.test_app_browser import TIMEOUT_MS, write_brief
from tests.browser.test_geometry_browser import MAP_JS

PAPER_MM = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}  # landscape
PX_PER_MM = 96 / 25.4  # CSS pixels
RENDER_SCALE = 2.0  # raster pixels per PDF point
MAP_BACKGROUND = (238, 241, 244)  # the tile-less map's background (layers/basemap.py)
SCREEN_ONLY = (
    ".leaflet-control-minimap",
    ".posko-notice",
    ".leaflet-control-zoom",
    ".leaflet-control-layers",
    ".leaflet-control-search",
)

# When the page turns to print media (the moment Chromium lays it out for paper), record
# the map's box, what Leaflet thinks its size is, where every TPS falls in it, and whether
# the screen-only controls are shown. Registered after the map's own listener, so it sees
# the map as the page sends it to paper.
_PROBE_JS = f"""(hidden) => {{
    window.__paper = null;
    window.matchMedia('print').addEventListener('change', (e) => {{
        if (!e.matches || window.__paper) {{ return; }}
        const m = {MAP_JS};
        const box = m.getContainer();
        const r = box.getBoundingClientRect();
        const size = m.getSize();
        const tps = [];
        const gaps = [];
        Object.values(window.PoskoSearch.groups).forEach(g => g.eachLayer(l => {{
            const p = m.latLngToContainerPoint(l.getLatLng());
            if (l.options.kind === 'polling_station' && l.options.role === 'site') {{
                tps.push([l.options.siteId, p.x, p.y]);
            }} else if (l.options.role === 'highlight') {{
                gaps.push([l.options.siteId, p.x, p.y]);
            }}
        }}));
        const lg = document.querySelector('.posko-legend').getBoundingClientRect();
        const legend = [lg.left - r.left, lg.top - r.top, lg.right - r.left, lg.bottom - r.top];
        const shown = hidden.filter(sel => [...document.querySelectorAll(sel)].some(
            el => getComputedStyle(el).display !== 'none'));
        window.__paper = {{box: [r.left, r.top, r.width, r.height],
                           client: [box.clientWidth, box.clientHeight],
                           size: [size.x, size.y], tps, gaps, legend, shown}};
    }});
}}"""


def _write_briefing(analysis, folder: Path, basemap: str, paper: str) -> Path:
    html = briefing_html(
        analysis,
        basemap=basemap,
        online=basemap != "none",
        paper=paper,
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag Ops",
    )
    path = folder / f"briefing-{basemap}-{paper}.html"
    path.write_text(html, encoding="utf-8")
    return path


def _page_one(pdf: Path, picture: Path | None = None) -> np.ndarray:
    """Page 1 rasterised (saved as a PNG to `picture` when given)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=RENDER_SCALE).to_pil().convert("RGB")
    finally:
        document.close()
    if picture is not None:
        image.save(picture)
    return np.asarray(image).astype(int)


def _page_texts(pdf: Path) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def _map_box(pixels: np.ndarray) -> tuple[int, int, int, int]:
    """Rows and columns (top, bottom, left, right) of the map's background on paper."""
    background = (np.abs(pixels - np.array(MAP_BACKGROUND)) <= 2).all(axis=2)
    rows = np.flatnonzero(background.sum(axis=1) > background.shape[1] * 0.05)
    cols = np.flatnonzero(background.sum(axis=0) > background.shape[0] * 0.05)
    assert rows.size and cols.size, "no map background on page 1"
    return int(rows[0]), int(rows[-1]), int(cols[0]), int(cols[-1])


def _coloured(pixels: np.ndarray) -> int:
    """Pixels in colour (sites, rings, outlines of the operation), not paper, background,
    grid or text greys."""
    return int(((pixels.max(axis=2) - pixels.min(axis=2)) > 60).sum())


@pytest.mark.parametrize(
    ("paper", "basemap"), [("A4", "none"), ("A3", "none"), ("A4", "osm")], ids=str
)
def test_printed_map_fills_its_box_with_every_tps(
    open_page, sample_analysis, tmp_path, paper: str, basemap: str
) -> None:
    p = open_page(viewport=(1600, 1000))
    if basemap != "none":
        p.expect_blocked_tiles()
    page = p.page
    page.goto(_write_briefing(sample_analysis, tmp_path, basemap, paper).as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    if basemap != "none":  # tiles cannot load here: wait for the notice print must hide
        page.locator(".posko-notice").wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Legenda").click()  # closed on screen, open on paper
    page.evaluate(_PROBE_JS, list(SCREEN_ONLY))
    pdf = tmp_path / f"{paper}.pdf"
    page.pdf(path=str(pdf), format=paper, landscape=True, print_background=True)
    printed = page.evaluate("window.__paper")
    assert printed, "the page never switched to print media"

    # Leaflet drew for the box the map has on paper, and no TPS falls outside it
    width, height = printed["client"]
    assert printed["size"] == [width, height]
    expected = int((sample_analysis.operation.sites["kind"] == "polling_station").sum())
    assert len(printed["tps"]) == expected
    outside = [t for t in printed["tps"] if not (0 <= t[1] <= width and 0 <= t[2] <= height)]
    assert outside == [], f"{len(outside)} TPS outside the printed map, e.g. {outside[:3]}"
    assert printed["shown"] == [], f"screen-only controls printed: {printed['shown']}"
    # the printed legend covers no uncovered TPS
    left, top, right, bottom = printed["legend"]
    assert len(printed["gaps"]) == sample_analysis.by_kind()["polling_station"].uncovered
    under = [g for g in printed["gaps"] if left <= g[1] <= right and top <= g[2] <= bottom]
    assert under == [], f"uncovered TPS under the printed legend: {under}"

    # page 1 states what the figures assume; the tables follow on the next pages
    texts = _page_texts(pdf)
    plan = sample_analysis.staffing
    for needed in (
        "Radius jangkauan pos:",
        "Polsek 1,5 km",
        f"Pola pengamanan TPS {preset_label(plan.preset, 'id')}",
        "Bobot kerawanan",
        "Di luar jangkauan pos",  # the legend's rows: printed open
        f"Polri dibutuhkan {plan.polri} = {plan.tps_polri} penjaga TPS",
    ):
        assert needed in texts[0], needed
    # the banners are letter-spaced: their letters come out one by one
    assert texts[0].replace(" ", "").count("TERBATAS") == 2
    assert "Jangkauan TPS per kerawanan" not in texts[0]
    assert any("Jangkauan TPS per kerawanan" in text for text in texts[1:])

    # on paper the box has its full size (the page was not shrunk to fit) ...
    picture = tmp_path / f"page-one-{paper}-{basemap}.png"
    pixels = _page_one(pdf, picture)
    if DOCS_SHOTS and (paper, basemap) == ("A4", "none"):
        shutil.copy(picture, ROOT / "docs" / "briefing-print-a4.png")
    top, bottom, left, right = _map_box(pixels)
    per_css_px = RENDER_SCALE * 72 / 96
    assert bottom - top >= 0.97 * height * per_css_px, "the map box was shrunk on paper"
    assert right - left >= 0.97 * width * per_css_px
    paper_width_px = PAPER_MM[paper][0] * PX_PER_MM * per_css_px
    assert right - left >= 0.9 * paper_width_px

    # ... and the operation is drawn down to its bottom, not only in the top of the box
    middle = (top + bottom) // 2
    upper = _coloured(pixels[top:middle, left:right])
    lower = _coloured(pixels[middle:bottom, left:right])
    assert lower >= 0.25 * upper, f"lower half of the map nearly blank: {lower} vs {upper}"
    assert lower >= 0.005 * (bottom - middle) * (right - left)


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_posko_brief_pdf_is_on_the_paper_asked_for(chromium, tmp_path, paper: str) -> None:
    pdf = tmp_path / "brief.pdf"
    write_brief(tmp_path / "brief.html", "--paper", paper, "--pdf", str(pdf))
    document = pdfium.PdfDocument(str(pdf))
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    expected = PAPER_MM[paper]
    assert (width, height) == pytest.approx(tuple(mm * 72 / 25.4 for mm in expected), abs=2)
    assert "Dasar perhitungan" in _page_texts(pdf)[0]
    _assert_pages_hold_more_than_banners(pdf, "TERBATAS")


def _page_chars(pdf: Path) -> list[list[tuple[str, float, float]]]:
    """Per page, every printed character with its bottom and top (PDF points, y up)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in document:
            text = page.get_textpage()
            chars = []
            for i in range(text.count_chars()):
                char = text.get_text_range(i, 1)
                if char.strip():
                    _, bottom, _, top = text.get_charbox(i)
                    chars.append((char, bottom, top))
            pages.append(chars)
        return pages
    finally:
        document.close()


def _assert_pages_hold_more_than_banners(pdf: Path, banner: str) -> None:
    """Every page prints something besides the banners, and nothing under the banners."""
    for number, chars in enumerate(_page_chars(pdf), start=1):
        top_line = max(top for _, _, top in chars)
        band = [(c, b, t) for c, b, t in chars if t >= top_line - 2]
        low = min(b for _, b, _ in band) - 3  # the banner's band, a few points of padding
        under = "".join(c for c, b, t in chars if t > low and c not in banner)
        assert under == "", f"page {number}: {under!r} printed under the top banner"
        content = "".join(c for c, _, _ in chars).replace(banner, "")
        assert len(content.replace(" ", "")) > len(banner), f"page {number} holds only banners"
        assert "".join(c for c, _, _ in chars).count(banner) == 2, f"page {number} banners"


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_every_printed_page_holds_content_besides_the_banners(
    open_page, sample_analysis, tmp_path, paper: str
) -> None:
    page = open_page(viewport=(1600, 1000)).page
    page.goto(_write_briefing(sample_analysis, tmp_path, "none", paper).as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    pdf = tmp_path / f"{paper}.pdf"
    page.pdf(path=str(pdf), format=paper, landscape=True, print_background=True)
    texts = _page_texts(pdf)
    assert len(texts) >= 2  # the map page, then the figures
    _assert_pages_hold_more_than_banners(pdf, sample_analysis.settings.classification)
    # a table carried over a page repeats its header in full, below the banner
    gaps = next(i for i, text in enumerate(texts) if "TPS di luar jangkauan" in text)
    assert "No. TPS Nama Kelurahan Kerawanan Jarak" in texts[gaps + 1]
    # the scenarios' heading and note start the page of the first scenario, not a page alone
    first = load_scenarios(sample_analysis.operation).items[0]
    heading = next(i for i, text in enumerate(texts) if "Skenario unjuk rasa Peta: ring" in text)
    assert first.name in texts[heading], texts[heading]


def _approved(folder: Path) -> str:
    """Make a saved plan of the operation at `folder` approved, with a road file (one more
    line of assumptions on page 1); its standing line."""
    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    name = "Rencana Pengamanan Pilkada Serentak 2024"
    info = plans.create(name, operation.plan_content, who="perencana", make_current=True)
    plans.set_status(info.plan_id, PlanStatus.APPROVED, base_version=1, who="Kapolresta")
    west, south, east, north = operation.sites.total_bounds
    road = gpd.GeoDataFrame(geometry=[LineString([(west, south), (east, north)])], crs=4326)
    road.to_file(folder.parent / "jalan.geojson", driver="GeoJSON")
    set_roads(folder, folder.parent / "jalan.geojson", who="perencana")
    return plan_standing(analyse(load_operation(folder)), "id").text


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_printed_page_one_states_the_plan_standing_above_the_whole_map(
    open_page, op_folder, tmp_path, status: str
) -> None:
    line = _approved(op_folder) if status == "approved" else ""
    analysis = analyse(load_operation(op_folder))
    standing = plan_standing(analysis, "id")
    assert standing.approved == (status == "approved")
    assert line == ("" if status == "draft" else standing.text)
    assert ("Kapolresta" in standing.text) == (status == "approved")
    page = open_page(viewport=(1600, 1000)).page
    page.goto(_write_briefing(analysis, tmp_path, "none", "A4").as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    page.evaluate(_PROBE_JS, list(SCREEN_ONLY))
    pdf = tmp_path / f"{status}.pdf"
    page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
    printed = page.evaluate("window.__paper")
    assert printed, "the page never switched to print media"

    # the whole line, not only the footer's short word, is on page 1
    assert standing.text in _page_texts(pdf)[0]
    if status == "approved":
        assert "versi 2" in _page_texts(pdf)[0]  # the plan shown, with its version
        assert "menyusuri berkas jalan operasi" in _page_texts(pdf)[0]
    # ... and the map is still wholly on page 1, every TPS inside it
    width, height = printed["client"]
    tps = [t for t in printed["tps"] if 0 <= t[1] <= width and 0 <= t[2] <= height]
    assert len(tps) == len(printed["tps"]) > 0
    top, bottom, _, _ = _map_box(_page_one(pdf, tmp_path / f"page-one-{status}.png"))
    assert bottom - top >= 0.97 * height * RENDER_SCALE * 72 / 96, "the map left page 1"
