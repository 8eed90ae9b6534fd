"""One crawl per archive (SQLite) or per site profile and archive (PostgreSQL).

- SQLite: one crawl per archive file, whatever its site: SQLite has one writer at a time, so two
  crawls into one file would only take turns on every write. An OS file lock (flock,
  non-blocking) on `<archive>.lock` beside the archive; the holder's PID, host and start time are
  written into the file for the message a second crawl prints. The kernel drops the lock when the
  holder dies, even by SIGKILL, so a stale lock file never blocks. The file itself stays
  (deleting it would race with a crawl that just opened it).
- PostgreSQL: a session-level advisory lock (pg_try_advisory_lock) keyed by the site profile, so
  crawls of different sites into one archive (database) run at once and two of one site do not;
  dropped by the server when the holder's connection dies; the holder is named in the
  connection's application_name.
- Other databases: a file lock in the temporary folder, keyed by the URL: it only keeps crawls on
  the same machine apart.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import socket
import tempfile
import zlib
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from .db import cannot_open, check_sqlite_file, resolve_url, sqlite_path
from .errors import BadInput, LockHeld

PG_LOCK_KEY = 0x70726573  # "pres": the advisory locks' first key; the second is the site's (site_key)
# pg_locks rows of a granted advisory lock on (PG_LOCK_KEY :k, site :s): the two-int form has objsubid 2.
_PG_HELD = ("l.locktype = 'advisory' AND l.classid::bigint = :k AND l.objid::bigint = :s"
            " AND l.objsubid = 2 AND l.granted")
DEFAULT_SITE = "bochum"


def site_key(site: str | None) -> int:
    """The site profile's advisory lock key: a stable 31-bit hash of its name."""
    return zlib.crc32((site or DEFAULT_SITE).encode()) & 0x7FFFFFFF


def holder_line() -> str:
    """Who holds the lock: this process's PID, host and start time."""
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"pid {os.getpid()} on {socket.gethostname()}, started {started}"


class _Lock(AbstractContextManager):
    """A lock as a context manager: entering acquires it (acquire()), leaving releases it (release())."""

    site: str | None = None  # the site profile it is held for; None: the whole archive

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


class FileLock(_Lock):
    """An exclusive, non-blocking flock on a file that names its holder."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None

    def acquire(self) -> "FileLock":
        """Take the lock or raise LockHeld naming the holder."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BadInput(f"cannot create the lock file {self.path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip() or "pid unknown"
            os.close(fd)
            raise LockHeld(f"another crawl holds the archive lock {self.path} ({holder})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, (holder_line() + "\n").encode(), 0)
        self.fd = fd
        return self

    def release(self) -> None:
        """Drop the lock (closing the descriptor is what releases it)."""
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)
            self.fd = None


class PgAdvisoryLock(_Lock):
    """A PostgreSQL session advisory lock held on a dedicated connection for the whole crawl."""

    def __init__(self, url: str, site: str | None = None):
        self.url, self.site = url, site or DEFAULT_SITE
        self.conn = None

    def acquire(self) -> "PgAdvisoryLock":
        """Take the lock or raise LockHeld naming the holder's application_name."""
        from sqlalchemy import text  # noqa: PLC0415

        self.conn = self._connect()
        keys = {"k": PG_LOCK_KEY, "s": site_key(self.site)}
        taken = text("SELECT pg_try_advisory_lock(CAST(:k AS integer), CAST(:s AS integer))")
        if not self.conn.execute(taken, keys).scalar():
            holder = self.conn.execute(text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                f" WHERE {_PG_HELD}"), keys).scalar()
            self.release()
            raise LockHeld(f"another crawl of {self.site} holds the archive lock ({holder or 'holder unknown'})")
        return self

    def _connect(self):
        """The lock's own connection; an unreachable server or a missing driver is one line (ArchiveError)."""
        from sqlalchemy import create_engine  # noqa: PLC0415
        from sqlalchemy.exc import SQLAlchemyError  # noqa: PLC0415
        from sqlalchemy.pool import NullPool  # noqa: PLC0415

        name = f"pressarchive crawl {holder_line()}"[:63]
        try:
            # NullPool: closing the connection must end the session, and with it the advisory lock;
            # a pooled connection would keep the session (and the lock) alive after release().
            engine = create_engine(self.url, poolclass=NullPool, connect_args={"application_name": name})
            return engine.connect()
        except (SQLAlchemyError, ImportError) as exc:
            raise cannot_open(self.url, exc) from None

    def release(self) -> None:
        """Closing the session drops the advisory lock (a server that went away dropped it already)."""
        if self.conn is not None:
            conn, self.conn = self.conn, None
            try:
                conn.close()
            except Exception:  # noqa: BLE001, S110 - the connection is gone, and the lock with it
                pass


class NoLock(_Lock):
    """An in-memory database lives in one process: nothing to lock."""

    def acquire(self) -> "NoLock":
        """Nothing to take."""
        return self

    def release(self) -> None:
        """Nothing to drop."""


def lock_path(db: str | None) -> str | None:
    """The lock file for an archive, or None where another kind of lock applies."""
    url = resolve_url(db)
    path = sqlite_path(url)
    if path and path != ":memory:":
        # The real file's lock: a symlink or another spelling of the path must meet the same lock.
        return os.path.realpath(path) + ".lock"
    if url.startswith(("sqlite", "postgresql")):
        return None
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), f"pressarchive-{digest}.lock")


def crawl_lock(db: str | None, site: str | None = None) -> AbstractContextManager:
    """The lock that keeps a second crawl (of the site, on PostgreSQL) off this archive (a context manager)."""
    url = resolve_url(db)
    check_sqlite_file(url)  # no lock file beside something that is no archive
    path = lock_path(db)
    if path:
        return FileLock(path)
    if url.startswith("postgresql"):
        return PgAdvisoryLock(url, site)
    return NoLock()


def crawl_running(db: str | None, site: str | None = None) -> bool | None:
    """Whether a crawl (of the site, on PostgreSQL) holds the archive's lock now; None if that cannot be told.

    Looks without taking the lock, so a reading command never writes and never keeps a crawl out."""
    url = resolve_url(db)
    path = lock_path(db)
    if path:
        return _holder_alive(path)
    if url.startswith("postgresql"):
        return _pg_lock_held(url, site)
    return None


def _holder_alive(path: str) -> bool | None:
    """The lock file names its holder while held (release empties it): is that process alive?"""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            holder = file.read(512).split()
    except FileNotFoundError:
        return False
    except OSError:
        return None
    if not holder:
        return False
    if len(holder) < 4 or holder[0] != "pid" or not holder[1].isdigit():
        return None
    if holder[3].rstrip(",") != socket.gethostname():
        return None  # another machine's crawl (a shared folder): cannot tell
    try:
        os.kill(int(holder[1]), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # alive, another user's
    return True


def _pg_lock_held(url: str, site: str | None) -> bool | None:
    from sqlalchemy import create_engine, text  # noqa: PLC0415
    from sqlalchemy.pool import NullPool  # noqa: PLC0415

    query = text(f"SELECT count(*) FROM pg_locks l WHERE {_PG_HELD}")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(query, {"k": PG_LOCK_KEY, "s": site_key(site)}).scalar())
    except Exception:  # noqa: BLE001 - cannot tell
        return None
    finally:
        engine.dispose()
