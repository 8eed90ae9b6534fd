"""When a release that failed is tried again: a backoff across runs, a cap, and when to say so.

A release that could not be fetched or stored (FailedFetch.attempts: the runs in a row it failed
on) is retried on the next run, then after skipping 1, 3 and 7 runs; after MAX_ATTEMPTS failed
runs it is given up, and only `--recheck all` tries it again. While it waits it is not fetched
even when a page links it, so a listing full of dead links costs their fetches once in a while,
not on every run, and never before the releases that did not fail. A release that failed on
REPORT_AFTER or more runs in a row is named in the summary, and that run exits 1.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

MAX_ATTEMPTS = 5  # failed runs in a row after which a release is given up (until --recheck all)
REPORT_AFTER = 3  # failed runs in a row that name the release in the summary and fail the run


@dataclass(frozen=True)
class Failure:
    """A release whose last fetch failed, as FailedFetch records it."""

    canonical_url: str
    url: str
    attempts: int  # runs in a row it failed on
    last_run_id: int | None


def runs_to_skip(attempts: int) -> int:
    """Runs that pass before the next try: 0 after one failed run, then 1, 3, 7."""
    return 2 ** (attempts - 1) - 1 if attempts > 0 else 0


def is_due(failure: Failure, run_ids: list[int], current: int | None, recheck: str) -> bool:
    """Whether this run tries the release again (run_ids: every recorded run's id, sorted)."""
    if recheck == "all":
        return True
    if failure.attempts >= MAX_ATTEMPTS:
        return False
    if failure.last_run_id is None or current is None:
        return True
    between = bisect_left(run_ids, current) - bisect_right(run_ids, failure.last_run_id)
    return between >= runs_to_skip(failure.attempts)


def repeated_failure(url: str, attempts: int, error: str) -> str | None:
    """The summary line naming a release that failed on several runs in a row, else None."""
    if attempts < REPORT_AFTER:
        return None
    given_up = ""
    if attempts >= MAX_ATTEMPTS:
        given_up = f"; given up after {MAX_ATTEMPTS} (only --recheck all tries it again)"
    return f"failed on {attempts} runs in a row: {url} ({error}){given_up}"
