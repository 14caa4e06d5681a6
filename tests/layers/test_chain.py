"""The chain drawn (layer, legend, map) and its briefing section."""

from __future__ import annotations

import doctest
import json
import re

import geo.logistics
from geo.analysis import analyse, analyse_phase
from geo.logistics import chain_for, logistics_chain
from geo.model import Derived
from geo.staffing import PRESETS
from layers.brief_chain import CHAIN_ROWS, analysis_chain_section, chain_section
from layers.chain import CHAIN_STYLES, UNREACHED_CASING, chain_layer, chain_legend_rows
from layers.export import FiguresTable, figures_html
from layers.mapview import build_map, map_parts
from tests.conftest import make_operation, offset, site
from tests.geo.test_logistics import LAT, LON, _chain_list

PRESET = PRESETS["typical_2024"]


def _data(layer) -> dict:
    return json.loads(layer.data_js)


def test_the_layer_carries_every_leg_with_its_level_and_flag(sample_analysis) -> None:
    chain = chain_for(sample_analysis)
    layer = chain_layer(chain, "en")
    data = _data(layer)
    assert layer.layer_name == "Logistics chain"
    assert layer.count == len(data["paths"]) == 7 + 42 + 311
    assert [data["levels"][i] for i in data["level"]] == list(chain.legs["level"])
    assert data["reached"].count(False) == chain.figures().unreached
    first = chain.legs.geometry.iloc[0].coords[0]
    assert data["paths"][0][0] == [round(first[1], 6), round(first[0], 6)]  # lat, lon


def test_the_partner_view_flags_nothing(sample_analysis) -> None:
    data = _data(chain_layer(chain_for(sample_analysis), "id", reach=False))
    assert set(data["reached"]) == {None}
    assert chain_legend_rows("id", reach=False)[-1][1] == "PPS → TPS"


def test_the_map_draws_the_chain_with_its_legend(sample_analysis) -> None:
    html = build_map(sample_analysis, lang="id").get_root().render()
    assert "chain-leg" in html
    assert "Rantai logistik" in html
    for level in CHAIN_STYLES:
        assert CHAIN_STYLES[level][0] in html
    assert "Jalur logistik di luar jangkauan pos" in html  # legend row of the flag
    assert UNREACHED_CASING in html


def test_a_map_drawn_by_zoom_leaves_out_the_tps_legs(sample_analysis) -> None:
    parts = map_parts(sample_analysis, aggregate=True)
    layer = next(o for o in parts.overlays if o.layer_name == "Rantai logistik")
    assert layer.count == 7 + 42


def test_no_chain_no_legend_row(operation_factory) -> None:
    op = operation_factory(
        [site("T", "polling_station", LON, LAT, risk="rawan", area_code="19.71.01.1001")]
    )
    html = build_map(analyse(op), lang="id").get_root().render()
    assert "Jalur logistik di luar jangkauan pos" not in html
    assert "Gudang KPU → PPK" not in html


def test_ids_are_written_safely() -> None:
    hostile = "</script><img src=x onerror=alert(1)>"
    op = make_operation(
        [
            site(hostile, "logistics", LON, LAT, role="warehouse", area_code="19.71"),
            site("P", "logistics", *offset(LON, LAT, 90, 500), role="ppk", area_code="19.71.01"),
        ]
    )
    layer = chain_layer(logistics_chain(op.sites), "id")
    assert "</script>" not in layer.data_js
    assert _data(layer)["from"] == [hostile]


def _section(police: bool = True, posts_radius: float | None = 2100.0):
    op = make_operation(_chain_list())
    posts = op.sites[op.sites["kind"] == "police_post"].assign(
        **{Derived.RADIUS_USED_M: posts_radius}
    )
    chain = logistics_chain(op.sites, posts=posts, preset=PRESET)
    return chain, chain_section(chain, "en", preset_name="Typical 2024", police=police)


