"""Schema 5 (PostgreSQL): the full-text search tables, a tsvector column with a GIN index.

On SQLite nothing changes: archive.search creates its FTS5 tables on demand. On PostgreSQL this
creates what archive.search_pg writes on every store write and reads on every search:
- `search_doc`: one row per version (article, number, withdrawn, is_latest, published, folded
  speakers) and `document`, the tsvector of its normalised token streams, headline weighted A,
  quotes B, captions C, body D; GIN-indexed. Withdrawals have no document.
- `search_term`: the vocabulary for compounds (archive.vocabulary), in byte order (COLLATE "C") so
  that its range scans mean what they mean on SQLite whatever the database's collation.
- `search_meta`: the normaliser version the index was built with.
Existing versions are indexed by the first search (archive.search_pg.catch_up), not here.

Revision ID: 0005_i13_pg_search
Revises: 0004
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_i13_pg_search"
down_revision = "0004"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE TABLE IF NOT EXISTS search_doc (version_id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL,"
    " number INTEGER NOT NULL, withdrawn BOOLEAN NOT NULL DEFAULT false,"
    " is_latest BOOLEAN NOT NULL DEFAULT false, published DATE, speakers TEXT NOT NULL DEFAULT '',"
    " document TSVECTOR)",
    "CREATE INDEX IF NOT EXISTS search_doc_article ON search_doc (article_id)",
    "CREATE INDEX IF NOT EXISTS search_doc_document ON search_doc USING GIN (document)",
    'CREATE TABLE IF NOT EXISTS search_term (term TEXT COLLATE "C" PRIMARY KEY, rev TEXT COLLATE "C" NOT NULL)',
    "CREATE INDEX IF NOT EXISTS search_term_rev ON search_term (rev)",
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


def upgrade() -> None:
    """Create the PostgreSQL search tables; SQLite: nothing."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    """Drop the PostgreSQL search tables (their content is derived from the versions)."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for table in ("search_meta", "search_term", "search_doc"):
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
