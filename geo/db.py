"""The deployment's own database: accounts, grants and the audit log (and, on PostgreSQL, the
operations' stores too).

Embedded (the default) it is one SQLite file in the workspace folder (``posko.db``); with
``POSKO_DATABASE_URL`` set (``postgresql://…``) it is that PostgreSQL database. Both are used
through :class:`Database`: SQL written once with ``?`` placeholders and statements both
engines know (``INSERT … ON CONFLICT … DO UPDATE``, never ``INSERT OR REPLACE``); each
component's tables are created and changed by numbered :class:`Migration` s, recorded in
``schema_migrations`` and applied once, under a lock, by whichever process comes first.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from geo.errors import PoskoError
from geo.text import Text

__all__ = [
    "DATABASE_URL_ENV",
    "DB_FILE",
    "Connection",
    "Database",
    "DatabaseError",
    "Migration",
    "database",
    "database_url",
]

DATABASE_URL_ENV = "POSKO_DATABASE_URL"
DB_FILE = "posko.db"
_MIGRATIONS_TABLE = "schema_migrations"
_SQLITE_TIMEOUT_S = 30.0


class DatabaseError(PoskoError):
    """The deployment database cannot be opened, read or written (catalog message)."""

    @classmethod
    def from_text(cls, key: str, /, **params: object) -> DatabaseError:
        """The error whose message is the catalog entry `key` (``str()``: English)."""
        return cls(Text(key, params).render("en"), key=key, params=dict(params))


@dataclass(frozen=True)
class Migration:
    """One numbered change of a component's tables.

    Attributes
    ----------
    component
        Whose tables these are ("accounts", "audit", "store", …).
    number
        1, 2, 3, … in the order they apply.
    sqlite
        The statements for SQLite.
    postgresql
        The statements for PostgreSQL; empty means the same as `sqlite`.
    """

    component: str
    number: int
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...] = ()

    def statements(self, kind: str) -> tuple[str, ...]:
        """The statements for a database of `kind` ("sqlite" or "postgresql")."""
        return self.postgresql if kind == "postgresql" and self.postgresql else self.sqlite


class _Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection:
    """One open connection inside a transaction (or a read): ``execute`` with ``?`` marks."""

    def __init__(self, raw: Any, kind: str) -> None:
        self.raw = raw
        self.kind = kind

    def execute(self, sql: str, params: Sequence[object] = ()) -> _Cursor:
        """Run one statement; ``?`` marks take `params` in order on both engines."""
        if self.kind == "postgresql":
            return self.raw.execute(_pg_marks(sql), tuple(params))
        return self.raw.execute(sql, tuple(params))

    def has_table(self, name: str) -> bool:
        """Whether a table of that name exists."""
        if self.kind == "postgresql":
            row = self.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()
            return bool(row[0])
        row = self.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None


def _pg_marks(sql: str) -> str:
    """``?`` marks outside quoted text as psycopg's ``%s``; every literal ``%`` doubled."""
    parts = sql.replace("%", "%%").split("'")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("?", "%s")
    return "'".join(parts)


