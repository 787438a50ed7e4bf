"""The review UI's accounts as the command line lists them (the rules live in :mod:`review.users`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import User


def user_count(session: Session) -> int:
    """How many accounts exist (``newsmon serve`` hints at ``users add`` when none does)."""
    return session.scalar(select(func.count()).select_from(User)) or 0


def users_by_name(session: Session) -> list[User]:
    """Every account, ordered by log-in name."""
    return list(session.scalars(select(User).order_by(User.name)))
