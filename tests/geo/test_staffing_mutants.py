"""staffing_plan, row by row, against the doctrine oracle (tests/oracle.py) without going
through the coverage engine; the edited-preset table and preset lookup, rule by rule."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.errors import SettingsError
from geo.model import Risk, Settings, StaffingGroup, StaffingPreset
from geo.operation import SAMPLE_OPERATION, load_operation
from geo.staffing import (
    PRESETS,
    available_presets,
    preset_from_table,
    resolve_preset,
    staffing_for_sites,
    staffing_need,
    staffing_plan,
)
from tests.oracle import (
    PRESET_TABLE,
    RISKS,
    WAREHOUSE_POLRI,
    WAREHOUSE_TNI,
    RawOperation,
    area_of,
    read_raw_operation,
    staffing_oracle,
)

# every 23rd site is taken out of every area, so the "outside" row is exercised
_OUTSIDE_EVERY = 23


@pytest.fixture(scope="module")
def sample():
    return load_operation(SAMPLE_OPERATION), read_raw_operation(SAMPLE_OPERATION)


def _areas(raw: RawOperation, level: str) -> dict[str, str | None]:
    """Area of each site by the oracle, with every 23rd site outside every area."""
    return {
        s.site_id: None if i % _OUTSIDE_EVERY == 0 else area_of(s, raw.areas, level)
        for i, s in enumerate(raw.sites)
    }


def _expected(raw: RawOperation, preset: str, where: dict[str, str | None]) -> dict:
    """The oracle's row for each area, each area's sites taken as one operation."""
    rows: dict[str, dict] = {}
    for code in dict.fromkeys(c or "outside" for c in where.values()):
        part = RawOperation(
            sites=tuple(s for s in raw.sites if (where[s.site_id] or "outside") == code),
            areas=(),
            radius_m=raw.radius_m,
            preset=raw.preset,
        )
        rows[code] = staffing_oracle(part, preset=preset, level=None)["areas"]["outside"]
    return rows


@pytest.mark.parametrize("level", ["kecamatan", "kelurahan"])
@pytest.mark.parametrize("preset", list(PRESET_TABLE))
def test_plan_rows_match_the_doctrine_oracle(sample, preset: str, level: str) -> None:
    op, raw = sample
    where = _areas(raw, level)
    area = pd.Series([where[s] for s in op.sites["site_id"]], index=op.sites.index, dtype="str")
    names = {a.code: a.name for a in raw.areas if a.level == level}
    plan = staffing_plan(op.sites, preset=PRESETS[preset], area=area, area_names=names)
    expected = _expected(raw, preset, where)
    table = plan.table()
    present = [c for c in names if c in expected] + ["outside"]
    assert table["area_code"].tolist() == present
    assert table["area"].tolist() == [names.get(c, c) for c in present]
    assert list(table.columns) == [
        "area_code",
        "area",
        "tps",
        "groups",
        "polri_tps",
        "warehouses",
        "polri",
        "linmas",
        "escort_polri",
        "available",
        "shortfall",
    ]
    for row in table.to_dict("records"):
        want = expected[row["area_code"]]
        for key in ("tps", "groups", "polri_tps", "linmas", "escort_polri", "available"):
            assert row[key] == want[key], (row["area_code"], key)
        assert row["polri"] == row["polri_tps"] + WAREHOUSE_POLRI * row["warehouses"]
        assert row["shortfall"] == max(0, row["polri"] - row["available"])
    assert plan.polri == table["polri"].sum()
    assert plan.tps_polri == sum(w["polri_tps"] for w in expected.values())
    assert plan.linmas == sum(w["linmas"] for w in expected.values())
    assert plan.tni == WAREHOUSE_TNI * table["warehouses"].sum()
    assert plan.total("shortfall") == table["shortfall"].sum()
    by_class = plan.by_class()
    assert list(by_class) == [Risk(r) for r in RISKS]
    whole = staffing_oracle(raw, preset=preset, level=None)["by_class"]
    for risk, need in by_class.items():
        assert need.risk is risk
        assert need.tps == whole[risk.value]["tps"]
    assert sum(n.groups for n in by_class.values()) == table["groups"].sum()
    assert sum(n.polri for n in by_class.values()) == plan.tps_polri
    assert sum(n.linmas for n in by_class.values()) == plan.linmas


def test_ppk_warehouses_are_counted_where_they_are(sample) -> None:
    """How many PPK warehouses each area holds (the KPU city warehouse is not one)."""
    op, raw = sample
    where = _areas(raw, "kecamatan")
    area = pd.Series([where[s] for s in op.sites["site_id"]], index=op.sites.index, dtype="str")
    plan = staffing_plan(op.sites, preset=PRESETS["typical_2024"], area=area)
    counted = {a.code: a.warehouses for a in plan.areas}
    expected: dict[str, int] = {}
    for s in raw.of_kind("logistics"):
        if s.props.get("role") == "ppk":
            code = where[s.site_id] or "outside"
            expected[code] = expected.get(code, 0) + 1
    assert {c: n for c, n in counted.items() if n} == expected


def test_need_of_the_whole_sample_without_areas(sample) -> None:
    op, raw = sample
    for name in PRESET_TABLE:
        need = staffing_for_sites(op.sites, preset=PRESETS[name])
        whole = staffing_oracle(raw, preset=name, level=None)
        assert need.tps == whole["total"]["tps"] == 311
        assert need.polri == whole["total"]["polri_tps"]
        assert need.linmas == whole["total"]["linmas"]
        assert [c.groups for c in need.by_class] == [whole["by_class"][r]["groups"] for r in RISKS]


def test_need_counts_only_the_classes_given() -> None:
    need = staffing_need({Risk.RAWAN: 3}, preset=PRESETS["typical_2024"])
    assert [(c.risk, c.tps, c.groups, c.polri, c.linmas) for c in need.by_class] == [
        (Risk.KURANG_RAWAN, 0, 0, 0, 0),
        (Risk.RAWAN, 3, 2, 4, 6),  # Linmas 2 per TPS, not 2 groups x 4
        (Risk.SANGAT_RAWAN, 0, 0, 0, 0),
        (Risk.KHUSUS, 0, 0, 0, 0),
    ]


def test_resolve_preset_by_name_default_and_custom() -> None:
    custom = StaffingPreset(
        name="polres_x", label="Polres X", groups={Risk.RAWAN: StaffingGroup(3, 1, 1)}
    )
    settings = Settings(
        title="X", staffing_preset="mabes_2019", custom_presets={"polres_x": custom}
    )
    assert resolve_preset(settings) is PRESETS["mabes_2019"]
    assert resolve_preset(settings, "belitung_2024") is PRESETS["belitung_2024"]
    assert resolve_preset(settings, "polres_x") is custom
    assert list(available_presets(settings)) == [*PRESETS, "polres_x"]
    with pytest.raises(SettingsError) as info:
        resolve_preset(settings, "nope")
    assert str(info.value) == (
        "Staffing preset 'nope' is unknown; expected one of: typical_2024, mabes_2019, "
        "belitung_2024, polres_x."
    )


_ROWS = {Risk.KURANG_RAWAN: (0, 1, 0), Risk.RAWAN: (4, 2, 8)}


def test_preset_from_table_keeps_the_base_and_takes_the_rows() -> None:
    base = PRESETS["mabes_2019"]
    edited = preset_from_table(base, _ROWS, min_polri=1)
    assert edited.name == "mabes_2019+edited"
    assert edited.label == base.label
    assert edited.min_polri == 1
    assert edited.escort_polri == base.escort_polri
    assert edited.fallback == base.fallback
    assert dict(edited.groups) == {
        Risk.KURANG_RAWAN: StaffingGroup(polri=0, tps=1, linmas=0),
        Risk.RAWAN: StaffingGroup(polri=4, tps=2, linmas=8),
    }
    # a base whose escorts and fallback are not the defaults keeps them too
    own = StaffingPreset(
        name="own",
        label="Own",
        groups={Risk.RAWAN: StaffingGroup(polri=3, tps=1, linmas=1)},
        escort_polri={Risk.KURANG_RAWAN: 1, Risk.RAWAN: 3},
        fallback=Risk.RAWAN,
    )
    kept = preset_from_table(own, _ROWS, min_polri=2)
    assert (kept.escort_polri, kept.fallback) == ({Risk.KURANG_RAWAN: 1, Risk.RAWAN: 3}, Risk.RAWAN)
    floats = preset_from_table(base, {"rawan": (2.0, 3.0, 4.0)}, min_polri=2)
    group = floats.groups[Risk.RAWAN]
    assert (group.polri, group.tps, group.linmas) == (2, 3, 4)
    assert all(type(v) is int for v in (group.polri, group.tps, group.linmas))
    assert list(floats.groups) == [Risk.RAWAN] and type(next(iter(floats.groups))) is Risk


@pytest.mark.parametrize(
    ("row", "min_polri"),
    [((-1, 1, 0), 1), ((0, 1, -1), 1), ((1, 0, 1), 1), ((1, 1, 1), 0)],
)
def test_preset_from_table_refuses_each_bad_number(row, min_polri: int) -> None:
    with pytest.raises(SettingsError) as info:
        preset_from_table(PRESETS["typical_2024"], {Risk.KHUSUS: row}, min_polri=min_polri)
    assert str(info.value) == (
        "Preset row 'khusus': Polri and Linmas must be 0 or more, TPS per group and the "
        "minimum Polri at least 1."
    )
    assert info.value.key == "staffing.bad_row"
    assert info.value.params == {"risk": "khusus"}


def test_need_keeps_its_preset() -> None:
    preset = PRESETS["belitung_2024"]
    assert staffing_need({}, preset=preset).preset is preset
    assert staffing_need({}, preset=preset).tps == 0


def test_escorts_of_a_class_the_preset_leaves_out_and_unreadable_personnel() -> None:
    """A preset without an escort figure for a class escorts none of its TPS; a post whose
    personnel is missing or not a number adds no officers."""
    preset = StaffingPreset(
        name="no_escort",
        label="No escort for rawan",
        groups={Risk.RAWAN: StaffingGroup(polri=2, tps=2, linmas=4)},
        escort_polri={Risk.KURANG_RAWAN: 3},
        fallback=Risk.RAWAN,
    )
    sites = pd.DataFrame(
        {
            "kind": ["polling_station"] * 3 + ["police_post"] * 4,
            "risk": ["kurang_rawan", "rawan", "rawan", None, None, None, None],
            "personnel": [None, None, None, "10", None, "dua belas", 7],
            "role": [None] * 7,
        }
    )
    plan = staffing_plan(sites, preset=preset, area=pd.Series([pd.NA] * 7, dtype="str"))
    (outside,) = plan.areas
    assert (outside.code, outside.name) == ("outside", "outside")
    assert outside.escort_polri == 3
    assert outside.available == 17
