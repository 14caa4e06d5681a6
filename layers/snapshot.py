"""Pictures of a briefing for slides: PNG and PDF rendered by headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from geo.errors import PoskoError
from geo.text import Text

__all__ = ["CHROMIUM_FLAGS", "SnapshotError", "find_chromium", "snapshot"]

_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
# Headless, sandbox-free (root in CI), and quiet: no background calls to Google's servers.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class SnapshotError(PoskoError):
    """The briefing cannot be rendered to a picture (no browser, or the browser failed)."""


def _error(key: str, **params: object) -> SnapshotError:
    return SnapshotError(Text(key, params).render("en"), key=key, params=params)


def find_chromium() -> str | None:
    """Path of a Chromium or Chrome binary, if one is installed."""
    for candidate in _CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return str(found)
    return None


def snapshot(
    html: Path,
    *,
    png: Path | None = None,
    pdf: Path | None = None,
    size: tuple[int, int] = (1920, 1080),
    wait_ms: int = 8000,
) -> None:
    """Render a briefing HTML file to a PNG (of `size` pixels) and/or a PDF on the paper
    its print styles set (`@page size`, A4 or A3 landscape).

    Raises
    ------
    SnapshotError
        When no Chromium is installed, or it fails to write the file.
    """
    browser = find_chromium()
    if browser is None:
        raise _error("snapshot.no_browser")
    jobs = [(f"--screenshot={png}", png), (f"--print-to-pdf={pdf}", pdf)]
    for flag, target in jobs:
        if target is None:
            continue
        target.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory() as profile:
            command = [
                browser,
                *CHROMIUM_FLAGS,
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={size[0]},{size[1]}",
                f"--virtual-time-budget={wait_ms}",
                "--no-pdf-header-footer",
                flag,
                html.resolve().as_uri(),
            ]
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if not target.exists() or target.stat().st_size == 0:
            reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["?"]
            raise _error("snapshot.failed", file=str(target), reason=reason[0][:200])
