"""A large operation in the app, in a real browser: its map drawn by zoom (a spot of 300
stacked TPS whose every site can be picked and selected) and the summary by area drilled
down from kabupaten/kota to kelurahan, its numbers and CSV download against the sites."""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator

import geopandas as gpd
import pandas as pd
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from shapely.geometry import Point

from geo.analysis import analyse
from geo.model import Col, Kind
from geo.operation import SAMPLE_OPERATION, load_operation
from geo.store import STORE_FILE, Store
from layers.grid import AGGREGATE_ABOVE, unpack
from tests.browser.conftest import AppServer, start_app, stop_app
from tests.browser.test_app_browser import (
    TIMEOUT_MS,
    app_idle,
    runs_finished,
    site_details,
    wait_runs_done,
)
from tests.large_operation import province

N_TPS = 6000
STACK = 300
STACK_AT = (0.0113, 100.0137)  # lat, lon: in kelurahan Kel 1-1-1 (99.01.01.1001)
STACK_NAME = "TPS {n:03d} SDN 7 Tumpuk"

_TPS_GROUP = """(Object.values((window.PoskoSearch || {groups: {}}).groups).find(g => g.poskoGrid
    && g.poskoKind === 'polling_station' && g.poskoRole === 'site'))"""
_READY = f"() => window.map !== undefined && {_TPS_GROUP} !== undefined && {_TPS_GROUP}.poskoReady"


def large_operation() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Sites and areas of a synthetic province of :data:`N_TPS` TPS (4 to a spot), the first
    :data:`STACK` of them on one spot, named apart from their ids."""
    operation = province(N_TPS, posts=60, stack=4, kabupaten=2, kecamatan=3, kelurahan=4)
    sites = operation.sites.copy()
    stacked = sites.index[:STACK]
    assert (sites.loc[stacked, Col.KIND] == Kind.POLLING_STATION).all()
    lat, lon = STACK_AT
    sites.loc[stacked, "geometry"] = [Point(lon, lat)] * STACK
    sites.loc[stacked, Col.NAME] = [STACK_NAME.format(n=i + 1) for i in range(STACK)]
    assert len(sites) > AGGREGATE_ABOVE
    return sites, operation.areas


@pytest.fixture(scope="module")
def large_app(chromium, tmp_path_factory) -> Iterator[tuple[AppServer, gpd.GeoDataFrame]]:
    """The app on a workspace whose first operation is the large one (saved in its
    GeoPackage store, areas included); the server and the operation's sites."""
    workspace = tmp_path_factory.mktemp("large-workspace")
    folder = workspace / SAMPLE_OPERATION.name  # the operation the app opens first
    folder.mkdir()
    shutil.copy(SAMPLE_OPERATION / "operation.toml", folder / "operation.toml")
    sites, areas = large_operation()
    Store(folder / STORE_FILE).save(sites, action="import", base_version=None, areas=areas)
    log = workspace / "streamlit.log"
    with log.open("w") as out:
        process, url = start_app(workspace, log, out)
        try:
            yield AppServer(url=url, workspace=workspace), sites
        finally:
            stop_app(process)


def _map_frame(page):
    """The map's frame once its TPS layer (drawn by zoom) is ready."""
    page.wait_for_selector("iframe[title*='st_folium']", timeout=TIMEOUT_MS)
    for _ in range(3):  # Streamlit may replace the frame while the page builds
        frame = page.locator("iframe[title*='st_folium']").element_handle().content_frame()
        try:
            frame.wait_for_function(_READY, timeout=TIMEOUT_MS)
            return frame
        except PlaywrightError as exc:  # a detached frame: look it up again
            if "detached" not in str(exc):
                raise
    pytest.fail("the map frame never drew its TPS")


def _open(open_page, url: str):
    p = open_page(viewport=(1500, 1000))
    p.expect_blocked_tiles()
    p.page.goto(url)
    frame = _map_frame(p.page)
    app_idle(p.page)
    return p, frame


