"""Schema 6: how sure the extractor was, per version, and a run's count of doubtful pages.

- `version.confidence` (issue 10): the record's confidence in [0, 1]; NULL for versions stored
  before it was measured (`reparse` fills it in from their raw pages).
- `crawl_run.low_confidence`: release pages of the run extracted below 0.5 (0 for earlier runs).

Revision ID: 0006_confidence
Revises: 0005_i13_pg_search
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_confidence"
down_revision = "0005_i13_pg_search"
branch_labels = None
depends_on = None


COLUMNS = (("version", sa.Column("confidence", sa.Float(), nullable=True)),
           ("crawl_run", sa.Column("low_confidence", sa.Integer(), nullable=False, server_default="0")))


def upgrade() -> None:
    """Add version.confidence (NULL) and crawl_run.low_confidence (0), unless there already (as 0005 does)."""
    inspector = sa.inspect(op.get_bind())
    for table, column in COLUMNS:
        if column.name not in {c["name"] for c in inspector.get_columns(table)}:
            op.add_column(table, column)


def downgrade() -> None:
    """Back to schema 5 (the confidences are lost)."""
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_column("low_confidence")
    with op.batch_alter_table("version") as batch:
        batch.drop_column("confidence")
