"""The versioned store: real changes only, withdrawals, conditional re-fetch, runs, failures, reparse."""
from __future__ import annotations

import copy
import subprocess
import sys
import zlib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from archive.cli import main

from archive.models import Article, CrawlRun, DateMention, FailedFetch, Quote, RawPage, Version
from archive.store import Store
from crawler.records import Fetch, RunCounts

URL = "https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-smarteste-City"
CANON = "https://bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-smarteste-City"
T0 = datetime(2024, 5, 1, 10, 0)


def make_record(**changes) -> dict:
    """A parse record as Record.to_dict() gives it."""
    record = {
        "url": URL, "canonical_url": CANON, "kind": "press_release",
        "headline": "Bochum laut Bitkom smarteste City im Ruhrgebiet", "kicker": None,
        "published": "2020-10-09", "published_source": "date_line",
        "paragraphs": ["Platz 18 in Deutschland, Platz eins im Ruhrgebiet.",
                       "Besonders gut waren die Wertungen im Bereich Mobilität."],
        "images": [{"src": "/x/$FILE/grafik.jpg", "alt": "Grafik", "caption": "Grafik: Ranking",
                    "credit": "Bitkom"}],
        "quotes": [{"text": "Eine tolle Bestätigung", "speaker": "Thomas Eiskirch",
                    "role": "Oberbürgermeister", "paragraph": 1}],
        "date_mentions": [{"text": "9. Oktober", "date": "2020-10-09"}],
        "extractor": "portal",
    }
    record.update(changes)
    return record


def make_fetch(at: datetime = T0, status: int = 200, body: bytes = b"<html>v1</html>", **headers) -> Fetch:
    return Fetch(url=URL, canonical_url=CANON, status=status, body=body, fetched_at=at,
                 headers={"Content-Type": "text/html; charset=utf-8", **headers})


