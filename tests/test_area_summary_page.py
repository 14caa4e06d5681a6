"""The map page's summary by area: drill-down sums, the uncovered list of the chosen area
(bounded, gravest first), and the downloads of the full lists and the briefing zip."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo import audit
from geo.summary import AreaScope, area_summary, uncovered_table
from geo.text import t

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BUKIT_INTAN = "19.71.01"


@pytest.fixture
def app() -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _downloads(at: AppTest, monkeypatch) -> dict[str, object]:
    """Run the page again, keeping each download button's data by key."""
    made: dict[str, object] = {}
    real = st.download_button

    def spy(label, data=None, *args, key=None, **kwargs):
        made[key] = data
        return real(label, data, *args, key=key, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at.run()
    assert not at.exception, at.exception
    return made


def test_choosing_a_kecamatan_shows_its_kelurahan_and_its_uncovered_tps(
    app: AppTest, sample_analysis
) -> None:
    share = t("summary.col.uncovered_share", "id")
    top = _table(app, share)
    assert len(top) == 7  # every kecamatan of Pangkalpinang
    app.selectbox(key="area_pick_kecamatan_all").set_value(BUKIT_INTAN).run()
    assert not app.exception, app.exception
    rows = _table(app, share)
    parent = area_summary(sample_analysis, "kecamatan").set_index("area_code").loc[BUKIT_INTAN]
    children = area_summary(
        sample_analysis, "kelurahan", within=AreaScope("kecamatan", BUKIT_INTAN)
    )
    assert rows[t("col.area", "id")].tolist() == children["area"].tolist()
    for column in ("tps", "covered", "uncovered"):
        shown = rows[t(f"col.{column}", "id")].sum()
        assert shown == parent[column] == children[column].sum(), column
    # the uncovered list is the kecamatan's, gravest first
    listed = _table(app, t("col.nearest_post", "id"))
    expected = uncovered_table(sample_analysis, within=AreaScope("kecamatan", BUKIT_INTAN))
    assert listed[t("col.name", "id")].tolist() == expected["name"].tolist()
    assert len(listed) == parent["uncovered"] > 0
    # a kelurahan box for that kecamatan appears
    pick = app.selectbox(key=f"area_pick_kelurahan_{BUKIT_INTAN}")
    assert pick.format_func(None) == "Semua kelurahan/desa"
    assert any(
        c.value.startswith("Kekurangan dijumlah per wilayah:") for c in app.caption
    )  # the shortfall is explained


def test_the_uncovered_list_is_bounded_and_says_how_many_there_are(
    app: AppTest, sample_analysis, monkeypatch
) -> None:
    monkeypatch.setattr("pages.area_summary.UNCOVERED_SHOWN", 10)
    app.run()
    assert not app.exception, app.exception
    listed = _table(app, t("col.nearest_post", "id"))
    full = uncovered_table(sample_analysis)
    assert listed[t("col.name", "id")].tolist() == full["name"].head(10).tolist()
    line = t(
        "summary.uncovered_top", "id", shown="10", total=str(len(full)), where="seluruh operasi"
    )
    assert line in [c.value for c in app.caption]
    # the CSV download holds them all
    text = _downloads(app, monkeypatch)["uncovered_csv"]()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r[t("col.site_id", "id")] for r in rows] == full["site_id"].tolist()


def test_the_briefing_zip_holds_the_html_and_every_full_list(
    app: AppTest, sample_analysis, monkeypatch
) -> None:
    made = _downloads(app, monkeypatch)
    bundle = zipfile.ZipFile(io.BytesIO(made["download_brief_zip"]()))
    key = sample_analysis.operation.key
    names = bundle.namelist()
    assert names == [
        f"briefing-{key}.html",
        *(f"briefing-{key}.{n}.csv" for n in ("uncovered", "areas", "staffing", "demonstration")),
    ]
    html = bundle.read(names[0]).decode()
    assert all(n in html for n in names[1:])
    uncovered = list(csv.DictReader(io.StringIO(bundle.read(names[1]).decode())))
    assert len(uncovered) == sample_analysis.by_kind()["polling_station"].uncovered
    assert audit.entries(key)[0].what.endswith("with CSV lists")
    areas = made["areas_csv"]()
    assert len(list(csv.DictReader(io.StringIO(areas)))) == 7 + 42  # kecamatan, kelurahan
