"""`history` and `diff` through the CLI, plus `--db` on a file that is not an archive."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import invoke

from archive.history import word_diff
from archive.store import Fetch, Store

URL = "https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Neue-Stolpersteine"
CANON = "https://bochum.de/Pressemeldungen/9-Oktober-2020/Neue-Stolpersteine"
PERCENT = "https://www.bochum.de/Pressemeldungen%2F9-Oktober-2020%2FNeue-Stolpersteine/"
T0 = datetime(2024, 5, 1, 10, 0, 30)


def record(headline: str, paragraphs: list[str], quotes=()) -> dict:
    return {"url": URL, "canonical_url": CANON, "kind": "press_release", "headline": headline, "kicker": None,
            "published": "2020-10-09", "published_source": "date_line", "paragraphs": paragraphs,
            "images": [], "quotes": list(quotes), "date_mentions": [], "extractor": "portal"}


def fetch(day: int, status: int = 200) -> Fetch:
    return Fetch(url=URL, canonical_url=CANON, status=status, headers={}, body=f"page {day}".encode(),
                 fetched_at=T0 + timedelta(days=day))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> str:
    path = str(tmp_path / "archive.sqlite") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = Store.open(path)
    first = ["Am Sonntag werden zwölf Steine verlegt.", "Die Feier beginnt um 11 Uhr."]
    store.save_fetch(fetch(0), record("Neue Stolpersteine in Bochum", first), None)
    quote = {"text": "Wir erinnern", "speaker": "Thomas Eiskirch", "role": "Oberbürgermeister", "paragraph": 1}
    store.save_fetch(fetch(1), record("Neue Stolpersteine in Bochum-Mitte",
                                      ["Am Sonntag werden vierzehn Steine verlegt.", "Die Feier beginnt um 11 Uhr.",
                                       "Alle sind eingeladen."], [quote]), None)
    store.save_gone(fetch(2, status=410), None)
    return path


def test_history_by_url_in_percent_spelling(db):
    result = invoke("history", PERCENT, "--db", db)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == CANON
    assert "withdrawn" in lines[1] and "3 version(s)" in lines[1]
    assert lines[2] == "headline: Neue Stolpersteine in Bochum-Mitte"
    assert lines[4].split() == ["version", "fetched", "(UTC)", "change", "fields", "changed"]
    assert lines[5].split() == ["1", "2024-05-01", "10:00", "new", "-"]
    assert lines[6].split() == ["2", "2024-05-02", "10:00", "edited", "headline,", "paragraphs,", "quotes"]
    assert lines[7].split() == ["3", "2024-05-03", "10:00", "withdrawn", "status"]


def test_history_by_id(db):
    result = invoke("history", "1", "--db", db)
    assert result.exit_code == 0 and result.output.startswith(CANON)


@pytest.mark.parametrize("ref", ["999", "https://www.bochum.de/Pressemeldungen/1-Mai-2020/Gibt-es-nicht"])
def test_unknown_article_is_exit_2_one_line(db, ref):
    result = invoke("history", ref, "--db", db)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "no article" in result.output


@pytest.mark.parametrize("ref", [
    "https://www.bochum.de:443/Pressemeldungen/9-Oktober-2020/Neue-Stolpersteine",  # the default port written out
    "http://bochum.de:80/Pressemeldungen/9-Oktober-2020/Neue-Stolpersteine/",
    "www.bochum.de/Pressemeldungen/9-Oktober-2020/Neue-Stolpersteine",  # as an address bar shows it
])
def test_history_by_url_with_default_port_or_without_scheme(db, ref):
    result = invoke("history", ref, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == CANON


@pytest.mark.parametrize("ref, message", [
    ("99999999999999999999999", "no article 99999999999999999999999 in the archive"),  # beyond SQLite's INTEGER
    ("²", "no article ² in the archive"),  # a digit to str.isdigit, not to int()
    ("Stolpersteine", "no article Stolpersteine in the archive"),  # said as typed, not as https:///Stolpersteine
    ("https://www.bochum.de:abc/Pressemeldungen/x", "is neither an article id nor a URL"),
    ("http://[::1/Pressemeldungen/x", "is neither an article id nor a URL"),
])
@pytest.mark.parametrize("command", ["history", "diff"])
def test_unusable_article_refs_are_exit_2_one_line(db, command, ref, message):
    result = invoke(command, ref, "--db", db)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_diff_shows_the_edited_words(db):
    result = invoke("diff", URL, "--from", "1", "--to", "2", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "--- version 1" in out and "+++ version 2" in out
    assert "headline: Neue Stolpersteine in [-Bochum-] {+Bochum-Mitte+}" in out
    assert "~ ¶1: Am Sonntag werden [-zwölf-] {+vierzehn+} Steine verlegt." in out
    assert "+ ¶3: Alle sind eingeladen." in out
    assert "+ „Wir erinnern“ — Thomas Eiskirch, Oberbürgermeister" in out
    assert "Die Feier beginnt" not in out  # unchanged paragraphs are not repeated
    assert "\x1b[" not in out  # no colour when stdout is not a terminal


def test_diff_defaults_to_the_last_two_versions(db):
    result = invoke("diff", CANON, "--db", db)
    assert result.exit_code == 0
    assert "--- version 2" in result.output and "+++ version 3" in result.output
    assert "status: active → withdrawn" in result.output


def test_diff_with_one_version_has_nothing_to_compare(tmp_path):
    path = str(tmp_path / "one.sqlite")
    Store.open(path).save_fetch(fetch(0), record("Eine Meldung", ["Text."]), None)
    result = invoke("diff", "1", "--db", path)
    assert result.exit_code == 0 and "nothing to compare" in result.output


def test_diff_unknown_version_is_exit_2(db):
    result = invoke("diff", "1", "--from", "1", "--to", "7", "--db", db)
    assert result.exit_code == 2 and "no version 7" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_db_that_is_a_text_file_is_exit_2_one_line(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Einkaufsliste: Milch, Brot\n" * 50)
    for command in (["history", "1"], ["diff", "1"], ["reparse"]):
        result = invoke(*command, "--db", str(notes))
        assert result.exit_code == 2, result.output
        assert result.output.strip() == f"pressarchive: {notes} is not a pressarchive database"
    assert notes.read_text() == "Einkaufsliste: Milch, Brot\n" * 50  # untouched


def test_word_diff_marks_and_colours():
    assert word_diff("a b c", "a x c") == "a [-b-] {+x+} c"
    assert word_diff("a b", "a b c") == "a b {+c+}"
    assert word_diff("a b", "a b", color=True) == "a b"
    assert "\x1b[31m[-b-]\x1b[0m" in word_diff("a b", "a", color=True)
