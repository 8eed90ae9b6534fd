"""What the spider hands the pipeline, and the tallies the whole crawl shares."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from crawler.records import RunCounts, utcnow

# What a release fetch came to; the pipeline calls the matching Store method.
FETCHED, NOT_MODIFIED, GONE, FAILED = "fetched", "not_modified", "gone", "failed"
MAX_MESSAGES = 200  # run messages kept; the count of errors stays exact


@dataclass
class ReleaseItem:
    """One press-release answer (or failure) for the archive pipeline."""

    outcome: str  # FETCHED | NOT_MODIFIED | GONE | FAILED
    canonical_url: str
    url: str
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    record: dict | None = None
    error: str | None = None
    fetched_at: datetime = field(default_factory=utcnow)


@dataclass
class CrawlState:
    """Tallies and flags shared by the spider, the pipeline, the progress line and the runner."""

    run_id: int | None = None
    counts: RunCounts = field(default_factory=RunCounts)
    releases_ok: int = 0  # release pages answered 200 and parsed (the drift alarm's denominator)
    drifted: int = 0  # of those, pages the templates missed or extracted below LOW_CONFIDENCE (its numerator)
    releases_answered: int = 0  # release fetches that got a usable answer: 200 parsed, 304, 404/410
    releases_scheduled: int = 0
    retries_scheduled: int = 0  # of those, releases that had failed on earlier runs
    listing_pages: int = 0
    start_failed: str | None = None  # why the first listing page could not be fetched
    archive_failed: str | None = None  # why the archive could not be written (the crawl stopped at once)
    unstored: int = 0  # releases fetched but not stored because the archive failed (counted in errors)
    unstored_releases: list[tuple[str, str]] = field(default_factory=list)  # their (canonical, url), bounded
    stopped: str | None = None  # how the crawl was stopped before its end (SIGTERM, Ctrl-C), if it was
    unrecorded: str | None = None  # why the run's end could not be recorded in the archive
    alarms: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # flags that make --quiet speak (bounded)
    listing_capped: bool = False
    repeated: list[str] = field(default_factory=list)  # releases that failed on several runs in a row

    def message(self, text: str) -> None:
        """Record one line for the run's messages (bounded)."""
        if len(self.counts.messages) < MAX_MESSAGES:
            self.counts.messages.append(text)

    def error(self, text: str) -> None:
        """Count an error and record its line."""
        self.counts.errors += 1
        self.message(text)

    def warn(self, text: str) -> None:
        """A flag worth a human's eye (a cut page, a capped listing): recorded, and --quiet prints it."""
        if len(self.warnings) < MAX_MESSAGES:
            self.warnings.append(text)
        self.message(text)

    def alarm(self, text: str) -> None:
        """An ALARM: the run fails and says why, loudly."""
        line = f"ALARM: {text}"
        if line not in self.alarms:
            self.alarms.append(line)
            self.message(line)
