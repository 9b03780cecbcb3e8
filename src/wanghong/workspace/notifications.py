"""站内信: each step of a collaboration notifies the other side, and every account of a tenant reads its inbox.

The step is told apart by the collaboration's status now and the status of the last notification about it: an
`accepted` that follows `content_submitted` is the brand sending content back, a `proposed` after `proposed` is
changed terms. A penalty issued and an appeal decided reach the creator and its MCN the same way. Other rooms
(samples, signings) word their own events with :func:`register_wording` and send them with :func:`notify`.
Notifications are written in the step's own transaction (a refused step notifies nobody).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session, UOWTransaction

from wanghong.accounts.principal import Principal
from wanghong.commerce import hooks
from wanghong.commerce.models import Brand, Campaign, Collaboration, Creator
from wanghong.compliance import audit as compliance_audit
from wanghong.compliance.models import ComplianceAppeal, CompliancePenalty
from wanghong.domain import LABELS, CollaborationStatus
from wanghong.kit import access, formats
from wanghong.kit.audit import AuditEntry
from wanghong.kit.db.base import utcnow
from wanghong.kit.paging import Page, paginate
from wanghong.workspace.models import Notification, Recipient

S = CollaborationStatus
BRAND_SIDE, CREATOR_SIDE = "brand", "creator"

# (status before, status now) → (what happened, who hears of it). None before: the collaboration is new.
STEPS: dict[tuple[CollaborationStatus | None, CollaborationStatus], tuple[str, str]] = {
    (None, S.PROPOSED): ("offer_received", CREATOR_SIDE),
    (S.PROPOSED, S.PROPOSED): ("offer_updated", CREATOR_SIDE),
    (S.PROPOSED, S.ACCEPTED): ("offer_accepted", BRAND_SIDE),
    (S.PROPOSED, S.REJECTED): ("offer_declined", BRAND_SIDE),
    (S.PROPOSED, S.CANCELLED): ("offer_cancelled", CREATOR_SIDE),
    (S.ACCEPTED, S.CANCELLED): ("offer_cancelled", CREATOR_SIDE),
    (S.ACCEPTED, S.CONTENT_SUBMITTED): ("content_submitted", BRAND_SIDE),
    (S.CONTENT_SUBMITTED, S.APPROVED): ("content_approved", CREATOR_SIDE),
    (S.CONTENT_SUBMITTED, S.ACCEPTED): ("content_sent_back", CREATOR_SIDE),
    (S.APPROVED, S.LIVE): ("went_live", BRAND_SIDE),
    (S.LIVE, S.SETTLED): ("settled", CREATOR_SIDE),
}

WORDING: dict[str, dict[str, str]] = {
    "zh": {
        "offer_received": "{brand} 向你发起合作「{campaign}」：固定费用 {fee}，佣金 {commission}",
        "offer_updated": "{brand} 修改了合作「{campaign}」的条款：固定费用 {fee}，佣金 {commission}",
        "offer_accepted": "{creator} 接受了合作「{campaign}」",
        "offer_declined": "{creator} 拒绝了合作「{campaign}」{note}",
        "offer_cancelled": "{brand} 取消了合作「{campaign}」{note}",
        "content_submitted": "{creator} 提交了「{campaign}」的内容，请审核",
        "content_approved": "{brand} 通过了你在「{campaign}」的内容",
        "content_sent_back": "{brand} 退回了「{campaign}」的内容，请修改{note}",
        "went_live": "{creator} 的「{campaign}」已上线",
        "settled": "{brand} 已结算「{campaign}」：固定费用 {fee}",
        "penalty_issued": "你受到处罚：{penalty}{note}。可在「处罚与申诉」中提出申诉",
        "appeal_decided": "你对处罚的申诉{outcome}{note}",
        "note": "：{text}",
    },
    "en": {
        "offer_received": "{brand} offers you “{campaign}”: fee {fee}, commission {commission}",
        "offer_updated": "{brand} changed the terms of “{campaign}”: fee {fee}, commission {commission}",
        "offer_accepted": "{creator} accepted “{campaign}”",
        "offer_declined": "{creator} declined “{campaign}”{note}",
        "offer_cancelled": "{brand} cancelled “{campaign}”{note}",
        "content_submitted": "{creator} submitted content for “{campaign}”: please review it",
        "content_approved": "{brand} approved your content for “{campaign}”",
        "content_sent_back": "{brand} sent back your content for “{campaign}”{note}",
        "went_live": "{creator}'s “{campaign}” is live",
        "settled": "{brand} settled “{campaign}”: fee {fee}",
        "penalty_issued": "You received a penalty: {penalty}{note}. You can appeal it under Penalties",
        "appeal_decided": "Your appeal against a penalty was {outcome}{note}",
        "note": ": {text}",
    },
}


def notify_collaboration(session: Session, principal: Principal | None, row: Collaboration) -> None:
    """The write hook on collaborations: tell the other side what just happened."""
    previous = session.scalar(
        select(Notification.params["status"].as_string())
        .where(Notification.collaboration_id == row.id)
        .order_by(Notification.id.desc())
        .limit(1)
    )
    before = CollaborationStatus(previous) if previous else None
    step = STEPS.get((before, row.status))
    if step is None:
        return
    kind, side = step
    brand_id, brand, campaign, creator, mcn_id = session.execute(
        select(Campaign.brand_id, Brand.name, Campaign.name, Creator.display_name, Creator.mcn_id)
        .join(Brand, Brand.id == Campaign.brand_id)
        .join(Creator, Creator.id == row.creator_id)
        .where(Campaign.id == row.campaign_id)
    ).one()
    params = {
        "status": row.status.value,
        "brand": brand,
        "creator": creator,
        "campaign": campaign,
        "fee": str(row.fee),
        "commission": row.commission_rate,
        "note": row.note if kind in ("offer_declined", "offer_cancelled", "content_sent_back") else "",
    }
    recipients = [(Recipient.BRAND, brand_id)] if side == BRAND_SIDE else _creator_and_mcn(row.creator_id, mcn_id)
    notify(session, recipients, kind, params, collaboration_id=row.id)
    session.flush()


hooks.on_write(Collaboration, notify_collaboration)


def register_wording(kind: str, zh: str, en: str) -> None:
    """Word a room's own event in both languages (``{note}`` and the params :func:`notify` is given fill it in)."""
    if kind in WORDING["zh"] and (WORDING["zh"][kind], WORDING["en"][kind]) != (zh, en):
        raise ValueError(f"notification kind {kind!r} is already worded differently")
    WORDING["zh"][kind], WORDING["en"][kind] = zh, en


