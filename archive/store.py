"""The versioned store: every fetch becomes a new Version only when the content really changed.

INTERFACE STUB — the archive engineer replaces the bodies; signatures are what the crawler relies on.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from .db import open_archive


@dataclass
class Fetch:
    """One HTTP answer for a press release, as the crawler got it."""

    url: str  # the address as fetched
    canonical_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime


@dataclass
class KnownArticle:
    """What the crawler needs to re-fetch an archived article conditionally."""

    canonical_url: str
    url: str
    etag: str | None
    last_modified: str | None


@dataclass
class RunCounts:
    """The tallies of one crawl run."""

    pages_fetched: int = 0
    not_modified: int = 0
    new_articles: int = 0
    new_versions: int = 0
    withdrawn: int = 0
    errors: int = 0
    fallback_pages: int = 0
    messages: list[str] = field(default_factory=list)


class Store:
    """The archive as the crawler and the CLI use it."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    @classmethod
    def open(cls, db: str | None) -> "Store":
        """Open the archive at a path or SQLAlchemy URL, creating or upgrading its schema."""
        return cls(open_archive(db))

    # --- runs -------------------------------------------------------------------------------
    def start_run(self, start_url: str, recheck: str, pid: int) -> int:
        """Record the start of a crawl; returns the run id."""
        raise NotImplementedError

    def finish_run(self, run_id: int, counts: RunCounts, exit_code: int) -> None:
        """Record the end of a crawl with its tallies and exit code."""
        raise NotImplementedError

    # --- what to fetch ----------------------------------------------------------------------
    def known_articles(self) -> dict[str, KnownArticle]:
        """Every archived article by canonical URL (withdrawn ones included)."""
        raise NotImplementedError

    def due_for_recheck(self, policy: str, now: datetime) -> set[str]:
        """Canonical URLs to fetch again: policy new -> none, recent -> published <30 days or unchecked 7 days, all."""
        raise NotImplementedError

    def pending_failures(self) -> list[tuple[str, str]]:
        """(canonical_url, url) of releases whose last fetch failed; the next run retries them."""
        raise NotImplementedError

    # --- what was fetched (each call is one transaction) -----------------------------------
    def save_fetch(self, fetch: Fetch, record: dict, run_id: int | None) -> str:
        """Store a 200 answer and its parse record; returns 'new', 'edited' or 'unchanged'."""
        raise NotImplementedError

    def save_not_modified(self, canonical_url: str, fetched_at: datetime, run_id: int | None) -> None:
        """A 304: the article was seen again, nothing new is stored."""
        raise NotImplementedError

    def save_gone(self, fetch: Fetch, run_id: int | None) -> bool:
        """A 404/410 for a known article: add a 'withdrawn' version once; True if one was added."""
        raise NotImplementedError

    def save_failure(self, canonical_url: str, url: str, error: str, run_id: int | None) -> None:
        """A release that could not be fetched or parsed this run; it is retried next run."""
        raise NotImplementedError

    # --- reading and maintenance ------------------------------------------------------------
    def reparse(self, parse: Callable[[bytes, str, dict], dict], parser_version: str) -> int:
        """Re-extract every version from its raw page in place; returns how many changed."""
        raise NotImplementedError
