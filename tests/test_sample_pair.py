"""The bundled sample pair: "Pemilu 2024" (earlier) and "Pilkada 2024" (later), Polresta
Pangkalpinang.

The comparison's figures are recomputed here from the two `sites.geojson` files alone (plain
JSON, geodesic distances), not from the generator's choices; the compare page opens on the
earlier sample by default (its timeline began first) and shows what changed.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pyogrio
import pytest
import streamlit as st
from pyproj import Geod
from streamlit.testing.v1 import AppTest

from cli import main
from geo.analysis import analyse
from geo.history import MOVED_M, compare_operations, earlier_operation, operation_start
from geo.model import load_settings
from geo.operation import SAMPLE_OPERATION, SAMPLES, discover_operations, load_operation
from geo.phases import Phase
from pages.compare_page import operation_titles

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
EARLIER = SAMPLES / "pangkalpinang_pemilu2024"


def _tps(folder: Path) -> list[dict]:
    """The TPS of a sample's sites file: key parts, risk and lon/lat."""
    data = json.loads((folder / "sites.geojson").read_text(encoding="utf-8"))
    return [
        {
            "key": (" ".join(f["properties"]["kelurahan"].casefold().split()), int(p["tps_no"])),
            "risk": p["risk"],
            "xy": f["geometry"]["coordinates"],
        }
        for f in data["features"]
        if (p := f["properties"])["kind"] == "polling_station"
    ]


def _by_hand() -> dict[str, set]:
    """Added, removed, moved and risk-changed TPS keys of the pair, from the files."""
    geod = Geod(ellps="WGS84")
    sides = {}
    for side, folder in (("earlier", EARLIER), ("later", SAMPLE_OPERATION)):
        rows = _tps(folder)
        keys = [r["key"] for r in rows]
        unique = {r["key"]: r for r in rows if keys.count(r["key"]) == 1}
        sides[side] = (rows, unique)
    (before, once_before), (after, once_after) = sides["earlier"], sides["later"]
    matched = once_before.keys() & once_after.keys()
    distance = {
        k: geod.inv(*once_before[k]["xy"], *once_after[k]["xy"])[2] for k in sorted(matched)
    }
    return {
        "matched": matched,
        "added": {r["key"] for r in after} - matched,
        "removed": {r["key"] for r in before} - matched,
        "moved": {k for k, d in distance.items() if d > MOVED_M},
        "risk_changed": {k for k in matched if once_before[k]["risk"] != once_after[k]["risk"]},
        "tps": (len(before), len(after)),
    }


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    """The pair compared, each loaded from a fresh copy (no saved versions in the way)."""
    root = tmp_path_factory.mktemp("pair")
    copies = [shutil.copytree(f, root / f.name) for f in (EARLIER, SAMPLE_OPERATION)]
    earlier, later = (analyse(load_operation(c)) for c in copies)
    return compare_operations(earlier, later)


def _keys(frame) -> set:
    return {
        (" ".join(k.casefold().split()), int(n))
        for k, n in zip(frame["kelurahan"], frame["tps_no"], strict=True)
    }


def test_the_comparison_counts_what_the_files_hold(comparison) -> None:
    hand = _by_hand()
    assert comparison.matched == len(hand["matched"])
    for which in ("added", "moved", "risk_changed"):
        assert _keys(getattr(comparison, which)) == hand[which], which
        assert len(getattr(comparison, which)) == len(hand[which]), which
    # the removed list repeats a key keyed twice in the earlier list: count its rows
    assert len(comparison.removed) == hand["tps"][0] - len(hand["matched"])
    assert _keys(comparison.removed) == hand["removed"]


def test_the_pair_is_a_realistic_lesson(comparison) -> None:
    """Pilkada 2024 had fewer TPS than Pemilu 2024 (600 voters a TPS, not 300): many merged
    away, a few added, a few moved, some risk classes changed; the earlier operation has its
    own posts and staffing."""
    hand = _by_hand()
    earlier, later = hand["tps"]
    assert (earlier, later) == (622, 311)  # the public counts of the two elections
    assert len(hand["removed"]) > later / 2
    assert 0 < len(hand["added"]) <= 10
    assert 0 < len(hand["moved"]) <= 10
    assert len(hand["risk_changed"]) > 0
    assert comparison.unmatchable[0] > 0 and comparison.unmatchable[1] == 0
    assert comparison.earlier.staffing.polri != comparison.later.staffing.polri
    posts = [set(a.coverage.posts["site_id"]) for a in (comparison.earlier, comparison.later)]
    assert posts[0] != posts[1]


def test_both_samples_are_discovered_and_marked_synthetic() -> None:
    found = discover_operations(SAMPLES)
    assert {"pangkalpinang", "pangkalpinang_pemilu2024"} <= found.keys()
    settings = load_settings(EARLIER / "operation.toml")
    assert settings.synthetic and "synthetic" in settings.data_note
    assert settings.title == "Pemilu 2024 — Polresta Pangkalpinang"
    assert operation_start(settings) == date(2023, 10, 19)
    later = load_settings(SAMPLE_OPERATION / "operation.toml")
    assert earlier_operation(later, {EARLIER.name: settings}) == EARLIER.name
    assert earlier_operation(settings, {SAMPLE_OPERATION.name: later}) is None


