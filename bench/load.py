"""Benchmark: concurrent signed-in viewers opening the map page, on one and on two app processes.

Run ``python bench/load.py [--sessions 30] [--database-url URL]``. A seeded province-sized
operation (10,000 TPS and 300 posts around Pangkalpinang, the generator of
bench/plan_edit.py) is written as an operation folder in a temporary workspace, its site
list imported as a version and a plan saved and made current, in the store the app uses:
PostGIS (a throwaway PostgreSQL started on loopback with tests/pg.py, or the database of
``--database-url``; ``--database-url ''`` for the embedded GeoPackage). A viewer account
granted the operation is added through ``posko user add/grant`` (local sign-in).

The app is started as one, then as two processes (``python -m streamlit run app.py`` with
``posko serve``'s options, each on its own loopback port, the same workspace and database).
N viewers connect (all at once, or arriving evenly over ``--arrival-s`` seconds), spread
over the processes the way a reverse proxy with sticky sessions would (viewer i to process
i mod P). Each viewer is a Streamlit websocket client speaking Streamlit's own protocol
(BackMsg ``rerun_script`` up, ForwardMsg down): it signs in through the app's sign-in form,
then counts the time from the form's submission until the ForwardMsg carrying the map
component has arrived and the script run has finished. A run that ends without a map,
shows an error or an exception, or takes longer than the timeout, is an error. (A browser
tab sends nothing more until its user acts: the map component does not report back once
drawn; checked with Chromium.)

Server memory per session is the growth of the server processes' resident memory while the
viewers stay connected, over the memory after one warm-up viewer, divided by the viewers.
``--calibrate`` also opens the map in real Chromium pages (Playwright, /usr/bin/chromium)
and reports the time until Leaflet has drawn the markers next to the websocket client's
time for the same server.

One JSON line: per process count the sessions, p50/p95 time to map, errors, memory per
session; and the ratio of the throughput of two processes over one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Element_pb2 import Element  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

OPERATION = "provinsi"
VIEWER, VIEWER_PASSWORD = "pemantau", "bench-viewer-password-1"
ADMIN = "admin"
MAP_COMPONENT = "st_folium"
TIMEOUT_S = 180.0
HEALTH_TIMEOUT_S = 120.0


@dataclass
class Visit:
    """One viewer's visit: seconds to the drawn map (None when it failed) and why not."""

    process: int
    seconds: float | None = None
    sign_in_s: float | None = None
    error: str = ""
    messages: int = 0
    received_bytes: int = 0


@dataclass
class _Run:
    """What one script run sent: its elements of interest and how it ended."""

    map_id: str = ""
    map_args: str = ""
    errors: list[str] = field(default_factory=list)
    inputs: list[Element] = field(default_factory=list)
    submit_id: str = ""
    status: str = ""
    page: str = ""  # the page the navigation chose (a browser sends it with its next run)


# --- the operation -----------------------------------------------------------------------


