"""The versioned violation library: reading it, and administrators' edits, each saved as a new audited version."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.compliance import audit
from wanghong.compliance.engine_cache import ReviewerCache, latest_numbers, seed_library
from wanghong.compliance.models import ComplianceLibraryVersion
from wanghong.domain import Role
from wanghong.kit import access
from wanghong.kit.audit import record
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import Conflict, InvalidInput, NotFound

if TYPE_CHECKING:
    from wanghong.compliance.engine import ViolationLibrary

T = TypeVar("T")


def _require_library_reader(principal: Principal) -> None:
    require_role(principal, Role.REVIEWER, action="reading the compliance library")


def current_library(
    session: Session, principal: Principal, *, reviewers: ReviewerCache
) -> tuple[ViolationLibrary, ComplianceLibraryVersion]:
    _require_library_reader(principal)
    version, _ = latest_numbers(session)
    if version is None:
        version = seed_library(session).version
    row = session.scalar(select(ComplianceLibraryVersion).where(ComplianceLibraryVersion.version == version))
    assert row is not None
    return reviewers.library(session, version), row


def library_versions(
    session: Session, principal: Principal, *, reviewers: ReviewerCache, limit: int = 100
) -> Sequence[ComplianceLibraryVersion]:
    _require_library_reader(principal)
    current_library(session, principal, reviewers=reviewers)  # seeds version 1 on first use
    return session.scalars(
        access.visible_rows(ComplianceLibraryVersion, principal)
        .order_by(ComplianceLibraryVersion.version.desc())
        .limit(limit)
    ).all()


def add_entry(
    session: Session, principal: Principal, raw: dict[str, Any], summary: str = "", *, reviewers: ReviewerCache
) -> ViolationLibrary:
    require_role(principal, action="editing the compliance library")
    library, _ = current_library(session, principal, reviewers=reviewers)
    new = _edit(lambda: library.add_entry(raw))
    entry_id = str(raw.get("id"))
    summary = summary or f"新增词条 / add {entry_id}"
    return _save(session, principal, new, summary, audit.LIBRARY_ADD_ENTRY, {"entry": raw}, reviewers)


def update_entry(
    session: Session,
    principal: Principal,
    entry_id: str,
    changes: dict[str, Any],
    summary: str = "",
    *,
    reviewers: ReviewerCache,
) -> ViolationLibrary:
    require_role(principal, action="editing the compliance library")
    if not changes:
        raise InvalidInput("nothing to change: send at least one field of the entry")
    library, _ = current_library(session, principal, reviewers=reviewers)
    before = _edit(lambda: library.get(entry_id)).to_dict()
    new = _edit(lambda: library.update_entry(entry_id, **changes))
    detail = {"entry_id": entry_id, "before": before, "after": new.get(entry_id).to_dict()}
    summary = summary or f"修改词条 / update {entry_id}"
    return _save(session, principal, new, summary, audit.LIBRARY_UPDATE_ENTRY, detail, reviewers)


def remove_entry(
    session: Session, principal: Principal, entry_id: str, summary: str = "", *, reviewers: ReviewerCache
) -> ViolationLibrary:
    require_role(principal, action="editing the compliance library")
    library, _ = current_library(session, principal, reviewers=reviewers)
    before = _edit(lambda: library.get(entry_id)).to_dict()
    new = _edit(lambda: library.remove_entry(entry_id))
    detail = {"entry_id": entry_id, "before": before}
    summary = summary or f"删除词条 / remove {entry_id}"
    return _save(session, principal, new, summary, audit.LIBRARY_REMOVE_ENTRY, detail, reviewers)


def _edit(change: Callable[[], T]) -> T:
    from wanghong.compliance.engine import LibraryEntryNotFound, LibraryError

    try:
        return change()
    except LibraryEntryNotFound as exc:
        raise NotFound(str(exc)) from None
    except LibraryError as exc:
        raise InvalidInput(str(exc)) from None
    except TypeError as exc:  # an unknown field name passed to update_entry
        raise InvalidInput(f"无效字段 / invalid field: {exc}") from None


def _save(
    session: Session,
    principal: Principal,
    library: ViolationLibrary,
    summary: str,
    action: str,
    detail: dict[str, Any],
    reviewers: ReviewerCache,
) -> ViolationLibrary:
    row = ComplianceLibraryVersion(
        version=library.version,
        body=library.to_dict(),
        change_summary=summary[:500],
        created_by_id=audit.account_id(principal),
    )
    if not insert_once(session, row):
        raise Conflict(
            f"词库已被他人修改为版本 {library.version} / library version {library.version} was saved by someone else "
            "meanwhile; reload the library and apply your change again"
        )
    record(session, principal, action, row, {"version": library.version, "summary": summary} | detail)
    reviewers.invalidate()
    return library
