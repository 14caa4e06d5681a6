"""The test suite's own PostgreSQL + PostGIS server and the store backend fixture."""

from __future__ import annotations

import os

import psycopg
import pytest

from geo.db import DATABASE_URL_ENV, Database
from tests.conftest import StoreBackend
from tests.pg import PostgisServer, pg_bin


def test_binaries_are_debians() -> None:
    assert pg_bin().match("/usr/lib/postgresql/*/bin")


def test_server_listens_on_loopback_only(postgis_server: PostgisServer) -> None:
    with psycopg.connect(postgis_server.url("postgres")) as con:
        shown = {
            name: con.execute(f"SHOW {name}").fetchone()[0]
            for name in ("listen_addresses", "unix_socket_directories", "port")
        }
    assert shown["listen_addresses"] == "127.0.0.1"
    assert shown["unix_socket_directories"] == str(postgis_server.folder)
    assert int(shown["port"]) == postgis_server.port


def test_each_test_gets_a_fresh_database_with_postgis(
    postgis_server: PostgisServer, postgis_url: str
) -> None:
    other = postgis_server.fresh()
    assert other != postgis_url
    with psycopg.connect(postgis_url, autocommit=True) as con:
        con.execute("CREATE TABLE marker (x INTEGER)")
        version = con.execute("SELECT postgis_lib_version()").fetchone()[0]
    assert version.split(".")[0] == "3"
    with psycopg.connect(other, autocommit=True) as con:
        assert con.execute("SELECT to_regclass('marker')").fetchone()[0] is None
    assert Database(postgis_url).kind == "postgresql"


def test_store_backend_sets_the_database_url(store_backend: StoreBackend) -> None:
    if store_backend.is_postgis:
        assert os.environ[DATABASE_URL_ENV] == store_backend.url
        with Database(store_backend.url).reading() as con:
            assert con.execute("SELECT 1").fetchone()[0] == 1
    else:
        assert DATABASE_URL_ENV not in os.environ
        assert store_backend.url is None


def test_a_stopped_server_leaves_nothing(tmp_path) -> None:
    server = PostgisServer.start()
    url = server.fresh()
    server.stop()
    assert not server.folder.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
