"""The press spider: walks the listing's pages and archives every press release once."""
from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.items import FAILED, FETCHED, GONE, NOT_MODIFIED, CrawlState, ReleaseItem
from crawler.parsing import PARSER_VERSION, NotHTMLError, extract
from crawler.parsing.urls import host_key
from crawler.records import KnownArticle, flat_headers
from crawler.sites import SiteProfile, get_profile

RELEASE_STATUSES = [304, 404, 410]  # answers the spider handles itself; the rest is an error
LISTING_PRIORITY, LINKED_PRIORITY, RETRY_PRIORITY, RECHECK_PRIORITY = 20, 10, 5, 0
MAX_LISTING_PAGES = 5000  # a runaway pagination must end somewhere
SEED_BATCH = 64  # rechecks handed to the scheduler at a time


@dataclass
class CrawlPlan:
    """What the archive already knows, read once before the crawl."""

    recheck: str = "recent"
    known: dict[str, KnownArticle] = field(default_factory=dict)
    due: set[str] = field(default_factory=set)  # canonical URLs to fetch again (conditionally)
    pending: list[tuple[str, str]] = field(default_factory=list)  # (canonical, url) failed before
    max_articles: int | None = None


def headers_dict(response: Response) -> dict[str, str]:
    """Response headers as str -> str (repeated headers joined by ', ')."""
    return flat_headers(response.headers)


