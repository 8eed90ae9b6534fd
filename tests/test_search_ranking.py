"""Search ranking: headline hits first, every match ranked, and the index merged when writes split it."""
from __future__ import annotations

import json

import pytest
from builders import PLAIN, build_archive, open_crawl_session, release
from click.testing import CliRunner
from sqlalchemy import text

from archive.cli import main
from archive.db import open_archive
from archive.query import parse_query
from archive.search import index_versions
from archive.search_index import MAX_SEGMENTS
from archive.store import Store

def search(db: str, *args) -> list[dict]:
    result = CliRunner().invoke(main, ["search", *args, "--db", db, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ranked_db(tmp_path_factory) -> str:
    # Release 1 says Kita twenty times in its body, the others once in a long release's headline:
    # by bm25 alone the first wins; an archivist searching Kita wants the releases about a Kita first.
    kita_body = "Kita, Kita! " * 10
    return build_archive(tmp_path_factory.mktemp("ranking") / "archive.sqlite", articles=[
        release("Mehrmals", 1, "Aus den Stadtteilen", [kita_body]),
        release("Im-Titel", 2, "Neue Kita in Weitmar eröffnet", [PLAIN] * 6),
        release("Nichts", 3, "Sporthalle wird saniert", [PLAIN]),
        release("Auch-im-Titel", 4, "Kita und Schule feiern", [PLAIN, "Die Kita lädt ein."]),
    ])


# A phrase in two headlines (a short release and a long one), repeated in one body, and its words
# apart in a fourth release.
PHRASE_RELEASES = [
    release("Oft", 1, "Aus den Stadtteilen", ["Das Haus der Musik. " * 10]),
    release("Titel", 2, "Konzert im Haus der Musik", [PLAIN] * 6),
    release("Lang", 3, "Das Haus der Musik lädt ein", [PLAIN] * 12 + ["Im Haus der Musik spielt ein Chor."]),
    release("Ohne", 4, "Haus und Musik", [PLAIN, "Ein Haus für die Musik."]),
]


def assert_phrase_headlines_first(db: str) -> None:
    hits = search(db, '"Haus der Musik"')
    assert [h["headline"] for h in hits][:2] == ["Konzert im Haus der Musik", "Das Haus der Musik lädt ein"]
    assert [h["headline"] for h in hits][2:] == ["Aus den Stadtteilen"]  # the phrase only, not its words


def test_a_phrase_in_the_headline_ranks_before_a_body_that_repeats_it(tmp_path):
    assert_phrase_headlines_first(build_archive(tmp_path / "phrase.sqlite", articles=PHRASE_RELEASES))


def test_a_headline_hit_ranks_before_a_body_that_repeats_the_word(ranked_db):
    hits = search(ranked_db, "Kita")
    assert [h["headline"] for h in hits] == ["Kita und Schule feiern", "Neue Kita in Weitmar eröffnet",
                                             "Aus den Stadtteilen"]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


@pytest.mark.parametrize("query", ["Kita", "Kita OR Sporthalle", "Sanierung", "Die", "Kita NOT Schule",
                                   '"die Kita"', "Sport*"])
def test_a_short_page_is_the_start_of_the_long_one(ranked_db, query):
    """Stopping at a full page of headline hits must give what ranking every match gives."""
    everything = search(ranked_db, query, "--limit", "50")
    for limit in range(1, len(everything) + 1):
        assert search(ranked_db, query, "--limit", str(limit)) == everything[:limit]


def test_body_hits_follow_when_headline_hits_do_not_fill_the_page(ranked_db):
    assert {h["headline"] for h in search(ranked_db, "Sanierung")} == {  # in no headline, in three bodies
        "Neue Kita in Weitmar eröffnet", "Sporthalle wird saniert", "Kita und Schule feiern"}
    hits = search(ranked_db, "Sporthalle", "--limit", "2")  # one headline hit, then the best body hit
    assert [h["headline"] for h in hits][:1] == ["Sporthalle wird saniert"] and len(hits) == 2


def test_words_in_a_negated_group_are_neither_searched_for_nor_marked():
    parsed = parse_query("Baustelle NOT (Sperrung OR Umleitung) Kita", expand=lambda word: [word + "n"])
    assert parsed.positives == ['"baustell"', '"baustelln"', '"kita"', '"kitan"']
    assert not {"sperrung", "umleit", "sperrungn"} & parsed.exact
    assert parse_query('"Haus der Musik" Radweg*').positives == ['"haus der musik"', '"radweg"*']


def segments(path) -> int:
    sessions = open_archive(str(path))
    with sessions() as session:
        count = session.execute(text("SELECT count(DISTINCT segid) FROM version_fts_idx")).scalar()
    sessions.kw["bind"].dispose()
    return count


def split_archive(path) -> str:
    """An archive whose index many small writes left in more than MAX_SEGMENTS segments."""
    build_archive(path, index=False)
    sessions = open_archive(str(path))
    for version_id in sorted(sessions().execute(text("SELECT id FROM version")).scalars()) * 2:
        with sessions.begin() as session:
            index_versions(session, [version_id])
    sessions.kw["bind"].dispose()
    assert segments(path) > MAX_SEGMENTS
    return str(path)


def test_tidy_merges_an_index_that_many_writes_split(tmp_path):
    path = split_archive(tmp_path / "split.sqlite")
    before = {q: search(path, q) for q in ("Bücherei", "Stolpersteine OR Haus", '"Haus der Musik"')}
    assert Store.open(path).tidy_search_index() is True
    assert segments(path) == 1
    assert {q: search(path, q) for q in before} == before
    assert Store.open(path).tidy_search_index() is False  # one segment: nothing to do


def test_tidy_leaves_a_compact_index_alone(tmp_path):
    path = build_archive(tmp_path / "compact.sqlite")
    assert segments(path) <= MAX_SEGMENTS
    assert Store.open(path).tidy_search_index() is False


def test_the_end_of_a_crawl_merges_the_index(tmp_path):
    db = split_archive(tmp_path / "crawled.sqlite")
    hold, state = open_crawl_session(db)
    hold.close(state, 0)
    assert segments(db) == 1


def test_a_merge_that_fails_costs_nothing_but_speed(tmp_path, monkeypatch, caplog):
    db = split_archive(tmp_path / "crawled.sqlite")
    hold, state = open_crawl_session(db)
    monkeypatch.setattr(Store, "tidy_search_index", lambda self: 1 / 0)
    hold.close(state, 0)
    assert "the search index was not merged: division by zero" in caplog.text
    sessions = open_archive(db)
    with sessions() as session:  # the run's end is recorded and the lock given back
        assert session.execute(text("SELECT status FROM crawl_run")).scalars().all() == ["ok"]
    sessions.kw["bind"].dispose()
    open_crawl_session(db)[0].release()  # the lock can be taken again
