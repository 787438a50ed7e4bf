"""Putting articles into candidate events, and keeping the events' machine columns current.

The decision whether two articles tell one story is :func:`pipeline.cluster.same_story` (pure);
this module only finds the stored candidates to ask it about and writes the result race-free.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from pipeline.cluster import StoryKey, same_story
from storage.models import Article, Event

# Language versions and reposts of a story appear within days of each other.
CANDIDATE_WINDOW = timedelta(days=4)


def story_key(article: Article) -> StoryKey:
    """The clustering key of a stored article."""
    return StoryKey.build(
        url=article.canonical_url,
        content_hash=article.content_hash,
        minhash=article.minhash,
        language=article.language,
        alternates=article.alternates or {},
        published=article.published_at,
    )


def find_matching_event(session: Session, article: Article) -> int | None:
    """The event of a stored article that tells the same story, if any."""
    key = story_key(article)
    window = (article.published_at - CANDIDATE_WINDOW, article.published_at + CANDIDATE_WINDOW)
    conditions = [
        Article.content_hash == article.content_hash,
        Article.published_at.between(*window),
    ]
    if key.alternates:
        conditions.append(Article.canonical_url.in_(sorted(key.alternates)))
    candidates = session.scalars(
        select(Article)
        .where(Article.id != article.id, Article.event_id.is_not(None), or_(*conditions))
        .order_by(Article.id)
    )
    for candidate in candidates:
        if same_story(key, story_key(candidate)):
            return candidate.event_id
    return None


def assign_event(session: Session, article_id: int) -> int:
    """Give the article an event: an existing one telling the same story, or a new one.

    The assignment is a conditional UPDATE (only while the article has no event), so two
    processes storing the same article cannot give it two events.
    """
    article = session.get(Article, article_id, populate_existing=True)
    if article is None:
        raise LookupError(f"no article {article_id}")
    if article.event_id is not None:
        refresh_event(session, article.event_id)
        return article.event_id
    target = find_matching_event(session, article)
    new_event: Event | None = None
    if target is None:
        new_event = Event()
        session.add(new_event)
        session.flush()
        target = new_event.id
    assigned = session.execute(
        update(Article).where(Article.id == article_id, Article.event_id.is_(None)).values(event_id=target)
    ).rowcount
    if not assigned:
        if new_event is not None:
            session.delete(new_event)
        target = session.scalar(select(Article.event_id).where(Article.id == article_id))
        assert target is not None
    session.expire(article)
    refresh_event(session, target)
    return target


def refresh_event(session: Session, event_id: int) -> None:
    """Recompute an event's machine columns from its articles; analyst columns stay as they are."""
    event = session.get(Event, event_id)
    if event is None:
        return
    articles = list(session.scalars(select(Article).where(Article.event_id == event_id)))
    if not articles:
        return
    dated = [a for a in articles if not a.date_uncertain] or articles
    lead = min(dated, key=lambda a: (a.published_at, a.id))
    strongest = max(articles, key=lambda a: (a.relevance_score, -a.id))
    event.country = lead.country
    event.published_at = lead.published_at
    event.date_uncertain = lead.date_uncertain
    event.period_year = lead.period_year
    event.period_number = lead.period_number
    event.relevance_score = strongest.relevance_score
    event.relevance_label = strongest.relevance_label
    event.topic = strongest.topic
