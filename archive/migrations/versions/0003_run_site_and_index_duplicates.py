"""Schema 3: a run records its site profile; two indexes that duplicated version's unique key dropped.

version has UNIQUE (article_id, number), which SQLite and PostgreSQL back with an index that
serves lookups by article_id too; ix_version_article_id and ix_version_article_number only cost
space and every insert. No rows change.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add crawl_run.site (NULL for earlier runs) and drop the two duplicate version indexes."""
    op.add_column("crawl_run", sa.Column("site", sa.String(), nullable=True))
    op.drop_index("ix_version_article_number", table_name="version")
    op.drop_index("ix_version_article_id", table_name="version")


def downgrade() -> None:
    """Back to schema 2 (the site names of the runs are lost; the indexes are rebuilt)."""
    op.create_index("ix_version_article_id", "version", ["article_id"])
    op.create_index("ix_version_article_number", "version", ["article_id", "number"])
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_column("site")
