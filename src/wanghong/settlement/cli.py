"""结算账本命令 / ledger commands, mounted as `wanghong ledger`: `check`, `reconcile`, `release`, `payout` and
`payouts`.

Both have a stable `--json` contract for outside checks, and exit 1 when the ledger is off (2 when the database
cannot be read). The database, SQLAlchemy and Rich are imported inside the commands so `wanghong --help` stays
fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wanghong.kit.db.session import Database

T = TypeVar("T")

app = typer.Typer(help="结算账本 / settlement ledger", no_args_is_help=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="数据库地址（默认读取 WANGHONG_DATABASE_URL）/ database URL (default: env)"),
]
AsJson = Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")]


def _database(database_url: str | None) -> Database:
    from wanghong.config import Settings
    from wanghong.kit.db.session import Database

    return Database(database_url or Settings.from_env().database_url)


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _read(database_url: str | None, work: Callable[[Session], T]) -> T:
    """Run `work(session)` in one transaction (committed when it returns); a database that cannot be read exits 2
    with the reason."""
    from sqlalchemy.exc import SQLAlchemyError

    database = _database(database_url)
    try:
        with database.transaction() as session:
            return work(session)
    except SQLAlchemyError as error:
        from rich.console import Console

        Console(stderr=True).print(
            f"[red]错误 / error:[/red] 无法读取账本 / cannot read the ledger ({type(error).__name__}: {error})",
            highlight=False,
        )
        raise typer.Exit(code=2) from None
    finally:
        database.dispose()


@app.command("check")
def check(as_json: AsJson = False, database_url: DatabaseUrl = None) -> None:
    """校验每笔交易借贷平衡与试算平衡 / check that every transaction and the trial balance sum to zero."""
    from wanghong.settlement import ledger
    from wanghong.settlement.schemas import LedgerCheckOut

    result = _read(database_url, ledger.check)
    if as_json:
        out = LedgerCheckOut(
            transactions=result.transactions, postings=result.postings, imbalance_fen=result.imbalance_fen
        )
        typer.echo(json.dumps(out.model_dump()))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title="账本校验 / ledger check")
        table.add_column("项目 / item")
        table.add_column("值 / value", justify="right")
        table.add_row("已封存交易 / sealed transactions", f"{result.transactions:,}")
        table.add_row("分录 / postings", f"{result.postings:,}")
        table.add_row("未封存交易（不计） / open transactions (not counted)", f"{result.open_transactions:,}")
        table.add_row("不平衡金额（分）/ imbalance (fen)", f"{result.imbalance_fen:,}")
        for currency, total in sorted(result.trial_balance.items()):
            table.add_row(f"试算平衡 {currency} / trial balance {currency} (fen)", f"{total:,}")
        if result.unbalanced:
            table.add_row("不平衡交易 / unbalanced transactions", ", ".join(map(str, result.unbalanced)))
        console = Console()
        console.print(table)
        verdict = "[green]平衡 / balanced[/green]" if result.ok else "[red]不平衡 / NOT balanced[/red]"
        console.print(verdict)
    raise typer.Exit(code=0 if result.ok else 1)


@app.command("reconcile")
def reconcile(as_json: AsJson = False, database_url: DatabaseUrl = None) -> None:
    """对账：订单 ↔ 佣金分录，打款 ↔ 应收 / reconcile orders with commission postings and payouts with receivables."""
    from wanghong.settlement import reconcile as reconciling
    from wanghong.settlement.schemas import ReconcileOut

    result = _read(database_url, reconciling.reconcile)
    if as_json:
        out = ReconcileOut(orders=result.orders, discrepancies=[d.as_dict() for d in result.discrepancies])
        typer.echo(json.dumps(out.model_dump(), ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        console.print(f"已核对归属订单 / attributed orders checked: {result.orders:,}")
        if result.discrepancies:
            table = Table(title=f"差异 / discrepancies ({len(result.discrepancies):,})")
            for header in ("类型 / kind", "订单 / order", "交易 / transaction", "应为 / expected", "实为 / actual"):
                table.add_column(header)
            table.add_column("说明 / detail")
            for d in result.discrepancies:
                table.add_row(
                    d.kind,
                    *(_cell(v) for v in (d.order_id, d.transaction_id, d.expected_fen, d.actual_fen)),
                    d.detail,
                )
            console.print(table)
        else:
            console.print("[green]无差异 / no discrepancies[/green]")
    raise typer.Exit(code=1 if result.discrepancies else 0)


@app.command("release")
def release(as_json: AsJson = False, database_url: DatabaseUrl = None) -> None:
    """释放退货期已过的佣金 / release the commissions held on orders whose 48-hour return window has passed."""
    from wanghong.settlement import collaborations

    posted = _read(database_url, lambda s: collaborations.release_matured(s, collaborations.current_policy()))
    if as_json:
        typer.echo(json.dumps({"released": len(posted)}))
    else:
        typer.echo(f"已释放佣金 / commissions released: {len(posted):,}")


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="北京时间日期 YYYY-MM-DD（当天结束时）/ Beijing date, end of day (default: now)"),
]


def _as_of(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    from wanghong.kit.instants import BEIJING

    try:
        day = date.fromisoformat(raw)
    except ValueError:
        typer.echo(f"--as-of: expected a date YYYY-MM-DD, got {raw!r}", err=True)
        raise typer.Exit(code=2) from None
    return datetime.combine(day, time.max, tzinfo=BEIJING)


@app.command("payout")
def payout(as_of: AsOf = None, as_json: AsJson = False, database_url: DatabaseUrl = None) -> None:
    """打款：向每位达人支付已到期的应收 / pay every creator what has fallen due (one batch, safe to rerun)."""
    from wanghong.accounts.principal import CLI_OPERATOR
    from wanghong.settlement import payouts

    instant = _as_of(as_of)
    result = _read(database_url, lambda s: payouts.run_batch(s, CLI_OPERATOR, instant))
    if as_json:
        typer.echo(json.dumps({"batch": result.batch, "creators": len(result.paid), "fen": sum(result.paid.values())}))
    else:
        typer.echo(
            f"打款批次 / batch {result.batch}: {len(result.paid):,} 位达人 / creators, "
            f"¥{sum(result.paid.values()) / 100:,.2f}"
        )


@app.command("payouts")
def payouts_report(as_of: AsOf = None, as_json: AsJson = False, database_url: DatabaseUrl = None) -> None:
    """打款报告：按期支付的比例与逾期名单 / payout report: the share paid by its due date and the late list."""
    from wanghong.settlement import payouts

    instant = _as_of(as_of)
    result = _read(database_url, lambda s: payouts.report(s, instant))
    if as_json:
        typer.echo(json.dumps(result.as_dict()))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    share = result.on_time_share
    console.print(
        f"到期 / due ¥{result.due_fen / 100:,.2f} · 按期 / on time "
        f"{'—' if share is None else f'{share:.1%}'} · 逾期未付 / overdue ¥{result.overdue_fen / 100:,.2f}"
    )
    late = result.as_dict()["late"]
    if late:
        table = Table(title=f"逾期名单 / late list ({len(late):,})")
        for header in ("达人 / creator", "逾期未付 / overdue", "迟付 / paid late", "最早到期 / oldest due"):
            table.add_column(header)
        for line in late:
            table.add_row(
                str(line["creator_id"]),
                f"¥{line['overdue_fen'] / 100:,.2f}",
                f"¥{line['late_paid_fen'] / 100:,.2f}",
                line["oldest_overdue"] or "—",
            )
        console.print(table)
