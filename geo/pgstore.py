"""The shared store on PostgreSQL + PostGIS: every operation of a Polda in one database.

Chosen by ``POSKO_DATABASE_URL`` (see :func:`geo.store.store_for`), behind the same interface
as the embedded GeoPackage (:class:`geo.store.VersionStore`: the history, conflicts and
rollback are that class's, shared). The layout, created and changed by Posko's own numbered
migrations (component "store"):

- ``operations``: one row per operation (its folder name), the row every write locks;
- ``store_history``: the versions, the GeoPackage's history columns keyed by operation;
- ``store_rows``: every distinct site row of the operation once (see :mod:`geo.siterows`),
  geometry in PostGIS (``geometry(Point, 4326)``, GIST-indexed), the other columns as JSON; a
  version's history row holds its row ids in order (``members``, packed) and its column names
  and types, so a new version writes only the rows no version had;
- ``store_sites`` / ``store_areas``: the rows of versions saved before rows were shared
  (read as they are), and the areas (``geometry(MultiPolygon, 4326)``, GIST-indexed);
- ``plan_versions`` / ``plan_current``: the plans (:mod:`geo.plans`), keyed by operation;
- ``store_backups``: restore points (see :meth:`PostgisStore.backup`).

A version's rows are written once and never changed: triggers refuse UPDATE and DELETE on
the history, the sites, the areas and the plan versions. Every write (a save, a rollback, a
plan change) is one transaction that first locks its operation's row (``SELECT … FOR
UPDATE``) and then compares the version it was based on with the newest one, so of two app
processes saving the same list or plan the later is refused (:class:`StoreConflict`); what
one process saved the other reads on its next load (each read is a fresh statement).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import shapely

from geo.crs import WGS84
from geo.db import Connection, Database, Migration
from geo.siterows import (
    EncodedRows,
    assign_ids,
    decode_rows,
    encode_rows,
    indexable,
    pack_ids,
    positions,
    unpack_ids,
)
from geo.store import (
    PLAN_COLUMNS,
    PlanConnection,
    PlanScope,
    StoreError,
    Version,
    VersionStore,
    storable,
)

__all__ = ["MIGRATIONS", "TABLES", "PostgisStore", "RestorePoint"]

_HISTORY_COLUMNS = tuple(Version.__dataclass_fields__)
_LAYER = re.compile(r"(sites|areas)_v(\d{4,})")
_APPEND_ONLY = ("store_history", "store_sites", "store_areas", "plan_versions")
TABLES = (
    "operations",
    "store_history",
    "store_rows",
    "store_sites",
    "store_areas",
    "store_backups",
    "plan_versions",
    "plan_current",
)
"""The store's tables."""

