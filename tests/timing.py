"""Timing for the speed tests: CPU time of the best of a few runs."""
from __future__ import annotations

import time


def best_of(fn, runs: int = 3) -> float:
    """CPU seconds of the fastest of a few runs (CPU time: other jobs on the machine do not count)."""
    best = float("inf")
    for _ in range(runs):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
        if best < 0.5:
            break
    return best
