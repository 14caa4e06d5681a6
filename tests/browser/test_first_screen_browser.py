"""The map page's first screen, as a commander opens it on a laptop, a projector and a phone:
the map starts on it with a good part of it shown, under the banner and the headline
figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_app_browser import app_idle, metric, open_app, settle

# Of the first screen's height, at least this much shows map (before issue 17's review the
# phase choice and the figures' details pushed the map to 35 % on a projector, and below
# the first screen on a phone).
MAP_SHOWN_SHARE = 0.45
_SCREENS = {"laptop": (1600, 1000), "projector": (1024, 768), "phone": (390, 844)}
# the headline figures a commander reads first (TPS covered and their count, uncovered,
# officers needed), by their label
_HEADLINES = ("TPS terjangkau", "TPS tak terjangkau", "Polri dibutuhkan")


def _on_first_screen(box: dict, height: int) -> bool:
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("screen", list(_SCREENS))
def test_the_map_starts_on_the_first_screen_under_the_figures(
    app_server, open_page, screenshot, screen
) -> None:
    width, height = _SCREENS[screen]
    p = open_page(viewport=(width, height))
    frame = open_app(p, app_server.url)
    app_idle(p.page)
    settle(frame)
    page = p.page
    box = page.locator("iframe[title*='st_folium']").bounding_box()
    shown = min(box["y"] + box["height"], height) - box["y"]
    screenshot(page, f"first-screen-map-{screen}")
    assert 0 <= box["y"] < height, f"the map starts at {box['y']:.0f} px, below the fold"
    assert shown >= MAP_SHOWN_SHARE * height, (
        f"only {shown:.0f} px of map on a {height} px screen ({shown / height:.0%})"
    )
    if screen == "phone":  # the figures' details are said just below the map instead
        notes = page.locator(".st-key-posko_figure_notes")
        expect(notes.get_by_text("110 jaga TPS + 35 jaga gudang PPK", exact=False)).to_be_visible()
        return
    banner = page.locator(".cls-banner").first.bounding_box()
    assert _on_first_screen(banner, height)
    for name in _HEADLINES:
        figure = metric(page, name).first.bounding_box()
        assert _on_first_screen(figure, height), f"{name} is not on the first screen"
        assert figure["y"] + figure["height"] <= box["y"]  # above the map
    # the TPS count stays under its figure, also on a short screen
    count = page.locator(".st-key-posko_figures").get_by_text("268 dari 311", exact=True)
    assert _on_first_screen(count.bounding_box(), height)
    # the phase the figures are for, on the first screen with its dates
    line = page.get_by_text("Seluruh operasi (semua tahapan)", exact=True)
    assert _on_first_screen(line.bounding_box(), height)
