"""What every shape reads from ``site.toml``: hosts and aliases, zone, robots, editions, page dates.

Keys common to all shapes::

    shape = "wordpress"                  # outlet (default) | wordpress | id_news | portal
    source_id = "example_kz"             # the folder name by convention
    name = "Example"                     # optional, for templates
    hosts = ["example.kz", "www.example.kz"]   # the first is canonical, the others 301 to it
                                         # (the portal shape takes a [hosts.<host>] table instead)
    utc_offset_hours = 5                 # the zone the pages display times in
    hreflang = true                      # article pages link their language versions
    robots = ["Disallow: /wp-admin/"]    # lines under "User-agent: *" (allow-all when empty)
    default_page_date = "meta"           # where pages state the date (model.PAGE_DATE_KINDS)
    page_date_without_meta = "url"       # optional: for articles with meta_date = false

    [editions.ru]                        # wordpress, id_news: one table per language, in order;
    prefix = "/ru"                       # the path prefix ("" for the root edition) ...
    signature = "Пресс-служба"           # ... an optional default article signature ...
    not_found = "Страница не найдена"    # ... and any UI strings the templates show (ed.*, ui.*)
"""

from __future__ import annotations

import tomllib
from datetime import timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import mirror.dates as dates
from mirror.messages import Request, Response, redirect
from mirror.model import PAGE_DATE_KINDS
from mirror.site import Site

Edition = MappingProxyType[str, Any]


class DataSite(Site):
    """A site served from its folder's data; a shape subclasses it and implements :meth:`serve`."""

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    """Hosts that answer every path with a 301 to the same path on the canonical host."""
    zone: ClassVar[timezone]
    page_date: ClassVar[str] = "meta"
    page_date_without_meta: ClassVar[str | None] = None
    editions: ClassVar[dict[str, Edition]] = {}
    """Language -> the edition's table (``prefix``, UI strings), in the order of ``site.toml``."""

    @classmethod
    def attributes(cls, raw: dict[str, Any], directory: Path) -> dict[str, Any]:
        """Class attributes of a site of this shape from its ``site.toml`` (shapes extend this)."""
        where = f"{directory}/site.toml"
        for key in ("default_page_date", "page_date_without_meta"):
            if raw.get(key, "meta") not in PAGE_DATE_KINDS:
                raise ValueError(f"{where}: {key} must be one of {PAGE_DATE_KINDS}")
        hosts = raw["hosts"]
        attributes: dict[str, Any] = {
            "source_id": raw["source_id"],
            "name": raw.get("name", raw["source_id"]),
            "hosts": tuple(hosts),
            "aliases": tuple(hosts[1:]) if isinstance(hosts, list) else (),
            "hreflang": bool(raw.get("hreflang", False)),
            "directory": directory,
            "robots_rules": tuple(raw.get("robots", ())),
            "page_date": raw.get("default_page_date", "meta"),
            "page_date_without_meta": raw.get("page_date_without_meta"),
            "editions": {lang: MappingProxyType(table) for lang, table in raw.get("editions", {}).items()},
        }
        if "utc_offset_hours" in raw:
            attributes["zone"] = dates.offset(raw["utc_offset_hours"])
        return attributes

    @classmethod
    def require_editions(cls, raw: dict[str, Any], directory: Path) -> None:
        """Shapes with editions need at least one, each with its ``prefix``."""
        editions = raw.get("editions") or {}
        if not editions or not all("prefix" in table for table in editions.values()):
            raise ValueError(f"{directory}/site.toml: needs [editions.<language>] tables with a prefix")

    @classmethod
    def local_tz(cls, host: str) -> timezone:
        return cls.zone

    @classmethod
    def default_page_date(cls, host: str, meta_date: bool) -> str:
        if not meta_date and cls.page_date_without_meta:
            return cls.page_date_without_meta
        return cls.page_date

    @classmethod
    def default_signature(cls, language: str, host: str) -> str | None:
        edition = cls.editions.get(language)
        return edition.get("signature") if edition else None

    @classmethod
    def canonical(cls) -> str:
        return cls.hosts[0]

    @classmethod
    def root_language(cls) -> str:
        """The language of the edition at the site root (else the first edition's)."""
        roots = [lang for lang, ed in cls.editions.items() if ed["prefix"] == ""]
        return roots[0] if roots else next(iter(cls.editions))

    @classmethod
    def edition_of(cls, path: str) -> tuple[str, str]:
        """The edition ``path`` belongs to by its prefix, and the rest of the path after the prefix."""
        language, rest, longest = cls.root_language(), path, -1
        for lang, ed in cls.editions.items():
            prefix = ed["prefix"]
            if prefix and (path == prefix or path.startswith(prefix + "/")) and len(prefix) > longest:
                language, rest, longest = lang, path[len(prefix):], len(prefix)
        return language, rest

    def route(self, req: Request) -> Response:
        if req.host in self.aliases:
            return redirect(f"https://{self.canonical()}{req.path_with_query}")
        return self.serve(req)

    def serve(self, req: Request) -> Response:
        raise NotImplementedError

    @staticmethod
    def int_param(req: Request, name: str) -> int:
        """A page-number query parameter; 1 when absent, empty or not a number."""
        try:
            return int(req.params.get(name, "1") or 1)
        except ValueError:
            return 1


def read_site_toml(directory: Path) -> dict[str, Any]:
    with (directory / "site.toml").open("rb") as handle:
        return tomllib.load(handle)
