"""The people who use the review UI: reads of the ``users`` table and of their audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import AuditEntry, User


def user_by_name(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_count(session: Session) -> int:
    """How many accounts exist (``newsmon serve`` hints at ``users add`` when none does)."""
    return session.scalar(select(func.count()).select_from(User)) or 0


def users_by_name(session: Session) -> Sequence[User]:
    """Every user, in name order."""
    return session.scalars(select(User).order_by(User.name)).all()


def add_user(session: Session, user: User) -> User:
    """Store a new user (its id assigned)."""
    session.add(user)
    session.flush()
    return user


def recent_user_changes(session: Session, limit: int = 30) -> Sequence[AuditEntry]:
    """The newest audit entries about users (log-ins, locks, changes), newest first."""
    return session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "user").order_by(AuditEntry.id.desc()).limit(limit)
    ).all()
