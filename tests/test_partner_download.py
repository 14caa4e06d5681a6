"""The map page's partner briefing download: made on the click, in the signed-in user's
name, audited like the briefing, and holding no police post."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import audit
from geo.model import AuditAction, Col, Kind
from geo.operation import SAMPLE_OPERATION, load_operation

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
WHO = "kabagops"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A copy of the sample in the workspace: the operation the app opens first."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("POSKO_USER", WHO)
    copy = tmp_path / SAMPLE_OPERATION.name
    shutil.copytree(SAMPLE_OPERATION, copy)
    return copy


def test_the_partner_download_is_made_on_click_and_audited(folder, monkeypatch) -> None:
    st.cache_data.clear()
    made: dict[str, object] = {}
    real = st.download_button

    def spy(label, data=None, *args, key=None, **kwargs):
        made[key] = data
        return real(label, data, *args, key=key, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, at.exception
    key = load_operation(folder).key
    build = made["download_partner_brief"]
    assert callable(build)
    assert audit.entries(key) == []  # nothing is exported before the click
    html = build()
    assert "TERBATAS — untuk mitra (KPU, Bawaslu, Forkopimda)" in html
    assert f"Diekspor oleh {WHO}" in html
    sites = load_operation(folder).sites
    posts = sites[sites[Col.KIND] == Kind.POLICE_POST]
    assert not any(str(p) in html for p in posts[Col.SITE_ID])
    (record,) = audit.entries(key)
    assert record.action == AuditAction.EXPORT_BRIEFING and record.who == WHO
    assert record.what_in("id") == f"briefing mitra, A4, briefing-mitra-{key}.html"
