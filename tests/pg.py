"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, start on loopback.

PRESSARCHIVE_TEST_PG_URL (a URL of a role that may CREATE DATABASE) uses a server that runs
already. Otherwise the server programs (pg_ctl on PATH or Debian's /usr/lib/postgresql/*/bin)
make a cluster as an unprivileged user (the current one; root hands over to `postgres` or
`nobody`, since postgres refuses to run as root), trust authentication on 127.0.0.1 only, the
unix socket inside the cluster's folder. Each test gets a database of its own, dropped after.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

ENV_URL = "PRESSARCHIVE_TEST_PG_URL"
SUPERUSER = "pressarchive"


class Unavailable(Exception):
    """No server could be started or reached; the message says why."""


def server_bin() -> str:
    """The folder holding initdb and pg_ctl."""
    found = shutil.which("pg_ctl")
    if found:
        return os.path.dirname(found)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not versions:
        raise Unavailable("no PostgreSQL server programs (pg_ctl) on this machine; apt-get install postgresql")
    return os.path.dirname(versions[-1])


def _owner() -> str | None:
    """The unprivileged user the server runs as (None: the current user, who is not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise Unavailable("running as root and no unprivileged user (postgres, nobody) to run the server as")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running cluster (or a given one): admin_url reaches its `postgres` database."""

    admin_url: str
    folder: str | None = None
    owner: str | None = None
    options: str = ""  # pg_ctl -o: the port and sockets it was started with (resume() reuses them)

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = (["runuser", "-u", self.owner, "--"] if self.owner else []) + list(args)
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def stop(self) -> None:
        """Stop the cluster and remove its folder (a given server is left alone)."""
        if self.folder:
            self._run(os.path.join(server_bin(), "pg_ctl"), "-D", f"{self.folder}/data", "-m", "immediate", "stop")
            shutil.rmtree(self.folder, ignore_errors=True)

    def pause(self) -> None:
        """Stop the server, keeping its data (a server gone mid-crawl); resume() starts it again."""
        if not self.folder:
            raise Unavailable("a server given by URL cannot be stopped by the tests")
        self._ctl("stop", "-m", "fast")

    def resume(self) -> None:
        """Start a paused server again, on the same port."""
        self._ctl("start", "-l", f"{self.folder}/log", "-o", self.options)

    def _ctl(self, *args: str) -> None:
        done = self._run(os.path.join(server_bin(), "pg_ctl"), "-D", f"{self.folder}/data", "-w", *args)
        if done.returncode != 0:
            raise Unavailable(f"pg_ctl {args[0]} failed: {(done.stderr or done.stdout).strip()}")

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}"')
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database, whoever is still connected."""
        self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        engine = create_engine(self.admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()


def start() -> Server:
    """The server the tests use: the one PRESSARCHIVE_TEST_PG_URL names, else a new throwaway cluster."""
    if os.environ.get(ENV_URL):
        server = Server(admin_url=os.environ[ENV_URL])
        _check(server)
        return server
    try:
        import psycopg  # noqa: F401, PLC0415
    except ImportError:
        raise Unavailable("the psycopg driver is not installed (pip install -e '.[dev]')") from None
    binaries, owner = server_bin(), _owner()
    folder = tempfile.mkdtemp(prefix="pressarchive-pg-")
    server = Server(admin_url="", folder=folder, owner=owner)
    if owner:
        shutil.chown(folder, user=owner)
    _init(server, binaries)
    return server


def _init(server: Server, binaries: str) -> None:
    data, port = f"{server.folder}/data", _free_port()
    done = server._run(f"{binaries}/initdb", "-D", data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                       "--no-locale", "--no-sync")
    if done.returncode != 0:
        server.stop()
        raise Unavailable(f"initdb failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}")
    options = f"-p {port} -k {server.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
    server.options = options
    done = server._run(f"{binaries}/pg_ctl", "-D", data, "-l", f"{server.folder}/log", "-o", options, "-w", "start")
    if done.returncode != 0:
        log = open(f"{server.folder}/log", encoding="utf-8", errors="replace").read().strip().splitlines()
        server.stop()
        raise Unavailable(f"the PostgreSQL server did not start: {log[-1:] or done.stderr.strip()}")
    server.admin_url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
    _check(server)


def _check(server: Server) -> None:
    try:
        server._admin("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure to connect makes the server unusable
        server.stop()
        raise Unavailable(f"cannot connect to the PostgreSQL server: {str(exc).splitlines()[0]}") from None
