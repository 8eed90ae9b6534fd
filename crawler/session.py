"""The archive side of one crawl: its lock, its run record, its plan and its verdict.

The spider opens a session in `start()` and closes it when it closes, whether Scrapy runs it
(`scrapy crawl bochum -s PRESSARCHIVE_DB=…`) or `pressarchive crawl` does: one code path, so
both take the same lock, read the same plan and record the run the same way.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from archive.errors import BadInput, RunFailed, first_line
from archive.lock import crawl_lock
from crawler.items import MAX_MESSAGES, CrawlState
from crawler.records import COUNT_FIELDS, LOW_CONFIDENCE, KnownArticle, SourceDoc, utcnow
from crawler.retries import Failure, is_due
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
    pending: list[tuple[str, str]] = field(default_factory=list)  # (canonical, url) failed before, due now
    held: set[str] = field(default_factory=set)  # canonical URLs that failed before, waiting (crawler.retries)
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


def build_plan(store, recheck: str, max_articles: int | None, site: str = DEFAULT_SITE,
               run_id: int | None = None) -> CrawlPlan:
    """What the archive knows: known articles, rechecks due, earlier failures, sitemaps and feeds as last seen."""
    from archive.discovery_docs import listed_before, load_docs  # noqa: PLC0415
    from archive.store import STALE_DAYS  # noqa: PLC0415

    now = utcnow()
    run_ids = store.run_ids()
    failures = [Failure(*row) for row in store.failures()]
    due = [f for f in failures if is_due(f, run_ids, run_id, recheck)]
    return CrawlPlan(recheck=recheck, known=store.known_articles(),
                     due=set(store.due_for_recheck(recheck, now)),
                     pending=[(f.canonical_url, f.url) for f in due],
                     held={f.canonical_url for f in failures} - {f.canonical_url for f in due},
                     max_articles=max_articles,
                     stale_before=now - timedelta(days=STALE_DAYS), source_docs=load_docs(store.sessions),
                     listed_before=listed_before(store.sessions, site))


@contextmanager
def unwritable_archive() -> Iterator[None]:
    """A database error while recording the run's start: the archive cannot be written (exit 1, one line)."""
    from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

    try:
        yield
    except SQLAlchemyError as exc:
        raise RunFailed(f"the archive cannot be written: {first_line(exc)}") from None


def judge(state: CrawlState, threshold: float, reason: str | None, site: str = DEFAULT_SITE) -> int:
    """The exit code by the rule in crawler.runner's docstring; reasons go into the run's messages."""
    counts = state.counts
    if state.releases_ok and state.drifted / state.releases_ok > threshold:
        state.alarm(f"{state.drifted} of {state.releases_ok} release pages (> {threshold:.0%}) were missed by the "
                    f"{site} profile's templates ({counts.fallback_pages}) or extracted with confidence below "
                    f"{LOW_CONFIDENCE} ({counts.low_confidence}): the site's markup has probably changed")
    if state.start_failed:
        state.message(state.start_failed)
    # Releases that failed before failing again are no news of a broken site (they are named by crawler.retries).
    elif state.releases_scheduled > state.retries_scheduled and not state.releases_answered:
        state.message(f"none of {state.releases_scheduled} releases could be fetched and parsed")
    counts.messages[0:0] = state.repeated[:MAX_MESSAGES]  # by name, at the top of the summary
    explain_stop(state, reason)
    failed = (state.start_failed or state.alarms or reason != "finished" or state.repeated
              or (state.releases_scheduled > state.retries_scheduled and not state.releases_answered))
    return 1 if failed else 0


def explain_stop(state: CrawlState, reason: str | None) -> None:
    """Why the crawl ended before its end, in the run's messages (a failed archive first of all)."""
    if state.archive_failed:  # first: it is why everything after it is missing
        state.counts.messages.insert(0, f"{state.archive_failed}; the crawl stopped fetching "
                                        f"({state.unstored} fetched release(s) not stored, counted in errors)")
    elif reason == "shutdown" or state.stopped:
        state.stopped = state.stopped or "SIGTERM or Ctrl-C"
        state.message(f"the crawl was stopped before its end ({state.stopped}); the next run goes on")
    elif reason != "finished":
        state.message(f"the crawl stopped early ({reason or 'did not start; see the log'})")


def run_status(state: CrawlState, code: int) -> str:
    """The run's status: ok, failed, or interrupted (stopped by a signal before its end)."""
    if code == 0:
        return "ok"
    return "interrupted" if state.stopped and not state.archive_failed else "failed"


