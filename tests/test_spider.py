"""The press spider on fixture pages: which requests it makes, and what it hands the pipeline."""
from __future__ import annotations

import pytest
from builders import fetch
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.items import FAILED, FETCHED, GONE, NOT_MODIFIED, CrawlState, ReleaseItem
from crawler.parsing.urls import canonical_url
from crawler.records import KnownArticle
from crawler.spiders.press import CrawlPlan, PressSpider
from crawler.spiders.sites import spider_class

START = "https://www.bochum.de/Pressemeldungen"
BITKOM = "https://www.bochum.de/Pressemeldungen/9-Oktober-2020/Bochum-laut-Bitkom-smarteste-City-im-Ruhrgebiet"
HERBST = "https://www.bochum.de/Pressemeldungen/8-Oktober-2020/Herbstferienprogramm-der-Stadtbuecherei"


def make_spider(plan: CrawlPlan | None = None, start: str = START) -> PressSpider:
    return spider_class("bochum")(start_url=start, plan=plan or CrawlPlan(), state=CrawlState())


@pytest.fixture(scope="module")
def listing(site) -> tuple[bytes, list[str]]:
    """The replica's first listing page, and the releases it lists, as canonical URLs on www.bochum.de."""
    host = START.rsplit("/", 1)[0]
    return fetch(site.listing_url), [canonical_url(host + r.path) for r in site.portal.page(1)]


def html(url: str, body: str | bytes, request: Request | None = None, status: int = 200) -> HtmlResponse:
    body = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'}
    return HtmlResponse(url, body=body, encoding="utf-8", request=request, status=status, headers=headers)


def listing_response(body: bytes | str, url: str = START, root: bool = True) -> HtmlResponse:
    return html(url, body, Request(url, meta={"root": root}))


def page(links: str) -> str:
    return f"<html><body><nav>{links}</nav></body></html>"


def release_page(links: str) -> str:
    """A release page (headline, text, date line) with links beside it."""
    return (f"<html><body><nav>{links}</nav><main id='inhalt'><h1 class='page-title__headline'>Bochum laut Bitkom "
            "smarteste City im Ruhrgebiet</h1><div class='content__main'><div class='richtext'><p>Die Stadt Bochum ist "
            "laut dem Smart-City-Index des Digitalverbands Bitkom die smarteste Stadt im Ruhrgebiet. Im bundesweiten "
            "Vergleich belegt sie Platz zwölf.</p><p>(9. Oktober 2020)</p></div></div></main></body></html>")


def requests_of(results) -> list[Request]:
    return [r for r in results if isinstance(r, Request)]


def release_urls(requests) -> list[str]:
    return [r.url for r in requests if r.callback.__name__ == "parse_release"]


def listing_urls(requests) -> list[str]:
    return [r.url for r in requests if r.callback.__name__ == "parse_listing"]


# --- the listing ------------------------------------------------------------------------------
def test_listing_yields_each_release_once_and_the_next_pages(listing):
    body, listed = listing
    spider = make_spider()
    reqs = requests_of(spider.parse_listing(listing_response(body)))
    releases = [canonical_url(u) for u in release_urls(reqs)]
    assert len(releases) == len(set(releases)) == len(listed) + 1  # and the robots-barred Intern preview
    assert set(releases) - set(listed) == {canonical_url(START + "/Intern/Entwurf-Haushaltsplan-2025")}
    assert any("%2F" in u for u in release_urls(reqs))  # the listing's %2F spellings are followed too
    assert sorted(listing_urls(reqs)) == [START + "?seite=2", START + "?seite=3"]
    assert spider.state.alarms == []


