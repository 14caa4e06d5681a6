"""The Streamlit app through AppTest: every page runs, and the figures shown are the ones a
brute-force count gives (`tests.brute_force`, which uses no coverage or staffing code)."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import tomllib
from argparse import Namespace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import cli
from geo.model import RISKS, Risk
from geo.operation import SAMPLE_OPERATION, load_operation, store_for
from geo.staffing import WAREHOUSE_POLRI, preset_label, resolve_preset
from geo.text import format_int, format_share, label, t
from pages import registry
from pages.registry import PAGES, PageSpec
from tests.brute_force import (
    TYPICAL_2024,
    TYPICAL_MIN_POLRI,
    polri_needed,
    reach,
    sample_radii,
    sample_sites,
    uncovered_tps,
)
from tests.lists import kpu_list

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MAP_PAGE = "pages/map_page.py"
IMPORT_PAGE = "pages/import_page.py"

# --- app fixtures -----------------------------------------------------------------------


@pytest.fixture
def app() -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def import_page(tmp_path, monkeypatch) -> AppTest:
    """The import page of a scratch copy of the sample operation, after its first run."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("POSKO_USER", "Bag Ops Review")
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.run()
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception, at.exception
    return at


def _table_with(at: AppTest, column: str):
    """The dataframe shown with a given column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _tps_total() -> int:
    return int((sample_sites()["kind"] == "polling_station").sum())


# --- pages and navigation ---------------------------------------------------------------


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_every_page_renders(spec: PageSpec, app: AppTest) -> None:
    app.switch_page(f"pages/{spec.script}").run()
    assert not app.exception, app.exception
    assert app.title[0].value.startswith("Pilkada 2024")  # the frame's banner on every page
    on_import = any(h.value == "Impor data lokasi" for h in app.header)
    on_map = any(m.label == "TPS tak terjangkau" for m in app.metric)
    assert (on_import, on_map) == (spec.key == "import", spec.key == "map")


def test_a_page_left_out_of_the_registry_cannot_be_reached(monkeypatch) -> None:
    monkeypatch.setattr(registry, "PAGES", tuple(p for p in PAGES if p.key != "import"))
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page(IMPORT_PAGE)
    assert not any(h.value == "Impor data lokasi" for h in at.header)


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.key)
def test_pages_import_as_modules(spec: PageSpec) -> None:
    module = importlib.import_module(f"pages.{Path(spec.script).stem}")
    assert callable(module.render)
    assert spec.path.is_file()


def test_posko_serve_runs_the_shipped_app(monkeypatch) -> None:
    calls = []

    def replace(cmd: list[str], cwd: Path) -> None:
        calls.append((cmd, cwd))
        raise SystemExit(0)

    monkeypatch.setattr(cli, "_replace_process", replace)
    with pytest.raises(SystemExit):
        cli.cmd_serve(Namespace(port=8600, address="127.0.0.1"))
    ((command, cwd),) = calls
    app = Path(command[command.index("run") + 1])
    assert app == cli.APP and app.is_file() and app.name == "app.py"
    assert (app.parent / "pages" / "registry.py").is_file()
    assert Path(cwd) == app.parent
    with (ROOT / "pyproject.toml").open("rb") as f:
        setuptools = tomllib.load(f)["tool"]["setuptools"]
    assert "pages" in setuptools["packages"] and "app" in setuptools["py-modules"]
    # the options of .streamlit/config.toml travel as flags (an installed app has no such file)
    with (ROOT / ".streamlit" / "config.toml").open("rb") as f:
        config = tomllib.load(f)
    options = command[command.index("run") + 2 :]
    flags = dict(zip(options[::2], options[1::2], strict=True))
    wanted = {f"--{section}.{name}" for section, options in config.items() for name in options}
    assert set(flags) - {"--server.port", "--server.address"} == wanted
    for section, options in config.items():
        for name, value in options.items():
            expected = str(value).lower() if isinstance(value, bool) else str(value)
            assert flags.get(f"--{section}.{name}") == expected, (section, name)


# --- the map page -----------------------------------------------------------------------


def test_runs_and_shows_the_sample(app: AppTest) -> None:
    assert app.title[0].value.startswith("Pilkada 2024")
    caution = [m.value for m in app.markdown if "posko-caution" in m.value]
    assert len(caution) == 1 and "DATA CONTOH" in caution[0]  # one line, not a big box
    assert not app.warning


def test_headline_figures_match_a_brute_force_count(app: AppTest) -> None:
    sites = sample_sites()
    radii = sample_radii()
    uncovered = uncovered_tps(radii)
    total = _tps_total()
    assert _metric(app, "TPS tak terjangkau") == str(uncovered)
    assert _metric(app, "TPS terjangkau") == format_share((total - uncovered) / total, "id")
    demo = reach(sites, radii, "demonstration_point")
    assert _metric(app, t("metric.demo_beyond", "id")) == f"{(~demo).sum()} / {len(demo)}"
    assert len(_table_with(app, "Pos terdekat")) == uncovered


def test_radius_change_gives_the_brute_force_count_without_reloading(
    app: AppTest, monkeypatch
) -> None:
    import geo.operation

    calls = []
    original = geo.operation.load_operation
    monkeypatch.setattr(geo.operation, "load_operation", lambda p: calls.append(p) or original(p))
    app.slider(key="radius_polsek").set_value(4000).run()
    assert not app.exception
    expected = uncovered_tps({**sample_radii(), "polsek": 4000.0})
    assert expected != uncovered_tps(sample_radii())  # the change matters for the sample
    assert _metric(app, "TPS tak terjangkau") == str(expected)
    assert calls == []  # the loaded operation came from the cache


def test_switching_language_changes_labels(app: AppTest) -> None:
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    labels = {m.label for m in app.metric}
    assert "TPS covered" in labels
    assert "TPS terjangkau" not in labels
    assert any("SAMPLE DATA" in m.value for m in app.markdown)


def _sample_in_language(tmp_path: Path, monkeypatch, name: str, language: str) -> AppTest:
    """The app run on a workspace copy of the sample whose settings say `language`."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / name)
    settings = tmp_path / name / "operation.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('language = "id"', f'language = "{language}"'),
        encoding="utf-8",
    )
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = name
    return at.run()


