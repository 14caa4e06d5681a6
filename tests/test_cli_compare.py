"""`posko plan compare` and `posko brief --compare`: two saved plans of one operation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from geo.analysis import analyse
from geo.compare import compare_plans
from geo.model import Col, Kind
from geo.operation import load_operation
from geo.plans import Plans, initial_content

NAME_B = 'Rencana B <b>"x"</b>'


@pytest.fixture
def two_plans(op_folder: Path) -> Path:
    """The scratch sample with "Rencana A" (its imported posts, current) and a plan B with
    two posts removed and one moved 2 km east."""
    operation = load_operation(op_folder)
    content = initial_content(operation)
    plans = Plans(op_folder)
    plans.create("Rencana A", content, who="test", make_current=True)
    posts = content.posts
    edited = content.with_post_removed(posts[Col.SITE_ID].iloc[0])
    edited = edited.with_post_removed(posts[Col.SITE_ID].iloc[1])
    moved = posts.iloc[4]
    edited = edited.with_post_moved(moved[Col.SITE_ID], moved.geometry.x + 0.018, moved.geometry.y)
    plans.create(NAME_B, edited, who="test")
    return op_folder


def _expected(folder: Path):
    return compare_plans(
        analyse(load_operation(folder, plan="Rencana A")),
        analyse(load_operation(folder, plan=NAME_B)),
    )


def test_plan_compare_json_is_the_comparison_report(two_plans: Path, capsys) -> None:
    assert main(["plan", "compare", str(two_plans), "Rencana A", NAME_B, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    expected = _expected(two_plans)
    assert report["plans"]["a"]["plan"] == "Rencana A"
    assert report["plans"]["b"]["plan"] == NAME_B
    assert [r["site_id"] for r in report["lost"]] == expected.lost[Col.SITE_ID].tolist()
    assert [r["site_id"] for r in report["gained"]] == expected.gained[Col.SITE_ID].tolist()
    assert report["lost"], "the edited plan must lose TPS"
    posts_b = load_operation(two_plans, plan=NAME_B).sites
    assert report["plans"]["b"]["posts"] == int((posts_b[Col.KIND] == Kind.POLICE_POST).sum())


def test_plan_compare_prints_the_difference_table(two_plans: Path, capsys) -> None:
    assert main(["plan", "compare", str(two_plans), "Rencana A", NAME_B, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    expected = _expected(two_plans)
    assert out.splitlines()[0].startswith("Plans compared: Rencana A (")
    assert "Difference" not in out.splitlines()[0]
    # a header row names the columns: item, A, B and the difference
    header = next(x for x in out.splitlines() if x.strip().startswith("Item"))
    assert header.index("A: Rencana A") < header.index(f"B: {NAME_B}")
    assert header.rstrip().endswith("Difference (B − A)")
    assert f"TPS covered in A, not in B ({len(expected.lost)})" in out
    total = expected.by_risk().set_index("risk").loc["total"]
    line = next(x for x in out.splitlines() if "TPS covered (of" in x)
    assert line.split()[-3:] == [
        str(total["covered_a"]),
        str(total["covered_b"]),
        f"{total['difference']:+d}" if total["difference"] else "0",
    ]


def test_plan_compare_refuses_an_unknown_plan_and_the_same_plan(two_plans: Path, capsys):
    assert main(["plan", "compare", str(two_plans), "Rencana A", "Rencana Z"]) == 1
    assert "Rencana A" in capsys.readouterr().err  # names the plans that exist
    assert main(["plan", "compare", str(two_plans), "Rencana A", "rencana a", "--lang", "en"]) == 1
    assert "two different plans" in capsys.readouterr().err


def test_brief_compare_writes_the_comparison_briefing(two_plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "banding.html"
    args = ["brief", str(two_plans), "--compare", "Rencana A", NAME_B, "-o", str(out)]
    assert main(args) == 0
    html = out.read_text(encoding="utf-8")
    assert html.count('<div class="folium-map"') == 2
    assert "Rencana B &lt;b&gt;&#34;x&#34;&lt;/b&gt;" in html
    assert NAME_B not in html


def test_brief_names_the_plan_it_shows(two_plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    assert main(["brief", str(two_plans), "--plan", NAME_B, "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<div class="brief-plan">Rencana: Rencana B &lt;b&gt;' in html
    assert main(["brief", str(two_plans), "-o", str(out)]) == 0
    assert '<div class="brief-plan">Rencana: Rencana A (' in out.read_text(encoding="utf-8")
