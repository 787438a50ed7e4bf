"""Source health: flags with reasons, the status column and ``newsmon status --check``."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from config.schedules import HealthThresholds
from crawlers.registry import site_ids
from storage.db import session_scope
from storage.health import source_health
from storage.models import CrawlRun, utcnow
from storage.repository import finish_run, start_run, upsert_article
from tests.factories import tagged_article


def add_run(url: str, source: str = "mvd_kg", *, status: str = "finished", pages: int = 10, new: int = 3,
            updated: int = 0, errors: dict[str, int] | None = None, message: str | None = None,
            age_h: float = 0) -> int:
    with session_scope(url) as session:
        run_id = start_run(session, source, trigger="schedule")
        run = session.get(CrawlRun, run_id)
        run.pages_fetched, run.articles_new, run.articles_updated = pages, new, updated
        run.errors_by_kind = dict(errors or {})
        run.errors = sum((errors or {}).values())
        finish_run(session, run_id, status=status, message=message)
        if age_h:
            session.flush()
            run.started_at = utcnow() - timedelta(hours=age_h, minutes=5)
            run.finished_at = utcnow() - timedelta(hours=age_h)
    return run_id


def health_of(url: str, source: str = "mvd_kg", **kwargs):
    with session_scope(url) as session:
        return {item.source_id: item for item in source_health(session, **kwargs)}[source]


def kinds(item) -> list[str]:
    return [issue.kind for issue in item.issues]


def test_a_source_never_crawled_is_not_healthy_and_says_so(ops_db):
    item = health_of(ops_db)
    assert (item.state, item.healthy, item.summary) == ("never crawled", False, "never crawled")


def test_a_listing_selector_missing_on_three_runs_marks_the_source_degraded(ops_db):
    add_run(ops_db, new=4)
    for _ in range(3):
        add_run(ops_db, new=3, errors={"fallback_listing": 2})
    item = health_of(ops_db)
    assert (item.state, item.healthy, kinds(item)) == ("degraded", False, ["degraded"])
    assert item.summary == "listing selector matched nothing on 3 runs"


def test_a_run_with_the_known_markup_back_ends_the_degraded_state(ops_db):
    add_run(ops_db, new=3, errors={"fallback_listing": 1})
    add_run(ops_db, new=3)
    assert health_of(ops_db).state == "ok"


def test_one_odd_article_page_is_no_redesign(ops_db):
    add_run(ops_db, new=10, errors={"fallback_body": 1, "fallback_date": 1})
    assert health_of(ops_db).state == "ok"
    add_run(ops_db, new=10, errors={"fallback_body": 7})
    assert health_of(ops_db).summary == "body selector matched nothing on 1 run"


def test_selector_misses_do_not_count_as_an_error_rate(ops_db):
    for _ in range(3):
        add_run(ops_db, pages=10, new=2)
    add_run(ops_db, pages=10, new=8, errors={"fallback_date": 8, "fallback_body": 8})
    assert kinds(health_of(ops_db)) == ["degraded", "degraded"]


def test_a_degraded_source_with_failures_is_unhealthy(ops_db):
    add_run(ops_db, new=3, errors={"fallback_listing": 1})
    for _ in range(3):
        add_run(ops_db, status="failed", message="crawl process exited with code 1")
    assert health_of(ops_db).state == "unhealthy"


def test_a_source_that_keeps_finding_news_is_ok(ops_db):
    for _ in range(6):
        add_run(ops_db, new=2, errors={"http_404": 1})
    item = health_of(ops_db)
    assert (item.state, item.summary, item.last_run_status) == ("ok", "ok", "finished")


def test_repeated_failures_are_flagged_with_the_last_reason(ops_db):
    add_run(ops_db)
    for _ in range(2):
        add_run(ops_db, status="failed", message="crawl process exited with code 1")
    add_run(ops_db, status="interrupted")  # neutral: a scheduler shutdown, not the site's fault
    assert health_of(ops_db).healthy
    add_run(ops_db, status="timeout", message="killed after the time limit of 3600 s")
    item = health_of(ops_db)
    assert kinds(item) == ["failing"]
    assert item.summary == "the last 3 runs failed (timeout: killed after the time limit of 3600 s)"


def test_runs_without_new_articles_are_flagged(ops_db):
    add_run(ops_db, new=4)
    for _ in range(4):
        add_run(ops_db, new=0, updated=1)
    assert health_of(ops_db).healthy
    add_run(ops_db, new=0)
    assert health_of(ops_db).summary == "no new articles in the last 5 runs"


def test_a_site_that_refuses_us_is_flagged_as_blocked(ops_db):
    add_run(ops_db)
    add_run(ops_db, pages=10, new=0, errors={"challenge": 6, "http_4xx": 2, "timeout": 1})
    item = health_of(ops_db)
    assert kinds(item) == ["blocked"]
    assert "challenge 6, http_4xx 2 of 10 requests" in item.summary


def test_an_error_rate_jump_is_flagged(ops_db):
    for _ in range(3):
        add_run(ops_db, pages=20, errors={"http_404": 1})  # 5 % before
    add_run(ops_db, pages=20, errors={"http_5xx": 4})  # 20 %: four times the baseline
    item = health_of(ops_db)
    assert kinds(item) == ["error_rate"]
    assert "errors jumped to 20% per page" in item.summary and "from 5%" in item.summary
    add_run(ops_db, pages=10, errors={"timeout": 6})
    assert health_of(ops_db).issues[0].message.startswith("60% errors per page in run")


def test_pages_fetched_but_no_article_links_found_means_the_markup_changed(ops_db):
    add_run(ops_db)
    add_run(ops_db, pages=4, new=0, errors={"no_links": 2})
    item = health_of(ops_db)
    assert kinds(item) == ["markup_changed"]
    assert "fetched 4 pages, found no articles (no_links 2)" in item.summary


def test_many_articles_without_text_or_date_mean_the_markup_changed(ops_db):
    run_id = add_run(ops_db, new=6)
    with session_scope(ops_db) as session:
        for index in range(6):
            tagged = tagged_article(f"https://mvd.gov.kg/rus/news/{5000 + index}", source_id="mvd_kg",
                                    text=f"Сообщение номер {index} о задержании.")
            if index:
                tagged = dataclasses.replace(tagged, extraction_status="no_text", text="")
            upsert_article(session, tagged, run_id)
    item = health_of(ops_db)
    assert kinds(item) == ["markup_changed"]
    assert item.summary == "markup changed? 5 of 6 articles of the last 1 runs have no text"
    relaxed = HealthThresholds(markup_share=0.9)
    assert health_of(ops_db, thresholds=relaxed).healthy


def test_a_source_not_crawled_for_a_day_is_stale(ops_db):
    add_run(ops_db, age_h=30)
    item = health_of(ops_db)
    assert kinds(item) == ["stale"] and item.summary == "no finished crawl for 30 h"


def newsmon(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsmon", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "DATABASE_URL": url, "COLUMNS": "250"})


@pytest.mark.slow
def test_status_shows_the_health_column_and_check_exits_non_zero_per_unhealthy_source(ops_db):
    check = newsmon("status", "--check", url=ops_db)
    assert check.returncode == 1
    assert check.stdout.strip().splitlines() == [f"{source}: never crawled" for source in site_ids()]

    for source in site_ids():
        add_run(ops_db, source, new=5)
    check = newsmon("status", "--check", url=ops_db)
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == f"ok: none of {len(site_ids())} sources is unhealthy"

    add_run(ops_db, "mvd_kg", pages=4, new=0, errors={"no_links": 2})
    for _ in range(3):
        add_run(ops_db, "polisia_kz", status="failed", message="crawl process exited with code 1")
    check = newsmon("status", "--check", url=ops_db)
    assert check.returncode == 1
    lines = check.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["polisia_kz", "mvd_kg"]
    assert lines[1].startswith("mvd_kg: unhealthy: markup changed? run ")

    status = newsmon("status", url=ops_db)
    assert status.returncode == 0, status.stderr
    assert "health" in status.stdout and "the last 3 runs failed" in status.stdout
    row = next(line for line in status.stdout.splitlines() if "akn_tj" in line)
    assert row.rstrip(" │").endswith("ok")


def test_an_empty_or_stale_feed_marks_the_source_degraded_and_is_no_error_rate(ops_db):
    add_run(ops_db, pages=4, new=3, errors={"feed_empty": 1, "feed_stale": 1})
    item = health_of(ops_db)
    assert (item.state, item.healthy, kinds(item)) == ("degraded", False, ["feed", "feed"])
    assert item.summary.startswith("feed lists no article (1 in run ")


def test_a_feed_that_lists_articles_again_ends_the_feed_flag(ops_db):
    add_run(ops_db, new=3, errors={"feed_empty": 1})
    add_run(ops_db, new=3)
    assert health_of(ops_db).state == "ok"
