"""The archive browser: a Datasette plugin with a release page, the CLI's search and the changes feed.

Pages (templates in archive/templates): `/-/release/ID` (one release: text, images with caption and
credit, quotes with speakers, its versions and the diff between two of them), `/-/search` (the
CLI's search: same parser, normaliser, ranking and snippets, with date and speaker filters; a
malformed query is one line of explanation) and `/-/feed.atom` (the `feed` command's Atom).

One search wherever a query is typed: the latest_release table's search box and the canned query
`search` (their pages) are redirected to `/-/search`; the canned query's own JSON runs the same
search through the SQL function pressarchive_search; the table's JSON (and CSV) API keeps
Datasette's shape, its rows narrowed to the articles the same search finds (in the table's order,
newest first, or any `_sort`). So Datasette's FTS matching never answers a query differently from
`pressarchive search`.
"""
from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import parse_qs, parse_qsl, urlencode

from markupsafe import Markup, escape

from .errors import BadInput

SEARCH_PATH, FEED_PATH, RELEASE_PATH = "/-/search", "/-/feed.atom", "/-/release/"
SEARCH_LIMIT = 50
TABLE_SEARCH = "_pressarchive_search"  # latest_release.json's _search, renamed (table_search_scope)
TABLE_SEARCH_LIMIT = 10_000  # articles a table search narrows to, best first
_MARK = re.compile(r"\[([^\[\]]+)\]")  # search snippets mark matched words [like this]


def sessions_of(datasette):
    """The SQLAlchemy sessions make_datasette attached to this Datasette."""
    return datasette._pressarchive_sessions


def release_url(article_id: int, **params) -> str:
    """The release page's path, with query parameters (version, from, to) where given."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{RELEASE_PATH}{article_id}" + (f"?{query}" if query else "")


# --- search ----------------------------------------------------------------------------------

def run_search(sessions, args: dict) -> tuple[list, str | None]:
    """(hits, None), or ([], a one-line message) for a malformed query or filter."""
    from .search import SearchFilters, search_archive  # noqa: PLC0415

    query = (args.get("q") or "").strip()
    if not query:
        return [], None
    try:
        filters = SearchFilters(since=_date(args, "since"), until=_date(args, "until"),
                                speaker=(args.get("speaker") or "").strip() or None,
                                all_versions=bool(args.get("all")), limit=SEARCH_LIMIT)
        return search_archive(sessions, query, filters), None
    except BadInput as error:
        return [], str(error).splitlines()[0]


def _date(args: dict, name: str) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def marked(snippet: str) -> Markup:
    """A search snippet as HTML, its [marked] words in <mark>."""
    return Markup(_MARK.sub(lambda m: f"<mark>{m.group(1)}</mark>", str(escape(snippet))))


def search_ids(datasette, query: str) -> str:
    """The SQL function pressarchive_search(q): the CLI's hits for q as a JSON list, best first."""
    hits, message = run_search(sessions_of(datasette), {"q": query})
    if message:
        raise BadInput(message)
    return json.dumps([hit.__dict__ for hit in hits], ensure_ascii=False)


async def search_page(datasette, request):
    """/-/search and /-/search.json: the CLI's search with filters."""
    from datasette.utils.asgi import Response  # noqa: PLC0415

    args = {key: request.args.get(key) for key in ("q", "since", "until", "speaker", "all")}
    hits, message = run_search(sessions_of(datasette), args)
    if request.path.endswith(".json"):
        if message:
            return Response.json({"ok": False, "error": message}, status=400)
        return Response.json([hit.__dict__ for hit in hits])
    context = {"args": args, "hits": hits, "message": message, "marked": marked, "release_url": release_url}
    return Response.html(await datasette.render_template("pressarchive_search.html", context, request=request))


# --- one release -------------------------------------------------------------------------------

def release_context(sessions, article_id: int, args: dict) -> dict:
    """What the release page shows: a version's record, every version, and a diff between two."""
    from .history import diff_data, history_rows  # noqa: PLC0415
    from .show import version_record  # noqa: PLC0415

    number = _number(args, "version")
    record = version_record(sessions, str(article_id), number)
    _, versions = history_rows(sessions, str(article_id))
    to = _number(args, "to") or (record["version"] if record["version"] > 1 else None)
    diff = diff_data(sessions, str(article_id), _number(args, "from"), to) if len(versions) > 1 else None

    def diff_url(to_number: int) -> str:
        """The page showing the same version, with the diff that led to version to_number."""
        return release_url(article_id, version=number, **{"from": to_number - 1, "to": to_number})

    return {"record": record, "versions": versions, "diff": diff, "release_url": release_url,
            "diff_url": diff_url, "words": words_html}


def _number(args: dict, name: str) -> int | None:
    value = args.get(name)
    if value is None or value == "":
        return None
    if not value.isdigit() or not 0 < int(value) < 2**63:
        raise BadInput(f"{name}: {value!r} is not a version number")
    return int(value)


def words_html(ops: list[list[str]]) -> Markup:
    """A word diff as HTML: removed words in <del>, added ones in <ins>."""
    tags = {"removed": "del", "added": "ins"}
    parts = [f"<{tags[op]}>{escape(text)}</{tags[op]}>" if op in tags else str(escape(text)) for op, text in ops]
    return Markup(" ".join(parts))


