"""The versioned store: every fetch becomes a new Version only when the content really changed.

Transactions: each save_* call is one transaction (article, version, raw page and child rows commit
together, so a kill -9 never leaves a version without its raw page); SQLite writers BEGIN IMMEDIATE.

Raw pages: every distinct response body is stored once (zlib level 6, addressed by the SHA-256 of
the body as received) together with the article it belongs to; a version links the page it came
from. A 200 whose extracted content is unchanged but whose body differs (the portal's chrome
changed) adds that body and no version; an identical re-fetch adds nothing. 404/410 answers are
not stored: a withdrawn version has no raw page.

Search hook: after every write that adds or changes versions, and before that transaction commits,
the store calls `archive.search.index_versions(session, version_ids)` (as `Store.indexer`, which
tests may replace). Its writes (FTS rows) thus
commit or roll back together with the versions: new versions, withdrawals and reparse alike.

Times are stored as naive UTC (aware datetimes passed in are converted). save_fetch records the
parser version when the crawler puts it in the record dict as "parser_version".
"""
from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from crawler.records import COUNT_FIELDS, LOW_CONFIDENCE, Fetch, KnownArticle, RunCounts, flat_headers, header, naive_utc, utcnow

from .db import BEGIN_MODE, open_archive
from crawler.parsing.record import CHILDREN, SCALARS

from .models import Article, CrawlRun, FailedFetch, RawPage, Version
from .runs import stored_changes
from .search import index_versions
from .search_index import tidy_index
from .versioning import changed_fields, content_hash, make_extract, version_extract

log = logging.getLogger(__name__)

REPARSE_BATCH = 50  # articles per reparse transaction: memory stays flat, locks stay short
RECENT_DAYS = 30
STALE_DAYS = 7




