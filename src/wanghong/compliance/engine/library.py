"""The violation library: versioned data, a validating loader and a pure editing API.

The library is data (``data/library.json``), not code, so that reviewers can extend it without a release
and so that every verdict can name the library version it was made with. Editing never mutates: each
edit returns a new :class:`ViolationLibrary` whose ``version`` is one higher, which is what an audit log
in the database needs (old version, new version, diff).

Legal bases quoted in the data:《中华人民共和国广告法》(2021 修正) 第九条（第二、三、八项）、第十三条、
第十五至十八条、第二十二条、第二十四条、第二十五条、第二十八条；《食品安全法》第七十三条；《化妆品监督管理条例》第二十二条、第四十三条；
《价格法》第十四条；《明码标价和禁止价格欺诈规定》第十九条；《电子商务法》第十三条、第十七条、第三十二条；
《网络直播营销管理办法（试行）》第十八条；《商标法》第十四条。Exceptions for absolute terms follow
市场监管总局《广告绝对化用语执法指南》(2023): service attitude, self-comparison within a brand,
consumer tips (使用方法、保存期限), graded terms defined by standards, names/trademarks, and facts limited
in time or region are not superlative claims.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from wanghong.domain import Severity

E = TypeVar("E", bound=StrEnum)
_ID_RE = re.compile(r"^[A-Z]{2,6}-[0-9]{3,6}$")
_ENTRY_KEYS = {
    "id",
    "term",
    "category",
    "severity",
    "article",
    "explanation",
    "exceptions",
    "phonetic",
    "pattern",
    "triggers",
    "examples",
}


class ViolationCategory(StrEnum):
    """What kind of rule a library entry enforces; the label is what sellers and reviewers read."""

    ABSOLUTE = "absolute"
    AUTHORITY = "authority"
    MEDICAL = "medical"
    COSMETICS = "cosmetics"
    INVESTMENT = "investment"
    EDUCATION = "education"
    PRICE = "price"
    FALSE_PROMOTION = "false_promotion"
    OFF_PLATFORM = "off_platform"
    PROHIBITED = "prohibited"
    SUPERSTITION = "superstition"
    MINORS = "minors"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    ViolationCategory.ABSOLUTE: "绝对化用语",
    ViolationCategory.AUTHORITY: "使用国家机关名义",
    ViolationCategory.MEDICAL: "医疗及保健功效宣称",
    ViolationCategory.COSMETICS: "化妆品功效宣称",
    ViolationCategory.INVESTMENT: "投资收益保证",
    ViolationCategory.EDUCATION: "教育培训效果保证",
    ViolationCategory.PRICE: "虚假价格与促销",
    ViolationCategory.FALSE_PROMOTION: "虚假宣传",
    ViolationCategory.OFF_PLATFORM: "站外导流与私下交易",
    ViolationCategory.PROHIBITED: "禁售商品",
    ViolationCategory.SUPERSTITION: "迷信内容",
    ViolationCategory.MINORS: "未成年人保护",
}


class LibraryError(ValueError):
    """The library data or an edit to it is malformed; the message says which entry and field to fix."""


class LibraryEntryNotFound(LibraryError, LookupError):
    """An edit or a lookup names an entry id the library does not have."""


@dataclass(frozen=True, slots=True)
class LibraryEntry:
    """One rule. Either ``term`` is matched literally (after normalisation), or ``pattern`` — a regular
    expression over *normalised* text — is run whenever one of its literal ``triggers`` occurs."""

    id: str
    term: str
    category: ViolationCategory
    severity: Severity
    article: str
    explanation: str
    exceptions: tuple[str, ...] = ()
    phonetic: bool = True
    pattern: str | None = None
    triggers: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "term": self.term,
            "category": self.category.value,
            "severity": self.severity.value,
            "article": self.article,
            "explanation": self.explanation,
        }
        if self.exceptions:
            data["exceptions"] = list(self.exceptions)
        if not self.phonetic:
            data["phonetic"] = False
        if self.pattern is not None:
            data["pattern"] = self.pattern
            data["triggers"] = list(self.triggers)
            data["examples"] = list(self.examples)
        return data


@dataclass(frozen=True, slots=True)
class ViolationLibrary:
    version: int
    entries: tuple[LibraryEntry, ...]
    exceptions: tuple[str, ...] = ()
    name: str = ""
    licence: str = ""
    _by_id: dict[str, LibraryEntry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, LibraryEntry] = {}
        for entry in self.entries:
            if entry.id in by_id:
                raise LibraryError(f"词条 id 重复 / duplicate entry id {entry.id!r}")
            by_id[entry.id] = entry
        self._by_id.clear()
        self._by_id.update(by_id)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> LibraryEntry:
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise LibraryEntryNotFound(f"没有该词条 / no entry with id {entry_id!r}") from None

    # -- pure editing API: every call returns a new library with version + 1 --------------------------

    def add_entry(self, entry: LibraryEntry | Mapping[str, Any]) -> ViolationLibrary:
        new = entry if isinstance(entry, LibraryEntry) else parse_entry(entry, where="新词条 / new entry")
        _validate_entry(new)
        if new.id in self._by_id:
            raise LibraryError(f"词条 id 已存在 / entry id {new.id!r} already exists; use update_entry")
        return self._bumped((*self.entries, new))

    def update_entry(self, entry_id: str, **changes: Any) -> ViolationLibrary:
        old = self.get(entry_id)
        if "id" in changes and changes["id"] != entry_id:
            raise LibraryError("不能修改词条 id / an entry id cannot change; remove and add instead")
        merged = old.to_dict() | {k: _jsonable(v) for k, v in changes.items()}
        new = parse_entry(merged, where=f"词条 {entry_id}")
        return self._bumped(tuple(new if e.id == entry_id else e for e in self.entries))

    def remove_entry(self, entry_id: str) -> ViolationLibrary:
        self.get(entry_id)
        return self._bumped(tuple(e for e in self.entries if e.id != entry_id))

    def with_exceptions(self, exceptions: Iterable[str]) -> ViolationLibrary:
        cleaned = tuple(_nonempty_str(x, "exceptions", "全局例外 / global exceptions") for x in exceptions)
        return replace(self, version=self.version + 1, exceptions=cleaned, _by_id={})

    def _bumped(self, entries: tuple[LibraryEntry, ...]) -> ViolationLibrary:
        return replace(self, version=self.version + 1, entries=entries, _by_id={})

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "name": self.name,
            "licence": self.licence,
            "exceptions": list(self.exceptions),
            "entries": [e.to_dict() for e in self.entries],
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _nonempty_str(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(f"{where}: 字段 {key!r} 必须是非空字符串 / field {key!r} must be a non-empty string")
    return value


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise LibraryError(f"{where}: 字段 {key!r} 必须是字符串列表 / field {key!r} must be a list of strings")
    return tuple(_nonempty_str(v, key, where) for v in value)


def _member(vocabulary: type[E], raw: Mapping[str, Any], key: str, where: str) -> E:
    try:
        return vocabulary(str(raw.get(key)))
    except ValueError:
        allowed = [m.value for m in vocabulary]
        raise LibraryError(f"{where}: {key} 取值无效 / invalid {key} {raw.get(key)!r}; one of {allowed}") from None


def parse_entry(raw: Mapping[str, Any], *, where: str) -> LibraryEntry:
    """Build one entry from JSON-like data, raising :class:`LibraryError` that names the bad field."""
    if not isinstance(raw, Mapping):
        raise LibraryError(f"{where}: 词条必须是对象 / an entry must be a JSON object, got {type(raw).__name__}")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise LibraryError(f"{where}: 未知字段 / unknown fields {sorted(unknown)}; allowed: {sorted(_ENTRY_KEYS)}")
    entry_id = _nonempty_str(raw.get("id"), "id", where)
    where = f"{where} ({entry_id})" if entry_id not in where else where
    category = _member(ViolationCategory, raw, "category", where)
    severity = _member(Severity, raw, "severity", where)
    phonetic = raw.get("phonetic", True)
    if not isinstance(phonetic, bool):
        raise LibraryError(f"{where}: phonetic 必须是 true/false / field 'phonetic' must be a boolean")
    pattern = raw.get("pattern")
    entry = LibraryEntry(
        id=entry_id,
        term=_nonempty_str(raw.get("term"), "term", where),
        category=category,
        severity=severity,
        article=_nonempty_str(raw.get("article"), "article", where),
        explanation=_nonempty_str(raw.get("explanation"), "explanation", where),
        exceptions=_str_list(raw.get("exceptions"), "exceptions", where),
        phonetic=phonetic,
        pattern=None if pattern is None else _nonempty_str(pattern, "pattern", where),
        triggers=_str_list(raw.get("triggers"), "triggers", where),
        examples=_str_list(raw.get("examples"), "examples", where),
    )
    _validate_entry(entry, where)
    return entry


def _validate_entry(entry: LibraryEntry, where: str | None = None) -> None:
    where = where or f"词条 {entry.id}"
    if not _ID_RE.match(entry.id):
        raise LibraryError(f"{where}: id 格式应为 'ABC-001' / id must look like 'ABC-001', got {entry.id!r}")
    if entry.pattern is None:
        if entry.triggers or entry.examples:
            raise LibraryError(f"{where}: triggers/examples 只用于 pattern 词条 / only pattern entries take them")
        return
    try:
        re.compile(entry.pattern)
    except re.error as exc:
        raise LibraryError(f"{where}: 正则无法编译 / pattern does not compile: {exc}") from None
    if not entry.triggers:
        raise LibraryError(
            f"{where}: pattern 词条必须给出 triggers（触发字面量）/ a pattern entry needs literal 'triggers' "
            "so the scanner only runs the regex when one occurs"
        )


def parse_library(raw: Any, *, source: str = "library") -> ViolationLibrary:
    if not isinstance(raw, Mapping):
        raise LibraryError(f"{source}: 顶层必须是对象 / top level must be a JSON object")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise LibraryError(f"{source}: version 必须是正整数 / 'version' must be a positive integer, got {version!r}")
    entries_raw = raw.get("entries")
    if not isinstance(entries_raw, list) or not entries_raw:
        raise LibraryError(f"{source}: entries 必须是非空列表 / 'entries' must be a non-empty list")
    entries = tuple(parse_entry(e, where=f"{source} entries[{i}]") for i, e in enumerate(entries_raw))
    return ViolationLibrary(
        version=version,
        entries=entries,
        exceptions=_str_list(raw.get("exceptions"), "exceptions", source),
        name=str(raw.get("name", "")),
        licence=str(raw.get("licence", "")),
    )


def load_library(path: str | Path | None = None) -> ViolationLibrary:
    """Load and validate a library; without ``path`` the one shipped in the package."""
    data, source = read_library_bytes(path)
    return parse_library_bytes(data, source=source)


def read_library_bytes(path: str | Path | None = None) -> tuple[bytes, str]:
    """The bytes of a library file (without ``path`` the shipped one) and the name errors give it."""
    if path is None:
        return resources.files(__package__).joinpath("data/library.json").read_bytes(), "library.json"
    path = Path(path)
    try:
        return path.read_bytes(), str(path)
    except OSError as exc:
        raise LibraryError(f"无法读取词库 / cannot read library {path}: {exc.strerror}") from None


def parse_library_bytes(data: bytes, *, source: str) -> ViolationLibrary:
    """:func:`parse_library` of a library file's bytes, decoded as reading the file as UTF-8 text decodes them
    (universal newlines, so a JSON error names the same line)."""
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LibraryError(f"{source}: JSON 格式错误 / invalid JSON at line {exc.lineno}: {exc.msg}") from None
    return parse_library(raw, source=source)
