"""Hostile input: `pressarchive extract` gives JSON or exit 2 with one line, in time and memory, never a traceback."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from guard import HANG_LIMIT, limit_memory

from crawler.parsing import extract

ARTICLE_HEAD = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Grosse Seite - Stadt Bochum</title></head>'
    '<body><main id="inhalt"><h1 class="page-title__headline">Große Seite</h1><div class="richtext">'
)
PARAGRAPH = "<p>Die Stadt Bochum informiert über neue Öffnungszeiten im Bürgerbüro und bittet um Verständnis.</p>\n"


def _deep(tag: str, depth: int = 200_000) -> bytes:
    return ("<html><body>" + f"<{tag}>" * depth + "Tief" + f"</{tag}>" * depth
            + "<p>Nach der Tiefe</p></body></html>").encode()


def _ten_megabytes() -> bytes:
    count = 10_000_000 // len(PARAGRAPH.encode())
    return (ARTICLE_HEAD + PARAGRAPH * count + "<p>(9. Oktober 2020)</p></div></main></body></html>").encode()


def _truncated() -> bytes:
    whole = (ARTICLE_HEAD + PARAGRAPH * 3 + "<p>(9. Oktober 2020)</p></div></main></body></html>").encode()
    return whole[: whole.index(b"bittet um", len(ARTICLE_HEAD) + len(PARAGRAPH) + 10)]


CASES = {
    "empty": (b"", 2),
    "whitespace": (b" \r\n\t ", 2),
    "binary": (bytes(range(256)) * 64, 2),
    "nul-bytes": (b"\x00" * 4096, 2),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", 2),
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64, 2),
    "zip": (b"PK\x03\x04" + b"\x14\x00" * 100, 2),
    "truncated": (_truncated(), 0),
    "deep-div": (_deep("div"), 0),
    "deep-inline": (_deep("b"), 0),
    "deep-list": (("<html><body>" + "<ul><li>Punkt" * 200_000 + "</body></html>").encode(), 0),
    "ten-megabytes": (_ten_megabytes(), 0),
    "script-only": (b"<script>document.write('<h1>Hallo</h1>');" + b"var x = 1;" * 1000 + b"</script>", 0),
    "unclosed-script": (b"<html><body><script>" + b"var a = '<p>';" * 500_000, 0),
    "comment-only": (b"<!-- " + b"-" * 100_000 + b" -->", 0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_extract_cli_survives(name, tmp_path):
    content, expected_code = CASES[name]
    path = tmp_path / f"{name}.html"
    path.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "archive", "extract", str(path)], capture_output=True,
                          timeout=HANG_LIMIT, preexec_fn=limit_memory, text=True)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == expected_code, proc.stderr
    if expected_code == 0:
        lines = proc.stdout.splitlines()
        assert len(lines) == 1
        record = json.loads(lines[0])
        assert record["kind"] in {"press_release", "other"}
    else:
        assert proc.stdout == ""
        assert len(proc.stderr.strip().splitlines()) == 1


def test_deep_nesting_keeps_the_text_after_it():
    record = extract(_deep("div"))
    assert "Nach der Tiefe" in " ".join(record.paragraphs)


def test_ten_megabytes_still_finds_the_article():
    record = extract(_ten_megabytes())
    assert record.headline == "Große Seite"
    assert record.extractor == "portal"
    assert record.paragraphs[0].startswith("Die Stadt Bochum informiert")


def test_truncated_page_keeps_what_arrived():
    record = extract(_truncated())
    assert record.headline == "Große Seite"
    assert record.paragraphs[0].startswith("Die Stadt Bochum informiert")
