"""Bounds on one search: how big a query may be and how long it may run.

Without them 3,000 × `Stadt*` took a minute and 2,000 × `S* OR` ran past two minutes: every
prefix expands to all the index's terms that start with it, and every word is one more pass.
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager

from .errors import BadInput

MAX_QUERY_CHARS = 1_000
MAX_WORDS = 50  # words and phrases together: no archivist's query is longer
MAX_PREFIXES = 10  # each one reads every term that starts with it
SEARCH_SECONDS = 10.0
_CHECK_EVERY = 10_000  # SQLite VM steps between two looks at the clock (cheap: microseconds)


def check_size(text: str, words: int, prefixes: int) -> None:
    """BadInput (one line) for a query too long or with too many words or prefixes to run promptly."""
    if len(text) > MAX_QUERY_CHARS:
        raise BadInput(f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are searched")
    if words > MAX_WORDS:
        raise BadInput(f"the query has {words} words and phrases; at most {MAX_WORDS} are searched")
    if prefixes > MAX_PREFIXES:
        raise BadInput(f"the query has {prefixes} words ending in '*'; at most {MAX_PREFIXES} are searched")


@contextmanager
def time_bound(db: sqlite3.Connection, seconds: float | None = None):
    """Interrupt the connection's statements after seconds; their error becomes one BadInput line."""
    limit = SEARCH_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + limit
    fired = []

    def over_time() -> bool:
        if time.monotonic() > deadline:
            fired.append(True)
            return True
        return False

    db.set_progress_handler(over_time, _CHECK_EVERY)
    try:
        yield
    except Exception:  # whatever an interrupted statement became: "interrupted", a failed FTS5
        if not fired:  # constructor, the caller's BadInput wrapping either
            raise
        raise BadInput(f"the search ran over {limit:g} s: narrow the query (fewer words, longer prefixes)") from None
    finally:
        db.set_progress_handler(None, 0)
