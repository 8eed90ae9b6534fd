"""The spider's side of discovery: robots.txt sitemaps, feeds in a page's head, "load more" batches."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, TextResponse

from crawler.discovery import (FEED, LINKED, LISTING, LOAD_MORE, SITEMAP, SourceTally, feed_entries,
                               feed_links, load_more_answer, load_more_url, parse_sitemap,
                               robots_sitemaps)

DISCOVERY_PRIORITY = 15  # after the listing, before rechecks
MAX_SOURCE_DOCS = 500  # sitemaps, feeds and batches fetched per run: a loop must end


class DiscoveryMixin:
    """Mixed into the press spider; every hook is a no-op when its profile flag is off."""

    # Profile switches (SiteProfile may set them): sitemaps, feeds, load_more.
    discover_sitemaps: bool = True
    discover_feeds: bool = True
    discover_load_more: bool = True

    def _tally(self) -> SourceTally:
        if not hasattr(self, "_source_tally"):
            self._source_tally, self._source_docs = SourceTally(), set()
        return self._source_tally

    def source_request(self, url: str, callback: Any, **meta: Any) -> Request | None:
        """A sitemap, feed or batch once per run, on the start host only."""
        self._tally()
        if not self.on_site(url) or url in self._source_docs or len(self._source_docs) >= MAX_SOURCE_DOCS:
            return None
        self._source_docs.add(url)
        return Request(self.on_origin(url), callback=callback, errback=self.source_failed,
                       priority=DISCOVERY_PRIORITY, dont_filter=True,
                       meta={**meta, "download_slot": self.site})

    def discovery_start(self) -> Iterator[Request]:
        """robots.txt, for its Sitemap: lines."""
        if self.discover_sitemaps and (req := self.source_request(self.origin + "/robots.txt", self.parse_robots)):
            yield req

    def count_source(self, source: str, urls: Iterable[str]) -> None:
        """Record which source named which release."""
        self._tally().add(source, urls)

    def _set_crawler(self, crawler: Any) -> None:
        super()._set_crawler(crawler)
        crawler.signals.connect(self._discovery_idle, signal=signals.spider_idle)

    def _discovery_idle(self) -> None:
        """Once the listing is walked: robots.txt and its sitemaps (so the listing counts come first)."""
        if getattr(self, "_robots_asked", False) or self.state.start_failed:
            return
        self._robots_asked = True
        requests = list(self.discovery_start())
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def discover_on_page(self, response: Response) -> Iterator[Request]:
        """A listing page's feed links and "load more" control."""
        if not isinstance(response, TextResponse):
            return
        if self.discover_feeds:
            for url in feed_links(response.body, response.url):
                if req := self.source_request(url, self.parse_feed):
                    yield req
        if self.discover_load_more and (url := load_more_url(response.body, response.url)):
            if req := self.source_request(url, self.parse_load_more):
                yield req

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Sitemaps named by robots.txt (none named: /sitemap.xml is not guessed at)."""
        for url in robots_sitemaps(response.body, response.url):
            if req := self.source_request(url, self.parse_sitemap_doc):
                yield req

    def parse_sitemap_doc(self, response: Response) -> Iterator[Request]:
        """A sitemap index (its sitemaps) or a sitemap (its releases)."""
        self.state.counts.pages_fetched += 1
        entries = parse_sitemap(response.body)
        releases = [e.loc for e in entries if not e.is_index and self.is_release(e.loc)]
        for entry in (e for e in entries if e.is_index):
            if req := self.source_request(entry.loc, self.parse_sitemap_doc):
                yield req
        yield from self.discovered(SITEMAP, releases)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """An RSS/Atom/JSON feed: its entries' releases."""
        self.state.counts.pages_fetched += 1
        yield from self.discovered(FEED, [u for u in feed_entries(response.body, response.url) if self.is_release(u)])

    def parse_load_more(self, response: Response) -> Iterator[Request]:
        """One "load more" batch (HTML fragment or JSON): its releases and the next batch."""
        self.state.counts.pages_fetched += 1
        links, nxt, fragment = load_more_answer(response.body, response.url)
        if fragment:
            frag = TextResponse(response.url, body=fragment.encode("utf-8"), encoding="utf-8")
            links += [url for url, _ in self.links(frag)]
        yield from self.discovered(LOAD_MORE, [u for u in links if self.on_site(u) and self.is_release(u)])
        if nxt and (req := self.source_request(nxt, self.parse_load_more)):
            yield req

    def discovered(self, source: str, urls: list[str]) -> Iterator[Request]:
        """Count the source's releases and schedule the ones not yet scheduled."""
        self.count_source(source, urls)
        for url in urls:
            if req := self.release_request(url, self.priority_of(source)):
                yield req

    @staticmethod
    def priority_of(source: str) -> int:
        return 10 if source in (LISTING, LOAD_MORE, LINKED) else 8

    def source_failed(self, failure: Any) -> None:
        """A missing sitemap or feed is no error of the run: it is logged and the crawl goes on."""
        self.logger.info("discovery source not fetched: %s (%s)", failure.request.url, failure.value)

    def discovery_report(self) -> None:
        """At the end: per-source counts into the run's messages, and the incompleteness alarm."""
        tally = self._tally()
        counts = tally.counts()
        self.state.message("sources: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        tally.listing_pages = self.state.listing_pages
        if text := tally.alarm(archived=len(getattr(self.plan, "known", {}))):
            self.state.alarm(text)
