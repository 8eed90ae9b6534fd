"""The Scrapy project's settings (scrapy.cfg names this module).

Module-level, so Scrapy's own commands in the project folder (`scrapy list`, `scrapy crawl bochum`,
`scrapy shell`, `scrapy fetch`) get them too: robots.txt obeyed, the project's User-Agent, polite
delays, and neither the telnet console nor the remote-control endpoint (both run code sent to
them) open a port. `pressarchive crawl` layers its options on top (`build_settings`); a spider
layers its site profile's politeness on top of these defaults (`PressSpider.update_settings`).
"""
from __future__ import annotations

import os
import re
from typing import Any

from scrapy.settings import Settings

BOT_NAME = "pressarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# The project's name and its operator's contact, whichever site it crawls (a site's own politeness
# is in its profile): `crawl --contact`, or $PRESSARCHIVE_CONTACT (also for Scrapy's own commands).
CONTACT_ENV = "PRESSARCHIVE_CONTACT"
_CONTACT = re.compile(r"(?:https?://[^\s;()]+|mailto:[^\s;()@]+@[^\s;()@]+|[^\s;()@:/]+@[^\s;()@]+\.[^\s;()@]+)")


def check_contact(contact: str) -> str:
    """A contact for the User-Agent: an http(s) URL or an e-mail address; ValueError otherwise."""
    if len(contact) > 200 or not _CONTACT.fullmatch(contact):
        raise ValueError(f"the contact must be an http(s) URL or an e-mail address, not {contact[:80]!r}")
    return contact


def user_agent(contact: str | None) -> str:
    """The User-Agent: the project's name, and where to reach whoever runs the crawl."""
    return "pressarchive/0.1 (press release archiver" + (f"; +{check_contact(contact)})" if contact else ")")


def _env_contact() -> str | None:
    """$PRESSARCHIVE_CONTACT if it is a valid contact (pressarchive crawl refuses an invalid one)."""
    try:
        return check_contact(os.environ[CONTACT_ENV]) if os.environ.get(CONTACT_ENV) else None
    except ValueError:
        return None


USER_AGENT = user_agent(_env_contact())
ROBOTSTXT_OBEY = True

# Both consoles run code inside the crawler on request; a cron job has no use for either.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
EXTENSIONS: dict[str, Any] = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
}

# The archive is the cache: Scrapy's RFC 2616 cache would keep a second copy of every page.
# Re-fetches are conditional instead: the spider sets If-None-Match / If-Modified-Since from
# the ETag / Last-Modified the archive stored, and a 304 reaches the spider.
HTTPCACHE_ENABLED = False
COOKIES_ENABLED = False
# The spider dedupes by canonical URL (Scrapy's fingerprints see %2F and / as two pages);
# a second fingerprint set would only grow memory.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"
# Requests of one priority in the order they were found (Scrapy's default is last found, first
# fetched): a listing's releases newest first, as the listing shows them (issue 11, item 9).
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# The spider records every give-up itself (summary, run messages, FailedFetch).
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
# Scrapy's RetryMiddleware retries at once; this one waits 1, 2, 4, 8 s (or Retry-After) first.
# Redirects and every request stay on the start URL's host and port (crawler.middlewares): Scrapy's
# own middlewares, with the spider's rule for what is on site and a failed request for a redirect off it.
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryBackoffMiddleware": 560,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.SiteOffsiteMiddleware": 50,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.SiteRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.SiteMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,  # no logins here
}
# Per-request work nobody reads: depth statistics (pagination depth is no limit here).
SPIDER_MIDDLEWARES = {"scrapy.spidermiddlewares.depth.DepthMiddleware": None}
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
ITEM_PIPELINES = {"crawler.pipelines.ArchivePipeline": 300}
# A callback here yields one item and a few requests; Scrapy starts CONCURRENT_ITEMS worker
# tasks for every response's output (100 by default): that alone cost a third of the CPU.
CONCURRENT_ITEMS = 8
LOGSTATS_INTERVAL = 0  # the progress line and the summary say it better
# `-O releases.jsonl` writes the extract schema as `pressarchive extract` does: UTF-8, not \u escapes.
FEED_EXPORT_ENCODING = "utf-8"
# Only items the archive could not take or that are no fetched release are dropped: not news.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"
PRESSARCHIVE_DB = None  # the archive (path or URL); None: $PRESSARCHIVE_DB, else pressarchive.sqlite

# Polite defaults for a live portal: one request at a time, at least 1.5 s apart, AutoThrottle on.
LIVE_DELAY = 1.5
DOWNLOAD_DELAY = LIVE_DELAY
DOWNLOAD_DELAY_JITTER = 0.5  # 0.5x to 1.5x the delay, as RANDOMIZE_DOWNLOAD_DELAY did
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = LIVE_DELAY
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0


def polite(delay: float) -> dict[str, Any]:
    """A live portal at least `delay` seconds between requests, AutoThrottle on (concurrency: the profile's)."""
    return {"DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_ENABLED": True, "AUTOTHROTTLE_START_DELAY": delay}


def fast() -> dict[str, Any]:
    """A replica on loopback (--delay 0): no delay, no AutoThrottle, many requests in flight."""
    return {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
        "RETRY_BACKOFF_BASE": 0.05,
        "RETRY_BACKOFF_MAX": 1.0,
        "DOWNLOAD_TIMEOUT": 15,
    }


def build_settings(delay: float | None, log_file: str | None = None, db: str | None = None,
                   contact: str | None = None) -> Settings:
    """`pressarchive crawl`'s settings: this module, then --delay's profile and logging on top.

    The options go in at command-line priority, as `scrapy crawl -s` would: above the site
    profile's politeness (spider priority), which applies when no --delay is given."""
    settings = Settings()
    settings.setmodule(__name__, priority="project")
    options: dict[str, Any] = {"LOG_LEVEL": "INFO" if log_file else "WARNING",
                               "LOG_INSTALL_ROOT_HANDLER": False,  # the runner routes the log
                               "PRESSARCHIVE_DB": db}
    if contact:
        options["USER_AGENT"] = user_agent(contact)
    if delay is not None:
        options.update(fast() if delay == 0 else polite(delay))
    settings.setdict(options, priority="cmdline")
    return settings
