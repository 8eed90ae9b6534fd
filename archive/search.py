"""German-aware full-text search: an FTS5 index of normalised terms, kept in step with every write.

Tables this module owns (created on demand, never touched by the store or its migrations):
- `version_fts`: FTS5 over the normalised token streams of headline (+ kicker), body, captions
  (+ alt texts) and quotes (+ speaker, role) of every version except withdrawals; rowid = version.id.
  It keeps its content (the token streams), so a reparse or a withdrawal can replace rows.
- `search_doc`: one row per version: article, number, withdrawal flag, whether it is the article's
  latest real version, the article's published date and its folded quote speakers (for filters).
- `search_term` (archive.vocabulary): every indexed term once, for splitting compounds at query time.
- `search_meta`: the normaliser version the index was built with; an index from another version
  (or from before this table) is rebuilt on the next open that searches (catch_up), rows untouched.
(`latest_release` and `release_fts`, the latest text of each article for Datasette, are archive.serve's:
it rebuilds them from `search_doc` when it starts, not on every write.)

Ranking: bm25 with the headline weighted 10, captions and quotes 2, body 1; the score shown is
-bm25 (higher is better). To stay within ~50 ms on 100,000 versions, a query ranks at most
CANDIDATES matches, the most recently stored first: a query matching more versions than that
(a very common word) ranks among the newest ones. A word also finds the compounds it begins or
ends (archive.vocabulary); those hits come after every whole-word hit, ranked among themselves.
Snippets are cut from the original text,
the words whose normalised form matched marked [like this].

"Latest" means an article's newest version that is not a withdrawal: a withdrawn release stays
findable by its last real text, and its hits carry status "withdrawn". PostgreSQL archives are
indexed and searched by archive.search_pg (same terms, same query language); on other databases
`index_versions` does nothing and a search is BadInput.
"""
from __future__ import annotations

import csv
import json
import sqlite3
import textwrap
import unicodedata
from collections import defaultdict, namedtuple
from dataclasses import asdict, dataclass
from datetime import date
from typing import TextIO

from sqlalchemy import bindparam, exc, text
from sqlalchemy.orm import Session, sessionmaker

from .db import BEGIN_MODE
from .errors import BadInput
from .models import latest_real_number
from .normalise import NORMALISER_VERSION, TOKEN, fold_name, index_text, spans, term
from .query import Query, parse_query
from .search_limits import time_bound
from .vocabulary import SCHEMA as VOCABULARY_SCHEMA
from .vocabulary import compound_terms, record_terms

SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS version_fts USING fts5("
    "headline, body, captions, quotes, tokenize='unicode61 remove_diacritics 0')",
    "CREATE TABLE IF NOT EXISTS search_doc (version_id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL,"
    " number INTEGER NOT NULL, withdrawn INTEGER NOT NULL DEFAULT 0, is_latest INTEGER NOT NULL DEFAULT 0,"
    " published TEXT, speakers TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS search_doc_article ON search_doc (article_id)",
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)
# An empty index is current by definition; one built by another normaliser lacks this row or differs.
_CLAIM_VERSION = ("INSERT OR IGNORE INTO search_meta (key, value) SELECT 'normaliser', ?"
                  " WHERE NOT EXISTS (SELECT 1 FROM search_doc)")
RANK = "bm25(version_fts, 10.0, 1.0, 2.0, 2.0)"  # headline weighs most, then captions and quotes
CHUNK = 500
CANDIDATES = 10_000  # matches ranked per query, newest first (see _ranked)
FIELDS = ["article_id", "url", "headline", "published", "version", "snippet", "score", "status"]


@dataclass
class SearchFilters:
    """What the search command narrows results by."""

    since: date | None = None
    until: date | None = None
    speaker: str | None = None
    all_versions: bool = False
    limit: int = 20


@dataclass
class Hit:
    """One search result; score is higher for better matches (negated bm25)."""

    article_id: int
    url: str
    headline: str | None
    published: str | None
    version: int
    snippet: str
    score: float
    status: str = "active"


def _sql(statement: str, *expanding: str):
    """A text() statement whose named list parameters expand to IN (...)."""
    return text(statement).bindparams(*(bindparam(name, expanding=True) for name in expanding))


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# --- keeping the index in step -----------------------------------------------------------------
# Every crawled page passes through here, so these functions talk to the session's own SQLite
# connection (same transaction) in plain DB-API calls: SQLAlchemy's per-statement cost was most
# of the indexing time. The SQL itself is unchanged.

