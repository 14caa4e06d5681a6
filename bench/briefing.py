"""Benchmark: the self-contained briefing against plain folium, for the sample and 10,000 TPS.

Run ``python bench/briefing.py``. For the Pangkalpinang sample and for a seeded operation of
10,000 TPS (see ``bench/map_render.py``) it builds, in the same run:

- the Posko briefing (``layers.export.briefing_html``: every script and style inlined);
- plain folium's map of the same sites (a ``Marker`` with tooltip and popup each, folium's
  default resources linked from CDNs).

It prints one JSON line per case: build time, size, and the number of external resources
(scripts, styles, fonts, images referenced by http(s) URL, tiles excluded) each file makes
the browser fetch.
"""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from map_render import synthetic_operation

from geo.analysis import analyse
from geo.operation import load_operation
from layers.export import briefing_html

_RESOURCE = re.compile(
    r"""<(?:script|link|img)\b[^>]*?(?:src|href)=["'](https?://[^"']+)""", re.IGNORECASE
)
_CSS_URL = re.compile(r"""url\(\s*["']?(https?://[^"')]+)""", re.IGNORECASE)


def external_resources(html: str) -> int:
    """Distinct http(s) scripts, stylesheets, images and CSS urls (tile templates excluded)."""
    urls = set(_RESOURCE.findall(html)) | set(_CSS_URL.findall(html))
    return len({u for u in urls if "{z}" not in u})


def posko(analysis) -> tuple[float, str]:
    start = time.perf_counter()
    html = briefing_html(analysis, exported_at=datetime(2024, 11, 27, tzinfo=UTC))
    return time.perf_counter() - start, html


def plain_folium(analysis) -> tuple[float, str]:
    sites = analysis.operation.sites
    start = time.perf_counter()
    m = folium.Map(location=[-2.11, 106.11], zoom_start=13)
    for row in sites.itertuples():
        text = f"{row.name}<br>{row.kind}<br>{row.risk}"
        folium.Marker(
            [row.geometry.y, row.geometry.x], tooltip=text, popup=folium.Popup(text)
        ).add_to(m)
    html = m.get_root().render()
    return time.perf_counter() - start, html


def case(name: str, analysis) -> dict:
    posko(analysis)  # warm-up
    posko_s, posko_html = min((posko(analysis) for _ in range(3)), key=lambda r: r[0])
    folium_s, folium_html = plain_folium(analysis)
    return {
        "case": name,
        "tps": int((analysis.operation.sites["kind"] == "polling_station").sum()),
        "posko_build_s": round(posko_s, 3),
        "posko_mb": round(len(posko_html.encode()) / 1e6, 3),
        "posko_external_resources": external_resources(posko_html),
        "folium_build_s": round(folium_s, 3),
        "folium_mb": round(len(folium_html.encode()) / 1e6, 3),
        "folium_external_resources": external_resources(folium_html),
    }


def main() -> None:
    print(json.dumps(case("pangkalpinang", analyse(load_operation()))))
    print(json.dumps(case("10k_tps", analyse(synthetic_operation(10_000)))))


if __name__ == "__main__":
    main()
