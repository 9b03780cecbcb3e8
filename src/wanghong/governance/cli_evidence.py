"""`wanghong evidence …` — the transparency log (存证日志) from the terminal.

Contracts (used by outside checks; keep them stable):

* ``list [--limit N] --json``: one line per sealed entry, in log order (with ``--limit``, the latest N),
  ``{"entry_id": str, "leaf_index": int, "kind": str}``;
* ``prove ENTRY_ID --json``: ``{"leaf_index", "tree_size", "leaf_hash", "root_hash", "audit_path": [hex, …],
  "entry": base64 of the leaf data}`` — RFC 9162 inclusion proof in the current tree;
* ``consistency FIRST_SIZE SECOND_SIZE --json``: ``{"first_size", "second_size", "first_root", "second_root",
  "proof": [hex, …]}``;
* ``verify``: exit 0 when the log is intact, 1 on any altered, removed or reordered entry.

Bad input (an unknown entry id, sizes outside ``0 < FIRST ≤ SECOND ≤ size``) exits 2 with the reason on stderr.
``list``, ``prove`` and ``consistency`` first seal pending entries and sign the new tree head with the log key
(``--key``, created on first use); ``verify`` only reads, and checks the heads' signatures when the key is there.

Without ``--database-url`` every command reads ``WANGHONG_DATABASE_URL`` through ``Settings``, as ``wanghong serve``
does, so ``verify`` checks the very log the server writes. A writer that crashes mid-append cannot make the log
read as tampered: an entry, its leaf and the new root are rows of the writer's own transaction, so a rollback or
a killed process leaves either all of them or none (an entry committed but not yet sealed is merely pending).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from wanghong.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(help="存证日志（RFC 9162 透明日志）/ the transparency log: entries, proofs, verification")
_err = Console(stderr=True, soft_wrap=True)

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="数据库地址（默认读取环境配置）/ database URL (default: from the environment)"),
]
KeyPath = Annotated[
    Path | None,
    typer.Option(
        "--key",
        help="日志签名私钥 / the log's Ed25519 key (PEM; created on first use; default: WANGHONG_TRANSPARENCY_KEY)",
    ),
]


def _key(given: Path | None) -> Path:
    return given if given is not None else Path(Settings.from_env().transparency_key_path)


AsJson = Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")]


@app.callback()
def _group() -> None:
    """存证日志：记录违规、处罚、申诉、原创申诉与账本交易 / violations, penalties, appeals, claims, ledger."""


def _fail(message: str, code: int = 2) -> typer.Exit:
    _err.print(f"[red]错误 / error:[/red] {message}", highlight=False, markup=True)
    return typer.Exit(code=code)


@contextmanager
def _session(database_url: str | None) -> Iterator[Session]:
    from sqlalchemy import inspect

    from wanghong.kit.db.session import Database

    database = Database(database_url or Settings.from_env().database_url)
    try:
        if not inspect(database.engine).has_table("transparency_state"):
            raise _fail(
                f"数据库尚无存证日志，请先运行 `wanghong db upgrade` / {database.url} has no transparency log yet: "
                "run `wanghong db upgrade` first"
            )
        with database.transaction() as session:
            yield session
    finally:
        database.dispose()


@contextmanager
def _sealed(database_url: str | None, key: Path | None) -> Iterator[Session]:
    """A session on the log after sealing what is pending and signing the new head; a refused request exits 2
    with its reason, a log that does not add up exits 1."""
    from wanghong.governance import transparency
    from wanghong.kit.errors import InvalidInput, NotFound

    try:
        with _session(database_url) as session:
            transparency.sign_head(session, transparency.LogKey.load_or_create(_key(key)))
            yield session
    except transparency.LogCorrupt as error:
        raise _fail(error.detail, code=1) from None
    except (NotFound, InvalidInput) as error:
        raise _fail(error.detail) from None


def _print(document: dict[str, Any]) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False))


@app.command("list")
def list_entries(
    limit: Annotated[int | None, typer.Option(min=1, help="只列最新 N 条 / only the latest N entries")] = None,
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    key: KeyPath = None,
) -> None:
    """列出已入树的存证 / list sealed entries in log order."""
    from wanghong.governance import transparency

    with _sealed(database_url, key) as session:
        entries = transparency.list_entries(session, limit)
    for item in entries:
        if as_json:
            _print({"entry_id": item.entry_id, "leaf_index": item.leaf_index, "kind": item.kind})
        else:
            typer.echo(f"{item.leaf_index:>8}  {item.entry_id}  {item.kind}")


@app.command("prove")
def prove(
    entry_id: Annotated[str, typer.Argument(help="存证编号 / entry id (from `evidence list`)")],
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    key: KeyPath = None,
) -> None:
    """存证的包含证明 / RFC 9162 inclusion proof of one entry in the current tree."""
    from wanghong.governance import transparency

    with _sealed(database_url, key) as session:
        proof = transparency.prove(session, entry_id)
    document: dict[str, Any] = {
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "leaf_hash": proof.leaf_hash.hex(),
        "root_hash": proof.root_hash.hex(),
        "audit_path": [h.hex() for h in proof.audit_path],
        "entry": base64.b64encode(proof.entry).decode("ascii"),
    }
    if as_json:
        _print(document)
    else:
        typer.echo(f"entry {entry_id}: leaf {proof.leaf_index} of {proof.tree_size}, root {document['root_hash']}")
        for step, digest in enumerate(document["audit_path"]):
            typer.echo(f"  {step:>2}  {digest}")
        typer.echo(f"  data {proof.entry.decode('utf-8')}")


@app.command("consistency")
def consistency(
    first_size: Annotated[int, typer.Argument(help="较早的树大小 / the earlier tree size")],
    second_size: Annotated[int, typer.Argument(help="较晚的树大小 / the later tree size")],
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    key: KeyPath = None,
) -> None:
    """两个树大小之间的一致性证明 / RFC 9162 consistency proof between two tree sizes."""
    from wanghong.governance import transparency

    with _sealed(database_url, key) as session:
        proof = transparency.consistency(session, first_size, second_size)
    document: dict[str, Any] = {
        "first_size": proof.first_size,
        "second_size": proof.second_size,
        "first_root": proof.first_root.hex(),
        "second_root": proof.second_root.hex(),
        "proof": [h.hex() for h in proof.proof],
    }
    if as_json:
        _print(document)
    else:
        typer.echo(f"{proof.first_size} → {proof.second_size}: {document['first_root']} → {document['second_root']}")
        for step, digest in enumerate(document["proof"]):
            typer.echo(f"  {step:>2}  {digest}")


@app.command("verify")
def verify(
    as_json: AsJson = False,
    database_url: DatabaseUrl = None,
    key: KeyPath = None,
) -> None:
    """校验整个日志 / recompute every leaf and root; exit 1 on any altered, removed or reordered entry."""
    from wanghong.governance import transparency

    key = _key(key)
    with _session(database_url) as session:
        try:
            public = transparency.public_key_at(key)
        except ValueError as error:
            raise _fail(f"无法读取日志密钥 / cannot read the log key {key}: {error}") from None
        audit = transparency.verify(session, public)
    if as_json:
        _print(
            {
                "ok": audit.ok,
                "tree_size": audit.tree_size,
                "checked": audit.checked,
                "tree_heads": audit.heads,
                "pending": audit.pending,
                "signatures_checked": audit.signatures_checked,
                "problems": audit.problems,
            }
        )
    if not audit.ok:
        for text in audit.problems:
            _err.print(f"[red]✗[/red] {text}", highlight=False)
        raise typer.Exit(code=1)
    if not as_json:
        note = (
            ""
            if audit.signatures_checked
            else f"；未找到密钥 {key}，未校验签名 / no key at {key}: signatures unchecked"
        )
        Console().print(
            f"存证日志完整 / log intact: {audit.checked} 条 entries, {audit.heads} 个签名树头 signed heads, "
            f"{audit.pending} 条待入树 pending{note}",
            highlight=False,
        )
