"""Browsing the archive in Datasette: latest releases, facets, canned queries and the browser's pages.

`latest_release` holds each article's latest real version (original wording) and `release_fts`
indexes it (external content, diacritics folded) so that Datasette's own search box works on it.
Both are rebuilt from archive.search's `search_doc` whenever Datasette is started on an archive it
may write (a crawl's writes need not pay for a table only Datasette reads). The German-aware search
(stems, ae/ä, compounds) is the page /-/search and the canned query `search` (archive.browser),
through the CLI's own search.
"""
from __future__ import annotations

import copy
import json
import socket
import sqlite3
from contextlib import closing
from importlib import resources
from pathlib import Path

from .errors import BadInput

RELEASE_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS latest_release (article_id INTEGER PRIMARY KEY, url TEXT, headline TEXT,"
    " published TEXT, year INTEGER, status TEXT, version INTEGER, versions INTEGER, speakers TEXT, body TEXT)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS release_fts USING fts5(headline, body, speakers,"
    " content='latest_release', content_rowid='article_id', tokenize='unicode61 remove_diacritics 2')",
)


_FILL = ("INSERT INTO latest_release SELECT a.id, a.canonical_url, v.headline, d.published,"
         " CAST(substr(d.published, 1, 4) AS INTEGER), a.status, v.number,"
         " (SELECT count(*) FROM version c WHERE c.article_id = a.id),"
         " (SELECT json_group_array(DISTINCT q.speaker) FROM quote q WHERE q.version_id = v.id"
         " AND q.speaker IS NOT NULL), v.body"
         " FROM search_doc d JOIN version v ON v.id = d.version_id JOIN article a ON a.id = d.article_id"
         " WHERE d.is_latest = 1")


def refresh_releases(path: str) -> None:
    """Rebuild latest_release and release_fts from the search index (left as they are on a read-only archive)."""
    with closing(sqlite3.connect(path, timeout=30)) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_doc'").fetchone():
            return  # never indexed: serve_archive catches up first, a bare make_datasette shows none
        try:
            with db:
                for statement in RELEASE_SCHEMA:
                    db.execute(statement)
                db.execute("DELETE FROM latest_release")
                db.execute(_FILL)
                db.execute("INSERT INTO release_fts (release_fts) VALUES ('rebuild')")  # from its external content
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc).replace(" ", "").lower():
                raise


def datasette_metadata(db_name: str) -> dict:
    """The packaged Datasette metadata, its database entry renamed to this archive's file stem."""
    raw = json.loads(resources.files("archive").joinpath("datasette_metadata.json").read_text("utf-8"))
    meta = copy.deepcopy(raw)
    meta["databases"] = {db_name: raw["databases"]["pressarchive"]}
    return meta


def match_expression(query: str) -> str:
    """The FTS5 expression for a user's query; an empty one matches nothing (a form not yet filled in)."""
    from .query import parse_query  # noqa: PLC0415

    if not (query or "").strip():
        return '"pressarchive0nothing"'
    return parse_query(query).match


