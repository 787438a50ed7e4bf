"""Distributed crawling: any number of worker processes share each source's crawl through Redis.

Built on scrapy-redis (the request queue and the duplicate filter live in Redis, persisted) and
on PostgreSQL (every worker writes the same database through :mod:`storage`, whose upserts are
race-free). ``newsmon crawl --distributed`` *seeds* a crawl run; ``newsmon worker`` processes
*work* on it. See ``docs/deployment.md`` for the design in prose.

The modules, from the bottom up:

- :mod:`.settings`: the Scrapy settings of modes ``seed`` and ``work``, the Redis URL and prefix;
- :mod:`.leases`: worker identity and heartbeat, leased requests, the shared duplicate filter;
- :mod:`.control`: one source's run record in Redis and its life cycle (seed, run, finish);
- :mod:`.scheduler`: the Scrapy scheduler that takes requests under a lease and ends the run;
- :mod:`.spider`: the spider mix-in that seeds or joins a run, and its shared run book.

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
    the canonical URL (:func:`.leases.claim_fingerprint`), so an article is requested once per
    run whichever worker finds it on whichever listing.
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
