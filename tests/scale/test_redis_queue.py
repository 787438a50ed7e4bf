"""The Redis side of distributed crawling against the running Redis: seeding once per run, the
shared duplicate filter keyed by canonical URL, leases and their return from dead workers, and
the one worker that finishes a run."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy_redis import picklecompat

from crawlers.distributed.control import RunControl
from crawlers.distributed.leases import (
    CLAIM_META,
    CLAIMED_META,
    REQUEUED_META,
    CanonicalDupeFilter,
    Heartbeat,
    LeasedPriorityQueue,
    SharedScheduled,
    claim_fingerprint,
    worker_key,
)

pytestmark = pytest.mark.redis

SOURCE = "polisia_kz"


def control_for(server, prefix: str) -> RunControl:
    return RunControl(server, prefix, SOURCE)


def queue_for(server, control: RunControl) -> LeasedPriorityQueue:
    return LeasedPriorityQueue(server, SimpleNamespace(name=SOURCE), control.queue_key)


def alive(server, prefix: str, worker: str) -> None:
    server.set(worker_key(prefix, worker), "1", px=60_000)


def test_a_run_is_seeded_once_and_taken_over_only_from_a_dead_seeder(redis_server, redis_prefix):
    control = control_for(redis_server, redis_prefix)
    alive(redis_server, redis_prefix, "seeder-a")
    first = control.claim_seeding("seeder-a")
    assert first is not None and first.state == "seeding" and first.seeder == "seeder-a"
    control.publish(7, {"since": None}, {"channels": {}})

    assert control.claim_seeding("seeder-b") is None, "a second seeder must not seed the same run"

    redis_server.delete(worker_key(redis_prefix, "seeder-a"))  # seeder-a died while seeding
    taken = control.claim_seeding("seeder-b")
    assert taken is not None and taken.seeder == "seeder-b" and taken.run_id == 7

    control.mark_running()
    assert control.claim_seeding("seeder-c") is None, "a running run is never seeded again"
    control.clear()
    assert control.claim_seeding("seeder-c") is not None, "a finished run makes room for the next"


def test_an_article_is_queued_once_per_run_whichever_listing_names_it(redis_server, redis_prefix):
    control = control_for(redis_server, redis_prefix)
    queue = queue_for(redis_server, control)
    dupefilter = CanonicalDupeFilter(redis_server, control.dupefilter_key)
    spellings = ["https://polisia.kz/ru/a-story/", "https://polisia.kz/ru/a-story?utm_source=x"]
    pushed = []
    for url in spellings:
        request = Request(url, dont_filter=True, meta={CLAIM_META: "https://polisia.kz/ru/a-story"})
        pushed.append(queue.push_unseen(request, dupefilter.request_fingerprint(request), dupefilter.key))
    assert pushed == [True, False]
    assert len(queue) == 1

    # Once claimed, its retries and redirects are queued again, not filtered as seen.
    retry = Request(
        spellings[0], dont_filter=True, meta={CLAIM_META: "x", CLAIMED_META: True, "retry_times": 1}
    )
    assert queue.push_unseen(retry, "", dupefilter.key)

    # Other workers see the claim through the spider's "scheduled" set.
    scheduled = SharedScheduled(redis_server, control.dupefilter_key)
    assert "https://polisia.kz/ru/a-story" in scheduled
    assert "https://polisia.kz/ru/another-story" not in scheduled
    assert redis_server.sismember(control.dupefilter_key, claim_fingerprint("https://polisia.kz/ru/a-story"))


def test_listing_requests_use_the_scrapy_redis_fingerprint(redis_server, redis_prefix):
    control = control_for(redis_server, redis_prefix)
    queue = queue_for(redis_server, control)
    dupefilter = CanonicalDupeFilter(redis_server, control.dupefilter_key)
    results = []
    for url in (
        "https://polisia.kz/ru/page/2/",
        "https://polisia.kz/ru/page/2/",
        "https://polisia.kz/ru/page/3/",
    ):
        request = Request(url)
        results.append(queue.push_unseen(request, dupefilter.request_fingerprint(request), dupefilter.key))
    assert results == [True, False, True]


def test_a_popped_request_is_leased_and_a_dead_workers_leases_go_back(redis_server, redis_prefix):
    control = control_for(redis_server, redis_prefix)
    queue = queue_for(redis_server, control)
    control.server.hset(control.run_key, mapping={"state": "running", "run_id": "3"})
    for number in range(3):
        queue.push_unseen(
            Request(f"https://polisia.kz/ru/{number}/", priority=number), "", control.dupefilter_key
        )

    assert queue.pop_leased("w-other|1", control.leases_key, control.run_key, 4) is None, (
        "another run's worker"
    )
    alive(redis_server, redis_prefix, "w-live")
    taken = queue.pop_leased("w-dead|1", control.leases_key, control.run_key, 3)
    kept = queue.pop_leased("w-live|1", control.leases_key, control.run_key, 3)
    assert taken.url == "https://polisia.kz/ru/2/", "highest priority first"
    assert kept.url == "https://polisia.kz/ru/1/"
    assert len(queue) == 1 and control.leased() == 2

    assert control.requeue_dead() == 1
    assert control.leased() == 1 and len(queue) == 2
    assert control.requeue_dead() == 0, "a lease goes back once"
    back = queue.pop_leased("w-live|2", control.leases_key, control.run_key, 3)
    assert back.url == "https://polisia.kz/ru/2/" and back.meta[REQUEUED_META] is True
    value = redis_server.hget(control.leases_key, "w-live|2")
    assert picklecompat.loads(value.partition(b"\n")[2])["url"] == back.url


def test_exactly_one_worker_finishes_a_complete_run(redis_server, redis_prefix):
    control = control_for(redis_server, redis_prefix)
    queue = queue_for(redis_server, control)
    control.server.hset(control.run_key, mapping={"state": "seeding", "run_id": "5"})
    assert not control.try_finish("w1"), "not while seeding"
    control.mark_running()
    queue.push_unseen(Request("https://polisia.kz/ru/"), "", control.dupefilter_key)
    assert not control.try_finish("w1"), "not while requests are queued"
    queue.pop_leased("w2|1", control.leases_key, control.run_key, 5)
    assert not control.try_finish("w1"), "not while a request is in progress"
    redis_server.hdel(control.leases_key, "w2|1")
    assert [control.try_finish(w) for w in ("w1", "w2", "w3")] == [True, False, False]
    record = control.record()
    assert record.state == "finishing" and record.finisher == "w1"
    # The finisher died: a live worker takes the finishing over.
    assert control.take_over_finishing(record, "w2")
    assert control.record().finisher == "w2"


def test_the_heartbeat_lives_with_the_process(redis_server, redis_url, redis_prefix):
    beat = Heartbeat.acquire(redis_url, redis_prefix, 2.0)
    try:
        assert redis_server.exists(beat.key)
        assert 0 < redis_server.pttl(beat.key) <= 2000
    finally:
        beat.release()
    assert not redis_server.exists(beat.key)


def test_the_leased_scheduler_without_a_redis_url_says_it_needs_one():
    from scrapy.utils.test import get_crawler

    from crawlers.distributed.scheduler import LeasedScheduler
    from crawlers.distributed.settings import distributed_settings

    settings = distributed_settings("work", "redis://127.0.0.1:6379/0")
    del settings["REDIS_URL"]  # scrapy-redis itself would fall back to localhost
    crawler = get_crawler(settings_dict=settings)
    with pytest.raises(ValueError, match="distributed crawling needs REDIS_URL"):
        LeasedScheduler.from_crawler(crawler)
