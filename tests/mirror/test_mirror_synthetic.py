"""Synthetic mode adds N deterministic, realistic extra articles per site, before the fixtures."""

from __future__ import annotations

from collections import Counter
from datetime import date

from mirror import MirrorServer, articles
from mirror.catalog import in_period
from mirror.stories import plural
from mirror.synthetic import synthetic_sources
from mirror.testing import fetch

N = 40


def synthetic(n=N, seed=0):
    return [a for a in articles(synthetic=n, seed=seed) if a.synthetic]


def test_n_extra_articles_per_site():
    sites = synthetic_sources()
    assert Counter(a.source_id for a in synthetic()) == {s: N for s in sites}


def test_same_seed_gives_the_same_articles_and_another_seed_others():
    first = [(a.url, a.title, a.text, a.published) for a in synthetic()]
    again = [(a.url, a.title, a.text, a.published) for a in synthetic()]
    other = [(a.url, a.title, a.text, a.published) for a in synthetic(seed=7)]
    assert first == again and first != other


def test_synthetic_articles_leave_the_fixture_periods_untouched():
    extra = synthetic()
    assert all(date(2023, 1, 1) <= a.published.date() <= date(2024, 11, 30) for a in extra)
    with_extra = articles(synthetic=N)
    assert {a.cluster for a in with_extra if a.drug_related and in_period(a)} == {
        a.cluster for a in articles() if a.drug_related and in_period(a)}


def test_synthetic_mixes_drug_and_other_news_with_multi_paragraph_bodies():
    extra = synthetic(200)
    share = sum(a.drug_related for a in extra) / len(extra)
    assert 0.25 < share < 0.7
    assert all(2 <= len(a.paragraphs) <= 7 for a in extra)
    assert len({a.title for a in extra}) > len(extra) / 3


def test_synthetic_ids_are_older_than_the_fixture_ids():
    fixtures = [a for a in articles() if a.item_id]
    extra = [a for a in synthetic() if a.item_id]
    for source in ("mvd_kg", "mvd_ru"):
        assert max(a.item_id for a in extra if a.source_id == source) < min(
            a.item_id for a in fixtures if a.source_id == source)


def test_a_synthetic_server_serves_them_in_listings_and_pages():
    with MirrorServer(synthetic=N) as server:
        extra = synthetic()
        for a in extra[::17]:
            assert fetch(server, a.url).status == 200, a.url
        kg_ru = [a for a in articles(synthetic=N) if a.source_id == "mvd_kg" and a.language == "ru"]
        last_page = (len(kg_ru) + 9) // 10
        assert fetch(server, f"https://mvd.gov.kg/rus/news?page={last_page}").status == 200
        assert not server.errors


def test_russian_plural_agreement():
    assert [plural(n, "факт", "факта", "фактов") for n in (1, 3, 5, 11, 21, 22, 112)] == [
        "1 факт", "3 факта", "5 фактов", "11 фактов", "21 факт", "22 факта", "112 фактов"]
