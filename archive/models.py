"""The archive's tables: Article, Version (with Quote, Image, DateMention), RawPage, CrawlRun.

Schema changes need an Alembic revision in archive/migrations/versions (see archive/migrate.py).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Index and foreign-key names as the Alembic revisions spell them, so a later revision can name what
# it drops. Unique constraints stay unnamed: schema 1 made them so, and naming them now would need
# every table rebuilt on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}


class Base(DeclarativeBase):
    """The archive's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def latest_real_number(article_id: str | None = None) -> str:
    """SQL for the newest version of an article that is no withdrawal (its last real text).

    With an article id expression: a scalar subquery for that article; without: a SELECT of
    (article_id, number) for every article that has one."""
    if article_id is not None:
        return ("(SELECT max(lv.number) FROM version lv WHERE lv.article_id = "
                f"{article_id} AND lv.change <> 'withdrawn')")
    return "SELECT article_id, max(number) AS number FROM version WHERE change <> 'withdrawn' GROUP BY article_id"


class Article(Base):
    """One press release, identified by its canonical URL; never deleted."""

    __tablename__ = "article"
    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String, unique=True)
    url: Mapped[str] = mapped_column(String)  # the address last fetched
    status: Mapped[str] = mapped_column(String, default="active")  # active | withdrawn
    published: Mapped[date | None] = mapped_column(Date, index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)  # last 200/304: the release was there
    last_checked: Mapped[datetime] = mapped_column(DateTime, index=True)  # last answer of any kind (incl. 404/410)
    etag: Mapped[str | None] = mapped_column(String)
    last_modified: Mapped[str | None] = mapped_column(String)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    versions: Mapped[list[Version]] = relationship(
        back_populates="article", order_by="Version.number", cascade="all, delete-orphan"
    )


class RawPage(Base):
    """A distinct fetched response body, stored once (zlib), addressed by its SHA-256."""

    __tablename__ = "raw_page"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String)
    status: Mapped[int] = mapped_column(Integer)
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    size: Mapped[int] = mapped_column(Integer)
    body: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed
    # The article whose fetch first produced this body (schema 2): bodies whose content did not
    # change (only the chrome did) are linked from no version, yet still belong to an article.
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("article.id", name="fk_raw_page_article_id_article"), index=True
    )


class Version(Base):
    """One state of an article: its extracted fields as of one fetch."""

    __tablename__ = "version"
    # The unique (article_id, number) is the index for both (a separate article_id index was a duplicate).
    __table_args__ = (UniqueConstraint("article_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id"))
    number: Mapped[int] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    change: Mapped[str] = mapped_column(String)  # new | edited | withdrawn
    changed_fields: Mapped[list] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String, default="press_release")
    headline: Mapped[str | None] = mapped_column(Text)
    kicker: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    published_source: Mapped[str | None] = mapped_column(String)
    paragraphs: Mapped[list] = mapped_column(JSON, default=list)
    body: Mapped[str] = mapped_column(Text, default="")  # paragraphs joined by blank lines
    content_hash: Mapped[str] = mapped_column(String(64))
    extractor: Mapped[str | None] = mapped_column(String)
    confidence: Mapped[float | None] = mapped_column(Float)  # schema 6; None: stored before it was measured
    parser_version: Mapped[str | None] = mapped_column(String)
    raw_page_id: Mapped[int | None] = mapped_column(ForeignKey("raw_page.id"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    article: Mapped[Article] = relationship(back_populates="versions")
    raw_page: Mapped[RawPage | None] = relationship()
    quotes: Mapped[list[Quote]] = relationship(order_by="Quote.position", cascade="all, delete-orphan")
    images: Mapped[list[Image]] = relationship(order_by="Image.position", cascade="all, delete-orphan")
    date_mentions: Mapped[list[DateMention]] = relationship(
        order_by="DateMention.position", cascade="all, delete-orphan"
    )


class Quote(Base):
    """Attributed speech in a version."""

    __tablename__ = "quote"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str | None] = mapped_column(String, index=True)
    role: Mapped[str | None] = mapped_column(String)
    paragraph: Mapped[int] = mapped_column(Integer)


class Image(Base):
    """An image of a version with its caption and credit."""

    __tablename__ = "image"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    src: Mapped[str | None] = mapped_column(String)
    alt: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    credit: Mapped[str | None] = mapped_column(String)


class DateMention(Base):
    """A date named in a version's body."""

    __tablename__ = "date_mention"
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String)
    date: Mapped[date] = mapped_column(Date)


class CrawlRun(Base):
    """One `pressarchive crawl`: what it fetched, stored and failed."""

    __tablename__ = "crawl_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    start_url: Mapped[str] = mapped_column(String)
    site: Mapped[str | None] = mapped_column(String)  # the site profile crawled (schema 3; None before)
    recheck: Mapped[str] = mapped_column(String)
    pid: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String, default="running")  # running | ok | failed
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, default=0)
    new_articles: Mapped[int] = mapped_column(Integer, default=0)
    new_versions: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    fallback_pages: Mapped[int] = mapped_column(Integer, default=0)
    low_confidence: Mapped[int] = mapped_column(Integer, default=0)  # schema 6: pages extracted below 0.5
    exit_code: Mapped[int | None] = mapped_column(Integer)
    messages: Mapped[list] = mapped_column(JSON, default=list)  # errors and alarms, one line each
    sources: Mapped[dict | None] = mapped_column(JSON)  # releases per discovery source (schema 7; None before)


class FailedFetch(Base):
    """A release URL that could not be archived; the next run tries it again."""

    __tablename__ = "failed_fetch"
    id: Mapped[int] = mapped_column(primary_key=True)
    canonical_url: Mapped[str] = mapped_column(String, unique=True)
    url: Mapped[str] = mapped_column(String)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    last_attempt: Mapped[datetime] = mapped_column(DateTime)


class DiscoveryDoc(Base):
    """A sitemap or feed as last fetched: its validators for the next conditional request, its body for a 304."""

    __tablename__ = "discovery_doc"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String, unique=True)
    kind: Mapped[str] = mapped_column(String)  # sitemap | feed
    etag: Mapped[str | None] = mapped_column(String)
    last_modified: Mapped[str | None] = mapped_column(String)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    body: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed
