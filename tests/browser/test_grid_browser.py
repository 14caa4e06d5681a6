"""A large operation's briefing in a real browser: cells that add up at every zoom, a stack
of 300 TPS whose every site can be reached, the search at any zoom."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from geo.analysis import analyse
from geo.model import Col, Risk
from layers.export import briefing_html
from layers.grid import cell_summary
from tests.browser.test_app_browser import TIMEOUT_MS
from tests.browser.test_geometry_browser import MAP_JS
from tests.layers.stacked import BIG_STACK_AT, stacked_operation
from tests.layers.test_grid import province_map_html

N_TPS = 8000
HOSTILE = "<img src=x onerror=window.__pwned=1>"

_TPS_GROUP = """(Object.values(window.PoskoSearch.groups).find(g => g.poskoGrid
    && g.poskoKind === 'polling_station' && g.poskoRole === 'site'))"""

_READY = f"""() => window.PoskoSearch && {_TPS_GROUP} && {_TPS_GROUP}.poskoReady === true"""

_AT_ZOOM = f"""([lat, lon, z]) => {{
    const map = {MAP_JS};
    map.setView([lat, lon], z, {{animate: false}});
    const g = {_TPS_GROUP};
    const drawn = g.getLayers();
    const b = map.getBounds().pad(0.25);
    return {{
        mode: g.poskoMode,
        bins: g.poskoBins(Math.floor(map.getZoom())),
        cells: drawn.filter(l => l.options.role === 'cell').map(l => l.options.count),
        sites: drawn.filter(l => l.options.role === 'site').length,
        stacks: drawn.filter(l => l.options.role === 'stack').map(l => l.options.count),
        bounds: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()],
    }};
}}"""


@pytest.fixture(scope="module")
def large_case(tmp_path_factory, sample_operation):
    """The briefing of 8,000 stacked TPS (a spot of 300, one named hostilely) and its TPS."""
    operation = stacked_operation(sample_operation, N_TPS, spread=0.03)
    sites = operation.sites
    sites.loc[sites[Col.SITE_ID] == "TPS-SYN-000005", Col.NAME] = HOSTILE
    analysis = analyse(operation)
    html = tmp_path_factory.mktemp("grid") / "large.html"
    html.write_text(
        briefing_html(
            analysis, exported_at=datetime(2026, 1, 1, tzinfo=UTC), exported_by="Kabag Ops"
        ),
        encoding="utf-8",
    )
    return html, analysis.polling_stations


def _open(open_page, html: Path):
    p = open_page()
    p.page.goto(html.as_uri())
    p.page.wait_for_function(_READY, timeout=TIMEOUT_MS)
    return p


def _columns(tps):
    rank = [list(Risk).index(Risk(r)) for r in tps[Col.RISK]]
    uncovered = (~tps["covered"].astype(bool)).tolist()
    return tps.geometry.y.to_numpy(), tps.geometry.x.to_numpy(), uncovered, rank


def test_what_is_drawn_adds_up_to_the_sites_at_every_zoom(open_page, large_case) -> None:
    html, tps = large_case
    page = _open(open_page, html).page
    lat, lon, uncovered, rank = _columns(tps)
    centre = [float(np.mean(lat)), float(np.mean(lon))]
    for zoom in (5, 7, 9, 10, 11):  # the whole city in view: every cell drawn
        seen = page.evaluate(_AT_ZOOM, [*centre, zoom])
        assert seen["mode"] == "cells"
        assert sum(seen["cells"]) == N_TPS, zoom
        expected = cell_summary(lat, lon, zoom, uncovered=uncovered, risk_rank=rank)
        got = sorted(
            (b["cx"], b["cy"], b["count"], b["uncovered"], b["worst"]) for b in seen["bins"]
        )
        assert got == [tuple(int(v) for v in row) for row in expected.itertuples(index=False)]
    # close up: every site near the view drawn once, alone or in its stack
    for zoom in (16, 17):
        seen = page.evaluate(_AT_ZOOM, [BIG_STACK_AT[0], BIG_STACK_AT[1], zoom])
        assert seen["mode"] == "sites"
        south, west, north, east = seen["bounds"]
        near = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        assert seen["sites"] + sum(seen["stacks"]) == int(near.sum()), zoom
        assert 300 in seen["stacks"]


_OPEN_BIG_STACK = f"""() => {{
    const g = {_TPS_GROUP};
    const stack = g.getLayers().find(l => l.options.role === 'stack' && l.options.count === 300);
    stack.getElement().classList.add('posko-test-big-stack');
    return stack.options.siteIds;
}}"""


def test_every_site_of_a_stack_of_300_can_be_reached(open_page, large_case, screenshot) -> None:
    html, tps = large_case
    p = _open(open_page, html)
    page = p.page
    page.evaluate(_AT_ZOOM, [BIG_STACK_AT[0], BIG_STACK_AT[1], 17])
    ids = page.evaluate(_OPEN_BIG_STACK)
    assert ids == [f"TPS-SYN-{i:06d}" for i in range(300)]
    expect(page.locator(".posko-test-big-stack")).to_have_text("300")
    page.locator(".posko-test-big-stack").click()
    items = page.locator(".posko-stack-item")
    expect(items).to_have_count(300, timeout=TIMEOUT_MS)
    listed = items.evaluate_all("els => els.map(e => e.getAttribute('data-site-id'))")
    assert listed == ids
    # a hostile name is listed as text
    expect(page.locator(".posko-stack-item[data-site-id='TPS-SYN-000005']")).to_contain_text(
        HOSTILE
    )
    assert page.evaluate("() => window.__pwned") is None
    names = dict(zip(tps[Col.SITE_ID], tps[Col.NAME], strict=True))
    for site_id in ("TPS-SYN-000000", "TPS-SYN-000150", "TPS-SYN-000299"):
        page.locator(f".posko-stack-item[data-site-id='{site_id}']").click()
        tip = page.locator(".leaflet-tooltip", has_text=names[site_id])
        expect(tip).to_be_visible(timeout=TIMEOUT_MS)
        if not page.locator(".posko-stack-item").count():  # the list closes on a map click
            page.locator(".posko-test-big-stack").click()
    screenshot(page, "grid-stack")
    assert p.network.blocked == []


@pytest.mark.parametrize("site_id", ["TPS-SYN-004321", "TPS-SYN-000123"])
def test_search_finds_any_site_from_the_overview(open_page, large_case, site_id) -> None:
    html, tps = large_case
    page = _open(open_page, html).page
    assert page.evaluate(f"() => {_TPS_GROUP}.poskoMode") == "cells"
    start = page.evaluate(f"() => {MAP_JS}.getZoom()")
    page.get_by_role("link", name="Cari nama atau nomor TPS…").click()
    box = page.get_by_placeholder("Cari nama atau nomor TPS…")
    box.press_sequentially(site_id)
    expect(page.locator(".search-tip").first).to_contain_text(site_id, timeout=TIMEOUT_MS)
    box.press("Enter")
    row = tps[tps[Col.SITE_ID] == site_id].iloc[0]
    tip = page.locator(".leaflet-tooltip", has_text=str(row[Col.NAME]))
    expect(tip).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_function(
        f"() => {MAP_JS}.getZoom() >= 16 && {_TPS_GROUP}.poskoMode === 'sites'",
        timeout=TIMEOUT_MS,
    )
    at = page.evaluate(f"() => {{ const c = {MAP_JS}.getCenter(); return [c.lat, c.lng]; }}")
    assert start < 16
    assert at == pytest.approx([row.geometry.y, row.geometry.x], abs=1e-4)


def test_a_province_map_opens_small(open_page, sample_operation, tmp_path) -> None:
    """120,000 stacked TPS: a script heap far under the 370 MB of every site a marker, and
    only cells drawn at the first view."""
    html = tmp_path / "province.html"
    html.write_text(province_map_html(sample_operation)[0], encoding="utf-8")
    p = _open(open_page, html)
    page = p.page
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
    assert heap < 150_000_000
    drawn = page.evaluate(f"() => [{_TPS_GROUP}.poskoMode, {_TPS_GROUP}.getLayers().length]")
    assert drawn[0] == "cells"
    assert 0 < drawn[1] < 2000
    assert page.evaluate(f"() => {_TPS_GROUP}.poskoCount") == 120_000
    assert p.network.blocked == []
