"""Schema 4: JSON cells hold real characters (Brüggemann, „Aber“), not \\u escapes.

The engine now writes JSON with ensure_ascii=False; this rewrites the rows written before, so that
Datasette shows them as text and LIKE '%Brüggemann%' finds them. Values are unchanged as JSON:
only their spelling is. SQLite only (a server's JSON columns are new with the PostgreSQL support).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = {"version": ("paragraphs", "changed_fields"), "raw_page": ("headers",), "crawl_run": ("messages",)}
BATCH = 1000


def upgrade() -> None:
    """Re-spell every JSON cell that holds a \\u escape with the character itself."""
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            _respell(conn, table, column)


def _respell(conn, table: str, column: str) -> None:
    """Rewrite one column's escaped cells, BATCH rows per statement round."""
    select = sa.text(f"SELECT id, {column} FROM {table} WHERE instr({column}, '\\u') > 0 AND id > :after"
                     " ORDER BY id LIMIT :n")
    update = sa.text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
    after = 0
    while rows := conn.execute(select, {"after": after, "n": BATCH}).all():
        values = [{"id": row[0], "value": json.dumps(json.loads(row[1]), ensure_ascii=False)} for row in rows]
        conn.execute(update, values)
        after = rows[-1][0]


def downgrade() -> None:
    """Nothing to undo: both spellings are the same JSON."""
