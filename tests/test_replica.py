"""The replica portal itself: content, ground truth, HTTP behaviour, states, faults, control, CLI."""
from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from replica import Portal, slugify, spellings, start_replica
from replica.compose import Filler
from replica.content import TOPICS, canon_key
from replica.dates import url_segment

ROOT = Path(__file__).resolve().parents[1]


# Helpers ------------------------------------------------------------------------------------------

def fetch(url: str, headers: dict | None = None, method: str = "GET", data: bytes | None = None):
    """(status, headers, body) for a loopback URL; HTTP errors are answers, not exceptions."""
    assert url.startswith("http://127.0.0.1:")
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def control(replica, endpoint: str, payload: dict | None = None, method: str | None = None):
    """Call a /_replica/ endpoint and decode its JSON."""
    data = json.dumps(payload).encode() if payload is not None else None
    status, _, body = fetch(replica.url(f"/_replica/{endpoint}"), {"Content-Type": "application/json"},
                            method or ("POST" if data else "GET"), data)
    return status, json.loads(body)


def article_text(html: bytes) -> list[str]:
    """Paragraph and list-item texts of the article body (portal markup), date line included."""
    doc = lxml.html.fromstring(html)
    return [el.text_content() for el in doc.cssselect(".richtext > p, .richtext > ul > li, .richtext > ol > li")]


def links(html: bytes) -> list[str]:
    return lxml.html.fromstring(html).xpath("//a/@href")


@pytest.fixture
def replica():
    with start_replica(n=240, seed=1) as rep:
        yield rep


@pytest.fixture(scope="module")
def portal():
    return Portal(n=240, seed=1)


# Content and ground truth ---------------------------------------------------------------------------

def test_slugs_and_url_dates_follow_the_real_portal():
    assert slugify("Neue „Stolpersteine“ erinnern an verfolgte Bochumer") == \
        "Neue--Stolpersteine--erinnern-an-verfolgte-Bochumer"
    assert slugify("Herbstlesung der „BoLits“") == "Herbstlesung-der--BoLits-"
    assert slugify("Zentralbücherei bleibt am 2. April geschlossen") == "Zentralbuecherei-bleibt-am-2.-April-geschlossen"
    assert slugify("Sperrung der Königsallee / Umleitung über den Westring") == \
        "Sperrung-der-Koenigsallee%2F-Umleitung-ueber-den-Westring"
    assert slugify("Corona: Inzidenzzahl sinkt deutlich") == "Corona-Inzidenzzahl-sinkt-deutlich"
    from datetime import date
    assert url_segment(date(2024, 3, 27)) == "27-Maerz-2024"
    assert url_segment(date(2020, 10, 9)) == "9-Oktober-2020"


def test_generation_is_deterministic_and_seeded():
    first, again, other = Portal(60, seed=5), Portal(60, seed=5), Portal(60, seed=6)
    assert [r.truth() for r in first.releases] == [r.truth() for r in again.releases]
    assert [r.path for r in first.releases] != [r.path for r in other.releases]


def test_ten_thousand_releases_are_distinct():
    big = Portal(n=10_000, seed=2)  # how fast it starts: scripts/bench_limits.py
    assert len({canon_key(r.path) for r in big.releases}) == 10_000


