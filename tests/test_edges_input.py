"""Input that used to get a traceback or hang: bytes that are not UTF-8, delays that never end."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from builders import build_archive

BAD = b"\xff"


def run_bytes(args: list[bytes], cwd, env_extra: dict[bytes, bytes] | None = None) -> subprocess.CompletedProcess:
    """`python -m archive ARGS` with raw bytes in argv (and env), as a shell passes $'\\xff'."""
    env = {os.fsencode(k): os.fsencode(v) for k, v in os.environ.items() if k != "PRESSARCHIVE_DB"}
    env.update(env_extra or {})
    return subprocess.run([os.fsencode(sys.executable), b"-m", b"archive", *args], capture_output=True,
                          cwd=cwd, env=env, timeout=120)


def assert_one_line_exit_2(proc: subprocess.CompletedProcess, mentions: bytes = b"not valid UTF-8") -> None:
    stderr = proc.stderr.strip()
    assert proc.returncode == 2, stderr
    assert len(stderr.splitlines()) == 1 and b"Traceback" not in stderr, stderr
    assert mentions in stderr


@pytest.mark.parametrize("args", [
    [b"history", BAD],
    [b"search", b"Stadt" + BAD],
    [b"runs", b"--db", b"x" + BAD + b".sqlite"],
    [b"extract", b"page.html", b"--url", b"http://x/" + BAD],
    [b"crawl", b"--start-url", b"http://127.0.0.1:9/" + BAD, b"--db", b"a.sqlite"],
])
def test_argument_that_is_not_utf8_is_one_line_exit_2(args, tmp_path):
    (tmp_path / "page.html").write_text("<html><body><p>Text</p></body></html>")
    proc = run_bytes(args, tmp_path)
    assert_one_line_exit_2(proc)
    assert os.listdir(tmp_path) == ["page.html"]  # nothing created: no archive, no lock file


def test_pressarchive_db_that_is_not_utf8_is_one_line_exit_2(tmp_path):
    proc = run_bytes([b"runs"], tmp_path, {b"PRESSARCHIVE_DB": b"a" + BAD + b".sqlite"})
    assert_one_line_exit_2(proc)
    assert b"PRESSARCHIVE_DB" in proc.stderr
    assert os.listdir(tmp_path) == []


def test_an_explicit_db_wins_over_a_bad_pressarchive_db(tmp_path):
    db = build_archive(tmp_path / "a.sqlite")
    proc = run_bytes([b"runs", b"--db", os.fsencode(db)], tmp_path, {b"PRESSARCHIVE_DB": BAD})
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("delay", ["inf", "nan", "-1", "1e9", "Infinity"])
def test_a_delay_that_never_ends_or_is_no_number_is_refused(delay, tmp_path):
    proc = run_bytes([b"crawl", b"--delay", delay.encode(), b"--db", b"a.sqlite",
                      b"--start-url", b"http://127.0.0.1:9/"], tmp_path)
    assert_one_line_exit_2(proc, b"--delay")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("query", [" ".join(["Stadt*"] * 3000), " OR ".join(["S*"] * 2000),
                                   " ".join(["Bochum"] * 400), "Bochum " * 300])
def test_a_query_too_big_to_run_promptly_is_refused_in_one_line(query, tmp_path):
    from builders import pressarchive

    db = build_archive(tmp_path / "a.sqlite")
    proc = pressarchive("search", query, "--db", db, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "at most" in proc.stderr


def test_a_search_that_runs_over_its_time_is_stopped_in_one_line(tmp_path, monkeypatch):
    from archive import search_limits
    from builders import invoke

    db = build_archive(tmp_path / "a.sqlite")
    assert invoke("search", "Bochum", "--db", db).exit_code == 0
    monkeypatch.setattr(search_limits, "SEARCH_SECONDS", 0.0)  # every statement is over time at once
    monkeypatch.setattr(search_limits, "_CHECK_EVERY", 1)  # and looks at the clock at every step
    result = invoke("search", "Bochum", "--db", db)
    assert result.exit_code == 2, result.output
    assert "ran over 0 s" in result.output