def test_a_new_session_starts_in_the_operation_language(tmp_path, monkeypatch) -> None:
    at = _sample_in_language(tmp_path, monkeypatch, "english", "en")
    assert not at.exception, at.exception
    assert at.radio(key="lang").value == "en"
    assert "TPS covered" in {m.label for m in at.metric}
    at.radio(key="lang").set_value("id").run()  # the sidebar still decides afterwards
    assert "TPS terjangkau" in {m.label for m in at.metric}


def test_an_operation_that_does_not_load_shows_why(tmp_path, monkeypatch) -> None:
    at = _sample_in_language(tmp_path, monkeypatch, "rusak", "fr")
    assert not at.exception, at.exception
    assert any("operation.language" in e.value and "'fr'" in e.value for e in at.error)
    assert not at.metric  # no page ran
    at.selectbox(key="operation").set_value(SAMPLE_OPERATION.name).run()
    assert not at.exception, at.exception
    assert at.radio(key="lang").value == "id"
    assert _metric(at, "TPS tak terjangkau") == str(uncovered_tps(sample_radii()))


def test_headline_sum_adds_up_to_posko_staffing_json(app: AppTest) -> None:
    script = Path(sys.executable).parent / "posko"
    command = [str(script)] if script.exists() else [sys.executable, str(ROOT / "cli.py")]
    done = subprocess.run(
        [*command, "staffing", "--json"], check=True, capture_output=True, text=True
    )
    report = json.loads(done.stdout)
    warehouse_guards = report["polri"] - report["polri_tps"]
    assert warehouse_guards == report["warehouses"] * WAREHOUSE_POLRI  # the sum is complete
    assert _metric(app, "Polri dibutuhkan") == format_int(report["polri"], "id")
    preset = preset_label(resolve_preset(load_operation().settings, report["preset"]), "id")
    expected = (
        f"{format_int(report['polri_tps'], 'id')} jaga TPS + {warehouse_guards} jaga gudang PPK "
        f"({report['warehouses']} gudang) = {format_int(report['polri'], 'id')} · pola {preset}"
    )
    assert expected in [c.value for c in app.caption]


