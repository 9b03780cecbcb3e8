"""Growth pages: the operators' 星火计划 board (grades, overrides, appeals, concentration over time) and 创作者成长
(programmes, creators' enrolment, each programme's measured effect with its interval; operators open programmes
and offer them as an A/B roll-out). Shown and stepped through like every workspace page (`screens`)."""

from __future__ import annotations

from typing import Annotated, Any

import plotly.graph_objects as go
from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.domain import McnTier, Role
from wanghong.growth import grades, grading, incentives, programmes
from wanghong.kit.http import DbSession, FormSession
from wanghong.kit.pages import CHART_FONT, chart_html, page_router
from wanghong.workspace.screens import MESSAGES, Screen, show, step

TEXT = MESSAGES.extend(
    {
        "zh": {
            "xh_title": "星火计划",
            "gr_title": "创作者成长",
            "xh_month": "评级月份",
            "xh_none": "尚无评级；选择月份运行评级。",
            "xh_run": "运行评级",
            "xh_run_month": "月份（YYYY-MM）",
            "xh_distribution": "等级分布",
            "xh_agencies": "机构评级",
            "xh_agency": "机构",
            "xh_score": "得分",
            "xh_computed": "公式评级",
            "xh_previous": "上月",
            "xh_effective": "生效等级",
            "xh_override": "调整等级",
            "xh_reason": "调整原因（必填，写入审计日志）",
            "xh_apply": "调整",
            "xh_appeals": "申诉队列（最新在前）",
            "xh_pending": "待处理 {n} 件",
            "xh_more_appeals": "更早的申诉",
            "xh_more_grades": "更多机构",
            "xh_requested": "申请等级",
            "xh_appeal_reason": "申诉理由",
            "xh_note": "处理说明",
            "xh_accept": "接受",
            "xh_reject": "驳回",
            "xh_status_pending": "待处理",
            "xh_status_accepted": "已接受",
            "xh_status_rejected": "已驳回",
            "xh_concentration": "MCN 市场集中度（CR5 与 HHI，按签约达人 GMV）",
            "xh_cr5": "CR5（前五家份额）",
            "xh_hhi": "HHI（0–10,000）",
            "xh_grants": "各等级权益（流量包与加成在公平分发的基尼约束内生效）",
            "xh_boost": "曝光加成上限",
            "xh_priority": "品牌优先（小时）",
            "xh_pack": "专属流量包（次/月）",
            "tier_S": "S 级",
            "tier_A": "A 级",
            "tier_B": "B 级",
            "tier_unrated": McnTier.UNRATED.label,
            "gr_programmes": "成长项目",
            "gr_kind_course": "创作者学院（课程）",
            "gr_kind_incentive": "光合计划（现金激励）",
            "gr_starts": "开始日期",
            "gr_months": "周期（月）",
            "gr_budget": "预算",
            "gr_rollout": "随机分组",
            "gr_rollout_share": "A/B 灰度：处理组占比 {share}",
            "gr_self": "自主报名",
            "gr_enrolled": "报名人数",
            "gr_enrol": "报名",
            "gr_you": "你的分组",
            "gr_arm_randomised_treatment": "处理组",
            "gr_arm_randomised_control": "对照组（稍后开放）",
            "gr_arm_self_enrolled": "已报名",
            "gr_measure": "测量效果",
            "gr_effect": "项目效果（项目开始后新增关注数）",
            "gr_estimate": "估计效果",
            "gr_interval": "95% 置信区间",
            "gr_naive": "朴素差值（报名者与未报名者之差，有自选择偏差）",
            "gr_method": "方法",
            "gr_refutations": "反驳检验",
            "gr_passed": "通过",
            "gr_failed": "未通过",
            "gr_randomised_note": "随机分组：两组之差即无偏估计，区间为 Welch t 区间。",
            "gr_observational_note": "自主报名的创作者本就更积极；估计用双重稳健方法控制粉丝量与此前的关注增长，"
            "朴素差值仅供对照。",
            "gr_not_measurable": "暂不能测量：",
            "gr_new": "新建项目",
            "gr_name": "项目名称",
            "gr_kind": "类型",
            "gr_share_field": "A/B 灰度处理组占比（%，留空为自主报名）",
            "gr_budget_field": "预算（元，现金激励）",
            "gr_create": "创建",
            "gr_reward_field": "每位达标创作者奖励（元，现金激励）",
            "gr_target_field": "达标条件：项目期内新增关注数",
            "gr_money": "预算与发放",
            "gr_money_line": "奖励 {reward} · 达标 {target} 新增关注 · 已发 {paid} · 剩余 {left} · 待发 {owed} 人",
            "gr_pay": "发放激励",
            "gr_paid_you": "已获奖励 {amount}（计入应收，随结算打款）",
        },
        "en": {
            "xh_title": "Xinghuo grading",
            "gr_title": "Creator growth",
            "xh_month": "Graded month",
            "xh_none": "No grades yet; pick a month and run the grading.",
            "xh_run": "Run grading",
            "xh_run_month": "Month (YYYY-MM)",
            "xh_distribution": "Grade distribution",
            "xh_agencies": "Agency grades",
            "xh_agency": "Agency",
            "xh_score": "Score",
            "xh_computed": "Formula grade",
            "xh_previous": "Last month",
            "xh_effective": "Holds",
            "xh_override": "Override to",
            "xh_reason": "Reason (required, written to the audit log)",
            "xh_apply": "Override",
            "xh_appeals": "Appeals queue (newest first)",
            "xh_pending": "{n} pending",
            "xh_more_appeals": "Older appeals",
            "xh_more_grades": "More agencies",
            "xh_requested": "Asked for",
            "xh_appeal_reason": "Agency's reason",
            "xh_note": "Decision note",
            "xh_accept": "Accept",
            "xh_reject": "Reject",
            "xh_status_pending": "Pending",
            "xh_status_accepted": "Accepted",
            "xh_status_rejected": "Rejected",
            "xh_concentration": "MCN market concentration (CR5 and HHI of signed creators' GMV)",
            "xh_cr5": "CR5 (top-five share)",
            "xh_hhi": "HHI (0–10,000)",
            "xh_grants": "What each tier grants (packs and boosts apply within fair distribution's Gini bound)",
            "xh_boost": "Largest exposure boost",
            "xh_priority": "Brand priority (hours)",
            "xh_pack": "Traffic pack (exposures a month)",
            "tier_S": "Tier S",
            "tier_A": "Tier A",
            "tier_B": "Tier B",
            "tier_unrated": "Unrated",
            "gr_programmes": "Growth programmes",
            "gr_kind_course": "Creator academy (course)",
            "gr_kind_incentive": "Guanghe (cash incentive)",
            "gr_starts": "Starts",
            "gr_months": "Months",
            "gr_budget": "Budget",
            "gr_rollout": "Assignment",
            "gr_rollout_share": "A/B roll-out: {share} treated",
            "gr_self": "Self-enrolment",
            "gr_enrolled": "Enrolled",
            "gr_enrol": "Enrol",
            "gr_you": "Your arm",
            "gr_arm_randomised_treatment": "Treated",
            "gr_arm_randomised_control": "Control (opens later)",
            "gr_arm_self_enrolled": "Enrolled",
            "gr_measure": "Measure effect",
            "gr_effect": "Programme effect (new follows since it started)",
            "gr_estimate": "Estimated effect",
            "gr_interval": "95% interval",
            "gr_naive": "Naive difference (enrolled minus the rest; biased by self-selection)",
            "gr_method": "Method",
            "gr_refutations": "Refutation checks",
            "gr_passed": "passed",
            "gr_failed": "failed",
            "gr_randomised_note": "Randomised: the difference of the arms is unbiased; the interval is Welch's t.",
            "gr_observational_note": "Creators who enrol themselves are the more active ones; the estimate adjusts for "
            "followers and earlier follow growth with a doubly robust method, the naive difference is for comparison.",
            "gr_not_measurable": "Cannot measure yet: ",
            "gr_new": "New programme",
            "gr_name": "Name",
            "gr_kind": "Kind",
            "gr_share_field": "A/B roll-out treated share (%, empty for self-enrolment)",
            "gr_budget_field": "Budget (CNY, cash incentives)",
            "gr_create": "Create",
            "gr_reward_field": "Reward per creator who reaches the target (CNY, cash incentives)",
            "gr_target_field": "Target: new follows within the programme's months",
            "gr_money": "Budget and payouts",
            "gr_money_line": "Reward {reward} · target {target} new follows · paid {paid} · left {left} · {owed} owed",
            "gr_pay": "Pay rewards",
            "gr_paid_you": "Reward received {amount} (in your receivable, paid with the settlement payout)",
        },
    }
)