def test_the_default_portal_contains_every_trap(portal):
    truths = [r.truth() for r in portal.releases]
    paths = [t["path"] for t in truths]
    assert {t["template"] for t in truths} == {"2019", "2020"}
    assert 0.02 < sum("/Aktuelle-Pressemeldungen-zum-Corona-Virus/" in p for p in paths) / len(paths) < 0.12
    assert any("%2F-" in p for p in paths) and any("--" in p for p in paths) and any(p.endswith("-") for p in paths)
    assert {r.style for r in portal.releases} == {"de-comma", "de", "guillemets", "straight"}
    images = [i for t in truths for i in t["images"]]
    assert any(i["alt"] is None for i in images) and any(i["alt"] == i["caption"] for i in images)
    assert any(i["credit"] is None for i in images) and any(i["credit"] for i in images)
    forms = Counter(b.credit_form for r in portal.releases for b in r.body.blocks if hasattr(b, "credit_form"))
    assert set(forms) == {"quelle", "foto", "copy", "plain", "none"}
    quotes = [(q, t) for t in truths for q in t["quotes"]]
    assert any(q["speaker"].split()[-1] not in t["paragraphs"][q["paragraph"]] for q, t in quotes)  # pronoun
    assert any(re.search(r"„[^“]*“, sagte [^.]*, „", p) for t in truths for p in t["paragraphs"])  # split quote
    assert any(m["date"][:4] != t["published"][:4] for t in truths for m in t["date_mentions"])  # roll-over
    assert any(re.fullmatch(r"\d\d\.\d\d\.\d{4}", m["text"]) for t in truths for m in t["date_mentions"])
    assert any("Aktion „Stadtradeln“" in p or "Reihe „Original Bochum“" in p for t in truths for p in t["paragraphs"])
    counts = Counter(len(t["paragraphs"]) for t in truths)
    assert min(counts) >= 1 and max(counts) >= 8


def test_ground_truth_quotes_and_mentions_are_in_the_text(portal):
    for rel in portal.releases:
        truth = rel.truth()
        body = " ".join(truth["paragraphs"])
        for quote in truth["quotes"]:
            paragraph = truth["paragraphs"][quote["paragraph"]]
            assert quote["text"] in paragraph and quote["text"][:1] not in "„»\""
            assert quote["speaker"].count(" ") >= 1 and not quote["speaker"].startswith(("Dr.", "Prof."))
        for mention in truth["date_mentions"]:
            assert mention["text"] in body and re.fullmatch(r"\d{4}-\d\d-\d\d", mention["date"])


def test_every_template_of_every_topic_fills(portal):
    facts = portal.releases[0].facts
    for topic in TOPICS:
        fill = Filler(__import__("random").Random(1), {**facts, **{k: "X" for k in topic.facts}}, portal.end)
        for text in topic.headlines + topic.leads + topic.details + topic.statements:
            fill(text.partition("#")[0])
        for headline in topic.headlines:
            leads = headline.partition("#")[2]
            assert all(int(i) < len(topic.leads) for i in leads.split(",") if leads)


# HTTP: listing, articles, robots ---------------------------------------------------------------------

def test_listing_paginates_with_rel_next_and_links_every_release(replica):
    url, seen, pages = replica.listing_url, [], 0
    while url:
        status, _, html = fetch(url)
        assert status == 200
        pages += 1
        doc = lxml.html.fromstring(html)
        items = doc.cssselect(".press-list__link")
        assert len(items) == 20 or pages == replica.portal.pages
        seen += [a.get("href") for a in items]
        nxt = doc.xpath('//a[@rel="next"]/@href')
        url = replica.url(nxt[0]) if nxt else None
    assert pages == replica.portal.pages == 12
    assert {canon_key(h) for h in seen} == {canon_key(r.path) for r in replica.portal.active}
    assert sum(h.startswith("/Pressemeldungen%2F") for h in seen) == 6 * pages  # every third link of a page
    assert fetch(replica.url("/Pressemeldungen?seite=13"))[0] == 404


def test_every_spelling_answers_the_same_article(replica):
    rel = next(r for r in replica.portal.active if "%2F-" in r.path)
    answers = [fetch(replica.url(p)) for p in spellings(rel.path)]
    assert {a[0] for a in answers} == {200}
    assert len({a[1]["ETag"] for a in answers}) == 1
    assert len({tuple(article_text(a[2])) for a in answers}) == 1
    assert replica.path_count(spellings(rel.path)[1], "200") == 3  # counted as one path


def test_article_html_matches_the_ground_truth(replica):
    for rel in replica.portal.active[::7]:
        truth = rel.truth()
        status, _, html = fetch(replica.url(rel.path))
        doc = lxml.html.fromstring(html)
        texts = article_text(html)
        assert texts[:-1] == truth["paragraphs"]
        assert re.fullmatch(r"\(\d\d?\. \w+ \d{4}\)", texts[-1])
        assert doc.cssselect("main#inhalt h1")[0].text_content() == truth["headline"]
        assert len(doc.cssselect(".richtext figure.image-box")) == len(truth["images"])
        if truth["template"] == "2019":
            assert html.decode().count(truth["headline"]) >= 4 and not doc.cssselect(".content__label")
        else:
            assert doc.cssselect(".content__label") and doc.cssselect(".share")


