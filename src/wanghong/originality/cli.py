"""原创保护命令 / originality commands.

``app`` is mounted as ``wanghong originality``: ``dedup`` and ``verify-evidence``. ``dedup --evidence FILE`` keeps
an offline, hash-chained evidence file of a batch run (no database involved), which ``verify-evidence FILE``
checks; ``evidence_app`` is the same check as a one-command app. Claims and every other record are proven by the
platform's transparency log in the database instead (``wanghong evidence``, ``governance.cli_evidence``).
"""

from __future__ import annotations

import json
import sys
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress

# Light modules only: the text index (numpy, scipy) is loaded by the command that needs it.
from wanghong.kit.instants import BEIJING, BadInstant, parse_instant, zone
from wanghong.originality.engine import (
    DEFAULT_THRESHOLD,
    AttributionGraph,
    EvidenceChainError,
    EvidenceLog,
    OriginalityInputError,
)

if TYPE_CHECKING:
    from wanghong.originality.engine import TextItem

app = typer.Typer(help="原创保护：近重复内容检测与归属 / originality protection: near-duplicates and attribution")
evidence_app = typer.Typer(help="离线证据文件 / offline evidence file of a dedup run")
_REQUIRED = ("id", "text", "published_at")
_err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    _err.print(f"[red]错误 / error:[/red] {message}", highlight=False, markup=True)
    return typer.Exit(code=2)


