"""Who exported a briefing and when: under the title and in the printed footer, escaped, in
the operation's time zone, beside its classification."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from geo.analysis import analyse
from geo.compare import compare_plans
from layers.export import briefing_html, comparison_briefing_html, export_line
from tests.conftest import make_operation, site
from tests.geo.test_compare import edited_plan

WHEN = datetime(2026, 11, 29, 7, 5, tzinfo=UTC)
HOSTILE = '<b>Bripka "X"</b>; } </style><script>alert(1)</script>'
POST = (106.10, -2.10)


def _footer(html: str) -> str:
    """The printed footer's text (the CSS string of `@bottom-left`, hex escapes decoded)."""
    css = html.split("@bottom-left { content: ")[1].split(";")[0]
    assert re.fullmatch(r'"[A-Za-z0-9 \\]*"', css), css  # nothing can leave the string
    # as CSS reads it: one whitespace after a hex escape belongs to the escape
    return re.sub(r"\\([0-9a-f]{6})[ \t\n]?", lambda m: chr(int(m.group(1), 16)), css[1:-1])


@pytest.fixture(scope="module")
def briefing(sample_analysis) -> str:
    return briefing_html(sample_analysis, exported_at=WHEN, exported_by=HOSTILE)


def test_the_briefing_names_who_exported_it_escaped(briefing: str) -> None:
    line = "Diekspor oleh &lt;b&gt;Bripka &#34;X&#34;&lt;/b&gt;; } &lt;/style&gt;&lt;script&gt;"
    assert line in briefing
    assert "<script>alert(1)" not in briefing
    assert "29-11-2026 14:05 WIB" in briefing


def test_the_printed_footer_carries_the_export_line_beside_the_classification(
    briefing: str,
) -> None:
    # the plan's standing first (the sample's initial plan is a draft), then who and when
    assert _footer(briefing) == (f"DRAF · Diekspor oleh {HOSTILE}, 29-11-2026 14:05 WIB")
    assert '@bottom-center { content: "TERBATAS"' in briefing
    assert re.search(r'cls-banner top">TERBATAS<', briefing)


@pytest.mark.parametrize(
    ("zone", "shown"), [("WIB", "14:05 WIB"), ("WITA", "15:05 WITA"), ("WIT", "16:05 WIT")]
)
def test_the_export_time_is_in_the_operations_zone(zone: str, shown: str) -> None:
    operation = make_operation(
        [site("P1", "police_post", *POST, post_type="polsek")], time_zone=zone
    )
    moment = WHEN.astimezone(timezone(timedelta(hours=-5)))  # any zone in, the operation's out
    html = briefing_html(analyse(operation), exported_at=moment, exported_by="Kabag Ops", lang="en")
    assert f"Exported by Kabag Ops, 29-11-2026 {shown}" in html


def test_an_operation_without_a_zone_takes_it_from_where_it_lies() -> None:
    jayapura = make_operation([site("P1", "police_post", 140.7, -2.5, post_type="polsek")])
    assert jayapura.settings.time_zone is None
    line = export_line(jayapura, exported_at=WHEN, exported_by="Kabag Ops", lang="id")
    assert line == "Diekspor oleh Kabag Ops, 29-11-2026 16:05 WIT"


def test_an_export_must_name_who_made_it(sample_analysis) -> None:
    with pytest.raises(ValueError, match="exported_by"):
        briefing_html(sample_analysis, exported_at=WHEN, exported_by="  ")
    with pytest.raises(ValueError, match="exported_at"):
        export_line(
            sample_analysis.operation,
            exported_at=WHEN.replace(tzinfo=None),
            exported_by="Kabag Ops",
            lang="id",
        )


def test_the_comparison_briefing_carries_the_line_and_the_classification(
    sample_operation,
) -> None:
    secret = dataclasses.replace(sample_operation.settings, classification="RAHASIA")
    operation = dataclasses.replace(sample_operation, settings=secret)
    comparison = compare_plans(analyse(operation), analyse(edited_plan(operation)))
    html = comparison_briefing_html(
        comparison, basemap="none", exported_at=WHEN, exported_by="Kasat <Intel>"
    )
    assert "Diekspor oleh Kasat &lt;Intel&gt;, 29-11-2026 14:05 WIB" in html
    assert _footer(html) == "Diekspor oleh Kasat <Intel>, 29-11-2026 14:05 WIB"
    assert '@bottom-center { content: "RAHASIA"' in html
    assert html.count('class="cls-banner') == 2 and 'cls-banner bottom">RAHASIA<' in html
