"""Schema 7: a run records its releases per discovery source; sitemaps and feeds are kept for re-use.

- `crawl_run.sources`: JSON, releases per source (listing, load_more, sitemap, feed, linked) plus
  `total` and `only_one_source`; NULL for earlier runs.
- `discovery_doc`: one row per sitemap or feed URL, with the ETag / Last-Modified it answered and
  its body (zlib), so the next run asks conditionally and a 304 replays the stored body.

Revision ID: 0007_discovery
Revises: 0006_confidence
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_discovery"
down_revision = "0006_confidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add crawl_run.sources and the discovery_doc table, unless there already (as 0005 and 0006 do)."""
    inspector = sa.inspect(op.get_bind())
    if "sources" not in {c["name"] for c in inspector.get_columns("crawl_run")}:
        op.add_column("crawl_run", sa.Column("sources", sa.JSON(), nullable=True))
    if inspector.has_table("discovery_doc"):
        return
    op.create_table(
        "discovery_doc",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(), nullable=False, unique=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    """Back to schema 6 (the per-source counts and the stored sitemaps and feeds are lost)."""
    op.drop_table("discovery_doc")
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_column("sources")
