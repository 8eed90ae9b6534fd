"""The archive after real crawls of the replica: history, diff, reparse, WARC, search and exports.

One replica is crawled (in a subprocess, as cron would), then edited, withdrawn and re-crawled;
every test reads that archive through the `pressarchive` commands.
"""
from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import subprocess

import pytest
from builders import pressarchive
from replica import server as replica_server

from crawler.parsing.urls import canonical_url

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess:
    """`pressarchive ARGS` in a subprocess."""
    return pressarchive(*args)


def ok(*args: str) -> str:
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A crawled, edited, withdrawn and re-crawled replica archive, and what changed."""
    db = str(tmp_path_factory.mktemp("e2e") / "archive.sqlite")
    with replica_server.start_replica(n=60, seed=23) as rep:
        ok("crawl", "--start-url", rep.listing_url, "--delay", "0", "--db", db, "--quiet")
        before = {r.path: rep.truth(r.path) for r in rep.portal.releases}
        edited, corrected, withdrawn = rep.edit(), rep.correct_headline(), rep.withdraw(status=410)
        ok("crawl", "--start-url", rep.listing_url, "--delay", "0", "--db", db, "--recheck", "all", "--quiet")
        truth = {r.path: rep.truth(r.path) for r in rep.portal.releases}
        yield {"db": db, "rep": rep, "before": before, "truth": truth, "edited": edited,
               "corrected": corrected, "withdrawn": withdrawn, "url": rep.url}


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --- history and diff ---------------------------------------------------------------------------
def test_history_of_an_edited_release_in_percent_2f_spelling(world):
    url = world["url"](world["edited"]).replace("/Pressemeldungen/", "/Pressemeldungen%2F")
    out = ok("history", url.replace("http://", "http://www."), "--db", world["db"])
    lines = [line for line in out.splitlines() if re.match(r"\s*\d+\s", line)]
    assert len(lines) == 2 and "new" in lines[0] and "edited" in lines[1]
    assert "paragraphs" in lines[1] or "body" in lines[1]


def test_diff_shows_the_edited_words(world):
    old = world["before"][world["edited"]]["paragraphs"]
    new = world["truth"][world["edited"]]["paragraphs"]
    removed = {w for p in old for w in p.split()} - {w for p in new for w in p.split()}
    added = {w for p in new for w in p.split()} - {w for p in old for w in p.split()}
    assert removed or added, "the replica's edit changed no word"
    out = ok("diff", world["url"](world["edited"]), "--db", world["db"])
    for word in list(removed)[:3]:
        assert word in out
    for word in list(added)[:3]:
        assert word in out


def test_withdrawn_release_keeps_its_versions(world):
    out = ok("history", world["url"](world["withdrawn"]), "--db", world["db"])
    assert "withdrawn" in out and "new" in out


# --- exports ------------------------------------------------------------------------------------
def test_export_versions_shows_every_state(world):
    rows = csv_rows(ok("export", "versions", "--db", world["db"]))
    assert list(rows[0])[:9] == ["article_id", "url", "version", "fetched_at", "change", "headline",
                                 "published", "content_hash", "body"]
    by_url: dict[str, list[str]] = {}
    for row in rows:
        by_url.setdefault(row["url"], []).append(row["change"])
    assert by_url[canonical_url(world["url"](world["edited"]))] == ["new", "edited"]
    assert by_url[canonical_url(world["url"](world["withdrawn"]))] == ["new", "withdrawn"]
    assert by_url[canonical_url(world["url"](world["corrected"]))] == ["new", "edited"]
    assert sum(len(v) for v in by_url.values()) == len(by_url) + 3


def test_export_articles_match_the_portal(world):
    rows = csv_rows(ok("export", "articles", "--db", world["db"]))
    truth = {canonical_url(world["url"](p)): t for p, t in world["truth"].items()}
    assert len(rows) == len(truth)
    for row in rows:
        expected = truth[row["url"]]
        assert (row["headline"], row["published"]) == (expected["headline"], expected["published"])
        assert row["status"] == ("withdrawn" if row["url"] == canonical_url(world["url"](world["withdrawn"]))
                                 else "active")
        if row["status"] == "active":
            assert row["body"] == "\n\n".join(expected["paragraphs"])


def test_export_quotes_carry_the_right_speakers(world):
    rows = csv_rows(ok("export", "quotes", "--db", world["db"]))
    got = {(r["url"], r["text"], r["speaker"]) for r in rows}
    expected = {(canonical_url(world["url"](p)), q["text"], q["speaker"])
                for p, t in world["truth"].items() if p != world["withdrawn"] for q in t["quotes"]}
    assert expected and len(got & expected) >= 0.9 * len(expected)


def test_export_images_carry_the_right_credits(world):
    rows = csv_rows(ok("export", "images", "--db", world["db"]))
    got = {(r["url"], r["caption"], r["credit"] or None) for r in rows}
    expected = {(canonical_url(world["url"](p)), i["caption"], i["credit"])
                for p, t in world["truth"].items() if p != world["withdrawn"] for i in t["images"]}
    assert expected and got >= expected


def test_export_mentions_and_date_filter(world):
    rows = csv_rows(ok("export", "mentions", "--db", world["db"], "--since", "2022-01-01"))
    urls = {canonical_url(world["url"](p)) for p, t in world["truth"].items() if t["published"] >= "2022-01-01"}
    assert rows and {r["url"] for r in rows} <= urls
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date"]) for r in rows)


def test_excel_export_is_inert_and_has_a_bom(world, tmp_path):
    out = tmp_path / "versions.csv"
    ok("export", "versions", "--db", world["db"], "--excel", "--out", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))):
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row)


# --- search -------------------------------------------------------------------------------------
def search(world, *args: str) -> list[dict]:
    return json.loads(ok("search", *args, "--db", world["db"], "--format", "json", "--limit", "100"))


def _word_in_truth(world, pattern: str) -> set[str]:
    found = set()
    for path, t in world["truth"].items():
        if path != world["withdrawn"] and re.search(pattern, " ".join([t["headline"], *t["paragraphs"]])):
            found.add(canonical_url(world["url"](path)))
    return found


def test_inflected_forms_and_umlaut_spellings_find_the_same_releases(world):
    # whole words only: a compound (Bürgerbüro) is another word to the index
    expected = _word_in_truth(world, r"\bBürger(n|s)?\b")
    assert expected
    umlaut = {h["url"] for h in search(world, "Bürger")}
    spelled = {h["url"] for h in search(world, "Buerger")}
    assert umlaut == spelled and expected <= umlaut | _word_in_truth(world, r"\bBurg")


def test_phrase_ranks_the_exact_release_first(world):
    path, truth = next((p, t) for p, t in world["truth"].items() if p != world["withdrawn"])
    hits = search(world, f'"{truth["headline"]}"')
    assert hits and hits[0]["url"] == canonical_url(world["url"](path))


def test_all_versions_tells_the_corrected_headline_from_the_first(world):
    old = world["before"][world["corrected"]]["headline"]
    new = world["truth"][world["corrected"]]["headline"]
    added = [w for w in new.split() if w.isalpha() and w not in old.split()]
    assert added, (old, new)
    url = canonical_url(world["url"](world["corrected"]))
    phrase = f'"{new}"'
    assert url in {h["url"] for h in search(world, phrase)}
    every = {(h["url"], h["version"]) for h in search(world, phrase, "--all-versions")}
    assert (url, 2) in every and (url, 1) not in every
    assert (url, 1) in {(h["url"], h["version"]) for h in search(world, f'"{old}"', "--all-versions")}


def test_speaker_filter(world):
    speaker = next(q["speaker"] for t in world["truth"].values() for q in t["quotes"] if q["speaker"])
    surname = speaker.split()[-1]
    hits = search(world, "Bochum OR Stadt", "--speaker", surname)
    quoted = {canonical_url(world["url"](p)) for p, t in world["truth"].items()
              if any(q["speaker"] == speaker for q in t["quotes"])}
    assert hits and {h["url"] for h in hits} <= quoted | _quoting(world, surname)


def _quoting(world, surname: str) -> set[str]:
    return {canonical_url(world["url"](p)) for p, t in world["truth"].items()
            if any((q["speaker"] or "").endswith(surname) for q in t["quotes"])}


@pytest.mark.parametrize("query", ['"unbalanced', "Bochum AND", "*", "NEAR(", "(Bochum"])
def test_bad_queries_exit_2_with_one_line(world, query):
    result = run("search", query, "--db", world["db"])
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# --- reparse and WARC ---------------------------------------------------------------------------
def test_reparse_changes_fields_in_place_and_adds_no_version(world, tmp_path):
    import shutil

    from archive.store import Store
    from crawler.parsing import extract

    db = str(tmp_path / "copy.sqlite")
    shutil.copy(world["db"], db)
    store = Store.open(db)
    count = len(csv_rows(ok("export", "versions", "--db", db)))

    def older_parser(body, url, headers):  # a "parser change": headlines were once upper-cased
        record = extract(body, url=url, headers=headers).to_dict()
        return {**record, "headline": (record["headline"] or "").upper()}

    assert store.reparse(older_parser, "0-test") > 0
    assert all(r["headline"].isupper() for r in csv_rows(ok("export", "articles", "--db", db))
               if r["status"] == "active")
    out = ok("reparse", "--db", db)
    assert re.match(r"[1-9]\d* versions changed", out)
    after = csv_rows(ok("export", "versions", "--db", db))
    assert len(after) == count and not any(r["headline"].isupper() for r in after if r["change"] != "withdrawn")
    assert ok("reparse", "--db", db).startswith("0 versions changed")


def test_warc_reads_back(world, tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    out = tmp_path / "archive.warc.gz"
    ok("warc", "--db", world["db"], "--out", str(out))
    with open(out, "rb") as fh:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                   for r in ArchiveIterator(fh)]
    responses = [r for r in records if r[0] == "response"]
    assert records[0][0] == "warcinfo" and len(responses) >= 60
    assert all(uri.startswith("http://127.0.0.1:") and b"<html" in body for _, uri, body in responses)


# --- browsing -----------------------------------------------------------------------------------
def test_datasette_answers_a_search(world):
    pytest.importorskip("datasette")
    from archive.serve import make_datasette

    word = world["truth"][next(iter(world["truth"]))]["headline"].split()[0]

    async def fetch():
        ds = make_datasette(world["db"])
        return await ds.client.get(f"/archive/search.json?q={word}&_shape=objects")

    response = asyncio.run(fetch())
    assert response.status_code == 200 and response.json()["rows"]