MIGRATIONS = (
    Migration(
        "store",
        1,
        sqlite=(),
        postgresql=(
            "CREATE EXTENSION IF NOT EXISTS postgis",
            "CREATE TABLE operations (id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
            "created_at TEXT NOT NULL, revision BIGINT NOT NULL DEFAULT 0)",
            "CREATE TABLE store_history (operation_id INTEGER NOT NULL REFERENCES "
            "operations (id), version INTEGER NOT NULL, layer TEXT NOT NULL, action TEXT NOT "
            "NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, saved_at TEXT NOT NULL, "
            "rows_read INTEGER NOT NULL, accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, "
            "sites INTEGER NOT NULL, who TEXT NOT NULL, note TEXT NOT NULL, areas_layer TEXT "
            "NOT NULL, site_columns JSONB NOT NULL, area_columns JSONB, "
            "PRIMARY KEY (operation_id, version))",
            "CREATE TABLE store_sites (operation_id INTEGER NOT NULL, version INTEGER NOT NULL, "
            "row_no INTEGER NOT NULL, site_id TEXT, kind TEXT, props JSONB NOT NULL, "
            "geom geometry(Point, 4326), PRIMARY KEY (operation_id, version, row_no), "
            "FOREIGN KEY (operation_id, version) REFERENCES store_history)",
            "CREATE INDEX store_sites_geom ON store_sites USING GIST (geom)",
            "CREATE TABLE store_areas (operation_id INTEGER NOT NULL, version INTEGER NOT NULL, "
            "row_no INTEGER NOT NULL, props JSONB NOT NULL, geom geometry(MultiPolygon, 4326), "
            "PRIMARY KEY (operation_id, version, row_no), "
            "FOREIGN KEY (operation_id, version) REFERENCES store_history)",
            "CREATE INDEX store_areas_geom ON store_areas USING GIST (geom)",
            "CREATE TABLE store_backups (operation_id INTEGER NOT NULL REFERENCES operations "
            "(id), number INTEGER NOT NULL, taken_at TEXT NOT NULL, version INTEGER NOT NULL, "
            "plans JSONB NOT NULL, PRIMARY KEY (operation_id, number))",
            "CREATE TABLE plan_versions (operation_id INTEGER NOT NULL REFERENCES operations "
            "(id), plan_id TEXT NOT NULL, version INTEGER NOT NULL, saved_at TEXT NOT NULL, "
            "saved_by TEXT NOT NULL, action TEXT NOT NULL, note TEXT NOT NULL, name TEXT NOT "
            "NULL, status TEXT NOT NULL, content TEXT NOT NULL, "
            "PRIMARY KEY (operation_id, plan_id, version))",
            "CREATE TABLE plan_current (operation_id INTEGER PRIMARY KEY REFERENCES operations "
            "(id), plan_id TEXT NOT NULL, saved_at TEXT NOT NULL, saved_by TEXT NOT NULL)",
            "CREATE FUNCTION store_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'Posko keeps every version: % on % refused', TG_OP, TG_TABLE_NAME; "
            "END $$",
            *(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION store_append_only()"
                for table in _APPEND_ONLY
            ),
        ),
    ),
    Migration(
        "store",
        2,
        sqlite=(),
        postgresql=(
            "CREATE TABLE store_rows (operation_id INTEGER NOT NULL REFERENCES operations (id), "
            "row_id BIGINT NOT NULL, h1 BIGINT NOT NULL, h2 BIGINT NOT NULL, site_id TEXT, "
            "kind TEXT, props JSONB NOT NULL, geom geometry(Point, 4326), raw_geom BYTEA, "
            "PRIMARY KEY (operation_id, row_id))",
            "CREATE INDEX store_rows_geom ON store_rows USING GIST (geom)",
            "ALTER TABLE store_history ADD COLUMN members BYTEA",
            "CREATE TRIGGER store_rows_append_only BEFORE UPDATE OR DELETE ON store_rows "
            "FOR EACH ROW EXECUTE FUNCTION store_append_only()",
        ),
    ),
)
"""The store's numbered migrations (PostgreSQL only: the embedded store is a GeoPackage)."""

_migrated: set[str] = set()


@dataclass(frozen=True)
class RestorePoint:
    """A PostGIS backup: the versions of the sites and of every plan at one moment."""

    location: str
    number: int
    taken_at: str
    version: int
    plans: dict[str, int]

    @property
    def name(self) -> str:
        """A short name ("backup-3-v5")."""
        return f"backup-{self.number}-v{self.version}"

    def __str__(self) -> str:
        return f"{self.location} {self.name} ({self.taken_at})"


