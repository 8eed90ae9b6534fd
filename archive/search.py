"""German-aware full-text search: the query language (archive.query) over the index (archive.search_index).

Ranking: a release that carries a query word (or phrase, or prefix) in its headline is about it,
so those hits come first; among themselves they rank by bm25 with their headline hits counted once
more (a query that is one phrase: by bm25 over the headlines alone), then every other hit follows
by plain bm25 (headline weighted 10, captions and quotes 2, body 1). The score shown is the
negated bm25 (higher is better). Every match is ranked; the headline tier is what keeps a very
frequent word fast: when it alone fills the page, the rest cannot reach the page and is not
scored (see _ranked). A word also finds the compounds it begins or ends (archive.vocabulary);
those hits come after every whole-word hit, ranked the same way among themselves. Snippets are
cut from the original text (archive.snippets).

"Latest" means an article's newest version that is not a withdrawal: a withdrawn release stays
findable by its last real text, and its hits carry status "withdrawn". PostgreSQL archives are
searched by archive.search_pg (same terms, same query language); other databases are BadInput.
"""
from __future__ import annotations

import csv
import json
import textwrap
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from typing import TextIO

from sqlalchemy import exc, text
from sqlalchemy.orm import Session, sessionmaker

from .db import BEGIN_MODE
from .errors import BadInput
from .normalise import fold_name
from .query import Query, parse_query
from .search_index import _db, _is_postgres, _is_sqlite, _sql, ensure_index, index_is_stale, index_versions  # noqa: F401
from .search_limits import time_bound
from .snippets import make_snippet
from .vocabulary import compound_terms

RANK = "bm25(version_fts, 10.0, 1.0, 2.0, 2.0)"  # headline weighs most, then captions and quotes
FIELDS = ["article_id", "url", "headline", "published", "version", "snippet", "score", "status"]


@dataclass
class SearchFilters:
    """What the search command narrows results by."""

    since: date | None = None
    until: date | None = None
    speaker: str | None = None
    all_versions: bool = False
    limit: int = 20


@dataclass
class Hit:
    """One search result; score is higher for better matches (negated bm25)."""

    article_id: int
    url: str
    headline: str | None
    published: str | None
    version: int
    snippet: str
    score: float
    status: str = "active"



def catch_up(sessions: sessionmaker[Session]) -> None:
    """Bring the index up to date before reading; BadInput if the archive is neither SQLite nor PostgreSQL."""
    with sessions() as session:
        if _is_postgres(session):
            from . import search_pg  # noqa: PLC0415

            return search_pg.catch_up(sessions)
        if not _is_sqlite(session):
            raise BadInput("full-text search needs an SQLite archive or a PostgreSQL one")
        stale = index_is_stale(session)
    if stale:
        try:
            with sessions.begin() as session:
                # IMMEDIATE: take the write lock up front, as the store does, so a crawl writing at the
                # same time makes this wait instead of failing on a lock upgrade.
                session.connection(execution_options={BEGIN_MODE: "IMMEDIATE"})
                ensure_index(session)
        except exc.OperationalError as error:
            # An archive the user may only read keeps the index it has (built by an earlier
            # normaliser, it still finds most words); any other failure is real.
            if "readonly" not in str(error.orig) and "read-only" not in str(error.orig):
                raise


# --- searching ---------------------------------------------------------------------------------

def search_archive(sessions: sessionmaker[Session], query: str, filters: SearchFilters) -> list[Hit]:
    """Run a query (see archive.query) against the archive; best hits first."""
    if sessions.kw["bind"].dialect.name == "postgresql":
        from . import search_pg  # noqa: PLC0415

        return search_pg.search_archive(sessions, query, filters)
    with _searching(sessions, query, filters) as (session, parsed, ranked):
        return _hits(session, ranked, parsed)


