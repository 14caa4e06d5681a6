"""The suggestion briefing in Chromium: the curve drawn inside its plot box with one point per
number of posts, and on paper (A4 landscape) the map holding every suggested post, the
figures on page 1 and the curve on the next page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from geo.analysis import analyse
from geo.placement import SuggestOptions, suggest
from layers.suggest import SUGGESTED_COLOR
from layers.suggest_brief import suggestion_briefing_html
from tests.browser.test_app_browser import TIMEOUT_MS
from tests.browser.test_geometry_browser import MAP_JS

K = 4
RENDER_SCALE = 2.0

# The curve's dots and its axes, in page pixels: the plot box runs along the x axis and up
# the y axis.
_CURVE_JS = """() => {
    const svg = document.querySelector('svg.posko-curve');
    const [xAxis, yAxis] = svg.querySelectorAll(':scope > line');
    const a = xAxis.getBoundingClientRect(), b = yAxis.getBoundingClientRect();
    const box = [b.left, b.top, a.right, a.bottom];
    const dots = [...svg.querySelectorAll('circle')].map(c => {
        const r = c.getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2];
    });
    const line = svg.querySelector('polyline').getAttribute('points').trim().split(/\\s+/);
    return {box, dots, line: line.length};
}"""

# When the page turns to print media, where each suggested post falls in the printed map.
_PROBE_JS = f"""() => {{
    window.__paper = null;
    window.matchMedia('print').addEventListener('change', (e) => {{
        if (!e.matches || window.__paper) {{ return; }}
        const m = {MAP_JS};
        const box = m.getContainer();
        const posts = [];
        Object.values(window.PoskoSearch.groups).forEach(g => g.eachLayer(l => {{
            if (l.options.role === 'suggested') {{
                const p = m.latLngToContainerPoint(l.getLatLng());
                posts.push([l.options.siteId, p.x, p.y]);
            }}
        }}));
        window.__paper = {{client: [box.clientWidth, box.clientHeight], posts}};
    }});
}}"""


def _pages(pdf: Path) -> tuple[list[str], list[np.ndarray]]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        texts = [" ".join(p.get_textpage().get_text_range().split()) for p in document]
        pictures = [
            np.asarray(p.render(scale=RENDER_SCALE).to_pil().convert("RGB")).astype(int)
            for p in document
        ]
    finally:
        document.close()
    return texts, pictures


def _in_colour(pixels: np.ndarray, hex_colour: str) -> int:
    rgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(pixels - rgb) <= 12).all(axis=2).sum())


def test_the_printed_briefing_holds_every_post_and_the_curve(
    open_page, sample_operation, tmp_path
) -> None:
    suggestion = suggest(sample_operation, SuggestOptions(k=K))
    html = suggestion_briefing_html(
        analyse(sample_operation),
        suggestion,
        exported_at=datetime(2026, 1, 1, tzinfo=UTC),
        exported_by="Kabag",
    )
    path = tmp_path / "saran.html"
    path.write_text(html, encoding="utf-8")
    page = open_page(viewport=(1600, 1000)).page
    page.goto(path.as_uri())
    page.wait_for_function("() => window.PoskoSearch !== undefined", timeout=TIMEOUT_MS)

    # the curve: one dot per number of new posts, all inside the plot box, and a line
    # through them from the coverage before
    curve = page.evaluate(_CURVE_JS)
    assert len(curve["dots"]) == K and curve["line"] == K + 1
    left, top, right, bottom = curve["box"]
    assert right - left > 200 and bottom - top > 100  # drawn at a readable size
    outside = [d for d in curve["dots"] if not (left <= d[0] <= right and top <= d[1] <= bottom)]
    assert outside == [], f"curve points outside the plot box: {outside}"
    xs = [d[0] for d in curve["dots"]]
    ys = [d[1] for d in curve["dots"]]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)  # more posts, more TPS

    # on paper: every suggested post inside the printed map
    page.evaluate(_PROBE_JS)
    pdf = tmp_path / "saran.pdf"
    page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
    printed = page.evaluate("window.__paper")
    assert printed, "the page never switched to print media"
    width, height = printed["client"]
    assert width > 600 and height > 300
    assert sorted(p[0] for p in printed["posts"]) == sorted(
        p.candidate_id for p in suggestion.posts
    )
    outside = [p for p in printed["posts"] if not (0 <= p[1] <= width and 0 <= p[2] <= height)]
    assert outside == [], f"suggested posts outside the printed map: {outside}"

    # page 1: the figures above the map, the posts' shields on it; the curve follows
    texts, pictures = _pages(pdf)
    assert f"→ {suggestion.after.tps_covered} dari 311" in texts[0]
    assert _in_colour(pictures[0], SUGGESTED_COLOR) > 0
    assert "TPS terjangkau menurut jumlah pos baru" not in texts[0]
    (curve_page,) = [
        i for i, text in enumerate(texts) if "TPS terjangkau menurut jumlah pos baru" in text
    ]
    assert _in_colour(pictures[curve_page], SUGGESTED_COLOR) > 200  # the line and its dots
    for post in suggestion.posts:
        assert any(post.name in text for text in texts[1:])