_AT_STACK = f"""([lat, lon, n]) => {{
    window.map.setView([lat, lon], 17, {{animate: false}});
    const g = {_TPS_GROUP};
    const stack = g.getLayers().find(l => l.options.role === 'stack' && l.options.count === n);
    if (!stack) {{ return null; }}
    stack.getElement().classList.add('posko-test-stack');
    return stack.options.siteIds;
}}"""

# every item of the list scrolled to in turn: shown inside the list's box, and the element
# under its centre is the item itself (nothing covers it)
_REACHABLE = """() => {
    const list = document.querySelector('.posko-stack-list');
    const box = list.getBoundingClientRect();
    const out = [];
    for (const item of list.querySelectorAll('.posko-stack-item')) {
        item.scrollIntoView({block: 'nearest'});
        const r = item.getBoundingClientRect();
        const x = r.left + Math.min(r.width / 2, 20), y = r.top + r.height / 2;
        const inside = r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        if (inside && document.elementFromPoint(x, y) === item) {
            out.push(item.getAttribute('data-site-id'));
        }
    }
    return out;
}"""


@pytest.mark.parametrize("pick", [0, 149, 299])
def test_every_tps_of_a_stack_of_300_can_be_picked_in_the_app(
    large_app, open_page, pick, screenshot
) -> None:
    server, sites = large_app
    p, frame = _open(open_page, server.url)
    page = p.page
    ids = frame.evaluate(_AT_STACK, [*STACK_AT, STACK])
    tps = sites[sites[Col.KIND] == Kind.POLLING_STATION]
    assert ids == list(tps[Col.SITE_ID].iloc[:STACK])
    frame.locator(".posko-test-stack").click()
    items = frame.locator(".posko-stack-item")
    expect(items).to_have_count(STACK, timeout=TIMEOUT_MS)
    assert frame.evaluate(_REACHABLE) == ids
    # the stack's click picked nothing: it is not reported as a click on a site
    assert frame.evaluate("() => window.__GLOBAL_DATA__.last_object_clicked_tooltip") is None
    site_id = ids[pick]
    frame.locator(f".posko-stack-item[data-site-id='{site_id}']").click()
    name = STACK_NAME.format(n=pick + 1)
    details = site_details(page)
    expect(details).to_contain_text(site_id, timeout=TIMEOUT_MS)
    expect(page.get_by_text(name, exact=False).first).to_be_visible()
    frame = _map_frame(page)
    ring = frame.locator("path.posko-selected")
    expect(ring).to_have_count(1, timeout=TIMEOUT_MS)
    assert (
        frame.evaluate(
            "() => Object.values(window.map._layers).find(l => l.options"
            " && l.options.role === 'selected').options.siteId"
        )
        == site_id
    )
    if pick == 149:
        screenshot(page, "large-app-stack-picked")


def test_the_map_data_are_fetched_as_files_not_sent_in_the_page(large_app, open_page) -> None:
    """A large map's data reach the page as files the app serves, named by their content
    (a second tab fetches the same names, which the browser may keep); the TPS file holds
    every TPS."""
    server, sites = large_app
    tps_ids = sites.loc[sites[Col.KIND] == Kind.POLLING_STATION, Col.SITE_ID].tolist()
    names = []
    for _ in range(2):
        p = open_page(viewport=(1500, 1000))
        p.expect_blocked_tiles()
        fetched: list[tuple[str, int]] = []
        encodings: list[str | None] = []

        def seen(response, out=fetched, coded=encodings) -> None:
            if response.url.endswith(".psk.gz"):
                out.append((response.url, response.status))
                coded.append(response.headers.get("content-encoding"))

        p.page.on("response", seen)
        p.page.goto(server.url)
        frame = _map_frame(p.page)
        assert fetched and all(status == 200 for _, status in fetched), fetched
        assert encodings == [None] * len(fetched)  # gzipped already: not compressed again
        names.append(sorted(url.rsplit("/", 1)[-1] for url, _ in fetched))
        drawn = frame.evaluate(f"() => {_TPS_GROUP}.poskoRecords ? 1 : 0")
        assert drawn == 1
    assert names[0] == names[1]
    payloads = []
    for url, _ in fetched:
        with urllib.request.urlopen(url, timeout=30) as response:  # loopback only
            payloads.append(unpack(response.read()))
    columns = [d["tips"]["columns"]["id"] for d in payloads if "id" in d["tips"]["columns"]]
    assert any(c.get("v") == tps_ids for c in columns)


