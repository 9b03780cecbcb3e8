"""commerce: names up to 200 characters in every table, as the input schemas allow

MCN names, brand names and creators' display names were VARCHAR(120) while the API accepted 200 characters, so
PostgreSQL refused a longer name with a server error. The lengths now come from one set of constants in
`commerce.models`, which the schemas read.

SQLite does not enforce a VARCHAR length, and rebuilding these tables in batch mode would drop the transparency
log's capture triggers on them, so the change runs on PostgreSQL only.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WIDENED = (("mcns", "name"), ("brands", "name"), ("creators", "display_name"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _WIDENED:
        op.alter_column(table, column, existing_type=sa.String(120), type_=sa.String(200), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _WIDENED:
        # Names longer than the old limit are cut rather than refused, so a downgrade never fails halfway.
        op.execute(f"UPDATE {table} SET {column} = left({column}, 120) WHERE length({column}) > 120")
        op.alter_column(table, column, existing_type=sa.String(200), type_=sa.String(120), existing_nullable=False)
