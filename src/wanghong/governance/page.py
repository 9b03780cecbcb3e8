"""Pages of governance: 主体管理 (operators verify, reject, suspend, blacklist and reinstate brands, MCNs and
creators, and read each one's history), 主体认证 (a brand, MCN or creator submits its own documents and reads
their terms), 商品监测 (findings, price history, 绿色直播间; read-only for the regulator, a brand sees its own
products) and 监管看板 (the regulator's read-only dashboard)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.domain import LABELS
from wanghong.governance import gate as _gate  # noqa: F401  (subscribes the 直播主体 gate to commerce's writes)
from wanghong.governance import monitoring, oversight, rooms, subjects, submissions
from wanghong.governance.engine import credit
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.pricing import PricePoint
from wanghong.governance.engine.subjects import LABELS as DOCUMENT_LABELS
from wanghong.governance.engine.subjects import DocumentKind, SubjectKind, SubjectState
from wanghong.governance.models import FindingKind
from wanghong.governance.schemas import DecisionIn
from wanghong.governance.standing import Standing
from wanghong.kit import access
from wanghong.kit.errors import InvalidInput, NotFound
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import add_templates, language_of
from wanghong.workspace.screens import MESSAGES, Screen, show, step

add_templates(Path(__file__).with_name("templates"))
router = APIRouter(include_in_schema=False)
SUBJECTS_PAGE = "/workspace/subjects"
REGULATOR_PAGE = "/workspace/regulator"
VERIFICATION_PAGE = "/workspace/verification"
MONITORING_PAGE = "/workspace/monitoring"

TEXT = MESSAGES.extend(
    {
        "zh": {
            "gv_subjects_title": "主体管理",
            "gv_subject_title": "主体详情",
            "gv_regulator_title": "监管看板",
            "gv_kind_brand": "品牌",
            "gv_kind_mcn": "MCN 机构",
            "gv_kind_creator": "达人",
            "gv_state_unverified": "未认证",
            "gv_state_pending": "待审核",
            "gv_state_verified": "已认证",
            "gv_state_expired": "已过期",
            "gv_state_rejected": "已驳回",
            "gv_state_revoked": "已撤销",
            "gv_state_suspended": "已暂停",
            "gv_state_blacklisted": "黑名单",
            "gv_action_verify": "通过认证",
            "gv_action_reject": "驳回",
            "gv_action_suspend": "暂停",
            "gv_action_blacklist": "拉黑",
            "gv_action_reinstate": "恢复",
            "gv_action_submit": "提交材料",
            "gv_standing_good": "良好",
            "gv_standing_restricted": "受限（不推荐给品牌）",
            "gv_standing_limited": "限流",
            "gv_standing_suspended": "停播",
            "gv_filter": "筛选",
            "gv_keyword": "名称或信用代码",
            "gv_any_state": "全部状态",
            "gv_stored_state": "运营决定",
            "gv_today_state": "今日状态",
            "gv_identity": "信用代码 / 实名",
            "gv_real_name_ok": "已实名",
            "gv_real_name_missing": "未实名",
            "gv_birth": "出生日期",
            "gv_valid_until": "有效期至",
            "gv_long_term": "长期",
            "gv_problems": "材料问题",
            "gv_no_problems": "材料齐全",
            "gv_review": "查看与处理",
            "gv_documents": "证照与资质",
            "gv_doc_kind": "证照",
            "gv_doc_number": "编号",
            "gv_doc_term": "有效期",
            "gv_doc_revoked": "已吊销",
            "gv_history": "历史",
            "gv_from_to": "状态变化",
            "gv_operator": "操作人",
            "gv_log_entry": "存证条目",
            "gv_reason_placeholder": "原因（驳回、暂停、拉黑必填）",
            "gv_no_record": "尚未提交材料：只能暂停或拉黑，认证须先由主体提交材料。",
            "gv_restricted_categories": "申请的限制类目",
            "gv_next_page": "下一页",
            "gv_back_to_list": "返回列表",
            "gv_counts_title": "各类主体状态",
            "gv_standing_chart": "达人信用状态分布",
            "gv_recent_penalties": "最近处罚",
            "gv_expiring_title": "30 天内到期的认证",
            "gv_log_head": "存证日志",
            "gv_tree_size": "条目数",
            "gv_root_hash": "根哈希",
            "gv_signed_head": "最近签名树头",
            "gv_not_signed": "尚未签名",
            "gv_open_violations": "待处理违规",
            "gv_pending_appeals": "待处理申诉",
            "gv_export_link": "导出 JSON 记录",
            "gv_read_only": "监管账号只读：可查看所有租户的治理记录，不能修改任何记录。",
            "gv_total": "合计",
            "gv_expires_on": "到期日",
            "gv_creators_unit": "位达人",
            "gv_verification_title": "主体认证",
            "gv_monitoring_title": "商品监测",
            "gv_my_record": "认证状态",
            "gv_submit": "提交审核",
            "gv_resubmit_hint": (
                "提交后进入待审核，由平台运营核验；到期前请更新证照并重新提交。"
                "注意：已认证主体重新提交后、审核通过前，不能销售限制类目商品。"
            ),
            "gv_pending_hint": "材料审核中，运营处理后可再次修改。",
            "gv_suspended_hint": "主体已被平台暂停，请联系运营；暂停期间不能重新提交。",
            "gv_legal_name": "企业名称（与营业执照一致）",
            "gv_uscc": "统一社会信用代码（18位）",
            "gv_categories_wanted": "申请经营的限制类目",
            "gv_doc_from": "生效日期",
            "gv_doc_until": "有效期至（空为长期）",
            "gv_doc_hint": "编号留空表示不提交该证照。",
            "gv_term_in_force": "有效",
            "gv_term_ending_soon": "30 天内到期",
            "gv_term_expired": "已过期",
            "gv_term_not_yet": "未生效",
            "gv_term_revoked": "已吊销",
            "gv_id_number": "居民身份证号码（18位，仅保存脱敏号码）",
            "gv_id_valid_until": "证件有效期至（空为长期）",
            "gv_guardian_consent": "未满18周岁：已取得监护人同意",
            "gv_id_masked": "证件号码",
            "gv_sale_rights": "限制类目销售资格（今日）",
            "gv_may_sell": "可销售",
            "gv_may_not_sell": "不可销售",
            "gv_asked": "已申请",
            "gv_not_asked": "未申请",
            "gv_findings": "监测发现",
            "gv_finding_kind": "类型",
            "gv_kind_fake_discount": "虚构原价（先涨后降）",
            "gv_kind_price_claim": "价格宣称不实",
            "gv_kind_listing_mismatch": "口播与商品信息不符",
            "gv_any_kind": "全部类型",
            "gv_claim": "宣称 / 现象",
            "gv_listed": "商品信息 / 依据",
            "gv_host": "主播",
            "gv_severity": "严重程度",
            "gv_outcome": "处理",
            "gv_outcome_open": "未达复核阈值",
            "gv_outcome_in_review": "待人工复核",
            "gv_outcome_confirmed": "已确认",
            "gv_outcome_dismissed": "已驳回",
            "gv_price_history": "价格历史（近 90 天）",
            "gv_price_listed": "本店标价",
            "gv_price_sold": "成交价",
            "gv_price_elsewhere": "其他渠道",
            "gv_price_of": "查看价格",
            "gv_rooms_title": "绿色直播间评估（近 90 天）",
            "gv_room": "直播间",
            "gv_sessions": "场次",
            "gv_last_live": "最近开播",
            "gv_green": "绿色直播间",
            "gv_not_green": "未达标",
            "gv_score": "得分",
            "gv_credit": "信用分",
            "gv_failed": "未满足",
            "gv_unmeasured": "平台暂无数据、未计入：亮照亮证、AI 内容标识、投诉处理、七日无理由退货。",
            "gv_monitoring_read_only": "只读：监管账号可查看所有租户的监测记录。",
            "gv_brand_scope": "仅显示本品牌商品的监测记录。",
            "gv_points_hint": (
                "每项发现按严重程度计分（低1、中2、高3），同一商品同一主播累计达 3 分即生成人工复核任务。"
            ),
        },
        "en": {
            "gv_subjects_title": "Subjects",
            "gv_subject_title": "Subject",
            "gv_regulator_title": "Regulator board",
            "gv_kind_brand": "Brands",
            "gv_kind_mcn": "MCNs",
            "gv_kind_creator": "Creators",
            "gv_state_unverified": "Unverified",
            "gv_state_pending": "Pending review",
            "gv_state_verified": "Verified",
            "gv_state_expired": "Expired",
            "gv_state_rejected": "Rejected",
            "gv_state_revoked": "Revoked",
            "gv_state_suspended": "Suspended",
            "gv_state_blacklisted": "Blacklisted",
            "gv_action_verify": "Verify",
            "gv_action_reject": "Reject",
            "gv_action_suspend": "Suspend",
            "gv_action_blacklist": "Blacklist",
            "gv_action_reinstate": "Reinstate",
            "gv_action_submit": "Submitted",
            "gv_standing_good": "Good",
            "gv_standing_restricted": "Restricted (not offered to brands)",
            "gv_standing_limited": "Traffic limited",
            "gv_standing_suspended": "Suspended from live",
            "gv_filter": "Filter",
            "gv_keyword": "Name or credit code",
            "gv_any_state": "Any state",
            "gv_stored_state": "Decision",
            "gv_today_state": "Today",
            "gv_identity": "Credit code / real name",
            "gv_real_name_ok": "Real name verified",
            "gv_real_name_missing": "No real name",
            "gv_birth": "Birth date",
            "gv_valid_until": "Valid until",
            "gv_long_term": "No end",
            "gv_problems": "Document problems",
            "gv_no_problems": "Documents complete",
            "gv_review": "Review",
            "gv_documents": "Licences and qualifications",
            "gv_doc_kind": "Document",
            "gv_doc_number": "Number",
            "gv_doc_term": "Term",
            "gv_doc_revoked": "revoked",
            "gv_history": "History",
            "gv_from_to": "Change",
            "gv_operator": "By",
            "gv_log_entry": "Log entry",
            "gv_reason_placeholder": "Reason (required to reject, suspend, blacklist)",
            "gv_no_record": "Nothing submitted yet: it can be suspended or blacklisted; verifying needs its documents.",
            "gv_restricted_categories": "Restricted categories asked for",
            "gv_next_page": "Next page",
            "gv_back_to_list": "Back to the list",
            "gv_counts_title": "Subjects by state",
            "gv_standing_chart": "Creators by standing",
            "gv_recent_penalties": "Recent penalties",
            "gv_expiring_title": "Verifications ending within 30 days",
            "gv_log_head": "Transparency log",
            "gv_tree_size": "Entries",
            "gv_root_hash": "Root hash",
            "gv_signed_head": "Latest signed tree head",
            "gv_not_signed": "not signed yet",
            "gv_open_violations": "Open violations",
            "gv_pending_appeals": "Pending appeals",
            "gv_export_link": "Export records as JSON",
            "gv_read_only": "A regulator's account reads every tenant's governance records and changes nothing.",
            "gv_total": "Total",
            "gv_expires_on": "Ends on",
            "gv_creators_unit": "creators",
            "gv_verification_title": "Verification",
            "gv_monitoring_title": "Product monitoring",
            "gv_my_record": "Verification status",
            "gv_submit": "Submit for review",
            "gv_resubmit_hint": (
                "A submission waits for an operator's review; renew documents and submit again before they end. "
                "A verified subject that submits again sells nothing restricted until the review."
            ),
            "gv_pending_hint": "Under review: it can be changed again once an operator has decided.",
            "gv_suspended_hint": "Suspended by the platform: contact the operators; no resubmission while suspended.",
            "gv_legal_name": "Legal name (as on the business licence)",
            "gv_uscc": "Unified social credit code (18 characters)",
            "gv_categories_wanted": "Restricted categories to sell in",
            "gv_doc_from": "Valid from",
            "gv_doc_until": "Valid until (empty: no end)",
            "gv_doc_hint": "Leave a number empty to file no such document.",
            "gv_term_in_force": "In force",
            "gv_term_ending_soon": "Ends within 30 days",
            "gv_term_expired": "Expired",
            "gv_term_not_yet": "Not yet in force",
            "gv_term_revoked": "Revoked",
            "gv_id_number": "Resident ID number (18 characters; only a masked copy is kept)",
            "gv_id_valid_until": "ID valid until (empty: no end)",
            "gv_guardian_consent": "Under 18: my guardian consents",
            "gv_id_masked": "ID number",
            "gv_sale_rights": "Selling in restricted categories (today)",
            "gv_may_sell": "May sell",
            "gv_may_not_sell": "May not sell",
            "gv_asked": "asked for",
            "gv_not_asked": "not asked for",
            "gv_findings": "Findings",
            "gv_finding_kind": "Kind",
            "gv_kind_fake_discount": "Fictitious original price (raised, then cut)",
            "gv_kind_price_claim": "False price claim",
            "gv_kind_listing_mismatch": "Speech contradicts the listing",
            "gv_any_kind": "Any kind",
            "gv_claim": "Claim / pattern",
            "gv_listed": "Listing / basis",
            "gv_host": "Host",
            "gv_severity": "Severity",
            "gv_outcome": "Outcome",
            "gv_outcome_open": "Below the review threshold",
            "gv_outcome_in_review": "Waiting for a reviewer",
            "gv_outcome_confirmed": "Confirmed",
            "gv_outcome_dismissed": "Dismissed",
            "gv_price_history": "Price history (last 90 days)",
            "gv_price_listed": "Our listed price",
            "gv_price_sold": "Sold at",
            "gv_price_elsewhere": "Other channels",
            "gv_price_of": "Prices",
            "gv_rooms_title": "Green livestream rooms (last 90 days)",
            "gv_room": "Room",
            "gv_sessions": "Sessions",
            "gv_last_live": "Last live",
            "gv_green": "Green room",
            "gv_not_green": "Not green",
            "gv_score": "Score",
            "gv_credit": "Credit",
            "gv_failed": "Not met",
            "gv_unmeasured": (
                "No data on the platform, not evaluated: licences shown in the room, AI labels, complaints, "
                "seven-day returns."
            ),
            "gv_monitoring_read_only": "Read only: a regulator reads every tenant's monitoring records.",
            "gv_brand_scope": "Only findings on your brand's products.",
            "gv_points_hint": (
                "Each finding weighs by severity (low 1, medium 2, high 3); 3 points on one product by one host "
                "open a review task."
            ),
        },
    }
)


def _half(text: str, language: str) -> str:
    """The engine's reasons read "中文 / English": the reader's half."""
    zh, _, en = text.partition(" / ")
    return (en or zh) if language == "en" else zh


def _helpers(language: str) -> dict[str, Any]:
    return {
        "half": lambda text: _half(text, language),
        "document_label": lambda kind: _half(DOCUMENT_LABELS[kind], language).capitalize(),
        "category_label": lambda code: subjects_category_label(code, language),
        "credit_label": lambda colour: _half(credit.LABELS[colour], language),
    }


def subjects_category_label(code: str, language: str) -> str:
    return code.replace("_", " ").capitalize() if language == "en" else LABELS.get(code, code)


# --- 主体管理 ----------------------------------------------------------------------------------------------------


def _list_screen(language: str, kind: SubjectKind, state: str, q: str, cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        chosen = SubjectState(state) if state else None
        lines, next_cursor = subjects.directory(session, principal, kind, state=chosen, q=q, cursor=cursor)
        counts = subjects.state_counts(session)
        return base | {"lines": lines, "next_cursor": next_cursor, "counts": counts}

    base: dict[str, Any] = {
        "kind": kind,
        "kinds": list(SubjectKind),
        "states": list(SubjectState),
        "chosen": state,
        "q": q,
        **_helpers(language),
    }
    return Screen(SUBJECTS_PAGE, "governance_subjects.html", view, base | {"lines": [], "counts": {}}, TEXT)


def _kind(raw: str) -> SubjectKind:
    try:
        return SubjectKind(raw)
    except ValueError:
        raise InvalidInput(f"kind must be one of {', '.join(k.value for k in SubjectKind)}") from None


@router.get(SUBJECTS_PAGE, response_class=HTMLResponse)
def subjects_page(
    request: Request, session: DbSession, kind: str = "brand", state: str = "", q: str = "", cursor: str | None = None
) -> Response:
    chosen_kind = SubjectKind(kind) if kind in SubjectKind._value2member_map_ else SubjectKind.BRAND
    chosen_state = state if state in SubjectState._value2member_map_ else ""
    return show(request, session, _list_screen(language_of(request), chosen_kind, chosen_state, q[:100], cursor))


def _detail_screen(language: str, kind: SubjectKind, org_id: int) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        require_role(principal, action="managing subjects (主体管理)")
        access.get_visible(session, subjects.ORG_MODELS[kind], org_id, principal)
        row = subjects.find(session, kind, org_id)
        verification = subjects.verification_of(row) if row is not None else None
        stored = row.state if row is not None else SubjectState.UNVERIFIED
        return base | {
            "name": subjects.org_name(session, kind, org_id),
            "subject": row,
            "stored": stored,
            "today_state": rules.effective_state(stored, verification) if verification else stored,
            "problems": verification.problems if verification else (),
            "history": subjects.history(session, row.id) if row is not None else [],
            "actions": subjects.actions_for(stored),
        }

    base: dict[str, Any] = {"kind": kind, "org_id": org_id, **_helpers(language)}
    empty = base | {
        "name": "",
        "subject": None,
        "stored": SubjectState.UNVERIFIED,
        "today_state": SubjectState.UNVERIFIED,
        "problems": (),
        "history": [],
        "actions": (),
    }
    return Screen(f"{SUBJECTS_PAGE}/{kind.value}/{org_id}", "governance_subject.html", view, empty, TEXT)


@router.get(SUBJECTS_PAGE + "/{kind}/{org_id}", response_class=HTMLResponse)
def subject_page(request: Request, session: DbSession, kind: str, org_id: int) -> Response:
    if kind not in SubjectKind._value2member_map_:
        kind = "brand"
        org_id = 0
    return show(request, session, _detail_screen(language_of(request), SubjectKind(kind), org_id))


@router.post(SUBJECTS_PAGE + "/{kind}/{org_id}/decision", response_class=HTMLResponse)
def decide_subject(
    request: Request,
    session: FormSession,
    kind: str,
    org_id: int,
    action: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    chosen = SubjectKind(kind) if kind in SubjectKind._value2member_map_ else SubjectKind.BRAND
    detail = _detail_screen(language_of(request), chosen, org_id)

    def view_after(session: Session, principal: Principal) -> dict[str, Any]:
        # A refused step shows the page again; for an unknown subject that page is the empty one, with the 404.
        try:
            return detail.view(session, principal)
        except NotFound:
            return detail.empty

    screen = replace(detail, view=view_after)

    def act(principal: Principal) -> object:
        data = DecisionIn.model_validate({"action": action, "reason": reason})
        return subjects.decide_org(session, principal, _kind(kind), org_id, data)

    return step(request, session, screen, act)


# --- 监管看板 ----------------------------------------------------------------------------------------------------


def _bars(counts: dict[Standing, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The standing distribution as horizontal bars (inline SVG, no script)."""
    top = max(counts.values(), default=0) or 1
    colours = {
        Standing.GOOD: "#52c41a",
        Standing.RESTRICTED: "#faad14",
        Standing.LIMITED: "#fa8c16",
        Standing.SUSPENDED: "#f5222d",
    }
    return [
        {
            "label": labels[f"gv_standing_{st.value}"],
            "count": n,
            "width": round(100 * n / top, 1),
            "colour": colours[st],
            "y": 8 + i * 34,
        }
        for i, (st, n) in enumerate(counts.items())
    ]


