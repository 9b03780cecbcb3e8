"""商品事实与 AI 助手 for brands: state and edit a product's facts (each edit a version), try a viewer's question,
and compose a livestream script or copy — every generated text scanned and labelled, as the live room gets it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.assistant import facts, product_assistant
from wanghong.commerce.models import Product
from wanghong.domain import Role
from wanghong.kit.access import get_visible
from wanghong.kit.errors import ServiceError
from wanghong.kit.http import AppSettings, DbSession, FormSession
from wanghong.kit.pages import page_router
from wanghong.workspace.screens import MESSAGES, Screen, show, step

FACT_MESSAGES = MESSAGES.extend(
    {
        "zh": {
            "facts_title": "商品事实与 AI 助手",
            "fact_key": "事实键（如 shipping、shelf-life）",
            "fact_text": "事实内容",
            "fact_version": "版本",
            "save_fact": "保存事实",
            "retire_fact": "停用",
            "facts_hint": "AI 助手只依据这里的现行事实回答观众、生成话术；每次修改都会留下新版本，回答会引用版本号。",
            "try_question": "试问一个观众问题",
            "ask": "提问",
            "answer": "回答",
            "cited": "依据",
            "handed_over": "无事实依据，已转交主播",
            "compose_script": "生成直播话术",
            "compose_copy": "生成商品文案",
            "rewritten": "已改写",
            "removed": "（删除）",
            "left_out": "未采用的事实",
            "back_to_products": "返回商品管理",
        },
        "en": {
            "facts_title": "Product facts and AI assistant",
            "fact_key": "Fact key (e.g. shipping, shelf-life)",
            "fact_text": "Fact",
            "fact_version": "Version",
            "save_fact": "Save fact",
            "retire_fact": "Retire",
            "facts_hint": "The AI assistant answers viewers and writes scripts from these current facts only; every "
            "edit leaves a new version, and answers cite it.",
            "try_question": "Try a viewer's question",
            "ask": "Ask",
            "answer": "Answer",
            "cited": "Based on",
            "handed_over": "No fact supports an answer: handed over to the host",
            "compose_script": "Compose a livestream script",
            "compose_copy": "Compose product copy",
            "rewritten": "Rewritten",
            "removed": "(removed)",
            "left_out": "Facts left out",
            "back_to_products": "Back to products",
        },
    }
)

router = page_router(__file__)


def _screen(product_id: int, question: str = "", compose: str = "", settings: Any = None) -> Screen:
    def view(session: Session, principal: Principal) -> dict[str, Any]:
        require_role(principal, Role.BRAND_MANAGER, action="editing product facts")
        product = get_visible(session, Product, product_id, principal)
        shown: dict[str, Any] = {"product": product, "facts": facts.current_facts(session, product_id)}
        shown |= {"question": question, "answer": None, "composition": None, "tool_error": None}
        try:
            if question and settings is not None:
                shown["answer"] = product_assistant.ask(session, principal, product_id, question, settings)
            if compose:
                shown["composition"] = product_assistant.compose(session, principal, product_id, compose)
        except ServiceError as exc:  # no facts yet, a question too long: said beside the tool, the page stays
            shown["tool_error"] = exc.detail
        return shown

    empty: dict[str, Any] = {
        "product": None,
        "facts": [],
        "question": "",
        "answer": None,
        "composition": None,
        "tool_error": None,
    }
    return Screen(f"/workspace/products/{product_id}/facts", "assistant_facts.html", view, empty, FACT_MESSAGES)


@router.get("/workspace/products/{product_id}/facts", response_class=HTMLResponse)
def facts_page(
    request: Request, session: DbSession, settings: AppSettings, product_id: int, question: str = "", compose: str = ""
) -> Response:
    return show(request, session, _screen(product_id, question.strip(), compose, settings))


@router.post("/workspace/products/{product_id}/facts", response_class=HTMLResponse)
def save_fact(
    request: Request,
    session: FormSession,
    product_id: int,
    key: Annotated[str, Form()],
    text: Annotated[str, Form()],
) -> Response:
    return step(
        request, session, _screen(product_id), lambda p: facts.put_fact(session, p, product_id, key.strip(), text)
    )


@router.post("/workspace/products/{product_id}/facts/{key}/retire", response_class=HTMLResponse)
def retire_fact(request: Request, session: FormSession, product_id: int, key: str) -> Response:
    return step(request, session, _screen(product_id), lambda p: facts.retire_fact(session, p, product_id, key))
