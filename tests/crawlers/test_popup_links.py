"""мвд.рф's home page links its news only as /news/window/<id>/ pop-ups: a crawl starting there
follows them and stores each article once, under the canonical URL of /news/item/<id>."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from config import config_dir
from core.urls import canonical_url
from mirror import MirrorServer
from storage import schema
from tests.crawlers.conftest import fetch
from tests.crawlers.test_crawl_e2e import newsmon, stored

pytestmark = pytest.mark.slow

HOME = "https://xn--b1aew.xn--p1ai/"


def _home_only_config(target: Path) -> Path:
    """The packaged configuration with мвд.рф read from its home page alone (no feed, no regions)."""
    shutil.copytree(config_dir(), target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    sources = target / "sources.toml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace('start_urls = ["https://мвд.рф/news"]\nfeeds = ["https://мвд.рф/news/rss"]',
                        'start_urls = ["https://мвд.рф/"]\nfeeds = []')
    text = re.sub(r"\[sources\.regions\]\n(?:\"\d+\" = .*\n)+", "", text)
    assert 'start_urls = ["https://мвд.рф/"]' in text and "[sources.regions]" not in text
    sources.write_text(text, encoding="utf-8")
    return target


def test_pop_up_links_are_followed_and_stored_as_the_items(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newsmon.sqlite'}"
    schema.upgrade(url)
    config = _home_only_config(tmp_path / "settings")  # not "config": the crawl runs in tmp_path
    with MirrorServer() as mirror:
        home = fetch(mirror, HOME).body.decode()
        popups = re.findall(r'href="/news/window/(\d+)/"', home)
        assert len(popups) >= 5, "the home page links news as pop-ups"
        result = newsmon("crawl", "mvd_ru", "--mirror", mirror.url, database_url=url, data_dir=tmp_path,
                         env={"NEWSMON_CONFIG_DIR": str(config)})
        assert result.returncode == 0, result.stderr[-3000:]
        asked = [path for host, path, _ in mirror.requests if host == "xn--b1aew.xn--p1ai"]
    articles = {article.canonical_url: article for article in stored(url)}
    for item_id in popups:
        article = articles[canonical_url(f"https://мвд.рф/news/item/{item_id}")]
        assert "/news/item/" in article.url and article.text
    assert not [path for path in asked if path.startswith("/news/window/")], "fetched as the items"
    items = [path for path in asked if path.startswith("/news/item/")]
    assert len(items) == len(set(items)), "each article fetched once"
    assert {f"/news/item/{item_id}/" for item_id in popups} <= set(items)
