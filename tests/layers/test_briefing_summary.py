"""The briefing of a large operation: the top of each list, the totals, and the full lists
in the CSV files it names; a small operation's lists are shown whole."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest

from geo.analysis import Analysis, analyse
from geo.model import Kind
from geo.summary import attachments, uncovered_table
from geo.text import format_int, t
from layers.export import (
    BRIEF_ROWS,
    attachment_names,
    briefing_bundle,
    briefing_html,
    briefing_with_csv,
    figures_html,
)
from tests.large_operation import province

WHEN = datetime(2024, 11, 27, 7, 0, tzinfo=UTC)
OPTIONS = {"exported_at": WHEN, "exported_by": "Kabag Ops"}


def _section(html: str, title: str) -> str:
    """One section of the figures panel, from its heading to the next."""
    return html.split(f"<h2>{title}</h2>")[1].split("<h2>")[0].split("</aside>")[0]


def _body_rows(section: str) -> int:
    return section.count("<tr>") - section.count("<thead><tr>")


@pytest.fixture(scope="module")
def province_brief() -> tuple[Analysis, str, dict[str, str]]:
    """A synthetic province of 120,000 TPS (stacked four to a spot), its briefing and CSVs."""
    analysis = analyse(province(120_000, posts=150))
    html, files = briefing_with_csv(analysis, html_name="brief.html", **OPTIONS)
    return analysis, html, files


def test_attachment_names_follow_the_briefing() -> None:
    names = attachment_names("out/Brief Polda.html")
    assert names["uncovered"] == "Brief Polda.uncovered.csv"
    assert names["areas"] == "Brief Polda.areas.csv"
    assert names["staffing"] == "Brief Polda.staffing.csv"
    assert attachment_names("brief")["demonstration"] == "brief.demonstration.csv"


def test_the_sample_lists_are_shown_whole(sample_analysis) -> None:
    html, files = briefing_with_csv(sample_analysis, html_name="brief.html", **OPTIONS)
    uncovered = sample_analysis.by_kind()[Kind.POLLING_STATION].uncovered
    assert 0 < uncovered <= BRIEF_ROWS["uncovered"]
    assert _body_rows(_section(html, t("app.uncovered_table", "id"))) == uncovered
    assert "lainnya" not in html.split('<aside class="brief-panel">')[1]
    # the per-kecamatan coverage: 7 kecamatan, whole
    areas = _section(html, t("brief.by_area", "id", level="kecamatan"))
    assert _body_rows(areas) == 7 and "Bukit Intan" in areas
    # the files are named once, at the top of the panel
    named = ", ".join(files)
    assert t("brief.files", "id", files=named) in html
    assert list(files) == [
        "brief.uncovered.csv",
        "brief.areas.csv",
        "brief.staffing.csv",
        "brief.demonstration.csv",
    ]
    # without CSV files the briefing names none
    plain = briefing_html(sample_analysis, **OPTIONS)
    assert "brief-files" not in plain and ".csv" not in plain.split("brief-panel")[-1]


def test_a_province_briefing_lists_the_top_and_names_the_files(province_brief) -> None:
    analysis, html, _files = province_brief
    uncovered = analysis.by_kind()[Kind.POLLING_STATION].uncovered
    assert uncovered > 10 * BRIEF_ROWS["uncovered"]
    section = _section(html, t("app.uncovered_table", "id"))
    assert _body_rows(section) == BRIEF_ROWS["uncovered"]
    more = t(
        "brief.more_in_file",
        "id",
        shown=format_int(BRIEF_ROWS["uncovered"], "id"),
        total=format_int(uncovered, "id"),
        more=format_int(uncovered - BRIEF_ROWS["uncovered"], "id"),
        order=t("brief.order_gravest", "id"),
        file="brief.uncovered.csv",
    )
    assert more in section
    # the rows shown are the gravest, in the full list's order
    first = uncovered_table(analysis).head(BRIEF_ROWS["uncovered"])
    shown = [re.findall(r"<td[^>]*>([^<]*)</td>", r)[1] for r in section.split("<tr>")[2:]]
    assert shown == first["name"].tolist()
    # every list of the panel is bounded, whatever the operation's size
    panel = html.split('<aside class="brief-panel">')[1].split("</aside>")[0]
    bound = sum(BRIEF_ROWS.values()) + 2 * 5  # + the two per-class tables with their Σ rows
    assert _body_rows(panel) <= bound
    demo = _section(html, t("brief.demo_points", "id"))
    assert _body_rows(demo) == BRIEF_ROWS["demonstration"] and "brief.demonstration.csv" in demo
    staffing = _section(html, t("brief.staffing", "id", preset="Umum 2024"))
    assert t("staff.shortfall_note", "id", polri="", available="", net="")[:40] in staffing


def test_the_province_csv_files_are_complete(province_brief) -> None:
    analysis, _html, files = province_brief
    assert files == {
        attachment_names("brief.html")[name]: text
        for name, text in attachments(analysis, "id").items()
    }
    rows = list(csv.DictReader(io.StringIO(files["brief.uncovered.csv"])))
    assert len(rows) == analysis.by_kind()[Kind.POLLING_STATION].uncovered
    assert [r[t("col.site_id", "id")] for r in rows] == uncovered_table(analysis)[
        "site_id"
    ].tolist()
    areas = list(csv.DictReader(io.StringIO(files["brief.areas.csv"])))
    assert len(areas) == 4 + 24 + 240 + 3


def test_the_bundle_holds_the_briefing_and_its_files(sample_analysis) -> None:
    html, files = briefing_with_csv(sample_analysis, html_name="briefing-x.html", **OPTIONS)
    bundle = zipfile.ZipFile(io.BytesIO(briefing_bundle("briefing-x.html", html, files)))
    assert bundle.namelist() == ["briefing-x.html", *files]
    assert bundle.read("briefing-x.html").decode() == html
    for name, text in files.items():
        assert bundle.read(name).decode() == text
        assert name.startswith("briefing-x.") and name in html


def test_a_long_list_without_files_says_where_to_get_it(province_brief) -> None:
    analysis, _html, _files = province_brief
    panel = figures_html(analysis, "en")
    assert "posko brief --with-csv" in panel
    assert ".csv" not in panel.replace("--with-csv", "")
