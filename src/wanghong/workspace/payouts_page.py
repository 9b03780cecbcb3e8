"""打款 for operators: what fell due and how much of it was paid on time, who is waiting, and today's batch."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Creator
from wanghong.kit.http import FormSession
from wanghong.kit.pages import page_router
from wanghong.settlement import payouts
from wanghong.workspace.screens import MESSAGES, Screen, serve, step

PAYOUT_MESSAGES = MESSAGES.extend(
    {
        "zh": {
            "payouts_title": "打款",
            "due_total": "已到期应付",
            "on_time": "按期支付",
            "paid_late": "迟付",
            "overdue": "逾期未付",
            "oldest_due": "最早到期（北京时间）",
            "run_batch": "执行今日打款批次",
            "late_list": "逾期与迟付名单",
            "payout_rule": "达人收入在结算后 T+7 到期；每日批次支付所有已到期金额，重复执行不会重复打款。",
            "batch_done": "打款批次已执行",
        },
        "en": {
            "payouts_title": "Payouts",
            "due_total": "Due so far",
            "on_time": "Paid on time",
            "paid_late": "Paid late",
            "overdue": "Overdue, unpaid",
            "oldest_due": "Oldest due (Beijing time)",
            "run_batch": "Run today's payout batch",
            "late_list": "Overdue and late",
            "payout_rule": "Creators' earnings fall due T+7 after settlement; the daily batch pays everything due, "
            "and running it again pays nobody twice.",
            "batch_done": "Payout batch run",
        },
    }
)

router = page_router(__file__)


def _view(session: Session, principal: Principal) -> dict[str, Any]:
    require_role(principal, action="reading payouts")
    report = payouts.report(session)
    late = [line for line in report.lines if line.judged.overdue_fen or line.judged.late_paid_fen]
    ids = [line.creator_id for line in late]
    names = {
        cid: name for cid, name in session.execute(select(Creator.id, Creator.display_name).where(Creator.id.in_(ids)))
    }
    return {"report": report, "late": late, "names": names}


PAYOUTS = Screen("/workspace/payouts", "workspace_payouts.html", _view, {"report": None}, PAYOUT_MESSAGES)


serve(router, PAYOUTS)


@router.post(PAYOUTS.path, response_class=HTMLResponse)
def run_payout_batch(request: Request, session: FormSession) -> Response:
    return step(request, session, PAYOUTS, lambda principal: payouts.run_batch(session, principal))
