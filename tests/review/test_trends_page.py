"""The trends dashboard: server-rendered charts with the numbers beside them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

import desk
from storage.db import session_scope
from tests.review.conftest import browser_login


@pytest.fixture
def accepted_heroin(review_env) -> int:
    event_id = review_env.events["tj_heroin"]
    with session_scope(review_env.url) as s:
        desk.accept(s, event_id, actor="anna")
    return event_id


def test_the_dashboard_lists_what_its_chart_draws(client, accepted_heroin):
    client.login("anna")
    html = client.get("/trends?from=2025-01&to=2025-03&by=substance").get_data(as_text=True)
    assert '<img id="trend-chart" src="/trends/chart.svg?from=2025-01&amp;to=2025-03' in html
    assert "<td>heroin</td><td class=\"n\">1</td><td class=\"n\">5.000</td>" in html


def test_the_chart_is_an_svg_with_the_periods_on_its_axis(client, accepted_heroin):
    client.login("anna")
    response = client.get("/trends/chart.svg?from=2025-01&to=2025-03&by=substance")
    assert response.mimetype == "image/svg+xml"
    texts = {el.text for el in ET.fromstring(response.data).iter() if el.tag.endswith("text")}
    assert {"2025-01", "2025-02", "2025-03", "Tajikistan: events"} <= texts


def test_png_and_csv_are_downloads(client, accepted_heroin):
    client.login("anna")
    png = client.get("/trends/chart.png?from=2025-01&to=2025-02")
    assert png.data.startswith(b"\x89PNG") and "attachment" in png.headers["Content-Disposition"]
    csv = client.get("/trends/chart.csv?from=2025-01&to=2025-02&by=substance").get_data(as_text=True)
    assert "2025-01,1-15.01.2025,TJ,heroin,1,5000" in csv


def test_without_accepted_events_the_page_says_so_and_offers_all_candidates(client, review_env):
    client.login("anna")
    html = client.get("/trends?from=2025-01&to=2025-02").get_data(as_text=True)
    assert 'id="no-trends"' in html and "scope=candidates" in html


def test_nonsense_in_the_query_falls_back_to_defaults(client, review_env):
    client.login("anna")
    assert client.get("/trends?from=%C2%B2&to=9999999999-99&by=<script>&country=%00").status_code == 200
    assert client.get("/trends/chart.exe").status_code == 404


@pytest.mark.browser
@pytest.mark.slow
def test_the_dashboard_in_the_browser(page, live_server):
    env = live_server.env
    with session_scope(env.url) as s:
        desk.accept(s, env.events["tj_heroin"], actor="anna")
    browser_login(page, "anna")
    page.goto("/inbox?period=2025-01")
    page.click("nav >> text=Trends")
    page.fill('input[name="from"]', "2025-01")
    page.fill('input[name="to"]', "2025-03")
    page.select_option('select[name="by"]', "substance")
    page.click("#trend-filters button[type=submit]")
    chart = page.locator("#trend-chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_js_property("complete", True)
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG loaded and was drawn
    expect(page.locator("#trend-table tbody tr")).to_have_count(1)
    expect(page.locator("#trend-table")).to_contain_text("heroin")
