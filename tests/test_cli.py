"""The command line as a whole: every command has help, bad input is one line and exit 2."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from builders import build_archive

from archive.cli import main

COMMANDS = sorted(main.commands)


def test_contract_commands_exist():
    assert {"crawl", "extract", "search", "history", "diff", "export", "reparse"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert main.commands[command].help, f"{command} has no help text"


@pytest.mark.parametrize(
    "args",
    [
        ["nosuchcommand"],
        ["export", "nosuchtable"],
        ["export", "articles", "--since", "yesterday"],
        ["crawl", "--recheck", "sometimes"],
        ["crawl", "--delay", "-1"],
        ["search"],
    ],
)
def test_usage_errors_are_one_line_exit_2(args, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "archive", *args, *(["--db", str(tmp_path / "a.sqlite")] if args[0] == "export" else [])],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("pressarchive: ")


def test_python_m_archive_is_the_same_program():
    proc = subprocess.run([sys.executable, "-m", "archive", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    for command in COMMANDS:
        assert command in proc.stdout


def test_extract_goes_on_past_a_bad_file_and_exits_2(tmp_path):
    good = tmp_path / "good.html"
    good.write_text("<html><head><title>Test</title></head><body><main><h1>Neue Radwege in Wattenscheid</h1>"
                    "<p>Die Stadt Bochum baut in diesem Jahr drei neue Radwege in Wattenscheid.</p>"
                    "<p>(3. März 2026)</p></main></body></html>", encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    proc = subprocess.run([sys.executable, "-m", "archive", "extract", str(bad), str(good)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert [json.loads(line)["headline"] for line in proc.stdout.splitlines()] == ["Neue Radwege in Wattenscheid"]
    assert proc.stderr.count("\n") == 1 and "bad.pdf" in proc.stderr and "Traceback" not in proc.stderr


def run_cli(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "archive", *args], capture_output=True, text=True, timeout=60,
                          **kwargs)


def assert_one_line(proc_or_result, code: int) -> str:
    """The exit code is `code` and stderr is one 'pressarchive: ...' line without a traceback."""
    stderr = proc_or_result.stderr
    code_seen = getattr(proc_or_result, "returncode", getattr(proc_or_result, "exit_code", None))
    assert code_seen == code, stderr
    assert len(stderr.strip().splitlines()) == 1 and stderr.startswith("pressarchive: "), stderr
    assert "Traceback" not in stderr
    return stderr


def test_debug_after_the_command_shows_the_traceback(tmp_path):
    proc = run_cli("runs", "--db", str(tmp_path), "--debug")  # a folder: cannot be opened
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" in proc.stderr and proc.stderr.strip().splitlines()[-1].startswith("pressarchive: ")


def test_ctrl_c_is_one_line_and_exit_130(tmp_path, monkeypatch):
    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr("archive.runs.render_runs", interrupted)
    db = build_archive(tmp_path / "a.sqlite")  # runs reads an archive, it creates none
    result = CliRunner().invoke(main, ["runs", "--db", db])
    assert result.exit_code == 130 and result.stderr.strip().endswith("pressarchive: interrupted")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path):
    db = build_archive(tmp_path / "a.sqlite")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "archive", "runs", "--db", db],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert "No space left" in assert_one_line(proc, 1)


@pytest.mark.parametrize("command", [["search", "Kita"], ["runs"]])
def test_a_limit_beyond_sqlite_integers_is_a_usage_error(command, tmp_path):
    result = CliRunner().invoke(main, [*command, "--limit", "99999999999999999999", "--db", str(tmp_path / "a.sqlite")])
    assert "--limit" in assert_one_line(result, 2)


def test_a_deeply_nested_query_is_bad_input(tmp_path):
    query = "(" * 200 + "Kita" + ")" * 200
    result = CliRunner().invoke(main, ["search", query, "--db", build_archive(tmp_path / "a.sqlite")])
    assert "too deeply" in assert_one_line(result, 2)


@pytest.mark.parametrize("args", [
    ["extract", "page.html", "--url", "https://www.bochum.de:abc/Pressemeldungen/x"],
    ["crawl", "--start-url", "http://127.0.0.1:99999/Pressemeldungen", "--delay", "0"],
    ["crawl", "--start-url", "http://[::1/Pressemeldungen", "--delay", "0"],
])
def test_a_url_whose_port_or_host_cannot_be_read_is_a_usage_error(args, tmp_path):
    (tmp_path / "page.html").write_text("<html><body><h1>Titel</h1><p>Text.</p></body></html>")
    db = ["--db", str(tmp_path / "a.sqlite")] if args[0] == "crawl" else []
    assert "is not a URL" in assert_one_line(run_cli(*args, *db, cwd=tmp_path), 2)


def test_python_m_archive_names_itself_pressarchive():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("pressarchive, version ")


def test_no_command_says_so_in_one_line(tmp_path):
    stderr = assert_one_line(run_cli(cwd=tmp_path), 2)
    assert "--help" in stderr and "Usage:" not in stderr


def damaged_archive(path) -> str:
    """An archive whose schema opens but whose version table's first page is overwritten."""
    build_archive(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'version'").fetchone()[0]
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)
    return str(path)


@pytest.mark.parametrize("command", [["export", "versions"], ["search", "Stolpersteine"], ["reparse"]])
def test_a_damaged_archive_is_one_line(command, tmp_path):
    db = damaged_archive(tmp_path / "a.sqlite")
    assert "damaged" in assert_one_line(run_cli(*command, "--db", db), 2)


def test_extract_reports_a_folder_and_does_not_pre_check_readability(tmp_path, monkeypatch):
    good = tmp_path / "good.html"
    good.write_text("<html><body><main><h1>Neue Radwege</h1><p>Die Stadt baut drei neue Radwege in Wattenscheid.</p>"
                    "</main></body></html>", encoding="utf-8")
    other = tmp_path / "other.html"
    other.write_text("<html></html>")
    real_access = os.access
    # click's own check used to refuse the whole command over one file it thought unreadable; root
    # reads everything, so pretend: each file is now opened (and its error reported) on its own.
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if str(path) == str(other)
                        else real_access(path, mode, *a, **k))
    result = CliRunner().invoke(main, ["extract", str(tmp_path), str(good), str(other)])
    assert result.exit_code == 2
    assert [json.loads(line)["headline"] for line in result.stdout.splitlines()] == ["Neue Radwege", None]
    assert result.stderr.count("pressarchive: ") == 1 and "Is a directory" in result.stderr
