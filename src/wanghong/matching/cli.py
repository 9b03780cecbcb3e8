"""`wanghong match …` — creators matched to a product, from the terminal (选品中心).

Runs as the platform operator (an administrator principal, user id 0): it sees every brand's products.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from wanghong.accounts.principal import CLI_OPERATOR
from wanghong.config import Settings
from wanghong.kit.errors import ServiceError
from wanghong.matching.engine.limits import MAX_K

app = typer.Typer(help="选品中心：为商品匹配达人 (match creators to products)", no_args_is_help=True)


@app.callback()
def main() -> None:
    """选品中心：为商品匹配达人 / match creators to products."""


@app.command("product")
def product(
    product_id: Annotated[int, typer.Argument(help="商品 ID / product id")],
    k: Annotated[int, typer.Option("--k", min=1, max=MAX_K, help="返回达人数 / creators to return")] = 50,
    category: Annotated[list[str] | None, typer.Option(help="达人类目 / creator category (repeatable)")] = None,
    followers_min: Annotated[int | None, typer.Option(min=0)] = None,
    followers_max: Annotated[int | None, typer.Option(min=0)] = None,
    mcn_tier: Annotated[list[str] | None, typer.Option(help="S, A, B, unrated, independent")] = None,
    region: Annotated[list[str] | None, typer.Option()] = None,
    price_band: Annotated[list[str] | None, typer.Option(help="budget, mid, premium, luxury")] = None,
    include_penalised: Annotated[bool, typer.Option(help="包含处罚中达人 / keep penalised creators")] = False,
    available: Annotated[bool, typer.Option(help="仅看有档期 / available creators only")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    database_url: Annotated[str | None, typer.Option(help="默认读取 WANGHONG_DATABASE_URL")] = None,
) -> None:
    """为一个商品排序推荐达人 / Rank creators for one product."""
    from wanghong.kit.db.session import Database
    from wanghong.kit.runtime import Runtime
    from wanghong.matching import service as matching

    console = Console(stderr=True)
    settings = Settings.from_env()
    if database_url:
        settings = replace(settings, database_url=database_url)
    database, runtime = Database(settings.database_url), Runtime(settings)
    request = matching.MatchRequest(
        k=k,
        categories=tuple(category or ()),
        followers_min=followers_min,
        followers_max=followers_max,
        mcn_tiers=tuple(mcn_tier or ()),
        regions=tuple(region or ()),
        price_bands=tuple(price_band or ()),
        exclude_penalised=not include_penalised,
        available_only=available,
    )
    try:
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True
        ) as progress:
            progress.add_task("建索引并匹配 / building the index and matching…", total=None)
            with database.transaction() as session:
                result = matching.match_product(session, CLI_OPERATOR, product_id, request, runtime)
    except ServiceError as exc:
        console.print(f"[red]错误 / error:[/red] {exc.detail}")
        raise typer.Exit(code=2 if exc.status == 404 else 1) from None
    finally:
        runtime.close()
        database.dispose()
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{result['product']['name']} · {result['product']['category_label']}")
    for column in ("#", "达人 creator", "粉丝 followers", "匹配分 score", "预估GMV P10–P90", "人群重合 overlap"):
        table.add_column(column)
    for item in result["items"]:
        gmv = item["expected_gmv"]
        overlaps = ", ".join(f"{o['label']} {o['creator_share']:.0%}" for o in item["overlaps"][:3])
        table.add_row(
            str(item["rank"]),
            f"{item.get('display_name', '')} @{item.get('handle', '')}",
            f"{item['followers']:,}",
            f"{item['score']:.3f}",
            f"¥{gmv['p10']:,.0f}–¥{gmv['p90']:,.0f}",
            overlaps,
        )
    Console().print(table)
    plan = result["plan"]
    console.print(f"检索 / plan: {plan['strategy']} · ~{plan['estimated_rows']} rows · ranker {result['ranker']}")
