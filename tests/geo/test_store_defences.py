"""The store's defences: a commit that fails changes nothing and leaves no layer behind, two
saves at the same moment never lose one (the later one is refused), a damaged workspace is
reported as damaged, a version whose layer is missing is skipped with a note, and backups.

The tests taking `store` or `store_backend` run on both backends; those marked ``gpkg_only``
are about the GeoPackage file itself (SQLite pages, layers, triggers and damage written into
the file), which has no counterpart in a PostgreSQL database: there the versions are rows
that triggers keep from being changed (tested below)."""

from __future__ import annotations

import io
import multiprocessing
import shutil
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.db import Database
from geo.importer import ImportChoices, import_sites
from geo.model import Kind
from geo.operation import SAMPLE_OPERATION, load_operation, rollback, save_sites, store_for
from geo.pgstore import PostgisStore
from geo.store import Seed, Store, StoreConflict, StoreDamaged, StoreError, VersionStore
from geo.text import localized
from tests.conftest import StoreBackend
from tests.geo.test_importer import GOOD, write_csv

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
    """A connection whose COMMIT of a history row fails as a full disk or a lost lock would."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        if sql.startswith("INSERT INTO history"):
            self.history_written = True
        if sql.strip().upper() == "COMMIT" and getattr(self, "history_written", False):
            raise sqlite3.OperationalError("disk I/O error (injected at COMMIT)")
        return super().execute(sql, *args)


def _failing_connect(store: VersionStore) -> sqlite3.Connection:
    return sqlite3.connect(store.path, timeout=30, isolation_level=None, factory=_CommitFails)


def _spec(folder: Path, backend: StoreBackend) -> str:
    """Where a store lies, as text a child process can open (see `_open`)."""
    return f"{backend.url}#{folder.name}" if backend.is_postgis else str(folder / "store.gpkg")


def _open(spec: str) -> VersionStore:
    """The store `_spec` names: a PostGIS database and operation, or a GeoPackage file."""
    if spec.startswith("postgresql://"):
        url, operation = spec.rsplit("#", 1)
        return PostgisStore(Database(url), operation)
    return Store(Path(spec))


@pytest.fixture
def store(tmp_path: Path, store_backend: StoreBackend) -> VersionStore:
    store = _open(_spec(tmp_path / "op", store_backend))
    store.save(_sites("first", 3), action="initial", base_version=None, who="Bag Ops")
    return store


def _assert_only_first(store: VersionStore) -> None:
    history = store.history()
    assert [(v.version, v.action, v.sites) for v in history] == [(1, "initial", 3)]
    assert sorted(store.read_sites()["site_id"]) == ["first-0", "first-1", "first-2"]
    with pytest.raises(StoreError, match="Version 2 does not exist"):
        store.read_sites(2)


@pytest.mark.gpkg_only
def test_a_commit_that_fails_at_commit_leaves_history_unchanged(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(Store, "_connect", _failing_connect)
    with pytest.raises(StoreError) as info:
        store.save(_sites("second", 5), action="import", base_version=1, who="Bag Ops")
    assert info.value.key == "store.write_failed"
    assert str(info.value) == (
        f"Workspace {str(store.path)!r} cannot be written: disk I/O error (injected at "
        "COMMIT). Nothing was changed."
    )
    monkeypatch.undo()
    _assert_only_first(store)
    # the layer written before the failed commit was dropped: no orphan
    assert "sites_v0002" not in _layers(store.path)
    version = store.save(_sites("third", 4), action="import", base_version=1)
    assert version.version == 2
    assert sorted(store.read_sites(2)["writer"]) == ["third"] * 4
    assert len(store.read_sites(1)) == 3


@pytest.mark.gpkg_only
def test_a_history_insert_that_fails_leaves_history_unchanged(store: Store) -> None:
    with sqlite3.connect(store.path) as con:
        con.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON history "
            "BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END"
        )
    with pytest.raises(StoreError, match="refused by trigger"):
        store.save(_sites("second", 5), action="import", base_version=1)
    _assert_only_first(store)
    assert "sites_v0002" not in _layers(store.path)
    with sqlite3.connect(store.path) as con:
        con.execute("DROP TRIGGER refuse")
    assert store.save(_sites("third", 2), action="import", base_version=1).version == 2


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
        store.save(_sites("first", 3), action="initial", base_version=None)
    assert store.history() == []
    assert _layers(store.path) == {"probe"}
    with sqlite3.connect(store.path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "history" not in tables
    with pytest.raises(StoreError, match="holds no saved version"):
        store.read_sites()


# --- two processes at once ----------------------------------------------------------------


def _writer(spec: str, tag: str, barrier: Any, results: Any) -> None:
    """Each round: read the newest version, wait for the other writer, save on top of it."""
    store = _open(spec)
    for round_no in range(ROUNDS):
        rows = 2 + round_no + (3 if tag == "b" else 0)
        name = f"{tag}{round_no}"
        base = store.latest().version
        barrier.wait(timeout=60)
        try:
            version = store.save(_sites(name, rows), action="import", base_version=base, who=name)
        except StoreConflict as exc:
            results.put((name, rows, base, None, str(exc)))
        else:
            results.put((name, rows, base, version.version, ""))
        barrier.wait(timeout=60)  # both rounds end before the next one reads


def test_two_processes_saving_at_once_never_lose_a_save(
    tmp_path: Path, store_backend: StoreBackend
) -> None:
    path = _spec(tmp_path, store_backend)
    _open(path).save(_sites("seed", 1), action="initial", base_version=None)
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
    store = _open(path)
    history = store.history()
    saved = [(name, rows, base, v) for name, rows, base, v, _ in outcomes if v is not None]
    refused = [(name, base, err) for name, _, base, v, err in outcomes if v is None]
    # each round both writers started from the same version: exactly one of them saved on
    # top of it, the other was told who came first
    assert len(saved) == len(refused) == ROUNDS
    assert sorted(base for *_, base, _ in saved) == sorted(base for _, base, _ in refused)
    assert all(v == base + 1 for *_, base, v in saved)
    by_version = {v.version: v for v in history}
    for name, base, err in refused:
        winner = by_version[base + 1]
        assert f"Version {base + 1} was saved at {winner.saved_at} by {winner.who}" in err
        assert err.endswith("reload and import again.")
        assert name != winner.who
    assert [v.version for v in history] == list(range(1, ROUNDS + 2))
    for name, rows, _, number in saved:
        assert by_version[number].who == name
        assert by_version[number].sites == rows
        frame = store.read_sites(number)
        assert sorted(frame["site_id"]) == sorted(f"{name}-{i}" for i in range(rows)), number


def _cli_import(folder: str, csv: str, tag: str, barrier: Any, results: Any) -> None:
    """`posko import --yes` in this process; it waits for the other one just before saving,
    so both have loaded the same version."""
    import cli

    real = cli.save_sites

    def save_together(*args: Any, **kwargs: Any) -> Any:
        barrier.wait(timeout=120)
        return real(*args, **kwargs)

    cli.save_sites = save_together
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(
            ["--as", tag, "import", csv, "--into", folder, "--kind", "polling_station", "--yes"]
        )
    results.put((tag, code, err.getvalue()))


@pytest.mark.usefixtures("store_backend")
def test_two_concurrent_cli_imports_lose_no_rows(tmp_path: Path) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    files = {}
    for tag, shift in (("a", 0.0004), ("b", -0.0004)):
        rows = [
            (f"TPS 9{i:02d} {tag.upper()} {k}", k, lat + shift, lon, r)
            for i, (_, k, lat, lon, r) in enumerate(GOOD)
        ]
        files[tag] = write_csv(tmp_path / f"tps_{tag}.csv", rows)
    seed_ids = set(load_operation(folder).sites["site_id"])
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_cli_import, args=(str(folder), str(files[tag]), tag, barrier, results))
        for tag in files
    ]
    for p in procs:
        p.start()
    outcomes = {tag: (code, err) for tag, code, err in (results.get(timeout=300) for _ in procs)}
    for p in procs:
        p.join(timeout=60)
    history = store_for(folder).history()
    names = set(load_operation(folder).sites["name"])
    saved = [tag for tag, (code, _) in outcomes.items() if code == 0]
    refused = [tag for tag, (code, _) in outcomes.items() if code != 0]
    assert saved, outcomes
    for tag in saved:  # a save that said so holds its rows
        assert {f"TPS 9{i:02d} {tag.upper()} {k}" for i, (_, k, *_r) in enumerate(GOOD)} <= names
    for tag in refused:  # a refusal says why and what to do, and saved nothing
        code, err = outcomes[tag]
        assert code == 2 and "Traceback" not in err
        assert "muat ulang dan impor lagi" in err
        assert f"oleh {saved[0]}" in err
        assert not any(n.startswith("TPS 9") and f" {tag.upper()} " in n for n in names)
    assert [v.action for v in history] == ["initial"] + ["import"] * len(saved)
    assert {v.who for v in history[1:]} == set(saved)
    assert seed_ids <= set(load_operation(folder).sites["site_id"])


# --- a damaged workspace ------------------------------------------------------------------


@pytest.mark.gpkg_only
@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage"])
def test_a_damaged_store_is_reported_as_damaged_never_as_empty(store: Store, damage: str) -> None:
    store.save(_sites("second", 400), action="import", base_version=1)
    backup = store.backup()
    size = store.path.stat().st_size
    if damage == "empty":
        store.path.write_bytes(b"")
    elif damage == "truncated":
        with store.path.open("r+b") as f:
            f.truncate(size - 4096)
    else:
        store.path.write_bytes(b"PK\x03\x04" + b"x" * 5000)
    before = store.path.read_bytes()
    for read in (store.history, store.latest, store.read_sites, store.current, store.verify):
        with pytest.raises(StoreDamaged) as info:
            read()
        assert info.value.key == "store.damaged"
        message = str(info.value)
        assert "DAMAGED" in message and "holds no saved version" not in message
        assert f"Newest backup: {backup} (v2, " in message
    with pytest.raises(StoreDamaged):
        store.save(_sites("third", 2), action="import", base_version=2)
    with pytest.raises(StoreDamaged):
        store.backup()
    assert store.path.read_bytes() == before  # nothing written over the evidence
    assert store.backups() == [backup]


@pytest.mark.gpkg_only
def test_damage_names_the_last_version_that_still_reads(store: Store) -> None:
    last = store.save(_sites("second", 2), action="import", base_version=1)
    with store.path.open("ab") as f:
        f.write(b"half a page" * 10)
    with pytest.raises(StoreDamaged) as info:
        store.history()
    assert "bytes is not a whole number of pages" in str(info.value)
    assert f"Last good version still readable: 2 ({last.saved_at})." in str(info.value)
    assert "Versi baik terakhir yang masih terbaca: 2" in localized(info.value, "id")


@pytest.mark.gpkg_only
def test_a_version_whose_pages_are_damaged_is_skipped_and_verify_says_so(store: Store) -> None:
    store.save(_sites("second", 2000), action="import", base_version=1)
    with sqlite3.connect(store.path) as con:
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
    # the page of site_rows holding version 2's last row (rows are appended in order)
    at = store.path.read_bytes().index(b'"second-1999"')
    with store.path.open("r+b") as f:
        f.seek(at // page_size * page_size)
        f.write(b"\xff" * page_size)
    current = store.current()
    assert current.version.version == 1 and len(current.sites) == 3
    (note,) = current.notes
    assert note.key == "store.version_skipped" and note.params["version"] == 2
    checks = store.verify()
    assert [c.ok for c in checks] == [True, False]
    assert checks[1].problem.key == "store.check_unreadable"
    assert store.integrity() == "database disk image is malformed"
    # the damaged version is still in the history; the rows all versions share cannot take
    # more rows until a backup is restored: a save is refused, nothing written
    assert [v.version for v in store.history()] == [1, 2]
    with pytest.raises(StoreError) as info:
        store.save(_sites("third", 1), action="import", base_version=1)
    assert info.value.key == "store.write_failed"
    assert [v.version for v in store.history()] == [1, 2]


def test_a_version_whose_layer_is_missing_is_skipped_with_a_note(tmp_path: Path) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    store = store_for(folder)
    seed = load_operation(folder)
    store.save(seed.sites.iloc[:5], action="import", base_version=None)
    store.save(seed.sites.iloc[:7], action="import", base_version=1)
    _drop_layer(store.path, "sites_v0002")
    assert [v.version for v in store.history()] == [1]
    assert [v.version for v in store.skipped()] == [2]
    operation = load_operation(folder)
    assert (operation.version, len(operation.sites)) == (1, 5)
    (note,) = operation.notes
    assert note.key == "store.version_skipped" and note.params["fallback"] == 1
    assert "Version 2 (" in note.message and "'sites_v0002' is missing" in note.message
    checks = store.verify()
    assert [(c.version.version, c.ok) for c in checks] == [(1, True), (2, False)]
    assert checks[1].problem.render("en") == "layer 'sites_v0002' is missing"
    # the next save builds on the last good version and takes a new number
    assert store.save(seed.sites.iloc[:3], action="import", base_version=1).version == 3
    assert len(load_operation(folder).sites) == 3


@pytest.mark.gpkg_only
def test_verify_flags_non_finite_points_and_wrong_counts(store: Store) -> None:
    bad = _sites("bad", 3)
    bad.loc[1, "geometry"] = Point(float("nan"), -2.1)
    store.save(bad, action="import", base_version=1)
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE history SET sites = 9 WHERE version = 1")
    checks = {c.version.version: c.problem.render("id") for c in store.verify() if c.problem}
    assert checks == {
        1: "berisi 3 lokasi, riwayat mencatat 9",
        2: "1 lokasi tanpa koordinat terhingga",
    }


def test_a_save_of_too_many_columns_fails_before_writing(store: VersionStore) -> None:
    wide = _sites("wide", 2)
    for i in range(3000):
        wide[f"kolom_{i}"] = "x"
    with pytest.raises(StoreError) as info:
        store.save(wide, action="import", base_version=1)
    assert info.value.key == "store.too_many_columns"
    assert str(info.value).startswith("The sites have 3,005 columns; the workspace holds at most")
    _assert_only_first(store)


@pytest.mark.gpkg_only
def test_an_orphan_layer_from_a_killed_save_is_dropped_by_the_next(store: Store) -> None:
    _sites("orphan", 2).to_file(store.path, layer="sites_v0002", driver="GPKG")
    _sites("orphan", 2).to_file(store.path, layer="sites_v0007", driver="GPKG")
    _sites("other", 1).to_file(store.path, layer="notes", driver="GPKG")
    version = store.save(_sites("next", 4), action="import", base_version=1)
    assert version.version == 2
    assert sorted(store.read_sites(2)["writer"]) == ["next"] * 4
    assert _layers(store.path) == {"history", "site_versions", "site_rows", "sites_current"} | {
        "notes"
    }


# --- conflicts ------------------------------------------------------------------------------


def test_a_save_based_on_an_older_version_is_refused(store: VersionStore) -> None:
    first = store.save(_sites("a", 2), action="import", base_version=1, who="Bripka Ani")
    with pytest.raises(StoreConflict) as info:
        store.save(_sites("b", 2), action="import", base_version=1, who="Brigadir Budi")
    assert info.value.key == "store.conflict"
    assert str(info.value) == (
        f"Version 2 was saved at {first.saved_at} by Bripka Ani, after version 1 this change "
        "started from. Nothing was saved, so that change is not lost: reload and import again."
    )
    assert "muat ulang dan impor lagi" in localized(info.value, "id")
    with pytest.raises(StoreConflict, match="from the operation folder's own files"):
        store.save(_sites("b", 2), action="import", base_version=None)
    assert [v.version for v in store.history()] == [1, 2]


def test_the_first_save_keeps_the_seed_under_the_same_lock(
    tmp_path: Path, store_backend: StoreBackend
) -> None:
    store = _open(_spec(tmp_path, store_backend))
    seed = Seed(_sites("seed", 2), "sites.geojson", "Bag Ops", "the folder's own sites")
    version = store.save(_sites("new", 3), action="import", base_version=None, seed=seed)
    history = store.history()
    assert [(v.version, v.action, v.file_name, v.sites) for v in history] == [
        (1, "initial", "sites.geojson", 2),
        (2, "import", "", 3),
    ]
    assert version == history[1]
    # a second first save (from a stale load) is refused, not seeded again
    with pytest.raises(StoreConflict):
        store.save(_sites("late", 1), action="import", base_version=None, seed=seed)


@pytest.mark.usefixtures("store_backend")
def test_a_stale_operation_cannot_save_or_roll_back(tmp_path: Path) -> None:
    folder = tmp_path / "latihan"
    shutil.copytree(SAMPLE_OPERATION, folder)
    stale = load_operation(folder)
    rows = write_csv(
        tmp_path / "tps.csv",
        [(f"TPS 8{i:02d}", k, lat, lon, r) for i, (_, k, lat, lon, r) in enumerate(GOOD)],
    )
    accepted = import_sites(rows, ImportChoices(kind=Kind.POLLING_STATION)).accepted
    save_sites(load_operation(folder), accepted, who="Bripka Ani")
    with pytest.raises(StoreConflict, match="by Bripka Ani"):
        save_sites(stale, accepted.iloc[:2])
    fresh = load_operation(folder)
    with pytest.raises(StoreConflict):
        rollback(stale, 1, confirmed=True)
    restored = rollback(fresh, 1, confirmed=True)
    assert restored.version == 3
    assert len(store_for(folder).backups()) == 1  # taken before the rollback


# --- backups ------------------------------------------------------------------------------


@pytest.mark.gpkg_only
def test_a_backup_is_a_whole_copy_next_to_the_store(store: Store) -> None:
    store.save(_sites("second", 2), action="import", base_version=1)
    first = store.backup()
    second = store.backup()
    assert first != second and first.parent == second.parent == store.path.parent
    assert first.name.startswith("store-backup-") and first.suffix == ".gpkg"
    assert store.backups() == [first, second]
    copy = Store(first)
    assert copy.history() == store.history()
    assert sorted(copy.read_sites(2)["site_id"]) == sorted(store.read_sites(2)["site_id"])
    assert [c.ok for c in copy.verify()] == [True, True]


def test_rollback_takes_a_backup_first(store: VersionStore) -> None:
    store.save(_sites("second", 2), action="import", base_version=1)
    store.rollback(1, base_version=2)
    (backup,) = store.backups()
    if isinstance(store, Store):
        assert [v.version for v in Store(backup).history()] == [1, 2]
    else:  # a restore point names the versions then newest
        assert backup.version == 2 and backup.name == "backup-1-v2"
    assert [v.version for v in store.history()] == [1, 2, 3]


def _drop_layer(path: Path, layer: str) -> None:
    """Lose a version's rows: its layer (a store from before rows were shared), else its
    row of ``site_versions``."""
    with sqlite3.connect(path) as con:
        shared = con.execute("SELECT 1 FROM site_versions WHERE layer = ?", (layer,)).fetchone()
        if shared:
            con.execute("DELETE FROM site_versions WHERE layer = ?", (layer,))
            return
        con.execute(f"DROP TABLE rtree_{layer}_geom")
        con.execute(f"DROP TABLE {layer}")
        for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions"):
            con.execute(f"DELETE FROM {table} WHERE table_name = ?", (layer,))