def _db(session: Session) -> sqlite3.Connection:
    """The session's SQLite connection, inside the session's transaction."""
    return session.connection().connection.driver_connection


def _marks(values) -> str:
    """Placeholders for an IN (...) list of these values."""
    return ", ".join("?" * len(values))


def ensure_schema(session: Session) -> None:
    """Create the search tables if missing; a no-op while the schema is the one last checked."""
    # SQLite's schema cookie changes with every schema change, a rolled-back one included, so a
    # cookie equal to the one after the last check means the tables are still there.
    conn = session.connection()
    db, checked = conn.connection.driver_connection, conn.info.get("search_schema")
    if checked is not None and checked == db.execute("PRAGMA schema_version").fetchone()[0]:
        return
    for statement in SCHEMA + VOCABULARY_SCHEMA:
        db.execute(statement)
    db.execute(_CLAIM_VERSION, (NORMALISER_VERSION,))
    conn.info["search_schema"] = db.execute("PRAGMA schema_version").fetchone()[0]


def index_versions(session: Session, version_ids) -> None:
    """(Re)index these versions and refresh their articles' latest flags, in the caller's transaction."""
    ids = sorted(set(version_ids))
    if not ids or not _is_sqlite(session):
        if ids and _is_postgres(session):
            from . import search_pg  # noqa: PLC0415 - PostgreSQL's own index (archive.search_pg)

            search_pg.index_versions(session, ids)
        return
    session.flush()  # the store's pending ORM rows must be visible to the SELECTs below
    ensure_schema(session)
    db = _db(session)
    articles: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        articles |= _index_chunk(db, ids[start:start + CHUNK])
    refresh_articles(db, sorted(articles))


def _index_chunk(db: sqlite3.Connection, ids: list[int]) -> set[int]:
    """Replace the index rows of up to CHUNK versions; returns their article ids."""
    rows, quotes, images = _load(db, ids)
    db.execute(f"DELETE FROM version_fts WHERE rowid IN ({_marks(ids)})", ids)
    db.execute(f"DELETE FROM search_doc WHERE version_id IN ({_marks(ids)})", ids)
    db.executemany("INSERT INTO search_doc (version_id, article_id, number, withdrawn, speakers)"
                   " VALUES (?, ?, ?, ?, ?)", [_doc(row, quotes[row.id]) for row in rows])
    fts = [_fts_row(row, quotes[row.id], images[row.id]) for row in rows if row.change != "withdrawn"]
    db.executemany("INSERT INTO version_fts (rowid, headline, body, captions, quotes) VALUES (?, ?, ?, ?, ?)", fts)
    record_terms(db, (stream for fts_row in fts for stream in fts_row[1:]))
    return {row.article_id for row in rows}


# The rows _load reads, by name.
_Version = namedtuple("_Version", "id article_id number change headline kicker body")
_Quote = namedtuple("_Quote", "version_id text speaker role")
_Image = namedtuple("_Image", "version_id caption alt")


def _load(db: sqlite3.Connection, ids: list[int]) -> tuple[list[_Version], dict, dict]:
    """The versions with their quotes and images, as plain rows."""
    rows = db.execute("SELECT id, article_id, number, change, headline, kicker, body FROM version"
                      f" WHERE id IN ({_marks(ids)})", ids).fetchall()
    quotes = _grouped(db, "SELECT version_id, text, speaker, role FROM quote", _Quote, ids)
    images = _grouped(db, "SELECT version_id, caption, alt FROM image", _Image, ids)
    return [_Version(*row) for row in rows], quotes, images


