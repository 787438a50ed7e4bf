"""Schema management through Alembic: the only way tables are created or changed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from core.errors import UserError
from storage.db import check_connection, database_url, get_engine, redact, unavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = get_engine(url)
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema up to ``revision``."""
    try:
        command.upgrade(alembic_config(url), revision)
    except OperationalError as exc:
        raise unavailable(url, exc) from exc


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at (None for an empty database)."""
    try:
        with get_engine(url).connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise unavailable(url, exc) from exc


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_up_to_date(url: str | None = None) -> bool:
    return current_revision(url) == head_revision()


def require_current(url: str | None = None, hint: str = "") -> None:
    """Fail with one clear line when the database is missing, unreachable or not migrated
    (``hint``: what else the user may do, appended to the message)."""
    check_connection(url)
    if not is_up_to_date(url):
        raise UserError(
            f"the database {redact(url or database_url())} is not up to date: run `newsmon db upgrade`{hint}"
        )
