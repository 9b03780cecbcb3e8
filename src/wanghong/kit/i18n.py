"""Interface text: Simplified Chinese first, English on request (the `lang` cookie)."""

from __future__ import annotations

from wanghong.domain import LABELS

DEFAULT_LANGUAGE = "zh"
LANGUAGES = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "app_name": "网红业务平台",
        "login": "登录",
        "logout": "退出",
        "username": "用户名",
        "password": "密码",
        "switch_language": "English",
        "welcome": "欢迎",
        "creators": "达人数",
        "mcns": "MCN 机构数",
        "brands": "品牌数",
        "gmv": "直播 GMV",
        "campaigns": "营销活动",
        "products": "商品",
        "collaborations": "合作",
        "pending_reviews": "待审核",
        "followers": "粉丝数",
        "tier": "层级",
        "chart_creators_by_tier": "达人粉丝层级分布",
        "chart_gmv_by_day": "每日直播 GMV",
        "chart_pending_by_verdict": "待审核任务（按 AI 结论）",
        "chart_collaborations_by_status": "合作状态分布",
        "chart_fan_segments": "粉丝人群构成",
        "table_review_queue": "审核队列",
        "table_campaigns": "我的营销活动",
        "table_creators": "旗下达人（按粉丝数）",
        "no_data": "暂无数据",
        "api_docs": "API 文档",
        "nav_analytics": "经营分析",
        "nav_matching": "选品中心",
        "nav_review": "审核队列",
        "nav_traffic": "流量分发",
        "col_handle": "账号",
        "col_followers": "粉丝数",
        "col_follower_tier": "层级",
        "col_name": "名称",
        "col_status": "状态",
        "col_budget": "预算（元）",
        "col_text": "内容",
        "col_ai_verdict": "AI 结论",
        "col_ai_score": "AI 分数",
        "col_priority": "优先级",
    },
    "en": {
        "app_name": "wanghong influencer platform",
        "login": "Sign in",
        "logout": "Sign out",
        "username": "Username",
        "password": "Password",
        "switch_language": "中文",
        "welcome": "Welcome",
        "creators": "Creators",
        "mcns": "MCN agencies",
        "brands": "Brands",
        "gmv": "Livestream GMV",
        "campaigns": "Campaigns",
        "products": "Products",
        "collaborations": "Collaborations",
        "pending_reviews": "Pending reviews",
        "followers": "Followers",
        "tier": "Tier",
        "chart_creators_by_tier": "Creators by follower tier",
        "chart_gmv_by_day": "Livestream GMV per day",
        "chart_pending_by_verdict": "Pending review tasks by AI verdict",
        "chart_collaborations_by_status": "Collaborations by status",
        "chart_fan_segments": "Audience segments",
        "table_review_queue": "Review queue",
        "table_campaigns": "My campaigns",
        "table_creators": "My creators (by followers)",
        "no_data": "No data yet",
        "api_docs": "API docs",
        "nav_analytics": "Analytics",
        "nav_matching": "Matching",
        "nav_review": "Review queue",
        "nav_traffic": "Traffic",
        "col_handle": "Handle",
        "col_followers": "Followers",
        "col_follower_tier": "Tier",
        "col_name": "Name",
        "col_status": "Status",
        "col_budget": "Budget (CNY)",
        "col_text": "Text",
        "col_ai_verdict": "AI verdict",
        "col_ai_score": "AI score",
        "col_priority": "Priority",
    },
}


def translator(language: str) -> dict[str, str]:
    return MESSAGES.get(language, MESSAGES[DEFAULT_LANGUAGE])


def role_label(role: str, language: str) -> str:
    return LABELS.get(role, role) if language == "zh" else role.replace("_", " ")
