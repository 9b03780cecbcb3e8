"""Originality claims: the platform's client under the name the claim tests use, and a private evidence folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def client(app_client: TestClient) -> TestClient:
    return app_client


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WANGHONG_ORIGINALITY_DIR", str(tmp_path / "originality"))
    return tmp_path / "originality"
