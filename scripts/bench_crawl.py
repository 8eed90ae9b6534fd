"""Benchmark: the full `pressarchive crawl --delay 0` against a do-nothing Scrapy spider.

Starts the replica portal on 127.0.0.1 with N releases (default 1,026) and runs, each in its own
subprocess, (a) a spider that follows the same links (listing pagination and release links) and
stores nothing -- once with Scrapy's stock settings, once with the crawl's Scrapy tuning -- and
(b) `pressarchive crawl --delay 0` into a fresh archive. Prints wall time, releases per second,
peak RSS of the process tree and CPU seconds (the crawl's own and its writer process's) side by
side. Goal: (b) within 2x the wall time of (a). With --pg URL (a role that may CREATE DATABASE;
`auto`: a throwaway server from tests/pg.py) (c) the same crawl into a new PostgreSQL database.

    .venv/bin/python scripts/bench_crawl.py [--n 1026] [--repeat 1] [--pg URL|auto]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


def walk_spider():
    """A spider that follows the listing's pages and release links, and keeps nothing."""
    import scrapy  # noqa: PLC0415

    from crawler.sites import get_profile  # noqa: PLC0415

    profile = get_profile()

    class Walk(scrapy.Spider):
        name = "walk"

        def parse(self, response):
            for href in response.xpath("//a/@href").getall():
                url = response.urljoin(href)
                if profile.release_path(url):
                    yield scrapy.Request(url, callback=self.release)
                elif "seite=" in url:
                    yield scrapy.Request(url, callback=self.parse)

        def release(self, response):
            self.crawler.stats.inc_value("releases")

    return Walk


def walk_settings(stock: bool) -> dict:
    """Scrapy's stock settings, or the crawl's own tuning; either way as fast and polite as the crawl."""
    from scrapy.settings import Settings  # noqa: PLC0415

    from crawler.settings import fast  # noqa: PLC0415

    if stock:
        settings = {"ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False}
    else:
        project = Settings()
        project.setmodule("crawler.settings")
        settings = {k: v for k, v in project.copy_to_dict().items()
                    if k not in ("ITEM_PIPELINES", "DUPEFILTER_CLASS", "SPIDER_MODULES", "NEWSPIDER_MODULE")}
    return {**settings, **fast(), "LOG_LEVEL": "WARNING", "LOG_INSTALL_ROOT_HANDLER": True}


def do_nothing_spider(start_url: str, stock: bool = False) -> None:
    """Run in the child: walk the listing and fetch every release, keep nothing."""
    from scrapy.crawler import AsyncCrawlerProcess  # noqa: PLC0415

    process = AsyncCrawlerProcess(walk_settings(stock))
    crawler = process.create_crawler(walk_spider())
    process.crawl(crawler, start_urls=[start_url])
    process.start()
    print(f"RELEASES {crawler.stats.get_value('releases', 0)}")


def measure(cmd: list[str]) -> dict:
    """Run a child; wall seconds, peak RSS (MB, the child plus its writer) and CPU seconds."""
    import psutil  # noqa: PLC0415

    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        child = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        peak, cpu = 0, {}
        while child.poll() is None:
            peak = max(peak, _sample(child, cpu))
            time.sleep(0.02)
        wall = time.perf_counter() - started
        if child.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(cmd[:5])} failed ({child.returncode}):\n{err.read()[-2000:]}")
    main_cpu = cpu.pop(child.pid, 0.0)
    return {"wall": wall, "rss": peak / 2**20, "cpu": main_cpu, "helpers": sum(cpu.values())}


def _sample(proc, cpu: dict) -> int:
    """RSS of the process tree now; remembers each process's latest CPU time."""
    import psutil  # noqa: PLC0415

    rss = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            rss += p.memory_info().rss
            times = p.cpu_times()
            cpu[p.pid] = times.user + times.system
        except psutil.Error:
            pass
    return rss


def run_once(listing_url: str, pg_server=None) -> list[tuple[str, dict]]:
    """The runs against the same replica, the do-nothing spiders first, then the crawl(s)."""
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("do-nothing (stock)", [sys.executable, __file__, "--walk", listing_url, "--stock"]),
                ("do-nothing (tuned)", [sys.executable, __file__, "--walk", listing_url]),
                ("crawl into SQLite", crawl_cmd(listing_url, os.path.join(tmp, "bench.sqlite")))]
        if pg_server is None:
            return [(label, measure(cmd)) for label, cmd in runs]
        url = pg_server.create_database()
        try:
            runs.append(("crawl into PostgreSQL", crawl_cmd(listing_url, url)))
            return [(label, measure(cmd)) for label, cmd in runs]
        finally:
            pg_server.drop_database(url)


def crawl_cmd(listing_url: str, db: str) -> list[str]:
    return [sys.executable, "-m", "archive", "crawl", "--start-url", listing_url, "--delay", "0", "--quiet",
            "--db", db]


def postgres(url: str | None):
    """The --pg server: None without the option, a throwaway one for 'auto' (tests/pg.py)."""
    if not url:
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    import pg  # noqa: PLC0415 - the tests' server helper

    return pg.start() if url == "auto" else pg.Server(admin_url=url)


def report(rows: list[tuple[str, dict]], n: int) -> None:
    """One line per run, then the ratio to each baseline."""
    for label, m in rows:
        print(f"{label:<22}{m['wall']:>8.2f}{n / m['wall']:>12.1f}{m['rss']:>13.1f}"
              f"{m['cpu']:>9.1f}{m['helpers']:>10.1f}")
    crawl = rows[2][1]["wall"]
    print(f"ratio crawl / do-nothing: {crawl / rows[0][1]['wall']:.2f}x stock, "
          f"{crawl / rows[1][1]['wall']:.2f}x tuned   (goal <= 2.0x)")


def main() -> None:
    """Start the replica, run the three, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1026, help="releases in the replica")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--pg", metavar="URL", help="Also crawl into PostgreSQL (a server URL, or 'auto').")
    parser.add_argument("--walk", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--stock", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.walk:
        return do_nothing_spider(args.walk, args.stock)
    from replica.server import start_replica  # noqa: PLC0415

    server = postgres(args.pg)
    try:
        with start_replica(n=args.n, seed=1, port=0) as replica:
            print(f"replica {replica.listing_url} with {args.n} releases, {os.cpu_count()} CPUs")
            print(f"{'run':<22}{'wall s':>8}{'releases/s':>12}{'peak RSS MB':>13}{'CPU s':>9}{'writer s':>10}")
            for _ in range(args.repeat):
                report(run_once(replica.listing_url, server), args.n)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
