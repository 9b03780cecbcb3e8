"""AI 助手 API: a product's versioned facts (its brand edits them), live Q&A grounded on them, and scripts and copy
composed from them — every generated text scanned for compliance and labelled as AI-generated."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from wanghong.accounts.deps import CurrentPrincipal
from wanghong.assistant import facts, product_assistant
from wanghong.assistant.models import ProductFact
from wanghong.assistant.schemas import AnswerOut, ComposeIn, CompositionOut, FactIn, FactOut, QuestionIn
from wanghong.commerce.models import Product
from wanghong.kit.access import get_visible
from wanghong.kit.http import AppSettings, DbSession
from wanghong.kit.schemas import PathId

router = APIRouter(prefix="/products/{product_id}", tags=["AI 助手 / assistant"])


@router.get("/facts", response_model=list[FactOut], summary="商品事实 / The product's current facts")
def list_facts(product_id: PathId, session: DbSession, principal: CurrentPrincipal) -> list[ProductFact]:
    get_visible(session, Product, product_id, principal)
    return facts.current_facts(session, product_id)


@router.put("/facts/{key}", response_model=FactOut, summary="陈述或修改事实 / State or restate a fact (a new version)")
def put_fact(
    product_id: PathId, key: str, body: FactIn, session: DbSession, principal: CurrentPrincipal
) -> ProductFact:
    return facts.put_fact(session, principal, product_id, key, body.text)


@router.delete("/facts/{key}", response_model=FactOut, summary="停用事实 / Retire a fact (its versions stay)")
def retire_fact(product_id: PathId, key: str, session: DbSession, principal: CurrentPrincipal) -> ProductFact:
    return facts.retire_fact(session, principal, product_id, key)


@router.get("/facts/{key}/versions", response_model=list[FactOut], summary="事实的各版本 / Every version of a fact")
def fact_versions(product_id: PathId, key: str, session: DbSession, principal: CurrentPrincipal) -> list[ProductFact]:
    get_visible(session, Product, product_id, principal)
    return facts.history(session, product_id, key)


@router.post("/assistant/answers", response_model=AnswerOut, summary="直播问答 / Answer a viewer's question")
def answer(
    product_id: PathId, body: QuestionIn, session: DbSession, principal: CurrentPrincipal, settings: AppSettings
) -> dict[str, Any]:
    return product_assistant.ask(session, principal, product_id, body.question, settings).to_json()


@router.post("/assistant/compositions", response_model=CompositionOut, summary="话术与文案 / Compose a script or copy")
def compose(product_id: PathId, body: ComposeIn, session: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    return product_assistant.compose(session, principal, product_id, body.kind).to_json()
