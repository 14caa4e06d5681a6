"""The map component's arguments rendered in parts are what st_folium sends in one call."""

from __future__ import annotations

import re

import pytest
import streamlit_folium as sf
from streamlit_folium import st_folium

from geo.analysis import Analysis
from layers.mapview import map_parts, selection_layer
from layers.plan_edit import ZoneDrawControl
from pages.map_component import render_base, render_overlays, show_map

RETURNED = ["last_object_clicked_tooltip", "last_active_drawing"]
_FOLIUM_ID = re.compile(r"_[0-9a-f]{32}\b")  # folium's random element ids, new each build


def _same_build(value: object) -> object:
    """`value` with folium's random element ids made equal (st_folium's own key does so)."""
    return _FOLIUM_ID.sub("_ID", value) if isinstance(value, str) else value


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """What the streamlit-folium component is called with, call by call."""
    calls: list[dict] = []
    monkeypatch.setattr(sf, "_component_func", lambda **kwargs: calls.append(kwargs))
    return calls


def _overlays(analysis: Analysis, lang: str) -> tuple:
    parts = map_parts(analysis, lang=lang, basemap="osm")
    ZoneDrawControl(lang).add_to(parts.base)
    site = analysis.operation.sites["site_id"].iloc[0]
    return parts.base, [*parts.overlays, selection_layer(analysis, site, lang)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_parts_send_what_st_folium_sends(sample_analysis, sent, lang) -> None:
    base, overlays = _overlays(sample_analysis, lang)
    st_folium(
        base,
        key="map",
        height=520,
        use_container_width=True,
        feature_group_to_add=overlays,
        center=(-2.1, 106.1),
        zoom=17,
        returned_objects=RETURNED,
    )
    base, overlays = _overlays(sample_analysis, lang)
    split = 3  # kept overlays first, then a tab's own, numbered after them
    show_map(
        render_base(base, "map"),
        [render_overlays(overlays[:split]), render_overlays(overlays[split:], start=split)],
        key="map",
        height=520,
        center=(-2.1, 106.1),
        zoom=17,
        returned_objects=RETURNED,
    )
    expected, got = sent
    assert set(got) == set(expected)
    assert len(overlays) > split + 1 and "feature_group_5" in got["feature_group"]
    for name in set(expected) - {"id", "on_change"}:  # the map's id is random each build
        assert _same_build(got[name]) == _same_build(expected[name]), name
    assert got["key"] == expected["key"]  # the same map: the browser keeps its view


def test_a_rendered_map_is_plain_text_that_other_runs_reuse(sample_analysis, sent) -> None:
    base, overlays = _overlays(sample_analysis, "id")
    kept, drawn = render_base(base, "map"), render_overlays(overlays)
    for _ in range(2):
        show_map(kept, [drawn], key="map", height=520, returned_objects=RETURNED)
    first, second = sent
    assert {k: v for k, v in first.items() if k != "on_change"} == {
        k: v for k, v in second.items() if k != "on_change"
    }
    assert first["feature_group"].count("map_div.addLayer(") == len(overlays)
