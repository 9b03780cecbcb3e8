"""The one migration history of every capability's tables, one linear chain on SQLite and PostgreSQL.

Driven from code, so `wanghong db upgrade` needs no alembic.ini next to the working directory.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

# The one chain lives beside the capabilities it migrates; Alembic loads its env.py from there, by path.
MIGRATIONS_DIR = Path(__file__).parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's config is an INI parser: a literal % in a password would be read as interpolation.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
