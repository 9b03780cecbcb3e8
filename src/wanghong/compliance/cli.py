"""`wanghong compliance …` — command-line adapter for the compliance review engine.

Contract of ``scan`` (used by outside evaluation; keep it stable): one text per input line, one JSON
object per output line, in order, ``{"text", "verdict", "score", "hits": [{"term", "category",
"article", "start", "end", "severity"}]}`` with ``start``/``end`` indexing the decoded line as a Python
``str``. Bytes that are not UTF-8 are reported per line on stderr, replaced by U+FFFD, and that line's
verdict is at least ``review`` — a line we could not read faithfully is never passed. A line of any length
is reviewed whole: the engine takes long texts piece by piece (``Scanner.scan``, ``LONG_TEXT``), so time and
memory grow linearly with the line (a 30 MB line: seconds and a few hundred MB, not minutes and gigabytes).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import typer

from wanghong.compliance.engine import ComplianceReviewer, LibraryError
from wanghong.compliance.engine.compiled import CompiledCache
from wanghong.domain import Verdict as VerdictKind

if TYPE_CHECKING:
    from rich.progress import Progress
    from sqlalchemy.orm import Session

    from wanghong.compliance.engine_cache import ReviewerCache

app = typer.Typer(help="合规审核 / compliance review of sales talk", no_args_is_help=True)

_BATCH_LINES = 256
# …or fewer lines when they are long: the reviewer holds a batch's texts, scans and JSON at once.
_BATCH_CHARS = 1 << 20


class OutputFormat(StrEnum):
    JSONL = "jsonl"


@app.callback()
def _group() -> None:
    """合规审核：广告法绝对化用语、医疗功效、价格欺诈、站外导流等 / advertising-law compliance checks."""


def cache_directory() -> Path:
    """Where the compiled scanner is kept between runs (see `engine.compiled`), the server's directory too:
    ``compliance`` under ``WANGHONG_CACHE_DIR``, by default ``$XDG_CACHE_HOME/wanghong/compliance``, else
    ``~/.cache/wanghong/compliance``. Unwritable or removed, it only costs the next run its start-up time."""
    # Not engine_cache.compiled_directory (the same path): importing it loads SQLAlchemy and the models, ≈1 s.
    from wanghong.config import Settings

    return Path(Settings.from_env().cache_dir) / "compliance"


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(stream, start=1):
        yield number, raw.rstrip(b"\n").removesuffix(b"\r")


@app.command("scan")
def scan(
    file: str = typer.Argument(
        "-", help="输入文件，每行一条文本；'-' 为标准输入 / input file, one text per line; '-' = stdin"
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.JSONL, "--format", help="输出格式 / output format"),
    library_path: Path | None = typer.Option(None, "--library", help="自定义词库 JSON / custom library JSON"),
    use_model: bool = typer.Option(True, "--model/--no-model", help="是否启用语义模型 / use the claim classifier"),
) -> None:
    """逐行审核文本并输出 JSON Lines / review each line and print one JSON object per line."""
    compiled = CompiledCache(cache_directory())
    try:
        library = compiled.load_library(library_path)
    except LibraryError as exc:
        raise typer.BadParameter(str(exc), param_hint="--library") from None
    if file == "-":
        source: BinaryIO = sys.stdin.buffer
        size = 0
    else:
        try:
            source = open(file, "rb")  # noqa: SIM115 - closed below, shared with the stdin branch
        except OSError as exc:
            raise typer.BadParameter(
                f"无法打开输入文件 / cannot open input file: {exc.strerror}", param_hint="FILE"
            ) from None
        size = os.fstat(source.fileno()).st_size

    reviewer = ComplianceReviewer(scanner=compiled.scanner(library), use_model=use_model)
    out = sys.stdout.buffer
    err = sys.stderr
    bar: Progress | None = None
    if size > 0 and sys.stderr.isatty():
        # rich only here and in the database commands: importing it costs a piped one-line scan ≈40 ms.
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TransferSpeedColumn

        columns = (TextColumn("审核中 / scanning"), BarColumn(), TransferSpeedColumn())
        bar = Progress(*columns, console=Console(stderr=True))
    with bar if bar is not None else nullcontext(), source:
        task = bar.add_task("scan", total=size) if bar is not None else None
        batch: list[tuple[int, str, bool]] = []
        chars = 0
        for number, raw in _lines(source):
            try:
                text, broken = raw.decode("utf-8"), False
            except UnicodeDecodeError as exc:
                err.write(
                    f"第{number}行第{exc.start}字节起不是有效的 UTF-8，已替换为 U+FFFD 并标记人工复核 / "
                    f"line {number}: invalid UTF-8 at byte {exc.start}; "
                    "replaced with U+FFFD, verdict raised to review\n"
                )
                text, broken = raw.decode("utf-8", "replace"), True
            batch.append((number, text, broken))
            chars += len(text)
            if bar is not None and task is not None:
                bar.advance(task, len(raw) + 1)
            if len(batch) >= _BATCH_LINES or chars >= _BATCH_CHARS:
                _emit(reviewer, batch, out, output_format)
                batch, chars = [], 0
        _emit(reviewer, batch, out, output_format)
    out.flush()


def _emit(reviewer: ComplianceReviewer, batch: list[tuple[int, str, bool]], out: BinaryIO, _: OutputFormat) -> None:
    if not batch:
        return
    verdicts = reviewer.review_many([text for _number, text, _broken in batch])
    lines = []
    for (_number, text, broken), verdict in zip(batch, verdicts, strict=True):
        record = verdict.to_json(text)
        if broken and verdict.verdict is VerdictKind.PASS:
            record["verdict"] = VerdictKind.REVIEW.value
            record["score"] = max(verdict.score, 0.5)
        lines.append(json.dumps(record, ensure_ascii=False))
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


_DATABASE_URL = typer.Option(
    None, "--database-url", help="数据库地址（默认读取环境配置）/ database URL (default: from the environment)"
)


@contextmanager
def _reviewers_in_transaction(database_url: str | None) -> Iterator[tuple[Session, ReviewerCache]]:
    """One transaction and the warm reviewers for a command; both are released however the command ends."""
    from wanghong.compliance.engine_cache import REVIEWERS
    from wanghong.config import Settings
    from wanghong.kit.db.session import Database
    from wanghong.kit.runtime import Runtime

    settings = Settings.from_env()
    runtime = Runtime(settings)
    database = Database(database_url or settings.database_url)
    try:
        with database.transaction() as session:
            yield session, runtime.get(REVIEWERS)
    finally:
        database.dispose()
        runtime.close()


@app.command("backfill")
def backfill(
    limit: int | None = typer.Option(None, min=1, help="最多扫描条数 / scan at most this many, newest first"),
    database_url: str | None = _DATABASE_URL,
) -> None:
    """补扫批量导入的商品与视频，违规进入审核队列 / scan bulk-loaded products and videos into the review queue."""
    from rich.console import Console
    from rich.progress import Progress

    from wanghong.compliance.scanning import backfill as scan_unscanned

    with (
        Progress(console=Console(stderr=True), transient=True) as progress,
        _reviewers_in_transaction(database_url) as (session, reviewers),
    ):
        task = progress.add_task("合规补扫 / scanning", total=limit)
        scanned = scan_unscanned(
            session, reviewers=reviewers, limit=limit, progress=lambda n: progress.advance(task, n)
        )
    typer.echo(json.dumps({"scanned": scanned}, ensure_ascii=False))


@app.command("retrain")
def retrain(database_url: str | None = _DATABASE_URL) -> None:
    """用审核员的裁决重新训练语义模型 / retrain the claim classifier on reviewers' decisions."""
    from rich.console import Console

    from wanghong.accounts.principal import CLI_OPERATOR
    from wanghong.compliance.training import retrain as retrain_model

    with (
        Console(stderr=True).status("训练中 / training…"),
        _reviewers_in_transaction(database_url) as (session, reviewers),
    ):
        run = retrain_model(session, CLI_OPERATOR, reviewers=reviewers)
        labels = dict(run.metrics.get("by_label", {}))
        generation = run.id
    typer.echo(
        json.dumps({"generation": generation, "examples": sum(labels.values()), "by_label": labels}, ensure_ascii=False)
    )
