"""The layout model: one release edition as the renderers see it.

:func:`release.builder.assemble_release` fills it from the database and ``config/release.toml``;
every renderer (HTML, PDF, Markdown, DOCX) reads only this, so the formats cannot drift apart.
Text fields are final (headlines already in capitals, placeholders filled in); ``summary`` and
``topic_paragraph`` are markup with ``*italic*`` marks (see :mod:`release.summary`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.facts import Facts
from core.period import Period
from release.settings import EditionText, Organisation


@dataclass(frozen=True, slots=True)
class Entry:
    """One event as printed: headline, paragraphs, source link."""

    event_id: int
    country: str
    headline: str
    """In capitals; in a draft with a gap, starts with the edition's "missing" marker."""
    paragraphs: tuple[str, ...]
    url: str
    """The lead article's URL as the site published it."""
    published: date | None
    language: str | None
    """Language of the lead (original) article."""
    topic: str | None
    source: str | None
    """Configured source id of the lead article (or its host for an unconfigured outlet)."""
    original_title: str = ""
    facts: Facts = field(default_factory=Facts)
    """The event's facts (the analyst's when corrected): the export carries them."""
    missing: tuple[str, ...] = ()
    """What this edition lacks for the event: ``headline`` and/or ``text`` (drafts show markers)."""


@dataclass(frozen=True, slots=True)
class StatisticsAnnex:
    """The optional statistics annex (``[annex]`` of ``config/release.toml``): accepted events per
    country over the last periods, as a chart and as a table of the same numbers."""

    title: str
    caption: str
    periods: tuple[str, ...]
    """Period keys, oldest first (``2024-14`` … ``2025-01``)."""
    countries: tuple[str, ...]
    """Short country names, the table's columns, in section order."""
    counts: tuple[tuple[int, ...], ...]
    """Per period (row), the events of each country (column)."""
    period_label: str
    total_label: str
    svg: str
    """The chart (matplotlib SVG): the HTML and the PDF embed it as an image."""
    png: bytes
    """The same chart as PNG, for the DOCX."""
    anchor: str = "annex"

    @property
    def rows(self) -> list[tuple[str, tuple[int, ...], int]]:
        """(period, counts per country, total) per period."""
        return [(period, row, sum(row)) for period, row in zip(self.periods, self.counts, strict=True)]


@dataclass(frozen=True, slots=True)
class Section:
    """One country's events."""

    country: str
    anchor: str
    """Stable id for links (``section-kz``)."""
    title: str
    """REPUBLIC OF KAZAKHSTAN / РЕСПУБЛИКА КАЗАХСТАН."""
    short: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class ReleaseDocument:
    """One edition of one release, ready to render."""

    year: int
    number: int
    period: Period
    edition: str
    draft: bool
    text: EditionText
    """The edition's wording from ``config/release.toml``."""
    organisation: Organisation
    number_label: str
    """``#1`` / ``№1``."""
    place_line: str
    """``Almaty - 2025``."""
    masthead_title: str
    masthead_name: tuple[str, ...]
    summary: str
    """Markup: the editor's override or the generated sentence."""
    summary_generated: bool
    topic_paragraph: str
    """Markup; empty when the release has no events."""
    topic_phrases: dict[str, str]
    sections: tuple[Section, ...]
    counts: dict[str, int] = field(default_factory=dict)
    """Events per section country, in section order."""
    topic_drafts: dict[str, str] = field(default_factory=dict)
    """The drafted phrase of every country with events, before the editor's overrides."""
    annex: StatisticsAnnex | None = None
    """The statistics annex, when ``[annex] enabled`` (off by default)."""

    @property
    def period_text(self) -> str:
        return self.period.text

    @property
    def entries(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.entries]

    @property
    def gaps(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.missing]

    @property
    def document_title(self) -> str:
        """``INFORMATION RELEASE #1 1-15.01.2025`` (HTML title, PDF and DOCX metadata)."""
        return f"{self.text.title} {self.number_label} {self.period.text}"
