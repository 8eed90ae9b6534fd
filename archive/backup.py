"""`pressarchive backup --to FILE.sqlite`: any archive copied into an SQLite file, written whole or not at all.

An SQLite archive is copied with SQLite's online backup API (a consistent snapshot, safe while a
crawl writes in WAL mode); any other archive (PostgreSQL) row by row through SQLAlchemy into a
fresh, migrated SQLite archive, whose search index is then built, so that `serve` and every
reading command can use the copy at once. The copy is written to a temporary file beside the
target and renamed into place only when complete: a failure leaves no file and no half of one.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from .db import archive_name, open_archive, open_existing, resolve_url, sqlite_path
from .errors import BadInput
from .models import Base

BATCH = 2_000  # rows read and written per round when copying from a server


def backup(db: str | None, target: str, force: bool = False) -> str:
    """Copy the archive behind db into the SQLite file target; returns the source's name for messages."""
    target = os.path.abspath(os.path.expanduser(target))
    _check_target(target, force)
    sessions = open_existing(db)
    engine = sessions.kw["bind"]
    if sqlite_path(resolve_url(db)) == target:
        raise BadInput(f"{target} is the archive itself; name another file")
    folder = os.path.dirname(target)
    fd, partial = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".partial", dir=folder)
    os.close(fd)
    try:
        if engine.dialect.name == "sqlite":
            _copy_sqlite(engine, partial)
        else:
            _copy_rows(sessions, partial)
        os.replace(partial, target)
    finally:
        for leftover in (partial, partial + "-wal", partial + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
    return archive_name(resolve_url(db))


def _check_target(target: str, force: bool) -> None:
    """Refuse a target that exists (unless force) or whose folder does not."""
    if os.path.isdir(target):
        raise BadInput(f"{target} is a folder; name the .sqlite file to write")
    if os.path.exists(target) and not force:
        raise BadInput(f"{target} exists already; pass --force to replace it")
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise BadInput(f"cannot write {target}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"cannot write {target}: no permission to write in {folder}")


def _copy_sqlite(engine: Engine, partial: str) -> None:
    """SQLite's online backup: pages copied from one consistent snapshot, WAL contents included."""
    source = engine.raw_connection()
    try:
        with closing(sqlite3.connect(partial)) as copy:
            source.driver_connection.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        source.close()


def _copy_rows(sessions: sessionmaker[Session], partial: str) -> None:
    """Every mapped table's rows, parents first, into a fresh archive; then its search index."""
    copy = open_archive(partial)
    try:
        with sessions() as source, copy.begin() as target:
            reader = source.connection().execution_options(stream_results=True, max_row_buffer=BATCH)
            for table in Base.metadata.sorted_tables:
                rows = reader.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                while chunk := [dict(row) for row in rows.fetchmany(BATCH)]:
                    target.execute(table.insert(), chunk)
        from .search import catch_up  # noqa: PLC0415

        catch_up(copy)
    finally:
        copy.kw["bind"].dispose()
    with closing(sqlite3.connect(partial)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
