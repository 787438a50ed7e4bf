"""People who use the review UI: argon2-hashed passwords, roles, log-in with lock-out.

Shared by the web app (log-in, the admin page) and ``newsmon users``. Roles are ranked:
an editor can do everything an analyst can, an admin everything an editor can.
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
from storage.db import Session
from storage.models import User, utcnow
from storage.repository import audit
from storage.users import add_user, user_by_name

ROLES = ("analyst", "editor", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
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
    """Changes whenever the password does: a session carrying an old stamp is logged out."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:20]


def has_role(role: str, needed: str) -> bool:
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


def check_role(role: str) -> str:
    if role not in ROLE_RANK:
        raise UserAdminError(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserAdminError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if password != password.strip():
        raise UserAdminError("a password cannot start or end with white space")
    return password


def create_user(session: Session, name: str, password: str, role: str, *, actor: str) -> User:
    """Create a user; the password is stored only as an argon2 hash."""
    if not _NAME.match(name):
        raise UserAdminError(
            f"{name!r} is not a valid user name (2-100 letters, digits, '.', '_', '-', '@'; no spaces)"
        )
    check_role(role)
    check_password(password)
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
    user.password_hash = hash_password(check_password(password))
    user.failed_logins, user.locked_until = 0, None
    audit(
        session, actor=actor, entity_type="user", entity_id=user.id, action="password", after={"name": name}
    )
    return user


def update_user(
    session: Session, name: str, *, actor: str, role: str | None = None, active: bool | None = None
) -> User:
    """Change a user's role or (de)activate them; unlocking is :func:`unlock`."""
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


WRONG_CREDENTIALS = "Wrong user name or password."


def authenticate(session: Session, name: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a log-in attempt. After :data:`MAX_FAILED_LOGINS` failures in a row the account
    is locked for :data:`LOCK_DURATION` (the right password does not open it meanwhile)."""
    now = now or utcnow()
    user = user_by_name(session, name)
    if user is None or not user.active:
        verify_password(_dummy_hash(), password)
        return LoginResult(None, WRONG_CREDENTIALS)
    if user.locked_until is not None and user.locked_until > now:
        verify_password(_dummy_hash(), password)
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return LoginResult(
            None, f"Too many failed log-ins: this account is locked for {minutes} more minutes."
        )
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
        minutes = int(LOCK_DURATION.total_seconds() // 60)
        return LoginResult(None, f"Too many failed log-ins: this account is locked for {minutes} minutes.")
    return LoginResult(None, WRONG_CREDENTIALS)
