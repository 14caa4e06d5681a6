"""What a person sees of the map, scenario and compare pages at a laptop's, a projector's and
a phone's size (issue 17's review): the phase slider wide enough for its seven stops, the
headline figures readable on a phone, the map's attribution clear of its scale bar, the
comparison table whole without scrolling inside it."""

from __future__ import annotations

import pytest

from geo.text import t
from tests.browser.test_app_browser import app_idle, nav_link, open_app, settle

_SCREENS = {"laptop": (1600, 1000), "projector": (1024, 768), "phone": (390, 844)}
_PHASE = ".st-key-posko_phase_choice"


def _box(locator) -> tuple[float, float, float, float]:
    b = locator.bounding_box()
    assert b is not None
    return b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("screen", list(_SCREENS))
def test_the_phase_slider_spans_most_of_the_main_column(app_server, open_page, screen) -> None:
    width, height = _SCREENS[screen]
    p = open_page(viewport=(width, height))
    open_app(p, app_server.url)
    app_idle(p.page)
    page = p.page
    main = _box(page.locator('[data-testid="stMainBlockContainer"] .st-key-posko_control_row'))
    slider = _box(page.locator(f'{_PHASE} [data-testid="stSlider"]'))
    share = (slider[2] - slider[0]) / (main[2] - main[0])
    assert share >= (0.95 if screen == "phone" else 0.58), f"the slider has {share:.0%}"
    # the line naming the phase is read over the slider, never under its thumb
    line = _box(page.locator(f"{_PHASE} [data-testid='stCaptionContainer'] p"))
    thumb = _box(page.locator(f'{_PHASE} [data-testid="stSliderThumbValue"]').locator(".."))
    assert not _overlap(line, thumb)
    assert line[3] <= thumb[1] + 1


def test_the_headline_figures_stand_two_by_two_on_a_phone(app_server, open_page) -> None:
    p = open_page(viewport=_SCREENS["phone"])
    open_app(p, app_server.url)
    app_idle(p.page)
    figures = p.page.locator('.st-key-posko_figures [data-testid="stMetric"]')
    assert figures.count() == 4
    boxes = [_box(figures.nth(i)) for i in range(4)]
    assert len({round(b[0]) for b in boxes}) == 2  # two columns
    assert len({round(b[1]) for b in boxes}) == 2  # two rows
    for i in range(4):
        for part in ("stMetricLabel", "stMetricValue"):
            text = figures.nth(i).locator(f'[data-testid="{part}"] p')
            # nothing cut off: each name and value is as wide as the room it is given
            clipped = text.evaluate(
                "e => e.scrollWidth > e.clientWidth + 1 || e.closest('[data-testid]')"
                ".scrollWidth > e.closest('[data-testid]').clientWidth + 1"
            )
            assert not clipped, f"figure {i}: its {part} is cut off"
        label = _box(figures.nth(i).locator('[data-testid="stMetricLabel"] p'))
        value = _box(figures.nth(i).locator('[data-testid="stMetricValue"] p'))
        assert not _overlap(label, value)


@pytest.mark.parametrize("screen", list(_SCREENS))
def test_the_map_attribution_keeps_clear_of_the_scale_bar(app_server, open_page, screen) -> None:
    p = open_page(viewport=_SCREENS[screen])
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    settle(frame)
    scale = _box(frame.locator(".leaflet-control-scale"))
    attribution = frame.locator(".leaflet-control-attribution")
    assert not _overlap(scale, _box(attribution))
    for notice in frame.locator(".posko-notice").all():  # the offline notice, when shown
        assert not _overlap(_box(notice), _box(attribution))
    # the attribution still reads: its text is not cut off
    assert attribution.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


def test_the_comparison_table_shows_every_row_without_scrolling_inside_it(
    app_server, open_page
) -> None:
    p = open_page(viewport=_SCREENS["laptop"])
    open_app(p, app_server.url)
    page = p.page
    nav_link(page, "Bandingkan rencana").click()
    app_idle(page)
    page.get_by_text(t("history.mode_operation", "id"), exact=True).click()
    app_idle(page)
    table = page.locator("[data-testid='stDataFrame']").first  # the figures side by side
    table.wait_for()
    scroller = table.locator(".dvn-scroller").first
    scroller.wait_for()
    inner, shown = scroller.evaluate("e => [e.scrollHeight, e.clientHeight]")
    assert inner <= shown + 1, f"{inner - shown} px of the table scroll inside it"
    # a table longer than the ten rows Streamlit's own height holds
    assert int(table.locator("[aria-rowcount]").first.get_attribute("aria-rowcount")) > 11
