"""站内信 for 星火计划: the agency hears when an operator overrides its grade or decides its appeal."""

from __future__ import annotations

from sqlalchemy.orm import Session

from wanghong.growth.models import McnGrade
from wanghong.workspace.notifications import Recipient, notify, register_wordings

# kind → (Chinese, English); {month}, {tier} and {note} (the reason, rendered "：…" when given) come from the decision.
WORDING: dict[str, tuple[str, str]] = {
    "grade_overridden": (
        "平台运营将你机构 {month} 的星火计划评级调整为 {tier}{note}",
        "An operator set your agency's Xinghuo grade for {month} to {tier}{note}",
    ),
    "grade_appeal_accepted": (
        "你对 {month} 评级的申诉已接受，等级调整为 {tier}{note}",
        "Your appeal against the {month} grade was accepted; the grade is now {tier}{note}",
    ),
    "grade_appeal_rejected": (
        "你对 {month} 评级的申诉已驳回，等级保持 {tier}{note}",
        "Your appeal against the {month} grade was rejected; the grade stays {tier}{note}",
    ),
}
register_wordings(WORDING)


def tell_agency(session: Session, row: McnGrade, kind: str, tier: str, note: str) -> None:
    params = {"month": f"{row.month:%Y-%m}", "tier": tier, "note": note}
    notify(session, [(Recipient.MCN, row.mcn_id)], kind, params)
