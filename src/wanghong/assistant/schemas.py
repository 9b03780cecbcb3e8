"""The assistant's API shapes: facts as the brand states them, questions, answers and compositions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import StringConstraints

from wanghong.assistant.facts import MAX_FACT_CHARS
from wanghong.assistant.product_assistant import MAX_QUESTION_CHARS
from wanghong.kit.schemas import Input, Output


class FactIn(Input):
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_FACT_CHARS)]


class FactOut(Output):
    fact_id: str
    key: str
    version: int
    text: str
    current: bool
    created_at: datetime


class QuestionIn(Input):
    question: Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION_CHARS)]


class AnswerOut(Output):
    """The same shape as `wanghong assistant ask --json`."""

    answer: str
    fact_ids: list[str]
    abstained: bool
    label: str


class ComposeIn(Input):
    kind: Literal["script", "copy"] = "script"


class SectionOut(Output):
    key: str
    title: str
    text: str
    fact_ids: list[str]


class RewriteOut(Output):
    original: str
    replacement: str | None  # None: the phrase was removed


class CompositionOut(Output):
    kind: str
    text: str
    label: str
    sections: list[SectionOut]
    rewrites: list[RewriteOut]
    dropped: list[str]
    metadata: dict[str, dict[str, str]]
