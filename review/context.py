"""Per-request helpers shared by the blueprints: the database session, the user, role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request

from storage.db import Session, session_scope

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class CurrentUser:
    id: int
    name: str
    role: str


@contextmanager
def db() -> Iterator[Session]:
    """A session on the app's database that commits when the block ends without error."""
    with session_scope(current_app.config.get("NEWSMON_DATABASE_URL")) as session:
        yield session


def user() -> CurrentUser:
    current = g.get("user")
    if current is None:  # _require_login guarantees one on every non-public endpoint
        abort(401)
    return current


def requires(role: str) -> Callable[[F], F]:
    """Refuse (403) users whose role ranks below ``role``."""
    from review.users import has_role

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not has_role(user().role, role):
                abort(403, f"This page is for the {role} role and above; you are logged in as {user().role}.")
            return view(*args, **kwargs)

        wrapped.required_role = role  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def wants_json() -> bool:
    """A request from the page's own script (fetch), which wants JSON back instead of a page."""
    return request.headers.get("X-Requested-With") == "fetch" or (
        request.accept_mimetypes.best == "application/json"
    )


def safe_next(target: str | None, default: str) -> str:
    """A local path to go back to; anything pointing off-site becomes ``default``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch in target for ch in "\r\n\t\\") or ":" in target.split("?", 1)[0]:
        return default
    return target