def matching_articles(sessions: sessionmaker[Session], query: str, filters: SearchFilters) -> list[int]:
    """The ids of the articles a query finds on an SQLite archive, best first, without snippets."""
    with _searching(sessions, query, filters) as (session, _, ranked):
        ids = [row[0] for row in ranked]
        found = dict(session.execute(_sql("SELECT version_id, article_id FROM search_doc"
                                          " WHERE version_id IN :ids", "ids"), {"ids": ids}).all()) if ids else {}
    return list(dict.fromkeys(found[i] for i in ids))


@contextmanager
def _searching(sessions: sessionmaker[Session], query: str, filters: SearchFilters):
    """(session, parsed query, ranked version ids): whole-word hits, then compound-only ones."""
    parsed = parse_query(query)
    speaker = _speaker_patterns(filters.speaker)
    catch_up(sessions)
    with sessions() as session, time_bound(_db(session)):
        try:
            ranked = _ranked(session, parsed, filters, speaker, filters.limit)
            if len(ranked) < filters.limit:  # room left: compound-only hits follow every whole-word hit
                parsed, ranked = _with_compounds(session, query, parsed, filters, speaker, ranked)
        except exc.OperationalError as error:  # an FTS5 complaint about the expression: still bad input
            raise BadInput(f"the query could not be run: {error.orig}") from None
        yield session, parsed, ranked


def _with_compounds(session: Session, query: str, whole: Query, filters: SearchFilters,
                    speaker: dict | None, ranked: list) -> tuple[Query, list]:
    """The whole-word hits followed by the best hits only a compound of a query word matched."""
    expanded = parse_query(query, expand=lambda word: compound_terms(_db(session), word))
    if expanded.match == whole.match:
        return whole, ranked
    rest = Query(f"({expanded.match}) NOT ({whole.match})", positives=expanded.positives)
    return expanded, ranked + _ranked(session, rest, filters, speaker, filters.limit - len(ranked))


_NAME_TITLES = {"dr", "prof", "herr", "frau", "dipl", "ing"}


def _speaker_patterns(speaker: str | None) -> dict | None:
    if speaker is None:
        return None
    # Stored speakers carry no titles (the parser strips them), so neither may the filter.
    name = " ".join(w for w in fold_name(speaker).split() if w not in _NAME_TITLES)
    if not name:
        raise BadInput("--speaker needs a name with letters in it")
    # Folded names hold only letters, digits and spaces, so no LIKE wildcard can sneak in.
    return {"sp_full": f"%|{name}|%", "sp_tail": f"% {name}|%"}


def doc_filters(filters: SearchFilters, speaker: dict | None) -> tuple[list[str], dict]:
    """The conditions on search_doc (alias d) that filters set, and their parameters."""
    where = ["d.withdrawn = 0" if filters.all_versions else "d.is_latest = 1"]
    params: dict = {}
    if filters.since:
        where.append("d.published >= :since")
        params["since"] = filters.since.isoformat()
    if filters.until:
        where.append("d.published <= :until")
        params["until"] = filters.until.isoformat()
    if speaker:
        where.append("(d.speakers LIKE :sp_full OR d.speakers LIKE :sp_tail)")
        params.update(speaker)
    return where, params


def _ranked(session: Session, query: Query, filters: SearchFilters, speaker: dict | None, limit: int) -> list:
    """(version_id, rank) of the best `limit` matches passing the filters: headline hits first."""
    # The headline filter's phrases join the expression, so bm25 counts a headline hit once more
    # in the first tier; in the second they are absent from every matching headline and add nothing.
    headline = "{headline} : (" + " OR ".join(query.positives) + ")"
    # A query that is one phrase: its headline hits need no search of the whole texts, and scoring
    # a phrase of common words (der, und) across every text costs more than the rest of the search
    # (100,000 versions: 40-60 ms of a search's 45-70), so they rank by their headlines alone.
    first_tier = headline if is_one_phrase(query) else f"({query.match}) AND {headline}"
    first = _bm25_ranked(session, first_tier, filters, speaker, limit)
    if len(first) == limit:  # the page is full of headline hits: no other match can reach it
        return first
    return first + _bm25_ranked(session, f"({query.match}) NOT {headline}", filters, speaker, limit - len(first))