def _plugin():
    """The Datasette plugin: SQL functions, the browser's pages (archive.browser), links and the search redirect."""
    from datasette import hookimpl  # noqa: PLC0415

    from . import browser  # noqa: PLC0415
    from .normalise import fold_name  # noqa: PLC0415

    class Plugin:
        """Registered once per process under the name "pressarchive"; per-archive state lives on the Datasette."""

        @staticmethod
        @hookimpl
        def prepare_connection(conn, datasette):
            """Each new SQLite connection: the query parser, name folding and the CLI's search as SQL functions."""
            conn.create_function("pressarchive_match", 1, match_expression, deterministic=True)
            conn.create_function("pressarchive_fold", 1, fold_name, deterministic=True)
            conn.create_function("pressarchive_search", 1, lambda q: browser.search_ids(datasette, q))

        @staticmethod
        @hookimpl
        def register_routes():
            """The release page, the search page and the changes feed."""
            return [(r"^/-/search(\.json)?$", browser.search_page), (r"^/-/feed\.atom$", browser.feed_page),
                    (r"^/-/release/(?P<article_id>[0-9]{1,18})$", browser.release_page)]

        @staticmethod
        @hookimpl
        def asgi_wrapper(datasette):
            """Table and canned-query searches go to the one search page."""
            return lambda app: browser.redirecting(app, datasette)

        @staticmethod
        @hookimpl
        def filters_from_request(request, database, table, datasette):
            """latest_release.json?_search=… narrowed by the CLI's search (archive.browser)."""
            return browser.table_search_filter(request, table, datasette)

        @staticmethod
        @hookimpl
        def render_cell(row, value, column, table):
            """Links to release pages; paragraphs as text."""
            return browser.render_cell(row, value, column, table)

        @staticmethod
        @hookimpl
        def menu_links():
            """Search and the feed from every page's menu."""
            return [{"href": browser.SEARCH_PATH, "label": "Search releases"},
                    {"href": browser.FEED_PATH, "label": "Changes feed (Atom)"}]

        @staticmethod
        @hookimpl
        def extra_template_vars(datasette):
            """The canned queries and the browser's links, for the front page."""
            return {"pressarchive_queries": _queries(datasette), "pressarchive_search": browser.SEARCH_PATH,
                    "pressarchive_feed": browser.FEED_PATH}

    return Plugin


def _queries(datasette) -> list[dict]:
    """(database, name, title, description) of every canned query, for the front page."""
    found = []
    for name in datasette.databases:
        queries = (datasette.metadata(database=name) or {}).get("queries", {})
        found += [{"database": name, "name": key, "title": q.get("title", key), "description": q.get("description")}
                  for key, q in queries.items()]
    return found


def make_datasette(path: str):
    """A Datasette instance for the archive file at path, its latest_release table rebuilt.

    serve_archive brings the search index up to date first."""
    try:
        from datasette.app import Datasette  # noqa: PLC0415
        from datasette.plugins import pm  # noqa: PLC0415
    except ImportError:
        raise BadInput("browsing needs Datasette: pip install -e '.[serve]'") from None
    from .db import open_existing, writable  # noqa: PLC0415

    sessions = open_existing(path)
    if pm.get_plugin("pressarchive") is None:
        pm.register(_plugin(), name="pressarchive")
    if writable(path):
        refresh_releases(path)
        files = {"files": [path]}
    else:  # Datasette opens a mutable file with mode=ro, which fails where the folder cannot be written
        files = {"immutables": [path]}
    datasette = Datasette(**files, metadata=datasette_metadata(Path(path).stem), template_dir=_templates(),
                          settings={"sql_time_limit_ms": 5000})
    datasette._pressarchive_sessions = sessions
    return datasette


def _templates() -> str:
    return str(resources.files("archive").joinpath("templates"))


def serve_archive(sessions, port: int) -> None:
    """Serve the archive read-only-ish in Datasette on 127.0.0.1:port until interrupted."""
    from .db import sqlite_path  # noqa: PLC0415
    from .search import catch_up  # noqa: PLC0415

    path = sqlite_path(str(sessions.kw["bind"].url))
    if not path:
        raise BadInput("Datasette needs an SQLite archive: copy this one into a file with"
                       " `pressarchive backup --to FILE.sqlite --db …` and serve that")
    catch_up(sessions)
    datasette = make_datasette(path)
    import uvicorn  # noqa: PLC0415 - a datasette dependency

    port = free_port(port)
    print(f"Serving {path} at http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run(datasette.app(), host="127.0.0.1", port=port, log_level="warning")


def free_port(port: int) -> int:
    """The port to listen on (port 0: one the system picks); BadInput if it is taken.

    Checked here because uvicorn reports a taken port on its own and exits 3, outside the contract.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise BadInput(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
        return probe.getsockname()[1]