router = page_router(__file__)

XINGHUO_PATH = "/workspace/xinghuo"
GROWTH_PATH = "/workspace/growth"
_LAYOUT: dict[str, Any] = {"font": CHART_FONT, "margin": {"l": 50, "r": 50, "t": 20, "b": 40}, "showlegend": True}


def _concentration_chart(board: grading.Board) -> str:
    """CR5 on the left axis, HHI on the right: both names read the same in Chinese and English."""
    months = [f"{m.month:%Y-%m}" for m in board.concentration]
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(x=months, y=[m.concentration.cr5 for m in board.concentration], name="CR5", mode="lines+markers")
    )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=[m.concentration.hhi for m in board.concentration],
            name="HHI",
            mode="lines+markers",
            yaxis="y2",
        )
    )
    figure.update_layout(
        yaxis={"tickformat": ".0%", "range": [0, 1.05], "title": "CR5"},
        yaxis2={"overlaying": "y", "side": "right", "range": [0, 10_500], "title": "HHI"},
        legend={"orientation": "h", "y": -0.2},
        **_LAYOUT,
    )
    return chart_html(figure, height="320px")


def _xinghuo_view(
    session: Session, principal: Principal, grades_cursor: str | None = None, appeals_cursor: str | None = None
) -> dict[str, Any]:
    board = grading.board(session, principal, grades_cursor=grades_cursor, appeals_cursor=appeals_cursor)
    return {
        "board": board,
        "chart": _concentration_chart(board),
        "grants": grades.TIER_GRANTS,
        "tiers": [McnTier.S, McnTier.A, McnTier.B, McnTier.UNRATED],
        "default_month": f"{grading.last_complete_month():%Y-%m}",
    }


