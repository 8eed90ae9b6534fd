"""Browsing: Datasette over the archive, driven through Datasette's own test client."""
from __future__ import annotations

import asyncio
import builtins
import json
import socket

import pytest
from click.testing import CliRunner
from builders import build_archive

from archive.cli import main
from archive.serve import make_datasette

pytest.importorskip("datasette")


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return make_datasette(build_archive(tmp_path_factory.mktemp("serve") / "archive.sqlite"))


def fetch(ds, path: str, follow: bool = True):
    async def request():
        return await ds.client.get(path, follow_redirects=follow)

    return asyncio.run(request())


def get(ds, path: str) -> dict:
    response = fetch(ds, path)
    assert response.status_code == 200, response.text
    return response.json()


def cli_search(db: str, query: str) -> list[int]:
    result = CliRunner().invoke(main, ["search", query, "--db", db, "--format", "json"])
    return [hit["article_id"] for hit in json.loads(result.stdout)]


def test_search_box_on_latest_releases_is_the_cli_search(ds):
    moved = fetch(ds, "/archive/latest_release?_search=Buecherei", follow=False)
    assert moved.status_code == 302 and moved.headers["location"] == "/-/search?q=Buecherei"
    assert [h["article_id"] for h in get(ds, "/-/search.json?q=Buecherei")] == [4, 2]


@pytest.mark.parametrize("query", ["Stolpersteine", "Buecherei", "Bücherei", "Bucherei", "Bad", "Musik -Schule"])
def test_the_table_json_api_keeps_its_shape_and_searches_as_the_cli(ds, query):
    """latest_release.json?_search= answers as Datasette's table API does, rows narrowed by the CLI's search."""
    data = get(ds, f"/archive/latest_release.json?_search={query}&_shape=objects")
    assert data["table"] == "latest_release" and "rows" in data and "filtered_table_rows_count" in data
    assert {r["article_id"] for r in data["rows"]} == set(cli_search(ds.databases["archive"].path, query))
    assert data["filtered_table_rows_count"] == len(data["rows"])
    published = [r["published"] for r in data["rows"]]
    assert published == sorted(published, reverse=True)  # the table's own order, newest first


def test_the_table_json_api_with_a_malformed_query_is_a_400_with_one_line(ds):
    response = fetch(ds, '/archive/latest_release.json?_search="Stolperstein')
    assert response.status_code == 400
    assert "closing" in response.json()["error"] and "user-defined" not in response.text


def test_an_empty_table_search_filters_nothing(ds):
    everything = get(ds, "/archive/latest_release.json?_shape=objects")
    assert get(ds, "/archive/latest_release.json?_search=&_shape=objects")["rows"] == everything["rows"]


def test_plain_fts5_would_have_found_nothing_for_an_umlaut_spelling(ds):
    """Datasette's own matching (release_fts, no ae/ä folding) does not answer the table's search."""
    import sqlite3

    with sqlite3.connect(ds.databases["archive"].path) as db:
        plain = db.execute("SELECT count(*) FROM release_fts WHERE release_fts MATCH 'Buecherei'").fetchone()[0]
    rows = get(ds, "/archive/latest_release.json?_search=Buecherei&_shape=objects")["rows"]
    assert plain < len(rows)


def test_withdrawn_release_keeps_its_last_text(ds):
    data = get(ds, "/archive/latest_release.json?status=withdrawn&_shape=objects")
    assert [(r["headline"], r["version"], r["versions"]) for r in data["rows"]] == [("Musikschule zieht um", 1, 2)]


def test_facets_on_year_and_speaker(ds):
    data = get(ds, "/archive/latest_release.json")
    facets = data["facet_results"]
    facets = facets.get("results", facets)  # Datasette 1.0 nests them
    assert {f["value"] for f in facets["year"]["results"]} == {2022, 2023, 2024}
    assert "Thomas Eiskirch" in {f["value"] for f in facets["speakers"]["results"]}


def test_german_search_canned_query(ds):
    data = get(ds, "/archive/search.json?q=Buecherei&_shape=objects")
    assert [r["article_id"] for r in data["rows"]] == cli_search(ds.databases["archive"].path, "Buecherei")
    data = get(ds, "/archive/search.json?q=Stolperstein&_shape=objects")
    assert [r["headline"] for r in data["rows"]] == ["Neue Stolpersteine erinnern an Bochumer Familien"]


def test_quotes_by_speaker_canned_query(ds):
    data = get(ds, "/archive/quotes_by_speaker.json?speaker=mueller&_shape=objects")
    assert [(r["speaker"], r["role"]) for r in data["rows"]] == [("Jörg Müller", "Leiter des Tiefbauamts")]


def test_changed_and_withdrawn_canned_queries(ds):
    changed = get(ds, "/archive/changed_after_publication.json?_shape=objects")["rows"]
    assert [(r["article_id"], r["versions"]) for r in changed] == [(1, 2)]
    withdrawn = get(ds, "/archive/withdrawn_releases.json?_shape=objects")["rows"]
    assert [r["headline"] for r in withdrawn] == ["Musikschule zieht um"]


def test_tables_are_described_and_internals_hidden(ds):
    tables = {t["name"]: t for t in get(ds, "/archive.json")["tables"]}
    assert tables["search_doc"]["hidden"] and tables["version_fts"]["hidden"]
    assert not tables["latest_release"]["hidden"]


def test_serve_without_datasette_is_bad_input(tmp_path, monkeypatch):
    db = build_archive(tmp_path / "archive.sqlite")
    real_import = builtins.__import__

    def no_datasette(name, *args, **kwargs):
        if name.startswith("datasette"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_datasette)
    result = CliRunner().invoke(main, ["serve", "--db", db])
    assert result.exit_code == 2 and "pip install -e '.[serve]'" in result.stderr


def test_serve_listens_on_loopback_only(tmp_path, monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    db = build_archive(tmp_path / "browse.sqlite", index=False)  # indexed on the way in
    result = CliRunner().invoke(main, ["serve", "--db", db, "--port", "8123"])
    assert result.exit_code == 0, result.stderr
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)
    ds = make_datasette(db)
    assert get(ds, "/browse/latest_release.json?_search=Musik")


def test_a_taken_port_is_bad_input_before_anything_is_announced(tmp_path, monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    db = build_archive(tmp_path / "browse.sqlite")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--db", db, "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert calls == [] and "Serving" not in result.stdout  # uvicorn alone would exit 3 after the line


def test_port_0_announces_the_port_it_got(tmp_path, monkeypatch):
    uvicorn = pytest.importorskip("uvicorn")
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    result = CliRunner().invoke(main, ["serve", "--db", build_archive(tmp_path / "b.sqlite"), "--port", "0"])
    assert result.exit_code == 0, result.stderr
    assert calls[0]["port"] > 0 and f"http://127.0.0.1:{calls[0]['port']}/" in result.stdout
