"""The phase slider on a projector (1024 x 768): map, figures and staffing follow the phase."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_app_browser import (
    TIMEOUT_MS,
    app_idle,
    drawn,
    map_frame,
    metric,
    open_app,
    runs_finished,
    wait_runs_done,
)

_SLIDER = '[data-testid="stSlider"]'


def _step(p, slider, key: str, caption: str) -> None:
    """Move the phase slider one stop with `key` and wait for the page to show `caption`."""
    before = runs_finished(p.page)
    slider.focus()
    slider.press(key)
    wait_runs_done(p.page, before)
    expect(p.page.get_by_text(caption, exact=True)).to_be_visible(timeout=TIMEOUT_MS)


def test_the_phase_slider_filters_the_map_figures_and_staffing(
    app_server, open_page, screenshot
) -> None:
    p = open_page(viewport=(1024, 768))
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    page = p.page
    box = page.locator(_SLIDER, has_text="Tahapan operasi")
    slider = box.get_by_role("slider")
    expect(slider).to_be_visible()
    # today lies outside the 2024 timeline: the whole operation, its figures as ever
    expect(page.get_by_text("Seluruh operasi (semua tahapan)", exact=True)).to_be_visible()
    expect(metric(page, "Polri dibutuhkan").first).to_have_text("145")
    assert drawn(frame, "demonstration_point") == 6
    assert drawn(frame, "police_post") == 16  # 15 posts and the Dalmas reserve
    _step(p, slider, "ArrowRight", "Tahapan: Persiapan (14-08-2024 s.d. 24-09-2024)")
    _step(p, slider, "ArrowRight", "Tahapan: Kampanye (25-09-2024 s.d. 23-11-2024)")
    frame = map_frame(page, kind="police_post", count=15)  # no reserve in the campaign
    assert drawn(frame, "demonstration_point") == 6  # the rally square is there
    expect(metric(page, "Polri dibutuhkan").first).to_have_text("0")  # no TPS guard yet
    screenshot(page, "phase-kampanye")
    _step(p, slider, "ArrowRight", "Tahapan: Masa tenang (24-11-2024 s.d. 25-11-2024)")
    _step(
        p,
        slider,
        "ArrowRight",
        "Tahapan: Pemungutan dan penghitungan suara (26-11-2024 s.d. 28-11-2024)",
    )
    frame = map_frame(page, kind="police_post", count=16)  # the reserve waits at the Mako
    assert drawn(frame, "demonstration_point") == 5  # the rally square is gone
    assert drawn(frame, "polling_station") == 311
    expect(metric(page, "Polri dibutuhkan").first).to_have_text("110")  # the TPS guards
    # the staffing per phase names its peak, below the map
    peak = page.get_by_text("Puncak kebutuhan: Pemungutan dan penghitungan suara", exact=False)
    peak.scroll_into_view_if_needed()
    expect(peak).to_be_visible()
    # the table shows each phase's whole name and its last column, nothing scrolled away
    table = page.locator('[data-testid="stTable"]', has_text="Pemungutan dan penghitungan suara")
    table.scroll_into_view_if_needed()
    expect(table.get_by_text("Pemungutan dan penghitungan suara", exact=True)).to_be_visible()
    last = table.locator("th").last
    box, frame = last.bounding_box(), table.bounding_box()
    assert box is not None and frame is not None
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
    screenshot(page, "phase-pungut-hitung")
