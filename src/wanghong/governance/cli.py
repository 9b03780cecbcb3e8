"""`wanghong governance …` — command-line adapter for 数字治理 (digital governance).

``check-speech`` reads JSON lines ``{"speech", "listing"}`` and writes one line of findings for each.

Contract of ``check-uscc`` (used by outside evaluation; keep it stable): one JSON object per CODE argument, in
order, on its own line: ``{"code": the argument as given, "valid": bool, "reason": "中文 / English"}``. Exit 0 when
every code is valid, 1 when any is invalid, 2 on a usage error (no CODE at all, an unknown option).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

app = typer.Typer(help="数字治理 / digital governance: subjects, monitoring, standing", no_args_is_help=True)

EXIT_INVALID = 1


@app.callback()
def _group() -> None:
    """数字治理：直播主体核验、商品监测、信用 / digital governance: subject checks, product monitoring, credit."""


def _as_text(argument: str) -> str:
    # A non-UTF-8 byte in argv arrives as a lone surrogate, which no UTF-8 line can carry; show it as U+FFFD.
    return argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@app.command("check-uscc")
def check_uscc(
    codes: list[str] = typer.Argument(..., metavar="CODE", help="统一社会信用代码，可多个 / one or more codes"),
) -> None:
    """校验统一社会信用代码（GB 32100-2015）/ check Unified Social Credit Codes (GB 32100-2015).

    每个代码输出一行 JSON {"code", "valid", "reason"}，顺序与参数相同 / one JSON line per code, in order.

    检查长度、字符集、登记管理部门、机构类别、行政区划码、组织机构代码校验码（GB 11714）与第18位校验码。

    Checks the length, character set, authority, category, region digits and both check characters.

    首尾空白、全角字符与小写字母先规范化，并在 reason 中注明。

    Whitespace around a code, full-width characters and lower case are normalised first; the reason says so.

    退出码 / exit code: 0 全部有效 all valid; 1 存在无效代码 any invalid; 2 用法错误 usage error.
    """
    from wanghong.governance.engine.uscc import check_uscc as check

    out = sys.stdout.buffer
    all_valid = True
    for argument in codes:
        given = _as_text(argument)
        verdict = check(given)
        all_valid &= verdict.valid
        line = {"code": given, "valid": verdict.valid, "reason": verdict.reason}
        out.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()
    if not all_valid:
        raise typer.Exit(EXIT_INVALID)


@app.command("check-speech")
def check_speech(
    file: str = typer.Argument("-", metavar="FILE", help="JSONL 文件，'-' 为标准输入 / JSONL file, '-' = stdin"),
) -> None:
    """口播与商品信息一致性检查 / listing-vs-speech consistency.

    每行输入 {"speech": 口播文本, "listing": 商品属性}；属性键可为 材质/产地/净含量/认证 或 fabric/origin/net_content/
    certifications / one {"speech", "listing"} object per input line.

    Each output line: {"mismatch": bool, "findings": [{"kind", "said", "start", "end", "verdict", "reason", "listed"}]}.

    退出码 / exit code: 0 无不一致 none; 1 存在不一致 any mismatch; 2 输入错误 bad input (nothing is written).
    """
    from wanghong.governance.engine.consistency import Listing, Verdict
    from wanghong.governance.engine.consistency import check_speech as check

    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise typer.BadParameter(
            f"无法打开输入文件 / cannot open input file: {exc.strerror}", param_hint="FILE"
        ) from None
    requests, errors = [], []
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            speech, listing = record["speech"], record.get("listing", record.get("product", {}))
            if not isinstance(speech, str) or not isinstance(listing, dict):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            errors.append(
                f'第{number}行不是 {{"speech": str, "listing": object}} / line {number} is not such an object'
            )
            continue
        requests.append((speech, Listing.from_attributes(listing)))
    if errors:
        for error in errors:
            print(error, file=sys.stderr)
        raise typer.Exit(2)
    out = sys.stdout.buffer
    any_mismatch = False
    for speech, listing in requests:
        findings = check(speech, listing)
        mismatch = any(f.verdict is Verdict.MISMATCH for f in findings)
        any_mismatch |= mismatch
        rows = [
            {
                "kind": f.claim.kind.value,
                "said": f.claim.text,
                "start": f.claim.start,
                "end": f.claim.end,
                "verdict": f.verdict.value,
                "reason": f.reason,
                "listed": f.listed,
            }
            for f in findings
        ]
        out.write(json.dumps({"mismatch": mismatch, "findings": rows}, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()
    if any_mismatch:
        raise typer.Exit(EXIT_INVALID)


@app.command("monitor")
def monitor(
    days: int = typer.Option(30, min=1, max=365, help="回看天数 / days back"),
    database_url: str | None = typer.Option(None, "--database-url", help="数据库地址 / database URL (default: env)"),
) -> None:
    """商品监测：重新判断近期的改价与口播 / re-judge recent price changes and livestream speech.

    批量导入的数据不经过写入钩子，导入后运行一次；已有结论不会重复记录 / bulk loads skip the write hooks: run it
    after one; what was judged before is not stored again. Prints {"price_cuts", "segments", "findings"}.
    """
    from wanghong.config import Settings
    from wanghong.governance import monitoring
    from wanghong.kit.db.session import Database

    database = Database(database_url or Settings.from_env().database_url)
    try:
        with database.transaction() as session:
            result = monitoring.scan(session, None, days=days)
    finally:
        database.dispose()
    print(json.dumps(result.__dict__, ensure_ascii=False))
