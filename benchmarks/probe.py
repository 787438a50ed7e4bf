"""Per-stage costs inside a benchmarked ``newsmon crawl`` (``NEWSMON_TAGGER=benchmarks.probe.tag_page``).

:func:`tag_page` runs :func:`pipeline.runner.tag_page` with its ``timings`` and the storage
write of :class:`crawlers.pipelines.StoragePipeline` (the upsert, clustering and commit) is timed
too. The runner's timings are wall seconds; they are turned into CPU seconds with the thread CPU
time the whole call took (in one thread the two differ only by time the process waited for a
core). At exit the totals go to the JSON file ``NEWSMON_BENCH_PROBE`` names.
"""

from __future__ import annotations

import atexit
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import crawlers.pipelines as _pipelines
from pipeline.runner import tag_page as _tag_page

TOTALS: dict[str, float] = {}
COUNTS: dict[str, int] = {"tagged": 0, "stored": 0}


def tag_page(page: Any, source: Any = None) -> Any:
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


_session_scope = _pipelines.session_scope


@contextmanager
def _timed_session_scope(*args: Any, **kwargs: Any) -> Iterator[Any]:
    """The pipeline's session: upsert, clustering and commit are the store stage."""
    cpu = time.thread_time()
    try:
        with _session_scope(*args, **kwargs) as session:
            yield session
    finally:
        TOTALS["store"] = TOTALS.get("store", 0.0) + time.thread_time() - cpu
        COUNTS["stored"] += 1


_pipelines.session_scope = _timed_session_scope  # type: ignore[assignment]


@atexit.register
def _dump() -> None:
    path = os.environ.get("NEWSMON_BENCH_PROBE")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"cpu_s": TOTALS, "counts": COUNTS}, handle)
