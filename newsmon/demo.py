"""The demo: what ``make demo`` (``newsmon demo``) runs, end to end on the embedded defaults.

1. A fresh SQLite database ``<data dir>/demo.sqlite`` (deleted first; the demo sets its URL
   explicitly, so a user's ``DATABASE_URL`` database is never touched), migrated to head.
2. The bundled mirror of the four sites on a free port of 127.0.0.1 (these machines are offline).
   ``NEWSMON_DEMO_LIVE=1`` (or ``run_demo(live=True)``) crawls the real sites instead.
3. One crawl of every configured source through it, in this process (one Scrapy reactor).
4. What was stored, per source, country, language, period and relevance, and the headline
   figure: drug-related candidate events of release #1 2025 (1-15 January) per country.
5. The later steps (:data:`LATER_STEPS`): applying the bundled analyst decisions (the nine
   reference events accepted with their English texts) and building release #1 2025 in both
   editions (PDF, DOCX, HTML, Markdown) plus the JSON export of its events; a release of the
   mirror's generated seizure stories exported with their facts (export v2); the trend chart of
   the generated stories over the two years before the reference release.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from config import load_sources
from storage import schema
from storage.db import data_dir, dispose_engines, session_scope
from storage.repository import sync_sources
from storage.stats import article_counts_by, candidate_events_by_country, relevance_counts

if TYPE_CHECKING:
    from core.period import Period
    from desk.decisions import BulkReport

HEADLINE_YEAR = 2025
HEADLINE_NUMBER = 1
"""The headline figure's release: #1 2025 = 1-15 January 2025, the reference issue."""
DEMO_SYNTHETIC_PER_SITE = 36
"""Generated stories per police site of the mirror, spread over the two years before the release
(seizures, arrests, prevention, other police news): what the trend chart draws."""


@dataclass
class DemoContext:
    """What the demo steps share."""

    database_url: str
    console: Console
    mirror_url: str | None
    """The bundled mirror's URL (None when crawling the real sites)."""
    out_dir: Path
    """Where later steps write their files (``<data dir>/demo``)."""
    database_path: Path
    """The demo's SQLite file."""
    outcomes: list[Any] = field(default_factory=list)
    """The crawl outcomes (:class:`crawlers.outcomes.SourceOutcome`)."""


def demo_decisions_file() -> Path:
    """The bundled decisions of release #1 2025: data beside the mirror's fixture sites."""
    import mirror

    return (
        Path(mirror.__file__).resolve().parent / "decisions" / f"{HEADLINE_YEAR}-{HEADLINE_NUMBER:02d}.jsonl"
    )


def apply_analyst_decisions(context: DemoContext, path: Path | None = None) -> BulkReport:
    """Apply the bundled analyst decisions (``mirror/decisions/2025-01.jsonl``): the nine
    reference events accepted, with their English headlines and texts from the reference."""
    from desk.decisions import apply_file

    context.console.rule("Analyst decisions")
    path = path or demo_decisions_file()
    report = apply_file(path, actor="cli:bulk", database_url=context.database_url)
    context.console.print(f"analyst decisions from {path.name}: {report.summary}")
    for result in report.results:
        if result.outcome in ("not-found", "invalid"):
            context.console.print(f"  line {result.line}: {result.outcome}: {result.message}")
    return report


def trend_range() -> tuple[Period, Period]:
    """The periods of the mirror's generated stories: the two years before the headline release."""
    from core.period import Period

    return Period(HEADLINE_YEAR - 2, 1), Period(HEADLINE_YEAR - 1, 24)


def export_seizure_release(context: DemoContext) -> Path | None:
    """Export a release of seizures with their facts (format v2): the period of the generated
    stories with the most seizure events naming a drug or an amount, its seizure events accepted
    as an analyst would (actor ``system:demo``), exported in the Russian edition (the stories'
    language) to ``<out>/release-YYYY-NN/events-YYYY-NN.json``. Release #1 2025 is left as the
    reference has it. None when the crawl stored no such event."""
    from desk.events import set_status
    from release.export import export_events, to_json
    from storage.trends import seizure_events_by_period

    context.console.rule("Seizures")
    with session_scope(context.database_url) as session:
        by_period = seizure_events_by_period(session, *trend_range())
        if not by_period:
            context.console.print("no seizure events with facts in the generated stories")
            return None
        period = max(by_period, key=lambda p: (len(by_period[p]), p))
        for event_id in by_period[period]:
            set_status(session, event_id, "accepted", actor="system:demo")
    with session_scope(context.database_url) as session:
        export = export_events(session, period.year, period.number, "ru")
    path = context.out_dir / f"release-{period.key}" / f"events-{period.key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(export), encoding="utf-8")
    context.console.print(
        f"release #{period.number} {period.year} ({period.text}): {len(by_period[period])} seizure events "
        f"accepted, exported with their facts: {path}"
    )
    for event in export["events"]:
        facts = event["facts"]
        amounts = ", ".join(
            f"{q['substance'] or 'unspecified'} {q['grams']:g} g"
            if q["grams"] is not None
            else f"{q['substance'] or 'unspecified'} {q['count']:g} {q['unit']}"
            for q in facts["quantities"]
        )
        context.console.print(
            f"  {event['country']}: {', '.join(facts['substances']) or '-'}; {amounts or 'no amount'}; "
            f"{'; '.join(facts['places'][:2]) or 'no place'}; detained {facts['detained']}",
            highlight=False,
            markup=False,
        )
    return path


