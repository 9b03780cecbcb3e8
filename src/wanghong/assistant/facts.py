"""Product facts: a brand states them, edits add versions, the assistant reads the current ones.

Writes are for the product's brand manager (or an administrator): the product is looked up through the
principal's row scope, so another brand's product answers 404. Each write is audited and idempotent — putting
the text a fact already has adds no version.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.assistant.engine.retrieval import Passage
from wanghong.assistant.models import ProductFact
from wanghong.commerce.models import Product
from wanghong.domain import Role
from wanghong.kit import audit
from wanghong.kit.access import get_visible
from wanghong.kit.errors import Conflict, InvalidInput, NotFound

MAX_FACT_CHARS = 2000
_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def put_fact(session: Session, principal: Principal, product_id: int, key: str, text: str) -> ProductFact:
    """State (or restate) fact ``key`` of a product; a changed text becomes the next version."""
    # Existence first: a product the caller cannot see is a 404 whatever its role.
    get_visible(session, Product, product_id, principal)
    require_role(principal, Role.BRAND_MANAGER, action="editing product facts")
    text = text.strip()
    if not _KEY.fullmatch(key):
        raise InvalidInput(
            "事实键须为小写字母、数字、-、_，不超过 64 个字符 / key: lower-case letters, digits, - and _"
        )
    if not text or len(text) > MAX_FACT_CHARS:
        raise InvalidInput(
            f"事实内容须为 1-{MAX_FACT_CHARS} 个字符 / fact text must hold 1-{MAX_FACT_CHARS} characters"
        )
    latest = _latest(session, product_id, key)
    if latest is not None and latest.current and latest.text == text:
        return latest
    if latest is not None:
        latest.current = False
    fact = ProductFact(
        product_id=product_id,
        key=key,
        version=(latest.version + 1) if latest is not None else 1,
        text=text,
        current=True,
        created_by_id=principal.user_id or None,
    )
    session.add(fact)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(
            f"事实 {key} 刚被他人修改，请刷新后重试 / fact {key} was just edited; reload and retry"
        ) from None
    audit.record(session, principal, "assistant_fact.put", fact, {"key": key, "version": fact.version})
    return fact


def retire_fact(session: Session, principal: Principal, product_id: int, key: str) -> ProductFact:
    """Stop saying fact ``key``; its versions stay for the citations that name them."""
    # Existence first: a product the caller cannot see is a 404 whatever its role.
    get_visible(session, Product, product_id, principal)
    require_role(principal, Role.BRAND_MANAGER, action="editing product facts")
    latest = _latest(session, product_id, key)
    if latest is None or not latest.current:
        raise NotFound(f"商品没有现行事实 {key} / the product has no current fact {key}")
    latest.current = False
    session.flush()
    audit.record(session, principal, "assistant_fact.retire", latest, {"key": key, "version": latest.version})
    return latest


def current_facts(session: Session, product_id: int) -> list[ProductFact]:
    rows = session.scalars(
        select(ProductFact)
        .where(ProductFact.product_id == product_id, ProductFact.current.is_(True))
        .order_by(ProductFact.key)
    )
    return list(rows)


def as_passages(facts: list[ProductFact]) -> list[Passage]:
    """What the answerer and the script composer take: the cited id names the version."""
    return [Passage(f.fact_id, f.text) for f in facts]


def history(session: Session, product_id: int, key: str) -> list[ProductFact]:
    rows = session.scalars(
        select(ProductFact)
        .where(ProductFact.product_id == product_id, ProductFact.key == key)
        .order_by(ProductFact.version)
    )
    return list(rows)


def _latest(session: Session, product_id: int, key: str) -> ProductFact | None:
    return session.scalars(
        select(ProductFact)
        .where(ProductFact.product_id == product_id, ProductFact.key == key)
        .order_by(ProductFact.version.desc())
        .limit(1)
        .with_for_update()
    ).first()
