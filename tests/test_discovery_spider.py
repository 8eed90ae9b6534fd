"""The spider's discovery hooks without a network: robots.txt sitemaps, the guess, 304 replays, lastmod rechecks."""
from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta

from scrapy.http import Request, Response
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.items import CrawlState
from crawler.parsing.urls import canonical_url
from crawler.records import KnownArticle, SourceDoc
from crawler.session import CrawlPlan
from crawler.spiders.sites import spider_class

START = "https://www.bochum.de/Pressemeldungen"
OLD = "https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-laut-Bitkom-smarteste-City-im-Ruhrgebiet"
NEW = "https://www.bochum.de/Pressemeldungen/4-Dezember-2026/Weihnachtsmarkt-oeffnet"
NOW = datetime(2026, 12, 6, 12, 0)


def sitemap(*entries: tuple[str, str]) -> bytes:
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod></url>" for loc, mod in entries)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def make_spider(plan: CrawlPlan | None = None, obey: bool = True, **profile_changes):
    cls = spider_class("bochum")
    profile = dataclasses.replace(cls.profile, **profile_changes)
    spider = cls(start_url=START, plan=plan or CrawlPlan(), state=CrawlState(), profile=profile)
    spider.settings = Settings({"ROBOTSTXT_OBEY": obey})
    return spider


def robots_read(spider, text: bytes) -> None:
    spider._robots_parsed(ProtegoRobotParser(text, None), Request(START))


def answer(request: Request, status: int = 200, body: bytes = b"", headers: dict | None = None) -> Response:
    return Response(request.url, status=status, body=body, headers=headers or {}, request=request)


def known(url: str, checked: datetime) -> KnownArticle:
    return KnownArticle(canonical_url(url), url, '"v1"', None, checked)


def test_sitemaps_come_from_scrapys_robots_txt_fetch():
    spider = make_spider()
    robots_read(spider, b"User-agent: *\nDisallow: /Suche\nSitemap: /sitemap-presse.xml\n")
    (request,) = spider.sitemap_requests()
    assert request.url == "https://www.bochum.de/sitemap-presse.xml" and not request.meta.get("guess")


def test_no_sitemap_named_guesses_sitemap_xml_where_the_profile_allows():
    spider = make_spider()
    robots_read(spider, b"User-agent: *\nDisallow: /Suche\n")
    (request,) = spider.sitemap_requests()
    assert request.url == "https://www.bochum.de/sitemap.xml" and request.meta["guess"]
    shy = make_spider(guess_sitemap=False)
    robots_read(shy, b"User-agent: *\n")
    assert list(shy.sitemap_requests()) == []


def test_robots_txt_is_fetched_here_only_when_scrapy_does_not():
    (request,) = make_spider(obey=False).sitemap_requests()
    assert request.url == "https://www.bochum.de/robots.txt"


def test_a_stored_sitemap_is_asked_for_conditionally_and_a_304_replays_it():
    url = "https://www.bochum.de/sitemap.xml"
    doc = SourceDoc(url, "sitemap", '"s1"', "Fri, 04 Dec 2026 10:00:00 GMT", sitemap((OLD, "2020-10-09")))
    spider = make_spider(CrawlPlan(source_docs={url: doc}))
    robots_read(spider, b"Sitemap: /sitemap.xml\n")
    (request,) = spider.sitemap_requests()
    assert request.headers[b"If-None-Match"] == b'"s1"' and request.headers[b"If-Modified-Since"]
    out = list(spider.parse_sitemap_doc(answer(request, 304)))
    assert [r.url for r in out] == [OLD]  # the stored body's release
    assert spider._tally().counts()["sitemap"] == 1 and spider._fresh_docs == {}
    asyncio.run(spider.sitemaps_read())  # every sitemap read: nothing left to wait for


def test_a_changed_sitemap_is_kept_for_the_next_run():
    spider = make_spider()
    robots_read(spider, b"Sitemap: /sitemap.xml\n")
    (request,) = spider.sitemap_requests()
    body = sitemap((OLD, "2020-10-09"), (NEW, "2026-12-04"),
                   ("https://elsewhere.example/Pressemeldungen/x", "2026-12-04"))
    out = list(spider.parse_sitemap_doc(answer(request, 200, body, {"ETag": '"s2"'})))
    assert [r.url for r in out] == [OLD, NEW]  # another host's address is not fetched here
    (doc,) = spider._fresh_docs.values()
    assert (doc.url, doc.kind, doc.etag, doc.body) == (request.url, "sitemap", '"s2"', body)


def test_lastmod_decides_the_rechecks_under_recheck_recent():
    checked = NOW - timedelta(days=1)
    arts = {canonical_url(u): known(u, checked) for u in (OLD, NEW)}
    plan = CrawlPlan(known=arts, due={canonical_url(NEW)}, stale_before=NOW - timedelta(days=7))
    spider = make_spider(plan)
    robots_read(spider, b"Sitemap: /sitemap.xml\n")
    (request,) = spider.sitemap_requests()
    assert spider.release_request(NEW, 10) is None  # recent, but the sitemap has not been read yet
    body = sitemap((OLD, (NOW - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")), (NEW, "2026-12-04"))
    out = list(spider.parse_sitemap_doc(answer(request, 200, body)))
    assert [r.url for r in out] == [OLD]  # changed after its last check: now; NEW unchanged: it waits
    assert spider.release_request(NEW, 0) is None


def test_without_a_lastmod_the_plan_stands_once_the_sitemaps_are_read():
    stale, recent = NOW - timedelta(days=8), NOW - timedelta(days=1)
    arts = {canonical_url(OLD): known(OLD, stale), canonical_url(NEW): known(NEW, recent)}
    plan = CrawlPlan(known=arts, due=set(arts), stale_before=NOW - timedelta(days=7))
    spider = make_spider(plan)
    robots_read(spider, b"User-agent: *\n")
    assert spider.release_request(OLD, 0) is not None  # the weekly check never waits
    (guess,) = spider.sitemap_requests()
    assert spider.release_request(NEW, 0) is None  # recent: waits for what the sitemap says
    failure = Failure(HttpError(answer(guess, 404), "Ignoring non-200 response"))
    failure.request = guess
    spider.source_failed(failure)  # the guessed /sitemap.xml is not there
    asyncio.run(spider.sitemaps_read())
    assert spider.release_request(NEW, 0) is not None  # no sitemap after all: recent releases as before


def test_a_capped_run_raises_no_listing_alarm():
    spider = make_spider(CrawlPlan(max_articles=5, listed_before=240))
    spider.count_source("listing", [OLD])
    spider.state.listing_pages = 1
    spider.discovery_report()
    assert spider.state.alarms == [] and spider.state.counts.sources == {"listing": 1, "total": 1,
                                                                         "only_one_source": 1}
    uncapped = make_spider(CrawlPlan(listed_before=240))
    uncapped.count_source("listing", [OLD])
    uncapped.state.listing_pages = 1
    uncapped.discovery_report()
    assert uncapped.state.alarms == ["ALARM: listing stopped after one page (1 releases; earlier runs 240) "
                                     "and no sitemap or feed holds the rest"]
