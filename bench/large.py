"""Benchmark of issue 16: a province (120,000 TPS) and the nation (820,000 TPS) end to end.

Run ``python bench/large.py [--only province|national] [--quick] [--limit SECONDS]
[--parts ...]``. For each seeded synthetic set (TPS stacked as in a KPU list: most share a
location with others, up to 300 on one spot; 2,000 / 6,000 police posts) it prints one JSON
line with:

- import time and µs per row of the TPS list as CSV and as GeoJSON (``geo.importer``);
- the GeoPackage store's size after 5 versions with 1 % of the sites changed each (and the
  size the one-layer-per-version layout took for the same versions), the mean save time and
  the time to load the current version (``Store.current``);
- analysis time (``geo.analysis.analyse``);
- the briefing's build time and size, and, in headless Chromium (``/usr/bin/chromium``
  through Playwright), the time from opening it to the first drawn map and the script heap
  (CDP ``Performance.getMetrics`` ``JSHeapUsedSize``) — for the aggregated drawing when
  ``layers.export.briefing_html`` offers it (``aggregate=True``) and for today's drawing,
  every site a marker (``markers_*`` keys);
- the app's map page (a real Streamlit server started as ``posko serve`` starts it, on a
  workspace holding the set in its GeoPackage store), in the same Chromium: the time from
  opening the page to the first drawn map on a server that has just become healthy (its
  warm-up, ``pages.warmup``, still running: ``app_first_map_s``), the script heap then
  (``app_heap_mb``), how long that first script run took as the page saw it
  (``app_script_run_s``), and for a second tab, the server warm: its first drawn map
  (``app_second_map_s``), its heap, the largest message the page received from the server
  (``app_largest_message_mb``) and the map data files it fetched (``app_data_mb``).

``--parts import,store,briefing,markers,app`` measures only those parts (default: all; the
others' keys are null and said in ``skipped``). For the app, a second server is then started
and left to finish its warm-up (its log line ``warmed up operation … in … s``): the seconds
the warm-up took, as the line says (``app_warm_up_s``), and a first tab's first drawn map
then (``app_warmed_first_map_s``).

Every measurement runs under a time limit (``--limit``, default 600 s); one that exceeds it
(or fails) is reported as skipped with the reason in ``skipped`` and its keys null.
``--quick`` uses small sets (a smoke test: ``tests/test_bench_large.py``).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analysis import analyse
from geo.deployment import SIGN_IN_ENV
from geo.importer import ImportChoices, ImportContext, import_sites
from geo.model import Kind
from geo.operation import SAMPLE_OPERATION, SETTINGS_FILE, Operation, load_operation
from geo.schema import canonical_sites
from geo.store import STORE_FILE, WORKSPACE_ENV, Store, storable
from layers.export import briefing_html

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# the browser reaches only this machine (the app's basemap tiles are refused)
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")
VERSIONS = 5
CHANGED_SHARE = 0.01
MAX_STACK = 300


@dataclass(frozen=True)
class Case:
    """One benchmark set: its name, TPS, posts and the box the spots lie in."""

    name: str
    tps: int
    posts: int
    box: tuple[float, float, float, float]  # west, south, east, north


CASES = {
    "province": Case("province", 120_000, 2_000, (106.0, -7.8, 108.8, -5.9)),  # Jawa Barat
    "national": Case("national", 820_000, 6_000, (95.0, -11.0, 141.0, 6.0)),
}
QUICK = {
    "province": Case("province", 1_000, 20, (106.0, -7.8, 108.8, -5.9)),
    "national": Case("national", 2_000, 40, (95.0, -11.0, 141.0, 6.0)),
}


# --- the synthetic sets ----------------------------------------------------------------------


def stack_sizes(n: int, rng: np.random.Generator) -> np.ndarray:
    """How many TPS share each spot: heavy-tailed (most spots hold a few, one holds
    ``MAX_STACK``, as a real list's school or village hall does), summing to `n`."""
    first = min(MAX_STACK, max(n // 10, 1))
    sizes = [np.array([first])]
    total = first
    while total < n:
        batch = np.minimum(rng.zipf(1.8, 10_000), MAX_STACK)
        sizes.append(batch)
        total += int(batch.sum())
    out = np.concatenate(sizes)
    cut = int(np.searchsorted(np.cumsum(out), n))
    out = out[: cut + 1].copy()
    out[-1] -= int(out.sum()) - n
    return out[out > 0]


def synthetic(case: Case, seed: int = 16) -> Operation:
    """The sample operation with `case.tps` stacked TPS and `case.posts` posts."""
    sample = load_operation()
    rng = np.random.default_rng(seed)
    west, south, east, north = case.box
    sizes = stack_sizes(case.tps, rng)
    spots = np.column_stack(
        [rng.uniform(west, east, len(sizes)), rng.uniform(south, north, len(sizes))]
    )
    at = np.repeat(spots, sizes, axis=0)
    tps = _picks(sample.sites, "polling_station", case.tps, seed)
    tps = tps.assign(
        site_id=[f"TPS-{case.name[:3].upper()}-{i:07d}" for i in range(case.tps)],
        name=[f"TPS {i % 999 + 1:03d} {k}" for i, k in enumerate(tps["kelurahan"])],
        tps_no=np.arange(case.tps) % 999 + 1,
    ).set_geometry(gpd.points_from_xy(at[:, 0], at[:, 1], crs="EPSG:4326"))
    posts = _picks(sample.sites, "police_post", case.posts, seed + 1)
    near = spots[rng.integers(0, len(spots), case.posts)] + rng.normal(0, 0.01, (case.posts, 2))
    posts = posts.assign(
        site_id=[f"POS-{case.name[:3].upper()}-{i:05d}" for i in range(case.posts)],
    ).set_geometry(gpd.points_from_xy(near[:, 0], near[:, 1], crs="EPSG:4326"))
    sites = canonical_sites(gpd.GeoDataFrame(pd.concat([tps, posts]), crs="EPSG:4326"))
    return Operation(
        key=f"bench-{case.name}",
        path=sample.path,
        settings=sample.settings,
        sites=sites,
        # no areas: the sample's are Pangkalpinang's, and sites spread over the case's box
        # would all be outliers of them, leaving the briefing framed on Pangkalpinang with
        # no site in view; without areas the map frames the sites themselves
        areas=sample.areas.iloc[:0],
    )


def _picks(sites: gpd.GeoDataFrame, kind: str, n: int, seed: int) -> gpd.GeoDataFrame:
    template = sites[sites["kind"] == kind]
    return template.sample(n, replace=True, random_state=seed).reset_index(drop=True)


def stacking(sites: gpd.GeoDataFrame) -> dict[str, float]:
    """The largest number of TPS on one spot and the share of TPS sharing theirs."""
    tps = sites[sites["kind"] == "polling_station"]
    spots = pd.Series(list(zip(tps.geometry.x, tps.geometry.y, strict=True))).value_counts()
    shared = int(spots[spots > 1].sum())
    return {"stacked_max": int(spots.max()), "stacked_share": round(shared / len(tps), 3)}


# --- measurements under a time limit ---------------------------------------------------------


def limited(name: str, seconds: float, run: Callable[[], dict], skipped: dict) -> dict:
    """`run()` in a forked child, killed after `seconds`; its result, or {} with the reason
    in `skipped[name]`."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(run, child), daemon=True)
    process.start()
    child.close()
    if not parent.poll(seconds):
        process.kill()
        process.join()
        skipped[name] = f"over the time limit of {seconds:g} s"
        return {}
    ok, result = parent.recv()
    process.join()
    if not ok:
        skipped[name] = result
        return {}
    return result


def _child(run: Callable[[], dict], pipe: Any) -> None:
    try:
        pipe.send((True, run()))
    except BaseException as exc:  # the reason goes back to the report
        last = traceback.format_exception_only(exc)[-1].strip()
        pipe.send((False, f"failed: {last}"))


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


# --- import ------------------------------------------------------------------------------------


def import_files(operation: Operation, folder: Path) -> dict[str, Path]:
    """The TPS as a KPU-style CSV and as GeoJSON."""
    tps = operation.sites[operation.sites["kind"] == "polling_station"]
    table = pd.DataFrame(
        {
            "nama": tps["name"],
            "kelurahan": tps["kelurahan"],
            "kerawanan": tps["risk"],
            "dpt": tps["voters"],
        }
    )
    csv = folder / "tps.csv"
    table.assign(lintang=tps.geometry.y.round(7), bujur=tps.geometry.x.round(7)).to_csv(
        csv, sep=";", index=False
    )
    geojson = folder / "tps.geojson"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(table, geometry=tps.geometry.to_numpy(), crs="EPSG:4326"),
        geojson,
        driver="GeoJSON",
    )
    return {"csv": csv, "geojson": geojson}


def measure_import(path: Path, rows: int, limit: float) -> dict:
    context = ImportContext(max_rows=rows + 10, time_budget_s=limit)
    seconds, _ = _timed(
        lambda: import_sites(path, ImportChoices(kind=Kind.POLLING_STATION), context)
    )
    return {"s": round(seconds, 3), "us_per_row": round(1e6 * seconds / rows, 1)}


# --- store -------------------------------------------------------------------------------------


def versions(sites: gpd.GeoDataFrame, seed: int = 5) -> list[gpd.GeoDataFrame]:
    """`VERSIONS` lists: each the previous with `CHANGED_SHARE` of the sites changed (half
    renamed, half moved)."""
    rng = np.random.default_rng(seed)
    out = [sites]
    for _ in range(VERSIONS - 1):
        now = out[-1].copy()
        changed = rng.choice(len(now), max(int(len(now) * CHANGED_SHARE), 2), replace=False)
        renamed, moved = changed[: len(changed) // 2], changed[len(changed) // 2 :]
        now.loc[renamed, "name"] = now.loc[renamed, "name"] + " (pindah)"
        x = now.geometry.x.to_numpy()[moved] + rng.normal(0, 0.001, len(moved))
        y = now.geometry.y.to_numpy()[moved] + rng.normal(0, 0.001, len(moved))
        now.loc[moved, "geometry"] = gpd.points_from_xy(x, y)
        out.append(now)
    return out


def measure_store(lists: list[gpd.GeoDataFrame], folder: Path) -> dict:
    store = Store(folder / "store.gpkg")
    saves, base, one = [], None, 0
    for frame in lists:
        seconds, version = _timed(
            lambda frame=frame, base=base: store.save(frame, action="import", base_version=base)
        )
        saves.append(seconds)
        base = version.version
        one = one or store.path.stat().st_size
    load_s, current = _timed(Store(store.path).current)
    assert current is not None and len(current.sites) == len(lists[-1])
    return {
        "store_mb_one_version": round(one / 1e6, 1),
        "store_mb": round(store.path.stat().st_size / 1e6, 1),
        "store_save_s": round(float(np.mean(saves)), 2),
        "load_current_s": round(load_s, 2),
    }


def measure_old_layout(lists: list[gpd.GeoDataFrame], folder: Path) -> dict:
    """The same versions as the store wrote them before rows were shared: a layer each."""
    path = folder / "old.gpkg"
    for number, frame in enumerate(lists, start=1):
        pyogrio.write_dataframe(storable(frame), path, layer=f"sites_v{number:04d}", driver="GPKG")
    with sqlite3.connect(path) as con:
        con.execute("VACUUM")
    return {"store_mb_old_layout": round(path.stat().st_size / 1e6, 1)}


# --- briefing and browser ----------------------------------------------------------------------


def drawings() -> dict[str, dict[str, bool]]:
    """The drawings to measure: the aggregated one when the briefing offers it, and every
    site a marker (today's)."""
    if "aggregate" in inspect.signature(briefing_html).parameters:
        return {"aggregate": {"aggregate": True}, "markers": {"aggregate": False}}
    return {"markers": {}}


def build_briefing(analysis: Any, options: dict[str, bool], target: Path) -> dict:
    seconds, html = _timed(
        lambda: briefing_html(
            analysis,
            exported_at=datetime(2024, 11, 27, tzinfo=UTC),
            exported_by="bench",
            **options,
        )
    )
    target.write_text(html, encoding="utf-8")
    return {
        "briefing_build_s": round(seconds, 2),
        "briefing_mb": round(len(html.encode()) / 1e6, 2),
    }


_DRAWN = """() => {
  // a map drawn by zoom: its TPS cells (or sites) are on the map, not only an empty canvas
  const groups = Object.values((window.PoskoSearch || {}).groups || {});
  const grids = groups.filter(g => g.poskoGrid);
  if (grids.length) return grids.some(g => g.getLayers().length > 0);
  const pane = document.querySelector('.leaflet-overlay-pane, .leaflet-marker-pane');
  if (!pane) return false;
  const drawn = document.querySelector(
    '.leaflet-overlay-pane canvas, .leaflet-overlay-pane svg path, .leaflet-marker-pane > *');
  return drawn !== null;
}"""


def open_in_chromium(page_file: Path, limit: float) -> dict:
    """Seconds from opening the page to its first drawn map, and the script heap then."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            start = time.perf_counter()
            page.goto(page_file.as_uri(), wait_until="commit", timeout=limit * 1000)
            page.wait_for_function(_DRAWN, timeout=limit * 1000, polling=50)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            first_map = time.perf_counter() - start
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        finally:
            browser.close()
    return {
        "first_map_s": round(first_map, 2),
        "heap_mb": round(metrics["JSHeapUsedSize"] / 1e6, 1),
    }


# --- the app ---------------------------------------------------------------------------------


def app_workspace(operation: Operation, folder: Path) -> Path:
    """A workspace holding `operation` as the app opens it first: a folder named as the
    bundled sample (the app's first choice), its settings, its sites saved as one version of
    the GeoPackage store (no areas: the map frames the sites)."""
    workspace = folder / "workspace"
    target = workspace / SAMPLE_OPERATION.name
    target.mkdir(parents=True)
    shutil.copy(SAMPLE_OPERATION / SETTINGS_FILE, target / SETTINGS_FILE)
    Store(target / STORE_FILE).save(operation.sites, action="import", base_version=None)
    return workspace


def _bench(name: str) -> Any:
    """Another benchmark of this folder, as a module (the folder is no package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    if spec is None or spec.loader is None:
        msg = f"bench/{name}.py cannot be loaded"
        raise ImportError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# Streamlit tells its page when a script run starts and ends: the first run's length.
_RUNS = """
window.__benchRun = {start: null, end: null};
window.addEventListener('message', function(e) {
    var d = e.data, r = window.__benchRun, now = performance.now();
    if (!d || d.type !== 'SCRIPT_RUN_STATE_CHANGED') { return; }
    if (d.scriptRunState === 'running') { if (r.start === null) { r.start = now; } }
    else if (r.start !== null && r.end === null) { r.end = now; }
});
"""


def _map_frame_drawn(page: Any, deadline: float) -> None:
    """Wait for the map component's frame to draw its map (Streamlit may replace the frame
    while the page builds: it is looked up again then)."""
    from playwright.sync_api import Error as PlaywrightError

    while True:
        remaining = max(1.0, deadline - time.perf_counter()) * 1000
        handle = page.wait_for_selector("iframe[title*='st_folium']", timeout=remaining)
        frame = handle.content_frame()
        try:
            if frame is not None:
                frame.wait_for_function(_DRAWN, timeout=remaining, polling=50)
                frame.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                return
        except PlaywrightError as exc:
            if "detached" not in str(exc) or time.perf_counter() > deadline:
                raise
        page.wait_for_timeout(50)


def _app_visit(browser: Any, url: str, limit: float) -> dict[str, float | None]:
    """One new tab on the app's map page: seconds to its first drawn map, the script heap
    then, and the first script run's seconds as the page saw it."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort()
        )
        context.add_init_script(_RUNS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        messages: list[int] = []  # the page's websocket messages from the server, bytes
        page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda m: messages.append(len(m or b""))),
        )
        data: list[int] = []  # map data files the page fetched, bytes
        page.on("requestfinished", lambda r: _count_data(r, data))
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=limit * 1000)
        _map_frame_drawn(page, start + limit)
        first_map = time.perf_counter() - start
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        run = page.evaluate("() => window.__benchRun")
    finally:
        context.close()
    ran = run["end"] - run["start"] if run["end"] is not None else None
    return {
        "map_s": round(first_map, 2),
        "heap_mb": round(metrics["JSHeapUsedSize"] / 1e6, 1),
        "run_s": None if ran is None else round(ran / 1000, 2),
        "largest_message_mb": round(max(messages, default=0) / 1e6, 2),
        "data_mb": round(sum(data) / 1e6, 2),
    }


def _count_data(request: Any, out: list[int]) -> None:
    """Add the size of a fetched map data file (`pages.shared.serve_data`) to `out`."""
    if request.url.endswith(".psk.gz"):
        out.append(request.sizes()["responseBodySize"])


def open_app_in_chromium(url: str, limit: float) -> dict:
    """The app's map page in a first tab (the server fresh) and a second (the server warm)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            first = _app_visit(browser, url, limit)
            second = _app_visit(browser, url, limit)
        finally:
            browser.close()
    return {
        "app_first_map_s": first["map_s"],
        "app_heap_mb": first["heap_mb"],
        "app_script_run_s": first["run_s"],
        "app_second_map_s": second["map_s"],
        "app_second_heap_mb": second["heap_mb"],
        "app_largest_message_mb": second["largest_message_mb"],
        "app_data_mb": second["data_mb"],
    }


APP_KEYS = (
    "app_first_map_s",
    "app_heap_mb",
    "app_script_run_s",
    "app_second_map_s",
    "app_second_heap_mb",
    "app_largest_message_mb",
    "app_data_mb",
    "app_warm_up_s",
    "app_warmed_first_map_s",
)


def measure_app(operation: Operation, folder: Path, limit: float, skipped: dict) -> dict:
    """The app's map page on a server of its own (sign-in off; stopped here, whatever
    happens)."""
    workspace = app_workspace(operation, folder)
    load = _bench("load")  # its app processes: started as `posko serve` starts them
    env = {
        **os.environ,
        WORKSPACE_ENV: str(workspace),
        "XDG_DATA_HOME": str(workspace / "data-home"),
        SIGN_IN_ENV: "off",  # the map is measured, not the sign-in
    }
    try:
        server = load.start_server(env, folder / "streamlit.log")
    except RuntimeError as exc:
        skipped["app"] = f"failed: {str(exc)[:500]}"
        return {}
    try:
        seen = limited("app", limit, lambda: open_app_in_chromium(server.url, limit), skipped)
    finally:
        load.stop_server(server)
    warmed = limited("app_warmed", limit, lambda: _warmed_visit(load, env, folder, limit), skipped)
    return seen | warmed


_WARMED = re.compile(r"warmed up operation \S+ in ([0-9.]+) s")


def _warmed_visit(load: Any, env: dict[str, str], folder: Path, limit: float) -> dict:
    """A first tab on a server restarted and left to finish its warm-up (as a server started
    before the day's first viewer): the warm-up's seconds (as its log line says them), and
    that tab's first drawn map."""
    log = folder / "streamlit-warmed.log"
    server = load.start_server(env, log)
    try:
        healthy = time.perf_counter()
        while not (said := _WARMED.search(log.read_text(errors="replace"))):
            if time.perf_counter() - healthy > limit:
                msg = f"the warm-up did not end within {limit:.0f} s"
                raise TimeoutError(msg)
            time.sleep(0.2)
        warm_up = float(said.group(1))
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                visit = _app_visit(browser, server.url, limit)
            finally:
                browser.close()
    finally:
        load.stop_server(server)
    return {"app_warm_up_s": round(warm_up, 2), "app_warmed_first_map_s": visit["map_s"]}


# --- one case ----------------------------------------------------------------------------------


PARTS = ("import", "store", "briefing", "markers", "app")
"""What a run may measure (``--parts``): the TPS list's import, the store, the aggregated
briefing, today's briefing (every site a marker) and the app's map page."""


def run_case(case: Case, limit: float, parts: frozenset[str] = frozenset(PARTS)) -> dict:
    """One set's JSON record; a part left out of `parts` has its keys null and is said in
    ``skipped``."""
    skipped: dict[str, str] = {p: "not asked (--parts)" for p in PARTS if p not in parts}
    operation = synthetic(case)
    result: dict[str, Any] = {"case": case.name, "tps": case.tps, "posts": case.posts}
    result |= stacking(operation.sites)
    with tempfile.TemporaryDirectory(prefix="posko-bench-") as scratch:
        folder = Path(scratch)
        files = import_files(operation, folder) if "import" in parts else {}
        for kind, path in files.items():
            got = limited(
                f"import_{kind}", limit, lambda p=path: measure_import(p, case.tps, limit), skipped
            )
            result[f"import_{kind}_s"] = got.get("s")
            result[f"import_{kind}_us_per_row"] = got.get("us_per_row")
        result["store_versions"] = VERSIONS
        result["store_changed_share"] = CHANGED_SHARE
        store: dict = {}
        old: dict = {}
        if "store" in parts:
            lists = versions(operation.sites)
            store = limited("store", limit, lambda: measure_store(lists, folder), skipped)
            old = limited(
                "store_old_layout", limit, lambda: measure_old_layout(lists, folder), skipped
            )
        for key in ("store_mb_one_version", "store_mb", "store_save_s", "load_current_s"):
            result[key] = store.get(key)
        result["store_mb_old_layout"] = old.get("store_mb_old_layout")
        for kind in ("csv", "geojson"):
            result.setdefault(f"import_{kind}_s", None)
            result.setdefault(f"import_{kind}_us_per_row", None)
        analysis_s, analysis = _timed(lambda: analyse(operation))
        result["analysis_s"] = round(analysis_s, 2)
        for drawing, options in drawings().items():
            prefix = "" if drawing != "markers" or len(drawings()) == 1 else "markers_"
            if not prefix:
                result["drawing"] = drawing
            page = folder / f"briefing-{drawing}.html"
            if ("markers" if prefix else "briefing") not in parts:
                for key in ("briefing_build_s", "briefing_mb", "first_map_s", "heap_mb"):
                    result[f"{prefix}{key}"] = None
                continue
            built = limited(
                f"{prefix}briefing",
                limit,
                lambda o=options, p=page: build_briefing(analysis, o, p),
                skipped,
            )
            seen = (
                limited(
                    f"{prefix}browser", limit, lambda p=page: open_in_chromium(p, limit), skipped
                )
                if built
                else {}
            )
            if not built:
                skipped.setdefault(f"{prefix}browser", "no briefing was built")
            for key in ("briefing_build_s", "briefing_mb"):
                result[f"{prefix}{key}"] = built.get(key)
            for key in ("first_map_s", "heap_mb"):
                result[f"{prefix}{key}"] = seen.get(key)
        app = measure_app(operation, folder, limit, skipped) if "app" in parts else {}
        for key in APP_KEYS:
            result[key] = app.get(key)
    result["skipped"] = skipped
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES))
    parser.add_argument("--quick", action="store_true", help="small sets (a smoke test)")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds per measurement")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"what to measure, comma-separated among {', '.join(PARTS)} (default: all)",
    )
    args = parser.parse_args(argv)
    parts = frozenset(p.strip() for p in args.parts.split(",") if p.strip())
    if not parts <= set(PARTS):
        parser.error(f"--parts: unknown {', '.join(sorted(parts - set(PARTS)))}")
    cases = QUICK if args.quick else CASES
    for name, case in cases.items():
        if args.only in (None, name):
            print(json.dumps(run_case(case, args.limit, parts)), flush=True)


if __name__ == "__main__":
    main()
