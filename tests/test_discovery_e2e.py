"""Crawls of the replica's discovery variants: every release found, and the alarm when the listing stops."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from test_crawl_e2e import N, ROOT, active_truth, crawl, query, versions_by_article

replica_server = pytest.importorskip("replica.server")
pytestmark = pytest.mark.slow


@pytest.fixture
def replica():
    rep = replica_server.start_replica(n=N, seed=7, port=0)
    yield rep
    rep.stop()


def archived(db: str) -> set[str]:
    return {row[0] for row in query(db, "SELECT canonical_url FROM article")}


def last_run(db: str) -> dict:
    """The newest run as `pressarchive runs --format json` shows it."""
    out = subprocess.run([sys.executable, "-m", "archive", "runs", "--format", "json", "--db", db],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)[0]


def kind(replica, name: str) -> dict:
    return replica.stats()["kinds"].get(name, {})


@pytest.mark.parametrize("mode", ["loadmore", "loadmore-json", "sitemap", "sitemap-index", "feed"])
def test_every_release_is_archived_from_the_variant_source(replica, tmp_path, mode):
    replica.state.set(listing=mode)
    db = str(tmp_path / "a.sqlite")
    result = crawl(replica.listing_url, db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ALARM" not in result.stdout + result.stderr
    assert archived(db) >= set(active_truth(replica))
    kinds = replica.stats()["kinds"]
    assert kinds.get({"loadmore": "batch", "loadmore-json": "batch", "sitemap": "sitemap", "sitemap-index": "sitemap", "feed": "feed"}[mode], {}).get("200")  # the source was used
    print(mode, "requests:", replica.stats()["total"])


def test_a_listing_that_stops_after_page_one_raises_the_alarm(replica, tmp_path):
    replica.state.set(listing="stops")
    result = crawl(replica.listing_url, str(tmp_path / "a.sqlite"))
    assert result.returncode == 1
    assert "ALARM" in result.stdout + result.stderr
    print("stops requests:", replica.stats()["total"])


def test_one_page_listing_without_other_sources_alarms_when_the_archive_knows_more(replica, tmp_path):
    db = str(tmp_path / "a.sqlite")
    assert crawl(replica.listing_url, db).returncode == 0
    replica.state.set(listing="onepage")  # page 1 only, no pagination, no sitemap, no feed
    result = crawl(replica.listing_url, db)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ALARM: listing stopped after one page" in result.stdout + result.stderr
    assert f"earlier runs {N + 1})" in result.stderr  # the first run's listing: every release and the Intern draft


def test_newest_on_the_listing_and_the_rest_in_the_sitemap_is_normal(replica, tmp_path):
    db = str(tmp_path / "a.sqlite")
    assert crawl(replica.listing_url, db).returncode == 0
    replica.state.set(listing="sitemap")
    result = crawl(replica.listing_url, db)
    assert result.returncode == 0 and "ALARM" not in result.stdout + result.stderr


def test_robots_txt_is_read_once_and_an_unnamed_sitemap_is_found(replica, tmp_path):
    replica.state.set(listing="sitemap-unnamed")  # page 1 only; /sitemap.xml exists, robots.txt names none
    db = str(tmp_path / "a.sqlite")
    result = crawl(replica.listing_url, db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert archived(db) >= set(active_truth(replica))
    assert kind(replica, "robots") == {"200": 1}  # Scrapy's fetch serves our sitemap discovery too
    assert kind(replica, "sitemap") == {"200": 1}
    assert last_run(db)["sources"]["sitemap"] == N


def test_a_plain_listing_guesses_the_sitemap_once_and_quietly(replica, tmp_path):
    db, log = str(tmp_path / "a.sqlite"), tmp_path / "crawl.log"
    result = crawl(replica.listing_url, db, "--log-file", str(log))
    assert result.returncode == 0 and result.stderr == "", result.stdout + result.stderr
    assert kind(replica, "robots") == {"200": 1} and kind(replica, "sitemap") == {"404": 1}
    text = log.read_text()
    assert " WARNING: " not in text and " ERROR: " not in text
    assert last_run(db)["errors"] == 0


@pytest.mark.parametrize("mode", ["sitemap", "feed"])
def test_sitemaps_and_feeds_are_asked_for_conditionally(replica, tmp_path, mode):
    db = str(tmp_path / "a.sqlite")
    replica.state.set(listing=mode)
    assert crawl(replica.listing_url, db).returncode == 0
    replica.reset_stats()
    again = crawl(replica.listing_url, db)
    assert again.returncode == 0 and "ALARM" not in again.stdout + again.stderr, again.stdout + again.stderr
    assert kind(replica, mode) == {"304": 1}  # not modified: no body sent
    assert last_run(db)["sources"][mode] == N  # the stored copy still names every release
    replica.correct_headline()  # a new lastmod in the sitemap, a new title in the feed
    replica.reset_stats()
    assert crawl(replica.listing_url, db).returncode == 0
    assert kind(replica, mode) == {"200": 1}  # changed: fetched in full


def test_lastmod_sends_a_changed_release_now_and_lets_an_unchanged_recent_one_wait(replica, tmp_path):
    db = str(tmp_path / "a.sqlite")
    recent = replica.add_release(published=datetime.now(UTC).date().isoformat())  # due under --recheck recent
    replica.state.set(listing="sitemap")
    assert crawl(replica.listing_url, db).returncode == 0
    edited = replica.edit()  # an old release, checked minutes ago: not due for a week
    replica.reset_stats()
    assert crawl(replica.listing_url, db).returncode == 0
    assert replica.path_count(edited) == {"200": 1}  # its lastmod is newer than its last fetch
    assert replica.path_count(recent) == {}  # its lastmod says unchanged: it waits for its weekly check
    assert replica.count("article", "200") + replica.count("article", "304") == 1
    assert [v[1] for v in versions_by_article(db)[active_key(replica, edited)]] == ["new", "edited"]
    replica.state.set(listing="normal")  # no sitemap: the recent release is re-checked as before
    replica.reset_stats()
    assert crawl(replica.listing_url, db).returncode == 0
    assert replica.path_count(recent) == {"304": 1} and replica.path_count(edited) == {}


def active_key(replica, path: str) -> str:
    from crawler.parsing.urls import canonical_url  # noqa: PLC0415

    return canonical_url(replica.url(path))


def test_runs_and_the_summary_show_releases_per_source(replica, tmp_path):
    replica.state.set(listing="feed")
    db = str(tmp_path / "a.sqlite")
    assert crawl(replica.listing_url, db).returncode == 0
    result = crawl(replica.listing_url, db)  # nothing due: no release fetched, so no teaser links either
    assert result.returncode == 0, result.stdout + result.stderr
    listed = len(replica.portal.page(1))
    assert last_run(db)["sources"] == {"listing": listed, "feed": N, "total": N, "only_one_source": N - listed}
    line = next(x for x in result.stdout.splitlines() if "releases by source" in x)
    assert line.split(None, 3)[3] == f"listing {listed}, feed {N} ({N} in all, {N - listed} known to one source only)"


def test_a_capped_run_walks_less_of_the_listing_without_an_alarm(replica, tmp_path):
    db = str(tmp_path / "a.sqlite")
    assert crawl(replica.listing_url, db).returncode == 0
    replica.add_release()
    result = crawl(replica.listing_url, db, "--max-articles", "1")
    assert result.returncode == 0 and "ALARM" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert last_run(db)["new_articles"] == 1
