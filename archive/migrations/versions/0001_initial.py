"""Schema 1: articles, versions with quotes, images and date mentions, raw pages, runs, failures.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def upgrade() -> None:
    """Create the first schema exactly as the first release's create_all made it."""
    _article_and_runs()
    _raw_page_and_failures()
    _version()
    _children()


def _article_and_runs() -> None:
    op.create_table(
        "article", _id(),
        sa.Column("canonical_url", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("last_checked", sa.DateTime(), nullable=False),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("canonical_url"),
    )
    op.create_index("ix_article_published", "article", ["published"])
    counts = ["pages_fetched", "not_modified", "new_articles", "new_versions", "withdrawn", "errors",
              "fallback_pages"]
    op.create_table(
        "crawl_run", _id(),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("start_url", sa.String(), nullable=False),
        sa.Column("recheck", sa.String(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in counts],
        sa.Column("exit_code", sa.Integer(), nullable=True),
        sa.Column("messages", sa.JSON(), nullable=False),
    )


def _raw_page_and_failures() -> None:
    op.create_table(
        "raw_page", _id(),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "failed_fetch", _id(),
        sa.Column("canonical_url", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), sa.ForeignKey("crawl_run.id"), nullable=True),
        sa.Column("last_attempt", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("canonical_url"),
    )


def _version() -> None:
    op.create_table(
        "version", _id(),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("change", sa.String(), nullable=False),
        sa.Column("changed_fields", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=True),
        sa.Column("kicker", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_source", sa.String(), nullable=True),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("extractor", sa.String(), nullable=True),
        sa.Column("parser_version", sa.String(), nullable=True),
        sa.Column("raw_page_id", sa.Integer(), sa.ForeignKey("raw_page.id"), nullable=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("crawl_run.id"), nullable=True),
        sa.UniqueConstraint("article_id", "number"),
    )
    op.create_index("ix_version_article_id", "version", ["article_id"])
    op.create_index("ix_version_article_number", "version", ["article_id", "number"])


def _child(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name, _id(),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("version.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns,
    )
    op.create_index(f"ix_{name}_version_id", name, ["version_id"])


def _children() -> None:
    _child("date_mention", sa.Column("text", sa.String(), nullable=False),
           sa.Column("date", sa.Date(), nullable=False))
    _child("image", sa.Column("src", sa.String(), nullable=True), sa.Column("alt", sa.Text(), nullable=True),
           sa.Column("caption", sa.Text(), nullable=True), sa.Column("credit", sa.String(), nullable=True))
    _child("quote", sa.Column("text", sa.Text(), nullable=False), sa.Column("speaker", sa.String(), nullable=True),
           sa.Column("role", sa.String(), nullable=True), sa.Column("paragraph", sa.Integer(), nullable=False))
    op.create_index("ix_quote_speaker", "quote", ["speaker"])


def downgrade() -> None:
    """Drop everything (only for a throw-away archive)."""
    for name in ["quote", "image", "date_mention", "version", "failed_fetch", "raw_page", "crawl_run", "article"]:
        op.drop_table(name)
