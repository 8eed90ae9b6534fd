"""Schema migrations: an archive of schema 1 upgrades to head without losing a row; bad files are refused."""
from __future__ import annotations

import shutil
import sqlite3
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from click.testing import CliRunner

from archive.cli import main
from archive.db import ArchiveError, make_engine, open_archive
from archive.migrate import SCRIPT_LOCATION, _revisions, alembic_config
from archive.models import Base
from archive.store import Fetch, Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "archive_v1.sqlite"
TABLES = ["article", "version", "raw_page", "quote", "image", "date_mention", "crawl_run", "failed_fetch"]


@pytest.fixture
def v1(tmp_path) -> Path:
    path = tmp_path / "v1.sqlite"
    shutil.copy(FIXTURE, path)
    return path


def rows(path: Path) -> dict[str, list]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def revision(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}


def schema_diff(sessions) -> list:
    with sessions() as s:
        return compare_metadata(MigrationContext.configure(s.connection()), Base.metadata)


def test_fixture_is_schema_1():
    assert revision(FIXTURE) == {"0001"}


def test_v1_archive_upgrades_to_head_without_losing_rows(v1):
    before = rows(v1)
    sessions = open_archive(str(v1))
    heads, _ = _revisions()
    assert revision(v1) == set(heads) and "0001" not in heads
    after = rows(v1)
    for table in TABLES:
        assert len(after[table]) == len(before[table]) > 0, table
    assert [r[:8] for r in after["raw_page"]] == [r[:8] for r in before["raw_page"]]  # old columns intact
    assert [r[-1] for r in after["raw_page"]] == [1, 1, 2]  # article_id back-filled from the versions
    assert [r[:len(b)] for r, b in zip(after["version"], before["version"])] == before["version"]
    assert all(r[-1] is None for r in after["version"])  # confidence (schema 6): not measured then
    assert schema_diff(sessions) == []


