"""Server-side sessions of the review UI, in the database or, when ``REDIS_URL`` is set, in Redis.

The browser's ``newsmon_sid`` cookie carries only a random session id; the server keeps a SHA-256
of it with the user, the user's session stamp at log-in, the times and the client. Logging out
deletes the record, so a copy of the cookie taken before is worth nothing afterwards. A session
ends after ``idle`` without a request and ``absolute`` after the log-in (``config/review.toml``).
Flask's own signed cookie is kept for the CSRF token and flashed messages only.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

import redis

from config.review import SessionSettings
from storage.db import session_scope
from storage.models import UserSession, utcnow
from storage.sessions import (
    add_session,
    delete_expired_sessions,
    delete_session,
    delete_user_sessions,
    session_by_hash,
    session_counts,
    touch_session,
)

SESSION_ID_COOKIE = "newsmon_sid"
TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often per session


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class SessionRecord:
    user_id: int
    stamp: str
    created_at: datetime
    last_seen: datetime
    expires_at: datetime
    address: str | None = None
    user_agent: str | None = None


class SessionStore(Protocol):
    """Where session records live, keyed by the hash of the session id."""

    def save(self, id_hash: str, record: SessionRecord) -> None: ...
    def load(self, id_hash: str) -> SessionRecord | None: ...
    def touch(self, id_hash: str, now: datetime) -> None: ...
    def delete(self, id_hash: str) -> None: ...
    def delete_user(self, user_id: int) -> int: ...
    def counts(self, user_ids: Iterable[int], now: datetime) -> dict[int, int]: ...


class DatabaseSessionStore:
    """Sessions in the ``user_sessions`` table of the app's database."""

    def __init__(self, database_url: str | None) -> None:
        self.url = database_url

    def save(self, id_hash: str, record: SessionRecord) -> None:
        with session_scope(self.url) as s:
            delete_expired_sessions(s, record.created_at)
            add_session(s, UserSession(id_hash=id_hash, **_fields(record)))

    def load(self, id_hash: str) -> SessionRecord | None:
        with session_scope(self.url) as s:
            row = session_by_hash(s, id_hash)
            if row is None:
                return None
            return SessionRecord(
                user_id=row.user_id,
                stamp=row.stamp,
                created_at=row.created_at,
                last_seen=row.last_seen,
                expires_at=row.expires_at,
                address=row.address,
                user_agent=row.user_agent,
            )

    def touch(self, id_hash: str, now: datetime) -> None:
        with session_scope(self.url) as s:
            touch_session(s, id_hash, now)

    def delete(self, id_hash: str) -> None:
        with session_scope(self.url) as s:
            delete_session(s, id_hash)

    def delete_user(self, user_id: int) -> int:
        with session_scope(self.url) as s:
            return delete_user_sessions(s, user_id)

    def counts(self, user_ids: Iterable[int], now: datetime) -> dict[int, int]:
        with session_scope(self.url) as s:
            found = session_counts(s, now)
        return {user_id: found.get(user_id, 0) for user_id in user_ids}


