"""`pressarchive backup --to FILE.sqlite`: any archive (SQLite or PostgreSQL) into a file serve can browse."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest
from builders import build_archive, invoke
from sqlalchemy import text

from archive.db import open_archive
from archive.models import Base

TABLES = [t.name for t in Base.metadata.sorted_tables]


def rows(db: str) -> dict[str, list]:
    with open_archive(db)() as session:
        return {t: sorted(map(tuple, session.execute(text(f"SELECT * FROM {t}")).all()), key=repr) for t in TABLES}


def searched(db: str, query: str) -> list[tuple]:
    result = invoke("search", query, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    return [(h["url"], h["version"], h["snippet"]) for h in json.loads(result.stdout)]


def test_backup_copies_every_row_and_the_copy_searches_the_same(db_url, tmp_path):
    build_archive(db_url)
    copy = str(tmp_path / "copy.sqlite")
    result = invoke("backup", "--to", copy, "--db", db_url)
    assert result.exit_code == 0, result.output
    assert [n for n in os.listdir(tmp_path) if "copy" in n] == ["copy.sqlite"]  # no partial file, no -wal
    assert sqlite3.connect(copy).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    original, copied = rows(db_url), rows(copy)
    assert copied["version"] and all(len(copied[t]) == len(original[t]) for t in TABLES)
    if db_url.endswith(".sqlite"):
        assert copied == original
    for query in ("Bücherei", "Stolpersteine", "Bochum -Stadion"):
        assert {h[:2] for h in searched(copy, query)} == {h[:2] for h in searched(db_url, query)}


def test_an_existing_file_is_kept_unless_force(tmp_path):
    db, copy = build_archive(tmp_path / "a.sqlite"), tmp_path / "copy.sqlite"
    copy.write_bytes(b"keep me")
    result = invoke("backup", "--to", copy, "--db", db)
    assert result.exit_code == 2 and "--force" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert copy.read_bytes() == b"keep me"
    assert invoke("backup", "--to", copy, "--db", db, "--force").exit_code == 0
    assert searched(str(copy), "Bücherei")


@pytest.mark.parametrize("make", ["missing", "folder", "itself"])
def test_bad_targets_and_missing_sources_are_one_line(tmp_path, make):
    db = str(tmp_path / "a.sqlite")
    if make != "missing":
        build_archive(db)
    target = {"missing": tmp_path / "c.sqlite", "folder": tmp_path / "no" / "c.sqlite", "itself": db}[make]
    result = invoke("backup", "--to", target, "--db", db, "--force")
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, result.output
    assert not (tmp_path / "c.sqlite").exists()
    assert os.path.exists(db) == (make != "missing")  # a reading command: the source is never created


def test_a_failed_copy_leaves_nothing(tmp_path, monkeypatch):
    db, copy = build_archive(tmp_path / "a.sqlite"), tmp_path / "copy.sqlite"

    def broken(engine, partial):
        with open(partial, "wb") as fh:
            fh.write(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("archive.backup._copy_sqlite", broken)
    result = invoke("backup", "--to", copy, "--db", db)
    assert result.exit_code == 1 and "No space left" in result.stderr and not copy.exists()
    assert not [n for n in os.listdir(tmp_path) if "copy" in n]


@pytest.mark.postgres
def test_serve_on_postgres_points_to_backup(pg_url):
    build_archive(pg_url)
    result = invoke("serve", "--db", pg_url)
    assert result.exit_code == 2 and "Datasette needs an SQLite archive" in result.stderr
    assert "pressarchive backup --to" in result.stderr and len(result.stderr.strip().splitlines()) == 1
