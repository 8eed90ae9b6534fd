"""Search on PostgreSQL gives the articles SQLite gives, over the same archive (archive.search_pg)."""
from __future__ import annotations

import json

import pytest
from builders import build_archive, invoke

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
