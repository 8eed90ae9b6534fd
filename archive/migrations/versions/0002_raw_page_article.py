"""Schema 2: raw pages know their article; articles are indexed by last check (re-check policy).

A body whose content did not change (only the portal's chrome did) is stored once but linked from
no version; raw_page.article_id keeps it attributable (WARC export, audits). Existing raw pages
are back-filled from the versions that link them.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add raw_page.article_id (FK, indexed, back-filled) and an index on article.last_checked."""
    with op.batch_alter_table("raw_page") as batch:
        batch.add_column(sa.Column("article_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_raw_page_article_id_article", "article", ["article_id"], ["id"])
        batch.create_index("ix_raw_page_article_id", ["article_id"])
    op.execute(
        "UPDATE raw_page SET article_id = (SELECT MIN(version.article_id) FROM version"
        " WHERE version.raw_page_id = raw_page.id)"
    )
    op.create_index("ix_article_last_checked", "article", ["last_checked"])


def downgrade() -> None:
    """Back to schema 1 (the link is derived data; nothing is lost that versions do not hold)."""
    op.drop_index("ix_article_last_checked", table_name="article")
    with op.batch_alter_table("raw_page") as batch:
        batch.drop_index("ix_raw_page_article_id")
        batch.drop_constraint("fk_raw_page_article_id_article", type_="foreignkey")
        batch.drop_column("article_id")
