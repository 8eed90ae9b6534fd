"""Fixtures every test module may use: the replica portal on 127.0.0.1 and a built archive.

No test reads outside the repository: pages come from the replica (scripts/replica, both portal
templates and the relaunch markup) or from tests/pages and tests/fixtures. The builders behind
these fixtures, as plain functions, are in builders.py.
"""
from __future__ import annotations

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
