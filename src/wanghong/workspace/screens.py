"""What every workspace page shares: its words, how codes read, and the show / step pattern of its forms.

A page is a `Screen` (path, template, what it shows); `show` renders it for the signed-in user and `step` takes a
form's step, then redirects back to the page (a reload repeats nothing) or shows it again with the reason, after
rolling back what the refused step wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.domain import (
    LABELS,
    AppealStatus,
    CampaignStatus,
    Category,
    CollaborationStatus,
    FollowerTier,
    PenaltyKind,
    PenaltyStatus,
    ReviewStatus,
    Segment,
    Verdict,
)
from wanghong.kit.errors import ServiceError
from wanghong.kit.i18n import FRAME, Messages
from wanghong.kit.instants import BEIJING
from wanghong.kit.pages import language_of, render_page, sign_in

MESSAGES = FRAME.extend(
    {
        "zh": {
            "campaigns_title": "营销活动",
            "products_title": "商品管理",
            "board_title": "合作管理",
            "name": "名称",
            "budget": "预算（元）",
            "remaining": "剩余预算",
            "status": "状态",
            "starts": "开始日期（北京时间）",
            "ends": "结束日期（北京时间）",
            "period": "活动时间",
            "collaborations": "合作数",
            "actions": "操作",
            "create_campaign": "新建活动",
            "create_product": "新建商品",
            "category": "类目",
            "price": "售价（元）",
            "description": "商品描述",
            "verdict": "合规结论",
            "not_scanned": "未检测",
            "blocked_hint": "已拦截：修改文案或经审核推翻后才能合作",
            "overturned": "已由审核员推翻",
            "campaign": "活动",
            "brand": "品牌",
            "creator": "达人",
            "product": "商品",
            "mode": "模式",
            "fee": "固定费用",
            "commission": "佣金",
            "content": "内容",
            "updated": "更新时间",
            "note": "说明 / 理由",
            "content_url": "内容链接",
            "all": "全部",
            "none": "暂无记录",
            "saved": "已保存",
            "step_active": "启动",
            "step_closed": "结束",
            "to_accepted": "接受",
            "to_rejected": "拒绝",
            "to_cancelled": "取消",
            "to_content_submitted": "提交内容",
            "to_approved": "通过",
            "to_accepted_back": "退回修改",
            "to_live": "上线",
            "to_settled": "结算",
            "nav_campaigns": "营销活动",
            "nav_products": "商品管理",
            "nav_board": "合作管理",
            "nav_matching": "选品中心",
            "nav_creators": "达人广场",
            "nav_favourites": "收藏夹",
            "nav_rate_card": "我的报价",
            "nav_selection": "选品广场",
            "nav_samples": "申样与购物车",
            "nav_roster": "达人管理",
            "nav_agency": "机构等级与分成",
            "nav_subjects": "主体管理",
            "nav_regulator": "监管看板",
            "nav_payouts": "打款",
            "nav_signing": "签约",
            "nav_listings": "商品上架",
            "campaign_report": "活动报告",
            "product_facts": "事实与 AI 助手",
            "nav_audience": "人群洞察",
            "inbox_title": "站内信",
            "mark_all_read": "全部标为已读",
            "unread_count": "未读",
            "when": "时间",
            "message": "消息",
            "open": "查看",
            "older": "更早的消息",
            "money_title": "资金",
            "penalties_title": "处罚与申诉",
            "nav_money": "资金",
            "nav_penalties": "处罚与申诉",
            "amount": "金额",
            "kind": "类型",
            "account": "账户",
            "reference": "关联",
            "order": "订单",
            "money_note": "金额来自结算账本（仅计已入账交易）；佣金在退货期结束后才转为待打款收入。",
            "penalty": "处罚",
            "reason": "原因",
            "period_label": "生效期间",
            "appeal": "申诉",
            "appeal_reason": "申诉理由",
            "file_appeal": "提交申诉",
            "until_lifted": "至解除",
        },
        "en": {
            "campaigns_title": "Campaigns",
            "products_title": "Products",
            "board_title": "Collaborations",
            "name": "Name",
            "budget": "Budget (CNY)",
            "remaining": "Budget left",
            "status": "Status",
            "starts": "Start date (Beijing time)",
            "ends": "End date (Beijing time)",
            "period": "Period",
            "collaborations": "Collaborations",
            "actions": "Actions",
            "create_campaign": "New campaign",
            "create_product": "New product",
            "category": "Category",
            "price": "Price (CNY)",
            "description": "Description",
            "verdict": "Compliance",
            "not_scanned": "Not scanned",
            "blocked_hint": "Blocked: change the copy or have a reviewer overturn it before collaborating",
            "overturned": "overturned by a reviewer",
            "campaign": "Campaign",
            "brand": "Brand",
            "creator": "Creator",
            "product": "Product",
            "mode": "Mode",
            "fee": "Fee",
            "commission": "Commission",
            "content": "Content",
            "updated": "Updated",
            "note": "Note / reason",
            "content_url": "Content link",
            "all": "All",
            "none": "Nothing here yet",
            "saved": "Saved",
            "step_active": "Launch",
            "step_closed": "Close",
            "to_accepted": "Accept",
            "to_rejected": "Decline",
            "to_cancelled": "Cancel",
            "to_content_submitted": "Submit content",
            "to_approved": "Approve",
            "to_accepted_back": "Send back",
            "to_live": "Go live",
            "to_settled": "Settle",
            "nav_campaigns": "Campaigns",
            "nav_products": "Products",
            "nav_board": "Collaborations",
            "nav_matching": "Matching",
            "nav_creators": "Creator market",
            "nav_favourites": "Favourites",
            "nav_rate_card": "My rate card",
            "nav_selection": "Product market",
            "nav_samples": "Samples and carts",
            "nav_roster": "Roster",
            "nav_agency": "Agency tier and split",
            "nav_subjects": "Subjects",
            "nav_regulator": "Regulator board",
            "nav_payouts": "Payouts",
            "nav_signing": "Signing",
            "nav_listings": "Listings",
            "campaign_report": "Report",
            "product_facts": "Facts and AI assistant",
            "nav_audience": "Audiences",
            "inbox_title": "Inbox",
            "mark_all_read": "Mark all read",
            "unread_count": "Unread",
            "when": "When",
            "message": "Message",
            "open": "Open",
            "older": "Older messages",
            "money_title": "Money",
            "penalties_title": "Penalties and appeals",
            "nav_money": "Money",
            "nav_penalties": "Penalties",
            "amount": "Amount",
            "kind": "Kind",
            "account": "Account",
            "reference": "For",
            "order": "order",
            "money_note": "Amounts come from the settlement ledger (sealed transactions only); commission becomes "
            "receivable once the return window has passed.",
            "penalty": "Penalty",
            "reason": "Reason",
            "period_label": "In force",
            "appeal": "Appeal",
            "appeal_reason": "Why the penalty should be lifted",
            "file_appeal": "File appeal",
            "until_lifted": "until lifted",
        },
    }
)

# The ledger's words as a tenant reads them (the settlement engine keeps codes only).
LEDGER_LABELS: dict[str, tuple[str, str]] = {
    "budget_freeze": ("预算冻结", "Budget frozen"),
    "budget_unfreeze": ("预算解冻", "Budget unfrozen"),
    "fee_release": ("合作费结算", "Fee released"),
    "commission_hold": ("佣金冻结（退货期）", "Commission held (return window)"),
    "commission_release": ("佣金结算", "Commission released"),
    "commission_reversal": ("佣金冲回", "Commission reversed"),
    "payout": ("打款", "Payout"),
    "correction": ("调整", "Correction"),
    "budget": ("可用预算", "Budget available"),
    "frozen": ("冻结中预算", "Budget frozen"),
    "commission_pending": ("待结算佣金", "Commission pending"),
    "receivable": ("待打款收入", "Earned, not yet paid"),
    "paid": ("已打款", "Paid out"),
    "share": ("机构分成", "Agency share"),
    "refunds": ("退款", "Refunds"),
    "service_fee": ("平台服务费", "Service fees"),
}

# English names of the states and categories the tables show; Chinese ones come from domain.LABELS.
ENGLISH_LABELS = {
    **{s.value: s.value.replace("_", " ").capitalize() for s in CollaborationStatus},
    **{s.value: s.value.capitalize() for s in CampaignStatus},
    **{v.value: v.value.capitalize() for v in Verdict},
    **{c.value: c.value.replace("_", " ").capitalize() for c in Category},
    **{k.value: k.value.replace("_", " ").capitalize() for k in PenaltyKind},
    **{s.value: s.value.capitalize() for s in AppealStatus},
    **{s.value: s.value.capitalize() for s in PenaltyStatus},
    **{s.value: s.value.capitalize() for s in ReviewStatus},
    FollowerTier.NANO.value: "Nano (<10K)",
    FollowerTier.MICRO.value: "Micro (10K–100K)",
    FollowerTier.MID.value: "Mid-tier (100K–1M)",
    FollowerTier.HEAD.value: "Head (1M–10M)",
    FollowerTier.TOP.value: "Top (≥10M)",
    Segment.YOUNG_MOTHERS.value: "Young mothers",
    Segment.NEW_FARMERS.value: "New farmers",
    Segment.STUDENTS.value: "Students",
    Segment.SMALL_TOWN_YOUTH.value: "Small-town youth",
    Segment.URBAN_WHITE_COLLAR.value: "Urban white-collar",
    Segment.SILVER.value: "Silver generation",
    Segment.GEN_Z_GAMERS.value: "Gen-Z gamers",
    "unrated": "Unrated",
    "brand_self_live": "Brand self-live",
    "creator_distribution": "Creator distribution",
}


def label_for(language: str) -> Any:
    def label(value: Any) -> str:
        code = getattr(value, "value", value)
        if code in LEDGER_LABELS:
            return LEDGER_LABELS[code][language == "en"]
        return str(ENGLISH_LABELS.get(code, code) if language == "en" else LABELS.get(code, code))

    return label


def page(
    request: Request,
    principal: Principal,
    template: str,
    view: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
    messages: Messages | None = None,
) -> Response:
    context = view | {
        "error": error,
        "label": label_for(language_of(request)),
        "saved": request.query_params.get("saved"),
    }
    return render_page(request, template, principal, context, messages=messages or MESSAGES, status_code=status_code)


def beijing_day(raw: str, end_of_day: bool) -> datetime | None:
    if not raw.strip():
        return None
    day = datetime.strptime(raw.strip(), "%Y-%m-%d").date()
    return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=BEIJING)


def problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    if isinstance(exc, ServiceError):
        return exc.detail
    return str(exc)


def refused(session: Session, exc: Exception) -> tuple[str, int]:
    """Undo what the refused step wrote before the page is shown again (a FormSession allows it)."""
    session.rollback()
    status = exc.status if isinstance(exc, ServiceError) else 422
    return problem(exc), status


@dataclass(frozen=True)
class Screen:
    """One workspace page: where it lives, its template, what it shows, and what it shows when that is refused."""

    path: str
    template: str
    view: Callable[[Session, Principal], dict[str, Any]]
    empty: dict[str, Any]
    messages: Messages = field(default_factory=lambda: MESSAGES)


def show(request: Request, session: Session, screen: Screen) -> Response:
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    try:
        view = screen.view(session, principal)
    except (ServiceError, ValueError) as exc:
        error, status = refused(session, exc)
        return page(request, principal, screen.template, screen.empty, error, status, screen.messages)
    return page(request, principal, screen.template, view, messages=screen.messages)


def step(request: Request, session: Session, screen: Screen, action: Callable[[Principal], object]) -> Response:
    """Take a form's step; then back to the page (a reload repeats nothing), or the page again with the reason."""
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    try:
        action(principal)
    except (ServiceError, ValidationError, ValueError) as exc:
        error, status = refused(session, exc)
        try:
            view = screen.view(session, principal)
        except (ServiceError, ValueError):  # one who may not take the step may not see the page either
            session.rollback()
            view = screen.empty
        return page(request, principal, screen.template, view, error, status, screen.messages)
    return RedirectResponse(f"{screen.path}?saved=1", status_code=303)
