"""What the facts stage reads from a sentence, in the shapes the facts tests compare."""

from __future__ import annotations

from pipeline.facts import extract_facts
from pipeline.facts.mentions import find_places
from pipeline.facts.rules import load_rules

Amounts = list[tuple[str | None, float | None, float | None, str | None]]


def amounts(text: str, language: str = "ru", title: str = "") -> Amounts:
    facts = extract_facts(text, title=title, language=language)
    return [(q.substance, q.grams, q.count, q.unit) for q in facts.quantities]


def places(text: str, language: str = "ru") -> list[str]:
    return [m.span.text for m in extract_facts(text, language=language).places]


def place_candidates(text: str) -> list[str]:
    """The place names the stage finds in ``text``, before it asks which are the event's."""
    return [m.span.text for m in find_places(text, not_places=load_rules().not_places)]


def agencies(text: str, language: str = "ru") -> list[str]:
    return extract_facts(text, language=language).agency_ids
