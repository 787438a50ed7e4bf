"""Alembic environment: runs migrations on the engine newsmon configured (storage.db)."""

from alembic import context

from storage.db import get_engine
from storage.models import Base, UTCDateTime


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Migrations spell newsmon's UTC datetime as a plain aware DateTime, so they never import models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


config = context.config
engine = config.attributes.get("engine") or get_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
