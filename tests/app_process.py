"""The real app on loopback, started as `posko serve` starts it, for the browser tests and
bench/load.py (no pytest here: the benchmark runs without it).

:func:`start_app` runs :func:`cli.serve_command` (``posko_launch``, which switches off
Streamlit's legacy ``pages/`` folder, with the project's options) on a free port of
127.0.0.1 in its own process group, and returns once ``/_stcore/health`` answers;
:func:`stop_app` stops that group only.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import IO

__all__ = ["ROOT", "AppStartFailed", "free_port", "start_app", "stop_app"]

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


class AppStartFailed(RuntimeError):
    """The app exited, or did not become healthy in time (the message ends with its log)."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def start_app(
    workspace: Path,
    log: Path,
    out: IO[bytes] | IO[str] | int,
    env: dict[str, str] | None = None,
    port: int | None = None,
    *,
    timeout_s: float = 90.0,
) -> tuple[subprocess.Popen, str]:
    """Start the app as `posko serve` does on loopback, on `port` or a free one, over
    `workspace` (with `env` added to this process's environment); return the process and
    its URL once healthy.

    Raises
    ------
    AppStartFailed
        When the app exits, or is not healthy within `timeout_s` (it is stopped then).
    """
    from cli import serve_command  # the command line imports the whole app: only when used

    port = port or free_port()
    env = {**os.environ, "POSKO_WORKSPACE": str(workspace), **(env or {})}
    command = [*serve_command(LOOPBACK, port), "--server.fileWatcherType", "none"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            msg = f"the app exited early ({process.returncode}):\n{_tail(log)}"
            raise AppStartFailed(msg)
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.3)
    stop_app(process)
    msg = f"the app did not become healthy within {timeout_s:.0f} s:\n{_tail(log)}"
    raise AppStartFailed(msg)


def stop_app(process: subprocess.Popen, *, timeout_s: float = 15.0) -> None:
    """Stop an app started here: its own process group only."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout_s)


def _tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-3000:]
    except OSError:
        return ""
