"""The briefing as a reader checks it: no sites yet, sample data, uncovered order, labels."""

from __future__ import annotations

import html as html_module
import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from geo.analysis import Analysis, analyse
from geo.operation import SAMPLE_OPERATION, load_operation
from geo.plans import PlanInfo, PlanStatus
from geo.text import label, t
from layers.export import briefing_html, css_string
from tests.conftest import make_operation, offset, site

WHEN = datetime(2024, 11, 27, 7, 0, tzinfo=UTC)
POST = (106.11, -2.11)


def _text(html: str) -> str:
    """The words of the page's own parts, title block to figures panel (no scripts)."""
    own = html.split('<div class="brief-head">')[1].split("</aside>")[0]
    own = re.sub(r'<div class="folium-map".*?</div>', " ", own, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", own))


@pytest.fixture
def no_sites_briefing(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, str]:
    folder = tmp_path / "baru"
    folder.mkdir()
    for name in ("operation.toml", "areas.geojson"):
        shutil.copy(SAMPLE_OPERATION / name, folder / name)
    operation = load_operation(folder)
    html = briefing_html(
        analyse(operation), lang=request.param, exported_at=WHEN, exported_by="Kabag Ops"
    )
    return request.param, html


@pytest.mark.parametrize("no_sites_briefing", ["id", "en"], indirect=True)
def test_an_operation_without_sites_reads_so_not_fully_covered(
    no_sites_briefing: tuple[str, str],
) -> None:
    lang, html = no_sites_briefing
    page = _text(html)
    assert "100,0" not in page and "100.0" not in page
    assert t("app.none_uncovered", "id") not in page
    assert t("app.none_uncovered", "en") not in page
    summary = html.split('class="brief-summary"')[1].split("</section>")[0]
    assert re.search(r'class="brief-alert" role="alert">[^<]*\S', summary)
    alert = re.search(r'class="brief-alert" role="alert">([^<]*)<', summary)[1]
    assert html_module.unescape(alert) == t("operation.no_sites", lang)
    headline = re.search(r'<p class="brief-headline">([^<]*)</p>', summary)[1]
    assert "(–)" in headline and headline.count("–") >= 2


def test_the_sample_caution_is_under_the_title_in_the_briefings_language(
    sample_analysis,
) -> None:
    for lang in ("id", "en"):
        html = briefing_html(sample_analysis, lang=lang, exported_at=WHEN, exported_by="Kabag Ops")
        head = html.split('class="brief-head"')[1].split('class="brief-summary"')[0]
        assert t("app.synthetic_banner", lang) in head
        assert sample_analysis.settings.data_note not in html
    indonesian = briefing_html(
        sample_analysis, lang="id", exported_at=WHEN, exported_by="Kabag Ops"
    )
    assert "Sample data" not in indonesian and "SAMPLE DATA" not in indonesian


def _uncovered_cells(html: str) -> list[list[str]]:
    title = t("app.uncovered_table", "id")
    section = html.split(f"<h2>{title}</h2>")[1].split("<h2>")[0]
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in section.split("<tr>")[2:]]


def test_uncovered_tps_are_listed_by_risk_then_farthest_first() -> None:
    tps = [
        ("T1", "kurang_rawan", 9000, "A"),
        ("T2", "rawan", 5000, "B"),
        ("T3", "khusus", 4500, "C"),
        ("T4", "sangat_rawan", 4200, "A"),
        ("T5", "sangat_rawan", 6000, "B"),
        ("T6", "rawan", 5000, "A"),
    ]
    records = [site("P1", "police_post", *POST, post_type="polsek")] + [
        site(
            sid,
            "polling_station",
            *offset(*POST, 90, metres),
            risk=risk,
            kelurahan=kel,
            tps_no=int(sid[1:]),
        )
        for sid, risk, metres, kel in tps
    ]
    html = briefing_html(
        analyse(make_operation(records)), exported_at=WHEN, exported_by="Kabag Ops"
    )
    headers = re.findall(
        r"<th[^>]*>([^<]*)</th>",
        html.split(f"<h2>{t('app.uncovered_table', 'id')}</h2>")[1].split("</tr>")[0],
    )
    assert t("col.risk", "id") in headers and t("col.distance", "id") in headers
    assert t("col.distance_m", "id") not in headers
    rows = _uncovered_cells(html)
    assert [r[1] for r in rows] == ["T3", "T5", "T4", "T6", "T2", "T1"]
    assert [r[3] for r in rows][:2] == [label("risk", "khusus", "id")] * 1 + [
        label("risk", "sangat_rawan", "id")
    ]
    assert rows[0][4] == "4,5 km"


