"""The SQLite search index: FTS5 over normalised terms, kept in step with every write.

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

"Latest" means an article's newest version that is not a withdrawal. PostgreSQL archives are
indexed by archive.search_pg (same terms); on other databases `index_versions` does nothing.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict, namedtuple

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from .models import latest_real_number
from .normalise import NORMALISER_VERSION, fold_name, index_text
from .vocabulary import SCHEMA as VOCABULARY_SCHEMA
from .vocabulary import record_terms

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
CHUNK = 500
# Every write transaction adds an FTS5 segment and FTS5's automerge keeps a few per level; a
# search reads each term's list in every segment. Past this many, tidy_index merges them into one
# (100,000 versions: 13 segments -> 1 in 2.3 s, searches 1.5x faster).
MAX_SEGMENTS = 8


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


def latest_flags(withdrawn: str, number: str, article: str, version: str) -> tuple[str, str]:
    """SQL for a search_doc row's is_latest and published, from its version's withdrawn flag, number,
    article id and id (SQL expressions); both databases' index writes use it."""
    return (f"(NOT {withdrawn} AND {number} = {latest_real_number(article)})",
            f"coalesce((SELECT a.published FROM article a WHERE a.id = {article}),"
            f" (SELECT v.published FROM version v WHERE v.id = {version}))")


def refresh_articles(db: sqlite3.Connection, article_ids: list[int]) -> None:
    """Recompute which version of each article is its latest real one, and its published date."""
    is_latest, published = latest_flags("withdrawn", "number", "search_doc.article_id", "search_doc.version_id")
    for start in range(0, len(article_ids), CHUNK):
        chunk = article_ids[start:start + CHUNK]
        db.execute(f"UPDATE search_doc SET is_latest = {is_latest}, published = {published}"
                   f" WHERE article_id IN ({_marks(chunk)})", chunk)


def tidy_index(session: Session) -> bool:
    """Merge the FTS5 index into one segment if writes left more than MAX_SEGMENTS; True if it did."""
    if not _is_sqlite(session):
        return False  # PostgreSQL's GIN index is kept by autovacuum
    db = _db(session)
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'version_fts_idx'").fetchone():
        return False
    if db.execute("SELECT count(DISTINCT segid) FROM version_fts_idx").fetchone()[0] <= MAX_SEGMENTS:
        return False
    db.execute("INSERT INTO version_fts (version_fts) VALUES ('optimize')")
    return True


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
    """True if a search table is missing or the newest versions are not indexed (read-only check).

    Two index lookups, as archive.search_pg does, not two counts (4.5 ms on 100,000 versions, on
    every search): the store indexes every version in the transaction that writes it, so what an
    index lacks is an archive's versions from before it, and those are the newest ids."""
    names = {"version_fts", "search_doc", "search_meta", "search_term"}
    found = set(session.execute(_sql("SELECT name FROM sqlite_master WHERE name IN :names", "names"),
                                {"names": sorted(names)}).scalars())
    if found != names or _index_version(session) != NORMALISER_VERSION:
        return True
    return bool(session.execute(text("SELECT coalesce((SELECT max(id) FROM version), 0)"
                                     " > coalesce((SELECT max(version_id) FROM search_doc), 0)")).scalar())
