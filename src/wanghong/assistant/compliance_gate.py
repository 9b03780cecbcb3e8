"""The compliance engine as the assistant's checker: every generated text is scanned before it leaves.

Built the way ``wanghong compliance scan`` builds it (the shipped library, the claim classifier on), once per
process. Any finding — a lexicon hit or the classifier's — blocks the text as it stands; the assistant then
tries the lawful rewrite and scans again (see ``engine.answer``).
"""

from __future__ import annotations

from collections.abc import Sequence

from wanghong.assistant.engine.rewrites import Flag
from wanghong.compliance.engine import ComplianceReviewer, load_library
from wanghong.domain import Verdict


class ComplianceGate:
    def __init__(self, reviewer: ComplianceReviewer | None = None, *, use_model: bool = True) -> None:
        if reviewer is None:
            # Without the window classifier: it is a second opinion for a person's review queue, trained on sellers'
            # talk, while a finding here blocks the text; it read the assistant's own 【AI 生成】 heading as a claim.
            reviewer = ComplianceReviewer(load_library(), use_model=use_model).with_window(None)
        self.reviewer = reviewer

    def flags(self, texts: Sequence[str]) -> list[list[Flag]]:
        flagged: list[list[Flag]] = []
        for text, verdict in zip(texts, self.reviewer.review_many(list(texts)), strict=True):
            found = [Flag(h.start, h.end, h.category.value, h.matched_text) for h in verdict.hits]
            if not found and verdict.verdict is not Verdict.PASS:
                found = [Flag(0, len(text), "review", text)]  # a verdict without a span: nothing to rewrite
            flagged.append(found)
        return flagged
