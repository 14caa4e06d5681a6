"""Personnel the plan needs, by doctrine preset ("pola pengamanan TPS")."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from geo.coverage import post_radii_m
from geo.csvsafe import to_csv_safe
from geo.errors import SettingsError
from geo.model import Col, Kind, PostType, Risk, Settings, StaffingGroup, StaffingPreset
from geo.phases import Phase, sites_in_phase
from geo.text import DEFAULT_LANGUAGE, catalog, t

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "LEG_ESCORT_MIN_POLRI",
    "PHASE_FIGURES",
    "PRESETS",
    "TPS_GUARD_PHASES",
    "WAREHOUSE_PHASES",
    "WAREHOUSE_POLRI",
    "WAREHOUSE_TNI",
    "AreaCounts",
    "AreaStaffing",
    "ClassNeed",
    "PhaseStaffing",
    "PhaseTable",
    "ReserveUnit",
    "Reserves",
    "StaffingNeed",
    "StaffingPlan",
    "area_counts",
    "available_presets",
    "class_need",
    "leg_escort_polri",
    "personnel",
    "phase_staffing",
    "plan_from_counts",
    "preset_from_table",
    "preset_label",
    "reserves_of",
    "resolve_preset",
    "staffed_in_phase",
    "staffing_by_phase",
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

# Phases whose guards the doctrine counts: TPS guards on the vote and count (from H-1 to the
# ballot boxes' return on H+1), PPK warehouse guards through the recapitulation.
TPS_GUARD_PHASES = frozenset({"pungut_hitung"})
WAREHOUSE_PHASES = frozenset({"rekapitulasi"})

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
    # the columns counted, without geometry: each selection below copies what it keeps
    sites = pd.DataFrame(sites[[c for c in _STAFFING_COLUMNS if c in sites]])
    kind = sites[Col.KIND]
    # one grouping per figure, not one mask per area: a province has thousands of kelurahan
    tps = sites[kind == Kind.POLLING_STATION]
    by_risk = tps.groupby([codes[tps.index], tps[Col.RISK]], sort=False).size()
    logistics = sites[(kind == Kind.LOGISTICS) & sites[Col.ROLE].isin(WAREHOUSE_ROLES)]
    warehouses = codes[logistics.index].value_counts()
    posts = sites[(kind == Kind.POLICE_POST) & ~_is_reserve(sites)]
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
        for code in pd.unique(codes.to_numpy())  # each code once, in order of first site
    }


_STAFFING_COLUMNS = (Col.KIND, Col.RISK, Col.PERSONNEL, Col.ROLE, Col.POST_TYPE, Col.PHASES)
"""The site columns staffing per phase reads."""


def _is_reserve(sites: pd.DataFrame) -> pd.Series:
    """True for reserve posts (aligned with `sites`)."""
    if Col.POST_TYPE not in sites:
        return pd.Series(False, index=sites.index)
    return (sites[Col.POST_TYPE] == PostType.RESERVE).fillna(False).astype(bool)


def personnel(posts: pd.DataFrame) -> int:
    """Officers at static `posts` (their `personnel`; a missing number counts as none).

    Reserve units are left out: they are counted apart from static guards (`reserves_of`).
    """
    static = posts[~_is_reserve(posts)]
    return int(pd.to_numeric(static[Col.PERSONNEL], errors="coerce").fillna(0).sum())


@dataclass(frozen=True)
class ReserveUnit:
    """One reserve unit at its base.

    Attributes
    ----------
    site_id, name
        The reserve post.
    unit
        Its unit (`geo.model.Unit` value), None when the list does not say.
    strength
        Its personnel.
    reach_m
        How far it responds, metres (the post's radius, else the reserve post type's).
    lon, lat
        Its base, degrees (EPSG:4326).
    """

    site_id: str
    name: str
    unit: str | None
    strength: int
    reach_m: float
    lon: float
    lat: float


@dataclass(frozen=True)
class Reserves:
    """The operation's reserve units, counted apart from static guards."""

    units: tuple[ReserveUnit, ...]

    @property
    def strength(self) -> int:
        """Personnel of all reserve units."""
        return sum(u.strength for u in self.units)

    def table(self) -> pd.DataFrame:
        """One row per unit: site id, name, unit, strength, reach in metres."""
        return pd.DataFrame(
            [
                {
                    "site_id": u.site_id,
                    "name": u.name,
                    "unit": u.unit,
                    "strength": u.strength,
                    "reach_m": u.reach_m,
                }
                for u in self.units
            ],
            columns=["site_id", "name", "unit", "strength", "reach_m"],
        )


def reserves_of(sites: gpd.GeoDataFrame, *, settings: Settings) -> Reserves:
    """The reserve posts among `sites` as reserve units, in the sites' order.

    Parameters
    ----------
    sites
        Canonical sites (a GeoDataFrame in EPSG:4326: each base's position).
    settings
        The operation's settings (the reserve post type's default reach).
    """
    posts = sites[(sites[Col.KIND] == Kind.POLICE_POST) & _is_reserve(sites)]
    reach = post_radii_m(posts, settings.radius_m)
    strength = pd.to_numeric(posts[Col.PERSONNEL], errors="coerce").fillna(0).astype(int)
    units = posts[Col.UNIT] if Col.UNIT in posts else pd.Series(None, index=posts.index)
    return Reserves(
        tuple(
            ReserveUnit(
                site_id=str(posts.at[i, Col.SITE_ID]),
                name=str(posts.at[i, Col.NAME]),
                unit=units[i] if isinstance(units[i], str) else None,
                strength=int(strength[i]),
                reach_m=float(reach[i]),
                lon=float(posts.geometry[i].x),
                lat=float(posts.geometry[i].y),
            )
            for i in posts.index
        )
    )


