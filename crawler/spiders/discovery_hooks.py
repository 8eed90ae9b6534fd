"""The spider's side of discovery: sitemaps (robots.txt, /sitemap.xml), feeds in a page's head, "load more".

Order of a run: the start listing answers; then the sitemaps are read (robots.txt as Scrapy's
RobotsTxtMiddleware already fetched it, else a quiet guess at /sitemap.xml) while the listing is
walked; only then are the archive's rechecks handed out, so that a sitemap's `lastmod` can let an
unchanged release wait for its weekly check and send a changed one to be checked now.
Sitemaps and feeds are asked for conditionally; a 304 replays the body stored last time.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from archive.errors import first_line
from crawler.discovery import (FEED, LOAD_MORE, SITEMAP, SourceTally, changed_since, feed_entries, feed_links,
                               load_more_answer, load_more_url, parse_sitemap, robots_sitemaps)
from crawler.records import SourceDoc, flat_headers, header, validator_headers

DISCOVERY_PRIORITY = 15  # after the listing, before rechecks
MAX_SOURCE_DOCS = 500  # sitemaps, feeds and batches fetched per run: a loop must end
SOURCE_STATUSES = [304]  # a sitemap or feed not modified: its stored body is read again
ROBOTS, SITEMAP_DOC, FEED_DOC, BATCH = "robots", "sitemap", "feed", "batch"


def parser_sitemaps(parser: Any, robots_url: str) -> list[str]:
    """The Sitemap: lines of a robots.txt parser Scrapy built (Protego or the standard library's)."""
    rp = getattr(parser, "rp", None)
    found = getattr(rp, "sitemaps", None)  # Protego, Scrapy's default
    if found is None and hasattr(rp, "site_maps"):
        found = rp.site_maps()
    return [urljoin(robots_url, url.strip()) for url in found or ()]


class DiscoveryMixin:
    """Mixed into the press spider; every hook is a no-op when its switch is off."""

    # Switches; a site profile's `guess_sitemap` says whether /sitemap.xml may be tried unnamed.
    discover_sitemaps: bool = True
    discover_feeds: bool = True
    discover_load_more: bool = True

    def _tally(self) -> SourceTally:
        if not hasattr(self, "_source_tally"):
            self._source_tally, self._source_docs = SourceTally(), set()
            self._robots: dict[str, list[str]] = {}  # netloc -> sitemaps, from Scrapy's robots.txt fetch
            self._lastmods: dict[str, Any] = {}  # canonical release URL -> its sitemap lastmod
            self._fresh_docs: dict[str, SourceDoc] = {}  # sitemaps and feeds that answered 200 this run
            self._sitemaps_pending, self._sitemaps_read = 0, Deferred()
        return self._source_tally

    def _set_crawler(self, crawler: Any) -> None:
        super()._set_crawler(crawler)
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Scrapy's middleware read robots.txt: keep its Sitemap: lines, so it is fetched only once."""
        self._tally()
        parts = urlsplit(request.url)
        self._robots[parts.netloc] = parser_sitemaps(robotparser, f"{parts.scheme}://{parts.netloc}/robots.txt")

    # --- requests -------------------------------------------------------------------------
    def source_request(self, url: str, callback: Any, kind: str, **meta: Any) -> Request | None:
        """A sitemap, feed or batch once per run, on the start host only, conditional if stored."""
        self._tally()
        if not self.on_site(url) or url in self._source_docs or len(self._source_docs) >= MAX_SOURCE_DOCS:
            return None
        self._source_docs.add(url)
        if kind in (ROBOTS, SITEMAP_DOC):
            self._sitemaps_pending += 1
        url = self.on_origin(url)
        return Request(url, callback=callback, errback=self.source_failed, priority=DISCOVERY_PRIORITY,
                       dont_filter=True, headers=self.source_validators(url),
                       meta={**meta, "source_kind": kind, "download_slot": self.site,
                             "handle_httpstatus_list": SOURCE_STATUSES})

    def source_validators(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the sitemap or feed as stored last run."""
        return validator_headers(self.plan.source_docs.get(url))

    def sitemap_requests(self) -> Iterator[Request]:
        """The sitemaps robots.txt names, else a quiet guess at /sitemap.xml (robots.txt fetched only if
        Scrapy did not: ROBOTSTXT_OBEY off)."""
        self._tally()
        settings = getattr(self, "settings", None)  # None: driven without a crawler (tests)
        if not self.discover_sitemaps or self.state.start_failed or settings is None:
            return
        netloc = urlsplit(self.origin).netloc
        if netloc not in self._robots and not settings.getbool("ROBOTSTXT_OBEY"):
            if req := self.source_request(self.origin + "/robots.txt", self.parse_robots, ROBOTS):
                yield req
            return
        yield from self.sitemaps_named(self._robots.get(netloc, []))

    def sitemaps_named(self, urls: list[str]) -> Iterator[Request]:
        """Requests for the named sitemaps, or for /sitemap.xml when none is named and the profile allows."""
        guess = not urls and getattr(self.profile, "guess_sitemap", True)
        for url in urls or ([self.origin + "/sitemap.xml"] if guess else []):
            if req := self.source_request(url, self.parse_sitemap_doc, SITEMAP_DOC, guess=guess):
                yield req

    async def sitemaps_read(self) -> None:
        """Wait until every sitemap (and sitemap index) of this run has been read or has failed."""
        self._tally()
        if self._sitemaps_pending:
            await maybe_deferred_to_future(self._sitemaps_read)
        elif not self._sitemaps_read.called:
            self._sitemaps_read.callback(None)

    def _sitemap_done(self) -> None:
        self._sitemaps_pending -= 1
        if self._sitemaps_pending <= 0 and not self._sitemaps_read.called:
            self._sitemaps_read.callback(None)

    # --- the archive's rechecks, corrected by lastmod ---------------------------------------
    def recheck_now(self, canon: str) -> bool:
        """Fetch an archived release again now? Its plan, corrected by its sitemap's lastmod (--recheck recent)."""
        due = canon in self.plan.due
        known = self.plan.known.get(canon)
        if self.recheck != "recent" or known is None or known.last_checked is None or self.plan.stale_before is None:
            return due
        if known.last_checked <= self.plan.stale_before:
            return due  # the weekly check happens whatever a sitemap says
        self._tally()
        if (lastmod := self._lastmods.get(canon)) is not None:
            return changed_since(lastmod, known.last_checked)
        return due and self._sitemaps_read.called  # until the sitemaps are read it waits for the seeding

    # --- callbacks ------------------------------------------------------------------------
    def discover_on_page(self, response: Response) -> Iterator[Request]:
        """A listing page's feed links and "load more" control."""
        if not isinstance(response, TextResponse):
            return
        if self.discover_feeds:
            for url in feed_links(response.body, response.url):
                if req := self.source_request(url, self.parse_feed, FEED_DOC):
                    yield req
        if self.discover_load_more and (url := load_more_url(response.body, response.url)):
            if req := self.source_request(url, self.parse_load_more, BATCH):
                yield req

    def source_body(self, response: Response) -> bytes:
        """The document's body as answered, or as stored when it answered 304 (kept for the next run)."""
        self.state.counts.pages_fetched += 1
        url = (response.meta.get("redirect_urls") or [response.request.url if response.request else response.url])[0]
        if response.status == 304:
            doc = self.plan.source_docs.get(url)
            return doc.body if doc else b""
        headers = flat_headers(response.headers)
        self._fresh_docs[url] = SourceDoc(url, response.meta["source_kind"], header(headers, "ETag"),
                                          header(headers, "Last-Modified"), response.body)
        return response.body

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """robots.txt fetched here (Scrapy did not): its sitemaps, or the guess."""
        try:
            yield from self.sitemaps_named(robots_sitemaps(response.body, response.url))
        finally:
            self._sitemap_done()

    def parse_sitemap_doc(self, response: Response) -> Iterator[Request]:
        """A sitemap index (its sitemaps) or a sitemap (its releases, their lastmods noted)."""
        try:
            entries = parse_sitemap(self.source_body(response))
            for entry in (e for e in entries if e.is_index):
                if req := self.source_request(entry.loc, self.parse_sitemap_doc, SITEMAP_DOC):
                    yield req
            releases = [e for e in entries if not e.is_index and self.on_site(e.loc) and self.is_release(e.loc)]
            self._lastmods.update((self.profile.canonical(e.loc), e.lastmod) for e in releases if e.lastmod)
            yield from self.discovered(SITEMAP, [e.loc for e in releases])
        finally:
            self._sitemap_done()

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """An RSS/Atom/JSON feed: its entries' releases."""
        body = self.source_body(response)
        yield from self.discovered(FEED, [u for u in feed_entries(body, response.url)
                                          if self.on_site(u) and self.is_release(u)])

    def parse_load_more(self, response: Response) -> Iterator[Request]:
        """One "load more" batch (HTML fragment or JSON): its releases and the next batch."""
        self.state.counts.pages_fetched += 1
        links, nxt, fragment = load_more_answer(response.body, response.url)
        if fragment:
            frag = TextResponse(response.url, body=fragment.encode("utf-8"), encoding="utf-8")
            links += [url for url, _ in self.links(frag)]
        yield from self.discovered(LOAD_MORE, [u for u in links if self.on_site(u) and self.is_release(u)])
        if nxt and (req := self.source_request(nxt, self.parse_load_more, BATCH)):
            yield req

    def discovered(self, source: str, urls: list[str]) -> Iterator[Request]:
        """Count the source's releases and schedule the ones not yet scheduled."""
        self.count_source(source, urls)
        for url in urls:
            if req := self.release_request(url, self.priority_of(source)):
                yield req

    def count_source(self, source: str, urls: Iterable[str]) -> None:
        """Record which source named which release."""
        self._tally().add(source, urls)

    @staticmethod
    def priority_of(source: str) -> int:
        """Releases from the listing's own controls before those only a sitemap or feed names."""
        return 10 if source == LOAD_MORE else 8

    def source_failed(self, failure: Any) -> None:
        """A missing sitemap or feed is no error of the run: logged (a guessed one not even that)."""
        request = failure.request
        if request.meta.get("source_kind") in (ROBOTS, SITEMAP_DOC):
            self._sitemap_done()
        quiet = request.meta.get("guess") and failure.check(HttpError)
        self.logger.log(logging.DEBUG if quiet else logging.INFO, "discovery source not fetched: %s (%s)", request.url, failure.value)

    # --- the end ----------------------------------------------------------------------------
    def discovery_report(self) -> None:
        """At the end: per-source counts into the run's tallies, and the incompleteness alarm."""
        tally = self._tally()
        self.state.counts.sources = tally.counts()
        tally.listing_pages = self.state.listing_pages
        limited = self.plan.max_articles is not None  # a capped run stops walking the listing on purpose
        before = None if limited else self.plan.listed_before
        if text := tally.alarm(listed_before=before, archived=0 if limited else len(self.plan.known)):
            self.state.alarm(text)

    def keep_source_docs(self) -> None:
        """Store the sitemaps and feeds that answered 200, for the next run's conditional requests."""
        from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

        from archive.discovery_docs import save_docs  # noqa: PLC0415

        if self.session is None or self.session.store is None or not self._fresh_docs:
            return
        try:
            save_docs(self.session.store.sessions, self._fresh_docs.values())
        except SQLAlchemyError as exc:  # the next run asks unconditionally: nothing lost
            self.state.message(f"sitemaps and feeds not stored: {first_line(exc)}")
