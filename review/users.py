"""People who use the review UI: argon2-hashed passwords, roles, log-in with lock-out.

Shared by the web app (log-in, the admin page) and ``newsmon users``. Roles are ranked:
an editor can do everything an analyst can, an admin everything an editor can. A change of
password or role, a deactivation and an admin's "end sessions" end all of the user's sessions:
the user's session stamp changes (whatever store keeps the sessions) and the database's rows go.
Every refused log-in gets the same answer (:data:`WRONG_CREDENTIALS`), whether the name is
unknown, the password wrong, or the account locked or inactive, so the answer tells no one which
names exist.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.errors import UserError
from review.passwords import PasswordRejected, check_password_policy
from storage.db import Session
from storage.models import User, utcnow
from storage.repository import audit
from storage.sessions import delete_user_sessions
from storage.users import add_user, user_by_name

ROLES = ("analyst", "editor", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$")

_hasher = PasswordHasher()


class UserAdminError(UserError):
    """A user cannot be created or changed as asked."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    # Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
    return _hasher.hash("not a password of anyone")


def session_stamp(user: User) -> str:
    """Changes with the password, the role and the session epoch: a session carrying an old
    stamp is logged out."""
    basis = f"{user.password_hash}|{user.role}|{user.session_epoch or 0}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def _end_all_sessions(session: Session, user: User) -> int:
    user.session_epoch = (user.session_epoch or 0) + 1
    return delete_user_sessions(session, user.id)


def has_role(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def check_role(role: str) -> str:
    if role not in ROLE_RANK:
        raise UserAdminError(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    return role


def check_password(password: str, name: str = "") -> str:
    """``password`` if the policy (:mod:`review.passwords`) accepts it for user ``name``."""
    try:
        return check_password_policy(password, name)
    except PasswordRejected as error:
        raise UserAdminError(str(error)) from None


def create_user(session: Session, name: str, password: str, role: str, *, actor: str) -> User:
    """Create a user; the password is stored only as an argon2 hash."""
    if not _NAME.match(name):
        raise UserAdminError(
            f"{name!r} is not a valid user name (2-100 letters, digits, '.', '_', '-', '@'; no spaces)"
        )
    check_role(role)
    check_password(password, name)
    if user_by_name(session, name) is not None:
        raise UserAdminError(f"user {name!r} exists already")
    hashed = hash_password(password)
    user = add_user(session, User(name=name, password_hash=hashed, role=role, active=True, failed_logins=0))
    audit(
        session,
        actor=actor,
        entity_type="user",
        entity_id=user.id,
        action="create",
        after={"name": name, "role": role, "active": True},
    )
    return user


def _require(session: Session, name: str) -> User:
    user = user_by_name(session, name)
    if user is None:
        raise UserAdminError(f"there is no user {name!r}")
    return user


def set_password(session: Session, name: str, password: str, *, actor: str) -> User:
    user = _require(session, name)
    user.password_hash = hash_password(check_password(password, name))
    user.failed_logins, user.locked_until = 0, None
    _end_all_sessions(session, user)
    audit(
        session, actor=actor, entity_type="user", entity_id=user.id, action="password", after={"name": name}
    )
    return user


def update_user(
    session: Session, name: str, *, actor: str, role: str | None = None, active: bool | None = None
) -> User:
    """Change a user's role or (de)activate them (either ends their sessions); unlocking is
    :func:`unlock`."""
    user = _require(session, name)
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    if role is not None and role != user.role:
        before["role"], after["role"] = user.role, check_role(role)
        user.role = role
    if active is not None and active != user.active:
        before["active"], after["active"] = user.active, active
        user.active = active
    if after:
        _end_all_sessions(session, user)
        audit(
            session,
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            action="update",
            before={"name": name, **before},
            after={"name": name, **after},
        )
    return user


def end_sessions(session: Session, name: str, *, actor: str) -> int:
    """Log a user out everywhere (an admin's "end sessions"); how many database sessions ended."""
    user = _require(session, name)
    ended = _end_all_sessions(session, user)
    audit(
        session,
        actor=actor,
        entity_type="user",
        entity_id=user.id,
        action="end-sessions",
        after={"name": name, "sessions": ended},
    )
    return ended


def unlock(session: Session, name: str, *, actor: str) -> User:
    user = _require(session, name)
    if user.locked_until is not None or user.failed_logins:
        audit(
            session,
            actor=actor,
            entity_type="user",
            entity_id=user.id,
            action="unlock",
            before={
                "name": name,
                "locked_until": user.locked_until.isoformat() if user.locked_until else None,
            },
            after={"name": name, "locked_until": None},
        )
    user.failed_logins, user.locked_until = 0, None
    return user


@dataclass(frozen=True, slots=True)
class LoginResult:
    user: User | None
    message: str | None = None


WRONG_CREDENTIALS = (
    "Log-in refused: wrong user name or password, or the account is locked or inactive. "
    f"After {MAX_FAILED_LOGINS} failures in a row an account is locked for "
    f"{int(LOCK_DURATION.total_seconds() // 60)} minutes; an admin can unlock it."
)


def authenticate(session: Session, name: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a log-in attempt. After :data:`MAX_FAILED_LOGINS` failures in a row the account
    is locked for :data:`LOCK_DURATION` (the right password does not open it meanwhile).

    Every refusal has the same message and costs one argon2 verification, so neither the answer
    nor its time tells an unknown name from a wrong password or a locked or inactive account."""
    now = now or utcnow()
    user = user_by_name(session, name)
    locked = user is not None and user.locked_until is not None and user.locked_until > now
    if user is None or not user.active or locked:
        verify_password(_dummy_hash(), password)
        return LoginResult(None, WRONG_CREDENTIALS)
    if verify_password(user.password_hash, password):
        user.failed_logins, user.locked_until = 0, None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return LoginResult(user)
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + LOCK_DURATION
        user.failed_logins = 0
        audit(
            session,
            actor="system:login",
            entity_type="user",
            entity_id=user.id,
            action="lock",
            after={"name": user.name, "locked_until": user.locked_until.isoformat()},
        )
    return LoginResult(None, WRONG_CREDENTIALS)
