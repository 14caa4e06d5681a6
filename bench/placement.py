"""Benchmark: suggesting posts (MCLP) with Posko's sparse HiGHS model against spopt.

Run ``python bench/placement.py [pangkalpinang|province|polda ...]`` (default: all three).
One JSON line per instance:

- ``pangkalpinang``: the bundled sample, its current plan's posts fixed, the default
  candidate sources plus a grid at radius·√2, k = 5;
- ``province``: seeded synthetic, 10,000 TPS and 2,000 candidates clustered like settlement
  over about 250 × 250 km, radius 1 km, k = 250;
- ``polda``: seeded synthetic shaped like Polda Jawa Barat (about 140,000 TPS over
  35,000 km² in 627 kecamatan): 100,000 TPS and 5,000 candidates around 600 towns
  (kecamatan centres, lognormal sizes, 1–4 km spread) over 1.8° × 1.8° (about 200 × 200 km),
  radius 1 km, k = 1,000. Its 166,000 candidate–TPS pairs overlap as in a real Polda, so
  the solve stops at its time limit of 40 s, its start included (pairs and model take
  about 2 s more, and HiGHS may overrun its limit while it finishes the LP it is in: a few
  seconds, far more on a busy machine) with the best solution it has, its relative gap to
  its bound, and the objective of the start it was offered (greedy, then each pick a later
  pick made idle replaced greedily; the solution is never worse than that start). The
  province: 300 s, of which it needs about 5.

Posko: the engine's candidate–TPS pairs (``nearest_and_covering``), the model built from
them (``MaxCoverModel``) and solved by HiGHS (one thread). spopt: ``MCLP.from_cost_matrix``
on a dense TPS × candidates matrix holding the same pairs' distances (2 × radius where a
candidate does not reach), solved by CBC through PuLP — the same instance, so the
objectives must agree. Its time counts filling the dense matrix, building and solving; the
pairs (shared) are counted for both. The Polda instance is not given to spopt: its dense
matrix alone (100,000 × 5,000 float64) is 4 GB.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analysis import analyse
from geo.coverage import nearest_and_covering
from geo.operation import load_operation
from geo.placement.candidates import gather_candidates
from geo.placement.solver import CoverProblem, MaxCoverModel
from geo.placement.suggest import SuggestOptions, _demand, default_grid_m

RADIUS_M = 1000.0
RISK_WEIGHTS = np.array([1.0, 2.0, 3.0, 3.0])
RISK_SHARE = [0.6, 0.25, 0.12, 0.03]
SPOPT_DENSE_LIMIT = 50_000_000  # cells; beyond this the dense matrix does not fit comfortably
SPOPT_TIMEOUT_S = 1200.0


def synthetic(
    n_tps: int, n_cand: int, span_deg: float, seed: int, towns: int | None = None
) -> tuple[np.ndarray, ...]:
    """TPS and candidates around seeded towns (lognormal sizes) in a square of `span_deg`
    (`towns`: how many; default one per 60 TPS, at least 20)."""
    rng = np.random.default_rng(seed)
    towns = towns if towns is not None else max(20, n_tps // 60)
    t_lon = 106.0 + rng.uniform(0, span_deg, towns)
    t_lat = -7.0 + rng.uniform(0, span_deg, towns)
    size = rng.lognormal(0, 1, towns)
    spread = rng.uniform(0.01, 0.04, towns)

    def around(n: int) -> tuple[np.ndarray, np.ndarray]:
        town = rng.choice(towns, size=n, p=size / size.sum())
        return (
            t_lon[town] + rng.normal(0, 1, n) * spread[town],
            t_lat[town] + rng.normal(0, 1, n) * spread[town],
        )

    lon, lat = around(n_tps)
    c_lon, c_lat = around(n_cand)
    weights = RISK_WEIGHTS[rng.choice(4, size=n_tps, p=RISK_SHARE)]
    return lon, lat, weights, c_lon, c_lat


def sample_instance() -> tuple[np.ndarray, ...]:
    """The sample's TPS left uncovered by its plan, and its default candidates + grid."""
    operation = load_operation()
    options = SuggestOptions(k=5)
    demand = _demand(analyse(operation), options).frame
    candidates = gather_candidates(
        operation, grid_m=default_grid_m(operation, options.post_type)
    ).frame
    radius = float(operation.settings.radius_m[options.post_type])
    return (
        demand["lon"].to_numpy(),
        demand["lat"].to_numpy(),
        demand["weight"].to_numpy(dtype=float),
        candidates["lon"].to_numpy(),
        candidates["lat"].to_numpy(),
        radius,
    )