def test_robots_disallows_intern_and_control_and_listing_links_the_trap(replica):
    status, headers, robots = fetch(replica.url("/robots.txt"))
    assert status == 200 and b"Disallow: /Pressemeldungen/Intern/" in robots and b"Disallow: /_replica/" in robots
    intern = [h for h in links(fetch(replica.listing_url)[2]) if h.startswith("/Pressemeldungen/Intern/")]
    assert len(intern) == 1 and fetch(replica.url(intern[0]))[0] == 200
    assert replica.count("intern") == 1 and replica.count("article") == 0
    assert not [h for h in links(fetch(replica.listing_url)[2]) if "_replica" in h]


def test_service_pages_and_assets(replica):
    html = fetch(replica.listing_url)[2]
    assert "/Service/Bewohnerparkausweis" in links(html)
    status, _, page = fetch(replica.url("/Service/Bewohnerparkausweis"))
    assert status == 200 and b"Dienstleistungen und Infos" in page and b"content__label" in page
    status, headers, _ = fetch(replica.url("/C125830C0042AB74/CurrentBaseLink/W2BMAAAA001BOCMDE/$FILE/x_ContentHalf.jpg"))
    assert status == 200 and headers["Content-Type"].startswith("image/")
    assert fetch(replica.url("/Gibt-es-nicht"))[0] == 404


def test_chrome_noise_changes_per_response_but_not_the_etag(replica):
    path = replica.portal.active[0].path
    (_, h1, a), (_, h2, b) = fetch(replica.url(path)), fetch(replica.url(path))
    assert a != b and h1["ETag"] == h2["ETag"] and article_text(a) == article_text(b)
    assert re.search(rb'cookie-consent-(\d+)', a) and re.search(rb'name="token" value="[0-9a-f]{32}"', a)


