"""The Streamlit app through AppTest: runs, figures match the CLI, widgets change things."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cli import main
from geo.operation import SAMPLE_OPERATION

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app() -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def import_page(tmp_path, monkeypatch) -> AppTest:
    """The import view of a scratch copy of the sample operation, after its first run."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.session_state["view"] = "import"
    at.run()
    assert not at.exception, at.exception
    return at


def _table_with(at: AppTest, column: str):
    """The dataframe shown with a given column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_runs_and_shows_the_sample(app: AppTest) -> None:
    assert app.title[0].value.startswith("Pilkada 2024")
    assert any("DATA CONTOH" in w.value for w in app.warning)


def test_figures_match_the_cli(app: AppTest, capsys) -> None:
    main(["coverage", "--json"])
    report = json.loads(capsys.readouterr().out)
    tps = report["kinds"]["polling_station"]
    assert _metric(app, "TPS tak terjangkau") == str(tps["uncovered"])
    share = f"{100 * tps['covered'] / tps['total']:.1f}".replace(".", ",") + "\u00a0%"
    assert _metric(app, "TPS terjangkau") == share
    demo = report["kinds"]["demonstration_point"]
    assert (
        _metric(app, "Titik unjuk rasa di luar jangkauan")
        == f"{demo['uncovered']} / {demo['total']}"
    )
    table = _table_with(app, "Pos terdekat")
    assert len(table) == tps["uncovered"]


def test_radius_change_changes_uncovered_without_reloading(app: AppTest, monkeypatch) -> None:
    import geo.operation

    calls = []
    original = geo.operation.load_operation
    monkeypatch.setattr(geo.operation, "load_operation", lambda p: calls.append(p) or original(p))
    before = int(_metric(app, "TPS tak terjangkau"))
    app.slider(key="radius_polsek").set_value(4000).run()
    assert not app.exception
    after = int(_metric(app, "TPS tak terjangkau"))
    assert after < before
    assert calls == []  # the loaded operation came from the cache


def test_switching_language_changes_labels(app: AppTest) -> None:
    app.radio(key="lang").set_value("en").run()
    assert not app.exception
    labels = {m.label for m in app.metric}
    assert "TPS covered" in labels
    assert "TPS terjangkau" not in labels
    assert any("SAMPLE DATA" in w.value for w in app.warning)


def test_selected_site_shows_details(app: AppTest) -> None:
    app.session_state["selected_site"] = "TPS-19.71.01.1004-001"
    app.run()
    assert not app.exception
    shown = app.table[0].value
    assert "TPS-19.71.01.1004-001" in shown.iloc[:, 0].tolist()


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
    at.button(key="imp_save").click().run()
    assert not at.exception, at.exception
    assert any("versi 2" in s.value for s in at.success)
    at.radio(key="view").set_value("map").run()
    assert not at.exception, at.exception
    assert any("dari 316" in c.value for c in at.caption)  # 311 sample TPS + 5 imported


def test_staffing_panel_matches_the_cli(app: AppTest, capsys) -> None:
    main(["staffing", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert _metric(app, "Polri dibutuhkan") == str(report["polri"])
    assert _metric(app, "Kekurangan Polri") == str(report["shortfall"])
    table = _table_with(app, "Kekurangan")
    assert table["Kekurangan"].sum() == report["shortfall"]
    assert len(table) == len(report["areas"])


def test_editing_the_preset_changes_the_need(app: AppTest) -> None:
    before = int(_metric(app, "Polri dibutuhkan"))
    app.session_state["preset_edits"] = {
        "edited_rows": {0: {"tps": 4}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception, app.exception
    after = int(_metric(app, "Polri dibutuhkan"))
    assert after > before  # groups of 4 TPS instead of 8 need more officers


def test_weights_change_the_weighted_score(app: AppTest) -> None:
    score = next(c.value for c in app.caption if "berbobot" in c.value)
    app.number_input(key="weight_kurang_rawan").set_value(0.0).run()
    assert next(c.value for c in app.caption if "berbobot" in c.value) != score


def test_choices_survive_a_visit_to_the_import_page(app: AppTest) -> None:
    app.slider(key="radius_polsek").set_value(4000).run()
    changed = _metric(app, "TPS tak terjangkau")
    app.radio(key="view").set_value("import").run()
    assert not app.exception, app.exception
    app.radio(key="view").set_value("map").run()
    assert not app.exception, app.exception
    assert app.slider(key="radius_polsek").value == 4000
    assert _metric(app, "TPS tak terjangkau") == changed


def test_selected_post_shows_its_reach(app: AppTest) -> None:
    app.session_state["selected_site"] = "POST-MAKO"
    app.run()
    assert not app.exception, app.exception
    shown = dict(zip(app.table[0].value.index, app.table[0].value.iloc[:, 0], strict=True))
    assert shown["Radius (m)"] == "2.500"
    assert shown["Jenis pos"] == "Mako Polres/Polresta"
    assert int(shown["TPS dalam jangkauan"]) > 0


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
