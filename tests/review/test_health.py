"""Source health reaches analysts: an unhealthy source is flagged in the inbox and on the sources page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.db import session_scope
from storage.models import CrawlRun


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
    _failing_runs(review_env.url, "mvd_kg")
    client.login("anna")
    html = client.get("/inbox?period=2025-01").get_data(as_text=True)
    assert 'class="health-alert"' in html
    assert "<code>mvd_kg</code>" in html
    assert "<code>polisia_kz</code>" not in html.split('class="health-alert"')[1].split("</div>")[0]


def test_no_banner_while_every_source_is_healthy(client, review_env):
    client.login("anna")
    assert 'class="health-alert"' not in client.get("/inbox?period=2025-01").get_data(as_text=True)


def test_the_sources_page_shows_each_sources_health(client, review_env):
    _failing_runs(review_env.url, "akn_tj")
    client.login("root")
    html = client.get("/admin/sources").get_data(as_text=True)
    akn_row = html.split("<td>akn_tj</td>")[1].split("</tr>")[0]
    assert "health-unhealthy" in akn_row
