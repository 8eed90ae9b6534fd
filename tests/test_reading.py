"""Reading versions: show, --format json on history/diff/runs, content-aligned diffs, the Atom feed,
and reading commands that never create an archive and read one they may not write."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.diffing import paragraph_changes
from archive.migrate import _revisions
from archive.store import Fetch, Store

URL = "https://www.bochum.de/Pressemeldungen/12-Mai-2024/Brueggemann-eroeffnet-Stadtbuecherei"
CANON = "https://bochum.de/Pressemeldungen/12-Mai-2024/Brueggemann-eroeffnet-Stadtbuecherei"
T0 = datetime(2024, 5, 12, 8, 30)
INTRO = "Die neue Stadtbücherei am Husemannplatz öffnet am Samstag ihre Türen."
REMOVED = "Der Umbau hat zwei Jahre gedauert und kostete 4,2 Millionen Euro."
MIDDLE = "Zur Eröffnung liest die Autorin Anna Brüggemann aus ihrem neuen Roman."
QUOTE_OLD = "„Aber eine Bücherei ist mehr als Regale“, sagt Kulturdezernent Dietmar Dieckmann."
QUOTE_NEW = "„Aber eine Bücherei ist viel mehr als Regale voller Bücher“, sagt Kulturdezernent Dietmar Dieckmann."
ATOM = "{http://www.w3.org/2005/Atom}"


def record(headline: str, paragraphs: list[str], quote: str) -> dict:
    return {"url": URL, "canonical_url": CANON, "kind": "press_release", "headline": headline, "kicker": "Kultur",
            "published": "2024-05-12", "published_source": "date_line", "paragraphs": paragraphs,
            "images": [{"src": "https://www.bochum.de/img/buecherei.jpg", "alt": "Lesesaal",
                        "caption": "Der neue Lesesaal", "credit": "Stadt Bochum, Lutz Leitmann"}],
            "quotes": [{"text": quote, "speaker": "Dietmar Dieckmann", "role": "Kulturdezernent", "paragraph": 3}],
            "date_mentions": [{"text": "Samstag, 18. Mai", "date": "2024-05-18"}], "extractor": "portal"}


def fetch(day: int, status: int = 200) -> Fetch:
    return Fetch(url=URL, canonical_url=CANON, status=status, headers={}, body=f"page {day}".encode(),
                 fetched_at=T0 + timedelta(days=day))


def build(path) -> str:
    """One release: new, then a paragraph removed and a later quote edited, then withdrawn."""
    store = Store.open(str(path))
    store.save_fetch(fetch(0), record("Stadtbücherei öffnet", [INTRO, REMOVED, MIDDLE, QUOTE_OLD],
                                      "Aber eine Bücherei ist mehr als Regale"), None)
    store.save_fetch(fetch(1), record("Stadtbücherei öffnet am Samstag", [INTRO, MIDDLE, QUOTE_NEW],
                                      "Aber eine Bücherei ist viel mehr als Regale voller Bücher"), None)
    store.save_gone(fetch(2, status=404), None)
    return str(path)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return build(tmp_path_factory.mktemp("reading") / "archive.sqlite")


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result.stdout


def test_show_json_is_the_extract_schema_with_its_place_in_history(db):
    data = json.loads(ok("show", "1", "--version", "1", "--format", "json", "--db", db))
    assert set(data) >= {"url", "canonical_url", "kind", "headline", "kicker", "published", "published_source",
                         "paragraphs", "images", "quotes", "date_mentions", "extractor",
                         "article_id", "version", "fetched_at", "change"}
    assert (data["version"], data["change"], data["fetched_at"]) == (1, "new", "2024-05-12T08:30:00Z")
    assert data["paragraphs"] == [INTRO, REMOVED, MIDDLE, QUOTE_OLD]
    assert data["images"][0]["credit"] == "Stadt Bochum, Lutz Leitmann"
    assert data["quotes"][0]["speaker"] == "Dietmar Dieckmann"


def test_show_of_a_withdrawn_release_is_its_last_text(db):
    text = ok("show", URL, "--db", db)
    assert "version 3 of 3 · withdrawn" in text and "withdrawn (its last text)" in text
    assert "Anna Brüggemann" in text and "Stadtbücherei öffnet am Samstag" in text
    assert "„Aber eine Bücherei ist viel mehr als Regale voller Bücher“ — Dietmar Dieckmann, Kulturdezernent" in text
    assert "Der neue Lesesaal (credit: Stadt Bochum, Lutz Leitmann)" in text


@pytest.mark.parametrize("args, message", [(["show", "99"], "no article 99"),
                                           (["show", "1", "--version", "7"], "has no version 7")])
def test_show_of_what_is_not_there_is_one_line_exit_2(db, args, message):
    result = run(*args, "--db", db)
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1


def test_history_json(db):
    data = json.loads(ok("history", "1", "--format", "json", "--db", db))
    assert data == [
        {"version": 1, "fetched_at": "2024-05-12T08:30:00Z", "change": "new", "changed_fields": []},
        {"version": 2, "fetched_at": "2024-05-13T08:30:00Z", "change": "edited",
         "changed_fields": ["headline", "paragraphs", "quotes"]},
        {"version": 3, "fetched_at": "2024-05-14T08:30:00Z", "change": "withdrawn", "changed_fields": ["status"]}]


def test_diff_aligns_paragraphs_by_content_when_one_was_removed_and_a_later_one_edited(db):
    data = json.loads(ok("diff", "1", "--from", "1", "--to", "2", "--format", "json", "--db", db))
    assert (data["from"]["version"], data["to"]["version"]) == (1, 2)
    fields = {f["field"]: f for f in data["fields"]}
    assert list(fields) == ["headline", "paragraphs", "quotes"]
    changes = fields["paragraphs"]["changes"]
    assert [c["op"] for c in changes] == ["removed", "edited"]
    assert changes[0] == {"op": "removed", "from": 2, "text": REMOVED}
    assert (changes[1]["from"], changes[1]["to"], changes[1]["old"]) == (4, 3, QUOTE_OLD)
    assert ["added", "viel"] in changes[1]["words"] and ["added", "Regale voller Bücher“,"] in changes[1]["words"]


def test_diff_text_shows_the_same_alignment(db):
    text = ok("diff", "1", "--from", "1", "--to", "2", "--db", db)
    assert f"  - ¶2: {REMOVED}" in text
    assert "  ~ ¶3: „Aber eine Bücherei ist {+viel+} mehr als [-Regale“,-] {+Regale voller Bücher“,+} sagt" in text
    assert "changed into" not in text and f"[-{REMOVED.split()[0]}" not in text


def test_paragraph_alignment_keeps_order_and_pairs_only_similar_paragraphs():
    old = ["A b c d e", "Ganz anderer Text hier", "x y z w v"]
    new = ["Völlig neuer Absatz ohne Bezug", "A b c d E", "x y z w v"]
    assert [c["op"] for c in paragraph_changes(old, new)] == ["added", "edited", "removed"]


def test_diff_json_of_the_withdrawal_names_the_status(db):
    data = json.loads(ok("diff", "1", "--format", "json", "--db", db))
    assert data["fields"] == [{"field": "status", "old": "active", "new": "withdrawn"}]


def test_runs_json_timestamps_are_utc(tmp_path):
    from archive.lock import crawl_lock

    store = Store.open(str(tmp_path / "a.sqlite"))
    with crawl_lock(str(tmp_path / "a.sqlite")):  # a crawl holds the lock: its run is running (issue 11, item 8)
        store.start_run("http://127.0.0.1:1/Pressemeldungen", "recent", 1)
        data = json.loads(ok("runs", "--format", "json", "--db", str(tmp_path / "a.sqlite")))
    assert data[0]["started_at"].endswith("Z") and data[0]["status"] == "running"


def test_versions_export_has_changed_fields_and_z_timestamps(db):
    rows = list(csv.DictReader(io.StringIO(ok("export", "versions", "--db", db))))
    assert [r["changed_fields"] for r in rows] == ["", "headline,paragraphs,quotes", "status"]
    assert all(r["fetched_at"].endswith("Z") for r in rows)
    articles = list(csv.DictReader(io.StringIO(ok("export", "articles", "--db", db))))
    assert articles[0]["first_seen"] == "2024-05-12T08:30:00Z" and articles[0]["last_seen"].endswith("Z")


def test_feed_is_valid_atom_newest_first(db, tmp_path):
    out = tmp_path / "changes.atom"
    ok("feed", "--out", str(out), "--db", db)
    feed = ET.parse(out).getroot()
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for name in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}link").get("href") == URL
    assert [e.find(f"{ATOM}updated").text for e in entries] == [
        "2024-05-14T08:30:00Z", "2024-05-13T08:30:00Z", "2024-05-12T08:30:00Z"]
    assert entries[0].find(f"{ATOM}title").text.startswith("withdrawn: ")
    assert "changed: headline, paragraphs, quotes" in entries[1].find(f"{ATOM}summary").text
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 3
    limited = ET.fromstring(ok("feed", "--limit", "1", "--db", db).encode())
    assert len(limited.findall(f"{ATOM}entry")) == 1


def test_json_cells_hold_real_characters(db):
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM version WHERE paragraphs LIKE '%Brüggemann%'").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM version WHERE instr(paragraphs, '\\u') > 0").fetchone()[0] == 0


READING = [["search", "Bücherei"], ["show", "1"], ["history", "1"], ["diff", "1"], ["export", "articles"],
           ["runs"], ["feed"], ["warc", "--out", "x.warc.gz"]]


@pytest.mark.parametrize("command", READING, ids=lambda c: c[0])
def test_reading_commands_never_create_an_archive(tmp_path, command):
    missing = tmp_path / "nothing-here.sqlite"
    result = run(*command, "--db", str(missing))
    assert result.exit_code == 2 and result.stderr == f"pressarchive: no archive at {missing}\n"
    assert not os.listdir(tmp_path)


def test_serve_never_creates_an_archive(tmp_path):
    result = run("serve", "--db", str(tmp_path / "none.sqlite"), "--port", "0")
    assert result.exit_code == 2 and "no archive at" in result.stderr and not os.listdir(tmp_path)


@pytest.fixture(scope="module")
def readonly_db(tmp_path_factory, db):
    """A copy of the archive on a read-only bind mount (needs root and mount; skipped elsewhere)."""
    base = tmp_path_factory.mktemp("ro")
    (base / "src").mkdir()
    (base / "ro").mkdir()
    with sqlite3.connect(db) as conn:  # the archive as a crawl leaves it: its write-ahead log folded in
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(db, base / "src" / "archive.sqlite")
    mounted = subprocess.run(["mount", "--bind", str(base / "src"), str(base / "ro")], capture_output=True)
    if mounted.returncode or subprocess.run(["mount", "-o", "remount,bind,ro", str(base / "ro")],
                                            capture_output=True).returncode:
        subprocess.run(["umount", str(base / "ro")], capture_output=True)
        pytest.skip("cannot make a read-only mount here")
    yield str(base / "ro" / "archive.sqlite")
    subprocess.run(["umount", "--lazy", str(base / "ro")], check=True)  # lazy: in-process readers may hold it


@pytest.mark.parametrize("command", [c for c in READING if c[0] != "warc"], ids=lambda c: c[0])
def test_reading_commands_read_an_archive_on_a_read_only_filesystem(readonly_db, command):
    proc = subprocess.run([sys.executable, "-m", "archive", *command, "--db", readonly_db],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert os.listdir(os.path.dirname(readonly_db)) == ["archive.sqlite"]


def test_a_crawl_on_a_read_only_archive_still_refuses_in_one_line(readonly_db):
    proc = subprocess.run([sys.executable, "-m", "archive", "reparse", "--db", readonly_db],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def test_reading_commands_read_an_archive_the_user_may_not_write():
    """As user nobody (via setpriv; needs root), a root-owned archive in a root-owned folder."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to act as another user")
    with tempfile.TemporaryDirectory() as folder:  # pytest's tmp_path is private to root
        os.chmod(folder, 0o755)
        _read_as_nobody(build(os.path.join(folder, "archive.sqlite")))