def _timeline(start: date) -> tuple[Phase, ...]:
    return (Phase("persiapan", "Persiapan", start, date(start.year, 12, 31)),)


def test_the_earlier_operation_is_the_one_begun_last_before() -> None:
    later = load_settings(SAMPLE_OPERATION / "operation.toml")
    base = load_settings(EARLIER / "operation.toml")
    others = {
        "pilkada2020": base.__class__(**{**base.__dict__, "phases": _timeline(date(2020, 9, 1))}),
        "pemilu2024": base,
        "same-day": later,
        "no-timeline": base.__class__(**{**base.__dict__, "phases": ()}),
    }
    assert earlier_operation(later, others) == "pemilu2024"
    del others["pemilu2024"]
    assert earlier_operation(later, others) == "pilkada2020"
    no_timeline = base.__class__(**{**base.__dict__, "phases": ()})
    assert operation_start(no_timeline) is None
    assert earlier_operation(no_timeline, {"pemilu2024": base}) is None


def test_the_sample_sites_files_hold_one_feature_a_line() -> None:
    for folder in (SAMPLE_OPERATION, EARLIER):
        lines = (folder / "sites.geojson").read_text(encoding="utf-8").splitlines()
        features = [json.loads(line.removesuffix(",")) for line in lines[1:-1]]
        assert all(f["type"] == "Feature" for f in features)
        whole = json.loads("\n".join(lines))
        assert whole["features"] == features
        assert len(pyogrio.read_dataframe(folder / "sites.geojson")) == len(features)
        assert [f["properties"]["site_id"] for f in features] == [
            f["properties"]["site_id"] for f in whole["features"]
        ]


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """A workspace holding a copy of the Pilkada sample ("latihan", listed first, begun the
    same day: not earlier); the app lists it and the two bundled samples."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    return tmp_path


def test_the_compare_page_offers_the_earlier_sample_first(workspace) -> None:
    hand = _by_hand()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert at.session_state["operation"] == "pangkalpinang"  # the default stays the Pilkada
    at.switch_page("pages/compare_page.py").run()
    at.radio(key="compare_mode").set_value("operation").run()
    assert not at.exception, at.exception
    pick = at.selectbox(key="history_earlier")
    # shown by their titles, chosen by their keys
    assert pick.options == [
        "Pilkada 2024 — Polresta Pangkalpinang",
        "Pemilu 2024 — Polresta Pangkalpinang",
    ]
    assert pick.value == "pangkalpinang_pemilu2024"
    text = " ".join(m.value for m in at.markdown)
    assert "Pemilu 2024 — Polresta Pangkalpinang" in text
    assert f"{len(hand['matched'])} TPS matched" in text.replace("\\", "")
    # the figures, then TPS added, removed, moved and with a changed risk class
    lists = [d.value for d in at.dataframe][1:]
    assert [len(rows) for rows in lists] == [
        len(hand["added"]),
        hand["tps"][0] - len(hand["matched"]),
        len(hand["moved"]),
        len(hand["risk_changed"]),
    ]


def test_the_command_line_compares_the_pair_by_name(workspace, tmp_path, capsys) -> None:
    hand = _by_hand()
    assert main(["history", EARLIER.name, SAMPLE_OPERATION.name, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["earlier"], report["later"]) == (EARLIER.name, SAMPLE_OPERATION.name)
    assert report["matched"] == len(hand["matched"])
    for which in ("added", "moved", "risk_changed"):
        assert {(r["kelurahan"].casefold(), r["tps_no"]) for r in report[which]} == hand[which]
    out = tmp_path / "brief.html"
    argv = ["brief", SAMPLE_OPERATION.name, "--compare-with", EARLIER.name, "-o", str(out)]
    assert main(argv) == 0
    html = out.read_text(encoding="utf-8")
    assert "Pelajaran dari operasi sebelumnya" in html and "Pemilu 2024 — Polresta" in html


def test_the_compare_page_counts_the_initial_plan_as_one(workspace) -> None:
    """The sample has no saved plan: its initial plan (the imported posts) is the one plan
    the map shows, so the page says one plan, not none."""
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/compare_page.py").run()
    assert not at.exception, at.exception
    (info,) = [i.value for i in at.info if "comparing needs two" in i.value]
    assert info.startswith("This operation has 1 plan(s) so far")


def test_operations_sharing_a_title_are_told_apart_by_their_folder(workspace) -> None:
    choices = {"latihan": workspace / "latihan", "asli": SAMPLE_OPERATION, "pemilu": EARLIER}
    title = load_settings(SAMPLE_OPERATION / "operation.toml").title
    assert operation_titles(choices) == {
        "latihan": f"{title} (latihan)",
        "asli": f"{title} (asli)",
        "pemilu": load_settings(EARLIER / "operation.toml").title,
    }
