"""What compliance writes to the audit trail: its action names (``<entity>.<verb>``) and who is recorded as acting."""

from __future__ import annotations

from wanghong.accounts.principal import Principal

LIBRARY_SEED = "compliance_library.seed"
LIBRARY_ADD_ENTRY = "compliance_library.add_entry"
LIBRARY_UPDATE_ENTRY = "compliance_library.update_entry"
LIBRARY_REMOVE_ENTRY = "compliance_library.remove_entry"
REVIEW_TASK_FLAG = "review_task.flag"
REVIEW_TASK_DECIDE = "review_task.decide"
VIOLATION_CONFIRM = "violation.confirm"
POLICY_UPDATE = "compliance_policy.update"
PENALTY_CREATE = "compliance_penalty.create"
APPEAL_CREATE = "compliance_appeal.create"
APPEAL_DECIDE = "compliance_appeal.decide"
MODEL_RETRAIN = "compliance_model.retrain"


def account_id(principal: Principal | None) -> int | None:
    # The CLI acts as user 0, which is no account: foreign keys get NULL, the audit log keeps the 0.
    return principal.user_id if principal is not None and principal.user_id > 0 else None