class PostgisStore(VersionStore):
    """The store of one operation in a PostgreSQL + PostGIS database.

    Parameters
    ----------
    db
        The deployment database (its store tables are migrated when first opened).
    operation
        The operation's name (its folder's name).
    folder
        The operation folder (``operation.toml`` and seed files), when known.
    """

    INTEGRITY_TEXT = "pgstore.integrity"

    def __init__(self, db: Database, operation: str, *, folder: Path | None = None) -> None:
        if db.kind != "postgresql":
            raise StoreError.from_text("pgstore.not_postgresql", url=db.safe_url)
        self.db = db
        self.operation = operation
        self.folder = folder
        self._con: Connection | None = None
        self._operation_id: int | None = None
        if db.url not in _migrated:
            db.migrate(MIGRATIONS)
            _migrated.add(db.url)

    @property
    def location(self) -> str:
        """The database (without its password) and the operation."""
        return f"{self.db.safe_url}#{self.operation}"

    def exists(self) -> bool:
        """Whether the database holds the operation."""
        with self._reading() as con:
            return self._id(con) is not None

    def signature(self) -> tuple[tuple[str, int, int], ...]:
        """The operation's revision, raised by every write (0 before the first)."""
        rows = self._of_operation("SELECT revision FROM operations o WHERE o.name = ?")
        return ((f"postgis:{self.operation}", int(rows[0][0]) if rows else 0, 0),)

    def check_file(self) -> None:
        """Nothing to check: the database refuses damaged rows itself (an unreachable one
        raises :class:`geo.db.DatabaseError` when used)."""

    def ensure_file(self) -> None:
        """Nothing to create: the migrations made the tables, a save makes the operation."""

    def integrity(self) -> str:
        """The store's tables and PostGIS are there, and every version's rows are as many as
        its history says: "ok", or what is wrong."""
        with self.db.reading() as con:
            missing = [table for table in TABLES if not con.has_table(table)]
            if missing:
                return f"missing tables: {', '.join(missing)}"
            con.execute("SELECT postgis_lib_version()").fetchone()
            wrong = con.execute(
                "SELECT h.version, h.sites, COUNT(s.row_no) FROM store_history h "
                "JOIN operations o ON o.id = h.operation_id LEFT JOIN store_sites s ON "
                "s.operation_id = h.operation_id AND s.version = h.version WHERE o.name = ? "
                "AND h.members IS NULL "
                "GROUP BY h.version, h.sites HAVING COUNT(s.row_no) <> h.sites",
                (self.operation,),
            ).fetchall()
            wrong += self._shared_counts(con)
        if wrong:
            return "; ".join(f"v{v}: {n} rows, history says {sites}" for v, sites, n in wrong)
        return "ok"

    def _shared_counts(self, con: Connection) -> list[tuple[int, int, int]]:
        """Versions saved with shared rows whose ids are not as many as the history says or
        name rows that are not stored: (version, sites, rows found)."""
        operation_id = self._id(con)
        found = con.execute(
            "SELECT version, sites, members FROM store_history WHERE operation_id = ? "
            "AND members IS NOT NULL ORDER BY version",
            (operation_id,),
        ).fetchall()
        if not found:
            return []
        stored = _copy_out(
            con,
            f"SELECT row_id FROM store_rows WHERE operation_id = {int(operation_id)}",
            {"row_id": pa.int64()},
        ).column("row_id")
        stored_ids = stored.to_numpy()
        wrong = []
        for version, sites, members in found:
            ids = unpack_ids(members)
            present = int(np.isin(ids, stored_ids).sum())
            if present != sites or len(ids) != sites:
                wrong.append((int(version), int(sites), present))
        return wrong

    def backups(self) -> list[RestorePoint]:
        """The restore points taken, oldest first."""
        rows = self._of_operation(
            "SELECT b.number, b.taken_at, b.version, b.plans::text FROM store_backups b "
            "JOIN operations o ON o.id = b.operation_id WHERE o.name = ? ORDER BY b.number"
        )
        return [
            RestorePoint(self.location, int(n), at, int(v), json.loads(plans))
            for n, at, v, plans in rows
        ]

    def backup(self) -> RestorePoint:
        """Record a restore point: the newest version of the sites and of every plan.

        In the database nothing is overwritten (versions are append-only, refused UPDATE
        and DELETE by triggers), so the versions a restore point names stay readable and
        can be rolled back to; a copy of the whole database is ``pg_dump``'s job.

        Raises
        ------
        StoreError
            When nothing was saved yet.
        """
        with self._lock():
            con, operation_id = self._writing()
            latest = self.latest()
            if latest is None:
                raise StoreError.from_text("store.no_version", path=self.location)
            plans = con.execute(
                "SELECT plan_id, MAX(version) FROM plan_versions WHERE operation_id = ? "
                "GROUP BY plan_id",
                (operation_id,),
            ).fetchall()
            number = con.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM store_backups WHERE operation_id = ?",
                (operation_id,),
            ).fetchone()[0]
            point = RestorePoint(
                self.location,
                int(number),
                datetime.now(UTC).isoformat(timespec="seconds"),
                latest.version,
                {plan_id: int(version) for plan_id, version in plans},
            )
            plans_json = json.dumps(point.plans)
            con.execute(
                "INSERT INTO store_backups (operation_id, number, taken_at, version, plans) "
                "VALUES (?, ?, ?, ?, ?)",
                (operation_id, point.number, point.taken_at, point.version, plans_json),
            )
            return point

    @contextmanager
    def plan_reading(self) -> Iterator[PlanConnection | None]:
        """A connection to the plan tables (None when the database holds no such
        operation yet)."""
        with self._reading() as con:
            operation_id = self._id(con)
            if operation_id is None:
                yield None
                return
            yield PlanConnection(con.raw, con.kind, PlanScope("operation_id", operation_id))

    @contextmanager
    def plan_transaction(self) -> Iterator[PlanConnection]:
        """One transaction holding the operation's row lock (the operation is created by
        the first write)."""
        with self._lock():
            con, operation_id = self._writing()
            yield PlanConnection(con.raw, con.kind, PlanScope("operation_id", operation_id))

    def copy_in(
        self,
        versions: Sequence[tuple[Version, gpd.GeoDataFrame, gpd.GeoDataFrame | None]],
        plans: Sequence[Sequence[object]],
        current: Sequence[object] | None,
    ) -> None:
        """Write versions (with their sites and own areas) and plan versions exactly as
        given, numbers and times kept: an operation moved in from a GeoPackage. Call under
        :meth:`lock`, on an operation that holds nothing yet.

        Parameters
        ----------
        plans
            Rows of ``plan_versions`` in its column order without ``operation_id``.
        current
            The ``plan_current`` row (plan_id, saved_at, saved_by), or None.
        """
        con, operation_id = self._writing()
        index = self._row_index(con, operation_id)
        for version, sites, areas in versions:
            own_areas = None if areas is None else storable(areas)
            self._insert_version(con, operation_id, version, storable(sites), own_areas, index)
        for row in plans:
            marks = ", ".join("?" for _ in range(len(row) + 1))
            con.execute(
                f"INSERT INTO plan_versions ({', '.join(PLAN_COLUMNS)}, operation_id) "
                f"VALUES ({marks})",
                (*row, operation_id),
            )
        if current is not None:
            con.execute(
                "INSERT INTO plan_current (operation_id, plan_id, saved_at, saved_by) "
                "VALUES (?, ?, ?, ?)",
                (operation_id, *current),
            )

    def plan_version_count(self) -> int:
        """How many plan versions the operation holds (all plans)."""
        rows = self._of_operation(
            "SELECT COUNT(*) FROM plan_versions p JOIN operations o ON o.id = p.operation_id "
            "WHERE o.name = ?"
        )
        return int(rows[0][0])

    # --- the primitives of VersionStore --------------------------------------------------

    def _rows(self) -> list[Version]:
        with self._reading() as con:
            operation_id = self._id(con)
            if operation_id is None:
                return []
            rows = con.execute(
                f"SELECT {', '.join(_HISTORY_COLUMNS)} FROM store_history "
                "WHERE operation_id = ? ORDER BY version",
                (operation_id,),
            ).fetchall()
        return [Version(*row) for row in rows]

    def _layer_names(self, rows: list[Version]) -> set[str]:
        """Every version's rows are committed with its history row: all exist."""
        return {v.layer for v in rows} | {v.areas_layer for v in rows if v.areas_layer}

    def _drop_orphans(self, committed: set[str]) -> None:
        """Nothing to drop: a save is one transaction, a killed one leaves nothing."""

    def _read_named(self, version: int, layer: str) -> gpd.GeoDataFrame:
        match = _LAYER.fullmatch(layer)
        if match and match[1] == "sites":
            shared = self._shared_version(int(match[2]))
            if shared is not None:
                return self._read_shared(version, layer, *shared)
        found, rows = self._layer_rows(match[1], int(match[2])) if match else (None, [])
        if found is None or found[0] is None:
            raise StoreError.from_text(
                "store.layer_unreadable",
                path=self.location,
                version=version,
                layer=layer,
                reason="no such layer",
            )
        return _frame(json.loads(found[0]), rows)

    def _shared_version(self, number: int) -> tuple[list[list[str]], np.ndarray] | None:
        """A version saved with shared rows: its columns and row ids (None: saved whole)."""
        with self._reading() as con:
            found = con.execute(
                "SELECT site_columns::text, members FROM store_history "
                "WHERE operation_id = ? AND version = ?",
                (self._id(con), number),
            ).fetchone()
        if found is None or found[1] is None:
            return None
        return json.loads(found[0]), unpack_ids(found[1])

    def _read_shared(
        self, version: int, layer: str, columns: list[list[str]], ids: np.ndarray
    ) -> gpd.GeoDataFrame:
        """A version's rows: one COPY of the operation's rows up to its newest, parsed by
        Arrow, then taken by id."""
        with self._reading() as con:
            operation_id = int(self._id(con) or 0)
            upto = int(ids.max()) if len(ids) else 0
            table = _copy_out(
                con,
                "SELECT row_id, props::text, ST_X(geom), ST_Y(geom), encode(raw_geom, 'hex') "
                f"FROM store_rows WHERE operation_id = {operation_id} AND row_id <= {upto}",
                _ROW_TYPES,
            )
        try:
            where = positions(ids, table.column("row_id").to_numpy())
        except KeyError as exc:
            raise StoreError.from_text(
                "store.layer_unreadable",
                path=self.location,
                version=version,
                layer=layer,
                reason=str(exc).strip("'\""),
            ) from None
        chosen = table.take(pa.array(where))
        return decode_rows(columns, chosen.column("props"), _points(chosen))

    def _row_index(self, con: Connection, operation_id: int) -> _RowIndex:
        """The ids and content hashes of the operation's rows (under the lock)."""
        table = _copy_out(
            con,
            f"SELECT row_id, h1, h2 FROM store_rows WHERE operation_id = {int(operation_id)}",
            {"row_id": pa.int64(), "h1": pa.int64(), "h2": pa.int64()},
        )
        ids = table.column("row_id").to_numpy()
        keys = np.column_stack([table.column("h1").to_numpy(), table.column("h2").to_numpy()])
        return _RowIndex(ids, keys.reshape(-1, 2), int(ids.max()) + 1 if len(ids) else 1)

    def _layer_rows(self, kind: str, number: int) -> tuple[Any, list[Any]]:
        """The column list and the rows of the sites or areas version `number` wrote."""
        meta = "site_columns" if kind == "sites" else "area_columns"
        with self._reading() as con:
            operation_id = self._id(con)
            found = con.execute(
                f"SELECT {meta}::text FROM store_history WHERE operation_id = ? AND version = ?",
                (operation_id, number),
            ).fetchone()
            rows = con.execute(
                f"SELECT props::text, ST_AsBinary(geom) FROM store_{kind} "
                "WHERE operation_id = ? AND version = ? ORDER BY row_no",
                (operation_id, number),
            ).fetchall()
        return found, rows

    def _write_all(
        self,
        versions: list[Version],
        frames: list[gpd.GeoDataFrame],
        areas: gpd.GeoDataFrame | None = None,
    ) -> None:
        con, operation_id = self._writing()
        index = self._row_index(con, operation_id)
        for i, (version, frame) in enumerate(zip(versions, frames, strict=True)):
            stored = storable(frame)
            own_areas = storable(areas) if areas is not None and i == len(versions) - 1 else None
            self._insert_version(con, operation_id, version, stored, own_areas, index)

    def _insert_version(
        self,
        con: Connection,
        operation_id: int,
        version: Version,
        sites: gpd.GeoDataFrame,
        areas: gpd.GeoDataFrame | None,
        index: _RowIndex,
    ) -> None:
        """The rows no version had yet by COPY, then one history row naming the version's
        row ids (and its areas by COPY)."""
        rows = encode_rows(sites)
        ids, fresh = assign_ids(rows.keys, index.keys, index.ids, index.next_id)
        _copy(
            con,
            "store_rows (operation_id, row_id, h1, h2, site_id, kind, props, geom, raw_geom)",
            _new_rows(operation_id, sites, rows, ids, fresh),
        )
        index.add(ids[fresh], rows.keys[fresh])
        columns = (*_HISTORY_COLUMNS, "operation_id", "site_columns", "area_columns", "members")
        marks = ", ".join("?" for _ in columns)
        values = [getattr(version, c) for c in _HISTORY_COLUMNS]
        area_columns = None if areas is None else json.dumps(_columns(areas))
        con.execute(
            f"INSERT INTO store_history ({', '.join(columns)}) VALUES ({marks})",
            (*values, operation_id, json.dumps(rows.columns), area_columns, pack_ids(ids)),
        )
        prefix = (operation_id, version.version)
        if areas is not None:
            _copy(
                con,
                "store_areas (operation_id, version, row_no, props, geom)",
                ((*prefix, n, props, geom) for n, (props, geom) in enumerate(_area_rows(areas))),
            )

    @contextmanager
    def _lock(self) -> Iterator[None]:
        """A transaction holding the operation's row lock (re-entrant in this object): the
        operation is created when missing, its revision raised; all of it rolled back on
        any error."""
        if self._con is not None:
            yield
            return
        import psycopg  # a PostgreSQL deployment has it

        try:
            with self.db.transaction() as con:
                con.execute(
                    "INSERT INTO operations (name, created_at) VALUES (?, ?) "
                    "ON CONFLICT (name) DO NOTHING",
                    (self.operation, datetime.now(UTC).isoformat(timespec="seconds")),
                )
                row = con.execute(
                    "SELECT id FROM operations WHERE name = ? FOR UPDATE", (self.operation,)
                ).fetchone()
                con.execute("UPDATE operations SET revision = revision + 1 WHERE id = ?", row)
                self._con, self._operation_id = con, int(row[0])
                try:
                    yield
                except BaseException:
                    self._operation_id = None  # a new operation's row is rolled back too
                    raise
                finally:
                    self._con = None
        except psycopg.Error as exc:
            raise StoreError.from_text(
                "store.write_failed", path=self.location, reason=_first_line(exc)
            ) from None

    def _newest_backup(self) -> str:
        points = self.backups()
        return str(points[-1]) if points else "—"

    # --- connections -------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """The write transaction's connection inside :meth:`_lock`, else a fresh one."""
        if self._con is not None:
            yield self._con
            return
        with self.db.reading() as con:
            yield con

    def _of_operation(self, sql: str) -> list[Any]:
        """The rows of a query whose one ``?`` is the operation's name."""
        with self._reading() as con:
            return con.execute(sql, (self.operation,)).fetchall()

    def _writing(self) -> tuple[Connection, int]:
        assert self._con is not None and self._operation_id is not None, "call under _lock"
        return self._con, self._operation_id

    def _id(self, con: Connection) -> int | None:
        if self._operation_id is None:
            row = con.execute(
                "SELECT id FROM operations WHERE name = ?", (self.operation,)
            ).fetchone()
            self._operation_id = int(row[0]) if row else None
        return self._operation_id


