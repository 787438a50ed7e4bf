"""``config/release.toml``: the organisation, the editions' wording, country sections, topic phrases.

Loaded through :mod:`config` (so ``NEWSMON_CONFIG_DIR`` applies and errors name the file and
field) and cached per configuration folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config import config_dir, validate_file

Edition = Literal["en", "ru"]
EDITIONS: tuple[Edition, ...] = ("en", "ru")

# The placeholders each template may use; str.format with anything else is a config error.
_PLACEHOLDERS = {
    "number_label": {"number"},
    "place_line": {"place", "year"},
    "masthead_title": {"org"},
    "masthead_name": {"number", "year"},
    "summary": {"start_day", "end_day", "month", "year", "org", "count", "events", "counts"},
    "counts": {"items"},
    "count_item": {"country", "count"},
    "topic_sentence": {"items"},
    "topic_item": {"phrase", "country"},
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Strict):
    phone: str
    fax: str
    email: str
    site: str


class EditionText(_Strict):
    """Everything one edition prints around the events, in that edition's language."""

    organisation_short: str = Field(min_length=1)
    organisation_name: list[str] = Field(min_length=1)
    address: str
    place: str
    title: str
    subtitle: list[str]
    number_label: str
    place_line: str
    masthead_title: str
    editorial_address: str
    phone_label: str
    fax_label: str
    masthead_name: list[str]
    circulation: str
    contents: str
    draft_label: str
    missing_headline: str
    missing_text: str
    missing_country: str
    months: list[str] = Field(min_length=12, max_length=12)
    summary: str
    counts: str
    count_item: str
    item_separator: str
    event_forms: dict[str, str]
    topic_sentence: str
    topic_item: str
    topic_join: str

    @model_validator(mode="after")
    def _known_placeholders(self) -> EditionText:
        import string

        for field, allowed in _PLACEHOLDERS.items():
            value = getattr(self, field)
            for template in value if isinstance(value, list) else [value]:
                for _, name, _, _ in string.Formatter().parse(template):
                    if name is not None and name not in allowed:
                        raise ValueError(
                            f"{field}: unknown placeholder {{{name}}} (allowed: {', '.join(sorted(allowed))})"
                        )
        return self


class Country(_Strict):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    member: bool = False
    title: dict[str, str]
    short: dict[str, str]


class SeizureWording(_Strict):
    """How one edition words the seizure phrase drafted from facts."""

    with_detained: str
    """``on detention of {people} and seizures of {substances}``."""
    without_detained: str
    people: dict[str, str]
    """Plural forms of ``{n} person(s)`` by CLDR category (``one``/``other``; ``one``/``few``/``many``)."""
    mass: str
    """``{substances} ({kilograms} kg)``: the total mass seized, when the facts state one."""
    decimal: str = "."
    last_join: str = " and "


class Topics(_Strict):
    max_per_country: int = Field(default=2, ge=1, le=7)
    phrases: dict[str, dict[str, str]]
    seizures: dict[str, SeizureWording] = Field(default_factory=dict)
    """Per edition: the ``seizure_arrest`` phrase drafted from the events' facts (without facts,
    or without this table, the phrase of ``phrases.seizure_arrest``)."""
    substances: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Substance id -> its name per edition, as the seizure phrase uses it (Russian: genitive)."""

    @field_validator("phrases")
    @classmethod
    def _has_other(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        if "other" not in value:
            raise ValueError("a phrase for the topic 'other' is required (the fallback)")
        return value


class Output(_Strict):
    directory: str = "out/release"
    file_stem: str = "information-release-{year}-{number:02d}"
    docx_font: str = "Times New Roman"


class Annex(_Strict):
    """The optional statistics annex: accepted events per country over the last periods, as a
    chart and a table, after the country sections. Off by default (the reference has none)."""

    enabled: bool = False
    periods: int = Field(default=12, ge=2, le=48)
    """How many periods the annex covers, ending with the release's own."""
    by: Literal["topic", "substance"] = "topic"
    title: dict[str, str] = Field(
        default_factory=lambda: {"en": "ANNEX: STATISTICS", "ru": "ПРИЛОЖЕНИЕ: СТАТИСТИКА"}
    )
    caption: dict[str, str] = Field(
        default_factory=lambda: {
            "en": "Accepted events per country, periods {first} to {last}",
            "ru": "Принятые события по странам, периоды с {first} по {last}",
        }
    )
    period_label: dict[str, str] = Field(default_factory=lambda: {"en": "Period", "ru": "Период"})
    total_label: dict[str, str] = Field(default_factory=lambda: {"en": "Total", "ru": "Всего"})


class ReleaseSettings(_Strict):
    organisation: Organisation
    editions: dict[str, EditionText]
    countries: list[Country] = Field(min_length=1)
    topics: Topics
    output: Output = Field(default_factory=Output)
    annex: Annex = Field(default_factory=Annex)

    @model_validator(mode="after")
    def _complete(self) -> ReleaseSettings:
        for edition in EDITIONS:
            if edition not in self.editions:
                raise ValueError(f"editions.{edition} is missing")
        seen: set[str] = set()
        for country in self.countries:
            if country.code in seen:
                raise ValueError(f"country {country.code} appears twice")
            seen.add(country.code)
            for edition in EDITIONS:
                if not country.title.get(edition) or not country.short.get(edition):
                    raise ValueError(f"country {country.code} needs title.{edition} and short.{edition}")
        for topic, phrases in self.topics.phrases.items():
            for edition in EDITIONS:
                if not phrases.get(edition):
                    raise ValueError(f"topics.phrases.{topic} needs a phrase for {edition}")
        return self

    def edition(self, edition: str) -> EditionText:
        return self.editions[edition]

    def country(self, code: str) -> Country | None:
        for country in self.countries:
            if country.code == code:
                return country
        return None

    def country_rank(self, code: str | None) -> tuple[int, str]:
        """Sort key of a section: configured countries in file order, then others by code."""
        for index, country in enumerate(self.countries):
            if country.code == code:
                return (index, "")
        return (len(self.countries), code or "~")

    def country_title(self, code: str, edition: str) -> str:
        country = self.country(code)
        return country.title[edition] if country else code

    def short_names(self, edition: str) -> dict[str, str]:
        """Country code -> short name in ``edition``, for every configured country."""
        return {country.code: country.short[edition] for country in self.countries}

    def country_short(self, code: str, edition: str) -> str:
        country = self.country(code)
        return country.short[edition] if country else code

    def topic_phrase(self, topic: str | None, edition: str) -> str:
        phrases = self.topics.phrases.get(topic or "other") or self.topics.phrases["other"]
        return phrases[edition]

    def topic_rank(self, topic: str) -> int:
        order = list(self.topics.phrases)
        return order.index(topic) if topic in order else len(order)


@cache
def _load(directory: str) -> ReleaseSettings:
    return validate_file(Path(directory) / "release.toml", ReleaseSettings)


def load_release_settings() -> ReleaseSettings:
    """The validated ``release.toml`` of the current configuration folder (cached per folder)."""
    return _load(str(config_dir()))


def clear_cache() -> None:
    _load.cache_clear()
