"""原创申诉 / originality claims: file a claim, review it, and penalise confirmed copies.

A creator (or its MCN) claims that another creator's video copies one of theirs. Filing checks that
both videos exist, that the claimant owns the original and that the alleged copy was published after
it, then computes the engine's evidence — text similarity of titles and scripts
(``engines.originality.text_index``), both publish times, and the SHA-256 of both videos' text fingerprints — and
stores it on the claim. A reviewer upholds the claim (it is confirmed) or dismisses it (rejected); a confirmed
claim creates a ``copied_content`` violation against the accused creator, which goes through the compliance
penalty policy like any other confirmed violation, and counts in the creator's standing (``governance.standing``:
exposure and brand matching). Every write is audited.

Every write of a claim — filed, decided — is logged in the platform's RFC 9162 transparency log by the database
itself (migration 0007's triggers), in the same transaction as the claim, with the claim's row (evidence and
fingerprints included) as the entry's content: a failed request leaves no entry, and ``wanghong evidence
prove``/``verify`` prove what the claim said and when. The log record is ``originality_claims:<id>``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wanghong.accounts.principal import Principal, require_role
from wanghong.commerce.models import Video
from wanghong.compliance.models import Violation
from wanghong.compliance.penalties import apply_policy
from wanghong.domain import ClaimStatus, Decision, Role, Severity, ViolationStatus
from wanghong.kit import audit
from wanghong.kit.access import get_referenceable, get_visible
from wanghong.kit.db.base import utcnow
from wanghong.kit.db.session import update_if
from wanghong.kit.errors import Conflict, InvalidInput
from wanghong.kit.listing import PageRequest, visible_page
from wanghong.kit.paging import Page
from wanghong.originality.engine import DEFAULT_THRESHOLD, METHOD, text_fingerprint, text_similarity
from wanghong.originality.models import OriginalityClaim

VIOLATION_CATEGORY = "copied_content"


def _content_text(video: Video) -> str:
    return f"{video.title}\n{video.script}" if video.script else video.title


def compute_evidence(original: Video, copy: Video) -> dict[str, Any]:
    """What the text engine says about the pair, with both publish times (ISO 8601, UTC)."""
    scripts = bool(original.script.strip()) and bool(copy.script.strip())
    return {
        "method": METHOD,
        "threshold": DEFAULT_THRESHOLD,
        "similarity": text_similarity(_content_text(original), _content_text(copy)),
        "title_similarity": text_similarity(original.title, copy.title),
        "script_similarity": text_similarity(original.script, copy.script) if scripts else None,
        "original_published_at": original.published_at.isoformat(),
        "copy_published_at": copy.published_at.isoformat(),
        "hours_between": round((copy.published_at - original.published_at).total_seconds() / 3600, 2),
        # What the claim is about, fixed by the transparency log together with the claim.
        "fingerprints": {
            "kind": METHOD,
            "original_sha256": text_fingerprint(_content_text(original)).sha256(),
            "copy_sha256": text_fingerprint(_content_text(copy)).sha256(),
        },
    }


def file_claim(
    session: Session,
    principal: Principal,
    original_video_id: int,
    copy_video_id: int,
    reason: str = "",
) -> OriginalityClaim:
    """File a claim that ``copy_video_id`` copies ``original_video_id`` (which the principal must own)."""
    require_role(principal, Role.CREATOR, Role.MCN_MANAGER, action="filing an originality claim")
    if original_video_id == copy_video_id:
        raise InvalidInput("原视频与被指抄袭视频相同 / original_video_id and copy_video_id are the same video")
    # The original must be the principal's own (another creator's video is simply not found); the alleged
    # copy is someone else's published video, which a claimant may point at without reading it.
    original = get_visible(session, Video, original_video_id, principal)
    copy = get_referenceable(session, Video, copy_video_id, principal)
    if copy.creator_id == original.creator_id:
        raise InvalidInput("两个视频属于同一创作者 / both videos are by the same creator: nothing to claim")
    if copy.published_at < original.published_at:
        raise InvalidInput(
            "被指抄袭的视频发布更早 / the alleged copy was published "
            f"({copy.published_at.isoformat()}) before the original ({original.published_at.isoformat()})"
        )
    already = session.scalar(
        select(OriginalityClaim.id).where(
            OriginalityClaim.original_video_id == original.id,
            OriginalityClaim.copy_video_id == copy.id,
            OriginalityClaim.status != ClaimStatus.REJECTED,
        )
    )
    if already is not None:
        raise Conflict(f"该申诉已存在 / claim {already} already covers these two videos", claim_id=already)

    evidence = compute_evidence(original, copy)
    claim = OriginalityClaim(
        claimant_creator_id=original.creator_id,
        accused_creator_id=copy.creator_id,
        original_video_id=original.id,
        copy_video_id=copy.id,
        filed_by_id=principal.user_id,
        reason=reason,
        similarity=evidence["similarity"],
        evidence=evidence,
        status=ClaimStatus.PENDING,
    )
    session.add(claim)
    session.flush()
    audit.record(
        session,
        principal,
        "originality_claim.file",
        claim,
        {"original_video_id": original.id, "copy_video_id": copy.id, "similarity": evidence["similarity"]},
    )
    return claim


def decide_claim(
    session: Session,
    principal: Principal,
    claim_id: int,
    decision: Decision,
    note: str = "",
) -> OriginalityClaim:
    """A reviewer's verdict: upheld, the claim is confirmed (a copy: violation + traffic penalty); dismissed, it is
    rejected."""
    # Visibility first: a claim the principal cannot see is a 404 whatever their role.
    claim = get_visible(session, OriginalityClaim, claim_id, principal)
    require_role(principal, Role.REVIEWER, action="deciding an originality claim")
    if claim.status is not ClaimStatus.PENDING:
        raise Conflict(f"申诉已处理 / claim {claim.id} was already decided: {claim.status.value}")
    copy = session.get(Video, claim.copy_video_id)
    if copy is None:  # cascades delete claims with their videos; kept for a clear message under races
        raise Conflict(f"被指抄袭的视频已删除 / video {claim.copy_video_id} no longer exists")

    now = utcnow()
    # Decided only while still pending, checked by the database itself before anything else is written: of two
    # reviewers deciding at once exactly one wins, and the other neither adds a violation nor a log entry.
    decided = {
        "status": ClaimStatus.CONFIRMED if decision is Decision.UPHOLD else ClaimStatus.REJECTED,
        "decided_by_id": principal.user_id,
        "decided_at": now,
        "decision_note": note,
    }
    if not update_if(session, claim, OriginalityClaim.status == ClaimStatus.PENDING, decided):
        raise Conflict(f"申诉已处理 / claim {claim.id} was decided meanwhile by another reviewer: {claim.status.value}")
    if decision is Decision.UPHOLD:
        violation = Violation(
            creator_id=claim.accused_creator_id,
            subject_type="video",
            subject_id=claim.copy_video_id,
            category=VIOLATION_CATEGORY,
            severity=Severity.MEDIUM,
            status=ViolationStatus.CONFIRMED,
            description=f"原创申诉 #{claim.id} 确认抄袭视频 {claim.original_video_id} / "
            f"originality claim {claim.id}: copies video {claim.original_video_id}",
        )
        session.add(violation)
        session.flush()
        claim.violation_id = violation.id
        audit.record(session, principal, "violation.create", violation, {"originality_claim_id": claim.id})
        # A copy is a confirmed violation like any other: its points may earn the creator a penalty.
        apply_policy(session, principal, violation)
    detail = {"decision": decision.value, "status": claim.status.value, "note": note}
    audit.record(session, principal, "originality_claim.decide", claim, detail)
    return claim


def list_claims(
    session: Session, principal: Principal, page: PageRequest, status: ClaimStatus | None = None
) -> Page[OriginalityClaim]:
    """The claims the principal may see (its own either side; reviewers all), one cursor page in id order."""
    return visible_page(session, principal, OriginalityClaim, page, status=status)
