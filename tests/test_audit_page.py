"""The audit page through AppTest, audited downloads, and an operation gone from a session."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import audit
from geo.access import AccessDenied, Actor
from geo.model import AuditAction, Role
from geo.operation import SAMPLE_OPERATION, load_operation
from geo.plans import Plans
from geo.text import Text, label, t
from pages.audit_page import audit_table, render
from pages.exports import audited_data

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
AUDIT_PAGE = "pages/audit_page.py"


@pytest.fixture
def latihan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("POSKO_USER", "Kabag Ops")
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    return folder


def _open(page: str | None = None, operation: str = "latihan") -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = operation
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _two_plans(folder: Path) -> None:
    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    first = plans.create("Rencana A", operation.plan_content, who="ani")
    plans.rename(first.plan_id, "Rencana B", base_version=first.version, who="budi")


def test_the_page_lists_the_operations_changes_in_its_zone(latihan: Path) -> None:
    _two_plans(latihan)
    audit.record("budi", AuditAction.USER_ADD, operation=None, what="user 'citra'")
    at = _open(AUDIT_PAGE)
    table = at.dataframe[0].value
    assert list(table[t("audit.col.who", "id")]) == ["budi", "ani"]
    assert list(table[t("audit.col.action", "id")]) == [
        label("audit_action", AuditAction.PLAN_RENAME, "id"),
        label("audit_action", AuditAction.PLAN_NEW, "id"),
    ]
    assert all(str(v).endswith(" WIB") for v in table[t("audit.col.at", "id")])
    assert list(table[t("audit.col.version_after", "id")]) == ["2", "1"]
    assert "WIB" in " ".join(c.value for c in at.caption)
    # an admin may add the deployment's own records (users, grants)
    at.checkbox(key="audit_with_deployment").check().run()
    table = at.dataframe[0].value
    assert list(table[t("audit.col.who", "id")]) == ["budi", "budi", "ani"]
    # a record without versions reads "—", not Python's "None"
    assert table[t("audit.col.version_before", "id")].iloc[0] == "—"
    assert "None" not in table.astype(str).to_numpy()


def test_the_page_filters_by_kind_of_change(latihan: Path) -> None:
    _two_plans(latihan)
    at = _open(AUDIT_PAGE)
    at.multiselect(key="audit_filter").select(AuditAction.PLAN_NEW).run()
    table = at.dataframe[0].value
    assert list(table[t("audit.col.who", "id")]) == ["ani"]
    assert t("audit.shown", "id", shown=1, total=2) in [c.value for c in at.caption]


def test_an_operation_without_records_says_so(latihan: Path) -> None:
    at = _open(AUDIT_PAGE)
    assert [i.value for i in at.info] == [t("audit.none", "id")]


def test_a_viewer_is_refused_before_anything_is_read(latihan: Path) -> None:
    viewer = Actor(name="v", role=Role.VIEWER, grants=frozenset({"latihan"}), method="local")
    ctx = SimpleNamespace(actor=viewer, operation=load_operation(latihan), lang="id")
    with pytest.raises(AccessDenied):
        render(ctx)  # type: ignore[arg-type]
    other = Actor(name="p", role=Role.PLANNER, grants=frozenset({"lain"}), method="local")
    with pytest.raises(AccessDenied):
        render(SimpleNamespace(actor=other, operation=ctx.operation, lang="id"))  # type: ignore[arg-type]


def test_the_csv_neutralises_formulas_and_keeps_the_zone(latihan: Path) -> None:
    audit.record("=HYPERLINK(1)", AuditAction.IMPORT, operation="latihan", what="+cmd|x")
    table = audit_table(audit.entries("latihan"), "en", "WITA")
    from geo.csvsafe import to_csv_safe

    read = pd.read_csv(io.StringIO(to_csv_safe(table)), dtype=str)
    assert read["By"][0] == "'=HYPERLINK(1)" and read["Details"][0] == "'+cmd|x"
    assert read["Time"][0].endswith(" WITA")


def test_a_download_is_audited_when_made_in_the_signed_in_users_name(latihan: Path) -> None:
    operation = load_operation(latihan)
    actor = Actor(name="Kasat", role=Role.VIEWER, grants=frozenset({"latihan"}), method="local")
    ctx = SimpleNamespace(actor=actor, operation=operation)
    data = audited_data(ctx, AuditAction.EXPORT_CSV, "staffing table", lambda: "a,b\n")  # type: ignore[arg-type]
    assert audit.entries("latihan") == []  # nothing until the user clicks
    assert data() == "a,b\n"
    (entry,) = audit.entries("latihan")
    assert (entry.who, entry.action, entry.what) == (
        "Kasat",
        AuditAction.EXPORT_CSV,
        "staffing table",
    )


def test_an_operation_gone_from_the_session_is_named_and_another_opened(latihan: Path) -> None:
    at = _open(operation="nowhere")
    errors = [e.value for e in at.error]
    assert any("Operasi 'nowhere' tidak ditemukan" in e and "latihan" in e for e in errors)
    assert at.session_state["operation"] in ("latihan", "pangkalpinang")
    assert at.title  # an operation is open


def test_the_details_column_reads_in_the_pages_language(latihan: Path) -> None:
    audit.record("lama", AuditAction.ROLLBACK, operation="latihan", what="restored version 1")
    audit.record(
        "ani",
        AuditAction.ROLLBACK,
        operation="latihan",
        what=Text("audit.what.rollback", {"version": 2}),
    )
    records = audit.entries("latihan")
    for lang, new in (("id", "versi 2 dipulihkan"), ("en", "restored version 2")):
        column = audit_table(records, lang, "WIB")[t("audit.col.what", lang)].tolist()
        assert column == [new, "restored version 1"]  # the old record as it was written
