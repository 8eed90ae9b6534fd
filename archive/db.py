"""Opening an archive: a path or SQLAlchemy URL, SQLite in WAL mode, schema created or upgraded."""
from __future__ import annotations

import json
import os
import re
import sqlite3
from urllib.parse import quote

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from .errors import BadInput, first_line

DEFAULT_DB = "pressarchive.sqlite"
SQLITE_MAGIC = b"SQLite format 3\x00"

# Execution option naming the SQLite BEGIN mode; writers use IMMEDIATE so that a transaction that
# reads before it writes never fails on upgrading its lock (SQLITE_BUSY_SNAPSHOT in WAL mode).
BEGIN_MODE = "pressarchive_begin"


class ArchiveError(BadInput):
    """An archive that cannot be opened or used (bad URL, not a database, newer schema): exit 2."""


def resolve_url(db: str | None) -> str:
    """Turn --db (a path or an SQLAlchemy URL; default $PRESSARCHIVE_DB) into an SQLAlchemy URL."""
    db = db or os.environ.get("PRESSARCHIVE_DB") or DEFAULT_DB
    if "://" in db:
        return db
    # expanduser: cron and systemd pass PRESSARCHIVE_DB=~/… through without a shell to expand it.
    path = os.path.abspath(os.path.expanduser(db))
    # URL.create quotes what a URL would read otherwise (?, #, %, @): "a?b.sqlite" must not open "a".
    return URL.create("sqlite", database=path).render_as_string(hide_password=False)


def sqlite_path(url: str) -> str | None:
    """The file behind an SQLite URL (any driver spelling, e.g. sqlite+pysqlite:///), else None."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    return (parsed.database or None) if parsed.get_backend_name() == "sqlite" else None


def display_url(url: str) -> str:
    """The URL as messages may show it: any password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def archive_name(url: str) -> str:
    """How messages name an archive: its file, else its URL with any password masked."""
    return sqlite_path(url) or display_url(url)


def cannot_open(url: str, exc: BaseException) -> ArchiveError:
    """The one-line error for an archive that could not be opened: its name and the first line of why."""
    name, detail = archive_name(url), first_line(exc)
    if "file is not a database" in detail:
        return ArchiveError(f"{name} is not a pressarchive database")
    return ArchiveError(f"cannot open archive {name}: {detail}")


def _sqlite_connect(dbapi_conn, _record) -> None:
    # isolation_level=None hands transaction control to SQLAlchemy (the "begin" hook below):
    # pysqlite's own implicit BEGIN skips DDL and SELECTs, so migrations would not be atomic.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn) -> None:
    mode = conn.get_execution_options().get(BEGIN_MODE, "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def _sqlite_connect_readonly(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # as above; WAL and synchronous are the writer's business
    dbapi_conn.execute("PRAGMA foreign_keys=ON")


def _json(value) -> str:
    # Real characters, not \u escapes: Datasette shows JSON cells as stored, and LIKE '%ü%' must find them.
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, readonly_uri: str | None = None) -> Engine:
    """An engine for the URL; SQLite connections get WAL, foreign keys and real transactions.

    readonly_uri: an SQLite file: URI (mode=ro or immutable=1) the connections open instead.
    """
    extra = {"creator": lambda: sqlite3.connect(readonly_uri, uri=True, check_same_thread=False)} \
        if readonly_uri else {}
    try:
        engine = create_engine(url, json_serializer=_json, **extra)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise cannot_open(url, exc) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect_readonly if readonly_uri else _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def check_sqlite_file(url: str) -> None:
    """Refuse an existing, non-empty file that is not SQLite, before SQLite touches it."""
    path = sqlite_path(url)
    if path and os.path.isdir(path):
        raise ArchiveError(f"{path} is a folder, not a pressarchive database")
    if not path or not os.path.isfile(path) or os.path.getsize(path) == 0:
        return
    try:
        with open(path, "rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise ArchiveError(f"cannot open {path}: {exc.strerror or exc}") from None
    if magic != SQLITE_MAGIC:
        raise ArchiveError(f"{path} is not a pressarchive database")


def open_archive(db: str | None, migrate: bool = True) -> sessionmaker[Session]:
    """Open (creating or upgrading the schema as needed, unless told not to) and return a session factory."""
    url = resolve_url(db)
    check_sqlite_file(url)
    engine = make_engine(url)
    if migrate:
        from .migrate import upgrade  # noqa: PLC0415 - Alembic costs ~0.15 s to import

        upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def open_existing(db: str | None) -> sessionmaker[Session]:
    """An archive that must exist already (reading commands): never created; opened read-only if not writable.

    A writable archive is upgraded as every command does. One on a read-only filesystem or that the
    user may not write is read as it is: SQLite in mode=ro, or immutable=1 when not even its WAL
    index (the -shm file beside it) can be opened.
    """
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is None or path == ":memory:" or path.startswith("file:"):
        return _open_server(url)
    if not os.path.exists(path) or (os.path.isfile(path) and os.path.getsize(path) == 0):
        raise ArchiveError(f"no archive at {path}")
    check_sqlite_file(url)
    if writable(path):
        return open_archive(url)
    engine = _readonly_engine(url, path)
    from .migrate import check_readable  # noqa: PLC0415

    check_readable(engine)
    return sessionmaker(engine, expire_on_commit=False)


def writable(path: str) -> bool:
    """Whether this user may write the archive file and the folder its journal files go into."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def readonly_uri(path: str, immutable: bool = False) -> str:
    """An SQLite file: URI opening path read-only (immutable: without the WAL index, nothing may write)."""
    return f"file:{quote(os.path.abspath(path))}?{'immutable=1' if immutable else 'mode=ro'}"


def _readonly_engine(url: str, path: str) -> Engine:
    """mode=ro where it works (it sees a crawl's uncommitted-to-file WAL pages), else immutable=1."""
    try:
        sqlite3.connect(readonly_uri(path), uri=True).execute("SELECT 1 FROM sqlite_master").close()
        return make_engine(url, readonly_uri(path))
    except sqlite3.Error:
        pass
    wal = path + "-wal"
    if os.path.exists(wal) and os.path.getsize(wal) > 0:  # immutable=1 would silently skip its pages
        raise ArchiveError(f"{path} has a write-ahead log that cannot be read without write access to its folder;"
                           " open it once where it can be written")
    return make_engine(url, readonly_uri(path, immutable=True))


def _open_server(url: str) -> sessionmaker[Session]:
    """A database server's archive: it must hold the pressarchive schema already."""
    engine = make_engine(url)
    from .migrate import check_exists, upgrade  # noqa: PLC0415

    check_exists(engine)
    upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)
