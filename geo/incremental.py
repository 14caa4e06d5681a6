"""Live coverage of a plan being edited: one post edit recomputes only what it changes.

:class:`LiveCoverage` holds the coverage of an analysed operation as arrays and keeps them
equal to a full :func:`geo.analysis.analyse` of the edited operation, edit after edit:

- covering counts: only the targets within reach of the post's old and new position;
- nearest post: only the targets the post can influence at either position. A target's
  nearest-post search (see :func:`geo.coverage.nearest_and_covering`) looks at no post whose
  chord exceeds the upper arc bound of the target's nearest distance plus the 1 mm tie, so
  a post beyond that "influence radius" at both positions changes nothing for the target.
  Such targets are found through each post's largest influence radius among the targets
  whose nearest it is (a bound kept up to date edit by edit);
- figures: the tallies per kind, risk class and area (every level) move by the targets
  that became covered or uncovered; staffing moves by the personnel of the edited post,
  whose area is found by point-in-polygon of its one point.

The exact geodesic rules are those of :mod:`geo.coverage` (same code): chord bounds,
exact geodesic in the straddling band, a target on the radius is covered (1 mm), distance
ties within 1 mm go to the post whose `site_id` sorts first (the full path orders posts by
`site_id`, so the order survives adds and removes). Only the posts that
:func:`geo.coverage.covers` take part: a reserve unit keeps its slot (its officers count
apart in staffing) but holds no pairs and is never anyone's nearest post; a post type
changed to or from reserve leaves or joins the covering posts.

The edited operation is the analysed one with its sites edited in place: a moved post keeps
its row (new point), a removed post's row is dropped, an added post is appended with the
next free integer index label. A change of a post type's radius, the preset or the risk
weights is not an edit here: run :func:`geo.analysis.analyse` again (a full recompute) and
start a new :class:`LiveCoverage` from it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from scipy.spatial import cKDTree
from shapely.geometry import Point

from geo.analysis import Analysis, Tally
from geo.areas import assign_areas
from geo.coverage import (
    _ON_RADIUS_M,
    _TIE_M,
    COVERING_POST_TYPES,
    Coverage,
    _decide,
    _flatten,
    _nearest,
    _prefer_measured,
    covers,
    post_radii_m,
)
from geo.crs import WGS84, arc_bounds_m, ecef
from geo.model import POST_KINDS, TARGET_KINDS, Col, Derived, Kind, PostType, Risk
from geo.schema import canonical_sites, validate_sites
from geo.staffing import AreaCounts, StaffingPlan, area_counts, plan_from_counts

__all__ = ["DemoPoint", "EditResult", "Figures", "LiveCoverage"]

# Margin over a nearest distance (the sphere estimate is within 2 cm of the geodesic) when
# bounding which posts can matter to a target; a wider margin only costs a little time.
_SLACK_M = 0.1
_OUTSIDE = "outside"


@dataclass(frozen=True)
class EditResult:
    """Targets (polling stations and demonstration points) an edit changed, by `site_id`."""

    gained: tuple[str, ...]
    lost: tuple[str, ...]


@dataclass(frozen=True)
class DemoPoint:
    """Coverage of one demonstration point (distance in metres, not compared for equality)."""

    site_id: str
    nearest_post_id: str | None
    covered: bool
    nearest_post_m: float = field(compare=False)


@dataclass(frozen=True)
class Figures:
    """What the map page shows after an edit; equal to the same figures of an Analysis.

    Attributes
    ----------
    by_kind, by_risk, weighted_score
        As `Analysis.by_kind()`, `by_risk()`, `weighted_score()`.
    by_area
        `Analysis.by_area(level)` for every area level.
    area_level
        Level of the staffing (None without areas).
    uncovered_tps
        `site_id` of the polling stations no post reaches, in site order.
    demonstration
        Each demonstration point's nearest post and coverage.
    staffing
        Staffing per area (`available` from the posts in each area, and the shortfall).
    """

    by_kind: Mapping[str, Tally]
    by_risk: Mapping[str, Tally]
    weighted_score: float
    by_area: Mapping[str, Mapping[str, Tally]]
    area_level: str | None
    uncovered_tps: tuple[str, ...]
    demonstration: tuple[DemoPoint, ...]
    staffing: StaffingPlan

    @property
    def shortfall(self) -> int:
        """Officers missing, summed area by area."""
        return self.staffing.total("shortfall")

    @classmethod
    def of_analysis(cls, analysis: Analysis) -> Figures:
        """The same figures read from a full analysis."""
        tps = analysis.polling_stations
        demo = analysis.demonstration_points
        return cls(
            by_kind=analysis.by_kind(),
            by_risk=analysis.by_risk(),
            weighted_score=analysis.weighted_score(),
            by_area={lv: analysis.by_area(lv) for lv in analysis.site_areas},
            area_level=analysis.area_level,
            uncovered_tps=tuple(tps.loc[~tps[Derived.COVERED], Col.SITE_ID]),
            demonstration=tuple(
                DemoPoint(
                    site_id=r[Col.SITE_ID],
                    nearest_post_id=None
                    if pd.isna(r[Derived.NEAREST_POST_ID])
                    else r[Derived.NEAREST_POST_ID],
                    covered=bool(r[Derived.COVERED]),
                    nearest_post_m=float(r[Derived.NEAREST_POST_M]),
                )
                for r in demo.to_dict("records")
            ),
            staffing=analysis.staffing,
        )


@dataclass
class _Pairs:
    """Covering pairs of one post: target indices (ascending), distance, measured exactly."""

    target: NDArray[np.intp]
    metres: NDArray[np.float64]
    measured: NDArray[np.bool_]


class _Groups:
    """Covered tallies of the targets per group (kind, risk class, area of each level)."""

    def __init__(self, codes: NDArray[np.intp], n_groups: int) -> None:
        self.codes = codes
        valid = codes >= 0
        self.total = np.bincount(codes[valid], minlength=n_groups)
        self.covered = np.zeros(n_groups, dtype=np.intp)

    def reset(self, covered: NDArray[np.bool_]) -> None:
        pick = covered & (self.codes >= 0)
        self.covered = np.bincount(self.codes[pick], minlength=len(self.total))

    def move(self, gained: NDArray[np.intp], lost: NDArray[np.intp]) -> None:
        for idx, step in ((gained, 1), (lost, -1)):
            codes = self.codes[idx]
            np.add.at(self.covered, codes[codes >= 0], step)

    def tally(self, i: int) -> Tally:
        return Tally(total=int(self.total[i]), covered=int(self.covered[i]))


class LiveCoverage:
    """Coverage, figures and analysis of an operation under post edits (see module doc).

    Build it with :meth:`from_analysis`; each edit returns the targets it gained and lost.
    """

    # --- building ----------------------------------------------------------------------

    @classmethod
    def from_analysis(cls, analysis: Analysis) -> LiveCoverage:
        """Live coverage of an analysed operation (its settings, preset and area level)."""
        return cls(analysis)

    def __init__(self, analysis: Analysis) -> None:
        self._base = analysis
        op = analysis.operation
        self._sites0 = op.sites
        self._radius_by_type = dict(analysis.settings.radius_m)
        self._levels = list(analysis.site_areas)
        self._level = analysis.area_level
        self._init_targets(analysis)
        self._init_areas(analysis)
        self._init_posts(analysis)
        self._full_coverage()

    def _init_targets(self, analysis: Analysis) -> None:
        targets = analysis.coverage.targets
        self._targets0 = targets
        self._t_ids = targets[Col.SITE_ID].to_numpy(dtype=object)
        self._t_lon = targets.geometry.x.to_numpy()
        self._t_lat = targets.geometry.y.to_numpy()
        self._t_xyz = ecef(self._t_lon, self._t_lat)
        self._t_tree = _target_tree(self._t_xyz)
        kinds = targets[Col.KIND].to_numpy(dtype=object)
        self._is_tps = kinds == Kind.POLLING_STATION
        self._is_demo = np.flatnonzero(kinds == Kind.DEMONSTRATION_POINT)
        self._kinds = _Groups(_codes(kinds, [k.value for k in TARGET_KINDS]), len(TARGET_KINDS))
        risk = np.where(self._is_tps, targets[Col.RISK].to_numpy(dtype=object), None)
        self._risks = _Groups(_codes(risk, [r.value for r in Risk]), len(Risk))

    def _init_areas(self, analysis: Analysis) -> None:
        areas = analysis.operation.areas
        self._areas = areas
        self._area_trees: dict[str, tuple[shapely.STRtree, NDArray[np.intp]]] = {}
        self._area_groups: dict[str, tuple[list[str], _Groups]] = {}
        index = self._targets0.index
        for level in self._levels:
            positions = np.flatnonzero((areas["level"] == level).to_numpy())
            self._area_trees[level] = (shapely.STRtree(areas.geometry.values[positions]), positions)
            codes = list(dict.fromkeys(areas["area_code"].iloc[positions].astype(str)))
            where = analysis.site_areas[level].reindex(index).to_numpy(dtype=object)
            where = np.where(pd.isna(where), _OUTSIDE, where)
            where = np.where(self._is_tps, where, None)
            groups = _Groups(_codes(where, [*codes, _OUTSIDE]), len(codes) + 1)
            self._area_groups[level] = (codes, groups)
        self._area_code = {
            lv: areas["area_code"].astype(str).to_numpy(dtype=object) for lv in self._levels
        }
        self._area_names: dict[str, str] = {}
        if self._level:
            of_level = areas[areas["level"] == self._level]
            self._area_names = dict(
                zip(of_level["area_code"].astype(str), of_level["name"].astype(str), strict=True)
            )

    def _init_posts(self, analysis: Analysis) -> None:
        sites = self._sites0
        is_post = sites[Col.KIND].isin(POST_KINDS).to_numpy()
        positions = np.flatnonzero(is_post)
        posts = sites.iloc[positions]
        self._p_id: list[str] = posts[Col.SITE_ID].astype(str).tolist()
        self._p_pos: list[int] = positions.tolist()
        self._p_lon: list[float] = posts.geometry.x.astype(float).tolist()
        self._p_lat: list[float] = posts.geometry.y.astype(float).tolist()
        self._p_radius: list[float] = post_radii_m(posts, self._radius_by_type).tolist()
        self._p_own: list[float] = _own_radius(posts).tolist()
        self._p_type: list[str] = posts[Col.POST_TYPE].astype(str).tolist()
        staff = pd.to_numeric(posts[Col.PERSONNEL], errors="coerce").fillna(0)
        self._p_personnel: list[int] = [int(v) for v in staff]
        self._p_alive: list[bool] = [True] * len(posts)
        self._p_row: dict[int, gpd.GeoDataFrame] = {}  # added posts' rows
        codes = {lv: analysis.site_areas[lv].to_numpy(dtype=object) for lv in self._levels}
        self._p_areas: list[dict[str, str | None]] = [
            {lv: _code(codes[lv][p]) for lv in self._levels} for p in positions
        ]
        self._slot_of = {pid: i for i, pid in enumerate(self._p_id)}
        # the covering posts' ids in the full path's order (reserves are left out)
        self._sorted_ids = sorted(p for p, c in zip(self._p_id, covers(posts), strict=True) if c)
        self._touched: set[int] = set()  # slots of stored rows whose point or fields changed
        self._p_fields: dict[int, dict[str, object]] = {}  # changed name, personnel, post type
        labels = sites.index
        self._next_label = int(labels.max()) + 1 if len(labels) and _integer(labels) else 0
        self._int_labels = _integer(labels) or len(labels) == 0
        self._site_ids: set[str] | None = None
        # staffing counts of everything but the posts, at the staffing level
        others = sites.iloc[np.flatnonzero(~is_post)]
        where = (
            analysis.site_areas[self._level].iloc[np.flatnonzero(~is_post)]
            if self._level
            else pd.Series(pd.NA, index=others.index)
        )
        self._counts0 = area_counts(others, where)
        # posts and their officers per area code at the staffing level
        self._posts_in: dict[str, int] = {}
        self._officers_in: dict[str, int] = {}
        for slot in range(len(self._p_id)):
            self._count_post(slot, 1)
        self._plan: StaffingPlan | None = None

    def _full_coverage(self) -> None:
        """Coverage of every target by every post, as the full path computes it."""
        n_t = len(self._t_ids)
        self._rebuild_tree()
        self._nearest = np.full(n_t, -1, dtype=np.intp)
        self._nearest_m = np.full(n_t, np.inf)
        self._n_covering = np.zeros(n_t, dtype=np.intp)
        n_slots = len(self._p_id)
        self._pairs: dict[int, _Pairs] = {}
        self._n_cov_tps = np.zeros(n_slots, dtype=np.intp)
        self._n_catch_tps = np.zeros(n_slots, dtype=np.intp)
        self._influence = np.zeros(n_slots)
        self._set_all_pairs()
        if len(self._order):
            self._renew_nearest(np.arange(n_t, dtype=np.intp))
        covered = self._n_covering > 0
        for groups in self._all_groups():
            groups.reset(covered)

    # --- edits -------------------------------------------------------------------------

    def move_post(self, site_id: str, lon: float, lat: float) -> EditResult:
        """Move a post to (`lon`, `lat`) degrees."""
        slot = self._slot(site_id)
        _check_point(lon, lat)
        before = self._n_covering > 0
        old_xyz = ecef([self._p_lon[slot]], [self._p_lat[slot]])[0]
        new_xyz = ecef([lon], [lat])[0]
        affected = self._influenced(old_xyz, new_xyz, slot)
        self._drop_pairs(slot)
        self._p_lon[slot], self._p_lat[slot] = float(lon), float(lat)
        self._count_post(slot, -1)
        self._p_areas[slot] = self._areas_of(lon, lat)
        self._count_post(slot, 1)
        self._touch(slot)
        self._rebuild_tree()
        self._set_pairs(slot)
        self._influence[slot] = 0.0
        self._renew_nearest(affected)
        return self._settle(before)

    def add_post(self, row: Mapping[str, object], lon: float, lat: float) -> EditResult:
        """Add a post: canonical post fields (`site_id`, `post_type`, `name`, `personnel`,
        optional own `radius_m`; `kind` defaults to police_post) at (`lon`, `lat`).

        Raises
        ------
        ValidationError
            When the row breaks the model's rules or its `site_id` is taken.
        """
        _check_point(lon, lat)
        frame = self._new_row(row, lon, lat)
        site_id = str(frame[Col.SITE_ID].iloc[0])
        before = self._n_covering > 0
        new_xyz = ecef([lon], [lat])[0]
        everything = len(self._order) == 0
        affected = (
            np.arange(len(self._t_ids), dtype=np.intp)
            if everything
            else self._influenced(None, new_xyz, None)
        )
        slot = len(self._p_id)
        self._p_id.append(site_id)
        self._p_pos.append(-1)
        self._p_lon.append(float(lon))
        self._p_lat.append(float(lat))
        self._p_own.append(float(_own_radius(frame).iloc[0]))
        self._p_type.append(str(frame[Col.POST_TYPE].iloc[0]))
        self._p_radius.append(float(post_radii_m(frame, self._radius_by_type).iloc[0]))
        staff = pd.to_numeric(frame[Col.PERSONNEL], errors="coerce").fillna(0)
        self._p_personnel.append(int(staff.sum()))
        self._p_alive.append(True)
        self._p_row[slot] = frame
        self._p_areas.append(self._areas_of(lon, lat))
        self._count_post(slot, 1)
        self._slot_of[site_id] = slot
        if self._covers(slot):
            bisect.insort(self._sorted_ids, site_id)
        if self._site_ids is not None:
            self._site_ids.add(site_id)
        self._n_cov_tps = np.append(self._n_cov_tps, 0)
        self._n_catch_tps = np.append(self._n_catch_tps, 0)
        self._influence = np.append(self._influence, 0.0)
        self._rebuild_tree()
        self._set_pairs(slot)
        self._renew_nearest(affected)
        return self._settle(before)

    def remove_post(self, site_id: str) -> EditResult:
        """Remove a post."""
        slot = self._slot(site_id)
        before = self._n_covering > 0
        old_xyz = ecef([self._p_lon[slot]], [self._p_lat[slot]])[0]
        affected = self._influenced(old_xyz, None, slot)
        self._drop_pairs(slot)
        self._p_alive[slot] = False
        self._count_post(slot, -1)
        if self._covers(slot):
            self._sorted_ids.pop(bisect.bisect_left(self._sorted_ids, site_id))
        del self._slot_of[site_id]
        if self._site_ids is not None:
            self._site_ids.discard(site_id)
        self._p_row.pop(slot, None)
        self._touched.discard(slot)
        self._rebuild_tree()
        if len(self._order):
            self._renew_nearest(affected)
        else:
            self._nearest[:] = -1
            self._nearest_m[:] = np.inf
        return self._settle(before)

    def set_post_radius(self, site_id: str, radius_m: float | None) -> EditResult:
        """Give a post its own radius in metres (None: its post type's radius).

        Raises
        ------
        ValueError
            When the radius is not a positive finite number.
        """
        slot = self._slot(site_id)
        _check_radius(radius_m)
        before = self._n_covering > 0
        self._p_own[slot] = float("nan") if radius_m is None else float(radius_m)
        self._reach_changed(slot)
        return self._settle(before)

    def change_post(self, site_id: str, **fields: object) -> EditResult:
        """Change a post's `name`, `personnel`, `post_type`, own `radius_m`, `unit` or `phases` (as
        `PlanContent.with_post_changed`); a new post type changes the reach of a post
        without its own radius.

        Raises
        ------
        ValueError
            When a field is unknown or its value breaks the model's rules.
        """
        slot = self._slot(site_id)
        unknown = set(fields) - {
            Col.NAME,
            Col.PERSONNEL,
            Col.POST_TYPE,
            Col.RADIUS_M,
            Col.UNIT,  # carried to the sites (reserves' units, phase filtering): no reach
            Col.PHASES,
        }
        if unknown:
            msg = (
                "Only a post's name, personnel, post_type, radius_m, unit and phases change "
                f"here: {unknown}."
            )
            raise ValueError(msg)
        values = _post_fields(fields)
        radius = values.pop(Col.RADIUS_M, self._p_own[slot])
        before = self._n_covering > 0
        self._p_own[slot] = float("nan") if radius is None else float(radius)  # type: ignore[arg-type]
        self._count_post(slot, -1)
        self._p_fields.setdefault(slot, {}).update(values)
        if Col.PERSONNEL in values:
            staff = values[Col.PERSONNEL]
            self._p_personnel[slot] = 0 if staff is None else int(staff)  # type: ignore[call-overload]
        covered_before = self._covers(slot)
        if Col.POST_TYPE in values:  # before counting in: a reserve's officers count apart
            self._p_type[slot] = str(values[Col.POST_TYPE])
        self._count_post(slot, 1)
        if self._covers(slot) != covered_before:
            self._role_changed(slot)
        elif Col.POST_TYPE in values or Col.RADIUS_M in fields:
            self._reach_changed(slot)
        else:
            self._touch(slot)
        return self._settle(before)

    def _reach_changed(self, slot: int) -> None:
        """A post's radius or type changed: its pairs afresh."""
        own = self._p_own[slot]
        by_type = float(self._radius_by_type[PostType(self._p_type[slot])])
        self._p_radius[slot] = own if math.isfinite(own) and own > 0 else by_type
        self._touch(slot)
        self._drop_pairs(slot)
        self._set_pairs(slot)
        # the nearest post does not depend on radii, but its reported distance does when
        # the pair was measured exactly to decide coverage
        self._renew_nearest(np.flatnonzero(self._nearest == slot))

    def _role_changed(self, slot: int) -> None:
        """A post became a reserve unit (it stops covering) or stopped being one."""
        own = self._p_own[slot]
        by_type = float(self._radius_by_type[PostType(self._p_type[slot])])
        self._p_radius[slot] = own if math.isfinite(own) and own > 0 else by_type
        self._touch(slot)
        xyz = ecef([self._p_lon[slot]], [self._p_lat[slot]])[0]
        affected = self._influenced(xyz, xyz, slot)
        self._drop_pairs(slot)
        site_id = self._p_id[slot]
        if self._covers(slot):
            bisect.insort(self._sorted_ids, site_id)
        else:
            self._sorted_ids.pop(bisect.bisect_left(self._sorted_ids, site_id))
        self._influence[slot] = 0.0
        self._rebuild_tree()
        self._set_pairs(slot)
        if len(self._order):
            self._renew_nearest(affected)
        else:
            self._nearest[:] = -1
            self._nearest_m[:] = np.inf
            self._n_catch_tps[:] = 0

    # --- results -----------------------------------------------------------------------

    def figures(self) -> Figures:
        """Figures of the edited operation, from the live tallies (no recompute)."""
        by_kind = {k.value: self._kinds.tally(i) for i, k in enumerate(TARGET_KINDS)}
        by_risk = {r.value: self._risks.tally(i) for i, r in enumerate(Risk)}
        weights = self._base.settings.risk_weights
        covered = sum(weights[Risk(r)] * t.covered for r, t in by_risk.items())
        total = sum(weights[Risk(r)] * t.total for r, t in by_risk.items())
        by_area = {}
        for level, (codes, groups) in self._area_groups.items():
            tallies = {code: groups.tally(i) for i, code in enumerate(codes)}
            if groups.total[len(codes)]:
                tallies[_OUTSIDE] = groups.tally(len(codes))
            by_area[level] = tallies
        uncovered = np.flatnonzero(self._is_tps & (self._n_covering == 0))
        return Figures(
            by_kind=by_kind,
            by_risk=by_risk,
            weighted_score=covered / total if total else 1.0,
            by_area=by_area,
            area_level=self._level,
            uncovered_tps=tuple(self._t_ids[uncovered].tolist()),
            demonstration=tuple(self._demo_point(i) for i in self._is_demo),
            staffing=self._staffing(),
        )

    def analysis(self) -> Analysis:
        """The analysis of the edited operation, equal to a full `analyse()` of it (same
        settings, preset and area level), built from the live arrays."""
        sites = self._edited_sites()
        operation = replace(self._base.operation, sites=sites)
        site_areas = {lv: self._edited_areas(lv, sites.index) for lv in self._levels}
        return Analysis(
            operation=operation,
            settings=self._base.settings,
            coverage=Coverage(
                targets=self._targets_frame(),
                posts=self._posts_frame(sites),
                pairs=self._pairs_frame(),
            ),
            staffing=self._staffing(),
            area_level=self._level,
            site_areas=site_areas,
            phase_key=self._base.phase_key,
        )

    # --- coverage internals ------------------------------------------------------------

    def _slot(self, site_id: str) -> int:
        slot = self._slot_of.get(site_id)
        if slot is None:
            msg = f"No post has site_id {site_id!r}."
            raise KeyError(msg)
        return slot

    def _covers(self, slot: int) -> bool:
        """Whether a post covers targets (as :func:`geo.coverage.covers` decides it)."""
        return self._p_type[slot] in COVERING_POST_TYPES

    def _rebuild_tree(self) -> None:
        """Posts in the full path's order (by `site_id`) and their KD-tree."""
        self._order = np.array([self._slot_of[i] for i in self._sorted_ids], dtype=np.intp)
        lon = np.array(self._p_lon)[self._order] if len(self._order) else np.array([])
        lat = np.array(self._p_lat)[self._order] if len(self._order) else np.array([])
        self._s_lonlat = (lon, lat)
        self._s_xyz = ecef(lon, lat)
        self._rank = {int(s): r for r, s in enumerate(self._order)}
        self._tree = cKDTree(self._s_xyz) if len(self._order) else None

    def _set_pairs(self, slot: int) -> None:
        """Covering pairs of one post, from scratch, added to the covering counts."""
        if len(self._t_ids) == 0 or not self._covers(slot):
            self._pairs[slot] = _Pairs(
                np.array([], dtype=np.intp), np.array([]), np.array([], dtype=bool)
            )
            return
        rank = self._rank[slot]
        reach = np.array([self._p_radius[slot] + _ON_RADIUS_M])
        pt, ps, pc = _candidates_in(self._t_xyz, self._t_tree, self._s_xyz[rank : rank + 1], reach)
        lonlat = (self._s_lonlat[0][rank : rank + 1], self._s_lonlat[1][rank : rank + 1])
        pair_m, reaches, measured = _decide(pt, ps, pc, reach, (self._t_lon, self._t_lat), lonlat)
        keep = np.flatnonzero(reaches)
        keep = keep[np.argsort(pt[keep], kind="stable")]
        pairs = _Pairs(pt[keep], pair_m[keep], measured[keep])
        self._pairs[slot] = pairs
        self._n_covering[pairs.target] += 1
        self._n_cov_tps[slot] = int(self._is_tps[pairs.target].sum())

    def _set_all_pairs(self) -> None:
        """Covering pairs of every post at once (the full path's one search)."""
        for slot in range(len(self._p_id)):
            self._pairs[int(slot)] = _Pairs(
                np.array([], dtype=np.intp), np.array([]), np.array([], dtype=bool)
            )
        if len(self._t_ids) == 0 or len(self._order) == 0:
            return
        reach = np.array(self._p_radius)[self._order] + _ON_RADIUS_M
        pt, ps, pc = _candidates_in(self._t_xyz, self._t_tree, self._s_xyz, reach)
        pair_m, reaches, measured = _decide(
            pt, ps, pc, reach, (self._t_lon, self._t_lat), self._s_lonlat
        )
        keep = np.flatnonzero(reaches)
        keep = keep[np.lexsort((pt[keep], ps[keep]))]
        bounds = np.searchsorted(ps[keep], np.arange(len(self._order) + 1))
        for rank, slot in enumerate(self._order):
            part = keep[bounds[rank] : bounds[rank + 1]]
            self._pairs[int(slot)] = _Pairs(pt[part], pair_m[part], measured[part])
        self._n_covering += np.bincount(pt[keep], minlength=len(self._t_ids))
        tps = keep[self._is_tps[pt[keep]]]
        self._n_cov_tps[self._order] = np.bincount(ps[tps], minlength=len(self._order))

    def _drop_pairs(self, slot: int) -> None:
        pairs = self._pairs.pop(slot)
        self._n_covering[pairs.target] -= 1
        self._n_cov_tps[slot] = 0

    def _influenced(
        self,
        old_xyz: NDArray[np.float64] | None,
        new_xyz: NDArray[np.float64] | None,
        slot: int | None,
    ) -> NDArray[np.intp]:
        """Targets whose nearest post may change when a post leaves `old_xyz` and/or comes
        to `new_xyz` (computed before the edit)."""
        parts = [] if slot is None else [np.flatnonzero(self._nearest == slot)]
        for xyz in (old_xyz, new_xyz):
            if xyz is not None:
                parts.append(self._within_influence(xyz))
        if not parts:
            return np.array([], dtype=np.intp)
        return np.unique(np.concatenate(parts))

    def _within_influence(self, xyz: NDArray[np.float64]) -> NDArray[np.intp]:
        """Targets for which a post at `xyz` lies within their influence radius.

        A target t with chord(t, X) <= influence(t) has its nearest post q within
        2 influence(t) <= 2 influence_max(q) of X, so only such posts' bounds matter.
        """
        if len(self._order) == 0 or len(self._t_ids) == 0:
            return np.array([], dtype=np.intp)
        chord = np.linalg.norm(self._s_xyz - xyz, axis=1)
        bound = self._influence[self._order]
        near = chord <= 2 * bound + _SLACK_M
        if not near.any():
            return np.array([], dtype=np.intp)
        radius = float(bound[near].max()) + _SLACK_M
        found = np.asarray(self._t_tree.query_ball_point(xyz, radius), dtype=np.intp)
        if len(found) == 0:
            return found
        chord_t = np.linalg.norm(self._t_xyz[found] - xyz, axis=1)
        return found[chord_t <= _influence_m(self._nearest_m[found])]

    def _renew_nearest(self, idx: NDArray[np.intp]) -> None:
        """Nearest post of the targets `idx`, as the full path finds it."""
        if len(idx) == 0 or self._tree is None:
            return
        old = self._nearest[idx]
        ranks, metres = _nearest(
            self._tree, self._t_xyz[idx], (self._t_lon[idx], self._t_lat[idx]), self._s_lonlat
        )
        slots = self._order[ranks]
        self._prefer_measured(idx, slots, metres)
        tps = self._is_tps[idx]
        np.add.at(self._n_catch_tps, old[tps & (old >= 0)], -1)
        np.add.at(self._n_catch_tps, slots[tps], 1)
        self._nearest[idx] = slots
        self._nearest_m[idx] = metres
        np.maximum.at(self._influence, slots, _influence_m(metres))

    def _prefer_measured(
        self, idx: NDArray[np.intp], slots: NDArray[np.intp], metres: NDArray[np.float64]
    ) -> None:
        """The full path's rule for the targets `idx` with nearest `slots`: a nearest pair
        measured exactly reports that measure (in place on `metres`)."""
        parts = [self._pairs[int(s)] for s in np.unique(slots)]
        parts = [
            (p, int(s)) for p, s in zip(parts, np.unique(slots), strict=True) if p.measured.any()
        ]
        if not parts:
            return
        where = np.full(len(self._t_ids), -1, dtype=np.intp)
        where[idx] = np.arange(len(idx), dtype=np.intp)
        pt = np.concatenate([p.target[p.measured] for p, _ in parts])
        ps = np.concatenate([np.full(int(p.measured.sum()), s, dtype=np.intp) for p, s in parts])
        pm = np.concatenate([p.metres[p.measured] for p, _ in parts])
        local = where[pt]
        mine = local >= 0
        _prefer_measured(
            slots, metres, local[mine], ps[mine], pm[mine], np.ones(int(mine.sum()), dtype=bool)
        )

    def _settle(self, before: NDArray[np.bool_]) -> EditResult:
        """Move the tallies by what changed and say what changed."""
        after = self._n_covering > 0
        gained = np.flatnonzero(after & ~before)
        lost = np.flatnonzero(before & ~after)
        for groups in self._all_groups():
            groups.move(gained, lost)
        return EditResult(
            gained=tuple(self._t_ids[gained].tolist()), lost=tuple(self._t_ids[lost].tolist())
        )

    def _all_groups(self) -> list[_Groups]:
        return [self._kinds, self._risks, *(g for _, g in self._area_groups.values())]

    # --- posts, areas and staffing -----------------------------------------------------

    def _touch(self, slot: int) -> None:
        if self._p_pos[slot] >= 0:
            self._touched.add(slot)
        else:
            frame = self._p_row[slot].copy()
            frame[Col.RADIUS_M] = self._p_own[slot]
            for column, value in self._p_fields.get(slot, {}).items():
                frame[column] = pd.array([value], dtype=frame[column].dtype)
            frame[frame.geometry.name] = gpd.GeoSeries(
                [Point(self._p_lon[slot], self._p_lat[slot])], index=frame.index, crs=WGS84
            )
            self._p_row[slot] = frame

    def _areas_of(self, lon: float, lat: float) -> dict[str, str | None]:
        """Area code per level of one point, as `geo.areas.assign_areas` decides it."""
        point = Point(lon, lat)
        out: dict[str, str | None] = {}
        for level, (tree, positions) in self._area_trees.items():
            hits = np.sort(tree.query(point, predicate="intersects"))
            if len(hits) < 2:
                out[level] = self._area_code[level][positions[hits[0]]] if len(hits) else None
                continue
            candidates = self._areas.iloc[positions[hits]]
            frame = gpd.GeoDataFrame(geometry=[point], crs=WGS84)
            out[level] = _code(assign_areas(frame, candidates, level=level).iloc[0])
        return out

    def _count_post(self, slot: int, step: int) -> None:
        """Count a post in (`step` 1) or out of (-1) its area at the staffing level."""
        code = (self._p_areas[slot].get(self._level) if self._level else None) or _OUTSIDE
        self._posts_in[code] = self._posts_in.get(code, 0) + step
        # a reserve unit's officers are not static guards available at the posts
        officers = 0 if self._p_type[slot] == PostType.RESERVE else self._p_personnel[slot]
        self._officers_in[code] = self._officers_in.get(code, 0) + step * officers

    def _staffing(self) -> StaffingPlan:
        """Staffing per area: the other sites' counts plus the officers at the posts; only
        the areas whose officers changed are redone when the areas stay the same."""
        present = {c for c, n in self._posts_in.items() if n > 0} | set(self._counts0)
        plan = self._plan
        if plan is not None and {a.code for a in plan.areas} == present:
            areas = tuple(
                a
                if a.available == self._officers_in.get(a.code, 0)
                else replace(a, available=self._officers_in.get(a.code, 0))
                for a in plan.areas
            )
            self._plan = StaffingPlan(preset=plan.preset, areas=areas)
            return self._plan
        counts = dict(self._counts0)
        for code in present:
            base = counts.get(code, AreaCounts(tps={}, warehouses=0, available=0))
            counts[code] = AreaCounts(
                tps=base.tps,
                warehouses=base.warehouses,
                available=base.available + self._officers_in.get(code, 0),
            )
        self._plan = plan_from_counts(
            _outside_last(counts), preset=self._base.staffing.preset, area_names=self._area_names
        )
        return self._plan

    def _demo_point(self, i: int) -> DemoPoint:
        slot = int(self._nearest[i])
        return DemoPoint(
            site_id=str(self._t_ids[i]),
            nearest_post_id=self._p_id[slot] if slot >= 0 else None,
            covered=bool(self._n_covering[i] > 0),
            nearest_post_m=float(self._nearest_m[i]) if slot >= 0 else float("nan"),
        )

    def _new_row(self, row: Mapping[str, object], lon: float, lat: float) -> gpd.GeoDataFrame:
        if not self._int_labels:
            msg = "Posts can be added only to sites indexed by integers."
            raise ValueError(msg)
        fields = {Col.KIND: Kind.POLICE_POST.value, **row}
        fields.pop("geometry", None)
        frame = gpd.GeoDataFrame(
            [fields], geometry=[Point(lon, lat)], crs=WGS84, index=[self._next_label]
        )
        frame = validate_sites(canonical_sites(frame))
        frame.index = pd.Index([self._next_label], dtype=self._sites0.index.dtype)
        if frame[Col.KIND].iloc[0] not in POST_KINDS:
            msg = f"A post's kind must be one of {[k.value for k in POST_KINDS]}."
            raise ValueError(msg)
        if self._site_ids is None:
            self._site_ids = {*self._sites0[Col.SITE_ID].astype(str), *self._slot_of}
            self._site_ids -= {self._p_id[s] for s, alive in enumerate(self._p_alive) if not alive}
        site_id = str(frame[Col.SITE_ID].iloc[0])
        if site_id in self._site_ids:
            msg = f"A site with site_id {site_id!r} exists already."
            raise ValueError(msg)
        self._next_label += 1
        return frame[[c for c in self._sites0.columns if c in frame.columns]]

    # --- the analysis' frames ----------------------------------------------------------

    def _removed_positions(self) -> list[int]:
        return [
            p for p, alive in zip(self._p_pos, self._p_alive, strict=True) if p >= 0 and not alive
        ]

    def _edited_sites(self) -> gpd.GeoDataFrame:
        sites = self._sites0
        touched = sorted(s for s in self._touched if self._p_alive[s])
        if touched:
            sites = sites.copy()
            rows = [self._p_pos[s] for s in touched]
            geometry = sites.geometry.values.copy()
            geometry[rows] = [Point(self._p_lon[s], self._p_lat[s]) for s in touched]
            sites[sites.geometry.name] = geometry
            column = sites.columns.get_loc(Col.RADIUS_M)
            sites.iloc[rows, column] = [self._p_own[s] for s in touched]
            for s in touched:
                for name, value in self._p_fields.get(s, {}).items():
                    sites.iloc[self._p_pos[s], sites.columns.get_loc(name)] = value
        removed = self._removed_positions()
        if removed:
            keep = np.ones(len(sites), dtype=bool)
            keep[removed] = False
            sites = sites[keep]
        added = [self._p_row[s] for s in sorted(self._p_row) if self._p_alive[s]]
        if added:
            sites = pd.concat([sites, *added])
        return sites

    def _edited_areas(self, level: str, index: pd.Index) -> pd.Series:
        base = self._base.site_areas[level]
        values = base.to_numpy(dtype=object).copy()
        for s in self._touched:
            if self._p_alive[s]:
                values[self._p_pos[s]] = self._p_areas[s][level]
        removed = self._removed_positions()
        if removed:
            values = np.delete(values, removed)
        added = [s for s in sorted(self._p_row) if self._p_alive[s]]
        values = np.concatenate([values, [self._p_areas[s][level] for s in added]])
        values = [pd.NA if v is None or pd.isna(v) else v for v in values]
        return pd.Series(values, index=index, dtype=base.dtype, name=base.name)

    def _targets_frame(self) -> gpd.GeoDataFrame:
        has_post = self._nearest >= 0
        nearest_id = np.full(len(self._t_ids), None, dtype=object)
        ids = np.array(self._p_id, dtype=object)
        nearest_id[has_post] = ids[self._nearest[has_post]]
        return self._targets0.assign(
            **{
                Derived.NEAREST_POST_ID: pd.array(nearest_id, dtype="str"),
                Derived.NEAREST_POST_M: np.where(has_post, self._nearest_m, np.nan),
                Derived.COVERED: self._n_covering > 0,
                Derived.N_COVERING: self._n_covering.copy(),
            }
        )

    def _posts_frame(self, sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        posts = sites[sites[Col.KIND].isin(POST_KINDS)].sort_values(Col.SITE_ID, kind="stable")
        slots = np.array([self._slot_of[i] for i in posts[Col.SITE_ID]], dtype=np.intp)
        radius = np.array(self._p_radius)[slots] if len(slots) else np.array([])
        return posts.assign(
            **{
                Derived.RADIUS_USED_M: radius,
                Derived.N_COVERED: self._n_cov_tps[slots],
                Derived.N_CATCHMENT: self._n_catch_tps[slots],
            }
        )

    def _pairs_frame(self) -> pd.DataFrame:
        parts = [self._pairs[int(s)] for s in self._order]
        target = np.concatenate([p.target for p in parts]) if parts else np.array([], dtype=np.intp)
        lengths = [len(p.target) for p in parts]
        post_ids = np.repeat(
            np.array([self._p_id[int(s)] for s in self._order], dtype=object), lengths
        )
        return pd.DataFrame(
            {
                Derived.TARGET_ID: self._t_ids[target],
                Derived.POST_ID: post_ids,
                Derived.DISTANCE_M: np.concatenate([p.metres for p in parts])
                if parts
                else np.array([]),
            }
        )


def _target_tree(targets: NDArray[np.float64]) -> cKDTree:
    """KD-tree of the targets' Earth-centred coordinates, built once for all edits."""
    return cKDTree(targets)


def _candidates_in(
    targets: NDArray[np.float64],
    target_tree: cKDTree,
    sources: NDArray[np.float64],
    reach: NDArray[np.float64],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """`geo.coverage._candidates` over a target tree kept between edits: the same ball
    search from the sources' side (Earth-centred `sources`), so the same pairs."""
    lists = target_tree.query_ball_point(sources, reach, return_sorted=False, workers=-1)
    ps, pt = _flatten(np.arange(len(sources), dtype=np.intp), lists)
    pc = np.linalg.norm(targets[pt] - sources[ps], axis=1)
    return pt, ps, pc


def _influence_m(nearest_m: NDArray[np.float64]) -> NDArray[np.float64]:
    """Chord beyond which a post plays no part in finding a target's nearest post: the
    upper arc bound of the nearest distance (with margin) plus the 1 mm tie."""
    _, upper = arc_bounds_m(nearest_m + _SLACK_M)
    return upper + _TIE_M + _SLACK_M


def _codes(values: NDArray[np.object_], categories: list[str]) -> NDArray[np.intp]:
    """Position of each value in `categories` (-1 for a missing value or one not there)."""
    return pd.Categorical(values, categories=categories).codes.astype(np.intp)


def _code(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _own_radius(posts: pd.DataFrame) -> pd.Series:
    if Col.RADIUS_M not in posts:
        return pd.Series(np.nan, index=posts.index)
    return pd.to_numeric(posts[Col.RADIUS_M], errors="coerce").astype(float)


def _post_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """Checked name, personnel and post type of a post."""
    out = dict(fields)
    if Col.RADIUS_M in out:
        radius = out[Col.RADIUS_M]
        out[Col.RADIUS_M] = None if radius is None else float(radius)  # type: ignore[arg-type]
        _check_radius(out[Col.RADIUS_M])  # type: ignore[arg-type]
    if Col.POST_TYPE in out:
        out[Col.POST_TYPE] = PostType(str(out[Col.POST_TYPE])).value
    if Col.NAME in out and not str(out[Col.NAME] or "").strip():
        msg = "A post needs a name."
        raise ValueError(msg)
    staff = out.get(Col.PERSONNEL)
    if staff is not None and (not float(staff).is_integer() or float(staff) < 0):  # type: ignore[arg-type]
        msg = f"A post's personnel must be a whole number, 0 or more; got {staff!r}."
        raise ValueError(msg)
    if staff is not None:
        out[Col.PERSONNEL] = int(staff)  # type: ignore[call-overload]
    return out


def _integer(index: pd.Index) -> bool:
    return pd.api.types.is_integer_dtype(index.dtype)


def _outside_last(counts: Mapping[str, AreaCounts]) -> dict[str, AreaCounts]:
    rest = {c: v for c, v in counts.items() if c != _OUTSIDE}
    return {**rest, **({_OUTSIDE: counts[_OUTSIDE]} if _OUTSIDE in counts else {})}


def _check_radius(radius_m: float | None) -> None:
    if radius_m is not None and not (math.isfinite(radius_m) and radius_m > 0):
        msg = f"A post's radius must be a positive number of metres; got {radius_m!r}."
        raise ValueError(msg)


def _check_point(lon: float, lat: float) -> None:
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        msg = f"A post needs a longitude in -180..180 and a latitude in -90..90; got {lon}, {lat}."
        raise ValueError(msg)
