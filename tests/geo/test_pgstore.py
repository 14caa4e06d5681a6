"""The PostGIS store's own guarantees: its layout (PostGIS geometry, spatial indexes,
versioned migrations), rows that cannot be changed, a write that fails or is killed leaves
nothing, restore points, the same layers as the GeoPackage, and several processes sharing
one database. The behaviour shared with the GeoPackage runs on both backends in
test_store.py, test_store_defences.py and test_plans.py."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import psycopg
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

import geo.pgstore
from geo.db import DATABASE_URL_ENV, Database
from geo.operation import SAMPLE_OPERATION, load_operation, operation_signature, save_sites
from geo.pgstore import MIGRATIONS, TABLES, PostgisStore
from geo.plans import Plans
from geo.store import Store, StoreError, sites_checksum, store_for

ROOT = Path(__file__).resolve().parents[2]


def _sites(tag: str, n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "site_id": [f"{tag}-{i}" for i in range(n)],
            "kind": ["polling_station"] * n,
            "name": [f"TPS {i:03d} {tag}" for i in range(n)],
            "voters": [100 + i for i in range(n)],
            "share": [0.5 if i % 2 else float("nan") for i in range(n)],
            "checked": [bool(i % 2) for i in range(n)],
            "remark": [None if i % 3 else f"catatan {i}" for i in range(n)],
        },
        geometry=[Point(106.1 + i * 1e-3, -2.1 - i * 1e-3) for i in range(n)],
        crs="EPSG:4326",
    )


def _renamed(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Sites with a new name each: an import that changes them."""
    return sites.assign(name=sites["name"] + " baru")


@pytest.fixture
def store(postgis_url: str) -> PostgisStore:
    return PostgisStore(Database(postgis_url), "latihan")


def test_the_layout_has_postgis_geometry_and_spatial_indexes(store: PostgisStore) -> None:
    with psycopg.connect(store.db.url) as con:
        geometry = con.execute(
            "SELECT f_table_name, type, srid FROM geometry_columns ORDER BY f_table_name"
        ).fetchall()
        indexes = con.execute(
            "SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%USING gist%' ORDER BY tablename"
        ).fetchall()
        applied = con.execute(
            "SELECT number FROM schema_migrations WHERE component = 'store'"
        ).fetchall()
    assert geometry == [
        ("store_areas", "MULTIPOLYGON", 4326),
        ("store_rows", "POINT", 4326),
        ("store_sites", "POINT", 4326),
    ]
    assert indexes == [("store_areas",), ("store_rows",), ("store_sites",)]
    assert [n for (n,) in applied] == [m.number for m in MIGRATIONS]
    assert store.db.applied("store") == [1, 2]
    with store.db.reading() as con:
        assert all(con.has_table(table) for table in TABLES)


def test_store_for_chooses_postgis_by_the_database_url(
    postgis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert isinstance(store_for(tmp_path / "latihan"), Store)
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'posko.db'}")
    assert isinstance(store_for(tmp_path / "latihan"), Store)  # accounts in SQLite, stores embedded
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    chosen = store_for(tmp_path / "latihan")
    assert isinstance(chosen, PostgisStore) and chosen.operation == "latihan"
    assert chosen.location.endswith("#latihan") and not chosen.exists()
    with pytest.raises(StoreError) as info:
        PostgisStore(Database(f"sqlite:///{tmp_path / 'x.db'}"), "latihan")
    assert info.value.key == "pgstore.not_postgresql"


def test_a_layer_reads_back_as_the_geopackage_reads_it(store: PostgisStore, tmp_path) -> None:
    sites = _sites("a", 7)
    areas = gpd.GeoDataFrame(
        {"area_code": ["19.71.01", "19.71.02"], "name": ["Bukit Intan", "Gerunggang"]},
        geometry=[
            Polygon([(106.0, -2.0), (106.1, -2.0), (106.1, -2.1)]),
            MultiPolygon([Polygon([(106.2, -2.0), (106.3, -2.0), (106.3, -2.1)])]),
        ],
        crs="EPSG:4326",
    )
    gpkg = Store(tmp_path / "store.gpkg")
    for target in (gpkg, store):
        target.save(sites, action="import", base_version=None, areas=areas, who="Bag Ops")
    ours, theirs = store.read_sites(), gpkg.read_sites()
    assert list(ours.columns) == list(theirs.columns)
    assert sites_checksum(ours) == sites_checksum(theirs) == sites_checksum(sites)
    assert ours.geometry.geom_equals(theirs.geometry).all()
    assert [replace(v, saved_at="") for v in store.history()] == [
        replace(v, saved_at="") for v in gpkg.history()
    ]
    read = store.read_areas()
    assert list(read["name"]) == ["Bukit Intan", "Gerunggang"]
    assert set(read.geom_type) == {"MultiPolygon"}
    assert read.geometry.geom_equals(areas.geometry).all()


def test_versions_cannot_be_changed_or_deleted(store: PostgisStore) -> None:
    store.save(_sites("a", 2), action="import", base_version=None)
    with psycopg.connect(store.db.url, autocommit=True) as con:
        for statement in (
            "UPDATE store_history SET sites = 9",
            "DELETE FROM store_rows",
            "UPDATE store_rows SET geom = NULL",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="keeps every version"):
                con.execute(statement)
    assert [c.ok for c in store.verify()] == [True]
    assert store.integrity() == "ok"


