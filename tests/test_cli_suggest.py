"""`posko suggest`: the JSON equals what the app computes for the same choices; refusals are
catalog messages; --save-plan saves a draft plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from geo.analysis import analyse
from geo.operation import SAMPLE_OPERATION, load_operation
from geo.placement import default_grid_m, read_candidate_file
from geo.plans import Plans
from geo.text import t
from pages.suggest_page import compute, options_from


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_json_equals_what_the_page_computes(capsys) -> None:
    code, out, _ = _run(
        capsys,
        "suggest",
        str(SAMPLE_OPERATION),
        "--add",
        "7",
        "--grid",
        "auto",
        "--per-kecamatan",
        "--max-per-kelurahan",
        "2",
        "--demo-weight",
        "2",
        "--json",
    )
    assert code == 0
    operation = load_operation(SAMPLE_OPERATION)
    # the widgets' values for the same choices (the grid spacing field starts at its default)
    store = {
        "sug_mode": "add",
        "sug_k": 7,
        "sug_type": "pos_pam",
        "sug_sources": ["government", "logistics", "polling_station"],
        "sug_grid": True,
        "sug_grid_m": float(default_grid_m(operation, "pos_pam")),
        "sug_per_kec": True,
        "sug_max_kel": 2,
        "sug_demo_w": 2.0,
        "sug_building_w": 0.0,
        "sug_time": 60.0,
    }
    app = compute(operation, options_from(store, operation)).report("id")
    assert json.loads(out) == json.loads(json.dumps(app))
    assert len(app["posts"]) == 7 and app["solver"]["status"] == "optimal"


def test_the_json_with_a_candidate_file_equals_the_page(capsys, tmp_path: Path) -> None:
    operation = load_operation(SAMPLE_OPERATION)
    far = analyse(operation).uncovered_tps.iloc[:4]
    csv = tmp_path / "calon.csv"
    rows = [f"Balai {i};{p.y};{p.x}" for i, p in enumerate(far.geometry)]
    csv.write_text("nama;lintang;bujur\n" + "\n".join(rows) + "\n", encoding="utf-8")
    argv = ["suggest", str(SAMPLE_OPERATION), "--cover-all", "--candidates", str(csv)]
    code, out, _ = _run(capsys, *argv, "--sources", "none", "--json", "--lang", "en")
    assert code == 0
    store = {"sug_mode": "cover_all", "sug_sources": []}
    report = read_candidate_file(csv, operation, name="calon.csv")
    app = compute(operation, options_from(store, operation), report).report("en")
    assert json.loads(out) == json.loads(json.dumps(app))
    assert app["upload"]["accepted"] == 4
    assert app["unreachable"]  # four halls cannot reach every TPS: the rest are listed


def test_text_output_lists_posts_and_curve(capsys) -> None:
    code, out, _ = _run(capsys, "suggest", str(SAMPLE_OPERATION), "--add", "2", "--lang", "en")
    assert code == 0
    assert "2 suggested new post(s)" in out
    assert "  1. " in out and "  2. " in out
    assert "Curve (posts → TPS covered): 1→" in out


@pytest.mark.parametrize(
    ("argv", "key", "params"),
    [
        (
            ["--add", "0"],
            "suggest.bad_number",
            {"name": "k", "value": 0, "low": 1, "high": 5000},
        ),
        (["--add", "3", "--per-kecamatan"], "suggest.k_below_kecamatan", {"k": 3, "n": 7}),
        (["--add", "3", "--sources", "none"], "suggest.no_candidates", {}),
        (
            ["--add", "2", "--grid", "many"],
            "suggest.bad_number",
            {"name": "--grid", "value": "many", "low": "10", "high": "100000"},
        ),
    ],
)
def test_refusals_are_catalog_messages(capsys, argv, key, params) -> None:
    code, out, err = _run(capsys, "suggest", str(SAMPLE_OPERATION), *argv, "--lang", "en")
    assert code == 2
    assert err.strip() == f"posko suggest: {t(key, 'en', **params)}"
    assert "Traceback" not in err and not out


def test_save_plan_makes_a_draft_plan(op_folder: Path, capsys) -> None:
    argv = ["suggest", str(op_folder), "--add", "2", "--no-curve", "--save-plan", "Saran dua"]
    code, _, err = _run(capsys, "--as", "Kabag Ops", *argv, "--lang", "en")
    assert code == 0
    assert "plan 'Saran dua' saved" in err
    (info,) = [p for p in Plans(op_folder).list() if p.name == "Saran dua"]
    assert info.saved_by == "Kabag Ops" and info.status == "draft" and not info.current
    before = load_operation(op_folder).plan_content.posts
    assert len(Plans(op_folder).content(info.plan_id).posts) == len(before) + 2