def _regulator_screen(language: str) -> Screen:
    labels = TEXT.text(language)

    def view(session: Session, principal: Principal) -> dict[str, Any]:
        board = oversight.dashboard(session, principal)
        return {"board": board, "bars": _bars(board.standings, labels), "kinds": list(SubjectKind)}

    return Screen(REGULATOR_PAGE, "governance_regulator.html", view, {"board": None, "bars": [], "kinds": []}, TEXT)


@router.get(REGULATOR_PAGE, response_class=HTMLResponse)
def regulator_page(request: Request, session: DbSession) -> Response:
    return show(request, session, _regulator_screen(language_of(request)))


# --- 主体认证 (a tenant's own documents) ------------------------------------------------------------------------


def _verification_screen(language: str) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        record = submissions.own_record(session, principal)
        on_file = {d.document.kind: d.document for d in record.documents}
        return base | {"record": record, "on_file": on_file, "form_kinds": _form_kinds(record.kind)}

    base: dict[str, Any] = {
        "categories": submissions.RESTRICTED_CATEGORIES,
        "terms": list(submissions.Term),
        **_helpers(language),
    }
    return Screen(
        VERIFICATION_PAGE,
        "governance_verification.html",
        view,
        base | {"record": None, "on_file": {}, "form_kinds": ()},
        TEXT,
    )


