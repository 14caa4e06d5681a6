"""The briefing file: self-contained, complete, classified, escaped, reproducible."""

from __future__ import annotations

import html as html_module
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from geo.analysis import analyse
from geo.staffing import preset_label
from geo.text import label
from layers.banner import classification_banner_html
from layers.export import assumptions, briefing_html
from layers.mapview import build_map
from tests.browser.payloads import MARKER, PAYLOADS, TITLE, write_payload_operation
from tests.conftest import make_operation, offset, site

WHEN = datetime(2024, 11, 27, 7, 0, tzinfo=UTC)


class _Resources(HTMLParser):
    """Every URL the page would fetch: script/img src, link href, CSS url(), @import."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag in ("script", "img", "iframe", "source") and values.get("src"):
            self.urls.append(values["src"])
        if tag == "link" and values.get("href"):
            self.urls.append(values["href"])
        self._in_style = tag == "style"
        if values.get("style"):
            self._css(values["style"])

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def _css(self, text: str) -> None:
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        self.urls += re.findall(r"@import\s+['\"]([^'\"]+)", text)


def resources(html: str) -> list[str]:
    parser = _Resources()
    parser.feed(html)
    return [u for u in parser.urls if not u.startswith("data:")]


@pytest.fixture(scope="module")
def briefing(sample_analysis) -> str:
    return briefing_html(sample_analysis, exported_at=WHEN, exported_by="Kabag Ops")


def test_by_default_nothing_is_fetched_and_no_tile_is_offered(briefing: str) -> None:
    assert resources(briefing) == []
    scripts = re.findall(r"<script[^>]*>", briefing)
    assert all("src=" not in s for s in scripts)
    assert not re.search(r"https?://[^\"'\s]*\{z\}", briefing)
    assert "sourceMappingURL" not in briefing  # nothing for developer tools to fetch
    assert 'class="brief-online"' not in briefing
    assert "L.Control.MiniMap" not in briefing  # no overview map without tiles


def test_online_tiles_are_a_choice_the_page_states(sample_analysis) -> None:
    html = briefing_html(
        sample_analysis, basemap="osm", online=True, exported_at=WHEN, exported_by="Kabag Ops"
    )
    assert resources(html) == []
    assert re.search(r'"https://[^"]*openstreetmap[^"]*\{z\}', html)
    notice = re.search(r'<p class="brief-online" role="note">([^<]*)</p>', html)
    assert notice and "OpenStreetMap" in notice.group(1)
    assert "menghubungi server peta" in notice.group(1)
    # the basemap alone (what the app passes today) does not put tiles online
    offline = briefing_html(
        sample_analysis, basemap="osm", exported_at=WHEN, exported_by="Kabag Ops"
    )
    assert not re.search(r"https?://[^\"'\s]*\{z\}", offline)


def test_paper_size_and_unknown_choices(sample_analysis) -> None:
    a3 = briefing_html(sample_analysis, paper="A3", exported_at=WHEN, exported_by="Kabag Ops")
    assert "size: A3 landscape" in a3
    with pytest.raises(ValueError, match="paper"):
        briefing_html(sample_analysis, paper="Letter", exported_at=WHEN, exported_by="Kabag Ops")
    with pytest.raises(ValueError, match="basemap"):
        briefing_html(sample_analysis, basemap="bing", exported_at=WHEN, exported_by="Kabag Ops")


def _summary(html: str) -> str:
    section = re.search(r'<section class="brief-summary">(.*?)</section>', html, flags=re.S)
    assert section, "no summary on page 1"
    return html_module.unescape(re.sub(r"<[^>]+>", " ", section.group(1)))


def test_staffing_headline_is_a_sum_under_its_preset(sample_analysis) -> None:
    html = briefing_html(sample_analysis, exported_at=WHEN, exported_by="Kabag Ops", lang="en")
    summary = " ".join(_summary(html).split())
    report = sample_analysis.staffing_report()
    plan = sample_analysis.staffing
    found = re.search(
        r"Police needed (\d+) = (\d+) TPS guards \+ (\d+) PPK warehouse guards "
        r"\((\d+) warehouses × (\d+)\) · preset ([^.]+)\.",
        summary,
    )
    assert found, summary
    total, tps, guards, warehouses, each = (int(found.group(i)) for i in range(1, 6))
    assert total == tps + guards == plan.polri
    assert guards == warehouses * each
    assert warehouses == plan.total("warehouses")
    assert found.group(6) == preset_label(plan.preset, "en")
    assert report["preset"] == plan.preset.name


def test_page_one_states_radii_preset_and_weights(sample_analysis) -> None:
    radii = {"polsek": 1800.0, "pos_pam": 700.0}
    analysis = analyse(sample_analysis.operation, radius_m=radii, preset="mabes_2019")
    summary = " ".join(
        _summary(briefing_html(analysis, exported_at=WHEN, exported_by="Kabag Ops")).split()
    )
    assert "Polsek 1,8 km" in summary and "Pos pengamanan 700 m" in summary
    assert "Mabes Polri 2019" in summary
    assert "Rawan 4/2" in summary  # police / TPS per group of the preset
    for risk, weight in analysis.settings.risk_weights.items():
        assert f"{weight:g}" in summary, risk
    assert "Bobot kerawanan" in summary


@pytest.mark.parametrize(("lang", "shown"), [("id", "7,5"), ("en", "7.5")])
def test_a_decimal_weight_reads_in_the_page_language(sample_analysis, lang, shown) -> None:
    weights = {**sample_analysis.settings.risk_weights, "rawan": 7.5}
    analysis = analyse(sample_analysis.operation, risk_weights=weights)
    summary = " ".join(
        _summary(
            briefing_html(analysis, exported_at=WHEN, exported_by="Kabag Ops", lang=lang)
        ).split()
    )
    risk = label("risk", "rawan", lang)
    assert f"{risk} {shown}" in summary


def test_content_every_tps_banners_title_figures(briefing: str, sample_analysis) -> None:
    tips = [json.loads(t) for t in re.findall(r"var tips = (\{.*?\});\n", briefing)]
    ids = {i for t in tips for i in t["columns"]["id"].get("v", t["columns"]["id"].get("u", []))}
    tps = set(sample_analysis.polling_stations["site_id"])
    assert tps <= ids
    assert briefing.count('class="cls-banner') == 2
    assert re.search(r'cls-banner top">TERBATAS<', briefing)
    assert re.search(r'cls-banner bottom">TERBATAS<', briefing)
    assert "Pilkada 2024 — Polresta Pangkalpinang" in briefing
    assert "Diekspor oleh Kabag Ops, 27-11-2024 14:00 WIB" in briefing
    for heading in (
        "Jangkauan TPS per kerawanan",
        "TPS di luar jangkauan",
        "Titik unjuk rasa dan pos terdekat",
        "Kebutuhan personel",
    ):
        assert heading in briefing
    uncovered = sample_analysis.uncovered_tps
    assert all(name in briefing for name in uncovered["name"])
    assert "sintetis" in briefing  # the note on synthetic positions
    assert "@media print" in briefing and "size: A4 landscape" in briefing


def test_same_operation_same_file(sample_analysis) -> None:
    first = briefing_html(sample_analysis, exported_at=WHEN, exported_by="Kabag Ops")
    again = briefing_html(
        analyse(sample_analysis.operation), exported_at=WHEN, exported_by="Kabag Ops"
    )
    assert first == again


class _Outside(HTMLParser):
    """Tags, attributes and text of a page outside its scripts (text unescaped)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs) -> None:
        self._script = tag == "script"
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag) -> None:
        self._script = False

    def handle_data(self, data) -> None:
        if not self._script:
            self.text.append(data)


