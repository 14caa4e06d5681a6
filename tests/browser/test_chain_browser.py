"""The logistics chain in the briefing, in a real browser: every leg drawn from its site to
the next, under the sites, the legs beyond reach dashed over their red casing."""

from __future__ import annotations

from pathlib import Path

from geo.analysis import analyse
from geo.logistics import chain_for
from geo.operation import load_operation
from tests.browser.test_app_browser import TIMEOUT_MS, write_brief
from tests.browser.test_geometry_browser import MAP_JS

# Each leg's drawn box (SVG user units = layer pixels) and the layer pixels of its two ends
# as the sites' own markers are placed (a kelurahan's assumed point is no site: skipped).
_LEGS_JS = f"""() => {{
    const m = {MAP_JS};
    const at = {{}};
    for (const g of Object.values(window.PoskoSearch.groups)) {{
        for (const l of g.getLayers()) {{
            if (l.options.siteId) {{ at[l.options.siteId] = l.getLatLng(); }}
        }}
    }}
    const legs = [];
    m.eachLayer(l => {{
        if (!l.options || l.options.role !== 'chain-leg') {{ return; }}
        const box = l._path.getBBox();
        const ends = [at[l.options.fromId], at[l.options.toId]].map(
            p => p ? m.latLngToLayerPoint(p) : null);
        legs.push({{level: l.options.level, reached: l.options.reached,
                    dash: l._path.getAttribute('stroke-dasharray'),
                    pane: l._path.closest('.leaflet-pane').style.zIndex,
                    box: [box.x, box.y, box.width, box.height],
                    ends: ends.map(p => p ? [p.x, p.y] : null)}});
    }});
    const casings = [];
    m.eachLayer(l => {{ if (l.options && l.options.role === 'chain-casing') casings.push(l); }});
    return {{legs: legs, casings: casings.length,
             markerPane: getComputedStyle(m.getPane('markerPane')).zIndex}};
}}"""


def test_the_chain_is_drawn_between_its_sites(open_page, screenshot, tmp_path: Path) -> None:
    chain = chain_for(analyse(load_operation()))
    figures = chain.figures()
    html = write_brief(tmp_path / "brief.html")
    p = open_page(viewport=(1600, 1000))
    page = p.page
    page.goto(html.as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    drawn = page.evaluate(_LEGS_JS)
    legs = drawn["legs"]
    assert len(legs) == sum(figures.legs.values()) == 360
    assert {lv: sum(g["level"] == lv for g in legs) for lv in figures.legs} == figures.legs
    # beyond reach: dashed, over a red casing; within reach: solid
    unreached = [g for g in legs if g["reached"] is False]
    assert len(unreached) == figures.unreached == drawn["casings"]
    assert all(g["dash"] for g in unreached)
    assert not any(g["dash"] for g in legs if g["reached"] is True)
    # under the sites: their markers take the clicks
    assert all(int(g["pane"]) < int(drawn["markerPane"]) for g in legs)
    # each leg runs from the marker of one site to the marker of the next
    checked = 0
    for leg in legs:
        a, b = leg["ends"]
        if a is None or b is None:
            continue
        x, y, w, h = leg["box"]
        assert abs(x - min(a[0], b[0])) < 1.0 and abs(y - min(a[1], b[1])) < 1.0, leg
        assert abs(w - abs(a[0] - b[0])) < 1.0 and abs(h - abs(a[1] - b[1])) < 1.0, leg
        checked += 1
    assert checked == figures.legs["ppk"]  # the warehouse → PPK legs join two sites
    assert p.network.blocked == []
    assert p.console_errors == []
    screenshot(page, "chain")
