"""The app as a wheel installs it, served by `posko serve`: the map draws with the scripts
the app serves itself, and nothing is written inside the installed package (which may be
read-only, e.g. a root-owned virtual environment)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from layers.assets import LEAFLET_JS, Asset, asset_text
from tests.browser.conftest import AppServer, free_port
from tests.browser.test_app_browser import map_frame
from tests.test_packaging import build_wheel

_SERVE = """
import sys
sys.path.insert(0, sys.argv[1])
from cli import main
sys.exit(main(sys.argv[2:]))
"""


def _files(folder: Path) -> dict[Path, int]:
    return {
        p: p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if "__pycache__" not in p.parts and p.is_file()
    }


@pytest.fixture(scope="module")
def installed_app(chromium, tmp_path_factory) -> Iterator[tuple[AppServer, Path]]:
    """`posko serve` from the unpacked wheel, run from an empty folder (no project files,
    no .streamlit/config.toml), its workspace in a temporary home."""
    out = tmp_path_factory.mktemp("installed")
    site = build_wheel(out)
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    for name in ("POSKO_WORKSPACE", "PYTHONPATH"):
        env.pop(name, None)
    port = free_port()
    log = out / "serve.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _SERVE, str(site), "serve", "--port", str(port)],
            cwd=home,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(process, url, log)
            yield AppServer(url=url, workspace=home / "data" / "posko"), site
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def _wait_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"posko serve exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"posko serve did not become healthy within 90 s:\n{log.read_text()}")


def test_the_installed_app_draws_its_map_and_writes_nothing_into_the_package(
    installed_app, open_page
) -> None:
    server, site = installed_app
    before = _files(site)
    p = open_page()
    p.expect_blocked_tiles()
    scripts: list[str] = []
    p.page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    p.page.goto(server.url)
    frame = map_frame(p.page)
    leaflet = Asset("leaflet", LEAFLET_JS, "js")
    served = [url for url in scripts if url.endswith(f"/vendor/{leaflet.filename}")]
    assert served and all(url.startswith(server.url) for url in served), scripts
    assert frame.evaluate("() => typeof L.version") == "string"  # Leaflet ran from there
    with urllib.request.urlopen(served[0], timeout=10) as response:
        assert response.read().decode("utf-8") == asset_text(leaflet)
    assert _files(site) == before  # nothing new or changed inside the installed package
    assert not (site / "static").exists()
