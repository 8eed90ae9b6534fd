"""What the crawler and the archive hand each other: fetches, known articles, run tallies, UTC times.

Neutral ground: no Scrapy and no database in here, so the crawler need not import archive.store
and the archive's store need not import the spider.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

LOW_CONFIDENCE = 0.5  # a record below it: its paragraphs are probably not the page's text (issue 10)


def utcnow() -> datetime:
    """Now as naive UTC, the archive's storage convention for DateTime columns."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(moment: datetime) -> datetime:
    """A datetime as naive UTC (an aware one converted; a naive one is taken to be UTC already)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def flat_headers(headers) -> dict[str, str]:
    """HTTP headers as str -> str: bytes decoded as Latin-1, repeated values joined by ', '."""
    return {_text(key): _text(value) for key, value in (headers or {}).items()}


def validator_headers(stored) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from what an earlier answer said (anything with etag, last_modified)."""
    headers = {}
    if stored and stored.etag:
        headers["If-None-Match"] = stored.etag
    if stored and stored.last_modified:
        headers["If-Modified-Since"] = stored.last_modified
    return headers


def _text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def header(headers: dict, name: str) -> str | None:
    """A header's value by case-insensitive name (None if absent)."""
    name = name.lower()
    return next((value for key, value in flat_headers(headers).items() if key.lower() == name), None)


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
    last_checked: datetime | None = None  # naive UTC; a sitemap's lastmod is compared with it


@dataclass
class SourceDoc:
    """A sitemap or feed as fetched: validators for the next conditional request, the body for a 304."""

    url: str
    kind: str  # sitemap | feed
    etag: str | None
    last_modified: str | None
    body: bytes  # as received (uncompressed)
    fetched_at: datetime = field(default_factory=utcnow)


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
    low_confidence: int = 0  # release pages extracted below LOW_CONFIDENCE
    messages: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)  # releases per discovery source (crawler.discovery)


COUNT_FIELDS = tuple(f.name for f in fields(RunCounts) if f.name not in ("messages", "sources"))
