"""The analysts' decisions as training examples for the relevance model.

An accepted event says its articles are about the counter-narcotics sphere; an event rejected
with the reason "not about drugs" says its articles are not. Other rejections (a duplicate,
outside the period, too minor) say nothing about relevance and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import Article, Event

NOT_ABOUT_DRUGS = "not about drugs"


@dataclass(frozen=True, slots=True)
class DeskDecision:
    """One article an analyst's decision labels."""

    url: str
    title: str
    text: str
    language: str
    relevant: bool


def desk_decisions(session: Session) -> list[DeskDecision]:
    """Articles of accepted events (relevant) and of events rejected as not about drugs."""
    rows = session.execute(
        select(Article.canonical_url, Article.title, Article.text, Article.language, Event.status)
        .join(Event, Article.event_id == Event.id)
        .where(
            or_(
                Event.status == "accepted",
                (Event.status == "rejected") & (Event.reject_reason == NOT_ABOUT_DRUGS),
            )
        )
        .where(Article.extraction_status == "ok")
        .order_by(Article.id)
    )
    return [
        DeskDecision(
            url=url, title=title or "", text=text or "", language=language, relevant=status == "accepted"
        )
        for url, title, text, language, status in rows
    ]