async def release_page(datasette, request):
    """/-/release/ID: one release with its versions and what changed."""
    from datasette.utils.asgi import Response  # noqa: PLC0415

    article_id = int(request.url_vars["article_id"])
    try:
        args = {key: request.args.get(key) for key in ("version", "from", "to")}
        context = release_context(sessions_of(datasette), article_id, args)
    except BadInput as error:
        html = await datasette.render_template("pressarchive_message.html", {"message": str(error)}, request=request)
        return Response.html(html, status=404)
    return Response.html(await datasette.render_template("pressarchive_release.html", context, request=request))


# --- the feed ------------------------------------------------------------------------------------

async def feed_page(datasette, request):
    """/-/feed.atom: the newest changes, each entry also linking its release page here."""
    from datasette.utils.asgi import Response  # noqa: PLC0415

    from .feed import atom_feed, feed_entries  # noqa: PLC0415

    base = f"{request.scheme}://{request.host}"
    entries = feed_entries(sessions_of(datasette), 100)
    body = atom_feed(entries, self_url=base + FEED_PATH,
                     link_for=lambda e: base + release_url(e["article_id"], to=e["version"]))
    return Response(body, content_type="application/atom+xml; charset=utf-8")


# --- one search wherever a query is typed ------------------------------------------------------

def search_redirect(scope: dict, databases) -> str | None:
    """Where a table search or canned search page goes instead (/-/search), or None."""
    parts = scope.get("path", "").strip("/").split("/")
    if len(parts) != 2 or parts[0] not in databases:
        return None
    args = parse_qs(scope.get("query_string", b"").decode("utf-8", "replace"))
    resource, _, ext = parts[1].partition(".")
    query = {"latest_release": "_search", "search": "q"}.get(resource)
    # Pages only: the canned query's JSON is its own (rows from pressarchive_search), the table's
    # JSON and CSV keep Datasette's shape (table_search_scope, table_search_filter).
    if query is None or query not in args or ext:
        return None
    kept = {"q": args[query][0], **{k: v[0] for k, v in args.items() if k in ("since", "until", "speaker")}}
    return SEARCH_PATH + "?" + urlencode(kept)


def table_search_scope(scope: dict, databases) -> dict | None:
    """A request for latest_release.json (or .csv) with _search, its _search renamed TABLE_SEARCH.

    Datasette would match _search against release_fts itself (no stems, no compounds, no ae/ä);
    renamed, only table_search_filter sees it, and the answer keeps Datasette's table shape."""
    parts = scope.get("path", "").strip("/").split("/")
    if len(parts) != 2 or parts[0] not in databases or not parts[1].startswith("latest_release."):
        return None
    args = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
    if not any(key == "_search" for key, _ in args):
        return None
    renamed = [(TABLE_SEARCH if key == "_search" else key, value) for key, value in args]
    return {**scope, "query_string": urlencode(renamed).encode("utf-8")}


def table_search_filter(request, table: str, datasette):
    """Datasette's filters_from_request: latest_release narrowed to what the CLI's search finds."""
    query = request.args.get(TABLE_SEARCH)
    if table != "latest_release" or not query:  # an empty _search filters nothing, as in Datasette
        return None
    from datasette.filters import FilterArguments  # noqa: PLC0415
    from datasette.utils.asgi import BadRequest  # noqa: PLC0415

    from .search import SearchFilters, matching_articles  # noqa: PLC0415

    try:
        ids = matching_articles(sessions_of(datasette), query, SearchFilters(limit=TABLE_SEARCH_LIMIT))
    except BadInput as error:
        raise BadRequest(str(error).splitlines()[0]) from None
    where = f"article_id IN ({', '.join(map(str, ids))})" if ids else "0"  # ids are ints from the index
    return FilterArguments([where], human_descriptions=[f"pressarchive search finds {query!r}"])


def redirecting(app, datasette):
    """ASGI middleware: search pages of the table and canned query go to the one search page;
    the table's JSON and CSV searches go to table_search_filter."""
    async def wrapped(scope, receive, send):
        if scope["type"] == "http":
            scope = table_search_scope(scope, datasette.databases) or scope
        target = search_redirect(scope, datasette.databases) if scope["type"] == "http" else None
        if target is None:
            return await app(scope, receive, send)
        await send({"type": "http.response.start", "status": 302,
                    "headers": [(b"location", target.encode("utf-8")), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    return wrapped


# --- table cells -----------------------------------------------------------------------------------

LINKED = {("latest_release", "article_id"), ("latest_release", "headline"), ("article", "id"),
          ("version", "article_id"), (None, "article_id")}


def render_cell(row, value, column: str, table: str | None):
    """Release ids and headlines link to the release page; JSON lists of paragraphs read as text."""
    if (table, column) in LINKED and value is not None:
        article_id = row["article_id"] if column == "headline" else value
        if isinstance(article_id, int):
            return Markup(f'<a href="{release_url(article_id)}">{escape(value)}</a>')
    if column in ("paragraphs", "changed_fields") and isinstance(value, str) and value.startswith("["):
        try:
            items = json.loads(value)
        except ValueError:
            return None
        joiner = "\n\n" if column == "paragraphs" else ", "
        return Markup(f'<div class="pa-text">{escape(joiner.join(map(str, items)))}</div>')
    return None
