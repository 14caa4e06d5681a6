"""Staffing arithmetic against hand-computed tables."""

from __future__ import annotations

import pytest

from geo.errors import SettingsError
from geo.model import Risk, Settings
from geo.staffing import PRESETS, resolve_preset, staffing_for_sites, staffing_need
from geo.text import localized

COUNTS = {Risk.KURANG_RAWAN: 288, Risk.RAWAN: 19, Risk.SANGAT_RAWAN: 3, Risk.KHUSUS: 4}


def test_typical_2024_by_hand() -> None:
    need = staffing_need(COUNTS, preset=PRESETS["typical_2024"])
    rows = {c.risk: (c.groups, c.polri, c.linmas) for c in need.by_class}
    # 288/8 = 36 groups; 19/2 -> 10; 3/1 -> 3; 4/1 -> 4; 2 Polri per group each;
    # Linmas 2 per TPS: 576, 38 (not 10 groups x 4 = 40), 6, 8
    assert rows == {
        Risk.KURANG_RAWAN: (36, 72, 576),
        Risk.RAWAN: (10, 20, 38),
        Risk.SANGAT_RAWAN: (3, 6, 6),
        Risk.KHUSUS: (4, 8, 8),
    }
    assert (need.polri, need.linmas, need.tps) == (106, 628, 314)


def test_linmas_are_counted_per_tps_not_per_group_by_hand() -> None:
    typical = PRESETS["typical_2024"]
    # 311 kurang rawan TPS: 39 groups of 8 (the last one short); 2 Linmas at each TPS = 622,
    # not 39 groups x 16 = 624
    need = staffing_need({Risk.KURANG_RAWAN: 311}, preset=typical)
    assert (need.by_class[0].groups, need.linmas) == (39, 622)
    # 3 rawan TPS: 2 groups of 2 TPS, but 3 x 2 = 6 Linmas (not 2 x 4 = 8)
    assert staffing_need({Risk.RAWAN: 3}, preset=typical).linmas == 6
    # Mabes 2019, kurang rawan: 6 Linmas per 4 TPS = 1.5 per TPS; 7 TPS -> 10.5 -> 11
    # (not 2 groups x 6 = 12)
    assert staffing_need({Risk.KURANG_RAWAN: 7}, preset=PRESETS["mabes_2019"]).linmas == 11
    assert staffing_need({}, preset=typical).linmas == 0


def test_mabes_2019_khusus_falls_back_to_sangat_rawan() -> None:
    need = staffing_need(COUNTS, preset=PRESETS["mabes_2019"])
    rows = {c.risk: (c.groups, c.polri) for c in need.by_class}
    # 288/4 = 72 x2; 19/2 -> 10 x4; 3/2 -> 2 x6; khusus 4/2 -> 2 x6
    assert rows == {
        Risk.KURANG_RAWAN: (72, 144),
        Risk.RAWAN: (10, 40),
        Risk.SANGAT_RAWAN: (2, 12),
        Risk.KHUSUS: (2, 12),
    }


def test_lean_preset_relaxes_the_body_system() -> None:
    need = staffing_need({Risk.KURANG_RAWAN: 7}, preset=PRESETS["belitung_2024"])
    assert need.by_class[0].groups == 3
    assert need.by_class[0].polri == 3  # one officer per group is allowed in this preset


def test_body_system_minimum_raises_small_groups() -> None:
    from dataclasses import replace

    preset = replace(PRESETS["belitung_2024"], min_polri=2)
    need = staffing_need({Risk.KURANG_RAWAN: 7}, preset=preset)
    assert need.by_class[0].polri == 6


def test_sample_need(sample_operation) -> None:
    need = staffing_for_sites(sample_operation.sites, preset=PRESETS["typical_2024"])
    # 311 TPS at 2 Linmas each
    assert (need.polri, need.tps, need.linmas) == (100, 311, 622)


