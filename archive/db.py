"""Opening an archive: a path or SQLAlchemy URL, SQLite in WAL mode, schema created or upgraded."""
from __future__ import annotations

import os

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB = "pressarchive.sqlite"


class ArchiveError(Exception):
    """An archive that cannot be opened or used (bad URL, not a database, newer schema)."""


def resolve_url(db: str | None) -> str:
    """Turn --db (a path or an SQLAlchemy URL; default $PRESSARCHIVE_DB) into an SQLAlchemy URL."""
    db = db or os.environ.get("PRESSARCHIVE_DB") or DEFAULT_DB
    if "://" in db:
        return db
    return "sqlite:///" + os.path.abspath(db)


def sqlite_path(url: str) -> str | None:
    """The file behind an SQLite URL, else None."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):] or None
    return None


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process crashes
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite connections get WAL and foreign keys."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def open_archive(db: str | None) -> sessionmaker[Session]:
    """Open (creating or upgrading the schema as needed) and return a session factory."""
    from .migrate import upgrade  # noqa: PLC0415

    engine = make_engine(resolve_url(db))
    upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)
