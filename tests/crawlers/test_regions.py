"""мвд.рф as it is: every region's site configured, codes as the site writes them, each in its zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from config import load_sources
from crawlers.spiders.mvd_ru import MvdRuSpider


def test_every_regional_site_is_configured_with_its_own_zone() -> None:
    source = load_sources().source("mvd_ru")
    assert len(source.regions) == 84  # 85 regions; Leningrad Oblast is served by 78
    assert len({ZoneInfo(zone) for zone in source.regions.values()}) > 10


@pytest.mark.parametrize(
    ("code", "zone"),
    [("01", "Europe/Moscow"), ("09", "Europe/Moscow"), ("22", "Asia/Barnaul"), ("41", "Asia/Kamchatka"),
     ("39", "Europe/Kaliningrad"), ("87", "Asia/Anadyr")],
)
def test_codes_are_written_as_the_site_writes_them(code: str, zone: str) -> None:
    assert load_sources().source("mvd_ru").regions[code] == zone


def test_each_regional_site_is_a_channel_on_its_own_host_and_zone() -> None:
    source = load_sources().source("mvd_ru")
    channels = {channel.host: channel for channel in MvdRuSpider().channels()}
    assert channels["01.xn--b1aew.xn--p1ai"].timezone == "Europe/Moscow"
    assert channels["41.xn--b1aew.xn--p1ai"].feed == "https://41.xn--b1aew.xn--p1ai/news/rss"
    assert len(channels) == 1 + len(source.regions)
    assert source.regional_hosts[0] == "01.мвд.рф"
