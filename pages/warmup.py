"""Warm the app's caches when the server starts, before anyone opens a page.

A national operation (820,000 TPS) takes tens of seconds to load from its store and analyse;
without this the first viewer after a restart waits for it. `posko serve` (through
`posko_launch`) runs :func:`warm_up` in a thread of the server process: it loads the
operation the app opens first and analyses its current plan through the very caches every
session reads (`pages.shared.cached_operation`, `pages.plans_panel`), so a session that
arrives meanwhile waits for that work instead of doing it again; it works out the figures
the map page's first screen shows for the phase a new session opens on (`pages.figures`),
and for a map drawn by zoom it builds the site layers in the operation's language
(`layers.mapview` keeps them per analysis), the map page's costliest part. Nothing is sent
anywhere; a failure is logged and left to the first session to report, as before.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from geo.operation import SAMPLE_OPERATION, Operation, discover_operations, operation_roots
from geo.operation import operation_signature as signature_of
from layers.grid import should_aggregate
from layers.mapview import map_parts
from pages.figures import warm_figures
from pages.phase_choice import ALL_PHASES, default_phase
from pages.plans_panel import warm_plan
from pages.shared import cached_operation

__all__ = ["first_operation", "warm_up"]

LOG = logging.getLogger("posko.app")


def first_operation() -> Path | None:
    """The operation a new session opens first (the sample's name when present, as
    `pages.state.AppState.start` prefers it, else the first found); None when none."""
    found = discover_operations(*operation_roots())
    if not found:
        return None
    return found.get(SAMPLE_OPERATION.name) or next(iter(found.values()))


def _first_phase(operation: Operation) -> str | None:
    """The phase a new session's map page shows first (None: the whole operation)."""
    choice = default_phase(operation)
    return None if choice == ALL_PHASES else choice


def warm_up() -> float | None:
    """Load and analyse the first operation into the shared caches; seconds taken (None
    when there is no operation or it failed: the failure is logged)."""
    start = time.perf_counter()
    try:
        path = first_operation()
        if path is None:
            return None
        signature = signature_of(path)
        operation = cached_operation(str(path), signature)
        analysis = warm_plan(path, signature, operation)
        view = warm_figures(analysis, _first_phase(operation))
        if should_aggregate(view):  # its layers' data: kept per analysis and language
            map_parts(view, lang=operation.settings.language)
    except Exception:  # the server runs on; the first session reports what is wrong
        LOG.exception("warming up the first operation failed")
        return None
    took = time.perf_counter() - start
    LOG.info("warmed up operation %s in %.1f s", path.name, took)
    return took