def test_the_staffing_tables_show_labels_not_codes() -> None:
    far = offset(*POST, 0, 50_000)
    records = [
        site("P1", "police_post", *POST, post_type="polsek"),
        site("T1", "polling_station", *far, risk="sangat_rawan", tps_no=1),
    ]
    html = briefing_html(
        analyse(make_operation(records)), exported_at=WHEN, exported_by="Kabag Ops"
    )
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    for code in ("outside", "kurang_rawan", "sangat_rawan", "empty"):
        assert code not in cells
    assert t("app.outside", "id") in cells
    demo = html.split(f"<h2>{t('brief.demo_points', 'id')}</h2>")[1].split("<h2>")[0]
    assert "<table>" not in demo and t("brief.none", "id") in demo


def _css_unescape(literal: str) -> str:
    """A CSS string literal's text, read as CSS Syntax reads hex escapes (one whitespace
    after an escape belongs to it)."""
    body = literal[1:-1]
    return re.sub(r"\\([0-9a-fA-F]{1,6})[ \t\n]?", lambda m: chr(int(m.group(1), 16)), body)


@pytest.mark.parametrize(
    "text", ["Diekspor oleh kapolres, 29-11-2026 09:28 WIB", "a ,b , c", "é x"]
)
def test_a_css_string_reads_back_as_its_text(text: str) -> None:
    assert _css_unescape(css_string(text)) == text


def test_the_printed_banner_text_cannot_leave_its_css_string() -> None:
    hostile = '"; } body { display: none } </style><script>alert(1)</script>'
    records = [site("P1", "police_post", *POST, post_type="polsek")]
    html = briefing_html(
        analyse(make_operation(records, classification=hostile)),
        exported_at=WHEN,
        exported_by="Kabag Ops",
    )
    style = html.split("@top-center { content: ")[1].split(";")[0]
    assert re.fullmatch(r'"[A-Za-z0-9 \\]*"', style)
    assert "".join(chr(int(h, 16)) for h in re.findall(r"\\([0-9a-f]{6})", style))[:2] == '";'
    assert "</style><script>" not in html


@pytest.mark.parametrize("unsaved", [False, True])
def test_the_head_names_the_saved_plan_its_version_and_unsaved_edits(
    sample_analysis: Analysis, unsaved: bool
) -> None:
    info = PlanInfo("p1", "Rencana <awal>", PlanStatus.PROPOSED, 2, WHEN, "Kabag", True)
    analysis = replace(sample_analysis, operation=replace(sample_analysis.operation, plan=info))
    html = briefing_html(
        analysis, lang="id", exported_at=WHEN, exported_by="Kabag Ops", unsaved=unsaved
    )
    head = html_module.unescape(html.split('<div class="brief-head">')[1].split("</div>\n")[0])
    status = label("plan_status", PlanStatus.PROPOSED, "id")
    assert f"Rencana: Rencana <awal> ({status}) · versi 2" in head
    assert (t("compare.brief_unsaved", "id") in head) is unsaved
    assert "Rencana &lt;awal&gt;" in html and "Rencana <awal>" not in html


def test_the_initial_plan_is_named_only_with_unsaved_edits(sample_analysis: Analysis) -> None:
    saved = briefing_html(sample_analysis, lang="en", exported_at=WHEN, exported_by="Kabag")
    assert '<div class="brief-plan">' not in saved and '<p class="brief-unsaved"' not in saved
    edited = briefing_html(
        sample_analysis, lang="en", exported_at=WHEN, exported_by="Kabag", unsaved=True
    )
    head = edited.split('<div class="brief-head">')[1].split('<div class="sub">')[0]
    assert "Plan: " in head and "(from the imported posts)" in head
    assert t("compare.brief_unsaved", "en") in head
