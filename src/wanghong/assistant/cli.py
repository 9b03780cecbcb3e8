"""`wanghong assistant …` — grounded Q&A, retrieval, and livestream scripts, all labelled as AI-generated.

Contracts (used by outside evaluation; keep them stable):

* ``ask --facts FILE.jsonl "问题" --json`` — facts lines ``{"id": str, "text": str}``; prints
  ``{"answer": str, "fact_ids": [str], "abstained": bool, "label": str}``.
* ``retrieve --passages FILE.jsonl --queries FILE.jsonl --top K`` — lines ``{"id", "text"}``; writes one line per
  query ``{"id": str, "passage_ids": [str, …]}``, best first.

Bad input (unreadable file, a line that is not such an object, a duplicate id, K < 1): a message on stderr, exit 2.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

app = typer.Typer(help="AI 助手 / grounded live Q&A, scripts and copy (AI-labelled)", no_args_is_help=True)

_CACHE = typer.Option(
    None, "--cache-dir", help="向量缓存目录（默认 ~/.cache/wanghong/assistant）/ embedding cache directory"
)
_NO_CACHE = typer.Option(False, "--no-cache", help="不读写向量缓存 / neither read nor write the embedding cache")


@app.callback()
def _group() -> None:
    """基于商品事实的直播问答、检索、话术与文案；所有生成内容均标注“AI 生成” / grounded answers, AI-labelled."""


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _cache(cache_dir: Path | None, no_cache: bool) -> Path | None:
    from wanghong.assistant.service import default_cache_dir

    return None if no_cache else (cache_dir or default_cache_dir())


@app.command("retrieve")
def retrieve(
    passages: Path = typer.Option(..., "--passages", help="段落 JSONL，每行 {id, text} / passages JSONL"),
    queries: Path = typer.Option(..., "--queries", help="问题 JSONL，每行 {id, text} / queries JSONL"),
    top: int = typer.Option(10, "--top", min=1, help="每个问题返回的段落数 / passages per query"),
    cache_dir: Path | None = _CACHE,
    no_cache: bool = _NO_CACHE,
) -> None:
    """混合检索（BM25 + 语义向量），每个问题一行 / hybrid retrieval, one JSON line per query, best first."""
    from wanghong.assistant.service import RecordError, read_records, retriever

    try:
        corpus = read_records(passages, "段落 / passages")
        asked = read_records(queries, "问题 / queries")
    except RecordError as exc:
        raise _fail(str(exc)) from None
    if not corpus:
        raise _fail("段落文件为空 / the passages file holds no passage")
    index = retriever(corpus, cache_dir=_cache(cache_dir, no_cache))
    ranked = index.search([q.text for q in asked], top)
    out = sys.stdout
    for query, hits in zip(asked, ranked, strict=True):
        out.write(json.dumps({"id": query.id, "passage_ids": [p.id for p, _ in hits]}, ensure_ascii=False) + "\n")
    out.flush()


@app.command("ask")
def ask(
    question: str = typer.Argument(..., help="观众的问题 / the viewer's question"),
    facts: Path = typer.Option(..., "--facts", help="商品事实 JSONL，每行 {id, text} / product facts JSONL"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print the JSON contract"),
    llm_url: str | None = typer.Option(
        None, "--llm-url", help="可选：OpenAI 兼容接口地址（默认关闭）/ optional OpenAI-compatible endpoint (off)"
    ),
    llm_model: str = typer.Option("default", "--llm-model", help="接口的模型名 / model name at that endpoint"),
    cache_dir: Path | None = _CACHE,
    no_cache: bool = _NO_CACHE,
) -> None:
    """仅依据商品事实回答；无依据时转交主播 / answer from the facts only, or hand over to the host."""
    from wanghong.assistant.llm import LLMSettings
    from wanghong.assistant.service import AnswerOptions, RecordError, answerer, read_records

    try:
        records = read_records(facts, "事实 / facts")
    except RecordError as exc:
        raise _fail(str(exc)) from None
    options = AnswerOptions(
        cache_dir=_cache(cache_dir, no_cache), llm=LLMSettings(llm_url, llm_model) if llm_url else None
    )
    result = answerer(records, options).answer(question)
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    typer.echo(result.answer)
    cited = "、".join(result.fact_ids) if result.fact_ids else "无 / none"
    typer.echo(f"依据 / facts: {cited} · {result.label}" + (" · 已转交主播 / handed over" if result.abstained else ""))


class Kind(StrEnum):
    SCRIPT = "script"
    COPY = "copy"


@app.command("compose")
def compose(
    kind: Kind = typer.Argument(..., help="script：直播话术（开场/产品讲解/促单/售后说明）；copy：商品文案"),
    facts: Path = typer.Option(..., "--facts", help="商品事实 JSONL，每行 {id, text} / product facts JSONL"),
    name: str = typer.Option(..., "--name", help="商品名称 / product name"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（含隐式标识元数据）/ JSON with implicit metadata"),
) -> None:
    """依据事实与模板生成直播话术或商品文案，经合规审核并标注 AI 生成 / compose a script or copy, checked, labelled."""
    from wanghong.assistant.engine.scripts import livestream_script, product_copy
    from wanghong.assistant.service import RecordError, compliance_gate, read_records

    try:
        records = read_records(facts, "事实 / facts")
    except RecordError as exc:
        raise _fail(str(exc)) from None
    if not records:
        raise _fail("事实文件为空 / the facts file holds no fact")
    build = livestream_script if kind is Kind.SCRIPT else product_copy
    composition = build(name, records, compliance_gate())
    if as_json:
        typer.echo(json.dumps(composition.to_json(), ensure_ascii=False))
        return
    typer.echo(composition.text)
    for rewrite in composition.rewrites:
        typer.echo(f"已改写 / rewritten: {rewrite.original} → {rewrite.replacement or '（删除 / removed）'}", err=True)
    if composition.dropped:
        typer.echo(f"未采用的事实 / facts left out: {'、'.join(composition.dropped)}", err=True)
