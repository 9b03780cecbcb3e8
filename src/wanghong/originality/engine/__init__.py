"""原创保护 originality protection: text near-duplicates, attribution, evidence log.

Public API: ``TextNearDupIndex`` with ``TextItem``/``TextMatch`` (incremental near-duplicate index for Chinese
titles and scripts), ``text_similarity``/``text_fingerprint`` and the ``METHOD``/``DEFAULT_THRESHOLD`` they are
measured with, ``AttributionGraph`` (who published first), ``EvidenceLog`` (the hash-chained, tamper-evident
log), the offline ``evaluate`` on the labelled titles, and the typed errors ``OriginalityInputError`` and
``EvidenceChainError``. Video near-duplicates have their own face, ``wanghong.originality.engine.video``.

Names are loaded on first use: the text index needs numpy and scipy, and a command that only verifies an
evidence log should not pay for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wanghong.originality.engine.attribution import AttributionGraph, Cluster, ConfirmedPair, Fingerprint
    from wanghong.originality.engine.errors import EvidenceChainError, OriginalityInputError
    from wanghong.originality.engine.evaluation import EvalReport, evaluate, format_report, load_eval_rows
    from wanghong.originality.engine.evidence import ChainReport, EvidenceEntry, EvidenceLog, verify_chain
    from wanghong.originality.engine.text_index import (
        TextItem,
        TextMatch,
        TextNearDupIndex,
        text_fingerprint,
        text_similarity,
    )
    from wanghong.originality.engine.text_method import DEFAULT_THRESHOLD, METHOD

_MODULE_OF = {
    "AttributionGraph": "attribution",
    "Cluster": "attribution",
    "ConfirmedPair": "attribution",
    "Fingerprint": "attribution",
    "EvidenceChainError": "errors",
    "OriginalityInputError": "errors",
    "EvalReport": "evaluation",
    "evaluate": "evaluation",
    "format_report": "evaluation",
    "load_eval_rows": "evaluation",
    "ChainReport": "evidence",
    "EvidenceEntry": "evidence",
    "EvidenceLog": "evidence",
    "verify_chain": "evidence",
    "TextItem": "text_index",
    "TextMatch": "text_index",
    "TextNearDupIndex": "text_index",
    "text_fingerprint": "text_index",
    "text_similarity": "text_index",
    "DEFAULT_THRESHOLD": "text_method",
    "METHOD": "text_method",
}

__all__ = [
    "DEFAULT_THRESHOLD",
    "METHOD",
    "AttributionGraph",
    "ChainReport",
    "Cluster",
    "ConfirmedPair",
    "EvalReport",
    "EvidenceChainError",
    "EvidenceEntry",
    "EvidenceLog",
    "Fingerprint",
    "OriginalityInputError",
    "TextItem",
    "TextMatch",
    "TextNearDupIndex",
    "evaluate",
    "format_report",
    "load_eval_rows",
    "text_fingerprint",
    "text_similarity",
    "verify_chain",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
