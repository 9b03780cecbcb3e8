"""Labels for AI-generated text under 《人工智能生成合成内容标识办法》 (in force 2025-09-01) and the national
standard GB 45438-2025 《网络安全技术 人工智能生成合成内容标识方法》.

Explicit label (显式标识): text carries a written notice at its start, end or an apt place in between; we put
「【AI 生成】」 at the start of every generated text, so that a viewer reads it before the content.
Implicit label (隐式标识): file metadata in the standard's ``AIGC`` record — ``Label`` (1 = AI-generated),
``ContentProducer`` (the service that produced it), ``ProduceID`` (its id for this content), ``ContentPropagator``
and ``PropagateID`` (the platform that distributes it, filled when it is published) and two reserved codes
(here a digest of the text, so that a later edit is visible).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Final

LABEL: Final = "AI 生成 / AI-generated"
TEXT_MARK: Final = "【AI 生成】"
PRODUCER: Final = "wanghong-assistant"
_MARK_AT_START = re.compile(r"^\s*【\s*AI\s*生成\s*】")


def with_explicit_label(text: str) -> str:
    """The text with the explicit notice at its start, exactly once."""
    body = _MARK_AT_START.sub("", text).lstrip()
    return f"{TEXT_MARK}{body}"


def is_labelled(text: str) -> bool:
    return bool(_MARK_AT_START.match(text))


def implicit_metadata(
    text: str, *, produce_id: str | None = None, propagator: str = "", propagate_id: str = ""
) -> dict[str, dict[str, str]]:
    """The GB 45438-2025 ``AIGC`` metadata record for a stored or exported text."""
    return {
        "AIGC": {
            "Label": "1",
            "ContentProducer": PRODUCER,
            "ProduceID": produce_id or uuid.uuid4().hex,
            "ReservedCode1": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "ContentPropagator": propagator,
            "PropagateID": propagate_id,
            "ReservedCode2": "",
        }
    }