def test_links_resolve_against_the_pages_base_href():
    spider = make_spider()
    body = ('<html><head><base href="https://www.bochum.de/Pressemeldungen/"></head><body>'
            '<a href="1-Mai-2020/Eigen">x</a><a href="?seite=2">2</a></body></html>')
    reqs = requests_of(spider.parse_listing(listing_response(body, url="https://www.bochum.de/Startseite")))
    assert release_urls(reqs) == ["https://www.bochum.de/Pressemeldungen/1-Mai-2020/Eigen"]
    release = "https://www.bochum.de/Pressemeldungen/2-Mai-2020/Zwei"
    body = ('<html><head><base href="https://www.bochum.de/"></head><body>'
            '<a href="Pressemeldungen/3-Mai-2020/Drei">d</a></body></html>')  # without the base: below Zwei
    out = list(spider.parse_release(html(release, body, spider.release_request(release, 10))))
    assert release_urls(requests_of(out)) == ["https://www.bochum.de/Pressemeldungen/3-Mai-2020/Drei"]


def test_slash_and_percent_2f_spellings_and_www_are_one_release():
    spider = make_spider()
    links = (f'<a href="{HERBST}">a</a>'
             '<a href="/Pressemeldungen%2F8-Oktober-2020%2FHerbstferienprogramm-der-Stadtbuecherei">b</a>'
             '<a href="https://bochum.de/Pressemeldungen/8-Oktober-2020/Herbstferienprogramm-der-Stadtbuecherei/">c</a>')
    reqs = requests_of(spider.parse_listing(listing_response(page(links))))
    assert len(release_urls(reqs)) == 1


def test_nothing_off_host_no_service_or_nav_pages():
    spider = make_spider()
    links = ('<a href="https://example.org/Pressemeldungen/1-Mai-2020/Fremd">x</a>'
             '<a href="https://sub.bochum.de/Pressemeldungen/1-Mai-2020/Sub">x</a>'
             '<a href="https://www.bochum.de:8443/Pressemeldungen/1-Mai-2020/Port">x</a>'
             '<a href="/Dienstleistungen/Hundesteuer-0">x</a><a href="/Rathaus/Pressemeldungen">x</a>'
             '<a href="/Pressemeldungen?sort=datum">x</a><a href="mailto:presse@bochum.de">x</a>'
             '<a href="/Pressemeldungen/1-Mai-2020/Eigen">x</a>')
    reqs = requests_of(spider.parse_listing(listing_response(page(links))))
    assert release_urls(reqs) == ["https://www.bochum.de/Pressemeldungen/1-Mai-2020/Eigen"]
    assert listing_urls(reqs) == []


def test_release_paths_in_another_case_or_below_a_moved_listing_are_followed():
    spider = make_spider()
    links = '<a href="/pressemeldungen/3-Maerz-2026/Neue-Radwege">x</a><a href="/presse/2026/alt">x</a>'
    assert release_urls(requests_of(spider.parse_listing(listing_response(page(links))))) == [
        "https://www.bochum.de/pressemeldungen/3-Maerz-2026/Neue-Radwege"]
    moved = "https://www.bochum.de/presse/mitteilungen"
    spider = make_spider(start=moved)
    links = ('<a href="/presse/mitteilungen/2026/03/neue-radwege">x</a><a href="/presse/kontakt">x</a>'
             '<a href="/presse/mitteilungen?page=2">2</a>')
    reqs = requests_of(spider.parse_listing(listing_response(page(links), url=moved)))
    assert release_urls(reqs) == ["https://www.bochum.de/presse/mitteilungen/2026/03/neue-radwege"]
    assert listing_urls(reqs) == [moved + "?page=2"]


def test_a_site_root_start_does_not_make_every_link_a_release():
    spider = make_spider(start="https://www.bochum.de/")
    links = '<a href="/Rathaus/Haushalt">x</a><a href="/Pressemeldungen/1-Mai-2020/Eigen">x</a>'
    reqs = requests_of(spider.parse_listing(listing_response(page(links), url="https://www.bochum.de/")))
    assert release_urls(reqs) == ["https://www.bochum.de/Pressemeldungen/1-Mai-2020/Eigen"]


