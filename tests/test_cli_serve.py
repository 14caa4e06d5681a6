"""`posko serve` becomes the Streamlit server (same pid): stopping that pid frees the port
instead of leaving an orphaned server listening."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from geo.operation import SAMPLE_OPERATION, WORKSPACE_ENV

ROOT = Path(__file__).resolve().parents[1]
# `posko` as the console script runs it (not the script file: its shebang may name another venv)
POSKO = [sys.executable, "-c", "import sys, cli; sys.exit(cli.main())"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"posko serve exited early ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"posko serve never became healthy:\n{log.read_text()}")


def _wait_port_free(port: int) -> bool:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not _port_in_use(port):
            return True
        time.sleep(0.25)
    return False


def test_killing_the_serve_pid_stops_the_server(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    shutil.copytree(SAMPLE_OPERATION, workspace / "polres")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, WORKSPACE_ENV: str(workspace), "POSKO_SIGN_IN": "off"}
    with log.open("w") as out:
        process = subprocess.Popen(
            [*POSKO, "serve", "--port", str(port), "--address", "127.0.0.1"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_healthy(process, f"http://127.0.0.1:{port}", log)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            freed = _wait_port_free(port)
        finally:
            # whatever the outcome, leave no server of this test behind
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
    assert freed, f"port {port} still listening after the serve pid was killed"