def test_upgraded_archive_keeps_working(v1):
    store = Store.open(str(v1))
    assert [f[:2] for f in store.failures()] == [("https://bochum.de/Pressemeldungen/2-Mai-2024/Kaputt",) * 2]
    url = "https://bochum.de/Pressemeldungen/30-April-2024/Spielplatz"
    fetch = Fetch(url=url, canonical_url=url, status=200, headers={}, body=b"<html>back</html>",
                  fetched_at=datetime(2024, 6, 1))
    record = {"kind": "press_release", "headline": "Spielplatz wird erneuert", "paragraphs": ["Er ist zurück."]}
    assert store.save_fetch(fetch, record, None) == "edited"
    result = CliRunner().invoke(main, ["history", url, "--db", str(v1)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].split()[:4] == ["3", "2024-06-01", "00:00", "edited"]


def test_unversioned_schema_1_archive_is_stamped_and_upgraded(v1):
    with sqlite3.connect(v1) as conn:  # as the first release's create_all left it: no alembic_version
        conn.execute("DROP TABLE alembic_version")
    before = rows(v1)
    open_archive(str(v1))
    assert revision(v1) == set(_revisions()[0])
    assert {t: len(r) for t, r in rows(v1).items()} == {t: len(r) for t, r in before.items()}


def test_fresh_archive_runs_every_revision_and_matches_the_models(tmp_path):
    path = tmp_path / "fresh.sqlite"
    sessions = open_archive(str(path))
    assert revision(path) == set(_revisions()[0])
    assert schema_diff(sessions) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_opening_twice_is_a_no_op(tmp_path):
    path = tmp_path / "twice.sqlite"
    Store.open(str(path)).start_run("http://x", "new", 1)
    Store.open(str(path))
    assert len(rows(path)["crawl_run"]) == 1


def test_downgrade_and_upgrade_round_trip(v1):
    open_archive(str(v1))
    engine = make_engine(f"sqlite:///{v1}")
    with engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            command.downgrade(alembic_config(conn), "0001")
    assert revision(v1) == {"0001"}
    open_archive(str(v1))
    assert [r[-1] for r in rows(v1)["raw_page"]] == [1, 1, 2]


def test_newer_schema_is_refused(v1):
    with sqlite3.connect(v1) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    with pytest.raises(ArchiveError, match="newer than this pressarchive"):
        open_archive(str(v1))
    result = CliRunner().invoke(main, ["history", "1", "--db", str(v1)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_other_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(ArchiveError, match="is not a pressarchive database"):
        open_archive(str(path))


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n")
    with pytest.raises(ArchiveError, match="is not a pressarchive database"):
        open_archive(str(path))
    assert path.read_text() == "not a database\n" and not Path(f"{path}-wal").exists()


def test_unopenable_path_is_one_line(tmp_path):
    with pytest.raises(ArchiveError, match="cannot open archive") as info:
        open_archive(str(tmp_path / "no-such-dir" / "a.sqlite"))
    assert "\n" not in str(info.value)


def test_migrations_are_packaged():
    """pip install (not only -e) must ship every revision: the package-data globs cover them."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    archive_dir = ROOT / "archive"
    shipped = {p for pattern in package_data["archive"] for p in archive_dir.glob(pattern)}
    needed = {SCRIPT_LOCATION / "env.py", *SCRIPT_LOCATION.glob("versions/*.py")}
    assert needed <= shipped and (SCRIPT_LOCATION / "__init__.py").exists()


def indexes(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                                           (table,)) if not r[0].startswith("sqlite_autoindex")}


def test_schema_2_archive_drops_the_duplicate_indexes_and_keeps_its_rows(v1):
    engine = make_engine(f"sqlite:///{v1}")
    with engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # batch mode rebuilds raw_page
        with conn.begin():
            command.upgrade(alembic_config(conn), "0002")
    assert {"ix_version_article_id", "ix_version_article_number"} <= indexes(v1, "version")
    before = rows(v1)
    open_archive(str(v1))
    assert revision(v1) == set(_revisions()[0])
    assert [r[:-1] for r in rows(v1)["version"]] == before["version"]  # confidence appended (schema 6)
    width = len(before["crawl_run"][0])  # appended since: site (NULL), low_confidence (0), sources (NULL)
    assert [r[:width] for r in rows(v1)["crawl_run"]] == before["crawl_run"]
    assert all(r[width:] == (None, 0, None) for r in rows(v1)["crawl_run"])
    assert not {"ix_version_article_id", "ix_version_article_number"} & indexes(v1, "version")
    with sqlite3.connect(v1) as conn:  # the unique (article_id, number) still serves lookups by article
        plan = conn.execute("EXPLAIN QUERY PLAN SELECT * FROM version WHERE article_id = 1").fetchall()
    assert "USING INDEX sqlite_autoindex_version" in " ".join(str(step[-1]) for step in plan)


def test_autogenerate_leaves_the_search_tables_alone(tmp_path):
    from alembic.autogenerate import produce_migrations  # noqa: PLC0415

    from archive.migrate import include_object  # noqa: PLC0415

    store = Store.open(str(tmp_path / "a.sqlite"))
    url = "https://bochum.de/Pressemeldungen/1-Mai-2024/Eins"
    fetch = Fetch(url=url, canonical_url=url, status=200, headers={}, body=b"<html>1</html>",
                  fetched_at=datetime(2024, 5, 1))
    store.save_fetch(fetch, {"kind": "press_release", "headline": "Eins", "paragraphs": ["Text."]}, None)
    with store.sessions() as s:
        tables = set(s.connection().exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").scalars())
        assert {"version_fts", "search_doc"} <= tables  # the indexer made its tables
        context = MigrationContext.configure(s.connection(), opts={"include_object": include_object})
        assert produce_migrations(context, Base.metadata).upgrade_ops.is_empty()
        unfiltered = MigrationContext.configure(s.connection())
        assert not produce_migrations(unfiltered, Base.metadata).upgrade_ops.is_empty()  # what it guards against


def test_the_revision_template_is_packaged():
    """`alembic revision` from an installed package needs script.py.mako."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = {p for pattern in package_data["archive"] for p in (ROOT / "archive").glob(pattern)}
    assert SCRIPT_LOCATION / "script.py.mako" in shipped


def test_the_headline_index_migration_leaves_sqlite_alone(tmp_path):
    """0008_headline_index is PostgreSQL's (a GIN index); SQLite's FTS5 has a headline column already."""
    path = tmp_path / "a.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0007_discovery")
    before = schema(path)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0008_headline_index")
    assert schema(path) == before and revision(path) == {"0008_headline_index"}
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0007_discovery")
    assert schema(path) == before
    engine.dispose()


def schema(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
