"""The optional statistics annex of a release: accepted events per country over the last periods.

Off by default (``[annex] enabled = false`` in ``config/release.toml``): the reference release
has none. When on, the release ends, before the back cover, with a chart of the last ``periods``
periods (the same matplotlib chart as ``newsmon report trends`` and the dashboard) and a table of
the same numbers, so the figures can be quoted without reading them off the bars.
"""

from __future__ import annotations

from core.period import Period
from release.charts import chart_bytes
from release.model import StatisticsAnnex
from release.settings import ReleaseSettings
from storage.db import Session
from storage.trends import trend_points


def statistics_annex(
    session: Session, period: Period, edition: str, settings: ReleaseSettings
) -> StatisticsAnnex | None:
    """The annex of the release of ``period`` (None when the configuration leaves it off)."""
    annex = settings.annex
    if not annex.enabled:
        return None
    first = period.shift(-(annex.periods - 1))
    periods = [first.shift(step) for step in range(annex.periods)]
    names = settings.short_names(edition)
    events = _events_per_country(session, first, period)
    codes = sorted({country for (_, country), count in events.items() if count}, key=settings.country_rank)
    caption = annex.caption[edition].format(first=first.key, last=period.key)
    points = trend_points(session, first, period, by=annex.by, scope="accepted")
    return StatisticsAnnex(
        title=annex.title[edition],
        caption=caption,
        periods=tuple(p.key for p in periods),
        countries=tuple(names.get(code, code) for code in codes),
        counts=tuple(tuple(events.get((p, code), 0) for code in codes) for p in periods),
        period_label=annex.period_label[edition],
        total_label=annex.total_label[edition],
        svg=chart_bytes(points, "svg", title=caption, country_names=names, by=annex.by).decode("utf-8"),
        png=chart_bytes(points, "png", title=caption, country_names=names, by=annex.by),
    )


def _events_per_country(session: Session, first: Period, last: Period) -> dict[tuple[Period, str], int]:
    """Accepted events per (period, country): counted by topic, one topic per event, so no event
    counts twice (by substance, an event naming two substances is in both groups)."""
    counts: dict[tuple[Period, str], int] = {}
    for point in trend_points(session, first, last, by="topic", scope="accepted"):
        key = (point.period, point.country)
        counts[key] = counts.get(key, 0) + point.events
    return counts
