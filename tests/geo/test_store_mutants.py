"""The store's small promises, one by one: reading an empty or broken workspace, the
history row of a save, rollbacks, file digests, merging, and the columns it writes."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from geo.store import (
    STORE_FILE,
    Store,
    StoreDamaged,
    StoreError,
    Version,
    file_sha256,
    merge_sites,
    unique_column_names,
)


def _sites(ids: list[str], kind: str = "polling_station", **columns) -> gpd.GeoDataFrame:
    n = len(ids)
    return gpd.GeoDataFrame(
        {"site_id": ids, "kind": [kind] * n, "name": [f"N {i}" for i in ids], **columns},
        geometry=[Point(106.1 + i * 1e-3, -2.1) for i in range(n)],
        crs="EPSG:4326",
    )


def test_an_absent_or_empty_workspace_has_no_history(tmp_path: Path) -> None:
    assert STORE_FILE == "store.gpkg"
    store = Store(tmp_path / "none" / STORE_FILE)
    assert store.history() == [] and store.latest() is None
    assert not store.path.parent.exists()  # reading never creates anything
    with pytest.raises(StoreError) as info:
        store.read_sites()
    assert str(info.value) == f"Workspace {str(store.path)!r} holds no saved version."
    other = Store(tmp_path / "other.gpkg")
    _sites(["a"]).to_file(other.path, layer="something", driver="GPKG")
    assert other.history() == [] and other.latest() is None


def test_a_broken_workspace_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / STORE_FILE
    path.write_bytes(b"this is not a GeoPackage" * 100)
    with pytest.raises(StoreError) as info:
        Store(path).history()
    assert isinstance(info.value, StoreDamaged)
    assert str(info.value).startswith(
        f"Workspace {str(path)!r} is DAMAGED (not a GeoPackage (SQLite) file)"
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_a_save_records_every_history_field(tmp_path: Path) -> None:
    store = Store(tmp_path / "deep" / "folder" / STORE_FILE)  # parents are created
    version = store.save(
        _sites(["a", "b"]),
        action="import",
        base_version=None,
        file_name="tps.csv",
        sha256="ab" * 32,
        rows_read=5,
        accepted=2,
        rejected=3,
        who="Bag Ops",
        note="first list",
    )
    assert version == store.latest() == store.history()[0]
    assert (version.version, version.layer, version.action, version.file_name) == (
        1,
        "sites_v0001",
        "import",
        "tps.csv",
    )
    assert (version.sha256, version.rows_read, version.accepted, version.rejected) == (
        "ab" * 32,
        5,
        2,
        3,
    )
    assert (version.sites, version.who, version.note) == (2, "Bag Ops", "first list")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", version.saved_at)
    assert store.path.with_suffix(".lock").exists()
    plain = store.save(_sites(["c"]), action="edit", base_version=1)
    assert (plain.file_name, plain.sha256, plain.rows_read, plain.accepted) == ("", "", 0, 0)
    assert (plain.rejected, plain.who, plain.note, plain.layer) == (0, "", "", "sites_v0002")
    with sqlite3.connect(store.path) as con:
        contents = con.execute(
            "SELECT data_type, identifier, description FROM gpkg_contents "
            "WHERE table_name = 'history'"
        ).fetchall()
    assert contents == [("attributes", "history", "Posko upload history")]


def test_read_sites_by_version_and_rollback(tmp_path: Path) -> None:
    store = Store(tmp_path / STORE_FILE)
    store.save(_sites(["a", "b"]), action="initial", base_version=None)
    store.save(_sites(["c"]), action="import", base_version=1)
    assert sorted(store.read_sites(1)["site_id"]) == ["a", "b"]
    assert store.read_sites()["site_id"].tolist() == ["c"]
    assert store.read_sites(None).crs.to_epsg() == 4326
    with pytest.raises(StoreError) as info:
        store.read_sites(7)
    assert str(info.value) == "Version 7 does not exist; versions: 1, 2."
    restored = store.rollback(1, base_version=2, who="Kapolres")
    assert (restored.version, restored.action, restored.who) == (3, "rollback", "Kapolres")
    assert restored.note == "rollback to version 1"
    assert sorted(store.read_sites()["site_id"]) == ["a", "b"]
    assert store.rollback(2, base_version=3).who == ""


def test_a_layer_that_cannot_be_written_is_a_store_error(tmp_path: Path, monkeypatch) -> None:
    store = Store(tmp_path / STORE_FILE)
    store.save(_sites(["a"]), action="initial", base_version=None)

    def disk_full(*args, **kwargs):
        raise pyogrio.errors.DataSourceError("disk full")

    monkeypatch.setattr(pyogrio, "write_dataframe", disk_full)
    with pytest.raises(StoreError) as info:
        store.save(_sites(["b"]), action="import", base_version=1)
    assert str(info.value) == (
        f"Workspace {str(store.path)!r} cannot be written: disk full. Nothing was changed."
    )
    assert info.value.__suppress_context__
    monkeypatch.undo()
    assert [v.version for v in store.history()] == [1]


def test_file_sha256_reads_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    data = bytes(range(256)) * 9000  # more than one 1 MiB block
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()


def test_merge_by_id_or_by_kind() -> None:
    current = _sites(["a", "b"]).pipe(
        lambda f: gpd.GeoDataFrame(
            [*f.to_dict("records"), *_sites(["p"], kind="police_post").to_dict("records")],
            geometry="geometry",
            crs="EPSG:4326",
        )
    )
    imported = _sites(["b", "c"])
    by_id = merge_sites(current, imported)
    assert by_id["site_id"].tolist() == ["a", "p", "b", "c"]
    assert list(by_id.index) == [0, 1, 2, 3]
    assert by_id.crs.to_epsg() == 4326 and by_id.geometry.name == "geometry"
    by_kind = merge_sites(current, imported, replace_kinds=True)
    assert by_kind["site_id"].tolist() == ["p", "b", "c"]


def test_saved_columns_are_text_and_never_clash(tmp_path: Path) -> None:
    store = Store(tmp_path / STORE_FILE)
    sites = _sites(
        ["a", "b", "c"],
        Name=["x", "y", "z"],
        dpt=[10, None, np.nan],
        mixed=[1, "dua", None],
        voters=[100, 200, 300],
    )
    store.save(sites, action="initial", base_version=None)
    back = store.read_sites()
    assert back["Name_2"].tolist() == ["x", "y", "z"]
    assert back["mixed"].tolist()[:2] == ["1", "dua"] and back["mixed"].isna().tolist()[2]
    assert back["voters"].tolist() == [100, 200, 300]
    assert back["dpt"].isna().tolist() == [False, True, True]
    assert sites.columns.tolist() == [
        "site_id",
        "kind",
        "name",
        "Name",
        "dpt",
        "mixed",
        "voters",
        "geometry",
    ]


def test_versions_are_plain_frozen_records() -> None:
    fields = Version.__dataclass_fields__
    assert list(fields) == [
        "version",
        "layer",
        "action",
        "file_name",
        "sha256",
        "saved_at",
        "rows_read",
        "accepted",
        "rejected",
        "sites",
        "who",
        "note",
        "areas_layer",
    ]


def test_read_back_in_the_crs_it_was_saved_in(tmp_path: Path) -> None:
    """A layer saved without a CRS reads back as WGS84 (the store's CRS); one saved with a
    CRS keeps it."""
    store = Store(tmp_path / STORE_FILE)
    bare = _sites(["a", "b"]).set_crs(None, allow_override=True)
    assert bare.crs is None
    store.save(bare, action="initial", base_version=None)
    assert store.read_sites().crs.to_epsg() == 4326
    store.save(_sites(["c"]).to_crs(32748), action="import", base_version=1)
    assert store.read_sites().crs.to_epsg() == 32748


def test_merging_frames_without_a_crs_gives_wgs84() -> None:
    current = _sites(["a"]).set_crs(None, allow_override=True)
    imported = _sites(["b"]).set_crs(None, allow_override=True)
    assert merge_sites(current, imported).crs.to_epsg() == 4326


def test_the_workspace_is_a_geopackage_whatever_its_name(tmp_path: Path) -> None:
    store = Store(tmp_path / "operasi.gpkx")  # an extended GeoPackage
    store.save(_sites(["a"]), action="initial", base_version=None)
    with sqlite3.connect(store.path) as con:
        (application_id,) = con.execute("PRAGMA application_id").fetchone()
    assert application_id.to_bytes(4, "big") == b"GPKG"
    assert store.read_sites()["site_id"].tolist() == ["a"]


def test_history_opens_as_a_table_with_its_column_names(tmp_path: Path) -> None:
    store = Store(tmp_path / STORE_FILE)
    store.save(_sites(["a"]), action="initial", base_version=None, who="Bag Ops")
    table = pyogrio.read_dataframe(
        store.path, layer="history", read_geometry=False, fid_as_index=True
    )
    # the version number is the table's key, which GeoPackage readers show as its id
    assert table.index.tolist() == [1]
    assert table.columns.tolist() == list(Version.__dataclass_fields__)[1:]
    assert table["who"].tolist() == ["Bag Ops"]


def test_repeated_names_count_up() -> None:
    assert unique_column_names(["dpt", "DPT", "Dpt", "dPt"]) == ["dpt", "DPT_2", "Dpt_3", "dPt_4"]


def test_fid_and_columns_after_the_geometry_are_stored_as_text(tmp_path: Path) -> None:
    """A column called fid cannot take the GeoPackage's own id; object values (here dates)
    are written as text even in columns placed after the geometry."""
    sites = _sites(["a", "b"])
    sites["fid"] = ["x1", "x2"]
    sites["tanggal"] = pd.Series([date(2024, 11, 27), None], dtype=object)
    assert sites.columns.tolist()[3] == "geometry"
    store = Store(tmp_path / STORE_FILE)
    store.save(sites, action="initial", base_version=None)
    back = store.read_sites()
    assert back["src_fid"].tolist() == ["x1", "x2"]
    assert back["tanggal"].tolist()[0] == "2024-11-27" and back["tanggal"].isna().tolist()[1]


def test_a_reader_waits_for_a_busy_workspace(tmp_path: Path) -> None:
    """Another program (QGIS, a second save) holding the database for a few seconds makes
    a reader wait, not fail."""
    store = Store(tmp_path / STORE_FILE)
    store.save(_sites(["a"]), action="initial", base_version=None)
    holder = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    releaser = threading.Timer(6.0, lambda: holder.execute("COMMIT"))
    releaser.start()
    try:
        assert [v.version for v in store.history()] == [1]
    finally:
        releaser.join()
        holder.close()
