"""PostgreSQL archives against a real server (tests/pg.py): store, versions, lock, runs, reading."""
from __future__ import annotations

from sqlalchemy import text

from archive.db import open_archive


def test_a_fresh_postgres_archive_gets_the_schema(pg_url):
    sessions = open_archive(pg_url)
    with sessions() as session:
        assert session.execute(text("SELECT count(*) FROM article")).scalar() == 0
