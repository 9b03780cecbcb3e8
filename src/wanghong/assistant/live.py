"""The assistant in the live room: viewers' questions answered from the facts of the products on sale there.

A room sells what its collaboration brought and what the creator put in its 购物车; a question is answered from
one of those products' current facts only, never from another room's or a product's own copy:

1. **Which product**: the one the sender names (``product_id``; it must be in the room), else the one the question
   names, else the room's only product with facts; with several and no hint, the one product whose facts answer
   (two that both answer — "多少钱" — is a question for the host, who knows which is on screen).
2. **Answer** with the product's warm answerer (grounded, cited, compliance-checked, labelled: ``engine.answer``),
   or hand over to the host (交给主播).
3. **Keep and label**: every answer sent is a ``LiveAnswer`` row with its implicit label (GB 45438-2025 ``AIGC``
   record, propagator this platform, propagate id the room and answer), audited with the sender as actor.

Registered with the live socket (``compliance.live_room.answer_questions_with``) when this module is imported; the
app imports it through the live page.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.assistant import facts, product_assistant
from wanghong.assistant.engine.answer import HANDOVER, Answer, Reason
from wanghong.assistant.engine.labels import LABEL, implicit_metadata, with_explicit_label
from wanghong.assistant.engine.questions import is_question
from wanghong.assistant.engine.retrieval import Passage
from wanghong.assistant.engine.text import fold
from wanghong.assistant.models import LiveAnswer
from wanghong.commerce.models import Collaboration, LivestreamSession, Product
from wanghong.compliance import live_room
from wanghong.config import Settings
from wanghong.kit.audit import record
from wanghong.kit.errors import InvalidInput, NotFound
from wanghong.selection.models import CartItem

PROPAGATOR = "wanghong"
ANSWER_SEND = "assistant_live_answer.send"
NAME_MATCH_CHARS = 2  # a question names a product when it holds this much of the name in a row


@dataclass(frozen=True, slots=True)
class RoomProduct:
    product: Product
    passages: list[Passage]


def room_products(session: Session, live: LivestreamSession) -> list[RoomProduct]:
    """The products on sale in the room with their current facts: the collaboration's product first, then the
    购物车 in the order the creator added them."""
    ids: list[int] = []
    if live.collaboration_id is not None:
        collaboration = session.get(Collaboration, live.collaboration_id)
        if collaboration is not None and collaboration.product_id is not None:
            ids.append(collaboration.product_id)
    cart = session.scalars(
        select(CartItem.product_id).where(CartItem.livestream_id == live.id).order_by(CartItem.added_at, CartItem.id)
    )
    ids.extend(i for i in cart if i not in ids)
    products = {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))} if ids else {}
    return [RoomProduct(products[i], facts.as_passages(facts.current_facts(session, i))) for i in ids if i in products]


def _named(question: str, products: list[RoomProduct]) -> RoomProduct | None:
    """The product whose name the question carries: the longest stretch of a name found in the question (two
    characters at least: "面霜", "精华液"), if one product's is longer than every other's."""
    asked = fold(question)
    found: list[tuple[int, RoomProduct]] = []
    for item in products:
        name = fold(item.product.name)
        match = SequenceMatcher(None, asked, name, autojunk=False).find_longest_match(0, len(asked), 0, len(name))
        if match.size >= NAME_MATCH_CHARS and asked[match.a : match.a + match.size].strip():
            found.append((match.size, item))
    found.sort(key=lambda pair: -pair[0])
    if not found or (len(found) > 1 and found[1][0] == found[0][0]):
        return None
    return found[0][1]


def _choose(
    question: str, products: list[RoomProduct], product_id: int | None, settings: Settings
) -> tuple[RoomProduct | None, Answer]:
    if product_id is not None:
        chosen = next((p for p in products if p.product.id == product_id), None)
        if chosen is None:
            raise InvalidInput(
                f"商品 {product_id} 不在本场直播的购物车或合作中 / product {product_id} is not on sale in this room"
            )
        return chosen, _answer(chosen, question, settings)
    with_facts = [p for p in products if p.passages]
    named = _named(question, with_facts)
    if named is not None:
        return named, _answer(named, question, settings)
    if len(with_facts) == 1:
        return with_facts[0], _answer(with_facts[0], question, settings)
    answered = [(p, a) for p in with_facts if not (a := _answer(p, question, settings)).abstained]
    if len(answered) == 1:
        return answered[0]
    reason = Reason.NO_FACT if not answered else Reason.WHICH_PRODUCT
    return None, Answer(with_explicit_label(HANDOVER), (), True, reason)


def _answer(item: RoomProduct, question: str, settings: Settings) -> Answer:
    if not item.passages:
        return Answer(with_explicit_label(HANDOVER), (), True, Reason.NO_FACT)
    return product_assistant.answer_from(item.passages, question, settings)


def answer_in_room(
    session: Session, principal: Principal, question: live_room.RoomQuestion, settings: Settings
) -> dict[str, Any] | None:
    """The room's answer to a viewer's question (the socket's hook); None when a comment is no question."""
    text = question.text.strip()
    if not question.asked and not is_question(text):
        return None
    if not text or len(text) > product_assistant.MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"问题须为 1-{product_assistant.MAX_QUESTION_CHARS} 个字符 / a question holds "
            f"1-{product_assistant.MAX_QUESTION_CHARS} characters"
        )
    live = session.get(LivestreamSession, question.livestream_id)
    if live is None:
        raise NotFound(f"livestream session {question.livestream_id} not found")
    chosen, answer = _choose(text, room_products(session, live), question.product_id, settings)
    row = LiveAnswer(
        livestream_id=live.id,
        product_id=chosen.product.id if chosen is not None else None,
        viewer_id=question.viewer_id,
        question=text,
        answer=answer.answer,
        fact_ids=list(answer.fact_ids),
        abstained=answer.abstained,
        reason=str(answer.reason),
        produce_id="",
        asked_by_id=principal.user_id if principal.user_id > 0 else None,
    )
    session.add(row)
    session.flush()
    row.produce_id = f"live-{live.id}-answer-{row.id}"
    record(
        session,
        principal,
        ANSWER_SEND,
        row,
        {"livestream_id": live.id, "fact_ids": row.fact_ids, "abstained": row.abstained, "reason": row.reason},
    )
    return to_json(row, chosen.product.name if chosen is not None else None)


