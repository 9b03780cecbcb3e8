"""Declarative base and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Enum, MetaData, Numeric, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wanghong.kit.errors import InvalidInput

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and always handed back timezone-aware.

    SQLite has no time zone type, so without this a value would come back naive on SQLite and aware on
    PostgreSQL, and comparisons between them would raise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; pass a timezone-aware value")
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            # 0001-01-01T00:00+08:00 is a year-0 instant in UTC, which Python cannot hold.
            raise InvalidInput(f"{value.isoformat()} is outside the range of instants the platform keeps") from None
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        dict[str, float]: JSONType,
        list[str]: JSONType,
    }


Money = Numeric(14, 2)
# PostgreSQL's `integer`, the type of every id and count column: a larger number names no row and fits no
# column, so inputs are bounded by it at the edge rather than refused by the database (a 500) or by SQLite's
# 64-bit driver (an OverflowError).
INTEGER_MAX = 2**31 - 1


def enum_column(enum: type[StrEnum], name: str | None = None) -> Enum:
    """Enumerations are stored as strings with CHECK constraints rather than native enum types, so that the
    same Alembic migrations run on SQLite and PostgreSQL and adding a value never needs an ALTER TYPE.

    `name` names the CHECK constraint where one table has two columns of the same enum (theirs cannot share the
    default `<enum>_value`)."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=name or f"{enum.__name__.lower()}_value",
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
