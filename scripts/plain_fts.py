"""The baseline the project's search is measured against: plain SQLite FTS5 over the original wording.

What a user gets from FTS5 alone (Datasette's own search box): SQLite's unicode61 tokenizer with
diacritics folded (Bücherei = Bucherei, but not Buecherei), no stemming, no compounds, bm25 with
the same column weights, its index merged into one segment (as sqlite-utils' `optimize` does).
The query is FTS5's own syntax as typed, `-word` read as `NOT word`.
The table `plain_fts` is built beside the archive's own index (rowid = version id), so the
archive's filters (latest version, dates, speakers in `search_doc`) apply to it unchanged.
Used by scripts/evaluate_search.py and scripts/bench_search.py; the archive never reads it.
"""
from __future__ import annotations

import re
import sqlite3

from archive.search import RANK, SearchFilters, _speaker_patterns, doc_filters

SCHEMA = ("CREATE VIRTUAL TABLE plain_fts USING fts5(headline, body, captions, quotes,"
          " tokenize='unicode61 remove_diacritics 2')")
FILL = ("INSERT INTO plain_fts (rowid, headline, body, captions, quotes)"
        " SELECT v.id, coalesce(v.kicker || ' ', '') || coalesce(v.headline, ''), v.body,"
        " (SELECT group_concat(coalesce(i.caption, '') || ' ' || coalesce(i.alt, ''), ' ') FROM image i WHERE i.version_id = v.id),"
        " (SELECT group_concat(q.text || ' ' || coalesce(q.speaker, '') || ' ' || coalesce(q.role, ''), ' ') FROM quote q"
        " WHERE q.version_id = v.id) FROM version v WHERE v.change <> 'withdrawn'")
_MINUS = re.compile(r'(?<!\S)-(?=[\w"])')


def build(path: str) -> None:
    """(Re)build plain_fts in the SQLite archive at path from its versions."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE IF EXISTS plain_fts")
        db.execute(SCHEMA)
        db.execute(FILL)
        db.execute("INSERT INTO plain_fts (plain_fts) VALUES ('optimize')")  # one segment, as the archive's


def fts5_query(query: str) -> str:
    """The query in FTS5's syntax: as typed, `-word` as `NOT word`."""
    return _MINUS.sub("NOT ", query)


def search(db: sqlite3.Connection, query: str, filters: SearchFilters) -> list[int]:
    """Version ids plain FTS5 finds for query, best first (a query FTS5 refuses finds nothing)."""
    where, params = doc_filters(filters, _speaker_patterns(filters.speaker))
    where.insert(0, "plain_fts MATCH :match")
    params.update(match=fts5_query(query), limit=filters.limit)
    statement = (f"SELECT f.rowid FROM plain_fts f CROSS JOIN search_doc d ON d.version_id = f.rowid"
                 f" WHERE {' AND '.join(where)} ORDER BY {RANK.replace('version_fts', 'plain_fts')} LIMIT :limit")
    try:
        return [row[0] for row in db.execute(statement, params)]
    except sqlite3.OperationalError:
        return []
