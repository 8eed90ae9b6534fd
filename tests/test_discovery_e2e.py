"""Crawls of the replica's discovery variants: every release found, and the alarm when the listing stops."""
from __future__ import annotations

import pytest

from test_crawl_e2e import N, active_truth, crawl, query

replica_server = pytest.importorskip("replica.server")
pytestmark = pytest.mark.slow


@pytest.fixture
def replica():
    rep = replica_server.start_replica(n=N, seed=7, port=0)
    yield rep
    rep.stop()


def archived(db: str) -> set[str]:
    return {row[0] for row in query(db, "SELECT canonical_url FROM article")}


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


def test_newest_on_the_listing_and_the_rest_in_the_sitemap_is_normal(replica, tmp_path):
    db = str(tmp_path / "a.sqlite")
    assert crawl(replica.listing_url, db).returncode == 0
    replica.state.set(listing="sitemap")
    result = crawl(replica.listing_url, db)
    assert result.returncode == 0 and "ALARM" not in result.stdout + result.stderr
