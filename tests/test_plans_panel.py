"""The map page edits the plan (AppTest): map edits, the sidebar's choices as the plan's,
saving, and the plans panel's tools. Figures are checked against `tests.brute_force`."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
import shapely
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import audit
from geo.access import Actor
from geo.model import Role
from geo.operation import SAMPLE_OPERATION, load_operation
from geo.plans import Plans
from geo.text import t
from pages import signin
from pages.exports import NO_TABLE_TOOLBAR_CSS
from tests.brute_force import reach, sample_radii, sample_sites

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
UNCOVERED = "TPS tak terjangkau"
WHO = "Iptu Sari"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A copy of the sample in the workspace: the operation the app opens first."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("POSKO_USER", WHO)  # sign-in is off: the local user saves
    copy = tmp_path / SAMPLE_OPERATION.name
    shutil.copytree(SAMPLE_OPERATION, copy)
    return copy


def _open(folder: Path) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _unsaved(at: AppTest) -> bool:
    return any("Perubahan belum disimpan" in c.value for c in at.caption)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _report(at: AppTest, properties: dict, geometry: dict | None) -> None:
    """What the map component reports after an edit on the map."""
    drawing = {"type": "Feature", "properties": properties, "geometry": geometry}
    at.session_state["map"] = {"last_active_drawing": drawing}


def _plans(folder: Path) -> Plans:
    return Plans.for_operation(load_operation(folder))


def test_a_dragged_post_moves_and_the_figures_follow(folder) -> None:
    at = _open(folder)
    at.session_state["edit_mode"] = "edit"
    _report(
        at,
        {"posko": "move", "site_id": "POST-MAKO", "seq": 1},
        {"type": "Point", "coordinates": [106.20, -2.20]},
    )
    at.run()
    assert not at.exception, at.exception
    sites = sample_sites()
    sites.loc[sites["site_id"] == "POST-MAKO", "geometry"] = shapely.Point(106.20, -2.20)
    expected = int((~reach(sites, sample_radii(), "polling_station")).sum())
    assert _metric(at, UNCOVERED) == str(expected)
    assert _unsaved(at)
    at.run()  # the same report again is the same edit, not a new one
    assert _metric(at, UNCOVERED) == str(expected)


def test_map_edits_are_ignored_while_viewing(folder) -> None:
    at = _open(folder)
    before = _metric(at, UNCOVERED)
    _report(
        at,
        {"posko": "move", "site_id": "POST-MAKO", "seq": 1},
        {"type": "Point", "coordinates": [106.20, -2.20]},
    )
    at.run()
    assert _metric(at, UNCOVERED) == before and not _unsaved(at)


def test_a_drawn_ring_is_named_kept_and_saved(folder) -> None:
    at = _open(folder)
    at.session_state["edit_mode"] = "edit"
    _report(
        at,
        {"posko": "zone_new", "seq": 2, "radius": 300},
        {"type": "Point", "coordinates": [106.11, -2.13]},
    )
    at.run()
    kind = next(s for s in at.selectbox if s.label == "Jenis zona")
    assert kind.value == "sterile"  # a circle is a sterile ring
    _button(at, "Simpan zona").click().run()
    assert not at.exception, at.exception
    assert _unsaved(at)
    at.button(key="plan_save").click().run()
    assert not at.exception, at.exception
    plans = _plans(folder)
    (zone,) = plans.content(plans.current().plan_id).zones
    assert zone.kind == "sterile" and zone.radius_m == 300
    assert zone.geometry.equals(shapely.Point(106.11, -2.13))
    moved = {"type": "Point", "coordinates": [106.12, -2.14]}
    edited = {"zone_id": zone.zone_id, "geometry": moved, "radius": 450}
    _report(at, {"posko": "zones_edited", "seq": 3, "zones": [edited]}, None)
    at.run()
    assert _unsaved(at)
    at.button(key="plan_save").click().run()
    (zone,) = plans.content(plans.current().plan_id).zones
    assert zone.radius_m == 450 and zone.geometry.equals(shapely.geometry.shape(moved))
    _report(at, {"posko": "zones_deleted", "seq": 4, "zone_ids": [zone.zone_id]}, None)
    at.run()
    at.button(key="plan_save").click().run()
    assert plans.content(plans.current().plan_id).zones == ()


def test_the_radius_belongs_to_the_plan(folder) -> None:
    at = _open(folder)
    at.slider(key="radius_polsek").set_value(4000).run()
    assert _unsaved(at)
    at.button(key="plan_save").click().run()  # in the name of the local user
    assert not at.exception, at.exception
    assert _plans(folder).list()[0].saved_by == WHO
    assert not _unsaved(at)
    again = _open(folder)  # another tab, or the page reloaded
    assert again.slider(key="radius_polsek").value == 4000
    assert _metric(again, UNCOVERED) == _metric(at, UNCOVERED)


def test_copy_rename_status_current_and_rollback(folder) -> None:
    at = _open(folder)
    at.text_input(key="plan_new_name").set_value("Rencana B")
    at.button(key="plan_new_copy").click().run()
    assert not at.exception, at.exception
    plans = _plans(folder)
    copy = plans.find("Rencana B")
    assert at.selectbox(key="plan_choice").value == copy.plan_id
    at.text_input(key="plan_rename").set_value("Rencana Barat")
    at.button(key="plan_rename_go").click().run()
    at.selectbox(key="plan_status").set_value("proposed")
    at.button(key="plan_status_go").click().run()
    at.button(key="plan_current").click().run()
    assert not at.exception, at.exception
    info = _plans(folder).find("Rencana Barat")
    assert (info.plan_id, info.status, info.current) == (copy.plan_id, "proposed", True)
    assert any("Rencana Barat" in c.value and "berlaku" in c.value for c in at.caption)
    at.slider(key="radius_polsek").set_value(4000).run()
    at.button(key="plan_save").click().run()
    saved = _plans(folder).find("Rencana Barat")
    assert saved.version == info.version + 1
    at.selectbox(key="plan_rollback_to").set_value(1)
    assert at.button(key="plan_rollback").disabled  # until the rollback is confirmed
    at.checkbox(key="plan_rollback_ok").check().run()
    at.button(key="plan_rollback").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    rolled = _plans(folder).find("Rencana Barat")
    assert rolled.version == saved.version + 1
    assert at.slider(key="radius_polsek").value == sample_radii()["polsek"]


def test_a_selected_post_gets_its_own_radius_and_can_be_deleted(folder) -> None:
    at = _open(folder)
    at.session_state["edit_mode"] = "edit"
    at.session_state["selected_site"] = "POST-MAKO"
    at.run()
    at.number_input(key="post_radius_POST-MAKO").set_value(5000)
    _button(at, "Terapkan").click().run()
    assert not at.exception, at.exception
    sites = sample_sites()
    sites.loc[sites["site_id"] == "POST-MAKO", "radius_m"] = 5000.0
    expected = int((~reach(sites, sample_radii(), "polling_station")).sum())
    assert _metric(at, UNCOVERED) == str(expected)
    at.button(key="delete_POST-MAKO").click().run()
    assert not at.exception, at.exception
    gone = sample_sites()
    gone = gone[gone["site_id"] != "POST-MAKO"]
    assert _metric(at, UNCOVERED) == str(
        int((~reach(gone, sample_radii(), "polling_station")).sum())
    )


def test_choosing_another_plan_shows_it_with_its_own_choices(folder) -> None:
    at = _open(folder)
    at.text_input(key="plan_new_name").set_value("Rencana B")
    at.button(key="plan_new_copy").click().run()
    at.slider(key="radius_polsek").set_value(4000).run()
    assert at.selectbox(key="plan_choice").disabled  # unsaved edits: save or discard first
    at.button(key="plan_save").click().run()
    initial = next(p for p in _plans(folder).list() if p.name == "Rencana awal")
    at.selectbox(key="plan_choice").set_value(initial.plan_id).run()
    assert not at.exception, at.exception
    assert any("Rencana awal" in c.value for c in at.caption)
    assert at.slider(key="radius_polsek").value == sample_radii()["polsek"]
    at.slider(key="radius_polsek").set_value(3000).run()
    at.button(key="plan_discard").click().run()
    assert not _unsaved(at)
    assert at.slider(key="radius_polsek").value == sample_radii()["polsek"]


def test_the_planners_name_is_asked_where_the_plan_tools_are(folder) -> None:
    at = _open(folder)
    at.text_input(key="plan_new_name").set_value("Rencana B")
    at.button(key="plan_new_copy").click().run()
    assert not at.exception, at.exception
    at = _open(folder)  # a reload: a new session, nothing unsaved
    copy = _plans(folder).find("Rencana B")
    at.selectbox(key="plan_choice").set_value(copy.plan_id).run()
    assert not _plans(folder).find("Rencana B").current
    at.button(key="plan_current").click().run()
    assert not at.exception, at.exception
    assert _plans(folder).find("Rencana B").current


def test_a_refused_save_says_when_the_other_save_was_made(folder) -> None:
    at = _open(folder)
    at.slider(key="radius_polsek").set_value(4000).run()
    at.button(key="plan_save").click().run()
    other = _open(folder)
    other.slider(key="radius_polsek").set_value(3000).run()
    other.button(key="plan_save").click().run()  # saved first
    at.slider(key="radius_polsek").set_value(5000).run()
    at.button(key="plan_save").click().run()
    assert not at.exception, at.exception
    wib = datetime.timezone(datetime.timedelta(hours=7))  # the sample's zone (Pangkalpinang)
    saved = _plans(folder).list()[0].saved_at.astimezone(wib)
    message = next(e.value for e in at.error if "sudah disimpan" in e.value)
    assert saved.strftime("%d-%m-%Y %H:%M") in message
    assert saved.isoformat(timespec="seconds") not in message  # no raw ISO time


def _downloads(at: AppTest, monkeypatch) -> dict[str, object]:
    """Run the page again, keeping each download button's data (clicked: called) by key."""
    made: dict[str, object] = {}
    real = st.download_button

    def spy(label, data=None, *args, key=None, **kwargs):
        made[key] = data
        return real(label, data, *args, key=key, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at.run()
    assert not at.exception, at.exception
    return made


def _briefing(at: AppTest, monkeypatch, operation: str) -> tuple[str, str]:
    """Click the briefing download: its file and the audit record of the export."""
    html = _downloads(at, monkeypatch)["download_brief"]()
    return html, audit.entries(operation)[0].what


def test_the_briefing_names_the_plan_and_its_unsaved_changes(folder, monkeypatch) -> None:
    key = load_operation(folder).key
    at = _open(folder)
    at.slider(key="radius_polsek").set_value(4000).run()
    at.button(key="plan_save").click().run()  # the initial plan becomes a saved plan
    assert not at.exception, at.exception
    version = _plans(folder).current().version
    html, what = _briefing(at, monkeypatch, key)
    head = html.split('<div class="brief-head">')[1].split('<div class="sub">')[0]
    assert "Rencana: Rencana awal (" in head and f"· versi {version}</div>" in head
    assert "belum disimpan" not in head
    assert what == f"briefing of plan 'Rencana awal' v{version}, A4"
    at.slider(key="radius_polsek").set_value(3000).run()
    html, what = _briefing(at, monkeypatch, key)
    head = html.split('<div class="brief-head">')[1].split('<div class="sub">')[0]
    assert f"· versi {version}</div>" in head
    assert "Termasuk perubahan yang belum disimpan" in head
    assert what == f"briefing of plan 'Rencana awal' v{version} with unsaved changes, A4"


def _as_role(monkeypatch, role: Role) -> None:
    """The session's user has `role` on every operation (sign-in itself is tested elsewhere)."""
    actor = Actor(name="Bripka Dewi", role=role, grants=frozenset({"*"}), method="local")
    monkeypatch.setattr(signin, "session_actor", lambda settings, state: actor)


def _panel_buttons(at: AppTest) -> set[str]:
    keys = {b.key for b in at.button}
    return keys & {"plan_save", "plan_discard", "plan_new_empty", "plan_rename_go"}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PLANNER])
