"""The `pressarchive` command. The one place where the crawler and the archive meet."""
from __future__ import annotations

import math
import os
import sys
import traceback
from datetime import date
from urllib.parse import urlsplit

import click

from .errors import BadInput, expected_error

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


def _db_option(f):
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


def _date_range(f):
    """--since and --until, both on the release's published date."""
    for name, help in (("--until", "Only releases published on or before DATE."),
                       ("--since", "Only releases published on or after DATE.")):
        f = click.option(name, default=None, metavar="DATE", callback=_parse_date, help=help)(f)
    return f


def _start_url(_ctx, param, value: str | None) -> str | None:
    """An absolute http(s) URL, or None for the site profile's own start URL."""
    from crawler.parsing.urls import http_url  # noqa: PLC0415

    try:
        return None if value is None else http_url(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def _contact(_ctx, param, value: str | None) -> str | None:
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


def _site_option(f):
    from crawler.sites import DEFAULT_SITE  # noqa: PLC0415 - the registry itself loads only when used

    return click.option("--site", "site", default=DEFAULT_SITE, show_default=True, callback=_site,
                        help="The site profile (pressarchive sites lists them).")(f)


def _check_url(_ctx, param, value: str | None) -> str | None:
    """The value, unless it is a URL whose port or host cannot be read (":abc", an unclosed "[")."""
    try:
        urlsplit(value or "").port
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a URL ({exc})", param=param) from None
    return value


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for failures.")
@click.version_option(package_name="pressarchive", prog_name="pressarchive")
def main(debug: bool) -> None:
    """Scrape, archive, search and export the press releases of the city of Bochum."""


@main.command()
@_db_option
@_site_option
@click.option("--start-url", default=None, callback=_start_url,
              help="The press listing to start from (default: the site's); its host is the only host crawled.")
@click.option("--delay", type=Seconds(), default=None,
              help="Seconds between requests (default: the site's, 1.5 for bochum; 0 for a replica).")
@click.option("--recheck", type=click.Choice(["new", "recent", "all"]), default="recent", show_default=True,
              help="Which archived articles to fetch again (conditionally).")
@click.option("--max-articles", type=COUNT, default=None, help="Stop after N releases.")
@click.option("--quiet", is_flag=True,
              help="For cron: no progress; nothing printed on success, the summary and errors on failure.")
@click.option("--log-file", type=OUTPUT, default=None, help="Write Scrapy's log here.")
@click.option("--drift-threshold", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="Share of release pages the site's templates may miss before the run fails.")
@click.option("--contact", envvar="PRESSARCHIVE_CONTACT", default=None, callback=_contact,
              help="Your URL or e-mail address, sent in the User-Agent (default: $PRESSARCHIVE_CONTACT).")
def crawl(db, site, start_url, delay, recheck, max_articles, quiet, log_file, drift_threshold, contact) -> int:
    """Crawl the press listing and archive every release (polite, incremental)."""
    from crawler.runner import CrawlOptions, run_crawl  # noqa: PLC0415 - Scrapy only for crawl

    options = CrawlOptions(db=db, site=site.name, start_url=start_url, delay=delay, recheck=recheck,
                           max_articles=max_articles, quiet=quiet, log_file=log_file,
                           drift_threshold=drift_threshold, contact=contact)
    return run_crawl(options)


@main.command()
def sites() -> int:
    """List the site profiles: name, default start URL, description."""
    from crawler.sites import all_profiles  # noqa: PLC0415

    profiles = all_profiles()
    width = max(len(p.name) for p in profiles)
    start = max(len(p.start_url) for p in profiles)
    for profile in profiles:
        click.echo(f"{profile.name:<{width}}  {profile.start_url:<{start}}  {profile.description}")
    return 0


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(readable=False))  # checked per file
@click.option("--url", default=None, callback=_check_url,
              help="The page's address (also a date source); ignored with several files.")
@_site_option
def extract(files, url, site) -> int:
    """Parse saved pages (no network, no archive): one JSON object per file and line."""
    page_url = url if len(files) == 1 else None
    failed = [message for message in (_extract_one(path, page_url, site) for path in files) if message]
    for message in failed[:-1]:
        click.echo(f"pressarchive: {message}", err=True)
    if failed:
        raise BadInput(failed[-1])  # the last one is the exit's one line, after the others
    return 0


def _extract_one(path: str, url: str | None, profile=None) -> str | None:
    """Print one file's record as a JSON line; for a bad file return its error message instead."""
    from crawler.parsing import NotHTMLError, extract as extract_page  # noqa: PLC0415

    try:
        record = extract_page(_read_input(path), url=url, profile=profile)
    except BadInput as exc:
        return str(exc)
    except NotHTMLError as exc:
        return f"{path}: {exc}"
    click.echo(record.to_json())
    return None


