"""Site profiles: the registry, `pressarchive sites`, `--site`, and machinery that knows no portal."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main
from crawler.parsing import extract
from crawler.sites import SiteProfile, Template, UnknownSite, all_profiles, get_profile

ROOT = Path(__file__).resolve().parents[1]
P1 = "Die Stadt erneuert im Frühjahr die Beleuchtung im Stadtpark und setzt dabei auf sparsame Leuchten."
P2 = "Die Arbeiten beginnen im März und dauern voraussichtlich sechs Wochen, die Wege bleiben offen."
# A made-up town whose CMS the generic machinery has never seen: everything it knows comes from here.
MUSTERSTADT = SiteProfile(
    name="musterstadt", description="a test site", start_url="https://presse.musterstadt.example/meldungen",
    release_prefixes=("/meldungen/",), release_depth=1, strip_www=False, http_is_https=False,
    templates=(Template(name="2024", article_class="pm-artikel", text_class="pm-text", headline_class="pm-titel",
                        kicker_class="pm-dach", label_classes=("pm-rubrik",)),),
    section_labels=frozenset({"aus dem rathaus"}), site_words=("musterstadt",), url_dates=("iso",),
)
PAGE = ("<html><head><title>Neues Licht | Musterstadt</title></head><body><nav><a href='/'>Start</a></nav>"
        "<div class='pm-artikel'><p class='pm-rubrik'>Aus dem Rathaus</p><p class='pm-dach'>Stadtpark</p>"
        "<h1 class='pm-titel'>Neues Licht im Stadtpark</h1><div class='pm-text'><p>Aus dem Rathaus</p>"
        f"<p>{P1}</p><p>{P2}</p></div></div></body></html>")


def test_every_profile_is_found_by_name():
    names = [p.name for p in all_profiles()]
    assert "bochum" in names and len(names) == len(set(names))
    assert all(p.templates and p.start_url.startswith("https://") and p.description for p in all_profiles())
    assert get_profile().name == "bochum" and get_profile("bochum").allowed_host == "bochum.de"
    with pytest.raises(UnknownSite, match="choose one of .*bochum"):
        get_profile("atlantis")


def test_a_profile_drives_templates_labels_identity_and_url_dates():
    url = "http://presse.musterstadt.example/meldungen/2024-05-03-neues-licht"
    record = extract(PAGE, url=url, profile=MUSTERSTADT)
    assert (record.extractor, record.template) == ("portal", "musterstadt/2024")
    assert (record.headline, record.kicker, record.paragraphs) == ("Neues Licht im Stadtpark", "Stadtpark", [P1, P2])
    assert (record.kind, record.published, record.published_source) == ("press_release", "2024-05-03", "url")
    assert record.canonical_url == url  # this site keeps http apart and has no www. rule
    dated_folder = "http://presse.musterstadt.example/meldungen/3-Mai-2024/neues-licht"
    assert extract(PAGE, url=dated_folder, profile=MUSTERSTADT).published is None  # not one of its URL habits
    assert extract(PAGE, url=dated_folder).extractor == "fallback"  # bochum's templates do not know it


def test_release_addresses_and_links_by_the_profile():
    bochum = get_profile("bochum")
    assert bochum.is_release_address("https://www.bochum.de/Pressemeldungen%2F9-Oktober-2020%2FSlug")
    assert not bochum.is_release_address("https://www.bochum.de/Pressemeldungen/Slug")  # one segment: a folder
    assert MUSTERSTADT.is_release_address("https://presse.musterstadt.example/meldungen/neues-licht")
    body = b'<a href="/Meldungen/a-b">x</a><a href="/service/x">y</a>'
    assert [m.group(1) for m in MUSTERSTADT.release_href.finditer(body.lower())] == [b"/meldungen/a-b"]
    assert bochum.canonical("http://www.bochum.de/Pressemeldungen/a/b/") == "https://bochum.de/Pressemeldungen/a/b"


def test_sites_lists_each_profile_on_one_line():
    result = CliRunner().invoke(main, ["sites"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(all_profiles())
    first = next(line for line in lines if line.split()[0] == "bochum")
    assert first.split()[1] == "https://www.bochum.de/Pressemeldungen" and "Bochum" in first


@pytest.mark.parametrize("command", [["crawl", "--delay", "0"], ["extract", "page.html"]])
def test_an_unknown_site_is_one_line_and_exit_2(command, tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    db = ["--db", str(tmp_path / "a.sqlite")] if command[0] == "crawl" else []
    result = subprocess.run([sys.executable, "-m", "archive", *command, "--site", "atlantis", *db],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert "unknown site 'atlantis'" in line and "bochum" in line
    assert not (tmp_path / "a.sqlite").exists()


def test_extract_names_the_site_template(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE.replace("pm-", "content__"))  # no template of bochum's: the fallback's guess
    result = CliRunner().invoke(main, ["extract", str(path), "--site", "bochum"])
    assert result.exit_code == 0, result.output
    assert '"extractor": "fallback", "template": null' in result.output
