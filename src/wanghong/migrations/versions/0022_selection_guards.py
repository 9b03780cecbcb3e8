"""selection guards: one open sample request (pending or approved) per creator and listing

A database that took two identical 申样 at once before this guard keeps the oldest open request of each pair; the
later ones are declined with the reason, so that the index can be built and nothing is deleted.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('pending', 'approved')"
DUPLICATE = "重复申样：同一达人对该商品已有申请 / duplicate: an earlier request for this product stands"


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE selection_sample_requests SET status = 'declined', reason = :reason "
            f"WHERE {OPEN} AND EXISTS (SELECT 1 FROM selection_sample_requests AS earlier "
            "WHERE earlier.listing_id = selection_sample_requests.listing_id "
            "AND earlier.creator_id = selection_sample_requests.creator_id "
            "AND earlier.status IN ('pending', 'approved') AND earlier.id < selection_sample_requests.id)"
        ).bindparams(reason=DUPLICATE)
    )
    op.create_index(
        "uq_selection_sample_requests_open",
        "selection_sample_requests",
        ["listing_id", "creator_id"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("uq_selection_sample_requests_open", table_name="selection_sample_requests")