def test_no_www_link_is_fetched_on_the_start_host_and_shares_one_download_slot():
    spider = make_spider()
    links = '<a href="http://bochum.de/Pressemeldungen%2F1-Mai-2020%2FEigen">x</a>'
    (req,) = requests_of(spider.parse_listing(listing_response(page(links))))
    assert req.url == "https://www.bochum.de/Pressemeldungen%2F1-Mai-2020%2FEigen"
    assert req.meta["download_slot"] == "bochum.de"
    assert req.meta["handle_httpstatus_list"] == [304, 404, 410]


def test_pagination_loop_stops():
    spider = make_spider()
    p2 = listing_response(page('<a rel="next" href="/Pressemeldungen?seite=3">3</a>'
                               '<a href="/Pressemeldungen/1-Mai-2020/A">a</a>'), START + "?seite=2", root=False)
    p3 = listing_response(page('<a rel="next" href="/Pressemeldungen?seite=2">2</a>'
                               '<a href="/Pressemeldungen/1-Mai-2020/B">b</a>'), START + "?seite=3", root=False)
    spider.listings.add(spider.listing_key(START + "?seite=2"))
    assert listing_urls(requests_of(spider.parse_listing(p2))) == [START + "?seite=3"]
    assert listing_urls(requests_of(spider.parse_listing(p3))) == []


def test_listing_without_release_links_raises_the_alarm():
    spider = make_spider()
    list(spider.parse_listing(listing_response(page('<a href="/Impressum">i</a>'))))
    assert spider.state.alarms and spider.state.alarms[0].startswith("ALARM: ")


# --- what is fetched again -------------------------------------------------------------------
def known(url: str, etag: str | None = '"v1"', lm: str | None = "Fri, 09 Oct 2020 10:00:00 GMT"):
    return KnownArticle(canonical_url=canonical_url(url), url=url, etag=etag, last_modified=lm)


def test_archived_not_due_is_skipped_due_is_fetched_conditionally(listing):
    body, listed = listing
    archived, due = listed[0], listed[1]
    plan = CrawlPlan(recheck="recent", known={u: known(u) for u in (archived, due)}, due={due})
    spider = make_spider(plan)
    reqs = requests_of(spider.parse_listing(listing_response(body)))
    by_canon = {canonical_url(r.url): r for r in reqs if r.callback.__name__ == "parse_release"}
    assert archived not in by_canon
    again = by_canon[due]
    assert again.headers[b"If-None-Match"] == b'"v1"'
    assert again.headers[b"If-Modified-Since"] == b"Fri, 09 Oct 2020 10:00:00 GMT"
    assert not any(b"If-None-Match" in r.headers for c, r in by_canon.items() if c != due)
    assert len(release_urls(reqs)) == len(listed)  # all but the archived one, and the Intern preview


def test_recheck_seeds_unlisted_known_and_failed_releases_once(listing):
    body, on_listing = listing
    gone = "https://www.bochum.de/Pressemeldungen/1-Januar-2019/Zurueckgezogen"
    failed = "https://www.bochum.de/Pressemeldungen%2F2-Januar-2019%2FFehlgeschlagen"
    listed_too = on_listing[3]
    arts = {canonical_url(u): known(u) for u in (listed_too, gone)}
    plan = CrawlPlan(recheck="all", known=arts, due=set(arts),
                     pending=[(canonical_url(failed), failed), (listed_too, listed_too)])
    spider = make_spider(plan)
    listed = release_urls(requests_of(spider.parse_listing(listing_response(body))))
    assert spider.root_done.called
    seeds = release_urls(spider.seed_requests())
    canons = [canonical_url(u) for u in listed + seeds]
    assert sorted(canons) == sorted(set(canons))
    assert {canonical_url(gone), canonical_url(failed), listed_too} <= set(canons)


