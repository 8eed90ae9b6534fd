"""The archive pipeline: each release item becomes one Store call, made in a writer process.

Saving a page (compression, versioning, full-text indexing, the commit) costs more CPU than
Scrapy spends downloading and parsing it; in the crawl's own process it would hold up the
download loop (a writer thread would not help: the GIL). So one writer process (spawned, so it
inherits neither the archive's lock nor the reactor) makes the Store calls, one after another,
one transaction each. Scrapy's scraper caps the bytes of responses in flight, which bounds the
writer's queue.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

from scrapy.crawler import Crawler

from archive.store import Fetch, Store
from crawler import gctune
from crawler.items import FAILED, FETCHED, GONE, NOT_MODIFIED, CrawlState, ReleaseItem

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What became of one item, sent back from the writer."""

    result: str | bool | None = None  # save_fetch's 'new'/'edited'/'unchanged', save_gone's bool
    error: str | None = None  # set when the item is a failure


def fetch_of(item: ReleaseItem) -> Fetch:
    """The Store's view of an answer."""
    return Fetch(url=item.url, canonical_url=item.canonical_url, status=item.status,
                 headers=item.headers, body=item.body, fetched_at=item.fetched_at)


def handle_item(store: Store, item: ReleaseItem, run_id: int | None) -> Outcome:
    """The one Store call for an item."""
    if item.outcome == FETCHED:
        return Outcome(store.save_fetch(fetch_of(item), item.record, run_id))
    if item.outcome == NOT_MODIFIED:
        return Outcome(store.save_not_modified(item.canonical_url, item.fetched_at, run_id))
    if item.outcome == GONE:
        return Outcome(store.save_gone(fetch_of(item), run_id))
    error = item.error or "failed"
    store.save_failure(item.canonical_url, item.url, error, run_id)
    return Outcome(error=error)


# --- the writer process -------------------------------------------------------------------------
_STORE: Store | None = None


def _leave_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)  # the crawl was killed (kill -9): every finished save is already committed


def init_writer(db: str | None, parent: int) -> None:
    """Writer start: open the archive; signals are the crawl's business; end with the crawl."""
    global _STORE  # noqa: PLW0603 - one Store per writer process
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C / systemd stop: the crawl drains the queue
        signal.signal(sig, signal.SIG_IGN)
    _STORE = Store.open(db)
    gctune.tune()
    threading.Thread(target=_leave_with_parent, args=(parent,), daemon=True).start()


def write(item: ReleaseItem, run_id: int | None) -> Outcome:
    """Writer process: handle one item."""
    return handle_item(_STORE, item, run_id)


def start_writer(db: str | None) -> Executor:
    """One spawned writer process, started now so its imports overlap the first downloads."""
    writer = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=init_writer, initargs=(db, os.getpid()))
    writer.submit(os.getpid)
    return writer


# --- the Scrapy side ----------------------------------------------------------------------------
class ArchivePipeline:
    """Sends each ReleaseItem to the writer and keeps the run's tallies."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.state: CrawlState | None = None
        self.writer: Executor | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchivePipeline":
        """Scrapy's constructor hook."""
        return cls(crawler)

    def open_spider(self) -> None:
        """The runner gives the spider the archive's address and the shared state."""
        spider = self.crawler.spider
        self.state = spider.state
        self.writer = spider.writer if getattr(spider, "writer", None) else start_writer(spider.db)

    def close_spider(self) -> None:
        """Every item has been answered by now; end the writer."""
        if self.writer is not None:
            self.writer.shutdown(wait=True)

    async def process_item(self, item: ReleaseItem) -> ReleaseItem:
        """Store one answer; a failure costs this release (retried next run), not the run."""
        try:
            outcome = await asyncio.wrap_future(self.writer.submit(write, item, self.state.run_id))
        except Exception as exc:  # noqa: BLE001 - the run goes on and reports it
            logger.error("archive failed for %s: %r", item.url, exc)
            outcome = Outcome(error=f"archive error: {type(exc).__name__}: {exc}")
        item.body = b""  # nothing of the page outlives its transaction
        self.count(item, outcome)
        return item

    def count(self, item: ReleaseItem, outcome: Outcome) -> None:
        """Tally what became of the item."""
        state, counts = self.state, self.state.counts
        if outcome.error is not None:
            state.error(f"{item.url}: {outcome.error}")
            return
        state.releases_answered += 1
        if item.outcome == FETCHED:
            state.releases_ok += 1
            counts.fallback_pages += (item.record or {}).get("extractor") == "fallback"
            counts.new_articles += outcome.result == "new"
            counts.new_versions += outcome.result == "edited"
        elif item.outcome == NOT_MODIFIED:
            counts.not_modified += 1
        elif item.outcome == GONE:
            counts.withdrawn += bool(outcome.result)