def failure_reason(failure: Failure) -> str:
    """One line saying why a request failed."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    text = str(failure.value).strip().splitlines()
    return f"{type(failure.value).__name__}: {text[0]}" if text else type(failure.value).__name__


class PressSpider(scrapy.Spider):
    """From the start listing: pagination, then every release link, deduped by canonical URL."""

    name = "press"

    def __init__(self, start_url: str, plan: CrawlPlan, state: CrawlState,
                 parse: Callable[..., Any] = extract, profile: SiteProfile | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.profile = profile or get_profile()
        parts = urlsplit(start_url)
        self.start_url = start_url
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.site = host_key(parts.hostname or "")
        self.allowed_domains = [self.site]  # Scrapy's offsite check; ours below is stricter
        self.listing_path = self._path(start_url)
        self.release_prefixes = self._release_prefixes(self.listing_path)
        self.link_xpath = self._link_xpath(self.listing_path)
        self.plan, self.state, self.parse_page = plan, state, parse
        self.retry_urls = {canon for canon, _ in plan.pending}
        self.seen: set[str] = set()  # canonical URLs of releases scheduled: the only growing set
        self.listings: set[str] = set()
        self.root_done: Deferred = Deferred()  # fires when the start listing answered or failed
        self.parser_errors: set[type] = set()

    # --- where links go -------------------------------------------------------------------
    @staticmethod
    def _path(url: str) -> str:
        return unquote(urlsplit(url).path).rstrip("/") or "/"

    def _release_prefixes(self, listing_path: str) -> tuple[str, ...]:
        """The profile's release prefixes and, for another start listing, the paths below it."""
        # A relaunched portal may move its listing; what hangs below the listing is its releases.
        below = listing_path.rstrip("/") + "/"
        known = self.profile.release_prefixes
        return known if below == "/" or below.lower() in {p.lower() for p in known} else (*known, below)

    def is_release(self, url: str) -> bool:
        """A release address of this crawl (below the profile's prefixes or the start listing)."""
        return self.profile.release_path(url, self.release_prefixes) is not None

    def _link_xpath(self, listing_path: str) -> str:
        """Only links that can be releases or listing pages: a page's 300 menu links cost time."""
        segment = listing_path.rsplit("/", 1)[-1] or "/"
        marks = {segment, segment.lower()}
        for prefix in self.profile.release_prefixes:
            marks |= {prefix.strip("/"), prefix.strip("/").lower()}
        tests = [f"contains(@href, '{m}')" for m in sorted(marks) if "'" not in m]
        tests += ["contains(@rel, 'next')", "starts-with(normalize-space(@href), '?')"]
        return f"//a[@href][{' or '.join(tests)}]"

    def on_site(self, url: str) -> bool:
        """True for the start URL's host, with or without www. (any port counts only if equal)."""
        parts = urlsplit(url)
        same_port = parts.port == urlsplit(self.origin).port
        return parts.scheme in ("http", "https") and host_key(parts.hostname or "") == self.site and same_port

    def on_origin(self, url: str) -> str:
        """The same path on the start URL's scheme and host: one robots.txt, one download slot."""
        parts = urlsplit(url)
        return self.origin + parts.path + (f"?{parts.query}" if parts.query else "")

    def links(self, response: Response) -> Iterator[tuple[str, str]]:
        """(absolute on-site URL, rel) of every link on the page."""
        if not isinstance(response, TextResponse):
            return
        base = response.url
        for a in response.xpath(self.link_xpath):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            url = urljoin(base, href)
            if self.on_site(url):
                yield url, (a.attrib.get("rel") or "").lower()

    def listing_key(self, url: str) -> str | None:
        """A key for a listing page (the start path plus one numeric parameter), else None."""
        if self._path(url) != self.listing_path:
            return None
        params = sorted(parse_qsl(urlsplit(url).query))
        if params and (len(params) > 1 or not params[0][1].isdigit()):
            return None  # filters and sort orders would multiply the listing
        return f"{self.listing_path}?{urlencode(params)}"

    # --- requests -------------------------------------------------------------------------
    async def start(self):
        """The start listing; once it answered, the rechecks, a batch whenever the queue ran dry."""
        yield self.listing_request(self.start_url, root=True)
        await maybe_deferred_to_future(self.root_done)
        if self.state.start_failed:
            return  # the site does not answer: no point asking it 10,000 times more
        for count, request in enumerate(self.seed_requests()):
            if count and count % SEED_BATCH == 0:  # a 10,000-release recheck stays out of memory
                await self.crawler.signals.wait_for(signals.scheduler_empty)
            yield request

    def root_answered(self) -> None:
        """The start listing is done (either way): the rechecks may follow."""
        if not self.root_done.called:
            self.root_done.callback(None)

    def listing_request(self, url: str, root: bool = False) -> Request | None:
        """A listing page once, or None if it was seen (a pagination loop ends here)."""
        key = self.listing_key(url) if not root else self.listing_key(self.start_url) or url
        if key is None or key in self.listings or len(self.listings) >= MAX_LISTING_PAGES:
            return None
        self.listings.add(key)
        return Request(self.on_origin(url) if not root else url, callback=self.parse_listing,
                       errback=self.listing_failed, priority=LISTING_PRIORITY, dont_filter=True,
                       meta={"root": root, "download_slot": self.site})

    def release_request(self, url: str, priority: int, canon: str | None = None) -> Request | None:
        """A release once per canonical URL; archived ones only if due or failed before."""
        canon = canon or self.profile.canonical(url)
        if canon in self.seen or self.limit_reached():
            return None
        if canon in self.plan.known and canon not in self.plan.due and canon not in self.retry_urls:
            return None  # archived and not due for a recheck
        self.seen.add(canon)
        self.state.releases_scheduled += 1
        return Request(self.on_origin(url), callback=self.parse_release, errback=self.release_failed,
                       headers=self.conditional_headers(canon), priority=priority, dont_filter=True,
                       meta={"canonical": canon, "handle_httpstatus_list": RELEASE_STATUSES,
                             "download_slot": self.site})

    def conditional_headers(self, canon: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from what the archive stored for this article."""
        known = self.plan.known.get(canon)
        headers = {}
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        return headers

    def limit_reached(self) -> bool:
        """--max-articles: no more release fetches once N were scheduled."""
        limit = self.plan.max_articles
        return limit is not None and self.state.releases_scheduled >= limit

    def seed_requests(self) -> Iterator[Request]:
        """Failed releases and archived ones due for a recheck, linked from the listing or not."""
        for canon, url in self.plan.pending:
            if self.on_site(url) and (req := self.release_request(url, RETRY_PRIORITY, canon)):
                yield req
        for canon in sorted(self.plan.due):
            known = self.plan.known.get(canon)
            url = known.url if known else canon
            if self.on_site(url) and (req := self.release_request(url, RECHECK_PRIORITY, canon)):
                yield req

    # --- callbacks ------------------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Release links and further listing pages (the first page also lets the rechecks start)."""
        self.state.listing_pages += 1
        self.state.counts.pages_fetched += 1
        if response.meta.get("root") and self.on_site(response.url):
            self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(response.url))  # after a redirect
        found = 0
        for url, rel in self.links(response):
            found += self.is_release(url)
            if (req := self.follow(url, rel)) is not None:
                yield req
        if not found:
            self.state.alarm(f"listing page {response.url} yields no release links")
        if response.meta.get("root"):
            self.root_answered()

    def follow(self, url: str, rel: str) -> Request | None:
        """A listing link: a release, another listing page, or nothing (navigation, services)."""
        if self.is_release(url):
            return self.release_request(url, LINKED_PRIORITY)
        if ("next" in rel.split() or self.listing_key(url)) and not self.limit_reached():
            return self.listing_request(url)
        return None

    def parse_release(self, response: Response) -> Iterator[ReleaseItem | Request]:
        """One release answer: 200 parsed, 304 seen again, 404/410 gone; its release links followed."""
        self.state.counts.pages_fetched += 1
        canon, status = response.meta["canonical"], response.status
        base = {"canonical_url": canon, "url": response.url, "status": status,
                "headers": headers_dict(response)}
        if status == 304:
            yield ReleaseItem(NOT_MODIFIED, **base)
        elif status in (404, 410):
            known = canon in self.plan.known
            yield ReleaseItem(GONE if known else FAILED, body=response.body,
                              error=None if known else f"HTTP {status} for a release never archived", **base)
        else:
            yield self.parsed_item(response, base)
            yield from self.linked_releases(response)

    def parsed_item(self, response: Response, base: dict) -> ReleaseItem:
        """A 200 answer run through the parser (a parser failure is this release's error)."""
        try:
            record = self.parse_page(response.body, url=response.url, headers=base["headers"], profile=self.profile)
        except NotHTMLError as exc:
            return ReleaseItem(FAILED, error=f"not HTML: {exc}", **base)
        except Exception as exc:  # noqa: BLE001 - a parser bug must cost one page, not the run
            first = type(exc) not in self.parser_errors  # one traceback per kind, not one per page
            self.parser_errors.add(type(exc))
            self.logger.error("parser failed on %s: %r", response.url, exc, exc_info=first)
            return ReleaseItem(FAILED, error=f"parser error: {type(exc).__name__}: {exc}", **base)
        data = record.to_dict()
        data.setdefault("parser_version", PARSER_VERSION)  # the store records which parser made it
        return ReleaseItem(FETCHED, body=response.body, record=data, **base)

    def linked_releases(self, response: Response) -> Iterator[Request]:
        """Releases linked from a release (the teaser box): found even if the listing lost them."""
        # A regular expression, not a DOM: a second parse of every page would cost more than it finds.
        body = response.body
        for match in self.profile.release_href.finditer(body.lower()):
            href = body[match.start(1):match.end(1)]  # as written, not lowercased
            url = urljoin(response.url, html.unescape(href.decode("utf-8", "replace")))
            if self.on_site(url) and self.is_release(url) and (req := self.release_request(url, LINKED_PRIORITY)):
                yield req

    def release_failed(self, failure: Failure) -> Iterator[ReleaseItem]:
        """Given up after retries: recorded, and retried next run. robots.txt refusals are not errors."""
        request = failure.request
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            self.logger.info("not fetched (%s): %s", failure.value, request.url)
            self.state.releases_scheduled -= 1  # refused before any fetch: neither done nor failed
            return
        yield ReleaseItem(FAILED, canonical_url=request.meta["canonical"], url=request.url,
                          error=failure_reason(failure))

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that failed: the first one fails the run, later ones are errors."""
        request = failure.request
        reason = failure_reason(failure)
        if request.meta.get("root"):
            self.state.start_failed = f"cannot fetch {request.url}: {reason}"
            self.root_answered()
        else:
            self.state.error(f"listing page {request.url}: {reason}")
