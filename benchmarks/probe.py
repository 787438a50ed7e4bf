"""Per-stage costs inside a benchmarked ``newsmon crawl`` (``NEWSMON_TAGGER=benchmarks.probe.tag_page``).

:func:`tag_page` runs :func:`pipeline.runner.tag_page` with its ``timings`` and the storage
write of :class:`crawlers.pipelines.StoragePipeline` (the upsert, clustering and commit) is timed
too. The runner's timings are wall seconds; they are turned into CPU seconds with the thread CPU
time the whole call took (in one thread the two differ only by time the process waited for a
core). At exit each process (the crawl and its tagging workers, :mod:`crawlers.tagging`) writes
its totals to ``<NEWSMON_BENCH_PROBE>.<pid>.json``; :func:`benchmarks.probe_files.read_totals` adds
them up.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import util as multiprocessing_util
from typing import Any

import storage.article_store as _article_store
from pipeline.runner import tag_page as _tag_page

TOTALS: dict[str, float] = {}
COUNTS: dict[str, int] = {"tagged": 0, "stored": 0}
_dump_registered_in: set[int] = set()


def tag_page(page: Any, source: Any = None) -> Any:
    if os.getpid() not in _dump_registered_in:  # a tagging worker: it exits without atexit
        _dump_registered_in.add(os.getpid())
        TOTALS.clear()
        COUNTS.update(tagged=0, stored=0)
        multiprocessing_util.Finalize(None, _dump, exitpriority=10)
    timings: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        return _tag_page(page, source, timings=timings)
    finally:
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        scale = cpu / wall if wall > 0 else 1.0
        for stage, seconds in timings.items():
            TOTALS[stage] = TOTALS.get(stage, 0.0) + seconds * scale
        TOTALS["tag"] = TOTALS.get("tag", 0.0) + cpu
        COUNTS["tagged"] += 1


_session_scope = _article_store.session_scope


@contextmanager
def _timed_session_scope(*args: Any, **kwargs: Any) -> Iterator[Any]:
    """The session the pipeline stores in: upsert, clustering and commit are the store stage."""
    cpu = time.thread_time()
    try:
        with _session_scope(*args, **kwargs) as session:
            yield session
    finally:
        TOTALS["store"] = TOTALS.get("store", 0.0) + time.thread_time() - cpu
        COUNTS["stored"] += 1


_article_store.session_scope = _timed_session_scope


@atexit.register
def _dump() -> None:
    path = os.environ.get("NEWSMON_BENCH_PROBE")
    if path:
        with open(f"{path}.{os.getpid()}.json", "w", encoding="utf-8") as handle:
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            json.dump({"cpu_s": TOTALS, "counts": COUNTS, "peak_rss_kb": peak_kb}, handle)


_dump_registered_in.add(os.getpid())  # the crawl process dumps at exit (atexit above)