def test_start_yields_the_listing_then_rechecks_in_batches():
    import asyncio
    from types import SimpleNamespace

    import crawler.spiders.press as press

    urls = [f"https://www.bochum.de/Pressemeldungen/1-Mai-2020/A{i}" for i in range(press.SEED_BATCH * 2 + 5)]
    arts = {canonical_url(u): known(u) for u in urls}
    spider = make_spider(CrawlPlan(recheck="all", known=arts, due=set(arts)))
    waits = []

    async def wait_for(signal):
        waits.append(signal)

    spider.crawler = SimpleNamespace(signals=SimpleNamespace(wait_for=wait_for))

    async def drive():
        agen = spider.start()
        first = await anext(agen)
        spider.root_answered()  # as parse_listing does for the start page
        return first, [r async for r in agen]

    first, seeds = asyncio.run(drive())
    assert first.meta["root"] and first.url == START
    assert len(seeds) == len(urls) and len(waits) == 2


def test_no_rechecks_when_the_start_listing_failed():
    import asyncio

    arts = {canonical_url(BITKOM): known(BITKOM)}
    spider = make_spider(CrawlPlan(recheck="all", known=arts, due=set(arts)))

    async def drive():
        agen = spider.start()
        await anext(agen)
        spider.state.start_failed = "cannot fetch"
        spider.root_answered()
        return [r async for r in agen]

    assert asyncio.run(drive()) == []


def test_seeds_on_another_host_are_not_fetched():
    elsewhere = "http://127.0.0.1:9/Pressemeldungen/1-Mai-2020/Alt"
    plan = CrawlPlan(recheck="all", known={canonical_url(elsewhere): known(elsewhere)}, due={canonical_url(elsewhere)})
    spider = make_spider(plan)
    reqs = requests_of(spider.parse_listing(listing_response(page('<a href="/Pressemeldungen/1-Mai-2020/A">a</a>'))))
    assert release_urls(reqs) == ["https://www.bochum.de/Pressemeldungen/1-Mai-2020/A"]


def test_max_articles_stops_scheduling(listing):
    spider = make_spider(CrawlPlan(max_articles=2))
    reqs = requests_of(spider.parse_listing(listing_response(listing[0])))
    assert len(release_urls(reqs)) == 2
    assert listing_urls(reqs) == []


# --- release answers -------------------------------------------------------------------------
def release_request(spider: PressSpider, url: str) -> Request:
    return spider.release_request(url, 10)


def test_200_goes_to_the_pipeline_and_teaser_links_are_followed():
    spider = make_spider()
    req = release_request(spider, BITKOM)
    body = release_page(f'<a href="{HERBST}">mehr</a><a href="{BITKOM}">selbst</a>'
                        '<a href="/Pressemeldungen%2F7-Mai-2019%2FSpielplatz?utm_source=a&amp;fbclid=b#top">alt</a>'
                        '<a href="https://example.org/Pressemeldungen/1-Mai-2020/Fremd">fremd</a>')
    out = list(spider.parse_release(html(BITKOM, body, req)))
    items = [o for o in out if isinstance(o, ReleaseItem)]
    assert [i.outcome for i in items] == [FETCHED]
    assert items[0].body == body.encode() and items[0].canonical_url == canonical_url(BITKOM)
    assert items[0].headers["Content-Type"].startswith("text/html") and items[0].headers["Etag"] == '"abc"'
    assert [canonical_url(u) for u in release_urls(requests_of(out))] == [
        canonical_url(HERBST), canonical_url("https://bochum.de/Pressemeldungen/7-Mai-2019/Spielplatz")]


@pytest.mark.parametrize("status,is_known,outcome", [
    (304, True, NOT_MODIFIED), (410, True, GONE), (404, True, GONE), (404, False, FAILED)])
