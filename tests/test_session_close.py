"""The end of a crawl's hold on the archive: what it records when the writer died under it."""
from __future__ import annotations

from builders import build_archive, open_crawl_session
from sqlalchemy import text

from archive.db import open_archive

DIED = "the archive writer process died"


def rows(db: str, sql: str, **params) -> list:
    sessions = open_archive(db)
    with sessions() as session:
        found = session.execute(text(sql), params).all()
    sessions.kw["bind"].dispose()
    return found


def test_a_release_the_dead_writer_had_stored_is_not_kept_as_failed(tmp_path):
    db = build_archive(tmp_path / "archive.sqlite")
    (stored, _), (lost, _) = rows(db, "SELECT canonical_url, id FROM article ORDER BY id LIMIT 2")
    hold, state = open_crawl_session(db)
    sessions = open_archive(db)
    with sessions.begin() as session:  # the writer committed this release's version, then was killed
        session.execute(text("UPDATE version SET run_id = :run WHERE article_id ="
                             " (SELECT id FROM article WHERE canonical_url = :url)"),
                        {"run": state.run_id, "url": stored})
    sessions.kw["bind"].dispose()
    state.archive_failed = DIED
    state.unstored_releases = [(stored, stored), (lost, lost)]
    hold.close(state, 1)
    assert rows(db, "SELECT canonical_url, error FROM failed_fetch") == [(lost, f"not stored: {DIED}")]
