"""The partner briefing on paper, and the app's comparison with an earlier operation.

The partner briefing is printed by Chromium (A4 landscape) and page 1 rasterised: every TPS
falls inside the printed map, which fills its box, and no police post is drawn at all. A
large operation's partner map, drawn by zoom, opens offline and its cells count the TPS per
risk class as `layers.grid.risk_cell_summary` does.
The compare page, switched to "operasi sebelumnya", shows what changed since an earlier
operation made from the sample (tests/history_pair.py) at 1024×768 and 390×844.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import numpy as np
import pytest
from playwright.sync_api import expect

from geo.analysis import analyse
from geo.model import Col, Risk
from geo.text import label, t
from layers.grid import risk_cell_summary
from layers.partner import partner_briefing_html
from tests.browser.conftest import start_app, stop_app
from tests.browser.test_app_browser import TIMEOUT_MS, app_idle, nav_link
from tests.browser.test_geometry_browser import MAP_JS
from tests.browser.test_print_browser import (
    _PROBE_JS,
    RENDER_SCALE,
    SCREEN_ONLY,
    _coloured,
    _map_box,
    _page_one,
    _page_texts,
)
from tests.history_pair import make_earlier
from tests.layers.stacked import stacked_operation


def test_the_printed_partner_briefing_holds_every_tps_in_its_map(
    open_page, sample_analysis, tmp_path
) -> None:
    html = partner_briefing_html(
        sample_analysis,
        basemap="none",
        paper="A4",
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag Ops",
    )
    path = tmp_path / "mitra.html"
    path.write_text(html, encoding="utf-8")
    p = open_page(viewport=(1600, 1000))
    page = p.page
    page.goto(path.as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Legenda").click()
    page.evaluate(_PROBE_JS, list(SCREEN_ONLY))
    pdf = tmp_path / "mitra.pdf"
    page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
    printed = page.evaluate("window.__paper")
    assert printed, "the page never switched to print media"
    width, height = printed["client"]
    assert printed["size"] == [width, height]
    tps = sample_analysis.operation.sites["kind"] == "polling_station"
    assert len(printed["tps"]) == int(tps.sum())
    outside = [s for s in printed["tps"] if not (0 <= s[1] <= width and 0 <= s[2] <= height)]
    assert outside == [], f"{len(outside)} TPS outside the printed map, e.g. {outside[:3]}"
    assert printed["shown"] == [], f"screen-only controls printed: {printed['shown']}"
    kinds = page.evaluate(
        "() => [...new Set(Object.values(window.PoskoSearch.groups).flatMap("
        "g => g.getLayers().map(l => l.options.kind)))]"
    )
    assert kinds == ["polling_station"]
    texts = _page_texts(pdf)
    banner = sample_analysis.settings.partner_classification.replace(" ", "")
    assert texts[0].replace(" ", "").count(banner) == 2
    assert t("partner.subtitle", "id") in texts[0]
    assert any(t("partner.tps_by_risk", "id") in text for text in texts)
    pixels = _page_one(pdf, tmp_path / "mitra-page-one.png")
    top, bottom, left, right = _map_box(pixels)
    per_css_px = RENDER_SCALE * 72 / 96
    assert bottom - top >= 0.97 * height * per_css_px, "the map box was shrunk on paper"
    middle = (top + bottom) // 2
    upper, lower = (
        _coloured(pixels[a:b, left:right]) for a, b in ((top, middle), (middle, bottom))
    )
    assert lower >= 0.25 * upper and upper > 0, f"the TPS are not drawn: {upper}, {lower}"
    assert p.network.blocked == []


@pytest.fixture(scope="module")
def history_app(chromium, tmp_path_factory) -> Iterator[str]:
    """The app on a workspace holding an earlier operation made from the sample."""
    workspace = tmp_path_factory.mktemp("history-workspace")
    make_earlier(workspace)
    log = workspace / "streamlit.log"
    with log.open("w") as out:
        process, url = start_app(workspace, log, out)
        try:
            yield url
        finally:
            stop_app(process)


@pytest.mark.parametrize("size", [(1024, 768), (390, 844)], ids=str)
def test_the_app_compares_with_the_earlier_operation(
    history_app, open_page, screenshot, size
) -> None:
    p = open_page(viewport=(1600, 1000))
    p.expect_blocked_tiles()  # the map page opens first, on the online basemap
    page = p.page
    page.goto(history_app)
    page.get_by_role("combobox", name="Operasi").click()  # the sample, the later one
    page.get_by_role("option", name="pangkalpinang", exact=True).click()
    app_idle(page)
    nav_link(page, "Bandingkan rencana").click()
    app_idle(page)
    page.get_by_text(t("history.mode_operation", "id"), exact=True).click()
    app_idle(page)
    # the bundled Pemilu sample is offered first (it began earlier); pick the workspace's
    page.get_by_role("combobox", name=t("history.pick_earlier", "id")).click()
    # both are titled "Pemilu 2024 — …": the shared title says which folder each is
    page.get_by_role("option", name=f"{EARLIER_TITLE} (pemilu2024)", exact=True).click()
    app_idle(page)
    lead = page.get_by_text("308 TPS cocok", exact=False)
    lead.wait_for(timeout=TIMEOUT_MS)
    assert "3 TPS baru" in lead.inner_text() and "2 TPS pindah" in lead.inner_text()
    for heading in (
        t("history.added", "id", n=3),
        t("history.moved", "id", distance="100 m", n=2),
        t("history.risk_changed", "id", n=4),
    ):
        expect(page.get_by_text(heading, exact=True)).to_have_count(1, timeout=TIMEOUT_MS)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    app_idle(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    tables = page.locator('[data-testid="stDataFrame"]')
    assert tables.count() == 4  # the figures, then TPS added, moved, risk changed
    box = tables.first.bounding_box()
    assert box is not None and box["width"] > 0.6 * min(size[0], 1024 - 300)
    screenshot(page, f"compare-history-{size[0]}x{size[1]}")


EARLIER_TITLE = "Pemilu 2024 — Polresta Pangkalpinang"
N_LARGE = 3000

_TPS_GROUP = """(Object.values(window.PoskoSearch.groups).find(g => g.poskoGrid
    && g.poskoKind === 'polling_station' && g.poskoRole === 'site'))"""

_AT_ZOOM = f"""([lat, lon, z]) => {{
    const map = {MAP_JS};
    map.setView([lat, lon], z, {{animate: false}});
    const g = {_TPS_GROUP};
    const cells = g.getLayers().filter(l => l.options.role === 'cell');
    return {{
        mode: g.poskoMode,
        bins: g.poskoBins(Math.floor(map.getZoom())),
        cells: cells.map(l => [l.options.count, l.options.risks]),
        tip: cells.length ? cells[0].getTooltip().getContent() : '',
        groups: Object.values(window.PoskoSearch.groups).length,
    }};
}}"""


def test_a_large_partner_map_counts_its_cells_by_class_offline(
    open_page, sample_operation, tmp_path
) -> None:
    analysis = analyse(stacked_operation(sample_operation, N_LARGE, extra_posts=40))
    html = partner_briefing_html(
        analysis,
        basemap="none",
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag Ops",
        aggregate=True,
    )
    path = tmp_path / "mitra-besar.html"
    path.write_text(html, encoding="utf-8")
    p = open_page()
    page = p.page
    page.goto(path.as_uri())
    page.wait_for_function(
        f"() => window.PoskoSearch && {_TPS_GROUP}?.poskoReady", timeout=TIMEOUT_MS
    )
    tps = analysis.polling_stations
    rank = [list(Risk).index(Risk(r)) for r in tps[Col.RISK]]
    lat, lon = tps.geometry.y.to_numpy(), tps.geometry.x.to_numpy()
    centre = [float(np.mean(lat)), float(np.mean(lon))]
    classes = [r.value for r in Risk]
    for zoom in (6, 9, 11):  # the whole city in view: every cell drawn
        seen = page.evaluate(_AT_ZOOM, [*centre, zoom])
        assert seen["mode"] == "cells" and seen["groups"] == 1  # the TPS only
        expected = risk_cell_summary(lat, lon, zoom, rank)
        got = sorted((b["cx"], b["cy"], b["count"], b["worst"], *b["risks"]) for b in seen["bins"])
        assert got == [
            (r.cx, r.cy, r.count, r.worst, *(getattr(r, c) for c in classes))
            for r in expected.itertuples()
        ], zoom
        assert sum(count for count, _ in seen["cells"]) == N_LARGE
        assert [sum(col) for col in zip(*(risks for _, risks in seen["cells"]), strict=True)] == [
            int((tps[Col.RISK] == r).sum()) for r in Risk
        ]
        # a cell's tooltip names its classes with their counts
        assert any(f"{label('risk', r, 'id')}: " in seen["tip"] for r in Risk)
    assert p.network.blocked == []
