"""Crawl failures told truthfully (issue 11, items 6-9; issue 13 "server gone"), end to end on the replica.

Each test crawls the replica portal in a subprocess, as cron would, and breaks something on the way:
the writer process, the archive's file, the database server, the crawl itself (signals), the releases.
"""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys

import psutil
import pytest
from conftest import REPLICA_RELEASES as N
from test_crawl_e2e import ROOT, crawl, crawl_cmd, query, version_count, versions_by_article, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("PRESSARCHIVE_STATE_DIR", str(tmp_path / "state"))  # the run journal, per test
    return str(tmp_path / "archive.sqlite")


def summary_rows(stdout: str) -> dict[str, str]:
    """The summary's label -> value rows."""
    return {line[:22].strip(): line[22:].strip() for line in stdout.splitlines()[1:] if not line.startswith("  !")}


def runs(db: str) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "archive", "runs", "--db", db, "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return list(reversed(json.loads(result.stdout)))  # oldest first


def start(url: str, db: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(crawl_cmd(url, db, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, **kwargs)


def writer_of(proc: subprocess.Popen) -> psutil.Process:
    """The crawl's writer process (its spawned child that is not multiprocessing's resource tracker)."""
    children = psutil.Process(proc.pid).children()
    return next(c for c in children if "resource_tracker" not in " ".join(c.cmdline()))


# --- item 6: the writer process dies --------------------------------------------------------------
def test_a_dead_writer_fails_the_run_naming_the_cause(replica, db):
    proc = start(replica.listing_url, db, "--delay", "0.1")  # one at a time: the writer keeps up
    wait_for(lambda: version_count(db) >= 5, what="5 stored versions")
    writer_of(proc).kill()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    assert "FAILED: the archive writer process died" in out.splitlines()[0]
    stored = version_count(db)
    assert stored < N and replica.count("article", "200") < N, "the crawl went on fetching"
    rows = summary_rows(out)
    assert int(rows["new articles"]) == stored  # what it stored, though the writer's last answers were lost
    (run,) = runs(db)
    assert (run["status"], run["exit_code"]) == ("failed", 1)
    assert "writer process died" in run["messages"][0] and run["errors"] == int(rows["errors"])
    # what was fetched but not stored is kept as failed, for the next run (the archive itself is fine)
    kept = query(db, "SELECT count(*) FROM failed_fetch WHERE error LIKE 'not stored: the archive writer%'")
    assert kept == [(int(rows["errors"]),)]
    replica.clear_faults()
    again = crawl(replica.listing_url, db)  # what was not stored is fetched and stored next run
    assert again.returncode == 0, again.stderr
    assert len(versions_by_article(db)) == N and query(db, "SELECT count(*) FROM failed_fetch") == [(0,)]


# --- item 7: the archive cannot be written --------------------------------------------------------
def file_size_limit(size: int):
    """preexec_fn: no file the crawl writes may grow beyond `size` bytes (a full disk, as far as SQLite sees)."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_full_disk_stops_the_crawl_at_once(replica, db):
    assert crawl(replica.listing_url, db, "--max-articles", "3").returncode == 0
    limit = max(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p)) + 60_000
    replica.reset_stats()
    # one request at a time, as on the live portal: what the writer has not stored was not fetched yet
    proc = start(replica.listing_url, db, "--recheck", "new", "--delay", "0.1", preexec_fn=file_size_limit(limit))
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 1, (out, err)
    head = out.splitlines()[0]
    assert "FAILED: the archive cannot be written" in head and ("full" in head or "I/O" in head), head
    stored = version_count(db)
    assert 3 < stored < N, "nothing stored before the disk filled, or it never filled"
    assert replica.count("article", "200") < N - 3, "the crawl went on fetching"
    assert len(err.splitlines()) < 10, err  # one line of cause, not one per release
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    # Recorded, or (when the full disk could not take even that) kept for the next crawl: `runs` shows it
    first, second = runs(db)
    assert (second["status"], second["exit_code"], second["new_articles"]) == ("failed", 1, stored - 3)
    recorded = query(db, "SELECT status FROM crawl_run WHERE id = 2")
    assert recorded == [("failed",)] or (recorded == [("running",)] and "could not be recorded" in out)
    replica.clear_faults()
    again = crawl(replica.listing_url, db)  # room again: the next crawl records it and goes on
    assert again.returncode == 0, again.stderr
    first, second, third = runs(db)
    assert (second["status"], second["exit_code"]) == ("failed", 1)
    assert second["new_articles"] == stored - 3 and "cannot be written" in second["messages"][0]
    assert third["status"] == "ok" and len(versions_by_article(db)) == N


@pytest.fixture
def read_only():
    """make(paths): the files become read-only even for open handles and root (chattr +i); undone after."""
    made: list[str] = []

    def make(*paths: str) -> None:
        for path in paths:
            done = subprocess.run(["chattr", "+i", path], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"cannot make a file immutable here (chattr +i): {done.stderr.strip()}")
            made.append(path)

    yield make
    for path in made:
        subprocess.run(["chattr", "-i", path], capture_output=True)


def test_an_archive_made_read_only_mid_crawl_stops_it(replica, db, read_only):
    proc = start(replica.listing_url, db, "--delay", "0.1")
    wait_for(lambda: version_count(db) >= 5, what="5 stored versions")
    read_only(db, db + "-wal")
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 1, (out, err)
    assert "FAILED: the archive cannot be written" in out.splitlines()[0]
    assert replica.count("article", "200") < N - 10, "the crawl went on fetching"
    assert "could not be recorded" in out and len(err.splitlines()) < 10


def test_a_read_only_archive_is_one_line_and_nothing_fetched(replica, db, read_only):
    assert crawl(replica.listing_url, db, "--max-articles", "3").returncode == 0
    read_only(db)
    replica.reset_stats()
    result = crawl(replica.listing_url, db)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == "pressarchive: the archive cannot be written: attempt to write a readonly database"
    assert replica.count("article", "200") == 0 and replica.count("listing", "200") == 0


# --- item 8: runs tell the truth ------------------------------------------------------------------
def stored_by_run(db: str, run_id: int) -> int:
    return query(db, "SELECT count(*) FROM version WHERE run_id = ?", run_id)[0][0]


def test_a_killed_run_is_interrupted_with_what_it_stored(replica, db):
    proc = start(replica.listing_url, db, "--delay", "0.1")
    try:
        wait_for(lambda: version_count(db) >= 7 and query(db, "SELECT pages_fetched FROM crawl_run")[0][0] > 0,
                 what="7 stored versions and the run's counts written")
    finally:
        proc.kill()
        proc.communicate()
    assert query(db, "SELECT status FROM crawl_run") == [("running",)]  # nobody could record it...
    (shown,) = runs(db)  # ...but its lock is free: `runs` tells it is dead, with what it stored
    assert (shown["status"], shown["new_articles"]) == ("interrupted", stored_by_run(db, 1))
    again = crawl(replica.listing_url, db)
    assert again.returncode == 0, again.stderr
    first, second = runs(db)
    assert first["status"] == "interrupted" and first["exit_code"] is None
    assert first["new_articles"] == stored_by_run(db, 1) >= 7 and first["pages_fetched"] > 0
    assert second["new_articles"] == N - first["new_articles"] == stored_by_run(db, 2)


def test_runs_shows_a_live_crawl_as_running(replica, db):
    proc = start(replica.listing_url, db, "--delay", "0.2")
    try:
        wait_for(lambda: version_count(db) >= 2, what="2 stored versions")
        (shown,) = runs(db)
        assert shown["status"] == "running"
    finally:
        proc.kill()
        proc.communicate()


def test_sigterm_is_interrupted_with_its_true_counts(replica, db):
    proc = start(replica.listing_url, db, "--delay", "0.1")
    wait_for(lambda: version_count(db) >= 7, what="7 stored versions")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    assert "INTERRUPTED" in out.splitlines()[0]
    (run,) = runs(db)
    assert (run["status"], run["exit_code"]) == ("interrupted", 1)
    assert run["new_articles"] == stored_by_run(db, 1) == int(summary_rows(out)["new articles"]) >= 7
    assert any("stopped before its end" in m for m in run["messages"])


def test_ctrl_c_twice_is_interrupted_not_did_not_start(replica, db, tmp_path):
    log = tmp_path / "crawl.log"
    replica.slow(1.0, kinds=["article"])  # the first Ctrl-C waits for answers in flight: time for a second
    proc = start(replica.listing_url, db, "--log-file", str(log))
    wait_for(lambda: version_count(db) >= 3, what="3 stored versions")
    proc.send_signal(signal.SIGINT)
    wait_for(lambda: "shutting down gracefully" in log.read_text(), what="the first Ctrl-C")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    assert "forcing unclean shutdown" in log.read_text()  # Scrapy never closed the spider
    assert "did not start" not in out + err and "INTERRUPTED" in out.splitlines()[0], (out, err)
    (run,) = runs(db)
    assert (run["status"], run["exit_code"]) == ("interrupted", 1)
    assert run["new_articles"] == stored_by_run(db, 1) >= 3


@pytest.mark.postgres
def test_postgres_gone_mid_crawl_stops_it_and_the_next_crawl_records_the_run(replica, pg_server, pg_url, db):
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    def pg(sql: str):
        engine = create_engine(pg_url, poolclass=NullPool)
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql)).all()
        finally:
            engine.dispose()

    def versions() -> int:
        try:
            return pg("SELECT count(*) FROM version")[0][0]
        except Exception:  # noqa: BLE001 - not created yet
            return 0

    proc = start(replica.listing_url, pg_url, "--delay", "0.1")
    try:
        wait_for(lambda: versions() >= 5, what="5 stored versions")
        pg_server.pause()
        out, err = proc.communicate(timeout=180)
    finally:
        pg_server.resume()
    assert proc.returncode == 1, (out, err)
    assert "FAILED: the archive cannot be written" in out.splitlines()[0]
    assert replica.count("article", "200") < N - 10, "the crawl went on fetching"
    assert "could not be recorded" in out and len(err.splitlines()) < 10, err
    stored = versions()
    assert pg("SELECT status FROM crawl_run") == [("running",)]
    again = crawl(replica.listing_url, pg_url)  # the server is back: the next crawl records the run
    assert again.returncode == 0, again.stderr
    first, second = runs(pg_url)
    assert (first["status"], first["exit_code"]) == ("failed", 1)
    assert first["new_articles"] == stored and "cannot be written" in first["messages"][0]
    assert second["status"] == "ok" and second["new_articles"] == N - stored


# --- item 9: retries with a backoff and a cap; the listing's real releases first ---------------------
JUNK = "/Pressemeldungen/Archiv-"  # the replica's junk release links (listing mode "junk") answer 404


def junk_fetches(replica) -> list[str]:
    return [key for kind, key, _ in replica.requests() if key.startswith(JUNK)]


def test_dead_links_back_off_across_runs_and_real_releases_come_first(replica, db):
    replica.set_mode(listing="junk")
    first = crawl(replica.listing_url, db)
    assert first.returncode == 0, first.stderr  # releases failing once are no reason to fail the run
    junk = len(junk_fetches(replica))
    assert junk >= 100 and summary_rows(first.stdout)["errors"] == str(junk)
    assert query(db, "SELECT count(*), max(attempts) FROM failed_fetch") == [(junk, 1)]

    def run(*args: str) -> subprocess.CompletedProcess:
        replica.reset_stats()
        return crawl(replica.listing_url, db, *args)

    second = run()  # only the junk is fetched (due again) and fails: no news, so no failed run
    assert second.returncode == 0, second.stdout
    assert len(junk_fetches(replica)) == junk
    third = run()  # failed on two runs: skips one
    assert third.returncode == 0 and junk_fetches(replica) == []

    added = replica.add_release()  # the newest release: first among the listing's real ones
    fourth = run("--delay", "0.05")  # polite: one at a time. The junk is due again, after the new release
    fetched = [key for kind, key, _ in replica.requests() if kind in ("article", "other")]
    assert fetched.index(added) <= 1  # at most the one request in flight when the listing was read
    assert len(junk_fetches(replica)) == junk
    assert fourth.returncode == 1, fourth.stdout  # the third failed run in a row: named, and the run fails
    named = [line for line in fourth.stdout.splitlines() if "failed on 3 runs in a row" in line]
    assert named and JUNK in named[0] and "HTTP 404" in named[0]
    (messages,) = query(db, "SELECT messages FROM crawl_run ORDER BY id DESC LIMIT 1")[0]
    assert sum("failed on 3 runs in a row" in m for m in json.loads(messages)) == junk

    assert [run().returncode for _ in range(3)] == [0, 0, 0] and junk_fetches(replica) == []  # skips three
    # As if 4 failed runs and 7 skipped ones were behind them (no run of theirs left to count from): the last try
    query_rw(db, "UPDATE failed_fetch SET attempts = 4, last_run_id = NULL")
    last = run()
    assert last.returncode == 1 and "given up after 5" in last.stdout
    assert run().returncode == 0 and junk_fetches(replica) == []  # given up: not fetched, though linked
    assert run("--recheck", "all").returncode == 1 and len(junk_fetches(replica)) == junk  # tried again


def query_rw(db: str, sql: str) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute(sql)


@pytest.mark.parametrize("attempts,skipped,due", [
    (1, 0, True), (2, 0, False), (2, 1, True), (3, 2, False), (3, 3, True), (4, 6, False), (4, 7, True),
    (5, 100, False),  # given up
])
def test_the_retry_schedule(attempts, skipped, due):
    from crawler.retries import Failure, is_due

    run_ids = list(range(1, skipped + 3))  # the failed run, the skipped ones, this one
    failure = Failure("c", "u", attempts, last_run_id=1)
    assert is_due(failure, run_ids, current=run_ids[-1], recheck="recent") is due
    assert is_due(failure, run_ids, current=run_ids[-1], recheck="all")
