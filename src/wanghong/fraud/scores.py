"""The public door to fraud's stored results: what other rooms (达人详情, 选品中心, brand boards) may read.

Everything here reads the latest scan that holds the thing asked about; nothing computes a score. A creator no scan
has scored yet has no quality (None), never a default number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.commerce.models import Order
from wanghong.fraud.models import CreatorQuality, FraudScan, OrderFraudScore
from wanghong.kit import access
from wanghong.kit.i18n import Messages

LOW_QUALITY = 60

# The words of the audience-quality section other rooms include on their pages (`fraud_quality_section.html`).
WORDS = Messages(
    {
        "zh": {
            "fr_quality_title": "观众质量",
            "fr_quality_none": "尚未评分：平台运行反作弊扫描后显示。",
            "fr_quality_scale": "0–100，100 = 观众全部真实且互动正常；低于 60 需谨慎。",
            "fr_scanned_on": "评分日",
            "fr_sample": "抽样粉丝数",
            "fr_quality": "观众质量分",
            "fr_real_share": "真实粉丝占比",
            "fr_reasons": "原因",
            "fr_no_reasons": "未发现异常信号",
        },
        "en": {
            "fr_quality_title": "Audience quality",
            "fr_quality_none": "Not scored yet: shown once the platform has run the fraud scan.",
            "fr_quality_scale": "0–100, 100 = an entirely genuine, normally engaged audience; below 60 calls for care.",
            "fr_scanned_on": "Scored on",
            "fr_sample": "Followers sampled",
            "fr_quality": "Audience quality",
            "fr_real_share": "Genuine followers",
            "fr_reasons": "Reasons",
            "fr_no_reasons": "No warning signal found",
        },
    }
)


@dataclass(frozen=True)
class Quality:
    creator_id: int
    score: int
    reasons: tuple[str, ...]  # each "中文 / English"
    real_share: float
    sample_size: int
    day: str  # the scan's Beijing day, ISO

    @property
    def low(self) -> bool:
        return self.score < LOW_QUALITY

    def reasons_in(self, language: str) -> list[str]:
        """The reasons in one language (the engine writes both halves, 中文 first)."""
        half = 1 if language == "en" else 0
        return [r.split(" / ", 1)[half] if " / " in r else r for r in self.reasons]


def latest_scan(session: Session) -> FraudScan | None:
    return session.scalar(select(FraudScan).where(FraudScan.finished_at.is_not(None)).order_by(FraudScan.day.desc()))


def qualities(session: Session, creator_ids: Iterable[int]) -> dict[int, Quality]:
    """Each creator's audience quality from the latest scan that scored them."""
    ids = list(set(creator_ids))
    if not ids:
        return {}
    newest = (
        select(CreatorQuality.creator_id, func.max(CreatorQuality.scan_id).label("scan_id"))
        .where(CreatorQuality.creator_id.in_(ids))
        .group_by(CreatorQuality.creator_id)
        .subquery()
    )
    rows = session.execute(
        select(CreatorQuality, FraudScan.day)
        .join(newest, (newest.c.creator_id == CreatorQuality.creator_id) & (newest.c.scan_id == CreatorQuality.scan_id))
        .join(FraudScan, FraudScan.id == CreatorQuality.scan_id)
    ).all()
    return {
        q.creator_id: Quality(q.creator_id, q.score, tuple(q.reasons), q.real_share, q.sample_size, day.isoformat())
        for q, day in rows
    }


def quality(session: Session, creator_id: int) -> Quality | None:
    return qualities(session, [creator_id]).get(creator_id)


class FraudAdjusted:
    """Reported GMV and the part of it on orders flagged as fake: what is left is the GMV a brand pays for."""

    reported: Decimal
    flagged: Decimal

    @property
    def adjusted(self) -> Decimal:
        return self.reported - self.flagged


@dataclass(frozen=True)
class AdjustedGmv(FraudAdjusted):
    reported: Decimal
    flagged: Decimal
    flagged_orders: int


def flagged_orders(scan: FraudScan | None) -> ColumnElement[bool]:
    """A condition on `Order`: the scan flagged the order as fake (刷单); never true where there is no scan. Other
    rooms add it to their own order queries (a campaign's attributed orders, a board's) to show fraud-adjusted GMV."""
    if scan is None:
        return false()
    return Order.id.in_(
        select(OrderFraudScore.order_id).where(OrderFraudScore.scan_id == scan.id, OrderFraudScore.flagged.is_(True))
    )


def adjusted_gmv(session: Session, principal: Principal, scan: FraudScan | None = None) -> AdjustedGmv:
    """GMV of the orders the principal may see, and the part the latest scan flagged as fake (刷单)."""
    scan = scan or latest_scan(session)
    visible = access.scope_condition(Order, principal)
    reported = session.scalar(select(func.coalesce(func.sum(Order.amount), 0)).where(visible))
    flagged_amount, flagged_count = session.execute(
        select(func.coalesce(func.sum(Order.amount), 0), func.count()).where(visible, flagged_orders(scan))
    ).one()
    return AdjustedGmv(Decimal(reported or 0), Decimal(flagged_amount or 0), int(flagged_count))


def quality_section(session: Session, creator_id: int, language: str) -> dict[str, Any]:
    """The context of `fraud_quality_section.html` (达人详情): the creator's score, its reasons in the reader's
    language, and the section's words."""
    found = quality(session, creator_id)
    return {
        "words": WORDS.text(language),
        "quality": found,
        "reasons": found.reasons_in(language) if found is not None else [],
    }
