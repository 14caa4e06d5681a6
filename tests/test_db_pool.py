"""geo.db keeps a few idle PostgreSQL connections for the next read or write: reused while
they answer, replaced when the server ended them, never kept after an error."""

from __future__ import annotations

import psycopg
import pytest

from geo.db import Database


def _backend(db: Database) -> int:
    with db.reading() as con:
        return int(con.execute("SELECT pg_backend_pid()").fetchone()[0])


def test_a_connection_is_reused(postgis_url: str) -> None:
    db = Database(postgis_url)
    first = _backend(db)
    assert _backend(db) == first
    with db.transaction() as con:
        assert con.execute("SELECT pg_backend_pid()").fetchone()[0] == first


def test_a_connection_the_server_ended_is_replaced(postgis_url: str) -> None:
    db = Database(postgis_url)
    first = _backend(db)
    with psycopg.connect(postgis_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    assert _backend(db) != first  # no error: the dead one was noticed before use


def test_a_connection_is_not_kept_after_an_error(postgis_url: str) -> None:
    db = Database(postgis_url)
    first = _backend(db)
    with pytest.raises(psycopg.errors.DivisionByZero), db.transaction() as con:
        con.execute("SELECT 1 / 0")
    assert _backend(db) != first
    with db.transaction() as con:
        con.execute("CREATE TABLE kept (x INTEGER)")
    with db.reading() as con:
        assert con.has_table("kept")  # committed, and the next connection sees it
    kept = _backend(db)
    db.close_idle()
    assert _backend(db) != kept
