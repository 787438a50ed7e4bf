"""``boilerplate.toml``: what page chrome is removed from article texts, as data.

Read and validated here; used by :mod:`pipeline.boilerplate` (the rules) and the extract stage
(a source's selectors). See the file's header for the meaning of each table.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from config import checked_patterns, config_dir, validate_file

BOILERPLATE_FILE = "boilerplate.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_selectors(selectors: list[str]) -> list[str]:
    """Every selector must be valid CSS (cssselect turns it into XPath for lxml)."""
    from cssselect import GenericTranslator, SelectorError

    translator = GenericTranslator()
    for selector in selectors:
        try:
            translator.css_to_xpath(selector)
        except SelectorError as exc:
            raise ValueError(f"not a CSS selector: {selector!r} ({exc})") from exc
    return selectors


BodyMarkup = Literal["real", "theme", "guessed"]
"""Where a source's body selectors come from: ``real`` saved pages of the site, its ``theme``'s
known markup (seen on other sites of the theme, not on this one), or ``guessed`` (a default
or the mirror's template, never seen on the site)."""


class SourceRules(_Strict):
    drop_selectors: list[str] = Field(default_factory=list)
    body_selectors: list[str] = Field(default_factory=list)
    """CSS of the article body's container(s); the extract stage reads the body from the first that
    matches, trafilatura being the fallback (:mod:`pipeline.site_body`)."""
    body_markup: BodyMarkup | None = None

    _selectors = field_validator("drop_selectors", "body_selectors")(_check_selectors)

    @model_validator(mode="after")
    def _markup_stated(self) -> SourceRules:
        if self.body_selectors and self.body_markup is None:
            raise ValueError("body_selectors need body_markup (real, theme or guessed)")
        return self


class TextRules(_Strict):
    social_networks: list[str] = Field(default_factory=list)
    link_labels: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    weekdays: list[list[str]] = Field(default_factory=list)
    calendar_min_weekdays: int = Field(default=3, ge=2, le=7)
    separator_chars: str = "|•·/-–—_=*~"
    cell_separator: str = Field(default="|", min_length=1)


class RepeatedRules(_Strict):
    min_articles: int = Field(default=3, ge=2)
    min_share: float = Field(default=0.5, gt=0, le=1)
    min_chars: int = Field(default=60, ge=1)


class SignatureRules(_Strict):
    patterns: list[str] = Field(default_factory=list)
    max_lines: int = Field(default=2, ge=1, le=5)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return checked_patterns(patterns)


class BoilerplateFile(_Strict):
    generic: SourceRules = Field(default_factory=SourceRules)
    sources: dict[str, SourceRules] = Field(default_factory=dict)
    text: TextRules = Field(default_factory=TextRules)
    repeated: RepeatedRules = Field(default_factory=RepeatedRules)
    signature: SignatureRules = Field(default_factory=SignatureRules)

    def drop_selectors(self, source_id: str | None) -> tuple[str, ...]:
        """The generic selectors and those of ``source_id`` (none of its own if it has no entry)."""
        own = self.sources.get(source_id or "", SourceRules()).drop_selectors
        return tuple(dict.fromkeys([*self.generic.drop_selectors, *own]))

    def body_selectors(self, source_id: str | None) -> tuple[str, ...]:
        """The body selectors of ``source_id`` (none for a source without an entry: trafilatura)."""
        return tuple(self.sources.get(source_id or "", SourceRules()).body_selectors)


@cache
def _load(directory: str) -> BoilerplateFile:
    return validate_file(Path(directory) / BOILERPLATE_FILE, BoilerplateFile)


def load_boilerplate() -> BoilerplateFile:
    """The validated ``boilerplate.toml`` of the current configuration folder (cached per folder)."""
    return _load(str(config_dir()))


def clear_cache() -> None:
    _load.cache_clear()
