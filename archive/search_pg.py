"""Full-text search on PostgreSQL: the same query language and results as archive.search on SQLite.

The index is PostgreSQL's own: `search_doc.document`, a tsvector with a GIN index (migration
0005_i13_pg_search), matched with @@ and ranked with ts_rank, written in the same transaction as
every version the store writes. Its words are the shared German normaliser's terms
(archive.normalise: ä→ae, ß→ss, Snowball German, -s plurals), read with the `simple`
configuration, not PostgreSQL's `german` one: PostgreSQL 15's Snowball stems Buecherei and
Bücherei (after unaccent) apart (buecherei / bucherei), Haeuser and Häuser (haeus / haus), and
keeps Autos and Kitas apart from Auto and Kita, so its own stems could not give the results
SQLite gives; with one normaliser both databases hold the same terms and a query means the same.

Queries are archive.query's FTS5 expressions rewritten as tsquery (phrase → <->, prefix → :*,
X NOT Y → X & !Y); compounds come from the same vocabulary (search_term) as on SQLite.

Ranking follows archive.search: the matches whose headline holds a query phrase (Query.positives,
OR-ed as the tsquery H) come first, ranked by ts_rank of the query on the document plus ts_rank of
H on the headline, so a headline hit counts once more; every other match follows by ts_rank of the
query alone. The formula differs from SQLite's, not what matches or the tiers: SQLite ranks by
bm25 (headline 10, captions and quotes 2, body 1), PostgreSQL by ts_rank with the weights {body
0.1, captions 0.2, quotes 0.2, headline 1.0}, which has no inverse document frequency. Compound-only
hits come after every whole-word hit (each pass tiered), ties go to the newest version, and scores
are not comparable between the two databases. One more difference: a phrase may run across a
field boundary (the headline's last word and the body's first) in the document, where FTS5 keeps
each column apart; such a hit is never a headline hit.

Speed (scripts/bench_search.py --pg auto, 100,000 versions): the headline's lexemes have a column
and a GIN index of their own (`search_doc.headline`, migration 0008_headline_index), so the first
tier is found through that index, and when it fills the page the rest is never scored. Ranking
detoasts each hit's document (ts_rank, ~4 µs a hit), so a frequent word costs its headline hits
only (Bochum: 2,745 of its 41,196 latest matches); a query that is one phrase ranks its headline
tier by the headline alone and never detoasts a document. Index rows are written with their
latest flags, and refresh_articles rewrites only the rows whose flags change, so the table does
not carry a dead copy of every row. The benchmark's p95 is 48-63 ms (p50 30-34), from ~570 ms
when every match was ranked. A query whose headline hits do not fill the page still ranks every
other match, at the old cost (~350 ms for Bochum's 38,451 other matches).
"""
from __future__ import annotations

import re

from sqlalchemy import bindparam, exc, text
from sqlalchemy.orm import Session, sessionmaker

from .errors import BadInput
from .normalise import NORMALISER_VERSION
from .query import Query, parse_query
from .search import Hit, SearchFilters, _hits, _speaker_patterns, doc_filters, is_one_phrase
from .search_index import CHUNK, _doc, _fts_row, _Image, _Quote, _Version, latest_flags
from .vocabulary import compound_terms

WEIGHTS = "{0.1, 0.2, 0.2, 1.0}"  # ts_rank's D (body), C (captions), B (quotes), A (headline)
# ts_rank's normalization flags: 1 divides by 1 + log(document length), the nearest to SQLite's
# bm25 order of 0, 1, 2, 8 and 9 on the replica's queries (scripts/compare_search.py).
NORMALIZATION = 1
HEADLINE_DOCUMENT = "setweight(to_tsvector('simple', :headline), 'A')"  # = ts_filter(DOCUMENT, '{a}')
DOCUMENT = (f"{HEADLINE_DOCUMENT}"
            " || setweight(to_tsvector('simple', :body), 'D')"
            " || setweight(to_tsvector('simple', :captions), 'C')"
            " || setweight(to_tsvector('simple', :quotes), 'B')")
# A new row's is_latest and published, from the values it is inserted with.
_NEW_ROW_FLAGS = ", ".join(latest_flags("CAST(:withdrawn AS boolean)", ":number", ":article", ":id"))
_FTS5_TOKEN = re.compile(r'"((?:[^"]|"")*)"(\*?)|\(|\)|AND|OR|NOT')


def _sql(statement: str, *expanding: str):
    return text(statement).bindparams(*(bindparam(name, expanding=True) for name in expanding))


# --- keeping the index in step -----------------------------------------------------------------

def index_versions(session: Session, version_ids) -> None:
    """(Re)index these versions and refresh their articles' latest flags, in the caller's transaction."""
    ids = sorted(set(version_ids))
    if not ids:
        return
    session.flush()
    articles: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        articles |= _index_chunk(session, ids[start:start + CHUNK])
    refresh_articles(session, sorted(articles))


