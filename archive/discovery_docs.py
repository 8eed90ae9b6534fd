"""What discovery keeps between runs: sitemaps and feeds (for conditional requests) and per-source counts."""
from __future__ import annotations

import zlib
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.records import SourceDoc

from .models import CrawlRun, DiscoveryDoc

BASELINE_RUNS = 5  # earlier runs whose listing counts make the yardstick


def load_docs(sessions: sessionmaker[Session]) -> dict[str, SourceDoc]:
    """Every stored sitemap and feed by URL, bodies decompressed."""
    with sessions() as s:
        return {d.url: SourceDoc(d.url, d.kind, d.etag, d.last_modified, zlib.decompress(d.body), d.fetched_at)
                for d in s.scalars(select(DiscoveryDoc))}


def save_docs(sessions: sessionmaker[Session], docs: Iterable[SourceDoc]) -> None:
    """Store (or replace) sitemaps and feeds as fetched, in one transaction."""
    with sessions.begin() as s:
        for doc in docs:
            row = s.scalar(select(DiscoveryDoc).where(DiscoveryDoc.url == doc.url)) or DiscoveryDoc(url=doc.url)
            row.kind, row.etag, row.last_modified, row.fetched_at = doc.kind, doc.etag, doc.last_modified, doc.fetched_at
            row.body = zlib.compress(doc.body, 6)
            s.add(row)


def listed_before(sessions: sessionmaker[Session], site: str | None) -> int | None:
    """The most releases the listing (pages and "load more") yielded on the site's last finished runs."""
    query = (select(CrawlRun.sources).where(CrawlRun.sources.is_not(None), CrawlRun.finished_at.is_not(None),
                                            CrawlRun.site == site)
             .order_by(CrawlRun.id.desc()).limit(BASELINE_RUNS))
    with sessions() as s:
        counts = [c.get("listing", 0) + c.get("load_more", 0) for c in s.scalars(query) if isinstance(c, dict)]
    return max(counts, default=0) or None
