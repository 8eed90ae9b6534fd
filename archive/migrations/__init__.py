"""Alembic migrations of the archive's schema, run programmatically by archive.migrate (no alembic.ini)."""
