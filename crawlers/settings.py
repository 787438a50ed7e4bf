"""Scrapy settings of the newsmon crawlers.

Operator-facing values (User-Agent, contact URL, robots.txt, timeout, retries, per-source
politeness) come from ``config/sources.toml``; this module only maps them onto Scrapy settings.

Politeness (``NEWSMON_POLITENESS`` setting or environment variable):

* ``config``: the configured download delay and per-host concurrency, with AutoThrottle;
* ``off``: no delay, no AutoThrottle, higher concurrency, no retry back-off (tests, benchmarks);
* ``auto`` (default): ``off`` when crawling the bundled mirror (``NEWSMON_MIRROR_URL``), where
  there is no one to be polite to, ``config`` otherwise.
"""

from __future__ import annotations

import os
from typing import Any

from config import load_sources

BOT_NAME = "newsmon"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"
SPIDER_LOADER_CLASS = "crawlers.registry.RegistrySpiderLoader"  # configured sources, outlets too
DUPEFILTER_CLASS = "crawlers.jobs.CrawlDupeFilter"  # not kept in the job directory: see there


def _crawler_config() -> Any:
    return load_sources().crawler


def user_agent() -> str:
    """``newsmon/0.1 (+contact URL; …)``: names newsmon and where to reach its operators."""
    crawler = _crawler_config()
    agent = crawler.user_agent
    if crawler.contact_url and crawler.contact_url not in agent:
        agent = f"{agent} (+{crawler.contact_url})"
    return agent


_CRAWLER = _crawler_config()

USER_AGENT = user_agent()
ROBOTSTXT_OBEY = _CRAWLER.obey_robots
DOWNLOAD_TIMEOUT = _CRAWLER.download_timeout_s
RETRY_ENABLED = True
RETRY_TIMES = _CRAWLER.retry_times
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
NEWSMON_RETRY_BACKOFF_S = 2.0
NEWSMON_RETRY_MAX_WAIT_S = 120.0

# Polite defaults; apply_source_politeness() sets the per-source values when a spider starts.
CONCURRENT_REQUESTS = 16
# Items a callback's output may have in the pipeline at once. Scrapy starts this many worker tasks
# for every response (default 100): a listing page yields ten requests (scheduled at once, nothing
# to wait for), an article one item, so one is enough; the responses themselves are still
# processed concurrently. py-spy put 8 % of the crawl process's samples in creating 16 tasks per
# response; a crawl A/B on a busy machine showed no difference beyond its noise (docs/benchmarks.md).
CONCURRENT_ITEMS = 1
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

REDIRECT_MAX_TIMES = 5
# A news page is well below this; a bigger answer is an error or a trap (kind too_large).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/rss+xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "ru,kk;q=0.9,ky;q=0.8,tg;q=0.7,en;q=0.6",
}

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.PoliteRetryMiddleware": 550,
    "crawlers.middlewares.OffsiteRedirectMiddleware": 650,
}
ITEM_PIPELINES = {
    "crawlers.pipelines.StoragePipeline": 300,
}

NEWSMON_MIRROR_URL = os.environ.get("NEWSMON_MIRROR_URL") or None
NEWSMON_POLITENESS = os.environ.get("NEWSMON_POLITENESS") or "auto"
# None: storage's DATABASE_URL / default SQLite file.
NEWSMON_DATABASE_URL = None
NEWSMON_MAX_LISTING_PAGES = 500
# Dotted path of the tagging function (default: pipeline.runner.tag_page).
NEWSMON_TAGGER = os.environ.get("NEWSMON_TAGGER") or None
# Dotted path of a function each tagging worker runs before its first page (default: the runner's
# warm-up for the default tagger, none for another one).
NEWSMON_TAGGER_WARM_UP = os.environ.get("NEWSMON_TAGGER_WARM_UP") or None
# Worker processes that tag pages while the crawl fetches and stores (crawlers/tagging.py):
# "auto" = one less than the cores (at most 4), 0 = tag in the crawl process.
NEWSMON_TAG_PROCESSES = os.environ.get("NEWSMON_TAG_PROCESSES") or "auto"
# A database that does not answer is waited for: 8 attempts, 0.5 s doubling up to 10 s between
# them (35 s in all), the crawl going on meanwhile; then the page is spooled (crawlers/pipelines.py).
NEWSMON_STORE_ATTEMPTS = int(os.environ.get("NEWSMON_STORE_ATTEMPTS") or 8)
NEWSMON_STORE_BACKOFF_S = 0.5
# NEWSMON_STOP_AFTER_ITEMS=N: stop as Ctrl-C does once N article pages were fetched (crawlers/stopping.py).
NEWSMON_STOP_AFTER_ITEMS = int(os.environ.get("NEWSMON_STOP_AFTER_ITEMS") or 0)
EXTENSIONS = {"crawlers.stopping.StopAfterItems": 500}
NEWSMON_STORE_MAX_WAIT_S = 10.0
# Pages tagged within this many seconds of each other are stored in one transaction (0: each on
# its own), at most NEWSMON_STORE_BATCH_MAX of them (crawlers/pipelines.py).
NEWSMON_STORE_BATCH_WAIT_S = 0.25
NEWSMON_STORE_BATCH_MAX = 50

# Distributed crawling (newsmon crawl --distributed, newsmon worker; crawlers/distributed/):
# the scrapy-redis scheduler and duplicate filter are switched on only there, never by these.
REDIS_URL = os.environ.get("REDIS_URL") or None
NEWSMON_REDIS_PREFIX = os.environ.get("NEWSMON_REDIS_PREFIX") or "newsmon"

# Scrapy checks every callback for a generator that returns a value by parsing its source for each
# response (its cache is keyed by the bound method, made anew for every request): a test checks our
# callbacks once instead (tests/crawlers/test_settings.py).
WARN_ON_GENERATOR_RETURN_VALUE = False

# No listening ports: a crawler is a client only.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = os.environ.get("NEWSMON_LOG_LEVEL", "INFO")
LOG_FORMATTER = "crawlers.logformatter.NewsmonLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

POLITENESS_MODES = ("auto", "config", "off")


def politeness_mode(settings: Any) -> str:
    """The effective politeness mode (``config`` or ``off``) for these settings."""
    mode = str(settings.get("NEWSMON_POLITENESS") or os.environ.get("NEWSMON_POLITENESS") or "auto").lower()
    if mode not in POLITENESS_MODES:
        raise ValueError(f"NEWSMON_POLITENESS must be one of {', '.join(POLITENESS_MODES)}, not {mode!r}")
    if mode == "auto":
        return "off" if settings.get("NEWSMON_MIRROR_URL") else "config"
    return mode


def apply_source_politeness(settings: Any, source_id: str) -> None:
    """Set delay, per-host concurrency and AutoThrottle for one source (spider priority, so
    ``-s`` on the command line still wins)."""
    source = next((s for s in load_sources().sources if s.id == source_id), None)
    if source is None:
        return
    if politeness_mode(settings) == "off":
        values: dict[str, Any] = {
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "NEWSMON_RETRY_BACKOFF_S": 0.0,
        }
    else:
        delay = source.politeness.download_delay_s
        values = {
            "DOWNLOAD_DELAY": delay,
            "AUTOTHROTTLE_ENABLED": True,
            "AUTOTHROTTLE_START_DELAY": max(delay, 0.5),
            "CONCURRENT_REQUESTS_PER_DOMAIN": source.politeness.concurrency_per_host,
            "AUTOTHROTTLE_TARGET_CONCURRENCY": float(source.politeness.concurrency_per_host),
        }
    for name, value in values.items():
        settings.set(name, value, priority="spider")
