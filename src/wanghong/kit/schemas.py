"""The two bases of every capability's request and response models, and the one way a decision is spelled."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, GetPydanticSchema
from pydantic_core import core_schema

from wanghong.domain import Decision


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
