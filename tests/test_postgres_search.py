"""Search on PostgreSQL gives the articles SQLite gives, over the same archive (archive.search_pg)."""
from __future__ import annotations

import json

import pytest
from alembic import command
from builders import PLAIN, build_archive, invoke, release
from sqlalchemy import create_engine, text

from archive.db import open_archive
from archive.migrate import alembic_config
from archive.search import index_versions

from archive.search_pg import to_tsquery
from archive.query import parse_query

pytestmark = pytest.mark.postgres

# The query language's features, each over builders.ARTICLES: stemming, umlaut and ß spellings,
# phrases, AND/OR/NOT, -word, prefixes, captions and quotes.
QUERIES = ["Stolpersteine", "stolpersteinen", "Bücherei", "Buecherei", "Strasse", "Straße", "Häuser",
           '"Neue Stolpersteine"', "Bochum", "Bochum NOT Stadion", "Bochum -Bücherei", "Kita OR Schule",
           "Stolper*", "Oberbürgermeister", "Haus*", "(Bücherei OR Kita) AND Bochum"]


@pytest.fixture(scope="module")
def pair(pg_server, tmp_path_factory):
    """The same small archive on SQLite and on PostgreSQL."""
    url = pg_server.create_database()
    yield build_archive(tmp_path_factory.mktemp("s") / "a.sqlite"), build_archive(url)
    pg_server.drop_database(url)


def hits(db: str, *args: str) -> list[dict]:
    result = invoke("search", *args, "--db", db, "--format", "json", "--limit", "50")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def found(db: str, *args: str) -> set[tuple]:
    return {(h["url"], h["version"], h["status"]) for h in hits(db, *args)}


@pytest.mark.parametrize("query", QUERIES)
def test_the_same_articles_on_both(pair, query):
    sqlite, pg = pair
    assert found(sqlite, query) == found(pg, query)


@pytest.mark.parametrize("args", [("--since", "2024-01-01"), ("--until", "2023-12-31"),
                                  ("--speaker", "Eiskirch"), ("--all-versions",)])
def test_filters_give_the_same_articles(pair, args):
    sqlite, pg = pair
    assert found(sqlite, "Bochum", *args) == found(pg, "Bochum", *args)


def test_something_is_found_at_all(pair):
    _, pg = pair
    assert hits(pg, "Stolpersteine")[0]["headline"] == "Neue Stolpersteine erinnern an Bochumer Familien"
    assert hits(pg, "Buecherei") and not hits(pg, "Buecherei -Bücherei")


def test_snippets_mark_the_same_words(pair):
    sqlite, pg = pair
    by_url = {h["url"]: h["snippet"] for h in hits(sqlite, "Bücherei")}
    assert {h["url"]: h["snippet"] for h in hits(pg, "Bücherei")} == by_url


def test_fts5_expressions_become_tsquery():
    assert to_tsquery(parse_query('"Neue Stolpersteine" -Stadion Haus*').match) \
        == "( ( ('neu' <-> 'stolperstein') & ('haus':*) ) & ! ('stadion') )"


@pytest.mark.slow
def test_a_crawl_of_the_replica_is_searched_alike_on_both(site, pg_url, tmp_path):
    """bench_search's German queries (filters included) find the same releases on both databases."""
    from bench_search import QUERIES  # noqa: PLC0415
    from compare_search import EXTRA, compare, crawl  # noqa: PLC0415

    sqlite = str(tmp_path / "a.sqlite")
    crawl(site.listing_url, sqlite)
    crawl(site.listing_url, pg_url)
    rows = compare(sqlite, pg_url, QUERIES + EXTRA, 20)
    assert sum(count for _, count, *_ in rows) > 100  # the queries find something to compare
    assert [label for label, _, same, *_ in rows if not same] == []


# --- ranking: headline hits first (as archive.search on SQLite) -------------------------------

# Release 1 says "Kita Weitmar" ten times in its body, the others Kita once in a headline: an
# archivist searching Kita (or Kita Weitmar) wants the releases about a Kita (in Weitmar) first;
# ts_rank alone puts release 1 first for Kita Weitmar (its words stand side by side, ten times).
# Two releases are twins (a tie), one holds only a compound (Kitaplätze), and the phrase "die Kita"
# heads one release and stands in three bodies.
RANKED = [
    release("Mehrmals", 1, "Aus den Stadtteilen", ["Kita Weitmar, Kita Weitmar! " * 5]),
    release("Im-Titel", 2, "Neue Kita in Weitmar eröffnet", [PLAIN] * 6),
    release("Nichts", 3, "Sporthalle wird saniert", [PLAIN]),
    release("Auch-im-Titel", 4, "Kita und Schule feiern", [PLAIN, "Die Kita lädt ein."]),
    release("Zwilling-1", 5, "Schulhof wird grün", [PLAIN, "Auch die Kita nebenan hilft mit."]),
    release("Zwilling-2", 6, "Schulhof wird grün", [PLAIN, "Auch die Kita nebenan hilft mit."]),
    release("Plaetze", 7, "Mehr Kitaplätze im Süden",
            ["Die Stadt schafft neue Kitaplätze in Stiepel, weitere Plätze folgen."]),
    release("Die-Kita-waechst", 8, "Die Kita im Park wächst", ["Ein Anbau für zwei Gruppen."]),
    release("Sportfest", 9, "Sportfest der Schulen", ["Die Schulen laden zum Sportfest ein. " * 3]),
]


