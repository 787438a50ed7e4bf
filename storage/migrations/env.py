"""Alembic environment: runs migrations on the engine newsmon configured (storage.db)."""

from typing import Literal

from alembic import context

from storage.db import get_engine
from storage.models import Base, UTCDateTime


def render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Migrations spell newsmon's UTC datetime as a plain aware DateTime, so they never import models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate leaves alone the tables newsmon's models do not describe (APScheduler's job
    store, created by its own migration)."""
    return not (type_ == "table" and reflected and compare_to is None and name == "apscheduler_jobs")


config = context.config
engine = config.attributes.get("engine") or get_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