def posko(lon, lat, weights, c_lon, c_lat, radius, k, time_limit):
    """Pairs, model and solve, timed."""
    start = time.perf_counter()
    reach = nearest_and_covering(
        lon, lat, c_lon, c_lat, source_radius_m=np.full(len(c_lon), radius)
    )
    pairs_s = time.perf_counter() - start
    problem = CoverProblem(len(c_lon), weights, reach.pair_target, reach.pair_source)
    model = MaxCoverModel(problem, time_limit_s=time_limit)
    result = model.solve(k)
    return reach, {
        "pairs_s": round(pairs_s, 3),
        "build_s": round(result.build_s, 3),
        "solve_s": round(result.solve_s, 3),
        "total_s": round(pairs_s + result.build_s + result.solve_s, 3),
        "objective": round(result.objective, 6),
        "status": result.status,
        "gap": round(result.gap, 6),
        "bound": round(result.bound, 6),
        "start_objective": result.start_objective,
        "chosen": len(result.chosen),
    }


def spopt(reach, n_tps, n_cand, weights, radius, k, pairs_s):
    import pulp
    from spopt.locate import MCLP

    start = time.perf_counter()
    cost = np.full((n_tps, n_cand), 2.0 * radius)
    cost[reach.pair_target, reach.pair_source] = reach.pair_m
    fill_s = time.perf_counter() - start
    start = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=k)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    model.solve(pulp.PULP_CBC_CMD(msg=False, threads=1))
    solve_s = time.perf_counter() - start
    return {
        "matrix_s": round(fill_s, 3),
        "build_s": round(build_s, 3),
        "solve_s": round(solve_s, 3),
        "total_s": round(pairs_s + fill_s + build_s + solve_s, 3),
        "objective": round(float(pulp.value(model.problem.objective)), 6),
        "status": pulp.LpStatus[model.problem.status],
    }


def _spopt_worker(queue, *args) -> None:
    queue.put(spopt(*args))


def spopt_with_timeout(*args, timeout_s: float) -> dict:
    """spopt in a child process, stopped after `timeout_s` (its model building is Python)."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_spopt_worker, args=(queue, *args))
    start = time.perf_counter()
    child.start()
    child.join(timeout_s)
    if child.is_alive():
        child.terminate()
        child.join()
        return {"timed_out_s": round(time.perf_counter() - start, 1)}
    return queue.get()


def run(name: str, data: tuple, k: int, time_limit: float) -> dict:
    lon, lat, weights, c_lon, c_lat, radius = data
    reach, ours = posko(lon, lat, weights, c_lon, c_lat, radius, k, time_limit)
    line: dict = {
        "instance": name,
        "tps": len(lon),
        "candidates": len(c_lon),
        "k": k,
        "radius_m": radius,
        "pairs": len(reach.pair_target),
        "time_limit_s": time_limit,
        "posko": ours,
    }
    if len(lon) * len(c_lon) > SPOPT_DENSE_LIMIT:
        gb = len(lon) * len(c_lon) * 8 / 1e9
        line["spopt"] = {
            "skipped": f"dense cost matrix {len(lon):,} x {len(c_lon):,} float64 = {gb:.1f} GB; "
            "spopt's MCLP needs it whole (and a PuLP constraint per TPS)",
        }
        return line
    theirs = spopt_with_timeout(
        reach, len(lon), len(c_lon), weights, radius, k, ours["pairs_s"], timeout_s=SPOPT_TIMEOUT_S
    )
    line["spopt"] = theirs
    if "objective" not in theirs:
        line["speedup_end_to_end"] = f">{theirs['timed_out_s'] / ours['total_s']:.0f}"
        return line
    line["same_objective"] = abs(theirs["objective"] - ours["objective"]) < 1e-6
    line["speedup_end_to_end"] = round(theirs["total_s"] / ours["total_s"], 1)
    return line


INSTANCES = {
    "pangkalpinang": lambda: run("pangkalpinang", sample_instance(), 5, 60.0),
    "province": lambda: run(
        "province", (*synthetic(10_000, 2_000, 2.3, 2024), RADIUS_M), 250, 300.0
    ),
    "polda": lambda: run(
        "polda", (*synthetic(100_000, 5_000, 1.8, 2025, towns=600), RADIUS_M), 1000, 40.0
    ),
}


def main(names: list[str]) -> None:
    for name in names or list(INSTANCES):
        print(json.dumps(INSTANCES[name]()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
