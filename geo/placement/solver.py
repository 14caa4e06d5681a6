"""Maximal covering (MCLP) and location set covering (LSCP), solved with HiGHS.

The model is built straight from the candidate–target pairs the coverage engine finds
(:func:`geo.coverage.nearest_and_covering`), never from a dense candidates × targets matrix,
and made smaller without changing its optimum:

- targets that no candidate reaches are left out (no choice can change them);
- targets reached by exactly the same candidates are one row, with their weights summed;
- a target only one candidate reaches adds its weight to that candidate's objective
  coefficient (MCLP) or forces that candidate (LSCP) instead of a row;
- candidates that reach nothing, or no more than another candidate in the same area limits
  reaches, are fixed at zero (unless an "at least one" limit needs them).

HiGHS runs on one thread with a fixed random seed, so the same problem gives the same
solution; a run stopped by its time limit returns the best solution found and its relative
optimality gap (where it stopped depends on the machine's speed).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from geo.errors import ValidationError

__all__ = [
    "CoverProblem",
    "Infeasible",
    "MaxCoverModel",
    "SolveResult",
    "greedy_max_cover",
    "solve_set_cover",
]

_SEED = 20240214
_INF = highspy.kHighsInf
_ONE = 0.5  # a binary column above this is chosen
_NOTHING = 1e-9  # a gain this small adds nothing
_LEAST_SOLVE_S = 0.1  # HiGHS gets at least this long, however long the start took
_REFILL_ROUNDS = 20  # rounds of replacing a greedy choice's idle picks
_FEASIBLE = int(highspy.SolutionStatus.kSolutionStatusFeasible)


class Infeasible(ValidationError):
    """No choice of candidates meets every constraint (catalog message says which)."""


@dataclass(frozen=True)
class CoverProblem:
    """Which candidate reaches which target, the targets' weights and the area limits.

    Attributes
    ----------
    n_candidates
        Number of candidate sites (indices 0 … n_candidates - 1).
    weights
        Weight of each target (its index in the pairs); its length is the number of targets.
    pair_target, pair_source
        Every (target, candidate) pair where the candidate reaches the target.
    at_least_one
        Groups of candidate indices of which at least one must be chosen (e.g. per
        kecamatan).
    at_most
        (group of candidate indices, n): at most n of the group may be chosen (e.g. per
        kelurahan).
    """

    n_candidates: int
    weights: NDArray[np.float64]
    pair_target: NDArray[np.intp]
    pair_source: NDArray[np.intp]
    at_least_one: tuple[NDArray[np.intp], ...] = ()
    at_most: tuple[tuple[NDArray[np.intp], int], ...] = ()

    @property
    def n_targets(self) -> int:
        """Number of targets."""
        return len(self.weights)

    def reached(self) -> NDArray[np.bool_]:
        """True for every target at least one candidate reaches."""
        out = np.zeros(self.n_targets, dtype=bool)
        out[self.pair_target] = True
        return out


@dataclass(frozen=True)
class SolveResult:
    """One solve.

    Attributes
    ----------
    chosen
        Indices of the chosen candidates, ascending.
    objective
        Weight covered (MCLP) or number of candidates chosen (LSCP).
    status
        "optimal", or "time_limit" when the solver stopped early with this solution.
    gap
        Relative optimality gap of the solution (0 when optimal).
    bound
        The solver's bound on the best objective possible.
    build_s, solve_s
        Seconds spent building the model and solving it (the start included).
    start_objective
        Weight the start offered to the solver covers (MCLP; None when none was offered):
        a run stopped by its time limit is at least this good.
    """

    chosen: NDArray[np.intp]
    objective: float
    status: str
    gap: float
    bound: float
    build_s: float = 0.0
    solve_s: float = 0.0
    start_objective: float | None = None


@dataclass(frozen=True)
class _Groups:
    """Targets grouped by their set of candidates (CSR over groups)."""

    weight: NDArray[np.float64]
    start: NDArray[np.intp]
    source: NDArray[np.intp]

    @property
    def size(self) -> NDArray[np.intp]:
        return np.diff(self.start)

    def members(self, g: int) -> NDArray[np.intp]:
        return self.source[self.start[g] : self.start[g + 1]]


def _group_targets(problem: CoverProblem, *, positive_only: bool) -> _Groups:
    """Targets with the same candidates merged into one group (their weights summed)."""
    pt = np.asarray(problem.pair_target, dtype=np.intp)
    ps = np.asarray(problem.pair_source, dtype=np.intp)
    weights = np.asarray(problem.weights, dtype=float)
    if positive_only:
        keep = weights[pt] > 0
        pt, ps = pt[keep], ps[keep]
    order = np.lexsort((ps, pt))
    pt, ps = pt[order], ps[order]
    if len(pt):
        fresh = np.r_[True, (pt[1:] != pt[:-1]) | (ps[1:] != ps[:-1])]
        pt, ps = pt[fresh], ps[fresh]
    if len(pt):
        starts = np.flatnonzero(np.r_[True, pt[1:] != pt[:-1]])
        ends = np.r_[starts[1:], len(pt)].astype(np.intp)
    else:
        starts = ends = np.array([], dtype=np.intp)
    index: dict[bytes, int] = {}
    group_of = np.empty(len(starts), dtype=np.intp)
    firsts: list[int] = []
    for i, (s, e) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
        key = ps[s:e].tobytes()
        g = index.setdefault(key, len(index))
        if g == len(firsts):
            firsts.append(i)
        group_of[i] = g
    weight = np.bincount(group_of, weights=weights[pt[starts]], minlength=len(firsts))
    first = np.asarray(firsts, dtype=np.intp)
    sizes = (ends - starts)[first] if len(first) else np.array([], dtype=np.intp)
    start = np.r_[0, np.cumsum(sizes)].astype(np.intp)
    source = (
        np.concatenate([ps[starts[f] : ends[f]] for f in first.tolist()])
        if len(first)
        else np.array([], dtype=np.intp)
    )
    return _Groups(weight=weight.astype(float), start=start, source=source)


def _area_rows(
    problem: CoverProblem, first_row: int
) -> tuple[list[NDArray[np.intp]], list[NDArray[np.intp]], list[float], list[float]]:
    """Rows (indices, columns) and bounds of the per-area limits."""
    rows: list[NDArray[np.intp]] = []
    cols: list[NDArray[np.intp]] = []
    lower: list[float] = []
    upper: list[float] = []
    limits = [(g, 1.0, _INF) for g in problem.at_least_one]
    limits += [(g, -_INF, float(n)) for g, n in problem.at_most]
    for i, (group, lo, hi) in enumerate(limits):
        members = np.unique(np.asarray(group, dtype=np.intp))
        rows.append(np.full(len(members), first_row + i, dtype=np.intp))
        cols.append(members)
        lower.append(lo)
        upper.append(hi)
    return rows, cols, lower, upper


def _useful(problem: CoverProblem, groups: _Groups) -> NDArray[np.bool_]:
    """Candidates that reach a target or belong to an "at least one" group."""
    useful = np.zeros(problem.n_candidates, dtype=bool)
    useful[groups.source] = True
    useful &= ~_dominated(problem, groups)
    for group in problem.at_least_one:
        useful[np.asarray(group, dtype=np.intp)] = True
    return useful


def _dominated(problem: CoverProblem, groups: _Groups) -> NDArray[np.bool_]:
    """Candidates another one beats: it reaches every group they reach (and more, or the
    same with a lower index) and is in the same area limits. Swapping one for the other
    never loses weight nor breaks a limit, so they can be left out without changing the
    optimum; leaving them out removes most of the model's symmetry."""
    n_c, n_g = problem.n_candidates, len(groups.weight)
    group_of = np.repeat(np.arange(n_g), groups.size)
    by_candidate = sp.csr_matrix(
        (np.ones(len(groups.source)), (groups.source, group_of)), shape=(n_c, n_g)
    )
    degree = np.diff(by_candidate.indptr)
    limits = [np.asarray(g, dtype=np.intp) for g in problem.at_least_one]
    limits += [np.asarray(g, dtype=np.intp) for g, _ in problem.at_most]
    signature = [tuple(m) for m in _membership(limits, n_c)]
    out = np.zeros(n_c, dtype=bool)
    for j in np.flatnonzero(degree).tolist():
        reached = by_candidate.indices[by_candidate.indptr[j] : by_candidate.indptr[j + 1]]
        rivals = groups.members(int(reached[0]))
        for g in reached[1:].tolist():
            if len(rivals) <= 1:
                break
            rivals = np.intersect1d(rivals, groups.members(g), assume_unique=True)
        better = (degree[rivals] > degree[j]) | ((degree[rivals] == degree[j]) & (rivals < j))
        out[j] = any(signature[int(i)] == signature[j] for i in rivals[better].tolist())
    return out