def test_status_answers(status, is_known, outcome):
    plan = CrawlPlan(known={canonical_url(BITKOM): known(BITKOM)} if is_known else {}, due={canonical_url(BITKOM)})
    spider = make_spider(plan)
    req = release_request(spider, BITKOM)
    (item,) = list(spider.parse_release(html(BITKOM, b"", req, status=status)))
    assert item.outcome == outcome


def test_failed_download_is_a_failed_item_robots_refusal_is_not():
    from scrapy.exceptions import IgnoreRequest
    from twisted.internet.error import ConnectionRefusedError
    from twisted.python.failure import Failure

    spider = make_spider()
    req = release_request(spider, BITKOM)
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = req
    (item,) = list(spider.release_failed(failure))
    assert item.outcome == FAILED and "ConnectionRefusedError" in item.error
    ignored = Failure(IgnoreRequest("Forbidden by robots.txt"))
    ignored.request = req
    assert list(spider.release_failed(ignored)) == []


def test_failed_start_listing_fails_the_run_later_pages_are_errors():
    from twisted.internet.error import ConnectionRefusedError
    from twisted.python.failure import Failure

    spider = make_spider()
    root = spider.listing_request(START, root=True)
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = root
    spider.listing_failed(failure)
    assert spider.state.start_failed.startswith(f"cannot fetch {START}")
    later = spider.listing_request(START + "?seite=2")
    failure.request = later
    spider.listing_failed(failure)
    assert spider.state.counts.errors == 1


# --- settings ---------------------------------------------------------------------------------
def crawl_settings(delay):
    """The settings a crawl of the bochum spider runs with: project, profile, then --delay on top."""
    from crawler.settings import build_settings

    settings = build_settings(delay)
    spider_class("bochum").update_settings(settings)
    return settings


def test_remote_control_and_telnet_are_off():
    for s in (crawl_settings(None), crawl_settings(0)):
        assert s.getbool("TELNETCONSOLE_ENABLED") is False
        assert s.getbool("REMOTE_CONTROL_ENABLED") is False
        ext = s.getdict("EXTENSIONS")
        assert ext["scrapy.extensions.telnet.TelnetConsole"] is None
        assert ext["scrapy.extensions.remote_control.RemoteControl"] is None


def test_extensions_not_in_the_component_list():
    from scrapy.utils.conf import build_component_list

    for settings in (crawl_settings(None), crawl_settings(0)):
        enabled = build_component_list(settings.get_component_priority_dict_with_base("EXTENSIONS"))
        names = {getattr(e, "__name__", str(e)).rsplit(".", 1)[-1] for e in enabled}
        assert "CoreStats" in names
        assert "TelnetConsole" not in names and "RemoteControl" not in names


def test_polite_and_fast_profiles():
    from crawler import settings as project
    from crawler.sites import get_profile

    live, replica, profile = crawl_settings(None), crawl_settings(0), get_profile("bochum")
    assert live.getbool("ROBOTSTXT_OBEY") and live["USER_AGENT"] == project.USER_AGENT
    assert "pressarchive" in project.USER_AGENT
    assert live.getfloat("DOWNLOAD_DELAY") == profile.delay >= 1 and live.getbool("AUTOTHROTTLE_ENABLED")
    assert live.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == profile.concurrency == 1
    assert replica.getfloat("DOWNLOAD_DELAY") == 0 and not replica.getbool("AUTOTHROTTLE_ENABLED")
    assert replica.getint("CONCURRENT_REQUESTS_PER_DOMAIN") >= 16
    slow = crawl_settings(3)
    assert slow.getfloat("DOWNLOAD_DELAY") == 3 and slow.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert project.HTTPCACHE_ENABLED is False and project.DOWNLOAD_MAXSIZE > 0
    assert {500, 502, 503, 504, 429} <= set(project.RETRY_HTTP_CODES)


