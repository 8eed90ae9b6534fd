"""A hang guard for adversarial input: a child process that is killed past a generous time and memory limit.

This is no speed bound (scripts/bench_limits.py measures speed on a quiet machine): a backtracking
blow-up takes minutes or hours, so the limit only stops the suite from hanging and names the input.
"""
from __future__ import annotations

import resource
import subprocess
import sys

HANG_LIMIT = 20  # seconds for one call or one hostile page (tests/test_hostile.py)
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space


def limit_memory():
    """Cap the address space (a preexec_fn: it runs in the child before exec)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def call_in_child(module: str, call: str, paragraph: str) -> int:
    """Run `call` (an expression over `paragraphs`) from `module` in a child; the length of its result."""
    code = (f"import sys; from datetime import date; from {module} import *; "
            f"paragraphs = [sys.stdin.read()]; print(len({call}))")
    proc = subprocess.run([sys.executable, "-c", code], input=paragraph, capture_output=True, text=True,
                          timeout=HANG_LIMIT, preexec_fn=limit_memory, check=True)
    return int(proc.stdout)
