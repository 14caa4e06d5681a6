"""`posko chain`: the chain's figures, legs and broken links, as text or JSON, with roads."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString

from cli import main
from geo.crs import WGS84


def test_chain_json_lists_links_and_figures(capsys, sample_analysis) -> None:
    assert main(["chain", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    figures = report["figures"]
    assert figures["legs"] == {"ppk": 7, "pps": 42, "tps": 311}
    assert figures["escort_total"] == sum(figures["escort_polri"].values())
    assert figures["escort_polri"]["tps"] == sample_analysis.staffing.total("escort_polri")
    assert (figures["guard_polri"], figures["guard_tni"]) == (35, 35)
    assert report["broken"] == []
    assert len(report["legs"]) == 360
    unreached = [leg for leg in report["legs"] if leg["reached"] is False]
    assert len(unreached) == figures["unreached"] > 0
    first = report["legs"][0]
    assert (first["from_id"], first["to_id"], first["level"]) == (
        "LOG-GUDANG-KPU",
        "LOG-PPK-19.71.01",
        "ppk",
    )


def test_chain_text_in_the_chosen_language(capsys) -> None:
    assert main(["chain", "--lang", "id"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Jalur: 7 gudang → PPK, 42 PPK → PPS, 311 PPS → TPS")
    assert any(line.startswith("Pengawalan logistik:") for line in lines)
    assert sum(line.startswith("  PPS → TPS:") for line in lines) == 311


def test_chain_along_a_road_file(capsys, tmp_path: Path, sample_operation) -> None:
    sites = sample_operation.sites.set_index("site_id").geometry
    start, end = sites["LOG-GUDANG-KPU"], sites["LOG-PPK-19.71.01"]
    bend = (start.x, end.y)
    road = tmp_path / "roads.geojson"
    gpd.GeoDataFrame(
        geometry=[LineString([(start.x, start.y), bend, (end.x, end.y)])], crs=WGS84
    ).to_file(road)
    assert main(["chain", "--json", "--roads", str(road)]) == 0
    legs = {leg["to_id"]: leg for leg in json.loads(capsys.readouterr().out)["legs"]}
    assert legs["LOG-PPK-19.71.01"]["routed"] is True
    assert legs["LOG-PPK-19.71.02"]["routed"] is False  # its ends are far from the road


def test_a_road_file_without_lines_is_refused(capsys, tmp_path: Path) -> None:
    road = tmp_path / "points.geojson"
    gpd.GeoDataFrame(geometry=gpd.points_from_xy([106.1], [-2.1]), crs=WGS84).to_file(road)
    assert main(["chain", "--lang", "en", "--roads", str(road)]) != 0
    assert "Road file points.geojson holds no road lines." in capsys.readouterr().err
