"""The shipped classifier arrays are the model a fresh fit on the shipped claims gives, and are used as such."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest

from wanghong.compliance.engine import ComplianceReviewer
from wanghong.compliance.engine.classifier import (
    ClaimClassifier,
    claims_digest,
    load_claims,
    shipped_classifier,
)
from wanghong.compliance.engine.normalize import Normalizer


@pytest.fixture(scope="module")
def fresh() -> ClaimClassifier:
    return ClaimClassifier(Normalizer().fold).fit(load_claims())


def test_shipped_arrays_were_fitted_on_the_shipped_claims(reviewer: ComplianceReviewer) -> None:
    assert reviewer.classifier is not None
    assert reviewer.classifier.trained_on == claims_digest(), (
        "claims.jsonl changed without its model: run .venv/bin/python tools/make_compliance_claims.py"
    )


def test_shipped_model_predicts_like_a_fresh_fit(reviewer: ComplianceReviewer, fresh: ClaimClassifier) -> None:
    shipped = reviewer.classifier
    assert shipped is not None and shipped.classes == fresh.classes
    texts = [row.text for row in load_claims()[::5]] + ["吃了三天血糖就降下来了", "用完皱纹全没了", "今天天气不错", ""]
    np.testing.assert_allclose(shipped.probabilities(texts), fresh.probabilities(texts), rtol=1e-5, atol=1e-6)
    assert [label for _, label in shipped.predict(texts)] == [label for _, label in fresh.predict(texts)]


def test_saved_arrays_round_trip(fresh: ClaimClassifier) -> None:
    buffer = io.BytesIO()
    fresh.save(buffer, trained_on="digest")
    buffer.seek(0)
    loaded = ClaimClassifier.load(buffer, Normalizer().fold)
    assert loaded.trained_on == "digest"
    texts = ["这款面霜用完皱纹全没了", "质量很好"]
    np.testing.assert_array_equal(loaded.probabilities(texts), fresh.probabilities(texts))


def test_arrays_of_other_claims_are_refitted_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    from wanghong.compliance.engine import classifier

    monkeypatch.setattr(classifier, "claims_digest", lambda: "claims that changed")
    model = shipped_classifier(Normalizer().fold)
    assert model.trained_on == "" and model._pipeline is not None  # fitted afresh


def test_the_shipped_reviewer_needs_no_scikit_learn() -> None:
    probe = (
        "import sys; from wanghong.compliance.engine import ComplianceReviewer; "
        "v = ComplianceReviewer().review('吃了三天血糖就降下来了'); "
        "print(v.verdict, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out[1] == "False"
    assert out[0] in ("review", "block")
