"""The press spider: walks the listing's pages and archives every press release once."""
from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import get_base_url
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from archive.errors import PressarchiveError
from crawler.answers import AnswersMixin, not_a_release, refused_by_robots
from crawler.items import FAILED, FETCHED, GONE, NOT_MODIFIED, CrawlState, ReleaseItem
from crawler.parsing import PARSER_VERSION, NotHTMLError, extract
from crawler.parsing.decode import MAX_CHARS, over_cap
from crawler.parsing.urls import DEFAULT_PORTS, host_key, http_url
from crawler.records import flat_headers, validator_headers
from crawler.session import DRIFT_THRESHOLD, RECHECK_CHOICES, ArchiveSession, CrawlPlan, judge, record_stats
from crawler.session import logger as session_log
from crawler.sites import SiteProfile, get_profile
from crawler.spiders.discovery_hooks import DiscoveryMixin  # sitemaps, feeds, load more (issue 14)

RELEASE_STATUSES = [304, 404, 410]  # answers the spider handles itself; the rest is an error
LISTING_PRIORITY, LINKED_PRIORITY, RETRY_PRIORITY, RECHECK_PRIORITY = 20, 10, 5, 0
MAX_LISTING_PAGES = 5000  # a runaway pagination must end somewhere (setting PRESSARCHIVE_MAX_LISTING_PAGES)
SEED_BATCH = 64  # rechecks handed to the scheduler at a time


def headers_dict(response: Response) -> dict[str, str]:
    """Response headers as str -> str (repeated headers joined by ', ')."""
    return flat_headers(response.headers)


def _port(parts) -> int | None:
    """The URL's port, None for its scheme's default (https://x:443/ is https://x/)."""
    return None if parts.port == DEFAULT_PORTS.get(parts.scheme) else parts.port


