"""`wanghong fraud …` — command-line adapter for fraud detection.

Contracts (used by outside evaluation; keep them stable):

* ``score-accounts FILE.jsonl`` reads one JSON object per line, ``{"id", "followers", "following", "posts",
  "has_avatar", "is_private", "bio_length", "username_length", "username_digits"}``, and prints one line per
  account in input order, ``{"id", "score" (0–100, 100 = genuine), "fake_probability", "reasons": [str]}``.
  ``-`` reads standard input. Blank lines are skipped. The whole input is validated before anything is printed:
  a malformed line is named on stderr and the command exits with 2, printing no scores.
* ``scan-room FILE.jsonl`` (not an outside contract) reads one viewer session per line, ``{"viewer", "enter_s",
  "leave_s", "comment"}``, and prints per minute the reported and estimated real entries and concurrent viewers
  (``--sessions``: each session's bot probability instead).
* ``scan [--day YYYY-MM-DD] [--json]`` (not an outside contract) runs the day's stored scan over the platform
  database (creator quality, order scores, rings, rooms, commission holds, review tasks) and prints its counts;
  rerunning a day replaces that day's scores and posts or raises nothing twice.
* ``evaluate --dataset tolokers --json`` prints ``{"roc_auc_mean", "roc_auc_std", "splits"}`` over the data set's
  fixed splits; ROC-AUC as a fraction in [0, 1] (0.855 is the issue's "85.5").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import typer

if TYPE_CHECKING:
    from wanghong.fraud.engine.nodes import SplitResult

app = typer.Typer(help="反作弊 / fraud detection: fake accounts, viewbots, fake orders", no_args_is_help=True)

_BATCH = 65_536
_DATASETS = {"tolokers": "fraud/tolokers.npz"}


@app.callback()
def _group() -> None:
    """反作弊：假粉账号、直播刷量、刷单 / fraud detection: fake accounts, livestream viewbots, fake orders."""


def _fail(message: str) -> typer.Exit:
    sys.stderr.write(message.rstrip("\n") + "\n")
    return typer.Exit(2)


@app.command("score-accounts")
def score_accounts(
    file: str = typer.Argument(
        ..., help="JSONL 文件，每行一个账号；'-' 为标准输入 / JSONL file, one account per line; '-' = stdin"
    ),
) -> None:
    """为每个账号打真实度分（100 = 真实）并给出理由 / score each account (100 = genuine) with reasons."""
    from wanghong.fraud.engine.accounts import AccountRecordError, columns_of, parse_account, shipped_account_model

    ids: list[str] = []
    rows: list[tuple[int, ...]] = []
    for number, record in _records(_open_input(file)):
        try:
            account_id, values = parse_account(record)
        except AccountRecordError as exc:
            raise _fail(f"第{number}行 / line {number}: {exc}") from None
        ids.append(account_id)
        rows.append(values)

    model = shipped_account_model()
    out = sys.stdout
    for start in range(0, len(rows), _BATCH):
        scores = model.score(columns_of(rows[start : start + _BATCH]))
        out.write(
            "".join(
                json.dumps(score.to_json(account_id), ensure_ascii=False) + "\n"
                for account_id, score in zip(ids[start : start + _BATCH], scores, strict=True)
            )
        )
    out.flush()


def _open_input(file: str) -> BinaryIO:
    try:
        return sys.stdin.buffer if file == "-" else open(file, "rb")
    except OSError as exc:
        raise _fail(f"无法打开输入文件 / cannot open input file {file}: {exc.strerror}") from None


def _records(source: BinaryIO) -> Iterator[tuple[int, object]]:
    """(line number, decoded JSON) of each non-blank line; a malformed line ends the command with exit 2."""
    with source:
        for number, raw in enumerate(source, start=1):
            if not raw.strip():
                continue
            try:
                yield number, json.loads(raw)
            except UnicodeDecodeError:
                raise _fail(f"第{number}行不是有效的 UTF-8 / line {number}: not valid UTF-8") from None
            except json.JSONDecodeError as exc:
                raise _fail(f"第{number}行不是有效的 JSON / line {number}: invalid JSON ({exc.msg})") from None


@app.command("scan-room")
def scan_room(
    file: str = typer.Argument(
        ...,
        help="JSONL 观看会话 {viewer, enter_s, leave_s, comment}；'-' 为标准输入 / "
        "viewer sessions {viewer, enter_s, leave_s, comment}; '-' = stdin",
    ),
    sessions: bool = typer.Option(
        False, "--sessions", help="逐会话输出机器人概率，而非逐分钟 / print per-session bot probabilities"
    ),
) -> None:
    """识别直播间机器人并逐分钟估计真实观众 / find viewbots in one room and estimate real viewers per minute."""
    import numpy as np

    from wanghong.fraud.engine.viewbots import detect_viewbots

    viewers: list[object] = []
    enter: list[float] = []
    leave: list[float] = []
    comments: list[str] = []
    for number, record in _records(_open_input(file)):
        problem = _session_problem(record)
        if problem:
            raise _fail(f"第{number}行 / line {number}: {problem}")
        assert isinstance(record, dict)
        viewers.append(record["viewer"])
        enter.append(float(record["enter_s"]))
        leave.append(float(record["leave_s"]))
        comments.append(record.get("comment") or "")
    verdict = detect_viewbots(np.array(enter), np.array(leave), np.array(comments, dtype=object))
    if sessions:
        lines = (
            {"viewer": viewer, "bot_probability": round(float(p), 4), "flagged": bool(p >= 0.5)}
            for viewer, p in zip(viewers, verdict.bot_probability, strict=True)
        )
    else:
        lines = (
            {
                "minute": m.minute,
                "reported_entries": m.reported_entries,
                "estimated_real_entries": round(m.estimated_real_entries, 2),
                "reported_concurrent": round(m.reported_concurrent, 2),
                "estimated_real_concurrent": round(m.estimated_real_concurrent, 2),
            }
            for m in verdict.minutes
        )
    sys.stdout.write("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines))


def _session_problem(record: object) -> str | None:
    if not isinstance(record, dict):
        return "应为 JSON 对象 / expected a JSON object"
    if not isinstance(record.get("viewer"), str | int) or isinstance(record.get("viewer"), bool):
        return "viewer 须为字符串或整数 / viewer must be a string or an integer"
    times = [record.get("enter_s"), record.get("leave_s")]
    if any(isinstance(t, bool) or not isinstance(t, int | float) or not 0 <= t < 10**7 for t in times):
        return "enter_s、leave_s 须为非负秒数 / enter_s and leave_s must be non-negative seconds"
    if times[1] < times[0]:  # type: ignore[operator]
        return "leave_s 早于 enter_s / leave_s is before enter_s"
    if not isinstance(record.get("comment", ""), str | None):
        return "comment 须为字符串 / comment must be a string"
    return None


def _shared_data() -> Path:
    """``../shared/data`` beside the project root (or the working directory's parent, for an installed package)."""
    root = Path(__file__).resolve().parents[3]
    for candidate in (root.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    return root.parent / "shared" / "data"


@app.command("evaluate")
def evaluate(
    dataset: str = typer.Option(
        "tolokers",
        "--dataset",
        help="数据集名（tolokers）或同结构 .npz 路径 / data set name (tolokers) or path to an .npz of the same shape",
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
    threads: int = typer.Option(
        1,
        "--threads",
        min=0,
        help="LightGBM 线程数，0 = 全部核；小数据单线程最快 / LightGBM threads, 0 = all cores (1 is fastest here)",
    ),
) -> None:
    """在固定划分上评估刷单/作弊节点检测（ROC-AUC 为 0–1 小数）/ evaluate fraud-node detection over the fixed
    splits (ROC-AUC as a 0–1 fraction)."""
    import numpy as np

    from wanghong.fraud.engine.nodes import NodeDatasetError, evaluate_splits, load_node_dataset

    path = _shared_data() / _DATASETS[dataset] if dataset in _DATASETS else Path(dataset)
    if not path.is_file():
        hint = " (../shared/data/fraud/tolokers.npz)" if dataset in _DATASETS else ""
        raise _fail(f"找不到数据集 / data set not found: {path}{hint}")
    try:
        data = load_node_dataset(path)
    except NodeDatasetError as exc:
        raise _fail(str(exc)) from None

    def progress(split: int, result: SplitResult) -> None:
        if not as_json:
            typer.echo(f"划分 / split {split}: ROC-AUC {result.roc_auc:.4f}", err=True)

    results = evaluate_splits(data, threads=threads, on_split=progress)
    aucs = np.array([r.roc_auc for r in results])
    summary = {"roc_auc_mean": float(aucs.mean()), "roc_auc_std": float(aucs.std()), "splits": len(results)}
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(
            f"ROC-AUC {summary['roc_auc_mean']:.4f} ± {summary['roc_auc_std']:.4f} "
            f"（{summary['splits']} 个划分 / splits）"
        )


@app.command("scan")
def scan(
    day: str | None = typer.Option(
        None, "--day", help="扫描日（北京时间，默认今天）/ the Beijing day the scan stands for (default: today)"
    ),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
    database_url: str | None = typer.Option(
        None, "--database-url", help="数据库地址（默认读取 WANGHONG_DATABASE_URL）/ database URL (default: env)"
    ),
) -> None:
    """每日反作弊扫描并保存结果 / run the day's fraud scan over the platform database and store its results."""
    from datetime import date, datetime

    from sqlalchemy.exc import SQLAlchemyError

    from wanghong.accounts.principal import CLI_OPERATOR
    from wanghong.config import Settings
    from wanghong.fraud import service
    from wanghong.kit.db.session import Database
    from wanghong.kit.errors import ServiceError
    from wanghong.kit.instants import BEIJING
    from wanghong.settlement.collaborations import policy_of

    try:
        scan_day = date.fromisoformat(day) if day else datetime.now(BEIJING).date()
    except ValueError:
        raise _fail(f"--day 须为 YYYY-MM-DD / --day wants YYYY-MM-DD, got {day!r}") from None
    settings = Settings.from_env()
    database = Database(database_url or settings.database_url)
    try:
        with database.transaction() as session:
            result = service.scan(session, CLI_OPERATOR, scan_day, policy_of(settings))
            row = result.scan
            summary = {
                "day": row.day.isoformat(),
                "replaced": result.replaced,
                "creators": row.creators,
                "orders": row.orders,
                "flagged_orders": row.flagged_orders,
                "rings": row.rings,
                "rooms": row.rooms,
                "holds": row.holds,
                "review_tasks": row.review_tasks,
            }
    except ServiceError as exc:
        raise _fail(exc.detail) from None
    except SQLAlchemyError as exc:
        raise _fail(f"无法读取数据库 / cannot read the database ({type(exc).__name__}: {exc})") from None
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps(summary))
        return
    typer.echo(
        f"{summary['day']}：{row.creators:,} 位达人 creators · {row.orders:,} 笔订单 orders，"
        f"{row.flagged_orders:,} 笔疑似刷单 flagged · {row.rings} 个团伙 rings · {row.rooms} 个直播间 rooms · "
        f"{row.holds} 笔佣金冻结 new holds · {row.review_tasks} 个审核任务 new review tasks"
        + ("（已重算 / rescanned）" if result.replaced else "")
    )
