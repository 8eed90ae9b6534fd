"""The archive side of one crawl: its lock, its run record, its plan and its verdict.

The spider opens a session in `start()` and closes it when it closes, whether Scrapy runs it
(`scrapy crawl bochum -s PRESSARCHIVE_DB=…`) or `pressarchive crawl` does: one code path, so
both take the same lock, read the same plan and record the run the same way.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from archive.errors import BadInput
from archive.lock import crawl_lock
from crawler.items import CrawlState
from crawler.records import COUNT_FIELDS, KnownArticle, SourceDoc, utcnow
from crawler.sites import DEFAULT_SITE

logger = logging.getLogger(__name__)  # the runner keeps this off the terminal: it prints its own lines
RECHECK_CHOICES = ("new", "recent", "all")
DRIFT_THRESHOLD = 0.2  # share of release pages a profile's templates may miss before the ALARM


@dataclass
class CrawlPlan:
    """What the archive already knows, read once before the crawl."""

    recheck: str = "recent"
    known: dict[str, KnownArticle] = field(default_factory=dict)
    due: set[str] = field(default_factory=set)  # canonical URLs to fetch again (conditionally)
    pending: list[tuple[str, str]] = field(default_factory=list)  # (canonical, url) failed before
    max_articles: int | None = None
    stale_before: datetime | None = None  # checked before this: due for the weekly recheck whatever lastmod says
    source_docs: dict[str, SourceDoc] = field(default_factory=dict)  # sitemaps and feeds as last fetched
    listed_before: int | None = None  # the most releases the listing yielded on recent runs


def open_store(db: str | None):
    """Store.open, with a database error reported as bad input (one line)."""
    from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

    from archive.store import Store  # noqa: PLC0415

    try:
        return Store.open(db)  # an archive that cannot be opened is already BadInput
    except SQLAlchemyError as exc:
        raise BadInput(f"cannot open the archive: {str(exc).splitlines()[0]}") from None


def build_plan(store, recheck: str, max_articles: int | None, site: str = DEFAULT_SITE) -> CrawlPlan:
    """What the archive knows: known articles, those due for a recheck, earlier failures, discovery's memory."""
    from archive.discovery_docs import listed_before, load_docs  # noqa: PLC0415
    from archive.store import STALE_DAYS  # noqa: PLC0415

    now = utcnow()
    return CrawlPlan(recheck=recheck, known=store.known_articles(),
                     due=set(store.due_for_recheck(recheck, now)),
                     pending=list(store.pending_failures()), max_articles=max_articles,
                     stale_before=now - timedelta(days=STALE_DAYS), source_docs=load_docs(store.sessions),
                     listed_before=listed_before(store.sessions, site))


def judge(state: CrawlState, threshold: float, reason: str | None, site: str = DEFAULT_SITE) -> int:
    """The exit code by the rule in crawler.runner's docstring; reasons go into the run's messages."""
    counts = state.counts
    if state.releases_ok and state.drifted / state.releases_ok > threshold:
        state.alarm(f"{state.drifted} of {state.releases_ok} release pages (> {threshold:.0%}) were missed by the "
                    f"{site} profile's templates ({counts.fallback_pages}) or extracted with confidence below 0.5 "
                    f"({counts.low_confidence}): the site's markup has probably changed")
    if state.start_failed:
        state.message(state.start_failed)
    elif state.releases_scheduled and not state.releases_answered:
        state.message(f"none of {state.releases_scheduled} releases could be fetched and parsed")
    if reason != "finished":
        state.message(f"the crawl stopped early ({reason or 'did not start; see the log'})")
    failed = (state.start_failed or state.alarms or reason != "finished"
              or (state.releases_scheduled and not state.releases_answered))
    return 1 if failed else 0


class ArchiveSession:
    """One crawl's hold on the archive: taken in the spider's start(), given back when it closes."""

    def __init__(self, db: str | None, start_url: str, site: str, recheck: str, max_articles: int | None):
        self.db, self.start_url, self.site = db, start_url, site
        self.recheck, self.max_articles = recheck, max_articles
        self.lock = None
        self.store = None

    def open(self, state: CrawlState) -> CrawlPlan:
        """Take the lock (LockHeld if another crawl has it), record the run's start, read the plan."""
        from archive.runs import mark_interrupted  # noqa: PLC0415

        self.lock = crawl_lock(self.db, self.site).acquire()
        try:
            self.store = open_store(self.db)
            # Only the runs this lock covers are known dead: the whole archive's, or its site's.
            stale = mark_interrupted(self.store.sessions, self.lock.site)
            state.run_id = self.store.start_run(self.start_url, self.recheck, os.getpid(), site=self.site)
        except BaseException:
            self.release()
            raise
        if stale:
            state.message(f"{stale} earlier run(s) had been killed; marked interrupted")
        try:
            return build_plan(self.store, self.recheck, self.max_articles, self.site)
        except BaseException:
            self.close(state, 1)
            raise

    def close(self, state: CrawlState, code: int) -> None:
        """Record the run's end with its tallies and exit code, then give the lock back."""
        try:
            if self.store is not None and state.run_id is not None:
                self.store.finish_run(state.run_id, state.counts, code)
        finally:
            self.release()

    def release(self) -> None:
        """Give the lock back (idempotent)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def record_stats(stats, state: CrawlState, code: int) -> None:
    """The run's tallies in Scrapy's stats (`pressarchive/…`), so `scrapy crawl` shows them too."""
    for name in COUNT_FIELDS:
        stats.set_value(f"pressarchive/{name}", getattr(state.counts, name))
    for source, count in state.counts.sources.items():  # releases per discovery source, total, only_one_source
        stats.set_value(f"pressarchive/sources/{source}", count)
    stats.set_value("pressarchive/run_id", state.run_id)
    stats.set_value("pressarchive/exit_code", code)
