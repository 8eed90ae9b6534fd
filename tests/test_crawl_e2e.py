"""End to end: the replica portal on 127.0.0.1 and `python -m archive crawl` in a subprocess."""
from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPLICA_RELEASES

from crawler.parsing.urls import canonical_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
N = REPLICA_RELEASES  # conftest's `replica`: three listing pages


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "archive.sqlite")


def crawl_cmd(url: str, db: str, *args: str) -> list[str]:
    delay = [] if "--delay" in args else ["--delay", "0"]
    return [sys.executable, "-m", "archive", "crawl", "--start-url", url, *delay, "--db", db, *args]


def crawl(url: str, db: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_cmd(url, db, *args), capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def query(db: str, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return conn.execute(sql, params).fetchall()


def active_truth(rep) -> dict[str, dict]:
    """Ground truth of every release the listing shows, by canonical URL."""
    return {canonical_url(rep.url(r.path)): rep.truth(r.path) for r in rep.portal.releases if r.status == 200}


def versions_by_article(db: str) -> dict[str, list[tuple]]:
    rows = query(db, "SELECT a.canonical_url, v.number, v.change, v.headline, v.published, a.status "
                     "FROM article a JOIN version v ON v.article_id = a.id ORDER BY a.id, v.number")
    out: dict[str, list[tuple]] = {}
    for canon, *rest in rows:
        out.setdefault(canon, []).append(tuple(rest))
    return out


def wait_for(condition, timeout: float = 60, what: str = "condition"):
    """Poll a condition (no fixed sleeps as synchronisation); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def version_count(db: str) -> int:
    try:
        return query(db, "SELECT count(*) FROM version")[0][0]
    except sqlite3.Error:
        return 0  # not created yet


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# --- the first crawl and the ones after it -------------------------------------------------------
def test_first_crawl_archives_every_release_once_then_nothing_new(replica, db, tmp_path):
    log = tmp_path / "crawl.log"
    first = crawl(replica.listing_url, db, "--log-file", str(log))
    assert first.returncode == 0, first.stderr
    assert "new articles" in first.stdout and "ALARM" not in first.stderr
    truth = active_truth(replica)
    stored = versions_by_article(db)
    assert set(stored) == set(truth) and len(truth) == N
    for canon, versions in stored.items():
        assert len(versions) == 1, canon
        _number, change, headline, published, status = versions[0]
        assert (change, status) == ("new", "active")
        assert headline == truth[canon]["headline"], canon
        assert published == truth[canon]["published"], canon
    # robots.txt obeyed, no service or navigation page, no remote consoles
    assert replica.count("intern", "200") == 0 and replica.count("service", "200") == 0
    assert not query(db, "SELECT url FROM raw_page WHERE url LIKE '%Intern%' OR url NOT LIKE '%/Pressemeldungen%'")
    text = log.read_text()
    assert "Enabled extensions" in text and "RemoteControl" not in text and "TelnetConsole" not in text
    assert " WARNING: " not in text and " ERROR: " not in text, "deprecations or errors in the log"

    again = crawl(replica.listing_url, db)  # --recheck recent: the replica's releases are old
    assert again.returncode == 0, again.stderr
    replica.reset_stats()
    everything = crawl(replica.listing_url, db, "--recheck", "all", "--quiet")
    assert everything.returncode == 0 and everything.stdout == "" and everything.stderr == ""
    assert replica.count("article", "200") == 0, "a conditional re-fetch downloaded a body"
    assert replica.count("article", "304") == N
    assert sum(len(v) for v in versions_by_article(db).values()) == N
    runs = query(db, "SELECT status, exit_code, not_modified FROM crawl_run ORDER BY id")
    assert runs[0][:2] == ("ok", 0) and runs[-1] == ("ok", 0, N)


def test_changes_make_exactly_the_right_versions(replica, db):
    assert crawl(replica.listing_url, db).returncode == 0
    edited, corrected, withdrawn = replica.edit(), replica.correct_headline(), replica.withdraw(status=410)
    replica.set_mode(etag="chrome")  # the reshuffled chrome now changes ETags: full downloads
    replica.reshuffle_chrome()
    added = replica.add_release()
    result = crawl(replica.listing_url, db, "--recheck", "all")
    assert result.returncode == 0, result.stderr
    stored = versions_by_article(db)
    key = lambda path: canonical_url(replica.url(path))  # noqa: E731
    assert [v[1] for v in stored[key(edited)]] == ["new", "edited"]
    assert [v[1] for v in stored[key(corrected)]] == ["new", "edited"]
    assert stored[key(corrected)][-1][2] == replica.truth(corrected)["headline"]
    assert [v[1] for v in stored[key(withdrawn)]] == ["new", "withdrawn"]
    assert stored[key(withdrawn)][-1][4] == "withdrawn"
    assert [v[1] for v in stored[key(added)]] == ["new"]
    changed = {key(p) for p in (edited, corrected, withdrawn, added)}
    assert all(len(v) == 1 for canon, v in stored.items() if canon not in changed)
    assert len(stored) == N + 1
    summary = {line[:22].strip(): line[22:].strip() for line in result.stdout.splitlines()[1:]}
    assert (summary["new articles"], summary["new versions"], summary["withdrawn"]) == ("1", "2", "1")


# --- faults ------------------------------------------------------------------------------------
def test_503s_and_dropped_connections_are_retried(replica, db):
    replica.fail(kinds=["article"], fraction=0.3, times=2)
    replica.drop(kinds=["article"], fraction=0.2, times=1)
    replica.fail(kinds=["listing"], times=1)
    result = crawl(replica.listing_url, db)
    assert result.returncode == 0, result.stderr
    assert replica.count("article", "503") > 0 and replica.count("article", "drop") > 0
    assert set(versions_by_article(db)) == set(active_truth(replica))
    assert query(db, "SELECT errors FROM crawl_run") == [(0,)]


def test_sigkill_mid_crawl_leaves_a_sound_archive_completed_next_run(replica, db):
    replica.slow(0.2, kinds=["article"])
    proc = subprocess.Popen(crawl_cmd(replica.listing_url, db), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        wait_for(lambda: version_count(db) >= 10, what="10 stored versions")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert version_count(db) < N, "the crawl finished before it was killed"
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    replica.clear_faults()
    result = crawl(replica.listing_url, db)
    assert result.returncode == 0, result.stderr
    stored = versions_by_article(db)
    assert set(stored) == set(active_truth(replica))
    assert all(len(v) == 1 for v in stored.values()), "something was stored twice"
    assert query(db, "SELECT status FROM crawl_run ORDER BY id") == [("interrupted",), ("ok",)]


def test_second_concurrent_crawl_exits_75_naming_the_holder(replica, db):
    replica.slow(0.5, kinds=["article"])
    first = subprocess.Popen(crawl_cmd(replica.listing_url, db), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        wait_for(lambda: os.path.exists(db + ".lock") and "pid" in Path(db + ".lock").read_text(),
                 what="the first crawl's lock")
        second = crawl(replica.listing_url, db)
        assert second.returncode == 75
        line = one_line(second.stderr)
        assert f"pid {first.pid}" in line and "started" in line
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()


# --- the drift alarm ---------------------------------------------------------------------------
def test_drift_alarm_on_relaunched_markup(replica, db):
    replica.set_mode(markup="fallback")
    result = crawl(replica.listing_url, db)
    assert result.returncode == 1
    alarms = [line for line in result.stderr.splitlines() if line.startswith("ALARM:")]
    assert alarms and "bochum profile" in alarms[0]
    assert "fallback pages" in result.stdout
    (messages,) = query(db, "SELECT messages FROM crawl_run")[0]
    assert "ALARM:" in messages
    assert len(versions_by_article(db)) == N  # the fallback still archived every release


def test_drift_alarm_on_a_listing_without_release_links(replica, db):
    replica.set_mode(listing="empty")
    result = crawl(replica.listing_url, db, "--quiet")
    assert result.returncode == 1
    assert any(line.startswith("ALARM:") and "no release links" in line for line in result.stderr.splitlines())


# --- bad starts --------------------------------------------------------------------------------
def test_unreachable_site_is_exit_1_with_one_line(db):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nothing listens there
    result = crawl(f"http://127.0.0.1:{port}/Pressemeldungen", db)
    assert result.returncode == 1
    assert "cannot fetch" in one_line(result.stderr) and result.stdout == ""
    assert query(db, "SELECT status, exit_code FROM crawl_run") == [("failed", 1)]


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/Pressemeldungen", "Pressemeldungen", "http://"])
def test_bad_start_url_is_exit_2_with_one_line(url, db):
    result = crawl(url, db, timeout=60)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("pressarchive: ")
    assert not os.path.exists(db)


def test_max_articles_and_the_runs_command(replica, db):
    result = crawl(replica.listing_url, db, "--max-articles", "5")
    assert result.returncode == 0, result.stderr
    assert len(versions_by_article(db)) == 5
    runs = subprocess.run([sys.executable, "-m", "archive", "runs", "--db", db], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert runs.returncode == 0
    header, row = runs.stdout.splitlines()
    assert header.split()[:2] == ["id", "start"] and row.split()[0] == "1" and row.rstrip().endswith("ok")


def test_polite_mode_with_autothrottle(replica, db, tmp_path):
    log = tmp_path / "polite.log"
    result = crawl(replica.listing_url, db, "--delay", "0.2", "--max-articles", "3", "--log-file", str(log))
    assert result.returncode == 0, result.stderr
    text = log.read_text()
    assert "'AUTOTHROTTLE_ENABLED': True" in text and "'DOWNLOAD_DELAY': 0.2" in text
    assert " WARNING: " not in text and " ERROR: " not in text
    assert len(versions_by_article(db)) == 3
