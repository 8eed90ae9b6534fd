"""Exponential backoff for Scrapy's retries (RetryMiddleware itself re-sends at once)."""
from __future__ import annotations

import asyncio
import random

from scrapy.crawler import Crawler
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
