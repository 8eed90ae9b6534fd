"""Export: five tables as RFC 4180 CSV with the contract's columns, Excel safety, atomic --out."""
from __future__ import annotations

import csv
import io
import os

import pytest
from click.testing import CliRunner
from builders import build_archive

from archive.cli import main
from archive.export import ExportOptions, build_query, inert

COLUMNS = {
    "articles": ["article_id", "url", "headline", "published", "status", "first_seen", "last_seen", "versions", "body"],
    "versions": ["article_id", "url", "version", "fetched_at", "change", "headline", "published", "content_hash",
                 "body", "changed_fields"],
    "quotes": ["article_id", "url", "version", "position", "text", "speaker", "role"],
    "images": ["article_id", "url", "version", "position", "src", "alt", "caption", "credit"],
    "mentions": ["article_id", "url", "version", "text", "date"],
}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        yield build_archive(tmp_path_factory.mktemp("export") / "archive.sqlite")
        return
    server = request.getfixturevalue("pg_server")
    url = server.create_database()
    yield build_archive(url)
    server.drop_database(url)


def export(db: str, *args) -> bytes:
    result = CliRunner().invoke(main, ["export", *args, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def rows(db: str, *args) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(export(db, *args).decode("utf-8"), newline=""))
    return reader.fieldnames, list(reader)


@pytest.mark.parametrize("table", list(COLUMNS))
def test_every_table_parses_with_the_contract_columns_in_order(db, table):
    fields, records = rows(db, table)
    assert fields[:len(COLUMNS[table])] == COLUMNS[table]
    assert records and all(r["url"].startswith("https://www.bochum.de/Pressemeldungen/") for r in records)


def test_rfc4180_crlf_and_multiline_bodies_round_trip(db):
    raw = export(db, "versions").decode("utf-8")
    assert raw.startswith("article_id,url,version") and "\r\n" in raw
    fields, records = rows(db, "versions")
    body = next(r["body"] for r in records if r["version"] == "1" and "Gedenkspaziergang" in r["body"])
    assert "\n\n" in body  # paragraphs survive inside one quoted cell


def test_articles_show_latest_text_status_and_counts(db):
    _, records = rows(db, "articles")
    by_headline = {r["headline"]: r for r in records}
    stolper = by_headline["Neue Stolpersteine erinnern an Bochumer Familien"]
    assert (stolper["versions"], stolper["status"], stolper["published"]) == ("2", "active", "2024-03-12")
    assert "Gedenkspaziergang" not in stolper["body"]
    assert stolper["first_seen"] == "2024-03-12T09:00:00Z"
    withdrawn = by_headline["Musikschule zieht um"]  # the last real text, marked withdrawn
    assert (withdrawn["status"], withdrawn["versions"]) == ("withdrawn", "2")


def test_versions_lists_every_version_with_iso_timestamps(db):
    _, records = rows(db, "versions")
    assert len(records) == 8
    assert {r["change"] for r in records} == {"new", "edited", "withdrawn"}
    withdrawal = next(r for r in records if r["change"] == "withdrawn")
    assert withdrawal["headline"] == "" and withdrawal["fetched_at"] == "2024-01-16T09:00:00Z"


def test_quotes_carry_speakers_and_latest_only_unless_all_versions(db):
    _, latest = rows(db, "quotes")
    assert {(r["speaker"], r["role"]) for r in latest} == {
        ("Thomas Eiskirch", "Oberbürgermeister"), ("Dietmar Dieckmann", "Kulturdezernent"),
        ("Jörg Müller", "Leiter des Tiefbauamts")}
    assert [r["version"] for r in latest if r["speaker"] == "Thomas Eiskirch"] == ["2"]
    _, every = rows(db, "quotes", "--all-versions")
    assert sorted(r["version"] for r in every if r["speaker"] == "Thomas Eiskirch") == ["1", "2"]


def test_images_carry_credits_and_mentions_dates(db):
    _, images = rows(db, "images")
    assert {r["credit"] for r in images} == {"Stadt Bochum", "Lutz Leitmann/Stadt Bochum"}
    assert any(r["caption"] == "Der Lesesaal der Bücherei" for r in images)
    _, mentions = rows(db, "mentions")
    assert {(r["text"], r["date"]) for r in mentions} == {("14. März", "2024-03-14"), ("4. Mai", "2024-05-04")}


def test_since_until_filter_on_published(db):
    _, records = rows(db, "articles", "--since", "2024-01-01", "--until", "2024-03-31")
    assert sorted(r["published"] for r in records) == ["2024-01-10", "2024-01-15", "2024-03-12"]
    _, quotes = rows(db, "quotes", "--until", "2023-12-31")
    assert [r["speaker"] for r in quotes] == ["Jörg Müller"]


def test_excel_has_a_bom_and_inert_formulas(db):
    raw = export(db, "images", "--excel")
    assert raw.startswith(b"\xef\xbb\xbf")
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert any(r["alt"] == "'=SUM(1)" for r in records)
    _, plain = rows(db, "images")
    assert any(r["alt"] == "=SUM(1)" for r in plain)  # without --excel the data stay as they are


@pytest.mark.parametrize("cell, expected", [
    ("=SUM(1)", "'=SUM(1)"), ("+49 234", "'+49 234"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Bochum", "Bochum"), (7, 7), (None, None),
])
def test_inert(cell, expected):
    assert inert(cell) == expected


def test_out_writes_atomically_and_replaces(db, tmp_path):
    out = tmp_path / "quotes.csv"
    out.write_text("old")
    result = CliRunner().invoke(main, ["export", "quotes", "--db", db, "--out", str(out)])
    assert result.exit_code == 0 and out.read_text("utf-8").startswith("article_id,url,version,position")
    assert os.listdir(tmp_path) == ["quotes.csv"]  # no temp file left behind


def test_out_keeps_the_old_file_when_the_export_fails(db, tmp_path, monkeypatch):
    out = tmp_path / "articles.csv"
    out.write_text("old")
    monkeypatch.setattr("archive.export.iso_timestamp", lambda v: 1 / 0)
    result = CliRunner().invoke(main, ["export", "articles", "--db", db, "--out", str(out)])
    assert result.exit_code != 0 and out.read_text() == "old"
    assert os.listdir(tmp_path) == ["articles.csv"]


def test_unwritable_out_is_bad_input(db, tmp_path):
    result = CliRunner().invoke(main, ["export", "articles", "--db", db, "--out", str(tmp_path / "no" / "x.csv")])
    assert result.exit_code == 2 and result.stderr.startswith("pressarchive: cannot write")
    assert len(result.stderr.strip().splitlines()) == 1


def test_user_dates_are_bound_not_spliced():
    statement, params = build_query("articles", ExportOptions(since=__import__("datetime").date(2024, 1, 1)))
    assert ":since" in statement and "2024" not in statement and params


def test_csv_lines_match_the_csv_module_byte_for_byte():
    import random

    from archive.export import csv_lines

    pieces = ["", "a", ",", '"', "\n", "\r", "\r\n", " ", "ä", "„Zitat“", "=SUM(1)", "'", "\t", ";"]
    rng = random.Random(4180)
    rows = [[None, 7, -1.5, True]] + [
        ["".join(rng.choices(pieces, k=rng.randint(0, 6))) for _ in range(rng.randint(2, 6))] for _ in range(500)]
    expected = io.StringIO(newline="")
    csv.writer(expected, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    assert csv_lines(rows) == expected.getvalue()


def test_out_through_a_symlink_replaces_the_file_and_keeps_the_link(db, tmp_path):
    (tmp_path / "real.csv").write_text("old")
    (tmp_path / "link.csv").symlink_to("real.csv")
    result = CliRunner().invoke(main, ["export", "quotes", "--db", db, "--out", str(tmp_path / "link.csv")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "link.csv").is_symlink() and os.readlink(tmp_path / "link.csv") == "real.csv"
    assert (tmp_path / "real.csv").read_text("utf-8").startswith("article_id,url,version,position")
    assert sorted(os.listdir(tmp_path)) == ["link.csv", "real.csv"]


def test_out_keeps_the_permissions_of_the_file_it_replaces(db, tmp_path):
    out = tmp_path / "private.csv"
    out.write_text("old")
    out.chmod(0o600)
    result = CliRunner().invoke(main, ["export", "quotes", "--db", db, "--out", str(out)])
    assert result.exit_code == 0 and (out.stat().st_mode & 0o777) == 0o600


def test_out_to_a_device_writes_into_it(db, tmp_path):
    # Renaming a finished temp file over /dev/null (or /dev/stdout) would replace the device itself.
    (tmp_path / "null.csv").symlink_to(os.devnull)
    result = CliRunner().invoke(main, ["export", "articles", "--db", db, "--out", str(tmp_path / "null.csv")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "null.csv").is_symlink() and os.readlink(tmp_path / "null.csv") == os.devnull
    assert os.listdir(tmp_path) == ["null.csv"]


def test_out_may_be_a_file_this_user_cannot_read(db, tmp_path, monkeypatch):
    out = tmp_path / "write-only.csv"
    out.write_text("old")
    real_access = os.access
    # Root reads everything: pretend to be a user for whom out is write-only (mode 0222).
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if str(path) == str(out) and mode & os.R_OK
                        else real_access(path, mode, *a, **k))
    result = CliRunner().invoke(main, ["export", "quotes", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text("utf-8").startswith("article_id,url,version,position")


def long_body_archive(path, body: str) -> str:
    """An archive of one release whose body is `body`."""
    from datetime import date

    from builders import make_article

    from archive.db import open_archive

    sessions = open_archive(str(path))
    with sessions.begin() as session:
        session.add(make_article("Langer-Bericht", date(2024, 2, 1), "active",
                                 [("Ein langer Bericht", [body], [], [], [], "new")]))
    sessions.kw["bind"].dispose()
    return str(path)


def test_excel_splits_a_body_over_the_cell_limit_into_continuation_columns(tmp_path):
    from archive.excel import EXCEL_LIMIT, units

    # 80,000 characters: words, an emoji (two UTF-16 units in Excel's count) and a "-" after a space
    # where a cut would make the next cell a formula.
    words = ("Die Stadt Bochum informiert über die Sanierung der Kortumstraße 🚧 und bittet um "
             "Verständnis -5 Grad ").split(" ")
    body = " ".join(words[i % len(words)] for i in range(11_000))
    db = long_body_archive(tmp_path / "a.sqlite", body)
    for table, contract in (("versions", COLUMNS["versions"]), ("articles", COLUMNS["articles"])):
        raw = export(db, table, "--excel").decode("utf-8-sig")
        header, *records = list(csv.reader(io.StringIO(raw, newline="")))
        assert header == contract + ["body_2", "body_3", "body_4"][:len(header) - len(contract)]
        assert len(header) > len(contract)
        parts = records[0][contract.index("body")], *records[0][len(contract):]
        assert "".join(parts) == body
        assert all(units(p) <= EXCEL_LIMIT for p in parts)
        assert not any(p.startswith(("=", "+", "-", "@")) for p in parts)
        plain = list(csv.reader(io.StringIO(export(db, table).decode("utf-8"), newline="")))
        assert plain[0] == contract and plain[1][contract.index("body")] == body


def test_excel_keeps_a_body_that_fits_in_one_cell(db):
    raw = export(db, "versions", "--excel").decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(raw, newline=""))) == COLUMNS["versions"]
