"""A planner asks for three more posts on the "Saran pos" page, sees them on the map with the
curve, and makes a draft plan of them, which opens in the map page's plan editor."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from geo.access import local_user
from geo.operation import load_operation
from geo.placement import SuggestOptions, suggest
from geo.plans import Plans
from tests.browser.test_app_browser import (
    TIMEOUT_MS,
    app_idle,
    drawn,
    map_frame,
    metric,
    nav_link,
    open_app,
)


def test_suggest_three_posts_see_them_and_make_a_draft_plan(
    app_server, open_page, screenshot
) -> None:
    p = open_page(viewport=(1400, 1800))
    page = p.page
    open_app(p, app_server.url)
    page.get_by_role("combobox", name="Operasi").click()
    page.get_by_role("option", name="latihan", exact=True).click()
    app_idle(page)
    nav_link(page, "Saran pos").click()
    expect(page).to_have_url(f"{app_server.url}/suggest", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Cari saran").click()
    expect(page.get_by_text("Saran selesai")).to_be_visible(timeout=TIMEOUT_MS)
    expect(metric(page, "Pos baru")).to_have_text("3", timeout=TIMEOUT_MS)
    # the curve: one dot per k, its text escaped into the SVG
    curve = page.locator("svg.posko-curve")
    expect(curve).to_have_count(1)
    expect(curve.locator("circle")).to_have_count(3)
    frame = map_frame(page)
    frame.wait_for_function(
        """() => Object.values(window.map._layers).filter(l => l.options
            && l.options.role === 'suggested').length === 3""",
        timeout=TIMEOUT_MS,
    )
    assert drawn(frame, "police_post", "suggested") == 3
    posts = drawn(frame, "police_post")
    app_idle(page)
    screenshot(page, "suggest-page")
    # the same suggestion as the library gives (the page adds no logic of its own)
    operation = load_operation(app_server.workspace / "latihan")
    expected = suggest(operation, SuggestOptions(k=3))
    for post in expected.posts:
        expect(page.get_by_text(post.name, exact=True).first).to_be_attached()
    button = page.get_by_role("button", name="Buat rencana draf dari saran ini")
    page.get_by_label("Nama rencana draf").fill("Saran tiga pos")
    page.keyboard.press("Tab")
    app_idle(page)
    expect(button).to_be_enabled(timeout=TIMEOUT_MS)
    button.click()
    # the draft opens on the map page, chosen in the plan editor, its posts drawn
    expect(page).to_have_url(re.compile(rf"{re.escape(app_server.url)}/?$"), timeout=TIMEOUT_MS)
    expect(page.get_by_text("Rencana draf 'Saran tiga pos' disimpan")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(page.get_by_role("combobox", name="Rencana")).to_have_value(
        "Saran tiga pos · Draf", timeout=TIMEOUT_MS
    )
    frame = map_frame(page, kind="police_post", count=posts + 3)
    assert drawn(frame, "police_post") == posts + 3
    (info,) = [
        i for i in Plans(app_server.workspace / "latihan").list() if i.name.startswith("Saran")
    ]
    # sign-in is off here: the server's local user saves (never a typed name)
    assert info.name == "Saran tiga pos" and info.saved_by == local_user()
