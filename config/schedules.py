"""``config/schedules.toml``: when sources are crawled, when drafts are built, health thresholds.

Validated on load like ``sources.toml``: an error names the file and the field, e.g.
``schedules.toml: crawl.mvd_kg.cron: not a cron expression: …``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, Field, field_validator

from config import ConfigError, SourcesFile, config_dir, load_sources, validate_file

SCHEDULES_FILE = "schedules.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_cron(value: str) -> str:
    fields = value.split()
    if len(fields) != 5:
        raise ValueError(f"not a cron expression: {value!r} has {len(fields)} fields, expected 5 "
                         "(minute hour day month weekday)")
    if any(ch.isdigit() for ch in fields[4]):
        # crontab counts weekdays from Sunday = 0, APScheduler from Monday = 0: names are unambiguous.
        raise ValueError(f"weekday field {fields[4]!r}: use day names (mon, tue-fri …), not numbers")
    try:
        CronTrigger.from_crontab(value, timezone=UTC)
    except ValueError as exc:
        raise ValueError(f"not a cron expression {value!r}: {exc}") from exc
    return value


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}") from exc
    return value


class SchedulerSettings(_Strict):
    """How the scheduler process behaves."""

    timezone: str = Field(description="The desk's time zone: cron fields and period ends are read in it")
    max_workers: int = Field(default=8, ge=1, le=64)
    misfire_grace_time_s: int = Field(default=1800, ge=1)
    shutdown_grace_s: float = Field(default=120, ge=0)
    kill_grace_s: float = Field(default=20, ge=0)
    crawl_command: list[str] = Field(
        default_factory=lambda: ["{python}", "-m", "newsmon", "crawl", "{source}"],
        min_length=1,
        description="argv of one crawl; {python} is this interpreter, {source} the source id",
    )

    @field_validator("crawl_command")
    @classmethod
    def _names_the_source(cls, value: list[str]) -> list[str]:
        if not any("{source}" in part for part in value):
            raise ValueError("the crawl command must contain {source}")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class CrawlDefaults(_Strict):
    """The schedule of every enabled source without its own ``[crawl.<id>]`` entry."""

    cron: str
    jitter_s: int = Field(default=300, ge=0, le=3600)
    time_limit_s: float = Field(default=3600, gt=0)
    retry_delays_s: list[int] = Field(default_factory=lambda: [300, 900, 2700], max_length=10)

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        return _check_cron(value)

    @field_validator("retry_delays_s")
    @classmethod
    def _positive(cls, value: list[int]) -> list[int]:
        if any(delay < 1 for delay in value):
            raise ValueError("retry delays are seconds, at least 1")
        return value


class CrawlOverride(_Strict):
    """A source's own schedule; unset fields come from ``[crawl_defaults]``."""

    enabled: bool = True
    cron: str | None = None
    jitter_s: int | None = Field(default=None, ge=0, le=3600)
    time_limit_s: float | None = Field(default=None, gt=0)
    retry_delays_s: list[int] | None = Field(default=None, max_length=10)

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        return None if value is None else _check_cron(value)

    @field_validator("retry_delays_s")
    @classmethod
    def _positive(cls, value: list[int] | None) -> list[int] | None:
        if value is not None and any(delay < 1 for delay in value):
            raise ValueError("retry delays are seconds, at least 1")
        return value


class ReleaseSchedule(_Strict):
    """The period-end job: the draft of the period that just closed."""

    enabled: bool = True
    cron: str = "0 6 1,16 * *"
    editions: list[str] = Field(default_factory=lambda: ["en", "ru"], min_length=1)
    formats: list[str] = Field(default_factory=lambda: ["pdf", "docx", "html", "md"], min_length=1)
    out_dir: str | None = Field(default=None, description="default: output.directory of release.toml")

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        return _check_cron(value)

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        known = ("pdf", "docx", "html", "md")
        for fmt in value:
            if fmt not in known:
                raise ValueError(f"unknown format {fmt!r} (known: {', '.join(known)})")
        return value

    @field_validator("editions")
    @classmethod
    def _known_editions(cls, value: list[str]) -> list[str]:
        for edition in value:
            if edition not in ("en", "ru"):
                raise ValueError(f"unknown edition {edition!r} (known: en, ru)")
        return value