def test_unknown_preset_is_a_clear_error() -> None:
    with pytest.raises(SettingsError, match="Staffing preset 'nope' is unknown"):
        resolve_preset(Settings(title="X"), "nope")


def test_plan_per_area_by_hand() -> None:
    import pandas as pd

    from geo.staffing import preset_from_table, staffing_plan

    sites = pd.DataFrame(
        {
            "kind": ["polling_station"] * 12 + ["police_post", "police_post", "logistics"],
            "risk": ["kurang_rawan"] * 9 + ["rawan"] * 3 + [None, None, None],
            "personnel": [None] * 12 + [10, 4, None],
            "role": [None] * 14 + ["ppk"],
        }
    )
    area = pd.Series(["A"] * 5 + ["B"] * 4 + ["A", "A", "B"] + ["A", "B", "B"])
    plan = staffing_plan(
        sites, preset=PRESETS["typical_2024"], area=area, area_names={"A": "Alpha", "B": "Beta"}
    )
    a, b = plan.areas
    # A: 5 kurang rawan -> 1 group x2; 2 rawan -> 1 group x2 = 4 police; 10 available
    assert (a.name, a.polri, a.available, a.shortfall) == ("Alpha", 4, 10, 0)
    # B: 4 kurang rawan -> 1 group x2; 1 rawan -> 1 group x2; + warehouse 5 = 9; 4 available
    assert (b.polri, b.warehouses, b.available, b.shortfall) == (9, 1, 4, 5)
    assert plan.polri == 13 and plan.tni == 5 and plan.total("shortfall") == 5
    # escorts: 2 per kurang rawan TPS, 4 per rawan TPS
    assert plan.total("escort_polri") == 9 * 2 + 3 * 4
    assert plan.table()["shortfall"].tolist() == [0, 5]
    edited = preset_from_table(
        PRESETS["typical_2024"],
        {
            Risk.KURANG_RAWAN: (3, 2, 4),
            Risk.RAWAN: (2, 1, 2),
            Risk.SANGAT_RAWAN: (2, 1, 2),
            Risk.KHUSUS: (2, 1, 2),
        },
        min_polri=2,
    )
    tighter = staffing_plan(sites, preset=edited, area=area)
    # A: 5 kr -> 3 groups x3 = 9, 2 rawan -> 2 x2 = 4
    assert tighter.areas[0].need.polri == 13
    with pytest.raises(SettingsError):
        preset_from_table(PRESETS["typical_2024"], {Risk.RAWAN: (1, 0, 1)}, min_polri=1)


def test_staffing_json_is_consistent(sample_analysis) -> None:
    report = sample_analysis.staffing_report()
    assert report["polri"] == sum(a["polri"] for a in report["areas"])
    assert report["shortfall"] == sum(a["shortfall"] for a in report["areas"])
    assert report["polri_tps"] == sum(c["polri"] for c in report["by_class"].values())
    assert sum(a["tps"] for a in report["areas"]) == 311


def test_unknown_preset_in_the_chosen_language() -> None:
    with pytest.raises(SettingsError) as info:
        resolve_preset(Settings(title="X"), "nope")
    assert "Pola pengamanan 'nope' tidak dikenal" in localized(info.value, "id")


@pytest.mark.parametrize(
    ("lang", "header"),
    [
        ("id", "area_code,Wilayah,TPS,Kelompok,Polri di TPS,Gudang PPK,Polri dibutuhkan,Linmas,"),
        ("en", "area_code,Area,TPS,Groups,Police at TPS,PPK warehouses,Police needed,Linmas,"),
    ],
)
def test_staffing_csv_is_headed_in_the_language(sample_analysis, lang: str, header: str) -> None:
    text = sample_analysis.staffing.csv(lang)
    lines = text.splitlines()
    assert lines[0].startswith(header)
    assert len(lines) == 1 + len(sample_analysis.staffing.areas)
    assert lines[1].split(",")[2] == str(sample_analysis.staffing.areas[0].need.tps)