class Store:
    """The archive as the crawler and the CLI use it."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions
        self.indexer: Callable | None = index_versions

    @classmethod
    def open(cls, db: str | None, migrate: bool = True) -> "Store":
        """Open the archive at a path or SQLAlchemy URL, creating or upgrading its schema (if migrate)."""
        return cls(open_archive(db, migrate))

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction; IMMEDIATE so reading before writing never hits a lock upgrade."""
        with self.sessions.begin() as session:
            session.connection(execution_options={BEGIN_MODE: "IMMEDIATE"})
            yield session

    def _index(self, session: Session, version_ids: list[int]) -> None:
        if self.indexer is not None and version_ids:
            session.flush()
            self.indexer(session, list(version_ids))

    # --- runs -------------------------------------------------------------------------------
    def start_run(self, start_url: str, recheck: str, pid: int, site: str | None = None) -> int:
        """Record the start of a crawl of a site profile; returns the run id."""
        with self._write() as s:
            run = CrawlRun(started_at=utcnow(), start_url=start_url, site=site, recheck=recheck, pid=pid,
                           status="running", messages=[], **dict.fromkeys(COUNT_FIELDS, 0))
            s.add(run)
            s.flush()
            return run.id

    def finish_run(self, run_id: int, counts: RunCounts, exit_code: int, status: str | None = None) -> None:
        """Record the end of a crawl with its tallies, exit code and status (default: ok or failed)."""
        with self._write() as s:
            run = s.get(CrawlRun, run_id)
            if run is None:
                raise ValueError(f"no crawl run {run_id}")
            for name in COUNT_FIELDS:
                setattr(run, name, getattr(counts, name))
            run.messages = list(counts.messages)
            run.sources = dict(counts.sources) or None
            run.exit_code = exit_code
            run.status = status or ("ok" if exit_code == 0 else "failed")
            run.finished_at = utcnow()

    def tidy_search_index(self) -> bool:
        """Merge the search index's segments if writes left many (archive.search_index.tidy_index)."""
        with self._write() as s:
            return tidy_index(s)

    def stored_in_run(self, run_id: int, canonical_urls: list[str]) -> set[str]:
        """Which of these releases got a version in this run (stored, though the crawl may not have heard)."""
        with self.sessions() as s:
            return set(s.scalars(select(Article.canonical_url).join(Version, Version.article_id == Article.id)
                                 .where(Version.run_id == run_id, Article.canonical_url.in_(canonical_urls))))

    def stored_changes(self, run_id: int) -> dict[str, int]:
        """The versions a run stored, as its counts: new_articles, new_versions, withdrawn."""
        with self.sessions() as s:
            return stored_changes(s, run_id)

    def update_run(self, run_id: int, counts: RunCounts) -> None:
        """Write a running crawl's tallies so far (a killed run keeps what it had counted)."""
        with self._write() as s:
            s.execute(update(CrawlRun).where(CrawlRun.id == run_id, CrawlRun.status == "running")
                      .values(**{name: getattr(counts, name) for name in COUNT_FIELDS}))

    # --- what to fetch ----------------------------------------------------------------------
    def known_articles(self) -> dict[str, KnownArticle]:
        """Every archived article by canonical URL (withdrawn ones included)."""
        query = select(Article.canonical_url, Article.url, Article.etag, Article.last_modified, Article.last_checked)
        with self.sessions() as s:
            return {row.canonical_url: KnownArticle(*row) for row in s.execute(query)}

    def due_for_recheck(self, policy: str, now: datetime) -> set[str]:
        """Canonical URLs to fetch again: policy new -> none, recent -> published <30 days or unchecked 7 days, all."""
        if policy == "new":
            return set()
        query = select(Article.canonical_url)
        if policy == "recent":
            now = naive_utc(now)
            query = query.where(or_(Article.published >= now.date() - timedelta(days=RECENT_DAYS),
                                    Article.last_checked <= now - timedelta(days=STALE_DAYS)))
        elif policy != "all":
            raise ValueError(f"unknown recheck policy {policy!r} (new, recent or all)")
        with self.sessions() as s:
            return set(s.scalars(query))

    def failures(self) -> list[tuple[str, str, int, int | None]]:
        """(canonical_url, url, attempts, last_run_id) of every release whose last fetch failed, oldest first."""
        query = select(FailedFetch.canonical_url, FailedFetch.url, FailedFetch.attempts, FailedFetch.last_run_id)
        with self.sessions() as s:
            return [tuple(row) for row in s.execute(query.order_by(FailedFetch.last_attempt))]

    def run_ids(self) -> list[int]:
        """Every recorded run's id, ascending (retries wait a number of runs)."""
        with self.sessions() as s:
            return list(s.scalars(select(CrawlRun.id).order_by(CrawlRun.id)))

    # --- what was fetched (each call is one transaction) -----------------------------------
    # The hot path (save_fetch) writes with prepared Core statements: the ORM unit of work and
    # statement building cost more than the SQL itself.
    def save_fetch(self, fetch: Fetch, record: dict, run_id: int | None) -> str:
        """Store a 200 answer and its parse record; returns 'new', 'edited', 'unchanged' or 'kept'.

        'kept': the page was extracted below LOW_CONFIDENCE while the latest version was not; that
        version stays the latest and the raw page is stored beside it (the caller warns)."""
        extract, at = make_extract(record), naive_utc(fetch.fetched_at)
        with self._write() as s:
            conn = s.connection()
            row = _article_row(conn, fetch.canonical_url)
            article_id = row.id if row else _insert_article(conn, fetch, at)
            meta = {"fetched_at": at, "raw_page_id": _raw_page(conn, fetch, at, article_id), "run_id": run_id,
                    "parser_version": record.get("parser_version")}
            _clear_failure(conn, fetch.canonical_url)
            if row is None:
                self._add_version(s, article_id, 1, extract, "new", [], meta, {**_seen(fetch, at), "status": "active"})
                return "new"
            verdict, changed = self._judge(s, row, extract)
            if verdict is not None:  # unchanged, or kept: the article was seen, no version added
                _update_article(conn, article_id, _seen(fetch, at))
                return verdict
            self._add_version(s, article_id, row.latest_version + 1, extract, "edited", changed, meta,
                              {**_seen(fetch, at), "status": "active"})
            return "edited"

    def _judge(self, s: Session, row, extract: dict) -> tuple[str | None, list[str]]:
        """('unchanged' | 'kept', []) for a fetch of a known article that adds no version, else (None, changes)."""
        new_hash = content_hash(extract)
        if row.status == "active" and new_hash == row.content_hash:
            return "unchanged", []
        changed = self._changes(s, row, extract)
        if row.status != "active":
            return None, changed  # a withdrawn release is back: always a version
        if not changed:
            # The stored hash predates a change of the compared fields (the kicker left them): store
            # today's, so that the next fetch takes the fast path again.
            s.execute(update(Version).where(Version.article_id == row.id, Version.number == row.latest_version)
                      .values(content_hash=new_hash))
            return "unchanged", []
        return ("kept" if _doubtful(extract.get("confidence"), row.confidence) else None), changed

    def save_not_modified(self, canonical_url: str, fetched_at: datetime, run_id: int | None) -> None:
        """A 304: the article was seen again, nothing new is stored."""
        at = naive_utc(fetched_at)
        with self._write() as s:
            conn = s.connection()
            conn.execute(update(Article).where(Article.canonical_url == canonical_url)
                         .values(last_seen=at, last_checked=at))
            _clear_failure(conn, canonical_url)

    def save_gone(self, fetch: Fetch, run_id: int | None) -> bool:
        """A 404/410 for a known article: add a 'withdrawn' version once; True if one was added."""
        at = naive_utc(fetch.fetched_at)
        with self._write() as s:
            conn = s.connection()
            _clear_failure(conn, fetch.canonical_url)
            row = _article_row(conn, fetch.canonical_url)
            if row is None:
                return False
            # Forget the validators: when the release returns, the next fetch must be a full 200.
            checked = {"last_checked": at, "etag": None, "last_modified": None}
            if row.status == "withdrawn" or not row.latest_version:
                _update_article(conn, row.id, checked)
                return False
            previous = self._latest(s, row.id, row.latest_version)
            meta = {"fetched_at": at, "raw_page_id": None, "run_id": run_id,
                    "parser_version": previous.parser_version}
            self._add_version(s, row.id, row.latest_version + 1, version_extract(previous), "withdrawn",
                              ["status"], meta, {**checked, "status": "withdrawn"})
            return True

    def save_failure(self, canonical_url: str, url: str, error: str, run_id: int | None) -> int:
        """A release that could not be fetched or parsed this run (retried later); returns its failed runs in a row."""
        with self._write() as s:
            row = s.scalar(select(FailedFetch).where(FailedFetch.canonical_url == canonical_url))
            if row is None:
                row = FailedFetch(canonical_url=canonical_url, attempts=0)
                s.add(row)
            row.attempts += 1
            row.url, row.error, row.last_run_id, row.last_attempt = url, error[:2000], run_id, utcnow()
            return row.attempts

    # --- reading and maintenance ------------------------------------------------------------
    def reparse(self, parse: Callable[[bytes, str, dict], dict], parser_version: str) -> int:
        """Re-extract every version from its raw page in place; returns how many changed."""
        changed, after = 0, 0
        while True:
            with self._write() as s:
                ids = s.scalars(select(Article.id).where(Article.id > after)
                                .order_by(Article.id).limit(REPARSE_BATCH)).all()
                if not ids:
                    return changed
                changed += self._reparse_articles(s, ids, parse, parser_version)
            after = ids[-1]

    # --- helpers ----------------------------------------------------------------------------
    def _latest(self, s: Session, article_id: int, number: int) -> Version:
        return s.scalar(select(Version).where(Version.article_id == article_id, Version.number == number)
                        .options(*_CHILDREN))

    def _changes(self, s: Session, row, extract: dict) -> list[str]:
        """Fields that differ from the latest version; 'status' when a withdrawn release is back."""
        names = changed_fields(version_extract(self._latest(s, row.id, row.latest_version)), extract)
        return names + ["status"] if row.status == "withdrawn" else names

    def _add_version(self, s: Session, article_id: int, number: int, extract: dict, change: str,
                     changed: list[str], meta: dict, article_values: dict) -> int:
        """Insert a version with its child rows, point the article at it, and index it."""
        conn = s.connection()
        values = {"article_id": article_id, "number": number, "change": change, "changed_fields": changed,
                  **meta, **_columns(extract)}
        version_id = conn.execute(insert(Version), values).inserted_primary_key[0]
        for name, rows in _child_rows(extract).items():
            if rows:
                conn.execute(insert(_CHILD_MODELS[name]), [{"version_id": version_id, **r} for r in rows])
        _update_article(conn, article_id, {**article_values, "latest_version": number,
                                           "published": values["published"]})
        self._index(s, [version_id])
        return version_id

    def _reparse_articles(self, s: Session, ids: list[int], parse: Callable, parser_version: str) -> int:
        versions = s.scalars(select(Version).where(Version.article_id.in_(ids))
                             .order_by(Version.article_id, Version.number)
                             .options(*_CHILDREN, selectinload(Version.raw_page))).all()
        touched = [v for v in versions if v.raw_page is not None and _reparse_one(v, parse, parser_version)]
        _refresh_history(s, versions)
        self._index(s, [v.id for v in touched])
        return len(touched)