def register_wordings(table: Mapping[str, tuple[str, str]]) -> None:
    """Word every event of a room's table, kind → (zh, en), as :func:`register_wording` words one."""
    for kind, (zh, en) in table.items():
        register_wording(kind, zh, en)


def notify(
    session: Session,
    recipients: list[tuple[Recipient, int]],
    kind: str,
    params: dict[str, Any],
    collaboration_id: int | None = None,
) -> None:
    """Send one event to each recipient tenant, in the caller's transaction."""
    if kind not in WORDING["zh"]:
        raise ValueError(f"notification kind {kind!r} has no wording; register_wording it first")
    for recipient_kind, recipient_id in recipients:
        session.add(
            Notification(
                recipient_kind=recipient_kind,
                recipient_id=recipient_id,
                kind=kind,
                params=params,
                collaboration_id=collaboration_id,
            )
        )


def creator_side(session: Session, creator_id: int) -> list[tuple[Recipient, int]]:
    """The creator and, when it has one, its MCN: who hears of what happens to a creator."""
    return _creator_and_mcn(creator_id, session.scalar(select(Creator.mcn_id).where(Creator.id == creator_id)))


def _creator_and_mcn(creator_id: int, mcn_id: int | None) -> list[tuple[Recipient, int]]:
    return [(Recipient.CREATOR, creator_id)] + ([(Recipient.MCN, mcn_id)] if mcn_id else [])


# Penalties and appeal decisions come from compliance's own services (and the reviewer's CLI), not through
# commerce's write hooks: a flush-time look at the session catches every writer without compliance knowing.
@event.listens_for(Session, "before_flush")
def _notify_compliance(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    for row in list(session.new):
        if isinstance(row, CompliancePenalty) and row.creator_id is not None:
            params = {"penalty": row.kind.value if row.kind else "", "note": row.reason or ""}
            notify(session, creator_side(session, row.creator_id), "penalty_issued", params)
        # An appeal is decided by a conditional UPDATE (two reviewers, one winner), which no ORM state shows; the
        # decision's audit entry, written in the same transaction, is the event.
        if isinstance(row, AuditEntry) and row.action == compliance_audit.APPEAL_DECIDE:
            appeal = session.get(ComplianceAppeal, int(row.entity_id))
            if appeal is not None:
                params = {"outcome": appeal.status.value, "note": appeal.decision_note or ""}
                notify(session, creator_side(session, appeal.creator_id), "appeal_decided", params)


def wording(notification: Notification, language: str) -> str:
    table = WORDING.get(language, WORDING["zh"])
    params = dict(notification.params)
    note = formats.in_language(params.get("note") or "", language)
    params["note"] = table["note"].format(text=note) if note else ""
    params["fee"] = formats.yuan(params.get("fee"), language)
    params["commission"] = formats.percent(params.get("commission"))
    for code_field in ("penalty", "outcome"):
        if code := params.get(code_field):
            params[code_field] = code.replace("_", " ") if language == "en" else LABELS.get(code, code)
    return table[notification.kind].format(**params)


@dataclass(frozen=True)
class Inbox:
    page: Page[Notification]
    unread: int


def unread_count(session: Session, principal: Principal) -> int:
    query = select(func.count(Notification.id)).where(
        access.scope_condition(Notification, principal), Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def inbox(session: Session, principal: Principal, *, limit: int, cursor: str | None) -> Inbox:
    page = paginate(session, access.visible_rows(Notification, principal), limit, cursor, newest_first=True)
    return Inbox(page, unread_count(session, principal))


def mark_read(session: Session, principal: Principal, notification_ids: list[int] | None = None) -> int:
    """Mark the reader's notifications read (those named, or all); returns how many changed."""
    query: Any = update(Notification).where(
        access.scope_condition(Notification, principal), Notification.read_at.is_(None)
    )
    if notification_ids is not None:
        query = query.where(Notification.id.in_(notification_ids))
    result: Any = session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)
