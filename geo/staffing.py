"""Personnel the plan needs, by doctrine preset ("pola pengamanan TPS")."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from geo.errors import SettingsError
from geo.model import Col, Kind, Risk, Settings, StaffingGroup, StaffingPreset

__all__ = [
    "PRESETS",
    "ClassNeed",
    "StaffingNeed",
    "available_presets",
    "class_need",
    "resolve_preset",
    "staffing_for_sites",
    "staffing_need",
]

_G = StaffingGroup

PRESETS: Mapping[str, StaffingPreset] = {
    "typical_2024": StaffingPreset(
        name="typical_2024",
        label="Typical 2024",
        groups={
            Risk.KURANG_RAWAN: _G(polri=2, tps=8, linmas=16),
            Risk.RAWAN: _G(polri=2, tps=2, linmas=4),
            Risk.SANGAT_RAWAN: _G(polri=2, tps=1, linmas=2),
            Risk.KHUSUS: _G(polri=2, tps=1, linmas=2),
        },
    ),
    "mabes_2019": StaffingPreset(
        name="mabes_2019",
        label="Mabes Polri 2019",
        groups={
            Risk.KURANG_RAWAN: _G(polri=2, tps=4, linmas=6),
            Risk.RAWAN: _G(polri=4, tps=2, linmas=8),
            Risk.SANGAT_RAWAN: _G(polri=6, tps=2, linmas=8),
        },
    ),
    "belitung_2024": StaffingPreset(
        name="belitung_2024",
        label="Polres Belitung 2024 (lean)",
        groups={
            Risk.KURANG_RAWAN: _G(polri=1, tps=3, linmas=6),
            Risk.RAWAN: _G(polri=1, tps=2, linmas=4),
            Risk.SANGAT_RAWAN: _G(polri=1, tps=1, linmas=2),
        },
        min_polri=1,
    ),
}


@dataclass(frozen=True)
class ClassNeed:
    """Need of one risk class: guard groups, officers and Linmas guards."""

    risk: Risk
    tps: int
    groups: int
    polri: int
    linmas: int


@dataclass(frozen=True)
class StaffingNeed:
    """Need of a whole operation (or one area) under one preset."""

    preset: StaffingPreset
    by_class: tuple[ClassNeed, ...]

    @property
    def polri(self) -> int:
        """Officers needed at the polling stations."""
        return sum(c.polri for c in self.by_class)

    @property
    def linmas(self) -> int:
        """Linmas guards needed at the polling stations."""
        return sum(c.linmas for c in self.by_class)

    @property
    def tps(self) -> int:
        """Polling stations counted."""
        return sum(c.tps for c in self.by_class)


def available_presets(settings: Settings) -> dict[str, StaffingPreset]:
    """Built-in presets plus the custom ones of the operation's settings, by name."""
    return {**PRESETS, **settings.custom_presets}


def resolve_preset(settings: Settings, name: str | None = None) -> StaffingPreset:
    """The preset called `name` (default: the settings' own), built-in or custom.

    Raises
    ------
    SettingsError
        When no preset has that name.
    """
    presets = available_presets(settings)
    key = name or settings.staffing_preset
    if key not in presets:
        msg = f"Staffing preset {key!r} is unknown; expected one of: {', '.join(presets)}."
        raise SettingsError(msg)
    return presets[key]


def class_need(tps: int, *, group: StaffingGroup, min_polri: int, risk: Risk) -> ClassNeed:
    """Need of one risk class: ceil(TPS / TPS per group) groups of at least `min_polri`."""
    groups = math.ceil(tps / group.tps) if tps else 0
    polri_per_group = max(group.polri, min_polri)
    return ClassNeed(
        risk=risk,
        tps=tps,
        groups=groups,
        polri=groups * polri_per_group,
        linmas=groups * group.linmas,
    )


def staffing_need(tps_by_risk: Mapping[Risk, int], *, preset: StaffingPreset) -> StaffingNeed:
    """Officers and Linmas guards needed for the given polling-station counts."""
    by_class = tuple(
        class_need(
            int(tps_by_risk.get(risk, 0)),
            group=preset.group_for(risk),
            min_polri=preset.min_polri,
            risk=risk,
        )
        for risk in Risk
    )
    return StaffingNeed(preset=preset, by_class=by_class)


def staffing_for_sites(sites: pd.DataFrame, *, preset: StaffingPreset) -> StaffingNeed:
    """Staffing need for the polling stations among `sites` (counted by risk class)."""
    tps = sites[sites[Col.KIND] == Kind.POLLING_STATION]
    counts = tps[Col.RISK].value_counts()
    return staffing_need({Risk(k): int(v) for k, v in counts.items()}, preset=preset)
