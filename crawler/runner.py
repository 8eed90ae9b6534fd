"""`pressarchive crawl`: lock the archive, run the spider, judge the run, print the summary.

Exit codes (the operations rule, see scripts/cron/README section in the project README):
  0  the listing was walked and every release was archived, or failed only individually
     (those are listed in the summary and in `pressarchive runs`, kept in FailedFetch and
     retried first on the next run);
  1  the run failed: the start listing could not be fetched (site unreachable), no release
     could be fetched and parsed, a listing page yielded no release links, the site profile's
     templates missed on more than --drift-threshold of the release pages (ALARM), or the crawl
     was stopped;
  2  bad input (an unknown site, a start URL that is not http(s), a log file or archive that
     cannot be opened);
  75 another crawl holds the archive's lock.
Output: progress on a terminal; the summary on stdout; ALARM lines on stderr. With --quiet
nothing is printed when the run succeeds (cron mails only failures) and the summary plus
the errors when it fails.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from dataclasses import dataclass

from archive.db import resolve_url
from archive.errors import BadInput, RunFailed
from archive.lock import crawl_lock
from archive.runs import mark_interrupted
from crawler import gctune
from crawler.items import CrawlState
from crawler.records import utcnow
from crawler.parsing.urls import http_url
from crawler.settings import build_settings
from crawler.sites import DEFAULT_SITE, SiteProfile, UnknownSite, get_profile

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
SUMMARY_MESSAGES = 10  # message lines shown under the summary; `runs --format json` has them all


@dataclass
class CrawlOptions:
    """The crawl command's options, as the CLI passes them."""

    db: str | None = None
    site: str = DEFAULT_SITE
    start_url: str | None = None  # None: the site profile's start URL
    delay: float | None = None
    recheck: str = "recent"
    max_articles: int | None = None
    quiet: bool = False
    log_file: str | None = None
    drift_threshold: float = 0.2


def validate_start_url(url: str) -> str:
    """The start URL, or BadInput unless it is an absolute http(s) URL."""
    try:
        return http_url(url)
    except ValueError as exc:
        raise BadInput(f"--start-url {exc}") from None


def site_profile(name: str | None) -> SiteProfile:
    """The site profile of that name, or BadInput (one line naming the profiles there are)."""
    try:
        return get_profile(name)
    except UnknownSite as exc:
        raise BadInput(f"--site: {exc}") from None


class BufferHandler(logging.Handler):
    """Keeps the last log records for --quiet: shown only if the run fails."""

    def __init__(self, size: int = 50):
        super().__init__(logging.WARNING)
        self.lines: deque[str] = deque(maxlen=size)

    def emit(self, record: logging.LogRecord) -> None:
        """Remember one formatted record."""
        self.lines.append(self.format(record).splitlines()[0])


def quiet_robots(record: logging.LogRecord) -> bool:
    """Off the terminal: robots.txt download errors (the start listing's failure says it in one line)."""
    return not record.name.startswith("scrapy.downloadermiddlewares.robotstxt")


def log_handler(options: CrawlOptions) -> logging.Handler:
    """Where Scrapy's log goes: INFO to --log-file, else WARNING+ to stderr (a buffer under --quiet)."""
    if options.log_file:
        try:
            handler: logging.Handler = logging.FileHandler(options.log_file, encoding="utf-8")
        except OSError as exc:
            raise BadInput(f"cannot write the log file {options.log_file}: {exc.strerror}") from None
        handler.setLevel(logging.INFO)
        return handler
    handler = BufferHandler() if options.quiet else logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.addFilter(quiet_robots)
    return handler


def setup_logging(options: CrawlOptions) -> BufferHandler | None:
    """Install the log handler; returns the --quiet buffer, if that is where the log goes."""
    handler = log_handler(options)
    # On a terminal a log line first erases the progress line it would otherwise run into.
    on_tty = not options.log_file and not options.quiet and sys.stdout.isatty()
    handler.setFormatter(logging.Formatter(("\r\x1b[K" if on_tty else "") + LOG_FORMAT))
    logging.root.addHandler(handler)
    logging.root.setLevel(handler.level)
    return handler if isinstance(handler, BufferHandler) else None


def open_store(db: str | None):
    """Store.open, with a database error reported as bad input (one line)."""
    from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415

    from archive.store import Store  # noqa: PLC0415

    try:
        return Store.open(db)  # an archive that cannot be opened is already BadInput
    except SQLAlchemyError as exc:
        raise BadInput(f"cannot open the archive: {str(exc).splitlines()[0]}") from None


def build_plan(store, options: CrawlOptions):
    """What the archive knows: known articles, those due for a recheck, earlier failures."""
    from crawler.spiders.press import CrawlPlan  # noqa: PLC0415

    return CrawlPlan(recheck=options.recheck, known=store.known_articles(),
                     due=set(store.due_for_recheck(options.recheck, utcnow())),
                     pending=list(store.pending_failures()), max_articles=options.max_articles)


