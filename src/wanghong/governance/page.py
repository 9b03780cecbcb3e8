"""Pages of governance: 主体管理 (operators verify, reject, suspend, blacklist and reinstate brands, MCNs and
creators, and read each one's history) and 监管看板 (the regulator's read-only dashboard)."""

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
from wanghong.governance import oversight, subjects
from wanghong.governance.engine import subjects as rules
from wanghong.governance.engine.subjects import LABELS as DOCUMENT_LABELS
from wanghong.governance.engine.subjects import SubjectKind, SubjectState
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
