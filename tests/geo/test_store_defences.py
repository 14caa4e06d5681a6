"""The store's defences: a commit that fails changes nothing, and two processes saving into one
workspace at the same moment both end up with their own version (or a clear refusal)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.store import Store, StoreError

WRITERS = 2
ROUNDS = 4


def _sites(tag: str, n: int) -> gpd.GeoDataFrame:
    """`n` polling stations whose ids and `writer` column say who wrote them."""
    return gpd.GeoDataFrame(
        {
            "site_id": [f"{tag}-{i}" for i in range(n)],
            "kind": ["polling_station"] * n,
            "name": [f"TPS {i:03d} {tag}" for i in range(n)],
            "writer": [tag] * n,
        },
        geometry=[Point(106.1 + i * 1e-3, -2.1 - i * 1e-3) for i in range(n)],
        crs="EPSG:4326",
    )


def _layers(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}


class _CommitFails(sqlite3.Connection):
    """A connection whose COMMIT fails as a full disk or a lost lock would make it fail."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        if sql.strip().upper() == "COMMIT":
            raise sqlite3.OperationalError("disk I/O error (injected at COMMIT)")
        return super().execute(sql, *args)


def _failing_connect(store: Store) -> sqlite3.Connection:
    return sqlite3.connect(store.path, timeout=30, isolation_level=None, factory=_CommitFails)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "op" / "store.gpkg")
    store.save(_sites("first", 3), action="initial", who="Bag Ops")
    return store


def _assert_only_first(store: Store) -> None:
    history = store.history()
    assert [(v.version, v.action, v.sites) for v in history] == [(1, "initial", 3)]
    assert sorted(store.read_sites()["site_id"]) == ["first-0", "first-1", "first-2"]
    with pytest.raises(StoreError, match="Version 2 does not exist"):
        store.read_sites(2)


def test_a_commit_that_fails_at_commit_leaves_history_unchanged(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(Store, "_connect", _failing_connect)
    with pytest.raises(StoreError) as info:
        store.save(_sites("second", 5), action="import", who="Bag Ops")
    assert str(info.value) == (
        f"Workspace {str(store.path)!r} cannot be written: disk I/O error (injected at COMMIT)."
    )
    monkeypatch.undo()
    _assert_only_first(store)
    # the layer written before the failed commit is not a version, and the next save
    # takes its place
    assert "sites_v0002" in _layers(store.path)
    version = store.save(_sites("third", 4), action="import")
    assert version.version == 2
    assert sorted(store.read_sites(2)["writer"]) == ["third"] * 4
    assert len(store.read_sites(1)) == 3


def test_a_history_insert_that_fails_leaves_history_unchanged(store: Store) -> None:
    with sqlite3.connect(store.path) as con:
        con.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON history "
            "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
        )
    with pytest.raises(StoreError, match="refused by trigger"):
        store.save(_sites("second", 5), action="import")
    _assert_only_first(store)
    with sqlite3.connect(store.path) as con:
        con.execute("DROP TRIGGER refuse")
    assert store.save(_sites("third", 2), action="import").version == 2


def test_a_first_save_that_fails_leaves_no_history_behind(tmp_path: Path) -> None:
    """On a fresh workspace the history table and its registration are made in the same
    transaction as the first row: a failure leaves neither."""
    store = Store(tmp_path / "store.gpkg")
    _sites("probe", 1).to_file(store.path, layer="probe", driver="GPKG")
    with sqlite3.connect(store.path) as con:
        con.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON gpkg_contents WHEN NEW.table_name = 'history' "
            "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
        )
    with pytest.raises(StoreError, match="refused by trigger"):
        store.save(_sites("first", 3), action="initial")
    assert store.history() == []
    with sqlite3.connect(store.path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "history" not in tables
    with pytest.raises(StoreError, match="holds no saved version"):
        store.read_sites()


# --- two processes at once ----------------------------------------------------------------


def _writer(path: str, tag: str, barrier: Any, results: Any) -> None:
    """Save one version per round, all writers released together by the barrier."""
    store = Store(Path(path))
    for round_no in range(ROUNDS):
        rows = 2 + round_no + (3 if tag == "b" else 0)
        name = f"{tag}{round_no}"
        barrier.wait(timeout=60)
        try:
            version = store.save(_sites(name, rows), action="import", who=name)
        except StoreError as exc:
            results.put((name, rows, None, str(exc)))
        else:
            results.put((name, rows, version.version, ""))


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.gpkg"
    Store(path).save(_sites("seed", 1), action="initial")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WRITERS)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(str(path), tag, barrier, results))
        for tag in ("a", "b")[:WRITERS]
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=240) for _ in range(WRITERS * ROUNDS)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    store = Store(path)
    history = store.history()
    saved = [(name, rows, v) for name, rows, v, _ in outcomes if v is not None]
    refused = [(name, err) for name, _, v, err in outcomes if v is None]
    # every refusal is a clear StoreError naming the workspace; every success is its own
    # version holding exactly the rows that writer saved
    assert all(str(path) in err for _, err in refused), refused
    assert len(saved) >= ROUNDS
    versions = [v for _, _, v in saved]
    assert len(set(versions)) == len(versions)
    assert [v.version for v in history] == list(range(1, len(saved) + 2))
    by_version = {v.version: v for v in history}
    for name, rows, number in saved:
        assert by_version[number].who == name
        assert by_version[number].sites == rows
        frame = store.read_sites(number)
        assert sorted(frame["site_id"]) == sorted(f"{name}-{i}" for i in range(rows)), number
