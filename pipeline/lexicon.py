"""Loading term lexicons from ``config/lexicons/`` into matchers (relevance and topic stages).

Lexicons are data an analyst edits; a malformed file raises :class:`config.ConfigError` naming
the file and the field (``ru.toml: terms[3].pattern: bad word pattern``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from config import ConfigError
from pipeline.matcher import Matcher, PatternSyntaxError, Term, compile_term


class TermSpec(BaseModel):
    """One lexicon entry (see ``config/lexicons/relevance/README.md``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0, le=3)
    exclude: list[str] = Field(default_factory=list)
    unless_next: list[str] = Field(default_factory=list)
    unless_prev: list[str] = Field(default_factory=list)
    case: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class TermInfo:
    """The payload of a compiled lexicon term."""

    pattern: str
    weight: float
    group: str
    """``term`` / ``negative`` for relevance; the topic id for topics."""


def compile_specs(path: Path, field: str, specs: list[TermSpec], group: str) -> list[Term[TermInfo]]:
    """Compile entries, naming the file and field of a malformed pattern."""
    terms: list[Term[TermInfo]] = []
    for position, spec in enumerate(specs):
        try:
            terms.append(
                compile_term(
                    spec.pattern,
                    TermInfo(spec.pattern, spec.weight, group),
                    case=spec.case,
                    exclude=spec.exclude,
                    unless_next=spec.unless_next,
                    unless_prev=spec.unless_prev,
                )
            )
        except PatternSyntaxError as exc:
            raise ConfigError(f"{path}: {field}[{position}].pattern: {exc}") from exc
    return terms


def build_matcher(terms: list[Term[TermInfo]]) -> Matcher[TermInfo]:
    return Matcher.of(terms)
