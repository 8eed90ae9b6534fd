"""--db as a path or URL: the file it names, where its lock goes, and what a message may show."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive.cli import main
from archive.db import ArchiveError, open_archive, resolve_url, sqlite_path
from archive.lock import lock_path


@pytest.mark.parametrize("name", ["we?ird.sqlite", "100%41.sqlite", "x#y.sqlite", "a@b:c.sqlite", "Bücher.sqlite"])
def test_a_path_opens_the_file_it_names(tmp_path, name):
    open_archive(str(tmp_path / name))
    assert (tmp_path / name).is_file()
    assert sqlite_path(resolve_url(str(tmp_path / name))) == str(tmp_path / name)
    assert {p.name for p in tmp_path.iterdir()} <= {name, name + "-wal", name + "-shm"}


def test_a_tilde_path_is_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # cron passes PRESSARCHIVE_DB=~/… without expanding it
    assert sqlite_path(resolve_url("~/archive.sqlite")) == str(tmp_path / "archive.sqlite")


def test_a_driver_spelling_of_sqlite_is_the_same_file(tmp_path):
    db = str(tmp_path / "a.sqlite")
    assert lock_path("sqlite+pysqlite:///" + db) == db + ".lock"  # a second crawl sees the same lock
    (tmp_path / "a.sqlite").write_text("Einkaufsliste\n" * 50)
    with pytest.raises(ArchiveError, match="is not a pressarchive database"):
        open_archive("sqlite+pysqlite:///" + db)
    assert (tmp_path / "a.sqlite").read_text() == "Einkaufsliste\n" * 50


def test_a_password_never_reaches_the_message():
    result = CliRunner().invoke(main, ["runs", "--db", "mysql://reader:geheim@db.example/archive"])
    assert result.exit_code == 2 and "reader:***@" in result.stderr
    assert "geheim" not in result.stderr
