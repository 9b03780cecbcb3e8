"""`wanghong originality video …` — index videos and find re-uploads (原创保护·视频查重).

Thin adapter over ``wanghong.originality.engine.video``: fingerprints files, keeps the index in a
pickle-free ``.npz``, and prints matches; the engine decides everything.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from wanghong.kit.clitools import counted_progress

# The video engine (PyAV, pdqhash, scipy) is imported inside each command, so `--help` stays fast.

app = typer.Typer(help="视频原创保护: 指纹索引与搬运检测 (video near-duplicate detection)", no_args_is_help=True)

VIDEO_SUFFIXES = {".mp4", ".mov", ".mkv", ".webm", ".flv", ".avi", ".m4v", ".ts"}
DEFAULT_INDEX = Path("video_index.npz")


@app.command("index")
def index_command(
    directory: Annotated[Path, typer.Argument(help="视频目录 folder of videos (searched recursively)")],
    out: Annotated[Path, typer.Option(help="索引文件 index file (.npz); extended if it exists")] = DEFAULT_INDEX,
    fps: Annotated[float, typer.Option(min=0.1, help="每秒取样帧数 sampled frames per second")] = 2.0,
) -> None:
    """为目录中的视频建立指纹索引 (index every video in DIRECTORY; video id = relative path)."""
    from wanghong.originality.engine.video import VideoIndex, VideoInputError, fingerprint_video

    console = Console()
    if not directory.is_dir():
        raise typer.BadParameter(f"{directory} 不是目录 is not a directory", param_hint="DIRECTORY")
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
    index = VideoIndex.load(out) if out.exists() else VideoIndex()
    skipped: list[str] = []
    with counted_progress(console) as progress:
        task = progress.add_task("指纹 fingerprinting", total=len(files))
        for path in files:
            video_id = path.relative_to(directory).as_posix()
            if video_id in index:
                skipped.append(f"{video_id}: 已索引 already indexed")
            else:
                try:
                    index.add(video_id, fingerprint_video(path, fps=fps))
                except VideoInputError as exc:
                    skipped.append(str(exc))
            progress.advance(task)
    index.save(out)
    console.print(f"已索引 {len(index)} 个视频, {index.frame_count} 帧 → {out} (indexed videos, frames)")
    for line in skipped:
        console.print(f"[yellow]跳过 skipped[/yellow] {line}")


@app.command("match")
def match_command(
    file: Annotated[Path, typer.Argument(help="待查视频 video to check")],
    index_path: Annotated[Path, typer.Option("--index", help="索引文件 index file")] = DEFAULT_INDEX,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="最低匹配分 minimum score")] = 0.35,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON output JSON")] = False,
) -> None:
    """查找 FILE 与索引中视频的整段或片段重复 (find indexed videos FILE copies, whole or in part)."""
    from wanghong.originality.engine.video import VideoIndex, VideoInputError, fingerprint_video

    console = Console()
    if not index_path.exists():
        raise typer.BadParameter(f"{index_path} 不存在, 请先运行 index (run `index` first)", param_hint="--index")
    try:
        index = VideoIndex.load(index_path)
        fingerprint = fingerprint_video(file)
    except VideoInputError as exc:
        console.print(f"[red]错误 error[/red] {exc}")
        raise typer.Exit(2) from exc
    matches = index.query(fingerprint, min_score=min_score)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "file": str(file),
                    "fingerprint_sha256": fingerprint.digest(),
                    "matches": [asdict(m) for m in matches],
                },
                ensure_ascii=False,
            )
        )
        return
    if not matches:
        console.print("未发现重复 no match")
        return
    table = Table(title=f"{file} 的疑似来源 likely sources")
    columns = (
        "视频 video",
        "分数 score",
        "类型 kind",
        "偏移 offset (s)",
        "匹配帧 frames",
        "重叠 overlap (s)",
        "镜像 mirrored",
    )
    for column in columns:
        table.add_column(column)
    for m in matches:
        kind = "整段 whole" if m.kind == "whole" else "片段 clip"
        table.add_row(
            m.video_id,
            f"{m.score:.2f}",
            kind,
            f"{m.offset_s:+.1f}",
            str(m.matched_frames),
            f"{m.overlap_s:.1f}",
            "是 yes" if m.mirrored else "否 no",
        )
    console.print(table)


@app.command("evaluate")
def evaluate_command(
    originals: Annotated[int, typer.Option(min=1, help="原创视频数 originals")] = 6,
    distractors: Annotated[int, typer.Option(min=0, help="干扰视频数 indexed distractors")] = 6,
    negatives: Annotated[int, typer.Option(min=1, help="无关查询数 unrelated queries")] = 6,
    seconds: Annotated[float, typer.Option(min=5.0, help="每段时长 clip length (s)")] = 10.0,
    seed: Annotated[int, typer.Option(help="随机种子 seed")] = 0,
    algorithm: Annotated[str, typer.Option(help="phash | pdq")] = "phash",
) -> None:
    """在合成视频上评估各类搬运手法的查准率/查全率 (precision/recall per re-upload variant)."""
    from wanghong.originality.engine.video.evaluation import evaluate

    console = Console()
    total = originals + distractors + originals * 8 + negatives
    with counted_progress(console) as progress:
        task = progress.add_task("评估 evaluating", total=total)
        scores = evaluate(
            originals, distractors, negatives, seconds, seed, algorithm, on_step=lambda _s: progress.advance(task)
        )
    table = Table(title=f"视频查重评估 video near-duplicate evaluation ({algorithm})")
    for column in ("变体 variant", "查询 queries", "TP", "FP", "FN", "查准 P", "查全 R", "F1"):
        table.add_column(column)
    for s in scores:
        table.add_row(
            s.variant,
            str(s.queries),
            str(s.true_positives),
            str(s.false_positives),
            str(s.false_negatives),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    console.print(table)
