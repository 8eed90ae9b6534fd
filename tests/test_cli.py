"""The command line as a whole: every command has help, bad input is one line and exit 2."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

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
