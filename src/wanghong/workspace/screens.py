"""What every workspace page shares: its words, how codes read, and the show / step pattern of its forms.

A page is a `Screen` (path, template, what it shows); `show` renders it for the signed-in user and `step` takes a
form's step, then redirects back to the page (a reload repeats nothing) or shows it again with the reason, after
rolling back what the refused step wrote; `preview` shows the page with a computed result and writes nothing.
`serve` answers a page's address with `show` when the page reads nothing from the address.
`Filters` reads a page's query filters (counts, percentages, options) the same way on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from wanghong.accounts.deps import signed_in
from wanghong.accounts.principal import Principal
from wanghong.domain import (
    FOLLOWER_TIER_EN,
    LABELS,
    AppealStatus,
    CampaignStatus,
    Category,
    CollaborationStatus,
    PenaltyKind,
    PenaltyStatus,
    ReviewStatus,
    Segment,
    Verdict,
)
from wanghong.kit.db.base import INTEGER_MAX
from wanghong.kit.errors import InvalidInput, NotFound, ServiceError
from wanghong.kit.http import DbSession
from wanghong.kit.i18n import FRAME, Messages
from wanghong.kit.instants import BEIJING
from wanghong.kit.pages import language_of, render_page, sign_in
from wanghong.kit.problems import error_page

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
            "nav_statements": "对账单",
            "nav_aftersales": "售后与客诉",
            "nav_reconciliation": "三方对账",
            "nav_metrics": "指标说明",
            "nav_regulator": "监管看板",
            "nav_verification": "主体认证",
            "nav_monitoring": "商品监测",
            "nav_payouts": "打款",
            "nav_signing": "签约",
            "nav_listings": "商品上架",
            "campaign_report": "活动报告",
            "product_facts": "事实与 AI 助手",
            "nav_live": "直播间",
            "nav_audience": "人群洞察",
            "nav_fraud": "反作弊",
            "nav_xinghuo": "星火计划",
            "nav_growth": "创作者成长",
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
            "bad_filter": "筛选条件无效：{name}",
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
            "nav_statements": "Statements",
            "nav_aftersales": "After-sales",
            "nav_reconciliation": "Reconciliation",
            "nav_metrics": "Metric definitions",
            "nav_regulator": "Regulator board",
            "nav_verification": "Verification",
            "nav_monitoring": "Product monitoring",
            "nav_payouts": "Payouts",
            "nav_signing": "Signing",
            "nav_listings": "Listings",
            "campaign_report": "Report",
            "product_facts": "Facts and AI assistant",
            "nav_live": "Live rooms",
            "nav_audience": "Audiences",
            "nav_fraud": "Fraud",
            "nav_xinghuo": "Xinghuo grading",
            "nav_growth": "Creator growth",
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
            "bad_filter": "Invalid filter: {name}",
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
    **{tier.value: english for tier, english in FOLLOWER_TIER_EN.items()},
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
    except NotFound as exc:
        # The object the page is about is not there, or is another tenant's: nothing of the page to show, the
        # same error page as any unknown address, in the reader's language.
        session.rollback()
        return error_page(request, NotFound.status, exc.detail, principal)
    except (ServiceError, ValueError) as exc:
        error, status = refused(session, exc)
        return page(request, principal, screen.template, screen.empty, error, status, screen.messages)
    return page(request, principal, screen.template, view, messages=screen.messages)


def serve(router: APIRouter, screen: Screen) -> None:
    """Answer GET `screen.path` on `router` with the page as `show` renders it: the one route of every page whose
    view reads nothing from the address (no filter, no cursor). A page that does declares its own route."""

    def shown(request: Request, session: DbSession) -> Response:
        return show(request, session, screen)

    router.add_api_route(screen.path, shown, methods=["GET"], response_class=HTMLResponse, name=screen.template)


def step(request: Request, session: Session, screen: Screen, action: Callable[[Principal], object]) -> Response:
    """Take a form's step; then back to the page (a reload repeats nothing), or the page again with the reason."""
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    try:
        action(principal)
    except (ServiceError, ValidationError, ValueError) as exc:
        return _shown_again(request, session, screen, principal, exc, {})
    return RedirectResponse(f"{screen.path}?saved=1", status_code=303)


def preview(
    request: Request,
    session: Session,
    screen: Screen,
    compute: Callable[[Principal], dict[str, Any]],
    kept: dict[str, Any] | None = None,
) -> Response:
    """Show the page with a computed result and write nothing (a pre-check, a dry run): `compute` returns what the
    view gains; refused, the page shows the reason with what the reader typed (`kept`) still in its form."""
    principal = signed_in(request, session)
    if principal is None:
        return sign_in()
    kept = kept or {}
    try:
        view = screen.view(session, principal)
        result = compute(principal)
    except (ServiceError, ValidationError, ValueError) as exc:
        return _shown_again(request, session, screen, principal, exc, kept)
    return page(request, principal, screen.template, view | kept | result, messages=screen.messages)


def _shown_again(
    request: Request, session: Session, screen: Screen, principal: Principal, exc: Exception, kept: dict[str, Any]
) -> Response:
    """The page again with the reason a step or preview was refused, after undoing what it wrote."""
    error, status = refused(session, exc)
    try:
        view = screen.view(session, principal) | kept
    except (ServiceError, ValueError):  # one who may not take the step may not see the page either
        session.rollback()
        view = screen.empty
    return page(request, principal, screen.template, view, error, status, screen.messages)


E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class Filters:
    """A page's filters as the reader typed them (strings, empty for "any") read into values the same way on every
    page: a value the page does not offer is an InvalidInput naming the field in the reader's words, never a 500
    nor a filter silently dropped. `label` is the field's name as the page shows it."""

    language: str

    @classmethod
    def of(cls, request: Request) -> Filters:
        return cls(language_of(request))

    def refuse(self, label: str) -> InvalidInput:
        return InvalidInput(MESSAGES.text(self.language)["bad_filter"].format(name=label))

    def whole(self, raw: str, label: str) -> int | None:
        """A count typed with or without thousands separators (10,000)."""
        cleaned = raw.replace(",", "").replace("，", "").strip()
        if not cleaned:
            return None
        # isdigit() alone takes '²' and other digits int() refuses; the bound keeps the database from a 500.
        if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) > INTEGER_MAX:
            raise self.refuse(label)
        return int(cleaned)

    def percent(self, raw: str, label: str) -> float | None:
        """A share typed as a percentage (20, 20.5 or 20%) as the rate the services keep (0.2, 0.205)."""
        cleaned = raw.strip().removesuffix("%").strip()
        if not cleaned:
            return None
        try:
            value = float(cleaned)
        except ValueError:
            raise self.refuse(label) from None
        if not 0 <= value <= 100:  # NaN fails this too
            raise self.refuse(label)
        return round(value / 100, 4)

    def choice(self, raw: str, kind: type[E], label: str) -> E | None:
        """One of the options the page offers, by its code."""
        if not raw:
            return None
        try:
            return kind(raw)
        except ValueError:
            raise self.refuse(label) from None
