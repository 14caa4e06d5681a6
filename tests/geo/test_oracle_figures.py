"""The commander's figures against brute-force oracles (tests/oracle.py), never against
themselves: coverage per risk class and per area by geodesics from every TPS to every post,
staffing per class and per area by the doctrine formulas, through `analyse` and the CLI.

Two operations are checked: the sample as shipped, and a variant with some TPS moved to the
classes the sample lacks (sangat rawan, more rawan) and three posts with their own radius.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cli import main
from geo.analysis import analyse
from geo.model import Risk, StaffingGroup, StaffingPreset
from geo.operation import SAMPLE_OPERATION, Operation, load_operation
from tests.oracle import (
    PRESET_TABLE,
    RISKS,
    WAREHOUSE_POLRI,
    WAREHOUSE_TNI,
    Preset,
    RawOperation,
    coverage_oracle,
    read_raw_operation,
    staffing_oracle,
    tallies,
)

# the sample's own radii, then a wider polsek radius, then every post type tight
RADIUS_CASES: dict[str, dict[str, float]] = {
    "settings": {},
    "polsek_4000": {"polsek": 4000.0},
    "all_600": {t: 600.0 for t in ("mako", "polsek", "pos_pam", "pos_terpadu", "patrol")},
}
_POST_RADII = {"POST-MAKO": 4000.0, "POST-PAM-PASAR": 350.0, "POST-POLSEK-19.71.05": 2200.0}


def _variant_overrides() -> dict[str, dict[str, Any]]:
    features = json.loads((SAMPLE_OPERATION / "sites.geojson").read_text(encoding="utf-8"))
    tps = sorted(
        f["properties"]["site_id"]
        for f in features["features"]
        if f["properties"]["kind"] == "polling_station"
    )
    overrides: dict[str, dict[str, Any]] = {}
    for i, site_id in enumerate(tps):
        if i % 9 == 0:
            overrides[site_id] = {"risk": "sangat_rawan"}
        elif i % 13 == 5:
            overrides[site_id] = {"risk": "rawan"}
    overrides.update({post: {"radius_m": r} for post, r in _POST_RADII.items()})
    return overrides


VARIANTS: dict[str, dict[str, dict[str, Any]]] = {
    "sample": {},
    "variant": _variant_overrides(),
}


def _write_operation(folder: Path, overrides: Mapping[str, Mapping[str, Any]]) -> Path:
    """A copy of the sample folder with `overrides` written into its sites file."""
    shutil.copytree(SAMPLE_OPERATION, folder)
    path = folder / "sites.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    for f in data["features"]:
        f["properties"].update(overrides.get(f["properties"]["site_id"], {}))
    path.write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def operations(tmp_path_factory) -> dict[str, tuple[Path, Operation, RawOperation]]:
    """Per variant: its folder, the operation as Posko loads it, and the raw oracle view."""
    out = {}
    for name, overrides in VARIANTS.items():
        folder = _write_operation(tmp_path_factory.mktemp(name) / name, overrides)
        out[name] = (folder, load_operation(folder), read_raw_operation(folder))
    return out


def _expected_coverage(raw: RawOperation, radius: Mapping[str, float]) -> dict[str, Any]:
    reached = coverage_oracle(raw, radius_m=radius)
    # the oracle must be unambiguous: no target within 1 cm of a post's radius
    assert min(r["margin_m"] for r in reached.values()) > 0.01
    return {"reached": reached, "tallies": tallies(raw, reached)}


def _radius_args(radius: Mapping[str, float]) -> list[str]:
    return [arg for t, r in radius.items() for arg in ("--radius", f"{t}={r:g}")]


def _check_coverage_report(report: dict[str, Any], raw: RawOperation, expected: dict) -> None:
    counts = expected["tallies"]
    for risk in RISKS:
        got = report["risk_classes"][risk]
        assert {k: got[k] for k in ("total", "covered", "uncovered")} == counts["risk"][risk], risk
    tps_total = sum(c["total"] for c in counts["risk"].values())
    tps_covered = sum(c["covered"] for c in counts["risk"].values())
    assert report["kinds"]["polling_station"]["total"] == tps_total
    assert report["kinds"]["polling_station"]["covered"] == tps_covered
    for level in raw.levels():
        got = {
            code: {k: v[k] for k in ("total", "covered", "uncovered")}
            for code, v in report["areas"][level].items()
        }
        assert got == counts[level], level
    reached = expected["reached"]
    demo = {d["site_id"]: d for d in report["demonstration_points"]}
    assert set(demo) == {s.site_id for s in raw.of_kind("demonstration_point")}
    for site_id, d in demo.items():
        assert d["covered"] == reached[site_id]["covered"], site_id
        assert d["nearest_post_id"] == reached[site_id]["nearest_post_id"], site_id
        assert d["nearest_post_m"] == pytest.approx(reached[site_id]["nearest_post_m"], abs=0.06)
    assert report["kinds"]["demonstration_point"]["covered"] == sum(
        reached[site_id]["covered"] for site_id in demo
    )


@pytest.mark.parametrize("radius_case", list(RADIUS_CASES))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_coverage_per_class_and_area_matches_brute_force(operations, variant, radius_case) -> None:
    _, op, raw = operations[variant]
    radius = RADIUS_CASES[radius_case]
    expected = _expected_coverage(raw, radius)
    analysis = analyse(op, radius_m=radius or None)
    _check_coverage_report(analysis.report(), raw, expected)
    # and station by station, not only in totals
    tps = analysis.polling_stations
    got = dict(zip(tps["site_id"], tps["covered"].astype(bool), strict=True))
    want = {
        s.site_id: expected["reached"][s.site_id]["covered"] for s in raw.of_kind("polling_station")
    }
    assert got == want
    counts = dict(zip(tps["site_id"], tps["n_covering"].astype(int), strict=True))
    assert counts == {k: expected["reached"][k]["n_covering"] for k in want}


@pytest.mark.parametrize("radius_case", list(RADIUS_CASES))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_cli_coverage_json_matches_brute_force(operations, capsys, variant, radius_case) -> None:
    folder, _, raw = operations[variant]
    radius = RADIUS_CASES[radius_case]
    expected = _expected_coverage(raw, radius)
    assert main(["coverage", str(folder), "--json", *_radius_args(radius)]) == 0
    _check_coverage_report(json.loads(capsys.readouterr().out), raw, expected)


def test_the_cases_are_not_trivial(operations) -> None:
    """Every case leaves some TPS uncovered and covers others, so a figure stuck at 0 or at
    the total would fail; the variant has every risk class."""
    for variant in VARIANTS:
        raw = operations[variant][2]
        for radius in RADIUS_CASES.values():
            counts = tallies(raw, coverage_oracle(raw, radius_m=radius))["risk"]
            assert (
                0
                < sum(c["uncovered"] for c in counts.values())
                < sum(c["total"] for c in counts.values())
            )
    variant_counts = tallies(operations["variant"][2], coverage_oracle(operations["variant"][2]))
    assert all(variant_counts["risk"][r]["total"] > 0 for r in RISKS)


# --- staffing ------------------------------------------------------------------------------

_AREA_FIELDS = ("tps", "groups", "polri_tps", "linmas", "escort_polri", "available")


def _check_staffing_report(report: dict[str, Any], expected: dict[str, Any]) -> None:
    """TPS-guard figures equal the oracle; warehouse figures follow 5 Polri + 5 TNI each."""
    assert report["by_class"] == expected["by_class"]
    total = expected["total"]
    for key in ("polri_tps", "linmas", "escort_polri", "available"):
        assert report[key] == total[key], key
    rows = {r["area_code"]: r for r in report["areas"]}
    assert set(rows) == set(expected["areas"])
    for code, want in expected["areas"].items():
        assert {k: rows[code][k] for k in _AREA_FIELDS} == {k: want[k] for k in _AREA_FIELDS}
        row = rows[code]
        assert row["polri"] == row["polri_tps"] + WAREHOUSE_POLRI * row["warehouses"]
        assert row["shortfall"] == max(0, row["polri"] - row["available"])
    warehouses = sum(r["warehouses"] for r in rows.values())
    assert report["warehouses"] == warehouses
    assert report["polri"] == total["polri_tps"] + WAREHOUSE_POLRI * warehouses
    assert report["tni"] == WAREHOUSE_TNI * warehouses
    assert report["shortfall"] == sum(r["shortfall"] for r in rows.values())


@pytest.mark.parametrize("level", ["kecamatan", "kelurahan"])
@pytest.mark.parametrize("preset", list(PRESET_TABLE))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_staffing_per_class_and_area_matches_doctrine(operations, variant, preset, level) -> None:
    _, op, raw = operations[variant]
    expected = staffing_oracle(raw, preset=preset, level=level)
    report = analyse(op, preset=preset, area_level=level).staffing_report()
    assert report["preset"] == preset
    _check_staffing_report(report, expected)


@pytest.mark.parametrize("preset", list(PRESET_TABLE))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_cli_staffing_json_matches_doctrine(operations, capsys, variant, preset) -> None:
    folder, _, raw = operations[variant]
    level = raw.levels()[0]
    assert main(["staffing", str(folder), "--json", "--preset", preset]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["area_level"] == level == "kecamatan"
    _check_staffing_report(report, staffing_oracle(raw, preset=preset, level=level))


# An edited preset where the body-system minimum binds (1 officer per group is raised to 2)
# and "khusus" is left out, so it falls back to the highest class defined.
_EDITED = Preset(
    groups={"kurang_rawan": (1, 5, 10), "rawan": (1, 2, 4), "sangat_rawan": (3, 1, 3)},
    min_polri=2,
)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_staffing_of_an_edited_preset_applies_the_body_system(operations, variant) -> None:
    _, op, raw = operations[variant]
    preset = StaffingPreset(
        name="edited",
        label="Edited",
        groups={
            Risk(r): StaffingGroup(polri=g[0], tps=g[1], linmas=g[2])
            for r, g in _EDITED.groups.items()
        },
        min_polri=_EDITED.min_polri,
    )
    expected = staffing_oracle(raw, preset=_EDITED, level="kecamatan")
    report = analyse(op, preset=preset).staffing_report()
    _check_staffing_report(report, expected)
    kurang = expected["by_class"]["kurang_rawan"]
    assert kurang["polri"] == 2 * kurang["groups"] > 0


def test_staffing_groups_are_formed_within_each_area(operations) -> None:
    """Rounding up per area needs more groups than rounding the city total once: the sample's
    per-area sum must exceed ceil(city TPS / TPS-per-group) for kurang rawan."""
    _, op, raw = operations["sample"]
    report = analyse(op, preset="typical_2024").staffing_report()
    kurang = report["by_class"]["kurang_rawan"]
    city_wide = int(np.ceil(kurang["tps"] / PRESET_TABLE["typical_2024"].groups["kurang_rawan"][1]))
    assert kurang["groups"] > city_wide
    per_area = staffing_oracle(raw, preset="typical_2024", level="kecamatan")
    assert kurang["groups"] == per_area["by_class"]["kurang_rawan"]["groups"]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_warehouse_guards_follow_doctrine(operations, variant) -> None:
    _, op, raw = operations[variant]
    expected = staffing_oracle(raw, preset="typical_2024", level="kecamatan")
    report = analyse(op, preset="typical_2024").staffing_report()
    assert report["warehouses"] == expected["total"]["warehouses"]
    assert report["polri"] == expected["total"]["polri"]
    assert report["tni"] == expected["total"]["tni"]


def test_variant_loads_the_overrides(operations) -> None:
    """The variant operation really carries the changed risks and own radii."""
    _, op, _ = operations["variant"]
    sites = op.sites.set_index("site_id")
    for post, radius in _POST_RADII.items():
        assert float(pd.to_numeric(sites.loc[post, "radius_m"])) == radius
    assert (sites["risk"] == "sangat_rawan").sum() > 0
