"""The scenarios page under AppTest: the sample's scenarios, their figures and late reserves,
in both languages; an operation without scenarios, and one whose file is invalid."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.operation import SAMPLE_OPERATION
from geo.scenarios import SCENARIOS_FILE

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGE = "pages/scenarios_page.py"


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """A workspace holding a scratch copy of the sample, opened by the app."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    return tmp_path / "latihan"


def _page(lang: str = "id") -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _figures(at: AppTest) -> dict[str, str]:
    table = at.dataframe[0].value
    return dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))


def test_the_page_shows_a_scenario_and_switches_to_another(workspace) -> None:
    at = _page()
    assert at.subheader[0].value == "Skenario unjuk rasa"
    figures = _figures(at)
    assert figures["Personel di ring"] == "205"
    assert figures["Jumlah personel"] == "445"
    assert at.success[0].value == "Semua cadangan tiba dalam 30 menit\\."
    assert "Perkiraan massa\\: 1\\.500 orang \\(asumsi\\)\\." in at.info[0].value
    at.selectbox(key="scenario_pick").set_value("dprd-rekapitulasi").run()
    assert not at.exception, at.exception
    assert _figures(at)["Personel di ring"] == "107"
    assert "BKO Polres Bangka \\(Sungailiat\\)" in at.warning[0].value
    reserves = at.dataframe[2].value
    assert reserves.iloc[-1, 0] == "BKO Polres Bangka (Sungailiat)"


def test_the_page_in_english(workspace) -> None:
    at = _page("en")
    assert at.subheader[0].value == "Demonstration scenarios"
    assert _figures(at)["Personnel on the rings"] == "205"


def test_without_scenarios_the_page_says_how_to_add_them(workspace) -> None:
    (workspace / SCENARIOS_FILE).unlink()
    at = _page()
    assert "scenarios.toml" in at.info[0].value
    assert not at.dataframe


def test_an_invalid_file_is_shown_as_an_error(workspace) -> None:
    path = workspace / SCENARIOS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("ring = 4", "ring = 7"), "utf-8")
    at = _page()
    assert "seharusnya nomor ring 1 sampai 4" in at.error[0].value
    assert not at.dataframe


def test_the_phase_choice_shows_the_scenarios_of_that_phase(workspace) -> None:
    at = _page("en")
    assert at.session_state["map_phase"] == "*"  # today is outside the 2024 timeline: all
    assert at.caption[0].value == "Whole operation (all phases)"
    assert at.selectbox(key="scenario_pick").options == [
        "Unjuk rasa penetapan hasil di Kantor Gubernur",
        "Unjuk rasa rekapitulasi di Gedung DPRD Babel",
    ]
    at.select_slider(key="map_phase").set_value("rekapitulasi").run()
    assert not at.exception, at.exception
    assert at.caption[0].value == "Phase: Recapitulation (29-11-2024 to 16-12-2024)"
    pick = at.selectbox(key="scenario_pick")
    assert pick.options == ["Unjuk rasa rekapitulasi di Gedung DPRD Babel"]
    assert pick.value == "dprd-rekapitulasi"  # the Governor's scenario is not of this phase
    assert _figures(at)["Personnel on the rings"] == "107"
    at.select_slider(key="map_phase").set_value("kampanye").run()
    assert at.info[0].value == (
        "No demonstration scenario in the Campaign phase; move to another phase or to all phases."
    )
    assert not at.dataframe  # no scenario drawn