def test_a_write_that_fails_leaves_nothing(
    store: PostgisStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(_sites("a", 3), action="initial", base_version=None)
    revision = store.signature()
    real = geo.pgstore._copy

    def copy_then_fail(con, target, rows) -> None:
        real(con, target, rows)
        con.execute("SELECT 1 / 0")  # the server refuses after the rows were written

    monkeypatch.setattr(geo.pgstore, "_copy", copy_then_fail)
    with pytest.raises(StoreError) as info:
        store.save(_sites("b", 4), action="import", base_version=1)
    assert info.value.key == "store.write_failed" and "division by zero" in str(info.value)
    monkeypatch.undo()
    assert [v.version for v in store.history()] == [1]
    assert store.signature() == revision
    with psycopg.connect(store.db.url) as con:
        assert con.execute("SELECT COUNT(*) FROM store_rows").fetchone()[0] == 3
    assert store.save(_sites("c", 1), action="import", base_version=1).version == 2


_WRITER = """
import sys
import geopandas as gpd
import numpy as np
from geo.db import Database
from geo.pgstore import PostgisStore
n = 300_000
rng = np.random.default_rng(0)
sites = gpd.GeoDataFrame(
    {"site_id": [f"BIG-{i}" for i in range(n)], "kind": "polling_station",
     "name": [f"TPS {i}" for i in range(n)]},
    geometry=gpd.points_from_xy(106.1 + rng.normal(0, 0.02, n), -2.1 + rng.normal(0, 0.02, n)),
    crs="EPSG:4326")
store = PostgisStore(Database(sys.argv[1]), "latihan")
print("WRITING", flush=True)
store.save(sites, action="import", base_version=1)
print("DONE", flush=True)
"""


def test_a_save_killed_while_copying_leaves_the_previous_version(
    store: PostgisStore, tmp_path: Path
) -> None:
    before = store.save(_sites("a", 3), action="initial", base_version=None)
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (
        psycopg.connect(store.db.url, autocommit=True) as watch,
        subprocess.Popen(
            [sys.executable, str(script), store.db.url], env=env, stdout=subprocess.PIPE, text=True
        ) as process,
    ):
        assert process.stdout.readline().strip() == "WRITING"
        deadline = time.monotonic() + 120
        copying = False
        while not copying and time.monotonic() < deadline:
            copying = watch.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY store_rows%' "
                "AND state = 'active'"
            ).fetchone()[0]
            time.sleep(0.005)
        assert copying, "the writer never started copying"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    time.sleep(0.5)  # the server notices the lost client and rolls its transaction back
    assert store.history() == [before]
    assert len(store.read_sites()) == 3
    assert store.save(_sites("b", 2), action="import", base_version=1).version == 2


def test_a_backup_is_a_restore_point_of_the_sites_and_the_plans(
    postgis_url: str, op_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    store = store_for(op_folder)
    with pytest.raises(StoreError, match="holds no saved version"):
        store.backup()
    operation = load_operation(op_folder)
    save_sites(operation, _renamed(operation.sites.iloc[:3]), who="Bag Ops")
    plans = Plans.for_operation(operation)
    plans.create("B", operation.plan_content.with_post_removed("POST-MAKO"), who="t")
    first = store.backup()
    assert (first.number, first.version, first.plans) == (1, 2, {"plan-1": 1, "plan-2": 1})
    assert first.name == "backup-1-v2" and str(first).startswith(store.location)
    store.rollback(1, base_version=2, who="Kapolres")
    assert [b.number for b in store.backups()] == [1, 2]
    assert store.backups()[-1].version == 2  # taken before the rollback saved version 3
    assert store.latest().version == 3


def test_the_signature_changes_with_every_write(
    postgis_url: str, op_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    seen = {operation_signature(op_folder)}
    operation = load_operation(op_folder)
    save_sites(operation, _renamed(operation.sites.iloc[:5]))
    seen.add(operation_signature(op_folder))
    Plans.for_operation(load_operation(op_folder)).create("B", operation.plan_content, who="t")
    seen.add(operation_signature(op_folder))
    assert len(seen) == 3
    assert not (op_folder / "store.gpkg").exists()  # nothing written into the folder


def test_operations_share_one_database_without_mixing(
    postgis_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    folders = []
    for name in ("polres_a", "polres_b"):
        folder = tmp_path / name
        shutil.copytree(SAMPLE_OPERATION, folder)
        folders.append(folder)
    a, b = (load_operation(f) for f in folders)
    save_sites(a, _renamed(a.sites.iloc[:4]))
    Plans.for_operation(b).create("Rencana B", b.plan_content, who="t")
    loaded = load_operation(folders[0])
    assert loaded.version == 2 and loaded.sites["name"].str.endswith(" baru").sum() == 4
    assert load_operation(folders[1]).version is None
    assert [p.name for p in Plans(folders[1]).list()] == ["Rencana awal", "Rencana B"]
    assert Plans(folders[0]).list() == []
    assert [store_for(f).location.rsplit("#")[1] for f in folders] == ["polres_a", "polres_b"]