def test_the_settings_module_alone_is_polite():
    """What `scrapy shell` / `scrapy fetch` get in the project folder, without any spider."""
    from scrapy.settings import Settings

    s = Settings()
    s.setmodule("crawler.settings", priority="project")
    assert s.getbool("ROBOTSTXT_OBEY") and not s.getbool("TELNETCONSOLE_ENABLED")
    assert not s.getbool("REMOTE_CONTROL_ENABLED") and s.getfloat("DOWNLOAD_DELAY") >= 1
    assert s.getbool("AUTOTHROTTLE_ENABLED") and s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert s.getlist("SPIDER_MODULES") == ["crawler.spiders"] and s["BOT_NAME"] == "pressarchive"


def test_one_spider_per_profile_built_from_strings():
    from crawler.sites import all_profiles

    for profile in all_profiles():
        cls = spider_class(profile.name)
        assert (cls.name, cls.profile) == (profile.name, profile)
    spider = spider_class("bochum")(start_url="http://127.0.0.1:9/Pressemeldungen", recheck="all", max_articles="3")
    assert (spider.name, spider.start_url, spider.recheck, spider.max_articles) == (
        "bochum", "http://127.0.0.1:9/Pressemeldungen", "all", 3)
    assert spider.needs_session  # no plan given: it reads the archive's in start()
    assert spider_class("bochum")().start_url == "https://www.bochum.de/Pressemeldungen"
    with pytest.raises(ValueError):
        spider_class("bochum")(recheck="sometimes")


# --- the pipeline (a fake Store; the writer is a thread here, a spawned process in a crawl) ------
class FakeStore:
    """Records the Store calls the pipeline makes."""

    def __init__(self):
        self.calls = []

    def save_fetch(self, fetch, record, run_id):
        self.calls.append(("fetch", fetch.canonical_url, run_id))
        return "edited" if "alt" in fetch.url else "new"

    def save_not_modified(self, canonical, at, run_id):
        self.calls.append(("304", canonical, run_id))

    def save_gone(self, fetch, run_id):
        self.calls.append(("gone", fetch.canonical_url, run_id))
        return True

    def save_failure(self, canonical, url, error, run_id):
        self.calls.append(("failure", canonical, error))


def run_pipeline(items, store=None):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    import crawler.pipelines as pipelines

    store = store or FakeStore()
    pipelines._STORE = store  # what init_writer sets up in the writer process
    state = CrawlState(run_id=7)
    spider = SimpleNamespace(state=state, writer=ThreadPoolExecutor(1), db=None)
    pipe = pipelines.ArchivePipeline(SimpleNamespace(spider=spider))
    pipe.open_spider()

    async def passed_on(item):
        try:
            return await pipe.process_item(item)
        except DropItem:
            return None

    async def all_items():
        return [await passed_on(item) for item in items]

    done = asyncio.run(all_items())
    pipe.close_spider()
    return store, state, done


def item(outcome, url, **kw):
    return ReleaseItem(outcome, canonical_url=canonical_url(url), url=url, status=200, body=b"<html/>", **kw)


def test_pipeline_makes_one_store_call_per_item_and_counts():
    items = [item(FETCHED, BITKOM, record={"extractor": "portal", "parser_version": "9"}),
             item(FETCHED, HERBST + "-alt", record={"extractor": "fallback"}),
             item(NOT_MODIFIED, HERBST), item(GONE, BITKOM + "-weg"),
             item(FAILED, BITKOM + "-kaputt", error="HTTP 503")]
    store, state, done = run_pipeline(items)
    assert [c[0] for c in store.calls] == ["fetch", "fetch", "304", "gone", "failure"]
    assert store.calls[0][2] == 7 and store.calls[-1][2] == "HTTP 503"
    c = state.counts
    assert (c.new_articles, c.new_versions, c.not_modified, c.withdrawn, c.errors, c.fallback_pages) == (1, 1, 1, 1, 1, 1)
    assert state.releases_ok == 2 and state.releases_answered == 4
    assert c.messages == [f"{BITKOM}-kaputt: HTTP 503"]
    assert all(i.body == b"" for i in items)  # no page outlives its transaction
    # What Scrapy's feed exports get: a fetched release's record in the extract schema, nothing else.
    assert done == [{"extractor": "portal"}, {"extractor": "fallback"}, None, None, None]


