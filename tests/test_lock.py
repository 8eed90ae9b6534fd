"""One crawl per archive: the lock file beside a SQLite archive."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from archive.errors import BadInput, LockHeld
from archive.lock import FileLock, NoLock, crawl_lock, lock_path

HOLD = textwrap.dedent("""
    import sys, time
    from archive.lock import crawl_lock
    with crawl_lock(sys.argv[1]):
        print("locked", flush=True)
        time.sleep(120)
""")


def hold_in_child(db: str) -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", HOLD, db], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "locked"
    return child


def test_lock_file_sits_beside_a_sqlite_archive(tmp_path):
    db = str(tmp_path / "a.sqlite")
    assert lock_path(db) == db + ".lock"
    assert lock_path("sqlite:///" + db) == db + ".lock"
    assert isinstance(crawl_lock("sqlite://"), NoLock)


def test_second_holder_is_refused_with_the_holders_pid(tmp_path):
    db = str(tmp_path / "a.sqlite")
    child = hold_in_child(db)
    try:
        with pytest.raises(LockHeld) as info:
            crawl_lock(db).acquire()
        message = str(info.value)
        assert f"pid {child.pid}" in message and "started" in message
        assert len(message.splitlines()) == 1
        assert info.value.exit_code == 75
    finally:
        child.kill()
        child.wait()


def test_a_sigkilled_holder_does_not_block(tmp_path):
    db = str(tmp_path / "a.sqlite")
    child = hold_in_child(db)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert os.path.exists(db + ".lock")  # the stale file stays; the kernel dropped the lock
    with crawl_lock(db) as lock:
        assert isinstance(lock, FileLock) and lock.fd is not None
        assert f"pid {os.getpid()}" in open(db + ".lock").read()


def test_release_and_take_again_in_process(tmp_path):
    db = str(tmp_path / "a.sqlite")
    with crawl_lock(db) as first:
        pass
    assert first.fd is None and open(db + ".lock").read() == ""  # released: no holder named any more
    with crawl_lock(db) as second:
        assert second.fd is not None and f"pid {os.getpid()}" in open(db + ".lock").read()


def test_unwritable_lock_folder_is_bad_input(tmp_path):
    with pytest.raises(BadInput):
        crawl_lock(str(tmp_path / "missing" / "a.sqlite")).acquire()


def test_an_unreachable_postgres_is_one_line_without_the_password():
    with pytest.raises(BadInput) as info:  # a missing driver or a refused connection alike
        crawl_lock("postgresql://crawler:geheim@127.0.0.1:1/archive").acquire()
    message = str(info.value)
    assert message.startswith("cannot open archive postgresql://crawler:***@127.0.0.1:1/archive: ")
    assert len(message.splitlines()) == 1 and "geheim" not in message


def test_the_postgres_lock_connection_is_not_pooled(monkeypatch):
    """Closing a pooled connection keeps its session, and a session-level advisory lock with it."""
    import sqlalchemy

    engines = []

    class Engine:
        def __init__(self, url, **kwargs):
            self.kwargs = kwargs
            engines.append(self)

        def connect(self):
            return Connection()

    class Connection:
        def execute(self, *_args):
            return self

        def scalar(self):
            return True

        def close(self):
            pass

    monkeypatch.setattr(sqlalchemy, "create_engine", Engine)
    with crawl_lock("postgresql://crawler@db.example/archive"):
        pass
    assert engines[0].kwargs["poolclass"] is sqlalchemy.pool.NullPool


@pytest.mark.parametrize("kind", ["folder", "text file"])
def test_no_lock_file_beside_something_that_is_no_archive(tmp_path, kind):
    target = tmp_path / "notes"
    if kind == "folder":
        target.mkdir()
    else:
        target.write_text("Einkaufsliste: Brot, Milch\n", encoding="utf-8")
    with pytest.raises(BadInput):
        crawl_lock(str(target))
    assert not (tmp_path / "notes.lock").exists()


def test_a_symlink_or_another_spelling_meets_the_real_files_lock(tmp_path, monkeypatch):
    db = str(tmp_path / "a.sqlite")
    open(db, "w").close()
    os.symlink(db, tmp_path / "link.sqlite")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    child = hold_in_child(db)
    try:
        for spelling in (str(tmp_path / "link.sqlite"), "../a.sqlite", "../sub/../link.sqlite"):
            with pytest.raises(LockHeld):
                crawl_lock(spelling).acquire()
    finally:
        child.kill()
        child.wait()
