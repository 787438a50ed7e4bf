"""The facts of a seizure or arrest story, each with the words of the text that state it.

Produced by the facts stage (:mod:`pipeline.facts`) per article, merged per event by storage and
edited by analysts; the release and the trend charts count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """Where a fact is stated: offsets into the article's normalised text, and the words."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Quantity:
    """An amount of drugs: a mass in grams, or a count of ``pills``/``doses``/``plants``/``packets``."""

    substance: str | None
    """A substance id of ``config/facts.toml``, or None when the text does not say which."""
    grams: float | None
    count: float | None
    unit: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Mention:
    """A substance, agency or place named in the text (``value`` is the id or the place's name)."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the facts stage read from one text; empty fields when it states none."""

    substances: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    places: tuple[Mention, ...] = ()
    agencies: tuple[Mention, ...] = ()
    detained: int | None = None
    detained_span: Span | None = None
    operation: Mention | None = None
    legal_articles: tuple[Mention, ...] = ()
    """``value``: ``228.1 УК РФ`` (article number, then the normalised code)."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def substance_ids(self) -> list[str]:
        return list(dict.fromkeys(m.value for m in self.substances))

    @property
    def agency_ids(self) -> list[str]:
        return list(dict.fromkeys(m.value for m in self.agencies))
