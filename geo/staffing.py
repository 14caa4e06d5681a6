"""Personnel the plan needs, by doctrine preset ("pola pengamanan TPS")."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from geo.csvsafe import to_csv_safe
from geo.errors import SettingsError
from geo.model import Col, Kind, Risk, Settings, StaffingGroup, StaffingPreset
from geo.text import DEFAULT_LANGUAGE, catalog, t

__all__ = [
    "LEG_ESCORT_MIN_POLRI",
    "PRESETS",
    "WAREHOUSE_POLRI",
    "WAREHOUSE_TNI",
    "AreaCounts",
    "AreaStaffing",
    "ClassNeed",
    "StaffingNeed",
    "StaffingPlan",
    "area_counts",
    "available_presets",
    "class_need",
    "leg_escort_polri",
    "personnel",
    "plan_from_counts",
    "preset_from_table",
    "preset_label",
    "resolve_preset",
    "staffing_for_sites",
    "staffing_need",
    "staffing_plan",
]

# Guard of a PPK recap warehouse: 5 Polri and 5 TNI (doctrine, DESIGN.md). The KPU's own
# warehouse is not a PPK site: it is guarded by a post of its own, counted with the posts.
WAREHOUSE_POLRI = 5
WAREHOUSE_TNI = 5
WAREHOUSE_ROLES = frozenset({"ppk"})
# Escort of a leg of the ballot logistics chain (geo.logistics), by where the leg ends: the
# leg to a TPS takes the preset's ballot escort of that TPS's class (2 / 4 / 6); a leg above
# carries several TPS' ballots together and takes the largest escort among them, at least
# this many officers (no doctrine figure found; editable defaults).
LEG_ESCORT_MIN_POLRI: Mapping[str, int] = {"ppk": 4, "pps": 2, "tps": 0}

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
        expected = ", ".join(presets)
        raise SettingsError.from_text("settings.unknown_preset", name=key, expected=expected)
    return presets[key]


def class_need(tps: int, *, group: StaffingGroup, min_polri: int, risk: Risk) -> ClassNeed:
    """Need of one risk class: ceil(TPS / TPS per group) groups of at least `min_polri`
    officers; Linmas per TPS (the group's Linmas / TPS, 2 per TPS by the KPU rule), rounded
    up once for the class.

    Linmas are posted at each TPS, not formed into groups: 311 TPS need 622 Linmas at 2 per
    TPS, not 39 whole groups of 16 (624) or more.
    """
    groups = math.ceil(tps / group.tps) if tps else 0
    polri_per_group = max(group.polri, min_polri)
    return ClassNeed(
        risk=risk,
        tps=tps,
        groups=groups,
        polri=groups * polri_per_group,
        linmas=-(-tps * group.linmas // group.tps),
    )


def leg_escort_polri(preset: StaffingPreset, risks: Iterable[Risk], *, level: str) -> int:
    """Escort officers of one logistics leg ending at `level` ("ppk", "pps" or "tps") that
    carries the ballots of TPS of the classes `risks`: the largest ballot escort of those
    classes under `preset`, at least :data:`LEG_ESCORT_MIN_POLRI` for the level."""
    largest = max((preset.escort_polri.get(Risk(r), 0) for r in risks), default=0)
    return max(largest, LEG_ESCORT_MIN_POLRI[level])


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


@dataclass(frozen=True)
class AreaStaffing:
    """Need and availability of one area (or of the sites outside every area).

    Attributes
    ----------
    code, name
        The area ("outside" for sites in no area).
    need
        Guard groups, officers and Linmas for the area's polling stations.
    escort_polri
        Officers escorting ballot boxes after closing (by class: 2 / 4 / 6 per TPS); usually
        the same officers as the guards, so not added to the need.
    warehouses
        PPK recap warehouses in the area, each guarded by 5 Polri and 5 TNI.
    available
        Officers at the area's police posts (their `personnel`).
    """

    code: str
    name: str
    need: StaffingNeed
    escort_polri: int
    warehouses: int
    available: int

    @property
    def polri(self) -> int:
        """Officers needed: TPS guards plus warehouse guards."""
        return self.need.polri + self.warehouses * WAREHOUSE_POLRI

    @property
    def shortfall(self) -> int:
        """Officers missing against those available at the area's posts (0 when enough)."""
        return max(0, self.polri - self.available)


@dataclass(frozen=True)
class StaffingPlan:
    """Staffing per area under one preset, and the totals."""

    preset: StaffingPreset
    areas: tuple[AreaStaffing, ...]

    def total(self, field: str) -> int:
        """Sum of an AreaStaffing attribute over the areas."""
        return sum(getattr(a, field) for a in self.areas)

    @property
    def polri(self) -> int:
        """Officers needed in all (guards formed within each area, plus warehouses)."""
        return self.total("polri")

    @property
    def linmas(self) -> int:
        """Linmas guards needed in all."""
        return sum(a.need.linmas for a in self.areas)

    @property
    def tps_polri(self) -> int:
        """Officers needed at the polling stations only."""
        return sum(a.need.polri for a in self.areas)

    @property
    def tni(self) -> int:
        """TNI soldiers needed at the warehouses."""
        return self.total("warehouses") * WAREHOUSE_TNI

    def by_class(self) -> dict[Risk, ClassNeed]:
        """Need per risk class, summed over the areas."""
        out: dict[Risk, ClassNeed] = {}
        for risk in Risk:
            parts = [c for a in self.areas for c in a.need.by_class if c.risk == risk]
            out[risk] = ClassNeed(
                risk=risk,
                tps=sum(c.tps for c in parts),
                groups=sum(c.groups for c in parts),
                polri=sum(c.polri for c in parts),
                linmas=sum(c.linmas for c in parts),
            )
        return out

    def table(self) -> pd.DataFrame:
        """One row per area: TPS, groups, officers, Linmas, warehouses, available, shortfall."""
        return pd.DataFrame(
            [
                {
                    "area_code": a.code,
                    "area": a.name,
                    "tps": a.need.tps,
                    "groups": sum(c.groups for c in a.need.by_class),
                    "polri_tps": a.need.polri,
                    "warehouses": a.warehouses,
                    "polri": a.polri,
                    "linmas": a.need.linmas,
                    "escort_polri": a.escort_polri,
                    "available": a.available,
                    "shortfall": a.shortfall,
                }
                for a in self.areas
            ]
        )

    def csv(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The table per area as CSV, headed in `lang` (the area code keeps its name)."""
        table = self.table()
        headers = {c: t(f"staff.col.{c}", lang) for c in table.columns if c != "area_code"}
        return to_csv_safe(table.rename(columns=headers))


@dataclass(frozen=True)
class AreaCounts:
    """What the staffing of one area is worked out from.

    Attributes
    ----------
    tps
        Polling stations per risk class.
    warehouses
        PPK recap warehouses.
    available
        Officers at the area's police posts.
    """

    tps: Mapping[Risk, int]
    warehouses: int
    available: int


def area_counts(sites: pd.DataFrame, area: pd.Series) -> dict[str, AreaCounts]:
    """Counts per area code ("outside" for NA), in order of each code's first site.

    Parameters
    ----------
    sites
        Canonical sites (kind, risk, personnel, role).
    area
        Area code of each site (aligned with `sites`; NA for sites outside every area).
    """
    codes = pd.Series(area.fillna("outside").astype(str).to_numpy(), index=sites.index)
    kind = sites[Col.KIND]
    # one grouping per figure, not one mask per area: a province has thousands of kelurahan
    tps = sites[kind == Kind.POLLING_STATION]
    by_risk = tps.groupby([codes[tps.index], tps[Col.RISK]], sort=False).size()
    logistics = sites[(kind == Kind.LOGISTICS) & sites[Col.ROLE].isin(WAREHOUSE_ROLES)]
    warehouses = codes[logistics.index].value_counts()
    posts = sites[kind == Kind.POLICE_POST]
    officers = pd.to_numeric(posts[Col.PERSONNEL], errors="coerce").fillna(0)
    available = officers.groupby(codes[posts.index]).sum()
    risks: dict[str, dict[Risk, int]] = {}
    for (code, risk), n in by_risk.items():
        risks.setdefault(str(code), {})[Risk(risk)] = int(n)
    return {
        code: AreaCounts(
            tps=risks.get(code, {}),
            warehouses=int(warehouses.get(code, 0)),
            available=int(available.get(code, 0)),
        )
        for code in dict.fromkeys(codes)
    }


def personnel(posts: pd.DataFrame) -> int:
    """Officers at `posts` (their `personnel`; a missing number counts as none)."""
    return int(pd.to_numeric(posts[Col.PERSONNEL], errors="coerce").fillna(0).sum())


def plan_from_counts(
    counts: Mapping[str, AreaCounts],
    *,
    preset: StaffingPreset,
    area_names: Mapping[str, str] | None = None,
) -> StaffingPlan:
    """Staffing per area from the counts of each area: named areas first, in the order of
    `area_names`, then the others (e.g. "outside") in the order of `counts`."""
    names = dict(area_names or {})
    order = [c for c in dict.fromkeys([*names, *counts]) if c in counts]
    areas = []
    for code in order:
        c = counts[code]
        areas.append(
            AreaStaffing(
                code=code,
                name=names.get(code, code),
                need=staffing_need(c.tps, preset=preset),
                escort_polri=sum(preset.escort_polri.get(r, 0) * n for r, n in c.tps.items()),
                warehouses=c.warehouses,
                available=c.available,
            )
        )
    return StaffingPlan(preset=preset, areas=tuple(areas))


def staffing_plan(
    sites: pd.DataFrame,
    *,
    preset: StaffingPreset,
    area: pd.Series,
    area_names: Mapping[str, str] | None = None,
) -> StaffingPlan:
    """Staffing per area: TPS guards (groups formed within each area), warehouse guards,
    escorts, and the officers available at the area's posts.

    Parameters
    ----------
    sites
        Canonical sites (kind, risk, personnel, role).
    preset
        The doctrine preset.
    area
        Area code of each site (aligned with `sites`; NA for sites outside every area).
    area_names
        Display name per area code.
    """
    return plan_from_counts(area_counts(sites, area), preset=preset, area_names=area_names)


def preset_from_table(
    base: StaffingPreset, rows: Mapping[Risk, tuple[int, int, int]], *, min_polri: int
) -> StaffingPreset:
    """A preset edited in a table: (polri, tps, linmas) per risk class.

    Raises
    ------
    SettingsError
        When a number is negative or a group covers no TPS.
    """
    groups = {}
    for risk, (polri, tps, linmas) in rows.items():
        if min(polri, linmas) < 0 or tps < 1 or min_polri < 1:
            raise SettingsError.from_text("staffing.bad_row", risk=risk.value)
        groups[Risk(risk)] = StaffingGroup(polri=int(polri), tps=int(tps), linmas=int(linmas))
    return StaffingPreset(
        name=f"{base.name}+edited",
        label=base.label,
        groups=groups,
        min_polri=min_polri,
        escort_polri=base.escort_polri,
        fallback=base.fallback,
    )


def preset_label(preset: StaffingPreset, lang: str = DEFAULT_LANGUAGE) -> str:
    """A preset's name in `lang`: the catalog's for a built-in preset, else its own label
    (a preset defined in an operation's settings is named by whoever wrote it)."""
    key = f"preset.{preset.name}"
    return t(key, lang) if key in catalog() else preset.label
