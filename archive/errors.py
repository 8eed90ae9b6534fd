"""Expected failures, each with the exit code the CLI contract gives it."""


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
