"""What the trend charts count: events and the quantities seized, per period, country and topic or
substance (``newsmon report trends``, the review dashboard, the release's statistics annex).

An event counts in the period it belongs to (the analyst's date wins, as everywhere on the desk)
and under its section country. Its facts are the analyst's when corrected, else the machine's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from core.period import Period
from storage.events import effective_facts, event_period
from storage.models import Event

GROUPINGS = ("topic", "substance")
SCOPES = ("accepted", "candidates")
"""``accepted``: what releases printed; ``candidates``: also events not yet reviewed (not rejected,
relevant or maybe), for periods the desk has not worked through."""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: Period
    country: str
    group: str
    """The topic id, or the substance id (``unspecified`` for amounts of no named substance)."""
    events: int
    grams: float
    """Mass seized in grams, summed over the events' quantities of this group."""


def _periods_between(first: Period, last: Period) -> list[Period]:
    periods, period = [], first
    while period <= last:
        periods.append(period)
        period = period.next()
    return periods


def _groups(event: Event, by: str) -> dict[str, float]:
    """Group -> grams seized, for one event."""
    facts = effective_facts(event)
    if by == "topic":
        grams = sum(q.grams or 0.0 for q in facts.quantities)
        return {event.effective_topic or "other": grams}
    groups: dict[str, float] = {substance: 0.0 for substance in facts.substance_ids}
    for quantity in facts.quantities:
        key = quantity.substance or "unspecified"
        groups[key] = groups.get(key, 0.0) + (quantity.grams or 0.0)
    return groups


def _candidates() -> Select[Any]:
    """Events not yet reviewed that the desk would look at (not rejected; relevant or maybe), and
    the accepted ones."""
    return select(Event).where(
        Event.period_year.is_not(None),
        Event.status != "rejected",
        or_(Event.status == "accepted", Event.relevance_label != "irrelevant"),
    )


def seizure_events_by_period(
    session: Session, first: Period, last: Period, *, topic: str = "seizure_arrest"
) -> dict[Period, list[int]]:
    """The ids of the candidate events of ``topic`` whose facts name a substance or an amount,
    per period from ``first`` to ``last`` (periods without one left out)."""
    found: dict[Period, list[int]] = defaultdict(list)
    for event in session.scalars(_candidates().order_by(Event.id)):
        period = event_period(event)
        if period is None or not first <= period <= last or event.effective_topic != topic:
            continue
        facts = effective_facts(event)
        if facts.substances or facts.quantities:
            found[period].append(event.id)
    return dict(found)


def trend_points(
    session: Session,
    first: Period,
    last: Period,
    *,
    by: str = "topic",
    countries: Iterable[str] = (),
    scope: str = "accepted",
) -> list[TrendPoint]:
    """Counts per (period, country, group) for every period from ``first`` to ``last``; a
    period with no event of a (country, group) seen elsewhere in the range counts zero, so a
    line never skips a period."""
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}, not {by!r}")
    if scope not in SCOPES:
        raise ValueError(f"count one of {', '.join(SCOPES)}, not {scope!r}")
    periods = _periods_between(first, last)
    wanted = {c.upper() for c in countries}
    if scope == "accepted":
        query = select(Event).where(Event.period_year.is_not(None), Event.status == "accepted")
    else:
        query = _candidates()
    counts: dict[tuple[Period, str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    in_range = set(periods)
    for event in session.scalars(query):
        period = event_period(event)
        country = event.section_country or "??"
        if period not in in_range or (wanted and country not in wanted):
            continue
        for group, grams in _groups(event, by).items():
            cell = counts[(period, country, group)]
            cell[0] += 1
            cell[1] += grams
    series = sorted({(country, group) for _, country, group in counts})
    return [
        TrendPoint(
            period,
            country,
            group,
            int(counts[(period, country, group)][0]),
            counts[(period, country, group)][1],
        )
        for country, group in series
        for period in periods
    ]

