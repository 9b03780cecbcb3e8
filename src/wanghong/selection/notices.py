"""站内信 for 申样: the brand hears of a request, the creator (and its MCN) of the brand's decision."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.commerce.models import Brand, Creator, Product
from wanghong.selection.models import SampleRequest, SampleStatus
from wanghong.workspace.notifications import Recipient, creator_side, notify, register_wordings

# kind → (Chinese, English); {creator}, {brand}, {product} and {note} are filled in from the request.
WORDING: dict[str, tuple[str, str]] = {
    "sample_requested": (
        "{creator} 申请了「{product}」的样品，请在「申样与购物车」中审核",
        "{creator} asked for a sample of “{product}”: decide it under Samples and carts",
    ),
    "sample_approved": (
        "{brand} 通过了你对「{product}」的申样",
        "{brand} approved your sample request for “{product}”",
    ),
    "sample_declined": (
        "{brand} 拒绝了你对「{product}」的申样{note}",
        "{brand} declined your sample request for “{product}”{note}",
    ),
}
register_wordings(WORDING)


def _params(session: Session, row: SampleRequest) -> dict[str, object]:
    product, brand, creator = session.execute(
        select(Product.name, Brand.name, Creator.display_name)
        .join(Brand, Brand.id == Product.brand_id)
        .join(Creator, Creator.id == row.creator_id)
        .where(Product.id == row.product_id)
    ).one()
    return {"product": product, "brand": brand, "creator": creator, "note": row.reason or ""}


def sample_requested(session: Session, row: SampleRequest) -> None:
    notify(session, [(Recipient.BRAND, row.brand_id)], "sample_requested", _params(session, row))


def sample_decided(session: Session, row: SampleRequest) -> None:
    kind = "sample_approved" if row.status is SampleStatus.APPROVED else "sample_declined"
    notify(session, creator_side(session, row.creator_id), kind, _params(session, row))
