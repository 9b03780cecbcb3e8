"""compliance review: library versions, AI scans, labelled examples, penalty policy, penalties, appeals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

`compliance_library_versions` keeps every version of the violation library (the active one is the
highest); `compliance_scans` records each AI verdict with the library version and model generation it
used; `compliance_examples` are reviewer-labelled texts the claim classifier retrains on;
`compliance_model_runs` numbers the retrainings; `compliance_policy` (one row) is the penalty policy
as data; `compliance_penalties` and `compliance_appeals` are the account penalties and appeals.

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from wanghong.kit.db.base import JSONType, UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "compliance_library_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", JSONType, nullable=False),
        sa.Column("change_summary", sa.String(length=500), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_compliance_library_versions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_library_versions")),
        sa.UniqueConstraint("version", name=op.f("uq_compliance_library_versions_version")),
    )
    op.create_table(
        "compliance_model_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("examples", sa.Integer(), nullable=False),
        sa.Column("metrics", JSONType, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_compliance_model_runs_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_model_runs")),
    )
    op.create_table(
        "compliance_penalties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("violation_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "warning",
                "traffic_limit",
                "suspension",
                name="penaltykind_value",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "lifted",
                "expired",
                name="penaltystatus_value",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=True),
        sa.Column("lifted_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_compliance_penalties_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["violation_id"],
            ["violations.id"],
            name=op.f("fk_compliance_penalties_violation_id_violations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_penalties")),
    )
    with op.batch_alter_table("compliance_penalties", schema=None) as batch_op:
        batch_op.create_index("ix_compliance_penalties_active", ["status", "kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_compliance_penalties_creator_id"), ["creator_id"], unique=False)

    op.create_table(
        "compliance_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rules", JSONType, nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_compliance_policy_single_row")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_compliance_policy_updated_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_policy")),
    )
    op.create_table(
        "compliance_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("penalty_id", sa.Integer(), nullable=True),
        sa.Column("violation_id", sa.Integer(), nullable=True),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "rejected",
                name="appealstatus_value",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_compliance_appeals_creator_id_creators"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_compliance_appeals_decided_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["users.id"], name=op.f("fk_compliance_appeals_filed_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["penalty_id"],
            ["compliance_penalties.id"],
            name=op.f("fk_compliance_appeals_penalty_id_compliance_penalties"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["violation_id"],
            ["violations.id"],
            name=op.f("fk_compliance_appeals_violation_id_violations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_appeals")),
    )
    with op.batch_alter_table("compliance_appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_appeals_creator_id"), ["creator_id"], unique=False)

    op.create_table(
        "compliance_examples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_task_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "pending",
                "confirmed",
                "overturned",
                name="reviewstatus_value",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_task_id"],
            ["review_tasks.id"],
            name=op.f("fk_compliance_examples_review_task_id_review_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_examples")),
        sa.UniqueConstraint("review_task_id", name=op.f("uq_compliance_examples_review_task_id")),
    )
    op.create_table(
        "compliance_scans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("creator_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "verdict",
            sa.Enum(
                "pass", "review", "block", name="verdict_value", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("hits", JSONType, nullable=False),
        sa.Column("library_version", sa.Integer(), nullable=False),
        sa.Column("model_generation", sa.Integer(), nullable=False),
        sa.Column("review_task_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["creator_id"], ["creators.id"], name=op.f("fk_compliance_scans_creator_id_creators"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["review_task_id"],
            ["review_tasks.id"],
            name=op.f("fk_compliance_scans_review_task_id_review_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compliance_scans")),
    )
    with op.batch_alter_table("compliance_scans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compliance_scans_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_compliance_scans_creator_id"), ["creator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_compliance_scans_review_task_id"), ["review_task_id"], unique=False)
        batch_op.create_index("ix_compliance_scans_subject", ["subject_type", "subject_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("compliance_scans", schema=None) as batch_op:
        batch_op.drop_index("ix_compliance_scans_subject")
        batch_op.drop_index(batch_op.f("ix_compliance_scans_review_task_id"))
        batch_op.drop_index(batch_op.f("ix_compliance_scans_creator_id"))
        batch_op.drop_index(batch_op.f("ix_compliance_scans_created_at"))

    op.drop_table("compliance_scans")
    op.drop_table("compliance_examples")
    with op.batch_alter_table("compliance_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_appeals_creator_id"))

    op.drop_table("compliance_appeals")
    op.drop_table("compliance_policy")
    with op.batch_alter_table("compliance_penalties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compliance_penalties_creator_id"))
        batch_op.drop_index("ix_compliance_penalties_active")

    op.drop_table("compliance_penalties")
    op.drop_table("compliance_model_runs")
    op.drop_table("compliance_library_versions")
