"""`wanghong` command line: serve, migrate, manage accounts, simulate, and the engines' tools."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wanghong import migrations as migrate
from wanghong.accounts import users as accounts
from wanghong.analytics import cli as analytics
from wanghong.compliance import cli as compliance
from wanghong.config import Settings
from wanghong.domain import Role
from wanghong.kit.db.session import Database
from wanghong.kit.errors import ServiceError
from wanghong.matching import cli as matching
from wanghong.originality import cli as originality
from wanghong.originality import cli_video as originality_video
from wanghong.simulator.cli import simulate
from wanghong.traffic import cli as traffic

app = typer.Typer(help="wanghong 网红业务平台 — influencer business platform", no_args_is_help=True)
db_app = typer.Typer(help="数据库 / database schema", no_args_is_help=True)
users_app = typer.Typer(help="账号 / accounts", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(traffic.app, name="traffic", help="普惠流量分发 / fair traffic distribution")
app.command("simulate")(simulate)
app.add_typer(analytics.app, name="analytics", help="经营分析：DuckDB/Spark 作业与报表 / analytics jobs and reports")
app.add_typer(matching.app, name="match", help="选品中心：商品↔达人匹配 / product–creator matching")
originality.app.add_typer(originality_video.app, name="video", help="视频近重复 / video near-duplicates")
app.add_typer(originality.app, name="originality", help="原创保护 / originality protection")
app.add_typer(compliance.app, name="compliance", help="合规审核 / compliance review")
app.add_typer(originality.evidence_app, name="evidence", help="存证日志 / tamper-evident evidence log")

console = Console()


def _settings() -> Settings:
    return Settings.from_env()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """启动平台 / Serve the API and web pages (applies pending migrations first)."""
    import uvicorn

    settings = _settings()
    migrate.upgrade(settings.database_url)
    console.print(
        f"[bold green]wanghong[/] → http://{host}:{port}  (API docs: /api/v1/docs, DB: {settings.database_url})"
    )
    uvicorn.run("wanghong.app:create_app", factory=True, host=host, port=port, workers=workers)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """升级数据库结构 / Apply migrations."""
    settings = _settings()
    migrate.upgrade(settings.database_url, revision)
    console.print(f"数据库已升级 / database upgraded to {revision}: {settings.database_url}")


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[Role, typer.Option(help="admin | reviewer | brand_manager | mcn_manager | creator")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    brand_id: Annotated[int | None, typer.Option(help="for brand_manager")] = None,
    mcn_id: Annotated[int | None, typer.Option(help="for mcn_manager")] = None,
    creator_id: Annotated[int | None, typer.Option(help="for creator")] = None,
) -> None:
    """新建账号 / Create an account."""
    db = Database(_settings().database_url)
    try:
        with db.transaction() as session:
            user = accounts.create_user(
                session,
                username=username,
                password=password,
                role=role,
                brand_id=brand_id,
                mcn_id=mcn_id,
                creator_id=creator_id,
            )
            console.print(f"已创建 / created user {user.username} (id {user.id}, {role.label})")
    except ServiceError as exc:
        console.print(f"[red]错误 / error:[/] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        db.dispose()


@users_app.command("demo")
def users_demo() -> None:
    """为模拟数据创建各角色演示账号 / Create one demo account per role over the simulated data."""
    db = Database(_settings().database_url)
    try:
        with db.transaction() as session:
            demo = accounts.ensure_demo_accounts(session)
    except ServiceError as exc:
        console.print(f"[red]错误 / error:[/] {exc.detail}")
        raise typer.Exit(2) from None
    finally:
        db.dispose()
    table = Table(title="演示账号 / demo accounts")
    for column in ("角色 / role", "用户名 / username", "密码 / password", "视角 / sees"):
        table.add_column(column)
    for account in demo:
        table.add_row(account.role.label, account.username, account.password, account.scope)
    console.print(table)


if __name__ == "__main__":
    app()