def test_every_assumption_is_named_under_the_figures(app: AppTest) -> None:
    app.slider(key="radius_polsek").set_value(4000).run()
    app.number_input(key="weight_rawan").set_value(7.5).run()
    assert not app.exception, app.exception
    line = next(c.value for c in app.caption if c.value.startswith("Asumsi:"))
    assert "Polsek 4.000" in line
    assert "Mako Polres/Polresta 2.500" in line
    assert "1 / 7,5 /" in line  # the Indonesian decimal comma
    assert "pola Umum 2024" in line  # the preset, named in Bahasa Indonesia


def test_a_row_of_the_uncovered_list_selects_that_tps(app: AppTest) -> None:
    table = _table_with(app, "Pos terdekat")
    row = 3
    app.session_state["uncovered_table"] = {"selection": {"rows": [row], "columns": []}}
    app.run()
    assert not app.exception, app.exception
    sites = sample_sites()
    chosen = sites[
        (sites["kind"] == "polling_station")
        & (sites["name"] == table["Nama"].iloc[row])
        & (sites["kelurahan"] == table["Kelurahan"].iloc[row])
    ]
    (site_id,) = chosen["site_id"]
    assert app.session_state["selected_site"] == site_id
    shown = app.table[0].value
    assert site_id in shown.iloc[:, 0].tolist()
    assert table["Nama"].iloc[row] in next(m.value for m in app.markdown if "**" in m.value)


def test_the_language_switch_keeps_every_choice(app: AppTest) -> None:
    app.slider(key="radius_polsek").set_value(4000).run()
    app.selectbox(key="basemap").set_value("none").run()
    app.radio(key="lang").set_value("en").run()
    assert not app.exception, app.exception
    assert app.slider(key="radius_polsek").value == 4000
    assert app.selectbox(key="basemap").value == "none"
    assert app.selectbox(key="basemap").format_func("none") == "No basemap (offline)"
    assert app.selectbox(key="operation").value == SAMPLE_OPERATION.name
    assert app.radio(key="lang").value == "en"
    assert app.selectbox(key="preset").value == app.session_state["preset"]


def test_selected_site_shows_details(app: AppTest) -> None:
    app.session_state["selected_site"] = "TPS-19.71.01.1004-001"
    app.run()
    assert not app.exception
    shown = app.table[0].value
    assert "TPS-19.71.01.1004-001" in shown.iloc[:, 0].tolist()


def test_staffing_panel_matches_the_preset_table(app: AppTest) -> None:
    expected = polri_needed(TYPICAL_2024, TYPICAL_MIN_POLRI)
    assert _metric(app, "Polri dibutuhkan") == format_int(expected, "id")
    table = _table_with(app, "Kekurangan")
    assert _metric(app, "Kekurangan Polri") == format_int(int(table["Kekurangan"].sum()), "id")
    areas = gpd.read_file(SAMPLE_OPERATION / "areas.geojson")
    assert len(table) == int((areas["level"] == "kecamatan").sum())


