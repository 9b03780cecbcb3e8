"""Vocabulary of the platform shared by engines, the database and the API.

Everything here is pure Python so that engines can use it without touching the database layer.
Each member carries its Simplified Chinese label beside its value, because that is what users read.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A string enum whose members know their Chinese label: ``MID = "mid", "腰部 (10万–100万)"``.

    A member declared with its value alone is labelled with the value (an S/A/B rating reads the same in Chinese).
    """

    _value_: str
    label: str

    def __new__(cls, value: str, label: str | None = None) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = value if label is None else label
        return member


class Role(LabelledEnum):
    ADMIN = "admin", "平台管理员"
    REVIEWER = "reviewer", "审核员"
    BRAND_MANAGER = "brand_manager", "品牌经理"
    MCN_MANAGER = "mcn_manager", "MCN 经理"
    CREATOR = "creator", "达人"
    REGULATOR = "regulator", "监管"  # reads every tenant's governance records and writes nothing


class Platform(LabelledEnum):
    KUAISHOU = "kuaishou", "快手"
    DOUYIN = "douyin", "抖音"
    OTHER = "other", "其他"


class FollowerTier(LabelledEnum):
    """Creator size bands as the industry names them (尾部/腰部/头部)."""

    NANO = "nano", "尾部 (<1万)"
    MICRO = "micro", "小达人 (1万–10万)"
    MID = "mid", "腰部 (10万–100万)"  # the creators fair distribution exists for
    HEAD = "head", "头部 (100万–1000万)"
    TOP = "top", "超头部 (≥1000万)"


# The tiers' English names, for English pages (their Chinese names are the members' labels).
FOLLOWER_TIER_EN: dict[FollowerTier, str] = {
    FollowerTier.NANO: "Nano (<10K)",
    FollowerTier.MICRO: "Micro (10K–100K)",
    FollowerTier.MID: "Mid-tier (100K–1M)",
    FollowerTier.HEAD: "Head (1M–10M)",
    FollowerTier.TOP: "Top (≥10M)",
}


# Lower bounds of each tier, ascending; a creator belongs to the last bound it reaches.
FOLLOWER_TIER_BOUNDS: tuple[tuple[int, FollowerTier], ...] = (
    (0, FollowerTier.NANO),
    (10_000, FollowerTier.MICRO),
    (100_000, FollowerTier.MID),
    (1_000_000, FollowerTier.HEAD),
    (10_000_000, FollowerTier.TOP),
)


def follower_tier(followers: int) -> FollowerTier:
    if followers < 0:
        raise ValueError(f"followers must be ≥ 0, got {followers}")
    tier = FollowerTier.NANO
    for bound, candidate in FOLLOWER_TIER_BOUNDS:
        if followers >= bound:
            tier = candidate
    return tier


def follower_range_problem(followers_min: int | None, followers_max: int | None) -> str | None:
    """Why a follower-count filter cannot be satisfied as written, or None; each caller raises its own error."""
    for name, value in (("followers_min", followers_min), ("followers_max", followers_max)):
        if value is not None and value < 0:
            return f"{name} 不能为负数（现为 {value}） / {name} must be ≥ 0, got {value}"
    if followers_min is not None and followers_max is not None and followers_min > followers_max:
        return (
            f"粉丝数下限 {followers_min} 高于上限 {followers_max}，请对调或去掉一个 / "
            f"followers_min ({followers_min}) is above followers_max ({followers_max}); swap them or drop one"
        )
    return None


class McnTier(LabelledEnum):
    S = "S"
    A = "A"
    B = "B"
    UNRATED = "unrated", "未评级"


class CityTier(LabelledEnum):
    TIER1 = "t1", "一线"
    NEW_TIER1 = "nt1", "新一线"
    TIER2 = "t2", "二线"
    TIER3 = "t3", "三线"
    TIER4_PLUS = "t4plus", "四线及以下"


class Gender(LabelledEnum):
    FEMALE = "female", "女"
    MALE = "male", "男"


