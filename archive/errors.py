"""Expected failures, each with the exit code the CLI contract gives it."""
from __future__ import annotations

import sys


class PressarchiveError(Exception):
    """An expected failure: reported in one line, never as a traceback."""

    exit_code = 1


class BadInput(PressarchiveError):
    """Bad user input (a malformed query, an unknown article, a file that is not HTML): exit 2."""

    exit_code = 2


class RunFailed(PressarchiveError):
    """A run that failed (site unreachable, nothing parseable): exit 1."""

    exit_code = 1


class LockHeld(PressarchiveError):
    """Another crawl holds the archive's lock: exit 75."""

    exit_code = 75


def expected_error(exc: BaseException) -> PressarchiveError | None:
    """The one-line error an exception stands for, or None for a bug (which keeps its traceback).

    Besides PressarchiveError: an OSError that reached the top (stdout on a full disk) and a
    database error in the middle of a command (a damaged archive, a lock that never came free).
    """
    if isinstance(exc, PressarchiveError):
        return exc
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        # Without a file name it was stdout: files are opened with theirs, and wrapped in BadInput.
        return RunFailed(f"{exc.filename}: {reason}" if exc.filename else f"cannot write the output: {reason}")
    database = sys.modules.get("sqlalchemy.exc")  # loaded by any command that opened an archive
    if database is not None and isinstance(exc, database.DBAPIError):
        detail = first_line(exc)
        damaged = "malformed" in detail or "not a database" in detail
        return BadInput(f"the archive is damaged: {detail}") if damaged else RunFailed(f"archive error: {detail}")
    return None


def first_line(exc: BaseException) -> str:
    """The first line of why an exception happened (a database driver's own message when it wraps one)."""
    reason = str(getattr(exc, "orig", None) or exc).strip()
    return reason.splitlines()[0] if reason else type(exc).__name__
