"""``regions=N``: мвд.рф on its main host and every configured regional host (the many-hosts
benchmark, ``benchmarks/hosts.py``)."""

from __future__ import annotations

import json
import urllib.request
from collections import Counter

from mirror import MirrorServer
from mirror.regions import configured_regions
from mirror.testing import fetch

MAIN = "xn--b1aew.xn--p1ai"


def _served_hosts(server: MirrorServer) -> set[str]:
    with urllib.request.urlopen(server.url + "/__mirror__/health") as answer:
        return {host for host in json.load(answer)["hosts"] if host.endswith(MAIN)}


def test_the_many_hosts_mirror_serves_the_main_host_and_every_configured_region():
    with MirrorServer(regions=2) as server:
        hosts = _served_hosts(server)
        assert hosts == {MAIN} | {f"{code}.{MAIN}" for code in configured_regions()}
        assert len(hosts) == 1 + len(configured_regions()) == 85, "main + the 84 configured regions"
        per_host = Counter(a.host for a in server.articles if a.synthetic and a.source_id == "mvd_ru")
        assert all(per_host[host] >= 2 for host in hosts - {MAIN})
        assert not server.errors


def test_a_new_regional_host_lists_its_articles_in_its_feed_and_serves_them():
    with MirrorServer(regions=3, region_codes=["77"]) as server:
        host = f"77.{MAIN}"
        own = [a for a in server.articles if a.host == host]
        assert len(own) == 3
        feed = fetch(server, f"https://{host}/news/rss").text
        assert all(a.path in feed for a in own)
        page = fetch(server, own[0].url)
        assert page.status == 200
        assert own[0].title in page.text and "div class=\"article\"" in page.text
        assert fetch(server, f"https://78.{MAIN}/news").status == 404, "a region not chosen is not served"


def test_the_number_of_hosts_follows_the_codes_given():
    with MirrorServer(regions=1, region_codes=["05", "06", "22"]) as server:
        assert _served_hosts(server) == {MAIN, f"05.{MAIN}", f"06.{MAIN}", f"22.{MAIN}"}
    with MirrorServer(regions=1, region_codes=[]) as server:
        assert _served_hosts(server) == {MAIN}
        assert {a.host for a in server.articles if a.source_id == "mvd_ru"} == {MAIN}
