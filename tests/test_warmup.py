"""`posko serve` warms the app's caches as it starts (pages.warmup): the first session then
reads the very operation and analysis the warm-up made, instead of working them out again."""

from __future__ import annotations

import logging
import re
import shutil
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.deployment import SIGN_IN_ENV
from geo.operation import SAMPLE_OPERATION, SETTINGS_FILE, WORKSPACE_ENV, operation_signature
from pages import figures as pages_figures
from pages import plans_panel
from pages.plans_panel import warm_plan
from pages.shared import cached_operation
from pages.state import Key
from pages.warmup import first_operation, warm_up
from tests.app_process import start_app, stop_app

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _workspace(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path))
    monkeypatch.setenv("POSKO_USER", "Bag Ops Review")
    shutil.copytree(SAMPLE_OPERATION, tmp_path / SAMPLE_OPERATION.name)
    return (tmp_path / SAMPLE_OPERATION.name).resolve()


def test_the_first_session_reads_what_the_warm_up_prepared(tmp_path, monkeypatch) -> None:
    path = _workspace(tmp_path, monkeypatch)
    st.cache_resource.clear()
    analysed = []
    analyse = plans_panel._analyse
    monkeypatch.setattr(plans_panel, "_analyse", lambda op: analysed.append(op) or analyse(op))
    assert first_operation() == path  # the workspace's copy, as a new session opens it
    assert warm_up() is not None
    assert len(analysed) == 1
    signature = operation_signature(path)
    warmed = cached_operation(str(path), signature)
    analysis = warm_plan(path, signature, warmed)  # kept: not analysed again
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert len(analysed) == 1
    draft = at.session_state[Key.DRAFT]
    assert draft.operation is warmed
    assert draft.analysis() is analysis


def test_the_first_map_page_reads_the_figures_the_warm_up_worked_out(tmp_path, monkeypatch) -> None:
    """Every figure the warm-up worked out is read, not worked out again, by the first
    session's map page; the page works out nothing else but its own display tables."""
    path = _workspace(tmp_path, monkeypatch)
    st.cache_resource.clear()
    assert warm_up() is not None
    signature = operation_signature(path)
    analysis = warm_plan(path, signature, cached_operation(str(path), signature))
    kept, figures = pages_figures._figures_of(id(analysis), analysis)
    assert kept is analysis
    warmed = dict(figures)
    assert {
        ("phase", None),
        pages_figures.BY_KIND,
        pages_figures.STAFFING,
        pages_figures.uncovered_key(None),
        pages_figures.PHASE_STAFFING,
    } <= warmed.keys()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert at.session_state[Key.DRAFT].analysis() is analysis
    assert all(figures[key] is value for key, value in warmed.items())
    assert set(figures) - set(warmed) == {("staffing_shown", "id")}


def test_a_failing_warm_up_is_logged_and_leaves_the_server_running(
    tmp_path, monkeypatch, caplog
) -> None:
    path = _workspace(tmp_path, monkeypatch)
    (path / SETTINGS_FILE).write_text("[operation\nbroken", encoding="utf-8")
    st.cache_resource.clear()
    with caplog.at_level(logging.ERROR, logger="posko.app"):
        assert warm_up() is None
    assert "warming up the first operation failed" in caplog.text


def test_a_large_operations_map_layers_are_built_by_the_warm_up(tmp_path, monkeypatch) -> None:
    from layers import grid, mapview

    path = _workspace(tmp_path, monkeypatch)
    monkeypatch.setattr(grid, "AGGREGATE_ABOVE", 100)  # the sample: drawn by zoom
    st.cache_resource.clear()
    assert warm_up() is not None
    signature = operation_signature(path)
    analysis = warm_plan(path, signature, cached_operation(str(path), signature))
    kept = {key for slot, key, lang in mapview._KEPT if slot == id(analysis) and lang == "id"}
    assert {"polling_station", "uncovered", "rings"} <= kept


def test_a_served_app_tells_its_operator_when_it_is_warm(tmp_path) -> None:
    """`posko serve` logs the warm-up's end with the operation and the seconds it took."""
    workspace = tmp_path / "workspace"
    shutil.copytree(SAMPLE_OPERATION, workspace / SAMPLE_OPERATION.name)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process, _ = start_app(workspace, log, out, env={SIGN_IN_ENV: "off"})
        try:
            deadline = time.monotonic() + 120
            while "warmed up" not in log.read_text(errors="replace"):
                assert time.monotonic() < deadline, log.read_text(errors="replace")[-2000:]
                time.sleep(0.3)
        finally:
            stop_app(process)
    line = next(x for x in log.read_text().splitlines() if "warmed up" in x)
    assert re.search(rf"INFO posko\.app: warmed up operation {SAMPLE_OPERATION.name} in \d", line)
