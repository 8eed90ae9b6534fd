"""PostgreSQL archives against a real server (tests/pg.py): migrations, per-site locks, crawls of the replica."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from builders import invoke
from conftest import REPLICA_RELEASES
from sqlalchemy import MetaData, create_engine, insert, text

from archive.db import open_archive
from archive.errors import LockHeld
from archive.lock import crawl_lock
from archive.migrate import _revisions, alembic_config

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[1]
V1 = ROOT / "tests" / "fixtures" / "archive_v1.sqlite"
V1_TABLES = ["article", "version", "raw_page", "quote", "image", "date_mention", "crawl_run", "failed_fetch"]


def rows(url: str, table: str, columns: list[str]) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")).all()
    engine.dispose()
    return [tuple(r) for r in found]


def schema_1_archive(url: str) -> dict[str, list[str]]:
    """The PostgreSQL database at revision 0001 holding the rows of the schema-1 fixture; its columns."""
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        old = MetaData()
        old.reflect(conn)
        with sqlite3.connect(V1) as src:
            src.row_factory = sqlite3.Row
            for table in old.sorted_tables:  # parents first
                if table.name not in V1_TABLES:
                    continue
                found = [dict(r) for r in src.execute(f"SELECT * FROM {table.name} ORDER BY id")]
                if found:
                    conn.execute(insert(table), found)
        for table in V1_TABLES:  # explicit ids were inserted: move each sequence past them
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                              f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"))
    engine.dispose()
    return {t: [c.name for c in old.tables[t].columns] for t in V1_TABLES}


def test_a_schema_1_archive_upgrades_to_head_without_losing_rows(pg_url):
    columns = schema_1_archive(pg_url)
    before = {t: rows(pg_url, t, columns[t]) for t in V1_TABLES}
    assert before["version"] and before["article"]
    open_archive(pg_url)
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        assert set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()) == set(_revisions()[0])
    engine.dispose()
    after = {t: rows(pg_url, t, columns[t]) for t in V1_TABLES}
    for table in V1_TABLES:
        if table == "crawl_run":  # schema 3 appended the site; the old columns keep their values
            assert len(after[table]) == len(before[table])
        else:
            assert after[table] == before[table], table
    # the upgraded archive is searched like any other: its versions are indexed on the first search
    headline = before["version"][0][columns["version"].index("headline")]
    word = max(headline.split(), key=len)
    result = invoke("search", word, "--db", pg_url, "--format", "json", "--all-versions")
    assert result.exit_code == 0 and json.loads(result.stdout), result.output


def test_the_lock_is_per_site_on_postgres(pg_url):
    open_archive(pg_url)
    with crawl_lock(pg_url, "bochum"):
        with crawl_lock(pg_url, "bochum-relaunch"):  # another site: granted at once
            with pytest.raises(LockHeld) as held:
                crawl_lock(pg_url, "bochum").acquire()
    assert "bochum" in str(held.value) and "pressarchive crawl pid" in str(held.value)
    with crawl_lock(pg_url, "bochum"):  # released with the context: free again
        pass


def crawl_cmd(url: str, db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "archive", "crawl", "--start-url", url, "--delay", "0", "--db", db, *args]


@pytest.mark.slow
def test_a_crawl_of_the_replica_into_postgres_keeps_the_right_versions(replica, pg_url):
    first = subprocess.run(crawl_cmd(replica.listing_url, pg_url), capture_output=True, text=True, cwd=ROOT,
                           timeout=300)
    assert first.returncode == 0, first.stderr
    edited, withdrawn = replica.edit(), replica.withdraw(status=410)
    again = subprocess.run(crawl_cmd(replica.listing_url, pg_url, "--recheck", "all"), capture_output=True,
                           text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr
    changes = dict(rows(pg_url, "version", ["id", "change"]))
    assert len([c for c in changes.values() if c == "new"]) == REPLICA_RELEASES
    assert sorted(c for c in changes.values() if c != "new") == ["edited", "withdrawn"]
    for path, kind in ((edited, "edited"), (withdrawn, "withdrawn")):
        history = invoke("history", replica.url(path), "--db", pg_url, "--format", "json")
        assert [v["change"] for v in json.loads(history.stdout)] == ["new", kind], history.output
    hits = invoke("search", replica.truth(edited)["headline"], "--db", pg_url, "--format", "json")
    assert hits.exit_code == 0 and replica.url(edited).split("/")[-1] in json.loads(hits.stdout)[0]["url"]
    runs = json.loads(invoke("runs", "--db", pg_url, "--format", "json").stdout)
    assert [(r["status"], r["exit_code"]) for r in runs] == [("ok", 0), ("ok", 0)]


@pytest.mark.slow
def test_crawls_of_two_sites_into_one_postgres_archive_run_at_once(replica, site, pg_url):
    open_archive(pg_url)
    replica.set_mode(markup="fallback")  # the relaunched portal's markup, for the bochum-relaunch profile
    with crawl_lock(pg_url, "bochum"):  # a bochum crawl is running: bochum-relaunch may crawl, bochum not
        blocked = subprocess.run(crawl_cmd(site.listing_url, pg_url), capture_output=True, text=True,
                                 cwd=ROOT, timeout=300)
        relaunch = subprocess.run(crawl_cmd(replica.listing_url, pg_url, "--site", "bochum-relaunch"),
                                  capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert blocked.returncode == 75 and len(blocked.stderr.strip().splitlines()) == 1, blocked.stderr
    assert relaunch.returncode == 0, relaunch.stderr
    both = [subprocess.Popen(crawl_cmd(url, pg_url, *extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, cwd=ROOT)
            for url, extra in ((site.listing_url, ()), (replica.listing_url, ("--site", "bochum-relaunch")))]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in both]
    assert [code for code, _ in results] == [0, 0], results
    runs = json.loads(invoke("runs", "--db", pg_url, "--format", "json").stdout)
    assert sorted((r["site"], r["status"]) for r in runs) == [
        ("bochum", "ok"), ("bochum-relaunch", "ok"), ("bochum-relaunch", "ok")]


def test_a_role_that_may_only_read_searches_and_exports(pg_server, pg_url):
    from builders import build_archive  # noqa: PLC0415

    build_archive(pg_url)
    engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP ROLE IF EXISTS reader"))
        conn.execute(text("CREATE ROLE reader LOGIN"))
        conn.execute(text("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader"))
        conn.execute(text("INSERT INTO version (article_id, number, fetched_at, change, kind, headline, body,"
                          " content_hash, extractor, changed_fields, paragraphs) SELECT article_id, number + 100,"
                          " fetched_at, 'edited', kind, 'Ungeindexte Fassung', body, content_hash, extractor,"
                          " changed_fields, paragraphs FROM version WHERE id = 1"))  # the index lacks it now
    engine.dispose()
    reader = pg_url.replace("://pressarchive@", "://reader@")
    try:
        result = invoke("search", "Stolpersteine", "--db", reader, "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)[0]["headline"] == "Neue Stolpersteine erinnern an Bochumer Familien"
        assert invoke("export", "versions", "--db", reader).exit_code == 0
    finally:
        pg_server.drop_database(pg_url)
        pg_server._admin("DROP ROLE reader")