def test_conditional_requests_answer_304_without_a_body(replica):
    url = replica.url(replica.portal.active[5].path)
    _, headers, _ = fetch(url)
    status, _, body = fetch(url, {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    assert fetch(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, {"If-None-Match": '"stale"', "If-Modified-Since": headers["Last-Modified"]})[0] == 200
    assert replica.count("article", "304") == 2 and replica.count("article") == 2


# States ---------------------------------------------------------------------------------------------

def test_edit_changes_words_and_the_etag(replica):
    path = replica.portal.active[1].path
    before_truth, (_, h1, before) = replica.truth(path), fetch(replica.url(path))
    assert replica.edit() == path
    after_truth, (_, h2, after) = replica.truth(path), fetch(replica.url(path), {"If-None-Match": h1["ETag"]})
    changed = [i for i, (x, y) in enumerate(zip(before_truth["paragraphs"], after_truth["paragraphs"])) if x != y]
    assert len(changed) == 1 and h2["ETag"] != h1["ETag"]
    assert article_text(after)[:-1] == after_truth["paragraphs"]


def test_headline_correction_keeps_the_url(replica):
    path = replica.correct_headline()
    truth = replica.truth(path)
    html = fetch(replica.url(path))[2]
    assert truth["path"] == path and lxml.html.fromstring(html).cssselect("h1")[0].text_content() == truth["headline"]
    assert truth["headline"] != Portal(240, 1).truth(path)["headline"]


@pytest.mark.parametrize("code", [410, 404])
def test_withdraw_and_restore(replica, code):
    path = replica.withdraw(status=code)
    assert fetch(replica.url(path))[0] == code
    listed = {canon_key(h) for h in links(fetch(replica.listing_url)[2])}
    assert canon_key(path) not in listed
    replica.restore(path)
    assert fetch(replica.url(path))[0] == 200 and replica.path_count(path, str(code)) == 1


def test_new_release_appears_on_top(replica):
    path = replica.add_release()
    first = lxml.html.fromstring(fetch(replica.listing_url)[2]).cssselect(".press-list__link")[0].get("href")
    assert first == path and fetch(replica.url(path))[0] == 200
    assert replica.portal.active[0].published > replica.portal.active[1].published


def test_chrome_reshuffle_keeps_article_text_and_etag(replica):
    path = replica.portal.active[10].path
    _, h1, before = fetch(replica.url(path))
    replica.reshuffle_chrome()
    _, h2, after = fetch(replica.url(path))
    assert article_text(before) == article_text(after) and h1["ETag"] == h2["ETag"]
    sprite = lambda html: re.findall(rb"<title>([^<]+)</title>", html)[1:]  # noqa: E731
    assert sprite(before) != sprite(after) and sorted(sprite(before)) == sorted(sprite(after))
    teasers = lambda html: lxml.html.fromstring(html).cssselect(".teaser-list a")  # noqa: E731
    assert [a.text for a in teasers(before)] != [a.text for a in teasers(after)]


def test_unstable_etag_modes(replica):
    path = replica.portal.active[3].path
    replica.set_mode(etag="chrome")
    _, h1, before = fetch(replica.url(path))
    replica.reshuffle_chrome()
    _, h2, after = fetch(replica.url(path), {"If-None-Match": h1["ETag"]})
    assert h1["ETag"] != h2["ETag"] and article_text(before) == article_text(after)
    replica.set_mode(etag="random")
    _, h3, _ = fetch(replica.url(path))
    assert fetch(replica.url(path), {"If-None-Match": h3["ETag"]})[0] == 200
    replica.set_mode(etag="none")
    assert "ETag" not in fetch(replica.url(path))[1]


def test_fallback_markup_is_a_different_page_with_the_same_text(replica):
    rel = replica.portal.active[2]
    _, h1, _ = fetch(replica.url(rel.path))
    replica.set_mode(markup="fallback")
    status, h2, html = fetch(replica.url(rel.path), {"If-None-Match": h1["ETag"]})
    doc = lxml.html.fromstring(html)
    assert status == 200 and h2["ETag"] != h1["ETag"]
    assert not doc.cssselect(".richtext, .page-title, #inhalt") and doc.cssselect("article.news-detail h1")
    texts = [el.text_content() for el in doc.cssselect(".nd-text > p, .nd-text li")]
    assert texts == rel.truth()["paragraphs"]
    assert doc.cssselect("time[datetime]") or b"Ver\xc3\xb6ffentlicht am" in html


def test_empty_listing_has_no_release_links(replica):
    replica.set_mode(listing="empty")
    status, _, html = fetch(replica.listing_url)
    assert status == 200 and not [h for h in links(html) if h.startswith("/Pressemeldungen/")]


# Faults ---------------------------------------------------------------------------------------------

def test_503_the_first_k_times_then_200(replica):
    path = replica.portal.active[0].path
    replica.fail(paths=[spellings(path)[1]], times=2)
    assert [fetch(replica.url(path))[0] for _ in range(3)] == [503, 503, 200]
    assert replica.path_count(path) == {"503": 2, "200": 1}


def test_fraction_faults_are_deterministic(replica):
    replica.fail(fraction=0.3, kinds=["article"], times=1)
    chosen = {r.path for r in replica.portal.active if zlib.crc32(r.path.encode()) % 10_000 < 3_000}
    answered = {r.path: fetch(replica.url(r.path))[0] for r in replica.portal.active[:60]}
    assert {p for p, s in answered.items() if s == 503} == chosen & set(answered)
    assert fetch(replica.listing_url)[0] == 200


def test_dropped_connection_then_answer(replica):
    path = replica.portal.active[0].path
    replica.drop(paths=[path], times=1)
    with pytest.raises((urllib.error.URLError, ConnectionError, http.client.HTTPException)):
        urllib.request.urlopen(replica.url(path), timeout=5)
    assert fetch(replica.url(path))[0] == 200 and replica.path_count(path) == {"drop": 1, "200": 1}


def test_slow_answers_and_down_mode(replica):
    path = replica.portal.active[0].path
    replica.slow(0.3, paths=[path], times=1)
    started = time.perf_counter()
    assert fetch(replica.url(path))[0] == 200 and time.perf_counter() - started >= 0.3
    replica.down()
    assert fetch(replica.listing_url)[0] == 503 and fetch(replica.url("/robots.txt"))[0] == 503
    assert control(replica, "state")[0] == 200
    replica.down(False)
    assert fetch(replica.listing_url)[0] == 200


# Control endpoints and command line ---------------------------------------------------------------

def test_control_endpoints(replica):
    status, done = control(replica, "state", {"action": "edit"})
    assert status == 200 and done["result"]["path"] == replica.portal.active[1].path and done["result"]["etag"]
    path = replica.portal.active[4].path
    status, _, _ = fetch(replica.url(f"/_replica/state?action=withdraw&status=404&path={path}"))
    assert status == 200 and fetch(replica.url(path))[0] == 404
    assert control(replica, "state", {"markup": "fallback"})[1]["state"]["markup"] == "fallback"
    assert control(replica, "state", {"markup": "nonsense"})[0] == 400
    assert control(replica, "state", {"action": "edit", "path": "/Pressemeldungen/x/y"})[0] == 404
    target = replica.portal.active[0].path
    control(replica, "faults", {"rules": [{"fault": "503", "paths": [target], "times": 1}]})
    assert fetch(replica.url(target))[0] == 503 and fetch(replica.url(target))[0] == 200
    assert control(replica, "faults", method="DELETE")[1] == {"down": False, "rules": []}
    stats = control(replica, "stats")[1]
    assert stats["kinds"]["article"]["503"] == 1 and "/_replica/state" not in stats["paths"]
    assert control(replica, "stats/reset", {})[1]["total"] == 0
    status, truth = control(replica, f"truth?path={target}")
    assert status == 200 and truth["path"] == target and truth["paragraphs"]
    assert len(control(replica, "releases")[1]["releases"]) == 240


@pytest.mark.parametrize("command", [["scripts/replica/server.py"], ["-m", "replica"]])
def test_command_line_prints_the_listing_url(tmp_path, command):
    port_file = tmp_path / "port"
    proc = subprocess.Popen([sys.executable, *command, "--port", "0", "--n", "30", "--seed", "1",
                             "--port-file", str(port_file)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": ""})
    try:
        line = proc.stdout.readline().strip()
        match = re.fullmatch(r"REPLICA (http://127\.0\.0\.1:(\d+)/Pressemeldungen)", line)
        assert match and port_file.read_text().strip() == match.group(2)
        assert fetch(match.group(1))[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_edge_faults_over_the_control_endpoint(replica):
    import gzip  # noqa: PLC0415

    first, second, third, fourth = (r.path for r in replica.portal.active[:4])
    rules = [{"fault": "redirect", "paths": [first], "location": "/Pressemeldungen", "status": 301},
             {"fault": "gzipbomb", "paths": [second]}, {"fault": "huge", "paths": [third]},
             {"fault": "cookiewall", "paths": [fourth]}]
    assert control(replica, "faults", {"rules": rules})[0] == 200
    assert control(replica, "faults", {"rules": [{"fault": "redirect", "paths": [first]}]})[0] == 400  # no location
    assert control(replica, "faults", {"rules": rules})[0] == 200
    conn = http.client.HTTPConnection("127.0.0.1", replica.port, timeout=10)
    conn.request("GET", first)
    answer = conn.getresponse()
    assert (answer.status, answer.getheader("Location"), answer.read()) == (301, "/Pressemeldungen", b"")
    conn.request("GET", second)
    answer = conn.getresponse()
    assert answer.getheader("Content-Encoding") == "gzip" and len(gzip.decompress(answer.read())) > 10 * 2 ** 20
    assert len(fetch(replica.url(third))[2].decode()) > 3_000_000
    walled = fetch(replica.url(fourth))[2]
    assert b"Wir verwenden Cookies" in walled and replica.truth(fourth)["paragraphs"][0][:20].encode() not in walled
    status, done = control(replica, "state", {"action": "soft404", "path": first})
    assert status == 200 and first in done["state"]["withdrawn"]
    replica.clear_faults()
    status, _, body = fetch(replica.url(first))
    assert status == 200 and "Seite nicht gefunden" in body.decode()
