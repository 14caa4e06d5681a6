"""The drawing registry: a complete row per kind, risk class and post type, read everywhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from geo.model import Kind, PostType, Risk
from geo.text import label, t
from layers.legend import legend_html
from layers.mapview import LAYER_KEYS, map_parts
from layers.preview import preview_map
from layers.sites import kind_layer
from layers.styles import (
    EXTRA_LAYER_ORDER,
    KIND_STYLES,
    POST_STYLES,
    RISK_STYLES,
    DrawBy,
    icon_kinds,
    layer_keys,
    post_icon,
)

HEX = re.compile(r"#[0-9a-f]{3}(?:[0-9a-f]{3})?")


def _svg_ok(markup: str) -> None:
    root = ET.fromstring(markup)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root) >= 1


def _labelled(prefix: str, value: str) -> None:
    for lang in ("id", "en"):
        text = label(prefix, value, lang)
        assert text and text != value


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_complete_drawing_row(kind: Kind) -> None:
    row = KIND_STYLES[kind]
    assert HEX.fullmatch(row.color) and HEX.fullmatch(row.stroke)
    assert isinstance(row.draw_by, DrawBy)
    if row.draw_by == DrawBy.KIND:
        _svg_ok(row.icon)
        assert row.color in row.icon
    else:
        assert row.icon == ""
    _labelled("kind", kind)


@pytest.mark.parametrize("risk", list(Risk))
def test_every_risk_class_has_a_colour_and_labels(risk: Risk) -> None:
    assert HEX.fullmatch(RISK_STYLES[risk].color)
    _labelled("risk", risk)


@pytest.mark.parametrize("post_type", list(PostType))
def test_every_post_type_has_a_shield_and_labels(post_type: PostType) -> None:
    row = POST_STYLES[post_type]
    assert HEX.fullmatch(row.color) and len(row.letter) == 1
    icon = post_icon(post_type)
    _svg_ok(icon)
    assert row.color in icon and f">{row.letter}</text>" in icon
    _labelled("post_type", post_type)


def test_registry_rows_are_exactly_the_model_values() -> None:
    assert set(KIND_STYLES) == set(Kind)
    assert set(RISK_STYLES) == set(Risk)
    assert set(POST_STYLES) == set(PostType)
    assert len({p.letter for p in POST_STYLES.values()}) == len(PostType)
    assert len({r.color for r in RISK_STYLES.values()}) == len(Risk)


def test_layer_keys_follow_the_registry_order() -> None:
    orders = [*EXTRA_LAYER_ORDER.values(), *(s.order for s in KIND_STYLES.values())]
    assert len(set(orders)) == len(orders)  # no two layers compete for one place
    assert layer_keys() == LAYER_KEYS
    assert set(LAYER_KEYS) == set(EXTRA_LAYER_ORDER) | {k.value for k in Kind}
    # today's layers keep their places whatever kinds are added between them
    today = (
        "areas",
        "ring_zones",
        "rings",
        "logistics",
        "government",
        "police_post",
        "uncovered",
        "polling_station",
        "demonstration_point",
    )
    assert tuple(key for key in LAYER_KEYS if key in today) == today


def test_map_overlays_are_drawn_in_layer_key_order(sample_analysis) -> None:
    parts = map_parts(sample_analysis, lang="en")
    kinds = {k.value for k in Kind}
    expected = [
        label("kind", key, "en") if key in kinds else t(f"layer.{key}", "en")
        for key in LAYER_KEYS
        if key != "areas"  # the area outlines belong to the base map
    ]
    assert [o.layer_name for o in parts.overlays] == expected


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_layer_is_drawn_as_its_row_says(sample_analysis, kind: Kind) -> None:
    layer = kind_layer(sample_analysis, kind, "id")
    row = KIND_STYLES[kind]
    if row.draw_by == DrawBy.KIND:
        assert layer.styles_js.count('"icon"') == 1
        assert row.color in layer.styles_js
    elif row.draw_by == DrawBy.RISK:
        for risk in Risk:
            assert layer.styles_js.count(RISK_STYLES[risk].color) == 2  # covered, uncovered
    else:
        for post_type in PostType:
            assert POST_STYLES[post_type].color in layer.styles_js


def test_legend_has_a_row_per_risk_icon_kind_and_post_type() -> None:
    legend = legend_html("en", ring_zones=3)
    for risk in Risk:
        assert f"TPS · {label('risk', risk, 'en')}" in legend
        assert f'fill="{RISK_STYLES[risk].color}"' in legend
    for kind in icon_kinds():
        assert KIND_STYLES[kind].icon in legend
        assert label("kind", kind, "en") in legend
    for post_type in PostType:
        assert post_icon(post_type) in legend
    today = [Kind.GOVERNMENT, Kind.DEMONSTRATION_POINT, Kind.LOGISTICS]
    assert [kind for kind in icon_kinds() if kind in today] == today


def test_preview_colours_each_kind_from_the_registry(sample_analysis) -> None:
    html = preview_map(sample_analysis.operation.sites, lang="en").get_root().render()
    fills = re.findall(r'"fillColor":"(#[0-9a-f]+)"', html)
    kinds = set(sample_analysis.operation.sites["kind"])
    assert sorted(fills) == sorted(KIND_STYLES[Kind(k)].color for k in kinds)