def test_the_section_counts_legs_escorts_and_gaps_by_hand() -> None:
    chain, section = _section()
    assert section is not None
    assert section.title == "Ballot logistics chain and its escorts"
    table = section.parts[0]
    assert isinstance(table, FiguresTable)
    assert table.headers == ["Leg", "Legs", "Total length", "Police escort", "Beyond reach"]
    rows = {r[0]: r for r in table.rows}
    assert rows["KPU warehouse → PPK"][1] == "1" and rows["KPU warehouse → PPK"][3] == "6"
    assert rows["PPK → PPS/kelurahan"][3] == "12"
    assert rows["PPS → polling station"][3] == "14"
    assert rows["Σ"][1] == "8" and rows["Σ"][3] == "32"
    assert rows["Σ"][4] == str(chain.figures().unreached)
    texts = [p for p in section.parts if isinstance(p, str)]
    assert "PPK warehouse guards: 2 warehouses, 10 police + 10 TNI" in texts
    assert any("Typical 2024" in p for p in texts)
    assert "Logistics legs beyond the posts' reach" in texts
    assert "Broken chain links" in texts
    broken = section.parts[-1]
    assert isinstance(broken, FiguresTable)
    assert len(broken.rows) == 6
    assert ["PPK P2 (19.72.01): no KPU warehouse with code 19.72."] in broken.rows


def test_the_partner_section_has_no_police_figure() -> None:
    _, section = _section(police=False)
    assert section is not None
    table = section.parts[0]
    assert isinstance(table, FiguresTable)
    assert table.headers == ["Leg", "Legs", "Total length"]
    texts = " ".join(p for p in section.parts if isinstance(p, str))
    assert "police" not in texts.lower() and "reach" not in texts.lower()


def test_the_unreached_list_is_shortened_and_counted(sample_analysis) -> None:
    chain = chain_for(sample_analysis)
    section = chain_section(chain, "en")
    assert section is not None
    at = section.parts.index("Logistics legs beyond the posts' reach")
    listed = section.parts[at + 1]
    assert isinstance(listed, FiguresTable)
    assert len(listed.rows) == min(CHAIN_ROWS, chain.figures().unreached or 0)
    top = chain.unreached().iloc[0]
    assert listed.rows[0][1:3] == [top["from_name"], top["to_name"]]
    more = section.parts[at + 2]
    total = chain.figures().unreached
    assert more == f"{CHAIN_ROWS} of {total} shown; the full list: posko chain OPERATION."


def test_the_briefing_panel_has_the_chain(sample_analysis) -> None:
    html = figures_html(sample_analysis, "id")
    assert "Rantai logistik pemilu dan pengawalannya" in html
    assert re.search(r"Pengamanan gudang PPK: 7 gudang, 35 Polri \+ 35 TNI", html)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(geo.logistics)
    assert result.attempted > 0 and result.failed == 0


def test_every_level_reason_and_role_has_its_style_and_words() -> None:
    from geo.logistics import BrokenReason, ChainRole, LegLevel
    from geo.text import LANGUAGES, catalog

    assert set(CHAIN_STYLES) == set(LegLevel)
    keys = [
        *(f"chain.level.{lv.value}" for lv in LegLevel),
        *(f"chain.broken.{r.value}" for r in BrokenReason),
        *(f"chain.role.{r.value}" for r in ChainRole),
        "chain.role.tps",
    ]
    for key in keys:
        assert all(catalog()[key][lang] for lang in LANGUAGES), key


def test_a_phase_shows_only_its_legs_on_the_map_and_in_the_briefing(sample_analysis) -> None:
    whole = chain_for(sample_analysis)
    assert len(whole.legs) == 360  # 7 PPK + 42 kelurahan + 311 TPS legs
    voting = analyse_phase(sample_analysis, "pungut_hitung")
    assert voting.phase_key == "pungut_hitung"
    assert len(chain_for(voting).legs) == 360  # the escorts run on H-1 and H+1
    drawn = {o.layer_name: o for o in map_parts(voting, lang="en").overlays}
    assert drawn["Logistics chain"].count == 360
    campaign = analyse_phase(sample_analysis, "kampanye")
    assert campaign.phase_key == "kampanye"
    assert chain_for(campaign).legs.empty
    drawn = {o.layer_name: o for o in map_parts(campaign, lang="en").overlays}
    assert drawn["Logistics chain"].count == 0
    # the campaign's briefing says when the chain is escorted, with no leg or escort figure
    section = analysis_chain_section(campaign, "en")
    assert section is not None and len(section.parts) == 1
    assert section.parts[0] == (
        "No logistics escort in the Campaign phase: the chain (KPU warehouse → PPK → PPS → "
        "polling station) is escorted in the Voting and count phase."
    )
    assert "No logistics escort in the Campaign phase" in figures_html(campaign, "en")
    assert "No logistics escort" not in figures_html(voting, "en")
    assert "Ballot logistics chain and its escorts" in figures_html(voting, "en")
