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
    replica.slow(0.2, kinds=["article"])  # the writer keeps up: what it has not stored was not fetched
    proc = start(replica.listing_url, db)
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
    replica.clear_faults()
    again = crawl(replica.listing_url, db)  # what was not stored is fetched and stored next run
    assert again.returncode == 0, again.stderr
    assert len(versions_by_article(db)) == N
