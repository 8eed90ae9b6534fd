"""Search: German normalisation, the query language, filters, versions, output formats."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from archive.cli import main
from archive.db import open_archive
from archive.models import Article, DateMention, Image, Quote, Version
from archive.normalise import term
from archive.query import parse_query
from archive.search import index_versions

EISKIRCH = ("Thomas Eiskirch", "Oberbürgermeister")
STOLPER_V1 = [
    "Der Künstler Gunter Demnig verlegt am Donnerstag, 14. März, zwölf neue Stolpersteine in Bochum. "
    "Die Stolpersteine erinnern an Bochumer Familien, die von den Nationalsozialisten verfolgt wurden.",
    "„Die Stolpersteine holen die Namen zurück in unsere Straßen“, sagte Oberbürgermeister Thomas Eiskirch.",
    "Im Anschluss lädt die Bürgerinitiative zu einem Gedenkspaziergang durch Ehrenfeld ein.",
]
ARTICLES = [
    # (slug, published, status, [(headline, paragraphs, quotes, images, mentions, change)])
    ("Neue-Stolpersteine-erinnern-an-Bochumer-Familien", date(2024, 3, 12), "active", [
        ("Neue Stolpersteine erinnern an Bochumer Familien", STOLPER_V1,
         [("Die Stolpersteine holen die Namen zurück in unsere Straßen", *EISKIRCH)],
         [("stolpersteine.jpg", "Stolpersteine vor einem Haus", "Gunter Demnig bei der Verlegung", "Stadt Bochum")],
         [("14. März", date(2024, 3, 14))], "new"),
        ("Neue Stolpersteine erinnern an Bochumer Familien", STOLPER_V1[:2],
         [("Die Stolpersteine holen die Namen zurück in unsere Straßen", *EISKIRCH)],
         [("stolpersteine.jpg", "Stolpersteine vor einem Haus", "Gunter Demnig bei der Verlegung", "Stadt Bochum")],
         [("14. März", date(2024, 3, 14))], "edited"),
    ]),
    ("Buechereien-oeffnen-wieder-samstags", date(2024, 5, 2), "active", [
        ("Büchereien öffnen wieder samstags", [
            "Ab dem 4. Mai öffnen die Bücherei in Wattenscheid und die Zentralbücherei wieder samstags.",
            "„Die Büchereien sind Orte für alle“, sagt Kulturdezernent Dietmar Dieckmann.",
        ], [("Die Büchereien sind Orte für alle", "Dietmar Dieckmann", "Kulturdezernent")],
         [("lesesaal.jpg", "=SUM(1)", "Der Lesesaal der Bücherei", "Lutz Leitmann/Stadt Bochum")],
         [("4. Mai", date(2024, 5, 4))], "new"),
    ]),
    ("Sperrung-der-Herner-Strasse", date(2023, 11, 20), "active", [
        ("Sperrung der Herner Straße wegen Kanalarbeiten", [
            "Die Herner Straße wird ab Montag zwischen Nordring und Feldsieper Straße gesperrt.",
            "„Wir wissen, dass die Sperrung für alle eine Belastung ist“, erklärt Jörg Müller.",
        ], [("Wir wissen, dass die Sperrung für alle eine Belastung ist", "Jörg Müller", "Leiter des Tiefbauamts")],
         [], [], "new"),
    ]),
    ("Buecherei-Flohmarkt-in-Linden", date(2022, 8, 15), "active", [
        ("Flohmarkt der Buecherei Linden", [
            "Die Buecherei Linden lädt zum Flohmarkt ein: an der Strasse vor dem Haus werden Bücher verkauft.",
        ], [], [], [], "new"),
    ]),
    ("Sinfoniker-im-Haus-der-Musik", date(2024, 1, 10), "active", [
        ("Bochumer Symphoniker spielen im Haus der Musik", [
            "Das Konzert im Haus der Musik beginnt um 19 Uhr.",
        ], [], [], [], "new"),
    ]),
    ("Musikschule-zieht-um", date(2024, 1, 15), "withdrawn", [
        ("Musikschule zieht um", [
            "Die Musikschule bezieht ein neues Haus. Der Unterricht der Musik-Klassen läuft weiter.",
        ], [], [], [], "new"),
        (None, [], [], [], [], "withdrawn"),
    ]),
]


def _version(number: int, spec, fetched: datetime, published: date) -> Version:
    headline, paragraphs, quotes, images, mentions, change = spec
    body = "\n\n".join(paragraphs)
    return Version(
        number=number, fetched_at=fetched, change=change, headline=headline, published=published,
        paragraphs=paragraphs, body=body, content_hash=hashlib.sha256(body.encode()).hexdigest(),
        quotes=[Quote(position=i, text=t, speaker=s, role=r, paragraph=1) for i, (t, s, r) in enumerate(quotes)],
        images=[Image(position=i, src=f"https://www.bochum.de/img/{src}", alt=alt, caption=cap, credit=credit)
                for i, (src, alt, cap, credit) in enumerate(images)],
        date_mentions=[DateMention(position=i, text=t, date=d) for i, (t, d) in enumerate(mentions)],
    )


def _article(slug: str, published: date, status: str, specs) -> Article:
    url = f"https://www.bochum.de/Pressemeldungen/{published.day}-Monat-{published.year}/{slug}"
    seen = datetime.combine(published, datetime.min.time()) + timedelta(hours=9)
    versions = [_version(n, spec, seen + timedelta(days=n - 1), published) for n, spec in enumerate(specs, 1)]
    return Article(canonical_url=url, url=url, status=status, published=published, first_seen=seen,
                   last_seen=seen + timedelta(days=len(specs)), last_checked=seen + timedelta(days=len(specs)),
                   latest_version=len(specs), versions=versions)


def build_archive(path, index: bool = True) -> str:
    """A small archive of realistic releases at path; returns the --db argument."""
    sessions = open_archive(str(path))
    with sessions.begin() as session:
        session.add_all(_article(*spec) for spec in ARTICLES)
    if index:
        with sessions.begin() as session:
            index_versions(session, session.execute(text("SELECT id FROM version")).scalars().all())
    return str(path)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return build_archive(tmp_path_factory.mktemp("search") / "archive.sqlite")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def search(db: str, *args) -> list[dict]:
    result = run("search", *args, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def headlines(db: str, *args) -> list[str]:
    return [hit["headline"] for hit in search(db, *args)]


# --- the normaliser ---------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Stolperstein", "Stolpersteine"), ("Stolpersteinen", "Stolperstein"), ("Bücherei", "Buecherei"),
    ("Büchereien", "Buecherei"), ("Straße", "Strasse"), ("Straßen", "STRASSE"), ("Häuser", "Haeuser"),
    ("Oberbürgermeister", "oberbuergermeister"), ("Schüler", "Schuelerinnen"), ("Café", "cafe"),
])
def test_inflections_and_spellings_share_one_term(a, b):
    assert term(a) == term(b)


def test_stemming_after_transliteration_still_tells_words_apart():
    assert len({term(w) for w in ("Bücherei", "Straße", "Stolperstein", "Musik", "Haus")}) == 5


# --- German-aware matching --------------------------------------------------------------------

@pytest.mark.parametrize("query", ["Stolperstein", "Stolpersteine", "stolpersteinen", "STOLPERSTEINE"])
def test_inflected_forms_and_case_find_the_release(db, query):
    assert headlines(db, query) == ["Neue Stolpersteine erinnern an Bochumer Familien"]


@pytest.mark.parametrize("query", ["Bücherei", "Buecherei", "Büchereien", "buechereien"])
def test_umlaut_spellings_match_both_ways(db, query):
    assert set(headlines(db, query)) == {"Büchereien öffnen wieder samstags", "Flohmarkt der Buecherei Linden"}


@pytest.mark.parametrize("query", ["Straße", "Strasse", "STRASSE"])
def test_eszett_and_ss_match_both_ways(db, query):
    found = set(headlines(db, query))
    assert {"Sperrung der Herner Straße wegen Kanalarbeiten", "Flohmarkt der Buecherei Linden"} <= found


def test_phrase_finds_only_the_exact_wording(db):
    assert headlines(db, '"Haus der Musik"') == ["Bochumer Symphoniker spielen im Haus der Musik"]


def test_exact_wording_in_the_headline_ranks_first(db):
    found = headlines(db, "Haus Musik")
    assert found[0] == "Bochumer Symphoniker spielen im Haus der Musik"
    assert "Musikschule zieht um" in found


def test_boolean_operators_and_prefix(db):
    assert headlines(db, "Bücherei AND Flohmarkt") == ["Flohmarkt der Buecherei Linden"]
    assert set(headlines(db, "Flohmarkt OR Kanalarbeiten")) == {
        "Flohmarkt der Buecherei Linden", "Sperrung der Herner Straße wegen Kanalarbeiten"}
    assert headlines(db, "Bücherei NOT Flohmarkt") == ["Büchereien öffnen wieder samstags"]
    assert headlines(db, "(Flohmarkt OR Symphoniker) NOT Linden") == ["Bochumer Symphoniker spielen im Haus der Musik"]
    assert headlines(db, "Stolperst*") == ["Neue Stolpersteine erinnern an Bochumer Familien"]
    assert set(headlines(db, "Kanal*")) == {"Sperrung der Herner Straße wegen Kanalarbeiten"}


def test_captions_and_quotes_are_searched(db):
    assert headlines(db, "Lesesaal") == ["Büchereien öffnen wieder samstags"]
    assert headlines(db, "Kulturdezernent") == ["Büchereien öffnen wieder samstags"]


# --- filters and versions -----------------------------------------------------------------------

def test_since_and_until_filter_on_the_published_date(db):
    assert headlines(db, "Bücherei", "--since", "2023-01-01") == ["Büchereien öffnen wieder samstags"]
    assert headlines(db, "Bücherei", "--until", "2023-01-01") == ["Flohmarkt der Buecherei Linden"]
    assert headlines(db, "Bücherei", "--since", "2025-01-01") == []


@pytest.mark.parametrize("speaker", ["Eiskirch", "thomas eiskirch", "EISKIRCH", "Herr Eiskirch"])
def test_speaker_filter_by_full_name_or_surname(db, speaker):
    assert headlines(db, "Straßen OR Bücherei", "--speaker", speaker) == [
        "Neue Stolpersteine erinnern an Bochumer Familien"]


@pytest.mark.parametrize("speaker", ["Müller", "Mueller", "jörg mueller", "Dr. Jörg Müller"])
def test_speaker_filter_ignores_umlaut_spelling(db, speaker):
    assert headlines(db, "Sperrung", "--speaker", speaker) == ["Sperrung der Herner Straße wegen Kanalarbeiten"]
    assert headlines(db, "Stolpersteine", "--speaker", speaker) == []


def test_all_versions_finds_text_that_was_removed_later(db):
    assert search(db, "Gedenkspaziergang") == []
    hits = search(db, "Gedenkspaziergang", "--all-versions")
    assert [(h["headline"], h["version"]) for h in hits] == [("Neue Stolpersteine erinnern an Bochumer Familien", 1)]
    assert len(search(db, "Stolpersteine", "--all-versions")) == 2  # one hit per matching version


def test_withdrawn_release_is_found_by_its_last_text_and_marked(db):
    [hit] = search(db, "Musikschule")
    assert (hit["version"], hit["status"]) == (1, "withdrawn")
    table = run("search", "Musikschule", "--db", db).stdout
    assert "(withdrawn) Musikschule zieht um" in table


def test_limit(db):
    assert len(search(db, "Bochum OR Haus OR Bücherei", "--limit", "2")) == 2


# --- output ----------------------------------------------------------------------------------

def test_json_shape_and_snippet(db):
    [hit] = search(db, "Gunter Demnig")
    assert list(hit)[:7] == ["article_id", "url", "headline", "published", "version", "snippet", "score"]
    assert hit["url"].startswith("https://www.bochum.de/Pressemeldungen/")
    assert (hit["published"], hit["version"]) == ("2024-03-12", 2)
    assert "[Gunter] [Demnig]" in hit["snippet"] and "\n" not in hit["snippet"]
    assert len(hit["snippet"]) <= 160 and hit["score"] > 0


def test_snippet_marks_inflected_and_transliterated_forms(db):
    [hit] = search(db, "buecherei wattenscheid")
    assert "[Bücherei] in [Wattenscheid]" in hit["snippet"]


def test_table_fits_100_columns_and_csv_has_a_header(db):
    table = run("search", "Haus OR Bücherei OR Stolpersteine", "--db", db).stdout
    assert all(len(line) <= 100 for line in table.splitlines())
    assert "Stolpersteine" in table
    csv_out = run("search", "Stolpersteine", "--db", db, "--format", "csv").stdout
    assert csv_out.startswith("article_id,url,headline,published,version,snippet,score")


def test_no_hits_is_empty_and_exit_0(db):
    assert search(db, "Raumfahrtbehörde") == []
    assert run("search", "Raumfahrtbehörde", "--db", db).exit_code == 0


# --- malformed queries ----------------------------------------------------------------------

@pytest.mark.parametrize("query", ['"Haus der Musik', "(Bochum OR Haus", "Bochum)", "Bochum AND", "OR Haus",
                                   "NOT", "NOT Bochum", "*", "Sto*pel", "NEAR(Haus Musik)", "", "   ", "()"])
def test_malformed_query_is_exit_2_with_one_line(db, query):
    result = CliRunner().invoke(main, ["search", query, "--db", db])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output and "Traceback" not in result.stderr


def test_user_text_never_reaches_fts_syntax():
    parsed = parse_query('"Bochum" OR rowid:1 col:x ^NEAR -- ;DROP')
    assert parsed.match.count('"') % 2 == 0
    assert "rowid" in parsed.match and ":" not in parsed.match and "^" not in parsed.match


# --- keeping the index in step ----------------------------------------------------------------

def test_archive_without_index_is_indexed_on_first_search(tmp_path):
    db = build_archive(tmp_path / "old.sqlite", index=False)
    assert headlines(db, "Stolperstein") == ["Neue Stolpersteine erinnern an Bochumer Familien"]


def test_reindexing_a_changed_version_replaces_its_terms(tmp_path):
    db = build_archive(tmp_path / "reparse.sqlite")
    sessions = open_archive(db)
    with sessions.begin() as session:
        version = session.query(Version).filter_by(headline="Flohmarkt der Buecherei Linden").one()
        version.body = "Die Buecherei Linden lädt zur Lesenacht ein."
        index_versions(session, [version.id])
    assert headlines(db, "verkauft") == []
    assert headlines(db, "Lesenacht") == ["Flohmarkt der Buecherei Linden"]


def test_search_tables_rolled_back_with_their_transaction_are_made_again(tmp_path):
    """The schema check is remembered per connection; a rollback that took the tables must not fool it."""
    sessions = open_archive(build_archive(tmp_path / "rollback.sqlite", index=False))
    session = sessions()
    with session.begin():
        index_versions(session, [1])
        session.rollback()
    with session.begin():  # the same pooled connection, which has seen the tables once
        index_versions(session, [1])
    session.close()
    with sessions() as session:
        assert session.execute(text("SELECT version_id FROM search_doc")).scalars().all() == [1]


def test_non_sqlite_archive_is_bad_input(db, monkeypatch):
    monkeypatch.setattr("archive.search._is_sqlite", lambda session: False)
    result = CliRunner().invoke(main, ["search", "Bochum", "--db", db])
    assert result.exit_code == 2 and "needs an SQLite archive" in result.stderr


def test_ranking_considers_the_newest_candidates_first(db, monkeypatch):
    everything = search(db, "Bochum OR Haus OR Bücherei OR Stolpersteine")
    monkeypatch.setattr("archive.search.CANDIDATES", 2)
    newest = search(db, "Bochum OR Haus OR Bücherei OR Stolpersteine")
    assert len(everything) > 2 and len(newest) == 2
    assert {h["article_id"] for h in newest} == {6, 5}  # the two most recently stored matches


def test_store_writes_keep_the_index_in_step(tmp_path):
    """Through the store's own hook: a new release, its withdrawal and its return."""
    store_mod = pytest.importorskip("archive.store")
    url = "https://bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-smarteste-City"
    record = {"url": url, "canonical_url": url, "kind": "press_release", "kicker": None,
              "headline": "Bochum laut Bitkom smarteste City im Ruhrgebiet", "published": "2020-10-09",
              "published_source": "date_line", "paragraphs": ["Im Smart-City-Index ist Bochum aufgestiegen."],
              "images": [], "date_mentions": [], "extractor": "portal",
              "quotes": [{"text": "Eine tolle Bestätigung", "speaker": "Thomas Eiskirch",
                          "role": "Oberbürgermeister", "paragraph": 0}]}

    def fetch(day: int, status: int = 200):
        return store_mod.Fetch(url=url, canonical_url=url, status=status, body=b"<html>%d</html>" % day,
                               headers={}, fetched_at=datetime(2024, 5, day, 10))

    db = str(tmp_path / "store.sqlite")
    store = store_mod.Store.open(db)
    try:
        store.save_fetch(fetch(1), record, None)
    except NotImplementedError:
        pytest.skip("Store.save_fetch not implemented yet")
    assert [h["status"] for h in search(db, "smarteste", "--speaker", "Eiskirch")] == ["active"]
    store.save_gone(fetch(2, 410), None)
    assert [(h["version"], h["status"]) for h in search(db, "Ruhrgebiet")] == [(1, "withdrawn")]
    store.save_fetch(fetch(3), {**record, "paragraphs": ["Bochum steigt im Index auf."]}, None)
    assert [(h["version"], h["status"]) for h in search(db, "steigt")] == [(3, "active")]
    assert search(db, "Smart-City-Index") == [] and len(search(db, "Smart-City-Index", "--all-versions")) == 1


def test_nesting_is_bounded_in_the_parser_itself():
    from archive.errors import BadInput
    from archive.query import MAX_NESTING, parse_query

    assert parse_query("(" * MAX_NESTING + "Kita" + ")" * MAX_NESTING).match
    with pytest.raises(BadInput, match="too deeply"):
        parse_query("(" * 2000 + "Kita" + ")" * 2000)  # no RecursionError, for Datasette's search too
