"""Source health reaches analysts: an unhealthy, degraded or never crawled source is flagged in the
inbox and on the sources page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawlers.registry import site_ids
from storage.db import session_scope
from storage.models import CrawlRun


def _good_runs(database_url: str, errors_by_kind: dict[str, dict[str, int]] | None = None) -> None:
    """One finished run of every source that found news (with the errors given per source)."""
    now = datetime.now(UTC) - timedelta(minutes=30)
    with session_scope(database_url) as session:
        for source_id in site_ids():
            errors = (errors_by_kind or {}).get(source_id, {})
            session.add(CrawlRun(
                source_id=source_id, status="finished", trigger="schedule", started_at=now,
                finished_at=now + timedelta(minutes=1), pages_fetched=12, articles_new=5,
                errors=sum(errors.values()), errors_by_kind=errors,
            ))


def _failing_runs(database_url: str, source_id: str, count: int = 3) -> None:
    started = datetime.now(UTC) - timedelta(hours=count)
    with session_scope(database_url) as session:
        for n in range(count):
            session.add(CrawlRun(
                source_id=source_id, status="failed", trigger="schedule",
                started_at=started + timedelta(hours=n), finished_at=started + timedelta(hours=n, minutes=1),
                errors=1, errors_by_kind={"dns": 1}, message="could not resolve host",
            ))


def test_an_unhealthy_source_is_flagged_in_the_inbox(client, review_env):
    _good_runs(review_env.url)
    _failing_runs(review_env.url, "mvd_kg")
    client.login("anna")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    assert 'class="health-alert"' in html
    assert "<code>mvd_kg</code>" in html
    assert "<code>polisia_kz</code>" not in html.split('class="health-alert"')[1].split("</div>")[0]


def test_no_banner_while_every_source_is_healthy(client, review_env):
    _good_runs(review_env.url)
    client.login("anna")
    assert 'class="health-alert"' not in client.get("/inbox?period=2025-01").get_data(as_text=True)


def test_the_sources_page_shows_each_sources_health(client, review_env):
    _failing_runs(review_env.url, "akn_tj")
    client.login("root")
    html = client.get("/admin/sources").get_data(as_text=True)
    akn_row = html.split("<td>akn_tj</td>")[1].split("</tr>")[0]
    assert "health-unhealthy" in akn_row


def test_sources_never_crawled_are_flagged_so_a_stopped_scheduler_is_noticed(client, review_env):
    client.login("anna")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    banner = html.split('class="health-alert"')[1].split("</div>")[0]
    assert all(f"<code>{source}</code> — never crawled" in banner for source in site_ids())


def test_a_degraded_source_is_named_with_the_reason(client, review_env):
    _good_runs(review_env.url, {"mvd_ru": {"fallback_listing": 3}})
    client.login("anna")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    banner = html.split('class="health-alert"')[1].split("</div>")[0]
    degraded = "<code>mvd_ru</code> — <strong>degraded</strong>: listing selector matched nothing on 1 run"
    assert degraded in banner
    assert "<code>polisia_kz</code>" not in banner
