"""`posko serve` warms the app's caches as it starts (pages.warmup): the first session then
reads the very operation and analysis the warm-up made, instead of working them out again."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.operation import SAMPLE_OPERATION, SETTINGS_FILE, WORKSPACE_ENV, operation_signature
from pages import plans_panel
from pages.plans_panel import warm_plan
from pages.shared import cached_operation
from pages.state import Key
from pages.warmup import first_operation, warm_up

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
