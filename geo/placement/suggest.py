"""Suggest where the next posts go: k posts reaching the most risk-weighted TPS (MCLP), or the
fewest posts reaching every TPS (LSCP), with the plan's posts kept where they are.

What must be reached (the demand) is every TPS the plan's posts leave uncovered, weighted by
the plan's risk weights, and optionally the uncovered demonstration points and threatened
government buildings, each with a weight of their own. A candidate covers a target iff the
geodesic distance is at most the new post type's radius — the engine's own rule, via
:func:`geo.coverage.nearest_and_covering`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.analysis import Analysis, analyse
from geo.areas import Level
from geo.audit import zone_info
from geo.coverage import NearestCover, nearest_and_covering
from geo.errors import ValidationError
from geo.model import AuditAction, Col, Derived, Kind, PostType, Risk
from geo.operation import Operation
from geo.placement.candidates import (
    DEFAULT_SOURCES,
    Candidates,
    CandidateSource,
    gather_candidates,
    grid_spacing_m,
)
from geo.placement.solver import CoverProblem, Infeasible, MaxCoverModel, solve_set_cover
from geo.plans import PlanContent, PlanInfo, Plans, initial_plan_name
from geo.text import Text, t

__all__ = [
    "CURVE_POINTS",
    "CurvePoint",
    "Mode",
    "Progress",
    "SuggestOptions",
    "SuggestedPost",
    "Suggestion",
    "Unreachable",
    "default_grid_m",
    "draft_content",
    "draft_name",
    "save_draft",
    "suggest",
]

CURVE_POINTS = 40
"""The curve is solved at every k up to this many points, beyond at this many k spread
evenly from 1 to K."""
_MAX_K = 5_000
_MAX_TIME_S = 3_600.0
_MAX_WEIGHT = 1_000.0
_EXTRA_KINDS = (Kind.DEMONSTRATION_POINT, Kind.GOVERNMENT)

Progress = Callable[[Text], None]
"""Told each step as it starts (a catalog text), e.g. to show it in the app."""


class Mode(StrEnum):
    """What is asked."""

    ADD = "add"  # the best k new posts (MCLP)
    COVER_ALL = "cover_all"  # the fewest new posts for full coverage (LSCP)


@dataclass(frozen=True)
class SuggestOptions:
    """The planner's choices for a suggestion (hashable: the app caches on them).

    Attributes
    ----------
    mode
        :class:`Mode`: k new posts, or full coverage.
    k
        Number of new posts (mode "add").
    post_type
        Post type of the new posts; its radius is the plan's.
    sources
        Which of the operation's kinds of site are candidates.
    grid_m
        Spacing of a candidate grid over the areas, metres (None: no grid).
    per_kecamatan
        At least one new post in every kecamatan.
    max_per_kelurahan
        At most this many new posts in one kelurahan (None: no limit).
    demo_weight, building_weight
        Weight of an uncovered demonstration point and of an uncovered threatened
        government building (0: not part of the demand).
    time_limit_s
        Longest time the main solve may take; the curve's points share as much again.
    curve
        Work out the coverage-vs-number-of-posts curve.

    Raises
    ------
    ValidationError
        When a value is out of range (catalog message).
    """

    mode: Mode = Mode.ADD
    k: int = 3
    post_type: PostType = PostType.POS_PAM
    sources: tuple[CandidateSource, ...] = DEFAULT_SOURCES
    grid_m: float | None = None
    per_kecamatan: bool = False
    max_per_kelurahan: int | None = None
    demo_weight: float = 0.0
    building_weight: float = 0.0
    time_limit_s: float = 60.0
    curve: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", _choice(Mode, self.mode, "mode"))
        object.__setattr__(self, "post_type", _choice(PostType, self.post_type, "post_type"))
        sources = tuple(dict.fromkeys(_choice(CandidateSource, s, "source") for s in self.sources))
        object.__setattr__(self, "sources", sources)
        _check_int("k", self.k, 1, _MAX_K)
        if self.max_per_kelurahan is not None:
            _check_int("max_per_kelurahan", self.max_per_kelurahan, 1, _MAX_K)
        if self.grid_m is not None:
            _check_number("grid_m", self.grid_m, 10.0, 100_000.0)
        _check_number("time_limit_s", self.time_limit_s, 0.1, _MAX_TIME_S)
        for name in ("demo_weight", "building_weight"):
            _check_number(name, getattr(self, name), 0.0, _MAX_WEIGHT)


def _choice(enum: type[StrEnum], value: object, name: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise ValidationError.from_text(
            "suggest.bad_choice", name=name, value=value, expected=", ".join(enum)
        ) from None


def _check_int(name: str, value: object, low: int, high: int) -> None:
    ok = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not ok or not low <= int(value) <= high:
        raise ValidationError.from_text(
            "suggest.bad_number", name=name, value=value, low=low, high=high
        )


def _check_number(name: str, value: object, low: float, high: float) -> None:
    ok = isinstance(value, int | float | np.number) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)) or not low <= float(value) <= high:
        raise ValidationError.from_text(
            "suggest.bad_number", name=name, value=value, low=f"{low:g}", high=f"{high:g}"
        )


@dataclass(frozen=True)
class SuggestedPost:
    """One suggested post, in the order that explains the choice (largest gain first).

    Attributes
    ----------
    order
        1 for the post that adds the most, then each next one adds the most of what is left.
    candidate_id, name, source, lon, lat, kecamatan, kelurahan
        The candidate site.
    gain
        Weight it adds on top of the posts before it (its marginal gain).
    new_targets
        Site ids of the targets it newly covers (TPS, and extra demand when chosen).
    new_by_risk
        TPS it newly covers, per risk class.
    new_extra
        Demonstration points and threatened buildings it newly covers.
    """

    order: int
    candidate_id: str
    name: str
    source: str
    lon: float
    lat: float
    kecamatan: str | None
    kelurahan: str | None
    gain: float
    new_targets: tuple[str, ...]
    new_by_risk: Mapping[str, int]
    new_extra: Mapping[str, int]

    @property
    def new_tps(self) -> int:
        """TPS it newly covers."""
        return sum(self.new_by_risk.values())

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "order": self.order,
            "candidate_id": self.candidate_id,
            "name": self.name,
            "source": self.source,
            "lon": round(self.lon, 7),
            "lat": round(self.lat, 7),
            "kecamatan": self.kecamatan,
            "kelurahan": self.kelurahan,
            "gain": round(self.gain, 6),
            "new_tps": self.new_tps,
            "new_by_risk": dict(self.new_by_risk),
            "new_extra": dict(self.new_extra),
            "new_targets": list(self.new_targets),
        }


@dataclass(frozen=True)
class Unreachable:
    """A target no candidate can reach, with the distance to the nearest candidate."""

    site_id: str
    name: str
    kind: str
    risk: str | None
    nearest_candidate: str | None
    nearest_m: float | None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "site_id": self.site_id,
            "name": self.name,
            "kind": self.kind,
            "risk": self.risk,
            "nearest_candidate": self.nearest_candidate,
            "nearest_candidate_m": None if self.nearest_m is None else round(self.nearest_m, 1),
        }


@dataclass(frozen=True)
class CurvePoint:
    """The best coverage with k new posts (None when the area limits need more posts)."""

    k: int
    gain: float | None
    tps_covered: int | None
    weighted_score: float | None
    status: str
    gap: float

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "k": self.k,
            "gain": None if self.gain is None else round(self.gain, 6),
            "tps_covered": self.tps_covered,
            "weighted_score": None
            if self.weighted_score is None
            else round(self.weighted_score, 4),
            "status": self.status,
            "gap": _gap(self.gap),
        }


def _gap(gap: float) -> float | None:
    return round(gap, 6) if math.isfinite(gap) else None


@dataclass(frozen=True)
class _Figures:
    """TPS covered, the risk-weighted score, and extra demand covered."""

    tps_total: int
    tps_covered: int
    weighted_score: float
    extra_covered: Mapping[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tps_total": self.tps_total,
            "tps_covered": self.tps_covered,
            "tps_uncovered": self.tps_total - self.tps_covered,
            "weighted_score": round(self.weighted_score, 4),
            "extra_covered": dict(self.extra_covered),
        }


@dataclass(frozen=True)
class Suggestion:
    """Suggested posts with their explanation, the figures before and after, what no
    candidate reaches and the curve of coverage against the number of new posts.

    Attributes
    ----------
    status, gap, bound
        How the main solve ended: "optimal" or "time_limit" (best solution found, with its
        relative gap and the solver's bound).
    build_s, solve_s
        Seconds spent building and solving the main model (not part of :meth:`report`).
    """

    options: SuggestOptions
    operation: str
    plan: str
    radius_m: float
    candidates: Candidates
    posts: tuple[SuggestedPost, ...]
    before: _Figures
    after: _Figures
    gain: float
    status: str
    gap: float
    bound: float
    unreachable: tuple[Unreachable, ...]
    curve: tuple[CurvePoint, ...]
    notes: tuple[Text, ...] = ()
    upload: Mapping[str, Any] | None = None
    build_s: float = field(default=0.0, compare=False)
    solve_s: float = field(default=0.0, compare=False)

    def report(self, lang: str = "id") -> dict[str, Any]:
        """Plain data: what `posko suggest --json` prints and the app computes."""
        o = self.options
        return {
            "operation": self.operation,
            "plan": self.plan,
            "mode": str(o.mode),
            "k": o.k if o.mode == Mode.ADD else None,
            "post_type": str(o.post_type),
            "radius_m": self.radius_m,
            "constraints": {
                "per_kecamatan": o.per_kecamatan,
                "max_per_kelurahan": o.max_per_kelurahan,
                "demo_weight": o.demo_weight,
                "building_weight": o.building_weight,
            },
            "candidates": {
                "sources": [str(s) for s in o.sources],
                "found": dict(self.candidates.found),
                "in_no_go": self.candidates.in_no_go,
                "same_place": self.candidates.same_place,
                "used": len(self.candidates),
                "grid_m": self.candidates.grid_m,
            },
            "upload": dict(self.upload) if self.upload else None,
            "solver": {
                "status": self.status,
                "gap": _gap(self.gap),
                "bound": round(self.bound, 6) if math.isfinite(self.bound) else None,
                "time_limit_s": o.time_limit_s,
            },
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "gain": round(self.gain, 6),
            "posts": [p.as_dict() for p in self.posts],
            "unreachable": [u.as_dict() for u in self.unreachable],
            "curve": [c.as_dict() for c in self.curve],
            "notes": [n.render(lang) for n in self.notes],
        }


# --- demand ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Demand:
    """The targets still to reach: TPS and extra demand the plan's posts leave uncovered."""

    frame: pd.DataFrame  # site_id, name, kind, risk, lon, lat, weight
    tps_weight_total: float
    tps_weight_covered: float
    tps_total: int
    tps_covered: int
    extra_covered: Mapping[str, int]


def _demand(analysis: Analysis, options: SuggestOptions) -> _Demand:
    weights = analysis.settings.risk_weights
    tps = analysis.polling_stations
    tps_w = tps[Col.RISK].map(lambda r: float(weights[Risk(r)])).to_numpy(dtype=float)
    covered = tps[Derived.COVERED].to_numpy(dtype=bool)
    parts = [_targets(tps[~covered], tps_w[~covered])]
    extra_covered: dict[str, int] = {}
    demo = analysis.demonstration_points
    if options.demo_weight > 0:
        open_demo = demo[~demo[Derived.COVERED].to_numpy(dtype=bool)]
        parts.append(_targets(open_demo, np.full(len(open_demo), options.demo_weight)))
        extra_covered[Kind.DEMONSTRATION_POINT] = len(demo) - len(open_demo)
    if options.building_weight > 0:
        buildings, reached = _threatened_buildings(analysis)
        open_b = buildings[~reached]
        parts.append(_targets(open_b, np.full(len(open_b), options.building_weight)))
        extra_covered[Kind.GOVERNMENT] = int(reached.sum())
    frame = pd.concat(parts, ignore_index=True)
    return _Demand(
        frame=frame,
        tps_weight_total=float(tps_w.sum()),
        tps_weight_covered=float(tps_w[covered].sum()),
        tps_total=len(tps),
        tps_covered=int(covered.sum()),
        extra_covered=extra_covered,
    )


def _targets(sites: pd.DataFrame, weight: NDArray[np.float64]) -> pd.DataFrame:
    risk = sites[Col.RISK] if Col.RISK in sites else pd.Series(None, index=sites.index)
    return pd.DataFrame(
        {
            "site_id": sites[Col.SITE_ID].astype(str).to_numpy(),
            "name": sites[Col.NAME].astype(str).to_numpy(),
            "kind": sites[Col.KIND].astype(str).to_numpy(),
            "risk": [None if pd.isna(r) else str(r) for r in risk],
            "lon": sites.geometry.x.to_numpy(),
            "lat": sites.geometry.y.to_numpy(),
            "weight": np.asarray(weight, dtype=float),
        }
    )


def _threatened_buildings(analysis: Analysis) -> tuple[gpd.GeoDataFrame, NDArray[np.bool_]]:
    """Government buildings a demonstration point threatens, and whether a post of the
    plan reaches each."""
    ids = analysis.demonstration_points[Derived.THREATENED_ID].dropna().astype(str)
    sites = analysis.operation.sites
    buildings = sites[sites[Col.SITE_ID].isin(set(ids)) & (sites[Col.KIND] == Kind.GOVERNMENT)]
    buildings = buildings.sort_values(Col.SITE_ID)
    posts = analysis.coverage.covering
    reach = nearest_and_covering(
        buildings.geometry.x.to_numpy(),
        buildings.geometry.y.to_numpy(),
        posts.geometry.x.to_numpy(),
        posts.geometry.y.to_numpy(),
        source_radius_m=posts[Derived.RADIUS_USED_M].to_numpy(dtype=float),
    )
    return buildings, reach.covered


# --- problem --------------------------------------------------------------------------------


def _area_limits(
    operation: Operation, candidates: pd.DataFrame, options: SuggestOptions
) -> tuple[tuple[NDArray[np.intp], ...], tuple[tuple[NDArray[np.intp], int], ...]]:
    """Candidate groups of the per-kecamatan minimum and the per-kelurahan maximum.

    Raises
    ------
    ValidationError
        When the operation has no areas of the level a limit needs, a kecamatan has no
        candidate, or k is smaller than the number of kecamatan.
    """
    at_least: list[NDArray[np.intp]] = []
    at_most: list[tuple[NDArray[np.intp], int]] = []
    if options.per_kecamatan:
        areas = _areas_of(operation, Level.KECAMATAN)
        codes = candidates[str(Level.KECAMATAN)].astype("object")
        empty = []
        for code, name in areas:
            members = np.flatnonzero((codes == code).to_numpy())
            if not len(members):
                empty.append(name)
            at_least.append(members.astype(np.intp))
        if empty:
            raise ValidationError.from_text("suggest.kecamatan_empty", areas=", ".join(empty))
        if options.mode == Mode.ADD and options.k < len(areas):
            raise ValidationError.from_text("suggest.k_below_kecamatan", k=options.k, n=len(areas))
    if options.max_per_kelurahan is not None:
        _areas_of(operation, Level.KELURAHAN)
        codes = candidates[str(Level.KELURAHAN)]
        for code in sorted(codes.dropna().unique()):
            members = np.flatnonzero((codes == code).to_numpy()).astype(np.intp)
            if len(members) > options.max_per_kelurahan:
                at_most.append((members, options.max_per_kelurahan))
    return tuple(at_least), tuple(at_most)


def _areas_of(operation: Operation, level: Level) -> list[tuple[str, str]]:
    areas = operation.areas
    rows = areas[areas["level"] == level].sort_values("area_code")
    if rows.empty:
        raise ValidationError.from_text("suggest.no_level", level=str(level))
    return list(zip(rows["area_code"].astype(str), rows["name"].astype(str), strict=True))


# --- explanation ----------------------------------------------------------------------------


def _explain(
    chosen: NDArray[np.intp], problem: CoverProblem
) -> list[tuple[int, NDArray[np.intp], float]]:
    """The chosen candidates in greedy order: (candidate, targets it newly covers, gain).

    Each step takes the candidate that adds the most weight to those before it (ties: the
    lowest index); gains only shrink as coverage grows, so stale heap entries are
    re-scored lazily and the order is exactly the greedy one.
    """
    chosen_set = np.zeros(problem.n_candidates, dtype=bool)
    chosen_set[chosen] = True
    keep = chosen_set[problem.pair_source]
    pt, ps = problem.pair_target[keep], problem.pair_source[keep]
    order = np.argsort(ps, kind="stable")
    pt, ps = pt[order], ps[order]
    bounds = np.searchsorted(ps, np.r_[chosen, problem.n_candidates])
    reach = {int(j): pt[bounds[i] : bounds[i + 1]] for i, j in enumerate(chosen)}
    weights = problem.weights
    covered = np.zeros(problem.n_targets, dtype=bool)

    def score(j: int) -> float:
        targets = reach[j]
        return float(weights[targets[~covered[targets]]].sum())

    heap = [(-score(j), j) for j in reach]
    heapq.heapify(heap)
    steps = []
    while heap:
        _, j = heapq.heappop(heap)
        gain = score(j)
        if heap and (-gain, j) > heap[0]:
            heapq.heappush(heap, (-gain, j))
            continue
        targets = reach[j]
        new = np.unique(targets[~covered[targets]])
        covered[new] = True
        steps.append((j, new, gain))
    return steps


def _posts(
    steps: list[tuple[int, NDArray[np.intp], float]], candidates: pd.DataFrame, demand: pd.DataFrame
) -> tuple[SuggestedPost, ...]:
    posts = []
    for order, (j, new, gain) in enumerate(steps, start=1):
        row = candidates.iloc[j]
        targets = demand.iloc[new]
        tps = targets[targets["kind"] == Kind.POLLING_STATION]
        by_risk = {str(r): int((tps["risk"] == r).sum()) for r in Risk}
        extra = {str(k): int((targets["kind"] == k).sum()) for k in _EXTRA_KINDS}
        posts.append(
            SuggestedPost(
                order=order,
                candidate_id=str(row["candidate_id"]),
                name=str(row["name"]),
                source=str(row["source"]),
                lon=float(row["lon"]),
                lat=float(row["lat"]),
                kecamatan=_code(row[str(Level.KECAMATAN)]),
                kelurahan=_code(row[str(Level.KELURAHAN)]),
                gain=float(gain),
                new_targets=tuple(targets["site_id"]),
                new_by_risk=by_risk,
                new_extra={k: n for k, n in extra.items() if n},
            )
        )
    return tuple(posts)


def _code(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _unreachable(
    demand: pd.DataFrame, reach: NearestCover, candidates: pd.DataFrame
) -> tuple[Unreachable, ...]:
    out = []
    ids = candidates["candidate_id"].to_numpy()
    for i in np.flatnonzero(~reach.covered).tolist():
        row = demand.iloc[i]
        nearest = int(reach.nearest[i])
        has = nearest >= 0 and math.isfinite(float(reach.nearest_m[i]))
        out.append(
            Unreachable(
                site_id=str(row["site_id"]),
                name=str(row["name"]),
                kind=str(row["kind"]),
                risk=row["risk"],
                nearest_candidate=str(ids[nearest]) if has else None,
                nearest_m=float(reach.nearest_m[i]) if has else None,
            )
        )
    return tuple(sorted(out, key=lambda u: (-(u.nearest_m or math.inf), u.site_id)))


# --- figures --------------------------------------------------------------------------------


def _figures(demand: _Demand, covered: NDArray[np.bool_]) -> _Figures:
    """The figures with the demand targets `covered` newly reached."""
    frame = demand.frame
    is_tps = (frame["kind"] == Kind.POLLING_STATION).to_numpy()
    new_tps = covered & is_tps
    weight = demand.tps_weight_covered + float(frame["weight"].to_numpy()[new_tps].sum())
    extra = {
        str(k): n + int((covered & (frame["kind"] == k).to_numpy()).sum())
        for k, n in demand.extra_covered.items()
    }
    total = demand.tps_weight_total
    return _Figures(
        tps_total=demand.tps_total,
        tps_covered=demand.tps_covered + int(new_tps.sum()),
        weighted_score=weight / total if total else 1.0,
        extra_covered=extra,
    )


def _covered_by(chosen: NDArray[np.intp], problem: CoverProblem) -> NDArray[np.bool_]:
    picked = np.zeros(problem.n_candidates, dtype=bool)
    picked[chosen] = True
    covered = np.zeros(problem.n_targets, dtype=bool)
    covered[problem.pair_target[picked[problem.pair_source]]] = True
    return covered


def _curve_ks(k_max: int) -> list[int]:
    if k_max <= CURVE_POINTS:
        return list(range(1, k_max + 1))
    return sorted({round(float(v)) for v in np.linspace(1, k_max, CURVE_POINTS)})


def _curve(
    problem: CoverProblem, demand: _Demand, k_max: int, options: SuggestOptions
) -> tuple[CurvePoint, ...]:
    """The best weight covered for each k (sampled beyond :data:`CURVE_POINTS`), each solve
    starting from the previous one's choice."""
    ks = _curve_ks(k_max)
    model = MaxCoverModel(problem, time_limit_s=max(options.time_limit_s / len(ks), 0.1))
    points = []
    start: NDArray[np.intp] = np.array([], dtype=np.intp)
    for k in ks:
        try:
            result = model.solve(k, start=start)
        except Infeasible:
            points.append(CurvePoint(k, None, None, None, "infeasible", math.nan))
            continue
        start = result.chosen
        figures = _figures(demand, _covered_by(result.chosen, problem))
        points.append(
            CurvePoint(
                k=k,
                gain=result.objective,
                tps_covered=figures.tps_covered,
                weighted_score=figures.weighted_score,
                status=result.status,
                gap=result.gap,
            )
        )
    return tuple(points)


# --- the suggestion -------------------------------------------------------------------------


def _tell(progress: Progress | None, key: str, **params: object) -> None:
    if progress is not None:
        progress(Text(key, params))


def suggest(
    operation: Operation,
    options: SuggestOptions,
    *,
    uploaded: gpd.GeoDataFrame | None = None,
    upload: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> Suggestion:
    """Suggest new posts for an operation as its plan deploys it.

    Parameters
    ----------
    operation
        The operation with the plan whose posts stay where they are.
    options
        The planner's choices.
    uploaded
        Accepted rows of a planner's candidate list (see
        :func:`geo.placement.candidates.read_candidate_file`).
    upload
        What to report about that list (file name and row counts).
    progress
        Told each step as it starts.

    Raises
    ------
    ValidationError
        When there is no candidate, an area limit cannot be applied, or no choice meets
        the limits (catalog messages).
    """
    _tell(progress, "suggest.step.coverage")
    analysis = analyse(operation)
    demand = _demand(analysis, options)
    radius = float(operation.settings.radius_m[options.post_type])
    _tell(progress, "suggest.step.candidates")
    grid = options.grid_m
    candidates = gather_candidates(
        operation, sources=options.sources, grid_m=grid, uploaded=uploaded
    )
    if not len(candidates):
        raise ValidationError.from_text("suggest.no_candidates")
    frame = candidates.frame
    _tell(progress, "suggest.step.reach", candidates=len(frame), targets=len(demand.frame))
    reach = nearest_and_covering(
        demand.frame["lon"].to_numpy(),
        demand.frame["lat"].to_numpy(),
        frame["lon"].to_numpy(),
        frame["lat"].to_numpy(),
        source_radius_m=np.full(len(frame), radius),
    )
    at_least, at_most = _area_limits(operation, frame, options)
    problem = CoverProblem(
        n_candidates=len(frame),
        weights=demand.frame["weight"].to_numpy(dtype=float),
        pair_target=reach.pair_target,
        pair_source=reach.pair_source,
        at_least_one=at_least,
        at_most=at_most,
    )
    _tell(progress, "suggest.step.solve")
    if options.mode == Mode.ADD:
        result = MaxCoverModel(problem, time_limit_s=options.time_limit_s).solve(options.k)
    else:
        result = solve_set_cover(problem, time_limit_s=options.time_limit_s)
    curve: tuple[CurvePoint, ...] = ()
    if options.curve:
        k_max = options.k if options.mode == Mode.ADD else len(result.chosen)
        if k_max:
            _tell(progress, "suggest.step.curve", k=k_max)
            curve = _curve(problem, demand, k_max, options)
    _tell(progress, "suggest.step.explain")
    steps = _explain(result.chosen, problem)
    posts = _posts(steps, frame, demand.frame)
    covered = _covered_by(result.chosen, problem)
    gain = float(demand.frame["weight"].to_numpy()[covered].sum())
    return Suggestion(
        options=options,
        operation=operation.title,
        plan=operation.plan.name
        if operation.plan
        else initial_plan_name(operation.base_settings.language),
        radius_m=radius,
        candidates=candidates,
        posts=posts,
        before=_figures(demand, np.zeros(len(demand.frame), dtype=bool)),
        after=_figures(demand, covered),
        gain=gain,
        status=result.status,
        gap=result.gap,
        bound=result.bound,
        unreachable=_unreachable(demand.frame, reach, frame),
        curve=curve,
        notes=_notes(options, posts, demand, reach),
        upload=upload,
        build_s=result.build_s,
        solve_s=result.solve_s,
    )


def _notes(
    options: SuggestOptions,
    posts: tuple[SuggestedPost, ...],
    demand: _Demand,
    reach: NearestCover,
) -> tuple[Text, ...]:
    notes = []
    if demand.frame.empty:
        notes.append(Text("suggest.note.all_covered", {}))
    elif options.mode == Mode.ADD and len(posts) < options.k:
        notes.append(Text("suggest.note.fewer", {"n": len(posts), "k": options.k}))
    unreached = int((~reach.covered).sum())
    if unreached:
        notes.append(Text("suggest.note.unreachable", {"n": unreached}))
    return tuple(notes)


# --- draft plan -----------------------------------------------------------------------------


def draft_content(operation: Operation, suggestion: Suggestion, lang: str = "id") -> PlanContent:
    """The plan's content with the suggested posts added (its own posts unchanged)."""
    content = operation.plan_content
    for post in suggestion.posts:
        content, _ = content.with_post_added(
            lon=post.lon,
            lat=post.lat,
            post_type=suggestion.options.post_type,
            name=t("suggest.post_name", lang, n=post.order, place=post.name),
        )
    return content


def draft_name(suggestion: Suggestion, when: datetime, zone: str, lang: str = "id") -> str:
    """A name for the draft plan, e.g. "Saran +3 pos 29-11-2026 05.30 WIB": `when` (a naive
    time is taken as UTC) in the operation's zone `zone` (WIB, WITA or WIT), labelled."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    local = aware.astimezone(zone_info(zone)).strftime("%d-%m-%Y %H.%M")
    return t("suggest.draft_name", lang, n=len(suggestion.posts), when=f"{local} {zone}")


def save_draft(
    operation: Operation, suggestion: Suggestion, *, name: str, who: str, lang: str = "id"
) -> PlanInfo:
    """Save the suggestion as a new draft plan (the plan shown now stays as it is).

    Raises
    ------
    ValidationError
        When there is nothing to add, or the name is empty, too long or taken.
    """
    if not suggestion.posts:
        raise ValidationError.from_text("suggest.nothing_to_save")
    content = draft_content(operation, suggestion, lang)
    note = Text(
        "suggest.plan_note",
        {"n": len(suggestion.posts), "post_type": str(suggestion.options.post_type)},
    ).render("en")
    draft = AuditAction.SUGGEST_DRAFT
    return Plans.for_operation(operation).create(
        name, content, who=who, note=note, audit_action=draft
    )


def default_grid_m(operation: Operation, post_type: PostType) -> float:
    """The grid spacing that covers every cell for the post type's radius in the plan."""
    return round(grid_spacing_m(float(operation.settings.radius_m[PostType(post_type)])))
