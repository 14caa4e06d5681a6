"""The app when something fails: never a traceback in the browser, an error id in the log,
and history and restoring within reach when an operation cannot be loaded or analysed."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

import geo.analysis
from geo.errors import PoskoError
from geo.operation import SAMPLE_OPERATION, load_operation, store_for
from tests.geo.test_store_defences import _drop_layer

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
IMPORT_PAGE = "pages/import_page.py"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    """A scratch copy of the sample with two saved versions (the seed, then fewer sites)."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    seed = load_operation(folder).sites
    store_for(folder).save(seed, action="initial", base_version=None)
    store_for(folder).save(seed.iloc[:-3], action="import", base_version=1, who="Bag Ops")
    return folder


def _open(page: str | None = None) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_an_unexpected_error_shows_an_id_and_logs_the_traceback(
    folder: Path, monkeypatch, caplog
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom at /srv/secret/path")

    monkeypatch.setattr(geo.analysis, "analyse", broken)
    with caplog.at_level(logging.ERROR, logger="posko.app"):
        at = _open()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]
    code = re.fullmatch(r"Terjadi kesalahan tak terduga \(kode ([0-9A-F]{6})\)\. .*", error)
    assert code, error
    assert "boom" not in error and "/srv" not in error and "Traceback" not in error
    (record,) = [r for r in caplog.records if r.name == "posko.app"]
    assert record.getMessage() == f"unexpected error {code.group(1)}"
    assert record.exc_info[0] is RuntimeError  # the traceback goes to the server's log


def test_a_page_that_cannot_analyse_explains_and_offers_restoring(folder: Path, monkeypatch):
    def refused(*args, **kwargs):
        raise PoskoError("the sites cannot be analysed", key="", params={})

    monkeypatch.setattr(geo.analysis, "analyse", refused)
    at = _open()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "Tidak dapat memuat operasi: the sites cannot be analysed"
    ]
    assert at.selectbox(key="recovery_version").options == ["1"]
    # the import page does not analyse: it still opens
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception, at.exception
    assert any(h.value == "Impor data lokasi" for h in at.header)


def test_bad_data_in_the_newest_version_can_be_rolled_back_from_the_app(folder: Path) -> None:
    store = store_for(folder)
    bad = store.read_sites(2)
    bad.loc[bad.index[0], "geometry"] = Point(float("nan"), -2.1)
    store.save(bad, action="import", base_version=2, who="old Posko")
    at = _open(IMPORT_PAGE)
    assert not at.exception, at.exception
    assert any(e.value.startswith("Tidak dapat memuat operasi:") for e in at.error)
    at.selectbox(key="recovery_version").set_value(2).run()
    at.checkbox(key="recovery_confirm").check().run()
    at.button(key="recovery_rollback").click().run()
    assert not at.exception, at.exception
    restored = load_operation(folder)
    assert restored.version == 4 and len(restored.sites) == len(store.read_sites(2))
    assert len(store.backups()) == 1
    assert any(h.value == "Impor data lokasi" for h in at.header)


def test_a_damaged_store_is_explained_not_treated_as_empty(folder: Path) -> None:
    store_for(folder).backup()
    store_for(folder).path.write_bytes(b"")
    at = _open(IMPORT_PAGE)
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "RUSAK (0 bytes)" in errors and "store-backup-" in errors
    (caption,) = [c.value for c in at.caption if c.value.startswith("Cadangan ruang kerja")]
    assert caption.replace("\\", "").endswith(store_for(folder).backups()[0].name)


def test_a_version_whose_layer_is_missing_is_skipped_with_a_warning(folder: Path) -> None:
    _drop_layer(store_for(folder).path, "sites_v0002")
    at = _open()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("Versi 2" in w and "dilewati" in w and "versi 1" in w for w in warnings)
