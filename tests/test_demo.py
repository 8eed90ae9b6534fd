"""The README's demo: it crawls, lets the replica's press office edit and withdraw, crawls again, reads the versions."""
from __future__ import annotations

import subprocess
import sys

import pytest
from builders import ROOT, invoke

pytestmark = pytest.mark.slow


def test_the_demo_shows_a_history_with_an_edit_a_diff_and_a_withdrawn_text(tmp_path):
    out = tmp_path / "demo"
    run = subprocess.run([sys.executable, "scripts/demo.py", "--out", str(out), "--port", "0"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert "new versions                 1" in text and "withdrawn                    1" in text
    assert "edited  headline, paragraphs" in text  # history of the corrected release
    assert "{+" in text and "[-" in text  # the word diff
    assert "withdrawn (its last text)" in text  # show of the withdrawn release
    # What it prints still makes sense once the replica has stopped: the archive reads by URL.
    edited = next(line.split()[-1] for line in text.splitlines() if line.startswith("The press office corrects"))
    db = str(out / "archive.sqlite")
    shown = invoke("show", edited, "--version", "1", "--db", db, "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert (out / "versions.csv").stat().st_size > 0 and (out / "changes.atom").read_text().count("<entry>") == 20
