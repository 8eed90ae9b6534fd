"""`pressarchive crawl`: lock the archive, run the spider, judge the run, print the summary.

Exit codes (the operations rule, see scripts/cron/README section in the project README):
  0  the listing was walked and every release was archived, or failed only individually
     (those are listed in the summary and in `pressarchive runs`, kept in FailedFetch and
     retried on later runs with a backoff, after the releases that never failed: crawler.retries);
  1  the run failed: the start listing could not be fetched (site unreachable), no release
     could be fetched and parsed, a listing page yielded no release links, the site profile's
     templates missed on more than --drift-threshold of the release pages (ALARM), the listing
     yielded under half the releases it did on recent runs and no sitemap or feed held the rest
     (ALARM; crawler.discovery.SourceTally.alarm), the archive could not be written (disk full,
     read-only, database server gone, the writer process died: the crawl stops fetching at once
     and the summary's first line names the cause), a release failed on its 3rd (or later) run in
     a row (named in the summary), or the crawl was stopped (SIGTERM, Ctrl-C: the run is recorded
     'interrupted');
  2  bad input (an unknown site, a start URL that is not http(s), a log file or archive that
     cannot be opened);
  75 another crawl holds the archive's lock.
Output: progress on a terminal; the summary on stdout; ALARM lines on stderr. With --quiet
nothing is printed when the run succeeds without an error or a flag (cron mails only what needs
an eye), and the summary plus the errors otherwise.
"""
from __future__ import annotations

import logging
import sys
import time
from collections import deque
from dataclasses import dataclass

from archive.errors import BadInput, RunFailed
from archive.lock import crawl_lock
from crawler import gctune
from crawler.items import CrawlState
from crawler.parsing.urls import http_url
from crawler.session import DRIFT_THRESHOLD, judge  # noqa: F401 - judge: where the exit rule used to live
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
    drift_threshold: float = DRIFT_THRESHOLD
    contact: str | None = None  # for the User-Agent (crawler.settings.user_agent)


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
    """Off the terminal: robots.txt download errors (the start listing's failure says it in one line),
    and the archive session's lines (the lock, the alarms, the verdict: the runner prints its own)."""
    return not record.name.startswith(("scrapy.downloadermiddlewares.robotstxt", "crawler.session"))


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


def run_spider(options: CrawlOptions, start_url: str, profile: SiteProfile):
    """Run the site's spider to the end, as `scrapy crawl` would; returns it (None if it never ran)."""
    from scrapy.crawler import AsyncCrawlerProcess  # noqa: PLC0415

    from crawler.spiders.sites import spider_class  # noqa: PLC0415

    settings = build_settings(options.delay, options.log_file, options.db, options.contact)
    if not options.quiet and sys.stdout.isatty():
        extensions = {**settings.getdict("EXTENSIONS"), "crawler.progress.ProgressLine": 500}
        settings.set("EXTENSIONS", extensions, priority="cmdline")
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(spider_class(profile.name))
    process.crawl(crawler, start_url=start_url, recheck=options.recheck, max_articles=options.max_articles,
                  drift_threshold=options.drift_threshold)
    with gctune.tuned():
        process.start()
    return crawler.spider


def summary(start_url: str, state: CrawlState, code: int, seconds: float, site: str = DEFAULT_SITE) -> str:
    """The one-screen summary printed at the end."""
    c = state.counts
    rows = [("pages fetched", c.pages_fetched), ("not modified (304)", c.not_modified),
            ("new articles", c.new_articles), ("new versions", c.new_versions),
            ("withdrawn", c.withdrawn), ("errors", c.errors), ("fallback pages", c.fallback_pages),
            ("low confidence", c.low_confidence),
            ("duration", f"{seconds:.1f} s"), ("exit code", code)]
    lines = [f"crawl of {start_url} (site {site}, run {state.run_id}): {verdict(state, code)}"]
    lines += [f"  {label:<20}{value:>10}" for label, value in rows]
    if line := sources_line(c.sources):
        lines.append(line)
    if state.unrecorded:
        lines.append(f"  ! the run's end could not be recorded in the archive: {state.unrecorded}")
    shown = c.messages[:SUMMARY_MESSAGES]
    lines += [f"  ! {m}" for m in shown]
    if len(c.messages) > len(shown) or c.errors > len(c.messages):
        lines.append("  ! ... more in `pressarchive runs --format json`")
    return "\n".join(lines)


def sources_line(sources: dict[str, int]) -> str | None:
    """Releases per discovery source and how many only one source knew, in one summary line."""
    named = [f"{name.replace('_', ' ')} {n}" for name, n in sources.items() if name not in ("total", "only_one_source")]
    if not named:
        return None
    return (f"  {'releases by source':<20}{', '.join(named)} "
            f"({sources.get('total', 0)} in all, {sources.get('only_one_source', 0)} known to one source only)")


def verdict(state: CrawlState, code: int) -> str:
    """The summary's headline word, with the cause when the archive failed or the crawl was stopped."""
    if code == 0:
        return "ok"
    if state.archive_failed:
        return f"FAILED: {state.archive_failed}"
    return f"INTERRUPTED ({state.stopped})" if state.stopped else "FAILED"


def report(options: CrawlOptions, start_url: str, state: CrawlState, code: int, seconds: float,
           buffered: BufferHandler | None) -> None:
    """ALARM lines on stderr, the summary on stdout (under --quiet only when the run failed)."""
    if state.start_failed and not state.alarms:
        raise RunFailed(state.start_failed)  # the site is unreachable: one line, exit 1
    for line in state.alarms:
        print(line, file=sys.stderr)
    if options.quiet and code == 0 and not state.counts.errors and not state.warnings:
        return  # silence for cron; errors and flags (a cut page, a capped listing, a doubtful page) are mailed
    print(summary(start_url, state, code, seconds, options.site), flush=True)
    for line in buffered.lines if buffered else ():
        print(line, file=sys.stderr)


def close_forced(spider) -> None:
    """A second Ctrl-C (or SIGTERM) stopped Scrapy before the spider closed: record the run here.

    The writer finishes what it was handed first; the run's stored counts come from the archive."""
    state = spider.state
    state.stopped = "stopped twice: forced, without waiting for answers in flight"
    if spider.writer is not None:
        spider.writer.shutdown(wait=True)
    spider.session.reconcile(state)
    spider.exit_code = judge(state, spider.drift_threshold, "shutdown", spider.profile.name)
    spider.session.close(state, spider.exit_code)


def run_crawl(options: CrawlOptions) -> int:
    """Crawl once; returns the exit code (raises BadInput, LockHeld, RunFailed for one-line failures).

    The spider takes the archive's lock and records the run itself (crawler.session), exactly as
    under `scrapy crawl`; a lock held elsewhere comes back here as LockHeld (exit 75)."""
    profile = site_profile(options.site)
    start_url = validate_start_url(options.start_url or profile.start_url)
    # Refused at once if held, before Scrapy starts (~1 s); on PostgreSQL the lock is the site's.
    crawl_lock(options.db, options.site).acquire().release()
    buffered = setup_logging(options)
    started = time.monotonic()
    spider = run_spider(options, start_url, profile)
    if spider is not None and spider.fatal is not None:
        raise spider.fatal
    if spider is not None and spider.exit_code is None and spider.session is not None:
        close_forced(spider)
    if spider is None or spider.exit_code is None:
        raise RunFailed("the crawl did not start; see the log (--log-file)")
    report(options, start_url, spider.state, spider.exit_code, time.monotonic() - started, buffered)
    return spider.exit_code
