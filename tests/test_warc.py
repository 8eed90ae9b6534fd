"""`warc`: every raw page as a WARC response record that reads back with warcio."""
from __future__ import annotations

from datetime import datetime

from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive import warc as warc_module
from archive.cli import main
from archive.store import Fetch, Store
from archive.warc import write_warc

BASE = "https://bochum.de/Pressemeldungen/9-Oktober-2020/"
BODIES = {"Erste": "<html><p>Grüße aus Bochum</p></html>".encode(), "Zweite": b"<html><p>zwei</p></html>"}


def fill(path: str) -> Store:
    store = Store.open(path)
    for n, (slug, body) in enumerate(BODIES.items()):
        headers = {"Content-Type": "text/html; charset=utf-8", "ETag": f'"{slug}"', "Content-Encoding": "gzip"}
        fetch = Fetch(url=BASE + slug, canonical_url=BASE + slug, status=200, headers=headers, body=body,
                      fetched_at=datetime(2024, 5, 1, 10, n, 7))
        store.save_fetch(fetch, {"kind": "press_release", "headline": slug, "paragraphs": ["x"]}, None)
    return store


def read(path) -> list:
    with open(path, "rb") as fh:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Date"),
                 r.http_headers, r.content_stream().read()) for r in ArchiveIterator(fh)]


def test_raw_pages_read_back(tmp_path):
    store = fill(str(tmp_path / "a.sqlite"))
    out = tmp_path / "archive.warc.gz"
    assert write_warc(store.sessions, str(out)) == 2
    records = read(out)
    assert [r[0] for r in records] == ["warcinfo", "response", "response"]
    _, url, date, http, body = records[1]
    assert (url, date, body) == (BASE + "Erste", "2024-05-01T10:00:07Z", BODIES["Erste"])
    assert http.statusline == "200 OK" and http.get_header("ETag") == '"Erste"'
    assert http.get_header("Content-Encoding") is None  # the stored body is already decoded
    assert http.get_header("Content-Length") == str(len(BODIES["Erste"]))
    assert records[2][1:3] == (BASE + "Zweite", "2024-05-01T10:01:07Z") and records[2][4] == BODIES["Zweite"]
    assert sorted(p.name for p in tmp_path.iterdir() if "warc" in p.name) == ["archive.warc.gz"]  # no temp file
    with open(out, "rb") as fh:
        assert fh.read(2) == b"\x1f\x8b"  # gzip


def test_warc_command(tmp_path):
    db = str(tmp_path / "a.sqlite")
    fill(db)
    out = tmp_path / "out.warc.gz"
    result = CliRunner().invoke(main, ["warc", "--db", db, "--out", str(out)])
    assert result.exit_code == 0 and "2 records written" in result.output
    assert len(read(out)) == 3


def test_unwritable_out_is_exit_2(tmp_path):
    db = str(tmp_path / "a.sqlite")
    fill(db)
    result = CliRunner().invoke(main, ["warc", "--db", db, "--out", str(tmp_path / "missing" / "x.warc.gz")])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    db = str(tmp_path / "a.sqlite")
    fill(db)
    written = []

    def fail_on_the_second(writer, row):
        if written:
            raise RuntimeError("the archive broke off")
        written.append(row.url)
        return real_response(writer, row)

    real_response = warc_module._response
    monkeypatch.setattr(warc_module, "_response", fail_on_the_second)
    out = tmp_path / "out" / "x.warc.gz"
    out.parent.mkdir()
    result = CliRunner().invoke(main, ["warc", "--db", db, "--out", str(out)])
    assert result.exit_code != 0 and written  # it failed half-way through
    assert list(out.parent.iterdir()) == []
