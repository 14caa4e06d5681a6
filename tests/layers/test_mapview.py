"""The map: a layer per kind, legend, rings, no CDN, every user value escaped."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from shapely.geometry import Point

from geo.analysis import analyse
from layers.assets import Asset, AssetError, asset_text, inline_assets, map_assets
from layers.elements import SiteLayer, escape_text
from layers.export import briefing_html
from layers.mapview import build_map, map_bounds, map_parts, outliers, selection_layer
from tests.conftest import make_operation, offset, site

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "</script><script>window.__pwned=1</script>",
    '" onmouseover="window.__pwned=1',
    # a link payload with a quote and an ampersand, so that it too must be escaped
    "javascript:window['__pwned']=1&&0",
]


def _render(m) -> str:
    return re.sub(r"\s+", " ", m.get_root().render())


@pytest.fixture(scope="module")
def sample_html(sample_analysis) -> str:
    return _render(build_map(sample_analysis, lang="id"))


def test_one_layer_per_kind_and_the_legend(sample_analysis) -> None:
    parts = map_parts(sample_analysis, lang="en")
    names = [o.layer_name for o in parts.overlays]
    for expected in [
        "Polling stations",
        "Government buildings",
        "Demonstration points",
        "Police posts",
        "Election logistics",
        "Post coverage rings",
        "Building ring zones",
        "Uncovered polling stations",
    ]:
        assert expected in names
    html = _render(build_map(sample_analysis, lang="en"))
    assert "posko-legend" in html
    assert "Beyond reach of any post" in html
    assert "L.control.layers" in html


def test_counts_of_drawn_things(sample_analysis) -> None:
    parts = map_parts(sample_analysis)
    by_name = {o.layer_name: o for o in parts.overlays}
    assert by_name["TPS"].count == 311
    # the sample's 16 posts: 15 guard (coverage rings), the Dalmas reserve responds (its own
    # dashed response-reach circle, no coverage ring)
    assert len(sample_analysis.coverage.posts) == 16
    assert by_name["Radius jangkauan pos"].count == 15
    assert by_name["Jangkauan respons cadangan"].count == 1
    buildings = (sample_analysis.operation.sites["kind"] == "government").sum()
    zones = len(sample_analysis.settings.ring_zones_m)
    assert by_name["Ring pengamanan gedung"].count == buildings * zones
    assert by_name["TPS tak terjangkau"].count == len(sample_analysis.uncovered_tps)


def test_tps_are_one_array_not_markers(sample_html) -> None:
    # the drawing code appears once per layer, whatever the number of sites
    assert sample_html.count("L.circleMarker(") < 10
    assert sample_html.count("L.marker(") < 10


def test_layer_selection_leaves_others_out(sample_analysis) -> None:
    parts = map_parts(sample_analysis, layers=["polling_station"])
    assert [o.layer_name for o in parts.overlays] == ["TPS"]
    with pytest.raises(ValueError, match="Unknown layer"):
        map_parts(sample_analysis, layers=["bogus"])


def test_no_cdn_after_inlining(sample_analysis) -> None:
    m = build_map(sample_analysis, basemap="none")
    urls = [a.url for a in map_assets(m)]
    assert any("leaflet.js" in u for u in urls)
    assert not any("jquery" in u or "bootstrap" in u or "fontawesome" in u for u in urls)
    inline_assets(m)
    html = m.get_root().render()
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "https://tile" not in html


def test_unknown_asset_is_refused() -> None:
    with pytest.raises(AssetError, match="not available offline"):
        asset_text(Asset("x", "https://example.org/x.js", "js"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_values_are_escaped(payload: str) -> None:
    lon, lat = 106.11, -2.11
    op = make_operation(
        [
            site("P1", "police_post", lon, lat, post_type="polsek", name=payload),
            site(
                payload,
                "polling_station",
                *offset(lon, lat, 0, 300),
                risk="rawan",
                name=payload,
                kelurahan=payload,
            ),
            site("G1", "government", *offset(lon, lat, 90, 300), name=payload),
            site("D1", "demonstration_point", *offset(lon, lat, 180, 300), name=payload),
        ]
    )
    html = build_map(analyse(op)).get_root().render()
    for body in re.findall(r"<script>(.*?)</script>", html, flags=re.S):
        assert "<img" not in body  # inside scripts every '<' is written \u003c
        assert "</script" not in body.lower()
    assert payload not in html  # every payload holds a character that must be escaped
    assert not re.search(r"href=[\"']?javascript:", html, flags=re.I)
    encoded = [json.loads(t) for t in re.findall(r"var tips = (\{.*?\});\n", html)]
    values = [
        v for e in encoded for col in e["columns"].values() for v in col.get("v", col.get("u", []))
    ]
    assert escape_text(payload) in values  # the name, escaped exactly once
    for value in values:
        assert not set("<>\"'") & set(value)  # every value arrives escaped
        assert not re.search(r"&(?!(?:amp|lt|gt|quot|#x27);)", value)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_picked_site_ring_carries_its_details_as_text(payload: str) -> None:
    lon, lat = 106.11, -2.11
    op = make_operation(
        [
            site("P1", "police_post", lon, lat, post_type="polsek", name="Polsek Satu"),
            site("T1", "polling_station", *offset(lon, lat, 0, 5000), risk="rawan", name=payload),
        ]
    )
    analysis = analyse(op)
    assert selection_layer(analysis, "no-such-site") is None
    ring = selection_layer(analysis, "T1", "id")
    m = build_map(analysis)
    m.add_child(ring)
    html = m.get_root().render()
    body = re.search(r"var details = (\[.*?\]);", html)
    assert body, "no details on the ring"
    lines = json.loads(body.group(1))
    assert lines[0] == payload  # the name, as text: the browser sets it as textContent
    assert "Di luar jangkauan pos" in lines  # 5 km from the only post: beyond its reach
    assert any(line.startswith("Pos terdekat: Polsek Satu (5,0 km)") for line in lines)
    for script in re.findall(r"<script>(.*?)</script>", html, flags=re.S):
        assert "</script" not in script.lower() and "<img" not in script


OUTLIER_KM = 300.0


def outlier_operation(operation):
    """The operation with its first TPS moved 300 km east: an outlier kept with a warning."""
    sites = operation.sites.copy()
    row = sites.index[sites["kind"] == "polling_station"][0]
    point = sites.at[row, "geometry"]
    lon, lat = offset(point.x, point.y, 90, OUTLIER_KM * 1000)
    sites.loc[row, "geometry"] = Point(lon, lat)
    sites.loc[row, "name"] = "TPS Jauh Sekali"
    return replace(operation, sites=sites)


def test_an_outlier_does_not_frame_the_map_but_is_listed(sample_operation) -> None:
    analysis = analyse(outlier_operation(sample_operation))
    west, south, east, north = analysis.operation.areas.total_bounds
    assert map_bounds(analysis) == pytest.approx((south, west, north, east), abs=0.01)
    far = outliers(analysis)
    assert [o.name for o in far] == ["TPS Jauh Sekali"]
    assert far[0].distance_m == pytest.approx(OUTLIER_KM * 1000, rel=0.1)
    assert outliers(analyse(sample_operation)) == []
    html = briefing_html(
        analysis, exported_at=datetime(2026, 1, 1, tzinfo=UTC), exported_by="Kabag Ops"
    )
    listed = re.search(r'<p class="brief-outliers">([^<]*)</p>', html)
    assert listed and re.search(r"TPS Jauh Sekali \(\d+(,\d)? km\)", listed.group(1))


def test_without_areas_the_sites_frame_the_map() -> None:
    lon, lat = 106.11, -2.11
    op = make_operation(
        [
            site("P1", "police_post", lon, lat, post_type="polsek"),
            site("T1", "polling_station", *offset(lon, lat, 45, 2000), risk="rawan"),
        ]
    )
    south, west, north, east = map_bounds(analyse(op))
    assert (west, south) == pytest.approx((lon, lat))
    assert north > lat and east > lon
    assert outliers(analyse(op)) == []


def test_no_overview_map_without_tiles_and_a_metric_scale(sample_analysis) -> None:
    offline = _render(build_map(sample_analysis, basemap="none"))
    assert "MiniMap" not in offline
    online = _render(build_map(sample_analysis, basemap="osm"))
    assert "L.Control.MiniMap" in online
    for html in (offline, online):
        assert "L.control.scale({imperial: false, metric: true" in html
        assert "imperial: true" not in html and '"imperial": true' not in html


def test_tooltips_hide_the_site_id_but_a_click_still_names_the_site(sample_analysis) -> None:
    parts = map_parts(sample_analysis)
    checked = 0
    for layer in parts.overlays:
        if not isinstance(layer, SiteLayer) or not layer.tooltips.lines:
            continue
        assert all("{id}" not in line for line in layer.tooltips.lines)
        texts = layer.tooltips.texts(layer.count)
        for i, site_id in enumerate(layer.site_ids):
            shown = layer.tooltips.lines_of(i)
            assert not shown[-1].endswith(site_id), shown
            assert parts.site_for_tooltip(texts[i]) == site_id
            checked += 1
    assert checked >= 311
    html = _render(build_map(sample_analysis))
    assert '<span class="posko-ref" hidden>' in html


def test_a_reserve_is_drawn_as_its_response_reach_not_as_a_coverage_ring(sample_analysis) -> None:
    parts = map_parts(sample_analysis, lang="en")
    reach = next(o for o in parts.overlays if o.layer_name == "Reserve response reach")
    html = reach.data_js + reach.styles_js
    assert "Pasukan cadangan Dalmas (Mako Polresta)" in html
    assert (
        "Dalmas (crowd control) · 30 officers · responds within 1.9 km (does not cover TPS)" in html
    )
    assert '"dashArray": "8 5"' in html or '"dashArray":"8 5"' in html
    legend = parts.base.get_root().render()
    assert "Reserve response reach" in legend  # one line: a taller legend crowds the map
