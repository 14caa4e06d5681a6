"""A throw-away PostgreSQL + PostGIS server for the tests, on loopback only.

`PostgisServer.start` runs ``initdb`` in a temporary folder (as the ``postgres`` user when
this process is root: initdb refuses root), starts the server on a free port of 127.0.0.1
with its unix socket inside that folder, and prepares a template database with the PostGIS
extension; every test gets a fresh database copied from it (:meth:`PostgisServer.fresh`).
`stop` shuts the server down and removes the folder. The binaries are Debian's
(``/usr/lib/postgresql/<version>/bin``; ``.ci/run`` installs them where missing).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgisServer", "PostgresMissing", "pg_bin"]

_TEMPLATE = "posko_template"
_SUPERUSER = "posko"
_SERVICE_USER = "postgres"
_START_TIMEOUT_S = 60
_numbers = itertools.count(1)


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries (or no PostGIS extension) on this machine."""


def pg_bin() -> Path:
    """The newest ``/usr/lib/postgresql/*/bin`` holding initdb, pg_ctl and postgres.

    Raises
    ------
    PostgresMissing
        When there is none.
    """
    found = [
        Path(folder)
        for folder in glob.glob("/usr/lib/postgresql/*/bin")
        if all((Path(folder) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres"))
    ]
    if not found:
        raise PostgresMissing(
            "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin "
            "(install Debian's postgresql and postgresql-*-postgis-3; .ci/run does)"
        )
    return max(found, key=lambda p: _version_key(p.parent.name))


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgisServer:
    """A running test server: its folder, port and binaries."""

    folder: Path
    port: int
    bin: Path

    @classmethod
    def start(cls) -> PostgisServer:
        """initdb, start on a free loopback port, create the PostGIS template database.

        Raises
        ------
        PostgresMissing
            When PostgreSQL or PostGIS is not installed.
        """
        binaries = pg_bin()
        folder = Path(tempfile.mkdtemp(prefix="posko-pg-"))
        server = cls(folder=folder, port=_free_port(), bin=binaries)
        try:
            server._initdb()
            server._pg_ctl_start()
            server._make_template()
        except BaseException:
            server.stop()
            raise
        return server

    @property
    def data(self) -> Path:
        """The cluster's data folder."""
        return self.folder / "data"

    def url(self, database: str) -> str:
        """The URL of `database` on this server (TCP on 127.0.0.1, trusted superuser)."""
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def fresh(self) -> str:
        """A new, empty database with PostGIS (a copy of the template); its URL."""
        name = f"posko_test_{os.getpid()}_{next(_numbers)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}")
        return self.url(name)

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement in autocommit mode."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as con:
            con.execute(statement)

    def stop(self) -> None:
        """Stop the server (immediately: the data is thrown away) and remove its folder."""
        if (self.data / "postmaster.pid").exists():
            self._run(
                [str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w"],
                check=False,
            )
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- internals ----------------------------------------------------------------------

    def _initdb(self) -> None:
        if os.geteuid() == 0:
            service = pwd.getpwnam(_SERVICE_USER)
            os.chown(self.folder, service.pw_uid, service.pw_gid)
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                _SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )

    def _pg_ctl_start(self) -> None:
        options = " ".join(
            (
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-c unix_socket_directories={self.folder}",
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "-c max_connections=100 -c shared_buffers=32MB",
            )
        )
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "start",
                "-D",
                str(self.data),
                "-l",
                str(self.folder / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(_START_TIMEOUT_S),
            ]
        )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not self._accepts():
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not start: {self._log_tail()}")
            time.sleep(0.1)

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def _make_template(self) -> None:
        self.sql(f"CREATE DATABASE {_TEMPLATE}")
        try:
            self.sql("CREATE EXTENSION postgis", database=_TEMPLATE)
        except Exception as exc:  # psycopg's error: PostGIS is not installed for this server
            raise PostgresMissing(
                f"PostGIS is not installed for {self.bin} ({exc}); install "
                f"postgresql-{self.bin.parent.name}-postgis-3"
            ) from None
        self.sql(f"ALTER DATABASE {_TEMPLATE} WITH is_template true")

    def _run(self, command: list[str], *, check: bool = True) -> None:
        if os.geteuid() == 0:
            command = ["runuser", "-u", _SERVICE_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if check and done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}): "
                f"{done.stderr.strip() or done.stdout.strip()} {self._log_tail()}"
            )

    def _log_tail(self) -> str:
        log = self.folder / "server.log"
        if not log.exists():
            return ""
        return " | ".join(log.read_text(errors="replace").splitlines()[-5:])
