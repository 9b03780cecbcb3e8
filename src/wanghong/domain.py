"""Vocabulary of the platform shared by engines, the database and the API.

Everything here is pure Python so that engines can use it without touching the database layer.
Each enumeration carries its Simplified Chinese label, because that is what users read.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members know their Chinese label."""

    @property
    def label(self) -> str:
        return LABELS.get(self.value, self.value)


class Role(LabelledEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    BRAND_MANAGER = "brand_manager"
    MCN_MANAGER = "mcn_manager"
    CREATOR = "creator"


class Platform(LabelledEnum):
    KUAISHOU = "kuaishou"
    DOUYIN = "douyin"
    OTHER = "other"


class FollowerTier(LabelledEnum):
    """Creator size bands as the industry names them (尾部/腰部/头部)."""

    NANO = "nano"  # < 10k
    MICRO = "micro"  # 10k – 100k
    MID = "mid"  # 100k – 1M, the 腰部 creators fair distribution exists for
    HEAD = "head"  # 1M – 10M
    TOP = "top"  # ≥ 10M


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


class McnTier(LabelledEnum):
    S = "S"
    A = "A"
    B = "B"
    UNRATED = "unrated"


class CityTier(LabelledEnum):
    TIER1 = "t1"
    NEW_TIER1 = "nt1"
    TIER2 = "t2"
    TIER3 = "t3"
    TIER4_PLUS = "t4plus"


class Gender(LabelledEnum):
    FEMALE = "female"
    MALE = "male"


class AgeBand(LabelledEnum):
    UNDER_18 = "lt18"
    AGE_18_24 = "18-24"
    AGE_25_30 = "25-30"
    AGE_31_40 = "31-40"
    AGE_41_50 = "41-50"
    OVER_50 = "gt50"


class Segment(LabelledEnum):
    """Audience segments the platform's operators talk about."""

    YOUNG_MOTHERS = "young_mothers"
    NEW_FARMERS = "new_farmers"
    STUDENTS = "students"
    SMALL_TOWN_YOUTH = "small_town_youth"
    URBAN_WHITE_COLLAR = "urban_white_collar"
    SILVER = "silver"
    GEN_Z_GAMERS = "gen_z_gamers"


class Category(LabelledEnum):
    BEAUTY = "beauty"
    FASHION = "fashion"
    FOOD = "food"
    DIGITAL = "digital"
    MOTHER_BABY = "mother_baby"
    HOME = "home"
    AGRICULTURE = "agriculture"
    GAMES = "games"
    EDUCATION = "education"
    TRAVEL = "travel"
    HEALTH = "health"
    SPORTS = "sports"


class VerificationStatus(LabelledEnum):
    UNVERIFIED = "unverified"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class CollaborationMode(LabelledEnum):
    BRAND_SELF_LIVE = "brand_self_live"
    CREATOR_DISTRIBUTION = "creator_distribution"


class CampaignStatus(LabelledEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class CollaborationStatus(LabelledEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    CONTENT_SUBMITTED = "content_submitted"
    APPROVED = "approved"
    LIVE = "live"
    SETTLED = "settled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Party(LabelledEnum):
    """Which side of a collaboration may take a step."""

    BRAND = "brand"
    CREATOR = "creator"  # the creator or the MCN that manages them


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
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    APPEALED = "appealed"


class Severity(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ReviewStatus(LabelledEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    OVERTURNED = "overturned"


class Verdict(LabelledEnum):
    PASS = "pass"
    REVIEW = "review"
    BLOCK = "block"


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

    WARNING = "warning"
    TRAFFIC_LIMIT = "traffic_limit"
    SUSPENSION = "suspension"


class PenaltyStatus(LabelledEnum):
    ACTIVE = "active"
    LIFTED = "lifted"
    EXPIRED = "expired"


class AppealStatus(LabelledEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ClaimStatus(LabelledEnum):
    """An originality claim (原创申诉): filed, then confirmed as a copy or rejected by a reviewer."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class EventType(LabelledEnum):
    VIDEO_PUBLISHED = "video_published"
    LIVESTREAM_MINUTE = "livestream_minute"
    ORDER = "order"
    VIEWER_BEHAVIOUR = "viewer_behaviour"


LABELS: dict[str, str] = {
    "admin": "平台管理员",
    "reviewer": "审核员",
    "brand_manager": "品牌经理",
    "mcn_manager": "MCN 经理",
    "creator": "达人",
    "kuaishou": "快手",
    "douyin": "抖音",
    "other": "其他",
    "nano": "尾部 (<1万)",
    "micro": "小达人 (1万–10万)",
    "mid": "腰部 (10万–100万)",
    "head": "头部 (100万–1000万)",
    "top": "超头部 (≥1000万)",
    "unrated": "未评级",
    "t1": "一线",
    "nt1": "新一线",
    "t2": "二线",
    "t3": "三线",
    "t4plus": "四线及以下",
    "female": "女",
    "male": "男",
    "lt18": "18岁以下",
    "18-24": "18–24岁",
    "25-30": "25–30岁",
    "31-40": "31–40岁",
    "41-50": "41–50岁",
    "gt50": "50岁以上",
    "young_mothers": "宝妈",
    "new_farmers": "新农人",
    "students": "学生党",
    "small_town_youth": "小镇青年",
    "urban_white_collar": "都市白领",
    "silver": "银发族",
    "gen_z_gamers": "Z世代玩家",
    "beauty": "美妆",
    "fashion": "服饰",
    "food": "食品",
    "digital": "数码",
    "mother_baby": "母婴",
    "home": "家居",
    "agriculture": "农产品",
    "games": "游戏",
    "education": "教育",
    "travel": "旅游",
    "health": "健康",
    "sports": "运动",
    "unverified": "未认证",
    "pending": "待处理",
    "verified": "已认证",
    "rejected": "已拒绝",
    "brand_self_live": "品牌自播",
    "creator_distribution": "达人分销",
    "draft": "草稿",
    "active": "进行中",
    "closed": "已结束",
    "proposed": "已发起",
    "accepted": "已接受",
    "content_submitted": "内容已提交",
    "approved": "内容已通过",
    "live": "已上线",
    "settled": "已结算",
    "cancelled": "已取消",
    "open": "待处理",
    "confirmed": "已确认",
    "dismissed": "已驳回",
    "appealed": "申诉中",
    "overturned": "已推翻",
    "low": "低",
    "medium": "中",
    "high": "高",
    "pass": "通过",
    "review": "人工复核",
    "block": "拦截",
    "warning": "警告",
    "traffic_limit": "限流",
    "suspension": "封禁",
    "lifted": "已解除",
    "expired": "已到期",
}
