"""Storage: SQLAlchemy models, the engine/session factory, Alembic migrations and idempotent upserts."""
