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


# --- stored form ---------------------------------------------------------------------------------
# Facts are stored as JSON (articles.facts, events.facts): plain lists and dicts, spans as
# [start, end, text], so that storage, the review UI and the export read them without this module.


def _span_json(span: Span) -> list[object]:
    return [span.start, span.end, span.text]


def _span_of(value: object) -> Span:
    if isinstance(value, list | tuple) and len(value) == 3:
        start, end, text = value
        return Span(int(start), int(end), str(text))
    return Span(0, 0, str(value or ""))


def facts_to_json(facts: Facts) -> dict[str, object]:
    def mentions(items: tuple[Mention, ...]) -> list[dict[str, object]]:
        return [{"value": m.value, "span": _span_json(m.span)} for m in items]

    return {
        "substances": mentions(facts.substances),
        "quantities": [
            {
                "substance": q.substance,
                "grams": q.grams,
                "count": q.count,
                "unit": q.unit,
                "span": _span_json(q.span),
            }
            for q in facts.quantities
        ],
        "places": mentions(facts.places),
        "agencies": mentions(facts.agencies),
        "detained": facts.detained,
        "detained_span": _span_json(facts.detained_span) if facts.detained_span else None,
        "operation": mentions((facts.operation,))[0] if facts.operation else None,
        "legal_articles": mentions(facts.legal_articles),
    }


def facts_from_json(data: dict[str, object] | None) -> Facts:
    """The inverse of :func:`facts_to_json`; missing or malformed parts are left empty."""
    if not isinstance(data, dict):
        return Facts()

    def mentions(key: str) -> tuple[Mention, ...]:
        items = data.get(key)
        if not isinstance(items, list):
            return ()
        return tuple(
            Mention(str(item.get("value", "")), _span_of(item.get("span")))
            for item in items
            if isinstance(item, dict)
        )

    quantities = data.get("quantities")
    operation = data.get("operation")
    detained = data.get("detained")
    return Facts(
        substances=mentions("substances"),
        quantities=tuple(
            Quantity(
                q.get("substance"),
                _number(q.get("grams")),
                _number(q.get("count")),
                q.get("unit"),
                _span_of(q.get("span")),
            )
            for q in (quantities if isinstance(quantities, list) else [])
            if isinstance(q, dict)
        ),
        places=mentions("places"),
        agencies=mentions("agencies"),
        detained=int(detained) if isinstance(detained, int | float) else None,
        detained_span=_span_of(data["detained_span"]) if data.get("detained_span") else None,
        operation=Mention(str(operation.get("value", "")), _span_of(operation.get("span")))
        if isinstance(operation, dict)
        else None,
        legal_articles=mentions("legal_articles"),
    )


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def merge_facts(per_article: list[Facts]) -> Facts:
    """The facts of an event from those of its articles (language versions and reposts tell the
    same story): each substance, place, agency, article and amount once; the detained count and
    the operation of the first article that states them (the lead comes first)."""

    def unique(mentions: list[Mention]) -> tuple[Mention, ...]:
        seen: dict[str, Mention] = {}
        for mention in mentions:
            seen.setdefault(mention.value.casefold(), mention)
        return tuple(seen.values())

    quantities: dict[tuple[object, ...], Quantity] = {}
    for facts in per_article:
        for q in facts.quantities:
            quantities.setdefault((q.substance, q.grams, q.count, q.unit), q)
    with_detained = next((f for f in per_article if f.detained is not None), None)
    return Facts(
        substances=unique([m for f in per_article for m in f.substances]),
        quantities=tuple(quantities.values()),
        places=unique([m for f in per_article for m in f.places]),
        agencies=unique([m for f in per_article for m in f.agencies]),
        detained=with_detained.detained if with_detained else None,
        detained_span=with_detained.detained_span if with_detained else None,
        operation=next((f.operation for f in per_article if f.operation is not None), None),
        legal_articles=unique([m for f in per_article for m in f.legal_articles]),
    )