def test_a_viewer_gets_no_plan_tools_and_a_what_if_that_says_so(folder, monkeypatch, role) -> None:
    _as_role(monkeypatch, role)
    at = _open(folder)
    viewer = role is Role.VIEWER
    assert bool(_panel_buttons(at)) is not viewer
    assert ("edit_mode" in {w.key for w in at.segmented_control}) is not viewer
    at.slider(key="radius_polsek").set_value(4000).run()
    assert not at.exception, at.exception
    assert _unsaved(at) is not viewer
    view_only = any("Tampilan saja — tidak dapat disimpan" in c.value for c in at.caption)
    assert view_only is viewer
    assert bool(_panel_buttons(at)) is not viewer


def test_tables_export_only_through_audited_buttons(folder, monkeypatch) -> None:
    at = _open(folder)
    assert NO_TABLE_TOOLBAR_CSS in [e.proto.body for e in at.get("html")]
    assert '[data-testid="stElementToolbar"] { display: none' in NO_TABLE_TOOLBAR_CSS
    csv = _downloads(at, monkeypatch)["uncovered_csv"]()
    assert csv.splitlines()[0].startswith(t("col.tps_no", "id"))
    assert len(csv.splitlines()) == 1 + int(_metric(at, UNCOVERED))
    assert audit.entries(load_operation(folder).key)[0].what == "uncovered TPS table"


