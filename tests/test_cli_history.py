"""`posko history EARLIER LATER`, `posko brief --compare-with` and `posko brief --for-partners`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from geo import audit
from geo.operation import load_operation
from geo.text import t
from tests.history_pair import EarlierPair, make_earlier


@pytest.fixture
def pair(op_folder: Path) -> EarlierPair:
    return make_earlier(op_folder.parent)


def _by_id(op_folder: Path, ids: tuple[str, ...]) -> list[tuple[str, int]]:
    sites = load_operation(op_folder).sites.set_index("site_id")
    return sorted((sites.at[i, "kelurahan"], int(sites.at[i, "tps_no"])) for i in ids)


def test_history_json_counts_the_pair(pair: EarlierPair, op_folder: Path, capsys) -> None:
    assert main(["history", str(pair.folder), str(op_folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["matched"] == 311 - 3
    assert sorted((r["kelurahan"], r["tps_no"]) for r in report["added"]) == _by_id(
        op_folder, pair.added
    )
    assert report["removed"] == []
    assert sorted((r["kelurahan"], r["tps_no"]) for r in report["moved"]) == _by_id(
        op_folder, pair.moved
    )
    assert all(540 < r["distance_m"] < 570 for r in report["moved"])
    assert sorted((r["kelurahan"], r["tps_no"]) for r in report["risk_changed"]) == _by_id(
        op_folder, pair.risk_changed
    )


def test_history_prints_the_lists(pair: EarlierPair, op_folder: Path, capsys) -> None:
    assert main(["history", str(pair.folder), str(op_folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "308 TPS matched" in out and "3 added" in out
    assert t("history.moved", "en", distance="100 m", n=2) in out


def test_history_of_one_operation_still_lists_its_versions(op_folder: Path, capsys) -> None:
    load_operation(op_folder)
    assert main(["history", str(op_folder), "--json"]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_the_briefing_gets_the_lessons_section(
    pair: EarlierPair, op_folder: Path, tmp_path
) -> None:
    out = tmp_path / "brief.html"
    assert main(["brief", str(op_folder), "-o", str(out), "--compare-with", str(pair.folder)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Pelajaran dari operasi sebelumnya" in html
    (record,) = [r for r in audit.entries(op_folder.name) if r.action == "export_briefing"]
    assert f"dengan pelajaran dari operasi {pair.folder}" in record.what_in("id")
    assert "Pemilu 2024 — Polresta Pangkalpinang → Pilkada 2024 — Polresta Pangkalpinang" in html
    plain = tmp_path / "plain.html"
    assert main(["brief", str(op_folder), "-o", str(plain)]) == 0
    assert "Pelajaran dari operasi sebelumnya" not in plain.read_text(encoding="utf-8")


def test_brief_for_partners_writes_and_audits_the_partner_file(op_folder: Path, tmp_path) -> None:
    out = tmp_path / "mitra.html"
    assert main(["brief", str(op_folder), "-o", str(out), "--for-partners"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "TERBATAS — untuk mitra (KPU, Bawaslu, Forkopimda)" in html
    posts = load_operation(op_folder).sites.query("kind == 'police_post'")
    assert not any(str(p) in html for p in posts["site_id"])
    (record,) = [r for r in audit.entries(op_folder.name) if r.action == "export_briefing"]
    assert "briefing mitra" in record.what_in("id") and "mitra.html" in record.what_in("id")


@pytest.mark.parametrize(
    "extra", [["--with-csv"], ["--compare", "A", "B"], ["--compare-with", "x"]]
)
def test_for_partners_refuses_the_options_it_cannot_carry(
    op_folder: Path, tmp_path, extra: list[str], capsys
) -> None:
    out = tmp_path / "mitra.html"
    assert main(["brief", str(op_folder), "-o", str(out), "--for-partners", *extra]) != 0
    assert "--for-partners" in capsys.readouterr().err
    assert not out.exists()
