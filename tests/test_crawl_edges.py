"""End to end at the crawl's edges (issue 11): redirects off the site, redirect loops, gzip bombs,
over-size pages, the listing cap, releases that moved away or answer "page not found".

Each scenario is a fault or state of the replica portal (scripts/replica); crawls run in a subprocess.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import zlib

import pytest
from conftest import REPLICA_RELEASES, REPLICA_SEED
from replica.server import start_replica
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from test_crawl_e2e import ROOT, active_truth, crawl, query, versions_by_article

from archive.db import open_archive
from archive.models import Version
from archive.versioning import compared, version_extract
from crawler.parsing.record import CHILDREN
from crawler.parsing.urls import canonical_url

pytestmark = pytest.mark.slow
N = REPLICA_RELEASES


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "archive.sqlite")


@pytest.fixture
def elsewhere():
    """A second portal on another port of 127.0.0.1: what a redirect must never make the crawler fetch."""
    with start_replica(n=5, seed=REPLICA_SEED + 1, port=0) as rep:
        yield rep


def paths(replica, *indexes: int) -> list[str]:
    releases = replica.portal.active
    return [releases[i].path for i in indexes]


def key(replica, path: str) -> str:
    return canonical_url(replica.url(path))


def failed_fetches(db: str) -> dict[str, str]:
    return dict(query(db, "SELECT canonical_url, error FROM failed_fetch"))


def last_run(db: str) -> tuple:
    """errors, messages (a list) and exit code of the newest run."""
    errors, messages, code = query(db, "SELECT errors, messages, exit_code FROM crawl_run ORDER BY id DESC LIMIT 1")[0]
    return errors, json.loads(messages), code


# --- item 1: only the start URL's host (and port) is fetched, redirects included ------------------
def test_a_redirect_to_another_port_or_host_is_an_error_and_nothing_from_there_is_stored(replica, elsewhere, db,
                                                                                         tmp_path):
    other_port, other_host, refresh = paths(replica, 4, 9, 13)
    target = elsewhere.portal.active[0].path  # a real release page: it would be archived if fetched
    replica.redirect(elsewhere.url(target), paths=[other_port], status=302)
    replica.redirect(f"http://localhost:{replica.port}{target}", paths=[other_host], status=301)
    replica.redirect(elsewhere.url(target), paths=[refresh], status=200)  # <meta http-equiv="refresh">
    result = crawl(replica.listing_url, db, "--quiet")
    assert result.returncode == 0, result.stderr
    assert "another host" in result.stdout, "--quiet said nothing about the errors"
    assert elsewhere.stats()["total"] == 0, "the crawler fetched from another port"
    stored = versions_by_article(db)
    assert not {key(replica, p) for p in (other_port, other_host, refresh)} & set(stored)
    assert len(stored) == N - 3
    assert not query(db, "SELECT url FROM raw_page WHERE url NOT LIKE ?", f"http://127.0.0.1:{replica.port}/%")
    assert not query(db, "SELECT id FROM version WHERE headline = ?", elsewhere.truth(target)["headline"])
    failures = failed_fetches(db)
    assert set(failures) == {key(replica, other_port), key(replica, other_host), key(replica, refresh)}
    assert all("another host" in error for error in failures.values())
    errors, messages, _ = last_run(db)
    assert errors == 3 and sum("another host" in m for m in messages) == 3
    warc = tmp_path / "out.warc.gz"
    subprocess.run([sys.executable, "-m", "archive", "warc", "--out", str(warc), "--db", db], check=True,
                   cwd=ROOT, capture_output=True, timeout=120)
    records = gzip.decompress(warc.read_bytes())  # every member: a WARC.gz holds one per record
    assert records.count(b"WARC-Target-URI") >= N - 3 and str(elsewhere.port).encode() not in records


# --- item 5: nothing is dropped silently ------------------------------------------------------------
def test_a_redirect_loop_and_a_gzip_bomb_are_errors_retried_next_run(replica, db):
    looping, bomb = paths(replica, 3, 7)
    replica.redirect(looping, paths=[looping], status=302)  # to itself, for ever
    replica.gzip_bomb(paths=[bomb])
    result = crawl(replica.listing_url, db, "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "--quiet said nothing about two releases that were not archived"
    errors, messages, _ = last_run(db)
    assert errors == 2
    assert set(failed_fetches(db)) == {key(replica, looping), key(replica, bomb)}
    assert any("redirection" in m for m in messages) and any("MAXSIZE" in m for m in messages)

    replica.clear_faults()
    again = crawl(replica.listing_url, db, "--quiet")  # --recheck recent: the failures are retried
    assert again.returncode == 0 and again.stdout == "", again.stdout + again.stderr
    assert set(versions_by_article(db)) == set(active_truth(replica)) and not failed_fetches(db)


def test_a_page_over_3m_characters_is_flagged_and_its_raw_page_kept_whole(replica, db):
    (big,) = paths(replica, 5)
    replica.huge(paths=[big])
    result = crawl(replica.listing_url, db, "--quiet")
    assert result.returncode == 0, result.stderr
    assert "3,000,000 characters" in result.stdout
    _, messages, _ = last_run(db)
    slug = big.rsplit("/", 1)[-1]
    assert any(slug in m and "3,000,000 characters" in m for m in messages)
    (headline, size, body), = query(db, "SELECT v.headline, r.size, r.body FROM version v JOIN article a ON "
                                        "a.id = v.article_id JOIN raw_page r ON r.id = v.raw_page_id "
                                        "WHERE a.canonical_url = ?", key(replica, big))
    assert headline == replica.truth(big)["headline"]
    assert size == len(zlib.decompress(body)) > 3_000_000


def scrapy_crawl(replica, db: str, *settings: str) -> subprocess.CompletedProcess:
    """`scrapy crawl bochum` into db with extra settings (what `pressarchive crawl` has no option for)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "bochum", "-a", f"start_url={replica.listing_url}",
           "-s", f"PRESSARCHIVE_DB={db}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
           "-s", "LOG_LEVEL=WARNING", *(arg for setting in settings for arg in ("-s", setting))]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=180)