def _post_form(at: AppTest, site_id: str, **values: object) -> None:
    """Fill the selected post's form (type, unit, phases) and apply it."""
    if "post_type" in values:
        at.selectbox(key=f"post_type_{site_id}").set_value(values["post_type"])
    if "unit" in values:
        at.selectbox(key=f"post_unit_{site_id}").set_value(values["unit"])
    if "phases" in values:
        at.multiselect(key=f"post_phases_{site_id}").set_value(values["phases"])
    _button(at, "Terapkan").click().run()
    assert not at.exception, at.exception


def test_a_post_gets_a_reserve_unit_and_phases_saved_with_the_plan(folder) -> None:
    at = _open(folder)
    at.session_state["edit_mode"] = "edit"
    at.session_state["selected_site"] = "POST-PAM-PASAR"
    at.run()
    unit = at.selectbox(key="post_unit_POST-PAM-PASAR")
    assert unit.value is None and "Brimob" in unit.options  # the catalog's labels
    phases = at.multiselect(key="post_phases_POST-PAM-PASAR")
    assert phases.value == [] and phases.options[0] == "Persiapan"
    assert phases.placeholder == "Semua tahapan"  # none chosen: every phase
    _post_form(at, "POST-PAM-PASAR", post_type="reserve", unit="brimob", phases=["rekapitulasi"])
    assert not at.error, [e.value for e in at.error]
    assert _unsaved(at)
    at.button(key="plan_save").click().run()
    assert not at.exception, at.exception
    plans = _plans(folder)
    saved = plans.content(plans.list()[0].plan_id).posts
    row = saved[saved["site_id"] == "POST-PAM-PASAR"].iloc[0]
    assert (row["post_type"], row["unit"], row["phases"]) == ("reserve", "brimob", "rekapitulasi")
    again = _open(folder)  # the page reloaded: the form shows what was saved
    again.session_state["edit_mode"] = "edit"
    again.session_state["selected_site"] = "POST-PAM-PASAR"
    again.run()
    assert again.selectbox(key="post_unit_POST-PAM-PASAR").value == "brimob"
    assert again.multiselect(key="post_phases_POST-PAM-PASAR").value == ["rekapitulasi"]
    # the reserve counts apart from static guards, with its unit's label
    reserves = next(d.value for d in again.dataframe if "Pangkalan" in d.value.columns)
    assert (
        dict(zip(reserves["Pangkalan"], reserves["Satuan"], strict=True))["Pos Pam Pasar Pagi"]
        == "Brimob"
    )
    # every phase again: the phases emptied
    _post_form(again, "POST-PAM-PASAR", phases=[])
    posts = again.session_state["plan_draft"].content.posts
    assert posts.loc[posts["site_id"] == "POST-PAM-PASAR", "phases"].isna().all()


def test_a_unit_on_a_post_that_is_no_reserve_is_refused(folder) -> None:
    at = _open(folder)
    at.session_state["edit_mode"] = "edit"
    at.session_state["selected_site"] = "POST-PAM-PASAR"
    at.run()
    _post_form(at, "POST-PAM-PASAR", unit="dalmas")
    assert "hanya untuk pasukan cadangan" in at.error[0].value
    assert not _unsaved(at)  # nothing changed
    posts = at.session_state["plan_draft"].content.posts
    assert posts.loc[posts["site_id"] == "POST-PAM-PASAR", "unit"].isna().all()