@pytest.fixture(scope="module")
def ranked_pg(pg_server):
    url = pg_server.create_database()
    yield build_archive(url, articles=RANKED)
    pg_server.drop_database(url)


def ranking(db: str, query: str, limit: int = 50) -> list[dict]:
    result = invoke("search", query, "--db", db, "--format", "json", "--limit", str(limit))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_headline_hit_ranks_before_a_body_that_repeats_the_word(ranked_pg):
    headlines = [h["headline"] for h in ranking(ranked_pg, "Kita")]
    in_headline = {"Neue Kita in Weitmar eröffnet", "Kita und Schule feiern", "Die Kita im Park wächst"}
    assert set(headlines[:3]) == in_headline
    assert headlines[3:6] == ["Aus den Stadtteilen", "Schulhof wird grün", "Schulhof wird grün"]
    assert headlines[6:] == ["Mehr Kitaplätze im Süden"]  # the compound-only hit comes last
    assert [h["headline"] for h in ranking(ranked_pg, "Kita Weitmar")] == ["Neue Kita in Weitmar eröffnet",
                                                                          "Aus den Stadtteilen"]


def test_a_tie_goes_to_the_newest_release(ranked_pg):
    twins = ranking(ranked_pg, "nebenan")
    assert [h["url"].rsplit("/", 1)[1] for h in twins] == ["Zwilling-2", "Zwilling-1"]
    assert twins[0]["score"] == twins[1]["score"]


@pytest.mark.parametrize("query", ["Kita", "Kita OR Sporthalle", "Kita NOT Schule", '"die Kita"', "Sport*",
                                   "Schule OR Sporthalle", "Stadt"])
def test_a_short_page_is_the_start_of_the_long_one(ranked_pg, query):
    """Stopping at a full page of headline hits must give what ranking every match gives."""
    everything = ranking(ranked_pg, query)
    assert len(everything) >= 3
    for limit in range(1, len(everything) + 1):
        assert ranking(ranked_pg, query, limit) == everything[:limit]


def test_a_phrase_counts_in_the_headline_only_where_it_stands_there(ranked_pg):
    # "die Kita" heads one release; in the others it stands in the body, so they follow.
    headlines = [h["headline"] for h in ranking(ranked_pg, '"die Kita"')]
    assert headlines[0] == "Die Kita im Park wächst" and len(headlines) == 4



def test_the_migration_fills_the_headline_column_as_the_store_writes_it(pg_url):
    build_archive(pg_url)
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        written = headlines(conn)
        assert "USING gin (headline)" in headline_index(conn)
        command.downgrade(alembic_config(conn), "0007_discovery")  # an archive from before the column
        assert headline_index(conn) is None
        command.upgrade(alembic_config(conn), "heads")
        assert headlines(conn) == written and "USING gin (headline)" in headline_index(conn)
    engine.dispose()
    assert hits(pg_url, "Bücherei")[0]["headline"] == "Flohmarkt der Buecherei Linden"  # the headline hit


def headlines(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text("SELECT version_id, headline::text FROM search_doc ORDER BY 1"))]


def headline_index(conn) -> str | None:
    return conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_doc_headline'")).scalar()


def test_versions_indexed_one_write_at_a_time_get_the_flags_of_one_pass(pg_url):
    """New rows get is_latest and published when inserted; later writes flip only what changes."""
    build_archive(pg_url, index=False)
    sessions = open_archive(pg_url)
    flags = "SELECT version_id, is_latest, published FROM search_doc ORDER BY version_id"
    with sessions() as session:
        ids = session.execute(text("SELECT id FROM version ORDER BY id")).scalars().all()
    for version_id in ids:  # as a crawl writes them: an edit's new version after the old one
        with sessions.begin() as session:
            index_versions(session, [version_id])
    with sessions() as session:
        one_by_one = session.execute(text(flags)).all()
    with sessions.begin() as session:
        session.execute(text("DELETE FROM search_doc"))
        index_versions(session, ids)
    with sessions() as session:
        assert session.execute(text(flags)).all() == one_by_one
        latest = session.execute(text("SELECT count(*) FROM search_doc WHERE is_latest")).scalar()
        articles = session.execute(text("SELECT count(*) FROM article")).scalar()
    sessions.kw["bind"].dispose()
    assert latest == articles and any(published for _, _, published in one_by_one)


def test_a_phrase_in_the_headline_comes_first_as_on_sqlite(pg_url):
    from test_search_ranking import PHRASE_RELEASES, assert_phrase_headlines_first  # noqa: PLC0415

    assert_phrase_headlines_first(build_archive(pg_url, articles=PHRASE_RELEASES))
