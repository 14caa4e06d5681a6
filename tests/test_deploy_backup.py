"""docs/DEPLOY.md's backup and restore, run: a PostGIS store holding an operation with
versions and plans is dumped with `pg_dump --format=custom`, restored with `pg_restore` into
a new database, and the restored store reads the same."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.db import DATABASE_URL_ENV
from geo.model import Col
from geo.operation import WORKSPACE_ENV, load_operation, save_sites, store_for
from geo.plans import Plans
from tests.conftest import site
from tests.pg import PostgisServer

SETTINGS = """[operation]
title = "Cadangan"
classification = "TERBATAS"
language = "id"
synthetic = true
"""


def _sites(shift_m: float = 0.0) -> gpd.GeoDataFrame:
    """Twelve TPS and two posts; `shift_m` moves the first TPS east (a new version)."""
    rows = [
        site(f"TPS-{i:02d}", "polling_station", 106.10 + 0.002 * i, -2.10, risk="rawan")
        for i in range(12)
    ]
    rows[0]["lon"] += shift_m / 111_000
    rows += [
        site("POS-1", "police_post", 106.105, -2.101, post_type="pos_pam", personnel=6),
        site("POS-2", "police_post", 106.115, -2.099, post_type="polsek", personnel=12),
    ]
    frame = pd.DataFrame(rows)
    points = gpd.points_from_xy(frame.pop("lon"), frame.pop("lat"))
    return gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")


def _checksum(frame: gpd.GeoDataFrame) -> str:
    """SHA-256 of the sites' ids, kinds and coordinates (rounded to 1 cm), in id order."""
    frame = frame.sort_values(Col.SITE_ID)
    text = "\n".join(
        f"{sid}|{kind}|{geom.x:.7f}|{geom.y:.7f}"
        for sid, kind, geom in zip(frame[Col.SITE_ID], frame[Col.KIND], frame.geometry, strict=True)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _read_back(folder: Path) -> dict:
    """Everything a planner would notice: history, every version's sites, plans and their
    contents, the operation as the app loads it."""
    store = store_for(folder)
    history = [(v.version, v.action, v.sites, v.who, v.file_name) for v in store.history()]
    versions = {v.version: _checksum(store.read_sites(v.version)) for v in store.history()}
    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    contents = {
        info.name: (info.version, info.status, plans.content(info.plan_id).to_json())
        for info in plans.list()
    }
    current = plans.current()
    return {
        "history": history,
        "versions": versions,
        "plans": contents,
        "current": current.name if current else None,
        "sites": len(operation.sites),
        "checks": [c.ok for c in store.verify()],
    }


def _tool(server: PostgisServer, name: str, *args: str) -> None:
    done = subprocess.run([str(server.bin / name), *args], capture_output=True, text=True)
    assert done.returncode == 0, f"{name} failed: {done.stderr}"


def test_pg_dump_and_pg_restore_keep_the_store(
    postgis_server: PostgisServer,
    postgis_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(WORKSPACE_ENV, str(tmp_path / "workspace"))
    monkeypatch.setenv(DATABASE_URL_ENV, postgis_url)
    folder = tmp_path / "workspace" / "cadangan"
    folder.mkdir(parents=True)
    (folder / "operation.toml").write_text(SETTINGS, encoding="utf-8")
    save_sites(load_operation(folder), _sites(), file_name="tps-1.geojson", who="perencana")
    save_sites(load_operation(folder), _sites(250), file_name="tps-2.geojson", who="perencana")
    operation = load_operation(folder)
    plans = Plans.for_operation(operation)
    content = operation.plan_content.with_post_moved("POS-1", 106.107, -2.101)
    first = plans.create("Rencana A", content, who="perencana", make_current=True)
    plans.save(
        first.plan_id,
        content.with_post_moved("POS-2", 106.118, -2.099),
        base_version=first.version,
        who="perencana",
    )
    plans.create("Rencana B", operation.plan_content, who="perencana")
    before = _read_back(folder)
    assert len(before["history"]) >= 2 and len(set(before["versions"].values())) >= 2
    assert set(before["plans"]) >= {"Rencana A", "Rencana B"}

    dump = tmp_path / "posko.dump"
    _tool(postgis_server, "pg_dump", "--format=custom", "--no-owner", f"--file={dump}", postgis_url)
    restored_name = f"{postgis_url.rsplit('/', 1)[1]}_restored"
    postgis_server.sql(f"CREATE DATABASE {restored_name} TEMPLATE template0")
    restored_url = postgis_server.url(restored_name)
    try:
        _tool(postgis_server, "pg_restore", "--no-owner", f"--dbname={restored_url}", str(dump))
        monkeypatch.setenv(DATABASE_URL_ENV, restored_url)
        after = _read_back(folder)
    finally:
        postgis_server.sql(f"DROP DATABASE IF EXISTS {restored_name} WITH (FORCE)")
    assert after == before
    assert all(after["checks"])
    assert after["current"] == "Rencana A"