class AgeBand(LabelledEnum):
    UNDER_18 = "lt18", "18岁以下"
    AGE_18_24 = "18-24", "18–24岁"
    AGE_25_30 = "25-30", "25–30岁"
    AGE_31_40 = "31-40", "31–40岁"
    AGE_41_50 = "41-50", "41–50岁"
    OVER_50 = "gt50", "50岁以上"


class Segment(LabelledEnum):
    """Audience segments the platform's operators talk about."""

    YOUNG_MOTHERS = "young_mothers", "宝妈"
    NEW_FARMERS = "new_farmers", "新农人"
    STUDENTS = "students", "学生党"
    SMALL_TOWN_YOUTH = "small_town_youth", "小镇青年"
    URBAN_WHITE_COLLAR = "urban_white_collar", "都市白领"
    SILVER = "silver", "银发族"
    GEN_Z_GAMERS = "gen_z_gamers", "Z世代玩家"


class Category(LabelledEnum):
    BEAUTY = "beauty", "美妆"
    FASHION = "fashion", "服饰"
    FOOD = "food", "食品"
    DIGITAL = "digital", "数码"
    MOTHER_BABY = "mother_baby", "母婴"
    HOME = "home", "家居"
    AGRICULTURE = "agriculture", "农产品"
    GAMES = "games", "游戏"
    EDUCATION = "education", "教育"
    TRAVEL = "travel", "旅游"
    HEALTH = "health", "健康"
    SPORTS = "sports", "运动"


class VerificationStatus(LabelledEnum):
    UNVERIFIED = "unverified", "未认证"
    PENDING = "pending", "待处理"
    VERIFIED = "verified", "已认证"
    REJECTED = "rejected", "已拒绝"


class CollaborationMode(LabelledEnum):
    BRAND_SELF_LIVE = "brand_self_live", "品牌自播"
    CREATOR_DISTRIBUTION = "creator_distribution", "达人分销"


class CampaignStatus(LabelledEnum):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class CollaborationStatus(LabelledEnum):
    PROPOSED = "proposed", "已发起"
    ACCEPTED = "accepted", "已接受"
    CONTENT_SUBMITTED = "content_submitted", "内容已提交"
    APPROVED = "approved", "内容已通过"
    LIVE = "live", "已上线"
    SETTLED = "settled", "已结算"
    REJECTED = "rejected", "已拒绝"
    CANCELLED = "cancelled", "已取消"


class Party(LabelledEnum):
    """Which side of a collaboration may take a step."""

    BRAND = "brand"
    CREATOR = "creator", "达人"  # the creator or the MCN that manages them


# The collaboration workflow: (from, to) -> the party allowed to take that step.
# proposed → accepted → content submitted → approved → live → settled, with exits before money moves.
COLLABORATION_TRANSITIONS: dict[tuple[CollaborationStatus, CollaborationStatus], Party] = {
    (CollaborationStatus.PROPOSED, CollaborationStatus.ACCEPTED): Party.CREATOR,
    (CollaborationStatus.PROPOSED, CollaborationStatus.REJECTED): Party.CREATOR,
    (CollaborationStatus.PROPOSED, CollaborationStatus.CANCELLED): Party.BRAND,
    (CollaborationStatus.ACCEPTED, CollaborationStatus.CONTENT_SUBMITTED): Party.CREATOR,
    (CollaborationStatus.ACCEPTED, CollaborationStatus.CANCELLED): Party.BRAND,
    (CollaborationStatus.CONTENT_SUBMITTED, CollaborationStatus.APPROVED): Party.BRAND,
    # The brand sends content back for another round instead of approving it.
    (CollaborationStatus.CONTENT_SUBMITTED, CollaborationStatus.ACCEPTED): Party.BRAND,
    (CollaborationStatus.APPROVED, CollaborationStatus.LIVE): Party.CREATOR,
    (CollaborationStatus.LIVE, CollaborationStatus.SETTLED): Party.BRAND,
}


