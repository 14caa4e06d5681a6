"""One analysed operation: coverage, per-class and per-area figures, staffing need."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.areas import area_levels, assign_areas
from geo.coverage import Coverage, compute_coverage
from geo.model import Col, Kind, PostType, Risk, Settings
from geo.operation import Operation
from geo.staffing import StaffingNeed, resolve_preset, staffing_for_sites

__all__ = ["Analysis", "Tally", "analyse", "tally"]


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
    return Tally(total=len(targets), covered=int(targets["covered"].sum()))


@dataclass(frozen=True)
class Analysis:
    """An operation with its coverage and staffing worked out under given settings.

    Attributes
    ----------
    operation
        The loaded operation.
    settings
        The settings used (the operation's, with any radius changes applied).
    coverage
        Targets and posts with coverage columns.
    staffing
        Personnel needed under the chosen preset.
    area_level
        Area level used for per-area figures (None when the operation has no areas).
    """

    operation: Operation
    settings: Settings
    coverage: Coverage
    staffing: StaffingNeed
    area_level: str | None

    @property
    def polling_stations(self) -> gpd.GeoDataFrame:
        """Polling stations with coverage columns and `area` (per-area code)."""
        targets = self.coverage.targets
        return targets[targets[Col.KIND] == Kind.POLLING_STATION]

    @property
    def demonstration_points(self) -> gpd.GeoDataFrame:
        """Demonstration points with coverage columns."""
        targets = self.coverage.targets
        return targets[targets[Col.KIND] == Kind.DEMONSTRATION_POINT]

    @property
    def uncovered_tps(self) -> gpd.GeoDataFrame:
        """Polling stations no post reaches."""
        tps = self.polling_stations
        return tps[~tps["covered"]]

    def by_kind(self) -> dict[str, Tally]:
        """Tally per target kind."""
        targets = self.coverage.targets
        return {
            kind.value: tally(targets[targets[Col.KIND] == kind])
            for kind in (Kind.POLLING_STATION, Kind.DEMONSTRATION_POINT)
        }

    def by_risk(self) -> dict[str, Tally]:
        """Tally of polling stations per risk class."""
        tps = self.polling_stations
        return {risk.value: tally(tps[tps[Col.RISK] == risk]) for risk in Risk}

    def by_area(self) -> dict[str, Tally]:
        """Tally of polling stations per area; sites outside every area under "outside"."""
        tps = self.polling_stations
        if self.area_level is None:
            return {}
        areas = self.operation.areas
        codes = areas.loc[areas["level"] == self.area_level, "area_code"].tolist()
        result = {code: tally(tps[tps["area"] == code]) for code in codes}
        outside = tps[tps["area"].isna()]
        if len(outside):
            result["outside"] = tally(outside)
        return result

    def report(self) -> dict[str, Any]:
        """Figures as plain data: what `posko coverage --json` prints and the app shows."""
        areas = self.operation.areas
        names = dict(zip(areas["area_code"], areas["name"], strict=True))
        return {
            "operation": self.operation.title,
            "radius_m": {str(k): v for k, v in self.settings.radius_m.items()},
            "kinds": {k: v.as_dict() for k, v in self.by_kind().items()},
            "risk_classes": {k: v.as_dict() for k, v in self.by_risk().items()},
            "area_level": self.area_level,
            "areas": {
                code: {"name": names.get(code, code), **v.as_dict()}
                for code, v in self.by_area().items()
            },
            "staffing": {
                "preset": self.staffing.preset.name,
                "polri": self.staffing.polri,
                "linmas": self.staffing.linmas,
                "by_class": {
                    c.risk.value: {
                        "tps": c.tps,
                        "groups": c.groups,
                        "polri": c.polri,
                        "linmas": c.linmas,
                    }
                    for c in self.staffing.by_class
                },
            },
        }


def analyse(
    operation: Operation,
    *,
    radius_m: Mapping[PostType, float] | None = None,
    preset: str | None = None,
    area_level: str | None = None,
) -> Analysis:
    """Work out coverage, per-area figures and staffing for an operation.

    Parameters
    ----------
    operation
        The loaded operation.
    radius_m
        Radius changes per post type (metres), applied over the operation's settings.
    preset
        Staffing preset name; the settings' own when None.
    area_level
        Area level for per-area figures; the coarsest level present when None.

    Raises
    ------
    SettingsError
        When a radius or the preset is invalid.
    """
    settings = operation.settings.with_radii(radius_m) if radius_m else operation.settings
    coverage = compute_coverage(operation.sites, radius_m=settings.radius_m)
    levels = area_levels(operation.areas)
    level = area_level or (levels[0] if levels else None)
    if level is not None:
        targets = coverage.targets.assign(
            area=assign_areas(coverage.targets, operation.areas, level=level)
        )
        coverage = Coverage(targets=targets, posts=coverage.posts, pairs=coverage.pairs)
    else:
        coverage = Coverage(
            targets=coverage.targets.assign(area=pd.NA),
            posts=coverage.posts,
            pairs=coverage.pairs,
        )
    staffing = staffing_for_sites(operation.sites, preset=resolve_preset(settings, preset))
    return Analysis(
        operation=operation,
        settings=settings,
        coverage=coverage,
        staffing=staffing,
        area_level=level,
    )
