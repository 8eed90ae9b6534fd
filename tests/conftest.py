"""Fixtures every test module may use: the replica portal on 127.0.0.1 and a built archive.

No test reads outside the repository: pages come from the replica (scripts/replica, both portal
templates and the relaunch markup) or from tests/pages and tests/fixtures. The builders behind
these fixtures, as plain functions, are in builders.py.
"""
from __future__ import annotations

import os

import pg
import pytest
from builders import build_archive
from replica.server import start_replica

REPLICA_RELEASES, REPLICA_SEED = 60, 7  # three listing pages, both templates


@pytest.fixture
def replica():
    """A fresh replica portal of 60 releases for one test (it may edit, withdraw, fail pages)."""
    with start_replica(n=REPLICA_RELEASES, seed=REPLICA_SEED, port=0) as rep:
        yield rep


@pytest.fixture(scope="session")
def site():
    """One replica portal shared by the whole session, never changed: for reading its pages."""
    with start_replica(n=REPLICA_RELEASES, seed=REPLICA_SEED, port=0) as rep:
        yield rep


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory) -> str:
    """A small indexed archive of realistic releases (builders.ARTICLES), per module; returns --db."""
    return build_archive(tmp_path_factory.mktemp("archive") / "archive.sqlite")


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server (tests/pg.py) for the session; skips without one, fails under CI."""
    try:
        server = pg.start()
    except pg.Unavailable as exc:
        if os.environ.get("CI") == "true":  # CI installs PostgreSQL: its absence there is a failure
            pytest.fail(f"PostgreSQL tests cannot run under CI: {exc}")
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """An empty PostgreSQL database of its own for one test; its --db URL."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """--db of an archive that does not exist yet, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.sqlite")
    return request.getfixturevalue("pg_url")
