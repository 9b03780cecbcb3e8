"""The assistant on the platform's own products: answers and scripts from a product's current facts.

Whoever may see the product may ask about it (a brand its own products, a creator those it sells, an operator any);
what the assistant may say is the product's current facts and nothing else. An answerer is built per set of fact
versions and kept (a few per process), so a live room's questions cost a retrieval, not an index build; an edited
fact is a new version, hence a new answerer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal
from wanghong.assistant import facts
from wanghong.assistant.engine.answer import Answer, GroundedAnswerer
from wanghong.assistant.engine.retrieval import Passage
from wanghong.assistant.engine.scripts import Composition, livestream_script, product_copy
from wanghong.assistant.llm import LLMSettings
from wanghong.assistant.service import AnswerOptions, answerer, compliance_gate
from wanghong.commerce.models import Product
from wanghong.config import Settings
from wanghong.kit import audit
from wanghong.kit.access import get_visible
from wanghong.kit.errors import InvalidInput

MAX_QUESTION_CHARS = 500
COMPOSITIONS = ("script", "copy")
COMPOSE_ACTION = "assistant.compose"


def llm_settings(settings: Settings) -> LLMSettings | None:
    if not settings.assistant_llm_url:
        return None
    return LLMSettings(
        settings.assistant_llm_url,
        settings.assistant_llm_model,
        settings.assistant_llm_api_key,
        settings.assistant_llm_timeout_s,
    )


@lru_cache(maxsize=64)
def _answerer(fact_records: tuple[tuple[str, str], ...], options: AnswerOptions) -> GroundedAnswerer:
    return answerer([Passage(fact_id, text) for fact_id, text in fact_records], options)


def _current(session: Session, principal: Principal, product_id: int) -> tuple[Product, list[Passage]]:
    product = get_visible(session, Product, product_id, principal)
    return product, facts.as_passages(facts.current_facts(session, product_id))


def ask(session: Session, principal: Principal, product_id: int, question: str, settings: Settings) -> Answer:
    """Answer a viewer's question about the product from its facts, or hand over to the host."""
    question = question.strip()
    if not question or len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"问题须为 1-{MAX_QUESTION_CHARS} 个字符 / a question holds 1-{MAX_QUESTION_CHARS} characters"
        )
    _, passages = _current(session, principal, product_id)
    if not passages:
        raise InvalidInput("该商品还没有事实，助手无从回答 / the product has no facts to answer from yet")
    return answer_from(passages, question, settings)


def answer_from(passages: list[Passage], question: str, settings: Settings) -> Answer:
    """The answer from these facts (a product's current ones), with the process's warm answerer for them."""
    options = AnswerOptions(cache_dir=Path(settings.cache_dir) / "assistant", llm=llm_settings(settings))
    return _answerer(tuple((p.id, p.text) for p in passages), options).answer(question)


def compose(session: Session, principal: Principal, product_id: int, kind: str) -> Composition:
    """A livestream script (开场, 产品讲解, 促单, 售后说明) or product copy from the facts, scanned and labelled."""
    if kind not in COMPOSITIONS:
        raise InvalidInput(f"kind: expected one of {', '.join(COMPOSITIONS)}")
    product, passages = _current(session, principal, product_id)
    if not passages:
        raise InvalidInput("该商品还没有事实，无法生成 / the product has no facts to compose from yet")
    build = livestream_script if kind == "script" else product_copy
    composition = build(product.name, passages, compliance_gate())
    # 《人工智能生成合成内容标识办法》: the implicit label's ProduceID must lead back to what was generated, for whom
    # and from which facts — the audit trail keeps the whole labelled text under it.
    audit.record(
        session,
        principal,
        COMPOSE_ACTION,
        product,
        {
            "kind": kind,
            "produce_id": composition.metadata["AIGC"]["ProduceID"],
            "fact_ids": sorted({fact_id for section in composition.sections for fact_id in section.fact_ids}),
            "text": composition.text,
        },
    )
    return composition