def _highs(time_limit_s: float) -> highspy.Highs:
    h = highspy.Highs()
    for name, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", _SEED),
        ("mip_rel_gap", 0.0),
        ("time_limit", float(time_limit_s)),
    ):
        h.setOptionValue(name, value)
    return h


def _pass_model(
    h: highspy.Highs,
    *,
    cost: NDArray[np.float64],
    col_bounds: tuple[NDArray[np.float64], NDArray[np.float64]],
    integer: NDArray[np.bool_],
    matrix: sp.csc_matrix,
    row_bounds: tuple[NDArray[np.float64], NDArray[np.float64]],
    maximise: bool,
) -> None:
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = matrix.shape[0]
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_ = col_bounds
    lp.row_lower_, lp.row_upper_ = row_bounds
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = len(cost)
    lp.a_matrix_.num_row_ = matrix.shape[0]
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(float)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer
    ]
    lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    h.passModel(lp)


def _run(h: highspy.Highs, n_candidates: int, *, infeasible_key: str) -> SolveResult:
    """Solve and read the chosen candidates (the first `n_candidates` columns)."""
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    status = h.getModelStatus()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        raise Infeasible.from_text(infeasible_key)
    if int(info.primal_solution_status) != _FEASIBLE:
        raise Infeasible.from_text("suggest.no_solution", seconds=f"{seconds:.0f}")
    values = np.asarray(h.getSolution().col_value[:n_candidates], dtype=float)
    optimal = status == highspy.HighsModelStatus.kOptimal
    gap = 0.0 if optimal else float(info.mip_gap)
    return SolveResult(
        chosen=np.flatnonzero(values > _ONE).astype(np.intp),
        objective=float(info.objective_function_value),
        status="optimal" if optimal else "time_limit",
        gap=gap if np.isfinite(gap) else float("inf"),
        bound=float(info.mip_dual_bound),
        solve_s=seconds,
    )


