"""Schema 8 (PostgreSQL): the headline's lexemes in a column of their own, GIN-indexed, for search's headline tier.

archive.search_pg ranks the matches whose headline holds a query phrase first and, when those fill
the page, never scores the rest. `search_doc.headline` holds the weight-A lexemes of `document`
(ts_filter(document, '{a}'), filled here for the rows there are; the store writes both from now on).
A column, not an expression index on ts_filter: ranking the headline tier reads each hit's headline,
and ts_filter would detoast and copy the whole document for that (about 5 µs a hit, twice the cost
of ranking the document itself), where the short headline is stored inline.
On SQLite nothing changes (its FTS5 index has a headline column of its own).

Revision ID: 0008_headline_index
Revises: 0007_discovery
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_headline_index"
down_revision = "0007_discovery"
branch_labels = None
depends_on = None

STATEMENTS = (
    "ALTER TABLE search_doc ADD COLUMN IF NOT EXISTS headline TSVECTOR",
    "UPDATE search_doc SET headline = ts_filter(document, '{a}') WHERE document IS NOT NULL AND headline IS NULL",
    "CREATE INDEX IF NOT EXISTS search_doc_headline ON search_doc USING GIN (headline)",
)


def upgrade() -> None:
    """Add, fill and index search_doc.headline on PostgreSQL; SQLite: nothing."""
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        conn.execute(sa.text(statement))


def downgrade() -> None:
    """Drop the headline column and its index (derived from search_doc.document)."""
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("DROP INDEX IF EXISTS search_doc_headline"))
        conn.execute(sa.text("ALTER TABLE search_doc DROP COLUMN IF EXISTS headline"))