# --- rows in and out ------------------------------------------------------------------------

_ROW_TYPES = {
    "row_id": pa.int64(),
    "props": pa.string(),
    "x": pa.float64(),
    "y": pa.float64(),
    "raw": pa.string(),
}


@dataclass
class _RowIndex:
    """The rows an operation holds, by content hash (grown by each version written)."""

    ids: np.ndarray
    keys: np.ndarray
    next_id: int

    def add(self, ids: np.ndarray, keys: np.ndarray) -> None:
        """Rows just written."""
        self.ids = np.concatenate([self.ids, ids])
        self.keys = np.concatenate([self.keys, keys])
        self.next_id += len(ids)


def _new_rows(
    operation_id: int,
    sites: gpd.GeoDataFrame,
    rows: EncodedRows,
    ids: np.ndarray,
    fresh: np.ndarray,
) -> Iterator[tuple[object, ...]]:
    """The COPY rows of the rows to write."""
    geometry, raw = indexable(rows.geometry[fresh])
    site_ids = np.asarray(_text_column(sites, "site_id"), dtype=object)[fresh]
    kinds = np.asarray(_text_column(sites, "kind"), dtype=object)[fresh]
    keys = rows.keys[fresh]
    yield from zip(
        [operation_id] * len(fresh),
        ids[fresh].tolist(),
        keys[:, 0].tolist(),
        keys[:, 1].tolist(),
        site_ids,
        kinds,
        rows.props[fresh],
        _ewkb(geometry),
        [None if r is None else bytes.fromhex(r) for r in raw],
        strict=True,
    )


