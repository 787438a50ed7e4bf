"""What each source's crawl did, read back once the crawl process is done: from the crawl-run row
for a local crawl, from the seeder's report or the worker's run book for a distributed one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.bounded import bounded
from storage.runs import DATABASE_ERRORS, crawl_run_summary


@dataclass
class SourceOutcome:
    """What one source's crawl did, as its crawl-run row says."""

    source_id: str
    run_id: int | None
    status: str
    finish_reason: str | None
    pages: int = 0
    new: int = 0
    updated: int = 0
    errors: int = 0
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    message: str | None = None
    check: dict[str, Any] | None = None

    @property
    def errors_text(self) -> str:
        return errors_text(self.errors, self.errors_by_kind)


def errors_text(total: int, by_kind: dict[str, int] | None) -> str:
    """``3 (http_404 2, timeout 1)``: a run's error total and, when there are any, their kinds
    (``fallback_*`` notes, which the total leaves out, among them)."""
    if not by_kind:
        return str(total)
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items()))
    return f"{total} ({kinds})"


def local_outcome(source_id: str, crawler: Any, *, check: bool, database_url: str | None) -> SourceOutcome:
    """What a local crawl (``newsmon crawl``, or ``newsmon sources check`` when ``check``) did."""
    stats = crawler.stats
    reason = stats.get_value("finish_reason") if stats else None
    spider = crawler.spider
    book = getattr(spider, "book", None)
    run_id = book.run_id if book is not None else None
    if check:
        report = dict(getattr(spider, "check_report", None) or {})
        report["errors"] = list(book.samples) if book is not None else []
        return SourceOutcome(source_id, None, "checked", reason, check=report)
    if run_id is None:
        return SourceOutcome(source_id, None, "not started", reason, message="the spider did not start")
    try:
        run = bounded(database_url).call(crawl_run_summary, database_url, run_id)
    except DATABASE_ERRORS as exc:  # the crawl ended while the database did not answer
        return SourceOutcome(
            source_id, run_id, "unrecorded", reason, message=f"the run could not be read back: {exc}"
        )
    assert run is not None
    return SourceOutcome(
        source_id=source_id,
        run_id=run_id,
        status=run.status,
        finish_reason=reason,
        pages=run.pages_fetched,
        new=run.articles_new,
        updated=run.articles_updated,
        errors=run.errors,
        errors_by_kind=run.errors_by_kind,
        message=run.message,
    )


def distributed_outcome(
    source_id: str, crawler: Any, *, mode: str, database_url: str | None
) -> SourceOutcome:
    """What a seeder (``mode`` ``seed``) or a worker (``work``) did for one source."""
    stats = crawler.stats
    reason = stats.get_value("finish_reason") if stats else None
    spider = crawler.spider
    book = getattr(spider, "book", None)
    if spider is None or book is None:
        return SourceOutcome(source_id, None, "not started", reason, message="the spider did not start")
    if mode == "seed":
        return _seeding_outcome(source_id, spider.seed_report, reason)
    run_status = "idle"
    if book.run_id is not None:
        run = crawl_run_summary(database_url, book.run_id)
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


def _seeding_outcome(source_id: str, report: dict[str, Any], reason: str | None) -> SourceOutcome:
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