def _index_chunk(session: Session, ids: list[int]) -> set[int]:
    """Replace the index rows of up to CHUNK versions; returns their article ids."""
    rows, quotes, images = _load(session, ids)
    session.execute(_sql("DELETE FROM search_doc WHERE version_id IN :ids", "ids"), {"ids": ids})
    docs = []
    for row in rows:
        version_id, article_id, number, withdrawn, speakers = _doc(row, quotes[row.id])
        streams = _fts_row(row, quotes[row.id], images[row.id])[1:] if not withdrawn else ("",) * 4
        docs.append({"id": version_id, "article": article_id, "number": number, "withdrawn": bool(withdrawn),
                     "speakers": speakers, **dict(zip(("headline", "body", "captions", "quotes"), streams))})
    if docs:
        session.execute(text("INSERT INTO search_doc (version_id, article_id, number, withdrawn, speakers,"
                             " document, headline, is_latest, published)"
                             " VALUES (:id, :article, :number, :withdrawn, :speakers,"
                             f" CASE WHEN :withdrawn THEN NULL ELSE {DOCUMENT} END,"
                             f" CASE WHEN :withdrawn THEN NULL ELSE {HEADLINE_DOCUMENT} END,"
                             f" {_NEW_ROW_FLAGS})"), docs)
    record_terms(session, (d[f] for d in docs for f in ("headline", "body", "captions", "quotes")))
    return {row.article_id for row in rows}


def _load(session: Session, ids: list[int]) -> tuple[list, dict, dict]:
    """The versions with their quotes and images, as the rows archive.search builds documents from."""
    rows = session.execute(_sql("SELECT id, article_id, number, change, headline, kicker, body FROM version"
                                " WHERE id IN :ids", "ids"), {"ids": ids}).all()
    quotes, images = {i: [] for i in ids}, {i: [] for i in ids}
    for row in session.execute(_sql("SELECT version_id, text, speaker, role FROM quote WHERE version_id IN :ids"
                                    " ORDER BY version_id, position", "ids"), {"ids": ids}):
        quotes[row[0]].append(_Quote(*row))
    for row in session.execute(_sql("SELECT version_id, caption, alt FROM image WHERE version_id IN :ids"
                                    " ORDER BY version_id, position", "ids"), {"ids": ids}):
        images[row[0]].append(_Image(*row))
    return [_Version(*row) for row in rows], quotes, images


def record_terms(session: Session, token_streams) -> None:
    """Add the distinct terms of these token streams to the vocabulary (archive.vocabulary's table)."""
    found = sorted({t for stream in token_streams for t in stream.split()})
    if found:
        session.execute(text("INSERT INTO search_term (term, rev) SELECT t, reverse(t)"
                             " FROM unnest(CAST(:terms AS text[])) AS t ON CONFLICT DO NOTHING"), {"terms": found})


def refresh_articles(session: Session, article_ids: list[int]) -> None:
    """Recompute which version of each article is its latest real one, and its published date."""
    # Only rows whose flags change are written (new rows got theirs when inserted): an UPDATE
    # leaves a dead copy of every row it touches, and a bloated table makes every search slower.
    flags = ", ".join(latest_flags("d2.withdrawn", "d2.number", "d2.article_id", "d2.version_id"))
    for start in range(0, len(article_ids), CHUNK):
        session.execute(_sql(
            f"UPDATE search_doc d SET is_latest = n.is_latest, published = n.published FROM (SELECT d2.version_id,"
            f" {flags} FROM search_doc d2 WHERE d2.article_id IN :ids) n (version_id, is_latest, published)"
            " WHERE d.version_id = n.version_id"
            " AND (d.is_latest, d.published) IS DISTINCT FROM (n.is_latest, n.published)", "ids"),
            {"ids": article_ids[start:start + CHUNK]})


def ensure_index(session: Session) -> None:
    """Index every version the index lacks; rebuild it if another normaliser built it."""
    if _index_version(session) != NORMALISER_VERSION:
        for table in ("search_doc", "search_term", "search_meta"):
            session.execute(text(f"DELETE FROM {table}"))
        session.execute(text("INSERT INTO search_meta (key, value) VALUES ('normaliser', :v)"),
                        {"v": NORMALISER_VERSION})
    missing = session.execute(text(
        "SELECT id FROM version v WHERE NOT EXISTS (SELECT 1 FROM search_doc d WHERE d.version_id = v.id)"
    )).scalars().all()
    index_versions(session, missing)


def _index_version(session: Session) -> str | None:
    return session.execute(text("SELECT value FROM search_meta WHERE key = 'normaliser'")).scalar()


def index_is_stale(session: Session) -> bool:
    """True if the index was built by another normaliser or lacks the newest versions (read-only check).

    Two index lookups, not an anti-join (57 ms on 20,000 versions, on every search): the store
    indexes every version in the transaction that writes it, so what an index can lack is the
    versions of an archive from before it (migration 0005) or of writers that bypassed the store,
    and those are the newest ids. ensure_index then finds every missing one."""
    if _index_version(session) != NORMALISER_VERSION:
        return True
    return bool(session.execute(text(
        "SELECT coalesce((SELECT max(id) FROM version), 0)"
        " > coalesce((SELECT max(version_id) FROM search_doc), 0)")).scalar())


