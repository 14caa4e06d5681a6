"""Suggested posts (geo.placement): optimum, explanation, limits, no-go zones, candidates."""

from __future__ import annotations

import itertools
import warnings
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from geo.analysis import analyse
from geo.crs import GEOD, WGS84
from geo.errors import ValidationError
from geo.model import Col, Kind, ZoneKind
from geo.operation import load_operation
from geo.placement import (
    MAX_GRID_POINTS,
    CandidateSource,
    CoverProblem,
    Infeasible,
    MaxCoverModel,
    Mode,
    SuggestOptions,
    draft_content,
    draft_name,
    gather_candidates,
    greedy_max_cover,
    grid_points,
    grid_spacing_m,
    read_candidate_file,
    save_draft,
    solve_set_cover,
    suggest,
    upload_summary,
)
from geo.plans import Plans, Zone, apply_plan, plan_version_note
from tests.conftest import make_operation, offset, site

LON, LAT = 106.10, -2.10
GOV = Kind.GOVERNMENT.value
TPS = Kind.POLLING_STATION.value


def _random_problem(rng: np.random.Generator, n_c: int, n_t: int, density: float) -> tuple:
    cover = rng.random((n_t, n_c)) < density
    pt, ps = np.nonzero(cover)
    weights = rng.choice([1.0, 2.0, 3.0], size=n_t)
    return CoverProblem(n_c, weights, pt, ps), cover, weights


def _best_by_enumeration(cover: np.ndarray, weights: np.ndarray, k: int) -> float:
    n_c = cover.shape[1]
    return max(
        float(weights[cover[:, list(c)].any(axis=1)].sum())
        for c in itertools.combinations(range(n_c), k)
    )


# --- the solver -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_max_cover_equals_brute_force_for_k_up_to_3(seed: int) -> None:
    rng = np.random.default_rng(seed)
    problem, cover, weights = _random_problem(rng, int(rng.integers(8, 31)), 60, 0.08)
    model = MaxCoverModel(problem)
    for k in (1, 2, 3):
        result = model.solve(k)
        best = _best_by_enumeration(cover, weights, k)
        assert result.status == "optimal"
        assert result.objective == pytest.approx(best)
        # the chosen candidates really reach that much, and no more than k are chosen
        assert len(result.chosen) <= k
        assert weights[cover[:, result.chosen].any(axis=1)].sum() == pytest.approx(best)