def test_payloads_are_escaped_in_the_briefing(tmp_path: Path) -> None:
    from geo.operation import load_operation

    write_payload_operation(tmp_path / "payload")
    html = briefing_html(
        analyse(load_operation(tmp_path / "payload")), exported_at=WHEN, exported_by="Kabag Ops"
    )
    body = html.split("<body>", 1)[1]
    outside_scripts = re.sub(r"<script>.*?</script>", "", body, flags=re.S)
    for payload in PAYLOADS:
        if any(ch in payload for ch in '<>"'):
            assert payload not in outside_scripts
    assert f"window.{MARKER}=1</script>" not in html
    assert "&lt;img src=x onerror=" in outside_scripts  # shown as text
    assert html_module.escape(TITLE) in html
    page = _Outside()
    page.feed(html)
    text = "\n".join(page.text)
    shown = [p for p in PAYLOADS if p in text]
    assert PAYLOADS[2] in shown  # the "javascript:" name of the demonstration point
    assert len(shown) >= 4  # classification, note, posts and points: text, never markup
    for tag, attrs in page.tags:
        assert tag not in ("img", "svg", "iframe"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name)


AMPERSAND = "A & B <b>"


def test_a_name_is_escaped_exactly_once() -> None:
    lon, lat = 106.11, -2.11
    op = make_operation(
        [
            site("P1", "police_post", lon, lat, post_type="polsek", name="{# hidden #}"),
            site("D1", "demonstration_point", *offset(lon, lat, 0, 300), name=AMPERSAND),
        ],
        title="Ops",
        classification="TERBATAS",
    )
    html = briefing_html(analyse(op), exported_at=WHEN, exported_by="Kabag Ops")
    assert html.count("A &amp; B &lt;b&gt;") == 1  # the demonstration table
    assert AMPERSAND not in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html


