"""The archive pipeline: each release item becomes one Store call, made in a writer process.

Saving a page (compression, versioning, full-text indexing, the commit) costs more CPU than
Scrapy spends downloading and parsing it; in the crawl's own process it would hold up the
download loop (a writer thread would not help: the GIL). So one writer process (spawned, so it
inherits neither the archive's lock nor the reactor) makes the Store calls, one after another,
one transaction each. Items travel to it in batches: an item waits up to BATCH_WAIT for others
to share its trip, since each trip (pipes, pickling, two helper threads waking) cost the crawl's
process ~0.4 ms, as much as a tenth of a page's parse. Scrapy's scraper caps the bytes of
responses in flight, which bounds the writer's queue.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from archive.errors import first_line
from archive.store import Store
from crawler import gctune
from crawler.items import FETCHED, GONE, MAX_MESSAGES, NOT_MODIFIED, CrawlState, ReleaseItem
from crawler.records import LOW_CONFIDENCE, Fetch, RunCounts
from crawler.retries import repeated_failure

if TYPE_CHECKING:  # the writer process imports this module: it has no use for Scrapy (~0.25 s)
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
BATCH_WAIT = 0.025  # seconds an item waits for others to share its trip to the writer
BATCH_MAX = 16  # items per trip
COUNTS_EVERY = 1.0  # seconds between the run's counts written as it goes (a killed run keeps them)
STOP_REASON = "archive failure"  # the reason Scrapy closes the spider with when the archive fails


@dataclass
class Outcome:
    """What became of one item, sent back from the writer."""

    # save_fetch's 'new'/'edited'/'unchanged', save_gone's bool, save_failure's failed runs in a row
    result: str | bool | int | None = None
    error: str | None = None  # set when the item is a failure
    failure: str | None = None  # repr of the exception when archiving it failed (for the log)
    fatal: str | None = None  # set when the archive itself failed (disk full, server gone): the crawl stops


def failed(exc: BaseException) -> Outcome:
    """The outcome of an item the archive could not take."""
    return Outcome(error=f"archive error: {type(exc).__name__}: {exc}", failure=repr(exc),
                   fatal=archive_failure(exc))


def archive_failure(exc: BaseException) -> str | None:
    """Why no release can be stored any more (writer dead, disk full, read-only, server gone), else None.

    A constraint or data error costs one release; an operational error is the archive's (SQLite's
    "database or disk is full", "attempt to write a readonly database", "disk I/O error";
    PostgreSQL's lost or refused connection), and so is a writer process that died."""
    if isinstance(exc, BrokenProcessPool):
        return "the archive writer process died (killed, or out of memory)"
    database = sys.modules.get("sqlalchemy.exc")
    if isinstance(exc, OSError) or (database and isinstance(exc, (database.OperationalError,
                                                                  database.InterfaceError))):
        return f"the archive cannot be written: {first_line(exc)}"
    return None


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
    return Outcome(store.save_failure(item.canonical_url, item.url, error, run_id), error=error)


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
    _STORE = Store.open(db, migrate=False)  # the crawl upgraded it before starting us, and holds its lock
    gctune.tune()
    threading.Thread(target=_leave_with_parent, args=(parent,), daemon=True).start()


def write_batch(items: list[ReleaseItem], run_id: int | None, counts: RunCounts | None = None) -> list[Outcome]:
    """Writer process: handle the items in turn, each in its own transaction; a failure costs only its item.

    With counts: the run's tallies so far are written too, so that a killed run keeps them."""
    outcomes = [_write(item, run_id) for item in items]
    if counts is not None and run_id is not None and not any(o.fatal for o in outcomes):
        try:
            _STORE.update_run(run_id, counts)
        except Exception:  # noqa: BLE001 - the next batch's items say what is wrong with the archive
            logger.debug("run counts not written", exc_info=True)
    return outcomes


