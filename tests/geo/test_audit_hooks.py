"""Every change made through the geo layer leaves one audit record (app and CLI alike), and
the operation's time zone comes from its settings or its areas."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pytest

from geo import audit
from geo.areas import AreaChoices, read_areas_file
from geo.errors import SettingsError
from geo.model import AuditAction, parse_settings
from geo.operation import NothingToSave, load_operation, rollback, save_areas, save_sites
from geo.placement import SuggestOptions, save_draft, suggest
from geo.plans import INITIAL_PLAN_ID, Plans
from geo.text import localized

BOUNDARIES = Path(__file__).resolve().parents[2] / "data" / "pangkalpinang_kelurahan_19.71.geojson"


def _new_tps(operation) -> gpd.GeoDataFrame:
    tps = operation.sites[operation.sites["kind"] == "polling_station"].head(2)
    return tps.assign(site_id=["NEW-1", "NEW-2"], tps_no=[901, 902], name=["TPS A", "TPS B"])


def _only(operation: str) -> audit.AuditRecord:
    (entry,) = audit.entries(operation)
    return entry


def test_an_import_is_audited_with_its_file_and_versions(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    digest = hashlib.sha256(b"tps list").hexdigest()
    saved = save_sites(
        operation, _new_tps(operation), file_name="tps.csv", sha256=digest, who="Bag Ops"
    )
    entry = _only(op_folder.name)
    assert (entry.action, entry.who, entry.sha256) == (AuditAction.IMPORT, "Bag Ops", digest)
    assert (entry.version_before, entry.version_after) == (1, saved.version) == (1, 2)
    assert "tps.csv" in entry.what


def test_a_refused_import_leaves_no_record(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    with pytest.raises(NothingToSave):
        save_sites(operation, operation.sites.head(3), who="Bag Ops")
    assert audit.entries(op_folder.name) == []


def test_an_areas_import_and_a_rollback_are_audited(op_folder: Path) -> None:
    seed = load_operation(op_folder)
    areas = read_areas_file(BOUNDARIES, AreaChoices(derive_parents=False)).accepted
    areas["geometry"] = areas.geometry.translate(0.0005, 0.0)
    save_areas(
        seed, areas, file_name="kel.geojson", sha256="cd" * 32, who="Bag Ops", confirmed=True
    )
    rollback(load_operation(op_folder), 1, who="Kapolres", confirmed=True)
    back, areas_entry = audit.entries(op_folder.name)
    assert (areas_entry.action, areas_entry.sha256) == (AuditAction.AREAS_IMPORT, "cd" * 32)
    assert (areas_entry.version_before, areas_entry.version_after) == (1, 2)
    assert (back.action, back.who, back.version_before, back.version_after) == (
        AuditAction.ROLLBACK,
        "Kapolres",
        2,
        3,
    )
    assert "version 1" in back.what


def test_every_plan_write_is_audited_with_versions(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    plans = Plans.for_operation(operation)
    content = operation.plan_content
    first = plans.create("Rencana A", content, who="ani")
    edited, _ = content.with_post_added(
        name="Pos baru", post_type="pos_pam", lon=106.11, lat=-2.12, site_id="P-NEW"
    )
    saved = plans.save(first.plan_id, edited, base_version=first.version, who="ani")
    renamed = plans.rename(first.plan_id, "Rencana B", base_version=saved.version, who="budi")
    status = plans.set_status(first.plan_id, "proposed", base_version=renamed.version, who="budi")
    plans.set_current(first.plan_id, who="citra")
    back = plans.rollback(
        first.plan_id, 1, base_version=status.version, who="citra", confirmed=True
    )
    plans.copy(first.plan_id, "Salinan", who="dedi")
    got = [
        (e.action, e.who, e.version_before, e.version_after)
        for e in reversed(audit.entries(op_folder.name))
    ]
    assert got == [
        (AuditAction.PLAN_NEW, "ani", None, 1),
        (AuditAction.PLAN_SAVE, "ani", 1, 2),
        (AuditAction.PLAN_RENAME, "budi", 2, 3),
        (AuditAction.PLAN_STATUS, "budi", 3, 4),
        (AuditAction.PLAN_CURRENT, "citra", None, None),
        (AuditAction.PLAN_ROLLBACK, "citra", 4, back.version),
        (AuditAction.PLAN_COPY, "dedi", None, 1),
    ]
    whats = [e.what for e in reversed(audit.entries(op_folder.name))]
    assert "'Rencana A'" in whats[0] and "from 'Rencana A'" in whats[2]
    assert "Draft -> Proposed" in whats[3] and "from 'Rencana B'" in whats[6]


def test_saving_the_initial_plan_is_audited(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    plans = Plans.for_operation(operation)
    edited = operation.plan_content.with_post_moved(
        operation.plan_content.posts["site_id"].iloc[0], 106.12, -2.12
    )
    plans.save(INITIAL_PLAN_ID, edited, base_version=0, who="ani")
    entry = _only(op_folder.name)
    assert (entry.action, entry.version_before, entry.version_after) == (
        AuditAction.PLAN_SAVE,
        1,
        2,
    )


def test_a_suggestions_draft_is_audited_as_such(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    result = suggest(operation, SuggestOptions(k=1, curve=False))
    save_draft(operation, result, name="Saran uji", who="Kabag Ops")
    entry = _only(op_folder.name)
    assert (entry.action, entry.who) == (AuditAction.SUGGEST_DRAFT, "Kabag Ops")


def test_a_refused_plan_write_leaves_no_record(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    plans = Plans.for_operation(operation)
    info = plans.create("Rencana A", operation.plan_content, who="ani")
    with pytest.raises(NothingToSave):
        plans.rename(info.plan_id, "Rencana A", base_version=info.version, who="ani")
    assert len(audit.entries(op_folder.name)) == 1


def test_the_zone_comes_from_the_areas_unless_the_settings_name_one(op_folder: Path) -> None:
    assert load_operation(op_folder).settings.time_zone == "WIB"  # Pangkalpinang, 106° E
    toml = op_folder / "operation.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[operation]", '[operation]\ntime_zone = "wita"'), "utf-8")
    assert load_operation(op_folder).settings.time_zone == "WITA"


def test_an_unknown_zone_is_refused_with_the_choices() -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings({"operation": {"title": "x", "time_zone": "CET"}})
    assert "WIB, WITA, WIT" in localized(caught.value, "id")
    assert "'CET'" in localized(caught.value, "en")
