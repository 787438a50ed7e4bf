"""Every configured regional site of мвд.рф on the mirror, for the many-hosts benchmark.

The mirror's мвд.рф folder (``mirror/sites/mvd_ru``) has three regional hosts with hand-written
articles; the configuration (``config/sources.toml``, ``[sources.regions]``) names 85. With
``MirrorServer(regions=N)`` the site serves the main host and a regional host for each configured
code (or for the codes given), every one of them shaped like the folder's first regional host
(its ``[hosts."22.…"]`` table: legacy template, day archive, times in the region's zone) and
carrying ``N`` synthetic articles (:func:`mirror.synthetic.generate_regional`). Hosts not chosen
are not served, so a benchmark can grow the number of hosts: 1 (the main host), 8, 32, 86.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timezone
from zoneinfo import ZoneInfo

from config import load_sources
from mirror.model import Article
from mirror.shapes.base import DataSite
from mirror.shapes.portal import PortalHost, PortalSite
from mirror.synthetic import generate_regional

SOURCE_ID = "mvd_ru"
TEMPLATE_CODE = "22"
"""The regional host whose table the others copy."""


def configured_regions() -> dict[str, str]:
    """Region code -> IANA zone, as configured for мвд.рф."""
    return load_sources().source(SOURCE_ID).region_timezones


def regional_site(base: type[PortalSite], regions: Mapping[str, str]) -> type[PortalSite]:
    """``base`` (the мвд.рф site class) serving its main host and one host per region code."""
    main = base.canonical()
    template = base.host_data[f"{TEMPLATE_CODE}.{main}"]
    assert template.region is not None, "the template host is a regional one"
    host_data: dict[str, PortalHost] = {main: base.host_data[main]}
    for code, zone_name in regions.items():
        host = f"{code}.{main}"
        if host in base.host_data:
            host_data[host] = base.host_data[host]
            continue
        zone = _fixed_zone(zone_name)
        region = {**template.region, "code": code, "tz": zone, "cms_site": 100 + len(host_data),
                  "unit": f"ГУ МВД России по региону {code}", "region": f"Регион {code}"}
        host_data[host] = replace(template, zone=zone, region=region)
    return type(base.__name__, (base,), {"hosts": tuple(host_data), "host_data": host_data})


def _fixed_zone(name: str) -> timezone:
    """The zone's offset as a fixed zone (the mirror's hosts display one offset all year)."""
    offset = ZoneInfo(name).utcoffset(datetime(2024, 1, 15))
    return timezone(offset) if offset is not None else UTC


def with_regions(
    classes: Sequence[type[DataSite]], articles: Sequence[Article], per_host: int,
    codes: Sequence[str] | None = None, seed: int = 0,
) -> tuple[list[type[DataSite]], list[Article]]:
    """The site classes with мвд.рф serving ``codes`` (default: every configured region) and the
    articles with ``per_host`` synthetic ones on each of those regional hosts."""
    configured = configured_regions()
    chosen = {code: configured[code] for code in (configured if codes is None else codes)}
    out: list[type[DataSite]] = []
    extra: list[Article] = []
    for cls in classes:
        if cls.source_id == SOURCE_ID and issubclass(cls, PortalSite):
            site = regional_site(cls, chosen)
            extra = generate_regional(site, site.hosts[1:], per_host, seed)
            cls = site
        out.append(cls)
    served = {(cls.source_id, host) for cls in out for host in cls.hosts}
    kept = [a for a in articles if (a.source_id, a.host) in served or a.source_id != SOURCE_ID]
    return out, kept + extra
