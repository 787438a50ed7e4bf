"""Source health: is each site still crawled successfully, and does its markup still parse?

:func:`source_health` looks at each configured source's recent crawl runs and the articles they
stored and flags what an operator must look at:

- ``failing`` — the last N runs all failed or timed out;
- ``blocked`` — most of the latest run's requests were refused (403/429, anti-bot challenge);
- ``error_rate`` — the latest run's errors per page are high, or jumped against the runs before;
- ``markup_changed`` — pages were fetched but no article links were found, or a large share of
  the recent articles came out without text or without a date;
- ``no_new_articles`` — the last N finished runs found nothing new;
- ``stale`` — no finished crawl for a long time (the scheduler is down?);
- ``degraded`` — the site's known markup (listing items, body, date element) matched nothing and
  the crawl went on with generic discovery and extraction: articles still arrive, but the
  site changed and its spec needs a look ("listing selector matched nothing on 3 runs");
- ``feed`` — the latest run found the feed empty or stale against the listing read behind it:
  articles still arrive through the listing (state ``degraded``), but the feed hides the site
  from anything that trusts it.

A source never crawled is ``never crawled``: not healthy either, so a scheduler that never
started is noticed.

Thresholds are ``[health]`` in ``config/schedules.toml``. Used by ``newsmon status`` (health
column, ``--check`` for external monitoring) and by the review UI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from config import SourcesFile, load_sources
from config.schedules import HealthThresholds, load_schedules
from storage.models import Article, CrawlRun, utcnow

OK = "ok"
UNHEALTHY = "unhealthy"
DEGRADED = "degraded"
FEED = "feed"
UNKNOWN = "never crawled"
DISABLED = "disabled"

FAILED_STATUSES = ("failed", "timeout")
# Neither success nor failure: a run still going, or one stopped by a scheduler shutdown.
NEUTRAL_STATUSES = ("running", "interrupted")


@dataclass(frozen=True, slots=True)
class HealthIssue:
    kind: str
    """``failing``, ``blocked``, ``error_rate``, ``markup_changed``, ``no_new_articles``, ``stale``,
    ``degraded``, ``feed``."""
    message: str
    """One line for an operator, e.g. ``no new articles in the last 5 runs``."""


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """The health of one configured source."""

    source_id: str
    state: str
    """``ok``, ``unhealthy``, ``degraded`` (crawled generically: the markup changed), ``never
    crawled`` or ``disabled``."""
    issues: tuple[HealthIssue, ...] = ()
    last_run_id: int | None = None
    last_run_status: str | None = None
    last_run_at: datetime | None = None

    @property
    def healthy(self) -> bool:
        """Nothing for an operator to look at: ``ok`` or ``disabled``."""
        return self.state in (OK, DISABLED)

    @property
    def summary(self) -> str:
        """``ok``, ``never crawled``, ``disabled``, or the issues' messages joined by ``; ``."""
        if self.issues:
            return "; ".join(issue.message for issue in self.issues)
        return self.state


def source_health(
    session: Session,
    *,
    thresholds: HealthThresholds | None = None,
    sources: SourcesFile | None = None,
    now: datetime | None = None,
) -> list[SourceHealth]:
    """The health of every configured source, in ``sources.toml`` order.

    Args:
        session: A database session (read only).
        thresholds: Default: ``[health]`` of ``config/schedules.toml``.
        sources: Default: ``config/sources.toml``.
        now: The current time (tests freeze it).
    """
    thresholds = thresholds or load_schedules().health
    sources = sources or load_sources()
    now = now or utcnow()
    depth = max(thresholds.baseline_runs + 1, thresholds.no_new_articles_runs, thresholds.failed_runs,
                thresholds.markup_runs) + 5
    result = []
    for source in sources.sources:
        if not source.enabled:
            result.append(SourceHealth(source.id, DISABLED))
            continue
        runs = list(
            session.scalars(
                select(CrawlRun)
                .where(CrawlRun.source_id == source.id)
                .order_by(CrawlRun.id.desc())
                .limit(depth)
            )
        )
        if not runs:
            result.append(SourceHealth(source.id, UNKNOWN))
            continue
        issues = _issues(session, runs, thresholds, now)
        state = OK
        if issues:
            state = DEGRADED if all(issue.kind in (DEGRADED, FEED) for issue in issues) else UNHEALTHY
        result.append(
            SourceHealth(
                source_id=source.id,
                state=state,
                issues=tuple(issues),
                last_run_id=runs[0].id,
                last_run_status=runs[0].status,
                last_run_at=runs[0].started_at,
            )
        )
    return result


def unhealthy(health: Sequence[SourceHealth]) -> list[SourceHealth]:
    return [item for item in health if not item.healthy]


def _issues(session: Session, runs: list[CrawlRun], t: HealthThresholds, now: datetime) -> list[HealthIssue]:
    """Everything wrong with one source, judged from its runs (newest first)."""
    issues: list[HealthIssue] = []
    done = [run for run in runs if run.status not in NEUTRAL_STATUSES]
    finished = [run for run in done if run.status == "finished"]

    recent = done[: t.failed_runs]
    if len(recent) == t.failed_runs and all(run.status in FAILED_STATUSES for run in recent):
        last = recent[0]
        issues.append(HealthIssue("failing", f"the last {t.failed_runs} runs failed ({last.status}: "
                                             f"{_short(last.message) or 'no reason recorded'})"))

    if finished:
        latest = finished[0]
        issues.extend(_blocked_or_erroring(latest, finished[1 : 1 + t.baseline_runs], t))
        markup = _markup_from_run(latest, t)
        if markup is None:
            markup = _markup_from_articles(session, finished[: t.markup_runs], t)
        if markup is not None:
            issues.append(markup)
        window = finished[: t.no_new_articles_runs]
        if len(window) == t.no_new_articles_runs and all(run.articles_new == 0 for run in window):
            issues.append(HealthIssue("no_new_articles",
                                      f"no new articles in the last {t.no_new_articles_runs} runs"))
        issues.extend(_degraded(finished, t))
        issues.extend(_feed_problems(latest, t))
        last_finished = latest.finished_at or latest.started_at
    else:
        last_finished = None
    newest_start = runs[-1].started_at if last_finished is None else last_finished
    if now - newest_start > timedelta(hours=t.stale_after_hours):
        hours = (now - newest_start).total_seconds() / 3600
        what = "no finished crawl" if last_finished is not None else "no crawl has ever finished"
        issues.append(HealthIssue("stale", f"{what} for {hours:.0f} h"))
    return issues