def test_editing_the_preset_gives_the_hand_derived_need(app: AppTest) -> None:
    app.session_state["preset_edits"] = {
        "edited_rows": {0: {"tps": 4}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception, app.exception
    edited = {**TYPICAL_2024, "kurang_rawan": (2, 4, 16)}  # groups of 4 TPS instead of 8
    expected = polri_needed(edited, TYPICAL_MIN_POLRI)
    assert expected != polri_needed(TYPICAL_2024, TYPICAL_MIN_POLRI)
    assert _metric(app, "Polri dibutuhkan") == format_int(expected, "id")


def test_weights_give_the_hand_derived_weighted_score(app: AppTest) -> None:
    app.number_input(key="weight_kurang_rawan").set_value(0.0).run()
    assert not app.exception, app.exception
    weights = {r: app.number_input(key=f"weight_{r}").value for r in TYPICAL_2024}
    sites = sample_sites()
    tps = sites[sites["kind"] == "polling_station"]
    covered = reach(sites, sample_radii(), "polling_station")
    reached = sum(weights[r] for r, c in zip(tps["risk"], covered, strict=True) if c)
    score = reached / sum(weights[r] for r in tps["risk"])
    caption = next(c.value for c in app.caption if "berbobot" in c.value)
    assert format_share(score, "id") in caption
    assert weights["kurang_rawan"] == 0.0


def test_choices_survive_a_visit_to_the_import_page(app: AppTest) -> None:
    app.slider(key="radius_polsek").set_value(4000).run()
    app.switch_page(IMPORT_PAGE).run()
    assert not app.exception, app.exception
    assert not [m for m in app.metric if m.label == "TPS tak terjangkau"]
    app.switch_page(MAP_PAGE).run()
    assert not app.exception, app.exception
    assert app.slider(key="radius_polsek").value == 4000
    expected = uncovered_tps({**sample_radii(), "polsek": 4000.0})
    assert _metric(app, "TPS tak terjangkau") == str(expected)


def test_selected_post_shows_itsreach(app: AppTest) -> None:
    app.session_state["selected_site"] = "POST-MAKO"
    app.run()
    assert not app.exception, app.exception
    shown = dict(zip(app.table[0].value.index, app.table[0].value.iloc[:, 0], strict=True))
    assert shown["Radius (m)"] == format_int(int(sample_radii()["mako"]), "id")
    assert shown["Jenis pos"] == "Mako Polres/Polresta"
    sites = sample_sites()
    alone = reach(
        sites[(sites["kind"] != "police_post") | (sites["site_id"] == "POST-MAKO")],
        sample_radii(),
        "polling_station",
    )
    assert shown["TPS dalam jangkauan"] == format_int(int(alone.sum()), "id")


# --- many tabs on one process: the plan as saved is drawn once -------------------------


def _map_args(at: AppTest) -> dict:
    """The arguments the map component was drawn with (its JSON)."""
    (found,) = [
        e.proto
        for e in at.get("component_instance")
        if e.proto.component_name.endswith("st_folium")
    ]
    return json.loads(found.json_args)


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The widget key of every map rendered (not taken from the process's cache)."""
    from pages import map_component

    real = map_component.render_base
    seen: list[str] = []

    def counted(m, key: str, **kwargs):
        seen.append(key)
        return real(m, key, **kwargs)

    monkeypatch.setattr(map_component, "render_base", counted)
    st.cache_data.clear()
    st.cache_resource.clear()
    return seen


def _tab(*, rows: int = 0) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if rows:  # a row of the uncovered list picked: the tab rings that TPS on the map
        at.session_state["uncovered_table"] = {"selection": {"rows": [rows], "columns": []}}
        at.run()
    assert not at.exception, at.exception
    return at


def test_tabs_showing_the_plan_as_saved_share_one_rendered_map(renders) -> None:
    first, second = _tab(), _tab(rows=3)
    assert renders == ["map"]  # the second tab took the first's map
    one, two = _map_args(first), _map_args(second)
    assert {k: v for k, v in one.items() if k not in {"feature_group", "center", "zoom"}} == {
        k: v for k, v in two.items() if k not in {"feature_group", "center", "zoom"}
    }
    # the same overlays; then each tab's own: only the second rings a picked TPS
    assert two["feature_group"].startswith(one["feature_group"])
    assert len(two["feature_group"]) > len(one["feature_group"])
    assert (one["center"], two["center"] is not None) == (None, True)
    assert _table_with(first, "Pos terdekat").equals(_table_with(second, "Pos terdekat"))


def test_a_tab_with_its_own_choices_or_edits_draws_its_own_map(renders) -> None:
    viewer, planner = _tab(), _tab()
    kept = _map_args(viewer)
    planner.radio(key="lang").set_value("en").run()  # another language: another map
    assert renders == ["map", "map"]
    planner.slider(key="radius_polsek").set_value(4000).run()  # an edit: the tab's own
    assert not planner.exception, planner.exception
    assert renders == ["map", "map", "map"]
    assert _map_args(planner)["feature_group"] != kept["feature_group"]
    viewer.run()  # the viewer still sees the plan as saved, from the shared map
    assert renders == ["map", "map", "map"]
    assert _map_args(viewer) == kept


# --- the import page --------------------------------------------------------------------


def test_import_page_upload_fix_and_save(import_page: AppTest) -> None:
    at = import_page
    swapped = "nama;lintang;bujur;kerawanan\n" + "\n".join(
        f"TPS 9{i} Baru;106.14{i};-2.13{i};rawan" for i in range(5)
    )
    at.file_uploader(key="imp_upload").set_value(("baru.csv", swapped.encode(), "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("polling_station").run()
    assert not at.exception, at.exception
    assert _metric(at, "Ditolak") == "5"
    assert any("tertukar" in e.value for e in at.error)
    at.button(key="fix_swap_axes").click().run()
    assert _metric(at, "Diterima") == "5"
    assert _metric(at, "Jumlah TPS") == format_int(_tps_total() + 5, "id")  # the summary
    assert at.button(key="imp_save").disabled  # not before the change is confirmed
    confirm = at.checkbox(key="imp_confirm")
    assert "5 lokasi baru" in confirm.label and f"menjadi {_tps_total() + 5}" in confirm.label
    confirm.check().run()
    at.button(key="imp_save").click().run()
    assert not at.exception, at.exception
    saved = [s.value for s in at.success]
    # a success with the new version and the new figures, not "nothing changes"
    assert any("versi 2" in v and f"{format_int(_tps_total() + 5, 'id')} TPS" in v for v in saved)
    assert not any("Tidak ada perubahan" in i.value for i in at.info)
    at.switch_page(MAP_PAGE).run()
    assert not at.exception, at.exception
    assert any(f"dari {_tps_total() + 5}" in c.value for c in at.caption)


def test_the_same_list_again_says_no_change_as_a_note(import_page: AppTest, tmp_path) -> None:
    at = import_page
    written = kpu_list(load_operation(tmp_path / "latihan"), tmp_path / "daftar_tps.csv", new=0)
    data = written.path.read_bytes()
    at.file_uploader(key="imp_upload").set_value(("daftar_tps.csv", data, "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("polling_station").run()
    assert not at.exception, at.exception
    assert any(
        i.value == "Tidak ada perubahan — daftar ini sudah sama dengan operasi." for i in at.info
    )
    assert not at.error and not at.success
    assert not [b for b in at.button if b.key == "imp_save"]
    results = _table_with(at, "Hasil")
    assert results.empty  # unchanged rows are filtered out by default
    at.multiselect(key="imp_filter_match").set_value(["unchanged"]).run()
    results = _table_with(at, "Hasil")
    assert len(results) == len(written.existing) and set(results["Hasil"]) == {"tetap"}


def test_the_kind_choice_outlives_a_new_upload(import_page: AppTest) -> None:
    at = import_page
    first = b"nama;lintang;bujur\nTPS 901 Baru;-2.131;106.141\n"
    at.file_uploader(key="imp_upload").set_value(("satu.csv", first, "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("polling_station").run()
    assert _metric(at, "Diterima") == "1"
    second = "nama;lintang;bujur\nTPS 902 Baru;-2.132;106.142\nTPS 903 Baru;-2.133;106.143\n"
    at.file_uploader(key="imp_upload").set_value(("dua.csv", second.encode(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="imp_kind").value == "polling_station"
    assert _metric(at, "Diterima") == "2"
    at.switch_page(MAP_PAGE).run()
    at.switch_page(IMPORT_PAGE).run()
    assert at.session_state["imp_kind"] == "polling_station"  # kept while on the map page
    at.file_uploader(key="imp_upload").set_value(("satu.csv", first, "text/csv"))
    at.run()
    assert at.selectbox(key="imp_kind").value == "polling_station"
    assert _metric(at, "Diterima") == "1"


def test_unknown_post_types_are_chosen_on_the_page(import_page: AppTest) -> None:
    at = import_page
    data = "nama;jenis_pos;lintang;bujur\nPos Lantas Simpang;Pos Lantas;-2.139;106.142\n"
    at.file_uploader(key="imp_upload").set_value(("pos.csv", data.encode(), "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("police_post").run()
    assert _metric(at, "Ditolak") == "1"
    choice = next(s for s in at.selectbox if s.label == "Pos Lantas")
    assert choice.value == ""  # rejected until the planner chooses
    choice.set_value("pos_pam").run()
    assert not at.exception, at.exception
    assert _metric(at, "Diterima") == "1" and _metric(at, "Ditolak") == "0"
    results = _table_with(at, "Hasil")
    assert results["Hasil"].tolist() == ["baru"]


def test_a_far_list_accepted_by_count_is_said_in_the_summary(
    import_page: AppTest, tmp_path: Path
) -> None:
    at = import_page
    rows = "\n".join(f"Precinct {i};42.3{i};-71.06" for i in range(4))
    data = f"nama;lintang;bujur\n{rows}".encode()
    at.file_uploader(key="imp_upload").set_value(("us.csv", data, "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("polling_station").run()
    at.number_input(key="imp_accept_far").set_value(4).run()
    assert not at.exception, at.exception
    assert _metric(at, "Diterima") == "4"
    cautions = [w.value for w in at.warning if w.value.startswith("PERHATIAN")]
    assert any("4 baris diterima walaupun di luar wilayah operasi" in c for c in cautions)
    assert any("4 baris yang diterima berada di luar wilayah operasi" in c for c in cautions)
    far = _table_with(at, "Jarak")
    assert far["Baris"].tolist() == [1, 2, 3, 4] and far["Jarak"].str.contains("km").all()
    assert load_operation(tmp_path / "latihan").version is None


def test_a_spent_time_budget_is_a_message_on_the_page(import_page: AppTest, tmp_path: Path) -> None:
    settings = tmp_path / "latihan" / "operation.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("[import]\n", "[import]\ntime_budget_s = 1e-9\n", 1))
    at = import_page
    at.file_uploader(key="imp_upload").set_value(
        ("tps.csv", b"nama;lintang;bujur\nTPS 1;-2.13;106.14", "text/csv")
    )
    at.run()
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "time_budget_s" in errors and "tps.csv" in errors
    assert load_operation(tmp_path / "latihan").version is None


def test_rollback_on_the_import_page_needs_confirmation(import_page: AppTest) -> None:
    at = import_page
    rows = "\n".join(f"TPS 9{i} Baru;-2.13{i};106.14{i};rawan" for i in range(3))
    data = f"nama;lintang;bujur;kerawanan\n{rows}".encode()
    at.file_uploader(key="imp_upload").set_value(("baru.csv", data, "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("polling_station").run()
    at.checkbox(key="imp_confirm").check().run()
    at.button(key="imp_save").click().run()
    assert any("versi 2" in s.value for s in at.success)
    assert at.button(key="imp_rollback").disabled
    confirm = at.checkbox(key="imp_rollback_confirm")
    assert "versi 1" in confirm.label
    confirm.check().run()
    at.button(key="imp_rollback").click().run()
    assert not at.exception, at.exception
    assert any("dipulihkan sebagai versi 3" in s.value for s in at.success)


def test_the_history_credits_saves_and_rollbacks_not_the_seed(
    import_page: AppTest, tmp_path: Path
) -> None:
    at = import_page  # sign-in is off: the local user ($POSKO_USER) acts
    data = b"nama;lintang;bujur;kerawanan\nTPS 91 Baru;-2.131;106.141;rawan\n"
    at.file_uploader(key="imp_upload").set_value(("baru.csv", data, "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("polling_station").run()
    at.checkbox(key="imp_confirm").check().run()
    at.button(key="imp_save").click().run()
    # another page and back: the upload is gone, who acts is still the same user
    at.switch_page(MAP_PAGE).run()
    at.switch_page(IMPORT_PAGE).run()
    assert not at.text_input  # nobody types a name: it comes from the sign-in
    at.checkbox(key="imp_rollback_confirm").check().run()
    at.button(key="imp_rollback").click().run()
    assert not at.exception, at.exception
    history = store_for(tmp_path / "latihan").history()
    assert [v.who for v in history] == ["", "Bag Ops Review", "Bag Ops Review"]
    shown = _table_with(at, "Oleh")  # in the page's language, the seed credited to no one
    assert shown["Oleh"].tolist() == ["—", "Bag Ops Review", "Bag Ops Review"]
    assert shown["Tindakan"].tolist() == ["awal", "impor", "pemulihan"]
    assert shown["Catatan"].tolist() == [
        "lokasi bawaan folder operasi",
        "tambah/perbarui lewat pencocokan",
        "pemulihan ke versi 1",
    ]


def test_a_change_that_moves_no_figure_shows_no_arrow(import_page: AppTest) -> None:
    at = import_page
    data = b"nama;lintang;bujur\nKantor Camat Baru;-2.131;106.141\n"
    at.file_uploader(key="imp_upload").set_value(("kantor.csv", data, "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("government").run()
    assert not at.exception, at.exception
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Jumlah TPS"] == "" and deltas["TPS terjangkau"] == ""  # no arrow
    assert deltas["TPS tak terjangkau"] == ""


def test_a_far_away_list_is_refused_and_the_version_unchanged(
    import_page: AppTest, tmp_path: Path
) -> None:
    at = import_page
    rows = "\n".join(f"Precinct {i};42.3{i};-71.06" for i in range(4))
    data = f"nama;lintang;bujur\n{rows}".encode()
    at.file_uploader(key="imp_upload").set_value(("us.csv", data, "text/csv"))
    at.run()
    at.selectbox(key="imp_kind").set_value("polling_station").run()
    assert not at.exception, at.exception
    assert _metric(at, "Ditolak") == "4"
    assert not [b for b in at.button if b.key == "imp_save"]
    findings = _table_with(at, "Temuan")  # one line per code: count, first rows, a message
    far = findings[findings["Kode"] == "far_from_area"].iloc[0]
    assert far["Jumlah baris"] == 4 and far["Baris pertama"] == "1, 2, 3, 4"
    assert "km" in far["Temuan"]  # with its distance
    assert load_operation(tmp_path / "latihan").version is None  # nothing saved
    # said first, and the CRS and risk-column notes folded away behind it
    assert at.error[0].value.startswith("Semua 4 baris berada jauh di luar wilayah operasi")
    assert "apakah ini daftar operasi lain?" in at.error[0].value
    folded = next(e for e in at.expander if e.label.startswith("Temuan lain"))
    assert [w.value for w in folded.warning] == [at.warning[0].value]  # the risk column
    assert [i.value for i in folded.info] == [at.info[0].value]  # the CRS assumed


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("rusak.json", b"{oops", "bukan JSON yang sah"),
        ("kosong.csv", b"", "kosong"),
        ("bukan.zip", b"PK not a zip", "tidak dapat dibaca"),
    ],
)
def test_a_broken_upload_gets_a_message_not_a_traceback(
    import_page: AppTest, name, content, fragment
) -> None:
    at = import_page
    at.file_uploader(key="imp_upload").set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert any(fragment in e.value and name in e.value for e in at.error)


def test_metre_coordinates_fixed_with_the_offered_crs(import_page: AppTest) -> None:
    from pyproj import Transformer

    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32748", always_xy=True)
    rows = []
    for i, (lon, lat) in enumerate([(106.14, -2.138), (106.15, -2.146), (106.12, -2.12)]):
        x, y = to_utm.transform(lon, lat)
        rows.append(f"Pos {i};{x:.1f};{y:.1f};pos pam")
    data = ("nama;x;y;jenis\n" + "\n".join(rows)).encode()
    at = import_page
    at.file_uploader(key="imp_upload").set_value(("pos.csv", data, "text/csv"))
    at.run()
    assert _metric(at, "Ditolak") == "3"
    at.button(key="fix_crs:EPSG:32748").click().run()
    assert not at.exception, at.exception
    assert at.text_input(key="imp_crs").value == "EPSG:32748"
    assert _metric(at, "Diterima") == "3"


@pytest.mark.parametrize(
    ("lang", "expected"), [("id", ["1.234", "87,5", "–"]), ("en", ["1,234", "87.5", "–"])]
)
def test_tables_show_numbers_in_the_page_language(lang: str, expected: list[str]) -> None:
    from pages.map_page import localized_table

    table = pd.DataFrame({"n": [1234, 5], "%": [87.46, float("nan")], "name": ["a", "b"]})
    styled = localized_table(table, lang, decimals={"%": 1})
    shown = styled.to_html()
    for text in expected:
        assert f">{text}<" in shown
    assert styled.data.equals(table)  # the table still sorts by the numbers


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_table_shown_to_many_tabs_reads_the_same_each_time(lang: str) -> None:
    import pyarrow as pa
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    from pages.map_page import localized_table

    table = pd.DataFrame(
        {"n": [1234, 5, 7], "%": [87.46, float("nan"), 3.0], "name": ["a", None, "1.234"]}
    )

    def shown(styler) -> pd.DataFrame:
        proto = ArrowData()
        marshall_styler(proto, styler, "t")
        return pa.ipc.open_stream(proto.styler.display_values).read_pandas()

    alone = shown(localized_table(table, lang, decimals={"%": 1}))
    kept = localized_table(table, lang, decimals={"%": 1}, shared=True)
    assert alone["n"].tolist() == [format_int(1234, lang), "5", "7"]
    for _ in range(2):  # worked out once, then read again by every run
        assert shown(kept).equals(alone)
    assert ">–<" in kept.to_html()  # other uses of the table are translated afresh
    assert kept.data.equals(table)  # and it still sorts by the numbers


# --- review findings: no sites yet, gravest gaps first, labels not codes --------------


def test_an_operation_without_sites_shows_no_share_and_says_so(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    (tmp_path / "baru").mkdir()
    for name in ("operation.toml", "areas.geojson"):
        shutil.copy(SAMPLE_OPERATION / name, tmp_path / "baru" / name)
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "baru"
    at.run()
    assert not at.exception, at.exception
    assert _metric(at, "TPS terjangkau") == "–"
    assert any("(–)" in c.value or "–" in c.value for c in at.caption)
    assert t("operation.no_sites", "id") in [w.value.replace("\\", "") for w in at.warning]
    assert t("app.none_uncovered", "id") not in [s.value for s in at.success]
    assert t("app.no_tps", "id") in [i.value for i in at.info]


def test_the_uncovered_list_puts_the_gravest_first(app: AppTest) -> None:
    table = _table_with(app, "Pos terdekat")
    order = {label("risk", r, "id"): i for i, r in enumerate(reversed(list(RISKS)))}
    ranks = list(zip(table["Kerawanan"].map(order), -table["Jarak (m)"], strict=True))
    assert ranks == sorted(ranks)
    assert len(set(table["Kerawanan"])) > 1  # the sample has gaps of several classes


def test_the_staffing_panel_shows_labels_not_codes(app: AppTest) -> None:
    editor = next(d.value for d in app.dataframe if "risk_label" in d.value.columns)
    assert list(editor["risk_label"]) == [label("risk", r, "id") for r in Risk]
    pick = app.selectbox(key="area_pick_kecamatan_all")  # the drill-down's first level
    assert pick.label == "Pilih kecamatan"
    assert pick.format_func(None) == "Semua kecamatan"
    assert pick.format_func("19.71.01").startswith("Bukit Intan (")