def _write(item: ReleaseItem, run_id: int | None) -> Outcome:
    try:
        return handle_item(_STORE, item, run_id)
    except Exception as exc:  # noqa: BLE001 - the run goes on and reports it
        return failed(exc)


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
        self.batch: list[tuple[ReleaseItem, asyncio.Future]] = []  # items waiting for their trip
        self.counts_sent = time.monotonic()  # when the run's counts last travelled with a batch
        self.stopping: asyncio.Future | None = None  # the spider's close, once the archive failed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "ArchivePipeline":
        """Scrapy's constructor hook."""
        return cls(crawler)

    def open_spider(self) -> None:
        """The spider holds the run's shared state (and, once its archive is open, the writer)."""
        self.state = self.crawler.spider.state

    def _writer(self) -> Executor:
        """The spider's writer process (started when it opened the archive), else one of our own."""
        if self.writer is None:
            spider = self.crawler.spider
            self.writer = getattr(spider, "writer", None) or start_writer(spider.db)
        return self.writer

    def close_spider(self) -> None:
        """Every item has been answered by now; end the writer."""
        writer = self.writer or getattr(self.crawler.spider, "writer", None)
        if writer is not None:
            writer.shutdown(wait=True)

    async def process_item(self, item: ReleaseItem) -> dict:
        """Store one answer; a failure costs this release (retried next run), not the run.

        If the archive itself fails (writer dead, disk full, read-only, server gone) the crawl stops
        fetching at once; what was fetched but not stored counts as errors. What goes on to Scrapy's
        feed exports (`scrapy crawl bochum -O releases.jsonl`) is a fetched release's record in the
        extract schema; every other answer ends here (DropItem, logged at DEBUG).
        """
        cause = self.state.archive_failed
        outcome = Outcome(error=cause, fatal=cause) if cause else await self.send(item)
        if outcome.fatal is not None:
            self.stop(outcome.fatal)
        elif outcome.failure is not None:
            logger.error("archive failed for %s: %s", item.url, outcome.failure)
        item.body = b""  # nothing of the page outlives its transaction
        self.count(item, outcome)
        if item.outcome != FETCHED or outcome.error is not None:
            from scrapy.exceptions import DropItem  # noqa: PLC0415 - not in the writer process

            raise DropItem(f"{item.outcome}: {item.url}")
        return {k: v for k, v in item.record.items() if k != "parser_version"}

    def stop(self, cause: str) -> None:
        """The archive failed: say so once and close the spider (no further fetches)."""
        if self.state.archive_failed is None:
            self.state.archive_failed = cause
            logger.error("%s; the crawl stops fetching", cause)
        if self.stopping is None:
            engine = self.crawler.engine
            self.stopping = asyncio.ensure_future(engine.close_spider_async(reason=STOP_REASON))

    def send(self, item: ReleaseItem) -> asyncio.Future:
        """The item's Outcome, once the writer has handled the batch it joined."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.batch.append((item, future))
        if len(self.batch) >= BATCH_MAX:
            self.flush()
        elif len(self.batch) == 1:
            loop.call_later(BATCH_WAIT, self.flush)
        return future

    def flush(self) -> None:
        """Send the waiting items to the writer in one trip."""
        batch, self.batch = self.batch, []
        if not batch:
            return
        futures = [future for _, future in batch]
        try:
            trip = self._writer().submit(write_batch, [item for item, _ in batch], self.state.run_id,
                                         self.counts_due())
        except Exception as exc:  # noqa: BLE001 - a broken writer: each item of the batch failed
            _settle(futures, [failed(exc)] * len(futures))
            return
        asyncio.wrap_future(trip).add_done_callback(lambda done: _deliver(done, futures))

    def counts_due(self) -> RunCounts | None:
        """The run's counts so far (without messages), at most every COUNTS_EVERY seconds, else None."""
        if time.monotonic() - self.counts_sent < COUNTS_EVERY:
            return None
        self.counts_sent = time.monotonic()
        return replace(self.state.counts, messages=[])

    def count(self, item: ReleaseItem, outcome: Outcome) -> None:
        """Tally what became of the item."""
        state, counts = self.state, self.state.counts
        if outcome.fatal is not None:  # one line names the cause (stop), not one per release
            counts.errors += 1
            state.unstored += 1
            if len(state.unstored_releases) < MAX_MESSAGES:  # the crawl stops at once: a few in flight
                state.unstored_releases.append((item.canonical_url, item.url))
            return
        if outcome.error is not None:
            repeated = isinstance(outcome.result, int) and repeated_failure(item.url, outcome.result, outcome.error)
            if repeated:
                counts.errors += 1
                if len(state.repeated) < MAX_MESSAGES:  # 87,000 dead links must not fill the memory
                    state.repeated.append(repeated)
            else:
                state.error(f"{item.url}: {outcome.error}")
            return
        state.releases_answered += 1
        if item.outcome == FETCHED:
            state.releases_ok += 1
            self.count_doubts(item, outcome)
            counts.new_articles += outcome.result == "new"
            counts.new_versions += outcome.result == "edited"
        elif item.outcome == NOT_MODIFIED:
            counts.not_modified += 1
        elif item.outcome == GONE:
            counts.withdrawn += bool(outcome.result)

    def count_doubts(self, item: ReleaseItem, outcome: Outcome) -> None:
        """Template misses and low confidence count toward the drift alarm; a kept version is said."""
        record, counts = item.record or {}, self.state.counts
        fallback = record.get("extractor") == "fallback"
        low = (score := record.get("confidence")) is not None and score < LOW_CONFIDENCE
        counts.fallback_pages += fallback
        counts.low_confidence += low
        self.state.drifted += fallback or low
        if outcome.result == "kept":
            self.state.warn(f"{item.url}: extracted with confidence {score:.2f} (< {LOW_CONFIDENCE}); "
                            "the stored version stays the latest, the raw page is kept beside it")
        elif low:  # stored (nothing better was), and named in the run's messages
            self.state.message(f"{item.url}: extracted with confidence {score:.2f} (< {LOW_CONFIDENCE})")


def _deliver(trip: asyncio.Future, futures: list[asyncio.Future]) -> None:
    """Hand each item of a batch its Outcome (all of them the failure if the trip itself failed)."""
    exc = trip.exception()
    _settle(futures, [failed(exc)] * len(futures) if exc is not None else trip.result())


def _settle(futures: list[asyncio.Future], outcomes: list[Outcome]) -> None:
    for future, outcome in zip(futures, outcomes):
        if not future.done():
            future.set_result(outcome)