def run_spider(options: CrawlOptions, start_url: str, plan, state: CrawlState,
               profile: SiteProfile | None = None) -> str | None:
    """Run Scrapy to the end; returns the spider's close reason (None if it never ran)."""
    from scrapy.crawler import AsyncCrawlerProcess  # noqa: PLC0415

    from crawler.spiders.press import PressSpider  # noqa: PLC0415

    profile = profile or site_profile(options.site)
    delay = profile.delay if options.delay is None else options.delay
    settings = build_settings(delay, options.log_file)
    if delay:
        settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = profile.concurrency
    if not options.quiet and sys.stdout.isatty():
        settings["EXTENSIONS"] = {**settings["EXTENSIONS"], "crawler.progress.ProgressLine": 500}
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(PressSpider)
    process.crawl(crawler, start_url=start_url, plan=plan, state=state, db=resolve_url(options.db), profile=profile)
    with gctune.tuned():
        process.start()
    return crawler.stats.get_value("finish_reason") if crawler.stats else None


def judge(state: CrawlState, threshold: float, reason: str | None, site: str = DEFAULT_SITE) -> int:
    """The exit code by the rule in this module's docstring; reasons go into the run's messages."""
    counts = state.counts
    if state.releases_ok and counts.fallback_pages / state.releases_ok > threshold:
        state.alarm(f"the {site} profile's templates missed on {counts.fallback_pages} of {state.releases_ok} "
                    f"release pages (> {threshold:.0%}): the site's markup has probably changed")
    if state.start_failed:
        state.message(state.start_failed)
    elif state.releases_scheduled and not state.releases_answered:
        state.message(f"none of {state.releases_scheduled} releases could be fetched and parsed")
    if reason != "finished":
        state.message(f"the crawl stopped early ({reason or 'did not start; see the log'})")
    failed = (state.start_failed or state.alarms or reason != "finished"
              or (state.releases_scheduled and not state.releases_answered))
    return 1 if failed else 0


def summary(start_url: str, state: CrawlState, code: int, seconds: float, site: str = DEFAULT_SITE) -> str:
    """The one-screen summary printed at the end."""
    c = state.counts
    rows = [("pages fetched", c.pages_fetched), ("not modified (304)", c.not_modified),
            ("new articles", c.new_articles), ("new versions", c.new_versions),
            ("withdrawn", c.withdrawn), ("errors", c.errors), ("fallback pages", c.fallback_pages),
            ("duration", f"{seconds:.1f} s"), ("exit code", code)]
    lines = [f"crawl of {start_url} (site {site}, run {state.run_id}): {'ok' if code == 0 else 'FAILED'}"]
    lines += [f"  {label:<20}{value:>10}" for label, value in rows]
    shown = c.messages[:SUMMARY_MESSAGES]
    lines += [f"  ! {m}" for m in shown]
    if len(c.messages) > len(shown) or c.errors > len(c.messages):
        lines.append("  ! ... more in `pressarchive runs --format json`")
    return "\n".join(lines)


def report(options: CrawlOptions, start_url: str, state: CrawlState, code: int, seconds: float,
           buffered: BufferHandler | None) -> None:
    """ALARM lines on stderr, the summary on stdout (under --quiet only when the run failed)."""
    if state.start_failed and not state.alarms:
        raise RunFailed(state.start_failed)  # the site is unreachable: one line, exit 1
    for line in state.alarms:
        print(line, file=sys.stderr)
    if options.quiet and code == 0:
        return
    print(summary(start_url, state, code, seconds, options.site), flush=True)
    for line in buffered.lines if buffered else ():
        print(line, file=sys.stderr)


def crawl_locked(options: CrawlOptions, start_url: str, buffered: BufferHandler | None,
                 profile: SiteProfile | None = None) -> int:
    """The crawl proper, with the archive's lock held."""
    profile = profile or site_profile(options.site)
    store = open_store(options.db)
    stale = mark_interrupted(store.sessions)
    state = CrawlState(run_id=store.start_run(start_url, options.recheck, os.getpid(), site=profile.name))
    if stale:
        state.message(f"{stale} earlier run(s) had been killed; marked interrupted")
    started = time.monotonic()
    code = 1
    try:
        plan = build_plan(store, options)
        reason = run_spider(options, start_url, plan, state, profile)
        code = judge(state, options.drift_threshold, reason, profile.name)
    finally:
        store.finish_run(state.run_id, state.counts, code)
    report(options, start_url, state, code, time.monotonic() - started, buffered)
    return code


def run_crawl(options: CrawlOptions) -> int:
    """Crawl once; returns the exit code (raises BadInput, LockHeld, RunFailed for one-line failures)."""
    profile = site_profile(options.site)
    start_url = validate_start_url(options.start_url or profile.start_url)
    buffered = setup_logging(options)
    with crawl_lock(options.db):
        return crawl_locked(options, start_url, buffered, profile)