def _copy_out(con: Connection, select: str, types: dict[str, pa.DataType]) -> pa.Table:
    """A query's rows through ``COPY … TO STDOUT (FORMAT csv)``, parsed by Arrow (no Python
    object per row)."""
    with con.raw.cursor() as cursor, cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)") as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    names = list(types)
    if not data:
        return pa.table({name: pa.array([], type=kind) for name, kind in types.items()})
    return pa_csv.read_csv(
        pa.py_buffer(data),
        read_options=pa_csv.ReadOptions(column_names=names, block_size=1 << 26),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=types, strings_can_be_null=True, quoted_strings_can_be_null=False
        ),
    )


def _points(table: pa.Table) -> np.ndarray:
    """The rows' points (None where there is none; a kept raw WKB wins)."""
    x = table.column("x").to_numpy(zero_copy_only=False)
    y = table.column("y").to_numpy(zero_copy_only=False)
    valid = table.column("x").is_valid().to_numpy(zero_copy_only=False)
    geometry = np.full(len(table), None, dtype=object)
    geometry[valid] = shapely.points(x[valid], y[valid])
    raw = table.column("raw").to_numpy(zero_copy_only=False)
    odd = pd.notna(raw)
    if odd.any():
        geometry[odd] = shapely.from_wkb(raw[odd].astype(str))
    return geometry