_CHILDREN = tuple(selectinload(getattr(Version, name)) for name in CHILDREN)
# The ORM class of each child list of the record (Version.quotes holds Quote rows, ...).
_CHILD_MODELS = {name: getattr(Version, name).property.mapper.class_ for name in CHILDREN}


def _doubtful(new: float | None, stored: float | None) -> bool:
    """A new extraction below LOW_CONFIDENCE that would replace a good (or unmeasured) stored version."""
    return new is not None and new < LOW_CONFIDENCE and (stored is None or stored >= LOW_CONFIDENCE)


def _reparse_one(version: Version, parse: Callable, parser_version: str) -> bool:
    """Re-extract one version from its raw page; True if its extracted fields changed."""
    page = version.raw_page
    try:
        record = parse(zlib.decompress(page.body), page.url, dict(page.headers or {}))
    except Exception as exc:  # noqa: BLE001 - one stored page the parser rejects must not stop the rest
        log.warning("reparse: version %s (%s) left as it was: %s", version.id, page.url, exc)
        return False
    extract = make_extract(record)
    version.parser_version = parser_version
    if extract == version_extract(version):
        return False
    _fill(version, extract)
    return True


def _refresh_history(s: Session, versions: list[Version]) -> None:
    """Recompute changed_fields, and each article's published date, after re-extraction."""
    for previous, version in zip(versions, versions[1:]):
        if previous.article_id != version.article_id:
            _sync_published(s, previous)
        elif version.raw_page is not None:  # withdrawn versions keep their ["status"]
            names = changed_fields(version_extract(previous), version_extract(version))
            names += ["status"] if previous.change == "withdrawn" else []
            if names != list(version.changed_fields or []):
                version.changed_fields = names
    if versions:
        _sync_published(s, versions[-1])