class IllegalTransition(ValueError):
    """A collaboration was asked to move along an edge the workflow does not have."""


def check_transition(current: CollaborationStatus, target: CollaborationStatus, party: Party | None) -> None:
    """Raise IllegalTransition unless `party` may move a collaboration from `current` to `target`.

    `party` None means the platform itself (an administrator), which may take any legal step.
    """
    allowed_party = COLLABORATION_TRANSITIONS.get((current, target))
    if allowed_party is None:
        legal = sorted(t.value for (f, t) in COLLABORATION_TRANSITIONS if f == current)
        hint = f"legal next states: {', '.join(legal)}" if legal else "it is final"
        raise IllegalTransition(f"a collaboration cannot move from '{current.value}' to '{target.value}' ({hint})")
    if party is not None and party != allowed_party:
        raise IllegalTransition(
            f"moving a collaboration from '{current.value}' to '{target.value}' is the "
            f"{allowed_party.value} side's step, not the {party.value} side's"
        )


class ViolationStatus(LabelledEnum):
    OPEN = "open", "待处理"
    CONFIRMED = "confirmed", "已确认"
    DISMISSED = "dismissed", "已驳回"
    APPEALED = "appealed", "申诉中"


class Severity(LabelledEnum):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class ReviewStatus(LabelledEnum):
    PENDING = "pending", "待处理"
    CONFIRMED = "confirmed", "已确认"
    OVERTURNED = "overturned", "已推翻"


class Verdict(LabelledEnum):
    PASS = "pass", "通过"
    REVIEW = "review", "人工复核"
    BLOCK = "block", "拦截"


class ViewerAction(LabelledEnum):
    VIEW = "view"
    LIKE = "like"
    COMMENT = "comment"
    SHARE = "share"
    FOLLOW = "follow"
    TIP = "tip"
    CLICK = "click"


class PenaltyKind(LabelledEnum):
    """Account penalties for confirmed compliance violations, mildest first."""

    WARNING = "warning", "警告"
    TRAFFIC_LIMIT = "traffic_limit", "限流"
    SUSPENSION = "suspension", "封禁"


class PenaltyStatus(LabelledEnum):
    ACTIVE = "active", "进行中"
    LIFTED = "lifted", "已解除"
    EXPIRED = "expired", "已到期"


class AppealStatus(LabelledEnum):
    PENDING = "pending", "待处理"
    ACCEPTED = "accepted", "已接受"
    REJECTED = "rejected", "已拒绝"


class ClaimStatus(LabelledEnum):
    """An originality claim (原创申诉): filed, then confirmed as a copy or rejected by a reviewer."""

    PENDING = "pending", "待处理"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "已拒绝"


class EventType(LabelledEnum):
    VIDEO_PUBLISHED = "video_published"
    LIVESTREAM_MINUTE = "livestream_minute"
    ORDER = "order"
    VIEWER_BEHAVIOUR = "viewer_behaviour"


class Decision(LabelledEnum):
    """A reviewer's ruling on a case (an AI flag, an appeal, an originality claim): the case stands or it does not.

    One vocabulary for every decision endpoint; what a ruling does to its case is the case's own status."""

    UPHOLD = "uphold", "成立"
    DISMISS = "dismiss", "不成立"


def _labels_by_value() -> dict[str, str]:
    labels: dict[str, str] = {}
    for vocabulary in LabelledEnum.__subclasses__():
        for member in vocabulary:
            if labels.setdefault(member.value, member.label) != member.label:
                raise ValueError(f"{member.value!r} is labelled both {labels[member.value]!r} and {member.label!r}")
    return labels


# Label by bare value, for a value kept outside its enum (a product's category, a persona's keys); one value means
# one thing, so members that share a value across enums (pending, rejected, …) must share their label. Last in the
# module, so that every vocabulary above is in it.
LABELS: dict[str, str] = _labels_by_value()
