"""Discovery sources as pure functions: sitemaps, robots.txt, feeds, "load more", per-source tallies."""
import gzip
from datetime import date, datetime

from crawler.discovery import (FEED, LISTING, LOAD_MORE, SITEMAP, SourceTally, changed_since, feed_entries,
                               feed_links, load_more_answer, load_more_url, parse_sitemap, robots_sitemaps)

BASE = "http://127.0.0.1:8000/Pressemeldungen"


def test_robots_sitemap_lines():
    robots = "User-agent: *\nDisallow: /intern/\nSitemap: /sitemap.xml\nSitemap: http://127.0.0.1:8000/s2.xml\n"
    assert robots_sitemaps(robots, BASE) == ["http://127.0.0.1:8000/sitemap.xml", "http://127.0.0.1:8000/s2.xml"]


def test_sitemap_index_and_urlset_with_lastmod():
    index = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>http://127.0.0.1:8000/sitemap-2025.xml</loc><lastmod>2025-12-31</lastmod></sitemap>
      <sitemap><loc>http://127.0.0.1:8000/sitemap-2026.xml</loc></sitemap></sitemapindex>"""
    entries = parse_sitemap(index)
    assert [e.is_index for e in entries] == [True, True]
    assert entries[0].lastmod == date(2025, 12, 31) and entries[1].lastmod is None
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc> http://127.0.0.1:8000/Pressemeldungen/neue-radwege-im-sueden </loc>
      <lastmod>2026-03-04T10:00:00+01:00</lastmod></url></urlset>"""
    (entry,) = parse_sitemap(urlset)
    # a lastmod with a time is kept to the second, in UTC (10:00 in Bochum's winter is 09:00 UTC)
    assert entry.loc.endswith("/neue-radwege-im-sueden") and entry.lastmod == datetime(2026, 3, 4, 9, 0)
    assert parse_sitemap(b"<html><body>Seite nicht gefunden</body></html>") == []
    assert parse_sitemap(gzip.compress(urlset)) == [entry]  # sitemap.xml.gz
    assert parse_sitemap(gzip.compress(b"<urlset")) == []


def test_lastmod_against_the_last_check():
    checked = datetime(2026, 3, 4, 7, 17)
    assert changed_since(datetime(2026, 3, 4, 9, 0), checked)
    assert not changed_since(datetime(2026, 3, 4, 7, 0), checked)
    assert changed_since(datetime(2026, 3, 4, 7, 17, 5), datetime(2026, 3, 4, 7, 17, 5, 400000))  # same second
    assert changed_since(date(2026, 3, 4), checked)  # the same day, time unknown: it may be later
    assert not changed_since(date(2026, 3, 3), checked)
    broken = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>http://127.0.0.1:8000/Pressemeldungen/a</loc><lastmod>gestern</lastmod></url>
      <url><loc>http://127.0.0.1:8000/Pressemeldungen/b</loc><lastmod>2026-03-04Tspaet</lastmod></url></urlset>"""
    assert [e.lastmod for e in parse_sitemap(broken)] == [None, date(2026, 3, 4)]


def test_feed_links_in_head_only():
    page = """<html><head><link rel="alternate" type="application/rss+xml" href="/presse.rss">
      <link rel="stylesheet" href="/a.css"></head><body>
      <link rel="alternate" type="application/atom+xml" href="/no.atom"></body></html>"""
    assert feed_links(page, BASE) == ["http://127.0.0.1:8000/presse.rss"]


def test_feed_entries_rss_and_atom():
    rss = b"""<rss version="2.0"><channel><link>http://127.0.0.1:8000/</link><item><title>A</title>
      <link>/Pressemeldungen/stadt-pflanzt-neue-baeume</link></item></channel></rss>"""
    assert "http://127.0.0.1:8000/Pressemeldungen/stadt-pflanzt-neue-baeume" in feed_entries(rss, BASE)
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><link href="/feed.atom" rel="self"/>
      <entry><title>B</title><link href="/Pressemeldungen/buecherei-oeffnet-sonntags"/></entry></feed>"""
    assert feed_entries(atom, BASE) == ["http://127.0.0.1:8000/Pressemeldungen/buecherei-oeffnet-sonntags"]


def test_load_more_controls_and_answers():
    button = '<div><button class="btn" data-url="/Pressemeldungen/mehr?offset=20">Mehr laden</button></div>'
    assert load_more_url(button, BASE) == "http://127.0.0.1:8000/Pressemeldungen/mehr?offset=20"
    form = ('<form action="/Pressemeldungen/mehr"><input type="hidden" name="offset" value="40">'
            '<button type="submit">Weitere Meldungen nachladen</button></form>')
    assert load_more_url(form, BASE) == "http://127.0.0.1:8000/Pressemeldungen/mehr?offset=40"
    assert load_more_url('<a href="/Kontakt">Kontakt</a>', BASE) is None
    links, nxt, fragment = load_more_answer(
        b'{"items": [{"url": "/Pressemeldungen/a-b-c"}], "next": "/Pressemeldungen/mehr?offset=60"}', BASE)
    assert links == ["http://127.0.0.1:8000/Pressemeldungen/a-b-c"]
    assert nxt == "http://127.0.0.1:8000/Pressemeldungen/mehr?offset=60" and fragment is None
    _, nxt, fragment = load_more_answer(b'<ul><li><a href="/Pressemeldungen/x-y-z">X</a></li></ul>', BASE)
    assert nxt is None and "x-y-z" in fragment


def test_tally_counts_and_alarm():
    tally = SourceTally()
    assert tally.add(LISTING, [BASE + "/a-b-c", BASE + "/d-e-f/"]) == [BASE + "/a-b-c", BASE + "/d-e-f"]
    assert tally.add(SITEMAP, [BASE + "/a-b-c", BASE + "/g-h-i"]) == [BASE + "/g-h-i"]
    counts = tally.counts()
    assert counts == {LISTING: 2, SITEMAP: 2, "total": 3, "only_one_source": 2}
    tally.listing_pages = 1
    assert tally.alarm(archived=100) is None  # newest on the listing, the rest in the sitemap: normal
    alone = SourceTally(listing_pages=1)
    alone.add(LISTING, [BASE + "/a-b-c"])
    assert "one page" in alone.alarm(archived=40)
    assert SourceTally(listing_stopped_early=True).alarm() is not None
    assert FEED not in counts


def test_alarm_compares_the_listing_with_earlier_runs():
    few = SourceTally(listing_pages=1)
    few.add(LISTING, [f"{BASE}/r{i}" for i in range(10)])
    assert "earlier runs 240" in few.alarm(listed_before=240)  # 10 where 240 were: the rest is lost
    assert few.alarm(listed_before=12) is None  # the listing always showed about this many
    few.add(SITEMAP, [f"{BASE}/r{i}" for i in range(240)])
    assert few.alarm(listed_before=240) is None  # only the newest listed, the sitemap holds the rest
    batches = SourceTally(listing_pages=1)
    batches.add(LISTING, [f"{BASE}/r{i}" for i in range(10)])
    batches.add(LOAD_MORE, [f"{BASE}/r{i}" for i in range(10, 240)])
    assert batches.listed() == 240 and batches.alarm(listed_before=240) is None
    paged = SourceTally(listing_pages=5)
    paged.add(LISTING, [f"{BASE}/r{i}" for i in range(50)])
    assert "far fewer" in paged.alarm(listed_before=240)
