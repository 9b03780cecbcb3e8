"""站内信 for signing requests: the creator hears of an agency's request, the agency of the creator's answer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.agency.models import AgencySigning
from wanghong.commerce.models import Creator, Mcn
from wanghong.kit import formats
from wanghong.workspace.notifications import Recipient, notify, register_wordings

# kind → (Chinese, English); {mcn}, {creator}, {share}, {term} and {note} are filled in from the request.
WORDING: dict[str, tuple[str, str]] = {
    "signing_requested": (
        "{mcn} 邀请你签约：机构分成 {share}，期限 {term} 个月{note}。请在「签约」中确认或拒绝",
        "{mcn} invites you to sign: agency share {share}, term {term} months{note}. Confirm or decline under Signing",
    ),
    "release_requested": (
        "{mcn} 申请与你解约{note}。请在「签约」中确认或拒绝",
        "{mcn} asks to end your contract{note}. Confirm or decline under Signing",
    ),
    "sign_confirmed": (
        "{creator} 确认了签约，已加入达人名单",
        "{creator} confirmed the contract and joined your roster",
    ),
    "sign_declined": ("{creator} 拒绝了签约{note}", "{creator} declined the contract{note}"),
    "release_confirmed": (
        "{creator} 确认了解约，已离开达人名单",
        "{creator} confirmed the release and left your roster",
    ),
    "release_declined": ("{creator} 拒绝了解约{note}", "{creator} declined the release{note}"),
    "sign_withdrawn": ("{mcn} 撤回了签约邀请", "{mcn} withdrew its invitation to sign"),
    "release_withdrawn": ("{mcn} 撤回了解约申请", "{mcn} withdrew its request to end your contract"),
}
register_wordings(WORDING)


def _params(session: Session, row: AgencySigning, note: str) -> dict[str, object]:
    mcn = session.scalar(select(Mcn.name).where(Mcn.id == row.mcn_id)) or ""
    creator = session.scalar(select(Creator.display_name).where(Creator.id == row.creator_id)) or ""
    share = formats.percent(row.share_rate)
    return {"mcn": mcn, "creator": creator, "share": share, "term": row.term_months, "note": note}


def tell_creator(session: Session, row: AgencySigning, kind: str) -> None:
    notify(session, [(Recipient.CREATOR, row.creator_id)], kind, _params(session, row, row.message))


def tell_agency(session: Session, row: AgencySigning, kind: str) -> None:
    notify(session, [(Recipient.MCN, row.mcn_id)], kind, _params(session, row, row.decision_note))