def _parse_line(line_number: int, line: str, naive_as: tzinfo) -> TextItem:
    where = f"第 {line_number} 行 / line {line_number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise OriginalityInputError(f"{where}: JSON 格式错误 / malformed JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise OriginalityInputError(f"{where}: 须为 JSON 对象 / must be a JSON object")
    missing = [name for name in _REQUIRED if name not in record]
    if missing:
        raise OriginalityInputError(f"{where}: 缺少字段 / missing field(s) {', '.join(missing)}")
    content_id, text, published = record["id"], record["text"], record["published_at"]
    if not isinstance(content_id, str) or not content_id:
        raise OriginalityInputError(f"{where}: id 须为非空字符串 / id must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise OriginalityInputError(f"{where}: text 为空 / text is empty")
    if not isinstance(published, str):
        raise OriginalityInputError(f"{where}: published_at 须为 ISO 时间字符串 / published_at must be an ISO string")
    try:
        published_at = parse_instant(published, naive_as=naive_as)
    except BadInstant as error:
        raise OriginalityInputError(f"{where}: {error}") from None
    from wanghong.originality.engine import TextItem

    return TextItem(content_id, text, published_at)


def read_items(path: Path, naive_as: tzinfo = BEIJING) -> list[TextItem]:
    """Parse a JSONL file of {"id", "text", "published_at"}; errors name the 1-based line number. A
    ``published_at`` without offset is read in ``naive_as`` (北京时间 unless the caller says otherwise)."""
    items: list[TextItem] = []
    line_of: dict[str, int] = {}
    with path.open("r", encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            item = _parse_line(line_number, line, naive_as)
            if item.id in line_of:
                raise OriginalityInputError(
                    f"第 {line_number} 行 / line {line_number}: id {item.id!r} 重复 / duplicate id "
                    f"(first seen on line {line_of[item.id]})"
                )
            line_of[item.id] = line_number
            items.append(item)
    return items


@app.command("dedup")
def dedup(
    file: Annotated[Path, typer.Argument(help="JSONL: 每行 {id, text, published_at}", exists=True, dir_okay=False)],
    threshold: Annotated[
        float, typer.Option("--threshold", "-t", min=0.01, max=1.0, help="相似度阈值 / similarity threshold")
    ] = DEFAULT_THRESHOLD,
    evidence: Annotated[
        Path | None,
        typer.Option(help="把每个副本的判定写入离线证据文件 / append one entry per copy to this hash-chained file"),
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="每批索引条数 / items per indexing batch")] = 50_000,
    timezone: Annotated[
        str,
        typer.Option(
            "--timezone",
            help="无时区的 published_at 按此时区解读 / zone of a published_at written without offset (IANA name)",
        ),
    ] = "Asia/Shanghai",
) -> None:
    """输出每个重复簇：{"original": id, "copies": [id, …]} / print one JSON line per cluster of copies."""
    try:
        items = read_items(file, zone(timezone))
    except BadInstant as error:
        raise _fail(str(error)) from None
    except OriginalityInputError as error:
        raise _fail(str(error)) from None
    except UnicodeDecodeError:
        raise _fail(f"{file} 不是 UTF-8 文本 / is not UTF-8 text") from None

    from wanghong.config import Settings
    from wanghong.originality.engine import TextNearDupIndex

    # jieba's dictionary cache (pairs judged word by word) with the platform's other caches: `jieba` under
    # WANGHONG_CACHE_DIR, by default ~/.cache/wanghong/jieba, where the engine used to choose to keep it.
    index = TextNearDupIndex(threshold=threshold, cache_dir=Path(Settings.from_env().cache_dir) / "jieba")
    graph = AttributionGraph()
    similarity: dict[str, tuple[str, float]] = {}
    with Progress(console=_err, transient=True, disable=not _err.is_terminal) as progress:
        task = progress.add_task("索引中 / indexing", total=len(items))
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            pairs = index.add_batch(batch)
            for item in batch:
                graph.add(item.id, item.published_at)
            for pair in pairs:
                graph.link(pair.a, pair.b)
                best = similarity.get(pair.b)
                if best is None or pair.similarity > best[1]:
                    similarity[pair.b] = (pair.a, pair.similarity)
            progress.advance(task, len(batch))

    clusters = list(graph.clusters())
    out = sys.stdout
    for cluster in clusters:
        out.write(json.dumps({"original": cluster.original, "copies": list(cluster.copies)}, ensure_ascii=False))
        out.write("\n")
    if evidence is not None:
        log = EvidenceLog(evidence)
        entries = []
        for cluster in clusters:
            for copy in cluster.copies:
                matched, score = similarity.get(copy, (cluster.original, 1.0))
                payload = {"event": "copy", "original": cluster.original, "matched": matched, "similarity": score}
                entries.append((copy, index.fingerprint(copy), payload))
        try:
            log.append_many(entries)
        except EvidenceChainError as error:
            raise _fail(str(error)) from None


@app.command("verify-evidence")
@evidence_app.command("verify")
def verify(
    path: Annotated[Path, typer.Argument(help="dedup --evidence 写出的文件 / the file `dedup --evidence` wrote")],
    expected_head: Annotated[
        str | None, typer.Option(help="外部保存的头部 SEQ:HASH / head published elsewhere, as SEQ:HASH")
    ] = None,
) -> None:
    """校验离线证据文件的哈希链 / verify an offline evidence file's hash chain; non-zero exit on any tampering."""
    if not path.exists():
        raise _fail(f"证据日志不存在 / evidence log {path} does not exist")
    head: tuple[int, str] | None = None
    if expected_head is not None:
        seq, _, digest = expected_head.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise _fail("--expected-head 须为 SEQ:HASH（64 位十六进制）/ must be SEQ:HASH with a 64-hex hash")
        head = (int(seq), digest)
    log = EvidenceLog(path)
    try:
        report = log.verify(head)
    except (OSError, ValueError, KeyError) as error:
        raise _fail(f"无法读取证据日志 / cannot read evidence log {path}: {error}") from None
    if not report.ok:
        line = (report.bad_position or 0) + 1
        raise _fail(f"{path} 第 {line} 行 / line {line}: {report.reason}")
    Console().print(
        f"证据链完整 / evidence chain intact: {report.checked} 条 entries, head seq={report.head_seq} "
        f"hash={report.head_hash}",
        highlight=False,
    )