@pytest.mark.parametrize("seed", range(4))
def test_set_cover_is_the_fewest_by_enumeration(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    problem, cover, _ = _random_problem(rng, 12, 40, 0.15)
    reachable = cover.any(axis=1)
    result = solve_set_cover(problem)
    assert cover[reachable][:, result.chosen].any(axis=1).all()
    fewest = next(
        n
        for n in range(13)
        for c in itertools.combinations(range(12), n)
        if cover[reachable][:, list(c)].any(axis=1).all()
    )
    assert len(result.chosen) == fewest == result.objective


def test_hand_made_instance_has_its_known_optimum() -> None:
    # candidate 0 reaches A (3) and B (1); candidate 1 reaches B and C (2); candidate 2 reaches
    # D (5) alone. Best single: 2 (5); best pair: 2 + 0 (9), not 0 + 1 (6).
    pt = np.array([0, 1, 1, 2, 3])
    ps = np.array([0, 0, 1, 1, 2])
    problem = CoverProblem(3, np.array([3.0, 1.0, 2.0, 5.0]), pt, ps)
    model = MaxCoverModel(problem)
    assert model.solve(1).chosen.tolist() == [2]
    assert model.solve(2).chosen.tolist() == [0, 2]
    assert model.solve(2).objective == 9.0
    assert model.solve(3).objective == 11.0
    assert solve_set_cover(problem).chosen.tolist() == [0, 1, 2]


def test_area_limits_are_kept_or_refused() -> None:
    pt = np.array([0, 1, 2])
    ps = np.array([0, 1, 2])
    weights = np.array([10.0, 9.0, 1.0])
    # candidates 0 and 1 in one kelurahan (at most 1); candidate 2 must be taken (a kecamatan)
    problem = CoverProblem(
        3, weights, pt, ps, at_least_one=(np.array([2]),), at_most=((np.array([0, 1]), 1),)
    )
    result = MaxCoverModel(problem).solve(2)
    assert result.chosen.tolist() == [0, 2]
    with pytest.raises(Infeasible) as refused:
        MaxCoverModel(
            CoverProblem(3, weights, pt, ps, at_least_one=(np.array([0]), np.array([1])))
        ).solve(1)
    assert refused.value.key == "suggest.infeasible"
    with pytest.raises(Infeasible) as no_cover:
        solve_set_cover(CoverProblem(3, weights, pt, ps, at_most=((np.array([0, 1]), 1),)))
    assert no_cover.value.key == "suggest.infeasible_cover"


def test_nothing_to_reach_chooses_nothing() -> None:
    empty = np.array([], dtype=np.intp)
    problem = CoverProblem(3, np.ones(4), empty, empty)
    assert MaxCoverModel(problem).solve(2).chosen.tolist() == []
    assert solve_set_cover(problem).chosen.tolist() == []


def test_a_larger_k_never_picks_candidates_that_add_nothing() -> None:
    problem = CoverProblem(4, np.array([1.0, 1.0]), np.array([0, 1]), np.array([0, 1]))
    result = MaxCoverModel(problem).solve(4)
    assert result.chosen.tolist() == [0, 1]


def test_the_start_replaces_greedy_picks_that_later_picks_made_idle() -> None:
    # greedy takes 0 (weight 6), then 1 and 2, which between them reach all 0 reaches
    weights = np.array([2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 0.5])
    pairs = [(0, 0), (1, 0), (2, 0), (0, 1), (3, 1), (4, 1), (1, 2), (2, 2), (5, 2), (6, 3)]
    target, source = (np.array(x, dtype=np.intp) for x in zip(*pairs, strict=True))
    problem = CoverProblem(4, weights, target, source)
    assert greedy_max_cover(problem, 3).tolist() == [0, 1, 2]  # covers 9
    result = MaxCoverModel(problem).solve(3)
    assert result.start_objective == pytest.approx(9.5)  # 0 swapped for 3
    assert result.chosen.tolist() == [1, 2, 3] and result.objective == pytest.approx(9.5)


def test_a_run_stopped_by_its_time_limit_keeps_its_start_and_reports_its_gap() -> None:
    rng = np.random.default_rng(7)
    problem, _, _ = _random_problem(rng, 400, 3000, 0.01)
    result = MaxCoverModel(problem, time_limit_s=0.05).solve(40)
    assert result.start_objective is not None
    assert result.objective >= result.start_objective - 1e-9
    assert result.bound >= result.objective - 1e-9
    assert np.isfinite(result.gap)
    if result.status == "time_limit":  # where it stops depends on the machine
        expected = (result.bound - result.objective) / result.objective
        assert result.gap == pytest.approx(expected, rel=1e-6)
    else:
        assert result.gap == 0.0


# PuLP 3.3 warns about its own coming 4.0 API on every variable spopt makes
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pulp")
def test_spopt_finds_the_same_objective() -> None:
    with warnings.catch_warnings():
        # spopt and its plotting dependencies warn on import (third-party deprecations)
        warnings.simplefilter("ignore")
        import pulp
        from spopt.locate import LSCP, MCLP

    for seed in range(4):
        rng = np.random.default_rng(500 + seed)
        problem, cover, weights = _random_problem(rng, 25, 80, 0.06)
        cost = np.where(cover, 500.0, 2000.0)
        for k in (2, 4):
            mclp = MCLP.from_cost_matrix(cost, weights, service_radius=1000.0, p_facilities=k)
            mclp.solve(pulp.PULP_CBC_CMD(msg=False))
            theirs = float(pulp.value(mclp.problem.objective))
            assert MaxCoverModel(problem).solve(k).objective == pytest.approx(theirs)
        reachable = cover.any(axis=1)
        lscp = LSCP.from_cost_matrix(cost[reachable], service_radius=1000.0)
        lscp.solve(pulp.PULP_CBC_CMD(msg=False))
        fewest = pulp.value(lscp.problem.objective)
        assert solve_set_cover(problem).objective == pytest.approx(fewest)


def test_the_same_problem_gives_the_same_answer() -> None:
    rng = np.random.default_rng(9)
    problem, _, _ = _random_problem(rng, 200, 2000, 0.01)
    first = MaxCoverModel(problem).solve(20)
    again = MaxCoverModel(problem).solve(20)
    assert first.chosen.tolist() == again.chosen.tolist()
    assert first.objective == again.objective


# --- suggestions for operations -------------------------------------------------------------


def _ring_operation(*extra: dict, **settings):
    """Three TPS around a government building 900 m away (one rawan), a fourth 1,000.5 m
    from it, and a far TPS 6 km from every candidate; one post far away; `extra` sites."""
    records = [
        site("gov-1", GOV, LON, LAT, name="Kantor Camat"),
        site("gov-2", GOV, *offset(LON, LAT, 180, 3000), name="Kantor Lurah"),
        site("post-1", "police_post", *offset(LON, LAT, 0, 20_000), post_type="pos_pam"),
    ]
    for i, azimuth in enumerate((0, 120, 240)):
        risk = "rawan" if i == 0 else "kurang_rawan"
        records.append(site(f"tps-{i}", TPS, *offset(LON, LAT, azimuth, 900), risk=risk))
    records.append(site("tps-edge", TPS, *offset(LON, LAT, 90, 1000.5), risk="khusus"))
    records.append(site("tps-far", TPS, *offset(LON, LAT, 270, 6000), risk="sangat_rawan"))
    return make_operation([*records, *extra], **settings)


def test_a_candidate_covers_a_tps_exactly_within_the_radius() -> None:
    operation = _ring_operation()
    result = suggest(operation, SuggestOptions(k=1, sources=(CandidateSource.GOVERNMENT,)))
    (post,) = result.posts
    assert post.candidate_id == "government:gov-1"
    # 900 m away: covered; 1,000.5 m away: not, though the radius is 1,000 m
    assert set(post.new_targets) == {"tps-0", "tps-1", "tps-2"}
    assert post.new_by_risk == {"kurang_rawan": 2, "rawan": 1, "sangat_rawan": 0, "khusus": 0}
    assert post.gain == pytest.approx(1 + 1 + 2)


def test_unreachable_tps_are_listed_with_their_distance_and_the_rest_covered() -> None:
    operation = _ring_operation()
    options = SuggestOptions(mode=Mode.COVER_ALL, sources=(CandidateSource.GOVERNMENT,))
    result = suggest(operation, options)
    far = {u.site_id: u for u in result.unreachable}
    assert set(far) == {"tps-far", "tps-edge"}
    _, _, metres = GEOD.inv(LON, LAT, *offset(LON, LAT, 270, 6000))
    assert far["tps-far"].nearest_candidate == "government:gov-1"
    assert far["tps-far"].nearest_m == pytest.approx(metres, abs=0.05)
    assert far["tps-edge"].nearest_m == pytest.approx(1000.5, abs=0.05)
    assert [p.candidate_id for p in result.posts] == ["government:gov-1"]
    assert result.after.tps_covered == 3
    assert result.report()["unreachable"][0]["site_id"] == "tps-far"  # farthest first


def test_the_draft_name_reads_the_time_in_the_operation_zone() -> None:
    result = suggest(_ring_operation(), SuggestOptions(k=1, sources=(CandidateSource.GOVERNMENT,)))
    when = datetime(2026, 11, 29, 2, 28, tzinfo=UTC)
    assert draft_name(result, when, "WIB") == "Saran +1 pos 29-11-2026 09.28 WIB"
    assert draft_name(result, when, "WIT", "en") == "Suggested +1 posts 29-11-2026 11.28 WIT"


def test_existing_posts_stay_and_the_draft_plan_gives_the_predicted_figures(
    sample_operation,
) -> None:
    result = suggest(sample_operation, SuggestOptions(k=3))
    content = draft_content(sample_operation, result)
    before = sample_operation.plan_content.posts.set_index(Col.SITE_ID)
    after = content.posts.set_index(Col.SITE_ID)
    assert set(before.index) <= set(after.index)
    assert after.loc[before.index].geometry.geom_equals(before.geometry).all()
    assert len(after) == len(before) + 3
    analysis = analyse(apply_plan(sample_operation, None, content))
    tps = analysis.by_kind()[TPS]
    assert tps.covered == result.after.tps_covered
    assert analysis.weighted_score() == pytest.approx(result.after.weighted_score)


def test_the_explanation_adds_up_and_follows_the_greedy_order(sample_operation) -> None:
    result = suggest(sample_operation, SuggestOptions(k=4))
    gains = [p.gain for p in result.posts]
    assert gains == sorted(gains, reverse=True)
    assert sum(gains) == pytest.approx(result.gain)
    newly = [sid for p in result.posts for sid in p.new_targets]
    assert len(newly) == len(set(newly))  # each TPS explained by one post only
    assert result.after.tps_covered - result.before.tps_covered == len(newly)


def test_the_curve_rises_and_ends_at_the_suggestion(sample_operation) -> None:
    result = suggest(sample_operation, SuggestOptions(k=5))
    gains = [c.gain for c in result.curve]
    assert [c.k for c in result.curve] == [1, 2, 3, 4, 5]
    assert gains == sorted(gains)
    assert gains[-1] == pytest.approx(result.gain)
    covered = [c.tps_covered for c in result.curve]
    assert covered[-1] == result.after.tps_covered


def test_per_area_limits_are_respected(sample_operation) -> None:
    options = SuggestOptions(k=7, per_kecamatan=True, max_per_kelurahan=1, grid_m=1500.0)
    result = suggest(sample_operation, options)
    areas = sample_operation.areas
    kecamatan = set(areas.loc[areas["level"] == "kecamatan", "area_code"])
    assert {p.kecamatan for p in result.posts} == kecamatan
    kelurahan = [p.kelurahan for p in result.posts]
    assert len(kelurahan) == len(set(kelurahan))
    with pytest.raises(ValidationError) as refused:
        suggest(sample_operation, SuggestOptions(k=3, per_kecamatan=True))
    assert refused.value.key == "suggest.k_below_kecamatan"


def test_per_area_limits_need_the_areas() -> None:
    with pytest.raises(ValidationError) as refused:
        suggest(_ring_operation(), SuggestOptions(k=1, per_kecamatan=True))
    assert refused.value.key == "suggest.no_level"


def test_no_go_zones_exclude_candidates(sample_operation) -> None:
    best = suggest(sample_operation, SuggestOptions(k=1, curve=False)).posts[0]
    zone = Zone(
        zone_id="z1",
        kind=ZoneKind.CLOSURE,
        name="Larangan",
        geometry=Point(best.lon, best.lat),
        radius_m=300.0,
    )
    content = sample_operation.plan_content.with_zones([zone])
    closed = apply_plan(sample_operation, None, content)
    result = suggest(closed, SuggestOptions(k=1, curve=False))
    assert result.candidates.in_no_go >= 1
    frame = result.candidates.frame
    inside = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs=WGS84).within(
        zone.area()
    )
    assert not inside.any()
    assert result.posts[0].candidate_id != best.candidate_id


