"""Benchmark: building the operation map with 10,000 TPS, Posko's way against one Marker each.

Run ``python bench/map_render.py [N]``. It makes a seeded synthetic operation of N polling
stations (default 10,000) around Pangkalpinang with the sample's posts and buildings, then
times, in the same run:

- Posko: analysis excluded, ``layers.mapview.build_map`` + rendering to HTML, and the HTML
  size as the app sends it (scripts linked, served by the app) and self-contained (scripts
  inlined, as in the briefing);
- naive: a folium ``Marker`` with tooltip and popup per TPS (what a first folium map does),
  built and rendered the same way (its scripts linked from CDNs).

It prints one JSON line with both figures and the ratios.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analysis import analyse
from geo.operation import Operation, load_operation
from geo.schema import canonical_sites
from layers.assets import inline_assets
from layers.mapview import build_map


def synthetic_operation(n_tps: int, seed: int = 1) -> Operation:
    """The sample operation with its TPS replaced by `n_tps` seeded synthetic ones."""
    sample = load_operation()
    rng = np.random.default_rng(seed)
    others = sample.sites[sample.sites["kind"] != "polling_station"]
    template = sample.sites[sample.sites["kind"] == "polling_station"]
    picks = template.sample(n_tps, replace=True, random_state=seed).reset_index(drop=True)
    lon = picks.geometry.x.to_numpy() + rng.normal(0, 0.004, n_tps)
    lat = picks.geometry.y.to_numpy() + rng.normal(0, 0.004, n_tps)
    picks = picks.assign(
        site_id=[f"TPS-BENCH-{i:06d}" for i in range(n_tps)],
        name=[f"TPS {i % 999 + 1:03d} {k}" for i, k in enumerate(picks["kelurahan"])],
        tps_no=np.arange(n_tps) % 999 + 1,
    )
    picks = picks.set_geometry(gpd.points_from_xy(lon, lat, crs="EPSG:4326"))
    sites = canonical_sites(gpd.GeoDataFrame(pd.concat([picks, others]), crs="EPSG:4326"))
    return Operation(
        key="bench", path=sample.path, settings=sample.settings, sites=sites, areas=sample.areas
    )


def posko_map(analysis, *, inline: bool) -> tuple[float, int]:
    """Seconds to build and render Posko's map, and the HTML size in bytes."""
    start = time.perf_counter()
    m = build_map(analysis, basemap="osm")
    if inline:
        inline_assets(m)
    html = m.get_root().render()
    return time.perf_counter() - start, len(html.encode("utf-8"))


def naive_map(analysis) -> tuple[float, int]:
    """Seconds and bytes for the same TPS as one folium Marker (tooltip + popup) each."""
    tps = analysis.polling_stations
    start = time.perf_counter()
    m = folium.Map(location=[-2.11, 106.11], zoom_start=13)
    for row in tps.itertuples():
        text = f"{row.name}<br>{row.kelurahan}<br>{row.risk}<br>{row.voters}"
        folium.Marker(
            [row.geometry.y, row.geometry.x], tooltip=text, popup=folium.Popup(text)
        ).add_to(m)
    html = m.get_root().render()
    return time.perf_counter() - start, len(html.encode("utf-8"))


def main() -> None:
    n_tps = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    analysis = analyse(synthetic_operation(n_tps))
    posko_map(analysis, inline=True)  # warm-up: imports, asset registry, templates
    posko_s, posko_bytes = min(posko_map(analysis, inline=False) for _ in range(3))
    _, inlined_bytes = posko_map(analysis, inline=True)
    naive_s, naive_bytes = naive_map(analysis)
    print(
        json.dumps(
            {
                "tps": n_tps,
                "posko_build_render_s": round(posko_s, 3),
                "posko_html_mb": round(posko_bytes / 1e6, 3),
                "posko_self_contained_html_mb": round(inlined_bytes / 1e6, 3),
                "naive_markers_build_render_s": round(naive_s, 3),
                "naive_markers_html_mb": round(naive_bytes / 1e6, 3),
                "speedup": round(naive_s / posko_s, 1),
                "size_ratio": round(naive_bytes / posko_bytes, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