def test_title_and_classification_are_escaped_exactly_once() -> None:
    op = make_operation(
        [site("P1", "police_post", 106.11, -2.11, post_type="polsek")],
        title=AMPERSAND,
        classification=AMPERSAND,
    )
    html = briefing_html(analyse(op), exported_at=WHEN, exported_by="Kabag Ops")
    # <title>, the title block and both banners
    assert html.count("A &amp; B &lt;b&gt;") == 4
    assert "<title>A &amp; B &lt;b&gt;</title>" in html
    assert "<h1>A &amp; B &lt;b&gt;</h1>" in html
    assert "&amp;amp;" not in html and AMPERSAND not in html


def test_text_is_never_read_as_a_template() -> None:
    # folium's elements treat their text as a Jinja template; names must not run in it
    op = make_operation(
        [
            site("P1", "police_post", 106.11, -2.11, post_type="polsek", name="{# hidden #}"),
            site(
                "D1",
                "demonstration_point",
                *offset(106.11, -2.11, 0, 300),
                name="{{ 6 * 7 }}",
            ),
        ],
        title="{% if true %}yes{% endif %}",
        classification="{{ 7 * 7 }}",
    )
    html = briefing_html(analyse(op), exported_at=WHEN, exported_by="Kabag Ops")
    for text in ("{{ 6 * 7 }}", "{% if true %}yes{% endif %}", "{{ 7 * 7 }}", "{# hidden #}"):
        assert text in html
    assert ">49<" not in html and ">42<" not in html and "<h1>yes</h1>" not in html


@pytest.mark.parametrize("aggregate", [False, True])
def test_no_value_of_a_site_runs_as_a_template(aggregate: bool) -> None:
    # branca renders a layer's output as a template a second time: an uploaded site id or
    # kelurahan once ran there as server-side Jinja ("{{ 5 * 5 }}" became 25; "{% for %}"
    # stopped every map)
    hostile = {
        "site_id": "T{{ 5 * 5 }}T",
        "kelurahan": "K{% for x in range(3) %}k{% endfor %}K",
        "kecamatan": "C{% for %}C",
        "name": "N{{ 4 * 4 }}N",
    }
    op = make_operation(
        [
            site("P1", "police_post", 106.11, -2.11, post_type="polsek", name="{# hidden #}"),
            site(
                hostile["site_id"],
                "polling_station",
                *offset(106.11, -2.11, 0, 5000),
                risk="rawan",
                **{k: v for k, v in hostile.items() if k != "site_id"},
            ),
        ],
    )
    analysis = analyse(op)
    pages = [
        briefing_html(analysis, exported_at=WHEN, exported_by="Kabag Ops", aggregate=aggregate),
        build_map(analysis, aggregate=aggregate).get_root().render(),
    ]
    for page in pages:
        assert "T25T" not in page and "Kk" + "kkK" not in page and "N16N" not in page
    if not aggregate:  # the cells' columns are dictionary-encoded
        assert all("T{{ 5 * 5 }}T" in page for page in pages)


def test_the_banner_is_the_one_the_app_uses(briefing: str) -> None:
    for position in ("top", "bottom"):
        assert classification_banner_html("TERBATAS", position=position) in briefing
    assert briefing.count('class="cls-banner') == 2


def test_the_radii_assumed_are_the_covering_posts_only(sample_analysis) -> None:
    line = assumptions(sample_analysis, "en")[0]
    assert line == (
        "Post reach radius: Police HQ (Mako) 2.5 km · Police sector (Polsek) 1.5 km · "
        "Security post 1.0 km · Joint post 1.0 km · Patrol base 2.0 km."
    )  # a reserve unit's response reach covers no TPS: not among them