def _plan_edit_module() -> object:
    spec = importlib.util.spec_from_file_location(
        "bench_plan_edit", ROOT / "bench" / "plan_edit.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_operation(folder: Path, *, tps: int = 10_000, posts: int = 300, seed: int = 13) -> Path:
    """Write a seeded province-sized operation folder (settings, sites, areas); its path.

    `tps` and `posts` other than the province's make a smaller operation of the same shape
    (the tests use one).
    """
    import numpy as np

    bench = _plan_edit_module()
    t_lon, t_lat, p_lon, p_lat, radius = bench._province(seed)
    if tps < len(t_lon) or posts < len(p_lon):
        rng = np.random.default_rng(seed)
        t = np.sort(rng.choice(len(t_lon), size=min(tps, len(t_lon)), replace=False))
        p = np.sort(rng.choice(len(p_lon), size=min(posts, len(p_lon)), replace=False))
        t_lon, t_lat, p_lon, p_lat, radius = t_lon[t], t_lat[t], p_lon[p], p_lat[p], radius[p]
    operation = bench.operation((t_lon, t_lat, p_lon, p_lat, radius), (0.5, 0.1), seed=1)
    folder.mkdir(parents=True)
    radii = "\n".join(f"{kind} = {int(r)}" for kind, r in bench.RADIUS_BY_TYPE.items())
    (folder / "operation.toml").write_text(
        '[operation]\ntitle = "Benchmark — Polda (sintetis)"\nclassification = "TERBATAS"\n'
        'language = "id"\nsynthetic = true\n\n[radius_m]\n' + radii + "\n",
        encoding="utf-8",
    )
    operation.sites.to_file(import_file(folder), driver="GeoJSON")
    operation.areas.to_file(folder / "areas.geojson", driver="GeoJSON")
    return folder


def import_file(folder: Path) -> Path:
    """The site list to import into the operation in `folder` (beside the folder: the
    operation starts with no sites, as a new one does)."""
    return folder.parent / f"{folder.name}-sites.geojson"


def seed_store(folder: Path) -> dict[str, int]:
    """Import the operation's site list as version 1 and save a current plan (one post
    moved) in the store of this process's environment; the counts saved."""
    import geopandas as gpd

    from geo.model import Col
    from geo.operation import load_operation, save_sites
    from geo.plans import Plans, initial_content

    operation = load_operation(folder)
    sites = gpd.read_file(import_file(folder))
    version = save_sites(operation, sites, file_name=import_file(folder).name, who=ADMIN)
    operation = load_operation(folder)
    content = initial_content(operation)
    post = content.posts.iloc[0]
    moved = content.with_post_moved(post[Col.SITE_ID], post.geometry.x + 0.01, post.geometry.y)
    Plans.for_operation(operation).create("Rencana A", moved, who=ADMIN, make_current=True)
    return {"sites": version.sites, "version": version.version}


# --- the app processes -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """One app process on loopback."""

    process: subprocess.Popen
    url: str
    log: Path
    out: IO[bytes] | None = None

    @property
    def rss_bytes(self) -> int:
        """Resident memory of the process (and of any children it started)."""
        return _tree_rss(self.process.pid)


def _tree_rss(pid: int) -> int:
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{current}/status").read_text()
            kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
            total += int(kib) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            pending += [int(c) for c in children]
    return total


def start_server(env: dict[str, str], log: Path) -> Server:
    """Start the app (``posko serve``'s options) on a free loopback port; return it once
    healthy.

    Raises
    ------
    RuntimeError
        When the app exits or is not healthy within `HEALTH_TIMEOUT_S`.
    """
    from cli import SERVE_OPTIONS

    port = _free_port()
    command = [sys.executable, "-m", "posko_launch", "run", str(ROOT / "app.py")]  # as serve
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    for option, value in {**SERVE_OPTIONS, "server.fileWatcherType": "none"}.items():
        command += [f"--{option}", value]
    out = log.open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(process=process, url=f"http://127.0.0.1:{port}", log=log, out=out)
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"the app exited ({process.returncode}):\n{log.read_text()[-3000:]}"
            raise RuntimeError(msg)
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    msg = f"the app was not healthy within {HEALTH_TIMEOUT_S:.0f} s:\n{log.read_text()[-3000:]}"
    raise RuntimeError(msg)


def stop_server(server: Server) -> None:
    """Stop an app started here (its own process group only)."""
    process = server.process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)
    if server.out is not None:
        server.out.close()


@contextlib.contextmanager
def servers(count: int, env: dict[str, str], folder: Path) -> Iterator[list[Server]]:
    """`count` app processes on the same workspace and database, stopped on leaving."""
    started: list[Server] = []
    try:
        for i in range(count):
            started.append(start_server(env, folder / f"app-{count}-{i}.log"))
        yield started
    finally:
        for server in started:
            stop_server(server)


# --- the websocket viewer ----------------------------------------------------------------