XINGHUO = Screen(
    XINGHUO_PATH,
    "growth_xinghuo.html",
    _xinghuo_view,
    {"board": None, "chart": "", "grants": grades.TIER_GRANTS, "tiers": [], "default_month": ""},
    TEXT,
)


def _growth_view(session: Session, principal: Principal) -> dict[str, Any]:
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, action="reading growth programmes")
    shown = programmes.programmes(session)
    return {
        "programmes": shown,
        "counts": programmes.enrolment_counts(session),
        "mine": programmes.my_enrolments(session, principal),
        "standings": {p.id: incentives.standing(session, p) for p in shown},
        "effect": None,
        "measured_id": None,
    }


GROWTH = Screen(
    GROWTH_PATH,
    "growth_programmes.html",
    _growth_view,
    {"programmes": [], "counts": {}, "mine": {}, "standings": {}, "effect": None, "measured_id": None},
    TEXT,
)


@router.get(XINGHUO_PATH, response_class=HTMLResponse)
def xinghuo_page(
    request: Request, session: DbSession, grades_cursor: str | None = None, appeals_cursor: str | None = None
) -> Response:
    if grades_cursor is None and appeals_cursor is None:
        return show(request, session, XINGHUO)

    def paged(s: Session, p: Principal) -> dict[str, Any]:
        return _xinghuo_view(s, p, grades_cursor, appeals_cursor)

    return show(request, session, Screen(XINGHUO.path, XINGHUO.template, paged, XINGHUO.empty, TEXT))


@router.post(XINGHUO_PATH + "/run", response_class=HTMLResponse)
def run_grading(request: Request, session: FormSession, month: Annotated[str, Form()] = "") -> Response:
    def run(principal: Principal) -> object:
        require_role(principal, action="running the 星火计划 grading")
        chosen = grading.parse_month(month) if month.strip() else grading.last_complete_month()
        return grading.run_grading(session, chosen, principal)

    return step(request, session, XINGHUO, run)


@router.post(XINGHUO_PATH + "/grades/{grade_id}/override", response_class=HTMLResponse)
def override_grade(
    request: Request,
    session: FormSession,
    grade_id: int,
    tier: Annotated[str, Form()],
    seen: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    def apply(principal: Principal) -> object:
        return grading.override(session, principal, grade_id, McnTier(tier), reason, McnTier(seen))

    return step(request, session, XINGHUO, apply)


@router.post(XINGHUO_PATH + "/appeals/{appeal_id}/decision", response_class=HTMLResponse)
def decide_appeal(
    request: Request,
    session: FormSession,
    appeal_id: int,
    decision: Annotated[str, Form()],
    tier: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    def decide(principal: Principal) -> object:
        if decision not in ("accept", "reject"):
            raise ValueError(f"an appeal is accepted or rejected, not {decision!r}")
        chosen = McnTier(tier) if tier else None
        return grading.decide_appeal(session, principal, appeal_id, decision == "accept", note, chosen)

    return step(request, session, XINGHUO, decide)


@router.get(GROWTH_PATH, response_class=HTMLResponse)
def growth_page(request: Request, session: DbSession, measure: int | None = None) -> Response:
    if measure is None:
        return show(request, session, GROWTH)

    def measured(s: Session, p: Principal) -> dict[str, Any]:
        return _growth_view(s, p) | {"effect": programmes.measure_effect(s, measure), "measured_id": measure}

    return show(request, session, Screen(GROWTH.path, GROWTH.template, measured, GROWTH.empty, TEXT))


@router.post(GROWTH_PATH + "/{programme_id}/enrol", response_class=HTMLResponse)
def enrol(request: Request, session: FormSession, programme_id: int) -> Response:
    return step(request, session, GROWTH, lambda p: programmes.enrol(session, p, programme_id))


@router.post(GROWTH_PATH, response_class=HTMLResponse)
def create_programme(
    request: Request,
    session: FormSession,
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "course",
    starts_on: Annotated[str, Form()] = "",
    months: Annotated[int, Form()] = 3,
    budget: Annotated[str, Form()] = "",
    randomised_share: Annotated[str, Form()] = "",
    reward: Annotated[str, Form()] = "",
    target_follows: Annotated[str, Form()] = "",
) -> Response:
    def create(principal: Principal) -> object:
        return programmes.create_programme(
            session, principal, name, kind, starts_on, months, budget, randomised_share, reward, target_follows
        )

    return step(request, session, GROWTH, create)


@router.post(GROWTH_PATH + "/{programme_id}/rewards", response_class=HTMLResponse)
def pay_rewards(request: Request, session: FormSession, programme_id: int) -> Response:
    return step(request, session, GROWTH, lambda p: incentives.pay_rewards(session, p, programme_id))
