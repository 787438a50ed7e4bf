"""The analysts' corrections of an event's facts: read from the review form, checked, stored as
``events.facts_override`` (the machine's ``events.facts`` stays as it was, for comparison).

Controlled values come from ``config/facts.toml``: substance and agency ids. Amounts are written
one per line as ``<substance> <number> <unit>``: ``heroin 1.5 kg``, ``hashish 300 g``,
``psychotropic_pills 2000 pills``, ``unspecified 17 packets``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from core.facts import Facts, Mention, Quantity, Span, facts_from_json, facts_to_json
from desk.errors import EditError
from pipeline.facts.rules import load_rules

MASS_UNITS = {"g": 1.0, "kg": 1000.0, "t": 1_000_000.0, "mg": 0.001}
COUNT_UNITS = ("pills", "doses", "plants", "packets")
UNSPECIFIED = "unspecified"
MAX_LINES = 50
MAX_VALUE_CHARS = 200
_AMOUNT = re.compile(r"^\s*(?P<substance>[a-z_]+)\s+(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]+)\s*$")
_NO_SPAN = Span(0, 0, "")


def substance_ids() -> list[str]:
    """The controlled list of substances, in the order of ``config/facts.toml``."""
    return list(dict.fromkeys(term.payload for term in load_rules().substances_by_language[""].terms))


def agency_ids() -> list[str]:
    return list(dict.fromkeys(term.payload for term in load_rules().agencies_by_language[""].terms))


def _lines(value: Any, field: str) -> list[str]:
    lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        raise EditError(f"{field}: at most {MAX_LINES} lines")
    for line in lines:
        if len(line) > MAX_VALUE_CHARS:
            raise EditError(f"{field}: a line is longer than {MAX_VALUE_CHARS} characters")
    return lines


def _chosen(values: list[str], allowed: list[str], field: str) -> tuple[Mention, ...]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise EditError(f"{field}: unknown {', '.join(unknown)} (known: {', '.join(allowed)})")
    return tuple(Mention(v, _NO_SPAN) for v in dict.fromkeys(values))


def _amount(line: str, substances: list[str]) -> Quantity:
    match = _AMOUNT.match(line.lower())
    if not match:
        raise EditError(f"amount {line!r}: write <substance> <number> <unit>, e.g. 'heroin 1.5 kg'")
    substance, unit = match.group("substance"), match.group("unit")
    if substance != UNSPECIFIED and substance not in substances:
        raise EditError(f"amount {line!r}: unknown substance {substance!r}")
    value = float(match.group("number").replace(",", "."))
    named = None if substance == UNSPECIFIED else substance
    if unit in MASS_UNITS:
        return Quantity(named, round(value * MASS_UNITS[unit], 6), None, None, Span(0, 0, line))
    if unit in COUNT_UNITS:
        return Quantity(named, None, value, unit, Span(0, 0, line))
    units = ", ".join([*MASS_UNITS, *COUNT_UNITS])
    raise EditError(f"amount {line!r}: unknown unit {unit!r} (known: {units})")


def facts_from_form(form: Mapping[str, Any], getlist: Any = None) -> dict[str, Any]:
    """The corrected facts (``core.facts`` JSON) from the review form's fields: ``substance`` and
    ``agency`` (checked boxes; ``getlist`` reads a multi-valued field), ``quantities``, ``places``
    and ``legal_articles`` (one per line), ``detained``, ``operation``. :class:`EditError` says
    what is wrong."""

    def many(name: str) -> list[str]:
        if getlist is not None:
            return [str(v) for v in getlist(name)]
        value = form.get(name) or []
        return [str(v) for v in (value if isinstance(value, list | tuple) else [value])]

    substances = substance_ids()
    detained_text = str(form.get("detained") or "").strip()
    if detained_text and not (detained_text.isdigit() and int(detained_text) <= 100_000):
        raise EditError("detained: a whole number of people (0–100000), or empty when not stated")
    operation = str(form.get("operation") or "").strip()
    if len(operation) > MAX_VALUE_CHARS:
        raise EditError(f"operation: at most {MAX_VALUE_CHARS} characters")
    facts = Facts(
        substances=_chosen(many("substance"), substances, "substances"),
        quantities=tuple(_amount(line, substances) for line in _lines(form.get("quantities"), "amounts")),
        places=tuple(Mention(p, Span(0, 0, p)) for p in dict.fromkeys(_lines(form.get("places"), "places"))),
        agencies=_chosen(many("agency"), agency_ids(), "agencies"),
        detained=int(detained_text) if detained_text else None,
        operation=Mention(operation, Span(0, 0, operation)) if operation else None,
        legal_articles=tuple(
            Mention(a, Span(0, 0, a)) for a in dict.fromkeys(_lines(form.get("legal_articles"), "articles"))
        ),
    )
    return facts_to_json(facts)


def clean_facts(value: Any) -> dict[str, Any] | None:
    """The cleaner of ``facts_override``: empty = back to the machine's facts; a mapping is read as
    ``core.facts`` JSON and written back in that form (unknown keys dropped)."""
    if value is None or value == "" or value == {}:
        return None
    if not isinstance(value, Mapping):
        raise EditError("facts: a mapping of facts, or empty for the machine's")
    return facts_to_json(facts_from_json(dict(value)))


def amount_line(quantity: Quantity) -> str:
    """A quantity as the form writes it (``heroin 1500 g``)."""
    substance = quantity.substance or UNSPECIFIED
    if quantity.grams is not None:
        return f"{substance} {quantity.grams:g} g"
    return f"{substance} {quantity.count or 0:g} {quantity.unit or 'packets'}"
