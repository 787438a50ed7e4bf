"""A redesign (other class names, other element structure, same URLs and texts) loses nothing: the
crawl falls back to generic discovery and extraction, stores every article of every site and
every reference event, and marks the sources whose known markup vanished as degraded."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.boilerplate import load_boilerplate
from core.urls import canonical_url
from crawlers.registry import sites
from mirror import MirrorServer
from storage.db import dispose_engines
from tests.crawlers.test_crawl_e2e import newsmon, runs, stored

REPO = Path(__file__).resolve().parents[2]
REFERENCE_DECISIONS = REPO / "mirror" / "decisions" / "2025-01.jsonl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redesigned_mirror() -> Iterator[MirrorServer]:
    with MirrorServer(redesign=True) as server:
        yield server


def _with_known_markup() -> list[str]:
    """Sources whose spec states listing markup or whose entry states body markup (not outlets)."""
    return [
        source.id
        for source in sites()
        if source.spec is not None
        and (source.spec.listing_item_selectors or load_boilerplate().body_selectors(source.id))
    ]


def test_the_redesigned_mirror_keeps_urls_and_text_but_not_markup(redesigned_mirror: MirrorServer) -> None:
    from tests.crawlers.conftest import fetch

    page = fetch(redesigned_mirror, "https://xn--b1aew.xn--p1ai/news/item/59534091").body.decode()
    assert "Молодые лидеры Сибири" in page
    assert "news-detail" not in page and "<time" not in page
    assert '<link rel="alternate" type="application/rss+xml"' in page


def test_a_crawl_of_a_redesign_stores_everything_and_reports_the_sources_degraded(
    migrated_db: str, redesigned_mirror: MirrorServer, manifest_rows: list[dict], tmp_path: Path
) -> None:
    dispose_engines()
    crawl = newsmon("crawl", "--mirror", redesigned_mirror.url, database_url=migrated_db, data_dir=tmp_path)
    assert crawl.returncode == 0, crawl.stderr[-3000:]

    articles = {article.canonical_url: article for article in stored(migrated_db)}
    per_source = Counter(row["source_id"] for row in manifest_rows)
    assert Counter(article.source_id for article in articles.values()) == per_source
    assert not [row["url"] for row in manifest_rows if canonical_url(row["url"]) not in articles]
    for line in REFERENCE_DECISIONS.read_text(encoding="utf-8").splitlines():
        article = articles[canonical_url(json.loads(line)["url"])]
        assert (article.period_year, article.period_number) == (2025, 1), article.url
        assert len(article.text) > 200, article.url

    degraded = _with_known_markup()
    assert degraded, "the police sites state their known markup"
    for run in runs(migrated_db):
        assert run.status == "finished", run.message
        misses = {kind for kind in (run.errors_by_kind or {}) if kind.startswith("fallback_")}
        assert bool(misses) == (run.source_id in degraded), (run.source_id, run.errors_by_kind)

    check = newsmon("status", "--check", database_url=migrated_db, data_dir=tmp_path)
    assert check.returncode == 1
    lines = dict(line.split(": ", 1) for line in check.stdout.strip().splitlines())
    assert sorted(lines) == sorted(degraded)
    assert all(line.startswith("degraded: ") and "selector matched nothing on 1 run" in line
               for line in lines.values())
