"""The scheduler of distributed crawling: scrapy-redis's scheduler with leases, and the end of a
run decided when a worker's engine is idle (see :mod:`crawlers.distributed`)."""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Iterator
from itertools import count
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy_redis.scheduler import Scheduler

from crawlers.distributed.control import RunControl
from crawlers.distributed.leases import CLAIM_META, CLAIMED_META, REQUEUED_META, WORKER_ID, Heartbeat
from crawlers.distributed.settings import (
    DEFAULT_IDLE_TIMEOUT_S,
    DEFAULT_LEASE_TTL_S,
    DEFAULT_POLL_INTERVAL_S,
    DEFAULT_PREFIX,
    MODES,
)

logger = logging.getLogger(__name__)


class LeasedScheduler(Scheduler):
    """The scrapy-redis scheduler (Redis queue + duplicate filter, persisted) with leases.

    ``NEWSMON_DISTRIBUTED = "seed"``: requests go into Redis, none is taken out (the spider
    closes once its start requests are queued). ``"work"``: requests are taken from Redis under
    a lease, at most ``NEWSMON_MAX_IN_FLIGHT`` at a time per source, so idle workers find work.
    """

    crawler: Any
    mode: str
    prefix: str
    redis_url: str
    lease_ttl_s: float
    idle_timeout_s: float
    poll_interval_s: float
    max_in_flight: int
    in_flight: dict[Request, str]
    """Requests taken from Redis and not done yet, with their lease ids."""
    _seq: Iterator[int]
    _idle_since: float
    _last_requeue: float
    heartbeat: Heartbeat | None
    control: RunControl

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeasedScheduler:
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            # Before scrapy-redis connects: it would fall back to a Redis on localhost.
            raise ValueError("distributed crawling needs REDIS_URL (the Redis the workers share)")
        instance: LeasedScheduler = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.mode = settings.get("NEWSMON_DISTRIBUTED") or "work"
        if instance.mode not in MODES:
            raise ValueError(f"NEWSMON_DISTRIBUTED must be seed or work, not {instance.mode!r}")
        instance.prefix = settings.get("NEWSMON_REDIS_PREFIX") or DEFAULT_PREFIX
        instance.redis_url = settings.get("REDIS_URL")
        instance.lease_ttl_s = settings.getfloat("NEWSMON_LEASE_TTL_S", DEFAULT_LEASE_TTL_S)
        instance.idle_timeout_s = settings.getfloat("NEWSMON_IDLE_TIMEOUT_S", DEFAULT_IDLE_TIMEOUT_S)
        instance.poll_interval_s = settings.getfloat("NEWSMON_POLL_INTERVAL_S", DEFAULT_POLL_INTERVAL_S)
        instance.max_in_flight = settings.getint("NEWSMON_MAX_IN_FLIGHT") or max(
            1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 8)
        )
        instance.in_flight = {}
        instance._seq = count(1)
        instance._idle_since = time.monotonic()
        instance._last_requeue = 0.0
        instance.heartbeat = None
        return instance

    # --- life cycle ----------------------------------------------------------------------------

    def open(self, spider: Any) -> None:
        with warnings.catch_warnings():
            # scrapy-redis announces a resumed queue through the deprecated Spider.log().
            warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated")
            super().open(spider)
        self.control = RunControl(self.server, self.prefix, spider.name)
        self.heartbeat = Heartbeat.acquire(self.redis_url, self.prefix, self.lease_ttl_s)
        engine = self.crawler.engine
        # An idle engine asks the scheduler again every heartbeat (5 s by default): other
        # workers' listings feed this queue, so ask more often.
        engine._SLOT_HEARTBEAT_INTERVAL = self.poll_interval_s
        slot = getattr(engine, "_slot", None)
        if slot is None or not callable(getattr(slot, "remove_request", None)):
            raise RuntimeError("distributed crawling needs Scrapy's engine slot (Scrapy 2.13–2.x)")
        done = slot.remove_request

        def remove_request(request: Request) -> None:
            # Scrapy is done with the request: its callback output is queued or stored.
            try:
                self.request_done(request)
            except Exception:  # the engine must forget the request all the same
                logger.exception("could not release the lease of %s", request.url)
            finally:
                done(request)

        slot.remove_request = remove_request
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        if self.mode == "work":
            self.control.requeue_dead()

    def close(self, reason: str) -> None:
        try:
            for request, lease in list(self.in_flight.items()):
                # Not finished (a forced stop): back into the queue now, not after the TTL.
                value = self.server.hget(self.control.leases_key, lease)
                if value is not None:
                    self.control.requeue(lease, value, mark=True)
                self.in_flight.pop(request, None)
        finally:
            if self.heartbeat is not None:
                self.heartbeat.release()
                self.heartbeat = None
            super().close(reason)

    # --- queue ---------------------------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        fingerprint = ""
        first = not request.meta.get(CLAIMED_META)
        if (not request.dont_filter or request.meta.get(CLAIM_META)) and first:
            fingerprint = self.df.request_fingerprint(request)
        request.meta[CLAIMED_META] = True
        if not self.queue.push_unseen(request, fingerprint, self.df.key):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self.mode == "seed":
            return None
        now = time.monotonic()
        if now - self._last_requeue > self.lease_ttl_s / 2:
            self._last_requeue = now
            self.control.requeue_dead()
        spider = self.spider
        if not spider.attached() and not spider.attach():
            return None
        if len(self.in_flight) >= self.max_in_flight:
            return None
        while True:
            lease = f"{WORKER_ID}|{next(self._seq)}"
            request = self.queue.pop_leased(
                lease, self.control.leases_key, self.control.run_key, spider.book.run_id
            )
            if request is None:
                return None
            if spider.redundant(request):
                self.server.hdel(self.control.leases_key, lease)
                if self.stats:
                    self.stats.inc_value("newsmon/distributed/requeued_known")
                continue
            self.in_flight[request] = lease
            self._idle_since = now
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
                if request.meta.get(REQUEUED_META):
                    self.stats.inc_value("newsmon/distributed/requeued_taken")
            return request

    def has_pending_requests(self) -> bool:
        return self.mode == "work" and len(self) > 0

    def request_done(self, request: Request) -> None:
        lease = self.in_flight.pop(request, None)
        if lease is None:
            return
        if not self.in_flight:
            # Counters first: once no lease is left the run may be finished from its row.
            self.spider.book.flush_pages()
        self.server.hdel(self.control.leases_key, lease)

    # --- idle: wait, finish the run, or stop ---------------------------------------------------

    def spider_idle(self, spider: Any) -> None:
        """The engine has nothing to do: take over dead workers' leases, finish the run when it is
        complete (one worker does), stop when it is finished or when nothing at all happened in
        the source's queue for ``NEWSMON_IDLE_TIMEOUT_S``; otherwise keep waiting."""
        if spider is not self.spider or self.mode == "seed":
            return
        self.control.requeue_dead()
        now = time.monotonic()
        if not spider.attached():
            if spider.attach():
                self._idle_since = now
                raise DontCloseSpider
        else:
            record = self.control.record()
            if record is None or record.run_id != spider.book.run_id:
                raise CloseSpider("finished")  # another worker finished the run
            finishing = False
            if record.state == "running":
                finishing = self.control.try_finish(WORKER_ID)
            elif record.state == "finishing":
                finishing = self.control.take_over_finishing(record, WORKER_ID)
            if finishing:
                spider.finish_run()
                self.control.clear()
                logger.info("%s: crawl run %s finished", spider.name, record.run_id)
                raise CloseSpider("finished")
            if self.control.queued() or self.control.leased():
                self._idle_since = now  # other workers are still busy: wait for them
        if now - self._idle_since >= self.idle_timeout_s:
            logger.info("%s: nothing to do for %.0f s, stopping", spider.name, self.idle_timeout_s)
            raise CloseSpider("idle")
        raise DontCloseSpider