def test_a_page_over_the_download_limit_is_an_error_retried_next_run(replica, db):
    (big,) = paths(replica, 5)
    replica.huge(paths=[big])
    result = scrapy_crawl(replica, db, "DOWNLOAD_MAXSIZE=2000000", "DOWNLOAD_WARNSIZE=0")
    assert result.returncode == 0, result.stderr
    errors, messages, _ = last_run(db)
    assert errors == 1 and list(failed_fetches(db)) == [key(replica, big)]
    assert key(replica, big) not in versions_by_article(db)


def test_the_listing_cap_is_said(replica, db):
    result = scrapy_crawl(replica, db, "PRESSARCHIVE_MAX_LISTING_PAGES=2")
    assert result.returncode == 0, result.stderr
    _, messages, _ = last_run(db)
    assert any("cut at 2 pages" in m for m in messages)
    assert replica.count("listing", "200") == 2


# --- item 2: a release that moved away or answers "page not found" is withdrawn, never edited -----
def test_a_release_moved_to_the_listing_or_answering_not_found_is_withdrawn(replica, db):
    assert crawl(replica.listing_url, db).returncode == 0
    to_listing, to_home, soft = paths(replica, 2, 6, 11)
    replica.redirect("/Pressemeldungen", paths=[to_listing], status=301)
    replica.redirect("/", paths=[to_home], status=302)
    replica.soft_404(soft)
    result = crawl(replica.listing_url, db, "--recheck", "all")
    assert result.returncode == 0, result.stderr
    stored = versions_by_article(db)
    for path in (to_listing, to_home, soft):
        versions = stored[key(replica, path)]
        assert [v[1] for v in versions] == ["new", "withdrawn"], path
        assert versions[-1][2] == replica.truth(path)["headline"] and versions[-1][4] == "withdrawn"
    assert not query(db, "SELECT id FROM version WHERE headline IN ('Pressemeldungen', 'Stadt Bochum', "
                         "'Seite nicht gefunden')")
    assert sum(len(v) for v in stored.values()) == N + 3
    summary = {line[:22].strip(): line[22:].strip() for line in result.stdout.splitlines()[1:]}
    assert (summary["new versions"], summary["withdrawn"], summary["errors"]) == ("0", "3", "0")

    replica.clear_faults()
    replica.restore(soft)
    back = crawl(replica.listing_url, db, "--recheck", "all")
    assert back.returncode == 0, back.stderr
    stored = versions_by_article(db)
    assert [v[1] for v in stored[key(replica, soft)]] == ["new", "withdrawn", "edited"]
    assert [v[1] for v in stored[key(replica, to_listing)]] == ["new", "withdrawn", "edited"]


def test_an_unknown_release_that_is_no_release_is_never_stored(replica, db):
    (moved,) = paths(replica, 1)
    replica.redirect("/Pressemeldungen", paths=[moved], status=301)
    result = crawl(replica.listing_url, db)
    assert result.returncode == 0, result.stderr
    assert replica.path_count(moved, "redirect") == 1
    assert key(replica, moved) not in versions_by_article(db)
    assert not query(db, "SELECT id FROM version WHERE headline = 'Pressemeldungen'")
    assert "no release address" in failed_fetches(db)[key(replica, moved)]


# --- item 3: a relaunch (chrome, template, kicker label) adds no version --------------------------
def summary_of(result) -> dict[str, str]:
    return {line[:22].strip(): line[22:].strip() for line in result.stdout.splitlines()[1:]}


def test_a_relaunch_and_back_adds_no_version_but_an_edit_still_does(replica, db):
    assert crawl(replica.listing_url, db).returncode == 0
    replica.set_mode(markup="fallback")  # the relaunch markup: new template, kicker "Pressemitteilung"
    edited = replica.edit()
    relaunched = crawl(replica.listing_url, db, "--recheck", "all", "--site", "bochum-relaunch")
    assert relaunched.returncode == 0, relaunched.stderr
    assert replica.count("article", "200") >= N  # every release was downloaded again, in the new markup
    assert summary_of(relaunched)["new versions"] == "1"
    stored = versions_by_article(db)
    assert [v[1] for v in stored[key(replica, edited)]] == ["new", "edited"]
    assert query(db, "SELECT changed_fields FROM version WHERE change = 'edited'") == [('["paragraphs"]',)]
    replica.set_mode(markup="portal")
    back = crawl(replica.listing_url, db, "--recheck", "all")
    assert back.returncode == 0, back.stderr
    assert summary_of(back)["new versions"] == "0"
    assert sum(len(v) for v in versions_by_article(db).values()) == N + 1


