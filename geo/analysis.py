"""One analysed operation: coverage, per-class and per-area figures, threats, staffing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.areas import area_levels, assign_areas
from geo.coverage import Coverage, compute_coverage, nearest_and_covering
from geo.model import TARGET_KINDS, Col, Derived, Kind, PostType, Risk, Settings, StaffingPreset
from geo.operation import Operation
from geo.phases import sites_in_phase
from geo.staffing import StaffingPlan, resolve_preset, staffed_in_phase, staffing_plan

__all__ = ["Analysis", "Tally", "analyse", "analyse_phase", "tally"]


@dataclass(frozen=True)
class Tally:
    """How many targets of a group there are and how many are covered."""

    total: int
    covered: int

    @property
    def uncovered(self) -> int:
        """Targets no post reaches."""
        return self.total - self.covered

    @property
    def share(self) -> float:
        """Covered share, 0..1 (1 when there is nothing to cover)."""
        return self.covered / self.total if self.total else 1.0

    def as_dict(self) -> dict[str, float | int]:
        """Plain numbers for JSON."""
        return {
            "total": self.total,
            "covered": self.covered,
            "uncovered": self.uncovered,
            "share": round(self.share, 4),
        }


def tally(targets: pd.DataFrame) -> Tally:
    """Tally of a set of targets with a `covered` column."""
    return Tally(total=len(targets), covered=int(targets[Derived.COVERED].sum()))


@dataclass(frozen=True)
class Analysis:
    """An operation with its coverage and staffing worked out under given settings.

    Attributes
    ----------
    operation
        The loaded operation.
    settings
        The settings used (the operation's, with radius and weight changes applied).
    coverage
        Targets (with `area`: code at `area_level`) and posts with coverage columns;
        demonstration points also carry `threatened_id` and `threatened_m`.
    staffing
        Personnel per area under the chosen preset.
    area_level
        Area level of `area` and of the staffing (None when the operation has no areas).
    site_areas
        Area code of every site of the operation, per level.
    phase_key
        The phase (`geo.phases` key) the analysis is limited to (:func:`analyse_phase`);
        None for the whole operation. Layers that hold more than the sites (the logistics
        chain's legs) filter by it.
    """

    operation: Operation
    settings: Settings
    coverage: Coverage
    staffing: StaffingPlan
    area_level: str | None
    site_areas: Mapping[str, pd.Series]
    phase_key: str | None = None

    @property
    def polling_stations(self) -> gpd.GeoDataFrame:
        """Polling stations with coverage columns and `area`."""
        targets = self.coverage.targets
        return targets[targets[Col.KIND] == Kind.POLLING_STATION]

    @property
    def demonstration_points(self) -> gpd.GeoDataFrame:
        """Demonstration points with coverage and threat columns."""
        targets = self.coverage.targets
        return targets[targets[Col.KIND] == Kind.DEMONSTRATION_POINT]

    @property
    def uncovered_tps(self) -> gpd.GeoDataFrame:
        """Polling stations no post reaches."""
        tps = self.polling_stations
        return tps[~tps[Derived.COVERED]]

    def by_kind(self) -> dict[str, Tally]:
        """Tally per target kind."""
        targets = self.coverage.targets
        return {kind.value: tally(targets[targets[Col.KIND] == kind]) for kind in TARGET_KINDS}

    def by_risk(self) -> dict[str, Tally]:
        """Tally of polling stations per risk class."""
        tps = self.polling_stations
        risk = tps[Col.RISK].astype(object).to_numpy()
        covered = tps[Derived.COVERED].to_numpy(bool)
        counts = {}
        for r in Risk:  # masks, not a filtered copy of a national list per class
            of_r = risk == r.value
            counts[r.value] = Tally(total=int(of_r.sum()), covered=int((of_r & covered).sum()))
        return counts

    def weighted_score(self) -> float:
        """Covered share with each TPS weighted by its risk class (0..1)."""
        weights = self.settings.risk_weights
        covered = sum(weights[Risk(r)] * t.covered for r, t in self.by_risk().items())
        total = sum(weights[Risk(r)] * t.total for r, t in self.by_risk().items())
        return covered / total if total else 1.0

    def by_area(self, level: str | None = None) -> dict[str, Tally]:
        """Tally of polling stations per area of `level` (default: the analysis' level);
        stations outside every area under "outside"."""
        level = level or self.area_level
        if level is None:
            return {}
        areas = self.operation.areas
        codes = areas.loc[areas["level"] == level, "area_code"].tolist()
        tps = self.polling_stations
        where = self.site_areas[level].reindex(tps.index)
        result = {code: tally(tps[(where == code).to_numpy()]) for code in codes}
        outside = tps[where.isna().to_numpy()]
        if len(outside):
            result["outside"] = tally(outside)
        return result

    def area_names(self) -> dict[str, str]:
        """Display name per area code (all levels)."""
        areas = self.operation.areas
        return dict(zip(areas["area_code"].astype(str), areas["name"].astype(str), strict=True))

    def report(self) -> dict[str, Any]:
        """Figures as plain data: what `posko coverage --json` prints and the app shows."""
        names = self.area_names()
        return {
            "operation": self.operation.title,
            "version": self.operation.version,
            "radius_m": {str(k): v for k, v in self.settings.radius_m.items()},
            "kinds": {k: v.as_dict() for k, v in self.by_kind().items()},
            "risk_classes": {k: v.as_dict() for k, v in self.by_risk().items()},
            "risk_weights": {str(k): v for k, v in self.settings.risk_weights.items()},
            "weighted_score": round(self.weighted_score(), 4),
            "area_level": self.area_level,
            "areas": {
                level: {
                    code: {"name": names.get(code, code), **v.as_dict()}
                    for code, v in self.by_area(level).items()
                }
                for level in self.site_areas
            },
            "demonstration_points": self.demonstration_report(),
            "staffing": self.staffing_report(),
        }

    def demonstration_report(self) -> list[dict[str, Any]]:
        """Each demonstration point: nearest post and distance, coverage, threatened building."""
        posts = self.coverage.posts
        post_names = dict(zip(posts[Col.SITE_ID], posts[Col.NAME], strict=True))
        sites = self.operation.sites
        building_names = dict(zip(sites[Col.SITE_ID], sites[Col.NAME], strict=True))
        return [
            {
                "site_id": r[Col.SITE_ID],
                "name": r[Col.NAME],
                Derived.NEAREST_POST_ID: r[Derived.NEAREST_POST_ID],
                "nearest_post": post_names.get(r[Derived.NEAREST_POST_ID]),
                Derived.NEAREST_POST_M: _metres(r[Derived.NEAREST_POST_M]),
                Derived.COVERED: bool(r[Derived.COVERED]),
                Derived.THREATENED_ID: r[Derived.THREATENED_ID],
                "threatened": building_names.get(r[Derived.THREATENED_ID]),
                Derived.THREATENED_M: _metres(r[Derived.THREATENED_M]),
            }
            for r in self.demonstration_points.to_dict("records")
        ]

    def staffing_report(self) -> dict[str, Any]:
        """Staffing as plain data: what `posko staffing --json` prints and the app shows."""
        plan = self.staffing
        return {
            "preset": plan.preset.name,
            "area_level": self.area_level,
            "polri": plan.polri,
            "polri_tps": plan.tps_polri,
            "linmas": plan.linmas,
            "tni": plan.tni,
            "warehouses": plan.total("warehouses"),
            "escort_polri": plan.total("escort_polri"),
            "available": plan.total("available"),
            "shortfall": plan.total("shortfall"),
            "by_class": {
                c.risk.value: {
                    "tps": c.tps,
                    "groups": c.groups,
                    "polri": c.polri,
                    "linmas": c.linmas,
                }
                for c in plan.by_class().values()
            },
            "areas": plan.table().to_dict("records"),
        }


def _metres(value: object) -> float | None:
    number = float(value) if value is not None else float("nan")
    return round(number, 1) if np.isfinite(number) else None


def _threats(sites: gpd.GeoDataFrame, demo: gpd.GeoDataFrame, distance_m: float) -> pd.DataFrame:
    """The nearest government building within `distance_m` of each demonstration point."""
    buildings = sites[sites[Col.KIND] == Kind.GOVERNMENT].sort_values(Col.SITE_ID)
    result = nearest_and_covering(
        demo.geometry.x.to_numpy(),
        demo.geometry.y.to_numpy(),
        buildings.geometry.x.to_numpy(),
        buildings.geometry.y.to_numpy(),
        source_radius_m=np.full(len(buildings), distance_m),
    )
    ids = buildings[Col.SITE_ID].to_numpy()
    within = (result.nearest >= 0) & (result.nearest_m <= distance_m + 1e-3)
    threatened = np.full(len(demo), None, dtype=object)
    threatened[within] = ids[result.nearest[within]]
    return pd.DataFrame(
        {
            Derived.THREATENED_ID: threatened,
            Derived.THREATENED_M: np.where(within, result.nearest_m, np.nan),
        },
        index=demo.index,
    )


def analyse(
    operation: Operation,
    *,
    radius_m: Mapping[PostType, float] | None = None,
    preset: str | StaffingPreset | None = None,
    risk_weights: Mapping[Risk, float] | None = None,
    area_level: str | None = None,
) -> Analysis:
    """Work out coverage, per-area figures, threats and staffing for an operation.

    Parameters
    ----------
    operation
        The loaded operation.
    radius_m
        Radius changes per post type (metres), applied over the operation's settings.
    preset
        Staffing preset: a name, an edited preset, or None for the settings' own (with the
        plan's edited rows and minimum Polri when the plan uses that preset).
    risk_weights
        Changes to the risk-class weights of the weighted coverage score.
    area_level
        Area level for per-area staffing; the coarsest level present when None.

    Raises
    ------
    SettingsError
        When a radius, weight or the preset is invalid.
    """
    settings = operation.settings.with_radii(radius_m) if radius_m else operation.settings
    settings = settings.with_weights(risk_weights) if risk_weights else settings
    coverage = compute_coverage(operation.sites, radius_m=settings.radius_m)
    levels = area_levels(operation.areas)
    level = area_level or (levels[0] if levels else None)
    site_areas = {lv: assign_areas(operation.sites, operation.areas, level=lv) for lv in levels}
    targets = coverage.targets
    area = (
        site_areas[level].reindex(targets.index) if level else pd.Series(pd.NA, index=targets.index)
    )
    demo = targets[targets[Col.KIND] == Kind.DEMONSTRATION_POINT]
    threats = _threats(operation.sites, demo, settings.threat_distance_m)
    targets = targets.assign(**{Derived.AREA: area}).join(threats)
    coverage = Coverage(targets=targets, posts=coverage.posts, pairs=coverage.pairs)
    if isinstance(preset, StaffingPreset):
        chosen = preset
    elif preset is None and operation.plan_content.preset == settings.staffing_preset:
        chosen = operation.plan_content.staffing_preset(settings)
    else:
        chosen = resolve_preset(settings, preset)
    site_area = site_areas[level] if level else pd.Series(pd.NA, index=operation.sites.index)
    names = {}
    if level:
        areas = operation.areas[operation.areas["level"] == level]
        names = dict(zip(areas["area_code"].astype(str), areas["name"].astype(str), strict=True))
    staffing = staffing_plan(operation.sites, preset=chosen, area=site_area, area_names=names)
    return Analysis(
        operation=operation,
        settings=settings,
        coverage=coverage,
        staffing=staffing,
        area_level=level,
        site_areas=site_areas,
    )


def analyse_phase(analysis: Analysis, phase_key: str | None) -> Analysis:
    """The same analysis for one phase: only the sites (and posts) that exist in it, with
    the same radii, weights, preset and area level, and the staffing of the guards the phase
    needs (`geo.staffing.staffed_in_phase`: TPS guards only on the vote and count, PPK
    warehouse guards only through the recapitulation). None gives `analysis` itself.

    Parameters
    ----------
    analysis
        The analysis of the whole operation.
    phase_key
        A phase key of the operation's timeline (see `geo.phases.sites_in_phase`).
    """
    if phase_key is None:
        return analysis
    operation = analysis.operation
    # numbered afresh, as a loaded operation's sites are
    in_phase = sites_in_phase(operation.sites, phase_key).reset_index(drop=True)
    shown = analyse(
        replace(operation, sites=in_phase),
        radius_m=analysis.settings.radius_m,
        preset=analysis.staffing.preset,
        risk_weights=analysis.settings.risk_weights,
        area_level=analysis.area_level,
    )
    staffed = staffed_in_phase(in_phase, phase_key)
    level = shown.area_level
    area = shown.site_areas[level] if level else pd.Series(pd.NA, index=in_phase.index)
    names = {a.code: a.name for a in shown.staffing.areas}
    plan = staffing_plan(
        staffed, preset=shown.staffing.preset, area=area[staffed.index], area_names=names
    )
    return replace(shown, staffing=plan, phase_key=phase_key)