class RedisSessionStore:
    """Sessions in Redis: a hash per session (expiring with it) and a set of them per user."""

    def __init__(self, url: str, prefix: str | None = None) -> None:
        self.client = redis.Redis.from_url(
            url, socket_connect_timeout=5, socket_timeout=5, decode_responses=True
        )
        self.prefix = prefix or os.environ.get("NEWSMON_REDIS_PREFIX") or "newsmon"

    def _key(self, id_hash: str) -> str:
        return f"{self.prefix}:review:session:{id_hash}"

    def _user_key(self, user_id: int) -> str:
        return f"{self.prefix}:review:user-sessions:{user_id}"

    def save(self, id_hash: str, record: SessionRecord) -> None:
        ttl = max(1, int((record.expires_at - record.created_at).total_seconds()))
        fields: dict[Any, Any] = {
            key: "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)
            for key, value in _fields(record).items()
        }
        with self.client.pipeline() as pipe:
            pipe.hset(self._key(id_hash), mapping=fields)
            pipe.expire(self._key(id_hash), ttl)
            pipe.sadd(self._user_key(record.user_id), id_hash)
            # Every session lives as long, so the newest one's lifetime covers the older ones.
            pipe.expire(self._user_key(record.user_id), ttl)
            pipe.execute()

    def load(self, id_hash: str) -> SessionRecord | None:
        raw = self.client.hgetall(self._key(id_hash))
        if not raw:
            return None
        data = {_text(key): _text(value) for key, value in raw.items()}
        return SessionRecord(
            user_id=int(data["user_id"]),
            stamp=data["stamp"],
            created_at=datetime.fromisoformat(data["created_at"]),
            last_seen=datetime.fromisoformat(data["last_seen"]),
            expires_at=datetime.fromisoformat(data["expires_at"]),
            address=data.get("address") or None,
            user_agent=data.get("user_agent") or None,
        )

    def touch(self, id_hash: str, now: datetime) -> None:
        if self.client.exists(self._key(id_hash)):
            self.client.hset(self._key(id_hash), "last_seen", now.isoformat())

    def delete(self, id_hash: str) -> None:
        user_id = self.client.hget(self._key(id_hash), "user_id")
        with self.client.pipeline() as pipe:
            pipe.delete(self._key(id_hash))
            if user_id is not None:
                pipe.srem(self._user_key(int(user_id)), id_hash)
            pipe.execute()

    def delete_user(self, user_id: int) -> int:
        members = [_text(m) for m in self.client.smembers(self._user_key(user_id))]
        keys = [self._key(member) for member in members]
        removed = int(self.client.delete(*keys)) if keys else 0
        self.client.delete(self._user_key(user_id))
        return removed

    def counts(self, user_ids: Iterable[int], now: datetime) -> dict[int, int]:
        result: dict[int, int] = {}
        for user_id in user_ids:
            members = self.client.smembers(self._user_key(user_id))
            result[user_id] = sum(int(self.client.exists(self._key(_text(m)))) for m in members)
        return result


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _fields(record: SessionRecord) -> dict[str, object]:
    return {
        "user_id": record.user_id,
        "stamp": record.stamp,
        "created_at": record.created_at,
        "last_seen": record.last_seen,
        "expires_at": record.expires_at,
        "address": record.address,
        "user_agent": record.user_agent,
    }


def store_from_env(database_url: str | None) -> SessionStore:
    """Redis when ``REDIS_URL`` is set, else the database."""
    url = os.environ.get("REDIS_URL")
    return RedisSessionStore(url) if url else DatabaseSessionStore(database_url)


class Sessions:
    """Start, look up and end sessions in a store, with the idle and absolute timeouts."""

    def __init__(self, store: SessionStore, settings: SessionSettings) -> None:
        self.store, self.settings = store, settings

    def start(
        self,
        user_id: int,
        stamp: str,
        *,
        address: str | None = None,
        user_agent: str | None = None,
        now: datetime | None = None,
    ) -> str:
        """A new random session id (the cookie's value) for a user who just logged in."""
        now = now or utcnow()
        session_id = secrets.token_urlsafe(32)
        record = SessionRecord(
            user_id=user_id,
            stamp=stamp,
            created_at=now,
            last_seen=now,
            expires_at=now + self.settings.absolute,
            address=(address or "")[:64] or None,
            user_agent=(user_agent or "")[:200] or None,
        )
        self.store.save(hash_session_id(session_id), record)
        return session_id

    def lookup(self, session_id: str, *, now: datetime | None = None) -> SessionRecord | None:
        """The live session of this id, or None (an expired or idle one is deleted on the way)."""
        now = now or utcnow()
        id_hash = hash_session_id(session_id)
        record = self.store.load(id_hash)
        if record is None:
            return None
        if now >= record.expires_at or now - record.last_seen >= self.settings.idle:
            self.store.delete(id_hash)
            return None
        if now - record.last_seen >= TOUCH_EVERY:
            self.store.touch(id_hash, now)
            record = replace(record, last_seen=now)
        return record

    def end(self, session_id: str) -> None:
        self.store.delete(hash_session_id(session_id))

    def end_user(self, user_id: int) -> int:
        return self.store.delete_user(user_id)
