"""预检: the compliance scan a creator sees before submitting content, and that the brand sees beside each version.

The reviewer is compliance's engine with the shipped library, built once per process on first need (≈2 s: the
automaton and the claim classifier) and shared by every request; it keeps no per-call state.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from wanghong.domain import Verdict

if TYPE_CHECKING:
    from wanghong.compliance.engine import ComplianceReviewer

MAX_TEXT = 10_300  # title (300) + script (10,000): what one submission can carry


@dataclass(frozen=True)
class Scan:
    verdict: Verdict
    score: float
    hits: list[dict[str, Any]]

    @property
    def blocked(self) -> bool:
        return self.verdict is Verdict.BLOCK


@cache
def _reviewer() -> ComplianceReviewer:
    from wanghong.compliance.engine import ComplianceReviewer, load_library

    return ComplianceReviewer(load_library())


def text_of(title: str, script: str) -> str:
    return "\n".join(part for part in (title.strip(), script.strip()) if part)


def scan(title: str, script: str) -> Scan:
    from wanghong.compliance.engine import ViolationCategory

    verdict = _reviewer().review(text_of(title, script)[:MAX_TEXT])
    hits = []
    for hit in verdict.hits:
        found: dict[str, Any] = dict(hit.to_json())
        found["explanation"] = hit.explanation
        found["category_label"] = ViolationCategory(hit.category.value).label
        found["matched_text"] = hit.matched_text
        hits.append(found)
    return Scan(verdict.verdict, round(float(verdict.score), 4), hits)
