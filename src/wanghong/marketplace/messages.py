"""The words of 达人广场's pages (added to the workspace's own), and what every one of its screens does with them:
codes worded in the reader's language, refusals a reader can cause turned into text in that language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.domain import (
    FOLLOWER_TIER_EN,
    AgeBand,
    CityTier,
    Gender,
    Segment,
)
from wanghong.kit.errors import Forbidden, InvalidInput, NotFound
from wanghong.kit.pages import language_of, text_for
from wanghong.marketplace import service
from wanghong.workspace.screens import MESSAGES as WORKSPACE
from wanghong.workspace.screens import Screen, label_for

MESSAGES = WORKSPACE.extend(
    {
        "zh": {
            "m_market_title": "达人广场",
            "m_favourites_title": "收藏夹",
            "m_compare_title": "达人对比",
            "m_detail_title": "达人详情",
            "m_rate_card_title": "我的报价",
            "m_keyword": "关键词 / 账号",
            "m_keyword_hint": "昵称或 @账号",
            "m_region": "地区",
            "m_followers_min": "粉丝数不少于",
            "m_followers_max": "粉丝数不多于",
            "m_follower_tier": "达人量级",
            "m_mcn_tier": "MCN 等级",
            "m_independent": "独立达人（无机构）",
            "m_segment": "粉丝人群",
            "m_segment_hint": "占粉丝 ≥20%",
            "m_sort": "排序",
            "m_sort_followers": "粉丝数",
            "m_sort_gmv": "直播 GMV",
            "m_sort_newest": "最新入驻",
            "m_search": "搜索",
            "m_reset": "清空条件",
            "m_any": "不限",
            "m_followers": "粉丝数",
            "m_tier": "量级",
            "m_mcn": "所属机构",
            "m_gmv": "直播 GMV",
            "m_segments": "主要人群",
            "m_quote": "报价",
            "m_favourite": "收藏",
            "m_unfavourite": "取消收藏",
            "m_compare": "对比",
            "m_compare_selected": "对比所选达人（最多 4 位）",
            "m_next_page": "下一页",
            "m_first_page": "回到第一页",
            "m_no_creators": "没有符合条件的达人，放宽筛选条件再试试",
            "m_no_favourites": "收藏夹还是空的：在达人广场点「收藏」即可加入",
            "m_saved_at": "收藏时间",
            "m_too_many": "最多只能同时对比 4 位达人，当前选择了 {n} 位，请减少后再试",
            "m_pick_some": "请在达人广场勾选 2 至 4 位达人后再对比",
            "m_not_found": "没有找到这位达人",
            "m_bad_ids": "对比的达人编号无效",
            "m_platform": "平台",
            "m_categories": "类目",
            "m_persona": "粉丝画像",
            "m_gender": "性别分布",
            "m_age": "年龄分布",
            "m_city": "城市等级分布",
            "m_audience": "人群分布",
            "m_no_persona": "该达人尚未提供粉丝画像",
            "m_video_short": "短视频 1–20 秒",
            "m_video_medium": "短视频 21–60 秒",
            "m_video_long": "短视频 60 秒以上",
            "m_live_slot_fee": "直播坑位费",
            "m_live_commission": "直播佣金比例",
            "m_not_quoted": "未报价",
            "m_quoted_at": "报价更新于",
            "m_no_rate_card": "该达人尚未填写报价，可在发起合作时与其协商",
            "m_past": "合作记录",
            "m_no_past": "暂无合作记录",
            "m_fee_private": "仅合作双方可见",
            "m_gmv_chart": "直播 GMV 分布（场次）",
            "m_livestreams": "直播场次",
            "m_best_gmv": "单场最高 GMV",
            "m_total_gmv": "累计直播 GMV",
            "m_no_livestreams": "暂无直播记录",
            "m_standing": "合规状态",
            "m_originality": "原创记录",
            "m_filed": "发起原创申诉",
            "m_filed_confirmed": "其中成立",
            "m_accused": "被指抄袭",
            "m_accused_confirmed": "其中成立",
            "m_claim_role": "角色",
            "m_as_claimant": "原创方",
            "m_as_accused": "被申诉方",
            "m_no_claims": "暂无原创申诉记录",
            "m_propose": "发起合作",
            "m_propose_hint": "在选品中心选择商品后向该达人发起合作",
            "m_save_card": "保存报价",
            "m_card_for": "为哪位达人报价",
            "m_switch": "切换",
            "m_card_hint": "价格单位为元，留空表示不报该项；佣金比例填 0–100 的百分数。"
            "保存后品牌可在达人广场与达人详情中看到。",
            "m_bad_price": "{field}必须是不小于 0 的金额（最多两位小数）",
            "m_bad_commission": "佣金比例必须在 0 到 100 之间",
            "m_no_roster": "你的机构名下还没有达人",
            "m_yes": "是",
            "m_no": "否",
            "m_open_detail": "详情",
            "m_unit": "（元）",
            "m_forbidden_market": "达人广场、收藏夹与达人对比仅对品牌经理和平台管理员开放",
            "m_forbidden_card": "报价由达人本人或其所属 MCN 维护",
        },
        "en": {
            "m_market_title": "Creator market",
            "m_favourites_title": "Favourites",
            "m_compare_title": "Compare creators",
            "m_detail_title": "Creator profile",
            "m_rate_card_title": "My rate card",
            "m_keyword": "Keyword / handle",
            "m_keyword_hint": "name or @handle",
            "m_region": "Region",
            "m_followers_min": "Followers at least",
            "m_followers_max": "Followers at most",
            "m_follower_tier": "Size tier",
            "m_mcn_tier": "MCN tier",
            "m_independent": "Independent (no agency)",
            "m_segment": "Audience segment",
            "m_segment_hint": "≥20% of fans",
            "m_sort": "Sort by",
            "m_sort_followers": "Followers",
            "m_sort_gmv": "Livestream GMV",
            "m_sort_newest": "Newest",
            "m_search": "Search",
            "m_reset": "Clear filters",
            "m_any": "Any",
            "m_followers": "Followers",
            "m_tier": "Tier",
            "m_mcn": "Agency",
            "m_gmv": "Livestream GMV",
            "m_segments": "Top segments",
            "m_quote": "Rate card",
            "m_favourite": "Save",
            "m_unfavourite": "Unsave",
            "m_compare": "Compare",
            "m_compare_selected": "Compare the selected creators (up to 4)",
            "m_next_page": "Next page",
            "m_first_page": "Back to the first page",
            "m_no_creators": "No creator matches; try wider filters",
            "m_no_favourites": "No favourites yet: press “Save” on a creator in the creator market",
            "m_saved_at": "Saved",
            "m_too_many": "At most 4 creators can be compared at once; you chose {n}. Choose fewer and try again",
            "m_pick_some": "Tick 2 to 4 creators in the creator market, then compare",
            "m_not_found": "No such creator",
            "m_bad_ids": "The creator numbers to compare are invalid",
            "m_platform": "Platform",
            "m_categories": "Categories",
            "m_persona": "Fan persona",
            "m_gender": "Gender",
            "m_age": "Age",
            "m_city": "City tier",
            "m_audience": "Audience segments",
            "m_no_persona": "This creator has not shared a fan persona yet",
            "m_video_short": "Short video 1–20 s",
            "m_video_medium": "Short video 21–60 s",
            "m_video_long": "Short video over 60 s",
            "m_live_slot_fee": "Livestream slot fee",
            "m_live_commission": "Livestream commission",
            "m_not_quoted": "Not quoted",
            "m_quoted_at": "Rate card updated",
            "m_no_rate_card": "No rate card yet; agree the terms in the proposal",
            "m_past": "Collaborations",
            "m_no_past": "No collaborations yet",
            "m_fee_private": "Visible to the two parties only",
            "m_gmv_chart": "Livestream GMV distribution (sessions)",
            "m_livestreams": "Livestreams",
            "m_best_gmv": "Best single livestream",
            "m_total_gmv": "Livestream GMV to date",
            "m_no_livestreams": "No livestreams yet",
            "m_standing": "Compliance standing",
            "m_originality": "Originality record",
            "m_filed": "Originality claims filed",
            "m_filed_confirmed": "of which upheld",
            "m_accused": "Accused of copying",
            "m_accused_confirmed": "of which upheld",
            "m_claim_role": "Role",
            "m_as_claimant": "Claimant",
            "m_as_accused": "Accused",
            "m_no_claims": "No originality claims",
            "m_propose": "Propose a collaboration",
            "m_propose_hint": "Pick a product in Matching and propose to this creator",
            "m_save_card": "Save rate card",
            "m_card_for": "Rate card of",
            "m_switch": "Switch",
            "m_card_hint": "Prices in CNY; leave a price empty if you do not offer it; commission as a percentage "
            "from 0 to 100. Brands see the rate card in the creator market and on your profile once saved.",
            "m_bad_price": "{field} must be an amount of 0 or more (at most two decimals)",
            "m_bad_commission": "The commission must be between 0 and 100",
            "m_no_roster": "Your agency has no creators yet",
            "m_yes": "Yes",
            "m_no": "No",
            "m_open_detail": "Profile",
            "m_unit": " (CNY)",
            "m_forbidden_market": "The creator market, favourites and compare are for brand managers and admins",
            "m_forbidden_card": "A rate card is kept by the creator or its MCN",
        },
    }
)

# English (and where domain.py has none, Chinese) words for the codes these pages show.
WORDS: dict[str, tuple[str, str]] = {
    **{tier.value: (tier.label, english) for tier, english in FOLLOWER_TIER_EN.items()},
    **{
        s.value: (s.label, en)
        for s, en in zip(
            Segment,
            (
                "Young mothers",
                "New farmers",
                "Students",
                "Small-town youth",
                "Urban white-collar",
                "Silver generation",
                "Gen-Z gamers",
            ),
            strict=True,
        )
    },
    **{g.value: (g.label, en) for g, en in zip(Gender, ("Female", "Male"), strict=True)},
    **{
        a.value: (a.label, en)
        for a, en in zip(AgeBand, ("Under 18", "18–24", "25–30", "31–40", "41–50", "Over 50"), strict=True)
    },
    **{
        c.value: (c.label, en)
        for c, en in zip(CityTier, ("Tier 1", "New tier 1", "Tier 2", "Tier 3", "Tier 4 and below"), strict=True)
    },
    "unrated": ("未评级", "Unrated"),
    "kuaishou": ("快手", "Kuaishou"),
    "douyin": ("抖音", "Douyin"),
    "other": ("其他", "Other"),
    "good": ("良好", "Good"),
    "restricted": ("受限（暂不推荐合作）", "Restricted (not offered to brands)"),
    "limited": ("限流中", "Traffic limited"),
    "suspended": ("封禁中", "Suspended"),
    "confirmed": ("已确认", "Confirmed"),
    "penalty.suspension": ("封禁处罚", "Suspension penalty"),
    "penalty.traffic_limit": ("限流处罚", "Traffic-limit penalty"),
    "originality_claim.confirmed": ("抄袭已确认", "Confirmed copy"),
    "violation.confirmed": ("违规已确认", "Confirmed violation"),
    "violation.under_review": ("严重违规调查中", "Serious violation under review"),
}
GMV_BIN_WORDS = (
    ("< ¥1千", "< ¥1K"),
    ("¥1千–1万", "¥1K–10K"),
    ("¥1万–10万", "¥10K–100K"),
    ("¥10万–100万", "¥100K–1M"),
    ("≥ ¥100万", "≥ ¥1M"),
)


def words_for(language: str) -> Callable[[Any], str]:
    shared = label_for(language)

    def word(value: Any) -> str:
        code = getattr(value, "value", value)
        if isinstance(code, str) and code in WORDS:
            return WORDS[code][language == "en"]
        return str(shared(value))

    return word


def market_screen(
    path: str, template: str, view: Callable[[Session, Principal], dict[str, Any]], empty: dict[str, Any]
) -> Screen:
    return Screen(path, template, view, empty, MESSAGES)


def localised(request: Request, call: Callable[[], Any], forbidden: str = "m_forbidden_market") -> Any:
    """Run a service call, turning the refusals a reader can cause here into text in the page's language."""
    text = text_for(request, MESSAGES)
    try:
        return call()
    except service.TooManyCompared as exc:
        raise InvalidInput(text["m_too_many"].format(n=exc.extra.get("n", "?"))) from exc
    except NotFound as exc:
        raise NotFound(text["m_not_found"]) from exc
    except Forbidden as exc:
        raise Forbidden(text[forbidden]) from exc


def word_view(request: Request, view: dict[str, Any]) -> dict[str, Any]:
    """The view with the words of its codes in the page's language, and the orders persona charts follow."""
    language = language_of(request)
    word = words_for(language)

    def order(members: Any) -> list[tuple[str, str]]:
        return [(m.value, word(m)) for m in members]

    return view | {
        "word": word,
        "bins": [w[language == "en"] for w in GMV_BIN_WORDS],
        "genders": order(Gender),
        "ages": order(AgeBand),
        "cities": order(CityTier),
        "segments": order(Segment),
    }
