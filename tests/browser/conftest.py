"""Browser fixtures: Debian's Chromium via Playwright, the real app on loopback, screenshots.

Every request that does not go to loopback, `file://`, `data:` or `blob:` is blocked and
recorded. Every console error fails the test, unless the test names it as expected (with a
reason). Without Chromium the tests skip (with how to install it), except under CI=true,
where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from layers.basemap import BASEMAPS
from layers.snapshot import CHROMIUM_FLAGS
from tests import app_process
from tests.app_process import free_port, stop_app

__all__ = ["free_port", "start_app", "stop_app"]  # the app's start, for the other browser tests

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = list(CHROMIUM_FLAGS)
LOCAL_PREFIXES = ("http://127.0.0.1", "http://localhost", "file://", "data:", "blob:", "about:")
DOCS_SHOTS = os.environ.get("POSKO_UPDATE_DOCS") == "1"
# A test that uses one of these drives a real browser; the others here do not.
BROWSER_FIXTURES = frozenset({"chromium", "browser", "open_page", "app_server"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def _tile_hosts() -> frozenset[str]:
    hosts = set()
    for provider in BASEMAPS.values():
        if provider:
            url = re.sub(r"\{s\}\.", "", provider.build_url())
            hosts.add(url.split("/")[2].split(":")[0])
    return frozenset(hosts)


def is_tile(url: str) -> bool:
    """Whether `url` asks a basemap's tile server for a tile."""
    parts = url.split("/")
    return len(parts) > 2 and parts[2].split(":")[0] in _tile_hosts()


def blocked_tile(text: str, url: str) -> bool:
    """A console error that only reports a tile request this harness blocked."""
    return text.startswith("Failed to load resource") and is_tile(url)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, or a skip (a failure under CI=true) saying how to install it."""
    if CHROMIUM.exists():
        return CHROMIUM
    msg = (
        f"Chromium not found at {CHROMIUM}; install it with `sudo apt-get install chromium` "
        "(Debian) to run the browser tests."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(msg + " CI=true: a missing browser is a failure.")
    pytest.skip(msg)


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[object]:
    """One headless Chromium for the session (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Network:
    """Requests the page tried to send off the machine (all blocked)."""

    blocked: list[str] = field(default_factory=list)

    def off_machine(self, allow: Callable[[str], bool] = lambda url: False) -> list[str]:
        """Blocked requests not matched by `allow`."""
        return [url for url in self.blocked if not allow(url)]


@dataclass
class Page:
    """A page with its recorded network, console errors (message, source URL) and dialogs."""

    page: object
    network: Network
    console_errors: list[tuple[str, str]]
    dialogs: list[str]
    expected_errors: list[tuple[str, Callable[[str, str], bool]]] = field(default_factory=list)

    def expect_console_errors(self, reason: str, match: Callable[[str, str], bool]) -> None:
        """Accept console errors that `match(text, url)`, for the reason given."""
        self.expected_errors.append((reason, match))

    def expect_blocked_tiles(self) -> None:
        """Accept the errors of tile requests: no tile server is reachable from the tests."""
        self.expect_console_errors("tile servers are blocked offline", blocked_tile)

    def unexpected_console_errors(self) -> list[tuple[str, str]]:
        """Console errors (and uncaught page errors) no expectation accounts for."""
        return [
            (text, url)
            for text, url in self.console_errors
            if not any(match(text, url) for _, match in self.expected_errors)
        ]


# Streamlit tells its host page when a script run starts and ends; a test that must not
# act while a run is still replacing the map (a drag would be lost with the markers it
# holds) waits for these.
SCRIPT_RUNS_JS = """
window.__poskoRuns = {state: null, finished: 0, at: Date.now()};
window.addEventListener('message', function(e) {
    var d = e.data;
    if (!d || d.type !== 'SCRIPT_RUN_STATE_CHANGED') { return; }
    var runs = window.__poskoRuns;
    runs.state = d.scriptRunState;
    runs.at = Date.now();
    if (d.scriptRunState !== 'running') { runs.finished += 1; }
});
"""


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Page]]:
    """Open a fresh browser context and page with the network locked to loopback.

    After the test, any console error the test did not name as expected is a failure.
    """
    contexts = []
    pages: list[Page] = []

    def make(viewport: tuple[int, int] = (1500, 1100)) -> Page:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        network = Network()

        def route(r) -> None:
            url = r.request.url
            if url.startswith(LOCAL_PREFIXES):
                r.continue_()
            else:
                network.blocked.append(url)
                r.abort()

        context.route("**/*", route)
        context.add_init_script(SCRIPT_RUNS_JS)
        page = context.new_page()
        errors: list[tuple[str, str]] = []
        dialogs: list[str] = []
        page.on(
            "console",
            lambda m: (
                errors.append((m.text, (m.location or {}).get("url", "")))
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: errors.append((f"pageerror: {e}", "")))

        def on_dialog(d) -> None:
            dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        opened = Page(page=page, network=network, console_errors=errors, dialogs=dialogs)
        pages.append(opened)
        return opened

    yield make
    unexpected = [e for p in pages for e in p.unexpected_console_errors()]
    for context in contexts:
        context.close()
    if unexpected:
        pytest.fail(f"console errors: {unexpected}")


@pytest.fixture
def screenshot(request, tmp_path_factory) -> Callable[[object, str], Path]:
    """Save a screenshot under a temporary folder; failing tests print where."""
    folder = tmp_path_factory.mktemp("screens")
    saved: list[Path] = []
    request.node.screenshots = saved

    def save(page, name: str, *, docs_name: str | None = None) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path))
        saved.append(path)
        if DOCS_SHOTS and docs_name:
            shutil.copy(path, ROOT / "docs" / docs_name)
        return path

    return save


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    shots = getattr(item, "screenshots", [])
    if report.failed and shots:
        report.sections.append(("screenshots", "\n".join(str(p) for p in shots)))
    return report


@dataclass(frozen=True)
class AppServer:
    """A running app: its URL and its temporary workspace."""

    url: str
    workspace: Path


def start_app(
    workspace: Path, log: Path, out, env: dict[str, str] | None = None, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """Start the app (as `posko serve` does: :func:`tests.app_process.start_app`) on
    loopback, on `port` or a free one (with `env` added to this process's environment);
    return it once healthy, or fail the test with the app's log."""
    try:
        return app_process.start_app(workspace, log, out, env=env, port=port)
    except app_process.AppStartFailed as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def app_server(chromium, tmp_path_factory) -> Iterator[AppServer]:
    """The real app, served on loopback with a temporary workspace holding test operations."""
    from geo.operation import SAMPLE_OPERATION
    from tests.browser.payloads import write_payload_operation

    workspace = tmp_path_factory.mktemp("workspace")
    write_payload_operation(workspace / "payload")
    shutil.copytree(SAMPLE_OPERATION, workspace / "latihan")  # imports go here, not into data/
    log = workspace / "streamlit.log"
    with log.open("w") as out:
        process, url = start_app(workspace, log, out)
        try:
            yield AppServer(url=url, workspace=workspace)
        finally:
            stop_app(process)
