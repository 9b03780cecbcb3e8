"""`wanghong`: the command line, mounting each capability's Typer app.

A sub-command's module is imported only when that sub-command runs, so `wanghong --help` and a quick
`wanghong compliance scan -` do not pay for loading every engine (analytics alone pulls in Ibis, PySpark and
pandas). The help text of each entry is written here for the same reason.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

import typer
from typer.core import TyperGroup


@dataclass(frozen=True)
class _Mount:
    target: str  # "module:attribute", a Typer app or a plain function (a single command)
    help: str
    # Below this one: (name, "module:attr" of a Typer app or of a function, help); a function becomes a command.
    extra: tuple[tuple[str, str, str], ...] = ()


MOUNTS: dict[str, _Mount] = {
    "serve": _Mount("wanghong.cli:serve", "启动平台 / Serve the API and web pages (applies pending migrations first)."),
    "db": _Mount("wanghong.cli:db_app", "数据库 / database schema"),
    "users": _Mount(
        "wanghong.accounts.cli:app",
        "账号 / accounts",
        extra=(("demo", "wanghong.demo:users_demo", "演示账号与待办 / one demo account per role, with work waiting"),),
    ),
    "simulate": _Mount("wanghong.simulator.cli:simulate", "生成模拟生态 / Generate a simulated ecosystem."),
    "traffic": _Mount("wanghong.traffic.cli:app", "普惠流量分发 / fair traffic distribution"),
    "match": _Mount("wanghong.matching.cli:app", "选品中心：商品↔达人匹配 / product–creator matching"),
    "originality": _Mount(
        "wanghong.originality.cli:app",
        "原创保护 / originality protection",
        extra=(("video", "wanghong.originality.cli_video:app", "视频近重复 / video near-duplicates"),),
    ),
    "evidence": _Mount("wanghong.governance.cli_evidence:app", "存证日志 / transparency log: list, prove, verify"),
    "compliance": _Mount("wanghong.compliance.cli:app", "合规审核 / compliance review"),
    "ledger": _Mount("wanghong.settlement.cli:app", "结算账本 / settlement ledger: check, reconcile, release"),
    "analytics": _Mount("wanghong.analytics.cli:app", "经营分析：DuckDB/Spark 作业与报表 / analytics jobs and reports"),
    "audience": _Mount("wanghong.audience.cli:app", "人群洞察 / audience: segments, crowd packs, lookalike"),
    "growth": _Mount("wanghong.growth.cli:app", "星火计划与创作者成长 / MCN grading and growth-programme effects"),
    "fraud": _Mount("wanghong.fraud.cli:app", "反作弊 / fraud detection: fake accounts, viewbots, fake orders"),
    "governance": _Mount("wanghong.governance.cli:app", "数字治理 / governance: subjects, monitoring, standing"),
    "assistant": _Mount("wanghong.assistant.cli:app", "AI 助手 / grounded live Q&A, scripts and copy (AI-labelled)"),
}


def _load(target: str) -> Any:
    module, attribute = target.split(":")
    return getattr(importlib.import_module(module), attribute)


@cache  # mounting a sub-app twice would register its sub-apps twice
def _command(name: str, mount: _Mount) -> Any:
    loaded = _load(mount.target)
    if isinstance(loaded, typer.Typer):
        for sub_name, sub_target, sub_help in mount.extra:
            sub = _load(sub_target)
            if isinstance(sub, typer.Typer):
                loaded.add_typer(sub, name=sub_name, help=sub_help)
            else:
                loaded.command(sub_name)(sub)
        typer_app = loaded
        typer_app.info.help = mount.help
    else:
        typer_app = typer.Typer()
        typer_app.command(name)(loaded)
    command = typer.main.get_command(typer_app)
    command.name = name
    return command


class _LazyGroup(TyperGroup):
    """Typer's own group (Typer ships its own click), with the plain help formatter: the rich one would load
    every sub-command to print its one-line help."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(MOUNTS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        mount = MOUNTS.get(cmd_name)
        return _command(cmd_name, mount) if mount is not None else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, mount.help) for name, mount in MOUNTS.items()])


app = typer.Typer(cls=_LazyGroup, no_args_is_help=True, rich_markup_mode=None)


@app.callback()
def main() -> None:
    """wanghong 网红业务平台 — influencer business platform"""


db_app = typer.Typer(help="数据库 / database schema", no_args_is_help=True)


@db_app.callback()
def db() -> None:
    """数据库 / database schema"""  # a callback keeps `db` a group: Typer runs a one-command app as that command


def serve(
    host: Annotated[str, typer.Option(help="listen address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="listen port")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
    access_log: Annotated[
        bool, typer.Option(help="log every request (off behind a proxy that logs them: it costs each request)")
    ] = True,
) -> None:
    """启动平台 / Serve the API and web pages (applies pending migrations first)."""
    import uvicorn
    from rich.console import Console

    from wanghong.config import Settings
    from wanghong.kit.db import migrate as migrations

    settings = Settings.from_env()
    migrations.upgrade(settings.database_url)
    Console().print(
        f"[bold green]wanghong[/] → http://{host}:{port}  (API docs: /api/v1/docs, DB: {settings.database_url})"
    )
    uvicorn.run("wanghong.app:served_app", factory=True, host=host, port=port, workers=workers, access_log=access_log)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """升级数据库结构 / Apply migrations."""
    from rich.console import Console

    from wanghong.config import Settings
    from wanghong.kit.db import migrate as migrations

    settings = Settings.from_env()
    migrations.upgrade(settings.database_url, revision)
    Console().print(f"数据库已升级 / database upgraded to {revision}: {settings.database_url}")


if __name__ == "__main__":
    app()
