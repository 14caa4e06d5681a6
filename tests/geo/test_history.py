"""An operation against an earlier one, on a hand-made pair counted by hand.

Earlier (Pemilu): kelurahan A TPS 1–5, kelurahan B TPS 1–3, one post.
Later (Pilkada): A 1–4 (A 2 moved 250 m, A 3 moved 60 m, A 4 risk rawan → sangat rawan),
"a" 6 (new; written " a " to check the key ignores case and spaces), B 1–3 (B 1 risk kurang rawan
→ rawan and moved 150 m), B 4 (new), and one TPS without a number (cannot be matched).
So: matched 7 (A1–A4, B1–B3), added 3 (A6, B4, the unnumbered), removed 1 (A5),
moved beyond 100 m 2 (A2 250 m, B1 150 m), risk changes 2 (rawan → sangat rawan,
kurang rawan → rawan).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from geo.analysis import analyse
from geo.history import MOVED_M, compare_operations, tps_key
from geo.model import Kind
from geo.text import label, t
from layers.brief_history import HISTORY_ROWS, history_sections
from layers.export import briefing_html
from tests.conftest import make_operation, offset, site

LON, LAT = 106.10, -2.10
TPS = Kind.POLLING_STATION.value


def _tps(kel: str, no: int | None, metres: float = 0.0, risk: str = "kurang_rawan", **extra):
    base = offset(LON, LAT, 90, 1000 * (ord(kel.strip()[0].lower()) - 96) + 100 * (no or 9))
    lon, lat = offset(*base, 0, metres) if metres else base
    return site(
        f"{kel.strip()}-{no}-{metres}", TPS, lon, lat, tps_no=no, kelurahan=kel, risk=risk, **extra
    )


def _post(personnel: int):
    return site("post", "police_post", LON, LAT, post_type="polsek", personnel=personnel)


@pytest.fixture(scope="module")
def pair():
    earlier = [
        _tps("A", 1),
        _tps("A", 2),
        _tps("A", 3),
        _tps("A", 4, risk="rawan"),
        _tps("A", 5),
        _tps("B", 1),
        _tps("B", 2, risk="khusus"),
        _tps("B", 3),
        _post(10),
    ]
    later = [
        _tps("A", 1),
        _tps("A", 2, 250),
        _tps("A", 3, 60),
        _tps("A", 4, risk="sangat_rawan"),
        _tps(" a ", 6),
        _tps("B", 1, 150, risk="rawan"),
        _tps("B", 2, risk="khusus"),
        _tps("B", 3),
        _tps("B", 4),
        _tps("B", None),
        _post(12),
        site("post-2", "police_post", LON, LAT + 0.01, post_type="pos_pam", personnel=4),
    ]
    first = analyse(make_operation(earlier, title="Pemilu 2024"))
    second = analyse(make_operation(later, title="Pilkada 2024"))
    return compare_operations(first, second)


def test_added_removed_and_moved_are_counted_as_by_hand(pair) -> None:
    assert pair.moved_m == MOVED_M == 100.0
    assert pair.matched == 7
    assert sorted(zip(pair.added["kelurahan"], pair.added["tps_no"].fillna(0), strict=True)) == [
        (" a ", 6),
        ("B", 0),
        ("B", 4),
    ]
    assert list(zip(pair.removed["kelurahan"], pair.removed["tps_no"], strict=True)) == [("A", 5)]
    assert list(zip(pair.moved["kelurahan"], pair.moved["tps_no"], strict=True)) == [
        ("A", 2),
        ("B", 1),
    ]
    assert pair.moved["distance_m"].tolist() == pytest.approx([250.0, 150.0], abs=0.2)
    assert pair.unmatchable == (0, 1)


def test_risk_class_changes_are_counted_as_by_hand(pair) -> None:
    assert pair.risk_changes() == {("rawan", "sangat_rawan"): 1, ("kurang_rawan", "rawan"): 1}
    assert sorted(pair.risk_changed["kelurahan"]) == ["A", "B"]


def test_a_wider_threshold_moves_fewer(pair) -> None:
    wider = compare_operations(pair.earlier, pair.later, moved_m=200)
    assert wider.moved["tps_no"].tolist() == [2]
    narrower = compare_operations(pair.earlier, pair.later, moved_m=50)
    assert sorted(narrower.moved["tps_no"].tolist()) == [1, 2, 3]
    with pytest.raises(ValueError, match="moved_m"):
        compare_operations(pair.earlier, pair.later, moved_m=0)


def test_the_figures_sit_side_by_side(pair) -> None:
    figures = {r.item: (r.a, r.b) for r in pair.rows("en")}
    assert figures[t("history.row.tps", "en")] == (8, 10)
    assert figures[t("history.row.posts", "en")] == (1, 2)
    assert figures[t("history.row.risk", "en", risk=label("risk", "rawan", "en"))] == (1, 1)
    assert figures[t("compare.row.available", "en")] == (10, 16)
    table = pair.table("en")
    assert list(table.columns[2:]) == ["Before", "Now", "Difference (now − before)"]
    assert pair.names("en") == ("Pemilu 2024", "Pilkada 2024")
    covered = table[table.iloc[:, 1] == t("history.row.covered", "en")]
    assert covered.iloc[0, 4] == covered.iloc[0, 3] - covered.iloc[0, 2]
    # the share beside the count: lists of different sizes
    tps_a, tps_b = figures[t("history.row.tps", "en")]
    cov_a, cov_b = figures[t("history.row.covered", "en")]
    assert figures[t("history.row.covered_share", "en")] == (
        round(100 * cov_a / tps_a, 1),
        round(100 * cov_b / tps_b, 1),
    )


def test_the_key_ignores_case_and_spacing_and_needs_both_parts() -> None:
    assert tps_key(" Bukit  Intan ", 3.0) == tps_key("bukit intan", "3") == "bukit intan#3"
    assert tps_key("", 3) is None and tps_key("A", None) is None and tps_key("A", "x") is None


def test_a_number_used_twice_in_one_kelurahan_is_never_matched() -> None:
    earlier = [_tps("A", 1), _tps("A", 1, 500)]
    later = [_tps("A", 1)]
    pair = compare_operations(analyse(make_operation(earlier)), analyse(make_operation(later)))
    assert pair.matched == 0
    assert (len(pair.removed), len(pair.added)) == (2, 1)
    assert pair.unmatchable == (2, 0)


def test_the_report_is_json(pair) -> None:
    report = json.loads(json.dumps(pair.report()))
    assert report["matched"] == 7
    assert {(c["earlier"], c["later"], c["tps"]) for c in report["risk_changes"]} == {
        ("rawan", "sangat_rawan", 1),
        ("kurang_rawan", "rawan", 1),
    }
    assert [r["tps_no"] for r in report["moved"]] == [2, 1]


def test_the_briefing_section_lists_the_changes(pair) -> None:
    lessons, added, removed, moved, changed = history_sections(pair, "id")
    assert lessons.title == t("history.title", "id") == "Pelajaran dari operasi sebelumnya"
    assert lessons.parts[0] == "Pemilu 2024 → Pilkada 2024"
    assert "7 TPS cocok" in lessons.parts[1] and "3 TPS baru" in lessons.parts[1]
    assert [len(s.parts[0].rows) for s in (added, removed, moved, changed)] == [3, 1, 2, 2]
    assert HISTORY_ROWS >= 3


def test_the_lessons_reach_the_main_briefing_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    earlier = analyse(make_operation([_tps("A", 1), _tps("A", 2)], title=f"Pemilu {hostile}"))
    later = analyse(
        make_operation(
            [_tps("A", 1, risk="rawan"), _tps("A", 3, name=f"TPS {hostile}")], title="Pilkada"
        )
    )
    lessons = history_sections(compare_operations(earlier, later), "id")
    html = briefing_html(
        later,
        basemap="none",
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag",
        lessons=lessons,
    )
    panel = html.split('<aside class="brief-panel">', 1)[1]
    assert "Pelajaran dari operasi sebelumnya" in panel
    assert "Pemilu &lt;img src=x" in panel and "TPS &lt;img src=x" in panel
    assert "<img src=x" not in html