class Database:
    """The deployment database at `url`: ``sqlite:///path`` or ``postgresql://…``."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith(("postgresql://", "postgres://")):
            self.kind = "postgresql"
            self.path: Path | None = None
        elif url.startswith("sqlite:///"):
            self.kind = "sqlite"
            self.path = Path(url.removeprefix("sqlite:///"))
        else:
            raise DatabaseError.from_text("db.bad_url", url=_safe_url(url))

    def __repr__(self) -> str:
        return f"Database({self.safe_url!r})"

    @property
    def safe_url(self) -> str:
        """The URL without its password, fit for a message or a log."""
        return _safe_url(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error.

        SQLite takes its write lock at the start (``BEGIN IMMEDIATE``), so two writers
        queue instead of failing half-way.
        """
        with self._open() as con:
            if self.kind == "postgresql":
                with con.raw.transaction():
                    yield con
                return
            con.raw.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.raw.execute("ROLLBACK")
                raise
            con.raw.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads (each statement sees committed data)."""
        with self._open() as con:
            yield con

    def migrate(self, migrations: Sequence[Migration]) -> None:
        """Apply the migrations not yet recorded, in number order, each in one transaction
        with its record; concurrent processes wait for each other."""
        with self.transaction() as con:
            self._lock_migrations(con)
            con.execute(
                f"CREATE TABLE IF NOT EXISTS {_MIGRATIONS_TABLE} (component TEXT NOT NULL, "
                "number INTEGER NOT NULL, PRIMARY KEY (component, number))"
            )
            done = {
                (row[0], int(row[1]))
                for row in con.execute(
                    f"SELECT component, number FROM {_MIGRATIONS_TABLE}"
                ).fetchall()
            }
            for migration in sorted(migrations, key=lambda m: (m.component, m.number)):
                if (migration.component, migration.number) in done:
                    continue
                for statement in migration.statements(self.kind):
                    con.execute(statement)
                con.execute(
                    f"INSERT INTO {_MIGRATIONS_TABLE} (component, number) VALUES (?, ?)",
                    (migration.component, migration.number),
                )

    def close_idle(self) -> None:
        """Close the connections kept for reuse (before the database is dropped, say)."""
        _POOL.close(self.url)

    def applied(self, component: str) -> list[int]:
        """The migration numbers of `component` already applied."""
        with self.reading() as con:
            if not con.has_table(_MIGRATIONS_TABLE):
                return []
            rows = con.execute(
                f"SELECT number FROM {_MIGRATIONS_TABLE} WHERE component = ? ORDER BY number",
                (component,),
            ).fetchall()
        return [int(r[0]) for r in rows]

    def _lock_migrations(self, con: Connection) -> None:
        if self.kind == "postgresql":
            con.execute("SELECT pg_advisory_xact_lock(?)", (7_402_611,))

    @contextmanager
    def _open(self) -> Iterator[Connection]:
        if self.kind == "postgresql":
            raw = _POOL.take(self.url) or self._connect_pg()
            try:
                yield Connection(raw, self.kind)
            except BaseException:
                raw.close()
                raise
            _POOL.give(self.url, raw)
            return
        with closing(self._connect_sqlite()) as raw:
            yield Connection(raw, self.kind)

    def _connect_pg(self) -> Any:
        import psycopg  # only a PostgreSQL deployment needs it

        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise DatabaseError.from_text(
                "db.unreachable", url=_safe_url(self.url), reason=_first_line(exc)
            ) from None

    def _connect_sqlite(self) -> sqlite3.Connection:
        assert self.path is not None
        try:
            _private_folder(self.path.parent)
            fresh = not self.path.exists()
            raw = sqlite3.connect(self.path, timeout=_SQLITE_TIMEOUT_S, isolation_level=None)
            if fresh:
                os.chmod(self.path, 0o600)
            raw.execute("PRAGMA foreign_keys = ON")
            return raw
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseError.from_text(
                "db.unreachable", url=str(self.path), reason=_first_line(exc)
            ) from None


class _Pool:
    """A few idle PostgreSQL connections per URL, kept for the next read or write: a load
    opens several, and connecting costs more than the reads themselves (see the Stores
    section of docs/ARCHITECTURE.md). A connection is kept only when it ended idle and
    outside a transaction, and is checked with a round trip before reuse; the pool belongs
    to one process (a forked child starts empty)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: dict[str, list[Any]] = {}
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def take(self, url: str) -> Any | None:
        """An idle connection to `url` that still answers, if any."""
        while True:
            with self._lock:
                self._forget_parent()
                idle = self._idle.get(url)
                raw = idle.pop() if idle else None
            if raw is None:
                return None
            try:
                raw.execute("SELECT 1")
                return raw
            except Exception:  # the server went away or ended the session: connect anew
                raw.close()

    def give(self, url: str, raw: Any) -> None:
        """Keep `raw` for reuse, or close it (not idle, or the pool is full)."""
        from psycopg.pq import TransactionStatus

        with self._lock:
            self._forget_parent()
            idle = self._idle.setdefault(url, [])
            reusable = not raw.closed and raw.info.transaction_status == TransactionStatus.IDLE
            if reusable and len(idle) < self.size:
                idle.append(raw)
            else:
                raw.close()

    def close(self, url: str) -> None:
        """Close the idle connections to `url`."""
        with self._lock:
            for raw in self._idle.pop(url, []):
                raw.close()

    def _forget_parent(self) -> None:
        if os.getpid() != self._pid:
            self._idle, self._pid = {}, os.getpid()


_POOL = _Pool(size=4)


def database_url() -> str:
    """``$POSKO_DATABASE_URL``, else the SQLite file ``posko.db`` in the workspace folder."""
    from geo.store import workspace_dir  # the workspace folder is the store's to define

    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    return url or f"sqlite:///{workspace_dir() / DB_FILE}"


def database() -> Database:
    """The deployment database this process uses (see :func:`database_url`)."""
    return Database(database_url())


def _private_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)


def _safe_url(url: str) -> str:
    """The URL without its password, fit for a message or a log."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    if ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
