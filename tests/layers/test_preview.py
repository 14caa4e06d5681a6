"""The import preview over the operation, and the TPS tooltip's fired indicators."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from geo.analysis import analyse
from geo.model import Col, Kind
from geo.schema import canonical_sites
from layers.preview import preview_map
from layers.sites import tps_tooltips
from layers.styles import AREA_COLOR, EXISTING_COLOR, KIND_STYLES, REJECTED_COLOR


def _fit(html: str) -> list[float]:
    """The bounds the map is fitted to: south, west, north, east."""
    number = r"(-?[\d.]+)"
    pattern = rf"\}}\)\(map_\w+, \[\[{number},{number}\],\[{number},{number}\]\]\)"
    match = re.search(pattern, html)
    assert match, "the map is fitted to bounds"
    return [float(v) for v in match.groups()]


def test_rows_over_the_operations_areas_and_muted_sites(sample_operation) -> None:
    sites = sample_operation.sites
    rows = sites[sites[Col.KIND] == Kind.POLLING_STATION].head(3)
    html = (
        preview_map(
            rows,
            lang="en",
            areas=sample_operation.areas,
            existing=sites,
            rejected=((7, 106.1, -2.1),),
        )
        .get_root()
        .render()
    )
    assert f'"color": "{AREA_COLOR}"' in html or f'"color":"{AREA_COLOR}"' in html
    assert html.count(f'"fillColor":"{EXISTING_COLOR}"') == len(set(sites[Col.KIND]))
    assert f'"fillColor":"{KIND_STYLES[Kind.POLLING_STATION].color}"' in html
    assert REJECTED_COLOR in html and "Row 7 rejected" in html
    west, south, east, north = sample_operation.areas.total_bounds
    s, w, n, e = _fit(html)
    assert s < south and w < west and n > north and e > east  # fitted to the areas
    assert n - s < 1 and e - w < 1


def test_far_rows_are_drawn_but_never_zoomed_to(sample_operation) -> None:
    sites = sample_operation.sites
    near = sites[sites[Col.KIND] == Kind.POLLING_STATION].head(2)
    far = near.head(1).assign(site_id="FAR", source="us.csv:9")
    far = far.set_geometry(far.geometry.translate(xoff=-177.2, yoff=44.5))  # Boston
    rows = canonical_sites(pd.concat([near.assign(source=["f.csv:1", "f.csv:2"]), far]))
    html = preview_map(rows, far_sources=["us.csv:9"]).get_root().render()
    s, w, n, e = _fit(html)
    assert e - w < 0.1 and n - s < 0.1  # the two near rows only
    assert "FAR" in html  # still drawn


def test_the_tps_tooltip_lists_fired_indicators_escaped(sample_operation) -> None:
    sites = sample_operation.sites.copy()
    first = sites.index[sites[Col.KIND] == Kind.POLLING_STATION][0]
    sites.loc[first, Col.INDICATORS] = "kekerasan;politik_uang;<b>x</b>"
    analysis = analyse(replace(sample_operation, sites=sites))
    tips = tps_tooltips(analysis, "en")
    i = list(analysis.polling_stations[Col.SITE_ID]).index(sites.loc[first, Col.SITE_ID])
    line = "Risk indicators: History of violence, History of money politics, <b>x</b>"
    assert line in tips.lines_of(i)
    encoded = str(tips.encoded())
    assert "<b>x</b>" not in encoded and "&lt;b&gt;x&lt;/b&gt;" in encoded
    assert not any(line.startswith("Risk indicators") for line in tips.lines_of(i + 1))
