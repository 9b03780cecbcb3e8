"""Retraining the claim classifier on every decision reviewers have made so far."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.compliance import audit
from wanghong.compliance.engine_cache import ReviewerCache, training_examples
from wanghong.compliance.models import ComplianceExample, ComplianceModelRun
from wanghong.kit.audit import record


def retrain(session: Session, principal: Principal, *, reviewers: ReviewerCache) -> ComplianceModelRun:
    """Retrain the claim classifier on the shipped set plus every reviewer-labelled example so far."""
    require_role(principal, action="retraining the compliance model")
    extra = training_examples(session, None)
    last = session.scalar(select(func.max(ComplianceExample.id))) or 0
    run = ComplianceModelRun(
        examples=len(extra),
        metrics={"last_example_id": last, "by_label": dict(Counter(e.label for e in extra))},
        created_by_id=audit.account_id(principal),
    )
    session.add(run)
    session.flush()
    record(session, principal, audit.MODEL_RETRAIN, run, dict(run.metrics) | {"examples": len(extra)})
    # Trains now, in this process, so the caller pays the cost rather than the next scan.
    reviewers.get(session, fresh=True)
    return run
