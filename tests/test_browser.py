"""The archive browser in a real browser: headless Chromium over `pressarchive serve` on a crawled replica.

The replica is crawled, one release edited and one withdrawn, and crawled again; `serve` runs in a
subprocess on 127.0.0.1 and Chromium renders its pages. The checks read the text a person sees
(the rendered DOM without markup, scripts and styles), not the HTML source. Skipped where no
Chromium is installed (.ci/run installs Debian's).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from lxml import html as lxml_html

replica_server = pytest.importorskip("replica.server")
pytest.importorskip("datasette")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = next((p for p in (shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p and os.path.exists(p)), None)
if CHROMIUM is None:
    pytest.skip("no Chromium installed (apt-get install chromium)", allow_module_level=True)


def cli(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "archive", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A crawled, edited, withdrawn and re-crawled replica archive, served by `pressarchive serve`."""
    folder = tmp_path_factory.mktemp("browser")
    db = str(folder / "archive.sqlite")
    with replica_server.start_replica(n=25, seed=41) as rep:
        cli("crawl", "--start-url", rep.listing_url, "--delay", "0", "--db", db, "--quiet")
        before = {r.path: rep.truth(r.path) for r in rep.portal.releases}
        edited, withdrawn = rep.edit(), rep.withdraw(status=410)
        cli("crawl", "--start-url", rep.listing_url, "--delay", "0", "--db", db, "--recheck", "all", "--quiet")
        after = rep.truth(edited)
        urls = {"edited": rep.url(edited), "withdrawn": rep.url(withdrawn)}
    server = subprocess.Popen([sys.executable, "-m", "archive", "serve", "--db", db, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        base = _announced(server)
        yield {"db": db, "base": base, "before": before[edited], "after": after, "urls": urls,
               "folder": folder, "profile": str(folder / "chromium-profile")}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _announced(server: subprocess.Popen) -> str:
    """The base URL serve prints, once the port accepts connections."""
    line = server.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, line + server.stderr.read()
    port, deadline = int(match.group(1)), time.monotonic() + 60
    while True:  # uvicorn binds after the announcement: wait for the listening socket, not a fixed time
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()


def chromium(site, url: str, *extra: str) -> subprocess.CompletedProcess:
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-dev-shm-usage", f"--user-data-dir={site['profile']}", "--window-size=1200,1800",
            "--blink-settings=imagesEnabled=false", *extra, url]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def seen(site, path: str) -> tuple[str, lxml_html.HtmlElement]:
    """What a person reads on the page (rendered DOM text, whitespace collapsed), and the DOM."""
    dom = lxml_html.fromstring(chromium(site, site["base"] + path, "--dump-dom").stdout)
    for hidden in dom.xpath("//script|//style|//head"):
        hidden.drop_tree()
    return re.sub(r"\s+", " ", dom.text_content()), dom


def release_id(site, url: str) -> int:
    out = cli("history", url, "--db", site["db"])
    return int(re.search(r"article (\d+) ", out).group(1))


def test_the_front_page_shows_its_canned_queries_search_and_feed(site):
    text, dom = seen(site, "/")
    for title in ("German-aware search", "Quotes by a speaker", "Releases changed after publication",
                  "Withdrawn releases"):
        assert title in text
    assert dom.xpath("//a[@href='/-/feed.atom']") and dom.xpath("//form[@action='/-/search']")


def test_the_release_page_shows_the_text_with_umlauts_and_what_changed(site):
    article = release_id(site, site["urls"]["edited"])
    text, dom = seen(site, f"/-/release/{article}")
    assert site["after"]["headline"] in text
    for paragraph in site["after"]["paragraphs"][:3]:
        assert re.sub(r"\s+", " ", paragraph) in text
    assert "\\u00" not in text and "Version" in text and "edited" in text
    assert re.search(r"[äöüßÄÖÜ„“]", text), "the release reads as German text"
    removed = set(" ".join(dom.xpath("//ul[@class='diff']//del/text()")).split())
    added = set(" ".join(dom.xpath("//ul[@class='diff']//ins/text()")).split())
    old_words = {w for p in site["before"]["paragraphs"] for w in p.split()}
    new_words = {w for p in site["after"]["paragraphs"] for w in p.split()}
    assert removed or added, "the diff shows what changed"
    assert (old_words - new_words) <= removed and (new_words - old_words) <= added
    assert dom.xpath(f"//a[@href='{site['urls']['edited']}']"), "the original address is linked"


def test_a_withdrawn_release_shows_its_last_text(site):
    article = release_id(site, site["urls"]["withdrawn"])
    text, _ = seen(site, f"/-/release/{article}")
    assert "withdrawn from the portal" in text and "this is its last text" in text


def test_search_results_link_to_release_pages_with_marked_snippets(site):
    word = next(w.strip(".,:;„“\"()") for w in site["after"]["headline"].split() if len(w.strip(".,:;„“\"()")) > 5)
    text, dom = seen(site, f"/-/search?q={quote(word)}")
    assert "found for" in text and dom.xpath("//mark")
    links = dom.xpath("//div[@class='hit']/a/@href")
    assert links and all(re.fullmatch(r"/-/release/\d+", link) for link in links)
    assert f"/-/release/{release_id(site, site['urls']['edited'])}" in links


def test_a_malformed_query_is_one_human_line(site):
    text, _ = seen(site, "/-/search?q=" + quote('"Stolperstein'))
    assert "closing" in text and "user-defined function" not in text and "Traceback" not in text
    text, _ = seen(site, "/" + Path(site["db"]).stem + "/search?q=" + quote("(Kita"))  # the canned query
    assert "never closed" in text and "user-defined function" not in text


def test_the_table_search_box_gives_the_cli_hits(site):
    word = site["after"]["headline"].split()[0]
    text, dom = seen(site, f"/{Path(site['db']).stem}/latest_release?_search={quote(word)}")
    cli_hits = cli("search", word, "--db", site["db"], "--format", "json")
    assert "found for" in text and len(dom.xpath("//div[@class='hit']")) == cli_hits.count('"article_id"')


def test_screenshot_of_the_release_page(site):
    article = release_id(site, site["urls"]["edited"])
    shot = site["folder"] / "release.png"
    chromium(site, f"{site['base']}/-/release/{article}", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    keep = os.environ.get("PRESSARCHIVE_SCREENSHOT")  # a person may look at it
    if keep:
        shutil.copy(shot, keep)
