"""The two bases of every capability's request and response models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Input(BaseModel):
    """A request body: an unknown field is a client's mistake, answered 422, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """A response, read straight from the ORM row."""

    model_config = ConfigDict(from_attributes=True)
