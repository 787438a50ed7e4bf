"""Run control: the Redis record of one source's distributed crawl run and its life cycle
(``seeding`` → ``running`` → ``finishing`` → deleted), each transition decided by one Lua script so
exactly one worker seeds a run and exactly one finishes it (see :mod:`crawlers.distributed`)."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import redis

from crawlers.distributed.leases import as_text, requeue_dead_leases, requeue_lease, worker_alive

logger = logging.getLogger(__name__)

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
        raw = {as_text(k): as_text(v) for k, v in self.server.hgetall(self.run_key).items()}
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
        return worker_alive(self.server, self.prefix, worker)

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

    # --- leases of the run ---------------------------------------------------------------------

    def requeue(self, lease: str, value: bytes | str, mark: bool = True) -> bool:
        """Put a leased request of this run back into its queue (see :func:`requeue_lease`)."""
        return requeue_lease(self.server, self.leases_key, self.queue_key, lease, value, mark)

    def requeue_dead(self) -> int:
        """Re-queue the leases of workers whose heartbeat has expired; returns how many."""
        return requeue_dead_leases(self.server, self.prefix, self.leases_key, self.queue_key, self.source_id)


def run_status(redis_url: str, prefix: str, source_ids: list[str]) -> list[dict[str, Any]]:
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
