"""The bochum-relaunch profile: the replica's relaunch markup is a template of its own, not drift."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import fetch

from crawler.parsing import extract
from crawler.sites import get_profile

replica_server = pytest.importorskip("replica.server")

ROOT = Path(__file__).resolve().parents[1]
PROFILE = get_profile("bochum-relaunch")


@pytest.fixture(scope="module")
def replica():
    rep = replica_server.start_replica(n=24, seed=11, port=0)
    rep.set_mode(markup="fallback")  # the replica's name for the relaunched portal's markup
    yield rep
    rep.stop()


def test_relaunched_pages_are_in_the_profiles_template(replica):
    for release in replica.portal.releases[:8]:
        url, truth = replica.url(release.path), replica.truth(release.path)
        record = extract(fetch(url), url=url, profile=PROFILE)
        assert (record.extractor, record.template) == ("portal", "bochum-relaunch/news-detail")
        assert (record.kind, record.headline, record.published) == ("press_release", truth["headline"],
                                                                     truth["published"])
        assert record.paragraphs == truth["paragraphs"]
        assert [(i.caption, i.credit) for i in record.images] == [(i["caption"], i["credit"]) for i in truth["images"]]
        assert record.kicker is None  # the category line "Pressemitteilung" is a label, not a kicker
        assert extract(fetch(url), url=url).extractor == "fallback"  # the old profile sees drift


def test_a_relaunched_page_matches_its_pre_relaunch_record(replica):
    release = replica.portal.releases[0]
    url = replica.url(release.path)
    relaunched = extract(fetch(url), url=url, profile=PROFILE).to_dict()
    replica.set_mode(markup="portal")
    try:
        before = extract(fetch(url), url=url).to_dict()
    finally:
        replica.set_mode(markup="fallback")
    for field in ("headline", "published", "paragraphs", "quotes", "date_mentions"):
        assert relaunched[field] == before[field], field


def test_the_profile_is_listed():
    result = subprocess.run([sys.executable, "-m", "archive", "sites"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0
    assert any(line.split()[:2] == ["bochum-relaunch", PROFILE.start_url] for line in result.stdout.splitlines())


@pytest.mark.slow
def test_crawling_the_relaunched_replica_with_the_profile_raises_no_drift_alarm(replica, tmp_path):
    db = str(tmp_path / "archive.sqlite")
    crawl = [sys.executable, "-m", "archive", "crawl", "--site", "bochum-relaunch", "--start-url",
             replica.listing_url, "--delay", "0", "--db", db]
    result = subprocess.run(crawl, capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "ALARM" not in result.stderr
    fallback = next(line for line in result.stdout.splitlines() if "fallback pages" in line)
    assert fallback.split()[-1] == "0"
    runs = subprocess.run([sys.executable, "-m", "archive", "runs", "--db", db, "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    (run,) = json.loads(runs.stdout)
    assert (run["site"], run["exit_code"], run["new_articles"]) == ("bochum-relaunch", 0, 24)
