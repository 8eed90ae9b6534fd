"""Schema creation and upgrades (Alembic). Placeholder until the migrations land: create_all."""
from __future__ import annotations

from sqlalchemy import Engine

from .models import Base


def upgrade(engine: Engine) -> None:
    """Bring the archive's schema to the newest version without losing rows."""
    Base.metadata.create_all(engine)
