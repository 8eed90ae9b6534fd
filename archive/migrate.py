"""Schema creation and upgrades with Alembic, applied whenever a command opens an archive.

The Alembic scripts live in archive/migrations (no alembic.ini: the Config is built here). A fresh
database runs every revision, so objects that are not ORM tables (FTS tables, triggers) that a
revision creates exist in new archives too. An archive made before migrations existed (schema 1
tables, no alembic_version) is stamped at revision 0001 and upgraded. New schema change: add a
revision under archive/migrations/versions with down_revision = the current head.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DBAPIError

from .db import BEGIN_MODE, ArchiveError, archive_name, cannot_open

SCRIPT_LOCATION = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
V1_TABLES = {"article", "version", "raw_page", "crawl_run", "failed_fetch"}


def include_object(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic's filter: tables in the database that no model maps (archive.search's FTS tables and
    their shadow tables) are not the migrations' business, so autogenerate never drops them."""
    return not (type_ == "table" and reflected and compare_to is None)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for the packaged scripts, migrating `connection` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def _revisions() -> tuple[frozenset[str], frozenset[str]]:
    """(head revisions, every known revision) of the packaged scripts."""
    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(script.get_heads()), frozenset(s.revision for s in script.walk_revisions())


def upgrade(engine: Engine) -> None:
    """Bring the archive's schema to the newest version without losing rows."""
    try:
        with engine.connect() as conn:
            state = _state(conn)
            conn.rollback()
            if state != "current":
                _migrate(conn)
    except DBAPIError as exc:
        raise cannot_open(engine.url.render_as_string(hide_password=False), exc) from None


def check_exists(engine: Engine) -> str:
    """The archive's schema state; ArchiveError unless the database holds one (reading commands create none)."""
    try:
        with engine.connect() as conn:
            state = _state(conn)
    except DBAPIError as exc:
        raise cannot_open(engine.url.render_as_string(hide_password=False), exc) from None
    if state == "fresh":
        raise ArchiveError(f"no archive in {_name(engine)}")
    return state


def check_readable(engine: Engine) -> None:
    """An archive opened read-only: its schema must be current, since it cannot be upgraded."""
    state = check_exists(engine)
    if state != "current":
        raise ArchiveError(f"{_name(engine)} has an older schema and is read-only here: "
                           "open it once where it can be written to upgrade it")


def _state(conn: Connection) -> str:
    """fresh | legacy | behind | current; ArchiveError for a foreign or newer database."""
    tables = set(inspect(conn).get_table_names())
    current = set(MigrationContext.configure(conn).get_current_heads())
    heads, known = _revisions()
    if not current:
        if not tables - {"alembic_version"}:
            return "fresh"
        if V1_TABLES <= tables:
            return "legacy"
        raise ArchiveError(f"{_name(conn.engine)} is not a pressarchive database")
    if current - known:
        raise ArchiveError(
            f"{_name(conn.engine)} has schema {', '.join(sorted(current - known))}, newer than this "
            "pressarchive knows; upgrade pressarchive"
        )
    return "current" if current == heads else "behind"


def _migrate(conn: Connection) -> None:
    # SQLite: batch migrations rebuild tables that others reference, which foreign_keys=ON forbids;
    # the pragma only takes effect outside a transaction, and integrity is checked before commit.
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        # IMMEDIATE: a second process opening the same new archive waits, then finds it current.
        with conn.execution_options(**{BEGIN_MODE: "IMMEDIATE"}).begin():
            _apply(conn, _state(conn))
            if sqlite:
                _check_foreign_keys(conn)
    finally:
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def _apply(conn: Connection, state: str) -> None:
    cfg = alembic_config(conn)
    if state == "legacy":
        command.stamp(cfg, FIRST_REVISION)
    if state != "current":
        command.upgrade(cfg, "heads")


def _check_foreign_keys(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise ArchiveError(f"schema upgrade of {_name(conn.engine)} would break {len(broken)} references; "
                           "nothing was changed")


def _name(engine: Engine) -> str:
    return archive_name(engine.url.render_as_string(hide_password=False))
