"""Uploads are kept privately (a 0700 folder of ours, 0600 files) and purged after a day."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.operation import SAMPLE_OPERATION
from pages import shared
from pages.shared import (
    UPLOAD_MAX_AGE_S,
    private_uploads_dir,
    purge_uploads,
    upload_path,
    write_private,
)

ROOT = Path(__file__).resolve().parent.parent


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_the_uploads_folder_and_its_files_are_private(tmp_path: Path) -> None:
    folder = private_uploads_dir(tmp_path)
    assert folder == tmp_path / "posko-uploads" and _mode(folder) == 0o700
    path = upload_path(folder, "ab" * 32, "../../etc/daftar tps;rm.csv")
    assert path.parent == folder / ("ab" * 16) and _mode(path.parent) == 0o700
    assert path.name == "daftar tps_rm.csv"
    write_private(path, b"nama;lon;lat\n")
    assert _mode(path) == 0o600 and path.read_bytes() == b"nama;lon;lat\n"
    assert private_uploads_dir(tmp_path) == folder  # ours and private: used again


@pytest.mark.parametrize("problem", ["mode", "owner", "link"])
def test_a_folder_others_could_use_is_replaced_by_a_fresh_one(
    tmp_path: Path, monkeypatch, problem: str
) -> None:
    shared_folder = tmp_path / "posko-uploads"
    if problem == "link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        shared_folder.symlink_to(tmp_path / "elsewhere")
    else:
        shared_folder.mkdir(mode=0o700)
    if problem == "mode":
        shared_folder.chmod(0o777)
    if problem == "owner":
        monkeypatch.setattr(shared.os, "getuid", lambda: os.geteuid() + 1)
    folder = private_uploads_dir(tmp_path)
    monkeypatch.undo()
    assert folder != shared_folder and folder.parent == tmp_path
    assert folder.name.startswith("posko-uploads-") and _mode(folder) == 0o700
    assert folder.lstat().st_uid == os.getuid()


def test_a_file_is_never_written_through_a_planted_link(tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("keep")
    link = tmp_path / "upload.csv"
    link.symlink_to(target)
    with pytest.raises(OSError):
        write_private(link, b"x")
    assert target.read_text() == "keep"


def test_old_uploads_are_purged_and_new_ones_kept(tmp_path: Path) -> None:
    folder = private_uploads_dir(tmp_path)
    old, new = upload_path(folder, "1" * 64, "lama.csv"), upload_path(folder, "2" * 64, "baru.csv")
    write_private(old, b"old")
    write_private(new, b"new")
    stale = time.time() - UPLOAD_MAX_AGE_S - 60
    os.utime(old.parent, (stale, stale))
    assert purge_uploads(folder) == 1
    assert not old.parent.exists() and new.read_bytes() == b"new"
    assert purge_uploads(folder) == 0
    assert purge_uploads(folder, max_age_s=-1) == 1 and list(folder.iterdir()) == []
    assert purge_uploads(tmp_path / "absent") == 0


def test_the_import_page_keeps_an_upload_privately_and_purges_old_ones(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("POSKO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    shutil.copytree(SAMPLE_OPERATION, tmp_path / "ws" / "latihan")
    folder = private_uploads_dir(tmp_path / "tmp")
    forgotten = upload_path(folder, "f" * 64, "lupa.csv")
    write_private(forgotten, b"x")
    stale = time.time() - UPLOAD_MAX_AGE_S - 60
    os.utime(forgotten.parent, (stale, stale))
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["operation"] = "latihan"
    at.run()
    at.switch_page("pages/import_page.py").run()
    data = b"nama;lintang;bujur\nTPS 001;-2.1378;106.1416\n"
    at.file_uploader(key="imp_upload").set_value(("tps.csv", data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    kept = Path(at.session_state["imp_path"])
    assert kept.parent.parent == folder and kept.read_bytes() == data
    assert (_mode(kept), _mode(kept.parent), _mode(folder)) == (0o600, 0o700, 0o700)
    assert not forgotten.parent.exists()
