"""``config/review.toml``: the review UI's session timeouts, log-in throttle, proxy hops and the
translation server for drafts.

Validated on load like the other files: an error names the file and the field.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from config import config_dir, validate_file

REVIEW_FILE = "review.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionSettings(_Strict):
    idle_minutes: int = Field(default=120, ge=1, le=7 * 24 * 60)
    absolute_hours: int = Field(default=12, ge=1, le=30 * 24)

    @property
    def idle(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def absolute(self) -> timedelta:
        return timedelta(hours=self.absolute_hours)


class LoginSettings(_Strict):
    address_limit: int = Field(default=20, ge=1, le=10_000)
    address_window_minutes: int = Field(default=15, ge=1, le=24 * 60)

    @property
    def address_window(self) -> timedelta:
        return timedelta(minutes=self.address_window_minutes)


class ProxySettings(_Strict):
    x_for: int = Field(default=0, ge=0, le=5)
    x_proto: int = Field(default=0, ge=0, le=5)


class TranslationSettings(_Strict):
    """A self-hosted LibreTranslate server for machine-translation drafts (off when ``url`` is
    empty). The API key, if the server wants one, is read from the environment variable named."""

    url: str = Field(default="", pattern=r"^(https?://\S+)?$")
    api_key_env: str = "LIBRETRANSLATE_API_KEY"
    timeout_s: float = Field(default=20.0, gt=0, le=300)


class ReviewSettings(_Strict):
    sessions: SessionSettings = SessionSettings()
    login: LoginSettings = LoginSettings()
    proxy: ProxySettings = ProxySettings()
    translation: TranslationSettings = TranslationSettings()


@cache
def _load(directory: str) -> ReviewSettings:
    path = Path(directory) / REVIEW_FILE
    if not path.exists():
        return ReviewSettings()
    return validate_file(path, ReviewSettings)


def load_review_settings() -> ReviewSettings:
    """The validated ``review.toml`` of the current configuration folder (defaults when absent)."""
    return _load(str(config_dir()))


def clear_cache() -> None:
    _load.cache_clear()
