"""Scrapy settings: polite defaults for the live portal, fast ones for a replica (--delay 0)."""
from __future__ import annotations

from typing import Any

# The project's name and address, whichever site it crawls (a site's own politeness is in its profile).
USER_AGENT = "pressarchive/0.1 (+https://github.com/pressarchive/pressarchive; press release archiver)"
LIVE_DELAY = 1.5  # seconds between requests when neither --delay nor a site profile says otherwise

BASE: dict[str, Any] = {
    "BOT_NAME": "pressarchive",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    # Both consoles run code inside the crawler on request; a cron job has no use for either.
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,
    "EXTENSIONS": {
        "scrapy.extensions.telnet.TelnetConsole": None,
        "scrapy.extensions.remote_control.RemoteControl": None,
    },
    # The archive is the cache: Scrapy's RFC 2616 cache would keep a second copy of every page.
    # Re-fetches are conditional instead: the spider sets If-None-Match / If-Modified-Since from
    # the ETag / Last-Modified the archive stored, and a 304 reaches the spider.
    "HTTPCACHE_ENABLED": False,
    "COOKIES_ENABLED": False,
    # The spider dedupes by canonical URL (Scrapy's fingerprints see %2F and / as two pages);
    # a second fingerprint set would only grow memory.
    "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 4,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    # The spider records every give-up itself (summary, run messages, FailedFetch).
    "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
    # Scrapy's RetryMiddleware retries at once; this one waits 1, 2, 4, 8 s (or Retry-After) first.
    "DOWNLOADER_MIDDLEWARES": {
        "crawler.middlewares.RetryBackoffMiddleware": 560,
        "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,  # no logins here
    },
    # Per-request work nobody reads: depth statistics (pagination depth is no limit here).
    "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.depth.DepthMiddleware": None},
    "RETRY_BACKOFF_BASE": 1.0,
    "RETRY_BACKOFF_MAX": 60.0,
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 2 * 1024 * 1024,
    "ITEM_PIPELINES": {"crawler.pipelines.ArchivePipeline": 300},
    # A callback here yields one item and a few requests; Scrapy starts CONCURRENT_ITEMS worker
    # tasks for every response's output (100 by default): that alone cost a third of the CPU.
    "CONCURRENT_ITEMS": 8,
    "LOGSTATS_INTERVAL": 0,  # the progress line and the summary say it better
    "LOG_INSTALL_ROOT_HANDLER": False,  # the runner routes the log (file, stderr or buffer)
}


def polite(delay: float) -> dict[str, Any]:
    """The live portal: one request at a time, at least `delay` seconds apart, AutoThrottle on."""
    return {
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.5,  # 0.5x to 1.5x the delay, as RANDOMIZE_DOWNLOAD_DELAY did
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    }


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


def build_settings(delay: float | None, log_file: str | None = None) -> dict[str, Any]:
    """All settings for one crawl: BASE, then the politeness profile, then logging."""
    settings = dict(BASE)
    settings.update(fast() if delay == 0 else polite(LIVE_DELAY if delay is None else delay))
    settings["LOG_LEVEL"] = "INFO" if log_file else "WARNING"
    return settings