def hash_with_kicker(extract: dict) -> str:
    """The content hash as archives made before this change stored it: the kicker was a compared field."""
    fields = {**compared(extract), "kicker": extract["kicker"]}
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_hashes_old(db: str) -> int:
    """Rewrite every stored content hash the old way; returns how many differ from today's."""
    sessions = open_archive(db)
    with sessions.begin() as session:
        versions = session.scalars(select(Version).options(*[selectinload(getattr(Version, n)) for n in CHILDREN]))
        differ = 0
        for version in versions:
            old = hash_with_kicker(version_extract(version))
            differ += old != version.content_hash
            version.content_hash = old
    sessions.kw["bind"].dispose()
    return differ


def test_an_archive_hashed_with_the_kicker_sees_no_false_edit_after_the_relaunch(replica, db):
    assert crawl(replica.listing_url, db).returncode == 0
    assert make_hashes_old(db) > N // 3  # the 2020 template's releases carry a kicker
    replica.set_mode(markup="fallback")
    relaunched = crawl(replica.listing_url, db, "--recheck", "all")
    assert relaunched.returncode == 1  # the drift alarm: the bochum profile does not know the relaunch markup
    assert summary_of(relaunched)["new versions"] == "0"
    assert sum(len(v) for v in versions_by_article(db).values()) == N
    assert make_hashes_old(db) > N // 3  # the crawl stored today's hashes: the next one takes the fast path


# --- confidence in the crawl (issue 10) -------------------------------------------------------------
def test_a_doubtful_page_never_replaces_a_good_version_and_is_said(replica, db):
    assert crawl(replica.listing_url, db).returncode == 0
    (walled,) = paths(replica, 6)
    replica.cookie_wall(paths=[walled])  # the text box holds only a cookie notice now
    replica.set_mode(etag="none")  # no validators: every release is downloaded again
    result = crawl(replica.listing_url, db, "--recheck", "all", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "stays the latest" in result.stdout, "--quiet said nothing about the doubtful page"
    assert summary_of(result)["low confidence"] == "1" and summary_of(result)["new versions"] == "0"
    versions = versions_by_article(db)[key(replica, walled)]
    assert [v[1] for v in versions] == ["new"] and versions[0][2] == replica.truth(walled)["headline"]
    (confidence, body), = query(db, "SELECT v.confidence, v.body FROM version v JOIN article a ON a.id = v.article_id "
                                    "WHERE a.canonical_url = ?", key(replica, walled))
    assert confidence >= 0.5 and "Cookies" not in body
    kept = query(db, "SELECT count(*) FROM raw_page r JOIN article a ON a.id = r.article_id WHERE a.canonical_url = ?",
                 key(replica, walled))[0][0]
    assert kept == 2  # the doubtful page is kept beside the version (raw pages, WARC)
    runs = json.loads(subprocess.run([sys.executable, "-m", "archive", "runs", "--db", db, "--format", "json"],
                                     capture_output=True, text=True, cwd=ROOT, timeout=60, check=True).stdout)
    assert [run["low_confidence"] for run in runs] == [1, 0]
    table = subprocess.run([sys.executable, "-m", "archive", "runs", "--db", db], capture_output=True, text=True,
                           cwd=ROOT, timeout=60, check=True).stdout
    assert "lowconf" in table.splitlines()[0]


def test_doubtful_pages_count_toward_the_drift_alarm_and_a_new_one_is_stored_with_its_confidence(replica, db):
    replica.cookie_wall(kinds=["article"], fraction=0.3)
    result = crawl(replica.listing_url, db)
    assert result.returncode == 1
    alarms = [line for line in result.stderr.splitlines() if line.startswith("ALARM:")]
    assert alarms and "below 0.5" in alarms[0]
    low = int(summary_of(result)["low confidence"])
    assert N // 5 < low < N // 2
    assert len(versions_by_article(db)) == N  # nothing better was stored before: they are archived, marked
    assert query(db, "SELECT count(*) FROM version WHERE confidence < 0.5")[0][0] == low
    _, messages, _ = last_run(db)
    assert sum("extracted with confidence 0.00" in m for m in messages) == low  # each named in the run
    assert query(db, "SELECT count(*) FROM version WHERE confidence >= 0.5")[0][0] == N - low


def test_a_start_listing_that_redirects_off_the_site_fails_the_run_in_one_line(replica, elsewhere, db):
    replica.redirect(elsewhere.listing_url, paths=["/Pressemeldungen"], status=302)
    result = crawl(replica.listing_url, db)
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert "cannot fetch" in line and "another host" in line
    assert elsewhere.stats()["total"] == 0 and not versions_by_article(db)

