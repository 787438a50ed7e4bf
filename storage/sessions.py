"""Server-side review UI sessions (``user_sessions``) and failed log-ins (``login_failures``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.models import LoginFailure, UserSession


def add_session(session: Session, row: UserSession) -> None:
    session.add(row)
    session.flush()


def session_by_hash(session: Session, id_hash: str) -> UserSession | None:
    return session.get(UserSession, id_hash)


def touch_session(session: Session, id_hash: str, now: datetime) -> None:
    session.execute(update(UserSession).where(UserSession.id_hash == id_hash).values(last_seen=now))


def delete_session(session: Session, id_hash: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id_hash == id_hash))


def delete_user_sessions(session: Session, user_id: int) -> int:
    """End every session of a user; how many there were."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def delete_expired_sessions(session: Session, now: datetime) -> None:
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))


def session_counts(session: Session, now: datetime) -> dict[int, int]:
    """Unexpired sessions per user id (idle ones included until they are next looked at)."""
    rows = session.execute(
        select(UserSession.user_id, func.count())
        .where(UserSession.expires_at > now)
        .group_by(UserSession.user_id)
    ).all()
    return {user_id: count for user_id, count in rows}


def record_login_failure(session: Session, *, address: str, account: str, at: datetime) -> None:
    session.add(LoginFailure(address=address[:64], account=account[:100], at=at))


def login_failures_since(session: Session, *, address: str, since: datetime) -> int:
    """Failed log-ins from one client address since ``since``."""
    return session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.address == address[:64], LoginFailure.at >= since)
    ) or 0


def forget_login_failures(session: Session, *, before: datetime) -> None:
    """Drop the failures older than ``before`` (past every throttle window)."""
    session.execute(delete(LoginFailure).where(LoginFailure.at < before))
