"""Use cases of the assistant that need no database: build a retriever or an answerer from records.

Records are ``{"id": str, "text": str}``, as the CLI reads them from JSON Lines (and as the facts table will
hand them over). The compliance gate is built once per process; the sentence encoder caches its vectors under
``cache_dir`` so that passages seen before cost nothing to index.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from wanghong.assistant.engine.answer import GroundedAnswerer
from wanghong.assistant.engine.dense import CachedEncoder, Encoder, UniversalSentenceEncoder
from wanghong.assistant.engine.retrieval import HybridRetriever, Passage
from wanghong.assistant.llm import LLMSettings, OpenAICompatibleComposer

if TYPE_CHECKING:
    from wanghong.assistant.compliance_gate import ComplianceGate


class RecordError(ValueError):
    """A records file that cannot be used as it is; the message names the line."""


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wanghong" / "assistant"


def read_records(path: Path, what: str) -> list[Passage]:
    """``{"id", "text"}`` per line; blank lines skipped; ids must be unique strings, texts strings."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RecordError(f"无法读取{what}文件 / cannot read the {what} file {path}: {exc.strerror}") from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(f"{what}文件不是 UTF-8 / the {what} file is not UTF-8 (byte {exc.start})") from None
    return parse_records(content.splitlines(), what)


def parse_records(lines: Iterable[str], what: str) -> list[Passage]:
    records: list[Passage] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(
                f"{what}第{number}行不是合法 JSON / {what} line {number}: invalid JSON ({exc.msg})"
            ) from None
        if (
            not isinstance(record, dict)
            or not isinstance(record.get("id"), str)
            or not isinstance(record.get("text"), str)
        ):
            raise RecordError(
                f'{what}第{number}行应为 {{"id": 字符串, "text": 字符串}} / {what} line {number}: '
                'expected {"id": string, "text": string}'
            )
        if record["id"] in seen:
            raise RecordError(f"{what}第{number}行的 id 重复：{record['id']} / {what} line {number}: duplicate id")
        seen.add(record["id"])
        records.append(Passage(record["id"], record["text"]))
    return records


@cache
def compliance_gate(use_model: bool = True) -> ComplianceGate:
    # Imported here: building the reviewer loads the lexicon automaton and the claim model (the slow part).
    from wanghong.assistant.compliance_gate import ComplianceGate

    return ComplianceGate(use_model=use_model)


@cache
def sentence_model() -> UniversalSentenceEncoder:
    """One model per process (150 MB, stateless once loaded): every answerer and retriever shares it."""
    return UniversalSentenceEncoder()


def encoder(cache_dir: Path | None) -> Encoder:
    return CachedEncoder(sentence_model(), cache_dir) if cache_dir is not None else sentence_model()


def retriever(passages: Sequence[Passage], *, cache_dir: Path | None) -> HybridRetriever:
    return HybridRetriever(passages, encoder(cache_dir))


@dataclass(frozen=True, slots=True)
class AnswerOptions:
    cache_dir: Path | None = None
    use_compliance_model: bool = True
    llm: LLMSettings | None = None  # the Settings field WANGHONG_ASSISTANT_LLM_URL, once the lead adds it


def answerer(facts: Sequence[Passage], options: AnswerOptions = AnswerOptions()) -> GroundedAnswerer:
    composer = OpenAICompatibleComposer(options.llm) if options.llm is not None else None
    return GroundedAnswerer(
        facts, encoder(options.cache_dir), compliance_gate(options.use_compliance_model), composer=composer
    )
