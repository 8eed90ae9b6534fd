"""One crawl per archive: the lock file beside a SQLite archive."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from archive.errors import LockHeld
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
    with crawl_lock(db):
        pass
    with crawl_lock(db):
        pass


def test_unwritable_lock_folder_is_bad_input(tmp_path):
    from archive.errors import BadInput

    with pytest.raises(BadInput):
        crawl_lock(str(tmp_path / "missing" / "a.sqlite")).acquire()
