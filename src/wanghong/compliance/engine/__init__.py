"""Compliance review engine (合规审核) for livestream and short-video sales talk.

Typical use — build once at start-up, reuse for every text (thread-safe, no per-call state)::

    from wanghong.compliance.engine import ComplianceReviewer
    reviewer = ComplianceReviewer()          # shipped library + classifier trained at construction
    verdict = reviewer.review("全网最低价，加vx私聊")
    verdict.verdict, verdict.score, verdict.hits, verdict.library_version
"""

from wanghong.compliance.engine.context import ContextJudge, Reason
from wanghong.compliance.engine.hits import Hit, MatchKind, ScanResult
from wanghong.compliance.engine.library import (
    LibraryEntry,
    LibraryEntryNotFound,
    LibraryError,
    ViolationCategory,
    ViolationLibrary,
    load_library,
    parse_library,
)
from wanghong.compliance.engine.reviewer import ComplianceReviewer, Verdict, review
from wanghong.compliance.engine.scanner import Scanner

__all__ = [
    "ComplianceReviewer",
    "ContextJudge",
    "Hit",
    "LibraryEntry",
    "LibraryEntryNotFound",
    "LibraryError",
    "MatchKind",
    "Reason",
    "ScanResult",
    "Scanner",
    "Verdict",
    "ViolationCategory",
    "ViolationLibrary",
    "load_library",
    "parse_library",
    "review",
]
