"""Leased requests: who a worker is, its heartbeat, and requests taken from the Redis queue under
a lease that goes back to the queue when its worker dies (see :mod:`crawlers.distributed`).

Also the duplicate filter all workers share, which keys article requests by canonical URL so an
article is requested once per run whichever worker finds it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator

import redis
from scrapy import Request
from scrapy_redis import picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

logger = logging.getLogger(__name__)

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


# --- identity and heartbeat ---------------------------------------------------------------------

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
"""This process's worker id (host, pid and a random part: pids are reused)."""


def worker_id() -> str:
    return WORKER_ID


def lease_owner(lease: str) -> str:
    """The worker id of a lease id ``<worker id>|<n>``."""
    return lease.rsplit("|", 1)[0]


def worker_key(prefix: str, worker: str) -> str:
    return f"{prefix}:workers:{worker}"


def worker_alive(server: redis.Redis, prefix: str, worker: str | None) -> bool:
    """Whether ``worker``'s heartbeat is still there."""
    if not worker:
        return False
    return bool(server.exists(worker_key(prefix, worker)))


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


def as_text(value: bytes | str) -> str:
    """A Redis reply as text (newsmon's connections answer bytes)."""
    return value.decode() if isinstance(value, bytes) else value


def _as_bytes(value: bytes | str) -> bytes:
    return value.encode() if isinstance(value, str) else value


# --- giving leases back --------------------------------------------------------------------------


def requeue_lease(
    server: redis.Redis, leases_key: str, queue_key: str, lease: str, value: bytes | str, mark: bool = True
) -> bool:
    """Put a leased request back into the queue (marked as re-queued); False when the lease
    is gone already (released, or re-queued by another worker)."""
    score, _, data = _as_bytes(value).partition(b"\n")
    if mark:
        try:
            obj = picklecompat.loads(data)
            obj.setdefault("meta", {})[REQUEUED_META] = True
            data = picklecompat.dumps(obj)
        except Exception:  # an undecodable request goes back as it was
            logger.exception("could not mark a re-queued request")
    return bool(server.eval(_REQUEUE, 2, leases_key, queue_key, lease, value, score, data))


def requeue_dead_leases(
    server: redis.Redis, prefix: str, leases_key: str, queue_key: str, source_id: str
) -> int:
    """Re-queue the leases of workers whose heartbeat has expired; returns how many."""
    fields = [as_text(key) for key in server.hkeys(leases_key)]
    if not fields:
        return 0
    dead = {owner for owner in {lease_owner(f) for f in fields} if not worker_alive(server, prefix, owner)}
    moved = 0
    for lease in fields:
        if lease_owner(lease) not in dead:
            continue
        value = server.hget(leases_key, lease)
        if value is not None and requeue_lease(server, leases_key, queue_key, lease, value):
            moved += 1
    if moved:
        logger.warning(
            "%s: re-queued %d requests of stopped workers %s", source_id, moved, ", ".join(sorted(dead))
        )
    return moved


# --- the shared duplicate filter and the leased queue (scrapy-redis components) ------------------


def claim_fingerprint(canonical: str) -> str:
    """Duplicate-filter fingerprint of an article by canonical URL (never equal to a request
    fingerprint, which hashes a JSON object)."""
    return hashlib.sha1(f"article {canonical}".encode()).hexdigest()


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
