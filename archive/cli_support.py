"""The `pressarchive` command's machinery: its click group (one line per failure, never a traceback),
its shared options and their checks. archive.cli holds the commands themselves."""
from __future__ import annotations

import math
import os
import sys
import traceback
from datetime import date
from urllib.parse import urlsplit

import click

from .errors import expected_error

EXPORT_TABLES = ["articles", "versions", "quotes", "images", "mentions"]
# A count the archive's SQLite can bind (its INTEGER is 64 bits): a bigger --limit is a usage error.
COUNT = click.IntRange(min=1, max=2**63 - 1)
# A file the command writes: click's default check that it can be *read* would refuse a write-only
# file or another user's /dev/stdout pipe.
OUTPUT = click.Path(dir_okay=False, readable=False)


class Seconds(click.FloatRange):
    """A finite, non-negative number of seconds: `inf` would hang the crawl, `nan` compares false."""

    name = "seconds"

    def __init__(self, max: float = 3600.0) -> None:
        super().__init__(min=0, max=max)

    def convert(self, value, param, ctx):
        """The value as a float, refusing inf and nan (and anything over the maximum) in one line."""
        seconds = super().convert(value, param, ctx)
        if math.isnan(seconds):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return seconds


class Group(click.Group):
    """A click group whose expected failures are one line on stderr, never a traceback."""

    def main(self, args=None, prog_name=None, **extra):  # noqa: D401 - click's signature
        """Run the command line and exit with the contract's code (and 130 for Ctrl-C)."""
        args, debug = _hoist_debug(sys.argv[1:] if args is None else list(args))
        undecodable = _undecodable(args)
        if undecodable:
            _fail(f"{undecodable} is not valid UTF-8", 2)
        try:
            rv = super().main(args=args, prog_name=prog_name or "pressarchive", standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.Abort as exc:  # click turns Ctrl-C into Abort outside standalone mode
            interrupted = isinstance(exc.__cause__, KeyboardInterrupt)
            _fail("interrupted" if interrupted else "aborted", 130 if interrupted else 1)
        except click.UsageError as exc:
            _fail(_usage_line(exc), 2)
        except BrokenPipeError:
            _drop_stdout()
            sys.exit(1)  # the reader left (| head): nobody to tell
        except Exception as exc:  # noqa: BLE001 - expected failures in one line, bugs with their traceback
            _fail_or_raise(exc, debug)
        sys.exit(rv if isinstance(rv, int) else 0)


def _undecodable(args: list[str]) -> str | None:
    """Name the first argument (or the $PRESSARCHIVE_DB it falls back on) that is not UTF-8, if any."""
    candidates = [("argument", a) for a in args]
    if not any(a == "--db" or a.startswith("--db=") for a in args):
        candidates.append(("$PRESSARCHIVE_DB", os.environ.get("PRESSARCHIVE_DB", "")))
    for name, value in candidates:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # Python decoded the bytes with surrogateescape: show them as bytes
            return f"{name} '{os.fsencode(value).decode('utf-8', 'backslashreplace')}'"
    return None


def _hoist_debug(args: list[str]) -> tuple[list[str], bool]:
    """Move --debug, wherever it stands before a lone "--", to the front where the group reads it."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[:end]:
        return args, False
    return ["--debug"] + [a for a in args[:end] if a != "--debug"] + args[end:], True


def _usage_line(exc: click.UsageError) -> str:
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        return "no command given (pressarchive --help lists them)"  # not the help's first line
    return exc.format_message()


def _fail_or_raise(exc: Exception, debug: bool) -> None:
    """Exit with one line for an expected failure (and its traceback under --debug); raise a bug as it is."""
    error = expected_error(exc)
    if error is None:
        raise exc
    if debug:
        traceback.print_exception(exc)
    _fail(str(error), error.exit_code)


def _fail(message: str, code: int) -> None:
    _drop_stdout()
    first = (message.strip().splitlines() or ["error"])[0]
    click.echo(f"pressarchive: {first}", err=True)
    sys.exit(code)


def _drop_stdout() -> None:
    """Point stdout at /dev/null if it cannot take what is buffered, so exiting does not fail on it again."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass  # not a real file (a test runner's buffer): nothing flushes it at exit


def db_option(f):
    """--db: the archive's path or URL."""
    return click.option(
        "--db", "db", default=None, metavar="DB",
        help="Archive path or SQLAlchemy URL (default: $PRESSARCHIVE_DB, else ./pressarchive.sqlite).",
    )(f)


def _parse_date(_ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param=param) from None


def date_range(f):
    """--since and --until, both on the release's published date."""
    for name, help in (("--until", "Only releases published on or before DATE."),
                       ("--since", "Only releases published on or after DATE.")):
        f = click.option(name, default=None, metavar="DATE", callback=_parse_date, help=help)(f)
    return f


def parse_start_url(_ctx, param, value: str | None) -> str | None:
    """An absolute http(s) URL, or None for the site profile's own start URL."""
    from crawler.parsing.urls import http_url  # noqa: PLC0415

    try:
        return None if value is None else http_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def parse_contact(_ctx, param, value: str | None) -> str | None:
    """The operator's URL or e-mail address for the User-Agent (none given: the project's name alone)."""
    from crawler.settings import check_contact  # noqa: PLC0415

    try:
        return check_contact(value.strip()) if value and value.strip() else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def _site(_ctx, param, value: str):
    """The site profile of that name (click reports an unknown one in one line, exit 2)."""
    from crawler.sites import UnknownSite, get_profile  # noqa: PLC0415

    try:
        return get_profile(value)
    except UnknownSite as exc:
        raise click.BadParameter(str(exc), param=param) from None


def site_option(f):
    """--site: a site profile by name, checked against the registry."""
    from crawler.sites import DEFAULT_SITE  # noqa: PLC0415 - the registry itself loads only when used

    return click.option("--site", "site", default=DEFAULT_SITE, show_default=True, callback=_site,
                        help="The site profile (pressarchive sites lists them).")(f)


def check_url(_ctx, param, value: str | None) -> str | None:
    """The value, unless it is a URL whose port or host cannot be read (":abc", an unclosed "[")."""
    try:
        urlsplit(value or "").port
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a URL ({exc})", param=param) from None
    return value
