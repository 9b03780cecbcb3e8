"""The compliance records every role reads through the generic resource routes: violations and the review queue."""

from __future__ import annotations

from wanghong.commerce.models import Creator
from wanghong.commerce.resources import Filter, Resource, by_name
from wanghong.compliance import schemas
from wanghong.compliance.models import ReviewTask, Violation

RESOURCES = by_name(
    Resource(
        "violations",
        Violation,
        schemas.ViolationOut,
        schemas.ViolationIn,
        schemas.ViolationUpdate,
        filters={
            "creator_id": Filter(Violation.creator_id),
            "status": Filter(Violation.status),
            "severity": Filter(Violation.severity),
            "category": Filter(Violation.category),
        },
        references={"creator_id": Creator},
        summary="违规记录 / violations",
    ),
    Resource(
        "review-tasks",
        ReviewTask,
        schemas.ReviewTaskOut,
        schemas.ReviewTaskIn,
        filters={
            "status": Filter(ReviewTask.status),
            "ai_verdict": Filter(ReviewTask.ai_verdict),
            "creator_id": Filter(ReviewTask.creator_id),
        },
        references={"creator_id": Creator},
        summary="审核队列 / review queue",
    ),
)
