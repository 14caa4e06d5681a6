"""The comparison briefing and the compared maps: self-contained, synchronised, escaped."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

import pytest

from geo.analysis import Analysis, analyse
from geo.compare import PlanComparison, compare_plans
from geo.model import Col
from geo.operation import Operation
from layers.compare import SYNC_JS, change_layer, compare_maps_html
from layers.export import briefing_html, comparison_briefing_html
from tests.geo.test_compare import edited_plan

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def comparison(sample_operation: Operation) -> PlanComparison:
    return compare_plans(analyse(sample_operation), analyse(edited_plan(sample_operation)))


def _renamed(analysis: Analysis, site_id: str, name: str, title: str) -> Analysis:
    """The analysis with one site renamed and the operation retitled."""

    def rename(frame):
        frame = frame.copy()
        frame.loc[frame[Col.SITE_ID] == site_id, Col.NAME] = name
        return frame

    operation = analysis.operation
    settings = dataclasses.replace(operation.settings, title=title)
    operation = dataclasses.replace(operation, sites=rename(operation.sites), settings=settings)
    coverage = dataclasses.replace(analysis.coverage, targets=rename(analysis.coverage.targets))
    return dataclasses.replace(analysis, operation=operation, settings=settings, coverage=coverage)


def test_the_briefing_holds_both_maps_synchronised_and_every_script(comparison) -> None:
    html = comparison_briefing_html(
        comparison, basemap="none", exported_at=WHEN, exported_by="Kabag Ops"
    )
    maps = re.findall(r'<div class="folium-map" id="(map_\d+)"', html)
    assert len(maps) == 2
    assert f"{maps[0]}.sync({maps[1]});" in html and f"{maps[1]}.sync({maps[0]});" in html
    assert "sync:function" in html  # the plugin, inlined
    assert SYNC_JS not in html
    assert re.search(r'<(script|link)[^>]+(src|href)="https?:', html) is None
    # the changed TPS are ringed on both maps, each layer once per map
    assert html.count('"gained", renderer)') == html.count('"lost", renderer)') == 2
    for name in comparison.lost[Col.NAME].head(3):
        assert name in html


def test_the_briefing_lists_the_changes_and_the_difference_table(comparison) -> None:
    html = comparison_briefing_html(
        comparison, basemap="none", exported_at=WHEN, exported_by="Kabag Ops", lang="en"
    )
    assert "Difference table" in html
    assert f"TPS covered in A, not in B ({len(comparison.lost)})" in html
    assert f"TPS covered in B, not in A ({len(comparison.gained)})" in html
    assert "Plans compared: Initial plan" in html
    assert "Assumptions (the same for A and B)" in html
    lost_names = comparison.lost[Col.NAME].tolist()
    positions = [html.index(f"<td>{n}</td>") for n in lost_names[:5]]
    assert positions == sorted(positions)  # gravest first, as listed


def test_the_briefing_is_the_same_text_every_time(comparison) -> None:
    first = comparison_briefing_html(
        comparison, basemap="none", exported_at=WHEN, exported_by="Kabag Ops"
    )
    assert (
        comparison_briefing_html(
            comparison, basemap="none", exported_at=WHEN, exported_by="Kabag Ops"
        )
        == first
    )


def test_user_text_is_escaped_everywhere(comparison) -> None:
    site_id = comparison.lost[Col.SITE_ID].iloc[0]
    a = _renamed(comparison.a, site_id, HOSTILE, f"Ops {HOSTILE}")
    b = _renamed(comparison.b, site_id, HOSTILE, f"Ops {HOSTILE}")
    hostile = compare_plans(a, b)
    for html in (
        comparison_briefing_html(
            hostile, basemap="none", exported_at=WHEN, exported_by="Kabag Ops"
        ),
        compare_maps_html(hostile),
    ):
        assert HOSTILE not in html
        assert 'onerror="alert(1)"' not in html
    html = comparison_briefing_html(
        hostile, basemap="none", exported_at=WHEN, exported_by="Kabag Ops"
    )
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_change_layers_ring_exactly_the_changed_tps(comparison) -> None:
    for which in ("gained", "lost"):
        layer = change_layer(comparison, which, "id")
        assert layer.site_ids == getattr(comparison, which)[Col.SITE_ID].tolist()
        assert layer.count == len(getattr(comparison, which))


def test_the_maps_frame_shows_both_plans_offline(comparison) -> None:
    html = compare_maps_html(comparison, lang="en")
    assert len(re.findall(r'<div class="folium-map"', html)) == 2
    assert re.search(r'<(script|link)[^>]+(src|href)="https?:', html) is None
    assert "Plan A: Initial plan" in html and "Plan B: Initial plan" in html


def test_the_normal_briefing_says_no_plan_for_the_imported_posts(sample_analysis) -> None:
    html = briefing_html(sample_analysis, basemap="none", exported_at=WHEN, exported_by="Kabag Ops")
    assert 'class="brief-plan"' not in html