def catch_up(sessions: sessionmaker[Session]) -> None:
    """Bring the index up to date before reading (a role that may only read keeps the index it has)."""
    with sessions() as session:
        stale = index_is_stale(session)
    if not stale:
        return
    try:
        with sessions.begin() as session:
            # One catch-up at a time: a second waits here, then finds nothing left to index.
            session.execute(text("LOCK TABLE search_meta IN EXCLUSIVE MODE"))
            ensure_index(session)
    except exc.ProgrammingError as error:
        if "permission denied" not in str(error.orig):
            raise


# --- searching ---------------------------------------------------------------------------------

def search_archive(sessions: sessionmaker[Session], query: str, filters: SearchFilters) -> list[Hit]:
    """Run a query (see archive.query) against a PostgreSQL archive; best hits first."""
    parsed = parse_query(query)
    speaker = _speaker_patterns(filters.speaker)
    catch_up(sessions)
    with sessions() as session:
        ranked = _ranked(session, parsed, filters, speaker, filters.limit)
        if len(ranked) < filters.limit:  # room left: compound-only hits follow every whole-word hit
            parsed, ranked = _with_compounds(session, query, parsed, filters, speaker, ranked)
        return _hits(session, ranked, parsed)


class _QmarkCursor:
    """archive.vocabulary's qmark-style SQL on the session's psycopg connection."""

    def __init__(self, session: Session):
        self.raw = session.connection().connection.driver_connection

    def execute(self, statement: str, params=()):
        return self.raw.execute(statement.replace("?", "%s"), params)


def _with_compounds(session: Session, query: str, whole: Query, filters: SearchFilters,
                    speaker: dict | None, ranked: list) -> tuple[Query, list]:
    """The whole-word hits followed by the best hits only a compound of a query word matched."""
    db = _QmarkCursor(session)
    expanded = parse_query(query, expand=lambda word: compound_terms(db, word))
    if expanded.match == whole.match:
        return whole, ranked
    rest = Query(f"({expanded.match}) NOT ({whole.match})", positives=expanded.positives)
    return expanded, ranked + _ranked(session, rest, filters, speaker, filters.limit - len(ranked))


def to_tsquery(match: str) -> str:
    """archive.query's FTS5 expression as tsquery text: quoted stems stay quoted, operators map."""
    parts, pos = [], 0
    for found in _FTS5_TOKEN.finditer(match):
        if match[pos:found.start()].strip():  # pragma: no cover - parse_query writes nothing else
            raise BadInput("the query could not be translated for PostgreSQL")
        pos = found.end()
        token = found.group()
        if found.group(1) is not None:
            stems = found.group(1).replace('""', '"').split()
            words = [f"'{s}'" for s in stems]
            words[-1] += ":*" if found.group(2) else ""
            parts.append("(" + " <-> ".join(words) + ")")
        else:
            parts.append({"AND": "&", "OR": "|", "NOT": "& !"}.get(token, token))
    return " ".join(parts)


def _ranked(session: Session, query: Query, filters: SearchFilters, speaker: dict | None, limit: int) -> list:
    """(version_id, rank) of the best `limit` matches passing the filters: headline hits first."""
    where, params = _doc_filters(filters, speaker)
    params.update(q=to_tsquery(query.match), h=to_tsquery(" OR ".join(query.positives)))
    query_rank, headline_rank = _rank("d.document", "q.q"), _rank("d.headline", "h.h")
    # The headline's rank joins the first tier's, so a headline hit counts once more (as on SQLite);
    # a query that is one phrase is found in the headline and ranked by it alone (as on SQLite).
    # When the first tier fills the page, no other match can reach it and none is scored.
    if is_one_phrase(query):
        first = _scored(session, where + ["d.headline @@ h.h"], params, headline_rank, limit)
    else:
        first = _scored(session, where + ["d.document @@ q.q", "d.headline @@ h.h"], params,
                        f"{query_rank} + {headline_rank}", limit)
    if len(first) == limit:
        return first
    rest = _scored(session, where + ["d.document @@ q.q", "NOT d.headline @@ h.h"], params, query_rank,
                   limit - len(first))
    return first + rest


def _doc_filters(filters: SearchFilters, speaker: dict | None) -> tuple[list[str], dict]:
    """archive.search's filter conditions, with PostgreSQL's booleans for withdrawn and is_latest."""
    where, params = doc_filters(filters, speaker)
    where[0] = "NOT d.withdrawn" if filters.all_versions else "d.is_latest"
    return where, params


def _rank(document: str, tsquery: str) -> str:
    return f"ts_rank('{WEIGHTS}', {document}, {tsquery}, {NORMALIZATION})"


def _scored(session: Session, where: list[str], params: dict, score: str, limit: int) -> list:
    """(version_id, -score) of the best `limit` rows passing where; ties newest first."""
    statement = (f"SELECT d.version_id, -({score}) AS rank"
                 " FROM search_doc d, CAST(:q AS tsquery) AS q(q), CAST(:h AS tsquery) AS h(h)"
                 f" WHERE {' AND '.join(where)} ORDER BY rank, d.version_id DESC LIMIT :limit")
    return session.execute(text(statement), {**params, "limit": limit}).all()