class MaxCoverModel:
    """The MCLP of a problem, built once and solved for any number of posts k.

    maximise Σ w_g y_g + Σ c_j x_j  subject to  y_g ≤ Σ_{j reaches g} x_j,  Σ x_j ≤ k,
    the area limits, x binary and 0 ≤ y ≤ 1 (y is integral at an optimum).

    Parameters
    ----------
    problem
        The covering problem; targets of weight 0 are left out (they add nothing).
    time_limit_s
        Longest time one solve may take, seconds (finding its start included).
    """

    def __init__(self, problem: CoverProblem, *, time_limit_s: float = 60.0) -> None:
        start = time.perf_counter()
        self.problem = problem
        self._groups = _group_targets(problem, positive_only=True)
        # with whole-number weights, integer y lets HiGHS round its bound to a whole number
        # and so prove optimality far sooner; y is integral at an optimum either way
        self._integral_y = bool(np.all(self._groups.weight == np.round(self._groups.weight)))
        self._time_limit_s = float(time_limit_s)
        self._h = _highs(time_limit_s)
        self._build()
        self.build_s = time.perf_counter() - start

    def _build(self) -> None:
        n_c, groups = self.problem.n_candidates, self._groups
        size = groups.size
        single = np.flatnonzero(size == 1)
        multi = np.flatnonzero(size > 1)
        cost_x = np.bincount(
            groups.source[groups.start[single]], weights=groups.weight[single], minlength=n_c
        )
        n_y = len(multi)
        self._multi = multi
        # rows 0..n_y-1: y_g - Σ x_j ≤ 0; row n_y: Σ x_j ≤ k; then the area limits
        member_rows = np.repeat(np.arange(n_y, dtype=np.intp), size[multi])
        member_cols = np.concatenate([groups.members(g) for g in multi.tolist()] or [[]])
        self._k_row = n_y
        area_r, area_c, area_lo, area_hi = _area_rows(self.problem, n_y + 1)
        rows = [member_rows, np.arange(n_y), np.full(n_c, n_y), *area_r]
        cols = [member_cols, n_c + np.arange(n_y), np.arange(n_c), *area_c]
        vals = [
            np.full(len(member_rows), -1.0),
            np.ones(n_y),
            np.ones(n_c),
            *(np.ones(len(c)) for c in area_c),
        ]
        n_rows = n_y + 1 + len(area_lo)
        matrix = sp.csc_matrix(
            (
                np.concatenate(vals),
                (np.concatenate(rows).astype(np.intp), np.concatenate(cols).astype(np.intp)),
            ),
            shape=(n_rows, n_c + n_y),
        )
        matrix.sum_duplicates()
        matrix.sort_indices()
        upper_x = np.where(_useful(self.problem, groups), 1.0, 0.0)
        _pass_model(
            self._h,
            cost=np.r_[cost_x, groups.weight[multi]],
            col_bounds=(np.zeros(n_c + n_y), np.r_[upper_x, np.ones(n_y)]),
            integer=np.r_[np.ones(n_c, dtype=bool), np.full(n_y, self._integral_y)],
            matrix=matrix,
            row_bounds=(
                np.r_[np.full(n_y + 1, -_INF), area_lo],
                np.r_[np.zeros(n_y), 0.0, area_hi],
            ),
            maximise=True,
        )

    def solve(self, k: int, *, start: Sequence[int] = ()) -> SolveResult:
        """The best choice of at most `k` candidates.

        Parameters
        ----------
        k
            Most candidates to choose.
        start
            A choice to start from (e.g. the solution for k - 1); the greedy choice is
            offered too, and HiGHS keeps the better one that is feasible.

        Raises
        ------
        Infeasible
            When the area limits cannot be met with k candidates.
        """
        began = time.perf_counter()
        self._h.changeRowBounds(self._k_row, -_INF, float(k))
        best = self._better_start(k, start)
        if best is not None:
            self._offer(best)
        left = self._time_limit_s - (time.perf_counter() - began)
        self._h.setOptionValue("time_limit", max(left, _LEAST_SOLVE_S))
        result = _run(self._h, self.problem.n_candidates, infeasible_key="suggest.infeasible")
        chosen = self._without_idle(result.chosen)
        # stopped before its first bound, HiGHS has none: the simple one still gives a gap
        bound = min(result.bound, self._simple_bound(k))
        gap = result.gap if result.status == "optimal" else _relative_gap(bound, result.objective)
        return SolveResult(
            **{
                **result.__dict__,
                "chosen": chosen,
                "bound": bound,
                "gap": gap,
                "build_s": self.build_s,
                "solve_s": time.perf_counter() - began,
                "start_objective": self._value(best) if best is not None else None,
            }
        )

    def _simple_bound(self, k: int) -> float:
        """No choice of k covers more than all reachable weight, nor more than the k
        candidates that reach the most weight each."""
        groups = self._groups
        group_of = np.repeat(np.arange(len(groups.weight)), groups.size)
        reach = np.bincount(
            groups.source, weights=groups.weight[group_of], minlength=self.problem.n_candidates
        )
        return float(min(groups.weight.sum(), np.sort(reach)[::-1][:k].sum()))

    def _without_idle(self, chosen: NDArray[np.intp]) -> NDArray[np.intp]:
        """The choice without candidates that add no weight and meet no "at least one"
        limit (a solver may pick them when k is larger than what can be used)."""
        groups = self._groups
        group_of = np.repeat(np.arange(len(groups.weight)), groups.size)
        by_candidate = sp.csr_matrix(
            (np.ones(len(groups.source)), (groups.source, group_of)),
            shape=(self.problem.n_candidates, len(groups.weight)),
        )
        count = np.asarray(by_candidate[chosen].sum(axis=0)).ravel()
        need = [np.asarray(g, dtype=np.intp) for g in self.problem.at_least_one]
        kept = set(chosen.tolist())
        for j in sorted(kept, reverse=True):
            row = by_candidate.indices[by_candidate.indptr[j] : by_candidate.indptr[j + 1]]
            if groups.weight[row[count[row] == 1]].sum() > _NOTHING:
                continue
            if any(j in g and len(kept.intersection(g.tolist())) == 1 for g in need):
                continue
            kept.discard(j)
            count[row] -= 1
        return np.asarray(sorted(kept), dtype=np.intp)

    def _better_start(self, k: int, start: Sequence[int]) -> NDArray[np.intp] | None:
        """The greedy choice, or `start` grown greedily to k when that covers more (each
        with the picks later picks made idle replaced)."""
        greedy = self._refilled(greedy_max_cover(self.problem, k, groups=self._groups), k)
        options = [greedy]
        if len(start):
            grown = greedy_max_cover(self.problem, k, groups=self._groups, start=start)
            options.append(self._refilled(grown, k))
        scored = [(self._value(c), -i, c) for i, c in enumerate(options) if self._feasible(c, k)]
        return max(scored, key=lambda s: (s[0], s[1]))[2] if scored else None

    def _refilled(self, chosen: NDArray[np.intp], k: int) -> NDArray[np.intp]:
        """A greedy choice whose picks that later picks made idle are dropped and the freed
        places filled greedily again, until none is idle: it covers at least as much."""
        for _ in range(_REFILL_ROUNDS):
            kept = self._without_idle(chosen)
            if len(kept) == len(chosen):
                break
            chosen = greedy_max_cover(self.problem, k, groups=self._groups, start=kept)
        return chosen

    def _covered_groups(self, chosen: NDArray[np.intp]) -> NDArray[np.bool_]:
        groups = self._groups
        picked = np.zeros(self.problem.n_candidates, dtype=bool)
        picked[chosen] = True
        hit = picked[groups.source].astype(np.intp)
        return np.add.reduceat(hit, groups.start[:-1]) > 0 if len(hit) else np.zeros(0, bool)

    def _value(self, chosen: NDArray[np.intp]) -> float:
        return float(self._groups.weight[self._covered_groups(chosen)].sum())

    def _feasible(self, chosen: NDArray[np.intp], k: int) -> bool:
        picked = np.zeros(self.problem.n_candidates, dtype=bool)
        picked[chosen] = True
        if len(chosen) > k:
            return False
        if any(not picked[np.asarray(g, dtype=np.intp)].any() for g in self.problem.at_least_one):
            return False
        return all(picked[np.asarray(g, dtype=np.intp)].sum() <= n for g, n in self.problem.at_most)

    def _offer(self, chosen: NDArray[np.intp]) -> None:
        n_c = self.problem.n_candidates
        x = np.zeros(n_c)
        x[chosen] = 1.0
        y = self._covered_groups(chosen)[self._multi].astype(float)
        solution = highspy.HighsSolution()
        solution.col_value = np.r_[x, y].tolist()
        solution.value_valid = True
        self._h.setSolution(solution)