def test_a_store_failure_costs_one_release():
    class Broken(FakeStore):
        def save_fetch(self, fetch, record, run_id):
            raise RuntimeError("disk full")

    _store, state, _done = run_pipeline([item(FETCHED, BITKOM, record={}), item(NOT_MODIFIED, HERBST)], Broken())
    assert state.counts.errors == 1 and "disk full" in state.counts.messages[0]
    assert state.counts.not_modified == 1


def run_concurrently(items, writer):
    import asyncio
    from types import SimpleNamespace

    import crawler.pipelines as pipelines

    pipelines._STORE = FakeStore()
    state = CrawlState(run_id=7)
    closes: list[str] = []

    async def close_spider_async(reason):
        closes.append(reason)

    engine = SimpleNamespace(close_spider_async=close_spider_async, closes=closes)
    pipe = pipelines.ArchivePipeline(SimpleNamespace(spider=SimpleNamespace(state=state, writer=writer, db=None),
                                                     engine=engine))
    pipe.open_spider()

    async def all_items():
        return await asyncio.gather(*(pipe.process_item(item) for item in items), return_exceptions=True)

    asyncio.run(all_items())
    state.closes = closes  # the reasons the pipeline closed the spider with
    return pipelines._STORE, state


def test_items_waiting_together_travel_to_the_writer_in_one_trip():
    from concurrent.futures import ThreadPoolExecutor

    class Counting(ThreadPoolExecutor):
        trips = 0

        def submit(self, fn, *args):
            Counting.trips += 1
            return super().submit(fn, *args)

    items = [item(FETCHED, f"{BITKOM}-{n}", record={}) for n in range(20)]
    store, state = run_concurrently(items, Counting(1))
    assert Counting.trips == 2  # BATCH_MAX (16) at once, the other 4 after BATCH_WAIT
    assert len(store.calls) == 20 and state.counts.new_articles == 20


def test_a_broken_writer_fails_each_item_of_the_batch():
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    class Broken(ThreadPoolExecutor):
        def submit(self, fn, *args):
            raise BrokenProcessPool("the writer died")

    _store, state = run_concurrently([item(FETCHED, BITKOM, record={}), item(NOT_MODIFIED, HERBST)], Broken(1))
    assert state.counts.errors == 2 and state.releases_answered == 0 and state.unstored == 2
    # issue 11 item 7: the cause is said once (judge puts it first in the messages) and the crawl stops
    assert "writer process died" in state.archive_failed and state.closes == ["archive failure"]


def test_pipeline_signature_has_no_spider_argument():
    import inspect

    from crawler.pipelines import ArchivePipeline

    for name in ("process_item", "open_spider", "close_spider"):
        assert "spider" not in inspect.signature(getattr(ArchivePipeline, name)).parameters


# --- retries back off --------------------------------------------------------------------------
def test_backoff_grows_exponentially_is_capped_and_honours_retry_after():
    from crawler.middlewares import backoff_delay, parse_retry_after

    delays = [backoff_delay(n, 1.0, 60.0) for n in (1, 2, 3, 4)]
    assert all(0.8 * 2 ** i <= d <= 1.2 * 2 ** i for i, d in enumerate(delays))
    assert backoff_delay(12, 1.0, 60.0) == 60.0
    assert backoff_delay(1, 1.0, 60.0, retry_after=7.0) == 7.0
    assert backoff_delay(1, 1.0, 60.0, retry_after=3600.0) == 60.0
    assert parse_retry_after(b"120") == 120.0 and parse_retry_after(b"Wed, 21 Oct 2015 07:28:00 GMT") is None


