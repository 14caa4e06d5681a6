"""The GeoPackage workspace: save, history, rollback, and a save killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest

from geo.importer import ImportChoices, import_sites
from geo.model import Kind
from geo.operation import load_operation, save_sites, store_for
from geo.schema import unique_column_names
from geo.store import StoreError, file_sha256
from tests.geo.test_importer import GOOD, write_csv

ROOT = Path(__file__).resolve().parents[2]


def _import(folder: Path, tmp_path: Path, *, tag: str = "9", **kwargs):
    path = write_csv(
        tmp_path / f"tps_baru_{tag}.csv",
        [
            (f"TPS {tag}{i:02d} {k}", k, lat + 0.0005, lon, r)
            for i, (_, k, lat, lon, r) in enumerate(GOOD)
        ],
    )
    report = import_sites(path, ImportChoices(kind=Kind.POLLING_STATION))
    version = save_sites(
        load_operation(folder),
        report.accepted,
        file_name=path.name,
        sha256=file_sha256(path),
        counts=report.counts,
        **kwargs,
    )
    return report, version


@pytest.mark.usefixtures("store_backend")
def test_save_history_and_rollback(op_folder: Path, tmp_path: Path) -> None:
    seed = load_operation(op_folder)
    assert seed.version is None
    report, version = _import(op_folder, tmp_path, who="Kabag Ops")
    assert version.version == 2
    history = store_for(op_folder).history()
    assert [v.action for v in history] == ["initial", "import"]
    assert history[1].who == "Kabag Ops" and len(history[1].sha256) == 64
    assert history[1].rows_read == len(GOOD) and history[1].accepted == len(GOOD)
    current = load_operation(op_folder)
    assert current.version == 2
    assert len(current.sites) == len(seed.sites) + len(GOOD)
    assert set(report.accepted["site_id"]) <= set(current.sites["site_id"])
    restored = store_for(op_folder).rollback(1, base_version=2, who="Kapolres")
    assert restored.version == 3 and restored.action == "rollback"
    assert len(load_operation(op_folder).sites) == len(seed.sites)
    assert [v.version for v in store_for(op_folder).history()] == [1, 2, 3]
    with pytest.raises(StoreError, match="does not exist"):
        store_for(op_folder).rollback(9, base_version=3)


@pytest.mark.usefixtures("store_backend")
def test_replace_kinds_swaps_a_whole_list(op_folder: Path, tmp_path: Path) -> None:
    _import(op_folder, tmp_path, replace_kinds=True, confirmed=True)
    sites = load_operation(op_folder).sites
    assert (sites["kind"] == "polling_station").sum() == len(GOOD)
    assert (sites["kind"] == "police_post").sum() > 0  # other kinds stay


@pytest.mark.usefixtures("store_backend")
def test_update_by_site_id(op_folder: Path) -> None:
    seed = load_operation(op_folder)
    first = seed.sites[seed.sites["kind"] == "polling_station"].iloc[[0]].copy()
    first["name"] = "TPS renamed"
    save_sites(seed, first)
    sites = load_operation(op_folder).sites
    assert len(sites) == len(seed.sites)
    assert sites.set_index("site_id").loc[first["site_id"].iloc[0], "name"] == "TPS renamed"


@pytest.mark.gpkg_only  # the file itself (see tests/geo/test_pgstore.py)
@pytest.mark.usefixtures("store_backend")
def test_store_opens_as_a_geopackage(op_folder: Path, tmp_path: Path) -> None:
    _import(op_folder, tmp_path)
    path = store_for(op_folder).path
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert {"site_rows", "sites_current", "site_versions", "history"} <= layers
    # the newest version is a layer GDAL (and so QGIS) reads: the view of its rows
    view = pyogrio.read_dataframe(path, layer="sites_current")
    current = load_operation(op_folder).sites
    assert sorted(view["site_id"]) == sorted(current["site_id"])
    assert view.crs.to_epsg() == 4326 and set(view.geom_type) == {"Point"}


_WRITER = """
import sys
import geopandas as gpd
import numpy as np
from geo.operation import load_operation, save_sites
folder = sys.argv[1]
operation = load_operation(folder)
n = 400_000
rng = np.random.default_rng(0)
sites = gpd.GeoDataFrame(
    {"site_id": [f"BIG-{i}" for i in range(n)], "kind": "polling_station",
     "name": [f"TPS {i}" for i in range(n)], "risk": "kurang_rawan",
     "location_quality": "synthetic"},
    geometry=gpd.points_from_xy(106.1 + rng.normal(0, 0.02, n), -2.1 + rng.normal(0, 0.02, n)),
    crs="EPSG:4326")
print("WRITING", flush=True)
save_sites(operation, sites)
print("DONE", flush=True)
"""


@pytest.mark.gpkg_only  # the file itself (see tests/geo/test_pgstore.py)
@pytest.mark.usefixtures("store_backend")
def test_a_save_killed_half_way_leaves_the_previous_version(
    op_folder: Path, tmp_path: Path
) -> None:
    _, before = _import(op_folder, tmp_path)
    store = store_for(op_folder)
    size_before = store.path.stat().st_size
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, str(script), str(op_folder)], env=env, stdout=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout.readline().strip() == "WRITING"
        deadline = time.monotonic() + 60
        while store.path.stat().st_size == size_before and time.monotonic() < deadline:
            time.sleep(0.01)  # wait until the new layer is being written, then kill
        assert store.path.stat().st_size != size_before, "the writer never started writing"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert store.latest() == before  # the half-written version was never committed
    sites = load_operation(op_folder).sites
    assert len(sites) == before.sites
    assert not sites["site_id"].str.startswith("BIG-").any()
    _, after = _import(op_folder, tmp_path, tag="8")  # the next save reuses the number cleanly
    assert after.version == before.version + 1
    assert len(store.read_sites(after.version)) == after.sites


def test_column_names_never_clash_ignoring_case() -> None:
    names = unique_column_names(
        ["Kelurahan", "dpt", "DPT", "Name", "fid"], reserved=("kelurahan", "name", "fid")
    )
    assert names == ["src_Kelurahan", "dpt", "DPT_2", "src_Name", "src_fid"]
