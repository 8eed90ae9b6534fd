"""What discovery keeps between runs, on SQLite and PostgreSQL: stored sitemaps and feeds, the listing's yardstick."""
from __future__ import annotations

from archive.discovery_docs import listed_before, load_docs, save_docs
from archive.store import Store
from crawler.records import RunCounts, SourceDoc

SITEMAP = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/Pressemeldungen/a</loc></url></urlset>'


def test_sitemaps_and_feeds_are_stored_and_replaced(db_url):
    store = Store.open(db_url)
    save_docs(store.sessions, [SourceDoc("http://h/sitemap.xml", "sitemap", '"s1"', None, SITEMAP),
                               SourceDoc("http://h/p.rss", "feed", None, "Fri, 04 Dec 2026 10:00:00 GMT", b"<rss/>")])
    save_docs(store.sessions, [SourceDoc("http://h/sitemap.xml", "sitemap", '"s2"', None, SITEMAP + b" ")])
    docs = load_docs(Store.open(db_url).sessions)
    assert {u: (d.kind, d.etag, d.last_modified, d.body) for u, d in docs.items()} == {
        "http://h/sitemap.xml": ("sitemap", '"s2"', None, SITEMAP + b" "),
        "http://h/p.rss": ("feed", None, "Fri, 04 Dec 2026 10:00:00 GMT", b"<rss/>")}


def finished(store: Store, site: str, sources: dict) -> None:
    run = store.start_run("http://h/Pressemeldungen", "recent", 1, site=site)
    store.finish_run(run, RunCounts(sources=sources), 0)


def test_the_yardstick_is_the_most_the_listing_yielded_on_recent_runs(db_url):
    store = Store.open(db_url)
    assert listed_before(store.sessions, "bochum") is None  # no run recorded its sources
    finished(store, "bochum", {"listing": 20, "load_more": 220, "sitemap": 240, "total": 240})
    finished(store, "bochum", {"listing": 20, "total": 20})  # a bad run does not lower it at once
    finished(store, "other", {"listing": 999, "total": 999})  # another site's runs do not count
    store.start_run("http://h/Pressemeldungen", "recent", 1, site="bochum")  # still running: no count
    assert listed_before(store.sessions, "bochum") == 240
    for _ in range(5):  # five runs later the old figure has aged out
        finished(store, "bochum", {"listing": 20, "total": 20})
    assert listed_before(store.sessions, "bochum") == 20
