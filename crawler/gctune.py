"""Garbage-collector tuning for the crawl's two busy processes (the crawl and its writer)."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 10_000  # allocations between young collections (Python's default: 700)


def tune() -> tuple[int, int, int]:
    """Freeze what startup allocated and collect the young generation less often; returns the old thresholds."""
    # Startup leaves ~0.5 M long-lived objects (Scrapy, SQLAlchemy, lxml) that every full collection
    # rescanned, and parsing allocates so fast that collections ran every few pages: together
    # ~0.4 s of CPU in a 1,000-page crawl. Short-lived parse objects are freed by reference counts.
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *old[1:])
    return old


@contextmanager
def tuned() -> Iterator[None]:
    """tune() for the duration of a block; afterwards the collector is as it was (tests crawl in-process)."""
    old = tune()
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()
