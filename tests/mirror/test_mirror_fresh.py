"""``fresh=N``: a site that published N more articles since the last crawl (the benchmarks'
incremental crawl)."""

from __future__ import annotations

from collections import Counter

from mirror import MirrorServer, articles
from mirror.synthetic import synthetic_sources
from mirror.testing import fetch


def test_fresh_articles_come_on_top_of_an_unchanged_site():
    before = {a.url: a for a in articles(synthetic=30)}
    after = {a.url: a for a in articles(synthetic=30, fresh=5)}
    assert set(before) <= set(after)
    assert all(after[url] == article for url, article in before.items()), "old articles unchanged"
    fresh = [a for url, a in after.items() if url not in before]
    assert Counter(a.source_id for a in fresh) == {source_id: 5 for source_id in synthetic_sources()}
    for article in fresh:
        own = [a for a in before.values() if a.source_id == article.source_id]
        assert article.sort_time > max(a.sort_time for a in own), article.url
        if article.item_id is not None:
            assert article.item_id > max(a.item_id or 0 for a in own), article.url
    again = articles(synthetic=30, fresh=5)
    assert [a.url for a in again] == [a.url for a in articles(synthetic=30, fresh=5)]


def test_a_fresh_server_lists_the_new_articles_first():
    with MirrorServer(fresh=1) as server:
        fresh = {a.source_id: a for a in server.articles if ":fresh:" in a.cluster}
        assert fetch(server, fresh["polisia_kz"].url).status == 200
        assert fresh["polisia_kz"].url in fetch(server, "https://polisia.kz/ru/feed/").text
        assert fresh["mvd_kg"].path in fetch(server, "https://mvd.gov.kg/rus/news").text
        assert not server.errors
