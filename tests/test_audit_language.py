"""Every audit record the sample flows write says what changed as a catalog text, read in
Indonesian and in English: users and grants, imports, boundaries, rollbacks, every plan
write, a suggestion's draft, the CLI's briefings and the pages' exports. The Indonesian
reading holds no English word that the values themselves (names, files) do not bring."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pytest
import streamlit as st
from argon2 import PasswordHasher
from shapely.geometry import LineString
from streamlit.testing.v1 import AppTest

from cli import main
from geo import audit
from geo.access import Actor
from geo.accounts import Accounts
from geo.analysis import analyse
from geo.areas import AreaChoices, read_areas_file
from geo.db import database
from geo.model import AuditAction, Role
from geo.operation import (
    SAMPLE_OPERATION,
    WORKSPACE_ENV,
    load_operation,
    rollback,
    save_areas,
    save_sites,
)
from geo.placement import SuggestOptions, save_draft, suggest
from geo.plans import INITIAL_PLAN_ID, Plans
from geo.text import Labels, Text, label

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
BOUNDARIES = ROOT / "data" / "pangkalpinang_kelurahan_19.71.geojson"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
SETUP = Actor(name="pemasang", role=Role.VIEWER, grants=frozenset(), method="cli")
PASSWORD = "kata-sandi-uji-1"
_WORD = re.compile(r"[A-Za-z]{3,}")
# words both languages write the same way (Indonesian area levels, abbreviations)
# "briefing" is the word the Indonesian UI itself uses ("Unduh briefing")
_SHARED_WORDS = frozenset(
    {"kecamatan", "kelurahan", "desa", "polri", "tps", "csv", "sha", "admin", "briefing"}
)
# the values people chose: names of users, plans, posts, files, operations; a note
_FREE_VALUES = frozenset({"name", "plan", "plan_id", "file", "note", "source", "operation"})


@pytest.fixture
def latihan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "ws"))
    folder = tmp_path / "ws" / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    return folder


def _value_words(value: object) -> set[str]:
    """Words the free values of a detail bring (names of users, plans, posts, files, a
    planner's note): any other text value is English kept as it was written."""
    if isinstance(value, Labels):
        return set()
    if isinstance(value, Text):
        return set().union(
            *(
                _words(v) if name in _FREE_VALUES and not isinstance(v, Text) else _value_words(v)
                for name, v in value.params.items()
            )
        )
    if isinstance(value, tuple):
        return set().union(*(_value_words(v) for v in value))
    return set()


def _words(value: object) -> set[str]:
    return {w.lower() for w in _WORD.findall(str(value))}


def english_in_indonesian(entry: audit.AuditRecord) -> set[str]:
    """English words of the English reading that the Indonesian reading repeats."""
    english = {w.lower() for w in _WORD.findall(entry.what_in("en"))}
    indonesian = {w.lower() for w in _WORD.findall(entry.what_in("id"))}
    assert entry.detail is not None
    return (english & indonesian) - _value_words(entry.detail) - _SHARED_WORDS


def _accounts_flow() -> None:
    accounts = Accounts(database(), hasher=FAST)
    accounts.add("kabag", Role.ADMIN, PASSWORD, by=SETUP)
    admin = accounts.sign_in("kabag", PASSWORD)
    accounts.add("sari", Role.PLANNER, PASSWORD, by=admin)
    accounts.set_password("sari", PASSWORD + "x", by=admin)
    accounts.grant("sari", "latihan", by=admin)
    accounts.revoke("sari", "latihan", by=admin)
    accounts.disable("sari", by=admin)
    accounts.enable("sari", by=admin)


def _sites_flow(folder: Path) -> None:
    operation = load_operation(folder)
    tps = operation.sites[operation.sites["kind"] == "polling_station"].head(2)
    new = tps.assign(site_id=["NEW-1", "NEW-2"], tps_no=[901, 902], name=["TPS A", "TPS B"])
    save_sites(operation, new, file_name="tps.csv", sha256="ab" * 32, who="Bag Ops")
    areas = read_areas_file(BOUNDARIES, AreaChoices(derive_parents=False)).accepted
    areas["geometry"] = areas.geometry.translate(0.0005, 0.0)
    save_areas(
        load_operation(folder),
        areas,
        file_name="kel.geojson",
        sha256="cd" * 32,
        who="Bag Ops",
        confirmed=True,
    )
    rollback(load_operation(folder), 1, who="Kapolres", confirmed=True)


def _plans_flow(folder: Path) -> None:
    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    copy = plans.copy(INITIAL_PLAN_ID, "Salinan awal", who="dedi")
    content = operation.plan_content
    first = plans.create("Rencana A", content, who="ani")
    post = content.posts.iloc[0]
    edited, _ = content.with_post_added(
        name="Pos baru", post_type="pos_pam", lon=106.11, lat=-2.12, site_id="P-NEW"
    )
    edited = edited.with_post_moved(post["site_id"], post.geometry.x + 0.01, post.geometry.y)
    saved = plans.save(
        first.plan_id, edited, base_version=first.version, who="ani", note="geser pos"
    )
    renamed = plans.rename(first.plan_id, "Rencana B", base_version=saved.version, who="budi")
    status = plans.set_status(first.plan_id, "proposed", base_version=renamed.version, who="budi")
    plans.set_current(first.plan_id, who="citra")
    plans.rollback(first.plan_id, 1, base_version=status.version, who="citra", confirmed=True)
    plans.copy(copy.plan_id, "Salinan", who="dedi")
    result = suggest(load_operation(folder), SuggestOptions(k=1, curve=False))
    save_draft(load_operation(folder), result, name="Saran uji", who="Kabag Ops")


def _cli_flow(folder: Path, tmp_path: Path) -> None:
    brief = ["--as", "Kabag Ops", "brief", "latihan", "-o", str(tmp_path / "b.html")]
    assert main(brief) == 0
    assert main([*brief[:-1], str(tmp_path / "c.html"), "--with-csv"]) == 0
    suggestion = ["--as", "Kabag", "suggest", str(folder), "--add", "1", "--no-curve"]
    assert main([*suggestion, "--brief", str(tmp_path / "s.html"), "--paper", "A3"]) == 0
    road = tmp_path / "jalan.geojson"
    gpd.GeoDataFrame(geometry=[LineString([(106.1, -2.1), (106.2, -2.1)])], crs=4326).to_file(road)
    assert main(["--as", "Kabag Ops", "roads", "set", str(folder), str(road)]) == 0
    assert main(["--as", "Kabag Ops", "roads", "remove", str(folder)]) == 0


def _page_exports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every download of the map page, made as a click makes it (audited then)."""
    st.cache_data.clear()
    made: dict[str, object] = {}
    real = st.download_button

    def spy(label_text, data=None, *args, key=None, **kwargs):
        made[key] = data
        return real(label_text, data, *args, key=key, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    keys = ("download_brief", "download_brief_zip", "staffing_csv", "areas_csv", "uncovered_csv")
    for key in keys:
        made[key]()


def _compare_and_suggest_exports(folder: Path) -> None:
    """The compare and suggest pages' exports, with the words those pages record."""
    from pages import compare_page, suggest_page

    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    a, b = (load_operation(folder, plan=p.plan_id) for p in plans.list()[:2])
    comparison = SimpleNamespace(a=analyse(a), b=analyse(b))
    for briefing in (False, True):
        what = compare_page._what(comparison, briefing=briefing)
        action = AuditAction.EXPORT_BRIEFING if briefing else AuditAction.EXPORT_CSV
        audit.record("Kabag Ops", action, operation="latihan", what=what)
    what = suggest_page._what("A4")
    audit.record("Kabag Ops", AuditAction.EXPORT_BRIEFING, operation="latihan", what=what)


def test_every_audit_record_of_the_sample_flows_reads_in_both_languages(
    latihan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _accounts_flow()
    _sites_flow(latihan)
    _plans_flow(latihan)
    _cli_flow(latihan, tmp_path)
    _page_exports(monkeypatch)
    _compare_and_suggest_exports(latihan)
    records = audit.entries()
    every = {AuditAction.STORE_MIGRATE}  # written only when moving into PostGIS
    assert {r.action for r in records} | every == set(AuditAction)
    leaks = []
    for entry in records:
        assert entry.detail is not None, f"{entry.action}: free text {entry.what!r}"
        assert label("audit_action", entry.action, "id") != str(entry.action)
        if english_in_indonesian(entry):
            leaks.append((entry.action, entry.what_in("id"), entry.what_in("en")))
    assert leaks == []
    readings = {(r.action, r.what_in("id")) for r in records}
    assert (AuditAction.IMPORT, "tps.csv: tambah/perbarui lewat pencocokan") in readings
    assert any("catatan: 'geser pos'" in text for _, text in readings)


def test_the_english_word_check_finds_english_text_kept_as_a_value() -> None:
    # how a plan save was recorded before: its English note as a value of the detail
    note = "added post Pos baru (pos_pam); moved post P-01 by 120 m"
    old = Text("audit.what.plan_detail", {"plan": "Rencana A", "plan_id": "p-1", "detail": note})
    entry = audit.AuditRecord(
        id=1,
        at=datetime.now(UTC),
        who="ani",
        action=AuditAction.PLAN_SAVE,
        operation="latihan",
        what=old.render("en"),
        version_before=1,
        version_after=2,
        sha256="",
        detail=old,
    )
    assert {"added", "post", "moved"} <= english_in_indonesian(entry)
    now = Text(
        "audit.what.plan_detail",
        {
            "plan": "Rencana A",
            "plan_id": "p-1",
            "detail": (Text("plan.change.post_removed", {"name": "Pos baru"}),),
        },
    )
    assert english_in_indonesian(replace(entry, what=now.render("en"), detail=now)) == set()
