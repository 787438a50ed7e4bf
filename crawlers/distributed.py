"""Distributed crawling: any number of worker processes share each source's crawl through Redis.

Built on scrapy-redis (the request queue and the duplicate filter live in Redis, persisted) and
on PostgreSQL (every worker writes the same database through :mod:`storage.repository`, whose
upserts are race-free). ``newsmon crawl --distributed`` *seeds* a crawl run; ``newsmon worker``
processes *work* on it. See ``docs/deployment.md`` for the design in prose.

Redis keys, all below ``<prefix>:`` (``NEWSMON_REDIS_PREFIX``, default ``newsmon``):

``<source>:run`` (hash)
    The source's current crawl run: ``state`` (``seeding`` → ``running`` → ``finishing``),
    ``run_id`` (the ``crawl_runs`` row every worker counts into), ``options`` (since, until,
    refetch, discovery: JSON), ``state_before`` (the source's crawl state before the run, JSON:
    high-water marks), ``seeder``/``finisher`` (worker ids). Created with ``HSETNX state`` by
    exactly one seeder; deleted when the run is finished.
``<source>:requests`` (sorted set)
    scrapy-redis's priority queue of serialized requests.
``<source>:dupefilter`` (set)
    scrapy-redis's duplicate filter: request fingerprints, and for articles the fingerprint of
    the canonical URL (:func:`claim_fingerprint`), so an article is requested once per run
    whichever worker finds it on whichever listing.
``<source>:leases`` (hash)
    Requests popped by a worker and not finished yet: ``<worker id>|<n>`` → ``<score>\\n<request>``.
``workers:<worker id>`` (string with a TTL)
    A worker's heartbeat, refreshed by a thread while the process lives.

**Leases.** Plain scrapy-redis loses a request popped by a worker that dies. Here the pop moves
the request from the queue into the lease hash in one Lua script, and the lease is released only
when Scrapy is completely done with the request: its response went through the callback (or its
failure through the errback), every item it produced went through the item pipelines (stored),
and every request it produced is in the Redis queue (Scrapy's engine removes the request from its
in-progress set exactly then). Leases of a worker whose heartbeat expired are put back into the
queue (marked as re-queued) by any live worker; a re-queued article that is already stored is not
fetched again. Child requests are pushed atomically with their duplicate-filter entry (one Lua
script), so a kill between the two cannot lose an article.

**End of a run.** A worker whose engine is idle checks the run: when the queue is empty, no
request is leased and seeding has completed, the run is complete. One worker wins the
``running`` → ``finishing`` transition (Lua), finishes the ``crawl_runs`` row and deletes the
run's keys; every worker attached to the run then stops. A worker that finds no run waits
``--idle-timeout`` seconds for one before it stops.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from typing import TYPE_CHECKING, Any

import redis
from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from sqlalchemy.exc import SQLAlchemyError

from core.urls import InvalidURL, canonical_url
from crawlers.runs import RunBook
from storage import repository
from storage.db import DatabaseUnavailable, session_scope
from storage.models import CrawlRun

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "newsmon"
DEFAULT_IDLE_TIMEOUT_S = 60.0
DEFAULT_LEASE_TTL_S = 30.0
DEFAULT_POLL_INTERVAL_S = 0.25
MODES = ("seed", "work")

CLAIM_META = "nm_claim"
"""Meta key of an article request: its canonical URL, deduplicated across workers."""
CLAIMED_META = "nm_claimed"
"""Set once a request went through the duplicate filter: its retries and redirects are not
filtered again (they would be "seen")."""
REQUEUED_META = "nm_requeued"
"""Set on a request put back from the lease of a dead worker."""

_ENQUEUE = """
if ARGV[1] ~= '' then
  if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""
"""KEYS: dupefilter, queue. ARGV: fingerprint ('' = do not filter), score, request."""