def failure_reason(failure: Failure) -> str:
    """One line saying why a request failed."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    text = str(failure.value).strip().splitlines()
    return f"{type(failure.value).__name__}: {text[0]}" if text else type(failure.value).__name__


class PressSpider(AnswersMixin, DiscoveryMixin, scrapy.Spider):
    """From the start listing: pagination, then every release link, deduped by canonical URL.

    crawler/spiders/sites.py makes one subclass per site profile, named after it (`scrapy list`).
    Scrapy builds it from strings (`scrapy crawl bochum -a start_url=URL -a recheck=all
    -a max_articles=N -s PRESSARCHIVE_DB=PATH`), and so does `pressarchive crawl`: without a
    `plan` the spider takes the archive's lock and reads its plan in start() (crawler.session).
    """

    profile: SiteProfile | None = None  # the site subclass's profile

    def __init__(self, start_url: str | None = None, recheck: str = "recent", max_articles: int | str | None = None,
                 drift_threshold: float | str = DRIFT_THRESHOLD, *, plan: CrawlPlan | None = None,
                 state: CrawlState | None = None, parse: Callable[..., Any] = extract,
                 profile: SiteProfile | None = None, **kwargs: Any):
        self.profile = profile or type(self).profile or get_profile()
        kwargs.setdefault("name", getattr(type(self), "name", None) or self.profile.name)
        super().__init__(**kwargs)
        start_url = http_url(start_url or self.profile.start_url)  # ValueError unless absolute http(s)
        if recheck not in RECHECK_CHOICES:
            raise ValueError(f"recheck must be one of {', '.join(RECHECK_CHOICES)}, not {recheck!r}")
        self.recheck = recheck
        self.max_articles = None if max_articles in (None, "") else int(max_articles)
        self.drift_threshold = float(drift_threshold)
        parts = urlsplit(start_url)
        self.start_url = start_url
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.site = host_key(parts.hostname or "")
        self.allowed_domains = [self.site]  # Scrapy's offsite check; ours below is stricter
        self.listing_path = self._path(start_url)
        self.release_prefixes = self._release_prefixes(self.listing_path)
        self.link_xpath = self._link_xpath(self.listing_path)
        self.state, self.parse_page = state or CrawlState(), parse
        self.plan, self.retry_urls = CrawlPlan(), set()
        self.session: ArchiveSession | None = None  # opened in start() unless a plan is given
        self.fatal: PressarchiveError | None = None  # why the archive could not be opened (locked, ...)
        self.exit_code: int | None = None  # the run's verdict, once closed
        self.writer = None  # the archive writer process, started once the archive is open
        if plan is not None:
            self.use_plan(plan)
        self.needs_session = plan is None
        self.seen: set[str] = set()  # canonical URLs of releases scheduled: the only growing set
        self.listings: set[str] = set()
        self.root_done: Deferred = Deferred()  # fires when the start listing answered or failed
        self.parser_errors: set[type] = set()

    @classmethod
    def update_settings(cls, settings) -> None:
        """The site profile's politeness, above the project's defaults and below `-s` / --delay."""
        super().update_settings(settings)
        if (p := cls.profile) is not None:
            settings.setdict({"DOWNLOAD_DELAY": p.delay, "AUTOTHROTTLE_START_DELAY": p.delay,
                              "CONCURRENT_REQUESTS_PER_DOMAIN": p.concurrency}, priority="spider")

    def use_plan(self, plan: CrawlPlan) -> None:
        """What the archive knows, for deciding which releases to fetch."""
        self.plan, self.retry_urls = plan, {canon for canon, _ in plan.pending}
        if self.max_articles is not None:
            plan.max_articles = self.max_articles

    @property
    def db(self) -> str:
        """The archive's URL: the PRESSARCHIVE_DB setting, else $PRESSARCHIVE_DB, else pressarchive.sqlite."""
        from archive.db import resolve_url  # noqa: PLC0415

        return resolve_url(self.settings.get("PRESSARCHIVE_DB") if hasattr(self, "crawler") else None)

    def open_session(self) -> None:
        """Take the archive's lock, record the run, read the plan; CloseSpider if it cannot be had."""
        from crawler.pipelines import start_writer  # noqa: PLC0415 - the writer needs the Store

        db = self.settings.get("PRESSARCHIVE_DB")
        self.session = ArchiveSession(db, self.start_url, self.profile.name, self.recheck, self.max_articles)
        try:
            self.use_plan(self.session.open(self.state))
        except PressarchiveError as exc:  # locked, or no archive there: one line, nothing fetched
            self.session, self.fatal = None, exc
            session_log.error("%s", exc)
            raise CloseSpider(type(exc).__name__) from None
        self.writer = start_writer(self.db)  # now, so its imports overlap the first downloads

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
        try:
            parts = urlsplit(url)
            same_port = _port(parts) == _port(urlsplit(self.origin))
        except ValueError:  # a port out of range or not a number: nowhere to go
            return False
        return parts.scheme in ("http", "https") and host_key(parts.hostname or "") == self.site and same_port

    def on_origin(self, url: str) -> str:
        """The same path on the start URL's scheme and host: one robots.txt, one download slot."""
        parts = urlsplit(url)
        return self.origin + parts.path + (f"?{parts.query}" if parts.query else "")

    def links(self, response: Response) -> Iterator[tuple[str, str]]:
        """(absolute on-site URL, rel) of every link on the page."""
        if not isinstance(response, TextResponse):
            return
        # Relative links under a <base href> need not name the release path: look at every link then.
        xpath = self.link_xpath if get_base_url(response) == response.url else "//a[@href]"
        for a in response.xpath(xpath):
            href = (a.attrib.get("href") or "").strip()
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            url = response.urljoin(href)  # against the page's <base href>, if it has one
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
        """The archive's plan, the start listing; once it answered, the rechecks, in batches."""
        if self.needs_session:
            self.needs_session = False
            self.open_session()
        yield self.listing_request(self.start_url, root=True)
        await maybe_deferred_to_future(self.root_done)
        if self.state.start_failed:
            return  # the site does not answer: no point asking it 10,000 times more
        for request in self.sitemap_requests():  # discovery hook: their lastmods shape the rechecks
            yield request
        await self.sitemaps_read()
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
        if key is None or key in self.listings or self.listing_cap_reached():
            return None
        self.listings.add(key)
        return Request(self.on_origin(url) if not root else url, callback=self.parse_listing,
                       errback=self.listing_failed, priority=LISTING_PRIORITY,
                       meta={"root": root, "download_slot": self.site})

    def listing_cap_reached(self) -> bool:
        """True once the listing cap's pages are scheduled; says so in the run (once)."""
        settings = getattr(self, "settings", None)  # none before Scrapy binds the spider (tests)
        cap = settings.getint("PRESSARCHIVE_MAX_LISTING_PAGES", MAX_LISTING_PAGES) if settings else MAX_LISTING_PAGES
        if len(self.listings) < cap:
            return False
        if not self.state.listing_capped:
            self.state.listing_capped = True
            self.state.warn(f"the listing's pagination was cut at {cap} pages (its limit): later pages not read")
        return True

    def release_request(self, url: str, priority: int, canon: str | None = None) -> Request | None:
        """A release once per canonical URL; archived ones only if due or failed before."""
        canon = canon or self.profile.canonical(url)
        if canon in self.seen or canon in self.plan.held or self.limit_reached():
            return None  # scheduled already, or failed before and waiting (crawler.retries)
        if canon in self.plan.known and canon not in self.retry_urls and not self.recheck_now(canon):
            return None  # archived and not due for a recheck (discovery hook: a sitemap's lastmod counts)
        if canon in self.retry_urls and priority > RETRY_PRIORITY:
            return None  # failed before: seed_requests retries it, after the releases that did not fail
        self.seen.add(canon)
        self.state.releases_scheduled += 1
        self.state.retries_scheduled += canon in self.retry_urls
        return Request(self.on_origin(url), callback=self.parse_release, errback=self.release_failed,
                       headers=self.conditional_headers(canon), priority=priority,
                       meta={"canonical": canon, "handle_httpstatus_list": RELEASE_STATUSES,
                             "download_slot": self.site})

    def conditional_headers(self, canon: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from what the archive stored for this article."""
        return validator_headers(self.plan.known.get(canon))

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
            if self.is_release(url):
                found += 1
                self.count_source("listing", [url])  # discovery hook
            if (req := self.follow(url, rel)) is not None:
                yield req
        yield from self.discover_on_page(response)  # discovery hook: feeds, load more
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
        elif (moved := self.moved_away(response)) is not None:
            yield self.not_a_release_item(response, base, f"redirects to {moved}, no release address")
        else:
            item = self.parsed_item(response, base)
            reason = not_a_release(item.record) if item.record is not None else None
            yield item if reason is None else self.not_a_release_item(response, base, reason)
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
        if over_cap(response.body, base["headers"]):  # the raw page is stored whole all the same
            self.state.warn(f"{response.url}: page over {MAX_CHARS:,} characters; only its start was extracted")
        return ReleaseItem(FETCHED, body=response.body, record=data, **base)

    def linked_releases(self, response: Response) -> Iterator[Request]:
        """Releases linked from a release (the teaser box): found even if the listing lost them."""
        # A regular expression, not a DOM: a second parse of every page would cost more than it finds.
        body = response.body
        for match in self.profile.release_href.finditer(body.lower()):
            href = body[match.start(1):match.end(1)]  # as written, not lowercased
            url = response.urljoin(html.unescape(href.decode("utf-8", "replace")))
            if self.on_site(url) and self.is_release(url):
                self.count_source("linked", [url])  # discovery hook
                if req := self.release_request(url, LINKED_PRIORITY):
                    yield req

    def release_failed(self, failure: Failure) -> Iterator[ReleaseItem]:
        """Given up (retries, size limit, redirect loop or off site): recorded, retried next run.

        Only a robots.txt refusal is no error."""
        request = failure.request
        if refused_by_robots(failure):
            self.logger.info("not fetched (%s): %s", failure.value, request.url)
            self.state.releases_scheduled -= 1  # refused before any fetch: neither done nor failed
            return
        yield ReleaseItem(FAILED, canonical_url=request.meta["canonical"], url=request.url,
                          error=failure_reason(failure))

    def closed(self, reason: str) -> None:
        """The run's per-source counts and alarms, its verdict, its record in the archive; the lock freed."""
        if self.fatal is not None:
            return  # nothing was fetched, no run was recorded
        self.discovery_report()
        if self.session is None:
            return  # a plan handed in (tests): no archive to tell
        if not self.state.archive_failed:
            self.keep_source_docs()  # discovery hook: sitemaps and feeds for next run's conditional requests
        if reason != "finished" or self.state.archive_failed:
            self.session.reconcile(self.state)
        self.exit_code = judge(self.state, self.drift_threshold, reason, self.profile.name)
        record_stats(self.crawler.stats, self.state, self.exit_code)
        self.session.close(self.state, self.exit_code)
        for line in self.state.alarms:
            session_log.warning("%s", line)
        session_log.info("run %s of %s: exit code %s, %s", self.state.run_id, self.start_url, self.exit_code,
                         self.state.counts)

    def listing_failed(self, failure: Failure) -> None:
        """A listing page that failed: the first one fails the run, later ones are errors."""
        request = failure.request
        reason = failure_reason(failure)
        if request.meta.get("root"):
            self.state.start_failed = f"cannot fetch {request.url}: {reason}"
            self.root_answered()
        else:
            self.state.error(f"listing page {request.url}: {reason}")