def _read_as_nobody(db: str) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "archive"]
    for command in (["show", "1"], ["history", "1", "--format", "json"], ["search", "Bücherei"], ["feed"]):
        proc = subprocess.run([*as_nobody, *command, "--db", db], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, (command, proc.stderr)
        assert "Bücherei" in proc.stdout or "withdrawn" in proc.stdout


def test_migration_respells_escaped_json_of_older_archives(tmp_path):
    db = build(tmp_path / "old.sqlite")
    with sqlite3.connect(db) as conn:  # as schema 3 wrote them: ASCII-escaped JSON
        conn.execute("UPDATE version SET paragraphs = ?", (json.dumps([MIDDLE]),))
        conn.execute("UPDATE alembic_version SET version_num = '0003'")
    assert "\\u00fc" in json.dumps([MIDDLE])
    ok("show", "1", "--db", db)  # any command upgrades a writable archive
    with sqlite3.connect(db) as conn:
        assert {row[0] for row in conn.execute("SELECT paragraphs FROM version")} == {json.dumps([MIDDLE], ensure_ascii=False)}
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] in _revisions()[0]


def test_serve_reads_an_archive_on_a_read_only_filesystem(readonly_db):
    pytest.importorskip("datasette")
    import asyncio  # noqa: PLC0415

    from archive.serve import make_datasette  # noqa: PLC0415

    ds = make_datasette(readonly_db)

    async def pages():
        return [await ds.client.get(path) for path in ("/", "/-/release/1", "/-/search?q=B%C3%BCcherei")]

    responses = asyncio.run(pages())
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert "Anna Brüggemann" in responses[1].text and "Stadtbücherei" in responses[2].text
