"""Schema 8 (PostgreSQL): a GIN index on the headline's lexemes, for search's headline tier.

archive.search_pg ranks the matches whose headline holds a query phrase first and, when those fill
the page, never scores the rest. The headline's lexemes are the weight-A ones of
`search_doc.document`, so the index is on the expression `ts_filter(document, '{a}')` (ts_filter is
IMMUTABLE): no new column to fill, and existing archives are covered as soon as the index is built.
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

HEADLINE_INDEX = ("CREATE INDEX IF NOT EXISTS search_doc_headline ON search_doc"
                  " USING GIN (ts_filter(document, '{a}'))")


def upgrade() -> None:
    """Create the headline index on PostgreSQL; SQLite: nothing."""
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(HEADLINE_INDEX))


def downgrade() -> None:
    """Drop the headline index (it is derived from search_doc.document)."""
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("DROP INDEX IF EXISTS search_doc_headline"))
