"""Versions that share rows: every version reads back exactly as saved, a new version costs
what changed, and stores written one layer per version still read (and move to PostGIS)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.db import Database
from geo.pgstore import TABLES, PostgisStore
from geo.siterows import assign_ids, encode_rows, pack_ids, unpack_ids
from geo.store import Store, VersionStore, sites_checksum, storable, store_for
from geo.storemigrate import migrate_workspace
from tests.conftest import StoreBackend


def _base(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """`n` sites of several dtypes, many stacked on few spots (as a KPU list is)."""
    rng = np.random.default_rng(seed)
    spots = rng.normal([106.1, -2.1], 0.05, size=(max(n // 20, 1), 2))
    at = spots[rng.integers(0, len(spots), n)]
    return gpd.GeoDataFrame(
        {
            "site_id": [f"TPS-{i:05d}" for i in range(n)],
            "kind": "polling_station",
            "name": [f"TPS {i:03d} Kel. Bukit Intan" for i in range(n)],
            "risk": rng.choice(["aman", "rawan", "sangat_rawan"], n),
            "voters": rng.integers(100, 300, n),
            "score": np.where(rng.random(n) < 0.1, np.nan, rng.random(n) / 3),
            "officers": pd.array(
                np.where(rng.random(n) < 0.2, None, rng.integers(1, 5, n)), dtype="Int64"
            ),
            "checked": rng.random(n) < 0.5,
        },
        geometry=gpd.points_from_xy(at[:, 0], at[:, 1]),
        crs="EPSG:4326",
    )


def _series() -> list[gpd.GeoDataFrame]:
    """Versions with adds, attribute-only edits, moves, removals, a new column, a return to
    an earlier list and values that need every digit."""
    v1 = _base(60)
    v2 = pd.concat([v1, _base(63).iloc[60:]], ignore_index=True)  # three added
    v3 = v2.copy()
    v3.loc[4, "name"] = "TPS 004 (pindah gedung)"  # attribute only
    v3.loc[9, "geometry"] = shapely.Point(106.2, -2.2)  # moved only
    v3.loc[11, ["score", "officers"]] = [0.1 + 0.2, pd.NA]
    v4 = v3.drop(index=[0, 5, 17, 30, 62]).reset_index(drop=True)  # removed
    v5 = v4.assign(note=np.where(np.arange(len(v4)) % 7 == 0, "jalan rusak", None))
    v6 = v2.copy()  # the list of version 2 again (a rollback by import)
    v7 = v6.iloc[::-1].reset_index(drop=True)  # same rows, another order
    v7.loc[0, "score"] = 1e-300
    v7.loc[1, "geometry"] = shapely.Point(106.1 + 1e-15, -2.1)
    return [v1, v2, v3, v4, v5, v6, v7]


def _expected(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A frame as a version reads back: as stored, geometry last."""
    out = storable(frame).reset_index(drop=True)
    return out[[*(c for c in out.columns if c != "geometry"), "geometry"]]


def _assert_same(read: gpd.GeoDataFrame, saved: gpd.GeoDataFrame) -> None:
    expected = _expected(saved)
    pd.testing.assert_frame_equal(
        pd.DataFrame(read.drop(columns="geometry")),
        pd.DataFrame(expected.drop(columns="geometry")),
    )
    assert list(shapely.to_wkb(read.geometry.to_numpy())) == list(
        shapely.to_wkb(expected.geometry.to_numpy())
    )
    assert read.crs.to_epsg() == 4326


def _open(tmp_path: Path, backend: StoreBackend) -> VersionStore:
    folder = tmp_path / "latihan"
    folder.mkdir(exist_ok=True)
    return store_for(folder)


def test_every_version_reads_back_exactly_as_saved(
    tmp_path: Path, store_backend: StoreBackend
) -> None:
    store = _open(tmp_path, store_backend)
    series = _series()
    base = None
    for frame in series:
        base = store.save(frame, action="import", base_version=base).version
    rolled = store.rollback(3, base_version=base)
    for number, frame in enumerate([*series, series[2]], start=1):
        _assert_same(store.read_sites(number), frame)
    assert rolled.version == len(series) + 1
    assert [c.ok for c in store.verify()] == [True] * (len(series) + 1)
    assert store.integrity() == "ok"
    if isinstance(store, Store):  # the view QGIS opens follows the newest version
        view = pyogrio.read_dataframe(store.path, layer="sites_current")
        assert sorted(view["site_id"]) == sorted(series[2]["site_id"])