def is_one_phrase(query: Query) -> bool:
    """True if the query is a single phrase of several words (with or without a closing *)."""
    return query.positives == [query.match] and " " in query.match


def _bm25_ranked(session: Session, match: str, filters: SearchFilters, speaker: dict | None, limit: int) -> list:
    """(version_id, bm25) of the best `limit` matches of an FTS5 expression that pass the filters."""
    where, params = doc_filters(filters, speaker)
    where.insert(0, "version_fts MATCH :match")
    params.update(match=match, limit=limit)
    # CROSS JOIN keeps the FTS index as the outer loop: the match drives, the filters only check.
    # bm25 costs ~0.5-1 µs a row, so ranking a word found in most of 100,000 versions costs some
    # 40-70 ms; SQLite keeps only the best `limit` while sorting.
    statement = (f"SELECT f.rowid AS version_id, {RANK} AS rank"
                 f" FROM version_fts f CROSS JOIN search_doc d ON d.version_id = f.rowid"
                 f" WHERE {' AND '.join(where)} ORDER BY rank, f.rowid DESC LIMIT :limit")
    return session.execute(text(statement), params).all()


def _hits(session: Session, ranked: list, parsed: Query) -> list[Hit]:
    """Turn ranked version ids into hits with the original wording and a marked snippet."""
    ids = [row[0] for row in ranked]
    if not ids:
        return []
    rows = {row.id: row for row in session.execute(_sql(
        "SELECT v.id, v.article_id, a.canonical_url, v.headline, coalesce(a.published, v.published) AS published,"
        " v.number, v.body, a.status FROM version v JOIN article a ON a.id = v.article_id WHERE v.id IN :ids",
        "ids"), {"ids": ids})}
    extras = _extra_texts(session, ids)
    return [_hit(rows[version_id], rank, extras[version_id], parsed) for version_id, rank in ranked]


def _hit(row, rank: float, extras: list[str], parsed: Query) -> Hit:
    snippet = make_snippet([row.body or ""] + extras + [row.headline or ""], parsed)
    return Hit(article_id=row.article_id, url=row.canonical_url, headline=row.headline,
               published=str(row.published)[:10] if row.published else None, version=row.number,
               snippet=snippet, score=round(-rank, 4) + 0.0, status=row.status or "active")


def _extra_texts(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Quotes and captions per version: snippet sources when the body does not hold the match."""
    extras: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(_sql(
            "SELECT version_id, text FROM quote WHERE version_id IN :ids UNION ALL"
            " SELECT version_id, caption FROM image WHERE version_id IN :ids AND caption IS NOT NULL UNION ALL"
            " SELECT version_id, alt FROM image WHERE version_id IN :ids AND alt IS NOT NULL",
            "ids"), {"ids": ids}):
        extras[row[0]].append(row[1])
    return extras


# --- output ------------------------------------------------------------------------------------

def render_hits(hits: list[Hit], fmt: str, out: TextIO) -> None:
    """Write hits as a table (100 columns), JSON (a list, best first) or CSV."""
    if fmt == "json":
        json.dump([asdict(hit) for hit in hits], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(asdict(hit) for hit in hits)
    else:
        out.write(_table(hits))


def _table(hits: list[Hit]) -> str:
    """Two lines per hit, 100 columns wide: score, date, article, version, headline; then the snippet."""
    lines = [f"{'score':>7}  {'published':10}  {'article':>7} {'ver':>3}  headline"]
    for hit in hits:
        headline = ("(withdrawn) " if hit.status == "withdrawn" else "") + (hit.headline or "")
        headline = headline if len(headline) <= 66 else headline[:65] + "…"
        lines.append(f"{hit.score:>7.2f}  {hit.published or '-':10}  {hit.article_id:>7} {hit.version:>3}  {headline}")
        lines += textwrap.wrap(hit.snippet, 100, initial_indent=" " * 9, subsequent_indent=" " * 9,
                               max_lines=2, placeholder=" …")
    if not hits:
        lines.append("(no hits)")
    return "\n".join(lines) + "\n"
