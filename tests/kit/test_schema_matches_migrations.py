"""The migration chain builds exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from wanghong.kit.db.base import Base
from wanghong.kit.db.session import make_engine


def test_no_model_change_lacks_its_migration(database_url: str) -> None:
    import wanghong.app  # noqa: F401  - every capability's tables, as the running platform has them

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": False})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    # A model edited without `alembic revision --autogenerate` (or a migration that drifted from its model)
    # shows up here as the operations autogenerate would write.
    assert differences == []
