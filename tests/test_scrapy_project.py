"""Scrapy's own commands in the project folder: list, settings, crawl (the archive as pressarchive makes it)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from builders import ROOT, pressarchive

from crawler.parsing.record import Record
from crawler.parsing.urls import canonical_url

pytestmark = pytest.mark.slow
REPLICA_SPEED = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]  # the replica needs no pause


def scrapy(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """`scrapy ARGS` from the project folder (where scrapy.cfg is), as a Scrapy user types it."""
    return subprocess.run([sys.executable, "-m", "scrapy", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


def scrapy_crawl(url: str, db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "bochum", "-a", f"start_url={url}",
            "-s", f"PRESSARCHIVE_DB={db}", *REPLICA_SPEED, *args]


def archive_rows(db: str) -> list[tuple]:
    """What an archive holds, without ids and times: articles, versions, their hashes and texts."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(
            "SELECT a.canonical_url, a.status, v.number, v.change, v.headline, v.published, v.content_hash, v.body "
            "FROM article a JOIN version v ON v.article_id = a.id ORDER BY a.canonical_url, v.number").fetchall()


def runs(db: str) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        sql = "SELECT site, status, exit_code, new_articles, errors FROM crawl_run ORDER BY id"
        return conn.execute(sql).fetchall()


def test_scrapy_list_prints_one_spider_per_site_profile():
    from crawler.sites import all_profiles

    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(p.name for p in all_profiles())
    assert "bochum" in result.stdout.split()


@pytest.mark.parametrize("name, value", [("ROBOTSTXT_OBEY", "True"), ("TELNETCONSOLE_ENABLED", "False"),
                                         ("REMOTE_CONTROL_ENABLED", "False"), ("BOT_NAME", "pressarchive")])
def test_scrapy_settings_in_the_project_folder(name, value):
    result = scrapy("settings", "--get", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == value


def test_scrapy_crawl_archives_exactly_as_pressarchive_crawl(site, tmp_path):
    ours, theirs = str(tmp_path / "pressarchive.sqlite"), str(tmp_path / "scrapy.sqlite")
    result = pressarchive("crawl", "--start-url", site.listing_url, "--delay", "0", "--db", ours, "--quiet")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "releases.jsonl"
    result = subprocess.run(scrapy_crawl(site.listing_url, theirs, "-O", str(out)), capture_output=True,
                            text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert len(archive_rows(theirs)) == 60 and archive_rows(theirs) == archive_rows(ours)
    assert runs(theirs) == runs(ours) == [("bochum", "ok", 0, 60, 0)]
    assert "'pressarchive/new_articles': 60" in result.stderr  # the run's counts are in Scrapy's stats
    # and its releases per discovery source: the listing names the robots-barred Intern draft too
    assert "'pressarchive/sources/listing': 61" in result.stderr
    # -O: one line per fetched release, in `pressarchive extract`'s schema
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 60 and all(set(line) == set(Record.__dataclass_fields__) for line in lines)
    truth = {canonical_url(site.url(r.path)): site.truth(r.path)["headline"] for r in site.portal.releases}
    assert {line["canonical_url"]: line["headline"] for line in lines}.items() <= truth.items()
    assert all(line["kind"] == "press_release" and line["paragraphs"] for line in lines)


def test_scrapy_crawl_recheck_and_max_articles_from_strings(site, tmp_path):
    db = str(tmp_path / "archive.sqlite")
    first = subprocess.run(scrapy_crawl(site.listing_url, db, "-a", "max_articles=5"), capture_output=True,
                           text=True, cwd=ROOT, timeout=300)
    assert first.returncode == 0, first.stderr[-3000:]
    again = subprocess.run(scrapy_crawl(site.listing_url, db, "-a", "recheck=all", "-a", "max_articles=8"),
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert [r[3] for r in runs(db)] == [5, 3]  # 5 new; then the 5 rechecked (304) and 3 more
    assert "'pressarchive/not_modified': 5" in again.stderr


def test_scrapy_crawl_takes_the_archives_lock(site, tmp_path):
    db = str(tmp_path / "archive.sqlite")
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom archive.lock import crawl_lock\n"
                               "with crawl_lock(sys.argv[1]):\n    print('held', flush=True)\n    time.sleep(60)", db],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = subprocess.run(scrapy_crawl(site.listing_url, db), capture_output=True, text=True, cwd=ROOT,
                                timeout=300)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert f"another crawl holds the archive lock {db}.lock (pid {holder.pid}" in result.stderr
    assert "Spider closed (LockHeld)" in result.stderr and "downloader/request_count" not in result.stderr
    assert not (tmp_path / "archive.sqlite").exists()  # nothing fetched, not even an archive made


def listening_ports(pid: int) -> set[int]:
    """TCP ports a process (and its children, the archive writer) listens on."""
    import psutil

    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    ports = set()
    for proc in procs:
        try:
            ports |= {c.laddr.port for c in proc.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}
        except psutil.Error:
            pass
    return ports


@pytest.mark.parametrize("command", ["scrapy", "pressarchive"])
def test_nothing_listens_on_a_port_during_a_crawl(replica, tmp_path, command):
    pytest.importorskip("psutil")
    replica.slow(0.2, kinds=["article"])  # a crawl long enough to look at
    db = str(tmp_path / "archive.sqlite")
    cmd = (scrapy_crawl(replica.listing_url, db, "-s", "LOG_LEVEL=INFO") if command == "scrapy" else
           [sys.executable, "-m", "archive", "crawl", "--start-url", replica.listing_url, "--delay", "0",
            "--db", db, "--log-file", str(tmp_path / "crawl.log")])
    crawl = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    seen: set[int] = set()
    looked = 0
    while crawl.poll() is None:
        if replica.count("article"):  # Scrapy is up and fetching: every extension has started
            seen |= listening_ports(crawl.pid)
            looked += 1
        time.sleep(0.05)  # polling a running process, not waiting for a result
    log = crawl.stderr.read() + ((tmp_path / "crawl.log").read_text() if command == "pressarchive" else "")
    assert crawl.returncode == 0, log[-3000:]
    assert looked and seen == set(), f"the crawl listened on {sorted(seen)}"
    assert "Telnet" not in log and "RemoteControl" not in log
    assert "scrapy.extensions.corestats.CoreStats" in log  # the extensions line was there to look at