def _error_rate(run: CrawlRun, t: HealthThresholds) -> float:
    """Errors per page, leaving out the kinds reported as a markup change."""
    by_kind = run.errors_by_kind or {}
    markup = sum(int(by_kind.get(kind, 0))
                 for kind in (*t.markup_error_kinds, *t.fallback_kinds, *t.feed_kinds))
    return max((run.errors or 0) - markup, 0) / max(run.pages_fetched or 0, 1)


def _blocked_or_erroring(latest: CrawlRun, before: list[CrawlRun], t: HealthThresholds) -> list[HealthIssue]:
    by_kind = {kind: int(count) for kind, count in (latest.errors_by_kind or {}).items()}
    blocked = {kind: count for kind, count in by_kind.items() if kind in t.blocked_kinds and count}
    blocked_total = sum(blocked.values())
    requests = max(latest.pages_fetched or 0, blocked_total, 1)
    if blocked_total and blocked_total / requests >= t.blocked_share:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(blocked.items()))
        message = f"the site refuses us? {kinds} of {requests} requests in run {latest.id}"
        return [HealthIssue("blocked", message)]
    rate = _error_rate(latest, t)
    if rate >= t.error_rate:
        message = f"{rate:.0%} errors per page in run {latest.id} ({_kinds(by_kind)})"
        return [HealthIssue("error_rate", message)]
    if len(before) >= 2 and rate >= t.error_rate_floor:
        baseline = sum(_error_rate(run, t) for run in before) / len(before)
        if rate >= t.error_rate_jump * baseline:
            return [HealthIssue("error_rate", f"errors jumped to {rate:.0%} per page in run {latest.id} "
                                              f"from {baseline:.0%} ({_kinds(by_kind)})")]
    return []


def _degraded(finished: list[CrawlRun], t: HealthThresholds) -> list[HealthIssue]:
    """Known markup that matched nothing in the latest finished run, with the number of
    consecutive runs (newest first) it has been missing."""
    issues = []
    for kind, what in t.fallback_kinds.items():
        runs = 0
        for run in finished:
            if not _missed(run, kind, t):
                break
            runs += 1
        if runs:
            plural = "s" if runs > 1 else ""
            issues.append(HealthIssue(DEGRADED, f"{what} selector matched nothing on {runs} run{plural}"))
    return issues


def _feed_problems(latest: CrawlRun, t: HealthThresholds) -> list[HealthIssue]:
    """Feeds the latest finished run found empty or stale against their listing."""
    by_kind = latest.errors_by_kind or {}
    return [HealthIssue(FEED, f"feed {what} ({by_kind[kind]} in run {latest.id})")
            for kind, what in t.feed_kinds.items() if by_kind.get(kind)]


def _missed(run: CrawlRun, kind: str, t: HealthThresholds) -> bool:
    """A listing miss counts on any page; a date or body miss on a share of the run's articles
    (one odd page is no redesign)."""
    count = int((run.errors_by_kind or {}).get(kind, 0))
    if not count:
        return False
    if kind in t.fallback_page_kinds:
        return True
    articles = (run.articles_new or 0) + (run.articles_updated or 0)
    return count >= t.fallback_share * max(articles, 1)


def _markup_from_run(latest: CrawlRun, t: HealthThresholds) -> HealthIssue | None:
    """A run that fetched pages but found no links, or recorded parse errors, and stored nothing."""
    by_kind = latest.errors_by_kind or {}
    markup = {kind: by_kind[kind] for kind in t.markup_error_kinds if by_kind.get(kind)}
    stored = (latest.articles_new or 0) + (latest.articles_updated or 0)
    if markup and stored == 0:
        message = (f"markup changed? run {latest.id} fetched {latest.pages_fetched} pages, "
                   f"found no articles ({_kinds(markup)})")
        return HealthIssue("markup_changed", message)
    return None


def _markup_from_articles(session: Session, runs: list[CrawlRun], t: HealthThresholds) -> HealthIssue | None:
    """A high share of the recent runs' articles without text or without a date."""
    if not runs:
        return None
    ids = [run.id for run in runs]
    in_runs = or_(Article.first_run_id.in_(ids), Article.last_run_id.in_(ids))
    total, no_text, undated = session.execute(
        select(
            func.count(),
            func.count().filter(Article.extraction_status == "no_text"),
            func.count().filter(Article.date_uncertain.is_(True)),
        ).where(in_runs)
    ).one()
    if total < t.markup_min_articles:
        return None
    for count, what in ((no_text, "no text"), (undated, "no date")):
        if count / total >= t.markup_share:
            return HealthIssue("markup_changed", f"markup changed? {count} of {total} articles of the last "
                                                 f"{len(runs)} runs have {what}")
    return None


def _kinds(by_kind: Mapping[str, object]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items())) or "no kinds recorded"


def _short(text: str | None, limit: int = 160) -> str | None:
    if not text:
        return None
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
