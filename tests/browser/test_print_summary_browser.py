"""A large operation's briefing on paper: Chromium prints a few pages, not thousands — the
top of each list, the totals, and the names of the CSV files holding the rest."""

from __future__ import annotations

from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest

from geo.analysis import Analysis, analyse
from geo.model import Kind
from geo.text import format_int
from layers.export import BRIEF_ROWS, briefing_with_csv
from tests.browser.test_app_browser import TIMEOUT_MS
from tests.large_operation import province

# page 1 (map, legend, headline) and the figures panel's bounded lists
MAX_PAGES = 12


def _texts(pdf) -> list[str]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    """A synthetic province of 20,000 TPS, most of them beyond reach."""
    return analyse(province(20_000, posts=60, demonstrations=120))


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_a_province_briefing_prints_on_a_few_pages(
    open_page, analysis: Analysis, tmp_path, paper: str
) -> None:
    uncovered = analysis.by_kind()[Kind.POLLING_STATION].uncovered
    # one row per uncovered TPS would need hundreds of pages
    assert uncovered > 50 * MAX_PAGES
    html, files = briefing_with_csv(
        analysis,
        html_name="brief.html",
        paper=paper,
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag Ops",
    )
    path = tmp_path / "brief.html"
    path.write_text(html, encoding="utf-8")
    page = open_page(viewport=(1600, 1000)).page
    page.goto(path.as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)
    pdf = tmp_path / "brief.pdf"
    page.pdf(path=str(pdf), format=paper, landscape=True, print_background=True)
    texts = _texts(pdf)
    assert 2 <= len(texts) <= MAX_PAGES, f"{len(texts)} pages"
    printed = " ".join(texts)
    # each long list says how many it leaves out and where they are
    more = format_int(uncovered - BRIEF_ROWS["uncovered"], "id")
    assert f"dan {more} lainnya" in printed
    for name in files:
        assert name in printed, name
    # the last section, staffing, is printed with its shortfall explained
    assert "Kekurangan dijumlah per wilayah" in printed
