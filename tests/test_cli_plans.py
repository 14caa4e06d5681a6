"""`posko plan …`: list, new, copy, show, rename, status, set-current, history, rollback, post
edits, apply-posts, and `--plan` on coverage, staffing and brief. Refusals exit 1 with a
catalog message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from geo.analysis import analyse
from geo.operation import load_operation
from geo.plans import Plans

POSTS_CSV = "nama,lat,lon,jenis\nPos Baru Satu,-2.10,106.10,polsek\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    code, out, _ = _run(capsys, *argv, "--json")
    assert code == 0
    return json.loads(out)


def test_without_plans_list_shows_the_implicit_initial_plan(op_folder: Path, capsys) -> None:
    code, out, _ = _run(capsys, "plan", "list", str(op_folder), "--lang", "en")
    assert code == 0 and out.startswith("* plan-1") and "not saved as a plan yet" in out
    (entry,) = _json(capsys, "plan", "list", str(op_folder))
    assert entry["saved"] is False and entry["current"] and entry["name"] == "Rencana awal"
    assert not Plans(op_folder).path.exists()  # listing writes nothing


def test_new_copy_show_and_the_figures_of_a_plan(op_folder: Path, capsys) -> None:
    folder = str(op_folder)
    code, out, _ = _run(capsys, "--as", "ani", "plan", "new", folder, "Kosong")
    assert code == 0 and "plan-2" in out
    code, _, _ = _run(capsys, "plan", "copy", folder, "Rencana awal", "Rencana B")
    assert code == 0
    listed = _json(capsys, "plan", "list", folder)
    assert [(p["name"], p["current"]) for p in listed] == [
        ("Rencana awal", True),
        ("Kosong", False),
        ("Rencana B", False),
    ]
    empty = _json(capsys, "plan", "show", folder, "kosong")
    assert empty["content"]["posts"] == [] and empty["figures"]["tps"]["covered"] == 0
    assert empty["plan"]["saved_by"] == "ani"
    copied = _json(capsys, "plan", "show", folder, "Rencana B")
    assert copied["figures"]["tps"]["covered"] == 268 and copied["figures"]["tps"]["total"] == 311
    assert copied["figures"]["polri"] == 145
    code, out, _ = _run(capsys, "plan", "show", folder, "--lang", "en")
    assert code == 0 and "Rencana awal (plan-1)" in out and "Posts: 16" in out


def test_post_edits_save_versions_and_history_says_who(op_folder: Path, capsys) -> None:
    folder = str(op_folder)
    spot = analyse(load_operation(op_folder)).uncovered_tps.geometry.iloc[0]
    code, out, _ = _run(
        capsys,
        *("--as", "budi", "plan", "add-post", folder, "Rencana awal"),
        *("--lon", str(spot.x), "--lat", str(spot.y), "--type", "polsek", "--name", "Pos Uji"),
    )
    assert code == 0
    site_id = out.strip().splitlines()[-1]
    covered = _json(capsys, "coverage", folder)["kinds"]["polling_station"]["covered"]
    assert covered > 268  # the current plan is the one edited
    assert (
        _run(
            capsys,
            "plan",
            "move-post",
            folder,
            "plan-1",
            site_id,
            "--lon",
            "106.0",
            "--lat",
            "-2.0",
        )[0]
        == 0
    )
    assert _run(capsys, "--as", "ani", "plan", "remove-post", folder, "plan-1", site_id)[0] == 0
    history = _json(capsys, "plan", "history", folder, "Rencana awal")
    assert [(v["version"], v["action"], v["saved_by"]) for v in history[:2]] == [
        (1, "initial", ""),
        (2, "save", "budi"),
    ]
    assert history[-1]["saved_by"] == "ani"
    assert history[1]["note"] == "added post Pos Uji (polsek)"
    assert history[1]["note_shown"] == "pos Pos Uji ditambahkan (Polsek)"
    code, out, _ = _run(capsys, "plan", "history", folder, "plan-1", "--lang", "en")
    assert "moved post Pos Uji by" in out and "by budi" in out


def test_refusals_exit_1_with_the_catalog_message(op_folder: Path, capsys) -> None:
    folder = str(op_folder)
    assert _run(capsys, "plan", "new", folder, "Rencana B")[0] == 0
    code, _, err = _run(capsys, "plan", "new", folder, "rencana  b", "--lang", "en")
    assert code == 1 and "already used by plan 'Rencana B'" in err and "Traceback" not in err
    code, _, err = _run(capsys, "plan", "show", folder, "Rencana Z", "--lang", "en")
    assert code == 1 and "'Rencana awal', 'Rencana B'" in err
    code, _, err = _run(capsys, "plan", "remove-post", folder, "Rencana B", "NOPE")
    assert code == 1 and "NOPE" in err
    code, _, err = _run(capsys, "plan", "set-current", folder, "Rencana awal", "--lang", "en")
    assert code == 1 and "current plan already" in err
    code, _, err = _run(capsys, "plan", "settings", folder, "Rencana B", "--radius", "polsek=-4")
    assert code == 1 and "radius_m.polsek" in err
    code, _, err = _run(capsys, "plan", "settings", folder, "Rencana B", "--preset", "nope")
    assert code == 1 and "nope" in err
    code, _, err = _run(capsys, "plan", "rollback", folder, "Rencana B", "7", "--yes")
    assert code == 1 and "7" in err
    assert [p.version for p in Plans(op_folder).list()] == [1, 1]  # nothing was saved


def test_a_refused_new_post_is_named_as_typed_with_readable_numbers(
    op_folder: Path, capsys
) -> None:
    folder = str(op_folder)
    add = ("--as", "budi", "plan", "add-post", folder, "Rencana awal", "--type", "polsek")
    code, _, err = _run(capsys, *add, "--lon", "500", "--lat", "-2.1", "--name", "Pos Pasar")
    assert code == 1 and "Pos 'Pos Pasar': posisi (500, -2,1)" in err
    assert "pos-" not in err  # never the generated id the planner did not type
    unnamed = ("--lon", "500", "--lat", "-2.1", "--name", " ", "--lang", "en")
    code, _, err = _run(capsys, *add, *unnamed)
    assert code == 1 and "Post 'new post': position (500, -2.1)" in err
    code, _, err = _run(
        capsys, *add, "--lon", "106.1", "--lat", "-2.1", "--radius-m", "-5", "--name", "Pos B"
    )
    assert code == 1 and "`radius_m` -5 tidak sah" in err and "float" not in err


def test_status_rename_current_and_rollback(op_folder: Path, capsys) -> None:
    folder = str(op_folder)
    _run(capsys, "plan", "new", folder, "B", "--copy-current")
    assert _run(capsys, "plan", "settings", folder, "B", "--radius", "pos_pam=1500")[0] == 0
    assert _run(capsys, "plan", "status", folder, "B", "proposed")[0] == 0
    assert _run(capsys, "plan", "rename", folder, "B", "Rencana Bravo")[0] == 0
    assert _run(capsys, "plan", "set-current", folder, "rencana bravo")[0] == 0
    report = _json(capsys, "coverage", folder)
    assert report["radius_m"]["pos_pam"] == 1500
    assert (
        _json(capsys, "coverage", folder, "--plan", "Rencana awal")["radius_m"]["pos_pam"] == 1000
    )
    code, out, _ = _run(capsys, "plan", "rollback", folder, "Rencana Bravo", "1", "--lang", "en")
    assert code == 0 and "Nothing was saved" in out and "radius of Security post" in out
    assert Plans(op_folder).find("Rencana Bravo").version == 4
    assert _run(capsys, "plan", "rollback", folder, "Rencana Bravo", "1", "--yes")[0] == 0
    info = Plans(op_folder).find("Rencana Bravo")
    assert info.version == 5 and info.name == "Rencana Bravo" and str(info.status) == "proposed"
    assert _json(capsys, "coverage", folder)["radius_m"]["pos_pam"] == 1000


def test_apply_posts_is_a_dry_run_without_yes(op_folder: Path, tmp_path: Path, capsys) -> None:
    folder = str(op_folder)
    posts = tmp_path / "pos.csv"
    posts.write_text(POSTS_CSV, encoding="utf-8")
    _run(capsys, "plan", "new", folder, "B", "--copy-current")
    code, out, _ = _run(capsys, "plan", "apply-posts", folder, "B", str(posts), "--lang", "en")
    assert code == 0 and "1 accepted, 0 rejected" in out and "dry run" in out
    assert Plans(op_folder).find("B").version == 1
    code, out, _ = _run(capsys, "plan", "apply-posts", folder, "B", str(posts), "--yes")
    assert code == 0
    shown = _json(capsys, "plan", "show", folder, "B")
    assert "Pos Baru Satu" in {p["name"] for p in shown["content"]["posts"]}
    assert len(shown["content"]["posts"]) == 17  # the sample's 16 posts (a reserve among them) + 1
    (last,) = _json(capsys, "plan", "history", folder, "B")[-1:]
    assert last["action"] == "posts" and last["note"].endswith("posts from file pos.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("nama,lat,lon,jenis\nX,abc,106.1,polsek\n", encoding="utf-8")
    assert _run(capsys, "plan", "apply-posts", folder, "B", str(bad), "--yes")[0] == 1


def test_an_import_of_posts_says_plans_keep_their_own(
    op_folder: Path, tmp_path: Path, capsys
) -> None:
    folder = str(op_folder)
    posts = tmp_path / "pos.csv"
    posts.write_text(POSTS_CSV, encoding="utf-8")
    _run(capsys, "plan", "new", folder, "B", "--copy-current", "--current")
    code, out, _ = _run(
        capsys, "import", str(posts), "--into", folder, "--kind", "police_post", "--lang", "en"
    )
    assert code == 0 and "saved plans keep their own posts" in out


def test_brief_and_staffing_take_a_plan(op_folder: Path, tmp_path: Path, capsys) -> None:
    folder = str(op_folder)
    _run(capsys, "plan", "new", folder, "Ramping", "--copy-current")
    _run(capsys, "plan", "settings", folder, "Ramping", "--preset", "belitung_2024")
    lean = _json(capsys, "staffing", folder, "--plan", "ramping")
    assert lean["preset"] == "belitung_2024" and lean["polri"] == 149
    assert _json(capsys, "staffing", folder)["polri"] == 145
    out = tmp_path / "brief.html"
    assert _run(capsys, "brief", folder, "--plan", "Ramping", "-o", str(out))[0] == 0
    assert out.exists()
