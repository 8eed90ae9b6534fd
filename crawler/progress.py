"""A one-line status on the terminal, rewritten in place while the crawl runs."""
from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

INTERVAL = 0.5  # seconds between redraws


def status_line(state, elapsed: float) -> str:
    """The status text: what was fetched and stored so far."""
    c = state.counts
    return (f"{elapsed:6.0f}s  listing pages {state.listing_pages}  releases {state.releases_scheduled}"
            f"  fetched {c.pages_fetched}  304 {c.not_modified}  new {c.new_articles}"
            f"  versions {c.new_versions}  withdrawn {c.withdrawn}  errors {c.errors}")


class ProgressLine:
    """Scrapy extension: redraws the status line every INTERVAL s; clears it when the crawl ends."""

    def __init__(self, crawler: Crawler, stream=None):
        self.crawler = crawler
        self.stream = stream or sys.stdout
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.draw)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ProgressLine":
        """Scrapy's constructor hook."""
        return cls(crawler)

    def opened(self, spider) -> None:
        """Start redrawing."""
        self.started = time.monotonic()
        self.loop.start(INTERVAL, now=True)

    def draw(self) -> None:
        """Rewrite the line in place (carriage return, erase to end of line)."""
        state = self.crawler.spider.state
        self.stream.write("\r\x1b[K" + status_line(state, time.monotonic() - self.started))
        self.stream.flush()

    def closed(self, spider, reason) -> None:
        """Stop and leave a clean line for the summary."""
        if self.loop.running:
            self.loop.stop()
        self.stream.write("\r\x1b[K")
        self.stream.flush()