def _columns(frame: gpd.GeoDataFrame) -> list[list[str]]:
    """The non-geometry columns and their dtypes, in order."""
    geometry = frame.geometry.name
    return [[str(c), str(frame[c].dtype)] for c in frame.columns if c != geometry]


def _props(frame: gpd.GeoDataFrame) -> list[str]:
    """Each row's non-geometry values as JSON text (missing and non-finite values null)."""
    data = frame.drop(columns=frame.geometry.name)
    records = data.astype(object).where(data.notna(), None).to_dict("records")
    return [json.dumps(r, default=_json_value, allow_nan=False) for r in map(_finite, records)]


def _finite(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in record.items()
    }


def _json_value(value: object) -> object:
    if isinstance(value, np.generic):
        item = value.item()
        return None if isinstance(item, float) and not math.isfinite(item) else item
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat()
    return str(value)


def _ewkb(geometries: Sequence[object]) -> list[str | None]:
    """Hex EWKB with SRID 4326 (what COPY accepts for a geometry column); None stays None."""
    array = shapely.set_srid(np.asarray(geometries, dtype=object), 4326)
    return list(shapely.to_wkb(array, hex=True, include_srid=True))


def _site_rows(sites: gpd.GeoDataFrame) -> Iterator[tuple[object, ...]]:
    ids = _text_column(sites, "site_id")
    kinds = _text_column(sites, "kind")
    geometries = _ewkb(sites.geometry.to_numpy())
    yield from zip(ids, kinds, _props(sites), geometries, strict=True)