class ArchiveSession:
    """One crawl's hold on the archive: taken in the spider's start(), given back when it closes."""

    def __init__(self, db: str | None, start_url: str, site: str, recheck: str, max_articles: int | None):
        self.db, self.start_url, self.site = db, start_url, site
        self.recheck, self.max_articles = recheck, max_articles
        self.lock = None
        self.store = None

    def open(self, state: CrawlState) -> CrawlPlan:
        """Take the lock (LockHeld if another crawl has it), record the run's start, read the plan."""
        from archive.run_journal import record_remembered  # noqa: PLC0415
        from archive.runs import mark_interrupted  # noqa: PLC0415

        self.lock = crawl_lock(self.db, self.site).acquire()
        try:
            self.store = open_store(self.db)
            with unwritable_archive():
                recorded = record_remembered(self.store.sessions, self._url())  # ends a failed archive could not take
                # Only the runs this lock covers are known dead: the whole archive's, or its site's.
                stale = mark_interrupted(self.store.sessions, self.lock.site)
                state.run_id = self.store.start_run(self.start_url, self.recheck, os.getpid(), site=self.site)
        except BaseException:
            self.release()
            raise
        if stale:
            state.message(f"{stale} earlier run(s) had been killed; marked interrupted")
        if recorded:
            state.message(f"{recorded} earlier run(s) that the archive could not take recorded now")
        try:
            return build_plan(self.store, self.recheck, self.max_articles, self.site, state.run_id)
        except BaseException:
            self.close(state, 1)
            raise

    def close(self, state: CrawlState, code: int) -> None:
        """Record the run's end (tallies, exit code, status), then give the lock back.

        If the archive cannot take it (disk full, server gone), the end is kept in the run journal
        (archive.run_journal) and the next crawl records it."""
        try:
            if self.store is not None and state.run_id is not None:
                self._keep_unstored(state)
                self._record_end(state, code)
                self._tidy_index()
        finally:
            self.release()

    def _tidy_index(self) -> None:
        """Merge the search index while this run still holds the lock; a failure only costs search speed."""
        try:
            self.store.tidy_search_index()
        except Exception as exc:  # noqa: BLE001 - the run and its versions are recorded already
            logger.warning("the search index was not merged: %s", first_line(exc))

    def _keep_unstored(self, state: CrawlState) -> None:
        """Releases fetched but not stored (the writer died): kept as failures for the next run, if the archive can."""
        try:  # a writer killed after its commit stored the release; only the answer was lost (see reconcile)
            stored = self.store.stored_in_run(state.run_id, [canon for canon, _ in state.unstored_releases])
        except Exception:  # noqa: BLE001 - the archive itself failed: the next run finds them again
            return
        for canon, url in state.unstored_releases:
            if canon in stored:
                continue
            try:
                self.store.save_failure(canon, url, f"not stored: {state.archive_failed}", state.run_id)
            except Exception:  # noqa: BLE001 - the archive itself failed: the next run finds them again
                return

    def _record_end(self, state: CrawlState, code: int) -> None:
        from archive.run_journal import remember  # noqa: PLC0415

        status = run_status(state, code)
        try:
            self.store.finish_run(state.run_id, state.counts, code, status)
        except Exception as exc:  # noqa: BLE001 - the archive failed; the run's end must not be lost
            state.unrecorded = first_line(exc)
            end = {**vars(state.counts), "exit_code": code, "status": status, "finished_at": utcnow().isoformat()}
            try:
                where = remember(self._url(), state.run_id, end)
                state.unrecorded += f"; kept in {where} for the next crawl to record"
            except OSError as err:
                state.unrecorded += f"; nor could it be kept for the next crawl ({err.strerror})"

    def reconcile(self, state: CrawlState) -> None:
        """After a failure or a stop: the run's new articles, versions and withdrawals as stored.

        Answers the writer stored while their outcome was lost (the writer died, the crawl was
        forced to stop) were counted as errors or not at all; the archive knows."""
        try:
            stored = self.store.stored_changes(state.run_id)
        except Exception:  # noqa: BLE001 - the archive is gone: the counts stay as counted
            return
        counts = state.counts
        extra = sum(stored.values()) - sum(getattr(counts, count) for count in stored)
        for count, value in stored.items():
            setattr(counts, count, value)
        moved = min(max(extra, 0), state.unstored)  # stored after all: no error
        counts.errors, state.unstored = counts.errors - moved, state.unstored - moved

    def _url(self) -> str:
        """The archive's URL: the run journal's key."""
        from archive.db import resolve_url  # noqa: PLC0415

        return resolve_url(self.db)

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