def test_a_suggestion_is_the_same_every_time(sample_operation) -> None:
    options = SuggestOptions(k=4, grid_m=1414.0)
    assert (
        suggest(sample_operation, options).report() == suggest(sample_operation, options).report()
    )


def test_extra_demand_counts_with_its_own_weight() -> None:
    records = [
        site("gov-1", GOV, LON, LAT, name="Kantor A"),
        site("gov-2", GOV, *offset(LON, LAT, 90, 5000), name="Kantor B"),
        site("tps-1", TPS, *offset(LON, LAT, 0, 500), risk="kurang_rawan"),
        site("demo-1", "demonstration_point", *offset(LON, LAT, 90, 5300), name="Demo"),
    ]
    operation = make_operation(records)
    sources = (CandidateSource.GOVERNMENT,)
    assert suggest(operation, SuggestOptions(k=1, sources=sources)).posts[0].name == "Kantor A"
    heavy = suggest(operation, SuggestOptions(k=1, sources=sources, demo_weight=5.0))
    (post,) = heavy.posts
    # Kantor B reaches the demonstration point and, being the threatened building, itself
    assert post.name == "Kantor B"
    assert post.new_extra == {"demonstration_point": 1}
    both = suggest(operation, SuggestOptions(k=1, sources=sources, building_weight=2.0))
    assert both.posts[0].new_extra == {"government": 1}


