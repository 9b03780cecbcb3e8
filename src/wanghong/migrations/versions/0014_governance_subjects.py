"""governance: subject status (verify, suspend, blacklist) and restricted categories

直播主体 records (brands, MCNs, creators), their documents and their history; and the 监管 (regulator) role among
the values an account's role may take.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from wanghong.kit.db.base import UTCDateTime

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATES = ("unverified", "pending", "verified", "expired", "rejected", "revoked", "suspended", "blacklisted")
_DOCUMENTS = (
    "business_licence",
    "food_production_licence",
    "food_business_licence",
    "cosmetics_filing",
    "special_cosmetics_registration",
    "health_food_registration",
    "medical_device_registration",
)
_ROLES_BEFORE = ("admin", "reviewer", "brand_manager", "mcn_manager", "creator")
_ROLES_AFTER = (*_ROLES_BEFORE, "regulator")


def _state(name: str, check: str = "subjectstate_value") -> sa.Column:
    kind = sa.Enum(*_STATES, name=check, native_enum=False, create_constraint=True, length=32)
    return sa.Column(name, kind, nullable=False)


def _role_check(roles: tuple[str, ...]) -> str:
    return "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")"


def _set_roles(before: tuple[str, ...], after: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_users_role_value"), "users", type_="check")
        op.create_check_constraint(op.f("ck_users_role_value"), "users", _role_check(after))
        return
    # SQLite cannot alter a CHECK constraint, and rebuilding `users` with foreign keys on (every connection turns
    # them on, and a migration runs inside a transaction where the pragma cannot be turned off) would cascade-delete
    # every token and account row that points at it. Widening or narrowing an IN list changes no stored byte, the
    # case SQLite's own documentation rewrites through writable_schema (lang_altertable.html, "otheralter").
    old = f"CONSTRAINT ck_users_role_value CHECK ({_role_check(before)})"
    new = f"CONSTRAINT ck_users_role_value CHECK ({_role_check(after)})"
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").scalar_one()
    if new in sql:
        return
    if old not in sql:
        raise RuntimeError("users.role's CHECK constraint is not the one migration 0001 created; alter it by hand")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'users'", (sql.replace(old, new),)
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    op.create_table(
        "governance_subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "brand",
                "mcn",
                "creator",
                name="subjectkind_value",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("mcn_id", sa.Integer(), nullable=True),
        sa.Column("creator_id", sa.Integer(), nullable=True),
        _state("state"),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column(
            "categories", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("real_name_verified", sa.Boolean(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("guardian_consent", sa.Boolean(), nullable=False),
        sa.Column("id_valid_until", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'brand' AND brand_id = org_id AND mcn_id IS NULL AND creator_id IS NULL)"
            " OR (kind = 'mcn' AND mcn_id = org_id AND brand_id IS NULL AND creator_id IS NULL)"
            " OR (kind = 'creator' AND creator_id = org_id AND brand_id IS NULL AND mcn_id IS NULL)",
            name=op.f("ck_governance_subjects_org_matches_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["brand_id"], ["brands.id"], name=op.f("fk_governance_subjects_brand_id_brands"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mcn_id"], ["mcns.id"], name=op.f("fk_governance_subjects_mcn_id_mcns"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["creator_id"],
            ["creators.id"],
            name=op.f("fk_governance_subjects_creator_id_creators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_subjects")),
        sa.UniqueConstraint("kind", "org_id", name="uq_governance_subjects_kind_org"),
    )
    with op.batch_alter_table("governance_subjects", schema=None) as batch_op:
        batch_op.create_index("ix_governance_subjects_state_expires", ["state", "expires_on"], unique=False)
    op.create_table(
        "governance_subject_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*_DOCUMENTS, name="documentkind_value", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("holder_uscc", sa.String(length=18), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["governance_subjects.id"],
            name=op.f("fk_governance_subject_documents_subject_id_governance_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_subject_documents")),
    )
    with op.batch_alter_table("governance_subject_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_subject_documents_subject_id"), ["subject_id"], unique=False)
    op.create_table(
        "governance_subject_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        _state("from_state", "from_state_value"),
        _state("to_state", "to_state_value"),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["governance_subjects.id"],
            name=op.f("fk_governance_subject_events_subject_id_governance_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_subject_events")),
    )
    with op.batch_alter_table("governance_subject_events", schema=None) as batch_op:
        batch_op.create_index("ix_governance_subject_events_subject", ["subject_id", "id"], unique=False)
    _set_roles(_ROLES_BEFORE, _ROLES_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM users WHERE role = 'regulator'")
    _set_roles(_ROLES_AFTER, _ROLES_BEFORE)
    with op.batch_alter_table("governance_subject_events", schema=None) as batch_op:
        batch_op.drop_index("ix_governance_subject_events_subject")
    op.drop_table("governance_subject_events")
    with op.batch_alter_table("governance_subject_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_subject_documents_subject_id"))
    op.drop_table("governance_subject_documents")
    with op.batch_alter_table("governance_subjects", schema=None) as batch_op:
        batch_op.drop_index("ix_governance_subjects_state_expires")
    op.drop_table("governance_subjects")