def _relative_gap(bound: float, objective: float) -> float:
    """(bound − objective) / objective, as HiGHS reports a maximisation's gap."""
    if bound <= objective:
        return 0.0
    return (bound - objective) / objective if objective > 0 else float("inf")


def greedy_max_cover(
    problem: CoverProblem,
    k: int,
    *,
    groups: _Groups | None = None,
    start: Sequence[int] = (),
) -> NDArray[np.intp]:
    """Candidates picked one by one, each adding the most weight (ties: lowest index).

    Respects the area limits as far as a greedy pick can: a full "at most" group is
    closed, and once the picks left equal the "at least one" groups still empty, only
    candidates of those groups are picked. Starts from `start` when given.
    """
    groups = groups if groups is not None else _group_targets(problem, positive_only=True)
    n_c, n_g = problem.n_candidates, len(groups.weight)
    group_of = np.repeat(np.arange(n_g), groups.size)
    gain = np.bincount(groups.source, weights=groups.weight[group_of], minlength=n_c)
    by_group = sp.csr_matrix(
        (np.ones(len(groups.source)), (group_of, groups.source)), shape=(n_g, n_c)
    )
    by_candidate = by_group.T.tocsr()
    covered = np.zeros(n_g, dtype=bool)
    limits = _GreedyLimits(problem)
    chosen: list[int] = []

    def take(j: int) -> None:
        chosen.append(j)
        limits.take(j)
        row = by_candidate.indices[by_candidate.indptr[j] : by_candidate.indptr[j + 1]]
        new = row[~covered[row]]
        covered[new] = True
        if len(new):
            gain[:] -= by_group[new].T.dot(groups.weight[new])

    for j in dict.fromkeys(int(s) for s in start):
        if len(chosen) < k and limits.open[j]:
            take(j)
    while len(chosen) < k:
        allowed = limits.allowed(k - len(chosen))
        if not allowed.any():
            break
        masked = np.where(allowed, gain, -np.inf)
        j = int(np.argmax(masked))
        if masked[j] <= _NOTHING and not limits.needed(j):
            break
        take(j)
    return np.asarray(sorted(chosen), dtype=np.intp)