def _grouped(db: sqlite3.Connection, select: str, shape, ids: list[int]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in db.execute(f"{select} WHERE version_id IN ({_marks(ids)}) ORDER BY version_id, position", ids):
        grouped[row[0]].append(shape(*row))
    return grouped


def _doc(row: _Version, quotes: list[_Quote]) -> tuple:
    names = sorted({fold_name(q.speaker) for q in quotes if q.speaker} - {""})
    speakers = "|" + "|".join(names) + "|" if names else ""
    return row.id, row.article_id, row.number, int(row.change == "withdrawn"), speakers


def _fts_row(row: _Version, quotes: list[_Quote], images: list[_Image]) -> tuple:
    captions = []
    for image in images:
        captions += [image.caption] + ([image.alt] if image.alt != image.caption else [])
    said = [" ".join(filter(None, (q.text, q.speaker, q.role))) for q in quotes]
    return (row.id, index_text(" ".join(filter(None, (row.kicker, row.headline)))), index_text(row.body),
            index_text(" ".join(filter(None, captions))), index_text(" ".join(said)))


def refresh_articles(db: sqlite3.Connection, article_ids: list[int]) -> None:
    """Recompute which version of each article is its latest real one, and its published date."""
    for start in range(0, len(article_ids), CHUNK):
        chunk = article_ids[start:start + CHUNK]
        db.execute(
            "UPDATE search_doc SET is_latest ="
            f" (withdrawn = 0 AND number = {latest_real_number('search_doc.article_id')}),"
            " published = coalesce((SELECT a.published FROM article a WHERE a.id = search_doc.article_id),"
            " (SELECT v.published FROM version v WHERE v.id = search_doc.version_id))"
            f" WHERE article_id IN ({_marks(chunk)})", chunk)


def ensure_index(session: Session) -> None:
    """Index every version the index lacks (an archive from before, or writes that skipped it)."""
    ensure_schema(session)
    if _index_version(session) != NORMALISER_VERSION:
        # Terms from another normaliser would never match today's queries: rebuild the derived
        # index tables (versions, articles and every other stored row stay as they are).
        session.execute(text("DELETE FROM version_fts"))
        session.execute(text("DELETE FROM search_doc"))
        session.execute(text("DELETE FROM search_term"))
        session.execute(text("INSERT OR REPLACE INTO search_meta (key, value) VALUES ('normaliser', :v)"),
                        {"v": NORMALISER_VERSION})
    missing = session.execute(text(
        "SELECT id FROM version WHERE id NOT IN (SELECT version_id FROM search_doc)")).scalars().all()
    index_versions(session, missing)


def _index_version(session: Session) -> str | None:
    """The normaliser version the index was built with (None: unknown, an index from before)."""
    return session.execute(text("SELECT value FROM search_meta WHERE key = 'normaliser'")).scalar()


def index_is_stale(session: Session) -> bool:
    """True if a search table is missing or fewer versions are indexed than stored (read-only check)."""
    names = {"version_fts", "search_doc", "search_meta", "search_term"}
    found = set(session.execute(_sql("SELECT name FROM sqlite_master WHERE name IN :names", "names"),
                                {"names": sorted(names)}).scalars())
    if found != names or _index_version(session) != NORMALISER_VERSION:
        return True
    versions = session.execute(text("SELECT count(*) FROM version")).scalar_one()
    return session.execute(text("SELECT count(*) FROM search_doc")).scalar_one() < versions


def catch_up(sessions: sessionmaker[Session]) -> None:
    """Bring the index up to date before reading; BadInput if the archive is neither SQLite nor PostgreSQL."""
    with sessions() as session:
        if _is_postgres(session):
            from . import search_pg  # noqa: PLC0415

            return search_pg.catch_up(sessions)
        if not _is_sqlite(session):
            raise BadInput("full-text search needs an SQLite archive or a PostgreSQL one")
        stale = index_is_stale(session)
    if stale:
        try:
            with sessions.begin() as session:
                # IMMEDIATE: take the write lock up front, as the store does, so a crawl writing at the
                # same time makes this wait instead of failing on a lock upgrade.
                session.connection(execution_options={BEGIN_MODE: "IMMEDIATE"})
                ensure_index(session)
        except exc.OperationalError as error:
            # An archive the user may only read keeps the index it has (built by an earlier
            # normaliser, it still finds most words); any other failure is real.
            if "readonly" not in str(error.orig) and "read-only" not in str(error.orig):
                raise


# --- searching ---------------------------------------------------------------------------------

def search_archive(sessions: sessionmaker[Session], query: str, filters: SearchFilters) -> list[Hit]:
    """Run a query (see archive.query) against the archive; best hits first."""
    if sessions.kw["bind"].dialect.name == "postgresql":
        from . import search_pg  # noqa: PLC0415

        return search_pg.search_archive(sessions, query, filters)
    parsed = parse_query(query)
    speaker = _speaker_patterns(filters.speaker)
    catch_up(sessions)
    with sessions() as session:
        with time_bound(_db(session)):
            try:
                ranked = _ranked(session, parsed.match, filters, speaker, filters.limit)
                if len(ranked) < filters.limit:  # room left: compound-only hits follow every whole-word hit
                    parsed, ranked = _with_compounds(session, query, parsed, filters, speaker, ranked)
            except exc.OperationalError as error:  # an FTS5 complaint about the expression: still bad input
                raise BadInput(f"the query could not be run: {error.orig}") from None
            return _hits(session, ranked, parsed)


def _with_compounds(session: Session, query: str, whole: Query, filters: SearchFilters,
                    speaker: dict | None, ranked: list) -> tuple[Query, list]:
    """The whole-word hits followed by the best hits only a compound of a query word matched."""
    expanded = parse_query(query, expand=lambda word: compound_terms(_db(session), word))
    if expanded.match == whole.match:
        return whole, ranked
    rest = f"({expanded.match}) NOT ({whole.match})"
    return expanded, ranked + _ranked(session, rest, filters, speaker, filters.limit - len(ranked))


_NAME_TITLES = {"dr", "prof", "herr", "frau", "dipl", "ing"}


def _speaker_patterns(speaker: str | None) -> dict | None:
    if speaker is None:
        return None
    # Stored speakers carry no titles (the parser strips them), so neither may the filter.
    name = " ".join(w for w in fold_name(speaker).split() if w not in _NAME_TITLES)
    if not name:
        raise BadInput("--speaker needs a name with letters in it")
    # Folded names hold only letters, digits and spaces, so no LIKE wildcard can sneak in.
    return {"sp_full": f"%|{name}|%", "sp_tail": f"% {name}|%"}


def _ranked(session: Session, match: str, filters: SearchFilters, speaker: dict | None, limit: int) -> list:
    """(version_id, bm25) of the best `limit` matches of an FTS5 expression that pass the filters."""
    where = ["version_fts MATCH :match", "d.withdrawn = 0" if filters.all_versions else "d.is_latest = 1"]
    params: dict = {"match": match, "limit": limit}
    if filters.since:
        where.append("d.published >= :since")
        params["since"] = filters.since.isoformat()
    if filters.until:
        where.append("d.published <= :until")
        params["until"] = filters.until.isoformat()
    if speaker:
        where.append("(d.speakers LIKE :sp_full OR d.speakers LIKE :sp_tail)")
        params.update(speaker)
    # CROSS JOIN keeps the FTS index as the outer loop: the match drives, the filters only check.
    # bm25 costs ~1 µs a row, so only the CANDIDATES newest matches (FTS5 walks rowids backwards
    # without sorting) are ranked: a very common word then ranks recent releases, within 50 ms.
    params["candidates"] = CANDIDATES
    statement = (f"SELECT version_id, rank FROM (SELECT f.rowid AS version_id, {RANK} AS rank"
                 f" FROM version_fts f CROSS JOIN search_doc d ON d.version_id = f.rowid"
                 f" WHERE {' AND '.join(where)} ORDER BY f.rowid DESC LIMIT :candidates)"
                 " ORDER BY rank LIMIT :limit")
    return session.execute(text(statement), params).all()


def _hits(session: Session, ranked: list, parsed: Query) -> list[Hit]:
    """Turn ranked version ids into hits with the original wording and a marked snippet."""
    ids = [row[0] for row in ranked]
    if not ids:
        return []
    rows = {row.id: row for row in session.execute(_sql(
        "SELECT v.id, v.article_id, a.canonical_url, v.headline, coalesce(a.published, v.published) AS published,"
        " v.number, v.body, a.status FROM version v JOIN article a ON a.id = v.article_id WHERE v.id IN :ids",
        "ids"), {"ids": ids})}
    extras = _extra_texts(session, ids)
    return [_hit(rows[version_id], rank, extras[version_id], parsed) for version_id, rank in ranked]


def _hit(row, rank: float, extras: list[str], parsed: Query) -> Hit:
    snippet = make_snippet([row.body or ""] + extras + [row.headline or ""], parsed)
    return Hit(article_id=row.article_id, url=row.canonical_url, headline=row.headline,
               published=str(row.published)[:10] if row.published else None, version=row.number,
               snippet=snippet, score=round(-rank, 4) + 0.0, status=row.status or "active")


def _extra_texts(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Quotes and captions per version: snippet sources when the body does not hold the match."""
    extras: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(_sql(
            "SELECT version_id, text FROM quote WHERE version_id IN :ids UNION ALL"
            " SELECT version_id, caption FROM image WHERE version_id IN :ids AND caption IS NOT NULL UNION ALL"
            " SELECT version_id, alt FROM image WHERE version_id IN :ids AND alt IS NOT NULL",
            "ids"), {"ids": ids}):
        extras[row[0]].append(row[1])
    return extras


# --- snippets ----------------------------------------------------------------------------------

SNIPPET_WIDTH = 140  # characters of original text; marks and ellipses keep the line under ~160


def make_snippet(texts: list[str], parsed: Query) -> str:
    """One line from the first text that holds a match, the matched words marked [like this]."""
    flat = [" ".join(unicodedata.normalize("NFC", t).split()) for t in texts if t and t.strip()]
    for candidate in flat:
        # Distinct words first (C-speed), so texts without a match cost no per-word Python loop.
        if not any(_matches(term(w), parsed) for w in set(TOKEN.findall(candidate))):
            continue
        found = [(s, e) for s, e, t in spans(candidate) if _matches(t, parsed)]
        return _window(candidate, found[:200])
    return _shorten(flat[0]) if flat else ""


def _matches(token: str, parsed: Query) -> bool:
    return token in parsed.exact or any(token.startswith(p) for p in parsed.prefixes)


def _window(line: str, found: list[tuple[int, int]]) -> str:
    """The SNIPPET_WIDTH-wide stretch of line with the most matches, marked."""
    start, end = _bounds(line, found)
    parts, pos = ["… " if start else ""], start
    for s, e in found[:8]:  # at most eight marks, so the line stays short
        if s >= start and e <= end:
            parts += [line[pos:s], "[", line[s:e], "]"]
            pos = e
    parts += [line[pos:end], " …" if end < len(line) else ""]
    return "".join(parts)


def _bounds(line: str, found: list[tuple[int, int]]) -> tuple[int, int]:
    """Start and end of the window: around the densest run of matches, cut at word boundaries."""
    def density(i: int) -> int:
        return sum(1 for s, _ in found[i:] if s < found[i][0] + SNIPPET_WIDTH - 30)

    first = found[max(range(len(found)), key=lambda i: (density(i), -i))][0]
    start = max(0, first - 30)
    if start:  # begin at a word boundary, never after the match
        start = line.find(" ", start, first) + 1 or first
    end = min(len(line), start + SNIPPET_WIDTH)
    if end < len(line):
        cut = line.rfind(" ", start + SNIPPET_WIDTH // 2, end)
        end = cut if cut > first else end
    return start, end


def _shorten(line: str) -> str:
    return line if len(line) <= SNIPPET_WIDTH else line[:SNIPPET_WIDTH].rsplit(" ", 1)[0] + " …"


# --- output ------------------------------------------------------------------------------------

def render_hits(hits: list[Hit], fmt: str, out: TextIO) -> None:
    """Write hits as a table (100 columns), JSON (a list, best first) or CSV."""
    if fmt == "json":
        json.dump([asdict(hit) for hit in hits], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(asdict(hit) for hit in hits)
    else:
        out.write(_table(hits))


def _table(hits: list[Hit]) -> str:
    """Two lines per hit, 100 columns wide: score, date, article, version, headline; then the snippet."""
    lines = [f"{'score':>7}  {'published':10}  {'article':>7} {'ver':>3}  headline"]
    for hit in hits:
        headline = ("(withdrawn) " if hit.status == "withdrawn" else "") + (hit.headline or "")
        headline = headline if len(headline) <= 66 else headline[:65] + "…"
        lines.append(f"{hit.score:>7.2f}  {hit.published or '-':10}  {hit.article_id:>7} {hit.version:>3}  {headline}")
        lines += textwrap.wrap(hit.snippet, 100, initial_indent=" " * 9, subsequent_indent=" " * 9,
                               max_lines=2, placeholder=" …")
    if not hits:
        lines.append("(no hits)")
    return "\n".join(lines) + "\n"