def test_refusals_are_catalog_messages(sample_operation) -> None:
    with pytest.raises(ValidationError) as bad_k:
        SuggestOptions(k=0)
    assert bad_k.value.key == "suggest.bad_number"
    with pytest.raises(ValidationError) as bad_source:
        SuggestOptions(sources=("school",))
    assert bad_source.value.key == "suggest.bad_choice"
    with pytest.raises(ValidationError) as none:
        suggest(sample_operation, SuggestOptions(sources=()))
    assert none.value.key == "suggest.no_candidates"


# --- candidates -----------------------------------------------------------------------------


def test_grid_points_lie_inside_the_areas_at_the_spacing() -> None:
    areas = gpd.GeoDataFrame(
        {"area_code": ["A"], "name": ["A"], "level": ["kecamatan"]},
        geometry=[box(106.0, -2.2, 106.1, -2.1)],
        crs=WGS84,
    )
    spacing = grid_spacing_m(1000.0)
    assert spacing == pytest.approx(1414.2136, abs=1e-3)
    lon, lat = grid_points(areas, spacing)
    assert len(lon) > 20
    assert areas.geometry.iloc[0].contains(gpd.points_from_xy(lon, lat)).all()
    _, _, step = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    assert step == pytest.approx(spacing, rel=1e-3)
    with pytest.raises(ValidationError) as too_many:
        grid_points(areas, 20.0)
    assert too_many.value.key == "suggest.grid_too_many"
    assert MAX_GRID_POINTS < (11_000 / 20) ** 2
    with pytest.raises(ValidationError) as no_areas:
        grid_points(areas.iloc[0:0], spacing)
    assert no_areas.value.key == "suggest.grid_no_areas"