class _GreedyLimits:
    """Bookkeeping of the area limits (and of the picks) during a greedy choice."""

    def __init__(self, problem: CoverProblem) -> None:
        n_c = problem.n_candidates
        self.open = np.ones(n_c, dtype=bool)
        self.need = [np.asarray(g, dtype=np.intp) for g in problem.at_least_one]
        self.unmet = np.ones(len(self.need), dtype=bool)
        self.need_of = _membership(self.need, n_c)
        self.room = [np.asarray(g, dtype=np.intp) for g, _ in problem.at_most]
        self.left = np.array([int(n) for _, n in problem.at_most], dtype=np.intp)
        self.room_of = _membership(self.room, n_c)
        for r in np.flatnonzero(self.left <= 0).tolist():
            self.open[self.room[r]] = False

    def take(self, j: int) -> None:
        self.open[j] = False
        self.unmet[self.need_of[j]] = False
        for r in self.room_of[j]:
            self.left[r] -= 1
            if self.left[r] <= 0:
                self.open[self.room[r]] = False

    def allowed(self, picks_left: int) -> NDArray[np.bool_]:
        unmet = np.flatnonzero(self.unmet)
        if len(unmet) and picks_left <= len(unmet):
            mask = np.zeros_like(self.open)
            for n in unmet.tolist():
                mask[self.need[n]] = True
            return mask & self.open
        return self.open.copy()

    def needed(self, j: int) -> bool:
        return bool(self.unmet[self.need_of[j]].any()) if self.need_of[j] else False