def _rerun(widgets: Sequence[WidgetState] = (), page: str = "") -> bytes:
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = ""
    state.page_script_hash = page
    state.widget_states.widgets.extend(widgets)
    return msg.SerializeToString()


def _take(msg: ForwardMsg, run: _Run) -> None:
    """Note what a ForwardMsg of the current run carries."""
    kind = msg.WhichOneof("type")
    if kind == "navigation" and msg.navigation.page_script_hash:
        run.page = msg.navigation.page_script_hash
    if kind == "script_finished":
        run.status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        return
    if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return
    element = msg.delta.new_element
    which = element.WhichOneof("type")
    if which == "component_instance" and MAP_COMPONENT in element.component_instance.component_name:
        run.map_id = element.component_instance.id
        run.map_args = element.component_instance.json_args
    elif which == "exception":
        run.errors.append(f"exception: {element.exception.type}: {element.exception.message}")
    elif which == "alert" and element.alert.format == element.alert.ERROR:
        run.errors.append(f"error: {element.alert.body[:200]}")
    elif which == "text_input":
        run.inputs.append(element)
    elif which == "button" and element.button.is_form_submitter:
        run.submit_id = element.button.id


async def _script_run(ws, visit: Visit, deadline: float) -> _Run:
    """Read ForwardMsgs until the script run ends (a run ended early for a rerun goes on)."""
    run = _Run()
    while True:
        data = await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
        visit.messages += 1
        visit.received_bytes += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        _take(msg, run)
        if run.status and run.status != "FINISHED_EARLY_FOR_RERUN":
            return run
        if run.status:  # a rerun the script asked for: what counts is the run after it
            run = _Run(page=run.page)


def _sign_in_widgets(run: _Run, name: str, password: str) -> list[WidgetState]:
    """The form values a browser sends when the viewer signs in (name, password, submit)."""
    password_inputs = [e for e in run.inputs if e.text_input.type == e.text_input.PASSWORD]
    name_inputs = [e for e in run.inputs if e.text_input.type != e.text_input.PASSWORD]
    if len(password_inputs) != 1 or len(name_inputs) != 1 or not run.submit_id:
        msg = f"no sign-in form ({len(name_inputs)} names, {len(password_inputs)} passwords)"
        raise LookupError(msg)
    return [
        WidgetState(id=name_inputs[0].text_input.id, string_value=name),
        WidgetState(id=password_inputs[0].text_input.id, string_value=password),
        WidgetState(id=run.submit_id, trigger_value=True),
    ]


async def open_map(
    url: str,
    *,
    process: int = 0,
    credentials: tuple[str, str] | None = None,
    timeout_s: float = TIMEOUT_S,
    hold: asyncio.Event | None = None,
    arrived: asyncio.Queue[Visit] | None = None,
) -> Visit:
    """One viewer: connect, sign in when asked, and time the run that draws the map page.

    The time counts from sending the run that opens the map page (the first run when no
    sign-in is asked, else the form's submission) to the end of that run, which must have
    sent the map component and no error. With `hold`, the connection (the server's
    session) stays open until it is set; the visit is put on `arrived` once measured.
    """
    visit = Visit(process=process)
    reported = False

    def report() -> None:
        nonlocal reported
        if arrived is not None and not reported:
            arrived.put_nowait(visit)
            reported = True

    deadline = time.monotonic() + timeout_s
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with connect(
            stream, subprotocols=["streamlit"], origin=url, max_size=None, open_timeout=timeout_s
        ) as ws:
            start = time.perf_counter()
            await ws.send(_rerun())
            run = await _script_run(ws, visit, deadline)
            if not run.map_id and not run.errors and credentials is not None:
                # The form's widget ids depend on the page asked for, and the first run asked
                # for none: the form drawn then ignores a submission sent (as a browser sends
                # it) with the page the navigation chose. Ask for that page first.
                await ws.send(_rerun(page=run.page))
                run = await _script_run(ws, visit, deadline)
                visit.sign_in_s = time.perf_counter() - start
                start = time.perf_counter()
                await ws.send(_rerun(_sign_in_widgets(run, *credentials), page=run.page))
                run = await _script_run(ws, visit, deadline)
            elapsed = time.perf_counter() - start
            if run.errors:
                visit.error = "; ".join(run.errors)
            elif run.status != "FINISHED_SUCCESSFULLY":
                visit.error = f"run ended {run.status}"
            elif not run.map_id:
                visit.error = "the run finished without a map"
            else:
                visit.seconds = elapsed
            report()
            if hold is not None:
                await hold.wait()
    except (TimeoutError, OSError, LookupError, ConnectionClosed) as exc:
        visit.error = visit.error or f"{type(exc).__name__}: {exc}"
        report()
    return visit


