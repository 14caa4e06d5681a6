"""The suggestion briefing: its figures, its curve, the targets no candidate reaches, and
every user value escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from geo.analysis import analyse
from geo.model import Kind
from geo.placement import CandidateSource, Mode, SuggestOptions, suggest
from geo.text import t
from layers.elements import js_literal
from layers.suggest import posts_table, suggested_icon, suggestion_lines
from layers.suggest_brief import suggestion_briefing_html
from tests.conftest import make_operation, offset, site

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
HOSTILE = '<img src=x onerror="alert(1)">'
LON, LAT = 106.10, -2.10
TPS = Kind.POLLING_STATION.value


def _hostile_operation():
    """TPS around a government building named with markup, one TPS 6 km from it."""
    records = [
        site("gov-1", Kind.GOVERNMENT.value, LON, LAT, name=f"Kantor {HOSTILE}"),
        site("post-1", "police_post", *offset(LON, LAT, 0, 20_000), post_type="pos_pam"),
    ]
    for i, azimuth in enumerate((0, 120, 240)):
        records.append(site(f"tps-{i}", TPS, *offset(LON, LAT, azimuth, 900), risk="rawan"))
    records.append(
        site("tps-far", TPS, *offset(LON, LAT, 270, 6000), risk="khusus", name=f"Jauh {HOSTILE}")
    )
    return make_operation(records, title=f"Ops {HOSTILE}", classification=f"RAHASIA {HOSTILE}")


def _curve(html: str) -> str:
    (svg,) = re.findall(r'<svg[^>]*class="posko-curve".*?</svg>', html, flags=re.S)
    return svg


@pytest.mark.parametrize(("lang", "mark", "between"), [("id", ",", "; "), ("en", ".", ", ")])
def test_suggested_positions_read_in_the_page_language(lang: str, mark: str, between: str) -> None:
    suggestion = suggest(
        _hostile_operation(), SuggestOptions(k=1, sources=(CandidateSource.GOVERNMENT,))
    )
    (post,) = suggestion.posts
    lat, lon = (f"{v:.6f}".replace(".", mark) for v in (post.lat, post.lon))
    (shown,) = posts_table(suggestion, lang)[t("suggest.col.position", lang)]
    assert shown == f"{lat}{between}{lon}"
    assert f"{lat}{between}{lon}" in "\n".join(suggestion_lines(suggestion, lang))


def test_the_briefing_explains_each_post_and_draws_the_curve(sample_operation) -> None:
    suggestion = suggest(sample_operation, SuggestOptions(k=3))
    html = suggestion_briefing_html(
        analyse(sample_operation), suggestion, exported_at=WHEN, exported_by="Kabag"
    )
    assert t("suggest.posts", "id") in html and t("suggest.curve_title", "id") in html
    for post in suggestion.posts:
        assert post.name in html
        # the numbered shield on the map
        assert js_literal(suggested_icon(str(post.order)))[1:-1] in html
    # one dot per number of posts, then the curve as a table with the same numbers
    assert _curve(html).count("<circle") == 3
    for point in suggestion.curve:
        assert f">{point.tps_covered}</td>" in html
    assert t("suggest.layer_posts", "id") in html  # the legend's row
    # the figures before and after are on page 1, above the map
    assert f"268 → {suggestion.after.tps_covered} dari 311" in html
    # nothing reaches every TPS here, so there is no unreachable list in "add" mode
    assert suggestion.unreachable == ()
    assert t("suggest.unreachable", "id") not in html


def test_the_briefing_is_the_same_text_every_time(sample_operation) -> None:
    suggestion = suggest(sample_operation, SuggestOptions(k=2))
    analysis = analyse(sample_operation)
    first = suggestion_briefing_html(analysis, suggestion, exported_at=WHEN, exported_by="Kabag")
    assert (
        suggestion_briefing_html(analysis, suggestion, exported_at=WHEN, exported_by="Kabag")
        == first
    )


def test_cover_all_lists_the_unreachable_tps_and_escapes_every_user_value() -> None:
    operation = _hostile_operation()
    options = SuggestOptions(mode=Mode.COVER_ALL, sources=(CandidateSource.GOVERNMENT,))
    suggestion = suggest(operation, options)
    assert [u.site_id for u in suggestion.unreachable] == ["tps-far"]
    html = suggestion_briefing_html(
        analyse(operation), suggestion, exported_at=WHEN, exported_by=f"Kabag {HOSTILE}"
    )
    assert HOSTILE not in html and 'onerror="alert(1)"' not in html
    escaped = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"
    assert f"<h1>Ops {escaped}</h1>" in html
    assert f"Kabag {escaped}" in html
    assert f"Jauh {escaped}" in html  # the unreachable TPS's row
    assert f"Kantor {escaped}" in html  # the suggested post's row
    assert html.count(f"RAHASIA {escaped}") == 2  # both banners
    assert t("suggest.unreachable", "id") in html
    assert _curve(html).count("<circle") == len(suggestion.curve) == 1


def test_an_unknown_paper_is_refused(sample_operation) -> None:
    suggestion = suggest(sample_operation, SuggestOptions(k=1, curve=False))
    with pytest.raises(ValueError, match="paper"):
        suggestion_briefing_html(
            analyse(sample_operation),
            suggestion,
            paper="Letter",
            exported_at=WHEN,
            exported_by="Kabag",
        )
