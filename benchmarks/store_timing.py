"""What analysts wait for once the store is large: the inbox, an event page, the period counts,
``export``, ``release build --format pdf`` and ``status``, timed warm on a generated store
(:mod:`benchmarks.large_store`).

Pages go through the real review app (Flask's test client, logged in with a real session); the
commands run through ``newsmon``'s own entry point in this process, so the figures are the
commands' work on the store and not the interpreter's start-up (measured apart by the start-up
benchmark). Each case runs ``warm`` times unmeasured, then ``repeat`` times; p50 and p95 are
reported. :func:`measure` returns the figures under stable names (:data:`FIGURES`).
"""

from __future__ import annotations

import io
import os
import re
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks.large_store import StoreShape
from core.period import Period

FIGURES = ("inbox_p95_ms", "event_p95_ms", "export_s", "pdf_s", "status_s")
"""The stable names (issue #22); :func:`measure` adds details beside them."""
TARGETS = {"inbox_p95_ms": 150.0, "event_p95_ms": 150.0, "export_s": 1.0, "pdf_s": 10.0, "status_s": 1.0}
"""Upper bounds of the stable figures."""
INBOX_CASES = ("inbox_plain", "inbox_filtered", "inbox_search")
"""The inbox pages timed; ``inbox_p95_ms`` is the slowest of them."""
SEARCH = "героин"
"""The inbox's text search: a word of many of the drug stories."""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds of each measured repetition."""

    seconds: tuple[float, ...]

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        if len(self.seconds) < 2:
            return self.seconds[0]
        return statistics.quantiles(self.seconds, n=20, method="inclusive")[-1]


def timed(action: Callable[[int], object], *, warm: int, repeat: int) -> Timing:
    """Run ``action(i)`` ``warm`` times, then time it ``repeat`` times."""
    for i in range(warm):
        action(i)
    seconds = []
    for i in range(repeat):
        started = time.perf_counter()
        action(warm + i)
        seconds.append(time.perf_counter() - started)
    return Timing(tuple(seconds))


@contextmanager
def environment(database_url: str, data_dir: Path) -> Iterator[None]:
    """``DATABASE_URL`` and ``NEWSMON_DATA_DIR`` for the commands; no Redis (sessions in the
    database, as a single-server desk keeps them)."""
    saved = {name: os.environ.get(name) for name in ("DATABASE_URL", "NEWSMON_DATA_DIR", "REDIS_URL")}
    os.environ.update(DATABASE_URL=database_url, NEWSMON_DATA_DIR=str(data_dir))
    os.environ.pop("REDIS_URL", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def logged_in_client(database_url: str, data_dir: Path) -> Any:
    """The review app's test client, logged in as a fresh editor."""
    from review.app import create_app
    from review.users import create_user
    from storage.db import session_scope

    name, password = f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    with session_scope(database_url) as session:
        create_user(session, name, password, "editor", actor="system:benchmark")
    app = create_app(database_url=database_url, data_dir=data_dir, secret_key=secrets.token_hex(16))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = _CSRF.search(page)
    token = (match.group(1) or match.group(2)) if match else ""
    answer = client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    if answer.status_code != 302:
        raise RuntimeError(f"the benchmark could not log in: HTTP {answer.status_code}")
    return client


def _page(client: Any, path: str, _repetition: int) -> None:
    _get(client, path)


def _get(client: Any, path: str) -> None:
    answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path}: HTTP {answer.status_code}")
    answer.get_data()


def _newsmon(*argv: str) -> None:
    from newsmon.cli import main

    sink = io.StringIO()
    with redirect_stdout(sink), redirect_stderr(sink):
        code = main(["-q", *argv])
    if code != 0:
        raise RuntimeError(f"newsmon {' '.join(argv)} exited {code}: {sink.getvalue()[-500:]}")


def inbox_cases(period: Period, source: str, country: str) -> dict[str, str]:
    """The inbox pages timed: the period as it opens, filtered, and searched."""
    base = {"period": period.key}
    return {
        "inbox_plain": "/inbox?" + urlencode(base),
        "inbox_filtered": "/inbox?" + urlencode(
            {**base, "country": country, "source": source, "language": "ru", "relevance": "all",
             "status": "rejected", "sort": "relevance"}
        ),
        "inbox_search": "/inbox?" + urlencode({**base, "q": SEARCH}),
    }


def measure(
    database_url: str,
    shape: StoreShape,
    *,
    repeat: int = 15,
    slow_repeat: int = 5,
    pdf_repeat: int = 3,
    warm: int = 2,
    log: Callable[[str], None] = print,
) -> dict[str, float]:
    """Time every case on the store at ``database_url``; figures in ms (pages, counts) and
    seconds (commands). ``repeat`` for pages and counts, ``slow_repeat`` for export and status,
    ``pdf_repeat`` for the PDF."""
    from storage.db import dispose_engines, session_scope
    from storage.inbox import InboxFilters, country_counts, inbox_event_ids, periods_with_events

    period = shape.measured or shape.periods[-1]
    figures: dict[str, float] = {}

    def record(name: str, timing: Timing, unit: str) -> None:
        scale = 1000.0 if unit == "ms" else 1.0
        figures[f"{name}_p50_{unit}"] = round(timing.p50 * scale, 3 if unit == "s" else 1)
        figures[f"{name}_p95_{unit}"] = round(timing.p95 * scale, 3 if unit == "s" else 1)
        p50, p95 = figures[f"{name}_p50_{unit}"], figures[f"{name}_p95_{unit}"]
        log(f"  {name}: p50 {p50} {unit}, p95 {p95} {unit}")

    with tempfile.TemporaryDirectory(prefix="newsmon-store-bench-") as folder, \
            environment(database_url, Path(folder)):
        data_dir = Path(folder)
        with session_scope(database_url) as session:
            events = inbox_event_ids(session, period, InboxFilters())
        if not events:
            raise RuntimeError(f"no event to show in {period.key}")
        client = logged_in_client(database_url, data_dir)
        for name, path in inbox_cases(period, shape.sources[0], "KZ").items():
            record(name, timed(partial(_page, client, path), warm=warm, repeat=repeat), "ms")

        def event_page(i: int) -> None:
            # A different event each time, spread over the period's list.
            _get(client, f"/events/{events[(i * 7919) % len(events)]}?period={period.key}")

        record("event", timed(event_page, warm=warm, repeat=repeat), "ms")

        def counts(_i: int) -> None:
            with session_scope(database_url) as session:
                country_counts(session, period)
                periods_with_events(session)

        record("period_counts", timed(counts, warm=warm, repeat=repeat), "ms")
        year, number = str(period.year), str(period.number)
        out = data_dir / "out"
        record("export", timed(
            lambda _i: _newsmon("export", "--year", year, "--number", number, "-o", str(out / "events.json")),
            warm=1, repeat=slow_repeat), "s")
        record("status", timed(lambda _i: _newsmon("status"), warm=1, repeat=slow_repeat), "s")
        record("pdf", timed(
            lambda _i: _newsmon("release", "build", "--year", year, "--number", number, "--format", "pdf",
                                "-o", str(out)),
            warm=1, repeat=pdf_repeat), "s")
        dispose_engines()
    figures["inbox_p95_ms"] = max(figures[f"{case}_p95_ms"] for case in INBOX_CASES)
    figures["export_s"] = figures["export_p95_s"]
    figures["pdf_s"] = figures["pdf_p95_s"]
    figures["status_s"] = figures["status_p95_s"]
    figures["articles"] = float(shape.articles)
    figures["events"] = float(shape.events)
    return figures
