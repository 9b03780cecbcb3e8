"""The two bases of every capability's request and response models, and the one way a decision is spelled."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, GetPydanticSchema
from pydantic_core import core_schema

from wanghong.domain import Decision
from wanghong.kit.db.base import INTEGER_MAX

# Instants the platform keeps: business data of this century and the next, each representable in UTC (year 1
# with an eastern offset is not) and in every backend's timestamp type.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def check_instant(value: datetime) -> datetime:
    """`value` when it is an aware instant within the years the platform keeps; ValueError (a 422) otherwise."""
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = 0
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR} (UTC)")
    return value


# Every timestamp a request carries: an ISO 8601 instant with its offset, within the years above.
Instant = Annotated[AwareDatetime, AfterValidator(check_instant)]
# A row's id (or a reference to one) in a body or a query: larger numbers name no row and fit no id column.
RowId = Annotated[int, Field(ge=1, le=INTEGER_MAX)]
# A count stored in an integer column (followers, views, orders).
Count = Annotated[int, Field(ge=0, le=INTEGER_MAX)]
# The `{ident}` of a path.
PathId = Annotated[int, Path(ge=1, le=INTEGER_MAX, description="the row's id")]


class Input(BaseModel):
    """A request body: an unknown field is a client's mistake, answered 422, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """A response, read straight from the ORM row."""

    model_config = ConfigDict(from_attributes=True)


def decision_words(older: dict[str, Decision]) -> GetPydanticSchema:
    """Metadata of a `Decision` field that also reads an endpoint's older words, all of them listed in OpenAPI."""
    aliases = ", ".join(f"{word} = {decision.value}" for word, decision in older.items())
    return GetPydanticSchema(
        lambda source, handler: core_schema.no_info_before_validator_function(
            lambda value: older.get(value, value) if isinstance(value, str) else value, handler(source)
        ),
        lambda _schema, _handler: {
            "type": "string",
            "enum": [*Decision, *older],
            "description": f"uphold 成立 / dismiss 不成立; older words, still accepted: {aliases}",
        },
    )


# An optional id among a list's query parameters (`?creator_id=…`).
RowIdQuery = Annotated[int | None, Query(ge=1, le=INTEGER_MAX, description="only rows of this id")]
