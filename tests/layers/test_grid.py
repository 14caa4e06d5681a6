"""The map drawn by zoom: cells that add up, the threshold, the payload, the old way kept."""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
from collections import defaultdict

import numpy as np
import pytest

from geo.analysis import analyse
from geo.model import Col, Kind, Risk
from layers.assets import inline_assets
from layers.elements import SiteLayer
from layers.grid import (
    AGGREGATE_ABOVE,
    CELL_PX,
    CoverageSurface,
    GridSiteLayer,
    cell_summary,
    pack,
    should_aggregate,
    unpack,
)
from layers.mapview import build_map, map_parts
from layers.sites import kind_layer
from tests.layers.stacked import BIG_STACK_AT, stacked_operation

ZOOMS = range(4, 17)


@pytest.fixture(scope="module")
def large(sample_operation):
    """8,000 stacked TPS (one spot of 300) and 40 more posts: above the threshold."""
    return analyse(stacked_operation(sample_operation, 8000, extra_posts=40))


def _brute_cells(lat, lon, zoom, uncovered, rank) -> dict:
    """The cells by plain per-site arithmetic (math, not numpy)."""
    out: dict = defaultdict(lambda: [0, 0, -1])
    for la, lo, u, r in zip(lat, lon, uncovered, rank, strict=True):
        la, lo = round(la, 6), round(lo, 6)
        x = (lo + 180) / 360 * 256
        s = math.sin(math.radians(la))
        y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * 256
        key = (math.floor(x * 2**zoom / CELL_PX), math.floor(y * 2**zoom / CELL_PX))
        out[key][0] += 1
        out[key][1] += int(u)
        out[key][2] = max(out[key][2], r)
    return out


def _tps_columns(analysis):
    tps = analysis.polling_stations
    rank = [list(Risk).index(Risk(r)) for r in tps[Col.RISK]]
    uncovered = (~tps["covered"].astype(bool)).tolist()
    return tps.geometry.y.tolist(), tps.geometry.x.tolist(), uncovered, rank


@pytest.mark.parametrize("zoom", ZOOMS)
def test_cells_add_up_to_the_sites_at_every_zoom(large, zoom) -> None:
    lat, lon, uncovered, rank = _tps_columns(large)
    cells = cell_summary(lat, lon, zoom, uncovered=uncovered, risk_rank=rank)
    assert cells["count"].sum() == len(lat) == 8000
    assert cells["uncovered"].sum() == len(large.uncovered_tps) == sum(uncovered)
    brute = _brute_cells(lat, lon, zoom, uncovered, rank)
    got = {(r.cx, r.cy): [r.count, r.uncovered, r.worst] for r in cells.itertuples()}
    assert got == dict(brute)
    # fewer cells as the zoom goes down: the point of a pyramid
    if zoom > ZOOMS.start:
        coarser = cell_summary(lat, lon, zoom - 1)
        assert len(coarser) <= len(cells)


def test_the_big_stack_is_one_cell_of_300_at_any_zoom(large) -> None:
    lat, lon, _, _ = _tps_columns(large)
    spot = np.isclose(lat, BIG_STACK_AT[0]) & np.isclose(lon, BIG_STACK_AT[1])
    assert spot.sum() == 300
    for zoom in ZOOMS:
        cells = cell_summary(np.asarray(lat)[spot], np.asarray(lon)[spot], zoom)
        assert cells["count"].tolist() == [300]


def test_small_operations_are_drawn_as_before(sample_analysis) -> None:
    assert len(sample_analysis.operation.sites) <= AGGREGATE_ABOVE
    assert not should_aggregate(sample_analysis)
    parts = map_parts(sample_analysis)
    assert not any(isinstance(o, (GridSiteLayer, CoverageSurface)) for o in parts.overlays)
    assert any(type(o) is SiteLayer for o in parts.overlays)


def _payload(layer: GridSiteLayer) -> dict:
    """The payload as the page reads it inline (base64 of the packed blob)."""
    return unpack(base64.b64decode(json.loads(layer.payload_js)))


def test_a_large_operation_aggregates_and_the_old_way_stays_reachable(large) -> None:
    assert should_aggregate(large)
    grid = map_parts(large, lang="en")
    tps = next(
        o
        for o in grid.overlays
        if getattr(o, "kind_js", "") == '"polling_station"' and o.layer_name == "Polling stations"
    )
    assert isinstance(tps, GridSiteLayer)
    data = _payload(tps)
    assert len(data["lat"]) == len(data["lon"]) == len(data["style"]) == 8000
    ids = data["tips"]["columns"]["id"]
    assert ids["v"] == large.polling_stations[Col.SITE_ID].tolist()
    assert any(isinstance(o, CoverageSurface) for o in grid.overlays)
    # the old way, for comparison: every site a marker, one ring per post
    old = map_parts(large, lang="en", aggregate=False)
    assert not any(isinstance(o, (GridSiteLayer, CoverageSurface)) for o in old.overlays)
    # a click still maps back to its site
    text = tps.tooltips.texts(tps.count)[4321]
    assert grid.site_for_tooltip(text) == tps.site_ids[4321]