def retry_of(request: Request) -> Request:
    """The copy Scrapy's RetryMiddleware sends (get_retry_request: request.copy(), retry_times + 1)."""
    again = request.copy()
    again.meta["retry_times"] = request.meta.get("retry_times", 0) + 1
    return again


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    """The middleware's sleeps, recorded instead of slept."""
    import crawler.middlewares as middlewares

    slept: list[float] = []

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(middlewares.asyncio, "sleep", sleep)
    return slept


def test_backoff_middleware_waits_only_before_a_retry(waits):
    import asyncio

    from scrapy.http import Response

    from crawler.middlewares import RetryBackoffMiddleware

    mw = RetryBackoffMiddleware(base=0.05, cap=1.0)
    first = Request(BITKOM)
    asyncio.run(mw.process_request(first))
    assert waits == []
    asyncio.run(mw.process_request(Request(BITKOM, meta={"retry_times": 2})))
    assert len(waits) == 1 and 0.08 <= waits[0] <= 0.12  # 0.05 * 2, jittered by at most 20 %
    mw.process_response(first, Response(BITKOM, status=503, headers={"Retry-After": "0.2"}, request=first))
    assert first.meta["retry_after"] == 0.2


def test_retry_after_answers_one_retry_only(waits):
    """A 503 with Retry-After: 60, then a 500: the second retry backs off, it does not wait 60 s again."""
    import asyncio

    from scrapy.http import Response

    from crawler.middlewares import RetryBackoffMiddleware

    mw = RetryBackoffMiddleware(base=1.0, cap=120.0)
    request = Request(BITKOM)
    asyncio.run(mw.process_request(request))
    mw.process_response(request, Response(BITKOM, status=503, headers={"Retry-After": "60"}, request=request))
    second = retry_of(request)
    asyncio.run(mw.process_request(second))
    mw.process_response(second, Response(BITKOM, status=500, request=second))
    third = retry_of(second)
    asyncio.run(mw.process_request(third))
    assert waits[0] == 60.0
    assert 1.6 <= waits[1] <= 2.4  # the backoff of a second retry (1 s * 2), not the old Retry-After
    assert "retry_after" not in third.meta


def test_a_not_found_page_with_status_200_is_no_release():
    not_found = ("<html><body><main id='inhalt'><div class='page-title'><h1 class='page-title__headline'>Seite nicht "
                 "gefunden</h1></div><div class='content__main'><div class='richtext'><p>Die angeforderte Seite konnte "
                 "leider nicht gefunden werden.</p></div></div></main></body></html>")
    spider = make_spider(CrawlPlan(known={canonical_url(BITKOM): known(BITKOM)}, due={canonical_url(BITKOM)}))
    (item,) = [o for o in spider.parse_release(html(BITKOM, not_found, release_request(spider, BITKOM)))
               if isinstance(o, ReleaseItem)]
    assert item.outcome == GONE  # a known release: withdrawn
    spider = make_spider()
    (item,) = [o for o in spider.parse_release(html(BITKOM, not_found, release_request(spider, BITKOM)))
               if isinstance(o, ReleaseItem)]
    assert item.outcome == FAILED and "not found" in item.error  # an unknown one: never stored


def test_the_site_is_its_host_and_port_with_default_ports_spelt_either_way():
    spider = make_spider()
    assert spider.on_site("https://www.bochum.de:443/Pressemeldungen/1-Mai-2020/A")
    assert spider.on_site("http://bochum.de/Pressemeldungen/1-Mai-2020/A")  # www. and http: one site
    assert not spider.on_site("https://www.bochum.de:8443/Pressemeldungen/1-Mai-2020/A")
    assert not spider.on_site("https://intern.bochum.de/Pressemeldungen/1-Mai-2020/A")  # no subdomains
    assert not spider.on_site("https://www.bochum.de:99999/x")