@pytest.fixture(params=["file", "memory", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path) -> Store:
    if request.param == "postgresql":  # conftest's throwaway server: skipped without one, not under CI
        return Store.open(request.getfixturevalue("pg_url"))
    db = str(tmp_path / "a.sqlite") if request.param == "file" else "sqlite://"
    return Store.open(db)


def versions(store: Store) -> list[Version]:
    with store.sessions() as s:
        return list(s.scalars(select(Version).order_by(Version.number)))


def article(store: Store) -> Article:
    with store.sessions() as s:
        return s.scalar(select(Article).where(Article.canonical_url == CANON))


def count(store: Store, model) -> int:
    with store.sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_new_then_edited_records_changed_fields(store):
    assert store.save_fetch(make_fetch(), make_record(), None) == "new"
    edited = make_record(headline="Bochum laut Bitkom smarteste Stadt im Ruhrgebiet",
                         quotes=[{"text": "Eine großartige Bestätigung", "speaker": "Thomas Eiskirch",
                                  "role": "Oberbürgermeister", "paragraph": 1}])
    assert store.save_fetch(make_fetch(T0 + timedelta(days=1), body=b"v2"), edited, None) == "edited"
    v1, v2 = versions(store)
    assert (v1.number, v1.change, v1.changed_fields) == (1, "new", [])
    assert (v2.number, v2.change, v2.changed_fields) == (2, "edited", ["headline", "quotes"])
    assert v1.content_hash != v2.content_hash and len(v2.content_hash) == 64
    assert v2.body == "\n\n".join(edited["paragraphs"]) and v2.raw_page_id != v1.raw_page_id
    assert article(store).latest_version == 2 and article(store).status == "active"


def test_whitespace_nbsp_nfc_and_chrome_changes_add_no_version(store):
    store.save_fetch(make_fetch(), make_record(), None)
    noisy = make_record(
        headline="  Bochum laut\u00a0Bitkom  smarteste City\u200b im Ruhrgebiet\n",
        paragraphs=["Platz 18 in Deutschland,\u202fPlatz eins im Ruhrgebiet. ", "",
                    "Besonders gut waren die Wertungen im Bereich Mobilita\u0308t."],  # decomposed ä
    )
    noisy["images"][0]["src"] = "/relaunch/assets/grafik.jpg?w=800"  # a relaunch rewrites asset URLs
    assert store.save_fetch(make_fetch(T0 + timedelta(hours=1), body=b"<html>new chrome</html>"),
                            noisy, None) == "unchanged"
    assert len(versions(store)) == 1
    assert count(store, RawPage) == 2  # the distinct body is still archived, linked from no version


def test_list_fields_and_published_are_compared(store):
    store.save_fetch(make_fetch(), make_record(), None)
    record = make_record(published="2020-10-10", paragraphs=["Ganz neuer Text."])
    record["images"][0]["credit"] = "Stadt Bochum"
    store.save_fetch(make_fetch(T0 + timedelta(days=1), body=b"v2"), record, None)
    assert versions(store)[-1].changed_fields == ["published", "paragraphs", "images"]
    assert article(store).published == date(2020, 10, 10)


def test_withdrawn_once_then_restored(store):
    store.save_fetch(make_fetch(), make_record(), None)
    gone = make_fetch(T0 + timedelta(days=1), status=410, body=b"Gone")
    assert store.save_gone(gone, None) is True
    assert store.save_gone(make_fetch(T0 + timedelta(days=2), status=410, body=b"Gone"), None) is False
    assert store.save_gone(make_fetch(T0 + timedelta(days=3), status=404, body=b"Not found"), None) is False
    v1, v2 = versions(store)
    assert (v2.change, v2.changed_fields, v2.raw_page_id) == ("withdrawn", ["status"], None)
    assert v2.headline == v1.headline and v2.paragraphs == v1.paragraphs and v2.content_hash == v1.content_hash
    assert article(store).status == "withdrawn" and article(store).etag is None
    assert store.save_fetch(make_fetch(T0 + timedelta(days=4)), make_record(), None) == "edited"
    v3 = versions(store)[-1]
    assert (v3.number, v3.change, v3.changed_fields) == (3, "edited", ["status"])
    assert article(store).status == "active"


def test_withdrawn_version_copies_child_rows(store):
    store.save_fetch(make_fetch(), make_record(), None)
    store.save_gone(make_fetch(T0 + timedelta(days=1), status=410, body=b""), None)
    with store.sessions() as s:
        rows = s.execute(select(Version.number, func.count(Quote.id)).join(Quote)
                         .group_by(Version.number).order_by(Version.number)).all()
    assert rows == [(1, 1), (2, 1)]


def test_gone_for_unknown_article_stores_nothing(store):
    assert store.save_gone(make_fetch(status=404, body=b""), None) is False
    assert count(store, Article) == 0 and count(store, Version) == 0


def test_identical_body_is_stored_once(store):
    store.save_fetch(make_fetch(body=b"same body"), make_record(), None)
    store.save_fetch(make_fetch(T0 + timedelta(days=1), body=b"same body"), make_record(), None)
    with store.sessions() as s:
        page = s.scalar(select(RawPage))
    assert count(store, RawPage) == 1
    assert zlib.decompress(page.body) == b"same body" and page.size == 9 and page.article_id == 1
    assert page.headers["Content-Type"].startswith("text/html")


def test_validators_kept_and_304_updates_seen_only(store):
    fetch = make_fetch(ETag='"abc"', **{"Last-Modified": "Wed, 01 May 2024 08:00:00 GMT"})
    store.save_fetch(fetch, make_record(), None)
    known = store.known_articles()[CANON]
    assert (known.url, known.etag, known.last_modified) == (URL, '"abc"', "Wed, 01 May 2024 08:00:00 GMT")
    later = datetime(2024, 5, 9, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    store.save_not_modified(CANON, later, None)
    a = article(store)
    assert a.last_seen == a.last_checked == datetime(2024, 5, 9, 10, 0)  # stored as naive UTC
    assert a.first_seen == T0 and count(store, Version) == 1 and count(store, RawPage) == 1


def test_due_for_recheck_policies(store):
    now = datetime(2024, 6, 30, 12, 0)
    cases = {"fresh": ("2024-06-20", now - timedelta(days=1)),  # published 10 days ago
             "stale": ("2023-01-01", now - timedelta(days=8)),  # not checked for 8 days
             "settled": ("2023-01-01", now - timedelta(days=2))}
    for slug, (published, checked) in cases.items():
        fetch = make_fetch(checked, body=slug.encode())
        fetch.canonical_url = f"{CANON}-{slug}"
        store.save_fetch(fetch, make_record(published=published), None)
    assert store.due_for_recheck("new", now) == set()
    assert store.due_for_recheck("recent", now) == {f"{CANON}-fresh", f"{CANON}-stale"}
    assert store.due_for_recheck("all", now) == {f"{CANON}-{slug}" for slug in cases}
    with pytest.raises(ValueError):
        store.due_for_recheck("sometimes", now)


def test_failures_pending_then_cleared(store):
    store.save_failure(CANON, URL, "503 Service Unavailable", None)
    store.save_failure(CANON, URL, "connection dropped", None)
    store.save_failure(CANON + "-2", URL + "-2", "parse error", None)
    assert [failure[:2] for failure in store.failures()] == [(CANON, URL), (CANON + "-2", URL + "-2")]
    with store.sessions() as s:
        row = s.scalar(select(FailedFetch).where(FailedFetch.canonical_url == CANON))
    assert (row.attempts, row.error) == (2, "connection dropped")
    store.save_fetch(make_fetch(), make_record(), None)
    store.save_not_modified(CANON + "-2", T0, None)
    assert store.failures() == []


def test_runs_are_recorded(store):
    run_id = store.start_run("http://127.0.0.1:8000/Pressemeldungen", "recent", 4242)
    store.save_fetch(make_fetch(), make_record(), run_id)
    store.finish_run(run_id, RunCounts(pages_fetched=3, new_articles=1, new_versions=1,
                                       messages=["profile missed 0 of 1"]), 0)
    with store.sessions() as s:
        run = s.get(CrawlRun, run_id)
        version_run = s.scalar(select(Version.run_id))
    assert (run.status, run.exit_code, run.pages_fetched, run.new_articles) == ("ok", 0, 3, 1)
    assert run.messages == ["profile missed 0 of 1"] and run.finished_at is not None
    assert version_run == run_id
    failed = store.start_run("http://x", "all", 1)
    store.finish_run(failed, RunCounts(errors=5), 1)
    with store.sessions() as s:
        assert s.get(CrawlRun, failed).status == "failed"


def test_reparse_updates_in_place_and_adds_no_version(store):
    store.save_fetch(make_fetch(body=b"<p>one</p>"), make_record(), None)
    store.save_fetch(make_fetch(T0 + timedelta(days=1), body=b"<p>two</p>"),
                     make_record(headline="Zweite Fassung"), None)
    store.save_gone(make_fetch(T0 + timedelta(days=2), status=410, body=b""), None)
    pages_before = _raw_pages(store)
    seen = []

    def parse(body: bytes, url: str, headers: dict) -> dict:
        seen.append((body, url, headers["Content-Type"]))
        record = make_record(headline=body.decode(), kicker="Neu")
        record["date_mentions"] = [{"text": "10. Oktober", "date": "2020-10-10"}]
        return record

    assert store.reparse(parse, "2") == 2
    assert [s[0] for s in seen] == [b"<p>one</p>", b"<p>two</p>"]
    v1, v2, v3 = versions(store)
    assert (v1.headline, v1.kicker, v1.parser_version) == ("<p>one</p>", "Neu", "2")
    assert v2.headline == "<p>two</p>" and v2.changed_fields == ["headline"]
    assert v3.change == "withdrawn" and v3.headline == "Zweite Fassung"  # left alone
    with store.sessions() as s:
        mentions = s.execute(select(DateMention.version_id, DateMention.date).order_by(DateMention.version_id))
        assert mentions.all() == [(1, date(2020, 10, 10)), (2, date(2020, 10, 10)), (3, date(2020, 10, 9))]
    assert _raw_pages(store) == pages_before and count(store, Version) == 3
    assert store.reparse(parse, "2") == 0  # idempotent


def test_reparse_skips_pages_the_parser_rejects(store):
    store.save_fetch(make_fetch(), make_record(), None)

    def broken(body, url, headers):
        raise ValueError("not HTML")

    assert store.reparse(broken, "9") == 0
    assert versions(store)[0].parser_version is None


def test_search_hook_runs_inside_the_transaction(store):
    calls = []
    store.indexer = lambda session, ids: calls.append((session.in_transaction(), list(ids)))
    store.save_fetch(make_fetch(), make_record(), None)
    store.save_fetch(make_fetch(body=b"chrome"), make_record(), None)  # unchanged: no call
    store.save_gone(make_fetch(status=410, body=b""), None)
    store.reparse(lambda body, url, headers: make_record(headline="anders"), "2")
    assert calls == [(True, [1]), (True, [2]), (True, [1])]


def test_search_hook_failure_rolls_back_the_version(store):
    def failing(session, ids):
        raise RuntimeError("fts broken")

    store.indexer = failing
    with pytest.raises(RuntimeError):
        store.save_fetch(make_fetch(), make_record(), None)
    assert count(store, Version) == 0 and count(store, RawPage) == 0 and count(store, Article) == 0


def test_record_is_not_mutated(store):
    record = make_record(headline=" spaced\u00a0headline ")
    before = copy.deepcopy(record)
    store.save_fetch(make_fetch(), record, None)
    assert record == before and versions(store)[0].headline == "spaced headline"


def _raw_pages(store: Store) -> list[tuple]:
    with store.sessions() as s:
        return s.execute(select(RawPage.id, RawPage.sha256, RawPage.body).order_by(RawPage.id)).all()


PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Neue Radwege - Stadt Bochum</title></head>
<body><main><h1>Neue Radwege für Bochum</h1>
<p>Die Stadt Bochum baut im Sommer drei neue Radwege im Stadtgebiet.</p>
<p>„Wir wollen das Radfahren sicherer machen“, sagte Oberbürgermeister Thomas Eiskirch.</p>
<p>(9. Oktober 2020)</p></main></body></html>""".encode()


def test_reparse_command_uses_the_current_parser(tmp_path):
    from crawler.parsing import PARSER_VERSION, extract  # noqa: PLC0415 - only the CLI couples the two

    db = str(tmp_path / "a.sqlite")
    Store.open(db).save_fetch(make_fetch(body=PAGE), make_record(headline="Alte Überschrift"), None)
    result = CliRunner().invoke(main, ["reparse", "--db", db])
    assert result.exit_code == 0 and result.output == "1 versions changed\n", result.output
    expected = extract(PAGE, url=URL).to_dict()
    version = versions(Store.open(db))[0]
    assert version.headline == expected["headline"] and version.paragraphs == expected["paragraphs"]
    assert version.parser_version == PARSER_VERSION and count(Store.open(db), Version) == 1
    assert CliRunner().invoke(main, ["reparse", "--db", db]).output == "0 versions changed\n"


def test_a_killed_writer_leaves_no_partial_version(tmp_path):
    """kill -9 inside save_fetch's transaction (after every insert): nothing of it survives."""
    db = tmp_path / "killed.sqlite"
    child = (
        "import os, signal, sys; sys.path.insert(0, 'tests')\n"
        "from test_store import make_fetch, make_record\n"
        "from archive.store import Store\n"
        f"store = Store.open({str(db)!r})\n"
        "store.indexer = lambda session, ids: os.kill(os.getpid(), signal.SIGKILL)\n"
        "store.save_fetch(make_fetch(), make_record(), None)\n"
    )
    proc = subprocess.run([sys.executable, "-c", child], cwd=str(Path(__file__).resolve().parents[1]))
    assert proc.returncode == -9
    store = Store.open(str(db))
    assert [count(store, m) for m in (Article, Version, RawPage, Quote)] == [0, 0, 0, 0]
