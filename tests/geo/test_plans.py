"""Plans: content edits and their validation, versions in the workspace store (crash safety,
conflicts, rollback), the implicit initial plan and plans applied to the operation."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
import warnings
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from geo.analysis import analyse
from geo.errors import SettingsError, ValidationError
from geo.guard import summarise_import
from geo.model import Kind, PlanStatus, PostType, Risk, ZoneKind
from geo.operation import (
    ConfirmationNeeded,
    NothingToSave,
    load_operation,
    plan_import,
    save_sites,
    store_for,
)
from geo.plans import (
    INITIAL_PLAN_ID,
    PlanContent,
    PlanNotFound,
    Plans,
    Zone,
    initial_content,
    plan_version_action,
    plan_version_note,
    same_name,
)
from geo.store import StoreConflict
from geo.text import label, localized

LON, LAT = 106.115, -2.125


def _plans(folder: Path) -> tuple[Plans, PlanContent]:
    operation = load_operation(folder)
    return Plans.for_operation(operation), operation.plan_content


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _uncovered(folder: Path, plan: str | None = None) -> int:
    return analyse(load_operation(folder, plan=plan)).by_kind()["polling_station"].uncovered


# --- the implicit initial plan --------------------------------------------------------------


@pytest.mark.usefixtures("store_backend")
def test_the_sample_without_plans_keeps_its_figures(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    analysis = analyse(operation)
    assert operation.plan is None and operation.plan_version == 0
    assert analysis.by_kind()["polling_station"].total == 311
    assert analysis.by_kind()["polling_station"].covered == 268
    assert analysis.staffing.polri == 145
    posts = operation.list_sites[operation.list_sites["kind"] == Kind.POLICE_POST]
    assert sorted(operation.plan_content.posts["site_id"]) == sorted(posts["site_id"])
    assert operation.sites is operation.list_sites


@pytest.mark.usefixtures("store_backend")
def test_reading_plans_never_writes(op_folder: Path) -> None:
    plans, _ = _plans(op_folder)
    assert plans.list() == [] and plans.current() is None
    assert not plans.store.exists()
    assert plans.resolve("rencana  AWAL") is None  # the implicit plan, by its name
    assert load_operation(op_folder, plan="Initial plan").plan is None
    assert not plans.store.exists()


@pytest.mark.gpkg_only  # tables of the file; on PostGIS the migrations make them
@pytest.mark.usefixtures("store_backend")
def test_a_store_from_before_plans_loads_and_gets_tables_on_the_first_plan_write(
    op_folder: Path,
) -> None:
    operation = load_operation(op_folder)
    tps = operation.list_sites[operation.list_sites["kind"] == Kind.POLLING_STATION].head(1)
    save_sites(operation, tps.assign(name="TPS renamed"), who="t")
    path = store_for(op_folder).path
    before = _tables(path)
    assert "plan_versions" not in before
    stamp = path.stat().st_mtime_ns
    reloaded = load_operation(op_folder)
    assert reloaded.plan is None and Plans.for_operation(reloaded).list() == []
    assert path.stat().st_mtime_ns == stamp and _tables(path) == before
    Plans.for_operation(reloaded).create("B", reloaded.plan_content, who="t")
    assert {"plan_versions", "plan_current"} <= _tables(path)
    assert load_operation(op_folder).version == reloaded.version  # site versions untouched


@pytest.mark.usefixtures("store_backend")
def test_the_first_plan_saves_the_initial_plan_as_current(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    info = plans.create("Rencana B", content.with_post_removed("POST-MAKO"), who="ani")
    listed = plans.list()
    assert [p.name for p in listed] == ["Rencana awal", "Rencana B"]
    assert listed[0].plan_id == INITIAL_PLAN_ID and listed[0].current
    assert plans.content(INITIAL_PLAN_ID) == content
    assert info.plan_id == "plan-2" and not info.current and info.version == 1
    assert _uncovered(op_folder) == 311 - 268  # still the initial plan
    assert plans.history(INITIAL_PLAN_ID)[0].action == "initial"


@pytest.mark.usefixtures("store_backend")
def test_saving_edits_of_the_implicit_initial_plan(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    moved = content.with_post_moved("POST-MAKO", LON + 0.05, LAT + 0.05)
    saved = plans.save(INITIAL_PLAN_ID, moved, base_version=0, who="ani")
    assert saved.version == 2 and saved.current
    assert [v.action for v in plans.history(INITIAL_PLAN_ID)] == ["initial", "save"]
    with pytest.raises(StoreConflict):  # another tab still on the implicit plan
        plans.save(INITIAL_PLAN_ID, content.with_post_removed("POST-MAKO"), base_version=0, who="b")


# --- names, lookup, current -----------------------------------------------------------------


@pytest.mark.usefixtures("store_backend")
def test_names_are_unique_ignoring_case_and_spaces(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    plans.create("Rencana B", content, who="t")
    for name in ("rencana b", " RENCANA   B ", "RencanaB"):
        with pytest.raises(ValidationError) as err:
            plans.create(name, content, who="t")
        assert err.value.key == "plan.name_taken"
    assert same_name("Rencana  B", "rencanab")
    for bad in ("", "   ", "x" * 81, "a\x00b"):
        with pytest.raises(ValidationError):
            plans.create(bad, content, who="t")


@pytest.mark.usefixtures("store_backend")
def test_an_unknown_plan_names_the_plans_that_exist(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    with pytest.raises(PlanNotFound, match="Rencana awal"):
        plans.find("Rencana Z")
    plans.create("Rencana B", content, who="t")
    with pytest.raises(PlanNotFound) as err:
        load_operation(op_folder, plan="Rencana Z")
    assert "'Rencana awal', 'Rencana B'" in localized(err.value, "en")
    assert "Rencana yang ada" in localized(err.value, "id")
    assert plans.find(" rencana b").plan_id == plans.find("plan-2").plan_id == "plan-2"


@pytest.mark.usefixtures("store_backend")
def test_make_current_changes_what_loads(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    empty = content.with_settings()
    for site_id in content.posts["site_id"]:
        empty = empty.with_post_removed(site_id)
    info = plans.create("Tanpa pos", empty, who="t")
    assert _uncovered(op_folder) == 43
    plans.set_current(info.plan_id, who="t")
    assert load_operation(op_folder).plan.plan_id == info.plan_id
    assert _uncovered(op_folder) == 311
    assert _uncovered(op_folder, plan="Rencana awal") == 43
    with pytest.raises(NothingToSave):
        plans.set_current(info.plan_id, who="t")
    with pytest.raises(PlanNotFound):
        plans.set_current("plan-99", who="t")


@pytest.mark.usefixtures("store_backend")
def test_rename_and_status_are_versions(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    info = plans.create("B", content, who="t")
    renamed = plans.rename(info.plan_id, "Rencana  B2", base_version=1, who="u")
    assert renamed.name == "Rencana B2" and renamed.version == 2
    with pytest.raises(StoreConflict):
        plans.rename(info.plan_id, "C", base_version=1, who="u")
    with pytest.raises(ValidationError):
        plans.rename(info.plan_id, "rencana awal", base_version=2, who="u")
    approved = plans.set_status(info.plan_id, "approved", base_version=2, who="kapolres")
    assert approved.status == PlanStatus.APPROVED
    with pytest.raises(NothingToSave):
        plans.set_status(info.plan_id, PlanStatus.APPROVED, base_version=3, who="k")
    with pytest.raises(ValidationError):
        plans.set_status(info.plan_id, "final", base_version=3, who="k")
    history = plans.history(info.plan_id)
    assert [(v.action, v.saved_by) for v in history] == [
        ("create", "t"),
        ("rename", "u"),
        ("status", "kapolres"),
    ]
    assert plan_version_note(history[2].note, "id") == "status menjadi Disetujui"
    assert plan_version_action("rename", "id") == "ganti nama"
    assert label("plan_status", "proposed", "id") == "Diajukan"
    assert label("zone_kind", ZoneKind.CLOSURE, "en") == "Closure / no-go area"


# --- saves, conflicts, rollback, crash safety ----------------------------------------------


@pytest.mark.usefixtures("store_backend")
def test_two_saves_from_the_same_base_the_later_is_refused(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    info = plans.create("B", content, who="t")
    first = content.with_post_moved("POST-MAKO", LON, LAT)
    second = content.with_post_removed("POST-PAM-PASAR")
    plans.save(info.plan_id, first, base_version=info.version, who="tab 1")
    with pytest.raises(StoreConflict) as err:
        plans.save(info.plan_id, second, base_version=info.version, who="tab 2")
    assert err.value.key == "plan.conflict"
    assert "muat ulang" in localized(err.value, "id")
    assert "new plan" in localized(err.value, "en")
    assert plans.content(info.plan_id) == first
    with pytest.raises(NothingToSave):
        plans.save(info.plan_id, first, base_version=2, who="tab 1")


@pytest.mark.usefixtures("store_backend")
def test_rollback_needs_confirmation_and_adds_a_version(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    info = plans.create("B", content, who="t")
    edited = content.with_post_removed("POST-MAKO")
    plans.save(info.plan_id, edited, base_version=1, who="t")
    with pytest.raises(ConfirmationNeeded):
        plans.rollback(info.plan_id, 1, base_version=2, who="t", confirmed=False)
    assert len(plans.history(info.plan_id)) == 2
    back = plans.rollback(info.plan_id, 1, base_version=2, who="r", confirmed=True)
    assert back.version == 3 and plans.content(info.plan_id) == content
    history = plans.history(info.plan_id)
    assert [v.action for v in history] == ["create", "save", "rollback"]
    assert plans.content(info.plan_id, 2) == edited  # history is never rewritten
    assert plan_version_note(history[2].note, "id").startswith("pemulihan ke versi 1")
    with pytest.raises(ValidationError) as err:
        plans.rollback(info.plan_id, 9, base_version=3, who="r", confirmed=True)
    assert err.value.key == "plan.no_such_version"


def _fail_after_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Plans._insert

    def insert_then_fail(self, con, *args, **kwargs):
        original(self, con, *args, **kwargs)
        raise OSError("disk gone")

    monkeypatch.setattr(Plans, "_insert", insert_then_fail)


@pytest.mark.usefixtures("store_backend")
def test_a_save_failing_after_writing_leaves_the_previous_version(
    op_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans, content = _plans(op_folder)
    info = plans.create("B", content, who="t")
    _fail_after_writing(monkeypatch)
    with pytest.raises(OSError):
        plans.save(info.plan_id, content.with_post_removed("POST-MAKO"), base_version=1, who="t")
    monkeypatch.undo()
    assert [v.version for v in plans.history(info.plan_id)] == [1]
    assert plans.content(info.plan_id) == content
    with plans.store.plan_reading() as con:
        assert con.execute("SELECT COUNT(*) FROM plan_versions").fetchone()[0] == 2
    assert plans.store.integrity() == "ok"
    assert plans.save(info.plan_id, content.with_post_removed("POST-MAKO"), base_version=1, who="t")


@pytest.mark.usefixtures("store_backend")
def test_a_first_plan_save_failing_leaves_no_plan(
    op_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans, content = _plans(op_folder)
    _fail_after_writing(monkeypatch)
    with pytest.raises(OSError):
        plans.create("B", content, who="t")
    monkeypatch.undo()
    assert plans.list() == [] and load_operation(op_folder).plan is None


def _killed_save(folder: str) -> None:
    """Save a plan version and die (no exception handling, no cleanup) before COMMIT."""
    import os

    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    original = Plans._insert

    def insert_then_die(self, con, *args, **kwargs):
        original(self, con, *args, **kwargs)
        os._exit(9)

    Plans._insert = insert_then_die  # type: ignore[method-assign]
    plans.save("plan-2", operation.plan_content, base_version=1, who="killed")


@pytest.mark.usefixtures("store_backend")
def test_a_killed_save_leaves_the_previous_version(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    info = plans.create("B", content.with_post_removed("POST-MAKO"), who="t")
    process = multiprocessing.get_context("spawn").Process(
        target=_killed_save, args=(str(op_folder),)
    )
    process.start()
    process.join(120)
    assert process.exitcode == 9
    assert [v.version for v in plans.history(info.plan_id)] == [1]
    assert plans.content(info.plan_id) == content.with_post_removed("POST-MAKO")
    saved = plans.save(info.plan_id, content, base_version=1, who="after")
    assert saved.version == 2


# --- content: edits and validation ----------------------------------------------------------


def test_post_edits_are_pure_and_validated(sample_operation) -> None:
    content = initial_content(sample_operation)
    added, site_id = content.with_post_added(
        lon=LON, lat=LAT, post_type="polsek", name="Pos baru", personnel=12
    )
    assert len(added.posts) == len(content.posts) + 1 and site_id not in set(content.posts.site_id)
    row = added.posts.set_index("site_id").loc[site_id]
    assert row["post_type"] == "polsek" and row["personnel"] == 12 and row["kind"] == "police_post"
    changed = added.with_post_changed(site_id, radius_m=700.0, name="Pos A")
    assert changed.posts.set_index("site_id").loc[site_id, "radius_m"] == 700.0
    assert added.posts.set_index("site_id").loc[site_id, "name"] == "Pos baru"
    for bad in (
        lambda: content.with_post_added(lon=LON, lat=LAT, post_type="tank", name="x"),
        lambda: content.with_post_added(lon=float("nan"), lat=LAT, post_type="polsek", name="x"),
        lambda: content.with_post_added(lon=LON, lat=95.0, post_type="polsek", name="x"),
        lambda: content.with_post_moved("NOPE", LON, LAT),
        lambda: content.with_post_removed("NOPE"),
        lambda: content.with_post_changed("POST-MAKO", radius_m=0.0),
        lambda: content.with_post_changed("POST-MAKO", radius_m=float("inf")),
        lambda: content.with_post_changed("POST-MAKO", personnel=-3),
        lambda: content.with_post_changed("POST-MAKO", kind="polling_station"),
    ):
        with pytest.raises(ValidationError):
            bad()
    changes = changed.changes_from(content)
    assert [c.key for c in changes] == ["plan.change.post_added"]


@pytest.mark.usefixtures("store_backend")
def test_settings_are_validated_like_the_settings_file(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    for kwargs in (
        {"radius_m": {PostType.POLSEK: -5.0}},
        {"radius_m": {PostType.POLSEK: 60_000.0}},
        {"risk_weights": {Risk.RAWAN: float("nan")}},
        {"risk_weights": {Risk.RAWAN: -1.0}},
        {"preset_rows": [("rawan", 2, 0, 2)]},
        {"preset_rows": [("rawan", -1, 1, 2)]},
        {"min_polri": 0},
    ):
        with pytest.raises(SettingsError):
            content.with_settings(**kwargs)
    with pytest.raises(SettingsError) as err:
        plans.create("B", content.with_settings(preset="no_such_preset"), who="t")
    assert err.value.key == "settings.unknown_preset"
    assert plans.list() == []  # nothing saved


@pytest.mark.usefixtures("store_backend")
def test_the_plans_preset_radii_and_weights_drive_the_analysis(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    lean = [("kurang_rawan", 1, 8, 16), ("rawan", 1, 2, 4), ("sangat_rawan", 1, 1, 2)]
    relaxed = content.with_settings(
        min_polri=1,
        preset_rows=lean,
        radius_m={PostType.POS_PAM: 1500.0},
        risk_weights={Risk.KURANG_RAWAN: 0.5},
    )
    info = plans.create("B", relaxed, who="t", make_current=True)
    operation = load_operation(op_folder)
    analysis = analyse(operation)
    assert operation.plan == info and operation.settings.radius_m[PostType.POS_PAM] == 1500.0
    assert analysis.staffing.preset.min_polri == 1
    assert analysis.staffing.polri < 145
    assert analysis.by_kind()["polling_station"].covered > 268
    assert analysis.settings.risk_weights[Risk.KURANG_RAWAN] == 0.5
    notes = plan_version_note(plans.history(info.plan_id)[0].note, "en")
    assert notes == ""  # a created plan has no change to list
    rows = relaxed.with_settings(preset_rows=[("rawan", 3, 2, 4)])
    assert rows.staffing_preset(operation.base_settings).groups[Risk.RAWAN].polri == 3
    saved = plans.save(info.plan_id, rows, base_version=1, who="t")
    note = plans.history(info.plan_id)[-1].note
    assert "staffing table of typical_2024 edited" in note and saved.version == 2


def _nan_polygon() -> Polygon:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely warns while building it
        return Polygon([(0, 0), (float("nan"), 1), (1, 1)])


@pytest.mark.usefixtures("store_backend")
def test_zones_are_validated_and_saved(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    square = Polygon([(LON, LAT), (LON + 0.01, LAT), (LON + 0.01, LAT + 0.01), (LON, LAT + 0.01)])
    zones = (
        Zone("z1", ZoneKind.CLOSURE, "Jl. Merdeka", square),
        Zone("z2", "sterile", "Ring KPU", Point(LON, LAT), radius_m=300.0),
    )
    info = plans.create("B", content.with_zones(zones), who="t")
    stored = plans.content(info.plan_id).zones
    assert stored == zones and stored[1].area().contains(Point(LON, LAT))
    assert Zone.from_feature(zones[0].to_feature()) == zones[0]
    collection = json.loads(json.dumps(content.with_zones(zones).zones_geojson()))
    assert tuple(Zone.from_feature(f) for f in collection["features"]) == zones
    bowtie = Polygon([(LON, LAT), (LON + 0.01, LAT + 0.01), (LON + 0.01, LAT), (LON, LAT + 0.01)])
    for bad in (
        lambda: Zone("z", "closure", "", bowtie),
        lambda: Zone("z", "closure", "", _nan_polygon()),
        lambda: Zone("z", "closure", "", Polygon([(0, 0), (200, 1), (1, 1)])),
        lambda: Zone("z", "sterile", "", Point(LON, LAT), radius_m=0.0),
        lambda: Zone("z", "sterile", "", Point(LON, LAT)),
        lambda: Zone("z", "parade", "", square),
        lambda: Zone("z", "closure", "", square, radius_m=10.0),
        lambda: Zone.from_feature({"type": "Feature", "geometry": None, "properties": {}}),
        lambda: content.with_zones([zones[0], zones[0]]),
    ):
        with pytest.raises(ValidationError):
            bad()
    edited = content.with_zones(zones[:1])
    saved = plans.save(info.plan_id, edited, base_version=1, who="t")
    note = plans.history(info.plan_id)[-1].note
    assert saved.version == 2 and note == "removed zone Ring KPU (sterile)"
    shown = plan_version_note(note, "id")
    assert shown == "zona Ring KPU dihapus (Ring steril rekapitulasi)"


# --- plans and imports ------------------------------------------------------------------------


@pytest.mark.usefixtures("store_backend")
def test_imports_change_the_list_and_saved_plans_keep_their_posts(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    plans = Plans.for_operation(operation)
    info = plans.create("B", operation.plan_content, who="t", make_current=True)
    operation = load_operation(op_folder)
    new_post = gpd.GeoDataFrame(
        {"site_id": ["POS-NEW"], "kind": ["police_post"], "name": ["Pos impor"]}
        | {"post_type": ["mako"]},
        geometry=[Point(LON, LAT)],
        crs="EPSG:4326",
    )
    merge = plan_import(operation, new_post)
    summary = summarise_import(operation, merge)
    assert summary.after == summary.before  # the plan shown keeps its posts
    save_sites(operation, new_post, who="t")
    reloaded = load_operation(op_folder)
    assert "POS-NEW" in set(reloaded.list_sites.site_id)
    assert "POS-NEW" not in set(reloaded.sites.site_id)
    assert reloaded.plan.plan_id == info.plan_id


@pytest.mark.usefixtures("store_backend")
def test_without_saved_plans_an_import_of_posts_changes_the_plan(op_folder: Path) -> None:
    operation = load_operation(op_folder)
    uncovered = analyse(operation).uncovered_tps.geometry.iloc[0]
    new_post = gpd.GeoDataFrame(
        {"site_id": ["POS-NEW"], "kind": ["police_post"], "name": ["Pos impor"]}
        | {"post_type": ["mako"]},
        geometry=[uncovered],
        crs="EPSG:4326",
    )
    would_be = operation.with_list_sites(plan_import(operation, new_post).sites)
    assert would_be.plan is None
    assert "POS-NEW" in set(would_be.plan_content.posts.site_id)
    assert "POS-NEW" in set(would_be.sites.site_id)
    assert analyse(would_be).by_kind()["polling_station"].covered > 268


# --- property-based: versions and rollback --------------------------------------------------

_EDITS = st.lists(
    st.tuples(st.integers(0, 14), st.floats(-0.02, 0.02), st.floats(-0.02, 0.02)),
    min_size=1,
    max_size=5,
)


@pytest.mark.usefixtures("store_backend")
@hsettings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=_EDITS, back_to=st.integers(1, 6))
def test_versions_count_up_and_rollback_restores_any_version(
    tmp_path_factory: pytest.TempPathFactory, sample_operation, edits, back_to
) -> None:
    folder = tmp_path_factory.mktemp("plans")
    plans = Plans(folder, initial=sample_operation.plan_content, settings=sample_operation.settings)
    content = sample_operation.plan_content
    ids = sorted(content.posts.site_id)
    info = plans.create("P", content, who="t")
    saved = [content]
    for index, dlon, dlat in edits:
        moved = content.with_post_moved(ids[index], LON + dlon, LAT + dlat)
        if moved == content:
            with pytest.raises(NothingToSave):
                plans.save(info.plan_id, moved, base_version=info.version, who="t")
            continue
        content = moved
        info = plans.save(info.plan_id, content, base_version=info.version, who="t")
        saved.append(content)
    history = plans.history(info.plan_id)
    assert [v.version for v in history] == list(range(1, len(saved) + 1))
    assert all(plans.content(info.plan_id, v) == c for v, c in enumerate(saved, 1))
    target = min(back_to, len(saved))
    if saved[target - 1] == saved[-1]:
        with pytest.raises(NothingToSave):
            plans.rollback(info.plan_id, target, base_version=info.version, who="t", confirmed=True)
        return
    back = plans.rollback(info.plan_id, target, base_version=info.version, who="t", confirmed=True)
    assert back.version == len(saved) + 1
    assert plans.content(info.plan_id) == saved[target - 1]
    assert plans.history(info.plan_id)[: len(saved)] == history  # never rewritten


@hsettings(max_examples=30, deadline=None)
@given(moves=st.lists(st.tuples(st.floats(-179, 179), st.floats(-89, 89)), min_size=1, max_size=4))
def test_content_survives_its_json(sample_operation, moves) -> None:
    content = initial_content(sample_operation)
    for lon, lat in moves:
        content, _ = content.with_post_added(lon=lon, lat=lat, post_type="patrol", name="P")
    again = PlanContent.from_dict(content.to_dict())
    assert again == content and hash(again) == hash(content)
    assert again.changes_from(content) == []


def _save_from_base_one(folder: str, tag: str, barrier) -> str:
    """Save a plan edit based on version 1; report "saved" or "conflict"."""
    plans = Plans(Path(folder))
    content = plans.content("plan-2").with_post_moved("POST-MAKO", LON, LAT + len(tag) * 1e-3)
    barrier.wait()
    try:
        plans.save("plan-2", content, base_version=1, who=tag)
    except StoreConflict:
        return "conflict"
    return "saved"


@pytest.mark.usefixtures("store_backend")
def test_two_processes_saving_from_one_base_lose_nothing(op_folder: Path) -> None:
    plans, content = _plans(op_folder)
    plans.create("B", content, who="t")
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(2)
        with context.Pool(2) as pool:
            results = pool.starmap(
                _save_from_base_one,
                [(str(op_folder), "a", barrier), (str(op_folder), "bb", barrier)],
            )
    assert sorted(results) == ["conflict", "saved"]
    history = plans.history("plan-2")
    assert [v.version for v in history] == [1, 2]
    winner = history[-1].saved_by
    assert results[["a", "bb"].index(winner)] == "saved"


@pytest.mark.usefixtures("store_backend")
def test_plans_of_a_folder_load_the_initial_plan_themselves(op_folder: Path) -> None:
    plans = Plans(op_folder)  # no operation given: the first write loads it
    content = load_operation(op_folder).plan_content
    plans.create("B", content.with_post_removed("POST-MAKO"), who="t")
    assert plans.content(INITIAL_PLAN_ID) == content
    operation = load_operation(op_folder, plan="B")
    assert analyse(operation, preset="mabes_2019").staffing.preset.name == "mabes_2019"
    assert "POST-MAKO" not in set(operation.sites.site_id)
    assert "POST-MAKO" in set(operation.list_sites.site_id)