# The figures of one phase's staffing, in the order tables show them.
PHASE_FIGURES: tuple[str, ...] = (
    "tps_polri",
    "warehouse_polri",
    "post_polri",
    "shortfall_polri",
    "static_polri",
    "reserve_polri",
    "polri",
    "linmas",
    "tni",
)


@dataclass(frozen=True)
class PhaseStaffing:
    """Personnel one phase needs.

    Attributes
    ----------
    phase
        The phase.
    tps_polri, linmas
        TPS guards (officers, Linmas): only in the phases of `TPS_GUARD_PHASES`.
    warehouse_polri, tni
        PPK warehouse guards: only in the phases of `WAREHOUSE_PHASES`.
    post_polri
        Officers at the static posts that exist in the phase; they also guard the TPS and
        PPK warehouses of their area (as the headline's shortfall counts them).
    shortfall_polri
        The TPS and warehouse guards the posts' officers of their area do not cover (summed
        over the areas short of officers).
    reserve_polri
        Personnel of the reserve units that exist in the phase (apart from static guards).
    """

    phase: Phase
    tps_polri: int
    linmas: int
    warehouse_polri: int
    tni: int
    post_polri: int
    reserve_polri: int
    shortfall_polri: int = 0

    @property
    def static_polri(self) -> int:
        """Officers on static duty: those at the posts (guarding the TPS and warehouses of
        their area too) and the guards the areas short of them still need."""
        return self.post_polri + self.shortfall_polri

    @property
    def polri(self) -> int:
        """Officers in all: static guards plus reserves."""
        return self.static_polri + self.reserve_polri


@dataclass(frozen=True)
class PhaseTable:
    """Staffing per phase of the operation's timeline, in its order."""

    phases: tuple[PhaseStaffing, ...]

    @property
    def peak(self) -> PhaseStaffing | None:
        """The phase needing the most officers (the earliest on a tie); None without phases."""
        return max(self.phases, key=lambda p: p.polri, default=None)

    def table(self) -> pd.DataFrame:
        """One row per phase: key, dates and each figure (:data:`PHASE_FIGURES`)."""
        rows = [
            {
                "phase": p.phase.key,
                "start": p.phase.start.isoformat(),
                "end": p.phase.end.isoformat(),
                **{name: getattr(p, name) for name in PHASE_FIGURES},
            }
            for p in self.phases
        ]
        return pd.DataFrame(rows, columns=["phase", "start", "end", *PHASE_FIGURES])


def staffed_in_phase(sites: pd.DataFrame, phase_key: str | None) -> pd.DataFrame:
    """The sites whose guards a phase needs: those that exist in it (`sites_in_phase`),
    less the polling stations outside `TPS_GUARD_PHASES` and the PPK warehouses outside
    `WAREHOUSE_PHASES`. None: the whole operation, every site.
    """
    if phase_key is None:
        return sites.copy()
    in_phase = sites_in_phase(sites, phase_key)
    kind = in_phase[Col.KIND]
    drop = pd.Series(False, index=in_phase.index)
    if phase_key not in TPS_GUARD_PHASES:
        drop |= kind == Kind.POLLING_STATION
    if phase_key not in WAREHOUSE_PHASES:
        drop |= (kind == Kind.LOGISTICS) & in_phase[Col.ROLE].isin(WAREHOUSE_ROLES)
    return in_phase[~drop]


def phase_staffing(
    phase: Phase, *, plan: StaffingPlan, post_polri: int, reserve_polri: int
) -> PhaseStaffing:
    """Personnel of one phase from the staffing plan of its staffed sites
    (`staffed_in_phase`), the officers at its static posts and its reserves' strength."""
    return PhaseStaffing(
        phase=phase,
        tps_polri=plan.tps_polri,
        linmas=plan.linmas,
        warehouse_polri=plan.total("warehouses") * WAREHOUSE_POLRI,
        tni=plan.tni,
        post_polri=post_polri,
        reserve_polri=reserve_polri,
        shortfall_polri=plan.total("shortfall"),
    )


def staffing_by_phase(
    sites: pd.DataFrame,
    *,
    phases: tuple[Phase, ...],
    preset: StaffingPreset,
    area: pd.Series | None = None,
) -> PhaseTable:
    """Personnel needed in each phase of the timeline, and so the peak.

    Parameters
    ----------
    sites
        Canonical sites; a site's `phases` limits it to those phases (empty: every phase).
    phases
        The operation's timeline (`Settings.phases`); empty gives an empty table.
    preset
        The doctrine preset of the TPS guards.
    area
        Area code of each site (aligned with `sites`): guard groups are formed within each
        area, as in `staffing_plan`. None forms them over the whole operation.
    """
    codes = area if area is not None else pd.Series(pd.NA, index=sites.index)
    # the columns staffing reads, without geometry: each phase takes a copy of its rows
    sites = pd.DataFrame(sites[[c for c in _STAFFING_COLUMNS if c in sites]])
    rows = []
    for phase in phases:
        staffed = staffed_in_phase(sites, phase.key)
        plan = staffing_plan(staffed, preset=preset, area=codes[staffed.index])
        posts = staffed[staffed[Col.KIND] == Kind.POLICE_POST]
        reserves = posts[_is_reserve(posts)]
        strength = pd.to_numeric(reserves[Col.PERSONNEL], errors="coerce").fillna(0).sum()
        rows.append(
            phase_staffing(
                phase, plan=plan, post_polri=personnel(posts), reserve_polri=int(strength)
            )
        )
    return PhaseTable(tuple(rows))


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
