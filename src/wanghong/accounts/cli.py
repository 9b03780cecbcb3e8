"""`wanghong users`: create accounts, purge expired tokens (`users demo`, over simulated data, is the simulator's)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from wanghong.domain import Role

app = typer.Typer(help="账号 / accounts", no_args_is_help=True)
console = Console()


@app.command("create")
def users_create(
    username: str,
    role: Annotated[Role, typer.Option(help="admin | reviewer | brand_manager | mcn_manager | creator")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    brand_id: Annotated[int | None, typer.Option(help="for brand_manager")] = None,
    mcn_id: Annotated[int | None, typer.Option(help="for mcn_manager")] = None,
    creator_id: Annotated[int | None, typer.Option(help="for creator")] = None,
) -> None:
    """新建账号 / Create an account."""
    from wanghong.accounts.users import create_user
    from wanghong.config import Settings
    from wanghong.kit.db.session import Database
    from wanghong.kit.errors import ServiceError

    db = Database(Settings.from_env().database_url)
    try:
        with db.transaction() as session:
            user = create_user(
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


@app.command("purge-tokens")
def users_purge_tokens() -> None:
    """删除已过期的令牌 / Delete expired API tokens (they authenticate nobody; each sign-in sweeps its own)."""
    from wanghong.accounts.auth import purge_expired_tokens
    from wanghong.config import Settings
    from wanghong.kit.db.session import Database

    db = Database(Settings.from_env().database_url)
    try:
        with db.transaction() as session:
            purged = purge_expired_tokens(session)
        console.print(f"已删除 / purged {purged} expired token(s)")
    finally:
        db.dispose()