def test_a_new_version_stores_only_the_rows_that_changed(
    tmp_path: Path, store_backend: StoreBackend
) -> None:
    store = _open(tmp_path, store_backend)
    sites = _base(20_000, seed=1)
    rng = np.random.default_rng(2)
    version = store.save(sites, action="import", base_version=None).version
    one = _store_bytes(store)
    for _ in range(9):  # 1 % changed each time: names edited, some moved
        changed = rng.choice(len(sites), 200, replace=False)
        sites = sites.copy()
        sites.loc[changed[:150], "name"] = sites.loc[changed[:150], "name"] + " *"
        moved = changed[150:]
        sites.loc[moved, "geometry"] = gpd.points_from_xy(
            rng.normal(106.1, 0.05, len(moved)), rng.normal(-2.1, 0.05, len(moved))
        )
        version = store.save(sites, action="import", base_version=version).version
    ten = _store_bytes(store)
    assert ten < 1.5 * one, f"{ten:,} bytes after 10 versions, {one:,} after one"
    _assert_same(store.read_sites(), sites)


def _store_bytes(store: VersionStore) -> int:
    """What the store takes on disk: the GeoPackage's size, or the store tables' pages."""
    if isinstance(store, Store):
        return store.path.stat().st_size
    assert isinstance(store, PostgisStore)
    with store.db.reading() as con:
        sizes = [
            con.execute("SELECT pg_total_relation_size(?::regclass)", (t,)).fetchone()[0]
            for t in TABLES
        ]
    return int(sum(sizes))


# --- stores written one layer per version -------------------------------------------------


def _legacy_save(path: Path, number: int, frame: gpd.GeoDataFrame) -> None:
    """Save a version as Posko did before rows were shared: its own layer, a history row."""
    pyogrio.write_dataframe(
        storable(frame), path, layer=f"sites_v{number:04d}", driver="GPKG", append=False
    )
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE TABLE IF NOT EXISTS history (version INTEGER PRIMARY KEY, layer TEXT, "
            "action TEXT, file_name TEXT, sha256 TEXT, saved_at TEXT, rows_read INTEGER, "
            "accepted INTEGER, rejected INTEGER, sites INTEGER, who TEXT, note TEXT, "
            "areas_layer TEXT NOT NULL DEFAULT '')"
        )
        con.execute(
            "INSERT INTO history VALUES (?, ?, 'import', 'tps.csv', '', "
            "'2026-11-01T08:00:00+00:00', 0, 0, 0, ?, 'Bag Ops', '', '')",
            (number, f"sites_v{number:04d}", len(frame)),
        )


def _legacy_store(folder: Path) -> tuple[Store, list[gpd.GeoDataFrame]]:
    folder.mkdir(parents=True)
    store = Store(folder / "store.gpkg")
    series = _series()[:4]
    for number, frame in enumerate(series, start=1):
        _legacy_save(store.path, number, frame)
    return store, series


def test_a_store_of_one_layer_per_version_still_reads_and_takes_new_versions(
    tmp_path: Path,
) -> None:
    store, series = _legacy_store(tmp_path / "latihan")
    for number in range(1, 5):
        as_written = pyogrio.read_dataframe(store.path, layer=f"sites_v{number:04d}")
        pd.testing.assert_frame_equal(store.read_sites(number), as_written)
        assert len(as_written) == len(series[number - 1])
    assert [c.ok for c in store.verify()] == [True] * 4
    new = _series()[4]
    assert store.save(new, action="import", base_version=4).version == 5
    _assert_same(store.read_sites(5), new)
    back = store.rollback(2, base_version=5)
    pd.testing.assert_frame_equal(store.read_sites(back.version), store.read_sites(2))
    assert [c.ok for c in store.verify()] == [True] * 6
    layers = {name for name, _ in pyogrio.list_layers(store.path)}
    assert {"sites_v0001", "sites_v0004", "site_rows", "sites_current"} <= layers


def test_a_mixed_store_moves_to_postgis_version_by_version(
    tmp_path: Path, postgis_url: str
) -> None:
    workspace = tmp_path / "ws"
    store, _ = _legacy_store(workspace / "latihan")
    store.save(_series()[4], action="import", base_version=4)
    (move,) = migrate_workspace(workspace, Database(postgis_url)).operations
    assert [v.version for v in move.versions] == [1, 2, 3, 4, 5]
    assert all(v.same for v in move.versions)
    target = PostgisStore(Database(postgis_url), "latihan")
    for number in range(1, 6):
        assert sites_checksum(target.read_sites(number)) == sites_checksum(store.read_sites(number))
    assert target.integrity() == "ok"


# --- the row encoding ------------------------------------------------------------------------


def test_equal_rows_share_an_id_and_ids_pack_back() -> None:
    rows = encode_rows(storable(_base(50)))
    doubled = np.concatenate([rows.keys, rows.keys[:5]])
    ids, fresh = assign_ids(doubled, rows.keys[:10], np.arange(100, 110), 200)
    assert list(ids[:10]) == list(range(100, 110))
    assert list(ids[10:50]) == list(range(200, 240))
    assert list(ids[50:]) == list(range(100, 105))
    assert list(fresh) == list(range(10, 50))
    packed = pack_ids(np.arange(1, 820_001))
    assert len(packed) < 10_000
    assert np.array_equal(unpack_ids(packed), np.arange(1, 820_001))
