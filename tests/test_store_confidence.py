"""The store and a record's confidence (issue 10) and its compared fields (issue 11, item 3), on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from test_store import T0, make_fetch, make_record, store, versions  # noqa: F401 - store is a fixture

from archive.models import RawPage, Version

COOKIES = ["Wir verwenden Cookies. Einstellungen Alle akzeptieren"]


def save(store, n: int, **changes) -> str:
    return store.save_fetch(make_fetch(T0 + timedelta(days=n), body=f"<html>{n}</html>".encode()),
                            make_record(**changes), None)


def test_a_doubtful_page_never_replaces_a_good_version(store):
    assert save(store, 0, confidence=0.9) == "new"
    assert save(store, 1, paragraphs=COOKIES, confidence=0.0) == "kept"
    (only,) = versions(store)
    assert only.confidence == 0.9 and only.paragraphs != COOKIES
    with store.sessions() as s:
        assert len(s.scalars(select(RawPage)).all()) == 2  # the doubtful page is kept (raw pages, WARC)
    assert save(store, 2, paragraphs=["Ein neuer Absatz."], confidence=0.8) == "edited"


def test_a_doubtful_page_is_stored_when_nothing_better_is(store):
    assert save(store, 0, paragraphs=COOKIES, confidence=0.1) == "new"
    assert save(store, 1, paragraphs=["Der Text der Meldung."], confidence=0.3) == "edited"  # doubtful on doubtful
    assert [v.confidence for v in versions(store)] == [0.1, 0.3]


def test_a_kicker_alone_is_no_change_and_a_hash_from_before_is_refreshed(store):
    assert save(store, 0, kicker="Aktuelle Pressemeldungen") == "new"
    assert save(store, 1, kicker="Pressemitteilung") == "unchanged"
    (version,) = versions(store)
    today = version.content_hash
    with store.sessions.begin() as s:  # as an archive hashed before the kicker left the compared fields
        s.execute(update(Version).values(content_hash="0" * 64))
    assert save(store, 2, kicker="Pressemitteilung") == "unchanged"
    assert [v.content_hash for v in versions(store)] == [today]
