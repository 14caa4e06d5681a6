"""The command line: brief writes every TPS, coverage --json parses, errors exit 2."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cli import _import_choices, build_parser, main
from geo.fields import CoordinateColumns
from geo.importer import SHOWN_ROWS, ImportChoices, ImportContext, import_table
from geo.io import ReadError, read_table
from geo.model import Kind
from geo.operation import SAMPLE_OPERATION, load_operation, store_for
from geo.text import format_int, localized
from tests.conftest import CORPUS
from tests.lists import kpu_list

# The figures of `coverage --json` and `staffing --json` are checked against brute-force
# oracles in tests/geo/test_oracle_figures.py; here only the shape and the options.


def test_coverage_json_names_the_operation_and_its_radii(capsys) -> None:
    assert main(["coverage", "--json", "--radius", "polsek=4000"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["operation"].startswith("Pilkada 2024")
    assert report["radius_m"] == {
        "mako": 2500,
        "polsek": 4000,
        "pos_pam": 1000,
        "pos_terpadu": 1000,
        "patrol": 2000,
        "reserve": 5000,  # the reserve units' response reach (no [radius_m] line: default)
    }
    assert report["kinds"]["polling_station"]["total"] == 311


def test_brief_writes_every_tps(tmp_path: Path, sample_operation) -> None:
    out = tmp_path / "brief.html"
    assert main(["--as", "Kabag Ops", "brief", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    tips = [json.loads(d) for d in re.findall(r"var tips = (\{.*?\});\n", html)]
    drawn = {i for d in tips for i in d["columns"]["id"].get("v", d["columns"]["id"].get("u"))}
    tps = set(sample_operation.sites.query("kind == 'polling_station'")["site_id"])
    assert tps <= drawn
    assert "TERBATAS" in html
    assert "Kabag Ops" in html
    assert not re.search(r"<script[^>]+src=\"https?:", html)


def test_brief_with_csv_writes_the_full_lists_beside_it(
    tmp_path: Path, sample_analysis, capsys
) -> None:
    from geo import audit
    from geo.summary import attachments

    out = tmp_path / "brief.html"
    assert main(["--as", "Kabag Ops", "brief", "-o", str(out), "--with-csv"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    names = [
        "brief.areas.csv",
        "brief.demonstration.csv",
        "brief.staffing.csv",
        "brief.uncovered.csv",
    ]
    assert written == sorted(["brief.html", *names])
    html = out.read_text(encoding="utf-8")
    for name in names:
        assert name in html  # the briefing names its files
    err = capsys.readouterr().err
    assert all(name in err for name in names)  # each file's size is printed
    expected = attachments(sample_analysis, "id")
    for key, text in expected.items():
        assert (tmp_path / f"brief.{key}.csv").read_text(encoding="utf-8") == text
    rows = list(csv.DictReader(io.StringIO((tmp_path / "brief.uncovered.csv").read_text())))
    assert len(rows) == sample_analysis.by_kind()["polling_station"].uncovered
    record = audit.entries(sample_analysis.operation.key)[0]
    assert record.what.endswith(
        "brief.html, "
        + ", ".join(f"brief.{k}.csv" for k in ("uncovered", "areas", "staffing", "demonstration"))
    )
    # a comparison briefing has no such lists
    assert main(["brief", "-o", str(out), "--with-csv", "--compare", "A", "B"]) == 2


def test_named_operation_and_bad_arguments(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    assert main(["coverage", "latihan"]) == 0
    assert main(["coverage", "nowhere", "--lang", "en"]) == 1
    assert "not found" in capsys.readouterr().err
    assert main(["coverage", "--radius", "polsek=far"]) == 2
    assert "TYPE=METRES" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "posko"
    if not script.exists():
        pytest.skip("posko console script not installed in this environment")
    result = subprocess.run(
        [str(script), "coverage", "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)["operation"].startswith("Pilkada 2024")


# --- importing -----------------------------------------------------------------------------

from tests.geo.test_importer import GOOD, write_csv  # noqa: E402


def test_check_exit_codes_and_json(tmp_path: Path, capsys) -> None:
    clean = write_csv(tmp_path / "clean.csv", GOOD)
    assert main(["check", str(clean), "--kind", "polling_station", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"rows_read", "accepted", "rejected", "issues"} <= set(report)
    assert report["rows_read"] == report["accepted"] == len(GOOD)
    assert {"row", "code", "severity", "message"} <= set(report["issues"][0])
    bad = write_csv(tmp_path / "bad.csv", [*GOOD, ("X", "Bacang", "abc", "1", "rawan")])
    rejected_csv = tmp_path / "rejected.csv"
    assert (
        main(["check", str(bad), "--kind", "polling_station", "--rejected", str(rejected_csv)]) == 1
    )
    assert "coord_not_numeric" in rejected_csv.read_text(encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{oops", encoding="utf-8")
    assert main(["check", str(broken), "--json"]) == 2
    captured = capsys.readouterr()
    assert "broken.json" in json.loads(captured.out.splitlines()[-1])["error"]
    assert "broken.json" in captured.err


def test_check_groups_the_report_and_writes_the_full_list_on_request(
    tmp_path: Path, capsys
) -> None:
    from tests.geo.test_import_report import many_issues

    path = tmp_path / "many.csv"
    report = many_issues(path, rows=600)
    csv_path = tmp_path / "findings.csv"
    args = ["check", str(path), "--kind", "polling_station", "--lang", "en"]
    assert main([*args, "--json", "--report-csv", str(csv_path)]) == 1
    short = json.loads(capsys.readouterr().out)
    assert not short["issues_complete"]
    assert sum(g["count"] for g in short["groups"]) == sum(1 for i in report.issues if i.row)
    listed = pd.read_csv(csv_path)
    assert set(listed.loc[listed["severity"] == "error", "row"]) == set(report.rejected["row"])
    assert main([*args, "--json", "--full"]) == 1
    full = json.loads(capsys.readouterr().out)
    assert full["issues_complete"] and len(full["issues"]) == len(report.issues)
    assert main(args) == 1
    text = capsys.readouterr().out
    assert "--report-csv" in text and "more row(s) with same_coordinates" in text
    assert main([*args, "--full"]) == 1
    assert "more row(s)" not in capsys.readouterr().out


def test_check_with_crs_and_operation_area(tmp_path: Path, capsys) -> None:
    rows = [*GOOD, ("TPS Palembang", "X", -2.9761, 104.7754, "rawan")]
    path = write_csv(tmp_path / "far.csv", rows)
    assert (
        main(
            [
                "check",
                str(path),
                "--kind",
                "polling_station",
                "--operation",
                "pangkalpinang",
                "--json",
                "--lang",
                "en",
            ]
        )
        == 1  # the far row is rejected
    )
    report = json.loads(capsys.readouterr().out)
    far = [i for i in report["issues"] if i["code"] == "far_from_area"]
    assert len(far) == 1 and far[0]["row"] == 9 and "km" in far[0]["message"]
    accepted = ["check", str(path), "--kind", "polling_station", "--operation", "pangkalpinang"]
    assert main([*accepted, "--accept-far", "1"]) == 0  # the planner accepts it by count


def _operation_with_row_limit(tmp_path: Path, monkeypatch, limit: int) -> Path:
    """A scratch copy of the sample whose operation.toml says `[import] max_rows = limit`."""
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    toml = folder / "operation.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.count("[import]\n") == 1
    toml.write_text(text.replace("[import]\n", f"[import]\nmax_rows = {limit}\n"), "utf-8")
    return folder


def test_the_operations_row_limit_refuses_a_file_as_the_app_does(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    folder = _operation_with_row_limit(tmp_path, monkeypatch, 10)
    rows = [(f"TPS {i:03}", "Bacang", -2.13 - i / 1000, 106.14, "rawan") for i in range(11)]
    path = write_csv(tmp_path / "sebelas.csv", rows)
    operation = load_operation(folder)
    assert ImportContext.for_operation(operation).max_rows == 10
    # what the import page does with an upload (app.cached_import)
    choices = ImportChoices(kind=Kind.POLLING_STATION)
    with pytest.raises(ReadError) as refused:
        import_table(read_table(path), choices, ImportContext.for_operation(operation))
    assert refused.value.key == "read.rows_over_limit"
    for lang in ("id", "en"):
        expected = localized(refused.value, lang)
        assert "sebelas.csv" in expected and "10" in expected
        for command in (["import", "--into", "latihan"], ["check", "--operation", "latihan"]):
            argv = [command[0], str(path), *command[1:], "--kind", "polling_station"]
            assert main([*argv, "--lang", lang]) == 2
            captured = capsys.readouterr()
            assert captured.err == f"posko {command[0]}: {expected}\n"
    assert main(["history", "latihan", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing was saved
    ten = write_csv(tmp_path / "sepuluh.csv", rows[:10])
    assert main(["check", str(ten), "--operation", "latihan", "--kind", "polling_station"]) == 0


def test_flags_make_the_same_choices_as_the_import_page() -> None:
    args = build_parser().parse_args(
        [
            "check",
            "x.csv",
            "--kind",
            "police_post",
            "--crs",
            " EPSG:32748 ",
            "--map",
            "risk=",
            "--map",
            "name=nama",
            "--pair",
            "koordinat",
            "--fix-rows",
        ]
    )
    from_flags = _import_choices(args)
    # as app.import_choices builds them from the widgets
    from_page = ImportChoices(
        kind=Kind("police_post"),
        crs="EPSG:32748",
        mapping=(("name", "nama"), ("risk", None)),
        coordinates=CoordinateColumns(pair="koordinat"),
        row_fixes=True,
    )
    assert from_flags == from_page
    assert hash(from_flags) == hash(from_page)
    assert {from_flags: "cached"}[from_page] == "cached"


def test_import_history_rollback(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    path = write_csv(
        tmp_path / "baru.csv",
        [(f"Baru {i}", k, lat, lon, r) for i, (_, k, lat, lon, r) in enumerate(GOOD)],
    )
    command = ["import", str(path), "--into", "latihan", "--kind", "polling_station"]
    assert main(["--as", "Bag Ops", *command, "--lang", "en"]) == 0  # a dry run
    out = capsys.readouterr().out
    tps = int((load_operation(tmp_path / "latihan").sites["kind"] == "polling_station").sum())
    assert f"{len(GOOD)} new" in out and f"{tps} →      {tps + len(GOOD)}" in out
    assert "dry run" in out
    assert main(["history", "latihan", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing written
    assert main(["--as", "Bag Ops", *command, "--yes"]) == 0  # Indonesian by default
    out = capsys.readouterr().out
    assert f"baru.csv (csv): {len(GOOD)} baris dibaca, {len(GOOD)} diterima, 0 ditolak" in out
    sites = len(load_operation(tmp_path / "latihan").sites)
    assert f"tersimpan sebagai versi 2 ({format_int(sites, 'id')} lokasi) di latihan" in out
    assert "rows read" not in out and "saved as" not in out
    assert main([*command, "--yes", "--lang", "en"]) == 0  # the same list again
    assert "Nothing changes" in capsys.readouterr().out
    assert main(["history", "latihan", "--json"]) == 0
    history = json.loads(capsys.readouterr().out)
    assert [v["action"] for v in history] == ["initial", "import"]
    assert history[1]["who"] == "Bag Ops" and history[1]["file_name"] == "baru.csv"
    assert main(["rollback", "latihan", "1", "--lang", "en"]) == 0
    assert "add --yes" in capsys.readouterr().out
    assert len(store_for(tmp_path / "latihan").history()) == 2  # unconfirmed: nothing saved
    assert main(["rollback", "latihan", "1", "--yes", "--lang", "en"]) == 0
    assert "restored as version 3" in capsys.readouterr().out
    assert main(["history", "latihan"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "awal" in lines[0] and lines[0].endswith("lokasi bawaan folder operasi")
    assert "oleh" not in lines[0]  # the folder's seed is nobody's save
    assert "oleh Bag Ops" in lines[1] and lines[1].endswith("tambah/perbarui lewat pencocokan")
    assert "pemulihan" in lines[2] and lines[2].endswith("pemulihan ke versi 1")
    main(["coverage", "latihan", "--json"])
    assert json.loads(capsys.readouterr().out)["kinds"]["polling_station"]["total"] == tps


def test_import_and_check_show_what_each_row_does(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    operation = load_operation(tmp_path / "latihan")
    written = kpu_list(operation, tmp_path / "daftar_tps.csv", new=2)
    check = ["check", str(written.path), "--operation", "latihan", "--kind", "polling_station"]
    assert main([*check, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    unchanged = len(written.existing)
    assert f"matching: 2 new, 0 updated, {unchanged} unchanged, 0 in conflict" in out
    assert out.count("new        row") == 2 and "unchanged  row" in out
    assert main([*check, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    matches = data["matches"]
    assert [m["match"] for m in matches].count("new") == 2
    assert data["match_counts"]["unchanged"] == unchanged  # counted, the first rows listed
    assert [m["match"] for m in matches].count("unchanged") == min(unchanged, SHOWN_ROWS)
    assert data["matches_complete"] == (unchanged <= SHOWN_ROWS)
    command = ["import", str(written.path), "--into", "latihan", "--kind", "polling_station"]
    assert main([*command, "--yes", "--lang", "en"]) == 0
    assert main([*command, "--lang", "en"]) == 0  # the same list again
    out = capsys.readouterr().out
    assert f"matching: 0 new, 0 updated, {unchanged + 2} unchanged" in out
    assert "Nothing changes" in out


def test_an_unreadable_workbook_is_named_in_the_sentences_language(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bukan.xlsx"
    path.write_bytes(b"PK not a zip")
    assert main(["check", str(path), "--kind", "polling_station"]) == 2
    err = capsys.readouterr().err
    assert "tidak dapat dibaca sebagai buku kerja Excel." in err
    assert "an Excel" not in err and "(rincian: " in err  # the library's reason comes last


def test_a_list_of_another_place_is_said_first_and_fails(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    boston = str(CORPUS / "us_boston" / "polling_locations.csv")
    command = ["import", boston, "--into", "latihan", "--kind", "polling_station", "--yes"]
    assert main(command) == 1
    out = capsys.readouterr().out.splitlines()
    assert "Semua 275 baris berada jauh di luar wilayah operasi (terdekat" in out[1]
    assert out[1].endswith("apakah ini daftar operasi lain?")
    check = ["check", boston, "--operation", "latihan", "--kind", "polling_station"]
    assert main(check) == 1
    assert load_operation(tmp_path / "latihan").version is None


def test_a_far_list_accepted_by_count_is_said_before_saving(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path))
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "latihan")
    path = tmp_path / "us.csv"
    rows = [f"Precinct {i},{42.35 + i / 1000:.4f},-71.0600" for i in range(4)]
    path.write_text("name,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    command = ["import", str(path), "--into", "latihan", "--kind", "polling_station"]
    assert main([*command, "--accept-far", "4", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    caution = out.index("!! CAUTION: 4 accepted row(s) lie outside the operation's area")
    assert "km)" in out[caution:] and caution < out.index("dry run")
    assert "CAUTION: 4 row(s) accepted although outside" in out  # the file-level finding
    assert load_operation(tmp_path / "latihan").version is None


def test_post_types_are_chosen_with_a_flag(tmp_path: Path, capsys) -> None:
    path = tmp_path / "pos.csv"
    path.write_text(
        "nama;jenis_pos;lat;lon\nPos Lantas Simpang;Pos Lantas;-2.139;106.142\n"
        "Titik Jaga;;-2.140;106.150\n",
        encoding="utf-8",
    )
    check = ["check", str(path), "--kind", "police_post", "--lang", "en"]
    assert main(check) == 1
    out = capsys.readouterr().out
    assert "post type unknown for value(s) 'Pos Lantas', ''" in out
    assert main([*check, "--post-type", "Pos Lantas=pos_pam", "--post-type", "=patrol"]) == 0
    assert main([*check, "--post-type", "Pos Lantas=police_box"]) == 2
    assert "--post-type 'Pos Lantas=police_box'" in capsys.readouterr().err