def draw_trends(context: DemoContext) -> Path:
    """Draw the seizure trend of the candidate events of the two years before the release (the
    mirror's generated stories span them): ``<out>/trends/trends-substance.svg``."""
    from release.charts import write_chart
    from release.settings import load_release_settings
    from storage.trends import trend_points

    context.console.rule("Trends")
    first, last = trend_range()
    with session_scope(context.database_url) as session:
        points = trend_points(session, first, last, by="substance", scope="candidates")
    names = load_release_settings().short_names("en")
    title = f"Candidate events and quantities by substance, {first.key} to {last.key}"
    path = write_chart(
        points, "svg", context.out_dir / "trends", title=title, country_names=names, by="substance"
    )
    named = sum(p.events for p in points if p.group != "unspecified")
    seized = sum(p.grams for p in points) / 1000
    context.console.print(
        f"{named} events naming a substance, {seized:.1f} kg seized in all, {first.key} to {last.key}: {path}"
    )
    return path


def build_release_editions(context: DemoContext) -> None:
    """Build release #1 2025 in both editions (final: every accepted event is translated) and
    export its events as JSON; print the paths."""
    import json

    from release.builder import FORMATS, build_release
    from release.export import export_events

    context.console.rule(f"Release #{HEADLINE_NUMBER} {HEADLINE_YEAR}")
    out_dir = context.out_dir / f"release-{HEADLINE_YEAR}-{HEADLINE_NUMBER:02d}"
    with session_scope(context.database_url) as session:
        for edition in ("en", "ru"):
            paths = build_release(
                session,
                HEADLINE_YEAR,
                HEADLINE_NUMBER,
                FORMATS,
                edition,
                draft=False,
                out_dir=out_dir,
                actor="system:demo",
            )
            for path in paths:
                context.console.print(f"{edition} edition: {path}")
        export = export_events(session, HEADLINE_YEAR, HEADLINE_NUMBER, "en")
    export_path = out_dir / f"events-{HEADLINE_YEAR}-{HEADLINE_NUMBER:02d}.json"
    export_path.write_text(json.dumps(export, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    context.console.print(f"events export: {export_path}")
    context.console.print(f"accepted events per country: {export['counts']}")


def next_commands(database: Path) -> list[str]:
    """What to run after the demo, on the demo's database (not the default one)."""
    try:
        shown = database.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = database.resolve()
    prefix = f"DATABASE_URL=sqlite:///{shown.as_posix()} .venv/bin/newsmon"
    return [
        f"{prefix} status",
        f"{prefix} sources",
        f"{prefix} export --year {HEADLINE_YEAR} --number {HEADLINE_NUMBER} --format json",
    ]


def print_next_steps(context: DemoContext) -> None:
    context.console.rule("Next")
    context.console.print("The demo wrote its own database; to look at it with the other commands:")
    for line in next_commands(context.database_path):
        context.console.print(line, soft_wrap=True, highlight=False, markup=False)


# Run after the crawl report, in order, with the DemoContext.
LATER_STEPS: list[Callable[[DemoContext], object]] = [
    apply_analyst_decisions,
    build_release_editions,
    export_seizure_release,
    draw_trends,
    print_next_steps,
]


def demo_database(directory: Path | None = None) -> tuple[str, Path]:
    """A fresh SQLite database for the demo: its URL and file (old files deleted)."""
    path = (directory or data_dir()) / "demo.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{path.resolve()}", path


def run_demo(*, live: bool | None = None, console: Console | None = None) -> DemoContext:
    """Run the demo; returns its context (tests read the database from it)."""
    console = console or Console()
    if live is None:
        live = os.environ.get("NEWSMON_DEMO_LIVE", "").strip().lower() in ("1", "true", "yes")
    url, path = demo_database()
    # This process (and anything later steps start) works on the demo database only.
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("NEWSMON_DEMO", "1")
    dispose_engines()
    console.rule("[bold]newsmon demo")
    console.print(f"database: {path}")
    schema.upgrade(url)
    sources = load_sources()
    with session_scope(url) as session:
        sync_sources(session, sources)

    mirror = None
    if not live:
        from mirror import MirrorServer

        mirror = MirrorServer(port=0, synthetic=DEMO_SYNTHETIC_PER_SITE).start()
        console.print(
            f"bundled mirror of the sites: {mirror.url} (requests for the real hosts are routed to it)"
        )
    else:
        console.print("crawling the real sites (NEWSMON_DEMO_LIVE)")
    context = DemoContext(
        database_url=url,
        console=console,
        mirror_url=mirror.url if mirror else None,
        out_dir=path.parent / "demo",
        database_path=path,
    )
    try:
        context.outcomes = crawl_all(context, [s.id for s in sources.sources if s.enabled])
    finally:
        if mirror is not None:
            mirror.stop()
    report(context)
    for step in LATER_STEPS:
        step(context)
    return context


def crawl_all(context: DemoContext, source_ids: list[str]) -> list[Any]:
    from crawlers.process import CrawlOptions, run_crawls

    started = time.monotonic()
    context.console.print(f"crawling {', '.join(source_ids)} …")
    outcomes = run_crawls(
        CrawlOptions(
            sources=source_ids,
            mirror=context.mirror_url,
            database_url=context.database_url,
            resumable=False,
            trigger="demo",
        )
    )
    table = Table("source", "status", "pages", "new", "updated", "errors", title="Crawl runs")
    for outcome in outcomes:
        errors = ", ".join(f"{k} {v}" for k, v in sorted(outcome.errors_by_kind.items())) or "0"
        table.add_row(
            outcome.source_id,
            outcome.status,
            str(outcome.pages),
            str(outcome.new),
            str(outcome.updated),
            errors,
        )
    context.console.print(table)
    context.console.print(f"crawled in {time.monotonic() - started:.1f} s")
    return outcomes


def _count_table(title: str, header: str, rows: list[tuple[Any, ...]]) -> Table:
    table = Table(header, "articles", "relevant", "maybe", title=title)
    for key, total, relevant, maybe in rows:
        table.add_row(str(key), str(total), str(relevant), str(maybe))
    return table


def _period_rows(periods: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """One row per period of the headline year; any other year one row (the mirror's generated
    stories spread over the years before it), in time order."""
    from core.period import Period

    keyed: dict[tuple[int, int], list[Any]] = {}
    for year, number, total, relevant, maybe in periods:
        key = (year, number if year == HEADLINE_YEAR else 0)
        if year == HEADLINE_YEAR:
            label = f"#{number} {year} ({Period(year, number).text})"
        else:
            label = f"{year} (all periods)"
        row = keyed.setdefault(key, [label, 0, 0, 0])
        for index, value in enumerate((total, relevant, maybe), start=1):
            row[index] += value
    return [tuple(row) for _, row in sorted(keyed.items())]


def report(context: DemoContext) -> dict[str, int]:
    """Print what was stored and the headline figure; returns the headline counts by country."""
    from core.period import Period
    from release.settings import load_release_settings
    from release.summary import summary_sentence

    console = context.console
    settings = load_release_settings()
    with session_scope(context.database_url) as session:
        per_source = article_counts_by(session, "source_id")
        per_country = article_counts_by(session, "country")
        per_language = article_counts_by(session, "language")
        periods = article_counts_by(session, "period_year", "period_number")
        labels = relevance_counts(session)
        candidates = candidate_events_by_country(session, HEADLINE_YEAR, HEADLINE_NUMBER)
    console.print(_count_table("Stored per source", "source", per_source))
    console.print(_count_table("Per country (reporting)", "country", per_country))
    console.print(_count_table("Per language", "language", per_language))
    console.print(_count_table("Per release period", "period", _period_rows(periods)))
    table = Table("relevance", "articles", title="Relevance")
    for label, count in sorted(labels.items()):
        table.add_row(label, str(count))
    console.print(table)

    ranked = sorted(candidates.items(), key=lambda item: settings.country_rank(item[0]))
    counts = {code: count for code, count in ranked if code}
    period = Period(HEADLINE_YEAR, HEADLINE_NUMBER)
    table = Table(
        "country",
        "candidate events",
        title=f"Drug-related candidate events, #{HEADLINE_NUMBER} {HEADLINE_YEAR} ({period.text})",
    )
    for code, count in counts.items():
        table.add_row(f"{settings.country_short(code, 'en')} ({code})", str(count))
    table.add_row("[bold]total", f"[bold]{sum(counts.values())}")
    console.print(table)
    console.print(summary_sentence(period, counts, "en", settings=settings))
    return counts
