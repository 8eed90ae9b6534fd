"""The `pressarchive` command. The one place where the crawler and the archive meet."""
from __future__ import annotations

import sys

import click

from .cli_support import (COUNT, EXPORT_TABLES, OUTPUT, Group, Seconds, check_url, date_range, db_option, parse_contact,
                          parse_start_url, site_option)
from .errors import BadInput


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for failures.")
@click.version_option(package_name="pressarchive", prog_name="pressarchive")
def main(debug: bool) -> None:
    """Scrape, archive, search and export the press releases of the city of Bochum."""


@main.command()
@db_option
@site_option
@click.option("--start-url", default=None, callback=parse_start_url,
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
@click.option("--contact", envvar="PRESSARCHIVE_CONTACT", default=None, callback=parse_contact,
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
@click.option("--url", default=None, callback=check_url,
              help="The page's address (also a date source); ignored with several files.")
@site_option
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
@db_option
@date_range
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
@db_option
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
@db_option
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
@db_option
@FORMAT
def show(article, number, db, fmt) -> int:
    """Print one version's whole record: text, quotes, images, dates."""
    from .show import render_show  # noqa: PLC0415

    click.echo(render_show(_reader(db), _article_ref(article), number, fmt), nl=False)
    return 0


@main.command()
@db_option
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
@db_option
@click.option("--out", type=OUTPUT, default=None, help="Write here instead of stdout.")
@date_range
@click.option("--all-versions", is_flag=True, help="Quotes, images, mentions of every version.")
@click.option("--excel", is_flag=True, help="Byte-order mark and formula-inert cells, for Excel.")
def export(table, db, out, since, until, all_versions, excel) -> int:
    """Export CSV (RFC 4180, UTF-8, header row) for pandas and Excel."""
    from .export import ExportOptions, export_table  # noqa: PLC0415

    options = ExportOptions(since=since, until=until, all_versions=all_versions, excel=excel)
    export_table(_reader(db), table, out, options)
    return 0


@main.command()
@db_option
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
@db_option
@click.option("--out", type=OUTPUT, required=True, help="The .warc.gz file to write.")
def warc(db, out) -> int:
    """Write every stored raw response as a WARC response record (replayable in pywb)."""
    from .warc import write_warc  # noqa: PLC0415

    count = write_warc(_reader(db), out)
    click.echo(f"{count} records written to {out}")
    return 0


@main.command()
@db_option
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
@db_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
def serve(db, port) -> int:
    """Browse the archive in Datasette on 127.0.0.1 (needs: pip install -e '.[serve]')."""
    from .serve import serve_archive  # noqa: PLC0415

    serve_archive(_reader(db), port)
    return 0


@main.command()
@db_option
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