_POP_LEASED = """
if ARGV[2] ~= '' and redis.call('HGET', KEYS[3], 'run_id') ~= ARGV[2] then return false end
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return false end
redis.call('ZREM', KEYS[1], top[1])
redis.call('HSET', KEYS[2], ARGV[1], top[2] .. '\\n' .. top[1])
return top[1]
"""
"""KEYS: queue, leases, run. ARGV: lease id, run id the worker works for ('' = any)."""

_REQUEUE = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1
"""
"""KEYS: leases, queue. ARGV: lease id, its current value, score, request to queue."""

_TRY_FINISH = """
if redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
if redis.call('HLEN', KEYS[3]) > 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'finishing', 'finisher', ARGV[1])
return 1
"""
"""KEYS: run, queue, leases. ARGV: worker id. 1 when this worker is to finish the run."""

_CLAIM = """
if redis.call('HSETNX', KEYS[1], 'state', 'seeding') == 0 then return 0 end
redis.call('HSET', KEYS[1], 'seeder', ARGV[1])
return 1
"""
"""KEYS: run. ARGV: worker id. 1 when this worker is to seed a new run."""

_TAKE_OVER = """
if redis.call('HGET', KEYS[1], 'state') ~= ARGV[1] then return 0 end
if redis.call('HGET', KEYS[1], ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
return 1
"""
"""KEYS: run. ARGV: expected state, owner field, dead owner, new owner."""


# --- identity and heartbeat ---------------------------------------------------------------------

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
"""This process's worker id (host, pid and a random part: pids are reused)."""


def worker_id() -> str:
    return WORKER_ID


def lease_owner(lease: str) -> str:
    """The worker id of a lease id ``<worker id>|<n>``."""
    return lease.rsplit("|", 1)[0]


class Heartbeat:
    """Keeps ``<prefix>:workers:<worker id>`` alive (a key with a TTL) from a daemon thread while
    this process lives: a killed process stops refreshing it, and other workers take its leases
    back once it has expired. A thread, not the reactor, so a long CPU-bound step (tagging,
    loading models) is not mistaken for a death."""

    _lock = threading.Lock()
    _instances: dict[tuple[str, str], Heartbeat] = {}

    def __init__(self, redis_url: str, key: str, ttl_s: float) -> None:
        self.server = redis.Redis.from_url(redis_url, socket_timeout=10, socket_connect_timeout=10)
        self.key = key
        self.ttl_ms = max(int(ttl_s * 1000), 1000)
        self.users = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def acquire(cls, redis_url: str, prefix: str, ttl_s: float) -> Heartbeat:
        """The process's heartbeat for ``prefix`` (started on first use, shared by all spiders)."""
        with cls._lock:
            key = (redis_url, prefix)
            beat = cls._instances.get(key)
            if beat is None:
                beat = cls._instances[key] = Heartbeat(redis_url, worker_key(prefix, WORKER_ID), ttl_s)
            beat.users += 1
            if beat._thread is None:
                beat.beat()  # alive before the first lease is taken
                beat._stop.clear()
                beat._thread = threading.Thread(target=beat._run, name="newsmon-heartbeat", daemon=True)
                beat._thread.start()
            return beat

    def release(self) -> None:
        with self._lock:
            self.users -= 1
            if self.users > 0 or self._thread is None:
                return
            self._stop.set()
            self._thread.join(timeout=5)
            self._thread = None
            try:
                self.server.delete(self.key)
            except redis.RedisError:
                logger.warning("could not remove the heartbeat %s", self.key)

    def beat(self) -> None:
        self.server.set(self.key, str(time.time()), px=self.ttl_ms)

    def _run(self) -> None:
        interval = self.ttl_ms / 1000 / 3
        while not self._stop.wait(interval):
            try:
                self.beat()
            except redis.RedisError:
                logger.warning("heartbeat: Redis did not answer; retrying", exc_info=True)


def worker_key(prefix: str, worker: str) -> str:
    return f"{prefix}:workers:{worker}"


def _text(value: bytes | str) -> str:
    """A Redis reply as text (newsmon's connections answer bytes)."""
    return value.decode() if isinstance(value, bytes) else value


def _bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


def claim_fingerprint(canonical: str) -> str:
    """Duplicate-filter fingerprint of an article by canonical URL (never equal to a request
    fingerprint, which hashes a JSON object)."""
    return hashlib.sha1(f"article {canonical}".encode()).hexdigest()


# --- the run record -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RunRecord:
    state: str
    run_id: int | None
    options: dict[str, Any]
    state_before: dict[str, Any]
    seeder: str | None
    finisher: str | None


class RunControl:
    """The Redis side of one source's distributed crawl run (keys, record, life cycle)."""

    def __init__(self, server: redis.Redis, prefix: str, source_id: str) -> None:
        self.server = server
        self.prefix = prefix
        self.source_id = source_id
        base = f"{prefix}:{source_id}"
        self.run_key = f"{base}:run"
        self.queue_key = f"{base}:requests"
        self.dupefilter_key = f"{base}:dupefilter"
        self.leases_key = f"{base}:leases"

    # --- reading -------------------------------------------------------------------------------

    def record(self) -> RunRecord | None:
        raw = {_text(k): _text(v) for k, v in self.server.hgetall(self.run_key).items()}
        if not raw.get("state"):
            return None
        return RunRecord(
            state=raw["state"],
            run_id=int(raw["run_id"]) if raw.get("run_id") else None,
            options=json.loads(raw.get("options") or "{}"),
            state_before=json.loads(raw.get("state_before") or "{}"),
            seeder=raw.get("seeder"),
            finisher=raw.get("finisher"),
        )

    def queued(self) -> int:
        return int(self.server.zcard(self.queue_key))

    def leased(self) -> int:
        return int(self.server.hlen(self.leases_key))

    def alive(self, worker: str | None) -> bool:
        if not worker:
            return False
        return bool(self.server.exists(worker_key(self.prefix, worker)))

    # --- seeding -------------------------------------------------------------------------------

    def claim_seeding(self, worker: str) -> RunRecord | None:
        """Become the seeder of a new run (None: a run exists and its seeder is alive). A run
        whose seeder died while seeding is taken over (the record keeps its run id)."""
        if self.server.eval(_CLAIM, 1, self.run_key, worker):
            return self.record()
        record = self.record()
        if record is None:  # finished in between
            return self.record() if self.server.eval(_CLAIM, 1, self.run_key, worker) else None
        if record.state == "seeding" and not self.alive(record.seeder):
            if self.server.eval(
                _TAKE_OVER, 1, self.run_key, "seeding", "seeder", record.seeder or "", worker
            ):
                logger.warning(
                    "%s: seeder %s died while seeding run %s; seeding it again",
                    self.source_id,
                    record.seeder,
                    record.run_id,
                )
                return self.record()
        return None

    def publish(self, run_id: int, options: dict[str, Any], state_before: dict[str, Any]) -> None:
        self.server.hset(
            self.run_key,
            mapping={
                "run_id": str(run_id),
                "options": json.dumps(options),
                "state_before": json.dumps(state_before),
                "seeded_at": str(time.time()),
            },
        )

    def mark_running(self) -> None:
        self.server.hset(self.run_key, mapping={"state": "running", "running_at": str(time.time())})

    # --- finishing -----------------------------------------------------------------------------

    def try_finish(self, worker: str) -> bool:
        """Whether the run is complete and this worker is to finish it (exactly one is)."""
        return bool(self.server.eval(_TRY_FINISH, 3, self.run_key, self.queue_key, self.leases_key, worker))

    def take_over_finishing(self, record: RunRecord, worker: str) -> bool:
        if record.state != "finishing" or self.alive(record.finisher):
            return False
        return bool(
            self.server.eval(
                _TAKE_OVER, 1, self.run_key, "finishing", "finisher", record.finisher or "", worker
            )
        )

    def clear(self) -> None:
        """Delete the run: its record, queue, duplicate filter and leases (the next run starts afresh)."""
        self.server.delete(self.run_key, self.queue_key, self.dupefilter_key, self.leases_key)

    # --- leases --------------------------------------------------------------------------------

    def requeue(self, lease: str, value: bytes | str, mark: bool = True) -> bool:
        """Put a leased request back into the queue (marked as re-queued); False when the lease
        is gone already (released, or re-queued by another worker)."""
        score, _, data = _bytes(value).partition(b"\n")
        if mark:
            try:
                obj = picklecompat.loads(data)
                obj.setdefault("meta", {})[REQUEUED_META] = True
                data = picklecompat.dumps(obj)
            except Exception:  # an undecodable request goes back as it was
                logger.exception("could not mark a re-queued request")
        return bool(self.server.eval(_REQUEUE, 2, self.leases_key, self.queue_key, lease, value, score, data))

    def requeue_dead(self) -> int:
        """Re-queue the leases of workers whose heartbeat has expired; returns how many."""
        fields = [_text(key) for key in self.server.hkeys(self.leases_key)]
        if not fields:
            return 0
        dead = {owner for owner in {lease_owner(f) for f in fields} if not self.alive(owner)}
        moved = 0
        for lease in fields:
            if lease_owner(lease) not in dead:
                continue
            value = self.server.hget(self.leases_key, lease)
            if value is not None and self.requeue(lease, value):
                moved += 1
        if moved:
            logger.warning(
                "%s: re-queued %d requests of stopped workers %s",
                self.source_id,
                moved,
                ", ".join(sorted(dead)),
            )
        return moved


# --- scrapy-redis components --------------------------------------------------------------------


class CanonicalDupeFilter(RFPDupeFilter):
    """scrapy-redis's Redis duplicate filter; article requests are keyed by canonical URL."""

    def request_fingerprint(self, request: Request) -> str:
        claim = request.meta.get(CLAIM_META)
        if claim and not request.meta.get(CLAIMED_META):
            return claim_fingerprint(claim)
        return super().request_fingerprint(request)


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue with an atomic "pop into a lease" and an atomic
    "filter and push"."""

    def push_unseen(self, request: Request, fingerprint: str, dupefilter_key: str) -> bool:
        data = self._encode_request(request)
        return bool(
            self.server.eval(_ENQUEUE, 2, dupefilter_key, self.key, fingerprint, -request.priority, data)
        )

    def pop_leased(self, lease: str, leases_key: str, run_key: str, run_id: int | None) -> Request | None:
        data = self.server.eval(
            _POP_LEASED, 3, self.key, leases_key, run_key, lease, "" if run_id is None else str(run_id)
        )
        return self._decode_request(data) if data else None


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


# --- spiders ------------------------------------------------------------------------------------


class SharedScheduled:
    """The spider's "already scheduled in this crawl" set, shared by all workers: this worker's
    own keys, else the article fingerprints in the Redis duplicate filter."""

    def __init__(self, server: redis.Redis, dupefilter_key: str) -> None:
        self.server = server
        self.key = dupefilter_key
        self.local: set[str] = set()

    def __contains__(self, key: object) -> bool:
        if key in self.local:
            return True
        return isinstance(key, str) and bool(self.server.sismember(self.key, claim_fingerprint(key)))

    def add(self, key: str) -> None:
        self.local.add(key)

    def __len__(self) -> int:
        return len(self.local)

    def __iter__(self) -> Iterator[str]:
        return iter(self.local)


class SharedRunBook(RunBook):
    """The bookkeeping of one worker's share of a run: it joins the run the seeder started,
    merges crawl state instead of overwriting it, and never finishes the run row itself."""

    pages_total = 0

    def attach(self, run_id: int, state: dict[str, Any]) -> None:
        self.run_id = run_id
        self.state = json.loads(json.dumps(state))
        with session_scope(self.database_url) as session:
            self._known = repository.canonical_urls_of_source(session, self.source_id)

    def page(self) -> None:
        self.pages_total += 1
        super().page()

    def merge_state(
        self, *, channels: dict[str, Any] | None = None, walk: dict[str, int] | None = None
    ) -> None:
        if self.run_id is None or self.dry:
            return
        try:
            with session_scope(self.database_url) as session:
                repository.merge_crawl_state(session, self.source_id, channels=channels, walk=walk)
        except (SQLAlchemyError, DatabaseUnavailable):
            logger.exception("could not save the crawl state of %s", self.source_id)

    def close(self, status: str, message: str | None = None) -> None:
        self.flush_pages()

    def finish(self) -> None:
        """Finish the run row from what all workers counted into it."""
        if self.run_id is None:
            return
        self.flush_pages()
        with session_scope(self.database_url) as session:
            run = session.get(CrawlRun, self.run_id)
            if run is None or run.status != "running":
                return
            if run.pages_fetched == 0:
                status, message = "failed", "no page could be fetched"
            else:
                status, message = "finished", None
            errors = ", ".join(f"{k} {v}" for k, v in sorted((run.errors_by_kind or {}).items()))
            if errors:
                message = f"{message + '; ' if message else ''}errors: {errors}"
            repository.finish_run(session, self.run_id, status=status, message=message)


class DistributedSpider:
    """Mixed into a :class:`crawlers.base.NewsSpider` subclass for ``newsmon crawl
    --distributed`` (mode ``seed``) and ``newsmon worker`` (mode ``work``)."""

    distributed_mode: str = "work"
    control: RunControl
    seed_report: dict[str, Any]

    if TYPE_CHECKING:  # what the NewsSpider it is mixed into provides
        name: str
        book: SharedRunBook

        @property
        def backfill(self) -> bool: ...

        def channel_state(self, channel: Any) -> dict[str, Any]: ...

        def start_requests_for_channels(self) -> Iterator[Request]: ...

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        settings = crawler.settings
        spider.distributed_mode = settings.get("NEWSMON_DISTRIBUTED") or "work"
        old = spider.book
        spider.book = SharedRunBook(
            spider.name, database_url=old.database_url, trigger=old.trigger, options=old.options, dry=old.dry
        )
        from scrapy_redis.connection import get_redis_from_settings

        server = get_redis_from_settings(settings)
        spider.control = RunControl(
            server, settings.get("NEWSMON_REDIS_PREFIX") or DEFAULT_PREFIX, spider.name
        )
        spider.scheduled = SharedScheduled(server, spider.control.dupefilter_key)
        spider.seed_report = {}
        spider._attached = False
        return spider

    # --- seeding (newsmon crawl --distributed) -------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        if self.distributed_mode == "seed":
            for request in self.seed_requests():
                yield request
            if self.seed_report.get("seeded"):
                self.control.mark_running()
            return
        self.attach()  # or later, once a run is seeded

    def seed_requests(self) -> list[Request]:
        """Open the run (once per run: the ``HSETNX`` on the record decides) and list its start
        requests; they are pushed into Redis as they are yielded."""
        record = self.control.claim_seeding(WORKER_ID)
        if record is None:
            current = self.control.record()
            self.seed_report = {
                "seeded": False,
                "run_id": current.run_id if current else None,
                "state": current.state if current else None,
                "queued": self.control.queued(),
                "leased": self.control.leased(),
            }
            return []
        book = self.book
        if record.run_id is not None:  # taking over a seeding whose seeder died
            book.attach(record.run_id, record.state_before)
            self.apply_options(record.options)
        else:
            book.open()
            assert book.run_id is not None
            before = json.loads(json.dumps(book.state))
            self.control.publish(book.run_id, self.shared_options(), before)
        self.walk_state = dict(book.state.get("walk", {}))
        self.initial_channels = {k: dict(v) for k, v in book.state.get("channels", {}).items()}
        requests = list(self.start_requests_for_channels())
        # "chain started" marks, saved before any worker can finish a chain.
        book.merge_state(channels=dict(book.state.get("channels", {})))
        self._attached = True
        self.seed_report = {"seeded": True, "run_id": book.run_id, "requests": len(requests)}
        return requests

    def shared_options(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "refetch": self.refetch,
            "discovery": self.discovery,
        }

    def apply_options(self, options: dict[str, Any]) -> None:
        from crawlers.base import _as_bool, _as_date

        self.since = _as_date(options.get("since"), "since")
        self.until = _as_date(options.get("until"), "until")
        self.refetch = _as_bool(options.get("refetch") or False)
        self.discovery = options.get("discovery") or "auto"

    # --- working (newsmon worker) --------------------------------------------------------------

    def attached(self) -> bool:
        return self._attached

    def attach(self) -> bool:
        """Join the source's current run, if one is seeded: its run row, options and the crawl
        state from before it (high-water marks)."""
        if self._attached:
            return True
        record = self.control.record()
        if record is None or record.run_id is None or record.state not in ("seeding", "running"):
            return False
        self.apply_options(record.options)
        self.book.attach(record.run_id, record.state_before)
        self.walk_state = dict(record.state_before.get("walk", {}))
        self.initial_channels = {k: dict(v) for k, v in record.state_before.get("channels", {}).items()}
        self._attached = True
        logger.info("%s: working on crawl run %s", self.name, record.run_id)
        return True

    def article_request(self, entry: Any, channel: Any, **meta: Any) -> Request:
        request = super().article_request(entry, channel, **meta)  # type: ignore[misc]
        try:
            request.meta[CLAIM_META] = canonical_url(entry.url)
        except InvalidURL:
            pass
        return request

    def redundant(self, request: Request) -> bool:
        """A re-queued article (its worker died) that was stored meanwhile is not fetched again."""
        meta = request.meta
        if not meta.get(REQUEUED_META) or meta.get("nm_role") != "article" or meta.get("nm_walk"):
            return False
        if self.refetch:
            return False
        try:
            key = canonical_url(request.url)
        except InvalidURL:
            return False
        return bool(self.book.refresh_known([key]))

    def chain_finished(self, channel: Any, top: datetime | None) -> None:
        super().chain_finished(channel, top)  # type: ignore[misc]
        if self.backfill or self.distributed_mode != "work":
            return
        # Written at once: a worker may die, and its channels are not its own.
        self.book.merge_state(channels={channel.key: self.channel_state(channel)})

    def finish_run(self) -> None:
        self.book.merge_state(walk=self.walk_state)
        self.book.finish()

    def _spider_closed(self, spider: Any, reason: str) -> None:
        if spider is not self or self.book is None or self.book.run_id is None:
            return
        self.book.flush_pages()
        if self.distributed_mode == "work" and self.walk_state:
            self.book.merge_state(walk=self.walk_state)


_CLASSES: dict[type, type] = {}


def distributed_spider(spidercls: type) -> type:
    """``spidercls`` with :class:`DistributedSpider` mixed in (same name, same callbacks)."""
    if issubclass(spidercls, DistributedSpider):
        return spidercls
    if spidercls not in _CLASSES:
        _CLASSES[spidercls] = type(f"Distributed{spidercls.__name__}", (DistributedSpider, spidercls), {})
    return _CLASSES[spidercls]


# --- settings and outcomes ----------------------------------------------------------------------


def check_prefix(prefix: str) -> str:
    if not prefix or any(c in prefix for c in "% \t\n{}"):
        raise ValueError(f"NEWSMON_REDIS_PREFIX must be a plain word like newsmon, not {prefix!r}")
    return prefix


def distributed_settings(
    mode: str,
    redis_url: str,
    *,
    prefix: str = DEFAULT_PREFIX,
    idle_timeout_s: float | None = None,
    lease_ttl_s: float | None = None,
    poll_interval_s: float | None = None,
) -> dict[str, Any]:
    """The Scrapy settings of distributed mode ``seed`` or ``work``."""
    if mode not in MODES:
        raise ValueError(f"distributed mode must be seed or work, not {mode!r}")
    prefix = check_prefix(prefix)
    values: dict[str, Any] = {
        "SCHEDULER": "crawlers.distributed.LeasedScheduler",
        "DUPEFILTER_CLASS": "crawlers.distributed.CanonicalDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "crawlers.distributed.LeasedPriorityQueue",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "REDIS_URL": redis_url,
        "NEWSMON_DISTRIBUTED": mode,
        "NEWSMON_REDIS_PREFIX": prefix,
        # Each page is stored on its own: a lease ends only when its page is stored, and a worker
        # holds a few leases at a time, so pages waiting for a batch would stall its fetching
        # (one worker on the 277-article scale benchmark: 71 → 53 articles/s with batches).
        "NEWSMON_STORE_BATCH_WAIT_S": 0,
    }
    if mode == "seed":
        values["ITEM_PIPELINES"] = {}  # a seeder fetches and stores nothing
    if idle_timeout_s is not None:
        values["NEWSMON_IDLE_TIMEOUT_S"] = idle_timeout_s
    if lease_ttl_s is not None:
        values["NEWSMON_LEASE_TTL_S"] = lease_ttl_s
    if poll_interval_s is not None:
        values["NEWSMON_POLL_INTERVAL_S"] = poll_interval_s
    return values


def outcome(source_id: str, crawler: Any, options: Any) -> Any:
    """What a seeder or a worker did for one source (a :class:`crawlers.process.SourceOutcome`)."""
    from crawlers.process import SourceOutcome

    stats = crawler.stats
    reason = stats.get_value("finish_reason") if stats else None
    spider = crawler.spider
    book = getattr(spider, "book", None)
    if spider is None or book is None:
        return SourceOutcome(source_id, None, "not started", reason, message="the spider did not start")
    if options.distributed == "seed":
        report = spider.seed_report
        if report.get("seeded"):
            return SourceOutcome(
                source_id,
                report["run_id"],
                "seeded",
                reason,
                message=f"{report['requests']} start requests queued",
            )
        if reason not in ("finished", None) or not report:
            return SourceOutcome(source_id, None, "failed", reason, message=f"seeding stopped: {reason}")
        return SourceOutcome(
            source_id,
            report.get("run_id"),
            "already running",
            reason,
            message=f"run {report.get('run_id')} is {report.get('state')}: "
            f"{report.get('queued')} queued, {report.get('leased')} in progress",
        )
    run_status = "idle"
    if book.run_id is not None:
        with session_scope(options.database_url) as session:
            run = session.get(CrawlRun, book.run_id)
            run_status = run.status if run is not None else "?"
    return SourceOutcome(
        source_id=source_id,
        run_id=book.run_id,
        status=run_status,
        finish_reason=reason,
        pages=book.pages_total,
        new=int(stats.get_value("newsmon/articles/new", 0) or 0),
        updated=int(stats.get_value("newsmon/articles/updated", 0) or 0),
        errors=sum(book.errors.values()),
        errors_by_kind=dict(book.errors),
        message=None if book.run_id is not None else "no crawl run was seeded",
    )


def redis_url_from_env() -> str | None:
    return os.environ.get("REDIS_URL") or None


def prefix_from_env() -> str:
    return check_prefix(os.environ.get("NEWSMON_REDIS_PREFIX") or DEFAULT_PREFIX)


def status(redis_url: str, prefix: str, source_ids: list[str]) -> list[dict[str, Any]]:
    """The distributed run of each source as Redis has it (for ``newsmon worker --status``)."""
    server = redis.Redis.from_url(redis_url)
    rows = []
    for source_id in source_ids:
        control = RunControl(server, prefix, source_id)
        record = control.record()
        rows.append(
            {
                "source": source_id,
                "run_id": record.run_id if record else None,
                "state": record.state if record else None,
                "queued": control.queued(),
                "leased": control.leased(),
            }
        )
    return rows
