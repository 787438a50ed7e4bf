"""The large-store benchmark: generate stores of each size on a private PostgreSQL, time what
analysts wait for on each, and print the figures side by side with their targets.

    python -m benchmarks.store [--sizes 100000,1000000] [--quick] [--compare] [--repeat 15]

``--quick`` uses 20,000 and 100,000 articles. ``--compare`` also times each store at the
migration before the large store's indexes (``0011_tagger_version``), then upgrades it and
times it again: the indexes' effect. The PostgreSQL is started for the run in a temporary
directory (as the tests start theirs) unless ``NEWSMON_BENCH_STORE_POSTGRES`` names a server
URL of your own (a database per size is created there and dropped afterwards).
:func:`large_store_figures` returns the figures of the largest size under the stable names of
:data:`benchmarks.store_timing.FIGURES`, and each size's under ``<name>@<size>``.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from benchmarks.figures import Measured
from benchmarks.large_store import generate, libpq_url, load_templates
from benchmarks.store_timing import FIGURES, TARGETS, measure

SERVER_ENV = "NEWSMON_BENCH_STORE_POSTGRES"
FULL_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (20_000, 100_000)
BEFORE_INDEXES = "0011_tagger_version"
END = date(2026, 11, 30)
"""The store's newest day (fixed, so two runs generate the same store)."""


@contextmanager
def postgres_server() -> Iterator[str]:
    """A server URL (its database ``test``): ``NEWSMON_BENCH_STORE_POSTGRES``, else a private
    PostgreSQL started for the run (stopped and removed afterwards)."""
    own = os.environ.get(SERVER_ENV)
    if own:
        yield own
        return
    from tests.services import PrivatePostgres

    server = PrivatePostgres().start()
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def database(server_url: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` on the server (dropped afterwards); yields its URL."""
    import psycopg

    from storage.db import dispose_engines

    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = server_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        dispose_engines()
        with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


def large_store_figures(
    sizes: Sequence[int] = FULL_SIZES,
    *,
    compare: bool = False,
    repeat: int = 15,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Generate and time a store of each size (largest last); the largest's figures under the
    stable names, every size's under ``<name>@<label>`` (and ``<name>@<label>-before`` with
    ``compare``), with the machine's load average when measured."""

    templates = load_templates()
    figures: dict[str, Any] = {}
    with postgres_server() as server:
        for size in sorted(sizes):
            with database(server, f"store_{size}") as url:
                log(f"large store: generating {size:,} articles …")
                shape = generate(url, size, end=END, templates=templates, log=log)
                # The tagging pipeline the templates were made with is not part of a review
                # server: left in the garbage collector's sight, its objects would make every
                # full collection during the timed pages slower than the server's own.
                gc.collect()
                gc.freeze()
                if compare:
                    log(f"large store {label(size)}, before the indexes ({BEFORE_INDEXES}):")
                    with indexes_removed(url):
                        before = measure(url, shape, repeat=repeat, log=log)
                    figures.update({f"{k}@{label(size)}-before": v for k, v in before.items()})
                log(f"large store {label(size)}:")
                found = measure(url, shape, repeat=repeat, log=log)
                found["load_1min"] = os.getloadavg()[0]
                figures.update({f"{k}@{label(size)}": v for k, v in found.items()})
        figures.update({name: found[name] for name in FIGURES})
        figures["large_store_articles"] = int(found["articles"])
        figures["large_store_load_1min"] = found["load_1min"]
    return figures


@contextmanager
def indexes_removed(url: str) -> Iterator[None]:
    """The store with the schema of ``BEFORE_INDEXES`` (the migrations after it undone), under
    the head's version number so that the commands, which refuse an old schema, run on it;
    migrated back to the head afterwards."""
    import psycopg

    from storage import schema

    head = schema.head_revision()
    schema.downgrade(url, BEFORE_INDEXES)
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = %s", (head,))
        connection.execute("ANALYZE")
    try:
        yield
    finally:
        with psycopg.connect(libpq_url(url), autocommit=True) as connection:
            connection.execute("UPDATE alembic_version SET version_num = %s", (BEFORE_INDEXES,))
        schema.upgrade(url)
        with psycopg.connect(libpq_url(url), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


ROWS = (
    ("inbox, period as it opens", "inbox_plain", "ms", None),
    ("inbox, filtered", "inbox_filtered", "ms", None),
    ("inbox, text search", "inbox_search", "ms", None),
    ("event page", "event", "ms", "event_p95_ms"),
    ("period counts", "period_counts", "ms", None),
    ("export", "export", "s", "export_s"),
    ("release build --format pdf", "pdf", "s", "pdf_s"),
    ("status", "status", "s", "status_s"),
)


def headline_figures(figures: dict[str, Any]) -> dict[str, Measured]:
    """The stable figures of the largest store, for :mod:`benchmarks.figures`."""
    articles = figures.get("large_store_articles")
    load = figures.get("large_store_load_1min")
    parts = [f"{int(articles):,} articles stored"] if articles is not None else []
    parts += [f"load {load:.1f}"] if load is not None else []
    detail = ", ".join(parts)
    return {name: Measured(figures[name], detail) for name in FIGURES if figures.get(name) is not None}


def table(figures: dict[str, Any], sizes: Sequence[int], *, command: str) -> str:
    """The figures as a markdown table: p50 / p95 per size, the target beside the largest."""
    labels = [label(s) for s in sorted(sizes)]
    compare = any(key.endswith("-before") for key in figures)
    heads = [f"{lab} before indexes" for lab in labels if compare] + labels
    lines = [
        f"Large store (`{command}`), load average {figures.get(f'load_1min@{labels[-1]}', 0):.2f} "
        f"on {os.cpu_count()} cores: p50 / p95",
        "",
        "| | " + " | ".join(heads) + " | target (p95) | met |",
        "|---|" + "---|" * (len(heads) + 2),
    ]
    for title, case, unit, stable in ROWS:
        cells = []
        for suffix in ([f"{lab}-before" for lab in labels] if compare else []) + labels:
            p50, p95 = figures.get(f"{case}_p50_{unit}@{suffix}"), figures.get(f"{case}_p95_{unit}@{suffix}")
            cells.append("–" if p50 is None else f"{p50:g} / {p95:g} {unit}")
        name = stable or ("inbox_p95_ms" if case.startswith("inbox") else None)
        target = TARGETS.get(name or "")
        last = figures.get(f"{case}_p95_{unit}@{labels[-1]}")
        met = "–" if target is None or last is None else ("yes" if last <= target else "**no**")
        shown = "–" if target is None else f"≤ {target:g} {unit}"
        lines.append(f"| {title} | " + " | ".join(cells) + f" | {shown} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="articles per store, comma-separated (default 100000,1000000)")
    parser.add_argument("--quick", action="store_true", help="20,000 and 100,000 articles")
    parser.add_argument("--compare", action="store_true", help="also time each store before the indexes")
    parser.add_argument("--repeat", type=int, default=15, help="timed repetitions of each page (default 15)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(QUICK_SIZES if args.quick
                                                                           else FULL_SIZES)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    figures = large_store_figures(sizes, compare=args.compare, repeat=args.repeat, log=log)
    command = " ".join(["python -m benchmarks.store", *(argv if argv is not None else sys.argv[1:])])
    print(table(figures, sizes, command=command))
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