def _membership(groups: list[NDArray[np.intp]], n: int) -> list[list[int]]:
    """For each of `n` candidates, the indices of the groups it belongs to."""
    out: list[list[int]] = [[] for _ in range(n)]
    for i, group in enumerate(groups):
        for j in np.unique(group).tolist():
            out[j].append(i)
    return out


def solve_set_cover(problem: CoverProblem, *, time_limit_s: float = 60.0) -> SolveResult:
    """The fewest candidates that reach every target some candidate reaches (LSCP).

    minimise Σ x_j  subject to  Σ_{j reaches i} x_j ≥ 1 for every reachable target i,
    the area limits, x binary. Targets no candidate reaches are left out (the caller lists
    them).

    Raises
    ------
    Infeasible
        When the area limits cannot be met together with full coverage.
    """
    start = time.perf_counter()
    groups = _group_targets(problem, positive_only=False)
    n_c = problem.n_candidates
    size = groups.size
    single = np.flatnonzero(size == 1)
    multi = np.flatnonzero(size > 1)
    forced = np.zeros(n_c)
    forced[groups.source[groups.start[single]]] = 1.0
    member_rows = np.repeat(np.arange(len(multi), dtype=np.intp), size[multi])
    member_cols = np.concatenate([groups.members(g) for g in multi.tolist()] or [[]])
    area_r, area_c, area_lo, area_hi = _area_rows(problem, len(multi))
    rows = np.concatenate([member_rows, *area_r]).astype(np.intp)
    cols = np.concatenate([member_cols, *area_c]).astype(np.intp)
    n_rows = len(multi) + len(area_lo)
    matrix = sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, n_c))
    matrix.sum_duplicates()
    matrix.sort_indices()
    h = _highs(time_limit_s)
    _pass_model(
        h,
        cost=np.ones(n_c),
        col_bounds=(forced, np.where(_useful(problem, groups), 1.0, 0.0)),
        integer=np.ones(n_c, dtype=bool),
        matrix=matrix,
        row_bounds=(np.r_[np.ones(len(multi)), area_lo], np.r_[np.full(len(multi), _INF), area_hi]),
        maximise=False,
    )
    build_s = time.perf_counter() - start
    result = _run(h, n_c, infeasible_key="suggest.infeasible_cover")
    return SolveResult(**{**result.__dict__, "build_s": build_s})
