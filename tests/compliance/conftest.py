from __future__ import annotations

import pytest

from wanghong.compliance.engine import ComplianceReviewer, Scanner, ViolationLibrary, load_library


@pytest.fixture(scope="session")
def library() -> ViolationLibrary:
    return load_library()


@pytest.fixture(scope="session")
def reviewer(library: ViolationLibrary) -> ComplianceReviewer:
    return ComplianceReviewer(library)


@pytest.fixture(scope="session")
def scanner(reviewer: ComplianceReviewer) -> Scanner:
    return reviewer.scanner