def _sync_published(s: Session, latest: Version) -> None:
    s.execute(update(Article).where(Article.id == latest.article_id, Article.latest_version == latest.number)
              .values(published=latest.published))


def _column_value(f, value):
    return _date(value) if f.metadata["kind"] == "date" else list(value) if f.metadata["kind"] == "texts" else value


def _columns(extract: dict) -> dict:
    """A version's extracted columns (the record's stored scalars, body, content hash) from an extract."""
    columns = {f.name: _column_value(f, extract[f.name]) for f in SCALARS}
    columns["body"] = "\n\n".join(extract["paragraphs"])
    columns["content_hash"] = content_hash(extract)
    return columns


def _child_rows(extract: dict) -> dict[str, list[dict]]:
    """The child rows of an extract by record field (without version_id), each with its position."""
    return {name: [{"position": n, **{f.name: _column_value(f, child[f.name]) for f in fields(item)}}
                   for n, child in enumerate(extract[name])]
            for name, item in CHILDREN.items()}


def _fill(version: Version, extract: dict) -> None:
    """Replace a loaded version's extracted columns and child rows in place (reparse)."""
    for name, value in _columns(extract).items():
        setattr(version, name, value)
    for name, rows in _child_rows(extract).items():
        setattr(version, name, [_CHILD_MODELS[name](**row) for row in rows])


# Built once: constructing statements per call cost as much as running them.
_ARTICLE_ROW = (select(Article.id, Article.status, Article.latest_version, Version.content_hash, Version.confidence)
                .outerjoin(Version, and_(Version.article_id == Article.id, Version.number == Article.latest_version))
                .where(Article.canonical_url == bindparam("canonical")))
_UPDATE_ARTICLE = update(Article).where(Article.id == bindparam("article"))  # SET: the params' columns
_RAW_PAGE_ID = select(RawPage.id).where(RawPage.sha256 == bindparam("sha"))
_CLEAR_FAILURE = delete(FailedFetch).where(FailedFetch.canonical_url == bindparam("canonical"))


def _article_row(conn: Connection, canonical_url: str):
    """id, status, latest_version, the latest content hash and confidence of an article, in one query."""
    return conn.execute(_ARTICLE_ROW, {"canonical": canonical_url}).first()


def _insert_article(conn: Connection, fetch: Fetch, at: datetime) -> int:
    values = {"canonical_url": fetch.canonical_url, "url": fetch.url, "status": "active", "first_seen": at,
              "last_seen": at, "last_checked": at, "latest_version": 0}
    return conn.execute(insert(Article), values).inserted_primary_key[0]


def _update_article(conn: Connection, article_id: int, values: dict) -> None:
    conn.execute(_UPDATE_ARTICLE, {"article": article_id, **values})


def _seen(fetch: Fetch, at: datetime) -> dict:
    """Article columns a 200 updates: where and when it was seen, and its validators."""
    return {"url": fetch.url, "last_seen": at, "last_checked": at,
            "etag": header(fetch.headers, "etag"), "last_modified": header(fetch.headers, "last-modified")}


def _raw_page(conn: Connection, fetch: Fetch, at: datetime, article_id: int) -> int:
    """The id of the stored body, storing it (compressed) if it is new."""
    sha = hashlib.sha256(fetch.body).hexdigest()
    page_id = conn.execute(_RAW_PAGE_ID, {"sha": sha}).scalar()
    if page_id is None:
        values = {"sha256": sha, "url": fetch.url, "status": fetch.status, "headers": flat_headers(fetch.headers),
                  "fetched_at": at, "size": len(fetch.body), "body": zlib.compress(fetch.body, 6),
                  "article_id": article_id}
        page_id = conn.execute(insert(RawPage), values).inserted_primary_key[0]
    return page_id


def _clear_failure(conn: Connection, canonical_url: str) -> None:
    conn.execute(_CLEAR_FAILURE, {"canonical": canonical_url})


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
