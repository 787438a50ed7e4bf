"""The trends dashboard: events and quantities seized per period, country and topic or substance.

The charts are server-rendered SVG (``<img>``, readable without JavaScript), with the same numbers
as a table below and as CSV/PNG downloads; ``newsmon report trends`` draws the same charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from core.period import Period
from release.charts import chart_bytes, chart_title
from release.settings import load_release_settings
from review.context import db
from review.inbox import desk_period, period_or
from storage.trends import GROUPINGS, SCOPES, TrendPoint, trend_points

bp = Blueprint("trends", __name__, url_prefix="/trends")

DEFAULT_SPAN = 12
"""Periods shown when none are asked for: the last twelve (six months), the current one last."""
MAX_SPAN = 72
MIME = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class TrendQuery:
    first: Period
    last: Period
    country: str
    by: str
    scope: str

    @classmethod
    def from_args(cls, args: Any) -> TrendQuery:
        last = period_or(args.get("to"), desk_period())
        first = period_or(args.get("from"), last.shift(1 - DEFAULT_SPAN))
        if first > last:
            first, last = last, first
        if last.shift(1 - MAX_SPAN) > first:
            first = last.shift(1 - MAX_SPAN)
        country = str(args.get("country") or "").strip().upper()[:2]
        by = args.get("by") if args.get("by") in GROUPINGS else "topic"
        scope = args.get("scope") if args.get("scope") in SCOPES else "accepted"
        return cls(first, last, country if country.isalpha() else "", str(by), str(scope))

    def args(self, **changes: Any) -> dict[str, str]:
        values = {
            "from": self.first.key,
            "to": self.last.key,
            "country": self.country,
            "by": self.by,
            "scope": self.scope,
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}

    @property
    def title(self) -> str:
        return chart_title(self.by, self.first, self.last, self.scope)


def _points(query: TrendQuery) -> list[TrendPoint]:
    with db() as session:
        return trend_points(
            session,
            query.first,
            query.last,
            by=query.by,
            countries=[query.country] if query.country else [],
            scope=query.scope,
        )


def _country_names() -> dict[str, str]:
    return load_release_settings().short_names("en")


@bp.route("")
def dashboard() -> Any:
    query = TrendQuery.from_args(request.args)
    points = _points(query)
    rows = [p for p in points if p.events or p.grams]
    return render_template(
        "trends.html",
        q=query,
        rows=rows,
        countries=_country_names(),
        groupings=GROUPINGS,
        scopes=SCOPES,
        empty=not rows,
    )


@bp.route("/chart.<fmt>")
def chart(fmt: str) -> Any:
    if fmt not in MIME:
        abort(404)
    query = TrendQuery.from_args(request.args)
    body = chart_bytes(_points(query), fmt, title=query.title, country_names=_country_names(), by=query.by)
    response = Response(body, mimetype=MIME[fmt])
    if fmt != "svg":
        response.headers["Content-Disposition"] = f'attachment; filename="trends-{query.by}.{fmt}"'
    return response