def test_cell_and_stack_words_are_escaped_catalog_text(large) -> None:
    parts = map_parts(large, lang="id")
    tps = next(o for o in parts.overlays if isinstance(o, GridSiteLayer) and o.count == 8000)
    config = json.loads(tps.config_js)
    assert config["text"]["stack"].startswith("{n} TPS di titik yang sama")
    assert config["text"]["sep"] == "."
    assert "<" not in tps.payload_js and "<" not in tps.config_js


def test_a_hostile_id_stays_text_in_the_payload() -> None:
    layer = GridSiteLayer(
        "TPS",
        kind="polling_station",
        styles=[],
        lat=[-2.1],
        lon=[106.1],
        style=[0],
        site_ids=["</script><b>x</b>"],
    )
    data = _payload(layer)
    assert data["tips"]["columns"]["id"]["v"] == ["&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"]
    assert re.fullmatch(r'"[A-Za-z0-9+/=]+"', layer.payload_js)


def test_the_packed_payload_round_trips_as_the_browser_reads_it() -> None:
    lat = np.array([-2.1234567, 0.0, 89.999999, -11.5])
    payload = {
        "lat": lat,
        "code": np.array([0, 300, 70000, 5]),
        "small": np.array([1, 2, 255]),
        "flag": np.array([True, False]),
        "nested": [{"u": ["a", "b"], "i": np.array([1, 0, 1])}],
        "text": "</script> ü",
        "names": [f"TPS {i} · ü" for i in range(1000)],  # a block of its own, read lazily
    }
    out = unpack(pack(payload))
    assert out["lat"].tolist() == (np.rint(lat * 1e6) / 1e6).tolist()  # 6 decimals
    assert out["code"].dtype == np.uint32 and out["code"].tolist() == [0, 300, 70000, 5]
    assert out["small"].dtype == np.uint8 and out["flag"].tolist() == [1, 0]
    assert out["nested"][0]["i"].tolist() == [1, 0, 1] and out["text"] == "</script> ü"
    assert out["names"] == payload["names"]
    with pytest.raises(ValueError, match="not a Posko map payload"):
        unpack(gzip.compress(b"JSON{}"))


_PROVINCE: dict[int, tuple[str, int]] = {}


def province_map_html(sample_operation) -> tuple[str, int]:
    """The self-contained map of 120,000 stacked TPS (as the briefing inlines it), and the
    size of its TPS layer drawn the old way (every site a marker); built once per run."""
    if id(sample_operation) not in _PROVINCE:
        _PROVINCE[id(sample_operation)] = _province_map_html(sample_operation)
    return _PROVINCE[id(sample_operation)]


def _province_map_html(sample_operation) -> tuple[str, int]:
    analysis = analyse(stacked_operation(sample_operation, 120_000, spread=0.03))
    m = build_map(analysis, basemap="none")
    inline_assets(m)
    old_tps = kind_layer(analysis, Kind.POLLING_STATION, "id", aggregate=False)
    assert type(old_tps) is SiteLayer and old_tps.count == 120_000
    return m.get_root().render(), len(old_tps.data_js) + len(old_tps.tips_js)


def test_a_province_map_is_far_smaller_than_every_site_a_marker(sample_operation) -> None:
    """The whole map by zoom is a fraction of the old way's TPS layer alone, and within the
    issue's 8 MB for the briefing."""
    html, old_tps = province_map_html(sample_operation)
    assert len(html.encode()) < 6_000_000
    assert len(html.encode()) < old_tps / 3


def test_a_large_maps_layers_are_built_once_per_analysis_and_copied(
    large, sample_operation, monkeypatch
) -> None:
    """A second map of the same analysis and language reuses the built site layers (a
    national list's payload takes seconds), each map with elements of its own; the kept
    layers go with their analysis."""
    import gc

    from layers import mapview

    first = map_parts(large, lang="id")
    built = []
    real = mapview._overlay
    monkeypatch.setattr(mapview, "_overlay", lambda *a, **k: built.append(a[1]) or real(*a, **k))
    second = map_parts(large, lang="id")
    assert not set(built) & mapview._KEPT_KEYS  # only the shape layers were built again
    grids = [
        (a, b)
        for a, b in zip(first.overlays, second.overlays, strict=True)
        if isinstance(a, GridSiteLayer)
    ]
    assert grids
    for a, b in grids:
        assert a is not b and a.get_name() != b.get_name() and a.packed is b.packed
    english = map_parts(large, lang="en")  # another language: layers of its own
    english_grids = [o for o in english.overlays if isinstance(o, GridSiteLayer)]
    assert len(english_grids) == len(grids)
    assert not {id(o.packed) for o in english_grids} & {id(a.packed) for a, _ in grids}
    other = analyse(stacked_operation(sample_operation, 6000))
    map_parts(other, lang="id")
    kept = {slot for slot in mapview._KEPT if slot[0] == id(other)}
    assert kept
    del other
    gc.collect()
    assert not kept & set(mapview._KEPT)
