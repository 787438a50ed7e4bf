"""Loading and validating newsmon's configuration files.

The files in this folder are data (sources, schedules, lexicons, gazetteer, release settings);
this module is the one place that reads them. ``NEWSMON_CONFIG_DIR`` points newsmon at another
folder with the same layout (tests use it to plant malformed files).
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.errors import UserError

PACKAGED_CONFIG_DIR = Path(__file__).resolve().parent


class ConfigError(UserError):
    """A configuration file is missing or malformed; the message names the file and field."""


def config_dir() -> Path:
    """The folder configuration is read from."""
    override = os.environ.get("NEWSMON_CONFIG_DIR")
    return Path(override) if override else PACKAGED_CONFIG_DIR


def data_dir() -> Path:
    """The folder newsmon keeps its data in (``NEWSMON_DATA_DIR``, default ``./data``): the SQLite
    file, retrained models."""
    return Path(os.environ.get("NEWSMON_DATA_DIR") or "data")


def config_path(*parts: str) -> Path:
    """A path inside the configuration folder."""
    return config_dir().joinpath(*parts)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Politeness(_Strict):
    concurrency_per_host: int = Field(default=1, ge=1, le=16)
    download_delay_s: float = Field(default=1.0, ge=0, le=120)


class SourceConfig(_Strict):
    """One monitored source.

    ``kind = "site"`` (the default): a site with its own spider, ``crawlers/spiders/<id>.py``,
    which states the site's particulars. ``kind = "outlet"``: a news outlet crawled by the
    generic outlet spider from what this entry states alone (feeds, an optional listing in
    ``start_urls``, ``article_patterns``, ``language_paths``).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["site", "outlet"] = "site"
    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 reporting country")
    timezone: str
    languages: list[str] = Field(min_length=1)
    hosts: list[str] = Field(min_length=1)
    start_urls: list[str] = Field(default_factory=list)
    """Listing pages (a site needs one at least; an outlet's listing is optional)."""
    feeds: list[str] = Field(default_factory=list)
    article_patterns: list[str] = Field(default_factory=list)
    """Outlets: regular expressions an article URL's path (+ ``?query``) matches in full."""
    language_paths: dict[str, str] = Field(default_factory=dict)
    """Outlets: path prefix -> ISO 639-1 language its articles are in (``"/ru/" = "ru"``)."""
    regions: dict[str, str] = Field(default_factory=dict)
    """Regional sites ``<code>.<host>`` of the source: code, as the site writes it (``"01"``),
    -> the IANA time zone the regional site writes its times in."""
    politeness: Politeness = Field(default_factory=Politeness)
    enabled: bool = True
    url_date: str | None = None
    """A regular expression over the URL path with groups ``year``, ``month``, ``day``, when the
    site's article URLs state their date (``/2025/01/10/``)."""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        _check_zone(value)
        return value

    @field_validator("regions")
    @classmethod
    def _known_region_timezones(cls, value: dict[str, str]) -> dict[str, str]:
        for code, zone in value.items():
            if not re.fullmatch(r"[0-9a-z-]{1,20}", code):
                raise ValueError(f"region code {code!r} is no host label (digits as the site writes them)")
            _check_zone(zone)
        return value

    @property
    def region_codes(self) -> list[str]:
        """The regional sites' codes, in configuration order."""
        return list(self.regions)

    @property
    def regional_hosts(self) -> list[str]:
        """The regional sites' hosts, ``<code>.<main host>`` (``01.мвд.рф``)."""
        return [f"{code}.{self.hosts[0]}" for code in self.regions]

    @property
    def region_timezones(self) -> dict[str, str]:
        """Regional site code -> its time zone."""
        return dict(self.regions)

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, value: list[str]) -> list[str]:
        for code in value:
            if not (2 <= len(code) <= 3 and code.isalpha() and code.islower()):
                raise ValueError(f"{code!r} is not an ISO 639-1 language code")
        return value

    @field_validator("url_date")
    @classmethod
    def _date_pattern(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            groups = set(re.compile(value).groupindex)
        except re.error as exc:
            raise ValueError(f"bad regular expression: {exc}") from exc
        if not {"year", "month", "day"} <= groups:
            raise ValueError("needs the named groups year, month and day: (?P<year>\\d{4})…")
        return value

    @field_validator("article_patterns")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        return checked_patterns(value)

    @model_validator(mode="after")
    def _discoverable(self) -> SourceConfig:
        if self.kind == "site" and not self.start_urls:
            raise ValueError("start_urls: a site needs at least one listing URL")
        if self.kind == "outlet":
            if not (self.feeds or self.start_urls):
                raise ValueError("an outlet needs feeds or a listing URL in start_urls")
            if not self.article_patterns:
                raise ValueError("article_patterns: an outlet needs the pattern of its article URLs")
        elif self.article_patterns or self.language_paths:
            raise ValueError("article_patterns, language_paths: for outlets (a site has them in its spider)")
        return self

    @field_validator("start_urls", "feeds")
    @classmethod
    def _absolute_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"{url!r} is not an absolute http(s) URL")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class CrawlerConfig(_Strict):
    user_agent: str = Field(min_length=1)
    contact_url: str
    obey_robots: bool = True
    download_timeout_s: float = Field(default=30, gt=0, le=600)
    retry_times: int = Field(default=3, ge=0, le=20)


class SourcesFile(_Strict):
    crawler: CrawlerConfig
    sources: list[SourceConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> SourcesFile:
        seen: set[str] = set()
        for source in self.sources:
            if source.id in seen:
                raise ValueError(f"source id {source.id!r} appears twice")
            seen.add(source.id)
        return self

    def source(self, source_id: str) -> SourceConfig:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources)
        raise ConfigError(f"unknown source {source_id!r} (configured: {known})")


def checked_patterns(patterns: list[str]) -> list[str]:
    """``patterns`` when each is a regular expression; otherwise the error names the bad one."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regular expression {pattern!r}: {exc}") from exc
    return patterns


def _check_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file, turning every failure into a ConfigError naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


ModelT = TypeVar("ModelT", bound=BaseModel)


def validate_file(path: Path, model: type[ModelT], data: dict[str, Any] | None = None) -> ModelT:
    """Validate a TOML file against a model; errors name the file and the dotted field path."""
    raw = read_toml(path) if data is None else data
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation_error(exc, raw)}") from exc


def describe_validation_error(exc: ValidationError, raw: dict[str, Any]) -> str:
    """One readable line per problem, e.g. ``sources[1] (mvd_kg).timezone: unknown time zone``."""
    problems = []
    for error in exc.errors():
        location = _format_location(error["loc"], raw)
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{location}: {message}" if location else message)
    return "; ".join(problems)


def _format_location(loc: tuple[Any, ...], raw: dict[str, Any]) -> str:
    text = ""
    node: Any = raw
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                text += f" ({node['id']})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return text


@cache
def _load_sources(directory: str) -> SourcesFile:
    return validate_file(Path(directory) / "sources.toml", SourcesFile)


def load_sources() -> SourcesFile:
    """The validated ``sources.toml`` of the current configuration folder (cached per folder)."""
    return _load_sources(str(config_dir()))


def clear_cache() -> None:
    """Forget cached configuration (tests that switch NEWSMON_CONFIG_DIR call this)."""
    _load_sources.cache_clear()