def _read_input(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise BadInput(f"{path}: {exc.strerror or exc}") from None


@main.command()
@click.argument("query")
@_db_option
@_date_range
@click.option("--speaker", default=None, help="Only releases quoting this person.")
@click.option("--all-versions", is_flag=True, help="Search every version, not only the latest.")
@click.option("--limit", type=COUNT, default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def search(query, db, since, until, speaker, all_versions, limit, fmt) -> int:
    """German-aware full-text search (inflections, umlaut spellings, "phrases", AND/OR/NOT, prefix*)."""
    from .search import SearchFilters, render_hits, search_archive  # noqa: PLC0415

    filters = SearchFilters(since=since, until=until, speaker=speaker, all_versions=all_versions, limit=limit)
    hits = search_archive(_reader(db), query, filters)
    render_hits(hits, fmt, sys.stdout)
    return 0


FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)


@main.command()
@click.argument("article")
@_db_option
@FORMAT
def history(article, db, fmt) -> int:
    """List the versions of an article (ARTICLE: its id or URL in any spelling)."""
    from .history import render_history  # noqa: PLC0415

    click.echo(render_history(_reader(db), _article_ref(article), fmt), nl=False)
    return 0


@main.command()
@click.argument("article")
@click.option("--from", "from_", type=click.IntRange(min=1), default=None, help="Older version number.")
@click.option("--to", type=click.IntRange(min=1), default=None, help="Newer version number.")
@_db_option
@FORMAT
def diff(article, from_, to, db, fmt) -> int:
    """Show what changed between two versions, field by field (default: the last two)."""
    from .history import render_diff  # noqa: PLC0415

    click.echo(render_diff(_reader(db), _article_ref(article), from_, to, fmt=fmt), nl=False)
    return 0


@main.command()
@click.argument("article")
@click.option("--version", "number", type=click.IntRange(min=1), default=None,
              help="Version number (default: the latest; a withdrawn release shows its last text).")
@_db_option
@FORMAT
def show(article, number, db, fmt) -> int:
    """Print one version's whole record: text, quotes, images, dates."""
    from .show import render_show  # noqa: PLC0415

    click.echo(render_show(_reader(db), _article_ref(article), number, fmt), nl=False)
    return 0


@main.command()
@_db_option
@click.option("--out", type=OUTPUT, default=None, help="Write here instead of stdout.")
@click.option("--limit", type=COUNT, default=50, show_default=True, help="Entries (newest changes first).")
def feed(db, out, limit) -> int:
    """Write an Atom feed of the newest changes (new, edited, withdrawn), one entry per version."""
    from .feed import write_feed  # noqa: PLC0415

    write_feed(_reader(db), out, limit)
    return 0


def _article_ref(ref: str) -> str:
    """An id as it is; a URL in any spelling (even without a scheme) as its canonical identity."""
    from crawler.parsing.urls import canonical_url  # noqa: PLC0415 - the crawler's notion of identity

    ref = ref.strip()
    if "/" not in ref and "." not in ref:
        return ref  # an id, or a word that is no address: looked up (and reported) as typed
    url = ref if "://" in ref or ref.startswith("/") else "https://" + ref  # copied from an address bar
    try:
        return canonical_url(url)
    except ValueError:  # a port that is no number, an unclosed [IPv6 bracket
        raise BadInput(f"{ref} is neither an article id nor a URL") from None


@main.command()
@click.argument("table", type=click.Choice(EXPORT_TABLES))
@_db_option
@click.option("--out", type=OUTPUT, default=None, help="Write here instead of stdout.")
@_date_range
@click.option("--all-versions", is_flag=True, help="Quotes, images, mentions of every version.")
@click.option("--excel", is_flag=True, help="Byte-order mark and formula-inert cells, for Excel.")
def export(table, db, out, since, until, all_versions, excel) -> int:
    """Export CSV (RFC 4180, UTF-8, header row) for pandas and Excel."""
    from .export import ExportOptions, export_table  # noqa: PLC0415

    options = ExportOptions(since=since, until=until, all_versions=all_versions, excel=excel)
    export_table(_reader(db), table, out, options)
    return 0


@main.command()
@_db_option
def reparse(db) -> int:
    """Run the current parsers over the stored raw pages; update extracted fields in place."""
    from crawler.parsing import PARSER_VERSION, extract as extract_page  # noqa: PLC0415

    def parse(body: bytes, url: str, headers: dict) -> dict:
        """The store's parse callback: a raw page as a record dict."""
        return extract_page(body, url=url, headers=headers).to_dict()

    changed = _store(db).reparse(parse, PARSER_VERSION)
    click.echo(f"{changed} versions changed")
    return 0


@main.command()
@_db_option
@click.option("--out", type=OUTPUT, required=True, help="The .warc.gz file to write.")
def warc(db, out) -> int:
    """Write every stored raw response as a WARC response record (replayable in pywb)."""
    from .warc import write_warc  # noqa: PLC0415

    count = write_warc(_reader(db), out)
    click.echo(f"{count} records written to {out}")
    return 0


@main.command()
@_db_option
@click.option("--limit", type=COUNT, default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def runs(db, limit, fmt) -> int:
    """List the recorded crawl runs, newest first."""
    from .db import resolve_url  # noqa: PLC0415
    from .lock import crawl_running  # noqa: PLC0415
    from .run_journal import remembered  # noqa: PLC0415
    from .runs import render_runs  # noqa: PLC0415

    sessions = _reader(db)
    text = render_runs(sessions, limit, fmt, remembered(resolve_url(db)), lambda site: crawl_running(db, site))
    click.echo(text, nl=False)
    return 0


@main.command()
@_db_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
def serve(db, port) -> int:
    """Browse the archive in Datasette on 127.0.0.1 (needs: pip install -e '.[serve]')."""
    from .serve import serve_archive  # noqa: PLC0415

    serve_archive(_reader(db), port)
    return 0


@main.command()
@_db_option
@click.option("--to", "target", required=True, help="The SQLite file to write (never overwritten without --force).")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def backup(db, target, force) -> int:
    """Copy the archive (SQLite or PostgreSQL) into an SQLite file that serve and every command can read."""
    from .backup import backup as copy_archive  # noqa: PLC0415

    click.echo(f"{copy_archive(db, target, force)} copied to {target}")
    return 0


def _store(db):
    """The archive behind --db, its schema created or upgraded (ArchiveError, exit 2, if it cannot be)."""
    from .store import Store  # noqa: PLC0415

    return Store.open(db)


def _reader(db):
    """The archive behind --db for a reading command: it must exist; read-only where it cannot be written."""
    from .db import open_existing  # noqa: PLC0415

    return open_existing(db)

