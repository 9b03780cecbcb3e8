from __future__ import annotations

import pytest

from wanghong.assistant import service
from wanghong.assistant.compliance_gate import ComplianceGate
from wanghong.assistant.engine.dense import UniversalSentenceEncoder


@pytest.fixture(scope="session")
def encoder() -> UniversalSentenceEncoder:
    """The process's one sentence model, shared with the CLI commands the tests invoke."""
    return service.sentence_model()


@pytest.fixture(scope="session")
def gate() -> ComplianceGate:
    """The real compliance reviewer (shipped library and claim model), built once: it is what guards the output."""
    return service.compliance_gate()