def to_json(row: LiveAnswer, product_name: str | None) -> dict[str, Any]:
    return {
        "kind": "answer",
        "answer_id": row.id,
        "livestream_id": row.livestream_id,
        "viewer_id": row.viewer_id,
        "question": row.question,
        "product_id": row.product_id,
        "product_name": product_name,
        "answer": row.answer,
        "fact_ids": list(row.fact_ids),
        "abstained": row.abstained,
        "handed_over": row.abstained,
        "reason": row.reason,
        "label": LABEL,
        "metadata": implicit_metadata(
            row.answer, produce_id=row.produce_id, propagator=PROPAGATOR, propagate_id=row.produce_id
        ),
        "at": row.created_at.isoformat(),
    }


def recent_answers(
    session: Session, livestream_id: int, *, limit: int = 20, before: int | None = None
) -> list[tuple[LiveAnswer, str | None]]:
    """The room's answers, newest first (``before``: an answer id, for the next page)."""
    query = (
        select(LiveAnswer, Product.name)
        .outerjoin(Product, Product.id == LiveAnswer.product_id)
        .where(LiveAnswer.livestream_id == livestream_id)
    )
    if before is not None:
        query = query.where(LiveAnswer.id < before)
    rows = session.execute(query.order_by(LiveAnswer.id.desc()).limit(limit)).all()
    return [(answer, name) for answer, name in rows]


live_room.answer_questions_with(answer_in_room)