def _expected(folder, areas: gpd.GeoDataFrame) -> dict[str, tuple[int, int, int]]:
    """Per area name: its TPS, those covered and those not, counted from the positions of
    the operation as the app loads it (areas are boxes: a TPS lies in exactly one)."""
    tps = analyse(load_operation(folder)).polling_stations
    out = {}
    for name, shape in zip(areas["name"], areas.geometry, strict=True):
        inside = tps[tps.geometry.within(shape)]
        covered = int(inside["covered"].astype(bool).sum())
        out[str(name)] = (len(inside), covered, len(inside) - covered)
    return out


# the area table (the one headed with the uncovered share), row by row, as its grid's
# accessible table holds it (the values, not their localized text)
_AREA_ROWS = """() => {
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const rows = Array.from(grid.querySelectorAll('table tr'))
            .map(r => Array.from(r.querySelectorAll('td, th')).map(c => c.innerText.trim()));
        if (rows.length && rows[0].includes('Tak terjangkau (%)')) { return rows; }
    }
    return null;
}"""


def _shown_rows(page) -> dict[str, tuple[int, int, int]]:
    """The area table as shown: per area name, its TPS, covered and not covered."""
    page.wait_for_function(_AREA_ROWS, timeout=TIMEOUT_MS)
    head, *rows = page.evaluate(_AREA_ROWS)
    columns = [head.index(c) for c in ("Wilayah", "TPS", "Terjangkau", "Tak terjangkau")]
    return {r[columns[0]]: tuple(int(r[c]) for c in columns[1:]) for r in rows}


def _choose(page, level: str, area: str, before: int) -> None:
    """Pick `area` in the drill-down's box of `level` and wait for the run it starts."""
    box = page.locator('[data-testid="stSelectbox"]', has_text=f"Pilih {level}")
    box.scroll_into_view_if_needed()
    box.get_by_role("combobox").click()
    page.locator('[role="option"]', has_text=re.compile(rf"^{re.escape(area)} \(")).click()
    wait_runs_done(page, before)


def test_the_area_drill_down_counts_the_sites_and_its_csv_equals_the_table(
    large_app, open_page, screenshot
) -> None:
    server, _ = large_app
    folder = server.workspace / SAMPLE_OPERATION.name
    _, areas = large_operation()
    expected = _expected(folder, areas)
    p, _frame = _open(open_page, server.url)
    page = p.page
    shown = {"": _shown_rows(page)}
    steps = (("kabupaten/kota", "Kab 1"), ("kecamatan", "Kec 1-2"), ("kelurahan/desa", "Kel 1-2-3"))
    children = {
        "": ["Kab 1", "Kab 2"],
        "Kab 1": ["Kec 1-1", "Kec 1-2", "Kec 1-3"],
        "Kec 1-2": [f"Kel 1-2-{i}" for i in range(1, 5)],
        "Kel 1-2-3": ["Kel 1-2-3"],
    }
    for level, area in steps:
        _choose(page, level, area, runs_finished(page))
        shown[area] = _shown_rows(page)
    for parent, rows in shown.items():
        names = [n for n in rows if n in expected]
        assert names == children[parent], parent
        for name in names:
            assert rows[name] == expected[name], name
    screenshot(page, "large-app-drill-down")
    # the download of every area: the rows shown, number for number
    button = page.locator(".st-key-areas_csv button, .st-key-areas_csv [data-testid] button")
    with page.expect_download() as download:
        button.first.click()
    table = pd.read_csv(download.value.path(), encoding="utf-8")
    by_name = table.set_index("Wilayah")
    for rows in shown.values():
        for name, figures in rows.items():
            if name in expected:
                got = by_name.loc[name, ["TPS", "Terjangkau", "Tak terjangkau"]]
                assert tuple(int(v) for v in got) == figures, name