def _area_rows(areas: gpd.GeoDataFrame) -> Iterator[tuple[object, ...]]:
    geometries = [
        shapely.MultiPolygon([g]) if isinstance(g, shapely.Polygon) else g
        for g in areas.geometry.to_numpy()
    ]
    yield from zip(_props(areas), _ewkb(geometries), strict=True)


def _text_column(frame: gpd.GeoDataFrame, name: str) -> list[str | None]:
    if name not in frame.columns:
        return [None] * len(frame)
    return [None if v is None or v != v else str(v) for v in frame[name]]


def _copy(con: Connection, target: str, rows: Iterator[tuple[object, ...]]) -> None:
    with con.raw.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _frame(columns: list[list[str]], rows: list[tuple[str, bytes | None]]) -> gpd.GeoDataFrame:
    """A stored layer as a frame: its columns in order with their dtypes, EPSG:4326."""
    names = [name for name, _ in columns]
    records = [json.loads(props) for props, _ in rows]
    data = pd.DataFrame.from_records(records, columns=names) if records else None
    data = pd.DataFrame(columns=names) if data is None else data
    for name, dtype in columns:
        data[name] = _restored(data[name], dtype)
    geometries = shapely.from_wkb(np.asarray([g for _, g in rows], dtype=object))
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geometries, crs=WGS84))


def _restored(values: pd.Series, dtype: str) -> pd.Series:
    """A column back in its saved dtype (as it was when the saved one cannot hold it)."""
    try:
        if dtype.startswith("datetime64"):
            return pd.to_datetime(values).astype(dtype)
        return values.astype(dtype)
    except (TypeError, ValueError):
        return values


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