# --- the load ----------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float | None:
    """The `share` quantile (nearest rank) of `values`, None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


async def _load(
    urls: list[str],
    sessions: int,
    credentials: tuple[str, str] | None,
    measure: Callable[[], int],
    arrival_s: float = 0.0,
) -> tuple[list[Visit], int, float]:
    """`sessions` viewers over `urls` (viewer i on process i mod P), arriving evenly over
    `arrival_s` seconds (0: all at once).

    Returns the visits, `measure()` taken while every session is still connected (once
    all have their map or failed), and the wall time until then.
    """
    hold = asyncio.Event()
    arrived: asyncio.Queue[Visit] = asyncio.Queue()
    start = time.perf_counter()

    async def viewer(i: int) -> Visit:
        await asyncio.sleep(arrival_s * i / sessions)
        return await open_map(
            urls[i % len(urls)],
            process=i % len(urls),
            credentials=credentials,
            hold=hold,
            arrived=arrived,
        )

    tasks = [asyncio.create_task(viewer(i)) for i in range(sessions)]
    for _ in range(sessions):
        await arrived.get()
    wall = time.perf_counter() - start
    measured = measure()
    hold.set()
    return list(await asyncio.gather(*tasks)), measured, wall


def summary(visits: list[Visit], *, processes: int, wall_s: float, rss_per_session: int) -> dict:
    """The JSON figures of one load: times to map, errors, memory per session."""
    times = [v.seconds for v in visits if v.seconds is not None and not v.error]
    errors = [v.error for v in visits if v.error]
    sign_in = [v.sign_in_s for v in visits if v.sign_in_s is not None]
    return {
        "processes": processes,
        "sessions": len(visits),
        "p50_s": _rounded(_percentile(times, 0.5)),
        "p95_s": _rounded(_percentile(times, 0.95)),
        "max_s": _rounded(max(times, default=None)),
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:3],
        "sign_in_form_p50_s": _rounded(_percentile(sign_in, 0.5)),
        "all_done_s": round(wall_s, 2),
        "visits_per_s": round(len(times) / wall_s, 2) if wall_s else None,
        "rss_per_session_mib": round(rss_per_session / 2**20, 1),
        "mib_per_message_stream": round(
            statistics.mean(v.received_bytes for v in visits) / 2**20, 2
        ),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def measure(
    urls: list[str],
    servers_: list[Server],
    sessions: int,
    credentials: tuple[str, str] | None,
    arrival_s: float = 0.0,
) -> dict:
    """Warm each process with one viewer, then `sessions` viewers arriving over
    `arrival_s` seconds; their figures."""
    warm = [asyncio.run(open_map(url, credentials=credentials)) for url in urls]
    failed = [v.error for v in warm if v.error]
    if failed:
        msg = f"the warm-up viewer failed: {failed[0]}"
        raise RuntimeError(msg)
    time.sleep(1.0)
    load_before = os.getloadavg()[0]
    before = sum(s.rss_bytes for s in servers_)
    visits, after, wall = asyncio.run(
        _load(urls, sessions, credentials, lambda: sum(s.rss_bytes for s in servers_), arrival_s)
    )
    figures = summary(
        visits,
        processes=len(urls),
        wall_s=wall,
        rss_per_session=max(0, after - before) // max(1, sessions),
    )
    figures["arrival_s"] = arrival_s
    # the machine's load (other work included) before and after: 2 cores are saturated at 2
    figures["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    figures["warm_up_s"] = [_rounded(v.seconds) for v in warm]
    figures["rss_mib"] = round(after / 2**20)
    return figures


# --- sign-in and database ----------------------------------------------------------------


def sign_in_available() -> bool:
    """Whether this version of the app has local accounts (geo.accounts)."""
    return importlib.util.find_spec("geo.accounts") is not None


def _posko(env: dict[str, str], *args: str, stdin: str = "") -> None:
    command = [str(Path(sys.executable).parent / "posko"), *args]
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        msg = f"`posko {' '.join(args)}` failed ({done.returncode}): {done.stderr.strip()}"
        raise RuntimeError(msg)


def add_viewer(env: dict[str, str]) -> tuple[str, str]:
    """An admin, then a viewer granted the operation, through the CLI; the viewer's
    name and password."""
    password = f"{VIEWER_PASSWORD}\n{VIEWER_PASSWORD}\n"
    _posko(env, "user", "add", ADMIN, "--role", "admin", "--password-stdin", stdin=password)
    _posko(
        env,
        "--as",
        ADMIN,
        "user",
        "add",
        VIEWER,
        "--role",
        "viewer",
        "--password-stdin",
        stdin=password,
    )
    _posko(env, "--as", ADMIN, "user", "grant", VIEWER, OPERATION)
    return VIEWER, VIEWER_PASSWORD


@contextlib.contextmanager
def postgis(url: str | None) -> Iterator[str | None]:
    """The database URL to use: `url`, else a fresh database on a throwaway PostgreSQL with
    PostGIS started on loopback by tests/pg.py (stopped on leaving); None with `url` ""
    (the embedded GeoPackage store)."""
    if url is not None:
        yield url or None
        return
    from tests.pg import PostgisServer

    server = PostgisServer.start()
    try:
        yield server.fresh()
    finally:
        server.stop()


# --- calibration in a real browser -------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
DRAWN = ".leaflet-marker-icon, .leaflet-overlay-pane .leaflet-interactive"


def _browser_visit(browser, url: str, credentials: tuple[str, str] | None) -> tuple[float, int]:
    """Seconds from the submission that signs in (or from opening the page, without sign-in)
    to Leaflet's drawn sites in Chromium, and the submissions it took.

    The sign-in form drawn on a page's first run ignores its first submission (its widget
    ids change with the page the navigation chooses): a user submits again, so does this.
    """
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = context.new_page()
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(url) else r.abort(),
        )
        start = time.perf_counter()
        page.goto(url)
        drawn = page.frame_locator('iframe[title*="st_folium"]').locator(DRAWN).first
        if credentials is None:
            drawn.wait_for(state="attached", timeout=TIMEOUT_S * 1000)
            return time.perf_counter() - start, 0
        password = page.locator("input[type=password]")
        for attempt in (1, 2):
            password.wait_for(timeout=TIMEOUT_S * 1000)
            page.locator("input[type=text]").first.fill(credentials[0])
            password.fill(credentials[1])
            start = time.perf_counter()
            page.locator("input[type=password]").press("Enter")
            with contextlib.suppress(PlaywrightTimeout):
                drawn.or_(password).wait_for(state="attached", timeout=TIMEOUT_S * 1000)
            page.wait_for_timeout(500)
            if not password.count():
                drawn.wait_for(state="attached", timeout=TIMEOUT_S * 1000)
                return time.perf_counter() - start, attempt
        msg = "Chromium could not sign in with two submissions"
        raise RuntimeError(msg)
    finally:
        context.close()


def calibrate(url: str, credentials: tuple[str, str] | None, pages: int) -> dict:
    """The same map opened one at a time by the websocket viewer and by real Chromium pages.

    Both on an otherwise idle server, so the difference is what the browser adds (the
    component's scripts, Leaflet drawing the sites) on top of what the client measures.
    """
    from playwright.sync_api import sync_playwright

    from layers.snapshot import CHROMIUM_FLAGS

    client = []
    for _ in range(pages):
        visit = asyncio.run(open_map(url, credentials=credentials))
        if visit.error:
            msg = f"calibration viewer failed: {visit.error}"
            raise RuntimeError(msg)
        client.append(visit.seconds)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_FLAGS))
        try:
            visits = [_browser_visit(browser, url, credentials) for _ in range(pages)]
        finally:
            browser.close()
    real = [seconds for seconds, _ in visits]
    return {
        "pages": pages,
        "chromium_submissions_to_sign_in": sorted({tries for _, tries in visits}),
        "websocket_median_s": _rounded(statistics.median(client)),
        "chromium_median_s": _rounded(statistics.median(real)),
        "chromium_over_websocket": round(statistics.median(real) / statistics.median(client), 2),
    }


# --- main --------------------------------------------------------------------------------


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30, help="viewers at once (30)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="(1 2)")
    parser.add_argument(
        "--arrival-s",
        type=float,
        nargs="+",
        default=[0.0, 30.0],
        help="viewers arrive evenly over this many seconds; one load per value (0 30)",
    )
    parser.add_argument("--tps", type=int, default=10_000, help="TPS of the operation")
    parser.add_argument("--posts", type=int, default=300, help="posts of the operation")
    parser.add_argument(
        "--database-url",
        help="a PostGIS database to use (default: a throwaway one; '' for the GeoPackage)",
    )
    parser.add_argument(
        "--calibrate", type=int, default=0, help="also open the map in this many Chromium pages"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, folder: Path) -> dict:
    """Write and seed the operation, then load one and two processes; the JSON figures."""
    workspace = folder / "workspace"
    write_operation(workspace / OPERATION, tps=args.tps, posts=args.posts)
    env = {**os.environ, "POSKO_WORKSPACE": str(workspace), "PYTHONUNBUFFERED": "1"}
    with postgis(args.database_url) as url:
        if url:
            env["POSKO_DATABASE_URL"] = url
        credentials = None
        if sign_in_available():
            env["POSKO_SIGN_IN"] = "local"
            credentials = add_viewer(env)
        os.environ.update(env)
        seeded = seed_store(workspace / OPERATION)
        result: dict = {
            "bench": "load",
            "operation": {"tps": args.tps, "posts": args.posts, **seeded},
            "store": "postgis" if url else "geopackage",
            "sign_in": "local" if credentials else "none (this app has no sign-in)",
            "client": "streamlit websocket (BackMsg rerun_script / ForwardMsg)",
            "cores": os.cpu_count(),
        }
        result["loads"] = []
        for arrival_s in args.arrival_s:
            for count in args.processes:
                with servers(count, env, folder) as started:
                    urls = [s.url for s in started]
                    figures = measure(urls, started, args.sessions, credentials, arrival_s)
                    result["loads"].append(figures)
                    if args.calibrate and "calibration" not in result:
                        result["calibration"] = calibrate(urls[0], credentials, args.calibrate)
    result["ratio_2_over_1"] = [_ratio(result["loads"], a) for a in args.arrival_s]
    return result


def _ratio(loads: list[dict], arrival_s: float) -> dict:
    """How much more two processes hold than one, for viewers arriving over `arrival_s`."""
    by_count = {f["processes"]: f for f in loads if f["arrival_s"] == arrival_s}
    one, two = by_count.get(1), by_count.get(2)
    if not one or not two or not one["p95_s"] or not two["p95_s"]:
        return {"arrival_s": arrival_s}
    return {
        "arrival_s": arrival_s,
        "p95_1_over_2": round(one["p95_s"] / two["p95_s"], 2),
        "visits_per_s_2_over_1": round(two["visits_per_s"] / one["visits_per_s"], 2),
    }


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    folder = Path(tempfile.mkdtemp(prefix="posko-load-"))
    try:
        result = run(args, folder)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