def test_candidates_at_the_same_place_are_kept_once(sample_operation) -> None:
    found = gather_candidates(sample_operation, sources=(CandidateSource.GOVERNMENT,))
    twice = gather_candidates(
        sample_operation,
        sources=(CandidateSource.GOVERNMENT,),
        uploaded=gpd.GeoDataFrame(
            {Col.NAME: ["copy"]},
            geometry=[Point(found.frame["lon"][0], found.frame["lat"][0])],
            crs=WGS84,
        ),
    )
    assert len(twice) == len(found)
    assert twice.same_place == 1


def test_an_uploaded_list_is_read_by_the_importer(sample_operation, tmp_path: Path) -> None:
    tps = analyse(sample_operation).uncovered_tps.iloc[:3]
    csv = tmp_path / "calon.csv"
    rows = [f"Calon {i};{p.y};{p.x}" for i, p in enumerate(tps.geometry)]
    csv.write_text("nama;lintang;bujur\n" + "\n".join([*rows, "Rusak;abc;"]) + "\n")
    report = read_candidate_file(csv, sample_operation)
    assert report.counts["accepted"] == 3
    assert report.counts["rejected"] == 1
    summary = upload_summary(report)
    assert summary["file"] == "calon.csv"
    result = suggest(
        sample_operation,
        SuggestOptions(k=1, sources=(), curve=False),
        uploaded=report.accepted,
        upload=summary,
    )
    assert result.candidates.found == {"upload": 3}
    assert result.posts[0].source == "upload"
    assert result.report()["upload"]["accepted"] == 3
    empty = tmp_path / "kosong.csv"
    empty.write_text("nama;lintang;bujur\nRusak;abc;\n")
    with pytest.raises(ValidationError) as refused:
        upload_summary(read_candidate_file(empty, sample_operation))
    assert refused.value.key == "suggest.upload_empty"


def test_saving_a_draft_makes_a_new_plan_and_keeps_the_current_one(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    result = suggest(operation, SuggestOptions(k=2, curve=False))
    info = save_draft(operation, result, name="Saran uji", who="Kabag Ops")
    plans = Plans.for_operation(operation)
    assert info.name == "Saran uji"
    assert not info.current
    saved = plans.content(info.plan_id)
    assert len(saved.posts) == len(operation.plan_content.posts) + 2
    reloaded = load_operation(op_folder)
    assert len(reloaded.plan_content.posts) == len(operation.plan_content.posts)
    with pytest.raises(ValidationError):
        save_draft(operation, result, name="saran  UJI", who="Kabag Ops")
    note = plans.history(info.plan_id)[-1].note
    assert plan_version_note(note, "id") == "saran 2 pos baru (Pos pengamanan)"
    assert plan_version_note(note, "en") == "2 suggested new post(s) (Security post)"


def test_a_reserve_unit_is_no_post_already_in_place() -> None:
    # a Dalmas reserve at the building itself, responding within 10 km: every TPS is still
    # to be guarded, so the suggestion is the one without it
    reserve = site(
        "res-1", "police_post", LON, LAT, post_type="reserve", radius_m=10_000, personnel=60
    )
    with_reserve = _ring_operation(reserve)
    options = SuggestOptions(k=1, sources=(CandidateSource.GOVERNMENT,))
    result = suggest(with_reserve, options)
    assert result.before.tps_covered == 0
    (post,) = result.posts
    assert post.candidate_id == "government:gov-1"
    assert set(post.new_targets) == {"tps-0", "tps-1", "tps-2"}
    assert result.after.tps_covered == 3
