"""Alembic environment: migrates the connection archive.migrate passes in, batch mode on SQLite."""
from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from archive.migrate import include_object
from archive.models import Base


def _migrate(connection: Connection) -> None:
    # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,  # the search tables are no ORM tables: never propose dropping them
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Use the caller's connection (archive.migrate), else sqlalchemy.url (the alembic CLI)."""
    if context.is_offline_mode():
        raise SystemExit("pressarchive migrations run online only")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _migrate(conn)


run()