class ModelSchedule(_Strict):
    """Retraining the relevance model after each period from the desk's decisions."""

    retrain: bool = False
    cron: str = "0 7 1,16 * *"
    use_desk: bool = True

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        return _check_cron(value)


class HealthThresholds(_Strict):
    """When a source is flagged unhealthy (:mod:`storage.health`)."""

    no_new_articles_runs: int = Field(default=5, ge=1)
    failed_runs: int = Field(default=3, ge=1)
    error_rate: float = Field(default=0.5, gt=0)
    error_rate_jump: float = Field(default=3.0, gt=1)
    error_rate_floor: float = Field(default=0.1, ge=0)
    baseline_runs: int = Field(default=10, ge=1)
    blocked_kinds: list[str] = Field(
        default_factory=lambda: ["challenge", "http_4xx", "http_403", "http_429"]
    )
    blocked_share: float = Field(default=0.5, gt=0, le=1)
    markup_runs: int = Field(default=3, ge=1)
    markup_share: float = Field(default=0.6, gt=0, le=1)
    markup_min_articles: int = Field(default=5, ge=1)
    markup_error_kinds: list[str] = Field(default_factory=lambda: ["no_links", "parse"])
    stale_after_hours: float = Field(default=26, gt=0)
    fallback_kinds: dict[str, str] = Field(
        default_factory=lambda: {
            "fallback_listing": "listing",
            "fallback_date": "date",
            "fallback_body": "body",
        }
    )
    fallback_share: float = Field(default=0.5, gt=0, le=1)
    fallback_page_kinds: list[str] = Field(default_factory=lambda: ["fallback_listing"])
    feed_kinds: dict[str, str] = Field(
        default_factory=lambda: {
            "feed_empty": "lists no article",
            "feed_stale": "misses the listing's newest articles",
        }
    )


class SchedulesFile(_Strict):
    scheduler: SchedulerSettings
    crawl_defaults: CrawlDefaults
    crawl: dict[str, CrawlOverride] = Field(default_factory=dict)
    release: ReleaseSchedule = Field(default_factory=ReleaseSchedule)
    model: ModelSchedule = Field(default_factory=ModelSchedule)
    health: HealthThresholds = Field(default_factory=HealthThresholds)


@dataclass(frozen=True, slots=True)
class SourceSchedule:
    """The effective schedule of one source (defaults merged with its override)."""

    source_id: str
    cron: str
    jitter_s: int
    time_limit_s: float
    retry_delays_s: tuple[int, ...]


def check_sources(schedules: SchedulesFile, sources: SourcesFile, path: Path) -> None:
    """Every ``[crawl.<id>]`` must name a configured source."""
    known = {source.id for source in sources.sources}
    for key in schedules.crawl:
        if key not in known:
            configured = ", ".join(sorted(known))
            raise ConfigError(f"{path}: crawl.{key}: unknown source {key!r} (configured: {configured})")


def source_schedules(schedules: SchedulesFile, sources: SourcesFile) -> list[SourceSchedule]:
    """The crawl schedule of every enabled source, in ``sources.toml`` order."""
    result = []
    defaults = schedules.crawl_defaults
    for source in sources.sources:
        override = schedules.crawl.get(source.id, CrawlOverride())
        if not (source.enabled and override.enabled):
            continue
        result.append(
            SourceSchedule(
                source_id=source.id,
                cron=override.cron or defaults.cron,
                jitter_s=defaults.jitter_s if override.jitter_s is None else override.jitter_s,
                time_limit_s=override.time_limit_s or defaults.time_limit_s,
                retry_delays_s=tuple(
                    defaults.retry_delays_s if override.retry_delays_s is None else override.retry_delays_s
                ),
            )
        )
    return result


@cache
def _load(directory: str) -> SchedulesFile:
    path = Path(directory) / SCHEDULES_FILE
    schedules = validate_file(path, SchedulesFile)
    check_sources(schedules, load_sources(), path)
    return schedules


def load_schedules() -> SchedulesFile:
    """The validated ``schedules.toml`` of the current configuration folder (cached per folder)."""
    return _load(str(config_dir()))


def clear_cache() -> None:
    _load.cache_clear()