def _form_kinds(kind: SubjectKind) -> tuple[DocumentKind, ...]:
    if kind is SubjectKind.BRAND:
        return (DocumentKind.BUSINESS_LICENCE, *submissions.QUALIFICATIONS)
    if kind is SubjectKind.MCN:
        return (DocumentKind.BUSINESS_LICENCE,)
    return ()


@router.get(VERIFICATION_PAGE, response_class=HTMLResponse)
def verification_page(request: Request, session: DbSession) -> Response:
    return show(request, session, _verification_screen(language_of(request)))


@router.post(VERIFICATION_PAGE, response_class=HTMLResponse)
def submit_verification(
    request: Request,
    session: FormSession,
    legal_name: Annotated[str, Form(max_length=200)] = "",
    uscc: Annotated[str, Form(max_length=32)] = "",
    categories: Annotated[list[str] | None, Form()] = None,
    doc_kind: Annotated[list[str] | None, Form()] = None,
    doc_number: Annotated[list[str] | None, Form()] = None,
    doc_from: Annotated[list[str] | None, Form()] = None,
    doc_until: Annotated[list[str] | None, Form()] = None,
    id_number: Annotated[str, Form(max_length=32)] = "",
    id_valid_until: Annotated[str, Form(max_length=10)] = "",
    guardian_consent: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    screen = _verification_screen(language_of(request))

    def act(principal: Principal) -> object:
        kinds, numbers = doc_kind or [], doc_number or []
        starts, ends = doc_from or [], doc_until or []
        if not len(kinds) == len(numbers) == len(starts) == len(ends) or len(kinds) > 20:
            raise InvalidInput("证照字段不完整 / each document row carries kind, number, valid_from and valid_until")
        try:
            documents = tuple(
                submissions.DocumentForm(DocumentKind(k), n[:64], f, u)
                for k, n, f, u in zip(kinds, numbers, starts, ends, strict=True)
            )
        except ValueError:
            raise InvalidInput(f"unknown document kind among {sorted(set(kinds))}") from None
        form = submissions.SubmissionForm(
            legal_name=legal_name,
            uscc=uscc,
            categories=tuple(categories or ()),
            documents=documents,
            id_number=id_number,
            id_valid_until=id_valid_until,
            guardian_consent=bool(guardian_consent),
        )
        return submissions.submit_own(session, principal, form)

    return step(request, session, screen, act)


# --- 商品监测 ---------------------------------------------------------------------------------------------------

_CHART_W, _CHART_H, _PAD = 720, 220, 44


def price_chart(listed: list[PricePoint], sold: list[PricePoint], elsewhere: list[PricePoint]) -> dict[str, Any]:
    """The listed price as a step line, sales and other channels as dots: inline SVG coordinates, no script."""
    every = listed + sold + elsewhere
    if not every:
        return {}
    t0 = min(p.at for p in every).timestamp()
    t1 = max(max(p.at for p in every).timestamp(), t0 + 1)
    low, high = min(p.fen for p in every), max(p.fen for p in every)
    span = max(high - low, 1)
    levels = {p.fen for p in listed} | {low, high}

    def x(point: PricePoint) -> float:
        return round(_PAD + (point.at.timestamp() - t0) / (t1 - t0) * (_CHART_W - 2 * _PAD), 1)

    def y(fen: int) -> float:
        return round(_CHART_H - _PAD / 2 - (fen - low) / span * (_CHART_H - _PAD), 1)

    steps: list[str] = []
    for i, point in enumerate(listed):
        if i:
            steps.append(f"L{x(point)},{y(listed[i - 1].fen)}")
        steps.append(f"{'M' if not i else 'L'}{x(point)},{y(point.fen)}")
    if listed:
        steps.append(f"L{_CHART_W - _PAD},{y(listed[-1].fen)}")
    return {
        "width": _CHART_W,
        "height": _CHART_H,
        "path": " ".join(steps),
        "sold": [{"x": x(p), "y": y(p.fen), "fen": p.fen} for p in sold],
        "elsewhere": [{"x": x(p), "y": y(p.fen), "fen": p.fen, "channel": p.channel} for p in elsewhere],
        # Every listed price gets its gridline while they are few; otherwise the lowest and the highest.
        "ticks": [{"y": y(v), "fen": v} for v in sorted(levels if len(levels) <= 6 else {low, high})],
        "first": min(p.at for p in every),
        "last": max(p.at for p in every),
    }


def _monitoring_screen(language: str, kind: str, product_id: int | None, cursor: str | None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        chosen = FindingKind(kind) if kind else None
        page = monitoring.findings(session, principal, kind=chosen, cursor=cursor)
        chart, product = {}, None
        if product_id is not None:
            prices = monitoring.product_prices(session, principal, product_id)
            chart, product = price_chart(prices.listed, prices.sold, prices.elsewhere), prices.product
        platform = principal.role.value in ("admin", "reviewer", "regulator")
        found_rooms = rooms.rooms(session, principal)[0] if platform else []
        return base | {
            "lines": page.items,
            "next_cursor": page.next_cursor,
            "counts": monitoring.finding_counts(session, principal),
            "chart": chart,
            "product": product,
            "rooms": found_rooms,
            "platform": platform,
        }

    base: dict[str, Any] = {
        "kinds": list(FindingKind),
        "outcomes": list(monitoring.Outcome),
        "chosen": kind,
        "product_id": product_id,
        **_helpers(language),
    }
    empty = base | {"lines": [], "counts": {}, "chart": {}, "product": None, "rooms": [], "platform": False}
    return Screen(MONITORING_PAGE, "governance_monitoring.html", view, empty, TEXT)


@router.get(MONITORING_PAGE, response_class=HTMLResponse)
def monitoring_page(
    request: Request, session: DbSession, kind: str = "", product: int | None = None, cursor: str | None = None
) -> Response:
    chosen = kind if kind in FindingKind._value2member_map_ else ""
    product_id = product if product is not None and 0 < product <= 2**31 - 1 else None
    return show(request, session, _monitoring_screen(language_of(request), chosen, product_id, cursor))
