"""One language per run: the coverage, staffing, history and rollback commands and their
errors speak Indonesian unless `--lang en` is given."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli import main
from geo.operation import SAMPLE_OPERATION, load_operation, save_sites
from tests.oracle import coverage_oracle, read_raw_operation


def _sample_tps_figures() -> dict[str, int]:
    """TPS and covered TPS of the sample, from the brute-force oracle."""
    reached = coverage_oracle(read_raw_operation(SAMPLE_OPERATION))
    tps = [v for v in reached.values() if v["kind"] == "polling_station"]
    return {"tps": len(tps), "covered": sum(v["covered"] for v in tps)}


@pytest.mark.parametrize(
    ("lang", "expected", "unexpected"),
    [
        (
            [],
            ["TPS", "{covered} dari", "{tps} terjangkau", "Kurang rawan", "tak terjangkau"],
            ["covered"],
        ),
        (["--lang", "en"], ["Polling stations", "{covered} of", "Low risk", "uncovered"], ["dari"]),
    ],
)
def test_coverage_text(capsys, lang: list[str], expected: list[str], unexpected: list[str]) -> None:
    assert main(["coverage", *lang]) == 0
    out = capsys.readouterr().out
    figures = _sample_tps_figures()
    expected = [word.format(**figures) for word in expected]
    assert all(word in out for word in expected), out
    assert not any(word in out for word in unexpected), out


def test_staffing_text_and_csv(capsys, tmp_path: Path) -> None:
    table = tmp_path / "personel.csv"
    assert main(["staffing", "--csv", str(table)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("pola Umum 2024: ") and "Polri dibutuhkan" in out  # its label
    assert table.read_text(encoding="utf-8").startswith("area_code,Wilayah,TPS,Kelompok,")
    assert main(["staffing", "--lang", "en", "--csv", str(table)]) == 0
    assert "police needed" in capsys.readouterr().out
    assert table.read_text(encoding="utf-8").startswith("area_code,Area,TPS,Groups,")


def test_history_and_rollback(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    assert main(["history", str(folder)]) == 0
    assert "belum ada versi tersimpan" in capsys.readouterr().out
    operation = load_operation(folder)
    tps = operation.sites[operation.sites["kind"] == "polling_station"].head(1)
    save_sites(
        operation, tps.assign(site_id=["NEW-1"], tps_no=[901], name=["TPS 901"]), who="Bag Ops"
    )
    total = len(operation.sites)
    assert main(["history", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"{total + 1} lokasi" in out and "oleh Bag Ops" in out and " sites " not in out
    assert main(["history", str(folder), "--lang", "en"]) == 0
    assert f"{total + 1} sites" in capsys.readouterr().out
    assert main(["rollback", str(folder), "1", "--yes"]) == 0
    assert f"versi 1 dipulihkan sebagai versi 3 ({total} lokasi)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "indonesian", "english", "status"),
    [
        (["coverage", "nowhere"], "tidak ditemukan", "not found", 1),
        (
            ["coverage", "--radius", "polsek=far"],
            "seharusnya TYPE=METRES",
            "expected TYPE=METRES",
            2,
        ),
        (["staffing", "--preset", "nope"], "tidak dikenal", "is unknown", 2),
    ],
)
def test_errors_follow_the_language(
    capsys, args: list[str], indonesian: str, english: str, status: int
) -> None:
    assert main(args) == status
    assert indonesian in capsys.readouterr().err
    assert main([*args, "--lang", "en"]) == status
    assert english in capsys.readouterr().err


def test_settings_errors_follow_the_language(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "op"
    shutil.copytree(SAMPLE_OPERATION, folder)
    (folder / "operation.toml").write_text("[operation]\nlanguage = 'xx'\n", encoding="utf-8")
    assert main(["coverage", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "Berkas pengaturan" in err and "`operation.language` berisi 'xx'" in err
    assert main(["coverage", str(folder), "--lang", "en"]) == 2
    assert "`operation.language` is 'xx'" in capsys.readouterr().err
