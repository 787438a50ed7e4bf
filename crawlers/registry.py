"""The registry of sources: each configured source with its kind, spec and spider.

A source of kind ``site`` is crawled by the spider of its id (``crawlers/spiders/<id>.py``, a
:class:`~crawlers.base.NewsSpider` whose ``spec`` states the site's particulars); a source of
kind ``outlet`` by the generic outlet spider (:mod:`crawlers.outlet`). :class:`RegistrySpiderLoader`
is Scrapy's spider loader over this registry, so ``scrapy list`` and ``scrapy crawl <id>`` see
every configured source that has a spider.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
from dataclasses import dataclass
from typing import Any

from scrapy import Request, Spider

from config import ConfigError, SourceConfig, load_sources
from crawlers.base import NewsSpider
from crawlers.outlet import outlet_spider
from crawlers.spec import SiteSpec

SPIDER_PACKAGE = "crawlers.spiders"


@dataclass(frozen=True, slots=True)
class RegisteredSource:
    """One configured source and what crawls it."""

    config: SourceConfig
    spider: type[NewsSpider] | None
    """None: a site whose spider file is missing (``newsmon crawl`` says so)."""

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def kind(self) -> str:
        return self.config.kind

    @property
    def spec(self) -> SiteSpec | None:
        return self.spider.spec_for(self.config) if self.spider else None

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.config.languages)

    @property
    def timezones(self) -> tuple[str, ...]:
        """The source's zone, then its regional sites' zones."""
        return tuple(dict.fromkeys([self.config.timezone, *self.config.region_timezones.values()]))


def site_spider(source_id: str) -> type[NewsSpider] | None:
    """The spider class of a site, from ``crawlers/spiders/<source_id>.py`` (None if absent)."""
    try:
        module = importlib.import_module(f"{SPIDER_PACKAGE}.{source_id}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{SPIDER_PACKAGE}.{source_id}":
            return None
        raise
    for _, member in inspect.getmembers(module, inspect.isclass):
        if issubclass(member, NewsSpider) and getattr(member, "name", None) == source_id:
            return member
    return None


def _registered(source: SourceConfig) -> RegisteredSource:
    spider = outlet_spider(source.id) if source.kind == "outlet" else site_spider(source.id)
    return RegisteredSource(config=source, spider=spider)


def sites() -> list[RegisteredSource]:
    """Every configured source, in the configuration's order."""
    return [_registered(source) for source in load_sources().sources]


def missing_spider(source_id: str) -> str:
    """The one-line configuration error of a site whose spider file is missing."""
    return (f"config/sources.toml: source {source_id!r} has no spider (crawlers/spiders/{source_id}.py): "
            "add one, or set enabled = false")


def require_spiders() -> list[RegisteredSource]:
    """Every configured source; :class:`config.ConfigError` (one line) for the first enabled
    site without a spider, so that no command takes such a configuration for a good one."""
    registered = sites()
    for source in registered:
        if source.spider is None and source.config.enabled:
            raise ConfigError(missing_spider(source.id))
    return registered


def site(source_id: str) -> RegisteredSource:
    """One configured source (:class:`config.ConfigError` naming the known ids if unknown)."""
    return _registered(load_sources().source(source_id))


def site_ids(kind: str | None = None) -> list[str]:
    """The ids of the configured sources (of one kind)."""
    return [s.id for s in load_sources().sources if kind is None or s.kind == kind]


class RegistrySpiderLoader:
    """Scrapy's spider loader (``SPIDER_LOADER_CLASS``) over the registry."""

    def __init__(self, spiders: dict[str, type[NewsSpider]]) -> None:
        self._spiders = spiders

    @classmethod
    def from_settings(cls, settings: Any) -> RegistrySpiderLoader:
        return cls({s.id: s.spider for s in sites() if s.spider is not None})

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: Request) -> builtins.list[str]:
        return [name for name, cls in self._spiders.items() if cls.handles_request(request)]
