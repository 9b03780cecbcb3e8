"""MCN 后台 pages: 达人管理 (the roster, signing and releasing), 签约 (the creator's answers) and 机构等级与分成
(tier, what it grants, history, revenue split). Shown and stepped through like every workspace page (`screens`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.agency import service
from wanghong.agency.schemas import DecisionIn, ReleaseIn, SigningIn
from wanghong.domain import FOLLOWER_TIER_EN, FollowerTier, McnTier
from wanghong.kit.http import FormSession
from wanghong.kit.pages import page_router
from wanghong.workspace.screens import MESSAGES, Screen, serve, step

TEXT = MESSAGES.extend(
    {
        "zh": {
            "roster_title": "达人管理",
            "signing_title": "签约",
            "agency_title": "机构等级与分成",
            "ag_sign_creator": "签约达人",
            "ag_signed": "已签约达人",
            "ag_handle": "达人账号（handle）",
            "ag_share": "机构分成（%）",
            "ag_term": "期限（月）",
            "ag_message": "留言",
            "ag_send_request": "发送签约邀请",
            "ag_sign_hint": "达人确认后才会加入名单；分成按平台服务费之后的收入计算，结算时按签约合同的比例分账。",
            "ag_followers": "粉丝数",
            "ag_follower_tier": "粉丝量级",
            "ag_open_offers": "待回复邀约",
            "ag_earned": "已赚收入",
            "ag_pending": "退货期佣金",
            "ag_contract": "合同",
            "ag_board": "合作看板",
            "ag_release": "申请解约",
            "ag_release_pending": "解约待达人确认",
            "ag_no_contract": "无合同记录（按平台默认分成）",
            "ag_until": "至",
            "ag_requests": "签约与解约申请",
            "ag_kind": "类型",
            "ag_sent": "发起时间",
            "ag_decided": "答复时间",
            "ag_withdraw": "撤回",
            "ag_confirm": "确认",
            "ag_decline": "拒绝",
            "ag_agency": "机构",
            "ag_current_agency": "当前签约机构",
            "ag_unsigned": "你目前未签约任何机构",
            "ag_answer_note": "答复说明（选填）",
            "ag_tier": "机构等级",
            "ag_grants": "各等级权益",
            "ag_traffic_pack": "专属流量包（次曝光/月）",
            "ag_exposure_boost": "单个达人曝光加成上限",
            "ag_fee_discount": "平台服务费折扣",
            "ag_priority": "品牌优先合作权（小时）",
            "ag_account_manager": "专属运营经理",
            "ag_yes": "有",
            "ag_no": "无",
            "ag_current": "当前",
            "ag_history": "等级历史",
            "ag_effective": "生效时间",
            "ag_reason": "原因",
            "ag_split": "分成明细",
            "ag_share_earned": "机构已得分成",
            "ag_share_total": "分成账户余额",
            "ag_grading": "评级依据",
            "ag_grading_text": "星火计划按月评级：签约达人的 GMV 与粉丝增长、原创度、违规率、客诉率与达人留存加权打分"
            "（权重公开、单调），阈值附近设 2.5 分缓冲区以免等级反复跳动。",
            "ag_not_graded": "本机构尚未参与月度评级。",
            "ag_month": "评级月份",
            "ag_score": "得分",
            "ag_computed": "公式评级",
            "ag_override": "运营调整",
            "ag_indicator": "指标",
            "ag_value": "本月数值",
            "ag_weight": "权重",
            "ag_points": "得分贡献",
            "ag_not_measured": "平台尚未记录客诉，暂不区分机构",
            "ag_next": "距离升级",
            "ag_points_needed": "还需 {points} 分升至 {tier}",
            "ag_top": "已是最高等级",
            "ag_levers": "单项即可升级的指标",
            "ag_lever_line": "{label}：由 {current} 提升到 {needed}",
            "ag_no_lever": "没有单一指标能独自弥补差距，需要多项同时改善。",
            "ag_grade_history": "月度评级记录",
            "ag_appeals": "评级申诉",
            "ag_appeal_reason": "申诉理由",
            "ag_appeal_wanted": "申请等级（选填）",
            "ag_appeal_file": "提交申诉",
            "ag_appeal_done": "本月评级已申诉，结果见下表。",
            "ag_appeal_status_pending": "待处理",
            "ag_appeal_status_accepted": "已接受",
            "ag_appeal_status_rejected": "已驳回",
            "ag_decision_note": "处理说明",
            "ag_boost_note": "当前等级：本机构达人在公平分发中的曝光加成上限为 {boost}，"
            "品牌新品上架后 {hours} 小时内在选品中心优先展示。",
            "ag_grants_note": "权益由机构等级决定；流量包与加成在公平分发的基尼约束内生效。",
            "st_pending": "待答复",
            "st_confirmed": "已确认",
            "st_declined": "已拒绝",
            "st_withdrawn": "已撤回",
            "kind_sign": "签约",
            "kind_release": "解约",
            **{f"ft_{tier.value}": tier.label for tier in FollowerTier},
            "tier_S": "S 级",
            "tier_A": "A 级",
            "tier_B": "B 级",
            "tier_unrated": McnTier.UNRATED.label,
        },
        "en": {
            "roster_title": "Roster",
            "signing_title": "Signing",
            "agency_title": "Agency tier and split",
            "ag_sign_creator": "Sign a creator",
            "ag_signed": "Signed creators",
            "ag_handle": "Creator handle",
            "ag_share": "Agency share (%)",
            "ag_term": "Term (months)",
            "ag_message": "Message",
            "ag_send_request": "Send invitation",
            "ag_sign_hint": "The creator joins the roster once they confirm; the share applies to earnings after the "
            "platform's service fee and settlement splits each payment by the contract's rate.",
            "ag_followers": "Followers",
            "ag_follower_tier": "Follower tier",
            "ag_open_offers": "Open offers",
            "ag_earned": "Earned",
            "ag_pending": "Commission on hold",
            "ag_contract": "Contract",
            "ag_board": "Board",
            "ag_release": "Ask to release",
            "ag_release_pending": "Release awaiting the creator",
            "ag_no_contract": "No contract on record (platform default share)",
            "ag_until": "until",
            "ag_requests": "Signing and release requests",
            "ag_kind": "Kind",
            "ag_sent": "Sent",
            "ag_decided": "Answered",
            "ag_withdraw": "Withdraw",
            "ag_confirm": "Confirm",
            "ag_decline": "Decline",
            "ag_agency": "Agency",
            "ag_current_agency": "Your agency",
            "ag_unsigned": "You are not signed with an agency",
            "ag_answer_note": "Note to the agency (optional)",
            "ag_tier": "Agency tier",
            "ag_grants": "What each tier grants",
            "ag_traffic_pack": "Traffic pack (exposures a month)",
            "ag_exposure_boost": "Largest boost for one creator",
            "ag_fee_discount": "Service-fee discount",
            "ag_priority": "Brand priority window (hours)",
            "ag_account_manager": "Dedicated account manager",
            "ag_yes": "Yes",
            "ag_no": "No",
            "ag_current": "current",
            "ag_history": "Tier history",
            "ag_effective": "Effective",
            "ag_reason": "Reason",
            "ag_split": "Revenue split",
            "ag_share_earned": "Agency share earned",
            "ag_share_total": "Share account balance",
            "ag_grading": "How tiers are graded",
            "ag_grading_text": "Xinghuo grades agencies monthly on a published, monotone weighted score of their "
            "signed creators' GMV and follower growth, originality, violation rate, complaint rate and creator "
            "retention, with a 2.5-point buffer around each threshold so grades do not flap.",
            "ag_not_graded": "This agency has not been graded yet.",
            "ag_month": "Month",
            "ag_score": "Score",
            "ag_computed": "Formula grade",
            "ag_override": "Operator override",
            "ag_indicator": "Indicator",
            "ag_value": "This month",
            "ag_weight": "Weight",
            "ag_points": "Points",
            "ag_not_measured": "the platform records no complaints yet; no agency is set apart by it",
            "ag_next": "To the next grade",
            "ag_points_needed": "{points} more points to reach {tier}",
            "ag_top": "Already at the top grade",
            "ag_levers": "Indicators that alone would lift the grade",
            "ag_lever_line": "{label}: from {current} to {needed}",
            "ag_no_lever": "No single indicator can close the gap alone; several must improve together.",
            "ag_grade_history": "Monthly grades",
            "ag_appeals": "Grade appeals",
            "ag_appeal_reason": "Why the grade is wrong",
            "ag_appeal_wanted": "Grade asked for (optional)",
            "ag_appeal_file": "File appeal",
            "ag_appeal_done": "This month's grade has been appealed; the outcome is below.",
            "ag_appeal_status_pending": "Pending",
            "ag_appeal_status_accepted": "Accepted",
            "ag_appeal_status_rejected": "Rejected",
            "ag_decision_note": "Decision note",
            "ag_boost_note": "At this tier the fair allocator may lift each of the agency's creators' exposure by up "
            "to {boost}, and they rank first on a brand's new product in 选品中心 for {hours} hours.",
            "ag_grants_note": "Grants follow the tier; traffic packs and boosts apply within fair distribution's "
            "Gini bound.",
            "st_pending": "Pending",
            "st_confirmed": "Confirmed",
            "st_declined": "Declined",
            "st_withdrawn": "Withdrawn",
            "kind_sign": "Sign",
            "kind_release": "Release",
            **{f"ft_{tier.value}": english for tier, english in FOLLOWER_TIER_EN.items()},
            "tier_S": "Tier S",
            "tier_A": "Tier A",
            "tier_B": "Tier B",
            "tier_unrated": "Unrated",
        },
    }
)

router = page_router(__file__)


def _roster_view(session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "lines": service.roster(session, principal),
        "requests": service.signing_lines(session, principal),
    }


ROSTER = Screen("/workspace/roster", "agency_roster.html", _roster_view, {"lines": [], "requests": []}, TEXT)


def _signing_view(session: Session, principal: Principal) -> dict[str, Any]:
    return {"view": service.creator_view(session, principal)}


SIGNING = Screen("/workspace/signing", "agency_signing.html", _signing_view, {"view": None}, TEXT)


def _agency_view(session: Session, principal: Principal) -> dict[str, Any]:
    return {"view": service.tier_view(session, principal), "grants": service.TIER_GRANTS}


AGENCY = Screen("/workspace/agency", "agency_tier.html", _agency_view, {"view": None, "grants": {}}, TEXT)


serve(router, ROSTER)


@router.post(ROSTER.path + "/sign", response_class=HTMLResponse)
def sign_creator(
    request: Request,
    session: FormSession,
    handle: Annotated[str, Form()],
    share: Annotated[str, Form()],
    term: Annotated[str, Form()] = "12",
    message: Annotated[str, Form()] = "",
) -> Response:
    def sign(principal: Principal) -> object:
        fields = {"handle": handle.strip(), "share_rate": float(share) / 100, "term_months": term, "message": message}
        return service.request_signing(session, principal, SigningIn.model_validate(fields))

    return step(request, session, ROSTER, sign)


@router.post(ROSTER.path + "/{creator_id}/release", response_class=HTMLResponse)
def release_creator(
    request: Request, session: FormSession, creator_id: int, message: Annotated[str, Form()] = ""
) -> Response:
    def release(principal: Principal) -> object:
        data = ReleaseIn.model_validate({"creator_id": creator_id, "message": message})
        return service.request_release(session, principal, data)

    return step(request, session, ROSTER, release)


@router.post(ROSTER.path + "/requests/{signing_id}/withdraw", response_class=HTMLResponse)
def withdraw_request(request: Request, session: FormSession, signing_id: int) -> Response:
    data = DecisionIn(decision="withdraw")
    return step(request, session, ROSTER, lambda p: service.decide(session, p, signing_id, data))


serve(router, SIGNING)


@router.post(SIGNING.path + "/{signing_id}/decision", response_class=HTMLResponse)
def answer_request(
    request: Request,
    session: FormSession,
    signing_id: int,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    def answer(principal: Principal) -> object:
        if decision not in ("confirm", "decline"):
            raise ValueError(f"a creator confirms or declines, not {decision!r}")
        data = DecisionIn.model_validate({"decision": decision, "note": note})
        return service.decide(session, principal, signing_id, data)

    return step(request, session, SIGNING, answer)


serve(router, AGENCY)


@router.post(AGENCY.path + "/grades/{grade_id}/appeal", response_class=HTMLResponse)
def appeal_grade(
    request: Request,
    session: FormSession,
    grade_id: int,
    reason: Annotated[str, Form()] = "",
    requested: Annotated[str, Form()] = "",
) -> Response:
    return step(request, session, AGENCY, lambda p: service.appeal_grade(session, p, grade_id, reason, requested))
