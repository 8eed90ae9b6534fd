"""Exponential backoff for Scrapy's retries (RetryMiddleware itself re-sends at once); redirects kept on site."""
from __future__ import annotations

import asyncio
import random

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response


def backoff_delay(retry_times: int, base: float, cap: float, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number `retry_times` (1, 2, ...): base * 2^(n-1), jittered, capped."""
    if retry_after is not None:
        return min(max(retry_after, 0.0), cap)
    delay = base * (2 ** max(retry_times - 1, 0))
    return min(delay * random.uniform(0.8, 1.2), cap)


def parse_retry_after(value: bytes | None) -> float | None:
    """A Retry-After header in seconds (the HTTP-date form is ignored: rare, and we cap anyway)."""
    try:
        return float(value.decode("latin-1").strip()) if value else None
    except ValueError:
        return None


class RetryBackoffMiddleware:
    """Waits before a retried request goes out; sits after RetryMiddleware (550) in the chain.

    process_response runs before RetryMiddleware's, so a 429/503's Retry-After is noted in the
    request's meta, which the retry copy inherits. The wait does not hold a download slot.
    """

    def __init__(self, base: float, cap: float):
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "RetryBackoffMiddleware":
        """Read RETRY_BACKOFF_BASE / RETRY_BACKOFF_MAX."""
        s = crawler.settings
        return cls(s.getfloat("RETRY_BACKOFF_BASE", 1.0), s.getfloat("RETRY_BACKOFF_MAX", 60.0))

    async def process_request(self, request: Request) -> None:
        """Sleep before a retry; first attempts pass straight through."""
        # Popped, not read: a Retry-After answers the one retry after that 429/503. Left in meta,
        # every later copy would inherit it, and a 500 after a "Retry-After: 60" would wait 60 s.
        retry_after = request.meta.pop("retry_after", None)
        retries = request.meta.get("retry_times", 0)
        if retries and self.base > 0:
            await asyncio.sleep(backoff_delay(retries, self.base, self.cap, retry_after))

    def process_response(self, request: Request, response: Response) -> Response:
        """Remember the server's Retry-After for the retry copy (only this answer's)."""
        retry_after = parse_retry_after(response.headers.get(b"Retry-After")) if response.status in (429, 503) else None
        if retry_after is None:
            request.meta.pop("retry_after", None)
        else:
            request.meta["retry_after"] = retry_after
        return response


# --- only the start URL's host -------------------------------------------------------------------
class OffsiteRedirect(IgnoreRequest):
    """A redirect that leaves the crawl's site: the request fails (an error, retried next run)."""


def _on_site(crawler: Crawler, url: str) -> bool:
    """The spider's own rule (host and port of the start URL) where it has one, else Scrapy's."""
    on_site = getattr(crawler.spider, "on_site", None)
    return on_site(url) if on_site is not None else True


class _StayOnSite:
    """Scrapy's redirect handling, except that a redirect to another host or port fails the request.

    Scrapy's OffsiteMiddleware checks a redirect only when its request is scheduled, and drops it
    there without calling the errback: the release would vanish from the run. Here it fails loudly.
    """

    crawler: Crawler

    def _redirect(self, redirected: Request, request: Request, reason) -> Request:
        if not _on_site(self.crawler, redirected.url):
            raise OffsiteRedirect(f"redirect to another host: {redirected.url}")
        return super()._redirect(redirected, request, reason)


class SiteRedirectMiddleware(_StayOnSite, RedirectMiddleware):
    """RedirectMiddleware (3xx) that never leaves the site."""


class SiteMetaRefreshMiddleware(_StayOnSite, MetaRefreshMiddleware):
    """MetaRefreshMiddleware (<meta http-equiv=refresh>) that never leaves the site."""


class SiteOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter by the spider's rule: the start URL's host and port, no subdomains."""

    def should_follow(self, request: Request, spider) -> bool:
        """On the spider's site (its on_site), else Scrapy's allowed_domains rule."""
        own = getattr(spider, "on_site", None)
        return own(request.url) if own is not None else super().should_follow(request, spider)
