"""The legend calls area outlines "approximate" only when the drawn areas are flagged so."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.analysis import analyse
from geo.text import t
from layers.legend import area_accuracy, legend_html
from layers.mapview import build_map


def _with_flags(operation, flags: dict[str, bool]):
    areas = operation.areas.copy()
    for level, flag in flags.items():
        areas.loc[areas["level"] == level, "approximate"] = flag
    return replace(operation, areas=areas)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_area_row_follows_the_flag(lang: str) -> None:
    exact, approximate = t("legend.area", lang), t("legend.area_approximate", lang)
    assert exact in legend_html(lang, ring_zones=4, areas="exact")
    assert approximate not in legend_html(lang, ring_zones=4, areas="exact")
    assert approximate in legend_html(lang, ring_zones=4, areas="approximate")
    assert t("legend.area_partly", lang) in legend_html(lang, ring_zones=4, areas="partly")
    assert exact not in legend_html(lang, ring_zones=4, areas=None)


def test_accuracy_of_the_drawn_level(sample_operation) -> None:
    assert area_accuracy(analyse(sample_operation)) == "exact"  # published boundaries
    rough = _with_flags(sample_operation, {"kecamatan": True, "kelurahan": True})
    assert area_accuracy(analyse(rough)) == "approximate"
    # only the drawn level counts: the analysis draws kecamatan (the coarsest level)
    fine_rough = _with_flags(sample_operation, {"kecamatan": False, "kelurahan": True})
    assert analyse(fine_rough).area_level == "kecamatan"
    assert area_accuracy(analyse(fine_rough)) == "exact"
    areas = rough.areas.copy()
    first_kec = areas.index[areas["level"] == "kecamatan"][0]
    areas.loc[first_kec, "approximate"] = False
    assert area_accuracy(analyse(replace(rough, areas=areas))) == "partly"
    assert area_accuracy(analyse(replace(sample_operation, areas=areas.iloc[:0]))) is None


def test_the_sample_map_does_not_call_real_boundaries_approximate(sample_operation) -> None:
    html = build_map(analyse(sample_operation), lang="en", basemap="none").get_root().render()
    assert "Area boundary" in html and "Area boundary (approximate)" not in html
    rough = _with_flags(sample_operation, {"kecamatan": True, "kelurahan": True})
    html = build_map(analyse(rough), lang="en", basemap="none").get_root().render()
    assert "Area boundary (approximate)" in html
